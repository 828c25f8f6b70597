//! [`Fit`]: a fitted family with its parameters, uncertainties and statistics, and what can be
//! asked of it (predictions, bands, intervals).

use super::lm::Termination;
use crate::curve::Axis;
use crate::family::CurveFamily;
use crate::linalg::{MAX_PARAMS, Matrix, Vector};
use ndarray::Array2;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
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
    /// The (free-parameter, external) covariance on stack arrays, for fast bands.
    pub(super) cov_free: Option<Box<Matrix>>,
}

/// The parameters by name with their standard errors (pinned ones marked), the fit statistics and
/// how it ended; no internal padding.
impl std::fmt::Debug for Fit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Parameters<'a>(&'a Fit);
        impl std::fmt::Debug for Parameters<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let fit = self.0;
                let mut map = f.debug_map();
                for (j, name) in fit.names().iter().enumerate() {
                    let value = fit.params()[j];
                    match (fit.fixed()[j], fit.std_errors()[j]) {
                        (true, _) => map.entry(name, &format_args!("{value} (pinned)")),
                        (false, Some(se)) => map.entry(name, &format_args!("{value} +/- {se}")),
                        (false, None) => map.entry(name, &value),
                    };
                }
                map.finish()
            }
        }
        f.debug_struct("Fit")
            .field("family", &self.family.name())
            .field("parameters", &Parameters(self))
            .field("n_points", &self.n_points)
            .field("n_free", &self.n_free)
            .field("chi_square", &self.chi_square)
            .field("aic", &self.aic)
            .field("aicc", &self.aicc)
            .field("bic", &self.bic)
            .field("r_squared", &self.r_squared)
            .field("termination", &self.termination)
            .field("evaluations", &self.evaluations)
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Fit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Fit", 16)?;
        st.serialize_field("family", self.family.name())?;
        st.serialize_field("names", self.names())?;
        st.serialize_field("params", self.params())?;
        st.serialize_field("fixed", self.fixed())?;
        st.serialize_field("std_errors", self.std_errors())?;
        st.serialize_field("n_points", &self.n_points)?;
        st.serialize_field("n_free", &self.n_free)?;
        st.serialize_field("chi_square", &self.chi_square)?;
        st.serialize_field("log_likelihood", &self.log_likelihood)?;
        st.serialize_field("aic", &finite_or_null(self.aic))?;
        st.serialize_field("aicc", &finite_or_null(self.aicc))?;
        st.serialize_field("bic", &finite_or_null(self.bic))?;
        st.serialize_field("r_squared", &self.r_squared)?;
        st.serialize_field("evaluations", &self.evaluations)?;
        st.serialize_field("termination", &self.termination)?;
        st.serialize_field("starts_at_best", &self.starts_at_best)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
