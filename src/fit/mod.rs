//! The fitting engine: weighted nonlinear least squares of one family to one curve.
//!
//! Levenberg-Marquardt (module `lm`) from every start of the family's self-starter plus the
//! caller's starts, bounds by internal transformation, pinned parameters, optional Huber loss by
//! iterative reweighting, and a Nelder-Mead fallback (argmin) when no start converges. The result,
//! [`Fit`], carries the parameters with their uncertainties and the usual fit statistics.

mod lm;
mod nelder_mead;
mod report;
mod transform;

pub use lm::Termination;

pub(crate) use lm::{
    LmOutcome, LmSettings, Problem, Workspace, levenberg_marquardt, with_workspace,
};

use crate::curve::{Axis, Curve};
use crate::error::{Error, Result};
use crate::family::{Bounds, CurveFamily, FitData};
use crate::linalg::{MAX_PARAMS, Matrix, Vector, inverse_spd, pseudo_inverse};
use ndarray::Array2;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use std::sync::Arc;
use transform::Transform;

/// The loss applied to the standardised residuals `r_i / sigma_i`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Loss {
    /// Ordinary weighted least squares.
    #[default]
    LeastSquares,
    /// Huber's loss (quadratic within `delta` standard errors, linear beyond), as in the Chinchilla
    /// fit of Hoffmann et al. 2022, by iteratively reweighted Levenberg-Marquardt.
    Huber {
        /// The threshold in standard errors (1.345 gives 95% efficiency under normal noise).
        delta: f64,
    },
}

/// Options of one fit. The defaults suit the built-in families; see each builder method.
///
/// ```
/// use emergence_detect::{FitOptions, Loss};
/// let opts = FitOptions::default()
///     .fix("floor", 0.25)
///     .loss(Loss::Huber { delta: 1.345 })
///     .max_evaluations(500);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    ftol: f64,
    xtol: f64,
    gtol: f64,
    max_evaluations: Option<usize>,
    loss: Loss,
    fixed: Vec<(String, f64)>,
    bounds: Vec<(String, Bounds)>,
    starts: Vec<Vec<f64>>,
    self_starter: bool,
    nelder_mead_fallback: bool,
    absolute_sigma: Option<bool>,
    max_starts: Option<usize>,
    chi2_tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            ftol: 1.5e-8,
            xtol: 1.5e-8,
            gtol: 1e-10,
            max_evaluations: None,
            loss: Loss::LeastSquares,
            fixed: Vec::new(),
            bounds: Vec::new(),
            starts: Vec::new(),
            self_starter: true,
            nelder_mead_fallback: true,
            absolute_sigma: None,
            max_starts: None,
            chi2_tolerance: 0.0,
        }
    }
}

impl FitOptions {
    /// Pins parameter `name` at `value` (it no longer moves and has no standard error).
    pub fn fix(mut self, name: &str, value: f64) -> Self {
        self.fixed.retain(|(n, _)| n != name);
        self.fixed.push((name.to_string(), value));
        self
    }

    /// Replaces the family's default bounds of parameter `name`.
    pub fn bound(mut self, name: &str, bounds: Bounds) -> Self {
        self.bounds.retain(|(n, _)| n != name);
        self.bounds.push((name.to_string(), bounds));
        self
    }

    /// Adds a starting point (all parameters, pinned ones included: their entries are ignored).
    pub fn start(mut self, p: Vec<f64>) -> Self {
        self.starts.push(p);
        self
    }

    /// Whether to use the family's self-starter (default `true`); turn off to fit from your own
    /// starts only.
    pub fn self_starter(mut self, yes: bool) -> Self {
        self.self_starter = yes;
        self
    }

    /// Whether to fall back to Nelder-Mead when no start converges (default `true`).
    pub fn nelder_mead_fallback(mut self, yes: bool) -> Self {
        self.nelder_mead_fallback = yes;
        self
    }

    /// Runs LM only from the `n` starts with the lowest initial chi-square (ties keep their order);
    /// default: every start. Trades a little robustness for speed in bulk work.
    pub fn max_starts(mut self, n: usize) -> Self {
        self.max_starts = Some(n.max(1));
        self
    }

