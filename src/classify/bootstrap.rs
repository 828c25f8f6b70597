//! Seeded parametric bootstrap of quantities of a fit (the critical scale, the location of a turn).
//!
//! Resamples `y* = f(t) + sigma* e` with standard normal `e` from a small deterministic generator
//! (SplitMix64 and Box-Muller), refits the same candidate by Levenberg-Marquardt from the original
//! estimate, and takes percentiles. The seed mixes the configured seed with the curve's own numbers,
//! so a curve gets the same interval whatever else is in its batch and on whatever thread.

use crate::family::{CurveFamily, FitData};
use crate::fit::{FitOptions, Refitter};

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

/// A seed for one curve: the configured seed mixed (FNV-1a) with the bits of its scales and
/// of its scores as shares of the metric's maximum `y_max`, rounded to 2^-40: the same curve in
/// percent and in fractions draws the same resamples (a score typed as 12.345 and as 0.12345
/// can differ in its last bit once divided).
pub(crate) fn curve_seed(seed: u64, t: &[f64], y: &[f64], y_max: f64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    let share = |v: &f64| ((v / y_max) * (1u64 << 40) as f64).round().to_bits();
    for bits in t.iter().map(|v| v.to_bits()).chain(y.iter().map(share)) {
        for b in bits.to_le_bytes() {
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
    let refitter = Refitter::new(r.family, r.data, r.options, r.params, r.absolute)?;
    let fitted = refitter.fitted();
    let n = fitted.len();
    let mut rng = SplitMix64::new(r.seed);
    let mut out = Vec::with_capacity(r.resamples);
    refitter.refits(
        r.resamples,
        |y_star| {
            let mut i = 0;
            while i < n {
                let (a, b) = rng.normal_pair();
                y_star[i] = fitted[i] + r.noise[i] * a;
                if i + 1 < n {
                    y_star[i + 1] = fitted[i + 1] + r.noise[i + 1] * b;
                }
                i += 2;
            }
        },
        |p| {
            if let Some(v) = statistic(p).filter(|v| v.is_finite()) {
                out.push(v);
            }
        },
    );
    out.sort_by(|a, b| a.total_cmp(b));
    Some(out)
}

/// The median of a sample (the mean of the middle two for an even count); `None` when empty.
pub(crate) fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        0.5 * (values[n / 2 - 1] + values[n / 2])
    })
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
        let a = curve_seed(1, &[1.0, 2.0], &[0.1, 0.2], 1.0);
        assert_eq!(a, curve_seed(1, &[1.0, 2.0], &[0.1, 0.2], 1.0));
        assert_ne!(a, curve_seed(1, &[1.0, 2.0], &[0.1, 0.3], 1.0));
        assert_ne!(a, curve_seed(2, &[1.0, 2.0], &[0.1, 0.2], 1.0));
        assert_ne!(a, curve_seed(1, &[1.0, 3.0], &[0.1, 0.2], 1.0));
        // the same scores in percent
        assert_eq!(a, curve_seed(1, &[1.0, 2.0], &[10.0, 20.0], 100.0));
    }
}
