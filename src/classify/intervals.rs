//! Intervals of the quantities a category reports: the critical scale of an emergent curve and the
//! location of a U's minimum or an inverted U's maximum, with seeded bootstrap intervals.

use super::bootstrap::{Resampling, curve_seed, quantile, replicates};
use super::category::Category;
use super::config::Settings;
use super::result::{Classification, Estimate, IntervalMethod, TurnEstimate};
use super::rule::Judge;
use super::shape::TurnKind;
use crate::curve::Curve;
use crate::family::{CurveFamily, FitData};
use crate::fit::FitOptions;

/// Fills the critical scale (emergent) or the turn (U, inverted U) with bootstrap intervals.
pub(crate) fn intervals(
    st: &Settings,
    curve: &Curve,
    data: &FitData,
    judge: &Judge,
    out: &mut Classification,
) {
    let (t_lo, t_hi) = data.t_range();
    let Some(rep) = out.representative_fit() else {
        return;
    };
    // one reference-count touch for the whole bootstrap (the closures below borrow)
    let family = std::sync::Arc::clone(rep.fit.family());
    let family_ref: &dyn CurveFamily = family.as_ref();
    let params = rep.fit.params().to_vec();
    let axis = curve.axis();
    let orientation = judge.orientation;
    let category = out.category;
    // the noise of the simulated points
    let noise: Vec<f64> = if curve.noise().is_known() {
        data.sigma
            .iter()
            .map(|s| s * judge.inflation.sqrt())
            .collect()
    } else {
        let sd = rep.fit.reduced_chi_square().unwrap_or(0.0).sqrt();
        vec![sd; data.t.len()]
    };
    let mut options = FitOptions::default();
    for (j, fixed) in rep.fit.fixed().iter().enumerate() {
        if *fixed {
            options = options.fix(family.param_names()[j], params[j]);
        }
    }
    let statistic: Statistic = match category {
        Category::Emergent => {
            Box::new(move |p: &[f64]| critical_t(family_ref, p, t_lo, t_hi, orientation))
        }
        Category::UShaped | Category::InvertedU => {
            let want_min = category == Category::UShaped;
            Box::new(move |p: &[f64]| turn_t(family_ref, p, t_lo, t_hi, orientation, want_min))
        }
        _ => return,
    };
    let Some(point) = statistic(&params) else {
        return;
    };
    let level = st.confidence_level;
    let mut estimate = Estimate {
        value: axis.to_x(point),
        lower: axis.to_x(point),
        upper: axis.to_x(point),
        level,
        method: IntervalMethod::None,
    };
    if st.bootstrap_resamples > 0 {
        let resampling = Resampling {
            family: family_ref,
            data,
            options: &options,
            params: &params,
            noise: &noise,
            resamples: st.bootstrap_resamples,
            seed: curve_seed(st.seed, data.t, data.y, data.y_max),
            absolute: curve.noise().is_known(),
        };
        if let Some(reps) = replicates(&resampling, &statistic) {
            // an interval needs enough resamples to have the quantity
            if reps.len() as f64 >= st.min_bootstrap_share * st.bootstrap_resamples as f64 {
                let a = 0.5 * (1.0 - level);
                if let (Some(lo), Some(hi)) = (quantile(&reps, a), quantile(&reps, 1.0 - a)) {
                    estimate.lower = axis.to_x(lo.min(point));
                    estimate.upper = axis.to_x(hi.max(point));
                    estimate.method = IntervalMethod::Bootstrap {
                        resamples: reps.len(),
                    };
                }
            }
        }
    }
    if matches!(estimate.method, IntervalMethod::Bootstrap { .. }) {
        // the data cannot place a rise or a turn more finely than between the measured scales
        // around it, whatever the fitted shape says
        let x = curve.x();
        if let Some(below) = x.iter().rev().find(|v| **v <= estimate.value) {
            estimate.lower = estimate.lower.min(*below);
        }
        if let Some(above) = x.iter().find(|v| **v >= estimate.value) {
            estimate.upper = estimate.upper.max(*above);
        }
    }
    match category {
        Category::Emergent => out.critical_scale = Some(estimate),
        _ => {
            let depth = out
                .representative_fit()
                .and_then(|r| r.shape.turn)
                .map_or(0.0, |t| t.left_arm.min(t.right_arm));
            out.turn = Some(TurnEstimate {
                kind: if category == Category::UShaped {
                    TurnKind::Minimum
                } else {
                    TurnKind::Maximum
                },
                location: estimate,
                depth,
            });
        }
    }
}

/// A quantity computed from a parameter vector (the critical scale, a turn's location).
type Statistic<'a> = Box<dyn Fn(&[f64]) -> Option<f64> + 'a>;

