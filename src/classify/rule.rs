//! The verdict rule: the one place that says what "emergent", "U-shaped", "scaling", "inverse" and
//! "flat" mean, for a fitted shape ([`Judge::read_shape`]) and for the steps between the points of
//! a curve too short to fit ([`Judge::read_steps`]). Both readings share the same tests: a change is
//! real when it is at least the minimum effect and significant ([`Judge::is_real`]); a level is at
//! chance when it lies within the chance tolerance or its standard errors ([`Judge::at_chance`]).

use super::category::Category;
use super::config::Thresholds;
use super::shape::{Shape, TurnKind};
use super::verdict::{Verdict, Why};
use crate::curve::{Axis, Curve};
use statrs::distribution::{ContinuousCDF, Normal};

/// The context a curve is judged in: the curve itself, its orientation, scale of effects and
/// chance level, and the thresholds in force.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judge<'a> {
    /// The curve under judgement (its measured points decide whether the small models sit at
    /// chance).
    curve: &'a Curve,
    /// `+1` when higher is better, `-1` when lower is.
    pub orientation: f64,
    /// The scale of effects: the metric's maximum (for losses, their mean absolute value).
    pub effect_scale: f64,
    /// Chance level, if known.
    pub chance: Option<f64>,
    /// Critical value of a standard normal for the significance level.
    pub z_crit: f64,
    /// Variance inflation for overdispersed known noise (1 when the noise model holds).
    pub inflation: f64,
    pub thresholds: Thresholds,
    /// The curve's scale axis (to state scales in the curve's units).
    pub axis: Axis,
}

/// What the measured points before a rise say about where it starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlatStart {
    /// The score of the model before the rise closest to chance.
    pub level: f64,
    /// Whether it is at chance: not above it by both the minimum effect and `chance_z` standard
    /// errors (with unknown noise: within the chance tolerance).
    pub at_chance: bool,
}

