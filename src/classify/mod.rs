//! Classification: which way a curve scales, with the statistical evidence.
//!
//! The default method, in the spirit of R drc's `mselect`: fit every candidate family (pinning the
//! floor at chance where it is known), rank the fits by an information criterion, describe each
//! fit's shape over the observed range, and let the fits vote for the category their shape implies,
//! each with its Akaike weight. The winning category's total weight is the confidence. Curves of two
//! or three points are judged by point-wise tests under the noise model instead.

mod bootstrap;
mod category;
mod config;
mod pointwise;
mod report;
mod shape;
mod verdict;

pub use category::{Category, UnknownCategory};
pub use config::{
    Candidate, ClassifierBuilder, Criterion, DefaultClassifier, Pin, Settings, default_candidates,
};
pub use shape::{Shape, Thresholds, Turn, TurnKind};
pub use verdict::{Verdict, Why};

use crate::curve::Curve;
use crate::error::{Error, Result};
use crate::family::FitData;
use crate::fit::{Fit, FitOptions, fit_data};
use crate::scores;
use bootstrap::{Resampling, curve_seed, quantile, replicates};
use shape::Judge;
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal};

/// Something that classifies curves. Object safe: hold one as `Box<dyn Classifier>`.
///
/// ```
/// use emergence_detect::{Classifier, DefaultClassifier};
/// let boxed: Box<dyn Classifier> = Box::new(DefaultClassifier::default());
/// ```
pub trait Classifier: Send + Sync {
    /// Classifies one validated curve. An error means the classifier itself is misconfigured; a
    /// curve that cannot be judged gives [`Category::Inconclusive`] with a reason.
    fn classify(&self, curve: &Curve) -> Result<Classification>;
}

/// How an interval was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum IntervalMethod {
    /// Percentiles of a seeded parametric bootstrap with this many usable resamples.
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
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
pub struct Classification {
    /// The category.
    pub category: Category,
    /// Confidence in `[0, 1]`: the total Akaike weight of the fits whose shape implies the category
    /// (for 2-3 points, `1 - p` of the deciding test).
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
    /// BIG-bench's breakthroughness of the raw points (in performance terms); `None` where it is
    /// infinite.
    pub breakthroughness: Option<f64>,
    /// R^2 of the straight line in the fitting coordinate (BIG-bench's linearity stand-in).
    pub linear_r_squared: Option<f64>,
    /// The variance inflation applied because the scatter exceeded the stated noise (1 if none).
    pub overdispersion: f64,
    /// Number of points.
    pub n_points: usize,
}

impl Classification {
    /// An empty result for `curve`: Inconclusive with `reason`, field scores filled in.
    fn empty(curve: &Curve, criterion: Criterion, reason: String) -> Classification {
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
            breakthroughness: scores::breakthroughness(&oriented),
            linear_r_squared: scores::linear_r_squared(curve.t(), curve.y()),
            overdispersion: 1.0,
            n_points: curve.len(),
        }
    }

    /// The best-ranked fit, if any.
    pub fn best_fit(&self) -> Option<&RankedFit> {
        self.fits.first()
    }

    /// The highest-weighted fit whose shape implies the chosen category: the fit that represents
    /// the answer (its critical scale, its plot).
    pub fn representative_fit(&self) -> Option<&RankedFit> {
        self.fits
            .iter()
            .filter(|f| f.implies == self.category)
            .max_by(|a, b| a.weight.total_cmp(&b.weight))
    }
}

/// Classifies `curve` with the [`DefaultClassifier`].
///
/// ```
/// use emergence_detect::{classify, Category, Curve};
///
/// // flat at chance for small models, then a jump (GPT-Neo/J 3-digit addition shape)
/// let x = vec![1.25e8, 3.5e8, 1.3e9, 2.7e9, 6.0e9, 2.0e10];
/// let y = vec![0.0, 0.001, 0.002, 0.004, 0.35, 0.58];
/// let curve = Curve::builder(x, y).n_examples(vec![2000.0; 6]).chance(0.0).build()?;
/// let c = classify(&curve)?;
/// assert_eq!(c.category, Category::Emergent);
/// let crit = c.critical_scale.unwrap();
/// assert!(crit.value > 2.7e9 && crit.value < 2.0e10);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn classify(curve: &Curve) -> Result<Classification> {
    thread_local! {
        static DEFAULT: DefaultClassifier = DefaultClassifier::default();
    }
    DEFAULT.with(|c| c.classify(curve))
}

