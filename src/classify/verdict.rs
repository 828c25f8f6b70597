//! What a fit's shape says, kept as numbers and put into words only when asked.

use super::category::Category;
use super::shape::TurnKind;
use std::fmt;

/// The category a fitted shape implies, with the numbers behind it. `Display` gives the one-line
/// reason the reports show.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let c = classify(&datasets::gpt_neo_truthfulqa().curve)?;
/// let best = &c.fits[0];
/// assert_eq!(best.verdict.category, Category::InverseScaling);
/// assert!(best.verdict.to_string().starts_with("falls by"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Verdict {
    /// The implied category.
    pub category: Category,
    /// Why, in numbers.
    pub why: Why,
    /// Whether higher scores are better; for losses the words are "improves" and "worsens".
    pub higher_is_better: bool,
    /// When the curve has no noise information, the standard errors behind the `z` values are
    /// the fit's residual scatter, and this is the number of degrees of freedom it rests on
    /// (`None` with stated noise). The words say so: a scatter from three residuals is no
    /// standard error to quote bare.
    pub residual_dof: Option<usize>,
}

/// The grounds of a [`Verdict`]. Changes are in the curve's units and in performance terms
/// (positive is better); `z` values are in standard errors.
///
/// ```
/// use emergence_detect::{classify, datasets, Why};
/// let c = classify(&datasets::gpt_neo_3digit_addition().curve)?;
/// match c.representative_fit().unwrap().verdict.why {
///     Why::EmergentRise { change, from_chance, .. } => assert!(change > 0.4 && from_chance),
///     other => panic!("expected an emergent rise, got {other:?}"),
/// }
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Why {
    /// The fitted curve moves less than the minimum effect.
    BelowMinimumEffect {
        /// Largest minus smallest fitted score.
        span: f64,
        /// The minimum effect.
        min_effect: f64,
    },
    /// An interior turn with two significant arms.
    Turn {
        /// Minimum or maximum of performance.
        kind: TurnKind,
        /// Size of the arm before the turn.
        left: f64,
        /// Size of the arm after the turn.
        right: f64,
        /// The left arm in standard errors.
        left_z: f64,
        /// The right arm in standard errors.
        right_z: f64,
    },
    /// No movement is both large enough and significant.
    NotSignificant {
        /// The net change over the range.
        net: f64,
        /// Its size in standard errors.
        z: f64,
        /// The critical value it had to reach.
        needed: f64,
    },
    /// A significant fall.
    Falls {
        /// How much performance falls.
        change: f64,
        /// In standard errors.
        z: f64,
    },
    /// A sharp rise from chance (or from a flat start when chance is unknown).
    EmergentRise {
        /// How much performance rises.
        change: f64,
        /// In standard errors.
        z: f64,
        /// Whether the rise is known to start from chance: chance is known, and the models
        /// before the rise, pooled, score no more than the minimum effect or `Thresholds::chance_z`
        /// standard errors above it (without a chance level, the rise starts from a flat start).
        from_chance: bool,
        /// Steepest slope over the average slope.
        sharpness: f64,
        /// How much of the observed range of scales the rise takes, from 10% to 90% of it (a
        /// share in `[0, 1]`), when the fitted curve covers both.
        rise_width: Option<f64>,
        /// The measured sizes between which the fitted rise covers 10% to 90% of itself (the
        /// largest model at or below the 10% point, the smallest at or above the 90% point), in
        /// the curve's scale units, when the fitted curve covers both.
        rise_scales: Option<(f64, f64)>,
    },
    /// A significant rise that is not sharp.
    SteadyRise {
        /// How much performance rises.
        change: f64,
        /// In standard errors.
        z: f64,
        /// Steepest slope over the average slope.
        sharpness: f64,
    },
    /// A significant rise that is fastest at the smallest scale (concave).
    RiseFromTheStart {
        /// How much performance rises.
        change: f64,
        /// In standard errors.
        z: f64,
    },
    /// A sharp rise that starts above chance: the models before it (or the fitted level they
    /// sit on) already score more than chance, so nothing emerges from chance.
    RiseAboveChance {
        /// How much performance rises.
        change: f64,
        /// In standard errors.
        z: f64,
        /// The level the rise starts from: the pooled score of the models before it when they
        /// are above chance, else the fitted level.
        base: f64,
        /// Chance level, if known.
        chance: Option<f64>,
        /// The measured sizes between which the fitted rise covers 10% to 90% of itself (the
        /// largest model at or below the 10% point, the smallest at or above the 90% point), in
        /// the curve's scale units, when the fitted curve covers both.
        rise_scales: Option<(f64, f64)>,
    },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = match self.residual_dof {
            None => "standard errors".to_string(),
            Some(1) => "standard errors of a residual scatter on 1 degree of freedom".to_string(),
            Some(d) => format!("standard errors of a residual scatter on {d} degrees of freedom"),
        };
        let (rises, falls, recovers) = if self.higher_is_better {
            ("rises", "falls", "recovers")
        } else {
            ("improves", "worsens", "improves again")
        };
        match self.why {
            Why::BelowMinimumEffect { span, min_effect } => write!(
                f,
                "the fitted change {span:.3} is below the minimum effect {min_effect:.3}"
            ),
            Why::Turn {
                kind,
                left,
                right,
                left_z,
                right_z,
            } => {
                let what = match kind {
                    TurnKind::Minimum => format!("{falls} then {recovers}"),
                    TurnKind::Maximum => format!("{rises} then {falls}"),
                };
                write!(
                    f,
                    "{what}: arms {left:.3} and {right:.3} ({left_z:.1} and {right_z:.1} {errors})"
                )
            }
            Why::NotSignificant { net, z, needed } => write!(
                f,
                "no significant change: net {net:+.3} ({z:.1} {errors}, {needed:.1} needed)"
            ),
            Why::Falls { change, z } => {
                write!(f, "{falls} by {change:.3} ({z:.1} {errors})")
            }
            Why::EmergentRise {
                change,
                z,
                from_chance,
                sharpness,
                rise_width: _,
                rise_scales,
            } => {
                let start = if from_chance {
                    "chance level"
                } else {
                    "a flat start"
                };
                write!(f, "{rises} by {change:.3} ({z:.1} {errors}) from {start}")?;
                write_scales(f, rise_scales)?;
                write!(f, ", {sharpness:.1}x steeper than a steady rise")
            }
            Why::SteadyRise {
                change,
                z,
                sharpness,
            } => write!(
                f,
                "{rises} by {change:.3} ({z:.1} {errors}), steadily (sharpness {sharpness:.1})"
            ),
            Why::RiseFromTheStart { change, z } => write!(
                f,
                "{rises} by {change:.3} ({z:.1} {errors}), fastest at the smallest scale"
            ),
            Why::RiseAboveChance {
                change,
                z,
                base,
                chance,
                rise_scales,
            } => {
                write!(f, "{rises} sharply by {change:.3} ({z:.1} {errors})")?;
                write_scales(f, rise_scales)?;
                match chance {
                    Some(c) => write!(
                        f,
                        ", but from {base:.3}, above chance {c}: the smaller models are not at chance, so nothing emerges from it"
                    ),
                    None => write!(f, ", but from {base:.3}"),
                }
            }
        }
    }
}

/// Writes " between A and B" for the scales a rise covers, when known.
fn write_scales(f: &mut fmt::Formatter<'_>, scales: Option<(f64, f64)>) -> fmt::Result {
    match scales {
        Some((from, to)) => write!(f, " between {from:.2e} and {to:.2e}"),
        None => Ok(()),
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
