//! The Levenberg-Marquardt core: weighted least squares on the free parameters of one family, with
//! Marquardt's diagonal scaling, MINPACK-style convergence tests, Nielsen's damping update and an
//! evaluation budget. Everything lives in fixed-size arrays: an iteration allocates nothing.

use super::transform::Transform;
use crate::family::CurveFamily;
use crate::linalg::{MAX_PARAMS, Matrix, Vector, solve_spd};

/// Why the optimiser stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Termination {
    /// Both the actual and the predicted relative reduction of chi-square fell below `ftol`.
    Ftol,
    /// The relative step fell below `xtol`.
    Xtol,
    /// The gradient became orthogonal to the residuals (within `gtol`).
    Gtol,
    /// The residuals are exactly zero.
    ExactFit,
    /// The evaluation budget ran out; the best point so far is returned.
    BudgetExhausted,
    /// The damping grew without bound: no step reduces chi-square any more, though no tolerance
    /// was met.
    Stalled,
    /// The objective was not finite at any point tried.
    NonFinite,
    /// Found by the derivative-free Nelder-Mead fallback, then polished.
    NelderMead,
}

impl Termination {
    /// Whether the optimiser reached a stationary point (a tolerance was met).
    pub fn converged(self) -> bool {
        matches!(
            self,
            Termination::Ftol
                | Termination::Xtol
                | Termination::Gtol
                | Termination::ExactFit
                | Termination::NelderMead
        )
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Termination::Ftol => "converged: relative reduction of chi-square below ftol",
            Termination::Xtol => "converged: relative step below xtol",
            Termination::Gtol => "converged: gradient orthogonal to residuals (gtol)",
            Termination::ExactFit => "converged: exact fit (zero residuals)",
            Termination::BudgetExhausted => "stopped: evaluation budget exhausted",
            Termination::Stalled => "stopped: no step reduces chi-square (stalled)",
            Termination::NonFinite => "failed: objective not finite",
            Termination::NelderMead => "converged: Nelder-Mead fallback, then LM polish",
        })
    }
}

/// Tolerances and budget of one LM run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmSettings {
    pub ftol: f64,
    pub xtol: f64,
    pub gtol: f64,
    pub max_evaluations: usize,
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
            p[self.free[j]] = self.transforms[j].to_external(u[j]);
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
        let mut s = 0.0;
        for i in 0..self.t.len() {
            let r = self.family.eval(self.t[i], p) - self.y[i];
            s += self.w[i] * r * r;
        }
        if s.is_finite() { s } else { f64::INFINITY }
    }

    /// The normal equations at internal `u`: `A = J^T W J`, `g = J^T W r` with the Jacobian taken
    /// with respect to the internal variables, and chi-square.
    fn normal_equations(&self, u: &Vector) -> (Matrix, Vector, f64) {
        let p = self.external(u);
        let mut dp = [0.0; MAX_PARAMS];
        for j in 0..self.n_free {
            dp[j] = self.transforms[j].derivative(u[j]);
        }
        let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        let mut g = [0.0; MAX_PARAMS];
        let mut grad = [0.0; MAX_PARAMS];
        let mut jac = [0.0; MAX_PARAMS];
        let mut chi2 = 0.0;
        let nf = self.n_free;
        for i in 0..self.t.len() {
            let f = self
                .family
                .eval_with_gradient(self.t[i], &p[..self.n_params], &mut grad);
            let r = f - self.y[i];
            let w = self.w[i];
            chi2 += w * r * r;
            for j in 0..nf {
                jac[j] = grad[self.free[j]] * dp[j];
            }
            for j in 0..nf {
                let wj = w * jac[j];
                g[j] += wj * r;
                for k in 0..=j {
                    a[j][k] += wj * jac[k];
                }
            }
        }
        for j in 0..nf {
            for k in 0..j {
                a[k][j] = a[j][k];
            }
        }
        if !chi2.is_finite() {
            chi2 = f64::INFINITY;
        }
        (a, g, chi2)
    }
}

