//! Validated scaling curves: the points, their noise model and what they measure.
//!
//! A [`Curve`] is checked once, when it is built; everything downstream (fitting, classification,
//! plotting) relies on its invariants: finite values, strictly increasing `x`, positive `x` on a
//! logarithmic axis, one noise figure per point, and at least two points.

mod builder;
mod noise;
mod validate;

use crate::error::Result;
pub use builder::CurveBuilder;
pub use noise::{N_EXAMPLES_MAX, NoiseModel, SIGMA_MAX, SIGMA_MIN, binomial_sigma};
use validate::{check_overdispersion, scale_sigma, sigma_caches};

/// The axis on which families are fitted.
///
/// Scaling curves are fitted in `t = log10(x)` (the default); a linear axis (`t = x`) suits curves
/// over training steps or any scale that is not spread over orders of magnitude.
///
/// ```
/// use emergence_detect::Axis;
/// assert_eq!(Axis::Log10.to_t(1e9), 9.0);
/// assert_eq!(Axis::Log10.to_x(9.0), 1e9);
/// assert_eq!(Axis::Linear.to_t(250.0), 250.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Axis {
    /// `t = log10(x)`; requires `x > 0`.
    #[default]
    Log10,
    /// `t = x`.
    Linear,
}

impl Axis {
    /// Maps a scale `x` to the fitting coordinate `t`.
    ///
    /// ```
    /// use emergence_detect::Axis;
    /// assert_eq!(Axis::Log10.to_t(1e9), 9.0);
    /// assert_eq!(Axis::Linear.to_t(5.0), 5.0);
    /// ```
    pub fn to_t(self, x: f64) -> f64 {
        match self {
            Axis::Log10 => x.log10(),
            Axis::Linear => x,
        }
    }

    /// Maps a fitting coordinate `t` back to the scale `x`.
    ///
    /// ```
    /// use emergence_detect::Axis;
    /// assert!((Axis::Log10.to_x(9.0) - 1e9).abs() < 1.0);
    /// ```
    pub fn to_x(self, t: f64) -> f64 {
        match self {
            Axis::Log10 => 10f64.powf(t),
            Axis::Linear => t,
        }
    }
}

/// What to do with two points at the same scale.
///
/// ```
/// use emergence_detect::{Curve, DuplicatePolicy};
/// let c = Curve::builder(vec![1e8, 1e8, 1e9], vec![0.2, 0.4, 0.5])
///     .duplicates(DuplicatePolicy::Merge)
///     .build()
///     .unwrap();
/// assert_eq!(c.len(), 2);
/// assert!((c.y()[0] - 0.3).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DuplicatePolicy {
    /// Duplicate `x` is an error ([`Error::DuplicateScale`](crate::Error::DuplicateScale)).
    #[default]
    Reject,
    /// Points at the same `x` are pooled into one, exactly: a fit to the merged curve is the fit to
    /// the measurements. The pooled score is the weighted mean (by inverse variance when standard
    /// errors are given, by test-set size when those are, else by the number of measurements), its
    /// weight the sum of theirs (test-set sizes add up), the scatter of the measurements about it
    /// stays in every fit's chi-square, and degrees of freedom count the measurements
    /// ([`Curve::observations`]). With given standard errors the covariance stays absolute (see
    /// [`FitOptions::absolute_sigma`](crate::FitOptions::absolute_sigma)); where it is scaled by
    /// the reduced chi-square, that includes the scatter within each group.
    Merge,
    /// Points at the same `x` stay separate points: replicates in the fit (e.g. models of several
    /// families at one training compute).
    Keep,
}

