//! Curves of two or three points (PaLM's 8B / 62B / 540B, say): no family can be fitted with
//! degrees of freedom to spare, so the classifier tests the steps between points directly under the
//! noise model.

use super::category::Category;
use super::shape::Judge;
use super::{Classification, Estimate, IntervalMethod, TurnEstimate};
use crate::classify::shape::TurnKind;
use crate::curve::Curve;
use statrs::distribution::{ContinuousCDF, Normal};

/// One step between neighbouring points, in performance terms.
#[derive(Debug, Clone, Copy)]
struct Step {
    change: f64,
    z: f64,
}

/// Two-sided `1 - p` of a z score: the confidence that a step is real.
fn confidence_of(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(0.0, |d| 2.0 * d.cdf(z.abs()) - 1.0)
}

/// Classifies a curve of 2 or 3 points with known noise.
pub(crate) fn classify(curve: &Curve, judge: &Judge, base: Classification) -> Classification {
    let s = judge.orientation;
    let y = curve.y();
    let sig = curve.sigma();
    let x = curve.x();
    let min_effect = judge.thresholds.min_effect * judge.effect_scale;
    let step = |a: usize, b: usize| {
        let change = s * (y[b] - y[a]);
        let se = (sig[a] * sig[a] + sig[b] * sig[b]).sqrt() * judge.inflation.sqrt();
        Step {
            change,
            z: change / se,
        }
    };
    let real = |st: Step| st.change.abs() >= min_effect && st.z.abs() >= judge.z_crit;
    let near_chance = |i: usize| match judge.chance {
        None => true,
        Some(c) => {
            let gap = s * (y[i] - c);
            gap <= (judge.thresholds.chance_tolerance * judge.effect_scale).max(2.0 * sig[i])
        }
    };
    let geometric_mid = |a: usize, b: usize| {
        let (ta, tb) = (curve.t()[a], curve.t()[b]);
        curve.axis().to_x(0.5 * (ta + tb))
    };
    let mut out = base;
    let total = step(0, y.len() - 1);
    if y.len() == 2 {
        let (category, what) = if real(total) && total.change > 0.0 {
            (Category::Scaling, "improves")
        } else if real(total) {
            (Category::InverseScaling, "worsens")
        } else {
            (Category::Flat, "does not change significantly")
        };
        out.category = category;
        out.confidence = confidence_of(total.z);
        out.reason = format!(
            "two points: performance {what} ({:+.3}, {:.1} standard errors); two points show a direction only",
            total.change, total.z
        );
        return out;
    }
    let (d1, d2) = (step(0, 1), step(1, 2));
    let (r1, r2) = (real(d1), real(d2));
    let conf_both = confidence_of(d1.z.abs().min(d2.z.abs()));
    if r1 && r2 && d1.change < 0.0 && d2.change > 0.0 {
        out.category = Category::UShaped;
        out.confidence = conf_both;
        out.reason = format!(
            "three points: falls by {:.3} ({:.1} se), then recovers by {:.3} ({:.1} se)",
            -d1.change, -d1.z, d2.change, d2.z
        );
        out.turn = Some(turn_at(
            curve,
            TurnKind::Minimum,
            (-d1.change).min(d2.change),
        ));
        return out;
    }
    if r1 && r2 && d1.change > 0.0 && d2.change < 0.0 {
        out.category = Category::InvertedU;
        out.confidence = conf_both;
        out.reason = format!(
            "three points: rises by {:.3} ({:.1} se), then falls by {:.3} ({:.1} se)",
            d1.change, d1.z, -d2.change, -d2.z
        );
        out.turn = Some(turn_at(curve, TurnKind::Maximum, d1.change.min(-d2.change)));
        return out;
    }
    // an emergent jump: flat (and at chance) over the first step, a real rise over the second
    if r2 && d2.change > 0.0 && !r1 && near_chance(0) && near_chance(1) {
        out.category = Category::Emergent;
        out.confidence = confidence_of(d2.z);
        out.reason = format!(
            "three points: flat{} then a jump of {:.3} ({:.1} se) at the largest scale",
            if judge.chance.is_some() {
                " at chance"
            } else {
                ""
            },
            d2.change,
            d2.z
        );
        out.critical_scale = Some(Estimate {
            value: geometric_mid(1, 2),
            lower: x[1],
            upper: x[2],
            level: 1.0,
            method: IntervalMethod::Bracket,
        });
        return out;
    }
    let moving = [total, d1, d2]
        .into_iter()
        .filter(|st| real(*st))
        .max_by(|a, b| a.change.abs().total_cmp(&b.change.abs()));
    match moving {
        Some(st) if st.change > 0.0 => {
            out.category = Category::Scaling;
            out.confidence = confidence_of(st.z);
            out.reason = format!(
                "three points: rises by {:.3} ({:.1} se) without a flat start at chance",
                st.change, st.z
            );
        }
        Some(st) => {
            out.category = Category::InverseScaling;
            out.confidence = confidence_of(st.z);
            out.reason = format!("three points: falls by {:.3} ({:.1} se)", -st.change, -st.z);
        }
        None => {
            out.category = Category::Flat;
            out.confidence = 1.0 - confidence_of(total.z.abs().max(d1.z.abs()).max(d2.z.abs()));
            out.reason = format!(
                "three points: no step is significant (largest {:.1} se, {:.1} needed){}",
                total.z.abs().max(d1.z.abs()).max(d2.z.abs()),
                judge.z_crit,
                super::censoring_note(curve)
            );
        }
    }
    out
}

/// A turn at the middle point, bracketed by its neighbours.
fn turn_at(curve: &Curve, kind: TurnKind, depth: f64) -> TurnEstimate {
    let x = curve.x();
    TurnEstimate {
        kind,
        location: Estimate {
            value: x[1],
            lower: x[0],
            upper: x[2],
            level: 1.0,
            method: IntervalMethod::Bracket,
        },
        depth,
    }
}
