//! Is the task made of steps? A multi-step task succeeds only when `k` steps all do; with each
//! step's accuracy a smooth trend `p(t)` (linear in log scale), the task's score is `p(t)^k`, and
//! a few smooth steps look like an emergent jump. The test fits the effective number of steps
//! `k >= 1` ([`ComposedSteps`] on [`Linear`]) and compares it with the single smooth trend
//! (the same family with `k` pinned at 1, the nested model) by a likelihood-ratio test.

use crate::classify::batch;
use crate::curve::Curve;
use crate::error::{Error, Result};
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
/// Errors: a chance level above 0 ([`Error::InvalidSetting`]: `p^k` describes success rates that
/// start from 0, such as exact match; a multiple-choice accuracy does not), fewer points than the
/// composed family has parameters plus one, or a failed fit.
pub fn composed_steps_test(curve: &Curve) -> Result<StepsTest> {
    if let Some(c) = curve.chance().filter(|c| *c > 0.0) {
        return Err(Error::InvalidSetting {
            what: "chance",
            value: c,
            reason: "the composed-steps test reads success rates that start from 0 (exact match); a multiple-choice accuracy above chance is not one",
        });
    }
    let options = FitOptions::default();
    // the nested model is the same family with k = 1: the per-step accuracy clamped to [0, 1]
    // as in the composed one, so that the test measures k and nothing else
    let family = Arc::new(ComposedSteps::new(Linear));
    let composed = fit(family.clone(), curve, &options)?;
    // the nested fit also starts from the composed fit's trend, so that it is never worse than
    // that trend with k = 1: a likelihood ratio must not come from a start the nested fit missed
    let mut from_composed = composed.params().to_vec();
    if let Some(k) = from_composed.last_mut() {
        *k = 1.0;
    }
    let single = fit(
        family,
        curve,
        &options.clone().fix("k", 1.0).start(from_composed),
    )?;
    let statistic = (single.chi_square() - composed.chi_square()).max(0.0);
    let p_value = ChiSquared::new(1.0).map_or(f64::NAN, |d| d.sf(statistic));
    let steps = composed.value("k").unwrap_or(1.0);
    let steps_se = composed.std_error("k");
    // at its bound, k says only that the rise is sharper than steady steps compose to
    let at_bound = steps >= 0.99 * ComposedSteps::MAX_STEPS;
    let is_composed = p_value < 0.05 && steps > 1.0 && !at_bound;
    let se = steps_se.map_or(String::new(), |s| format!(" +- {s:.1}"));
    let reason = if at_bound {
        format!(
            "the number of steps runs to its bound ({:.0}; likelihood ratio {statistic:.1}, p = {p_value:.3}): the rise is sharper than any number of steady steps composes to, so it says nothing about a few steps",
            ComposedSteps::MAX_STEPS
        )
    } else {
        format!(
            "{steps:.1}{se} steps (likelihood ratio {statistic:.1} against one smooth trend, p = {p_value:.3}): {}",
            if is_composed {
                "the curve is better explained as several smooth steps that must all succeed"
            } else {
                "one smooth trend explains it as well"
            }
        )
    };
    Ok(StepsTest {
        steps,
        steps_se,
        statistic,
        p_value,
        composed: is_composed,
        reason,
    })
}

/// The composed-steps test of many curves, results in input order; one curve's failure never
/// touches the others (parallel under the `rayon` feature, bit-identical to the sequential run).
///
/// ```
/// use emergence_detect::{composed_steps_test_all, Curve};
/// let x: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let y: Vec<f64> = x.iter().map(|x| 0.2 + 0.08 * (x.log10() - 8.0)).collect();
/// let c = Curve::builder(x, y).n_examples(vec![5000.0; 9]).build()?;
/// let results = composed_steps_test_all(&[c]);
/// assert!(!results[0].as_ref().unwrap().composed);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn composed_steps_test_all(curves: &[Curve]) -> Vec<Result<StepsTest>> {
    batch(curves, composed_steps_test)
}
