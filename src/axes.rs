//! Which scale does an emergence line up on? The same task measured in several model families can
//! be put on several axes (parameters, training tokens, training compute, pretraining loss).
//! [`axis_alignment`] classifies every family's curve on every axis and, for the families whose
//! curve is emergent, compares their critical scales: the spread across families (in decades) and
//! a test of whether they agree within their intervals (Cochran's Q, as in a meta-analysis, on
//! `log10` critical scales weighted by the inverse square of their standard errors). The axis with
//! the smallest spread is the one the jump lines up on best.

use crate::classify::{Category, Classifier, DefaultClassifier, Estimate, batch};
use crate::curve::Curve;
use crate::error::{Error, Result};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};
use std::fmt;

/// One family's curves of one task, on several axes (the same axis names for every family).
///
/// ```
/// use emergence_detect::{axes::FamilyCurves, Curve};
/// let params = Curve::new(vec![1e8, 1e9, 1e10], vec![0.0, 0.0, 0.5])?;
/// let flops = Curve::new(vec![1e20, 1e21, 1e22], vec![0.0, 0.0, 0.5])?;
/// let f = FamilyCurves::new("Pythia", vec![("params".into(), params), ("flops".into(), flops)]);
/// assert_eq!(f.curves.len(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FamilyCurves {
    /// The model family.
    pub family: String,
    /// `(axis name, curve)` pairs.
    pub curves: Vec<(String, Curve)>,
}

impl FamilyCurves {
    /// A family's curves on named axes.
    pub fn new(family: impl Into<String>, curves: Vec<(String, Curve)>) -> FamilyCurves {
        FamilyCurves {
            family: family.into(),
            curves,
        }
    }
}

/// One family on one axis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct FamilyReading {
    /// The model family.
    pub family: String,
    /// Its curve's category on this axis.
    pub category: Category,
    /// The classifier's confidence.
    pub confidence: f64,
    /// The critical scale with its interval, when the curve is emergent.
    pub critical: Option<Estimate>,
}

/// The families' critical scales on one axis, compared.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct AxisReading {
    /// The axis name.
    pub axis: String,
    /// Every family on this axis.
    pub families: Vec<FamilyReading>,
    /// How many families are emergent with a critical scale.
    pub emergent: usize,
    /// The standard deviation of the emergent families' `log10` critical scales (decades).
    pub spread_decades: Option<f64>,
    /// The same over the families emergent on every axis that has two or more emergent families,
    /// when there are two such axes (the like-for-like comparison that picks the best axis).
    pub common_spread_decades: Option<f64>,
    /// Their inverse-variance mean, as a scale.
    pub pooled_critical: Option<f64>,
    /// Cochran's Q of the `log10` critical scales.
    pub q: Option<f64>,
    /// Its p-value (chi-square with `emergent - 1` degrees of freedom): small when the families
    /// disagree beyond their intervals.
    pub p_value: Option<f64>,
}

/// The comparison of the axes.
///
/// ```
/// use emergence_detect::{axes::{axis_alignment, FamilyCurves}, Curve};
/// // two families that jump at the same compute but at different sizes
/// let jump = |x: &[f64], at: f64| -> Curve {
///     let y: Vec<f64> = x.iter().map(|v| 0.02 + 0.9 / (1.0 + (-8.0 * (v.log10() - at)).exp())).collect();
///     Curve::builder(x.to_vec(), y).n_examples(vec![2000.0; x.len()]).chance(0.0).build().unwrap()
/// };
/// let sizes: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.4 * i as f64)).collect();
/// let a_flops: Vec<f64> = sizes.iter().map(|n| 6.0 * n * 3e11).collect();
/// let b_flops: Vec<f64> = sizes.iter().map(|n| 6.0 * n * 3e12).collect();
/// let a = FamilyCurves::new("A", vec![("params".into(), jump(&sizes, 10.0)), ("flops".into(), jump(&a_flops, 22.5))]);
/// let b = FamilyCurves::new("B", vec![("params".into(), jump(&sizes, 9.0)), ("flops".into(), jump(&b_flops, 22.5))]);
/// let result = axis_alignment(&[a, b])?;
/// assert_eq!(result.best_axis.as_deref(), Some("flops"), "{result}");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct AxisAlignment {
    /// One reading per axis, in the order of the first family's curves.
    pub axes: Vec<AxisReading>,
    /// The axis whose critical scales spread least over the families emergent on every axis that
    /// has two or more emergent families (`None` when fewer than two such axes or families).
    pub best_axis: Option<String>,
    /// The comparison in plain words.
    pub reason: String,
}

