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

/// The context a curve is judged in: its orientation, scale of effects and chance level, and the
/// thresholds in force.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judge {
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
    /// How far the smallest model's measured score lies from chance, in performance terms, and
    /// whether it is at chance (see [`Judge::read_first_point`]); `None` without a chance level.
    pub first_point: Option<(f64, bool)>,
    /// The curve's scale axis (to state scales in the curve's units).
    pub axis: Axis,
}

impl Judge {
    /// The context of `curve` under `thresholds` (no variance inflation yet).
    pub(crate) fn new(curve: &Curve, thresholds: &Thresholds) -> Judge {
        let mut judge = Judge {
            orientation: if curve.higher_is_better() { 1.0 } else { -1.0 },
            effect_scale: effect_scale(curve),
            chance: curve.chance(),
            z_crit: z_critical(thresholds.significance),
            inflation: 1.0,
            thresholds: *thresholds,
            first_point: None,
            axis: curve.axis(),
        };
        judge.first_point = judge.read_first_point(curve);
        judge
    }

    /// The smallest model's distance from chance in performance terms, and whether it is at
    /// chance: not above it by both the minimum effect and `chance_z` standard errors (with
    /// unknown noise, within the chance tolerance). `None` without a chance level.
    fn read_first_point(&self, curve: &Curve) -> Option<(f64, bool)> {
        let gap = self.orientation * (curve.y()[0] - self.chance?);
        let th = &self.thresholds;
        let within = if curve.noise().is_known() {
            !(gap >= self.min_effect() && gap > th.chance_z * curve.sigma()[0])
        } else {
            gap.abs() <= th.chance_tolerance * self.effect_scale
        };
        Some((gap, within))
    }

    /// The smallest change that counts, in the curve's units.
    pub(crate) fn min_effect(&self) -> f64 {
        self.thresholds.min_effect * self.effect_scale
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
            let both = significant(turn.left_arm, turn.left_z)
                && significant(turn.right_arm, turn.right_z);
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
        let at_chance = self.at_chance(shape.base_level, shape.start_se.unwrap_or(0.0));
        if sharp && at_chance {
            verdict(
                Category::Emergent,
                Why::EmergentRise {
                    change,
                    z,
                    from_chance: self.first_point.is_some_and(|(_, within)| within),
                    above_chance: self
                        .first_point
                        .filter(|(_, within)| !within)
                        .map(|(gap, _)| gap),
                    sharpness: shape.sharpness,
                    rise_width: rise
                        .filter(|_| width > 0.0)
                        .map(|(_, span)| (span / width).clamp(0.0, 1.0)),
                    rise_scales: rise
                        .map(|(onset, span)| (self.axis.to_x(onset), self.axis.to_x(onset + span))),
                },
            )
        } else if sharp {
            verdict(
                Category::Scaling,
                Why::RiseAboveChance {
                    change,
                    z,
                    base: shape.base_level,
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

impl Judge {
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

/// One step between two points, in performance terms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    /// The change (positive is better).
    pub change: f64,
    /// The change in standard errors.
    pub z: f64,
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

/// The two-sided critical value of a standard normal at level `alpha`.
fn z_critical(alpha: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(2.576, |d| d.inverse_cdf(1.0 - 0.5 * alpha))
}
