//! Refits of one fitted family to perturbed copies of its data: the crate's entry point for
//! resampling (the bootstrap of the classifier's intervals). It hides the engine's internals (the
//! resolved options, the LM settings, the workspace) behind two calls.

use super::lm::{LmSettings, Problem, levenberg_marquardt};
use super::options::{FitOptions, Prepared};
use super::workspace::with_workspace;
use crate::family::{CurveFamily, FitData};
use crate::linalg::{MAX_PARAMS, Vector, inverse_spd};

/// A fitted family ready to be refitted to data that differ from the original in `y` only.
///
/// Each refit starts from the Gauss-Newton step of the original fit, `p + K (y* - f)` with
/// `K = (J'WJ)^-1 J'W` computed once, so that LM needs only a few evaluations to finish (from
/// `p` itself when that step leaves the parameters' bounds: the linearisation does not hold
/// there, and a start clamped onto a bound can sit on a plateau LM cannot leave). A refit
/// stops when its parameters are good to a few hundredths of a standard error: relative reduction
/// and step `1e-4`, the absolute chi-square tolerance `1e-3` when the noise is known, 30
/// evaluations at most.
pub(crate) struct Refitter<'a> {
    family: &'a dyn CurveFamily,
    data: &'a FitData<'a>,
    prepared: Prepared,
    params: &'a [f64],
    fitted: Vec<f64>,
    gain: Option<Vec<Vec<f64>>>,
    settings: LmSettings,
}

impl<'a> Refitter<'a> {
    /// Prepares refits of `family` at the fitted `params` (the full vector) on `data`, with the
    /// pins and bounds of `options`; `absolute` when chi-square is in absolute units (known noise).
    /// `None` when the options do not resolve against the family.
    pub(crate) fn new(
        family: &'a dyn CurveFamily,
        data: &'a FitData<'a>,
        options: &FitOptions,
        params: &'a [f64],
        absolute: bool,
    ) -> Option<Refitter<'a>> {
        let prepared = Prepared::new(family, data, options).ok()?;
        let fitted: Vec<f64> = data.t.iter().map(|t| family.eval(*t, params)).collect();
        let gain = gain_matrix(family, data, &prepared, params);
        let settings = LmSettings {
            ftol: 1e-4,
            chi2_tol: if absolute { 1e-3 } else { 0.0 },
            decrement_floor: true,
            final_step: false,
            finish_below: 0.0,
            xtol: 1e-4,
            gtol: 1e-10,
            max_evaluations: 30,
            initial_damping: 1e-3,
        };
        Some(Refitter {
            family,
            data,
            prepared,
            params,
            fitted,
            gain,
            settings,
        })
    }

    /// The fitted curve at the data's scales.
    pub(crate) fn fitted(&self) -> &[f64] {
        &self.fitted
    }

    /// Runs `count` refits on one workspace: `fill` writes each perturbed `y*` into the buffer it
    /// is given (one entry per point), `take` receives the refitted parameters (the full vector)
    /// of each refit whose objective is finite.
    pub(crate) fn refits(
        &self,
        count: usize,
        mut fill: impl FnMut(&mut [f64]),
        mut take: impl FnMut(&[f64]),
    ) {
        let n = self.data.t.len();
        let n_params = self.prepared.n_params;
        let weights = self.data.weights();
        let mut y_star = vec![0.0; n];
        with_workspace(|work| {
            for _ in 0..count {
                fill(&mut y_star);
                let problem: Problem =
                    self.prepared
                        .problem(self.family, self.data.t, &y_star, weights);
                let mut guess: Vector = [0.0; MAX_PARAMS];
                guess[..n_params].copy_from_slice(self.params);
                if let Some(k) = &self.gain {
                    let mut inside = true;
                    for (j, row) in k.iter().enumerate() {
                        let step: f64 = (0..n).map(|i| row[i] * (y_star[i] - self.fitted[i])).sum();
                        let idx = self.prepared.free[j];
                        let b = self.prepared.bounds[idx];
                        let moved = guess[idx] + step;
                        inside &= b.contains(moved);
                        guess[idx] = moved;
                    }
                    // a linear step that leaves the bounds has left the region where the
                    // linearisation holds (a step-like sigmoid whose position the data barely
                    // pin): clamped to a bound, the refit would start on a plateau it cannot
                    // leave; it starts from the fit itself instead
                    if !inside {
                        guess[..n_params].copy_from_slice(self.params);
                    }
                }
                let start = problem.internal(&guess[..n_params]);
                let outcome = levenberg_marquardt(&problem, &start, &self.settings, work);
                if outcome.chi2.is_finite() {
                    let p: Vector = problem.external(&outcome.u);
                    take(&p[..n_params]);
                }
            }
        });
    }
}

/// `K = (J'WJ)^-1 J'W` over the free parameters at `params` (rows: free parameters, columns:
/// points); `None` when `J'WJ` is singular.
fn gain_matrix(
    family: &dyn CurveFamily,
    data: &FitData,
    prepared: &Prepared,
    params: &[f64],
) -> Option<Vec<Vec<f64>>> {
    let n = data.t.len();
    let weights = data.weights();
    let nf = prepared.n_free;
    let mut rows: Vec<[f64; MAX_PARAMS]> = vec![[0.0; MAX_PARAMS]; n];
    let mut grad = [0.0; MAX_PARAMS];
    let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for (i, row) in rows.iter_mut().enumerate() {
        family.gradient(data.t[i], params, &mut grad);
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
