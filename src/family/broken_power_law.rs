//! The smoothly broken power law with one break (Caballero et al. 2022, "Broken Neural Scaling Laws").

use super::{
    Bounds, CurveFamily, FitData, affine_profile, best_starts, quantile_t, saturate, sigmoid,
    softplus,
};
use std::f64::consts::LN_10;

/// `y = a + b (x/x_ref)^(-c0) (1 + (x/d1)^(1/f1))^(-c1 f1)`, written in `t = log10 x` with the break
/// at `t1 = log10 d1`:
///
/// `y = a + b exp(-ln10 c0 (t - t_ref) - c1 f1 softplus(ln10 (t - t1) / f1))`.
///
/// Parameters `[a, b, c0, c1, t1, f1]`: `a` the limit, `b` the scale (negative for a rising score),
/// `c0` the log-log slope before the break, `c1` its change at the break, `t1` the break and
/// `f1 > 0` its sharpness (small is sharp). Mixed signs of `c0` and `c1` give U shapes and double
/// descent. The reference scale `x_ref` (default `1e9`) only conditions `b`.
///
/// ```
/// use emergence_detect::{BrokenPowerLaw, CurveFamily};
/// let f = BrokenPowerLaw::default();
/// // with no break (c1 = 0) it is a plain power law
/// let y = f.eval(10.0, &[0.0, 1.0, 0.5, 0.0, 9.0, 0.1]);
/// assert!((y - 10f64.powf(-0.5)).abs() < 1e-12);
/// assert_eq!(f.critical_t(&[0.0, 1.0, 0.5, 1.0, 9.0, 0.1]), Some(9.0));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct BrokenPowerLaw {
    reference_t: f64,
}

impl Default for BrokenPowerLaw {
    fn default() -> Self {
        BrokenPowerLaw { reference_t: 9.0 }
    }
}

impl BrokenPowerLaw {
    /// The law with its scale `b` measured at `x_ref` (in the curve's `x` units on a log axis).
    ///
    /// ```
    /// use emergence_detect::{BrokenPowerLaw, CurveFamily};
    /// let f = BrokenPowerLaw::with_reference_x(1e9);
    /// assert_eq!(f.n_params(), 6);
    /// ```
    pub fn with_reference_x(x_ref: f64) -> Self {
        BrokenPowerLaw {
            reference_t: x_ref.log10(),
        }
    }

    /// The exponent `E` of `y = a + b exp(E)`, with the softplus argument and value.
    #[inline]
    fn exponent(&self, t: f64, c0: f64, c1: f64, t1: f64, f1: f64) -> (f64, f64, f64) {
        let z = saturate(LN_10 * (t - t1) / f1);
        let sp = softplus(z);
        let e = saturate(-LN_10 * c0 * (t - self.reference_t) - saturate(c1 * f1 * sp));
        (e.clamp(-745.0, 690.0), z, sp)
    }
}

impl CurveFamily for BrokenPowerLaw {
    fn name(&self) -> &str {
        "broken_power_law"
    }

    fn param_names(&self) -> &[&str] {
        &["a", "b", "c0", "c1", "t1", "f1"]
    }

    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let (e, _, _) = self.exponent(t, p[2], p[3], p[4], p[5]);
        saturate(saturate(p[0]) + saturate(p[1] * e.exp()))
    }

    #[inline]
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        self.eval_with_gradient(t, p, grad);
    }

    // always: the batch loop of every fit runs through it, and LLVM sometimes outlines it
    #[inline(always)]
    fn eval_with_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        let (a, b, c0, c1, t1, f1) = (p[0], p[1], p[2], p[3], p[4], p[5]);
        let (e, z, sp) = self.exponent(t, c0, c1, t1, f1);
        let g = e.exp();
        let bg = saturate(b * g);
        let s = sigmoid(z);
        grad[0] = 1.0;
        grad[1] = g;
        grad[2] = saturate(-bg * LN_10 * (t - self.reference_t));
        grad[3] = saturate(-bg * f1 * sp);
        grad[4] = saturate(bg * c1 * LN_10 * s);
        grad[5] = saturate(-bg * c1 * (sp - z * s));
        saturate(saturate(a) + bg)
    }

    /// Variable projection over a grid of breaks and slopes: for fixed `(c0, c1, t1, f1)` the law
    /// is linear in `(a, b)`.
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let range = data.t_span();
        let f1 = 0.2 * range;
        let mut g = vec![0.0; data.t.len()];
        let mut scored: Vec<(f64, [f64; 6])> = Vec::with_capacity(18);
        for q in [0.3, 0.5, 0.7] {
            let t1 = quantile_t(data, q);
            for c0 in [0.0, 1.0 / range] {
                for c1 in [-2.0 / range, 2.0 / range, 6.0 / range] {
                    for (gi, ti) in g.iter_mut().zip(data.t) {
                        *gi = self.exponent(*ti, c0, c1, t1, f1).0.exp();
                    }
                    if let Some((a, b, chi2)) = affine_profile(data, &g) {
                        scored.push((chi2, [a, b, c0, c1, t1, f1]));
                    }
                }
            }
        }
        let mut starts = best_starts(scored, 3);
        if starts.is_empty() {
            starts.push(vec![
                data.weighted_mean(),
                0.0,
                0.0,
                0.0,
                quantile_t(data, 0.5),
                f1,
            ]);
        }
        starts
    }

    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let (t_lo, t_hi) = data.t_range();
        let range = data.t_span();
        let slope = Bounds::new(-20.0 / range, 20.0 / range);
        vec![
            Bounds::FREE,
            Bounds::FREE,
            slope,
            slope,
            Bounds::new(t_lo - 0.5 * range, t_hi + 0.5 * range),
            Bounds::new(1e-3 * range, 5.0 * range),
        ]
    }

    fn critical_t(&self, p: &[f64]) -> Option<f64> {
        Some(p[4])
    }
}
