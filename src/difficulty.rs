//! Emergence as an offset between easy and hard questions (Wu & Lo, ICLR 2025, "U-shaped and
//! inverted-U scaling behind emergent abilities"): group a task's questions by difficulty; on hard
//! groups performance can improve while on easy groups it declines (an inverted U, then steady
//! improvement), so that the overall score stays flat until the easy groups turn back to
//! improving, and then soars.
//!
//! [`difficulty_decomposition`] takes the groups' curves (easiest first) and the overall curve:
//!
//! 1. every group and the overall curve are classified with the crate's classifier;
//! 2. the overall curve's **flat phase** is the measured sizes below the lower end of its critical
//!    scale's interval, less the last ones whose score has already left its starting level (by
//!    three standard errors); only an emergent overall curve has one, unless its end is given;
//! 3. in the flat phase, each group's **trend** is the slope of a straight line in log scale
//!    (the crate's [`Linear`] family and fitting engine; in performance units, so a falling loss
//!    is a positive trend), with its standard error scaled by the line's residual scatter (models
//!    of different families scatter beyond their sampling noise); the easiest third and the
//!    hardest third of the groups are pooled (inverse-variance means of their slopes);
//! 4. the offset **explains** the flat phase when the two thirds move in opposite directions,
//!    each by at least two standard errors; the offset **ends** where the declining third turns
//!    back (the median turn of its U-shaped groups), reported with its distance in decades from
//!    the end of the flat phase.

use crate::classify::{
    Category, Classification, Classifier, DefaultClassifier, TurnKind, batch, median,
};
use crate::curve::Curve;
use crate::error::{Error, Result};
use crate::family::Linear;
use crate::fit::{FitOptions, fit};
use std::fmt;
use std::sync::Arc;

/// What the decomposition says about the overall curve's flat phase.
///
/// Names in JSON: `explains`, `no_offset`, `not_emergent`, `inconclusive`.
///
/// ```
/// use emergence_detect::difficulty::DecompositionVerdict;
/// assert_eq!(DecompositionVerdict::NoOffset.as_str(), "no_offset");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DecompositionVerdict {
    /// In the flat phase the easy and the hard groups move in opposite directions.
    Explains,
    /// In the flat phase the easy and the hard groups do not offset each other.
    NoOffset,
    /// The overall curve is not emergent: there is no flat phase to explain.
    NotEmergent,
    /// Too few points in the flat phase, or trends the noise cannot sign.
    Inconclusive,
}

impl DecompositionVerdict {
    /// The snake_case name.
    ///
    /// ```
    /// use emergence_detect::difficulty::DecompositionVerdict;
    /// assert_eq!(DecompositionVerdict::Explains.to_string(), "explains");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DecompositionVerdict::Explains => "explains",
            DecompositionVerdict::NoOffset => "no_offset",
            DecompositionVerdict::NotEmergent => "not_emergent",
            DecompositionVerdict::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for DecompositionVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difficulty group: its classification and its trend in the overall curve's flat phase.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct GroupReading {
    /// 1 for the easiest group.
    pub rank: usize,
    /// The group's classification over all sizes.
    pub classification: Classification,
    /// Slope per decade of scale in the flat phase, in performance units (positive = improving).
    pub flat_phase_trend: Option<f64>,
    /// Its standard error.
    pub flat_phase_trend_se: Option<f64>,
}

/// A third of the groups (the easiest or the hardest) pooled.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct PooledTrend {
    /// The ranks it pools, first and last.
    pub ranks: (usize, usize),
    /// Inverse-variance mean slope per decade in the flat phase (performance units).
    pub trend: f64,
    /// Its standard error.
    pub trend_se: f64,
}

impl PooledTrend {
    /// The trend in standard errors.
    ///
    /// ```
    /// use emergence_detect::{datasets, difficulty::difficulty_decomposition};
    /// let task = datasets::wu_lo_mmlu();
    /// let d = difficulty_decomposition(&task.groups, &task.overall)?;
    /// assert!(d.easy.unwrap().z() < -2.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn z(&self) -> f64 {
        self.trend / self.trend_se
    }
}

