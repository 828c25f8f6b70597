//! The builder of a [`Curve`]: every check of the input happens in [`CurveBuilder::build`].

use super::validate::{
    RawPoint, check_finite, check_len, check_overdispersion, resolve_duplicates, scale_sigma,
    sigma_caches,
};
use super::{
    Axis, Curve, CurveLabels, DuplicatePolicy, N_EXAMPLES_MAX, NoiseModel, Pooled, SIGMA_MAX,
    SIGMA_MIN, binomial_sigma,
};
use crate::error::{Error, Result};

/// Builder for a [`Curve`]; see [`Curve::builder`]. Nothing is checked until [`CurveBuilder::build`].
///
/// ```
/// use emergence_detect::{Curve, DuplicatePolicy};
/// let c = Curve::builder(vec![1e8, 1e9, 1e9, 1e10], vec![0.30, 0.40, 0.42, 0.55])
///     .n_examples(vec![500.0; 4])
///     .chance(0.25)
///     .duplicates(DuplicatePolicy::Merge)
///     .build()?;
/// assert_eq!(c.len(), 3); // the two 1e9 points are pooled
/// # Ok::<(), emergence_detect::Error>(())
/// ```
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
    /// Measurements pooled into each point and their chi-square about it (from a merged curve).
    pooled: Option<Pooled>,
}

impl CurveBuilder {
    /// A builder with the defaults: no noise information, log10 axis, higher is better.
    pub(super) fn new(x: Vec<f64>, y: Vec<f64>) -> CurveBuilder {
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
            pooled: None,
        }
    }

    /// Per-point standard errors (they take precedence over test-set sizes for the weights).
    ///
    /// ```
    /// use emergence_detect::{Curve, NoiseModel};
    /// let c = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).sigma(vec![0.02, 0.03]).build()?;
    /// assert_eq!(c.noise(), NoiseModel::Given);
    /// assert_eq!(c.sigma(), &[0.02, 0.03]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn sigma(mut self, sigma: Vec<f64>) -> Self {
        self.sigma = Some(sigma);
        self
    }

    /// Per-point test-set sizes: binomial standard errors unless `sigma` is given too.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e8, 1e9], vec![0.5, 0.5]).n_examples(vec![100.0, 100.0]).build()?;
    /// assert!((c.sigma()[0] - 0.05).abs() < 0.001); // sqrt(0.5 * 0.5 / 100)
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn n_examples(mut self, n: Vec<f64>) -> Self {
        self.n_examples = Some(n);
        self
    }

    /// The chance level in the curve's units (0.25 for 4-way multiple choice as a fraction).
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// let c = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).chance(0.25).build()?;
    /// assert_eq!(c.chance(), Some(0.25));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn chance(mut self, chance: f64) -> Self {
        self.chance = Some(chance);
        self
    }

    /// The metric's maximum (1 for fractions, 100 for percentages; within `[1e-50, 1e50]`).
    /// Inferred when not set.
    ///
    /// ```
    /// use emergence_detect::Curve;
    /// // BLEU on a 0-100 scale whose values happen to stay below 1
    /// let c = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.9]).y_max(100.0).build()?;
    /// assert_eq!(c.y_max(), 100.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn y_max(mut self, y_max: f64) -> Self {
        self.y_max = Some(y_max);
        self
    }

    /// Whether higher scores are better (default `true`).
    ///
    /// ```
    /// use emergence_detect::{classify, Category, Curve};
    /// // a loss that falls steadily: scaling, since lower is better
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![3.2, 2.9, 2.6, 2.3, 2.0])
    ///     .sigma(vec![0.02; 5])
    ///     .higher_is_better(false)
    ///     .build()?;
    /// assert_eq!(classify(&c)?.category, Category::Scaling);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn higher_is_better(mut self, yes: bool) -> Self {
        self.higher_is_better = yes;
        self
    }

    /// The fitting axis (default [`Axis::Log10`]).
    ///
    /// ```
    /// use emergence_detect::{Axis, Curve};
    /// let c = Curve::builder(vec![0.0, 1.0, 2.0], vec![0.3, 0.4, 0.5]).axis(Axis::Linear).build()?;
    /// assert_eq!(c.t(), &[0.0, 1.0, 2.0]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn axis(mut self, axis: Axis) -> Self {
        self.axis = axis;
        self
    }

    /// What to do with duplicate `x` (default [`DuplicatePolicy::Reject`]).
    ///
    /// ```
    /// use emergence_detect::{Curve, DuplicatePolicy, Error};
    /// let rejected = Curve::builder(vec![1e8, 1e8], vec![0.3, 0.4]).build();
    /// assert!(matches!(rejected, Err(Error::DuplicateScale { .. })));
    /// let merged = Curve::builder(vec![1e8, 1e8, 1e9], vec![0.3, 0.4, 0.5])
    ///     .duplicates(DuplicatePolicy::Merge)
    ///     .build()?;
    /// assert_eq!(merged.len(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn duplicates(mut self, policy: DuplicatePolicy) -> Self {
        self.duplicates = policy;
        self
    }

    /// Descriptive labels.
    ///
    /// ```
    /// use emergence_detect::{Curve, CurveLabels};
    /// let mut labels = CurveLabels::default();
    /// labels.metric = Some("exact match".into());
    /// let c = Curve::builder(vec![1e8, 1e9], vec![0.0, 0.1]).labels(labels).build()?;
    /// assert_eq!(c.labels().metric.as_deref(), Some("exact match"));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
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
    ///
    /// ```
    /// use emergence_detect::{Curve, Error};
    /// let err = Curve::builder(vec![1e8, 1e9], vec![0.3, f64::NAN]).build().unwrap_err();
    /// assert!(matches!(err, Error::NonFinite { what: "y", index: 1, .. }));
    /// ```
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
        if self.higher_is_better {
            self.check_scale(y_max)?;
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
                replicates: self.pooled.as_ref().map_or(1.0, |p| p.replicates[i]),
                within: self.pooled.as_ref().map_or(0.0, |p| p.within[i]),
                item_scatter: 0.0,
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
            // unknown noise: a pooled point weighs as the measurements it pools
            (
                NoiseModel::Unknown,
                points.iter().map(|p| 1.0 / p.replicates.sqrt()).collect(),
            )
        };
        let mut within: Vec<f64> = points
            .iter()
            .zip(&sigma)
            .map(|(p, s)| {
                let per_item = match p.n {
                    Some(n) if p.item_scatter > 0.0 => s * s * n,
                    _ => 1.0,
                };
                p.within + p.item_scatter / per_item
            })
            .collect();
        if c != 1.0 {
            scale_sigma(&mut sigma, c.sqrt())?;
            within.iter_mut().for_each(|w| *w /= c);
        }
        let pooled = points.iter().any(|p| p.replicates != 1.0).then(|| {
            Box::new(Pooled {
                replicates: points.iter().map(|p| p.replicates).collect(),
                within,
            })
        });
        let (weights, mut log_sigma_sum) = sigma_caches(&sigma);
        if noise == NoiseModel::Unknown {
            // the standard errors are relative weights: every measurement has the one unknown
            // noise level, and the likelihood's constant is that of the measurements
            log_sigma_sum = 0.0;
        }
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
            pooled,
        })
    }
}

