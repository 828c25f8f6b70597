//! Validated scaling curves: the points, their noise model and what they measure.
//!
//! A [`Curve`] is checked once, when it is built; everything downstream (fitting, classification,
//! plotting) relies on its invariants: finite values, strictly increasing `x`, positive `x` on a
//! logarithmic axis, one noise figure per point, and at least two points.

use crate::error::{Error, Result};

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
    pub fn to_t(self, x: f64) -> f64 {
        match self {
            Axis::Log10 => x.log10(),
            Axis::Linear => x,
        }
    }

    /// Maps a fitting coordinate `t` back to the scale `x`.
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
    /// Duplicate `x` is an error ([`Error::DuplicateScale`]).
    #[default]
    Reject,
    /// Points at the same `x` are pooled: test-set sizes add up and scores are averaged (weighted by
    /// test-set size, or by inverse variance when standard errors are given).
    Merge,
}

/// Where the per-point noise comes from.
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
    pub fn is_known(self) -> bool {
        !matches!(self, NoiseModel::Unknown)
    }
}

/// Descriptive labels carried along for reports; they never influence a result.
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
}

/// The smallest standard error accepted: below it, `1 / sigma^2` would overflow a fit's sums.
pub const SIGMA_MIN: f64 = 1e-100;
/// The largest standard error accepted.
pub const SIGMA_MAX: f64 = 1e100;
/// The largest test-set size accepted (no benchmark has a quadrillion examples).
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
    x: Vec<f64>,
    t: Vec<f64>,
    y: Vec<f64>,
    sigma: Vec<f64>,
    /// `1 / sigma^2`, cached for the fits.
    #[cfg_attr(feature = "serde", serde(skip))]
    weights: Vec<f64>,
    /// `sum ln sigma`, cached for the log-likelihoods.
    #[cfg_attr(feature = "serde", serde(skip))]
    log_sigma_sum: f64,
    n_examples: Option<Vec<f64>>,
    noise: NoiseModel,
    overdispersion: f64,
    chance: Option<f64>,
    y_max: f64,
    higher_is_better: bool,
    axis: Axis,
    labels: CurveLabels,
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
    pub fn builder(x: Vec<f64>, y: Vec<f64>) -> CurveBuilder {
        CurveBuilder {
            x,
            y,
            sigma: None,
            n_examples: None,
            chance: None,
            y_max: None,
            higher_is_better: true,
            axis: Axis::Log10,
            duplicates: DuplicatePolicy::Reject,
            labels: CurveLabels::default(),
            min_points: 2,
            overdispersion: 1.0,
        }
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
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: a curve has at least two points. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The scales, strictly increasing.
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// The fitting coordinate of each point (`log10 x` on the default axis).
    pub fn t(&self) -> &[f64] {
        &self.t
    }

    /// The scores, in the order of [`Curve::x`].
    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// The per-point standard errors used as fitting weights (`1/sigma^2`). With
    /// [`NoiseModel::Unknown`] they are all 1 and the absolute scale is estimated from residuals.
    pub fn sigma(&self) -> &[f64] {
        &self.sigma
    }

    /// The fitting weights `1 / sigma^2`.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// `sum ln sigma_i` over the points (a constant of the Gaussian log-likelihood).
    pub(crate) fn log_sigma_sum(&self) -> f64 {
        self.log_sigma_sum
    }

    /// The test-set sizes, when known.
    pub fn n_examples(&self) -> Option<&[f64]> {
        self.n_examples.as_deref()
    }

    /// Where the standard errors come from.
    pub fn noise(&self) -> NoiseModel {
        self.noise
    }

    /// The factor the stated variances were multiplied by ([`CurveBuilder::overdispersion`]; 1
    /// when none was given).
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
    /// [`Error::InvalidSetting`] for `c` outside `[1, 1e12]` or a curve without stated noise,
    /// [`Error::InvalidSigma`] when a standard error would exceed [`SIGMA_MAX`].
    pub fn with_overdispersion(&self, c: f64) -> Result<Curve> {
        check_overdispersion(c, self.noise.is_known())?;
        let mut out = self.clone();
        scale_sigma(&mut out.sigma, (c / self.overdispersion).sqrt())?;
        (out.weights, out.log_sigma_sum) = sigma_caches(&out.sigma);
        out.overdispersion = c;
        Ok(out)
    }

    /// The chance (random-guess) score in the curve's units, when known.
    pub fn chance(&self) -> Option<f64> {
        self.chance
    }

    /// The metric's maximum (1 for fractions, 100 for percentages).
    pub fn y_max(&self) -> f64 {
        self.y_max
    }

    /// Whether a higher score is better (accuracy) or worse (loss, perplexity).
    pub fn higher_is_better(&self) -> bool {
        self.higher_is_better
    }

    /// The fitting axis.
    pub fn axis(&self) -> Axis {
        self.axis
    }

    /// The descriptive labels.
    pub fn labels(&self) -> &CurveLabels {
        &self.labels
    }

    /// The smallest test-set size `D`, when known: scores below about `1/D` cannot be resolved.
    pub fn resolution(&self) -> Option<f64> {
        self.n_examples
            .as_ref()
            .map(|n| self.y_max / n.iter().copied().fold(f64::INFINITY, f64::min))
    }
}