/// Descriptive labels carried along for reports; they never influence a result.
///
/// ```
/// use emergence_detect::{Curve, CurveLabels};
/// let mut labels = CurveLabels::default();
/// labels.task = Some("3-digit addition".into());
/// let c = Curve::builder(vec![1e8, 1e9], vec![0.0, 0.3]).labels(labels).build()?;
/// assert_eq!(c.labels().task.as_deref(), Some("3-digit addition"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CurveLabels {
    /// An identifier of the curve (e.g. the `curve_id` column).
    pub id: Option<String>,
    /// The task or benchmark.
    pub task: Option<String>,
    /// The model family whose sizes make up the curve.
    pub model_family: Option<String>,
    /// The metric (accuracy, exact match, BLEU, ...).
    pub metric: Option<String>,
    /// The number of in-context examples.
    pub shots: Option<u32>,
    /// What the scale `x` measures, for reports and plot axes (`parameters` when absent; e.g.
    /// `x_flops` or `training FLOPs`).
    pub scale: Option<String>,
}

/// A validated scaling curve: scores `y` measured at scales `x`, sorted by `x`.
///
/// Build one with [`Curve::new`] or [`Curve::builder`]. All checks happen there.
///
/// ```
/// use emergence_detect::Curve;
///
/// let curve = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.30, 0.26, 0.61])
///     .n_examples(vec![1000.0; 3])
///     .chance(0.25)
///     .build()?;
/// assert_eq!(curve.x(), &[1e8, 1e9, 1e10]); // sorted
/// assert_eq!(curve.t(), &[8.0, 9.0, 10.0]); // log10 scale
/// assert!(curve.sigma().iter().all(|s| *s > 0.0)); // binomial standard errors
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[must_use]
pub struct Curve {
    pub(super) x: Vec<f64>,
    pub(super) t: Vec<f64>,
    pub(super) y: Vec<f64>,
    pub(super) sigma: Vec<f64>,
    /// `1 / sigma^2`, cached for the fits.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub(super) weights: Vec<f64>,
    /// `sum ln sigma`, cached for the log-likelihoods.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub(super) log_sigma_sum: f64,
    pub(super) n_examples: Option<Vec<f64>>,
    pub(super) noise: NoiseModel,
    pub(super) overdispersion: f64,
    pub(super) chance: Option<f64>,
    pub(super) y_max: f64,
    pub(super) higher_is_better: bool,
    pub(super) axis: Axis,
    pub(super) labels: CurveLabels,
    /// What merged points pool (`None` when no point pools more than one measurement).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub(super) pooled: Option<Box<Pooled>>,
}

/// The measurements that merged points pool ([`DuplicatePolicy::Merge`]): how many per point, and
/// their chi-square about the pooled score in the weights they had, so that a fit to the merged
/// curve is the fit to the measurements.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct Pooled {
    pub(super) replicates: Vec<f64>,
    pub(super) within: Vec<f64>,
}

