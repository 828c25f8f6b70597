//! The result types of a classification: the category with its evidence, the ranked fits, the
//! intervals of the critical scale and of a turn, the nested-model tests.

use super::category::Category;
use super::config::Criterion;
use super::shape::{Shape, TurnKind};
use super::verdict::Verdict;
use crate::curve::Curve;
use crate::fit::Fit;
use crate::scores;

/// How an interval was obtained.
///
/// ```
/// use emergence_detect::{classify, Curve, IntervalMethod};
/// // three points (PaLM-like 8B, 62B, 540B): the jump is bracketed by the measured scales
/// let c = Curve::builder(vec![8e9, 6.2e10, 5.4e11], vec![0.01, 0.02, 0.45])
///     .n_examples(vec![1000.0; 3])
///     .chance(0.0)
///     .build()?;
/// let e = classify(&c)?.critical_scale.unwrap();
/// assert_eq!(e.method, IntervalMethod::Bracket);
/// assert_eq!((e.lower, e.upper), (6.2e10, 5.4e11));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum IntervalMethod {
    /// Percentiles of a seeded parametric bootstrap with this many usable resamples, widened to
    /// cover at least the gap between the measured scales that bracket the estimate: no fitted
    /// shape can tell where between two measured models a rise or a turn happens.
    Bootstrap {
        /// Resamples whose refit gave the quantity.
        resamples: usize,
    },
    /// The neighbouring measured scales (curves of three points).
    Bracket,
    /// No interval could be computed; `lower` and `upper` equal the estimate.
    None,
}

/// A quantity on the scale axis with its interval, in the curve's `x` units.
///
/// ```
/// use emergence_detect::{classify, datasets, IntervalMethod};
/// let c = classify(&datasets::gpt_neo_3digit_addition().curve)?;
/// let e = c.critical_scale.unwrap();
/// assert_eq!(e.level, 0.95);
/// assert!(matches!(e.method, IntervalMethod::Bootstrap { resamples: 100 }));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
    /// The interval's confidence level (1 for a bracket).
    pub level: f64,
    /// How the interval was obtained.
    pub method: IntervalMethod,
}

/// Where a U's minimum (or an inverted U's maximum) lies and how deep it is.
///
/// ```
/// use emergence_detect::{classify, datasets, TurnKind};
/// let c = classify(&datasets::pythia_2digit_addition().curve)?;
/// let peak = c.turn.expect("an inverted U has a peak");
/// assert_eq!(peak.kind, TurnKind::Maximum);
/// assert!(peak.depth > 0.2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct TurnEstimate {
    /// Minimum or maximum of performance.
    pub kind: TurnKind,
    /// Its location on the scale axis.
    pub location: Estimate,
    /// The smaller of the two arms (curve units): how far performance falls and recovers (or rises
    /// and falls).
    pub depth: f64,
}

/// One candidate's fit, ranked.
///
/// ```
/// use emergence_detect::{classify, datasets};
/// let c = classify(&datasets::qwen15_mmlu().curve)?;
/// let best = &c.fits[0];
/// println!("{}: {} = {:.2}, weight {:.2}", best.label, c.criterion.as_str(), best.criterion, best.weight);
/// assert!(c.fits.windows(2).all(|w| w[0].criterion <= w[1].criterion));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct RankedFit {
    /// The candidate's label (family and pins).
    pub label: String,
    /// The fit.
    pub fit: Fit,
    /// The ranking criterion's value (lower is better).
    pub criterion: f64,
    /// AICc (with the overdispersion correction, when applied).
    pub aicc: f64,
    /// BIC (with the overdispersion correction, when applied).
    pub bic: f64,
    /// Akaike weight under the ranking criterion.
    pub weight: f64,
    /// What the fitted curve does over the observed range.
    pub shape: Shape,
    /// The category its shape implies (`verdict.category`).
    pub implies: Category,
    /// The category with its grounds; `verdict.to_string()` is the one-line reason.
    pub verdict: Verdict,
}

/// A test of a family against a simpler one nested in it.
///
/// ```
/// use emergence_detect::{classify, datasets};
/// let c = classify(&datasets::qwen15_mmlu().curve)?;
/// let t = c.nested_tests.iter().find(|t| t.simpler == "constant").unwrap();
/// assert!(t.p_value < 1e-6); // MMLU rises: a constant is rejected
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct NestedTest {
    /// The simpler family.
    pub simpler: String,
    /// The richer family.
    pub richer: String,
    /// The F statistic (noise estimated) or the likelihood-ratio chi-square (noise known).
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
}

