//! Curve families: the shapes the engine fits, and the trait a user implements to add one.
//!
//! Every family is a function `y = f(t; p)` of the fitting coordinate `t` (`log10 x` on the default
//! axis) and a parameter vector `p` of at most [`MAX_PARAMS`] entries. A family
//! bundles its name, parameter names, evaluation, an analytic Jacobian, a data-driven self-starter
//! (several starting points) and default bounds. Parameters are pinned per fit with
//! [`FitOptions::fix`](crate::FitOptions::fix).
//!
//! Built in: [`Constant`], [`Linear`], [`Quadratic`], [`Logistic`] (4-parameter),
//! [`DoubleLogistic`] (a rise and a fall: six parameters, the only built-in family with a peak or a
//! dip between flat shoulders), [`SaturatingPowerLaw`], [`BrokenPowerLaw`] (Caballero et al. 2022,
//! one break) and [`Hinge`] (flat until a threshold, then linear).

mod broken_power_law;
mod data;
mod double_logistic;
mod exact_match;
mod hinge;
mod logistic;
mod polynomial;
mod power_law;

pub use broken_power_law::BrokenPowerLaw;
pub use data::{Bounds, FitData};
pub use double_logistic::DoubleLogistic;
pub use exact_match::{ComposedSteps, ExactMatchOf};
pub use hinge::Hinge;
pub use logistic::Logistic;
pub use polynomial::{Constant, Linear, Quadratic};
pub use power_law::SaturatingPowerLaw;

use crate::linalg::MAX_PARAMS;

