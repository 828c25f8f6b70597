//! Huber's loss by iteratively reweighted Levenberg-Marquardt.

use super::lm::{LmOutcome, LmSettings, Problem, levenberg_marquardt};
use super::workspace::Workspace;

/// Iteratively reweighted LM for Huber's loss, from the least-squares optimum.
pub(super) fn huber_refit(
    problem: &Problem,
    weights: &[f64],
    start: LmOutcome,
    delta: f64,
    settings: &LmSettings,
    work: &mut Workspace,
) -> (LmOutcome, usize) {
    let mut w = weights.to_vec();
    let mut best = start;
    let mut evaluations = 0;
    for _ in 0..30 {
        let p = problem.external(&best.u);
        let mut change: f64 = 0.0;
        for i in 0..problem.t.len() {
            let z = (problem.family.eval(problem.t[i], &p[..problem.n_params]) - problem.y[i])
                .abs()
                * weights[i].sqrt();
            let factor = if z > delta { delta / z } else { 1.0 };
            let new = weights[i] * factor;
            change = change.max((new - w[i]).abs() / weights[i]);
            w[i] = new;
        }
        if change < 1e-9 {
            break;
        }
        let reweighted = Problem { w: &w, ..*problem };
        let out = levenberg_marquardt(&reweighted, &best.u, settings, work);
        evaluations += out.evaluations;
        if !out.chi2.is_finite() {
            break;
        }
        best = out;
    }
    // report the plain weighted chi-square of the robust solution
    best.chi2 = problem.chi2(&problem.external(&best.u));
    (best, evaluations)
}