/// The answer for one curve: the category with its evidence.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let c = classify(&datasets::synthetic_palm_u_shape().curve)?;
/// assert_eq!(c.category, Category::UShaped);
/// let turn = c.turn.expect("a U has a minimum");
/// assert!(turn.location.lower <= turn.location.value && turn.location.value <= turn.location.upper);
/// // the fits voted; the weights of each category add up to one
/// let total: f64 = c.category_weights.iter().map(|(_, w)| w).sum();
/// assert!((total - 1.0).abs() < 1e-9);
/// let rep = c.representative_fit().unwrap();
/// assert_eq!(rep.implies, Category::UShaped);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct Classification {
    /// The category.
    pub category: Category,
    /// Confidence in `[0, 1]`: the total Akaike weight of the fits whose shape implies the category
    /// (for 2 points, `1 - p` of the test of the step; for 3, the probability that each
    /// deciding step is at least the minimum effect, at most 0.5 for a rise from chance that
    /// three points cannot tell from a jump; for a curve at chance at every size, the
    /// smallest probability, over the sizes, that the size's true gain over chance is below the
    /// minimum effect). For a rise, a fall or a turn it is at most the share of leave-one-out
    /// subsets of the measured points that still show it (the reason says so when that caps it):
    /// a verdict one point makes or breaks is not certain. Failing to show a change, or a turn,
    /// is not showing its absence: a flat fit's vote counts with the probability that its
    /// estimated change lies within the minimum effect, and the vote of a rising or falling fit
    /// that turns back within the range with the probability that the arm back does.
    pub confidence: f64,
    /// A one-line human-readable reason.
    pub reason: String,
    /// Total weight of each category, as voted by the fits.
    pub category_weights: Vec<(Category, f64)>,
    /// The fits, best first.
    pub fits: Vec<RankedFit>,
    /// The criterion the fits are ranked by.
    pub criterion: Criterion,
    /// Nested-model tests (constant vs linear, linear vs quadratic).
    pub nested_tests: Vec<NestedTest>,
    /// Where an emergent rise happens (its midpoint), with an interval.
    pub critical_scale: Option<Estimate>,
    /// A U's minimum or an inverted U's maximum.
    pub turn: Option<TurnEstimate>,
    /// A second category the curve also shows, when one category cannot say it all: `Emergent`
    /// for an inverted U whose rise emerges from chance (a spike that appears, then declines).
    pub secondary: Option<Category>,
    /// BIG-bench's breakthroughness of the raw points (in performance terms); `None` where it is
    /// infinite.
    pub breakthroughness: Option<f64>,
    /// R^2 of the straight line in the fitting coordinate (BIG-bench's linearity stand-in).
    pub linear_r_squared: Option<f64>,
    /// The variance inflation applied because the scatter exceeded the stated noise (1 if none).
    pub overdispersion: f64,
    /// Number of points.
    pub n_points: usize,
    /// How the verdict was reached: with a noise model, or by effect size alone.
    pub evidence: Evidence,
}

/// How a classification was decided.
///
/// `Statistical` when a noise model exists (binomial from test-set sizes, given standard errors,
/// or the residual scatter of the fits on curves long enough to estimate it, see
/// [`Settings::lend_noise_below`](crate::Settings::lend_noise_below)); `EffectSize` when a
/// curve without noise information, too short for its own scatter or scattering less than the
/// sampling noise of a million test items (computed or rounded values), is decided because the
/// verdict holds for any plausible noise (a change too small to matter, or one too large for any
/// test set of at least [`Settings::assumed_min_items`](crate::Settings::assumed_min_items) items,
/// or of as many as the curve's smoothness requires, to produce by chance); `Assumed` when it
/// rests on noise borrowed from comparable curves of a batch. JSON names: `statistical`,
/// `effect_size`, `assumed`.
///
/// ```
/// use emergence_detect::{classify, Curve, Evidence};
/// // PaLM-like: 8B, 62B and 540B, percentages read off a table, no test-set size
/// let c = Curve::builder(vec![8e9, 6.2e10, 5.4e11], vec![0.0, 1.1, 41.0]).y_max(100.0).build()?;
/// let r = classify(&c)?;
/// assert_eq!(r.evidence, Evidence::EffectSize);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Evidence {
    /// Decided under a noise model.
    Statistical,
    /// Decided by effect size: the verdict holds for any plausible noise.
    EffectSize,
    /// Decided under a noise model assumed from other curves of the batch (see
    /// [`classify_all_lending_noise`](crate::classify_all_lending_noise)); the confidence is at
    /// most 0.95.
    Assumed,
}

impl Evidence {
    /// The snake_case name.
    ///
    /// ```
    /// use emergence_detect::Evidence;
    /// assert_eq!(Evidence::EffectSize.as_str(), "effect_size");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Statistical => "statistical",
            Evidence::EffectSize => "effect_size",
            Evidence::Assumed => "assumed",
        }
    }
}

impl Classification {
    /// An empty result for `curve`: Inconclusive with `reason`, field scores filled in.
    pub(crate) fn empty(curve: &Curve, criterion: Criterion, reason: String) -> Classification {
        let s = if curve.higher_is_better() { 1.0 } else { -1.0 };
        let oriented: Vec<f64> = curve.y().iter().map(|v| s * v).collect();
        Classification {
            category: Category::Inconclusive,
            confidence: 0.0,
            reason,
            category_weights: Vec::new(),
            fits: Vec::new(),
            criterion,
            nested_tests: Vec::new(),
            critical_scale: None,
            turn: None,
            secondary: None,
            breakthroughness: scores::breakthroughness(&oriented),
            linear_r_squared: scores::linear_r_squared(curve.t(), curve.y()),
            overdispersion: 1.0,
            n_points: curve.len(),
            evidence: Evidence::Statistical,
        }
    }

    /// The best-ranked fit, if any.
    ///
    /// ```
    /// use emergence_detect::{classify, datasets};
    /// let c = classify(&datasets::qwen15_mmlu().curve)?;
    /// let best = c.best_fit().unwrap();
    /// assert!(c.fits.iter().all(|f| f.criterion >= best.criterion));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn best_fit(&self) -> Option<&RankedFit> {
        self.fits.first()
    }

    /// The highest-weighted fit whose shape implies the chosen category: the fit that represents
    /// the answer (its critical scale, its plot).
    ///
    /// ```
    /// use emergence_detect::{classify, datasets};
    /// let c = classify(&datasets::gpt_neo_truthfulqa().curve)?;
    /// assert_eq!(c.representative_fit().unwrap().implies, c.category);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn representative_fit(&self) -> Option<&RankedFit> {
        self.fits
            .iter()
            .filter(|f| f.implies == self.category)
            .max_by(|a, b| a.weight.total_cmp(&b.weight))
    }
}