impl CurveBuilder {
    /// The measurements each point pools and their chi-square about it, carried over from a
    /// merged curve (see [`Curve::subset`]).
    pub(super) fn pooled(mut self, pooled: Option<Pooled>) -> Self {
        self.pooled = pooled;
        self
    }

    /// Scores and chance level against the scale (`y_max`, given or inferred): a scale inferred
    /// from a single score above 1, a chance level outside `[0, y_max]`, or a chance level below
    /// 1 on scores read as percentages is a [`Error::ScaleMismatch`] naming the fix, never a
    /// silent reading.
    fn check_scale(&self, y_max: f64) -> Result<()> {
        let inferred = self.y_max.is_none();
        let above_one: Vec<f64> = self.y.iter().copied().filter(|v| *v > 1.0).collect();
        if inferred && above_one.len() == 1 && self.y.len() > 2 {
            return Err(Error::ScaleMismatch {
                what: "y",
                value: above_one[0],
                y_max: 1.0,
                fix: "every other score is at most 1, and a fraction cannot exceed 1; set y_max(100.0) if the scores are percentages, or correct the value",
            });
        }
        if let Some(c) = self.chance {
            if !(0.0..=y_max).contains(&c) {
                return Err(Error::ScaleMismatch {
                    what: "chance",
                    value: c,
                    y_max,
                    fix: "give the chance level in the curve's own units (a fraction for fractions, percent for percentages)",
                });
            }
            if inferred && y_max > 1.0 && c > 0.0 && c < 1.0 {
                return Err(Error::ScaleMismatch {
                    what: "chance",
                    value: c,
                    y_max,
                    fix: "the scores are percentages but the chance level looks like a fraction: give it in percent (25 for 0.25), or set y_max(100.0) if a chance below 1% is meant",
                });
            }
        }
        Ok(())
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
