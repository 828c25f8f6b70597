//! Is an emergent jump a metric artefact? Schaeffer, Miranda and Koyejo (2023, "Are emergent
//! abilities of large language models a mirage?") argue that a discontinuous metric (exact match,
//! pass/fail) can turn a smooth improvement into an apparent jump. Given the same models scored
//! by a discontinuous and a continuous metric (exact match and BLEU, edit distance, token
//! accuracy, Brier score), both curves are classified on the sizes they share and the verdict
//! says whether the emergent reading survives the continuous metric.
//!
//! The rule: the discrete curve must read emergent (otherwise there is nothing to test). If the
//! continuous curve reads emergent too, the jump is **genuine**; if it rises as plain scaling,
//! the continuous metric was improving where the discrete one sat flat: an **artefact**; any
//! other reading of the continuous curve (flat, inconclusive, a turn) leaves it
//! **inconclusive**. Both classifications, with their confidences, come with the verdict.

use crate::classify::{Category, Classification, Classifier, DefaultClassifier, batch};
use crate::curve::{Curve, side_by_side};
use crate::error::Result;
use crate::family::{CurveFamily, ExactMatchOf, Linear};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::fmt;

/// What the continuous metric says about a discrete metric's emergent jump.
///
/// ```
/// use emergence_detect::ArtefactVerdict;
/// assert_eq!(ArtefactVerdict::Artefact.as_str(), "artefact");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ArtefactVerdict {
    /// The continuous metric rises steadily where the discrete one jumps: the jump is the
    /// metric's.
    Artefact,
    /// The continuous metric jumps too: the emergence is the ability's.
    Genuine,
    /// Nothing to decide: the discrete curve is not emergent, or the continuous one is neither
    /// emergent nor scaling.
    Inconclusive,
}

impl ArtefactVerdict {
    /// The name used in tables.
    ///
    /// ```
    /// assert_eq!(emergence_detect::ArtefactVerdict::Genuine.as_str(), "genuine");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            ArtefactVerdict::Artefact => "artefact",
            ArtefactVerdict::Genuine => "genuine",
            ArtefactVerdict::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for ArtefactVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The artefact check of one pair of curves.
///
/// ```
/// use emergence_detect::{metric_artefact, ArtefactVerdict, Curve};
/// // exact match on a 4-token answer: p^4 of a per-token accuracy p that rises steadily
/// let x: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let p: Vec<f64> = x.iter().map(|x| 0.2 + 0.18 * (x.log10() - 8.0)).collect();
/// let exact = Curve::builder(x.clone(), p.iter().map(|p| p.powi(4)).collect())
///     .n_examples(vec![2000.0; 9]).chance(0.0).build()?;
/// let per_token = Curve::builder(x, p).n_examples(vec![2000.0; 9]).build()?;
/// let check = metric_artefact(&exact, &per_token)?;
/// assert_eq!(check.verdict, ArtefactVerdict::Artefact);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct ArtefactCheck {
    /// The verdict.
    pub verdict: ArtefactVerdict,
    /// The discrete metric's classification, on the shared sizes.
    pub discrete: Classification,
    /// The continuous metric's classification, on the shared sizes.
    pub continuous: Classification,
    /// The sizes both curves have.
    pub sizes: Vec<f64>,
    /// The verdict in plain words.
    pub reason: String,
}

/// [`metric_artefact_with`] with the default classifier.
///
/// ```
/// use emergence_detect::{metric_artefact, ArtefactVerdict, Curve};
/// let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
/// let steady = Curve::builder(x.clone(), vec![0.3, 0.4, 0.5, 0.6, 0.7]).n_examples(vec![1000.0; 5]).build()?;
/// // a steady discrete curve has no emergent reading to test
/// assert_eq!(metric_artefact(&steady, &steady)?.verdict, ArtefactVerdict::Inconclusive);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn metric_artefact(discrete: &Curve, continuous: &Curve) -> Result<ArtefactCheck> {
    metric_artefact_with(&DefaultClassifier::default(), discrete, continuous)
}

