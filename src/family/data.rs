//! What a family is fitted to ([`FitData`]) and the bounds of its parameters ([`Bounds`]).

use crate::curve::Curve;
use std::borrow::Cow;

/// Box bounds on one parameter; either side may be infinite.
///
/// ```
/// use emergence_detect::Bounds;
/// let b = Bounds::new(0.0, 1.0);
/// assert!(b.contains(0.5) && !b.contains(1.5));
/// assert!(Bounds::FREE.contains(-1e300));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bounds {
    /// Lower bound (may be `-inf`).
    pub lower: f64,
    /// Upper bound (may be `+inf`).
    pub upper: f64,
}

impl Bounds {
    /// No bound at all.
    ///
    /// ```
    /// use emergence_detect::Bounds;
    /// assert!(Bounds::FREE.contains(1e300) && Bounds::FREE.contains(-1e300));
    /// ```
    pub const FREE: Bounds = Bounds {
        lower: f64::NEG_INFINITY,
        upper: f64::INFINITY,
    };

    /// `lower <= p <= upper`.
    ///
    /// ```
    /// use emergence_detect::Bounds;
    /// let b = Bounds::new(0.0, 1.0);
    /// assert!(b.contains(0.5) && !b.contains(1.5));
    /// ```
    pub fn new(lower: f64, upper: f64) -> Bounds {
        Bounds { lower, upper }
    }

    /// `p >= lower`.
    ///
    /// ```
    /// use emergence_detect::Bounds;
    /// assert!(Bounds::at_least(0.0).contains(1e10) && !Bounds::at_least(0.0).contains(-1.0));
    /// ```
    pub fn at_least(lower: f64) -> Bounds {
        Bounds {
            lower,
            upper: f64::INFINITY,
        }
    }

    /// Whether `v` lies inside (bounds included).
    ///
    /// ```
    /// use emergence_detect::Bounds;
    /// assert!(Bounds::new(-1.0, 1.0).contains(1.0));
    /// ```
    pub fn contains(&self, v: f64) -> bool {
        v >= self.lower && v <= self.upper
    }

    /// Whether the bounds are usable: not NaN, `lower < upper`, not both equal infinities.
    ///
    /// ```
    /// use emergence_detect::Bounds;
    /// assert!(Bounds::new(0.0, 1.0).is_valid());
    /// assert!(!Bounds::new(1.0, 0.0).is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        self.lower < self.upper && self.lower != f64::INFINITY && self.upper != f64::NEG_INFINITY
    }
}

/// The data a self-starter and default bounds look at: the points in fitting coordinates with
/// their standard errors, and what is known about the metric.
///
/// ```
/// use emergence_detect::{Curve, FitData};
/// let c = Curve::new(vec![1e8, 1e9, 1e10], vec![0.1, 0.2, 0.6]).unwrap();
/// let d = FitData::from_curve(&c);
/// assert_eq!(d.t_range(), (8.0, 10.0));
/// assert_eq!(d.y_range(), (0.1, 0.6));
/// ```
#[derive(Debug, Clone)]
pub struct FitData<'a> {
    /// Fitting coordinates, strictly increasing.
    pub t: &'a [f64],
    /// Scores.
    pub y: &'a [f64],
    /// Standard errors (all 1 when unknown).
    pub sigma: &'a [f64],
    /// Chance level, when known.
    pub chance: Option<f64>,
    /// The metric's maximum.
    pub y_max: f64,
    /// Weights `1/sigma^2`, computed once and shared by every fit of this data.
    weights: Cow<'a, [f64]>,
    /// `sum ln sigma_i`, for the log-likelihood.
    log_sigma_sum: f64,
    /// The measurements behind the points (more than the points when some are merged).
    observations: usize,
    /// The chi-square of merged measurements about their pooled scores.
    within_chi2: f64,
}