/// The decomposition of one task (see the [module documentation](self)).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Decomposition {
    /// The verdict.
    pub verdict: DecompositionVerdict,
    /// The overall curve's classification.
    pub overall: Classification,
    /// The groups, easiest first.
    pub groups: Vec<GroupReading>,
    /// The largest measured size of the flat phase, when there is one.
    pub flat_phase_end: Option<f64>,
    /// The easiest third, pooled.
    pub easy: Option<PooledTrend>,
    /// The hardest third, pooled.
    pub hard: Option<PooledTrend>,
    /// Where the declining third turns back to improving (median of its U-shaped groups' turns).
    pub offset_ends: Option<f64>,
    /// `log10(offset_ends / flat_phase_end)`: how far the turn is from the end of the flat phase.
    pub offset_end_distance_decades: Option<f64>,
    /// The verdict in plain words.
    pub reason: String,
}

impl fmt::Display for Decomposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.reason)?;
        let ranks: Vec<String> = self
            .groups
            .iter()
            .map(|g| format!("{} {}", g.rank, g.classification.category))
            .collect();
        write!(f, " [groups: {}]", ranks.join(", "))
    }
}

/// Decomposes a task into its difficulty groups with the default classifier.
///
/// `groups` are the groups' curves, easiest first (at least two; three or more to have distinct
/// easy and hard thirds), measured on the same models as `overall`.
///
/// # Errors
/// [`Error::TooFewPoints`] with fewer than two groups; a group or the overall curve that cannot be
/// classified passes its error on.
///
/// ```
/// use emergence_detect::{datasets, difficulty::{difficulty_decomposition, DecompositionVerdict}};
/// let task = datasets::wu_lo_mmlu();
/// let d = difficulty_decomposition(&task.groups, &task.overall)?;
/// assert_eq!(d.verdict, DecompositionVerdict::Explains, "{d}");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn difficulty_decomposition(groups: &[Curve], overall: &Curve) -> Result<Decomposition> {
    difficulty_decomposition_with(&DefaultClassifier::default(), groups, overall, None)
}

/// Decompositions of many tasks (`(groups, overall)` pairs), results in input order; one task's
/// failure never touches the others. Parallel under the `rayon` feature, bit-identical to the
/// sequential run.
///
/// ```
/// use emergence_detect::{datasets, difficulty::difficulty_decomposition_all, DefaultClassifier};
/// let a = datasets::wu_lo_mmlu();
/// let tasks = vec![(a.groups.clone(), a.overall.clone()), (a.groups[..1].to_vec(), a.overall)];
/// let results = difficulty_decomposition_all(&DefaultClassifier::default(), &tasks);
/// assert!(results[0].is_ok() && results[1].is_err());
/// ```
pub fn difficulty_decomposition_all(
    classifier: &DefaultClassifier,
    tasks: &[(Vec<Curve>, Curve)],
) -> Vec<Result<Decomposition>> {
    batch(tasks, |(g, o)| {
        difficulty_decomposition_with(classifier, g, o, None)
    })
}