impl fmt::Display for AxisAlignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// Compares the axes with the default classifier (see the [module documentation](self)).
///
/// # Errors
/// [`Error::IncompatibleCurves`] when the families do not name the same axes; a curve that cannot
/// be classified passes its error on.
pub fn axis_alignment(families: &[FamilyCurves]) -> Result<AxisAlignment> {
    axis_alignment_with(&DefaultClassifier::default(), families)
}

/// Comparisons of many tasks (each a list of families), results in input order; one task's
/// failure never touches the others. Parallel under the `rayon` feature, bit-identical to the
/// sequential run.
///
/// ```
/// use emergence_detect::{axes::{axis_alignment_all, FamilyCurves}, Curve, DefaultClassifier};
/// let c = Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.1, 0.2, 0.3, 0.4])?;
/// let task = vec![FamilyCurves::new("A", vec![("params".into(), c)])];
/// let results = axis_alignment_all(&DefaultClassifier::default(), &[task.clone(), task]);
/// assert_eq!(results.len(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn axis_alignment_all(
    classifier: &DefaultClassifier,
    tasks: &[Vec<FamilyCurves>],
) -> Vec<Result<AxisAlignment>> {
    batch(tasks, |families| axis_alignment_with(classifier, families))
}

/// Compares the axes with a given classifier (see [`axis_alignment`]).
///
/// # Errors
/// As [`axis_alignment`].
///
/// ```
/// use emergence_detect::{axes::{axis_alignment_with, FamilyCurves}, Curve, DefaultClassifier};
/// let c = Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.1, 0.2, 0.3, 0.4])?;
/// let f = FamilyCurves::new("A", vec![("params".into(), c)]);
/// let result = axis_alignment_with(&DefaultClassifier::default(), &[f])?;
/// assert_eq!(result.best_axis, None); // one family: nothing to compare
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn axis_alignment_with(
    classifier: &DefaultClassifier,
    families: &[FamilyCurves],
) -> Result<AxisAlignment> {
    let names: Vec<&str> = families
        .first()
        .map(|f| f.curves.iter().map(|(a, _)| a.as_str()).collect())
        .unwrap_or_default();
    for f in families {
        let own: Vec<&str> = f.curves.iter().map(|(a, _)| a.as_str()).collect();
        if own != names {
            return Err(Error::IncompatibleCurves {
                reason: "every family must give its curves on the same axes, in the same order",
            });
        }
    }
    let mut axes = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let mut readings = Vec::with_capacity(families.len());
        for f in families {
            let c = classifier.classify(&f.curves[k].1)?;
            readings.push(FamilyReading {
                family: f.family.clone(),
                category: c.category,
                confidence: c.confidence,
                critical: (c.category == Category::Emergent)
                    .then_some(c.critical_scale)
                    .flatten(),
            });
        }
        axes.push(compare_criticals(name, readings));
    }
    like_for_like(&mut axes);
    let best = axes
        .iter()
        .filter_map(|a| a.common_spread_decades.map(|s| (s, a)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.axis.clone());
    let reason = describe(&axes, best.as_deref());
    Ok(AxisAlignment {
        axes,
        best_axis: best,
        reason,
    })
}

/// The standard error of `log10` of an estimate, from its interval.
fn log10_se(e: &Estimate) -> Option<f64> {
    if !(e.lower > 0.0 && e.upper > e.lower) {
        return None;
    }
    let width = e.upper.log10() - e.lower.log10();
    // a bracket between two measured sizes (level 1) is read as a uniform distribution over it
    let se = if e.level >= 0.999 || e.level <= 0.0 {
        width / 12f64.sqrt()
    } else {
        let z = Normal::new(0.0, 1.0).ok()?.inverse_cdf(0.5 + e.level / 2.0);
        width / (2.0 * z)
    };
    (se.is_finite() && se > 0.0).then_some(se)
}

