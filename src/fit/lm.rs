//! The Levenberg-Marquardt core: weighted least squares on the free parameters of one family, with
//! Marquardt's diagonal scaling, MINPACK-style convergence tests, Nielsen's damping update, undamped
//! finishing steps with a secant estimate of the residuals' curvature (Dennis, Gay and Welsch, as
//! in NL2SOL) and an evaluation budget. Everything lives in fixed-size arrays: an iteration
//! allocates nothing.

// Matrix code indexes rows and columns by position: index loops say what they mean here.
#![allow(clippy::needless_range_loop)]

use super::termination::Termination;
use super::transform::Transform;
use super::workspace::{Buffers, Stamp, Workspace};
use crate::family::CurveFamily;
use crate::linalg::{MAX_PARAMS, Vector, solve_spd_n};

/// Tolerances and budget of one LM run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmSettings {
    pub ftol: f64,
    /// An absolute floor under `ftol * chi2`: reductions of chi-square smaller than this count as
    /// none (0 for a purely relative test).
    pub chi2_tol: f64,
    /// Whether the Newton-decrement stop (before a trial evaluation) may use the absolute floor
    /// `chi2_tol` too; off, it uses the relative `ftol` alone, so that a nearly exact fit still
    /// takes its last step to the exact parameters.
    pub decrement_floor: bool,
    /// Whether the run finishes with undamped steps (below `finish_below`) and the
    /// Newton-decrement stop still takes the step it solved for (MINPACK returns the point after
    /// its last step).
    pub final_step: bool,
    /// With `final_step`, the relative promise of the damped step below which undamped
    /// Gauss-Newton steps are tried first.
    pub finish_below: f64,
    pub xtol: f64,
    pub gtol: f64,
    pub max_evaluations: usize,
    /// The damping of the first step, relative to the Marquardt scaling (1e-3: nearly a
    /// Gauss-Newton step; large: a short step down the gradient).
    pub initial_damping: f64,
}

/// One least-squares problem: a family, the data, and which parameters move.
pub(crate) struct Problem<'a> {
    pub family: &'a dyn CurveFamily,
    pub t: &'a [f64],
    pub y: &'a [f64],
    /// Weights `1/sigma^2` (times robust factors).
    pub w: &'a [f64],
    pub n_params: usize,
    /// `free[j]` is the parameter index of the j-th free parameter.
    pub free: [usize; MAX_PARAMS],
    pub n_free: usize,
    /// The full parameter vector; fixed entries hold their pinned values.
    pub base: Vector,
    /// The transform of each free parameter (indexed like `free`).
    pub transforms: [Transform; MAX_PARAMS],
}

/// The outcome of one run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmOutcome {
    pub u: Vector,
    pub chi2: f64,
    pub evaluations: usize,
    pub iterations: usize,
    pub termination: Termination,
}

