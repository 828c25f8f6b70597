//! Is emergence faster than any scaling law? Hu et al. (2023, "Predicting emergent abilities
//! with infinite resolution evaluation") observe that for a pass rate `p` that follows a scaling
//! law, `log(-log p)` is linear in `log x`; a curve that is concave there accelerates faster than
//! any scaling law. The test transforms the pass rates (tiny ones included: zero successes are
//! read as half a success, never a NaN), fits a line and a parabola to `log(-log p)` with the
//! fitting engine and the transformed standard errors (delta method), and asks whether the
//! curvature is significantly negative (a likelihood-ratio test, one degree of freedom).

use crate::classify::batch;
use crate::curve::{Axis, Curve};
use crate::error::{Error, Result};
use crate::family::{Linear, Quadratic};
use crate::fit::{FitOptions, fit};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::sync::Arc;

/// The acceleration test of one pass-rate curve.
///
/// ```
/// use emergence_detect::{acceleration_test, Curve};
/// // -log p = 3 x^-0.3 (a scaling law): log(-log p) is linear in log x
/// let x: Vec<f64> = (0..8).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let y: Vec<f64> = x.iter().map(|x| (-3.0 * (x / 1e8).powf(-0.3)).exp()).collect();
/// let c = Curve::builder(x, y).n_examples(vec![100_000.0; 8]).build()?;
/// let test = acceleration_test(&c)?;
/// assert!(!test.accelerating, "{}", test.reason);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct AccelerationTest {
    /// The curvature of `log(-log p)` in `log10 x` (twice the parabola's quadratic coefficient):
    /// zero for a scaling law, negative for emergence faster than any.
    pub curvature: f64,
    /// Its standard error.
    pub curvature_se: f64,
    /// The likelihood-ratio statistic of the parabola against the line (chi-square, 1 dof).
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// Whether the curve accelerates: curvature negative and the test significant at `0.05`.
    pub accelerating: bool,
    /// `log(-log p)` at each size (the transformed points the test fits).
    pub transformed: Vec<f64>,
    /// The test in plain words.
    pub reason: String,
}

/// Runs the acceleration test on a pass-rate curve: scores are success probabilities in
/// `[0, 1]` (fractions), higher is better, with test-set sizes (`n_examples`).
///
/// Errors: a curve without test-set sizes, not on fractions, or lower-is-better
/// ([`Error::InvalidSetting`]); a chance level above 0 (a multiple-choice accuracy is not a pass
/// rate; [`Error::InvalidSetting`]); fewer than 4 sizes ([`Error::TooFewPoints`]); a failed fit.
///
/// ```
/// use emergence_detect::{acceleration_test, Curve};
/// // zero successes at the small sizes are handled, and a jump faster than any law is found
/// let x: Vec<f64> = (0..8).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let y = vec![0.0, 0.0, 0.0001, 0.0003, 0.002, 0.05, 0.4, 0.8];
/// let c = Curve::builder(x, y).n_examples(vec![10_000.0; 8]).build()?;
/// assert!(acceleration_test(&c)?.accelerating);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn acceleration_test(curve: &Curve) -> Result<AccelerationTest> {
    let Some(n) = curve.n_examples() else {
        return Err(Error::InvalidSetting {
            what: "n_examples",
            value: f64::NAN,
            reason: "the acceleration test needs the test-set size of every point",
        });
    };
    if !curve.higher_is_better() || curve.y_max() != 1.0 {
        return Err(Error::InvalidSetting {
            what: "y_max",
            value: curve.y_max(),
            reason: "the acceleration test reads pass rates: fractions in [0, 1], higher is better",
        });
    }
    if let Some(c) = curve.chance().filter(|c| *c > 0.0) {
        return Err(Error::InvalidSetting {
            what: "chance",
            value: c,
            reason: "the acceleration test reads pass rates that start from 0 (exact match, pass@k); a multiple-choice accuracy above chance is not one",
        });
    }
    if curve.len() < 4 {
        return Err(Error::TooFewPoints {
            found: curve.len(),
            needed: 4,
        });
    }
    // pass rates kept off 0 and 1 by half a success, and the delta-method error of log(-log p)
    let mut z = Vec::with_capacity(curve.len());
    let mut sz = Vec::with_capacity(curve.len());
    for (y, n) in curve.y().iter().zip(n) {
        let p = ((y * n).clamp(0.5, n - 0.5)) / n;
        let sd_p = (p * (1.0 - p) / n).sqrt();
        let minus_log = -p.ln();
        z.push(minus_log.ln());
        sz.push((sd_p / (p * minus_log)).max(1e-9));
    }
    let transformed = Curve::builder(curve.x().to_vec(), z.clone())
        .sigma(sz)
        .axis(curve.axis())
        .higher_is_better(false)
        .build()?;
    let options = FitOptions::default();
    let line = fit(Arc::new(Linear), &transformed, &options)?;
    let parabola = fit(Arc::new(Quadratic), &transformed, &options)?;
    let statistic = (line.chi_square() - parabola.chi_square()).max(0.0);
    let p_value = ChiSquared::new(1.0).map_or(f64::NAN, |d| d.sf(statistic));
    let curvature = 2.0 * parabola.value("c").unwrap_or(0.0);
    let curvature_se = 2.0 * parabola.std_error("c").unwrap_or(f64::NAN);
    let accelerating = curvature < 0.0 && p_value < 0.05;
    let axis = match curve.axis() {
        Axis::Log10 => "log10 scale",
        Axis::Linear => "scale",
    };
    let reason = format!(
        "log(-log p) against {axis}: curvature {curvature:.3} +- {curvature_se:.3} (likelihood ratio {statistic:.1}, p = {p_value:.3}); {}",
        if accelerating {
            "concave: the pass rate accelerates faster than any scaling law"
        } else if curvature < 0.0 {
            "no significant curvature: consistent with a scaling law"
        } else {
            "not concave: consistent with a scaling law or slower"
        }
    );
    Ok(AccelerationTest {
        curvature,
        curvature_se,
        statistic,
        p_value,
        accelerating,
        transformed: z,
        reason,
    })
}

/// The acceleration test of many curves, results in input order; one curve's failure never
/// touches the others (parallel under the `rayon` feature, bit-identical to the sequential run).
///
/// ```
/// use emergence_detect::{acceleration_test_all, Curve};
/// let x: Vec<f64> = (0..6).map(|i| 10f64.powf(8.0 + i as f64)).collect();
/// let y = vec![0.01, 0.03, 0.08, 0.18, 0.33, 0.5];
/// let c = Curve::builder(x, y).n_examples(vec![1000.0; 6]).build()?;
/// let results = acceleration_test_all(&[c.clone(), Curve::new(vec![1.0, 2.0], vec![0.1, 0.2])?]);
/// assert!(results[0].is_ok() && results[1].is_err());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn acceleration_test_all(curves: &[Curve]) -> Vec<Result<AccelerationTest>> {
    batch(curves, acceleration_test)
}