    /// An absolute tolerance on chi-square (default 0): a step that would lower it by less than
    /// this (and by less than `ftol` relatively) ends the fit. With known standard errors, chi-square
    /// is in absolute units, and a change of 1e-3 moves no information criterion that matters.
    pub fn chi2_tolerance(mut self, tol: f64) -> Self {
        self.chi2_tolerance = if tol.is_finite() { tol.max(0.0) } else { 0.0 };
        self
    }

    /// The loss (default least squares).
    pub fn loss(mut self, loss: Loss) -> Self {
        self.loss = loss;
        self
    }

    /// MINPACK-style tolerances: relative chi-square reduction, relative step, gradient cosine
    /// (defaults 1.5e-8, 1.5e-8 and 1e-10, as MINPACK's and scipy's `curve_fit`).
    pub fn tolerances(mut self, ftol: f64, xtol: f64, gtol: f64) -> Self {
        self.ftol = ftol;
        self.xtol = xtol;
        self.gtol = gtol;
        self
    }

    /// The budget of objective evaluations per start (default `100 * (free parameters + 1)`).
    pub fn max_evaluations(mut self, n: usize) -> Self {
        self.max_evaluations = Some(n);
        self
    }

    /// Whether the standard errors are absolute (default: when the curve's noise is known). When
    /// not, the covariance is scaled by the reduced chi-square.
    pub fn absolute_sigma(mut self, yes: bool) -> Self {
        self.absolute_sigma = Some(yes);
        self
    }

    fn settings(&self, n_free: usize) -> LmSettings {
        LmSettings {
            ftol: self.ftol,
            chi2_tol: self.chi2_tolerance,
            decrement_floor: false,
            xtol: self.xtol,
            gtol: self.gtol,
            max_evaluations: self.max_evaluations.unwrap_or(100 * (n_free + 1)).max(2),
        }
    }
}

/// A family's free/pinned split, transforms and bounds, resolved against one data set.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub n_params: usize,
    pub free: [usize; MAX_PARAMS],
    pub n_free: usize,
    pub base: Vector,
    pub transforms: [Transform; MAX_PARAMS],
    pub bounds: Vec<Bounds>,
    pub fixed: [bool; MAX_PARAMS],
}

impl Prepared {
    pub(crate) fn new(
        family: &dyn CurveFamily,
        data: &FitData,
        options: &FitOptions,
    ) -> Result<Prepared> {
        let names = family.param_names();
        let n_params = names.len();
        let invalid = |reason: String| Error::InvalidFamily {
            family: family.name().to_string(),
            reason,
        };
        if n_params == 0 || n_params > MAX_PARAMS {
            return Err(invalid(format!(
                "{n_params} parameters; the engine fits 1 to {MAX_PARAMS}"
            )));
        }
        let index_of = |name: &str| {
            names
                .iter()
                .position(|n| *n == name)
                .ok_or_else(|| Error::UnknownParameter {
                    family: family.name().to_string(),
                    name: name.to_string(),
                })
        };
        let mut bounds = family.bounds(data);
        if bounds.len() != n_params {
            return Err(invalid(format!(
                "bounds() gave {} entries for {n_params} parameters",
                bounds.len()
            )));
        }
        for (name, b) in &options.bounds {
            bounds[index_of(name)?] = *b;
        }
        if let Some(b) = bounds.iter().find(|b| !b.is_valid()) {
            return Err(invalid(format!(
                "invalid bounds [{}, {}]",
                b.lower, b.upper
            )));
        }
        let mut base = [0.0; MAX_PARAMS];
        let mut fixed = [false; MAX_PARAMS];
        for (name, v) in &options.fixed {
            if !v.is_finite() {
                return Err(Error::InvalidSetting {
                    what: "fixed parameter value",
                    value: *v,
                    reason: "must be finite",
                });
            }
            let j = index_of(name)?;
            fixed[j] = true;
            base[j] = *v;
        }
        let mut free = [0; MAX_PARAMS];
        let mut transforms = [Transform::Identity; MAX_PARAMS];
        let mut n_free = 0;
        for j in 0..n_params {
            if !fixed[j] {
                free[n_free] = j;
                transforms[n_free] = Transform::new(bounds[j]);
                n_free += 1;
            }
        }
        Ok(Prepared {
            n_params,
            free,
            n_free,
            base,
            transforms,
            bounds,
            fixed,
        })
    }