impl Problem<'_> {
    /// The full external parameter vector for internal free variables `u`.
    #[inline]
    pub(crate) fn external(&self, u: &Vector) -> Vector {
        let mut p = self.base;
        for j in 0..self.n_free {
            p[self.free[j] % MAX_PARAMS] = self.transforms[j].to_external(u[j]);
        }
        p
    }

    /// The internal variables of a full external parameter vector.
    pub(crate) fn internal(&self, p: &[f64]) -> Vector {
        let mut u = [0.0; MAX_PARAMS];
        for j in 0..self.n_free {
            u[j] = self.transforms[j].to_internal(p[self.free[j]]);
        }
        u
    }

    /// `sum w (f - y)^2` at external parameters `p`; `+inf` when not finite.
    #[inline]
    pub(crate) fn chi2(&self, p: &Vector) -> f64 {
        let p = &p[..self.n_params];
        // a parameter that overflowed is no candidate, whatever the model says there
        if p.iter().any(|v| !v.is_finite()) {
            return f64::INFINITY;
        }
        // the model in batches on the stack: one dynamic call per batch, not per point
        const BATCH: usize = 32;
        let mut values = [0.0; BATCH];
        let mut s = 0.0;
        for ((t, y), w) in self
            .t
            .chunks(BATCH)
            .zip(self.y.chunks(BATCH))
            .zip(self.w.chunks(BATCH))
        {
            let values = &mut values[..t.len()];
            self.family.eval_batch(t, p, values);
            for ((v, y), w) in values.iter().zip(y).zip(w) {
                let r = v - y;
                s += w * r * r;
            }
        }
        if s.is_finite() { s } else { f64::INFINITY }
    }

    /// The full external parameter vector for `N` internal free variables.
    #[inline]
    fn external_n<const N: usize>(&self, u: &[f64; N]) -> Vector {
        let mut p = self.base;
        for j in 0..N {
            p[self.free[j] % MAX_PARAMS] = self.transforms[j].to_external(u[j]);
        }
        p
    }

    /// Evaluates values and the Jacobian (with respect to the external parameters) at internal
    /// `u` into `buffers`, and returns chi-square (`+inf` when not finite).
    #[inline]
    fn evaluate<const N: usize>(&self, u: &[f64; N], buffers: &mut Buffers) -> f64 {
        let p = self.external_n(u);
        self.evaluate_external(&p, buffers)
    }

    /// The point `u + step` and its chi-square, evaluated (values and Jacobian) into `buffers`.
    #[inline]
    fn step_from<const N: usize>(
        &self,
        u: &[f64; N],
        step: &[f64; N],
        buffers: &mut Buffers,
    ) -> ([f64; N], f64) {
        let mut trial = *u;
        for j in 0..N {
            trial[j] += step[j];
        }
        let chi2 = self.evaluate(&trial, buffers);
        (trial, chi2)
    }

    /// [`Problem::evaluate`] at full external parameters `p`; also stores the weighted residuals.
    #[inline]
    fn evaluate_external(&self, p: &Vector, buffers: &mut Buffers) -> f64 {
        let n = self.t.len();
        if p[..self.n_params].iter().any(|v| !v.is_finite()) {
            return f64::INFINITY;
        }
        self.family.eval_jacobian_batch(
            self.t,
            &p[..self.n_params],
            &mut buffers.values[..n],
            &mut buffers.jacobian[..n],
        );
        let mut chi2 = 0.0;
        for i in 0..n {
            let r = buffers.values[i] - self.y[i];
            let wr = self.w[i] * r;
            buffers.weighted_residuals[i] = wr;
            chi2 += wr * r;
        }
        if chi2.is_finite() {
            chi2
        } else {
            f64::INFINITY
        }
    }

    /// `J^T W J` and `J^T W r` over the free parameters, in external coordinates, from `buffers`.
    #[inline]
    fn accumulate<const N: usize>(&self, buffers: &Buffers) -> ([[f64; N]; N], [f64; N]) {
        let n = self.t.len();
        let mut a = [[0.0; N]; N];
        let mut g = [0.0; N];
        let mut jac = [0.0; N];
        let free = self.free;
        // with nothing pinned, free parameter j is parameter j: no gather needed
        let all_free = self.n_free == self.n_params;
        for ((row, &wr), &w) in buffers.jacobian[..n]
            .iter()
            .zip(&buffers.weighted_residuals[..n])
            .zip(self.w)
        {
            if all_free {
                jac.copy_from_slice(&row[..N]);
            } else {
                for j in 0..N {
                    jac[j] = row[free[j] % MAX_PARAMS];
                }
            }
            // the full square (vectorises), then the lower triangle mirrored for exact symmetry
            for j in 0..N {
                g[j] += wr * jac[j];
                let wj = w * jac[j];
                for k in 0..N {
                    a[j][k] += wj * jac[k];
                }
            }
        }
        for j in 0..N {
            for k in 0..j {
                a[k][j] = a[j][k];
            }
        }
        (a, g)
    }

    /// The normal equations `A = J^T W J`, `g = J^T W r` in internal coordinates at `u`, from the
    /// values and external Jacobian held in `buffers`.
    #[inline(always)]
    fn normal_equations<const N: usize>(
        &self,
        u: &[f64; N],
        buffers: &Buffers,
    ) -> ([[f64; N]; N], [f64; N]) {
        let (mut a, mut g) = self.accumulate::<N>(buffers);
        // chain rule to the internal variables: J_int = J_ext diag(dp/du)
        let mut dp = [0.0; N];
        for j in 0..N {
            dp[j] = self.transforms[j].derivative(u[j]);
        }
        for j in 0..N {
            g[j] *= dp[j];
            for k in 0..N {
                a[j][k] *= dp[j] * dp[k];
            }
        }
        (a, g)
    }
}