/// Classifies both curves with `classifier` on the sizes they share and reads the verdict.
///
/// Errors: fewer than two shared sizes ([`Error::UnmatchedSizes`](crate::Error::UnmatchedSizes)),
/// curves on different axes ([`Error::IncompatibleCurves`](crate::Error::IncompatibleCurves)), or a classification error.
///
/// ```
/// use emergence_detect::{metric_artefact_with, Curve, DefaultClassifier, Error};
/// let a = Curve::new(vec![1e8, 1e9], vec![0.1, 0.2])?;
/// let b = Curve::new(vec![1e10, 1e11], vec![10.0, 20.0])?;
/// let err = metric_artefact_with(&DefaultClassifier::default(), &a, &b).unwrap_err();
/// assert!(matches!(err, Error::UnmatchedSizes { .. }));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn metric_artefact_with(
    classifier: &DefaultClassifier,
    discrete: &Curve,
    continuous: &Curve,
) -> Result<ArtefactCheck> {
    let (pairs, _) = side_by_side(discrete, continuous)?;
    let d: Vec<usize> = pairs.iter().map(|p| p.0).collect();
    let c: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    let (discrete, continuous) = (discrete.subset(&d)?, continuous.subset(&c)?);
    let d_result = classifier.classify(&discrete)?;
    let c_result = classifier.classify(&continuous)?;
    let (verdict, why) = match (d_result.category, c_result.category) {
        (Category::Emergent, Category::Emergent) => (
            ArtefactVerdict::Genuine,
            "the continuous metric jumps too: the emergence is not the discrete metric's doing",
        ),
        (Category::Emergent, Category::Scaling) => (
            ArtefactVerdict::Artefact,
            "the continuous metric rises steadily where the discrete one sits flat and then jumps: a smooth improvement that the discrete metric hides",
        ),
        (Category::Emergent, _) => (
            ArtefactVerdict::Inconclusive,
            "the continuous metric is neither emergent nor a steady rise, so it cannot say whether the jump is real",
        ),
        _ => (
            ArtefactVerdict::Inconclusive,
            "the discrete metric shows no emergence to test",
        ),
    };
    let reason = format!(
        "discrete: {} ({:.2}); continuous: {} ({:.2}); {why}",
        d_result.category, d_result.confidence, c_result.category, c_result.confidence
    );
    Ok(ArtefactCheck {
        verdict,
        sizes: discrete.x().to_vec(),
        discrete: d_result,
        continuous: c_result,
        reason,
    })
}

impl fmt::Display for ArtefactCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.reason)
    }
}

/// Whether one exact-match curve is explained by a smooth per-token accuracy: exact match on an
/// answer of `length` tokens is `p(t)^length`, with `p` linear in log scale (a steady per-token
/// improvement; [`ExactMatchOf`] on [`Linear`]). That family joins the classifier's menu and
/// competes in model selection on equal terms.
///
/// ```
/// use emergence_detect::{per_token_check, Curve};
/// let x: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let y: Vec<f64> = x.iter().map(|x| (0.2 + 0.18 * (x.log10() - 8.0)).powi(4)).collect();
/// let exact = Curve::builder(x, y).n_examples(vec![2000.0; 9]).chance(0.0).build()?;
/// let check = per_token_check(&exact, 4.0)?;
/// assert!(check.explained, "{}", check.reason);
/// assert!((check.per_token[0] - 0.2).abs() < 0.03);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct PerTokenCheck {
    /// The answer length in tokens.
    pub length: f64,
    /// Whether the smooth per-token family explains the curve: it ranks first in the menu and
    /// its fit is not rejected by the goodness-of-fit test.
    pub explained: bool,
    /// The per-token family's Akaike weight in the menu.
    pub weight: f64,
    /// The best of the other families, and its weight.
    pub best_other: (String, f64),
    /// The goodness-of-fit p-value of the per-token fit (chi-square), when the noise is known.
    pub goodness_of_fit_p: Option<f64>,
    /// The per-token accuracy the fit implies at each measured size.
    pub per_token: Vec<f64>,
    /// The classification of the exact-match curve with the per-token family in the menu.
    pub classification: Classification,
    /// The check in plain words.
    pub reason: String,
}

