//! What a [`Fit`] says about uncertainty: the parameter covariance and correlation, predictions with
//! their standard errors (delta method), confidence bands and parameter intervals.

use super::result::Fit;
use crate::linalg::MAX_PARAMS;
use ndarray::Array2;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

impl Fit {
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
                full[[ja, jb]] = c[a * free.len() + b];
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
                var += free_grad[a] * cov[a * m + b] * free_grad[b];
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
}
