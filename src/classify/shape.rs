//! Shape descriptors of a fitted curve over the observed range, and the category a shape implies.
//!
//! The classifier never looks at a family's name: it evaluates each fit on a dense grid over the
//! observed scales and asks what the curve does there (how much it changes and how significantly,
//! whether it turns, how sharp its rise is, where the rise starts). That is what lets a user's own
//! family take part on equal terms.

use crate::fit::Fit;

/// Grid resolution of the descriptors.
const GRID: usize = 33;

/// Which way a turn goes.
///
/// ```
/// use emergence_detect::{classify, datasets, TurnKind};
/// let c = classify(&datasets::synthetic_palm_u_shape().curve)?;
/// assert_eq!(c.turn.unwrap().kind, TurnKind::Minimum);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TurnKind {
    /// Performance falls, then recovers (the worst point is inside the range).
    Minimum,
    /// Performance rises, then falls (the best point is inside the range).
    Maximum,
}

/// An interior extremum of a fitted curve, with the two arms around it.
///
/// ```
/// use emergence_detect::{classify, datasets};
/// let c = classify(&datasets::synthetic_palm_u_shape().curve)?;
/// let turn = c.representative_fit().unwrap().shape.turn.unwrap();
/// assert!(turn.left_arm > 0.0 && turn.right_arm > 0.0);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Turn {
    /// Minimum or maximum of performance.
    pub kind: TurnKind,
    /// Where, in fitting coordinates.
    pub t: f64,
    /// The fitted score there (curve units).
    pub value: f64,
    /// Size of the arm before the turn (curve units, positive).
    pub left_arm: f64,
    /// Size of the arm after the turn (curve units, positive).
    pub right_arm: f64,
    /// Left arm in standard errors (delta method), when the covariance exists.
    pub left_z: Option<f64>,
    /// Right arm in standard errors.
    pub right_z: Option<f64>,
}

/// What a fitted curve does over the observed range.
///
/// ```
/// use emergence_detect::{classify, datasets};
/// let c = classify(&datasets::gpt_neo_3digit_addition().curve)?;
/// let shape = &c.representative_fit().unwrap().shape;
/// assert!(shape.net_change > 0.4 && shape.sharpness > 2.0);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Shape {
    /// Fitted score at the smallest scale.
    pub start: f64,
    /// Fitted score at the largest scale.
    pub end: f64,
    /// Largest minus smallest fitted score over the range.
    pub span: f64,
    /// Net change in performance (`end - start`, sign flipped when lower is better).
    pub net_change: f64,
    /// `net_change` in standard errors, when the covariance exists.
    pub net_z: Option<f64>,
    /// An interior turn, if the fitted curve has one.
    pub turn: Option<Turn>,
    /// Steepest slope in the direction of the main change, divided by that change's average slope
    /// over the range: 1 for a straight line, large for a sudden jump.
    pub sharpness: f64,
    /// Where the slope is steepest.
    pub steepest_t: f64,
    /// Largest share of the main change that happens within one unit of `t` (one decade).
    pub steepest_decade_share: f64,
    /// Where the fitted curve first covers half of the main change.
    pub midpoint_t: Option<f64>,
    /// Where it first covers 10% of the main change (the onset of the rise or fall).
    pub onset_t: Option<f64>,
    /// Where it first covers 90% of the main change.
    pub completion_t: Option<f64>,
    /// The lowest performance before the steepest point (curve units), the level a rise starts
    /// from.
    pub base_level: f64,
    /// Standard error of the fitted score at the smallest scale.
    pub start_se: Option<f64>,
}