    /// The LM problem on data `(t, y, w)`.
    pub(crate) fn problem<'a>(
        &self,
        family: &'a dyn CurveFamily,
        t: &'a [f64],
        y: &'a [f64],
        w: &'a [f64],
    ) -> Problem<'a> {
        Problem {
            family,
            t,
            y,
            w,
            n_params: self.n_params,
            free: self.free,
            n_free: self.n_free,
            base: self.base,
            transforms: self.transforms,
        }
    }
}

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

/// A fitted family: parameters with uncertainties, fit statistics and how the optimiser ended.
///
/// `Display` prints a report in the spirit of lmfit's `fit_report`.
///
/// ```
/// use emergence_detect::{fit, Curve, FitOptions, Quadratic};
/// use std::sync::Arc;
///
/// let x: Vec<f64> = (0..7).map(|i| 10f64.powf(7.0 + i as f64)).collect();
/// let y = vec![0.62, 0.55, 0.50, 0.47, 0.49, 0.56, 0.63];
/// let f = fit(Arc::new(Quadratic), &Curve::builder(x, y).sigma(vec![0.01; 7]).build()?, &FitOptions::default())?;
/// let (b, c) = (f.value("b").unwrap(), f.value("c").unwrap());
/// let vertex = -b / (2.0 * c);
/// assert!(c > 0.0 && vertex > 9.0 && vertex < 11.0); // a U with its minimum near 1e10
/// assert!(f.std_error("c").unwrap() < c); // significant curvature
/// assert_eq!(f.dof(), 4);
/// assert!(f.aicc() > f.aic()); // the small-sample penalty
/// println!("{f}");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Fit {
    family: Arc<dyn CurveFamily>,
    n_params: usize,
    params: Vector,
    fixed: [bool; MAX_PARAMS],
    std_errors: [Option<f64>; MAX_PARAMS],
    n_points: usize,
    n_free: usize,
    chi_square: f64,
    log_likelihood: f64,
    aic: f64,
    aicc: f64,
    bic: f64,
    r_squared: Option<f64>,
    evaluations: usize,
    iterations: usize,
    termination: Termination,
    starts_tried: usize,
    starts_at_best: usize,
    absolute_sigma: bool,
    axis: Axis,
    /// The (free-parameter, external) covariance on stack arrays, for fast bands.
    cov_free: Option<Box<Matrix>>,
}

#[cfg(feature = "serde")]
impl serde::Serialize for Fit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Fit", 16)?;
        st.serialize_field("family", self.family.name())?;
        st.serialize_field("names", self.names())?;
        st.serialize_field("params", self.params())?;
        st.serialize_field("fixed", self.fixed())?;
        st.serialize_field("std_errors", self.std_errors())?;
        st.serialize_field("n_points", &self.n_points)?;
        st.serialize_field("n_free", &self.n_free)?;
        st.serialize_field("chi_square", &self.chi_square)?;
        st.serialize_field("log_likelihood", &self.log_likelihood)?;
        st.serialize_field("aic", &finite_or_null(self.aic))?;
        st.serialize_field("aicc", &finite_or_null(self.aicc))?;
        st.serialize_field("bic", &finite_or_null(self.bic))?;
        st.serialize_field("r_squared", &self.r_squared)?;
        st.serialize_field("evaluations", &self.evaluations)?;
        st.serialize_field("termination", &self.termination)?;
        st.serialize_field("starts_at_best", &self.starts_at_best)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
