//! Scores the field already uses, reported beside the classification: BIG-bench's normalized score
//! and breakthroughness, the linearity of a curve in `log x`, and PassUntil's transform.

/// BIG-bench's normalized score `100 (raw - low) / (high - low)`, with `low` the chance (or
/// baseline) score and `high` the metric's maximum. `None` when `high == low`.
///
/// ```
/// use emergence_detect::scores::normalized_score;
/// assert_eq!(normalized_score(0.625, 0.25, 1.0), Some(50.0));
/// ```
pub fn normalized_score(raw: f64, low: f64, high: f64) -> Option<f64> {
    let d = high - low;
    (d != 0.0 && d.is_finite()).then(|| 100.0 * (raw - low) / d)
}

/// BIG-bench's breakthroughness (Srivastava et al. 2022, appendix B; Schaeffer et al. 2023's
/// "emergence score"): with `d_i = y_{i+1} - y_i` over points sorted by scale,
/// `sign(argmax y - argmin y) (max y - min y) / sqrt(median(d_i^2))`.
///
/// It ignores the spacing of scales and the noise, and a straight line scores `n - 1`. `None` for
/// fewer than two points and where it is infinite (more than half the steps exactly flat).
///
/// ```
/// use emergence_detect::scores::breakthroughness;
/// // a straight line of 5 points scores n - 1 = 4
/// assert!((breakthroughness(&[0.1, 0.2, 0.3, 0.4, 0.5]).unwrap() - 4.0).abs() < 1e-12);
/// // a jump at the end scores higher
/// assert!(breakthroughness(&[0.0, 0.01, 0.0, 0.01, 0.6]).unwrap() > 4.0);
/// ```
pub fn breakthroughness(y: &[f64]) -> Option<f64> {
    if y.len() < 2 {
        return None;
    }
    let mut d2: Vec<f64> = y.windows(2).map(|w| (w[1] - w[0]).powi(2)).collect();
    d2.sort_by(|a, b| a.total_cmp(b));
    let m = d2.len();
    let median = if m % 2 == 1 {
        d2[m / 2]
    } else {
        0.5 * (d2[m / 2 - 1] + d2[m / 2])
    };
    let (mut lo, mut hi) = (0, 0);
    for (i, v) in y.iter().enumerate() {
        if *v < y[lo] {
            lo = i;
        }
        if *v > y[hi] {
            hi = i;
        }
    }
    let sign = if hi >= lo { 1.0 } else { -1.0 };
    let b = sign * (y[hi] - y[lo]) / median.sqrt();
    b.is_finite().then_some(b)
}

/// The coefficient of determination of the least-squares line `y = a + b t` (unweighted); BIG-bench
/// defines a linearity score whose exact formula is not published, and this is the stand-in we
/// report. `None` for fewer than three points or constant `y`.
///
/// ```
/// use emergence_detect::scores::linear_r_squared;
/// assert!((linear_r_squared(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap() - 1.0).abs() < 1e-12);
/// ```
pub fn linear_r_squared(t: &[f64], y: &[f64]) -> Option<f64> {
    let n = t.len().min(y.len());
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let tm = t[..n].iter().sum::<f64>() / nf;
    let ym = y[..n].iter().sum::<f64>() / nf;
    let (mut stt, mut sty, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dt, dy) = (t[i] - tm, y[i] - ym);
        stt += dt * dt;
        sty += dt * dy;
        syy += dy * dy;
    }
    // r = sty / sqrt(stt syy), formed so that no product overflows
    let r = (sty / stt.sqrt()) / syy.sqrt();
    (stt > 0.0 && syy > 0.0 && r.is_finite()).then(|| (r * r).clamp(0.0, 1.0))
}

/// PassUntil's transform (Hu et al. 2023): `ln(-ln p)` of a pass rate `p` in (0, 1), linear in
/// `ln N` under smooth scaling; a convex curve there signals accelerated emergence. `None` outside
/// (0, 1).
///
/// ```
/// use emergence_detect::scores::pass_until_transform;
/// assert!(pass_until_transform(0.5).unwrap() < 0.0);
/// assert!(pass_until_transform(1.0).is_none());
/// ```
pub fn pass_until_transform(p: f64) -> Option<f64> {
    (p > 0.0 && p < 1.0).then(|| (-p.ln()).ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakthroughness_sign_and_infinity() {
        assert!(breakthroughness(&[0.5, 0.4, 0.3]).unwrap() < 0.0);
        // three of four steps flat: the median step is zero
        assert_eq!(breakthroughness(&[0.0, 0.0, 0.0, 0.0, 0.9]), None);
        assert_eq!(breakthroughness(&[0.3]), None);
    }

    #[test]
    fn linearity_of_a_curve() {
        let t = [7.0, 8.0, 9.0, 10.0];
        assert!(linear_r_squared(&t, &[0.0, 0.0, 0.0, 1.0]).unwrap() < 0.7);
        assert_eq!(linear_r_squared(&t, &[0.2; 4]), None);
    }
}
