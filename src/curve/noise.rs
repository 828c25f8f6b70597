//! The noise model of a curve: stated standard errors, binomial errors from test-set sizes, or
//! unknown; and the limits on both.

/// Where the per-point noise comes from.
///
/// ```
/// use emergence_detect::{Curve, NoiseModel};
/// let c = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).n_examples(vec![1000.0; 2]).build()?;
/// assert_eq!(c.noise(), NoiseModel::Binomial);
/// assert!(c.noise().is_known());
/// assert_eq!(Curve::new(vec![1e8, 1e9], vec![0.3, 0.4])?.noise(), NoiseModel::Unknown);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum NoiseModel {
    /// Standard errors given by the caller.
    Given,
    /// Binomial standard errors from the number of test examples, with the smoothed proportion
    /// `p = (k + 1) / (n + 2)` so that `0/n` and `n/n` keep a positive variance.
    Binomial,
    /// Nothing is known; the scatter is estimated from the residuals of each fit.
    Unknown,
}

impl NoiseModel {
    /// Whether the standard errors are absolute (known) rather than estimated from residuals.
    ///
    /// ```
    /// use emergence_detect::NoiseModel;
    /// assert!(NoiseModel::Binomial.is_known());
    /// assert!(!NoiseModel::Unknown.is_known());
    /// ```
    pub fn is_known(self) -> bool {
        !matches!(self, NoiseModel::Unknown)
    }
}

/// The smallest standard error accepted: below it, `1 / sigma^2` would overflow a fit's sums.
///
/// ```
/// use emergence_detect::curve::{SIGMA_MIN, SIGMA_MAX};
/// use emergence_detect::{Curve, Error};
/// let err = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).sigma(vec![SIGMA_MIN / 10.0, 0.01]).build();
/// assert!(matches!(err, Err(Error::InvalidSigma { index: 0, .. })));
/// assert!(SIGMA_MAX > 1.0);
/// ```
pub const SIGMA_MIN: f64 = 1e-100;

/// The largest standard error accepted.
///
/// ```
/// use emergence_detect::curve::SIGMA_MAX;
/// use emergence_detect::Curve;
/// assert!(Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).sigma(vec![SIGMA_MAX * 10.0, 0.1]).build().is_err());
/// ```
pub const SIGMA_MAX: f64 = 1e100;

/// The largest test-set size accepted (no benchmark has a quadrillion examples).
///
/// ```
/// use emergence_detect::curve::N_EXAMPLES_MAX;
/// use emergence_detect::{Curve, Error};
/// let err = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).n_examples(vec![N_EXAMPLES_MAX * 10.0, 100.0]).build();
/// assert!(matches!(err, Err(Error::InvalidSampleSize { index: 0, .. })));
/// ```
pub const N_EXAMPLES_MAX: f64 = 1e15;

/// The binomial standard error of a score `y` on a metric with maximum `y_max`, measured on `n`
/// examples, with the smoothed proportion `p = (y/y_max * n + 1) / (n + 2)`.
///
/// ```
/// use emergence_detect::binomial_sigma;
/// // 0 correct out of 100 still has a positive standard error
/// assert!(binomial_sigma(0.0, 100.0, 1.0) > 0.0);
/// // percentages scale with the metric
/// let f = binomial_sigma(0.3, 500.0, 1.0);
/// assert!((binomial_sigma(30.0, 500.0, 100.0) - 100.0 * f).abs() < 1e-12);
/// ```
pub fn binomial_sigma(y: f64, n: f64, y_max: f64) -> f64 {
    let p = ((y / y_max) * n + 1.0) / (n + 2.0);
    let p = p.clamp(0.0, 1.0);
    y_max * (p * (1.0 - p) / n).sqrt()
}