/// Builder for a [`Curve`]; see [`Curve::builder`]. Nothing is checked until [`CurveBuilder::build`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CurveBuilder {
    x: Vec<f64>,
    y: Vec<f64>,
    sigma: Option<Vec<f64>>,
    n_examples: Option<Vec<f64>>,
    chance: Option<f64>,
    y_max: Option<f64>,
    higher_is_better: bool,
    axis: Axis,
    duplicates: DuplicatePolicy,
    labels: CurveLabels,
    min_points: usize,
    overdispersion: f64,
}

/// One point during validation, remembering where it came from.
#[derive(Clone, Copy)]
struct RawPoint {
    index: usize,
    x: f64,
    y: f64,
    sigma: Option<f64>,
    n: Option<f64>,
}

impl CurveBuilder {
    /// Per-point standard errors (they take precedence over test-set sizes for the weights).
    pub fn sigma(mut self, sigma: Vec<f64>) -> Self {
        self.sigma = Some(sigma);
        self
    }

    /// Per-point test-set sizes: binomial standard errors unless `sigma` is given too.
    pub fn n_examples(mut self, n: Vec<f64>) -> Self {
        self.n_examples = Some(n);
        self
    }

    /// The chance level in the curve's units (0.25 for 4-way multiple choice as a fraction).
    pub fn chance(mut self, chance: f64) -> Self {
        self.chance = Some(chance);
        self
    }

    /// The metric's maximum (1 for fractions, 100 for percentages; within `[1e-50, 1e50]`).
    /// Inferred when not set.
    pub fn y_max(mut self, y_max: f64) -> Self {
        self.y_max = Some(y_max);
        self
    }

    /// Whether higher scores are better (default `true`).
    pub fn higher_is_better(mut self, yes: bool) -> Self {
        self.higher_is_better = yes;
        self
    }

    /// The fitting axis (default [`Axis::Log10`]).
    pub fn axis(mut self, axis: Axis) -> Self {
        self.axis = axis;
        self
    }

    /// What to do with duplicate `x` (default [`DuplicatePolicy::Reject`]).
    pub fn duplicates(mut self, policy: DuplicatePolicy) -> Self {
        self.duplicates = policy;
        self
    }

    /// Descriptive labels.
    pub fn labels(mut self, labels: CurveLabels) -> Self {
        self.labels = labels;
        self
    }

