//! Derivative-free fallback: argmin's Nelder-Mead on the internal (unbounded) variables, used when
//! no Levenberg-Marquardt start converged. argmin stays behind this module: none of its types leave
//! it.

use super::lm::{LmSettings, Problem, levenberg_marquardt};
use super::starts::MultiStart;
use super::termination::Termination;
use super::workspace::Workspace;
use crate::linalg::{MAX_PARAMS, Vector};
use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;

/// The chi-square of a [`Problem`] as a function of its free internal variables.
struct Objective<'a, 'b> {
    problem: &'a Problem<'b>,
}

impl CostFunction for Objective<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Self::Param) -> Result<f64, argmin::core::Error> {
        let mut v = [0.0; MAX_PARAMS];
        v[..u.len()].copy_from_slice(u);
        // a non-finite objective is a very bad point, never an error (argmin unwraps the first costs)
        Ok(self.problem.chi2(&self.problem.external(&v)).min(f64::MAX))
    }
}

/// The result of a Nelder-Mead run.
pub(crate) struct NelderMeadOutcome {
    /// Best internal point.
    pub u: Vector,
    /// Approximate objective evaluations (two per iteration plus the simplex).
    pub evaluations: usize,
    /// Whether the simplex collapsed below its tolerance before the iteration cap.
    pub converged: bool,
}

/// Minimises chi-square from `u0` with Nelder-Mead, or `None` if argmin reported an error.
pub(crate) fn nelder_mead(
    problem: &Problem,
    u0: &Vector,
    max_iters: u64,
) -> Option<NelderMeadOutcome> {
    let n = problem.n_free;
    if n == 0 {
        return None;
    }
    let start: Vec<f64> = u0[..n].to_vec();
    let mut simplex = vec![start.clone()];
    for j in 0..n {
        let mut v = start.clone();
        v[j] += 0.2 * v[j].abs().max(0.5);
        simplex.push(v);
    }
    let solver = NelderMead::new(simplex).with_sd_tolerance(1e-12).ok()?;
    let result = Executor::new(Objective { problem }, solver)
        .configure(|state| state.max_iters(max_iters))
        .timer(false)
        .run()
        .ok()?;
    let state = result.state();
    let best = state.get_best_param()?;
    let mut u = [0.0; MAX_PARAMS];
    u[..n].copy_from_slice(best);
    let iters = state.get_iter();
    Some(NelderMeadOutcome {
        u,
        evaluations: 2 * iters as usize + n + 1,
        converged: iters < max_iters && state.get_best_cost().is_finite(),
    })
}

/// The fallback when no start converged: Nelder-Mead from the best LM point (or the first start),
/// then LM again from where the simplex ended. Its result replaces `ms` only when it is at least
/// as good; it is marked [`Termination::NelderMead`] when either stage converged. This promises a
/// point no worse than LM's, not a minimum: on a curve no family describes it can still stop on a
/// plateau, and its `termination` says how it ended.
pub(crate) fn rescue(
    problem: &Problem,
    starts: &[Vector],
    ms: Option<MultiStart>,
    settings: &LmSettings,
    work: &mut Workspace,
) -> Option<MultiStart> {
    let from = ms.map(|m| m.best.u).or_else(|| starts.first().copied());
    let Some(u0) = from else {
        return ms;
    };
    let Some(nm) = nelder_mead(problem, &u0, 200 * (problem.n_free as u64 + 1)) else {
        return ms;
    };
    let mut polished = levenberg_marquardt(problem, &nm.u, settings, work);
    if !(polished.chi2.is_finite() && ms.is_none_or(|m| polished.chi2 <= m.best.chi2)) {
        return ms;
    }
    if polished.termination.converged() || nm.converged {
        polished.termination = Termination::NelderMead;
    }
    polished.evaluations += nm.evaluations;
    let (tried, at_best, evaluations) =
        ms.map_or((0, 0, 0), |m| (m.tried, m.at_best, m.evaluations));
    Some(MultiStart {
        best: polished,
        tried: tried + 1,
        at_best: at_best.max(1),
        evaluations: evaluations + polished.evaluations,
    })
}
