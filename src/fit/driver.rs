//! The fit driver: the self-starter's guesses and the caller's starts, ranked by their initial
//! chi-square and run from (module `starts`), the Nelder-Mead fallback when none converged, the
//! Huber refit, then the statistics.

use super::fallback::rescue;
use super::lm::LmSettings;
use super::options::{FitOptions, Loss, Prepared};
use super::result::Fit;
use super::robust::huber_refit;
use super::starts::{MultiStart, multi_start};
use super::workspace::with_workspace;
use crate::curve::Axis;
use crate::error::{Error, Result};
use crate::family::{CurveFamily, FitData};
use crate::linalg::Vector;
use std::sync::Arc;

/// The weighted chi-square of the best constant through `y`.
fn constant_chi2(y: &[f64], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    let mean = y.iter().zip(weights).map(|(y, w)| y * w).sum::<f64>() / total;
    y.iter()
        .zip(weights)
        .map(|(y, w)| w * (y - mean) * (y - mean))
        .sum()
}

/// [`fit`] on raw data; the classifier's entry point. The family is borrowed and its reference
/// count touched once, for the `Fit` that keeps it: a count shared by threads is a contended cache
/// line, and a batch on several cores pays for every touch.
pub(crate) fn fit_data(
    family: &Arc<dyn CurveFamily>,
    data: &FitData,
    absolute_sigma: bool,
    axis: Axis,
    options: &FitOptions,
) -> Result<Fit> {
    let prepared = Prepared::new(family.as_ref(), data, options)?;
    let n = data.t.len();
    if prepared.n_free > n {
        return Err(Error::TooFewPoints {
            found: n,
            needed: prepared.n_free,
        });
    }
    let weights = data.weights();
    let problem = prepared.problem(family.as_ref(), data.t, data.y, weights);
    let guesses = if options.self_starter {
        family.initial_guesses(data)
    } else {
        Vec::new()
    };
    let mut starts: Vec<Vector> = Vec::with_capacity(guesses.len() + options.starts.len());
    for s in guesses.iter().chain(&options.starts) {
        if s.len() != prepared.n_params {
            return Err(Error::InvalidFamily {
                family: family.name().to_string(),
                reason: format!(
                    "a start has {} entries for {} parameters",
                    s.len(),
                    prepared.n_params
                ),
            });
        }
        if s.iter().all(|v| v.is_finite()) {
            starts.push(problem.internal(s));
        }
    }
    if let Some(k) = options.max_starts
        && starts.len() > k
    {
        // the k lowest chi-squares, equals in their given order (a stable sort)
        let mut scored: Vec<(f64, Vector)> = starts
            .iter()
            .map(|u| (problem.chi2(&problem.external(u)), *u))
            .collect();
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        starts.clear();
        starts.extend(scored.into_iter().take(k).map(|(_, u)| u));
    }
    if guesses.is_empty() && options.starts.is_empty() {
        return Err(Error::InvalidFamily {
            family: family.name().to_string(),
            reason: "no starting point (self-starter off and no start given)".into(),
        });
    }
    let settings = options.settings(prepared.n_free);
    let failed = |reason: &str| Error::FitFailed {
        family: family.name().to_string(),
        reason: reason.to_string(),
    };
    with_workspace(|work| {
        let mut ms = multi_start(&problem, &starts, &settings, work);
        // converged, yet no better than a constant through the data: the first Gauss-Newton
        // steps threw the parameters onto a plateau (an exponential rate so large that the model
        // is flat). The starts are run again with short first steps, and the better end kept.
        if let Some(m) = ms
            && options.plateau_restart
            && m.best.termination.converged()
            && prepared.n_free >= 2
            && m.best.chi2 >= constant_chi2(data.y, weights)
        {
            let careful = LmSettings {
                initial_damping: 1e3,
                ..settings
            };
            if let Some(again) = multi_start(&problem, &starts, &careful, work)
                && again.best.chi2 < m.best.chi2
            {
                ms = Some(MultiStart {
                    evaluations: m.evaluations + again.evaluations,
                    tried: m.tried + again.tried,
                    ..again
                });
            }
        }
        if options.nelder_mead_fallback && ms.is_none_or(|m| !m.best.termination.converged()) {
            ms = rescue(&problem, &starts, ms, &settings, work);
        }
        let mut ms = ms.ok_or_else(|| failed("the objective is not finite at any start"))?;
        if let Loss::Huber { delta } = options.loss {
            if !(delta.is_finite() && delta > 0.0) {
                return Err(Error::InvalidSetting {
                    what: "Huber delta",
                    value: delta,
                    reason: "must be positive and finite",
                });
            }
            let (best, evals) = huber_refit(&problem, weights, ms.best, delta, &settings, work);
            ms.best = best;
            ms.evaluations += evals;
        }
        Ok(Fit::assemble(
            Arc::clone(family),
            &prepared,
            &problem,
            data,
            &ms,
            (absolute_sigma, axis),
            work,
        ))
    })
}