    /// Multiplies the variance of every point by `c` (its standard error by `sqrt(c)`), for noise
    /// beyond the stated one: the scatter between separately trained models of a ladder, which
    /// binomial errors of the test set do not contain. `c` must lie in `[1, 1e12]` (default 1), and
    /// the noise must be stated (`sigma` or `n_examples`). Estimate it for a family of curves
    /// from one source with [`pooled_overdispersion`](crate::pooled_overdispersion).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let x = vec![1e8, 1e9, 1e10];
    /// let y = vec![0.30, 0.40, 0.55];
    /// let plain = Curve::builder(x.clone(), y.clone()).n_examples(vec![500.0; 3]).build()?;
    /// let wider = Curve::builder(x, y).n_examples(vec![500.0; 3]).overdispersion(4.0).build()?;
    /// assert_eq!(wider.sigma()[0], 2.0 * plain.sigma()[0]);
    /// assert_eq!(wider.overdispersion(), 4.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn overdispersion(mut self, c: f64) -> Self {
        self.overdispersion = c;
        self
    }

    /// Validates everything and builds the curve.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::NonFinite`], [`Error::NonPositiveScale`],
    /// [`Error::InvalidSigma`], [`Error::InvalidSampleSize`], [`Error::OutOfRange`],
    /// [`Error::InvalidSetting`], [`Error::DuplicateScale`] or [`Error::TooFewPoints`].
    pub fn build(self) -> Result<Curve> {
        let n = self.x.len();
        check_len("y", n, self.y.len())?;
        if let Some(s) = &self.sigma {
            check_len("sigma", n, s.len())?;
        }
        if let Some(m) = &self.n_examples {
            check_len("n_examples", n, m.len())?;
        }
        check_finite("x", &self.x)?;
        check_finite("y", &self.y)?;
        if self.axis == Axis::Log10
            && let Some((index, &value)) = self.x.iter().enumerate().find(|(_, v)| **v <= 0.0)
        {
            return Err(Error::NonPositiveScale { index, value });
        }
        if let Some(s) = &self.sigma
            && let Some((index, &value)) = s
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_finite() && (SIGMA_MIN..=SIGMA_MAX).contains(*v)))
        {
            return Err(Error::InvalidSigma { index, value });
        }
        if let Some(m) = &self.n_examples
            && let Some((index, &value)) = m
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_finite() && (1.0..=N_EXAMPLES_MAX).contains(*v)))
        {
            return Err(Error::InvalidSampleSize { index, value });
        }
        let y_max = match self.y_max {
            Some(m) if m.is_finite() && (1e-50..=1e50).contains(&m) => m,
            Some(m) => {
                return Err(Error::InvalidSetting {
                    what: "y_max",
                    value: m,
                    reason: "must be finite and within [1e-50, 1e50]",
                });
            }
            None if self.y.iter().any(|v| *v > 1.0) => 100.0,
            None => 1.0,
        };
        if let Some(c) = self.chance
            && !c.is_finite()
        {
            return Err(Error::InvalidSetting {
                what: "chance",
                value: c,
                reason: "must be finite",
            });
        }
        if self.n_examples.is_some()
            && self.sigma.is_none()
            && let Some((index, &value)) = self
                .y
                .iter()
                .enumerate()
                .find(|(_, v)| **v < 0.0 || **v > y_max)
        {
            return Err(Error::OutOfRange {
                index,
                value,
                y_max,
            });
        }
        let c = self.overdispersion;
        check_overdispersion(c, self.sigma.is_some() || self.n_examples.is_some())?;
        if n < self.min_points {
            return Err(Error::TooFewPoints {
                found: n,
                needed: self.min_points,
            });
        }

        let mut points: Vec<RawPoint> = (0..n)
            .map(|i| RawPoint {
                index: i,
                x: self.x[i],
                y: self.y[i],
                sigma: self.sigma.as_ref().map(|s| s[i]),
                n: self.n_examples.as_ref().map(|m| m[i]),
            })
            .collect();
        // total order on finite values; ties broken by input index so sorting is deterministic
        points.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.index.cmp(&b.index)));
        let points = resolve_duplicates(points, self.duplicates, self.axis)?;
        if points.len() < self.min_points {
            return Err(Error::TooFewPoints {
                found: points.len(),
                needed: self.min_points,
            });
        }

        let x: Vec<f64> = points.iter().map(|p| p.x).collect();
        let t: Vec<f64> = x.iter().map(|&v| self.axis.to_t(v)).collect();
        let y: Vec<f64> = points.iter().map(|p| p.y).collect();
        let n_examples: Option<Vec<f64>> = self
            .n_examples
            .as_ref()
            .map(|_| points.iter().map(|p| p.n.unwrap_or(1.0)).collect());
        let (noise, mut sigma): (NoiseModel, Vec<f64>) = if self.sigma.is_some() {
            (
                NoiseModel::Given,
                points.iter().map(|p| p.sigma.unwrap_or(1.0)).collect(),
            )
        } else if let Some(m) = &n_examples {
            (
                NoiseModel::Binomial,
                y.iter()
                    .zip(m)
                    .map(|(&yi, &ni)| binomial_sigma(yi, ni, y_max))
                    .collect(),
            )
        } else {
            (NoiseModel::Unknown, vec![1.0; y.len()])
        };
        if c != 1.0 {
            scale_sigma(&mut sigma, c.sqrt())?;
        }
        let (weights, log_sigma_sum) = sigma_caches(&sigma);
        Ok(Curve {
            x,
            t,
            y,
            sigma,
            weights,
            log_sigma_sum,
            n_examples,
            noise,
            overdispersion: c,
            chance: self.chance,
            y_max,
            higher_is_better: self.higher_is_better,
            axis: self.axis,
            labels: self.labels,
        })
    }
}