impl<'a> Judge<'a> {
    /// The context of `curve` under `thresholds` (no variance inflation yet).
    pub(crate) fn new(curve: &'a Curve, thresholds: &Thresholds) -> Judge<'a> {
        Judge {
            curve,
            orientation: if curve.higher_is_better() { 1.0 } else { -1.0 },
            effect_scale: effect_scale(curve),
            chance: curve.chance(),
            z_crit: z_critical(thresholds.significance),
            inflation: 1.0,
            thresholds: *thresholds,
            axis: curve.axis(),
        }
    }

    /// Where the measured curve starts, judged against chance: the models below `onset_t` (the
    /// smallest model alone when none is), of which the one closest to chance decides. The rise
    /// starts from chance when that model is not above chance by both the minimum effect and
    /// `chance_z` standard errors (with unknown noise: within the chance tolerance). Reading the
    /// closest of the models before the rise, not the smallest alone, keeps one noisy small
    /// model from deciding. `None` without a chance level.
    pub(crate) fn flat_start(&self, onset_t: Option<f64>) -> Option<FlatStart> {
        let chance = self.chance?;
        let curve = self.curve;
        let before = onset_t
            .map_or(1, |onset| curve.t().iter().filter(|&&t| t < onset).count())
            .max(1);
        let closest = (0..before)
            .map(|i| {
                let gap = self.orientation * (curve.y()[i] - chance);
                (gap, self.point_at_chance(i, chance), curve.y()[i])
            })
            .min_by(|a, b| (!a.1).cmp(&!b.1).then(a.0.total_cmp(&b.0)))?;
        Some(FlatStart {
            level: closest.2,
            at_chance: closest.1,
        })
    }

    /// Whether the measured point `i` sits at `chance`: not above it by both the minimum effect
    /// and `chance_z` standard errors (with unknown noise: within the chance tolerance).
    fn point_at_chance(&self, i: usize, chance: f64) -> bool {
        let curve = self.curve;
        let th = &self.thresholds;
        let gap = self.orientation * (curve.y()[i] - chance);
        if curve.noise().is_known() {
            !(gap >= self.min_effect()
                && gap > th.chance_z * curve.sigma()[i] * self.inflation.sqrt())
        } else {
            gap.abs() <= th.chance_tolerance * self.effect_scale
        }
    }

    /// A change of `change` between the measured points `i` and `j` in standard errors (their
    /// noise combined, inflated); infinite with unknown noise, where only the minimum effect can
    /// be asked of it.
    fn step_z(&self, i: usize, j: usize, change: f64) -> f64 {
        let curve = self.curve;
        if !curve.noise().is_known() {
            return f64::INFINITY;
        }
        let se =
            (curve.sigma()[i].powi(2) + curve.sigma()[j].powi(2)).sqrt() * self.inflation.sqrt();
        change / se
    }

    /// The measured sizes that bracket `[t_from, t_to]`: the largest at or below `t_from` and the
    /// smallest at or above `t_to` (the fitted scales themselves beyond the data), in the
    /// curve's units. A rise between two measured models is only known to happen somewhere
    /// between them.
    fn measured_bracket(&self, t_from: f64, t_to: f64) -> (f64, f64) {
        let t = self.curve.t();
        let from = t
            .iter()
            .copied()
            .filter(|&v| v <= t_from)
            .fold(t_from, |_, v| v);
        let to = t.iter().copied().find(|&v| v >= t_to).unwrap_or(t_to);
        (self.axis.to_x(from), self.axis.to_x(to))
    }

    /// The smallest change that counts, in the curve's units. A change equal to it counts
    /// whatever the units: scores given to two decimals put many differences exactly on a
    /// round threshold, and `0.83 - 0.78` falls below 0.05 in floating point where `83 - 78`
    /// meets 5, so the comparison allows a relative 1e-9 of rounding.
    pub(crate) fn min_effect(&self) -> f64 {
        self.thresholds.min_effect * self.effect_scale * (1.0 - 1e-9)
    }

    /// Whether a change of `size` (positive, curve units) that is `z` standard errors is real: at
    /// least the minimum effect and significant. A change without a standard error is not.
    pub(crate) fn is_real(&self, size: f64, z: Option<f64>) -> bool {
        size >= self.min_effect() && z.is_some_and(|z| z >= self.z_crit)
    }

    /// Whether a level (curve units) with standard error `se` is at chance: no more than the chance
    /// tolerance above it in performance terms, or within `chance_z` standard errors of it. Always
    /// true when chance is unknown (then "at chance" means "at the start").
    pub(crate) fn at_chance(&self, level: f64, se: f64) -> bool {
        match self.chance {
            None => true,
            Some(c) => {
                let gap = self.orientation * (level - c);
                let th = &self.thresholds;
                gap <= (th.chance_tolerance * self.effect_scale).max(th.chance_z * se)
            }
        }
    }

    /// The category a fitted shape implies over `[t_lo, t_hi]`, with its grounds.
    pub(crate) fn read_shape(&self, shape: &Shape, t_lo: f64, t_hi: f64) -> Verdict {
        let th = &self.thresholds;
        let min_effect = self.min_effect();
        let significant = |size: f64, z: Option<f64>| self.is_real(size, z);
        let verdict = |category, why| Verdict {
            category,
            why,
            higher_is_better: self.orientation > 0.0,
            residual_dof: None,
        };
        if shape.span < min_effect {
            return verdict(
                Category::Flat,
                Why::BelowMinimumEffect {
                    span: shape.span,
                    min_effect,
                },
            );
        }
        if let Some(turn) = shape.turn {
            // both arms real on the fitted curve and in the measured points: a turn the data
            // do not show is the fit's, not the curve's
            let both = significant(turn.left_arm, turn.left_z)
                && significant(turn.right_arm, turn.right_z)
                && self.data_shows_turn(turn.kind, None);
            if both {
                let category = match turn.kind {
                    TurnKind::Minimum => Category::UShaped,
                    TurnKind::Maximum => Category::InvertedU,
                };
                return verdict(
                    category,
                    Why::Turn {
                        kind: turn.kind,
                        left: turn.left_arm,
                        right: turn.right_arm,
                        left_z: turn.left_z.unwrap_or(0.0),
                        right_z: turn.right_z.unwrap_or(0.0),
                    },
                );
            }
        }
        // monotone reading: the largest significant movement decides the direction
        let mut moves = [(shape.net_change, shape.net_z); 3];
        if let Some(turn) = shape.turn {
            let (l, r) = match turn.kind {
                TurnKind::Minimum => (-turn.left_arm, turn.right_arm),
                TurnKind::Maximum => (turn.left_arm, -turn.right_arm),
            };
            moves[1] = (l, turn.left_z);
            moves[2] = (r, turn.right_z);
        }
        // no movement is both large enough and significant, judged by the net change
        let not_significant = || {
            verdict(
                Category::Flat,
                Why::NotSignificant {
                    net: shape.net_change,
                    z: shape.net_z.unwrap_or(0.0),
                    needed: self.z_crit,
                },
            )
        };
        let best = moves
            .iter()
            .filter(|(d, z)| significant(d.abs(), *z))
            .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()));
        let Some(&(change, z)) = best else {
            return not_significant();
        };
        let z = z.unwrap_or(0.0);
        if change < 0.0 {
            // inverse scaling is a real net fall between the ends of the range: a curve that
            // falls and climbs back to where it started, with only the fall significant, has not
            // worsened with scale
            if !self.is_real(-shape.net_change, shape.net_z) {
                return not_significant();
            }
            return verdict(Category::InverseScaling, Why::Falls { change: -change, z });
        }
        let width = t_hi - t_lo;
        let flat_lead = th.flat_start * width;
        let starts_flat = shape.steepest_t > t_lo + flat_lead;
        // where the rise starts and how long it takes (10% to 90% of it), when the fit covers both
        let rise = shape
            .onset_t
            .zip(shape.completion_t)
            .map(|(a, b)| (a, b - a));
        let late_and_narrow = rise.is_some_and(|(onset, span)| {
            onset > t_lo + flat_lead && span <= th.max_rise_width * width
        });
        let steep = shape.sharpness >= th.min_sharpness;
        let sharp = (steep && starts_flat) || late_and_narrow;
        // emergence is a rise from chance: the fitted level before the rise and the measured
        // models before it must both sit there
        let start = self.flat_start(shape.onset_t);
        let fit_at_chance = self.at_chance(shape.base_level, shape.start_se.unwrap_or(0.0));
        let data_at_chance = start.is_none_or(|s| s.at_chance);
        let rise_scales = rise.map(|(onset, span)| self.measured_bracket(onset, onset + span));
        if sharp && fit_at_chance && data_at_chance {
            verdict(
                Category::Emergent,
                Why::EmergentRise {
                    change,
                    z,
                    from_chance: start.is_some(),
                    sharpness: shape.sharpness,
                    rise_width: rise
                        .filter(|_| width > 0.0)
                        .map(|(_, span)| (span / width).clamp(0.0, 1.0)),
                    rise_scales,
                },
            )
        } else if sharp {
            // the measured start when it is what fails, else the fitted one
            let base = match start {
                Some(s) if !s.at_chance => s.level,
                _ => shape.base_level,
            };
            verdict(
                Category::Scaling,
                Why::RiseAboveChance {
                    change,
                    z,
                    base,
                    chance: self.chance,
                    rise_scales,
                },
            )
        } else if steep {
            // steep, but steepest at the smallest scale: no flat start to emerge from
            verdict(Category::Scaling, Why::RiseFromTheStart { change, z })
        } else {
            verdict(
                Category::Scaling,
                Why::SteadyRise {
                    change,
                    z,
                    sharpness: shape.sharpness,
                },
            )
        }
    }

    /// What the steps between the points of a curve of two or three points say. `steps` are the
    /// step from the first to the last point, then (three points) from the first to the second
    /// and from the second to the third, in performance terms; `flat_start_at_chance` says
    /// whether the first two points are at chance.
    pub(crate) fn read_steps(&self, steps: &[Step], flat_start_at_chance: bool) -> StepReading {
        let real = |st: Step| self.is_real(st.change.abs(), Some(st.z.abs()));
        let total = steps[0];
        if let [_, d1, d2] = *steps {
            let (r1, r2) = (real(d1), real(d2));
            if r1 && r2 && d1.change < 0.0 && d2.change > 0.0 {
                return StepReading::Turn {
                    kind: TurnKind::Minimum,
                    first: d1,
                    second: d2,
                };
            }
            if r1 && r2 && d1.change > 0.0 && d2.change < 0.0 {
                return StepReading::Turn {
                    kind: TurnKind::Maximum,
                    first: d1,
                    second: d2,
                };
            }
            // an emergent jump: flat (and at chance) over the first step, a real rise over the second
            if r2 && d2.change > 0.0 && !r1 && flat_start_at_chance {
                return StepReading::Jump { rise: d2 };
            }
        }
        let largest_z = steps.iter().map(|s| s.z.abs()).fold(0.0, f64::max);
        let moving = steps
            .iter()
            .copied()
            .filter(|st| real(*st))
            .max_by(|a, b| a.change.abs().total_cmp(&b.change.abs()));
        match moving {
            Some(st) if st.change > 0.0 => StepReading::Rises(st),
            Some(st) => StepReading::Falls(st),
            None => StepReading::Flat {
                largest_z: if steps.len() == 1 { total.z } else { largest_z },
            },
        }
    }
}

