//! Exact match over an answer of `L` tokens: `y = p(t)^L`, where the per-token accuracy `p` is
//! any smooth family (Schaeffer, Miranda and Koyejo 2023). A smooth, steady `p` makes `p^L` look
//! like a sudden jump; fitting this family, and comparing it with the rest of the menu, tests
//! whether a jump is explained by a smooth per-token improvement.

use super::{Bounds, CurveFamily, FitData, saturate};
use crate::error::{Error, Result};
use crate::linalg::MAX_PARAMS;
use std::sync::Arc;

/// `y = clamp(p(t), 0, 1)^L` for an inner family `p` (its parameters are this family's).
///
/// ```
/// use emergence_detect::{CurveFamily, ExactMatchOf, Linear};
/// let em = ExactMatchOf::new(Linear, 3.0)?;
/// // p = 0.5 at t = 0: exact match on 3 tokens is 0.125
/// assert!((em.eval(0.0, &[0.5, 0.1]) - 0.125).abs() < 1e-12);
/// assert_eq!(em.param_names(), &["a", "b"]);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ExactMatchOf {
    inner: Arc<dyn CurveFamily>,
    length: f64,
    name: String,
}

impl ExactMatchOf {
    /// The family for answers of `length` tokens (at least 1) on top of `inner`.
    ///
    /// ```
    /// use emergence_detect::{ExactMatchOf, Logistic};
    /// assert!(ExactMatchOf::new(Logistic, 0.5).is_err());
    /// ```
    pub fn new(inner: impl CurveFamily + 'static, length: f64) -> Result<ExactMatchOf> {
        if !(length.is_finite() && length >= 1.0) {
            return Err(Error::InvalidSetting {
                what: "answer length",
                value: length,
                reason: "must be at least 1 (tokens)",
            });
        }
        let name = format!("exact_match({}, L={length})", inner.name());
        Ok(ExactMatchOf {
            inner: Arc::new(inner),
            length,
            name,
        })
    }

    /// The per-token accuracy `p(t)` the fitted parameters imply (clamped to `[0, 1]`).
    ///
    /// ```
    /// use emergence_detect::{ExactMatchOf, Linear};
    /// let em = ExactMatchOf::new(Linear, 2.0)?;
    /// assert_eq!(em.per_token(1.0, &[0.2, 0.3]), 0.5);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn per_token(&self, t: f64, p: &[f64]) -> f64 {
        self.inner.eval(t, p).clamp(0.0, 1.0)
    }

    /// The answer length `L`.
    ///
    /// ```
    /// use emergence_detect::{ExactMatchOf, Linear};
    /// assert_eq!(ExactMatchOf::new(Linear, 4.0)?.length(), 4.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn length(&self) -> f64 {
        self.length
    }
}

impl CurveFamily for ExactMatchOf {
    fn name(&self) -> &str {
        &self.name
    }
    fn param_names(&self) -> &[&str] {
        self.inner.param_names()
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        saturate(self.per_token(t, p).powf(self.length))
    }
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        let inner = self.inner.eval(t, p);
        self.inner.gradient(t, p, grad);
        // d(p^L) = L p^(L-1) dp inside (0, 1); flat where the clamp holds p
        let factor = if inner > 0.0 && inner < 1.0 {
            self.length * inner.powf(self.length - 1.0)
        } else {
            0.0
        };
        let n = self.n_params().min(MAX_PARAMS).min(grad.len());
        for g in &mut grad[..n] {
            *g = saturate(*g * factor);
        }
    }
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        // the inner family's self-starter on the implied per-token accuracies y^(1/L)
        let scale = data.y_max.max(f64::MIN_POSITIVE);
        let y: Vec<f64> = data
            .y
            .iter()
            .map(|y| (y / scale).clamp(0.0, 1.0).powf(1.0 / self.length))
            .collect();
        let sigma: Vec<f64> = data
            .sigma
            .iter()
            .zip(&y)
            .map(|(s, p)| {
                // delta method: sd(p) = sd(y) / (L p^(L-1))
                let slope = self.length * p.max(1e-3).powf(self.length - 1.0);
                (s / scale / slope).clamp(1e-6, 1e6)
            })
            .collect();
        let per_token = FitData::new(data.t, &y, &sigma, None, 1.0);
        self.inner.initial_guesses(&per_token)
    }
    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        self.inner.bounds(data)
    }
}