/// Decomposes a task with a given classifier (see [`difficulty_decomposition`]), and optionally
/// the end of the flat phase, when it is known from elsewhere (a paper's threshold): then the
/// trends are read below it whatever the overall curve's category.
///
/// # Errors
/// As [`difficulty_decomposition`]; [`Error::InvalidSetting`] for a `flat_phase_end` that is not
/// finite.
///
/// ```
/// use emergence_detect::{datasets, difficulty::difficulty_decomposition_with, DefaultClassifier};
/// let task = datasets::wu_lo_mmlu();
/// let classifier = DefaultClassifier::default();
/// let d = difficulty_decomposition_with(&classifier, &task.groups, &task.overall, None)?;
/// assert_eq!(d.groups.len(), 10);
/// // the paper's threshold for MMLU: 10^1.5 x 1e21 FLOPs
/// let at = difficulty_decomposition_with(&classifier, &task.groups, &task.overall, Some(3.16e22))?;
/// assert!(at.flat_phase_end.unwrap() <= 3.16e22);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn difficulty_decomposition_with(
    classifier: &DefaultClassifier,
    groups: &[Curve],
    overall: &Curve,
    flat_phase_end: Option<f64>,
) -> Result<Decomposition> {
    if let Some(end) = flat_phase_end
        && !end.is_finite()
    {
        return Err(Error::InvalidSetting {
            what: "flat_phase_end",
            value: end,
            reason: "must be finite",
        });
    }
    if groups.len() < 2 {
        return Err(Error::TooFewPoints {
            found: groups.len(),
            needed: 2,
        });
    }
    let overall_result = classifier.classify(overall)?;
    let below = |limit: f64, inclusive: bool| {
        overall
            .x()
            .iter()
            .copied()
            .rev()
            .find(|x| *x < limit || (inclusive && *x == limit))
    };
    let flat_end = match (
        flat_phase_end,
        overall_result.category,
        overall_result.critical_scale,
    ) {
        (Some(end), _, _) => below(end, true),
        (None, Category::Emergent, Some(critical)) => {
            below(critical.lower, false).and_then(|end| flat_until(overall, end))
        }
        _ => None,
    };
    let mut readings = Vec::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        let classification = classifier.classify(g)?;
        let trend = flat_end.and_then(|end| trend_until(g, end));
        readings.push(GroupReading {
            rank: i + 1,
            classification,
            flat_phase_trend: trend.map(|t| t.0),
            flat_phase_trend_se: trend.map(|t| t.1),
        });
    }
    let third = (groups.len() / 3).max(1);
    let easy = pool(&readings[..third]);
    let hard = pool(&readings[groups.len() - third..]);
    let mut d = Decomposition {
        verdict: DecompositionVerdict::Inconclusive,
        overall: overall_result,
        groups: readings,
        flat_phase_end: flat_end,
        easy,
        hard,
        offset_ends: None,
        offset_end_distance_decades: None,
        reason: String::new(),
    };
    let Some(end) = flat_end else {
        d.verdict = DecompositionVerdict::NotEmergent;
        d.reason = if flat_phase_end.is_some() {
            "no measured size lies at or below the given end of the flat phase".to_string()
        } else if d.overall.category == Category::Emergent {
            "the overall curve is emergent, but no measured size lies below its critical scale's interval: the flat phase cannot be examined".to_string()
        } else {
            format!(
                "the overall curve is {}, not emergent: there is no flat phase to explain",
                d.overall.category
            )
        };
        if flat_phase_end.is_some() || d.overall.category == Category::Emergent {
            d.verdict = DecompositionVerdict::Inconclusive;
        }
        return Ok(d);
    };
    let (Some(e), Some(h)) = (easy, hard) else {
        d.reason = format!(
            "the flat phase (up to {end:.3e}) has too few sizes for a trend of every group"
        );
        return Ok(d);
    };
    let opposite = e.trend * h.trend < 0.0 && e.z().abs() >= 2.0 && h.z().abs() >= 2.0;
    let describe = |p: &PooledTrend, what: &str| {
        format!(
            "the {what} groups ({}-{}) {} by {:.3} per decade ({:.1} standard errors)",
            p.ranks.0,
            p.ranks.1,
            if p.trend > 0.0 { "improve" } else { "decline" },
            p.trend.abs(),
            p.z().abs()
        )
    };
    let phase = if flat_phase_end.is_some() {
        "the given end of the flat phase"
    } else {
        "where the overall score is flat"
    };
    let trends = format!(
        "up to {end:.3e} ({phase}), {} while {}",
        describe(&e, "easiest"),
        describe(&h, "hardest")
    );
    if opposite {
        d.verdict = DecompositionVerdict::Explains;
        // where the declining third turns back to improving
        let declining = if e.trend < 0.0 { e } else { h };
        let turns: Vec<f64> = d.groups[declining.ranks.0 - 1..declining.ranks.1]
            .iter()
            .filter_map(|g| {
                let c = &g.classification;
                (c.category == Category::UShaped)
                    .then_some(c.turn.as_ref())
                    .flatten()
                    .filter(|t| t.kind == TurnKind::Minimum)
                    .map(|t| t.location.value.log10())
            })
            .collect();
        d.offset_ends = median(turns).map(|t| 10f64.powf(t));
        d.offset_end_distance_decades = d.offset_ends.map(|x| (x / end).log10());
        let ending = match (d.offset_ends, d.offset_end_distance_decades) {
            (Some(x), Some(dist)) => format!(
                "; the declining groups turn back to improving at {x:.3e}, {:.2} decades {} the end of the flat phase",
                dist.abs(),
                if dist < 0.0 { "before" } else { "after" }
            ),
            _ => "; none of the declining groups turns back within the data".to_string(),
        };
        d.reason = format!("{trends}: the two offset each other{ending}");
    } else if e.z().abs() < 2.0 || h.z().abs() < 2.0 {
        d.verdict = if e.trend * h.trend < 0.0 {
            DecompositionVerdict::Inconclusive
        } else {
            DecompositionVerdict::NoOffset
        };
        d.reason = format!(
            "{trends}: {}",
            if e.trend * h.trend < 0.0 {
                "opposite, but one of them within the noise"
            } else {
                "no offset between them"
            }
        );
    } else {
        d.verdict = DecompositionVerdict::NoOffset;
        d.reason = format!("{trends}: they move together, so they do not offset each other");
    }
    Ok(d)
}