impl Judge<'_> {
    /// Whether no measured size scores really above chance: every point's gain over chance is
    /// below the minimum effect or not significant at the curve's significance level divided by
    /// its number of points (Bonferroni: the question is whether *any* size differs). Scores below
    /// chance count as at chance: climbing back to chance is no capability gain. `None` when the
    /// question cannot be asked (chance or the noise unknown) or some size is above chance;
    /// otherwise the confidence that the curve stays at chance and the grounds, in words.
    pub(crate) fn stays_at_chance(&self, curve: &Curve) -> Option<(f64, String)> {
        let chance = self.chance?;
        if !curve.noise().is_known() {
            return None;
        }
        let n = curve.len() as f64;
        let normal = Normal::new(0.0, 1.0).ok()?;
        let z_needed = normal.inverse_cdf(1.0 - 0.5 * self.thresholds.significance / n);
        let mut strongest: Option<(f64, f64)> = None;
        for (y, sigma) in curve.y().iter().zip(curve.sigma()) {
            let gap = self.orientation * (y - chance);
            let z = gap / (sigma * self.inflation.sqrt());
            if gap >= self.min_effect() && z >= z_needed {
                return None;
            }
            if strongest.is_none_or(|(_, best)| z > best) {
                strongest = Some((gap, z));
            }
        }
        let (gap, z) = strongest?;
        // the confidence: how sure it is that no size gains the minimum effect over chance (the
        // weakest size decides)
        let confidence = curve
            .y()
            .iter()
            .zip(curve.sigma())
            .map(|(y, sigma)| {
                let gap = self.orientation * (y - chance);
                normal.cdf((self.min_effect() - gap) / (sigma * self.inflation.sqrt()))
            })
            .fold(1.0, f64::min);
        Some((
            confidence,
            format!(
                "at chance: no size scores above chance {chance} (largest gain {gap:+.3}, {z:.1} standard errors; {z_needed:.1} needed with {n} sizes, or {:.3} at least)",
                self.min_effect()
            ),
        ))
    }
}