impl Problem<'_> {
    /// `J_old^T W r_new` in internal coordinates: the old point's Jacobian (held in `old`, at
    /// internal `u_old`) against the new point's weighted residuals. With the new gradient it
    /// measures how the residuals' curvature turned the gradient over the last step.
    #[inline]
    fn cross_gradient<const N: usize>(
        &self,
        u_old: &[f64; N],
        old: &Buffers,
        new: &Buffers,
    ) -> [f64; N] {
        let n = self.t.len();
        let mut out = [0.0; N];
        let all_free = self.n_free == self.n_params;
        for (row, &wr) in old.jacobian[..n].iter().zip(&new.weighted_residuals[..n]) {
            if all_free {
                for j in 0..N {
                    out[j] += wr * row[j];
                }
            } else {
                for j in 0..N {
                    out[j] += wr * row[self.free[j] % MAX_PARAMS];
                }
            }
        }
        for j in 0..N {
            out[j] *= self.transforms[j].derivative(u_old[j]);
        }
        out
    }
}

/// How far above the finishing threshold accepted steps already feed the curvature estimate.
const LEARN_ABOVE_FINISH: f64 = 1e2;

/// A secant estimate of the residual-curvature part of the Hessian, `S = sum w r Hess(r)`, which
/// Gauss-Newton leaves out (Dennis, Gay and Welsch's update, as in NL2SOL). Where the residuals do
/// not vanish at the minimum, Gauss-Newton converges only linearly; the finishing steps solve with
/// `J^T W J + S` instead and gain digits per step much faster.
struct ResidualCurvature<const N: usize> {
    s: [[f64; N]; N],
    updates: usize,
}

impl<const N: usize> ResidualCurvature<N> {
    fn new() -> Self {
        ResidualCurvature {
            s: [[0.0; N]; N],
            updates: 0,
        }
    }

    /// Updates after a step `step` that changed the gradient by `y` (new minus old) and for
    /// which the old Jacobian against the new residuals differs from the new gradient by
    /// `y_sharp` (new gradient minus cross gradient).
    fn update(&mut self, step: &[f64; N], y: &[f64; N], y_sharp: &[f64; N]) {
        let ys: f64 = (0..N).map(|j| y[j] * step[j]).sum();
        if !(ys > 0.0 && ys.is_finite()) {
            return;
        }
        let mut s_step = [0.0; N];
        for j in 0..N {
            s_step[j] = (0..N).map(|k| self.s[j][k] * step[k]).sum();
        }
        let step_s_step: f64 = (0..N).map(|j| step[j] * s_step[j]).sum();
        let step_y_sharp: f64 = (0..N).map(|j| step[j] * y_sharp[j]).sum();
        // NL2SOL's sizing: shrink an estimate that overstates the curvature along the step
        let size = if step_s_step != 0.0 {
            (step_y_sharp / step_s_step).abs().min(1.0)
        } else {
            1.0
        };
        let mut z = [0.0; N];
        for j in 0..N {
            for k in 0..N {
                self.s[j][k] *= size;
            }
            z[j] = y_sharp[j] - size * s_step[j];
        }
        let inv = 1.0 / ys;
        let zs: f64 = (0..N).map(|j| z[j] * step[j]).sum();
        let c = zs * inv * inv;
        let mut finite = true;
        for j in 0..N {
            let (zj, yj) = (z[j] * inv, y[j] * inv);
            for k in 0..N {
                let v = self.s[j][k] + zj * y[k] + yj * z[k] - c * y[j] * y[k];
                finite &= v.is_finite();
                self.s[j][k] = v;
            }
        }
        if finite {
            self.updates += 1;
        } else {
            *self = ResidualCurvature::new();
        }
    }
}

