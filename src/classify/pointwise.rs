//! Curves of two or three points (PaLM's 8B / 62B / 540B, say): no family can be fitted with
//! degrees of freedom to spare, so the classifier tests the steps between points directly under the
//! noise model. What the steps mean is the verdict rule's ([`Judge::read_steps`]); this module
//! measures them and reports.
//!
//! The confidence of a rise, a fall, a jump or a turn is the probability, under each deciding
//! step's estimate and standard error, that the true step goes that way by at least the minimum
//! effect (for a turn, the smaller of its two arms'). Three points cannot show more than their
//! steps: a rise that starts at chance is as consistent with a jump as with a steady climb, and
//! carries 0.5; a rise or fall with a step back too small to make a turn carries at most the
//! probability that the step back is that small.

use super::result::{Classification, Estimate, IntervalMethod, TurnEstimate};
use super::rule::{Judge, Step, StepReading, censoring_note, probability_below};
use super::shape::TurnKind;
use crate::curve::Curve;
use statrs::distribution::{ContinuousCDF, Normal};

/// Two-sided `1 - p` of a z score: the confidence that a step is real.
fn confidence_of(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(0.0, |d| 2.0 * d.cdf(z.abs()) - 1.0)
}

/// The probability, under a step's estimate and standard error, that the true step goes the
/// estimate's way by at least the minimum effect `m`.
fn real_step_probability(st: Step, m: f64) -> f64 {
    let se = st.se();
    if !(se.is_finite() && se > 0.0) {
        return if st.change.abs() >= m { 1.0 } else { 0.0 };
    }
    // the true step exceeds m: its negative lies below -m
    probability_below(-m, -st.change.abs(), se)
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
            let m = judge.min_effect();
            out.confidence = real_step_probability(first, m).min(real_step_probability(second, m));
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
            out.confidence = real_step_probability(rise, judge.min_effect());
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
            out.confidence = real_step_probability(st, judge.min_effect());
            out.reason = format!(
                "three points: rises by {:.3} ({:.1} se), with no flat stretch at chance before it",
                st.change, st.z
            );
            // a rise from chance whose first step is already real: whether it was sudden or
            // steady lies between the measured sizes, where there are no points
            if judge.chance.is_some() && judge.at_chance(y[0], sig[0]) && out.confidence > UNDECIDED
            {
                out.confidence = UNDECIDED;
                out.reason.push_str(&format!(
                    "; the rise starts at chance, and three points cannot tell a steady rise from a jump (emergence): more sizes between {:.2e} and {:.2e} would decide",
                    x[0], x[2]
                ));
            }
            doubt_unshown_turn(judge, &[d1, d2], 1.0, &mut out);
        }
        StepReading::Falls(st) => {
            out.confidence = real_step_probability(st, judge.min_effect());
            out.reason = format!("three points: falls by {:.3} ({:.1} se)", -st.change, -st.z);
            doubt_unshown_turn(judge, &[d1, d2], -1.0, &mut out);
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

/// The confidence of a reading that the data cannot decide between two categories (three
/// points, or a verdict that the unknown test-set size decides).
pub(crate) const UNDECIDED: f64 = 0.5;

/// Caps a rise's (`direction` +1) or a fall's (-1) confidence when one step goes back against it
/// by too little, or too uncertainly, to make a turn: not showing the turn is not showing its
/// absence. The cap is the probability, under the step's estimate and standard error, that the
/// step back lies within the minimum effect.
fn doubt_unshown_turn(judge: &Judge, steps: &[Step], direction: f64, out: &mut Classification) {
    let m = judge.min_effect();
    let Some((back, se, negligible)) = steps
        .iter()
        .filter(|st| direction * st.change < 0.0 && st.z.is_finite() && st.z != 0.0)
        .map(|st| {
            let back = -direction * st.change;
            (back, st.se(), probability_below(m, back, st.se()))
        })
        .min_by(|a, b| a.2.total_cmp(&b.2))
    else {
        return;
    };
    if negligible < out.confidence {
        out.confidence = negligible;
        out.reason.push_str(&format!(
            "; a step back of {back:.3} (se {se:.3}) lies within the minimum effect {m:.3} with probability {negligible:.2}: a turn is not ruled out"
        ));
    }
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