fn compare_criticals(axis: &str, families: Vec<FamilyReading>) -> AxisReading {
    let values: Vec<f64> = families
        .iter()
        .filter_map(|f| f.critical.as_ref().map(|e| e.value.log10()))
        .filter(|v| v.is_finite())
        .collect();
    let weighted: Vec<(f64, f64)> = families
        .iter()
        .filter_map(|f| {
            let e = f.critical.as_ref()?;
            Some((e.value.log10(), log10_se(e)?))
        })
        .filter(|(v, _)| v.is_finite())
        .collect();
    let mut reading = AxisReading {
        axis: axis.to_string(),
        families,
        emergent: values.len(),
        spread_decades: spread(&values),
        common_spread_decades: None,
        pooled_critical: None,
        q: None,
        p_value: None,
    };
    let k = weighted.len();
    if k >= 2 {
        let w: Vec<f64> = weighted.iter().map(|p| 1.0 / (p.1 * p.1)).collect();
        let w_sum: f64 = w.iter().sum();
        let pooled = weighted.iter().zip(&w).map(|(p, w)| p.0 * w).sum::<f64>() / w_sum;
        let q: f64 = weighted
            .iter()
            .zip(&w)
            .map(|(p, w)| w * (p.0 - pooled).powi(2))
            .sum();
        reading.pooled_critical = Some(10f64.powf(pooled));
        reading.q = Some(q);
        reading.p_value = ChiSquared::new((k - 1) as f64).ok().map(|d| d.sf(q));
    }
    reading
}

/// The sample standard deviation, with two values or more.
fn spread(values: &[f64]) -> Option<f64> {
    let k = values.len();
    if k < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / k as f64;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1) as f64;
    Some(variance.sqrt())
}

/// Fills each eligible axis's spread over the families emergent on every eligible axis.
fn like_for_like(axes: &mut [AxisReading]) {
    let eligible: Vec<usize> = (0..axes.len()).filter(|&i| axes[i].emergent >= 2).collect();
    // a comparison needs two axes
    if eligible.len() < 2 {
        return;
    }
    let first = eligible[0];
    let common: Vec<usize> = (0..axes[first].families.len())
        .filter(|&f| {
            eligible
                .iter()
                .all(|&a| axes[a].families[f].critical.is_some())
        })
        .collect();
    if common.len() < 2 {
        return;
    }
    for &a in &eligible {
        let values: Vec<f64> = common
            .iter()
            .filter_map(|&f| axes[a].families[f].critical.map(|e| e.value.log10()))
            .collect();
        axes[a].common_spread_decades = spread(&values);
    }
}

fn describe(axes: &[AxisReading], best: Option<&str>) -> String {
    let parts: Vec<String> = axes
        .iter()
        .map(|a| match (a.spread_decades, a.p_value) {
            (Some(s), p) => format!(
                "{}: {} emergent families, critical scales spread {s:.2} decades{}{}",
                a.axis,
                a.emergent,
                a.common_spread_decades.map_or(String::new(), |c| format!(
                    " ({c:.2} over the common families)"
                )),
                match p {
                    Some(p) if p < 0.05 =>
                        format!(", Q test p = {p:.3}: they disagree beyond their intervals"),
                    Some(p) => format!(", Q test p = {p:.3}"),
                    None => String::new(),
                }
            ),
            _ => format!(
                "{}: {} emergent {}, nothing to compare",
                a.axis,
                a.emergent,
                if a.emergent == 1 {
                    "family"
                } else {
                    "families"
                }
            ),
        })
        .collect();
    match best {
        Some(b) => format!("the jump lines up best on {b}; {}", parts.join("; ")),
        None => format!(
            "no two axes each have two or more emergent families in common; {}",
            parts.join("; ")
        ),
    }
}
