//! The default classifier and its builder: the one place where settings are made and checked.

use super::candidate::{Candidate, default_candidates};
use super::config::{Criterion, Settings, Thresholds};
use crate::error::{Error, Result};
use crate::family::CurveFamily;

/// The configurable classifier behind [`classify`](fn@crate::classify).
///
/// ```
/// use emergence_detect::{Classifier, Criterion, Curve, DefaultClassifier, Category};
///
/// let classifier = DefaultClassifier::builder()
///     .criterion(Criterion::Aicc)
///     .significance(0.05)
///     .bootstrap(50)
///     .seed(7)
///     .build()?;
/// let x: Vec<f64> = (0..8).map(|i| 10f64.powf(7.0 + 0.6 * i as f64)).collect();
/// let y: Vec<f64> = x.iter().map(|x| 0.2 + 0.08 * (x.log10() - 7.0)).collect();
/// let curve = Curve::builder(x, y).n_examples(vec![2000.0; 8]).chance(0.2).build()?;
/// assert_eq!(classifier.classify(&curve)?.category, Category::Scaling);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DefaultClassifier {
    pub(crate) settings: Settings,
}

impl Default for DefaultClassifier {
    fn default() -> Self {
        DefaultClassifier::builder()
            .build()
            .expect("the default settings are valid")
    }
}

impl DefaultClassifier {
    /// A builder starting from the default settings.
    ///
    /// ```
    /// use emergence_detect::{Criterion, DefaultClassifier};
    /// let c = DefaultClassifier::builder().criterion(Criterion::Aicc).build()?;
    /// assert_eq!(c.settings().criterion(), Criterion::Aicc);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn builder() -> ClassifierBuilder {
        ClassifierBuilder {
            settings: Settings {
                candidates: default_candidates(),
                criterion: Criterion::default(),
                thresholds: Thresholds::default(),
                bootstrap_resamples: 100,
                confidence_level: 0.95,
                seed: 0x5eed_2026,
                max_starts: 1,
                min_confidence: 0.0,
                pointwise_up_to: 3,
                assumed_min_items: 100.0,
                lend_noise_below: 12,
                min_bootstrap_share: 0.5,
                max_evaluations: 60,
            },
        }
    }

    /// The settings in force.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let s = DefaultClassifier::default();
    /// let s = s.settings();
    /// assert_eq!(s.thresholds().min_effect, 0.05);
    /// ```
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

/// Builder of a [`DefaultClassifier`].
///
/// ```
/// use emergence_detect::{DefaultClassifier, Error};
/// let strict = DefaultClassifier::builder().significance(0.01).min_effect(0.1).build()?;
/// assert_eq!(strict.settings().thresholds().min_effect, 0.1);
/// // settings are checked when the classifier is built
/// let bad = DefaultClassifier::builder().significance(0.0).build();
/// assert!(matches!(bad, Err(Error::InvalidSetting { what: "significance", .. })));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ClassifierBuilder {
    settings: Settings,
}