/// The last measured size at or below `end` before which the overall score has not left its
/// starting level: trailing points more than three standard errors above the median of the first
/// half of the candidates (in performance terms) are already part of the rise.
fn flat_until(overall: &Curve, end: f64) -> Option<f64> {
    let candidates: Vec<usize> = (0..overall.len())
        .filter(|&i| overall.x()[i] <= end)
        .collect();
    let half = candidates.len().div_ceil(2);
    let sign = if overall.higher_is_better() {
        1.0
    } else {
        -1.0
    };
    let baseline = median(candidates[..half].iter().map(|&i| overall.y()[i]).collect())?;
    let mut last = candidates.len();
    while last > half {
        let i = candidates[last - 1];
        if sign * (overall.y()[i] - baseline) > 3.0 * overall.sigma()[i] {
            last -= 1;
        } else {
            break;
        }
    }
    Some(overall.x()[candidates[last - 1]])
}

/// The slope per decade (performance units) and its standard error of a straight line in log
/// scale through the points at or below `end`; `None` with fewer than three distinct sizes.
fn trend_until(curve: &Curve, end: f64) -> Option<(f64, f64)> {
    let keep: Vec<usize> = (0..curve.len()).filter(|&i| curve.x()[i] <= end).collect();
    let distinct = keep
        .windows(2)
        .filter(|w| curve.x()[w[0]] != curve.x()[w[1]])
        .count()
        + 1;
    if keep.len() < 3 || distinct < 3 {
        return None;
    }
    let part = curve.subset(&keep).ok()?;
    // the scatter between models of different families exceeds the sampling noise of their
    // scores: the slope's standard error is scaled by the line's own residual scatter
    let options = FitOptions::default().absolute_sigma(false);
    let line = fit(Arc::new(Linear), &part, &options).ok()?;
    let slope = line.value("b")?;
    let se = line.std_error("b")?;
    let sign = if curve.higher_is_better() { 1.0 } else { -1.0 };
    (slope.is_finite() && se.is_finite() && se > 0.0).then_some((sign * slope, se))
}

/// Inverse-variance mean of the groups' trends.
fn pool(groups: &[GroupReading]) -> Option<PooledTrend> {
    let (mut w_sum, mut wx_sum) = (0.0, 0.0);
    for g in groups {
        let (t, se) = (g.flat_phase_trend?, g.flat_phase_trend_se?);
        let w = 1.0 / (se * se);
        w_sum += w;
        wx_sum += w * t;
    }
    (w_sum > 0.0).then(|| PooledTrend {
        ranks: (groups[0].rank, groups[groups.len() - 1].rank),
        trend: wx_sum / w_sum,
        trend_se: 1.0 / w_sum.sqrt(),
    })
}