fn finite_or_null(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Fits `family` to `curve` by weighted least squares.
///
/// Weights are `1/sigma_i^2` from the curve's noise model (all 1 when unknown, the scale then
/// estimated from the residuals). A budget that runs out is a [`Termination`] on the result, not
/// an error.
///
/// # Errors
/// [`Error::UnknownParameter`] for a pinned or bounded name the family lacks,
/// [`Error::InvalidFamily`] for a family or start of the wrong shape, [`Error::TooFewPoints`] when
/// there are fewer points than free parameters, [`Error::FitFailed`] when no start gives a finite
/// objective.
///
/// ```
/// use emergence_detect::{Curve, FitOptions, Logistic, fit};
/// use std::sync::Arc;
///
/// let x: Vec<f64> = (0..8).map(|i| 10f64.powf(7.0 + 0.6 * i as f64)).collect();
/// let y: Vec<f64> = x
///     .iter()
///     .map(|x| 0.25 + 0.6 / (1.0 + (-4.0 * (x.log10() - 9.5)).exp()))
///     .collect();
/// let curve = Curve::builder(x, y).n_examples(vec![1000.0; 8]).build()?;
/// let f = fit(Arc::new(Logistic), &curve, &FitOptions::default())?;
/// assert!((f.value("t0").unwrap() - 9.5).abs() < 1e-6);
/// assert!(f.termination().converged());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn fit(family: Arc<dyn CurveFamily>, curve: &Curve, options: &FitOptions) -> Result<Fit> {
    let data = FitData::from_curve(curve);
    let absolute = options.absolute_sigma.unwrap_or(curve.noise().is_known());
    fit_data(&family, &data, absolute, curve.axis(), options)
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
        if options.nelder_mead_fallback && ms.is_none_or(|m| !m.best.termination.converged()) {
            let from = ms.map(|m| m.best.u).or_else(|| starts.first().copied());
            if let Some(u0) = from
                && let Some(nm) =
                    nelder_mead::nelder_mead(&problem, &u0, 200 * (prepared.n_free as u64 + 1))
            {
                let mut polished = levenberg_marquardt(&problem, &nm.u, &settings, work);
                if polished.chi2.is_finite() && ms.is_none_or(|m| polished.chi2 <= m.best.chi2) {
                    if polished.termination.converged() || nm.converged {
                        polished.termination = Termination::NelderMead;
                    }
                    polished.evaluations += nm.evaluations;
                    let (tried, at_best, evaluations) =
                        ms.map_or((0, 0, 0), |m| (m.tried, m.at_best, m.evaluations));
                    ms = Some(MultiStart {
                        best: polished,
                        tried: tried + 1,
                        at_best: at_best.max(1),
                        evaluations: evaluations + polished.evaluations,
                    });
                }
            }
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

/// Iteratively reweighted LM for Huber's loss, from the least-squares optimum.
fn huber_refit(
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

/// The covariance of the free parameters: the inverse of the information matrix, with the
/// non-identifiable parameters (a zero Jacobian column) left out. Also says which free parameters
/// got a variance.
fn free_covariance(a: &Matrix, n_free: usize) -> (Option<Matrix>, [bool; MAX_PARAMS]) {
    let mut keep = [false; MAX_PARAMS];
    let max_diag = (0..n_free).map(|j| a[j][j]).fold(0.0, f64::max);
    let mut idx = [0usize; MAX_PARAMS];
    let mut m = 0;
    for j in 0..n_free {
        if a[j][j] > 1e-300 && a[j][j] > 1e-24 * max_diag && a[j][j].is_finite() {
            keep[j] = true;
            idx[m] = j;
            m += 1;
        }
    }
    if m == 0 {
        return (None, [false; MAX_PARAMS]);
    }
    let mut sub = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for r in 0..m {
        for c in 0..m {
            sub[r][c] = a[idx[r]][idx[c]];
        }
    }
    // the ordinary inverse; when the information matrix is singular (a step-like sigmoid whose
    // steepness the data cannot pin down), the pseudo-inverse: it still gives the variance of every
    // identified combination, such as the size of the step
    let (inv, identified) = match inverse_spd(&sub, m) {
        Some(inv) => (inv, [true; MAX_PARAMS]),
        None => match pseudo_inverse(&sub, m, 1e-10) {
            Some(p) => p,
            None => return (None, [false; MAX_PARAMS]),
        },
    };
    let mut cov = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for r in 0..m {
        keep[idx[r]] = identified[r];
        for c in 0..m {
            cov[idx[r]][idx[c]] = inv[r][c];
        }
    }
    (Some(cov), keep)
}

impl Fit {
    fn assemble(
        family: Arc<dyn CurveFamily>,
        prepared: &Prepared,
        problem: &Problem,
        data: &FitData,
        ms: &MultiStart,
        (absolute_sigma, axis): (bool, Axis),
        work: &mut Workspace,
    ) -> Fit {
        let n = data.t.len();
        let p = problem.external(&ms.best.u);
        let chi2 = work
            .chi2_held(problem, &p)
            .unwrap_or_else(|| problem.chi2(&p));
        let n_free = prepared.n_free;
        let dof = n.saturating_sub(n_free);
        // covariance scaled by the reduced chi-square when the noise level is estimated
        let scale = if absolute_sigma {
            Some(1.0)
        } else if dof > 0 {
            Some(chi2 / dof as f64)
        } else {
            None
        };
        let info = problem.information(&p, work);
        let (cov_free, keep) = match scale {
            Some(s) => {
                let (c, keep) = free_covariance(&info, n_free);
                (
                    c.map(|mut c| {
                        for row in c.iter_mut().take(n_free) {
                            for v in row.iter_mut().take(n_free) {
                                *v *= s;
                            }
                        }
                        c
                    }),
                    keep,
                )
            }
            None => (None, [false; MAX_PARAMS]),
        };
        let mut std_errors = [None; MAX_PARAMS];
        if let Some(c) = &cov_free {
            for j in 0..n_free {
                let v = c[j][j];
                if keep[j] && v.is_finite() && v >= 0.0 {
                    std_errors[prepared.free[j]] = Some(v.sqrt());
                }
            }
        }
        let stats = Statistics::new(data, chi2, n_free, absolute_sigma);
        Fit {
            family,
            n_params: prepared.n_params,
            params: p,
            fixed: prepared.fixed,
            std_errors,
            n_points: n,
            n_free,
            chi_square: chi2,
            log_likelihood: stats.log_likelihood,
            aic: stats.aic,
            aicc: stats.aicc,
            bic: stats.bic,
            r_squared: stats.r_squared,
            evaluations: ms.evaluations,
            iterations: ms.best.iterations,
            termination: ms.best.termination,
            starts_tried: ms.tried,
            starts_at_best: ms.at_best,
            absolute_sigma,
            axis,
            cov_free: cov_free.map(Box::new),
        }
    }

    /// The fitted family.
    pub fn family(&self) -> &Arc<dyn CurveFamily> {
        &self.family
    }

    /// The family's name.
    pub fn family_name(&self) -> &str {
        self.family.name()
    }

    /// Parameter names, in order.
    pub fn names(&self) -> &[&str] {
        self.family.param_names()
    }

    /// Fitted parameter values (pinned ones at their pinned values).
    pub fn params(&self) -> &[f64] {
        &self.params[..self.n_params]
    }

    /// The value of parameter `name`.
    pub fn value(&self, name: &str) -> Option<f64> {
        self.names()
            .iter()
            .position(|n| *n == name)
            .map(|j| self.params[j])
    }

    /// The standard error of parameter `name`: `None` for an unknown name, a pinned parameter, or
    /// one that the data do not identify.
    pub fn std_error(&self, name: &str) -> Option<f64> {
        self.names()
            .iter()
            .position(|n| *n == name)
            .and_then(|j| self.std_errors[j])
    }

    /// Standard errors of all parameters (see [`Fit::std_error`]).
    pub fn std_errors(&self) -> &[Option<f64>] {
        &self.std_errors[..self.n_params]
    }

    /// Whether each parameter was pinned.
    pub fn fixed(&self) -> &[bool] {
        &self.fixed[..self.n_params]
    }

    /// The parameter covariance (pinned rows and columns are zero), when it exists.
    pub fn covariance(&self) -> Option<Array2<f64>> {
        let c = self.cov_free.as_ref()?;
        let free: Vec<usize> = (0..self.n_params).filter(|j| !self.fixed[*j]).collect();
        let mut full = Array2::<f64>::zeros((self.n_params, self.n_params));
        for (a, &ja) in free.iter().enumerate() {
            for (b, &jb) in free.iter().enumerate() {
                full[[ja, jb]] = c[a][b];
            }
        }
        Some(full)
    }

    /// The parameter correlation matrix, when the covariance exists (zero where a variance is zero).
    pub fn correlation(&self) -> Option<Array2<f64>> {
        let c = self.covariance()?;
        let n = c.nrows();
        Some(Array2::from_shape_fn((n, n), |(i, j)| {
            let d = (c[[i, i]] * c[[j, j]]).sqrt();
            if d > 0.0 { c[[i, j]] / d } else { 0.0 }
        }))
    }

    /// Number of points fitted.
    pub fn n_points(&self) -> usize {
        self.n_points
    }

    /// Number of free (fitted) parameters.
    pub fn n_free(&self) -> usize {
        self.n_free
    }

    /// Degrees of freedom, `n_points - n_free`.
    pub fn dof(&self) -> usize {
        self.n_points.saturating_sub(self.n_free)
    }

    /// `sum ((y - f) / sigma)^2`.
    pub fn chi_square(&self) -> f64 {
        self.chi_square
    }

    /// Chi-square per degree of freedom; `None` with no degree of freedom.
    pub fn reduced_chi_square(&self) -> Option<f64> {
        (self.dof() > 0).then(|| self.chi_square / self.dof() as f64)
    }

    /// The Gaussian log-likelihood (with the noise scale profiled out when it is estimated).
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }

    /// Akaike's information criterion.
    pub fn aic(&self) -> f64 {
        self.aic
    }

    /// AIC with the small-sample correction; `+inf` when `n - k - 1 <= 0`.
    pub fn aicc(&self) -> f64 {
        self.aicc
    }

    /// The Bayesian (Schwarz) information criterion.
    pub fn bic(&self) -> f64 {
        self.bic
    }

    /// The weighted coefficient of determination; `None` when `y` is constant.
    pub fn r_squared(&self) -> Option<f64> {
        self.r_squared
    }

    /// Objective evaluations over all starts.
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// LM iterations of the winning start.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// How the winning start ended.
    pub fn termination(&self) -> Termination {
        self.termination
    }

    /// Number of starts tried.
    pub fn starts_tried(&self) -> usize {
        self.starts_tried
    }

    /// Number of starts that reached the best chi-square (within a relative 1e-6).
    pub fn starts_at_best(&self) -> usize {
        self.starts_at_best
    }

    /// Whether the standard errors were taken as absolute.
    pub fn absolute_sigma(&self) -> bool {
        self.absolute_sigma
    }

    /// The model at scale `x` (in the curve's units).
    pub fn predict(&self, x: f64) -> f64 {
        self.predict_t(self.axis.to_t(x))
    }

    /// The model at fitting coordinate `t`.
    pub fn predict_t(&self, t: f64) -> f64 {
        self.family.eval(t, self.params())
    }

    /// The standard error of the fitted curve at `t` (delta method), when the covariance exists.
    pub fn prediction_std_t(&self, t: f64) -> Option<f64> {
        let mut grad = [0.0; MAX_PARAMS];
        self.family.gradient(t, self.params(), &mut grad);
        self.delta_method_std(&grad)
    }

    /// The standard error of `f(ta) - f(tb)` (delta method), when the covariance exists.
    pub fn difference_std_t(&self, ta: f64, tb: f64) -> Option<f64> {
        let mut ga = [0.0; MAX_PARAMS];
        let mut gb = [0.0; MAX_PARAMS];
        self.family.gradient(ta, self.params(), &mut ga);
        self.family.gradient(tb, self.params(), &mut gb);
        for (a, b) in ga.iter_mut().zip(&gb) {
            *a -= b;
        }
        self.delta_method_std(&ga)
    }

    /// `sqrt(g' C g)` over the free parameters, for the gradient `grad` of some quantity with
    /// respect to all parameters; `None` without a covariance or when it is not a finite variance.
    fn delta_method_std(&self, grad: &[f64; MAX_PARAMS]) -> Option<f64> {
        let cov = self.cov_free.as_ref()?;
        let mut free_grad = [0.0; MAX_PARAMS];
        let mut m = 0;
        for (j, g) in grad.iter().enumerate().take(self.n_params) {
            if !self.fixed[j] {
                free_grad[m] = *g;
                m += 1;
            }
        }
        let mut var = 0.0;
        for a in 0..m {
            for b in 0..m {
                var += free_grad[a] * cov[a][b] * free_grad[b];
            }
        }
        (var.is_finite() && var >= 0.0).then(|| var.sqrt())
    }

    /// A pointwise confidence band of the fitted curve at scale `x`: `(lower, upper)` at
    /// confidence `level` (e.g. 0.95). Student-t quantiles when the noise level was estimated,
    /// normal ones when it is absolute. `None` without a covariance.
    ///
    /// ```
    /// use emergence_detect::{Curve, FitOptions, Linear, fit};
    /// use std::sync::Arc;
    /// let c = Curve::new(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
    /// let (lo, hi) = f.confidence_band(1e9, 0.95).unwrap();
    /// assert!(lo < f.predict(1e9) && f.predict(1e9) < hi);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn confidence_band(&self, x: f64, level: f64) -> Option<(f64, f64)> {
        let t = self.axis.to_t(x);
        let sd = self.prediction_std_t(t)?;
        let q = self.quantile(level)?;
        let f = self.predict_t(t);
        Some((f - q * sd, f + q * sd))
    }

    /// The two-sided quantile for `level`.
    fn quantile(&self, level: f64) -> Option<f64> {
        if !(level > 0.0 && level < 1.0) {
            return None;
        }
        let p = 0.5 + 0.5 * level;
        if self.absolute_sigma {
            Normal::new(0.0, 1.0).ok().map(|d| d.inverse_cdf(p))
        } else {
            StudentsT::new(0.0, 1.0, self.dof().max(1) as f64)
                .ok()
                .map(|d| d.inverse_cdf(p))
        }
    }

    /// Student-t (or normal) confidence interval of parameter `name` at `level`.
    pub fn parameter_interval(&self, name: &str, level: f64) -> Option<(f64, f64)> {
        let v = self.value(name)?;
        let se = self.std_error(name)?;
        let q = self.quantile(level)?;
        Some((v - q * se, v + q * se))
    }

    /// The axis of the curve this fit was made on.
    pub fn axis(&self) -> Axis {
        self.axis
    }
}

/// Likelihood-based statistics of a fit.
struct Statistics {
    log_likelihood: f64,
    aic: f64,
    aicc: f64,
    bic: f64,
    r_squared: Option<f64>,
}

impl Statistics {
    fn new(data: &FitData, chi2: f64, n_free: usize, absolute_sigma: bool) -> Statistics {
        let n = data.t.len() as f64;
        let ln_2pi = (2.0 * std::f64::consts::PI).ln();
        let mean = data.weighted_mean();
        let total: f64 = data
            .y
            .iter()
            .zip(data.weights())
            .map(|(y, w)| w * (y - mean) * (y - mean))
            .sum();
        let (log_likelihood, k) = if absolute_sigma {
            (
                -0.5 * chi2 - data.log_sigma_sum() - 0.5 * n * ln_2pi,
                n_free as f64,
            )
        } else {
            // the noise variance is a parameter too; floor the residual sum so an exact fit stays finite
            let rss = chi2.max(1e-24 * total.max(f64::MIN_POSITIVE)).max(1e-300);
            (
                -0.5 * n * ((2.0 * std::f64::consts::PI * rss / n).ln() + 1.0)
                    - data.log_sigma_sum(),
                n_free as f64 + 1.0,
            )
        };
        let aic = 2.0 * k - 2.0 * log_likelihood;
        let aicc = if n - k - 1.0 > 0.0 {
            aic + 2.0 * k * (k + 1.0) / (n - k - 1.0)
        } else {
            f64::INFINITY
        };
        let bic = k * n.ln() - 2.0 * log_likelihood;
        let r_squared = (total > 0.0).then(|| 1.0 - chi2 / total);
        Statistics {
            log_likelihood,
            aic,
            aicc,
            bic,
            r_squared,
        }
    }
}
