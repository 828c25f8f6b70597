//! The saturating power law `y = c - a (x / x_ref)^(-b)`.

use super::{Bounds, CurveFamily, FitData, affine_profile, best_starts, saturate};
use std::f64::consts::LN_10;

/// `y = c - a * 10^(-b (t - t_ref))`: on the log axis the power law `c - a (x / x_ref)^(-b)` that
/// approaches the asymptote `c` as the scale grows (for `a > 0`; `a < 0` approaches it from above,
/// as a loss does). `a` is the gap to the asymptote at the reference scale `x_ref = 10^t_ref`
/// (default `1e9`), `b > 0` the exponent (bounded below by `0.05 / range`: flatter than that, the law is a straight
/// line over the data). On a linear axis the same formula is an exponential
/// approach in `t`.
///
/// ```
/// use emergence_detect::{SaturatingPowerLaw, CurveFamily};
/// let f = SaturatingPowerLaw::default();
/// // at the reference scale the gap is exactly `a`
/// assert!((f.eval(9.0, &[0.8, 0.3, 0.5]) - 0.5).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SaturatingPowerLaw {
    reference_t: f64,
}

impl Default for SaturatingPowerLaw {
    fn default() -> Self {
        SaturatingPowerLaw { reference_t: 9.0 }
    }
}

impl SaturatingPowerLaw {
    /// The power law with its gap `a` measured at scale `x_ref` (in the curve's `x` units on a log
    /// axis).
    ///
    /// ```
    /// use emergence_detect::SaturatingPowerLaw;
    /// let f = SaturatingPowerLaw::with_reference_x(1e6);
    /// ```
    pub fn with_reference_x(x_ref: f64) -> Self {
        SaturatingPowerLaw {
            reference_t: x_ref.log10(),
        }
    }

    #[inline]
    fn decay(&self, t: f64, b: f64) -> f64 {
        (-b * LN_10 * (t - self.reference_t))
            .clamp(-745.0, 690.0)
            .exp()
    }
}

impl CurveFamily for SaturatingPowerLaw {
    fn name(&self) -> &str {
        "power_law"
    }

    fn param_names(&self) -> &[&str] {
        &["c", "a", "b"]
    }

    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        saturate(saturate(p[0]) - saturate(p[1] * self.decay(t, p[2])))
    }

    #[inline]
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        self.eval_with_gradient(t, p, grad);
    }

    // always: the batch loop of every fit runs through it, and LLVM sometimes outlines it
    #[inline(always)]
    fn eval_with_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        let z = self.decay(t, p[2]);
        let az = saturate(p[1] * z);
        grad[0] = 1.0;
        grad[1] = -z;
        grad[2] = saturate(az * LN_10 * (t - self.reference_t));
        saturate(saturate(p[0]) - az)
    }

    /// Variable projection over a grid of exponents: for a fixed `b` the law is linear in `(c, a)`.
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let range = data.t_span();
        let mut g = vec![0.0; data.t.len()];
        let mut scored: Vec<(f64, [f64; 3])> = Vec::with_capacity(8);
        // exponents that bend the law by different amounts over the observed range
        for bend in [0.06, 0.15, 0.35, 0.7, 1.3, 2.5, 4.5, 8.0] {
            let b = bend / range;
            for (gi, ti) in g.iter_mut().zip(data.t) {
                *gi = self.decay(*ti, b);
            }
            // y = c - a z
            if let Some((c, minus_a, chi2)) = affine_profile(data, &g) {
                scored.push((chi2, [c, -minus_a, b]));
            }
        }
        let mut starts = best_starts(scored, 2);
        if starts.is_empty() {
            starts.push(vec![data.weighted_mean(), 0.0, 0.5 / range]);
        }
        starts
    }

    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let range = data.t_span();
        vec![
            Bounds::FREE,
            Bounds::FREE,
            // below 0.05 / range the law is a straight line over the data (the linear family's
            // job), and its parameters would run off to infinity along a flat valley
            Bounds::new(0.05 / range, 10.0 / range),
        ]
    }
}