impl Judge<'_> {
    /// The turn of `kind` in the measured points, leaving out the point at `skip`: the extreme
    /// measured score (the best for a maximum of performance, the worst for a minimum), when it
    /// is neither the first nor the last remaining point, and the arms from it to the farthest
    /// score on either side, in performance terms, each with its standard error from the two
    /// points' noise. With unknown noise the arms carry no standard error (only the minimum
    /// effect can be asked of them).
    pub(crate) fn data_turn(&self, kind: TurnKind, skip: Option<usize>) -> Option<DataTurn> {
        let curve = self.curve;
        // performance, oriented so that the turn is always a maximum
        let sign = match kind {
            TurnKind::Maximum => self.orientation,
            TurnKind::Minimum => -self.orientation,
        };
        let kept: Vec<usize> = (0..curve.len()).filter(|&i| Some(i) != skip).collect();
        let height = |i: usize| sign * curve.y()[i];
        let (pos, &top) = kept
            .iter()
            .enumerate()
            .max_by(|a, b| height(*a.1).total_cmp(&height(*b.1)).then(b.0.cmp(&a.0)))?;
        if pos == 0 || pos + 1 == kept.len() {
            return None;
        }
        let arm = |side: &[usize]| {
            let low = side
                .iter()
                .copied()
                .min_by(|&a, &b| height(a).total_cmp(&height(b)))?;
            let change = height(top) - height(low);
            Some(Step {
                change,
                z: self.step_z(top, low, change),
            })
        };
        Some(DataTurn {
            at: top,
            left: arm(&kept[..pos])?,
            right: arm(&kept[pos + 1..])?,
        })
    }

    /// Whether the measured points show a turn of `kind` with both arms at least the minimum
    /// effect, leaving out the point at `skip`.
    pub(crate) fn data_shows_turn(&self, kind: TurnKind, skip: Option<usize>) -> bool {
        let real = |st: Step| st.change >= self.min_effect();
        self.data_turn(kind, skip)
            .is_some_and(|turn| real(turn.left) && real(turn.right))
    }

    /// The points that every real move of performance in the direction `sign` (+1 a rise, -1 a
    /// fall) involves, where a real move is two measured points, the later better (worse) by at
    /// least the minimum effect and significantly so; `None` when there is no real move. Leaving
    /// out any other point keeps a real move, so these are the points the movement rests on.
    fn move_rests_on(&self, sign: f64) -> Option<Vec<usize>> {
        let curve = self.curve;
        let perf = |i: usize| sign * self.orientation * curve.y()[i];
        let n = curve.len();
        // the intersection of every real pair so far (None before the first)
        let mut common: Option<Vec<usize>> = None;
        for i in 0..n {
            for j in i + 1..n {
                let change = perf(j) - perf(i);
                if !self.is_real(change, Some(self.step_z(i, j, change))) {
                    continue;
                }
                common = Some(match common {
                    None => vec![i, j],
                    Some(c) => c.into_iter().filter(|k| *k == i || *k == j).collect(),
                });
            }
        }
        common
    }

    /// How robust a verdict of `category` is to leaving out one measured point: how many of the
    /// curve's leave-one-out subsets still show what the category rests on in the data (a real
    /// rise for scaling and emergence, a real fall for inverse scaling, both arms of a turn),
    /// out of how many subsets, and the word for what is removed. `None` for categories that
    /// rest on no movement, and when the full set of points does not show it either.
    pub(crate) fn stability(&self, category: Category) -> Option<(usize, usize, &'static str)> {
        let n = self.curve.len();
        let (kept, what) = match category {
            // a real move survives leaving out any point it does not rest on
            Category::Scaling | Category::Emergent | Category::InverseScaling => {
                let sign = if category == Category::InverseScaling {
                    -1.0
                } else {
                    1.0
                };
                // a verdict the measured points do not show at all (a fitted change at the
                // border of the minimum effect) is the fit's to temper, not this test's
                let rests_on = self.move_rests_on(sign)?;
                let what = if sign > 0.0 { "rise" } else { "fall" };
                (n - rests_on.len(), what)
            }
            Category::UShaped | Category::InvertedU => {
                let kind = if category == Category::UShaped {
                    TurnKind::Minimum
                } else {
                    TurnKind::Maximum
                };
                if !self.data_shows_turn(kind, None) {
                    return None;
                }
                let kept = (0..n)
                    .filter(|&i| self.data_shows_turn(kind, Some(i)))
                    .count();
                (kept, "turn")
            }
            _ => return None,
        };
        Some((kept, n, what))
    }
}

