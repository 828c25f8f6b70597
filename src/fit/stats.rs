//! Fit statistics: the parameter covariance (pseudo-inverse where a parameter is not identified),
//! the log-likelihood and the information criteria, and the assembly of a [`Fit`].

use super::lm::Problem;
use super::options::Prepared;
use super::result::Fit;
use super::starts::MultiStart;
use super::workspace::Workspace;
use crate::curve::Axis;
use crate::family::{CurveFamily, FitData};
use crate::linalg::{Factor, MAX_PARAMS, Matrix, pseudo_inverse, with_size};
use std::sync::Arc;

/// The covariance of the free parameters: the inverse of the information matrix `a`, with the
/// non-identifiable parameters (a zero Jacobian column) left out, times `scale`; row-major,
/// `n_free x n_free`. Also says which free parameters got a variance. Sized at compile time, so
/// that a small fit touches no more memory than its own parameters need.
fn free_covariance<const N: usize>(
    a: &[[f64; N]; N],
    scale: f64,
) -> (Option<Box<[f64]>>, [bool; MAX_PARAMS]) {
    let mut keep = [false; MAX_PARAMS];
    let max_diag = (0..N).map(|j| a[j][j]).fold(0.0, f64::max);
    for j in 0..N {
        keep[j] = a[j][j] > 1e-300 && a[j][j] > 1e-24 * max_diag && a[j][j].is_finite();
    }
    if !keep[..N].contains(&true) {
        return (None, [false; MAX_PARAMS]);
    }
    // a left-out parameter becomes a unit row and column: the inverse of the rest is unchanged
    let mut sub = *a;
    for j in 0..N {
        if !keep[j] {
            sub[j] = [0.0; N];
            for row in sub.iter_mut() {
                row[j] = 0.0;
            }
            sub[j][j] = 1.0;
        }
    }
    // the ordinary inverse; when the information matrix is singular (a step-like sigmoid whose
    // steepness the data cannot pin down), the pseudo-inverse: it still gives the variance of every
    // identified combination, such as the size of the step
    let mut cov = vec![0.0; N * N].into_boxed_slice();
    let mut identified = [true; MAX_PARAMS];
    match Factor::new(&sub) {
        Some(factor) => {
            let inv = factor.inverse();
            for r in 0..N {
                for c in 0..N {
                    cov[r * N + c] = inv[r][c];
                }
            }
        }
        None => {
            let mut wide: Matrix = [[0.0; MAX_PARAMS]; MAX_PARAMS];
            for r in 0..N {
                wide[r][..N].copy_from_slice(&sub[r]);
            }
            let Some((inv, found)) = pseudo_inverse(&wide, N, 1e-10) else {
                return (None, [false; MAX_PARAMS]);
            };
            identified = found;
            for r in 0..N {
                cov[r * N..(r + 1) * N].copy_from_slice(&inv[r][..N]);
            }
        }
    }
    for r in 0..N {
        for c in 0..N {
            cov[r * N + c] = if keep[r] && keep[c] {
                cov[r * N + c] * scale
            } else {
                0.0
            };
        }
    }
    // a parameter only a combination pins down keeps its covariance entries, not a variance
    for r in 0..N {
        keep[r] &= identified[r];
    }
    (Some(cov), keep)
}

impl Fit {
    pub(super) fn assemble(
        family: Arc<dyn CurveFamily>,
        prepared: &Prepared,
        problem: &Problem,
        data: &FitData,
        ms: &MultiStart,
        (absolute_sigma, axis): (bool, Axis),
        work: &mut Workspace,
    ) -> Fit {
        // merged points count as the measurements they pool, and their scatter about the
        // pooled scores belongs to chi-square
        let n = data.observations();
        let p = problem.external(&ms.best.u);
        let chi2 = problem
            .chi2_held(work, &p)
            .unwrap_or_else(|| problem.chi2(&p))
            + data.within_chi2();
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
        let (cov_free, keep) = match scale {
            Some(s) => with_size!(n_free, N => {
                free_covariance::<N>(&problem.information::<N>(&p, work), s)
            }, (None, [false; MAX_PARAMS])),
            None => (None, [false; MAX_PARAMS]),
        };
        let mut std_errors = [None; MAX_PARAMS];
        if let Some(c) = &cov_free {
            for j in 0..n_free {
                let v = c[j * n_free + j];
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
            cov_free,
        }
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
        let n = data.observations() as f64;
        let ln_2pi = (2.0 * std::f64::consts::PI).ln();
        let mean = data.weighted_mean();
        let total: f64 = data
            .y
            .iter()
            .zip(data.weights())
            .map(|(y, w)| w * (y - mean) * (y - mean))
            .sum::<f64>()
            + data.within_chi2();
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