/// Runs Levenberg-Marquardt from internal point `u0`.
pub(crate) fn levenberg_marquardt(problem: &Problem, u0: &Vector, s: &LmSettings) -> LmOutcome {
    let nf = problem.n_free;
    let mut u = *u0;
    let (mut a, mut g, mut chi2) = problem.normal_equations(&u);
    let mut evaluations = 1;
    let mut iterations = 0;
    let done = |u, chi2, evaluations, iterations, termination| LmOutcome {
        u,
        chi2,
        evaluations,
        iterations,
        termination,
    };
    if !chi2.is_finite() {
        return done(u, chi2, evaluations, iterations, Termination::NonFinite);
    }
    if nf == 0 {
        return done(u, chi2, evaluations, iterations, Termination::ExactFit);
    }
    // Marquardt scaling: the running maximum of the diagonal of J^T W J
    let mut d = [0.0; MAX_PARAMS];
    update_scaling(&mut d, &a, nf);
    let mut lambda = 1e-3;
    let mut nu = 2.0;
    loop {
        if chi2 == 0.0 {
            return done(u, chi2, evaluations, iterations, Termination::ExactFit);
        }
        // gtol: the largest cosine between the residual vector and a Jacobian column
        let mut cosine: f64 = 0.0;
        for j in 0..nf {
            if a[j][j] > 0.0 {
                cosine = cosine.max(g[j].abs() / (a[j][j] * chi2).sqrt());
            }
        }
        if cosine <= s.gtol {
            return done(u, chi2, evaluations, iterations, Termination::Gtol);
        }
        if evaluations >= s.max_evaluations {
            return done(u, chi2, evaluations, iterations, Termination::BudgetExhausted);
        }
        iterations += 1;
        let mut m = a;
        for j in 0..nf {
            m[j][j] += lambda * d[j];
        }
        let mut minus_g = [0.0; MAX_PARAMS];
        for j in 0..nf {
            minus_g[j] = -g[j];
        }
        let Some(step) = solve_spd(&m, nf, &minus_g) else {
            lambda *= nu;
            nu *= 2.0;
            if lambda > 1e20 {
                return done(u, chi2, evaluations, iterations, Termination::Stalled);
            }
            continue;
        };
        let mut trial = u;
        for j in 0..nf {
            trial[j] += step[j];
        }
        let chi2_trial = problem.chi2(&problem.external(&trial));
        evaluations += 1;
        // predicted reduction of the quadratic model: -(2 g.step + step' A step)
        let mut g_step = 0.0;
        let mut quad = 0.0;
        for j in 0..nf {
            g_step += g[j] * step[j];
            let mut row = 0.0;
            for k in 0..nf {
                row += a[j][k] * step[k];
            }
            quad += step[j] * row;
        }
        let predicted = -(2.0 * g_step + quad);
        let actual = chi2 - chi2_trial;
        let mut scaled_step = 0.0;
        let mut scaled_u = 0.0;
        for j in 0..nf {
            scaled_step += d[j] * step[j] * step[j];
            scaled_u += d[j] * u[j] * u[j];
        }
        let (scaled_step, scaled_u) = (scaled_step.sqrt(), scaled_u.sqrt());
        let rho = if predicted > 0.0 {
            actual / predicted
        } else {
            -1.0
        };
        if chi2_trial.is_finite() && rho > 1e-4 {
            let ftol_met = actual <= s.ftol * chi2 && predicted <= s.ftol * chi2 && rho <= 2.0;
            let xtol_met = scaled_step <= s.xtol * (scaled_u + s.xtol);
            u = trial;
            (a, g, chi2) = problem.normal_equations(&u);
            evaluations += 1;
            update_scaling(&mut d, &a, nf);
            let shrink = 1.0 - (2.0 * rho - 1.0).powi(3);
            lambda *= shrink.max(1.0 / 3.0);
            nu = 2.0;
            if ftol_met {
                return done(u, chi2, evaluations, iterations, Termination::Ftol);
            }
            if xtol_met {
                return done(u, chi2, evaluations, iterations, Termination::Xtol);
            }
        } else {
            // the quadratic model promises (almost) nothing more: a minimum at this precision
            if predicted.abs() <= s.ftol * chi2 && actual.abs() <= s.ftol * chi2 {
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

fn update_scaling(d: &mut Vector, a: &Matrix, n: usize) {
    for j in 0..n {
        let v = a[j][j];
        if v.is_finite() && v > d[j] {
            d[j] = v;
        }
        if d[j] == 0.0 {
            d[j] = 1e-12;
        }
    }
}