impl ClassifierBuilder {
    /// Replaces the candidate families.
    ///
    /// ```
    /// use emergence_detect::{Candidate, DefaultClassifier, Linear, Constant};
    /// let c = DefaultClassifier::builder()
    ///     .candidates(vec![Candidate::new(Constant), Candidate::new(Linear)])
    ///     .build()?;
    /// assert_eq!(c.settings().candidates().len(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn candidates(mut self, candidates: Vec<Candidate>) -> Self {
        self.settings.candidates = candidates;
        self
    }

    /// Adds a family (a user's own, say) to the candidates.
    ///
    /// ```
    /// use emergence_detect::{BrokenPowerLaw, DefaultClassifier};
    /// let c = DefaultClassifier::builder().family(BrokenPowerLaw::default()).build()?;
    /// assert!(c.settings().candidates().iter().any(|c| c.label() == "broken_power_law"));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn family(mut self, family: impl CurveFamily + 'static) -> Self {
        self.settings.candidates.push(Candidate::new(family));
        self
    }

    /// Adds a candidate with pinned parameters.
    ///
    /// ```
    /// use emergence_detect::{Candidate, DefaultClassifier, Logistic, Pin};
    /// let at_zero = Candidate::new(Logistic).pin("floor", Pin::Value(0.0))?;
    /// let c = DefaultClassifier::builder().candidate(at_zero).build()?;
    /// assert!(c.settings().candidates().iter().any(|c| c.label() == "logistic(floor=0)"));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn candidate(mut self, candidate: Candidate) -> Self {
        self.settings.candidates.push(candidate);
        self
    }

    /// The ranking criterion (default [`Criterion::Bic`]).
    ///
    /// ```
    /// use emergence_detect::{Criterion, DefaultClassifier};
    /// let c = DefaultClassifier::builder().criterion(Criterion::Aic).build()?;
    /// assert_eq!(c.settings().criterion(), Criterion::Aic);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn criterion(mut self, criterion: Criterion) -> Self {
        self.settings.criterion = criterion;
        self
    }

    /// Two-sided significance level of every change (default 0.05).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().significance(0.01).build()?;
    /// assert_eq!(c.settings().thresholds().significance, 0.01);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn significance(mut self, alpha: f64) -> Self {
        self.settings.thresholds.significance = alpha;
        self
    }

    /// Smallest change that counts, as a fraction of the metric's maximum (default 0.05).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().min_effect(0.02).build()?;
    /// assert_eq!(c.settings().thresholds().min_effect, 0.02);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn min_effect(mut self, fraction: f64) -> Self {
        self.settings.thresholds.min_effect = fraction;
        self
    }

    /// Smallest sharpness (steepest slope over average slope) of an emergent rise (default 1.9; see [`Thresholds::min_sharpness`]).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().steepness(2.5).build()?;
    /// assert_eq!(c.settings().thresholds().min_sharpness, 2.5);
    /// assert!(DefaultClassifier::builder().steepness(0.5).build().is_err());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn steepness(mut self, min_sharpness: f64) -> Self {
        self.settings.thresholds.min_sharpness = min_sharpness;
        self
    }

    /// Largest width of an emergent rise (10% to 90%) as a share of the observed range of scales
    /// (default 0.6).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().max_rise_width(0.4).build()?;
    /// assert_eq!(c.settings().thresholds().max_rise_width, 0.4);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn max_rise_width(mut self, share: f64) -> Self {
        self.settings.thresholds.max_rise_width = share;
        self
    }

    /// How far above chance (fraction of the metric's maximum) an emergent curve may start
    /// (default 0.1).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().chance_tolerance(0.05).build()?;
    /// assert_eq!(c.settings().thresholds().chance_tolerance, 0.05);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn chance_tolerance(mut self, fraction: f64) -> Self {
        self.settings.thresholds.chance_tolerance = fraction;
        self
    }

    /// All thresholds at once.
    ///
    /// ```
    /// use emergence_detect::{DefaultClassifier, Thresholds};
    /// let mut th = Thresholds::default();
    /// th.goodness_of_fit = 0.001;
    /// let c = DefaultClassifier::builder().thresholds(th).build()?;
    /// assert_eq!(c.settings().thresholds().goodness_of_fit, 0.001);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn thresholds(mut self, thresholds: Thresholds) -> Self {
        self.settings.thresholds = thresholds;
        self
    }

    /// Bootstrap resamples for the intervals of the critical scale and of a turn (default 100).
    /// 0 turns the intervals off: the estimate is still reported, with
    /// [`IntervalMethod::None`](super::IntervalMethod::None) and `lower == upper == value`.
    ///
    /// ```
    /// use emergence_detect::{datasets, Classifier, DefaultClassifier, IntervalMethod};
    /// let quick = DefaultClassifier::builder().bootstrap(0).build()?;
    /// let c = quick.classify(&datasets::gpt_neo_3digit_addition().curve)?;
    /// let e = c.critical_scale.unwrap();
    /// assert_eq!(e.method, IntervalMethod::None);
    /// assert!(e.lower == e.value && e.upper == e.value);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn bootstrap(mut self, resamples: usize) -> Self {
        self.settings.bootstrap_resamples = resamples;
        self
    }

    /// Confidence level of the intervals (default 0.95).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().confidence_level(0.9).build()?;
    /// assert_eq!(c.settings().confidence_level(), 0.9);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn confidence_level(mut self, level: f64) -> Self {
        self.settings.confidence_level = level;
        self
    }

    /// The bootstrap seed (default fixed): results are reproducible for a given seed.
    ///
    /// ```
    /// use emergence_detect::{datasets, Classifier, DefaultClassifier};
    /// let curve = datasets::gpt_neo_3digit_addition().curve;
    /// let a = DefaultClassifier::builder().seed(7).build()?.classify(&curve)?;
    /// let b = DefaultClassifier::builder().seed(7).build()?.classify(&curve)?;
    /// assert_eq!(a.critical_scale, b.critical_scale);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.settings.seed = seed;
        self
    }

    /// Starting points per family, the most promising first (default 1: the self-starters' best
    /// guess). The classifier's fits have no Nelder-Mead fallback: a start that does not converge
    /// within the evaluation budget keeps its best point, and its `termination` says so.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().max_starts(3).build()?;
    /// assert_eq!(c.settings().max_starts(), 3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn max_starts(mut self, n: usize) -> Self {
        self.settings.max_starts = n;
        self
    }

    /// Below this confidence the result is [`Category::Inconclusive`](crate::Category) ("fits
    /// disagree"); default 0 (always name the most likely shape).
    ///
    /// ```
    /// use emergence_detect::{Category, Classifier, Curve, DefaultClassifier};
    /// // a noisy zigzag on which the fits disagree
    /// let curve = Curve::new(vec![1e8, 1e9, 1e10, 1e11, 1e12], vec![0.30, 0.38, 0.31, 0.40, 0.33])?;
    /// let c = DefaultClassifier::builder().min_confidence(0.999).build()?.classify(&curve)?;
    /// assert!(c.category == Category::Inconclusive || c.confidence >= 0.999);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn min_confidence(mut self, confidence: f64) -> Self {
        self.settings.min_confidence = confidence;
        self
    }

    /// Curves of at most this many points (2 or 3; default 3) are judged by point-wise tests of
    /// the steps between their points instead of fitted families: PaLM's 8B, 62B and 540B leave
    /// no degree of freedom to a three-parameter fit.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().pointwise_up_to(2).build()?;
    /// assert_eq!(c.settings().pointwise_up_to(), 2);
    /// assert!(DefaultClassifier::builder().pointwise_up_to(4).build().is_err());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn pointwise_up_to(mut self, points: usize) -> Self {
        self.settings.pointwise_up_to = points;
        self
    }

    /// The smallest test set (in items) a short curve (at most `pointwise_up_to` points) without
    /// noise information is assumed to come from; default 100. Such a curve is decided by effect
    /// size when its verdict holds under the binomial noise of that many items (a change below
    /// the minimum effect is flat for any noise; a jump of 40 points is real for any test set of
    /// 100 items or more), and is inconclusive otherwise. 0 turns the effect-size reading off.
    ///
    /// ```
    /// use emergence_detect::{Category, Classifier, Curve, DefaultClassifier};
    /// let c = Curve::builder(vec![8e9, 6.2e10, 5.4e11], vec![0.0, 1.1, 41.0]).y_max(100.0).build()?;
    /// let off = DefaultClassifier::builder().assumed_min_items(0.0).build()?;
    /// assert_eq!(off.classify(&c)?.category, Category::Inconclusive);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn assumed_min_items(mut self, items: f64) -> Self {
        self.settings.assumed_min_items = items;
        self
    }

    /// A curve without noise information and with fewer points than this (default 12) is not
    /// judged on the fits' residual scatter alone. A residual variance from `d` degrees of
    /// freedom is uncertain by a factor of about `sqrt(2 / d)`: the 4-parameter logistic on 8
    /// points leaves 4, and its scatter is then known to within 70%, too loosely to test a rise
    /// against. From 12 points on (8 degrees of freedom and more) the curve's own scatter serves,
    /// unless it is smaller than the sampling noise of a million test items (computed or rounded
    /// values): such a curve is read by effect size as below.
    ///
    /// Below it, classified alone, the curve is decided by effect size when the verdict is the
    /// same under binomial noise of the fewest test items it can plausibly come from
    /// ([`assumed_min_items`](Self::assumed_min_items), or more when the residual scatter's 95%
    /// upper bound is smaller) and under practically none
    /// ([`Evidence::EffectSize`](crate::Evidence), with the confidence of the noisier end);
    /// otherwise the residual reading stands with a confidence of at most 0.5 and a reason
    /// naming both readings. In a batch that lends noise
    /// ([`classify_all_lending_noise`](crate::classify_all_lending_noise), and `emergence
    /// classify` unless `--no-lend-noise`), it borrows the batch's test-set size for its metric
    /// instead. Curves of at most `pointwise_up_to` points borrow only when their effect size
    /// cannot decide them. 0 trusts the residual scatter of every curve longer than that.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().lend_noise_below(0).build()?;
    /// assert_eq!(c.settings().lend_noise_below(), 0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn lend_noise_below(mut self, points: usize) -> Self {
        self.settings.lend_noise_below = points;
        self
    }

    /// The share of bootstrap resamples whose refit must give the quantity (a critical scale, a
    /// turn) for an interval to be reported (default 0.5); below it the estimate has no interval.
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().min_bootstrap_share(0.8).build()?;
    /// assert_eq!(c.settings().min_bootstrap_share(), 0.8);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn min_bootstrap_share(mut self, share: f64) -> Self {
        self.settings.min_bootstrap_share = share;
        self
    }

    /// The budget of objective evaluations of each candidate's fit (default 60: the ranking needs
    /// chi-square to about a thousandth of an information-criterion unit, which the built-in
    /// families reach well within it).
    ///
    /// ```
    /// use emergence_detect::DefaultClassifier;
    /// let c = DefaultClassifier::builder().max_evaluations(200).build()?;
    /// assert_eq!(c.settings().max_evaluations(), 200);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn max_evaluations(mut self, evaluations: usize) -> Self {
        self.settings.max_evaluations = evaluations;
        self
    }

    /// Checks the settings and builds the classifier.
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for a threshold out of its domain or an empty candidate list,
    /// [`Error::InvalidFamily`] for a candidate whose family has no parameters.
    ///
    /// ```
    /// use emergence_detect::{DefaultClassifier, Error};
    /// let err = DefaultClassifier::builder().confidence_level(1.5).build().unwrap_err();
    /// assert!(matches!(err, Error::InvalidSetting { what: "confidence_level", .. }));
    /// ```
    pub fn build(self) -> Result<DefaultClassifier> {
        let s = &self.settings;
        let th = &s.thresholds;
        let check = |what: &'static str, v: f64, ok: bool, reason: &'static str| {
            if ok {
                Ok(())
            } else {
                Err(Error::InvalidSetting {
                    what,
                    value: v,
                    reason,
                })
            }
        };
        check(
            "significance",
            th.significance,
            th.significance > 0.0 && th.significance < 1.0,
            "must lie in (0, 1)",
        )?;
        check(
            "min_effect",
            th.min_effect,
            th.min_effect >= 0.0 && th.min_effect.is_finite(),
            "must be finite and >= 0",
        )?;
        check(
            "steepness",
            th.min_sharpness,
            th.min_sharpness >= 1.0 && th.min_sharpness.is_finite(),
            "must be finite and >= 1 (a straight line has sharpness 1)",
        )?;
        check(
            "max_rise_width",
            th.max_rise_width,
            th.max_rise_width >= 0.0 && th.max_rise_width <= 1.0,
            "must lie in [0, 1]",
        )?;
        check(
            "chance_tolerance",
            th.chance_tolerance,
            th.chance_tolerance >= 0.0 && th.chance_tolerance.is_finite(),
            "must be finite and >= 0",
        )?;
        check(
            "chance_z",
            th.chance_z,
            th.chance_z >= 0.0 && th.chance_z.is_finite(),
            "must be finite and >= 0",
        )?;
        check(
            "flat_start",
            th.flat_start,
            (0.0..1.0).contains(&th.flat_start),
            "must lie in [0, 1)",
        )?;
        check(
            "goodness_of_fit",
            th.goodness_of_fit,
            th.goodness_of_fit > 0.0 && th.goodness_of_fit < 1.0,
            "must lie in (0, 1)",
        )?;
        check(
            "min_scatter_dof",
            th.min_scatter_dof as f64,
            th.min_scatter_dof >= 1,
            "at least one residual degree of freedom is needed to estimate a scatter",
        )?;
        check(
            "pointwise_up_to",
            s.pointwise_up_to as f64,
            (2..=3).contains(&s.pointwise_up_to),
            "must be 2 or 3 (the point-wise tests read two or three points)",
        )?;
        check(
            "assumed_min_items",
            s.assumed_min_items,
            s.assumed_min_items == 0.0
                || (s.assumed_min_items.is_finite() && s.assumed_min_items >= 1.0),
            "must be 0 (off) or a test-set size of at least one item",
        )?;
        check(
            "min_bootstrap_share",
            s.min_bootstrap_share,
            s.min_bootstrap_share > 0.0 && s.min_bootstrap_share <= 1.0,
            "must lie in (0, 1]",
        )?;
        check(
            "max_evaluations",
            s.max_evaluations as f64,
            s.max_evaluations >= 2,
            "must be at least 2",
        )?;
        check(
            "max_starts",
            s.max_starts as f64,
            s.max_starts >= 1,
            "must be at least 1",
        )?;
        check(
            "confidence_level",
            s.confidence_level,
            s.confidence_level > 0.0 && s.confidence_level < 1.0,
            "must lie in (0, 1)",
        )?;
        check(
            "min_confidence",
            s.min_confidence,
            (0.0..=1.0).contains(&s.min_confidence),
            "must lie in [0, 1]",
        )?;
        check(
            "candidates",
            s.candidates.len() as f64,
            !s.candidates.is_empty(),
            "at least one candidate family is needed",
        )?;
        if let Some(c) = s.candidates.iter().find(|c| {
            c.family().n_params() == 0 || c.family().n_params() > crate::linalg::MAX_PARAMS
        }) {
            return Err(Error::InvalidFamily {
                family: c.label().to_string(),
                reason: format!("{} parameters", c.family().n_params()),
            });
        }
        Ok(DefaultClassifier {
            settings: self.settings,
        })
    }
}