impl Problem<'_> {
    /// The chi-square at `p` from the values the workspace holds, if it holds `p` (see
    /// [`Workspace::holds`]); the weights and scores are the problem's own.
    pub(crate) fn chi2_held(&self, work: &Workspace, p: &Vector) -> Option<f64> {
        work.holds(self.n_params, p).then(|| {
            let mut chi2 = 0.0;
            for i in 0..self.t.len() {
                let r = work.current.values[i] - self.y[i];
                chi2 += self.w[i] * r * r;
            }
            if chi2.is_finite() {
                chi2
            } else {
                f64::INFINITY
            }
        })
    }

    /// `J^T W J` over the `N` free parameters in external coordinates at full parameters `p`.
    ///
    /// When the workspace still holds this family's Jacobian on these scales at exactly `p` (the
    /// optimiser's last point, the usual case), it is reused instead of evaluated again.
    pub(crate) fn information<const N: usize>(
        &self,
        p: &Vector,
        work: &mut Workspace,
    ) -> [[f64; N]; N] {
        work.ensure(self.t.len());
        if !work.holds(self.n_params, p) {
            self.evaluate_external(p, &mut work.current);
            work.stamp = Some(Stamp::of(self.n_params, p));
        }
        self.accumulate::<N>(&work.current).0
    }
}

/// Runs Levenberg-Marquardt from internal point `u0`, with the loop compiled for the number of
/// free parameters. `work` must hold at least as many points as the problem.
pub(crate) fn levenberg_marquardt(
    problem: &Problem,
    u0: &Vector,
    s: &LmSettings,
    work: &mut Workspace,
) -> LmOutcome {
    work.ensure(problem.t.len());
    work.stamp = None;
    let out = match problem.n_free {
        1 => lm_sized::<1>(problem, u0, s, work),
        2 => lm_sized::<2>(problem, u0, s, work),
        3 => lm_sized::<3>(problem, u0, s, work),
        4 => lm_sized::<4>(problem, u0, s, work),
        5 => lm_sized::<5>(problem, u0, s, work),
        6 => lm_sized::<6>(problem, u0, s, work),
        7 => lm_sized::<7>(problem, u0, s, work),
        8 => lm_sized::<8>(problem, u0, s, work),
        9 => lm_sized::<9>(problem, u0, s, work),
        10 => lm_sized::<10>(problem, u0, s, work),
        11 => lm_sized::<11>(problem, u0, s, work),
        12 => lm_sized::<12>(problem, u0, s, work),
        13 => lm_sized::<13>(problem, u0, s, work),
        14 => lm_sized::<14>(problem, u0, s, work),
        15 => lm_sized::<15>(problem, u0, s, work),
        16 => lm_sized::<16>(problem, u0, s, work),
        _ => {
            // nothing to move: evaluate once
            let chi2 = problem.chi2(&problem.external(u0));
            LmOutcome {
                u: *u0,
                chi2,
                evaluations: 1,
                iterations: 0,
                termination: if chi2.is_finite() {
                    Termination::ExactFit
                } else {
                    Termination::NonFinite
                },
            }
        }
    };
    // the loop always ends with `current` evaluated at the point it returns (a finite one)
    if (1..=MAX_PARAMS).contains(&problem.n_free) && out.chi2.is_finite() {
        work.stamp = Some(Stamp::of(problem.n_params, &problem.external(&out.u)));
    }
    out
}

