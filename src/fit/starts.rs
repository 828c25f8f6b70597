//! Multi-start: Levenberg-Marquardt from each of several starting points, the best kept.

use super::lm::{LmOutcome, LmSettings, Problem, levenberg_marquardt};
use super::workspace::Workspace;
use crate::linalg::Vector;

/// The best of several LM runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MultiStart {
    pub best: LmOutcome,
    pub tried: usize,
    pub at_best: usize,
    pub evaluations: usize,
}

/// Runs LM from every start (internal coordinates) and keeps the lowest chi-square; ties keep the
/// earliest start, so the result does not depend on anything but the inputs.
pub(crate) fn multi_start(
    problem: &Problem,
    starts: &[Vector],
    settings: &LmSettings,
    work: &mut Workspace,
) -> Option<MultiStart> {
    const MAX_STARTS: usize = 32;
    let mut chi2s = [f64::INFINITY; MAX_STARTS];
    let mut count = 0;
    let mut evaluations = 0;
    let mut best: Option<LmOutcome> = None;
    for u0 in starts.iter().take(MAX_STARTS) {
        let out = levenberg_marquardt(problem, u0, settings, work);
        evaluations += out.evaluations;
        chi2s[count] = out.chi2;
        count += 1;
        if out.chi2.is_finite() && best.is_none_or(|b| out.chi2 < b.chi2) {
            best = Some(out);
        }
    }
    let best = best?;
    let tol = 1e-6 * best.chi2.max(1e-12) + 1e-12;
    let at_best = chi2s[..count]
        .iter()
        .filter(|c| (*c - best.chi2).abs() <= tol)
        .count();
    Some(MultiStart {
        best,
        tried: count,
        at_best,
        evaluations,
    })
}
