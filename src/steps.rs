//! Is the task made of steps? A multi-step task succeeds only when `k` steps all do; with each
//! step's accuracy a smooth trend `p(t)` (linear in log scale), the task's score is `p(t)^k`, and
//! a few smooth steps look like an emergent jump. The test fits the effective number of steps
//! `k >= 1` ([`ComposedSteps`] on [`Linear`]) and compares it with the single smooth trend
//! (the same family with `k` pinned at 1, the nested model) by a likelihood-ratio test.

use crate::curve::Curve;
use crate::error::Result;
use crate::family::{ComposedSteps, Linear};
use crate::fit::{FitOptions, fit};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::sync::Arc;

/// The composed-steps test of one curve.
///
/// ```
/// use emergence_detect::{composed_steps_test, Curve};
/// // five steps, each improving steadily: p = 0.3 + 0.15 (log10 x - 8)
/// let x: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let y: Vec<f64> = x.iter().map(|x| (0.3 + 0.15 * (x.log10() - 8.0)).powi(5)).collect();
/// let c = Curve::builder(x, y).n_examples(vec![5000.0; 9]).build()?;
/// let test = composed_steps_test(&c)?;
/// assert!(test.composed, "{}", test.reason);
/// assert!((test.steps - 5.0).abs() < 1.0);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct StepsTest {
    /// The fitted effective number of steps `k`.
    pub steps: f64,
    /// Its standard error, when the fit has one.
    pub steps_se: Option<f64>,
    /// The likelihood-ratio statistic of `k` free against `k = 1`.
    pub statistic: f64,
    /// Its p-value (chi-square, one degree of freedom; conservative at the boundary `k = 1`).
    pub p_value: f64,
    /// Whether several steps explain the curve better than one smooth trend (at `0.05`).
    pub composed: bool,
    /// The test in plain words.
    pub reason: String,
}

/// Fits one smooth trend and `k` composed steps of it, and tests whether `k > 1` is needed.
///
/// Errors: fewer points than the composed family has parameters plus one, or a failed fit.
pub fn composed_steps_test(curve: &Curve) -> Result<StepsTest> {
    let options = FitOptions::default();
    // the nested model is the same family with k = 1: the per-step accuracy clamped to [0, 1]
    // as in the composed one, so that the test measures k and nothing else
    let family = Arc::new(ComposedSteps::new(Linear));
    let single = fit(family.clone(), curve, &options.clone().fix("k", 1.0))?;
    let composed = fit(family, curve, &options)?;
    let statistic = (single.chi_square() - composed.chi_square()).max(0.0);
    let p_value = ChiSquared::new(1.0).map_or(f64::NAN, |d| d.sf(statistic));
    let steps = composed.value("k").unwrap_or(1.0);
    let steps_se = composed.std_error("k");
    let is_composed = p_value < 0.05 && steps > 1.0;
    let se = steps_se.map_or(String::new(), |s| format!(" +- {s:.1}"));
    let reason = format!(
        "{steps:.1}{se} steps (likelihood ratio {statistic:.1} against one smooth trend, p = {p_value:.3}): {}",
        if is_composed {
            "the curve is better explained as several smooth steps that must all succeed"
        } else {
            "one smooth trend explains it as well"
        }
    );
    Ok(StepsTest {
        steps,
        steps_se,
        statistic,
        p_value,
        composed: is_composed,
        reason,
    })
}