impl Judge<'_> {
    /// For a maximum of performance: whether its rise emerges from chance, as a spike that
    /// appears then declines does. The largest single step up to the peak must carry at least
    /// half of the rise, and every model before the step's first point (at least one) must sit at
    /// chance (not above it by both the minimum effect and `chance_z` standard errors; with
    /// unknown noise, within the chance tolerance). Returns the largest of those sizes and the
    /// size of the peak.
    pub(crate) fn emerging_peak(&self, turn: &DataTurn) -> Option<(f64, f64)> {
        let chance = self.chance?;
        let curve = self.curve;
        let perf = |i: usize| self.orientation * curve.y()[i];
        let jump = (0..turn.at)
            .max_by(|&a, &b| (perf(a + 1) - perf(a)).total_cmp(&(perf(b + 1) - perf(b))))?;
        if perf(jump + 1) - perf(jump) < 0.5 * turn.left.change {
            return None;
        }
        // the models before the jump's first point, and at least one of them
        (jump > 0 && (0..jump).all(|i| self.point_at_chance(i, chance)))
            .then(|| (curve.x()[jump - 1], curve.x()[turn.at]))
    }
}

/// A turn in the measured points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DataTurn {
    /// Index of the extreme point.
    pub at: usize,
    /// From the lowest point before it up to it (performance terms, positive).
    pub left: Step,
    /// From it down to the lowest point after it (performance terms, positive).
    pub right: Step,
}

