//! The double logistic: two sigmoid steps with a shared steepness.

use super::{Bounds, CurveFamily, FitData, best_starts, quantile_t, saturate, sigmoid};

/// `y = base + a1 / (1 + exp(-k (t - t1))) + a2 / (1 + exp(-k (t - t2)))`.
///
/// Two steps of heights `a1` and `a2` (either sign) at `t1` and `t2`, with a shared steepness
/// `k > 0` per unit of `t`. Steps of opposite signs make a U (fall, then rise) or an inverted U
/// (rise, then fall) with flat shoulders, the shape of a task that peaks at one size; steps of the
/// same sign make a two-stage rise. Six parameters: a candidate for curves of seven points or more.
///
/// ```
/// use emergence_detect::{CurveFamily, DoubleLogistic};
/// // rises by 0.6 around t = 9, falls by 0.3 around t = 10
/// let p = [0.0, 0.6, 9.0, -0.3, 10.0, 20.0];
/// assert!((DoubleLogistic.eval(9.5, &p) - 0.6).abs() < 1e-3);
/// assert!((DoubleLogistic.eval(11.0, &p) - 0.3).abs() < 1e-3);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DoubleLogistic;

impl CurveFamily for DoubleLogistic {
    fn name(&self) -> &str {
        "double_logistic"
    }

    fn param_names(&self) -> &[&str] {
        &["base", "a1", "t1", "a2", "t2", "k"]
    }

    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let s1 = sigmoid(saturate(p[5] * (t - p[2])));
        let s2 = sigmoid(saturate(p[5] * (t - p[4])));
        saturate(saturate(p[0]) + saturate(p[1] * s1) + saturate(p[3] * s2))
    }

    #[inline]
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        self.eval_with_gradient(t, p, grad);
    }

    // always: the batch loop of every fit runs through it, and LLVM sometimes outlines it
    #[inline(always)]
    fn eval_with_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        let (base, a1, t1, a2, t2, k) = (p[0], p[1], p[2], p[3], p[4], p[5]);
        let (d1, d2) = (saturate(t - t1), saturate(t - t2));
        let s1 = sigmoid(saturate(k * d1));
        let s2 = sigmoid(saturate(k * d2));
        let (q1, q2) = (s1 * (1.0 - s1), s2 * (1.0 - s2));
        grad[0] = 1.0;
        grad[1] = s1;
        grad[2] = saturate(-a1 * k * q1);
        grad[3] = s2;
        grad[4] = saturate(-a2 * k * q2);
        grad[5] = saturate(saturate(a1 * q1 * d1) + saturate(a2 * q2 * d2));
        saturate(saturate(base) + saturate(a1 * s1) + saturate(a2 * s2))
    }

    /// Variable projection over step positions halfway between neighbouring points and two
    /// steepnesses: for fixed `(t1, t2, k)` the model is linear in `(base, a1, a2)`. The sigmoid
    /// columns are computed once per position, and each pair's chi-square comes from its normal
    /// equations, so the search costs a few hundred operations per pair.
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let range = data.t_span();
        let n = data.t.len();
        let w = data.weights();
        let mids: Vec<f64> = data.t.windows(2).map(|v| 0.5 * (v[0] + v[1])).collect();
        let m = mids.len();
        let (mut sw, mut swy, mut swyy) = (0.0, 0.0, 0.0);
        for (y, wi) in data.y.iter().zip(w) {
            sw += wi;
            swy += wi * y;
            swyy += wi * y * y;
        }
        let mut scored: Vec<(f64, [f64; 6])> = Vec::new();
        let mut columns = vec![0.0; m * n];
        for k_range in [10.0, 40.0] {
            let k = k_range / range;
            for (c, &tm) in mids.iter().enumerate() {
                for (i, &t) in data.t.iter().enumerate() {
                    columns[c * n + i] = sigmoid(k * (t - tm));
                }
            }
            // per-column sums shared by every pair
            let sums: Vec<(f64, f64, f64)> = (0..m)
                .map(|c| {
                    let col = &columns[c * n..(c + 1) * n];
                    col.iter()
                        .zip(w)
                        .zip(data.y)
                        .fold((0.0, 0.0, 0.0), |acc, ((s, wi), y)| {
                            (acc.0 + wi * s, acc.1 + wi * s * s, acc.2 + wi * s * y)
                        })
                })
                .collect();
            for c1 in 0..m {
                for c2 in (c1 + 1)..m {
                    let (s1, s2) = (
                        &columns[c1 * n..(c1 + 1) * n],
                        &columns[c2 * n..(c2 + 1) * n],
                    );
                    let cross: f64 = s1
                        .iter()
                        .zip(s2)
                        .zip(w)
                        .map(|((a, b), wi)| wi * a * b)
                        .sum();
                    let a = [
                        [sw, sums[c1].0, sums[c2].0],
                        [sums[c1].0, sums[c1].1, cross],
                        [sums[c2].0, cross, sums[c2].1],
                    ];
                    let b = [swy, sums[c1].2, sums[c2].2];
                    let Some(coef) = crate::linalg::solve_spd_n(&a, &b) else {
                        continue;
                    };
                    // chi2 = y'Wy - coef . Phi'Wy at the least-squares solution
                    let chi2 = swyy - (coef[0] * b[0] + coef[1] * b[1] + coef[2] * b[2]);
                    if chi2.is_finite() && coef.iter().all(|v| v.is_finite()) {
                        scored.push((chi2, [coef[0], coef[1], mids[c1], coef[2], mids[c2], k]));
                    }
                }
            }
        }
        let mut starts = best_starts(scored, 3);
        if starts.is_empty() {
            starts.push(vec![
                data.weighted_mean(),
                0.0,
                quantile_t(data, 0.35),
                0.0,
                quantile_t(data, 0.65),
                10.0 / range,
            ]);
        }
        starts
    }

    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let (t_lo, t_hi) = data.t_range();
        let range = data.t_span();
        let position = Bounds::new(t_lo - 0.5 * range, t_hi + 0.5 * range);
        vec![
            Bounds::FREE,
            Bounds::FREE,
            position,
            Bounds::FREE,
            position,
            Bounds::new(0.5 / range, (50.0 / data.min_spacing()).max(1.0 / range)),
        ]
    }
}