/// A parametric curve family that the engine can fit.
///
/// The trait is object safe: the classifier holds families as `Arc<dyn CurveFamily>`, so a user's
/// family joins the built-in ones on equal terms. Only `name`, `param_names`, `eval` and
/// `initial_guesses` are required; the Jacobian defaults to central finite differences, but an
/// analytic [`gradient`](CurveFamily::gradient) is faster and more accurate.
///
/// Contract: for finite `t` and finite parameters, `eval` and `gradient` return finite numbers
/// (saturate rather than overflow), and they never allocate (they run in the fitting loop).
///
/// ```
/// use emergence_detect::{CurveFamily, FitData, FitOptions, Curve, fit};
/// use std::sync::Arc;
///
/// /// y = a * exp(b t)
/// #[derive(Debug)]
/// struct Exponential;
///
/// impl CurveFamily for Exponential {
///     fn name(&self) -> &str { "exponential" }
///     fn param_names(&self) -> &[&str] { &["a", "b"] }
///     fn eval(&self, t: f64, p: &[f64]) -> f64 { p[0] * (p[1] * t).min(700.0).exp() }
///     fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
///         vec![vec![data.weighted_mean(), 0.0]]
///     }
/// }
///
/// let t = [0.0, 0.5, 1.0, 1.5, 2.0];
/// let x: Vec<f64> = t.iter().map(|t| 10f64.powf(*t)).collect();
/// let y: Vec<f64> = t.iter().map(|t| 2.0 * (0.7 * t).exp()).collect();
/// let curve = Curve::new(x, y)?;
/// let f = fit(Arc::new(Exponential), &curve, &FitOptions::default())?;
/// assert!((f.value("b").unwrap() - 0.7).abs() < 1e-6);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub trait CurveFamily: Send + Sync + std::fmt::Debug {
    /// A short name, unique within a candidate set (e.g. `"logistic"`).
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Logistic};
    /// assert_eq!(Logistic.name(), "logistic");
    /// ```
    fn name(&self) -> &str;

    /// The parameter names, in the order of the parameter vector.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Logistic};
    /// assert_eq!(Logistic.param_names(), &["floor", "ceil", "k", "t0"]);
    /// ```
    fn param_names(&self) -> &[&str];

    /// The number of parameters.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Quadratic};
    /// assert_eq!(Quadratic.n_params(), 3);
    /// ```
    fn n_params(&self) -> usize {
        self.param_names().len()
    }

    /// The model value at `t`.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Logistic};
    /// // at its midpoint a logistic is halfway between floor and ceiling
    /// assert_eq!(Logistic.eval(9.0, &[0.25, 0.75, 3.0, 9.0]), 0.5);
    /// ```
    fn eval(&self, t: f64, p: &[f64]) -> f64;

    /// The partial derivatives `d f(t; p) / d p_j`, written into `grad[..n_params]`.
    ///
    /// The default is a central finite difference with a step scaled to each parameter.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Linear};
    /// let mut grad = [0.0; 2];
    /// Linear.gradient(9.0, &[0.1, 0.05], &mut grad);
    /// assert_eq!(grad, [1.0, 9.0]); // d/da, d/db of a + b t
    /// ```
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        let n = self.n_params().min(MAX_PARAMS);
        let mut q = [0.0; MAX_PARAMS];
        q[..n].copy_from_slice(&p[..n]);
        for j in 0..n {
            let h = 1e-6 * p[j].abs().max(1e-3);
            q[j] = p[j] + h;
            let up = self.eval(t, &q[..n]);
            q[j] = p[j] - h;
            let down = self.eval(t, &q[..n]);
            q[j] = p[j];
            grad[j] = saturate((up - down) / (2.0 * h));
        }
    }

    /// Values at every `t` at once: `values[i] = f(t[i]; p)`. Callers that evaluate a fit on many
    /// points (the classifier's shape grid, the ranking of starts) use it.
    ///
    /// The default loops over [`eval`](CurveFamily::eval); like
    /// [`eval_jacobian_batch`](CurveFamily::eval_jacobian_batch) it is compiled for each
    /// implementing type, so the loop is statically dispatched and a family rarely overrides it.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Linear};
    /// let mut values = [0.0; 3];
    /// Linear.eval_batch(&[0.0, 1.0, 2.0], &[1.0, 0.5], &mut values);
    /// assert_eq!(values, [1.0, 1.5, 2.0]);
    /// ```
    fn eval_batch(&self, t: &[f64], p: &[f64], values: &mut [f64]) {
        for (ti, v) in t.iter().zip(values.iter_mut()) {
            *v = self.eval(*ti, p);
        }
    }

    /// The value and the gradient together; override when they share work (an exponential, say).
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Linear};
    /// let mut grad = [0.0; 2];
    /// let v = Linear.eval_with_gradient(2.0, &[1.0, 0.5], &mut grad);
    /// assert_eq!((v, grad), (2.0, [1.0, 2.0]));
    /// ```
    fn eval_with_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        self.gradient(t, p, grad);
        self.eval(t, p)
    }

    /// Values and Jacobian rows at every `t` at once: `values[i] = f(t[i]; p)` and
    /// `jacobian[i][j] = d f(t[i]; p) / d p_j`. The fitting loop calls this once per evaluation.
    ///
    /// The default loops over [`eval_with_gradient`](CurveFamily::eval_with_gradient); because a
    /// default method is compiled for each implementing type, that loop is statically dispatched
    /// and inlined, so a family rarely needs to override it.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Linear, MAX_PARAMS};
    /// let (mut values, mut jac) = ([0.0; 2], [[0.0; MAX_PARAMS]; 2]);
    /// Linear.eval_jacobian_batch(&[0.0, 1.0], &[1.0, 0.5], &mut values, &mut jac);
    /// assert_eq!(values, [1.0, 1.5]);
    /// assert_eq!(&jac[1][..2], &[1.0, 1.0]);
    /// ```
    fn eval_jacobian_batch(
        &self,
        t: &[f64],
        p: &[f64],
        values: &mut [f64],
        jacobian: &mut [[f64; MAX_PARAMS]],
    ) {
        for ((ti, v), row) in t.iter().zip(values.iter_mut()).zip(jacobian.iter_mut()) {
            *v = self.eval_with_gradient(*ti, p, row);
        }
    }

    /// Whether the family's form means something beyond the observed range, so that forecasts
    /// may extrapolate it. True by default; false for a family that only describes the data
    /// locally (the quadratic, whose arms stand for a turn between the measured sizes, not for
    /// a parabola continuing past them). Forecasts leave such families out of their average,
    /// unless the curve's category is the turn they describe.
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Logistic, Quadratic};
    /// assert!(Logistic.extrapolates());
    /// assert!(!Quadratic.extrapolates());
    /// ```
    fn extrapolates(&self) -> bool {
        true
    }

    /// Several starting points derived from the data (the self-starter); the engine fits from each
    /// and keeps the best. Each must have `n_params` entries. The default gives none: a family
    /// without a self-starter is fitted from the starts given with
    /// [`FitOptions::start`](crate::FitOptions::start).
    ///
    /// ```
    /// use emergence_detect::{Curve, CurveFamily, FitData, Logistic};
    /// let c = Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.25, 0.26, 0.6, 0.8])?;
    /// let starts = Logistic.initial_guesses(&FitData::from_curve(&c));
    /// assert!(!starts.is_empty() && starts.iter().all(|s| s.len() == 4));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let _ = data;
        Vec::new()
    }

    /// Default box bounds for each parameter; unbounded unless overridden.
    ///
    /// ```
    /// use emergence_detect::{Curve, CurveFamily, FitData, Linear};
    /// let c = Curve::new(vec![1e8, 1e9], vec![0.2, 0.3])?;
    /// assert_eq!(Linear.bounds(&FitData::from_curve(&c)).len(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let _ = data;
        vec![Bounds::FREE; self.n_params()]
    }

    /// The family's own notion of a critical scale in `t` (a logistic's midpoint, a hinge's or a
    /// break's position), if it has one. The classifier does not use it: its critical scale has one
    /// meaning for every family (where the fit crosses halfway between its values at the ends of
    /// the observed range).
    ///
    /// ```
    /// use emergence_detect::{CurveFamily, Hinge, Linear};
    /// assert_eq!(Hinge::default().critical_t(&[0.25, 0.2, 9.5]), Some(9.5));
    /// assert_eq!(Linear.critical_t(&[0.1, 0.05]), None);
    /// ```
    fn critical_t(&self, p: &[f64]) -> Option<f64> {
        let _ = p;
        None
    }
}