impl<'a> FitData<'a> {
    /// The view of a validated curve.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// assert_eq!(d.t, &[8.0, 9.0, 10.0]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn from_curve(curve: &'a Curve) -> FitData<'a> {
        FitData {
            t: curve.t(),
            y: curve.y(),
            sigma: curve.sigma(),
            chance: curve.chance(),
            y_max: curve.y_max(),
            weights: Cow::Borrowed(curve.weights()),
            log_sigma_sum: curve.log_sigma_sum(),
            observations: curve.observations(),
            within_chi2: curve.within_chi2(),
        }
    }

    /// A view of raw slices (equal lengths, positive finite `sigma`, at least one point; a
    /// [`Curve`] guarantees all of this).
    ///
    /// ```
    /// use emergence_detect::FitData;
    /// let (t, y, sigma) = ([8.0, 9.0, 10.0], [0.2, 0.3, 0.6], [0.1, 0.1, 0.1]);
    /// let d = FitData::new(&t, &y, &sigma, Some(0.25), 1.0);
    /// assert_eq!(d.chance, Some(0.25));
    /// ```
    pub fn new(
        t: &'a [f64],
        y: &'a [f64],
        sigma: &'a [f64],
        chance: Option<f64>,
        y_max: f64,
    ) -> FitData<'a> {
        let weights = Cow::Owned(sigma.iter().map(|s| 1.0 / (s * s)).collect());
        let log_sigma_sum = sigma.iter().map(|s| s.ln()).sum();
        FitData {
            t,
            y,
            sigma,
            chance,
            y_max,
            weights,
            log_sigma_sum,
            observations: t.len(),
            within_chi2: 0.0,
        }
    }

    /// `sum ln sigma_i`.
    pub(crate) fn log_sigma_sum(&self) -> f64 {
        self.log_sigma_sum
    }

    /// The measurements behind the points: the points, counting a merged point as the
    /// measurements it pools.
    pub(crate) fn observations(&self) -> usize {
        self.observations
    }

    /// The chi-square of merged measurements about their pooled scores, which a fit to the
    /// points adds to its own.
    pub(crate) fn within_chi2(&self) -> f64 {
        self.within_chi2
    }

    /// `(first t, last t)`.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// assert_eq!(d.t_range(), (8.0, 10.0));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn t_range(&self) -> (f64, f64) {
        (self.t[0], self.t[self.t.len() - 1])
    }

    /// `(min y, max y)`.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// assert_eq!(d.y_range(), (0.2, 0.6));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn y_range(&self) -> (f64, f64) {
        self.y
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
    }

    /// `last t - first t`, or 1 when that is not a positive finite number (scales so far apart
    /// that the difference overflows): a safe unit for data-scaled starts and bounds.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// assert_eq!(d.t_span(), 2.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn t_span(&self) -> f64 {
        let (lo, hi) = self.t_range();
        let span = hi - lo;
        if span.is_finite() && span > 0.0 {
            span
        } else {
            1.0
        }
    }

    /// The smallest positive gap between consecutive `t` (replicates at one `t` do not count;
    /// infinite when all points share one `t`).
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// assert_eq!(d.min_spacing(), 1.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn min_spacing(&self) -> f64 {
        self.t
            .windows(2)
            .map(|w| w[1] - w[0])
            .filter(|gap| *gap > 0.0)
            .fold(f64::INFINITY, f64::min)
    }

    /// Weighted mean of `y` (weights `1/sigma^2`).
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// // weights 100, 100, 25
    /// assert!((d.weighted_mean() - (20.0 + 30.0 + 15.0) / 225.0).abs() < 1e-12);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn weighted_mean(&self) -> f64 {
        let (mut sw, mut swy) = (0.0, 0.0);
        for (y, w) in self.y.iter().zip(self.weights.iter()) {
            sw += w;
            swy += w * y;
        }
        swy / sw
    }

    /// Weights `1/sigma_i^2`, one per point.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitData};
    /// let c = Curve::builder(vec![1e8, 1e9, 1e10], vec![0.2, 0.3, 0.6]).sigma(vec![0.1, 0.1, 0.2]).build()?;
    /// let d = FitData::from_curve(&c);
    /// assert!((d.weights()[2] - 25.0).abs() < 1e-9);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }
}