impl Curve {
    /// A curve with no noise information, on a log10 axis, higher scores better, the metric's maximum
    /// inferred (100 when any `y > 1`, else 1).
    ///
    /// ```
    /// use emergence_detect::{Curve, NoiseModel};
    /// let c = Curve::new(vec![1e7, 1e8, 1e9], vec![10.0, 20.0, 35.0])?;
    /// assert_eq!(c.noise(), NoiseModel::Unknown);
    /// assert_eq!(c.y_max(), 100.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn new(x: Vec<f64>, y: Vec<f64>) -> Result<Curve> {
        Curve::builder(x, y).build()
    }

    /// Starts a [`CurveBuilder`] for the options beyond `x` and `y`.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).chance(0.25).build()?;
    /// assert_eq!(c.len(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn builder(x: Vec<f64>, y: Vec<f64>) -> CurveBuilder {
        CurveBuilder::new(x, y)
    }

    /// A builder from ndarray views (copied).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// use ndarray::array;
    /// let x = array![1e8, 1e9, 1e10];
    /// let y = array![0.1, 0.2, 0.4];
    /// let c = Curve::from_arrays(x.view(), y.view()).build()?;
    /// assert_eq!(c.len(), 3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn from_arrays(x: ndarray::ArrayView1<f64>, y: ndarray::ArrayView1<f64>) -> CurveBuilder {
        Curve::builder(x.to_vec(), y.to_vec())
    }

    /// Number of points (at least 2).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.len(), 3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: a curve has at least two points. Present for API symmetry.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert!(!c.is_empty()); // a valid curve has at least two points
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The scales, strictly increasing.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.x(), &[1e8, 1e9, 1e10]); // sorted by scale
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// The fitting coordinate of each point (`log10 x` on the default axis).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.t(), &[8.0, 9.0, 10.0]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn t(&self) -> &[f64] {
        &self.t
    }

    /// The scores, in the order of [`Curve::x`].
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.y(), &[0.30, 0.40, 0.55]); // in the order of x
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// The per-point standard errors used as fitting weights (`1/sigma^2`). With
    /// [`NoiseModel::Unknown`] they are all 1 and the absolute scale is estimated from residuals.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert!(c.sigma().iter().all(|s| *s > 0.01 && *s < 0.02));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn sigma(&self) -> &[f64] {
        &self.sigma
    }

    /// The fitting weights `1 / sigma^2`.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert!((c.weights()[0] - 1.0 / (c.sigma()[0] * c.sigma()[0])).abs() < 1e-6);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// `sum ln sigma_i` over the points (a constant of the Gaussian log-likelihood).
    pub(crate) fn log_sigma_sum(&self) -> f64 {
        self.log_sigma_sum
    }

    /// The number of measurements behind the curve: its points, counting a point merged from
    /// duplicates ([`DuplicatePolicy::Merge`]) as the measurements it pools. Fits count their
    /// degrees of freedom from it.
    ///
    /// ```
    /// use emergence_detect::{Curve, DuplicatePolicy};
    /// let c = Curve::builder(vec![1e8, 1e8, 1e8, 1e9, 1e10], vec![0.2, 0.3, 0.4, 0.5, 0.6])
    ///     .duplicates(DuplicatePolicy::Merge)
    ///     .build()?;
    /// assert_eq!((c.len(), c.observations()), (3, 5));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn observations(&self) -> usize {
        self.pooled.as_ref().map_or(self.len(), |p| {
            p.replicates.iter().sum::<f64>().round() as usize
        })
    }

    /// The chi-square of merged measurements about their pooled scores (0 without merged
    /// points): what a fit to the merged curve adds to its own to be the fit to the measurements.
    pub(crate) fn within_chi2(&self) -> f64 {
        self.pooled.as_ref().map_or(0.0, |p| p.within.iter().sum())
    }

    /// The test-set sizes, when known.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.n_examples(), Some(&[1000.0, 1000.0, 1000.0][..]));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn n_examples(&self) -> Option<&[f64]> {
        self.n_examples.as_deref()
    }

    /// Where the standard errors come from.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.noise(), emergence_detect::NoiseModel::Binomial);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn noise(&self) -> NoiseModel {
        self.noise
    }

    /// The factor the stated variances were multiplied by ([`CurveBuilder::overdispersion`]; 1
    /// when none was given).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.overdispersion(), 1.0);
    /// assert_eq!(c.with_overdispersion(2.0)?.overdispersion(), 2.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn overdispersion(&self) -> f64 {
        self.overdispersion
    }

    /// The same curve with its stated variances multiplied by `c` instead of the present factor
    /// (see [`CurveBuilder::overdispersion`]), for a second pass once
    /// [`pooled_overdispersion`](crate::pooled_overdispersion) has estimated `c`.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let curve = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.3, 0.4, 0.6])
    ///     .n_examples(vec![400.0; 3])
    ///     .build()?;
    /// let wider = curve.with_overdispersion(2.25)?;
    /// assert!((wider.sigma()[1] / curve.sigma()[1] - 1.5).abs() < 1e-12);
    /// assert_eq!(wider.with_overdispersion(1.0)?.overdispersion(), 1.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidSetting`](crate::Error::InvalidSetting) for `c` outside `[1, 1e12]` or a curve without stated noise,
    /// [`Error::InvalidSigma`](crate::Error::InvalidSigma) when a standard error would exceed [`SIGMA_MAX`].
    pub fn with_overdispersion(&self, c: f64) -> Result<Curve> {
        check_overdispersion(c, self.noise.is_known())?;
        let mut out = self.clone();
        let ratio = c / self.overdispersion;
        scale_sigma(&mut out.sigma, ratio.sqrt())?;
        (out.weights, out.log_sigma_sum) = sigma_caches(&out.sigma);
        if let Some(p) = out.pooled.as_mut() {
            p.within.iter_mut().for_each(|w| *w /= ratio);
        }
        out.overdispersion = c;
        Ok(out)
    }

    /// The same curve with a test-set size for every point, when it had no noise information:
    /// binomial standard errors of `n` items each (the noise borrowed from comparable curves).
    ///
    /// ```
    /// use emergence_detect::{Curve, NoiseModel};
    /// let bare = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.3, 0.4, 0.6]).build()?;
    /// let sized = bare.with_test_size(500.0)?;
    /// assert_eq!(sized.noise(), NoiseModel::Binomial);
    /// assert_eq!(sized.n_examples(), Some(&[500.0, 500.0, 500.0][..]));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidSetting`](crate::Error::InvalidSetting) when the curve has noise
    /// information already; the builder's errors for an `n` outside `[1, 1e15]` or a score
    /// outside `[0, y_max]`.
    pub fn with_test_size(&self, n: f64) -> Result<Curve> {
        if self.noise.is_known() {
            return Err(crate::error::Error::InvalidSetting {
                what: "n_examples",
                value: n,
                reason: "the curve has noise information already",
            });
        }
        // a pooled point holds `replicates` measurements of `n` items each; its scatter, in
        // measurements, becomes chi-square in their binomial weights
        let replicates = self.pooled.as_ref().map(|p| &p.replicates);
        let pooled = self.pooled.as_ref().map(|p| Pooled {
            replicates: p.replicates.clone(),
            within: p
                .within
                .iter()
                .zip(&self.y)
                .map(|(w, y)| {
                    let s = binomial_sigma(*y, n, self.y_max);
                    w / (s * s)
                })
                .collect(),
        });
        let sizes = (0..self.len())
            .map(|i| n * replicates.map_or(1.0, |r| r[i]))
            .collect();
        let mut b = Curve::builder(self.x.clone(), self.y.clone())
            .n_examples(sizes)
            .pooled(pooled)
            .duplicates(DuplicatePolicy::Keep)
            .axis(self.axis)
            .higher_is_better(self.higher_is_better)
            .y_max(self.y_max)
            .labels(self.labels.clone());
        if let Some(c) = self.chance {
            b = b.chance(c);
        }
        b.build()
    }

    /// The chance (random-guess) score in the curve's units, when known.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.chance(), Some(0.25));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn chance(&self) -> Option<f64> {
        self.chance
    }

    /// The metric's maximum (1 for fractions, 100 for percentages).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.y_max(), 1.0); // fractions; 100 when a score exceeds 1
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn y_max(&self) -> f64 {
        self.y_max
    }

    /// Whether a higher score is better (accuracy) or worse (loss, perplexity).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert!(c.higher_is_better());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn higher_is_better(&self) -> bool {
        self.higher_is_better
    }

    /// Whether the curve is a score on a bounded scale: higher is better and every value lies
    /// in `[0, y_max]`, so that binomial noise of some number of test items can describe it.
    pub(crate) fn is_bounded_score(&self) -> bool {
        self.higher_is_better && self.y.iter().all(|v| (0.0..=self.y_max).contains(v))
    }

    /// The fitting axis.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.axis(), emergence_detect::Axis::Log10);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn axis(&self) -> Axis {
        self.axis
    }

    /// The descriptive labels.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.labels().task, None);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn labels(&self) -> &CurveLabels {
        &self.labels
    }

    /// The smallest test-set size `D`, when known: scores below about `1/D` cannot be resolved.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e9, 1e8, 1e10], vec![0.40, 0.30, 0.55])
    ///     .n_examples(vec![1000.0; 3])
    ///     .chance(0.25)
    ///     .build()?;
    /// assert_eq!(c.resolution(), Some(0.001)); // one question in 1,000
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn resolution(&self) -> Option<f64> {
        self.n_examples
            .as_ref()
            .map(|n| self.y_max / n.iter().copied().fold(f64::INFINITY, f64::min))
    }

    /// The curve restricted to the points at `keep` (indices into [`Curve::x`], ascending), with
    /// the same noise model, chance level, scale, axis, direction and labels: for hiding the
    /// largest sizes, or aligning two curves on the sizes they share.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.3, 0.4, 0.5])
    ///     .n_examples(vec![500.0; 3]).chance(0.25).build()?;
    /// let first_two = c.subset(&[0, 1])?;
    /// assert_eq!(first_two.x(), &[1e8, 1e9]);
    /// assert_eq!(first_two.chance(), Some(0.25));
    /// assert_eq!(first_two.n_examples(), Some(&[500.0, 500.0][..]));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn subset(&self, keep: &[usize]) -> Result<Curve> {
        let pick =
            |v: &[f64]| -> Vec<f64> { keep.iter().filter_map(|&i| v.get(i).copied()).collect() };
        // the points are validated already; replicates of a curve built with `Keep` stay
        let pooled = self.pooled.as_ref().map(|p| Pooled {
            replicates: pick(&p.replicates),
            within: pick(&p.within),
        });
        let mut b = Curve::builder(pick(self.x()), pick(self.y()))
            .pooled(pooled)
            .duplicates(DuplicatePolicy::Keep)
            .axis(self.axis())
            .higher_is_better(self.higher_is_better())
            .y_max(self.y_max())
            .labels(self.labels().clone());
        if let Some(c) = self.chance() {
            b = b.chance(c);
        }
        b = match (self.noise(), self.n_examples()) {
            (NoiseModel::Unknown, _) => b,
            (_, Some(n)) => b.n_examples(pick(n)),
            (_, None) => b.sigma(pick(self.sigma())),
        };
        b.build()
    }
}

