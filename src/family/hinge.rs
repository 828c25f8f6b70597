//! The hinge: flat until a threshold, then linear in `t` (Du et al. 2024: emergence as crossing a
//! threshold of the pre-training loss).

use super::{
    Bounds, CurveFamily, FitData, affine_profile, best_starts, saturate, sigmoid, softplus,
};

/// `y = base + slope * h(t - t0)`, with `h(u) = max(0, u)` (a sharp hinge, the default) or, with a
/// smoothing width `w > 0`, `h(u) = w ln(1 + exp(u / w))`.
///
/// Parameters `[base, slope, t0]`: the level before the threshold, the change per unit of `t` after
/// it, and the threshold `t0` (the critical scale). Pin `base` at the chance level for the
/// 2-parameter "flat at chance, then rising" model.
///
/// ```
/// use emergence_detect::{Hinge, CurveFamily};
/// let h = Hinge::default();
/// assert_eq!(h.eval(8.0, &[0.25, 0.2, 9.0]), 0.25);
/// assert!((h.eval(10.0, &[0.25, 0.2, 9.0]) - 0.45).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Hinge {
    smoothing: f64,
}

impl Hinge {
    /// A hinge rounded over about `width` units of `t` (0 for a sharp corner).
    ///
    /// ```
    /// use emergence_detect::{Hinge, CurveFamily};
    /// let h = Hinge::smoothed(0.1);
    /// assert!(h.eval(9.0, &[0.0, 1.0, 9.0]) > 0.0);
    /// ```
    pub fn smoothed(width: f64) -> Self {
        Hinge {
            smoothing: if width.is_finite() {
                width.max(0.0)
            } else {
                0.0
            },
        }
    }

    /// `(h(u), h'(u))`.
    #[inline]
    fn ramp(&self, u: f64) -> (f64, f64) {
        if self.smoothing > 0.0 {
            let z = u / self.smoothing;
            (saturate(self.smoothing * softplus(z)), sigmoid(z))
        } else if u > 0.0 {
            (u, 1.0)
        } else {
            (0.0, 0.0)
        }
    }
}

impl CurveFamily for Hinge {
    fn name(&self) -> &str {
        "hinge"
    }

    fn param_names(&self) -> &[&str] {
        &["base", "slope", "t0"]
    }

    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let (h, _) = self.ramp(saturate(t - p[2]));
        saturate(saturate(p[0]) + saturate(p[1] * h))
    }

    #[inline]
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        self.eval_with_gradient(t, p, grad);
    }

    // always: the batch loop of every fit runs through it, and LLVM sometimes outlines it
    #[inline(always)]
    fn eval_with_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        let (h, dh) = self.ramp(saturate(t - p[2]));
        grad[0] = 1.0;
        grad[1] = h;
        grad[2] = saturate(-p[1] * dh);
        saturate(saturate(p[0]) + saturate(p[1] * h))
    }

    /// Variable projection over thresholds at the data points: for a fixed `t0` the hinge is
    /// linear in `(base, slope)`.
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let n = data.t.len();
        let mut g = vec![0.0; n];
        let mut scored: Vec<(f64, [f64; 3])> = Vec::with_capacity(n);
        // a threshold at each point but the last two (beyond, the slope has too little support)
        for &t0 in &data.t[..n.saturating_sub(2).max(1)] {
            for (gi, ti) in g.iter_mut().zip(data.t) {
                *gi = self.ramp(ti - t0).0;
            }
            if let Some((base, slope, chi2)) = affine_profile(data, &g) {
                scored.push((chi2, [base, slope, t0]));
            }
        }
        let mut starts = best_starts(scored, 3);
        if starts.is_empty() {
            starts.push(vec![data.weighted_mean(), 0.0, data.t[0]]);
        }
        starts
    }

    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let (t_lo, t_hi) = data.t_range();
        let range = data.t_span();
        vec![Bounds::FREE, Bounds::FREE, Bounds::new(t_lo - range, t_hi)]
    }

    fn critical_t(&self, p: &[f64]) -> Option<f64> {
        Some(p[2])
    }
}
