//! The default classifier's configuration: the selection criterion, the decision thresholds and
//! the settings in force (made and checked by the builder).

use super::candidate::Candidate;

/// The information criterion that ranks the candidate fits.
///
/// ```
/// use emergence_detect::Criterion;
/// assert_eq!(Criterion::default(), Criterion::Bic);
/// assert_eq!(Criterion::Aicc.as_str(), "AICc");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Criterion {
    /// Akaike's criterion.
    Aic,
    /// Akaike's criterion with the small-sample correction `2k(k+1)/(n-k-1)` (infinite when
    /// `n - k - 1 <= 0`, which rules out rich families on short curves).
    Aicc,
    /// The Bayesian criterion `k ln n`.
    #[default]
    Bic,
}

impl Criterion {
    /// The penalty for `k` free parameters on `n` points.
    pub(crate) fn penalty(self, k: usize, n: usize) -> f64 {
        let (k, n) = (k as f64, n as f64);
        match self {
            Criterion::Aic => 2.0 * k,
            Criterion::Aicc if n - k - 1.0 > 0.0 => 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0),
            Criterion::Aicc => f64::INFINITY,
            Criterion::Bic => k * n.ln(),
        }
    }

    /// Its name in reports.
    ///
    /// ```
    /// use emergence_detect::Criterion;
    /// assert_eq!(Criterion::Bic.as_str(), "BIC");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Aic => "AIC",
            Criterion::Aicc => "AICc",
            Criterion::Bic => "BIC",
        }
    }
}

/// The thresholds that turn a shape into a category.
///
/// ```
/// use emergence_detect::{DefaultClassifier, Thresholds};
/// let mut strict = Thresholds::default();
/// strict.significance = 0.01;
/// let classifier = DefaultClassifier::builder().thresholds(strict).build()?;
/// assert_eq!(classifier.settings().thresholds().significance, 0.01);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Thresholds {
    /// Smallest change that counts, as a fraction of the metric's maximum (default 0.05); for
    /// lower-is-better metrics, which have no maximum, of their mean absolute value.
    pub min_effect: f64,
    /// Two-sided significance level of every change (default 0.05).
    pub significance: f64,
    /// Smallest [`Shape::sharpness`](super::Shape::sharpness) of an emergent rise that starts flat (default 1.9). A straight
    /// line has 1; a parabola rising from its vertex has 2, and 1.9 still admits one whose vertex
    /// lies up to about 5% of the range before the first scale (the tolerance `starts flat` uses):
    /// a convex rise from chance whose slope at least doubles, like an exact-match score `p^L`.
    pub min_sharpness: f64,
    /// Largest width of an emergent rise, from 10% to 90% of it, as a share of the observed range
    /// of scales (default 0.6); a rise this concentrated that starts late counts as emergent even
    /// when its steepest slope is modest (a hinge).
    pub max_rise_width: f64,
    /// How far above chance, as a fraction of the metric's maximum, an emergent curve may start
    /// (default 0.1; within two standard errors always counts as at chance).
    pub chance_tolerance: f64,
    /// A level within this many of its standard errors of chance is at chance, whatever
    /// `chance_tolerance` says (default 2).
    pub chance_z: f64,
    /// How much of the observed range of scales must lie before the steepest point (or before the
    /// onset of a narrow rise) for a rise to start flat (default 0.05, a twentieth of the range).
    pub flat_start: f64,
    /// Level of the goodness-of-fit test that says the stated noise is too small for a fit
    /// (default 0.01): when every fit is rejected, the rich candidates are fitted
    /// ([`Candidate::when_others_misfit`]) and the variance is inflated.
    pub goodness_of_fit: f64,
    /// Residual degrees of freedom the best fit must leave before the classifier estimates a
    /// curve's own overdispersion from it (default 3).
    pub min_scatter_dof: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_effect: 0.05,
            significance: 0.05,
            min_sharpness: 1.9,
            max_rise_width: 0.6,
            chance_tolerance: 0.1,
            chance_z: 2.0,
            flat_start: 0.05,
            goodness_of_fit: 0.01,
            min_scatter_dof: 3,
        }
    }
}