/// The index pairs of two curves' shared sizes, and the sizes only one of them has.
pub(crate) type SideBySide = (Vec<(usize, usize)>, Vec<f64>);

/// Two curves set side by side: the index pairs of the sizes both have and the sizes only one
/// has, or [`Error::IncompatibleCurves`] (different axes) or [`Error::UnmatchedSizes`] (fewer
/// than two shared sizes).
pub(crate) fn side_by_side(a: &Curve, b: &Curve) -> Result<SideBySide> {
    if a.axis() != b.axis() {
        return Err(crate::error::Error::IncompatibleCurves {
            reason: "the two curves are on different scale axes",
        });
    }
    let (pairs, unmatched) = align_sizes(a.x(), b.x());
    if pairs.len() < 2 {
        return Err(crate::error::Error::UnmatchedSizes {
            baseline_only: sizes_only_in(a.x(), b.x()),
            treatment_only: sizes_only_in(b.x(), a.x()),
        });
    }
    Ok((pairs, unmatched))
}

/// The index pairs of the sizes both curves have (sorted, matched to a relative 1e-9), and the
/// sizes only one has, ascending.
fn align_sizes(a: &[f64], b: &[f64]) -> (Vec<(usize, usize)>, Vec<f64>) {
    let same = |u: f64, v: f64| (u - v).abs() <= 1e-9 * u.abs().max(v.abs());
    let pairs: Vec<(usize, usize)> = a
        .iter()
        .enumerate()
        .filter_map(|(i, &u)| b.iter().position(|&v| same(u, v)).map(|j| (i, j)))
        .collect();
    let mut unmatched: Vec<f64> = sizes_only_in(a, b);
    unmatched.extend(sizes_only_in(b, a));
    unmatched.sort_by(f64::total_cmp);
    (pairs, unmatched)
}

/// The sizes of `a` that `b` lacks.
fn sizes_only_in(a: &[f64], b: &[f64]) -> Vec<f64> {
    let same = |u: f64, v: f64| (u - v).abs() <= 1e-9 * u.abs().max(v.abs());
    a.iter()
        .copied()
        .filter(|&u| !b.iter().any(|&v| same(u, v)))
        .collect()
}