/// Runs the per-token check (see [`PerTokenCheck`]) with the default classifier's settings.
///
/// Errors: an answer length below 1 ([`Error::InvalidSetting`](crate::Error::InvalidSetting)), a
/// classification error.
pub fn per_token_check(curve: &Curve, length: f64) -> Result<PerTokenCheck> {
    let family = ExactMatchOf::new(Linear, length)?;
    let label = family.name().to_string();
    let classifier = DefaultClassifier::builder()
        .family(family.clone())
        .build()?;
    let classification = classifier.classify(curve)?;
    let mine = classification.fits.iter().find(|f| f.label == label);
    let best_other = classification
        .fits
        .iter()
        .find(|f| f.label != label)
        .map_or((String::new(), 0.0), |f| (f.label.clone(), f.weight));
    let ranks_first = classification
        .fits
        .first()
        .is_some_and(|f| f.label == label);
    let goodness_of_fit_p = mine.and_then(|f| {
        let dof = f.fit.dof();
        (curve.noise().is_known() && dof > 0)
            .then(|| ChiSquared::new(dof as f64).ok())
            .flatten()
            .map(|d| d.sf(f.fit.chi_square()))
    });
    let fits = goodness_of_fit_p.is_none_or(|p| p >= 0.01);
    let per_token: Vec<f64> = mine.map_or_else(Vec::new, |f| {
        curve
            .t()
            .iter()
            .map(|t| family.per_token(*t, f.fit.params()))
            .collect()
    });
    let weight = mine.map_or(0.0, |f| f.weight);
    let explained = mine.is_some() && ranks_first && fits;
    let reason = match mine {
        None => format!(
            "the per-token family could not be fitted ({})",
            classification.reason
        ),
        Some(_) => {
            let (first, last) = (
                per_token.first().copied().unwrap_or(f64::NAN),
                per_token.last().copied().unwrap_or(f64::NAN),
            );
            let gof = goodness_of_fit_p
                .map_or(String::new(), |p| format!(", goodness of fit p = {p:.3}"));
            format!(
                "{}: exact match as p^{length} of a per-token accuracy rising steadily from {first:.3} to {last:.3} {} (weight {weight:.2}; best other family {} at {:.2}{gof})",
                if explained {
                    "explained"
                } else {
                    "not explained"
                },
                if explained {
                    "fits best"
                } else {
                    "does not fit best"
                },
                best_other.0,
                best_other.1
            )
        }
    };
    Ok(PerTokenCheck {
        length,
        explained,
        weight,
        best_other,
        goodness_of_fit_p,
        per_token,
        classification,
        reason,
    })
}

/// The metric-artefact check of many `(discrete, continuous)` pairs, results in input order; one
/// pair's failure never touches the others (parallel under the `rayon` feature, bit-identical to
/// the sequential run).
///
/// ```
/// use emergence_detect::{metric_artefact_all, ArtefactVerdict, Curve, DefaultClassifier};
/// let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
/// let steady = Curve::builder(x, vec![0.3, 0.4, 0.5, 0.6, 0.7]).n_examples(vec![1000.0; 5]).build()?;
/// let results = metric_artefact_all(&DefaultClassifier::default(), &[(steady.clone(), steady)]);
/// assert_eq!(results[0].as_ref().unwrap().verdict, ArtefactVerdict::Inconclusive);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn metric_artefact_all(
    classifier: &DefaultClassifier,
    pairs: &[(Curve, Curve)],
) -> Vec<Result<ArtefactCheck>> {
    batch(pairs, |(d, c)| metric_artefact_with(classifier, d, c))
}

/// The per-token check of many `(exact-match curve, answer length)` pairs, results in input
/// order; one failure never touches the others (parallel under the `rayon` feature).
///
/// ```
/// use emergence_detect::{per_token_check_all, Curve};
/// let x: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
/// let y: Vec<f64> = x.iter().map(|x| (0.3 + 0.08 * (x.log10() - 8.0)).powi(4)).collect();
/// let c = Curve::builder(x, y).n_examples(vec![2000.0; 9]).build()?;
/// let results = per_token_check_all(&[(c.clone(), 4.0), (c, 0.5)]);
/// assert!(results[0].is_ok() && results[1].is_err()); // an answer length below 1
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn per_token_check_all(items: &[(Curve, f64)]) -> Vec<Result<PerTokenCheck>> {
    batch(items, |(c, length)| per_token_check(c, *length))
}