/// The classifier's settings; build one with [`ClassifierBuilder`](super::ClassifierBuilder) (via
/// [`DefaultClassifier::builder`](super::DefaultClassifier::builder)).
///
/// ```
/// use emergence_detect::{Criterion, DefaultClassifier};
/// let classifier = DefaultClassifier::builder().criterion(Criterion::Aic).seed(1).build()?;
/// let settings = classifier.settings();
/// assert_eq!(settings.criterion(), Criterion::Aic);
/// assert_eq!(settings.seed(), 1);
/// assert_eq!(settings.confidence_level(), 0.95);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) criterion: Criterion,
    pub(crate) thresholds: Thresholds,
    pub(crate) bootstrap_resamples: usize,
    pub(crate) confidence_level: f64,
    pub(crate) seed: u64,
    pub(crate) max_starts: usize,
    pub(crate) min_confidence: f64,
    pub(crate) pointwise_up_to: usize,
    pub(crate) assumed_min_items: f64,
    pub(crate) lend_noise_below: usize,
    pub(crate) min_bootstrap_share: f64,
    pub(crate) max_evaluations: usize,
}

impl Settings {
    /// The candidate families.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert!(s.candidates().iter().any(|c| c.label() == "logistic"));
    /// ```
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The ranking criterion.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.criterion(), emergence_detect::Criterion::Bic);
    /// ```
    pub fn criterion(&self) -> Criterion {
        self.criterion
    }

    /// The decision thresholds.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.thresholds().significance, 0.05);
    /// ```
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Bootstrap resamples for the intervals of the critical scale and of a turn.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.bootstrap_resamples(), 100);
    /// ```
    pub fn bootstrap_resamples(&self) -> usize {
        self.bootstrap_resamples
    }

    /// Confidence level of the intervals.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.confidence_level(), 0.95);
    /// ```
    pub fn confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// The bootstrap seed.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().seed(42).build()?;
    /// assert_eq!(c.settings().seed(), 42);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Starting points per family.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.max_starts(), 1);
    /// ```
    pub fn max_starts(&self) -> usize {
        self.max_starts
    }

    /// The confidence below which the result is inconclusive.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.min_confidence(), 0.0);
    /// ```
    pub fn min_confidence(&self) -> f64 {
        self.min_confidence
    }

    /// Curves of at most this many points are judged by point-wise tests.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.pointwise_up_to(), 3);
    /// ```
    pub fn pointwise_up_to(&self) -> usize {
        self.pointwise_up_to
    }

    /// The smallest test set a short curve without noise information is assumed to come from
    /// (default 100 items): its verdict is given by effect size when it holds under binomial noise
    /// of that many items, and is inconclusive otherwise.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// assert_eq!(DefaultClassifier::default().settings().assumed_min_items(), 100.0);
    /// ```
    pub fn assumed_min_items(&self) -> f64 {
        self.assumed_min_items
    }

    /// In a batch that lends noise ([`classify_all_lending_noise`](crate::classify_all_lending_noise)),
    /// curves without noise information and with fewer points than this borrow a test-set size
    /// instead of estimating their scatter from residuals (default 12).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// assert_eq!(DefaultClassifier::default().settings().lend_noise_below(), 12);
    /// ```
    pub fn lend_noise_below(&self) -> usize {
        self.lend_noise_below
    }

    /// The share of bootstrap resamples that must give the quantity for an interval.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.min_bootstrap_share(), 0.5);
    /// ```
    pub fn min_bootstrap_share(&self) -> f64 {
        self.min_bootstrap_share
    }

    /// The evaluation budget of each candidate's fit.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.max_evaluations(), 60);
    /// ```
    pub fn max_evaluations(&self) -> usize {
        self.max_evaluations
    }
}