/// Coarse grid of the quantities below; a parabola through the best grid point and its
/// neighbours refines the answer between grid points.
const QUANTITY_GRID: usize = 25;

/// Coarse grid of the halfway crossing: it only has to bracket the first crossing (an emergent
/// fit rises once), which regula falsi then refines; the bootstrap evaluates it on every resample.
const CROSSING_GRID: usize = 9;

/// The position of the vertex of the parabola through `(x - h, a)`, `(x, b)`, `(x + h, c)`, kept
/// within one grid step of `x`.
fn parabolic_vertex(x: f64, h: f64, a: f64, b: f64, c: f64) -> f64 {
    let denom = a - 2.0 * b + c;
    if denom.abs() > 0.0 && denom.is_finite() && h > 0.0 && h.is_finite() {
        x + (0.5 * h * (a - c) / denom).clamp(-h, h)
    } else {
        x
    }
}

/// The critical scale of a rising fit, one definition for every family: where the fitted curve
/// first crosses halfway between its values at the smallest and the largest observed scale (the
/// level before the rise and the level it reaches within the data). A logistic's midpoint `t0` and
/// a hinge's threshold are family-specific points ([`CurveFamily::critical_t`]) and not comparable
/// across families; this is.
fn critical_t(
    family: &dyn CurveFamily,
    p: &[f64],
    t_lo: f64,
    t_hi: f64,
    orientation: f64,
) -> Option<f64> {
    let step = (t_hi - t_lo) / (CROSSING_GRID - 1) as f64;
    // the answer to a thousandth of the turn grid's step, as fine as a turn's location
    let tolerance = 1e-3 * (t_hi - t_lo) / (QUANTITY_GRID - 1) as f64;
    let mut grid = [0.0; CROSSING_GRID];
    for (g, t) in grid.iter_mut().enumerate() {
        *t = t_lo + step * g as f64;
    }
    let mut values = [0.0; CROSSING_GRID];
    family.eval_batch(&grid, p, &mut values);
    for v in &mut values {
        *v *= orientation;
    }
    let half = 0.5 * (values[0] + values[CROSSING_GRID - 1]);
    // the first grid step that crosses halfway, then regula falsi (Illinois) inside it
    let g = (1..CROSSING_GRID).find(|&g| {
        let (a, b) = (values[g - 1] - half, values[g] - half);
        a * b <= 0.0 && a != b
    })?;
    let (mut lo, mut hi) = (grid[g - 1], grid[g]);
    let (mut f_lo, mut f_hi) = (values[g - 1] - half, values[g] - half);
    let mut side = 0i8;
    for _ in 0..20 {
        if hi - lo <= tolerance || f_lo == f_hi {
            break;
        }
        let mid = hi - f_hi * (hi - lo) / (f_hi - f_lo);
        let f_mid = orientation * family.eval(mid, p) - half;
        if !f_mid.is_finite() {
            break;
        }
        if f_mid == 0.0 {
            return Some(mid);
        }
        if f_lo * f_mid < 0.0 {
            hi = mid;
            f_hi = f_mid;
            if side == -1 {
                f_lo *= 0.5;
            }
            side = -1;
        } else {
            lo = mid;
            f_lo = f_mid;
            if side == 1 {
                f_hi *= 0.5;
            }
            side = 1;
        }
    }
    Some(if f_hi.abs() < f_lo.abs() { hi } else { lo })
}

/// Where a fitted curve has its interior minimum (`want_min`) or maximum of performance.
fn turn_t(
    family: &dyn CurveFamily,
    p: &[f64],
    t_lo: f64,
    t_hi: f64,
    orientation: f64,
    want_min: bool,
) -> Option<f64> {
    let step = (t_hi - t_lo) / (QUANTITY_GRID - 1) as f64;
    let sign = if want_min { orientation } else { -orientation };
    let mut grid = [0.0; QUANTITY_GRID];
    for (g, t) in grid.iter_mut().enumerate() {
        *t = t_lo + step * g as f64;
    }
    let mut values = [0.0; QUANTITY_GRID];
    family.eval_batch(&grid, p, &mut values);
    let at = |g: usize| sign * values[g];
    let mut best = 0;
    let mut best_v = f64::INFINITY;
    for g in 0..QUANTITY_GRID {
        let v = at(g);
        if v < best_v {
            best_v = v;
            best = g;
        }
    }
    (best > 0 && best < QUANTITY_GRID - 1).then(|| {
        let x = t_lo + step * best as f64;
        parabolic_vertex(x, step, at(best - 1), best_v, at(best + 1))
    })
}