fn lm_sized<const N: usize>(
    problem: &Problem,
    u0: &Vector,
    s: &LmSettings,
    work: &mut Workspace,
) -> LmOutcome {
    let mut u = [0.0; N];
    u.copy_from_slice(&u0[..N]);
    let mut chi2 = problem.evaluate(&u, &mut work.current);
    let (mut a, mut g) = problem.normal_equations(&u, &work.current);
    let mut evaluations = 1;
    let mut iterations = 0;
    let done = |u: [f64; N], chi2, evaluations, iterations, termination| {
        let mut full = *u0;
        full[..N].copy_from_slice(&u);
        LmOutcome {
            u: full,
            chi2,
            evaluations,
            iterations,
            termination,
        }
    };
    if !chi2.is_finite() {
        return done(u, chi2, evaluations, iterations, Termination::NonFinite);
    }
    // Marquardt scaling: the running maximum of the diagonal of J^T W J
    let mut d = [0.0; N];
    update_scaling(&mut d, &a);
    let mut lambda = s.initial_damping;
    let mut nu = 2.0;
    let mut newton_refused = false;
    let mut finishing = false;
    let mut curvature = ResidualCurvature::<N>::new();
    loop {
        if chi2 == 0.0 {
            return done(u, chi2, evaluations, iterations, Termination::ExactFit);
        }
        // gtol: the largest cosine between the residual vector and a Jacobian column
        let mut cosine: f64 = 0.0;
        let mut informative = false;
        for j in 0..N {
            if a[j][j] > 0.0 {
                informative = true;
                cosine = cosine.max(g[j].abs() / (a[j][j] * chi2).sqrt());
            }
        }
        if !informative {
            // a zero Jacobian: the model does not respond to any parameter here
            return done(u, chi2, evaluations, iterations, Termination::Stalled);
        }
        if cosine <= s.gtol {
            return done(u, chi2, evaluations, iterations, Termination::Gtol);
        }
        if evaluations >= s.max_evaluations {
            return done(
                u,
                chi2,
                evaluations,
                iterations,
                Termination::BudgetExhausted,
            );
        }
        let mut minus_g = [0.0; N];
        for j in 0..N {
            minus_g[j] = -g[j];
        }
        let tiny = (s.ftol * chi2).max(s.chi2_tol);
        // Newton-decrement test: when even the undamped step promises less than ftol of chi-square
        // (g' A^-1 g <= ftol chi2), this point is the minimum at the requested relative precision
        // and the trial evaluation that would confirm it is saved. Damping only shrinks the
        // promise, so the undamped one is solved for, and only when the damped one is already that
        // small. The absolute floor `chi2_tol` applies only where the settings allow it.
        let enough = if s.decrement_floor {
            tiny
        } else {
            s.ftol * chi2
        };
        // The damped step, unless the run is already finishing with undamped steps.
        let damped = if finishing {
            None
        } else {
            let mut m = a;
            for j in 0..N {
                m[j][j] += lambda * d[j];
            }
            let Some(step) = solve_spd_n(&m, &minus_g) else {
                lambda *= nu;
                nu *= 2.0;
                if lambda > 1e20 {
                    return done(u, chi2, evaluations, iterations, Termination::Stalled);
                }
                continue;
            };
            // predicted reduction of the quadratic model: -(2 g.step + step' A step)
            let mut g_step = 0.0;
            let mut quad = 0.0;
            let mut scaled_step = 0.0;
            let mut scaled_u = 0.0;
            for j in 0..N {
                g_step += g[j] * step[j];
                let mut row = 0.0;
                for k in 0..N {
                    row += a[j][k] * step[k];
                }
                quad += step[j] * row;
                scaled_step += d[j] * step[j] * step[j];
                scaled_u += d[j] * u[j] * u[j];
            }
            let predicted = -(2.0 * g_step + quad);
            Some((step, predicted, scaled_step.sqrt(), scaled_u.sqrt()))
        };
        // Near the minimum (the damped step promises less than `finish_below` of chi-square), a
        // run that finishes like MINPACK takes undamped steps, on `J^T W J` plus the secant
        // estimate of the residuals' curvature once it has one, until one fails to reduce
        // chi-square: damping that shrinks by at most a third per step, on Gauss-Newton's model
        // alone, would cost a step or two per digit.
        let finish = finishing
            || damped.is_some_and(|(_, predicted, ..)| {
                s.final_step && !newton_refused && predicted <= s.finish_below * chi2
            });
        let newton = if finish && curvature.updates > 0 {
            let mut full = a;
            for j in 0..N {
                for k in 0..N {
                    full[j][k] += curvature.s[j][k];
                }
            }
            solve_spd_n(&full, &minus_g).or_else(|| solve_spd_n(&a, &minus_g))
        } else if finish || damped.is_some_and(|(_, predicted, ..)| predicted <= enough) {
            solve_spd_n(&a, &minus_g)
        } else {
            None
        };
        if let Some(newton) = newton {
            let decrement: f64 = -(0..N).map(|j| g[j] * newton[j]).sum::<f64>();
            if finish && decrement.is_finite() && decrement > enough {
                // (the budget was checked above: nothing was evaluated since)
                let (trial, chi2_trial) = problem.step_from(&u, &newton, &mut work.trial);
                iterations += 1;
                evaluations += 1;
                if chi2_trial.is_finite() && chi2_trial < chi2 {
                    let cross = problem.cross_gradient(&u, &work.current, &work.trial);
                    let g_old = g;
                    u = trial;
                    chi2 = chi2_trial;
                    std::mem::swap(&mut work.current, &mut work.trial);
                    (a, g) = problem.normal_equations(&u, &work.current);
                    update_scaling(&mut d, &a);
                    learn(&mut curvature, &newton, &g_old, &g, &cross);
                    finishing = true;
                } else {
                    // the quadratic model is not good enough here yet: damped steps again
                    newton_refused = true;
                    finishing = false;
                }
                continue;
            }
            if decrement.is_finite() && decrement <= enough {
                if s.final_step && evaluations < s.max_evaluations {
                    let (trial, chi2_trial) = problem.step_from(&u, &newton, &mut work.trial);
                    iterations += 1;
                    evaluations += 1;
                    if chi2_trial.is_finite() && chi2_trial <= chi2 {
                        u = trial;
                        chi2 = chi2_trial;
                        std::mem::swap(&mut work.current, &mut work.trial);
                    }
                }
                return done(u, chi2, evaluations, iterations, Termination::Ftol);
            }
        }
        let Some((step, predicted, scaled_step, scaled_u)) = damped else {
            // finishing, but the undamped step could not be solved for or promised nothing
            // finite: damped steps again
            finishing = false;
            newton_refused = true;
            continue;
        };
        // values and Jacobian together: an accepted step needs no second pass
        let (trial, chi2_trial) = problem.step_from(&u, &step, &mut work.trial);
        iterations += 1;
        evaluations += 1;
        let actual = chi2 - chi2_trial;
        let rho = if predicted > 0.0 {
            actual / predicted
        } else {
            -1.0
        };
        if chi2_trial.is_finite() && rho > 1e-4 {
            let ftol_met = actual <= tiny && predicted <= tiny && rho <= 2.0;
            let xtol_met = scaled_step <= s.xtol * (scaled_u + s.xtol);
            let cross = (s.final_step && predicted <= s.finish_below * LEARN_ABOVE_FINISH * chi2)
                .then(|| problem.cross_gradient(&u, &work.current, &work.trial));
            let g_old = g;
            u = trial;
            chi2 = chi2_trial;
            std::mem::swap(&mut work.current, &mut work.trial);
            if ftol_met {
                return done(u, chi2, evaluations, iterations, Termination::Ftol);
            }
            if xtol_met {
                return done(u, chi2, evaluations, iterations, Termination::Xtol);
            }
            (a, g) = problem.normal_equations(&u, &work.current);
            update_scaling(&mut d, &a);
            if let Some(cross) = cross {
                learn(&mut curvature, &step, &g_old, &g, &cross);
            }
            newton_refused = false;
            let shrink = 1.0 - (2.0 * rho - 1.0).powi(3);
            lambda *= shrink.max(1.0 / 3.0);
            nu = 2.0;
        } else {
            // the quadratic model promises (almost) nothing more: a minimum at this precision
            if predicted.abs() <= tiny && actual.abs() <= tiny {
                return done(u, chi2, evaluations, iterations, Termination::Ftol);
            }
            if scaled_step <= s.xtol * (scaled_u + s.xtol) {
                return done(u, chi2, evaluations, iterations, Termination::Xtol);
            }
            lambda *= nu;
            nu *= 2.0;
            if lambda > 1e20 {
                return done(u, chi2, evaluations, iterations, Termination::Stalled);
            }
        }
    }
}

/// Feeds one accepted step to the curvature estimate: `g` is half the gradient of chi-square, so
/// the gradient change is `g_new - g_old` and the residual-curvature part `g_new - cross`.
fn learn<const N: usize>(
    curvature: &mut ResidualCurvature<N>,
    step: &[f64; N],
    g_old: &[f64; N],
    g_new: &[f64; N],
    cross: &[f64; N],
) {
    let mut y = [0.0; N];
    let mut y_sharp = [0.0; N];
    for j in 0..N {
        y[j] = g_new[j] - g_old[j];
        y_sharp[j] = g_new[j] - cross[j];
    }
    curvature.update(step, &y, &y_sharp);
}

fn update_scaling<const N: usize>(d: &mut [f64; N], a: &[[f64; N]; N]) {
    for j in 0..N {
        let v = a[j][j];
        if v.is_finite() && v > d[j] {
            d[j] = v;
        }
        if d[j] == 0.0 {
            d[j] = 1e-12;
        }
    }
}