/// Classifies many curves with `classifier`, results in input order; one curve's failure never
/// touches the others. With the `rayon` feature the curves are spread over the thread pool; the
/// output is bit-identical to the sequential run.
///
/// ```
/// use emergence_detect::{classify_all, Curve, DefaultClassifier};
/// let curves = vec![
///     Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.1, 0.2, 0.3, 0.4])?,
///     Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.4, 0.4, 0.4, 0.4])?,
/// ];
/// let results = classify_all(&DefaultClassifier::default(), &curves);
/// assert_eq!(results.len(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn classify_all<C: Classifier + ?Sized>(
    classifier: &C,
    curves: &[Curve],
) -> Vec<Result<Classification>> {
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        curves.par_iter().map(|c| classifier.classify(c)).collect()
    }
    #[cfg(not(feature = "rayon"))]
    {
        curves.iter().map(|c| classifier.classify(c)).collect()
    }
}

/// The overdispersion of a family of curves from one source: the summed chi-square of each
/// curve's best fit over the summed degrees of freedom (a pooled quasi-likelihood estimate), from
/// curves whose noise was stated and whose best fit left at least one degree of freedom; `None`
/// when there are none.
///
/// One short curve cannot tell the scatter between separately trained models from a real change
/// (the classifier inflates a curve's variance by itself only when its best fit leaves three
/// degrees of freedom), but the curves of a benchmark suite measured on the same ladder of models
/// can, together. The estimate is relative to the noise the curves stated: near 1 the stated
/// noise describes them (values below 1 included); pass a larger value to
/// [`CurveBuilder::overdispersion`](crate::CurveBuilder::overdispersion) and classify again. When
/// the stated noise is far too small, some best fits are richer families that absorbed part of
/// the scatter, so the estimate leans low: in simulated families of 40 six-point ladders its mean
/// was the true factor at 1, 0.81 of it at 4 and 0.77 at 16.
///
/// ```
/// use emergence_detect::{classify, pooled_overdispersion, Curve};
/// let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
/// let zigzag = |k: f64| -> Vec<f64> {
///     (0..5).map(|i| 0.5 + 0.01 * k * (i as f64) + if i % 2 == 0 { 0.03 } else { -0.03 }).collect()
/// };
/// let results: Vec<_> = (0..4)
///     .map(|k| {
///         let curve = Curve::builder(x.clone(), zigzag(k as f64)).n_examples(vec![2000.0; 5]).build()?;
///         classify(&curve)
///     })
///     .collect::<Result<_, _>>()?;
/// // a 0.03 zigzag against binomial errors of about 0.011: several times the stated variance
/// assert!(pooled_overdispersion(&results).unwrap() > 3.0);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn pooled_overdispersion<'a>(
    results: impl IntoIterator<Item = &'a Classification>,
) -> Option<f64> {
    let (mut chi2, mut dof) = (0.0, 0usize);
    for best in results.into_iter().filter_map(|r| r.fits.first()) {
        let f = &best.fit;
        if f.absolute_sigma() && f.dof() > 0 && f.chi_square().is_finite() {
            chi2 += f.chi_square();
            dof += f.dof();
        }
    }
    (dof > 0).then(|| chi2 / dof as f64)
}

