//! Seeded parametric bootstrap of quantities of a fit (the critical scale, the location of a turn).
//!
//! Resamples `y* = f(t) + sigma* e` with standard normal `e` from a small deterministic generator
//! (SplitMix64 and Box-Muller), refits the same candidate by Levenberg-Marquardt from the original
//! estimate, and takes percentiles. The seed mixes the configured seed with the curve's own numbers,
//! so a curve gets the same interval whatever else is in its batch and on whatever thread.

use crate::family::{CurveFamily, FitData};
use crate::fit::{
    FitOptions, LmSettings, Prepared, Workspace, levenberg_marquardt, with_workspace,
};
use crate::linalg::{MAX_PARAMS, Vector, inverse_spd};

/// SplitMix64: a tiny, fast, well-mixed 64-bit generator (Steele, Lea and Flood 2014).
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// A pair of independent standard normals (Box-Muller).
    pub(crate) fn normal_pair(&mut self) -> (f64, f64) {
        let r = (-2.0 * self.uniform().ln()).sqrt();
        let a = std::f64::consts::TAU * self.uniform();
        (r * a.cos(), r * a.sin())
    }
}

/// A seed for one curve: the configured seed mixed with the bits of its points (FNV-1a).
pub(crate) fn curve_seed(seed: u64, t: &[f64], y: &[f64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for v in t.iter().chain(y) {
        for b in v.to_bits().to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// What to resample.
pub(crate) struct Resampling<'a> {
    pub family: &'a dyn CurveFamily,
    pub data: &'a FitData<'a>,
    pub options: &'a FitOptions,
    /// The fitted parameters (full vector).
    pub params: &'a [f64],
    /// Standard deviation of each simulated point.
    pub noise: &'a [f64],
    pub resamples: usize,
    pub seed: u64,
    /// Whether chi-square is in absolute units (known noise): then an absolute tolerance applies.
    pub absolute: bool,
}

/// Bootstrap replicates of `statistic(params*)`; `None` entries (statistic undefined for that
/// resample) are dropped. Returns the replicates, sorted.
pub(crate) fn replicates(
    r: &Resampling,
    statistic: impl Fn(&[f64]) -> Option<f64>,
) -> Option<Vec<f64>> {
    let prepared = Prepared::new(r.family, r.data, r.options).ok()?;
    let n = r.data.t.len();
    let fitted: Vec<f64> = r
        .data
        .t
        .iter()
        .map(|t| r.family.eval(*t, r.params))
        .collect();
    let mut y_star = vec![0.0; n];
    let weights = r.data.weights();
    // Each resample starts from the Gauss-Newton step of the original fit, p + K (y* - f) with
    // K = (J'WJ)^-1 J'W computed once: LM then needs only a few evaluations to finish the job.
    let gain = gain_matrix(&prepared, r, weights);
    let settings = LmSettings {
        ftol: 1e-4,
        chi2_tol: if r.absolute { 1e-3 } else { 0.0 },
        // a replicate needs its parameters to a few hundredths of a standard error, not more
        decrement_floor: true,
        xtol: 1e-4,
        gtol: 1e-10,
        max_evaluations: 30,
    };
    let mut rng = SplitMix64::new(r.seed);
    let mut out = Vec::with_capacity(r.resamples);
    with_workspace(|work: &mut Workspace| {
        for _ in 0..r.resamples {
            let mut i = 0;
            while i < n {
                let (a, b) = rng.normal_pair();
                y_star[i] = fitted[i] + r.noise[i] * a;
                if i + 1 < n {
                    y_star[i + 1] = fitted[i + 1] + r.noise[i + 1] * b;
                }
                i += 2;
            }
            let problem = prepared.problem(r.family, r.data.t, &y_star, weights);
            let mut guess: Vector = [0.0; MAX_PARAMS];
            guess[..prepared.n_params].copy_from_slice(r.params);
            if let Some(k) = &gain {
                for (j, row) in k.iter().enumerate() {
                    let step: f64 = (0..n).map(|i| row[i] * (y_star[i] - fitted[i])).sum();
                    let idx = prepared.free[j];
                    let b = prepared.bounds[idx];
                    guess[idx] = (guess[idx] + step).clamp(b.lower, b.upper);
                }
            }
            let start = problem.internal(&guess[..prepared.n_params]);
            let out_lm = levenberg_marquardt(&problem, &start, &settings, work);
            if !out_lm.chi2.is_finite() {
                continue;
            }
            let p: Vector = problem.external(&out_lm.u);
            if let Some(v) = statistic(&p[..prepared.n_params]).filter(|v| v.is_finite()) {
                out.push(v);
            }
        }
    });
    out.sort_by(|a, b| a.total_cmp(b));
    Some(out)
}

/// `K = (J'WJ)^-1 J'W` over the free parameters at the fitted point (rows: free parameters,
/// columns: points); `None` when `J'WJ` is singular.
fn gain_matrix(prepared: &Prepared, r: &Resampling, weights: &[f64]) -> Option<Vec<Vec<f64>>> {
    let n = r.data.t.len();
    let nf = prepared.n_free;
    let mut rows: Vec<[f64; MAX_PARAMS]> = vec![[0.0; MAX_PARAMS]; n];
    let mut grad = [0.0; MAX_PARAMS];
    let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for (i, row) in rows.iter_mut().enumerate() {
        r.family.gradient(r.data.t[i], r.params, &mut grad);
        for j in 0..nf {
            row[j] = grad[prepared.free[j]];
        }
        for j in 0..nf {
            for k in 0..nf {
                a[j][k] += weights[i] * row[j] * row[k];
            }
        }
    }
    let inv = inverse_spd(&a, nf)?;
    Some(
        (0..nf)
            .map(|j| {
                (0..n)
                    .map(|i| {
                        let jw: f64 = (0..nf).map(|k| inv[j][k] * rows[i][k]).sum();
                        jw * weights[i]
                    })
                    .collect()
            })
            .collect(),
    )
}

/// The `q`-quantile of sorted values (linear interpolation between order statistics).
pub(crate) fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(sorted[lo] + frac * (sorted[hi] - sorted[lo]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normals_have_unit_variance() {
        let mut rng = SplitMix64::new(42);
        let n = 20_000;
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n / 2 {
            let (a, b) = rng.normal_pair();
            s += a + b;
            s2 += a * a + b * b;
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&v, 0.25), Some(2.0));
        assert_eq!(quantile(&v, 0.125), Some(1.5));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn seeds_depend_on_content() {
        let a = curve_seed(1, &[1.0, 2.0], &[0.1, 0.2]);
        assert_eq!(a, curve_seed(1, &[1.0, 2.0], &[0.1, 0.2]));
        assert_ne!(a, curve_seed(1, &[1.0, 2.0], &[0.1, 0.3]));
        assert_ne!(a, curve_seed(2, &[1.0, 2.0], &[0.1, 0.2]));
    }
}