/// A task of `k` steps that must all succeed, each with the accuracy of an inner smooth family:
/// `y = clamp(p(t), 0, 1)^k` with `k >= 1` fitted (the effective number of steps). `k = 1` is the
/// inner family itself, so the two are nested.
///
/// ```
/// use emergence_detect::{ComposedSteps, CurveFamily, Linear};
/// let steps = ComposedSteps::new(Linear);
/// assert_eq!(steps.param_names(), &["a", "b", "k"]);
/// assert!((steps.eval(0.0, &[0.5, 0.1, 2.0]) - 0.25).abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct ComposedSteps {
    inner: Arc<dyn CurveFamily>,
    names: Vec<&'static str>,
    name: String,
}

/// A parameter name that lives as long as the program: each distinct name is stored once, however
/// many families are built (a batch of tests builds one per curve).
fn interned(name: &str) -> &'static str {
    static NAMES: std::sync::OnceLock<std::sync::Mutex<Vec<&'static str>>> =
        std::sync::OnceLock::new();
    let mut names = NAMES
        .get_or_init(|| std::sync::Mutex::new(Vec::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = names.iter().find(|n| **n == name) {
        return known;
    }
    let stored: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(stored);
    stored
}

impl ComposedSteps {
    /// The largest number of steps the fit considers: at the bound, the curve is sharper than
    /// any number of steady steps describes.
    ///
    /// ```
    /// use emergence_detect::ComposedSteps;
    /// assert_eq!(ComposedSteps::MAX_STEPS, 64.0);
    /// ```
    pub const MAX_STEPS: f64 = 64.0;

    /// Steps whose accuracy is `inner` (parameters: the inner family's, then `k`).
    ///
    /// ```
    /// use emergence_detect::{ComposedSteps, CurveFamily, Logistic};
    /// assert_eq!(ComposedSteps::new(Logistic).n_params(), 5);
    /// ```
    pub fn new(inner: impl CurveFamily + 'static) -> ComposedSteps {
        let mut names: Vec<&'static str> =
            inner.param_names().iter().map(|n| interned(n)).collect();
        names.push("k");
        let name = format!("composed_steps({})", inner.name());
        ComposedSteps {
            inner: Arc::new(inner),
            names,
            name,
        }
    }
}

impl CurveFamily for ComposedSteps {
    fn name(&self) -> &str {
        &self.name
    }
    fn param_names(&self) -> &[&str] {
        &self.names
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let m = self.names.len() - 1;
        saturate(self.inner.eval(t, &p[..m]).clamp(0.0, 1.0).powf(p[m]))
    }
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        let m = self.names.len() - 1;
        let k = p[m];
        let inner = self.inner.eval(t, &p[..m]);
        self.inner.gradient(t, &p[..m], &mut grad[..m]);
        let inside = inner > 0.0 && inner < 1.0;
        let factor = if inside { k * inner.powf(k - 1.0) } else { 0.0 };
        for g in &mut grad[..m] {
            *g = saturate(*g * factor);
        }
        grad[m] = if inside {
            saturate(inner.powf(k) * inner.ln())
        } else {
            0.0
        };
    }
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let mut starts = Vec::new();
        for k in [1.0, 2.0, 4.0, 8.0] {
            let em = ExactMatchOf {
                inner: Arc::clone(&self.inner),
                length: k,
                name: String::new(),
            };
            for mut s in em.initial_guesses(data) {
                s.push(k);
                starts.push(s);
            }
        }
        starts
    }
    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let mut b = self.inner.bounds(data);
        b.push(Bounds::new(1.0, ComposedSteps::MAX_STEPS));
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::Linear;

    #[test]
    fn building_many_families_stores_each_parameter_name_once() {
        let a = ComposedSteps::new(Linear);
        let b = ComposedSteps::new(Linear);
        for (x, y) in a.param_names().iter().zip(b.param_names()) {
            assert_eq!(x, y);
            assert!(std::ptr::eq(x.as_ptr(), y.as_ptr()), "{x} stored twice");
        }
    }
}