impl Shape {
    /// Describes `fit` over `[t_lo, t_hi]` (`orientation` +1 when higher is better).
    /// `inflation` scales the variances (overdispersed noise; 1 when the noise model holds).
    pub(crate) fn describe(
        fit: &Fit,
        (t_lo, t_hi): (f64, f64),
        orientation: f64,
        inflation: f64,
    ) -> Shape {
        let s = orientation;
        let width = t_hi - t_lo;
        let step = width / (GRID - 1) as f64;
        let mut grid_t = [0.0; GRID];
        let mut v = [0.0; GRID];
        for (g, t) in grid_t.iter_mut().enumerate() {
            *t = if g == GRID - 1 {
                t_hi
            } else {
                t_lo + step * g as f64
            };
        }
        fit.family().eval_batch(&grid_t, fit.params(), &mut v);
        for value in &mut v {
            *value *= s;
        }
        let se_scale = inflation.sqrt();
        let z_of = |ta: f64, tb: f64, diff: f64| {
            fit.difference_std_t(ta, tb)
                .filter(|sd| *sd > 0.0)
                .map(|sd| diff.abs() / (sd * se_scale))
        };
        let (mut lo_i, mut hi_i) = (0, 0);
        for g in 0..GRID {
            if v[g] < v[lo_i] {
                lo_i = g;
            }
            if v[g] > v[hi_i] {
                hi_i = g;
            }
        }
        let span = v[hi_i] - v[lo_i];
        let tol = 1e-9 * (1.0 + v[lo_i].abs().max(v[hi_i].abs()));
        let turn = if lo_i > 0
            && lo_i < GRID - 1
            && v[0] - v[lo_i] > tol
            && v[GRID - 1] - v[lo_i] > tol
        {
            let (l, r) = (v[0] - v[lo_i], v[GRID - 1] - v[lo_i]);
            Some(Turn {
                kind: TurnKind::Minimum,
                t: grid_t[lo_i],
                value: s * v[lo_i],
                left_arm: l,
                right_arm: r,
                left_z: z_of(grid_t[0], grid_t[lo_i], l),
                right_z: z_of(grid_t[GRID - 1], grid_t[lo_i], r),
            })
        } else if hi_i > 0 && hi_i < GRID - 1 && v[hi_i] - v[0] > tol && v[hi_i] - v[GRID - 1] > tol
        {
            let (l, r) = (v[hi_i] - v[0], v[hi_i] - v[GRID - 1]);
            Some(Turn {
                kind: TurnKind::Maximum,
                t: grid_t[hi_i],
                value: s * v[hi_i],
                left_arm: l,
                right_arm: r,
                left_z: z_of(grid_t[hi_i], grid_t[0], l),
                right_z: z_of(grid_t[hi_i], grid_t[GRID - 1], r),
            })
        } else {
            None
        };
        let net = v[GRID - 1] - v[0];
        // the main change: net, unless a turn makes one arm the larger movement
        let (main_from, main_to) = match turn {
            Some(tn) if tn.kind == TurnKind::Minimum && tn.right_arm >= tn.left_arm => {
                (lo_i, GRID - 1)
            }
            Some(tn) if tn.kind == TurnKind::Maximum && tn.left_arm >= tn.right_arm => (0, hi_i),
            Some(tn) if tn.kind == TurnKind::Minimum => (0, lo_i),
            Some(_) => (hi_i, GRID - 1),
            None => (0, GRID - 1),
        };
        let main = v[main_to] - v[main_from];
        let dir = if main >= 0.0 { 1.0 } else { -1.0 };
        let mut steepest = 0.0;
        let mut steepest_g = 0;
        for g in 0..GRID - 1 {
            let slope = dir * (v[g + 1] - v[g]) / step;
            if slope > steepest {
                steepest = slope;
                steepest_g = g;
            }
        }
        let main_width = (grid_t[main_to] - grid_t[main_from]).abs().max(step);
        let average = main.abs() / main_width;
        let sharpness = if average > 0.0 {
            steepest / average
        } else {
            0.0
        };
        // the largest share of the main change inside a window one unit of t wide
        let window = ((1.0 / step).round() as usize).clamp(1, GRID - 1);
        let mut best_share: f64 = 0.0;
        for g in 0..GRID - window {
            let d = dir * (v[g + window] - v[g]);
            best_share = best_share.max(d);
        }
        let steepest_decade_share = if main.abs() > 0.0 {
            (best_share / main.abs()).min(1.0)
        } else {
            0.0
        };
        let (a, b) = if main_from <= main_to {
            (main_from, main_to)
        } else {
            (main_to, main_from)
        };
        // the first grid crossings of 10%, 50% and 90% of the main change, in one pass
        let shares = [0.1, 0.5, 0.9];
        let levels = shares.map(|share| v[main_from] + share * main);
        let mut crossings: [Option<f64>; 3] = [None; 3];
        for g in a..b {
            for (level, crossing) in levels.iter().zip(&mut crossings) {
                if crossing.is_some() {
                    continue;
                }
                let (y0, y1) = (v[g] - level, v[g + 1] - level);
                if y0 * y1 <= 0.0 && y0 != y1 {
                    *crossing = Some(grid_t[g] + (-y0) / (y1 - y0) * (grid_t[g + 1] - grid_t[g]));
                }
            }
            if crossings.iter().all(Option::is_some) {
                break;
            }
        }
        let [onset_t, midpoint_t, completion_t] = crossings;
        let base_level = s * v[..=steepest_g]
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        Shape {
            start: s * v[0],
            end: s * v[GRID - 1],
            span,
            net_change: net,
            net_z: z_of(t_hi, t_lo, net),
            turn,
            sharpness,
            steepest_t: grid_t[steepest_g] + 0.5 * step,
            steepest_decade_share,
            midpoint_t,
            onset_t,
            completion_t,
            base_level,
            start_se: fit.prediction_std_t(t_lo).map(|sd| sd * se_scale),
        }
    }
}