/// One step between two points, in performance terms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    /// The change (positive is better).
    pub change: f64,
    /// The change in standard errors.
    pub z: f64,
}

impl Step {
    /// The change's standard error (not finite when `z` is 0).
    pub(crate) fn se(&self) -> f64 {
        (self.change / self.z).abs()
    }
}

/// The category the steps of a short curve imply, with the steps that decide it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StepReading {
    /// Two real steps in opposite directions (U-shaped or inverted U).
    Turn {
        /// Minimum (U) or maximum (inverted U) of performance.
        kind: TurnKind,
        /// The first step.
        first: Step,
        /// The second step.
        second: Step,
    },
    /// Flat at chance, then a real rise: emergent.
    Jump {
        /// The rise.
        rise: Step,
    },
    /// The largest real movement is a rise: scaling.
    Rises(Step),
    /// The largest real movement is a fall: inverse scaling.
    Falls(Step),
    /// No step is real: flat.
    Flat {
        /// The largest step in standard errors (signed for two points).
        largest_z: f64,
    },
}

impl StepReading {
    /// The category this reading implies.
    pub(crate) fn category(&self) -> Category {
        match self {
            StepReading::Turn {
                kind: TurnKind::Minimum,
                ..
            } => Category::UShaped,
            StepReading::Turn { .. } => Category::InvertedU,
            StepReading::Jump { .. } => Category::Emergent,
            StepReading::Rises(_) => Category::Scaling,
            StepReading::Falls(_) => Category::InverseScaling,
            StepReading::Flat { .. } => Category::Flat,
        }
    }
}

/// A note for flat curves whose every score is at or below the test set's resolution (`1/D` of the
/// metric): such zeros are censored, not certain.
pub(crate) fn censoring_note(curve: &Curve) -> String {
    match curve.resolution() {
        Some(r) if curve.y().iter().all(|y| y.abs() <= r) => format!(
            "; every score is at or below the test set's resolution ({r:.3e}): censored, not a certain zero"
        ),
        _ => String::new(),
    }
}

/// The scale that effect sizes and chance tolerances are fractions of: the metric's maximum for
/// scores (higher is better), the mean absolute value for losses and other lower-is-better metrics,
/// which have no maximum.
fn effect_scale(curve: &Curve) -> f64 {
    if curve.higher_is_better() {
        curve.y_max()
    } else {
        let mean = curve.y().iter().map(|v| v.abs()).sum::<f64>() / curve.len() as f64;
        if mean > 0.0 { mean } else { curve.y_max() }
    }
}

/// The probability that a quantity estimated at `estimate` with standard error `se` (normal)
/// truly lies below `bound`: how likely a change is within the minimum effect, or a step beyond
/// it (as one minus the probability that it is below).
pub(crate) fn probability_below(bound: f64, estimate: f64, se: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(0.5, |d| d.cdf((bound - estimate) / se).clamp(0.0, 1.0))
}

/// The two-sided critical value of a standard normal at level `alpha`.
fn z_critical(alpha: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(2.576, |d| d.inverse_cdf(1.0 - 0.5 * alpha))
}
