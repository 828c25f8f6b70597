//! Curves of two or three points (PaLM's 8B / 62B / 540B, say): no family can be fitted with
//! degrees of freedom to spare, so the classifier tests the steps between points directly under the
//! noise model. What the steps mean is the verdict rule's ([`Judge::read_steps`]); this module
//! measures them and reports.

use super::result::{Classification, Estimate, IntervalMethod, TurnEstimate};
use super::rule::{Judge, Step, StepReading, censoring_note};
use super::shape::TurnKind;
use crate::curve::Curve;
use statrs::distribution::{ContinuousCDF, Normal};

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
    let step = |a: usize, b: usize| {
        let change = s * (y[b] - y[a]);
        let se = (sig[a] * sig[a] + sig[b] * sig[b]).sqrt() * judge.inflation.sqrt();
        Step {
            change,
            z: change / se,
        }
    };
    let mut out = base;
    let total = step(0, y.len() - 1);
    if y.len() == 2 {
        let reading = judge.read_steps(&[total], true);
        let what = match reading {
            StepReading::Rises(_) => "improves",
            StepReading::Falls(_) => "worsens",
            _ => "does not change significantly",
        };
        out.category = reading.category();
        out.confidence = confidence_of(total.z);
        out.reason = format!(
            "two points: performance {what} ({:+.3}, {:.1} standard errors); two points show a direction only",
            total.change, total.z
        );
        return out;
    }
    let (d1, d2) = (step(0, 1), step(1, 2));
    let flat_start_at_chance = judge.at_chance(y[0], sig[0]) && judge.at_chance(y[1], sig[1]);
    let reading = judge.read_steps(&[total, d1, d2], flat_start_at_chance);
    out.category = reading.category();
    match reading {
        StepReading::Turn {
            kind,
            first,
            second,
        } => {
            out.confidence = confidence_of(first.z.abs().min(second.z.abs()));
            let (falls, recovers, depth) = match kind {
                TurnKind::Minimum => ("falls", "recovers", (-first.change).min(second.change)),
                TurnKind::Maximum => ("rises", "falls", first.change.min(-second.change)),
            };
            out.reason = format!(
                "three points: {falls} by {:.3} ({:.1} se), then {recovers} by {:.3} ({:.1} se)",
                first.change.abs(),
                first.z.abs(),
                second.change.abs(),
                second.z.abs()
            );
            out.turn = Some(turn_at(curve, kind, depth));
        }
        StepReading::Jump { rise } => {
            out.confidence = confidence_of(rise.z);
            out.reason = format!(
                "three points: flat{} then a jump of {:.3} ({:.1} se) at the largest scale",
                if judge.chance.is_some() {
                    " at chance"
                } else {
                    ""
                },
                rise.change,
                rise.z
            );
            let (ta, tb) = (curve.t()[1], curve.t()[2]);
            out.critical_scale = Some(Estimate {
                value: curve.axis().to_x(0.5 * (ta + tb)),
                lower: x[1],
                upper: x[2],
                level: 1.0,
                method: IntervalMethod::Bracket,
            });
        }
        StepReading::Rises(st) => {
            out.confidence = confidence_of(st.z);
            out.reason = format!(
                "three points: rises by {:.3} ({:.1} se) without a flat start at chance",
                st.change, st.z
            );
        }
        StepReading::Falls(st) => {
            out.confidence = confidence_of(st.z);
            out.reason = format!("three points: falls by {:.3} ({:.1} se)", -st.change, -st.z);
        }
        StepReading::Flat { largest_z } => {
            out.confidence = 1.0 - confidence_of(largest_z);
            out.reason = format!(
                "three points: no step is significant (largest {largest_z:.1} se, {:.1} needed){}",
                judge.z_crit,
                censoring_note(curve)
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