/// Clamps to a finite value of magnitude at most `1e300`, mapping NaN to 0. Keeps the families'
/// promise of finite output for any finite parameters.
#[inline]
pub(crate) fn saturate(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-1e300, 1e300)
    }
}

/// The logistic function `1 / (1 + exp(-z))`, without overflow for any `z`.
#[inline]
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + exp(z))`, without overflow for any `z`.
#[inline]
pub(crate) fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// Weighted least squares of `y ~ a + b g_i` for given values `g_i` (closed form), with its
/// chi-square: the linear half of a variable-projection self-starter. `None` when `g` is constant.
pub(crate) fn affine_profile(data: &FitData, g: &[f64]) -> Option<(f64, f64, f64)> {
    let (mut s, mut sg, mut sgg, mut sy, mut sgy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for ((&gi, &yi), &wi) in g.iter().zip(data.y).zip(data.weights()) {
        s += wi;
        sg += wi * gi;
        sgg += wi * gi * gi;
        sy += wi * yi;
        sgy += wi * gi * yi;
    }
    let det = s * sgg - sg * sg;
    if det.is_nan() || det <= 1e-12 * s * sgg || !det.is_finite() {
        return None;
    }
    let b = (s * sgy - sg * sy) / det;
    let a = (sy - b * sg) / s;
    let chi2: f64 = g
        .iter()
        .zip(data.y)
        .zip(data.weights())
        .map(|((&gi, &yi), &wi)| {
            let r = yi - a - b * gi;
            wi * r * r
        })
        .sum();
    (a.is_finite() && b.is_finite() && chi2.is_finite()).then_some((a, b, chi2))
}

/// The `keep` lowest-chi-square candidates, best first. A start may be held as a `Vec` (moved) or
/// as a fixed array, which saves an allocation per grid point: only the kept ones become vectors.
pub(crate) fn best_starts<P: Into<Vec<f64>>>(
    mut scored: Vec<(f64, P)>,
    keep: usize,
) -> Vec<Vec<f64>> {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored
        .into_iter()
        .take(keep)
        .map(|(_, p)| p.into())
        .collect()
}

/// `p_j` for a curve with `k` starting fractions of the `t` range: `t_first + q * range`.
pub(crate) fn quantile_t(data: &FitData, q: f64) -> f64 {
    let (a, b) = data.t_range();
    a + q * (b - a)
}
