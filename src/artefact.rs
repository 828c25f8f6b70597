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

use crate::classify::{Category, Classification, Classifier, DefaultClassifier};
use crate::curve::{Curve, side_by_side};
use crate::error::Result;
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