/// Multiplies every standard error by `scale`, rejecting one pushed past [`SIGMA_MAX`].
fn scale_sigma(sigma: &mut [f64], scale: f64) -> Result<()> {
    for (index, s) in sigma.iter_mut().enumerate() {
        *s *= scale;
        if *s > SIGMA_MAX {
            return Err(Error::InvalidSigma { index, value: *s });
        }
    }
    Ok(())
}

/// The weights `1 / sigma^2` and `sum ln sigma` a curve caches with its standard errors.
fn sigma_caches(sigma: &[f64]) -> (Vec<f64>, f64) {
    (
        sigma.iter().map(|s| 1.0 / (s * s)).collect(),
        sigma.iter().map(|s| s.ln()).sum(),
    )
}

/// A variance factor within `[1, 1e12]`, and stated noise for any factor other than 1.
fn check_overdispersion(c: f64, noise_stated: bool) -> Result<()> {
    if !(c.is_finite() && (1.0..=1e12).contains(&c)) {
        return Err(Error::InvalidSetting {
            what: "overdispersion",
            value: c,
            reason: "must be finite and within [1, 1e12]",
        });
    }
    if c != 1.0 && !noise_stated {
        return Err(Error::InvalidSetting {
            what: "overdispersion",
            value: c,
            reason: "inflates stated noise: give sigma or n_examples",
        });
    }
    Ok(())
}

fn check_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            what,
            expected,
            found,
        })
    }
}

fn check_finite(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((index, &value)) => Err(Error::NonFinite { what, index, value }),
        None => Ok(()),
    }
}

/// Rejects or pools points with the same `x` (on the fitting axis: two scales that map to the same
/// `t` are duplicates too). `points` must be sorted by `x`.
fn resolve_duplicates(
    points: Vec<RawPoint>,
    policy: DuplicatePolicy,
    axis: Axis,
) -> Result<Vec<RawPoint>> {
    let mut out: Vec<RawPoint> = Vec::with_capacity(points.len());
    let mut group: Vec<RawPoint> = Vec::new();
    for p in points {
        if let Some(last) = group.last() {
            if axis.to_t(last.x) != axis.to_t(p.x) {
                out.push(pool(&group));
                group.clear();
            } else if policy == DuplicatePolicy::Reject {
                return Err(Error::DuplicateScale {
                    first: last.index,
                    second: p.index,
                    value: p.x,
                });
            }
        }
        group.push(p);
    }
    if !group.is_empty() {
        out.push(pool(&group));
    }
    Ok(out)
}

