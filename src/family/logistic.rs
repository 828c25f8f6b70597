//! The 4-parameter logistic (like R drc's `LL.4`, in `t = log10 x`).

use super::{Bounds, CurveFamily, FitData, affine_profile, best_starts, quantile_t, saturate};

/// `y = floor + (ceil - floor) / (1 + exp(-k (t - t0)))`.
///
/// `floor` is the level at small scale, `ceil` at large scale (so `ceil < floor` is a falling
/// sigmoid), `k >= 0` the steepness per unit of `t` (per decade on the log axis: the 10%-90% width is
/// `2 ln 9 / k` decades) and `t0` the midpoint, the critical scale. Pin `floor` at the chance level
/// with [`FitOptions::fix`](crate::FitOptions::fix) for a 3-parameter emergence model.
///
/// ```
/// use emergence_detect::{Logistic, CurveFamily};
/// let p = [0.25, 0.85, 6.0, 9.5];
/// assert!((Logistic.eval(9.5, &p) - 0.55).abs() < 1e-12);
/// assert_eq!(Logistic.critical_t(&p), Some(9.5));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Logistic;

impl CurveFamily for Logistic {
    fn name(&self) -> &str {
        "logistic"
    }

    fn param_names(&self) -> &[&str] {
        &["floor", "ceil", "k", "t0"]
    }

    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let z = p[2] * (t - p[3]);
        let e = (-z.abs()).exp();
        let (s, r) = if z >= 0.0 {
            (1.0 / (1.0 + e), e / (1.0 + e))
        } else {
            (e / (1.0 + e), 1.0 / (1.0 + e))
        };
        saturate(p[0] * r + p[1] * s)
    }

    #[inline]
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        self.eval_with_gradient(t, p, grad);
    }

    // always: the batch loop of every fit runs through it, and LLVM sometimes outlines it
    #[inline(always)]
    fn eval_with_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        let (floor, ceil, k, t0) = (p[0], p[1], p[2], p[3]);
        let dt = t - t0;
        let z = k * dt;
        // one exponential for both s = sigmoid(z) and r = 1 - s = sigmoid(-z)
        let e = (-z.abs()).exp();
        let (s, r) = if z >= 0.0 {
            (1.0 / (1.0 + e), e / (1.0 + e))
        } else {
            (e / (1.0 + e), 1.0 / (1.0 + e))
        };
        let amp = saturate(ceil - floor);
        let slope = saturate(amp * s * r);
        grad[0] = r;
        grad[1] = s;
        grad[2] = saturate(slope * dt);
        grad[3] = saturate(-slope * k);
        saturate(floor * r + ceil * s)
    }

    /// Variable projection on a grid: for each midpoint and steepness the model is linear in
    /// `(floor, ceil)`, so those come from a weighted least-squares solve; the best few grid points
    /// are the starts.
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let range = data.t_span();
        let n = data.t.len();
        // steepness as multiples of the slowest one: exp(-m k1 (t - t0)) = exp(-k1 (t - t0))^m
        const STEEPNESS: [(f64, i32); 3] = [(4.0, 1), (12.0, 3), (40.0, 10)];
        let mut base = vec![0.0; n];
        let mut g = vec![0.0; n];
        let mut scored: Vec<(f64, [f64; 4])> = Vec::with_capacity(15);
        for q in [0.15, 0.35, 0.5, 0.65, 0.85] {
            let t0 = quantile_t(data, q);
            let k1 = STEEPNESS[0].0 / range;
            // t0 lies inside the data, so |k1 (t - t0)| <= 4 and every power below stays finite
            for (b, ti) in base.iter_mut().zip(data.t) {
                *b = (-k1 * (ti - t0)).exp();
            }
            for (k_range, power) in STEEPNESS {
                for (gi, b) in g.iter_mut().zip(&base) {
                    *gi = 1.0 / (1.0 + b.powi(power));
                }
                // y = floor + (ceil - floor) s
                if let Some((floor, step, chi2)) = affine_profile(data, &g) {
                    scored.push((chi2, [floor, floor + step, k_range / range, t0]));
                }
            }
        }
        let mut starts = best_starts(scored, 4);
        if starts.is_empty() {
            // degenerate data (a single distinct t): a flat start
            // the direction of the weighted least-squares line through the points, if any
            let slope = affine_profile(data, data.t).map_or(0.0, |(_, slope, _)| slope);
            let (lo, hi) = data.y_range();
            let (floor, ceil) = if slope >= 0.0 { (lo, hi) } else { (hi, lo) };
            starts.push(vec![floor, ceil, 4.0 / range, quantile_t(data, 0.5)]);
        }
        starts
    }

    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let (y_lo, y_hi) = data.y_range();
        let pad = (y_hi - y_lo).max(0.05 * data.y_max);
        let (t_lo, t_hi) = data.t_range();
        let range = data.t_span();
        let level = Bounds::new(y_lo - pad, y_hi + pad);
        vec![
            level,
            level,
            // below 0.5 / range the sigmoid is a straight line over the data; above 50 / spacing, a step
            Bounds::new(
                0.5 / range.max(f64::MIN_POSITIVE),
                50.0 / data.min_spacing(),
            ),
            Bounds::new(t_lo - range, t_hi + range),
        ]
    }

    fn critical_t(&self, p: &[f64]) -> Option<f64> {
        Some(p[3])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_parameters_stay_finite() {
        for p in [
            [1e308, -1e308, 1e308, -1e308],
            [0.0, 1.0, 1e300, 9.0],
            [-1e308, 1e308, -1e308, 1e308],
        ] {
            let mut g = [0.0; 4];
            assert!(Logistic.eval_with_gradient(9.0, &p, &mut g).is_finite());
            assert!(g.iter().all(|v| v.is_finite()));
        }
    }
}