/// A note for flat curves whose every score is at or below the test set's resolution (`1/D` of the
/// metric): such zeros are censored, not certain.
fn censoring_note(curve: &Curve) -> String {
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

impl Classifier for DefaultClassifier {
    fn classify(&self, curve: &Curve) -> Result<Classification> {
        let st = &self.settings;
        let mut judge = Judge {
            orientation: if curve.higher_is_better() { 1.0 } else { -1.0 },
            effect_scale: effect_scale(curve),
            chance: curve.chance(),
            z_crit: z_critical(st.thresholds.significance),
            inflation: 1.0,
            thresholds: st.thresholds,
        };
        let n = curve.len();
        let known = curve.noise().is_known();
        if n <= 3 {
            let base = Classification::empty(curve, st.criterion, String::new());
            if !known {
                return Ok(Classification {
                    reason: format!(
                        "{n} points and no noise information: the scatter cannot be estimated"
                    ),
                    ..base
                });
            }
            return Ok(pointwise::classify(curve, &judge, base));
        }
        let data = FitData::from_curve(curve);
        let (t_lo, t_hi) = data.t_range();
        let mut fitted: Vec<(usize, Fit)> = Vec::with_capacity(st.candidates.len());
        let mut failures: Vec<String> = Vec::new();
        // the menu in two rounds: every ordinary candidate, then the rich ones that are fitted only
        // when none of the others explains the data within the stated noise
        for rich_round in [false, true] {
            if rich_round && !lack_of_fit(&fitted, n, known) {
                break;
            }
            for (ci, cand) in st.candidates.iter().enumerate() {
                if cand.only_on_lack_of_fit() != rich_round {
                    continue;
                }
                match self.fit_candidate(cand, curve, &data, known) {
                    None => {}
                    Some(Ok(f)) if f.chi_square().is_finite() => fitted.push((ci, f)),
                    Some(Ok(_)) => failures.push(format!("{}: objective not finite", cand.label())),
                    // a pin naming a parameter the family lacks is the classifier's own mistake
                    Some(Err(e @ Error::UnknownParameter { .. })) => return Err(e),
                    Some(Err(e)) => failures.push(format!("{}: {e}", cand.label())),
                }
            }
        }
        if fitted.is_empty() {
            return Ok(Classification::empty(
                curve,
                st.criterion,
                format!(
                    "no candidate family could be fitted ({})",
                    failures.join("; ")
                ),
            ));
        }
        // two candidates can reach the same curve (a hinge whose threshold lies below the data
        // is a straight line): keep one of each, so that no shape gets a double vote
        let fitted = distinct_fits(fitted, &data);
        // overdispersion: the stated noise is too small for even the best fit
        if known {
            judge.inflation = overdispersion(&fitted, n);
        }
        let c_hat = judge.inflation;
        let criterion_of = |f: &Fit, which: Criterion| {
            if known {
                f.chi_square() / c_hat + which.penalty(f.n_free(), n)
            } else {
                match which {
                    Criterion::Aic => f.aic(),
                    Criterion::Aicc => f.aicc(),
                    Criterion::Bic => f.bic(),
                }
            }
        };
        let ics: Vec<f64> = fitted
            .iter()
            .map(|(_, f)| criterion_of(f, st.criterion))
            .collect();
        let best_ic = ics.iter().copied().fold(f64::INFINITY, f64::min);
        let raw: Vec<f64> = ics
            .iter()
            .map(|ic| {
                if ic.is_finite() && best_ic.is_finite() {
                    (-0.5 * (ic - best_ic)).exp()
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = raw.iter().sum();
        // best first; ties keep the candidates' order (a stable sort of positions, which moves
        // no fit)
        let mut order: Vec<usize> = (0..fitted.len()).collect();
        order.sort_by(|&a, &b| ics[a].total_cmp(&ics[b]));
        let mut fitted: Vec<Option<(usize, Fit)>> = fitted.into_iter().map(Some).collect();
        let mut ranked: Vec<RankedFit> = Vec::with_capacity(fitted.len());
        for i in order {
            let Some((ci, f)) = fitted[i].take() else {
                continue;
            };
            let (ic, w) = (&ics[i], &raw[i]);
            let shape = Shape::describe(&f, t_lo, t_hi, &judge);
            let verdict = shape.implied(&judge, t_lo, t_hi);
            ranked.push(RankedFit {
                label: st.candidates[ci].label().to_string(),
                criterion: *ic,
                aicc: criterion_of(&f, Criterion::Aicc),
                bic: criterion_of(&f, Criterion::Bic),
                weight: if total > 0.0 {
                    (w / total).clamp(0.0, 1.0)
                } else {
                    0.0
                },
                fit: f,
                shape,
                implies: verdict.category,
                verdict,
            });
        }
        let mut weights = [0.0; 7];
        for r in &ranked {
            weights[r.implies.index()] += r.weight;
        }
        let mut winner = Category::Inconclusive;
        for c in Category::ALL {
            if weights[c.index()] > weights[winner.index()] {
                winner = c;
            }
        }
        let mut out = Classification::empty(curve, st.criterion, String::new());
        out.category_weights = Category::ALL
            .iter()
            .filter(|c| weights[c.index()] > 0.0)
            .map(|c| (*c, weights[c.index()].clamp(0.0, 1.0)))
            .collect();
        // sums of weights can exceed 1 by a rounding error
        out.confidence = weights[winner.index()].clamp(0.0, 1.0);
        out.overdispersion = c_hat;
        out.nested_tests = nested_tests(&ranked, known, c_hat, n);
        out.category = winner;
        out.fits = ranked;
        out.reason = match out.representative_fit() {
            Some(r) => format!("{} [{}, weight {:.2}]", r.verdict, r.label, out.confidence),
            None => "no fit could be judged".to_string(),
        };
        if winner == Category::Flat {
            out.reason.push_str(&censoring_note(curve));
        }
        if out.confidence < st.min_confidence {
            out.reason = format!(
                "fits disagree: the most likely shape, {winner}, has weight {:.2} < {:.2}",
                out.confidence, st.min_confidence
            );
            out.category = Category::Inconclusive;
            return Ok(out);
        }
        self.intervals(curve, &data, &judge, &mut out);
        Ok(out)
    }
}

impl DefaultClassifier {
    /// Fits one candidate, or `None` when it does not apply to this curve (too few points for its
    /// free parameters, or a pin at an unknown chance level).
    fn fit_candidate(
        &self,
        cand: &Candidate,
        curve: &Curve,
        data: &FitData,
        known: bool,
    ) -> Option<Result<Fit>> {
        let st = &self.settings;
        // every fit keeps at least one degree of freedom
        if cand.n_free() + 1 > curve.len() {
            return None;
        }
        // the ranking needs chi-square to about 1e-3 (a thousandth of an information-criterion
        // unit); chasing more digits along a flat valley costs evaluations and changes nothing
        let mut options = FitOptions::default()
            .max_starts(st.max_starts)
            .tolerances(1e-4, 1e-6, 1e-10)
            .chi2_tolerance(if known { 1e-3 } else { 0.0 })
            .max_evaluations(60)
            .nelder_mead_fallback(false);
        for (name, pin) in cand.pins() {
            match pin {
                Pin::Value(v) => options = options.fix(name, *v),
                Pin::Chance => options = options.fix(name, curve.chance()?),
            }
        }
        Some(fit_data(cand.family(), data, known, curve.axis(), &options))
    }

    /// Fills the critical scale (emergent) or the turn (U, inverted U) with bootstrap intervals.
    fn intervals(&self, curve: &Curve, data: &FitData, judge: &Judge, out: &mut Classification) {
        let st = &self.settings;
        let (t_lo, t_hi) = data.t_range();
        let Some(rep) = out.representative_fit() else {
            return;
        };
        // one reference-count touch for the whole bootstrap (the closures below borrow)
        let family = std::sync::Arc::clone(rep.fit.family());
        let family_ref: &dyn crate::CurveFamily = family.as_ref();
        let params = rep.fit.params().to_vec();
        let axis = curve.axis();
        let orientation = judge.orientation;
        let category = out.category;
        // the noise of the simulated points
        let noise: Vec<f64> = if curve.noise().is_known() {
            data.sigma
                .iter()
                .map(|s| s * judge.inflation.sqrt())
                .collect()
        } else {
            let sd = rep.fit.reduced_chi_square().unwrap_or(0.0).sqrt();
            vec![sd; data.t.len()]
        };
        let mut options = FitOptions::default();
        for (j, fixed) in rep.fit.fixed().iter().enumerate() {
            if *fixed {
                options = options.fix(family.param_names()[j], params[j]);
            }
        }
        let statistic: Statistic = match category {
            Category::Emergent => {
                Box::new(move |p: &[f64]| critical_t(family_ref, p, t_lo, t_hi, orientation))
            }
            Category::UShaped | Category::InvertedU => {
                let want_min = category == Category::UShaped;
                Box::new(move |p: &[f64]| turn_t(family_ref, p, t_lo, t_hi, orientation, want_min))
            }
            _ => return,
        };
        let Some(point) = statistic(&params) else {
            return;
        };
        let level = st.confidence_level;
        let mut estimate = Estimate {
            value: axis.to_x(point),
            lower: axis.to_x(point),
            upper: axis.to_x(point),
            level,
            method: IntervalMethod::None,
        };
        if st.bootstrap_resamples > 0 {
            let resampling = Resampling {
                family: family_ref,
                data,
                options: &options,
                params: &params,
                noise: &noise,
                resamples: st.bootstrap_resamples,
                seed: curve_seed(st.seed, data.t, data.y),
                absolute: curve.noise().is_known(),
            };
            if let Some(reps) = replicates(&resampling, &statistic) {
                // an interval needs most resamples to have the quantity
                if reps.len() * 2 >= st.bootstrap_resamples {
                    let a = 0.5 * (1.0 - level);
                    if let (Some(lo), Some(hi)) = (quantile(&reps, a), quantile(&reps, 1.0 - a)) {
                        estimate.lower = axis.to_x(lo.min(point));
                        estimate.upper = axis.to_x(hi.max(point));
                        estimate.method = IntervalMethod::Bootstrap {
                            resamples: reps.len(),
                        };
                    }
                }
            }
        }
        match category {
            Category::Emergent => out.critical_scale = Some(estimate),
            _ => {
                let depth = out
                    .representative_fit()
                    .and_then(|r| r.shape.turn)
                    .map_or(0.0, |t| t.left_arm.min(t.right_arm));
                out.turn = Some(TurnEstimate {
                    kind: if category == Category::UShaped {
                        TurnKind::Minimum
                    } else {
                        TurnKind::Maximum
                    },
                    location: estimate,
                    depth,
                });
            }
        }
    }
}

/// A quantity computed from a parameter vector (the critical scale, a turn's location).
type Statistic<'a> = Box<dyn Fn(&[f64]) -> Option<f64> + 'a>;

/// Coarse grid of the quantities below; a parabola through the best grid point and its
/// neighbours refines the answer between grid points.
const QUANTITY_GRID: usize = 25;

/// The position of the vertex of the parabola through `(x - h, a)`, `(x, b)`, `(x + h, c)`, kept
/// within one grid step of `x`.
fn parabolic_vertex(x: f64, h: f64, a: f64, b: f64, c: f64) -> f64 {
    let denom = a - 2.0 * b + c;
    if denom.abs() > 0.0 && denom.is_finite() && h > 0.0 && h.is_finite() {
        x + (0.5 * h * (a - c) / denom).clamp(-h, h)
    } else {
        x
    }
}

/// The critical scale of a rising fit: the family's own critical point when it lies within the
/// observed range, else where the fitted curve covers half of its rise over the range.
fn critical_t(
    family: &dyn crate::CurveFamily,
    p: &[f64],
    t_lo: f64,
    t_hi: f64,
    orientation: f64,
) -> Option<f64> {
    if let Some(c) = family.critical_t(p).filter(|c| *c >= t_lo && *c <= t_hi) {
        return Some(c);
    }
    let step = (t_hi - t_lo) / (QUANTITY_GRID - 1) as f64;
    let v = |t: f64| orientation * family.eval(t, p);
    let (first, last) = (v(t_lo), v(t_hi));
    let half = 0.5 * (first + last);
    let mut prev = first;
    for g in 1..QUANTITY_GRID {
        let (a, b) = (t_lo + step * (g - 1) as f64, t_lo + step * g as f64);
        let cur = v(b);
        if (prev - half) * (cur - half) <= 0.0 && prev != cur {
            // bisect the crossing to a thousandth of a grid step
            let (mut lo, mut hi, mut f_lo) = (a, b, prev - half);
            for _ in 0..10 {
                let mid = 0.5 * (lo + hi);
                let f_mid = v(mid) - half;
                if f_lo * f_mid <= 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                    f_lo = f_mid;
                }
            }
            return Some(0.5 * (lo + hi));
        }
        prev = cur;
    }
    None
}

/// Where a fitted curve has its interior minimum (`want_min`) or maximum of performance.
fn turn_t(
    family: &dyn crate::CurveFamily,
    p: &[f64],
    t_lo: f64,
    t_hi: f64,
    orientation: f64,
    want_min: bool,
) -> Option<f64> {
    let step = (t_hi - t_lo) / (QUANTITY_GRID - 1) as f64;
    let sign = if want_min { orientation } else { -orientation };
    let mut grid = [0.0; QUANTITY_GRID];
    for (g, t) in grid.iter_mut().enumerate() {
        *t = t_lo + step * g as f64;
    }
    let mut values = [0.0; QUANTITY_GRID];
    family.eval_batch(&grid, p, &mut values);
    let at = |g: usize| sign * values[g];
    let mut best = 0;
    let mut best_v = f64::INFINITY;
    for g in 0..QUANTITY_GRID {
        let v = at(g);
        if v < best_v {
            best_v = v;
            best = g;
        }
    }
    (best > 0 && best < QUANTITY_GRID - 1).then(|| {
        let x = t_lo + step * best as f64;
        parabolic_vertex(x, step, at(best - 1), best_v, at(best + 1))
    })
}

/// Drops fits whose curves coincide with an earlier fit's at every point (within a thousandth of
/// the smallest standard error), keeping the one with fewer free parameters.
fn distinct_fits(fits: Vec<(usize, Fit)>, data: &FitData) -> Vec<(usize, Fit)> {
    let n = data.t.len();
    let mut predictions = vec![0.0; fits.len() * n];
    for ((_, f), values) in fits.iter().zip(predictions.chunks_exact_mut(n.max(1))) {
        f.family().eval_batch(data.t, f.params(), values);
    }
    let predicted = |i: usize| &predictions[i * n..(i + 1) * n];
    // fewer free parameters first, so that the simpler twin survives; stable for equal counts
    let mut order: Vec<usize> = (0..fits.len()).collect();
    order.sort_by_key(|&i| (fits[i].1.n_free(), fits[i].0));
    let tol = 1e-3 * data.sigma.iter().copied().fold(f64::INFINITY, f64::min);
    let mut keep = vec![false; fits.len()];
    for i in order {
        let twin = (0..fits.len()).filter(|&k| keep[k]).any(|k| {
            predicted(k)
                .iter()
                .zip(predicted(i))
                .all(|(a, b)| (a - b).abs() <= tol)
        });
        keep[i] = !twin;
    }
    // `retain` visits the fits once each, in order
    let mut keep = keep.into_iter();
    let mut fits = fits;
    fits.retain(|_| keep.next().unwrap_or(false));
    if !fits.is_sorted_by_key(|(ci, _)| *ci) {
        fits.sort_by_key(|(ci, _)| *ci);
    }
    fits
}

/// Whether no fit explains the data within the stated noise: the best fit's goodness of fit is
/// rejected at 1%. Never with unknown noise, which has no scale to judge by.
fn lack_of_fit(fits: &[(usize, Fit)], n: usize, known: bool) -> bool {
    known
        && !fits.is_empty()
        && fits
            .iter()
            .filter(|(_, f)| n > f.n_free())
            .all(|(_, f)| misfits(f.chi_square(), n - f.n_free()))
}

/// Whether a chi-square on `dof` degrees of freedom rejects the stated noise at 1%.
fn misfits(chi2: f64, dof: usize) -> bool {
    ChiSquared::new(dof as f64).is_ok_and(|d| d.sf(chi2) < 0.01)
}

/// The variance inflation `c = chi2 / dof` of the best-fitting family when the stated noise is
/// clearly too small for it (goodness of fit rejected at 1%) and that fit leaves at least three
/// degrees of freedom to estimate the scatter with; 1 otherwise.
fn overdispersion(fits: &[(usize, Fit)], n: usize) -> f64 {
    let best = fits
        .iter()
        .filter(|(_, f)| n > f.n_free())
        .map(|(_, f)| (f.chi_square(), n - f.n_free()))
        .min_by(|a, b| (a.0 / a.1 as f64).total_cmp(&(b.0 / b.1 as f64)));
    // with fewer than three residual degrees of freedom the scatter cannot be estimated
    match best {
        Some((chi2, dof)) if dof >= 3 && misfits(chi2, dof) => (chi2 / dof as f64).max(1.0),
        _ => 1.0,
    }
}

/// Constant vs linear and linear vs quadratic, where those fits are present.
fn nested_tests(fits: &[RankedFit], known: bool, c_hat: f64, n: usize) -> Vec<NestedTest> {
    let find = |name: &str| fits.iter().find(|f| f.label == name);
    let mut out = Vec::new();
    for (simple, rich) in [("constant", "linear"), ("linear", "quadratic")] {
        let (Some(a), Some(b)) = (find(simple), find(rich)) else {
            continue;
        };
        let dk = b.fit.n_free().saturating_sub(a.fit.n_free());
        let dof = n.saturating_sub(b.fit.n_free());
        if dk == 0 || dof == 0 {
            continue;
        }
        let drop = (a.fit.chi_square() - b.fit.chi_square()).max(0.0);
        let (statistic, p_value) = if known {
            let stat = drop / c_hat;
            let p = ChiSquared::new(dk as f64).map_or(f64::NAN, |d| d.sf(stat));
            (stat, p)
        } else {
            let denom = b.fit.chi_square() / dof as f64;
            let stat = if denom > 0.0 {
                (drop / dk as f64) / denom
            } else {
                f64::INFINITY
            };
            let p = if stat.is_finite() {
                FisherSnedecor::new(dk as f64, dof as f64).map_or(f64::NAN, |d| d.sf(stat))
            } else {
                0.0
            };
            (stat, p)
        };
        if statistic.is_finite() && p_value.is_finite() {
            out.push(NestedTest {
                simpler: simple.to_string(),
                richer: rich.to_string(),
                statistic,
                p_value,
            });
        }
    }
    out
}