/// Pools points at one scale into one.
fn pool(group: &[RawPoint]) -> RawPoint {
    let first = group[0];
    if group.len() == 1 {
        return first;
    }
    let (y, sigma, n) = if group.iter().all(|p| p.sigma.is_some()) {
        // inverse-variance mean
        let w: f64 = group
            .iter()
            .map(|p| p.sigma.map_or(0.0, |s| 1.0 / (s * s)))
            .sum();
        let y = group
            .iter()
            .map(|p| p.y * p.sigma.map_or(0.0, |s| 1.0 / (s * s)))
            .sum::<f64>()
            / w;
        let n = group.iter().map(|p| p.n).sum::<Option<f64>>();
        (y, Some(1.0 / w.sqrt()), n)
    } else if group.iter().all(|p| p.n.is_some()) {
        let total: f64 = group.iter().map(|p| p.n.unwrap_or(0.0)).sum();
        let y = group.iter().map(|p| p.y * p.n.unwrap_or(0.0)).sum::<f64>() / total;
        (y, None, Some(total))
    } else {
        let y = group.iter().map(|p| p.y).sum::<f64>() / group.len() as f64;
        (y, None, None)
    };
    RawPoint {
        index: first.index,
        x: first.x,
        y,
        sigma,
        n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_transformed() {
        let c = Curve::new(vec![1e10, 1e8, 1e9], vec![0.5, 0.1, 0.2]).unwrap();
        assert_eq!(c.x(), &[1e8, 1e9, 1e10]);
        assert_eq!(c.y(), &[0.1, 0.2, 0.5]);
        assert_eq!(c.t(), &[8.0, 9.0, 10.0]);
    }

    #[test]
    fn merge_pools_by_sample_size() {
        let c = Curve::builder(vec![1.0, 1.0, 2.0], vec![0.0, 0.3, 0.5])
            .n_examples(vec![100.0, 200.0, 50.0])
            .duplicates(DuplicatePolicy::Merge)
            .build()
            .unwrap();
        assert_eq!(c.len(), 2);
        assert!((c.y()[0] - 0.2).abs() < 1e-12);
        assert_eq!(c.n_examples().unwrap(), &[300.0, 50.0]);
    }

    #[test]
    fn merge_pools_by_inverse_variance() {
        let c = Curve::builder(vec![5.0, 5.0, 6.0], vec![1.0, 2.0, 3.0])
            .sigma(vec![1.0, 1.0, 1.0])
            .duplicates(DuplicatePolicy::Merge)
            .build()
            .unwrap();
        assert!((c.y()[0] - 1.5).abs() < 1e-12);
        assert!((c.sigma()[0] - 1.0 / 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn merging_to_one_point_is_too_few() {
        let err = Curve::builder(vec![3.0, 3.0], vec![0.1, 0.2])
            .duplicates(DuplicatePolicy::Merge)
            .build()
            .unwrap_err();
        assert_eq!(
            err,
            Error::TooFewPoints {
                found: 1,
                needed: 2
            }
        );
    }

    #[test]
    fn binomial_sigma_floor() {
        let s0 = binomial_sigma(0.0, 1000.0, 1.0);
        let p: f64 = 1.0 / 1002.0;
        assert!((s0 - (p * (1.0 - p) / 1000.0).sqrt()).abs() < 1e-15);
        assert!(binomial_sigma(1.0, 10.0, 1.0) > 0.0);
    }
}