fn finite_or_null(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
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

    /// The parameter covariance (pinned rows and columns are zero), when it exists.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// let cov = f.covariance().unwrap();
    /// assert!((cov[[1, 1]].sqrt() - f.std_error("b").unwrap()).abs() < 1e-12);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn covariance(&self) -> Option<Array2<f64>> {
        let c = self.cov_free.as_ref()?;
        let free: Vec<usize> = (0..self.n_params).filter(|j| !self.fixed[*j]).collect();
        let mut full = Array2::<f64>::zeros((self.n_params, self.n_params));
        for (a, &ja) in free.iter().enumerate() {
            for (b, &jb) in free.iter().enumerate() {
                full[[ja, jb]] = c[a][b];
            }
        }
        Some(full)
    }

    /// The parameter correlation matrix, when the covariance exists (zero where a variance is zero).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// let r = f.correlation().unwrap();
    /// assert!((r[[0, 0]] - 1.0).abs() < 1e-12 && r[[0, 1]].abs() <= 1.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn correlation(&self) -> Option<Array2<f64>> {
        let c = self.covariance()?;
        let n = c.nrows();
        Some(Array2::from_shape_fn((n, n), |(i, j)| {
            let d = (c[[i, i]] * c[[j, j]]).sqrt();
            if d > 0.0 { c[[i, j]] / d } else { 0.0 }
        }))
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

    /// The model at scale `x` (in the curve's units).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// let (a, b) = (f.value("a").unwrap(), f.value("b").unwrap());
    /// assert!((f.predict(1e9) - (a + b * 9.0)).abs() < 1e-12);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn predict(&self, x: f64) -> f64 {
        self.predict_t(self.axis.to_t(x))
    }

    /// The model at fitting coordinate `t`.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// assert_eq!(f.predict_t(9.0), f.predict(1e9));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn predict_t(&self, t: f64) -> f64 {
        self.family.eval(t, self.params())
    }

    /// The standard error of the fitted curve at `t` (delta method), when the covariance exists.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// // the fit is best known near the middle of the data
    /// assert!(f.prediction_std_t(9.0).unwrap() < f.prediction_std_t(7.0).unwrap());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn prediction_std_t(&self, t: f64) -> Option<f64> {
        let mut grad = [0.0; MAX_PARAMS];
        self.family.gradient(t, self.params(), &mut grad);
        self.delta_method_std(&grad)
    }

    /// The standard error of `f(ta) - f(tb)` (delta method), when the covariance exists.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// // f(11) - f(7) = 4b: its standard error is 4 se(b)
    /// let sd = f.difference_std_t(11.0, 7.0).unwrap();
    /// assert!((sd - 4.0 * f.std_error("b").unwrap()).abs() < 1e-12);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn difference_std_t(&self, ta: f64, tb: f64) -> Option<f64> {
        let mut ga = [0.0; MAX_PARAMS];
        let mut gb = [0.0; MAX_PARAMS];
        self.family.gradient(ta, self.params(), &mut ga);
        self.family.gradient(tb, self.params(), &mut gb);
        for (a, b) in ga.iter_mut().zip(&gb) {
            *a -= b;
        }
        self.delta_method_std(&ga)
    }

    /// `sqrt(g' C g)` over the free parameters, for the gradient `grad` of some quantity with
    /// respect to all parameters; `None` without a covariance or when it is not a finite variance.
    fn delta_method_std(&self, grad: &[f64; MAX_PARAMS]) -> Option<f64> {
        let cov = self.cov_free.as_ref()?;
        let mut free_grad = [0.0; MAX_PARAMS];
        let mut m = 0;
        for (j, g) in grad.iter().enumerate().take(self.n_params) {
            if !self.fixed[j] {
                free_grad[m] = *g;
                m += 1;
            }
        }
        let mut var = 0.0;
        for a in 0..m {
            for b in 0..m {
                var += free_grad[a] * cov[a][b] * free_grad[b];
            }
        }
        (var.is_finite() && var >= 0.0).then(|| var.sqrt())
    }

    /// A pointwise confidence band of the fitted curve at scale `x`: `(lower, upper)` at
    /// confidence `level` (e.g. 0.95). Student-t quantiles when the noise level was estimated,
    /// normal ones when it is absolute. `None` without a covariance.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitOptions, Linear, fit};
    /// use std::sync::Arc;
    /// let c = Curve::new(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// let (lo, hi) = f.confidence_band(1e9, 0.95).unwrap();
    /// assert!(lo < f.predict(1e9) && f.predict(1e9) < hi);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn confidence_band(&self, x: f64, level: f64) -> Option<(f64, f64)> {
        let t = self.axis.to_t(x);
        let sd = self.prediction_std_t(t)?;
        let q = self.quantile(level)?;
        let f = self.predict_t(t);
        Some((f - q * sd, f + q * sd))
    }

    /// The two-sided quantile for `level`.
    fn quantile(&self, level: f64) -> Option<f64> {
        if !(level > 0.0 && level < 1.0) {
            return None;
        }
        let p = 0.5 + 0.5 * level;
        if self.absolute_sigma {
            Normal::new(0.0, 1.0).ok().map(|d| d.inverse_cdf(p))
        } else {
            StudentsT::new(0.0, 1.0, self.dof().max(1) as f64)
                .ok()
                .map(|d| d.inverse_cdf(p))
        }
    }

    /// Student-t (or normal) confidence interval of parameter `name` at `level`.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// let (lo, hi) = f.parameter_interval("b", 0.95).unwrap();
    /// assert!(lo < f.value("b").unwrap() && f.value("b").unwrap() < hi);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn parameter_interval(&self, name: &str, level: f64) -> Option<(f64, f64)> {
        let v = self.value(name)?;
        let se = self.std_error(name)?;
        let q = self.quantile(level)?;
        Some((v - q * se, v + q * se))
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
