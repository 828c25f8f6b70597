//! [`Fit`]: a fitted family with its parameters, uncertainties and statistics, and what can be
//! asked of it (predictions, bands, intervals).

use super::termination::Termination;
use crate::curve::Axis;
use crate::family::CurveFamily;
use crate::linalg::{MAX_PARAMS, Vector};
use std::sync::Arc;

/// A fitted family: parameters with uncertainties, fit statistics and how the optimiser ended.
///
/// `Display` prints a report in the spirit of lmfit's `fit_report`.
///
/// ```
/// use emergence_detect::{fit, Curve, FitOptions, Quadratic};
/// use std::sync::Arc;
///
/// let x: Vec<f64> = (0..7).map(|i| 10f64.powf(7.0 + i as f64)).collect();
/// let y = vec![0.62, 0.55, 0.50, 0.47, 0.49, 0.56, 0.63];
/// let f = fit(Arc::new(Quadratic), &Curve::builder(x, y).sigma(vec![0.01; 7]).build()?, &FitOptions::default())?;
/// let (b, c) = (f.value("b").unwrap(), f.value("c").unwrap());
/// let vertex = -b / (2.0 * c);
/// assert!(c > 0.0 && vertex > 9.0 && vertex < 11.0); // a U with its minimum near 1e10
/// assert!(f.std_error("c").unwrap() < c); // significant curvature
/// assert_eq!(f.dof(), 4);
/// assert!(f.aicc() > f.aic()); // the small-sample penalty
/// println!("{f}");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct Fit {
    pub(super) family: Arc<dyn CurveFamily>,
    pub(super) n_params: usize,
    pub(super) params: Vector,
    pub(super) fixed: [bool; MAX_PARAMS],
    pub(super) std_errors: [Option<f64>; MAX_PARAMS],
    pub(super) n_points: usize,
    pub(super) n_free: usize,
    pub(super) chi_square: f64,
    pub(super) log_likelihood: f64,
    pub(super) aic: f64,
    pub(super) aicc: f64,
    pub(super) bic: f64,
    pub(super) r_squared: Option<f64>,
    pub(super) evaluations: usize,
    pub(super) iterations: usize,
    pub(super) termination: Termination,
    pub(super) starts_tried: usize,
    pub(super) starts_at_best: usize,
    pub(super) absolute_sigma: bool,
    pub(super) axis: Axis,
    /// The (free-parameter, external) covariance, row-major `n_free x n_free`, for fast bands.
    pub(super) cov_free: Option<Box<[f64]>>,
}

impl Fit {
    /// The fitted family.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.family().n_params(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn family(&self) -> &Arc<dyn CurveFamily> {
        &self.family
    }

    /// The family's name.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.family_name(), "linear");
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn family_name(&self) -> &str {
        self.family.name()
    }

    /// Parameter names, in order.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.names(), &["a", "b"]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn names(&self) -> &[&str] {
        self.family.param_names()
    }

    /// Fitted parameter values (pinned ones at their pinned values).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.params().len(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn params(&self) -> &[f64] {
        &self.params[..self.n_params]
    }

    /// The value of parameter `name`.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!((f.value("b").unwrap() - 0.1).abs() < 0.01);
    /// assert_eq!(f.value("nope"), None);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn value(&self, name: &str) -> Option<f64> {
        self.names()
            .iter()
            .position(|n| *n == name)
            .map(|j| self.params[j])
    }

    /// The standard error of parameter `name`: `None` for an unknown name, a pinned parameter, or
    /// one that the data do not identify.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.std_error("b").unwrap() < 0.01);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn std_error(&self, name: &str) -> Option<f64> {
        self.names()
            .iter()
            .position(|n| *n == name)
            .and_then(|j| self.std_errors[j])
    }

    /// Standard errors of all parameters (see [`Fit::std_error`]).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.std_errors().iter().all(Option::is_some));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn std_errors(&self) -> &[Option<f64>] {
        &self.std_errors[..self.n_params]
    }

    /// Whether each parameter was pinned.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.fixed(), &[false, false]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn fixed(&self) -> &[bool] {
        &self.fixed[..self.n_params]
    }

    /// Number of points fitted.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.n_points(), 5);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn n_points(&self) -> usize {
        self.n_points
    }

    /// Number of free (fitted) parameters.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.n_free(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn n_free(&self) -> usize {
        self.n_free
    }

    /// Degrees of freedom, `n_points - n_free`.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.dof(), 3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn dof(&self) -> usize {
        self.n_points.saturating_sub(self.n_free)
    }

    /// `sum ((y - f) / sigma)^2`.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.chi_square() > 0.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn chi_square(&self) -> f64 {
        self.chi_square
    }

    /// Chi-square per degree of freedom; `None` with no degree of freedom.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.reduced_chi_square(), Some(f.chi_square() / 3.0));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn reduced_chi_square(&self) -> Option<f64> {
        (self.dof() > 0).then(|| self.chi_square / self.dof() as f64)
    }

    /// The Gaussian log-likelihood (with the noise scale profiled out when it is estimated).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!((f.aic() - (2.0 * 2.0 - 2.0 * f.log_likelihood())).abs() < 1e-9);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }

    /// Akaike's information criterion.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.aic() < f.aicc());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn aic(&self) -> f64 {
        self.aic
    }

    /// AIC with the small-sample correction; `+inf` when `n - k - 1 <= 0`.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// // k = 2 on n = 5: AIC + 2k(k+1)/(n-k-1) = AIC + 6
    /// assert!((f.aicc() - f.aic() - 6.0).abs() < 1e-9);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn aicc(&self) -> f64 {
        self.aicc
    }

    /// The Bayesian (Schwarz) information criterion.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!((f.bic() - (2.0 * 5f64.ln() - 2.0 * f.log_likelihood())).abs() < 1e-9);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn bic(&self) -> f64 {
        self.bic
    }

    /// The weighted coefficient of determination; `None` when `y` is constant.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.r_squared().unwrap() > 0.9);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn r_squared(&self) -> Option<f64> {
        self.r_squared
    }

    /// Objective evaluations over all starts.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.evaluations() >= 1);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// LM iterations of the winning start.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.iterations() <= f.evaluations());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// How the winning start ended.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.termination().converged());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn termination(&self) -> Termination {
        self.termination
    }

    /// Number of starts tried.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.starts_tried() >= 1);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn starts_tried(&self) -> usize {
        self.starts_tried
    }

    /// Number of starts that reached the best chi-square (within a relative 1e-6).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.starts_at_best() >= 1 && f.starts_at_best() <= f.starts_tried());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn starts_at_best(&self) -> usize {
        self.starts_at_best
    }

    /// Whether the standard errors were taken as absolute.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert!(f.absolute_sigma()); // the curve's noise was given
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn absolute_sigma(&self) -> bool {
        self.absolute_sigma
    }

    /// The axis of the curve this fit was made on.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.axis(), emergence_detect::Axis::Log10);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn axis(&self) -> Axis {
        self.axis
    }
}
