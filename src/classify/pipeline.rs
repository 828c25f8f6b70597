//! The pipeline of the default classifier: pointwise tests for tiny curves; otherwise fit the
//! menu, select and vote, then the intervals.

use super::builder::DefaultClassifier;
use super::candidate::{Candidate, Pin};
use super::category::Category;
use super::intervals::intervals;
use super::pointwise::{self, UNDECIDED};
use super::result::{Classification, Evidence};
use super::rule::{Judge, censoring_note, probability_below};
use super::select::{distinct_fits, lack_of_fit, overdispersion, rank, vote};
use super::shape::TurnKind;
use crate::curve::Curve;
use crate::error::{Error, Result};
use crate::family::FitData;
use crate::fit::{Fit, FitOptions, fit_data};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Something that classifies curves. Object safe: hold one as `Box<dyn Classifier>`.
///
/// ```
/// use emergence_detect::{Classifier, DefaultClassifier};
/// let boxed: Box<dyn Classifier> = Box::new(DefaultClassifier::default());
/// ```
pub trait Classifier: Send + Sync {
    /// Classifies one validated curve. An error means the classifier itself is misconfigured; a
    /// curve that cannot be judged gives [`Category::Inconclusive`] with a reason.
    ///
    /// ```
    /// use emergence_detect::{Category, Classifier, Curve, DefaultClassifier};
    /// let curve = Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.3, 0.3, 0.3, 0.3])?;
    /// let c = DefaultClassifier::default().classify(&curve)?;
    /// assert_eq!(c.category, Category::Flat);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    fn classify(&self, curve: &Curve) -> Result<Classification>;
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
    batch(curves, |c| classifier.classify(c))
}

/// The highest confidence a verdict resting on borrowed noise may carry.
const ASSUMED_CONFIDENCE_CAP: f64 = 0.95;

/// Classifies a batch like [`classify_all`], lending noise to the short curves that have none.
///
/// A curve without noise information borrows a test-set size when its own scatter cannot serve:
/// when it has fewer than [`Settings::lend_noise_below`](crate::Settings::lend_noise_below)
/// points (default 12: fewer leave the fits too few residual degrees of freedom to estimate a
/// scatter to test against), or, with at most
/// [`Settings::pointwise_up_to`](crate::Settings::pointwise_up_to) points, when its effect size
/// alone cannot decide it. The size it borrows is the median test-set size of the batch's curves
/// of the same metric (the `metric` label, compared without case) that state one. It is then
/// classified under that binomial noise, with [`Evidence::Assumed`], a confidence of at most 0.95
/// and a reason that names the assumption. Curves with noise information, longer curves and
/// curves whose metric no other curve sizes are classified as by [`classify_all`]. Results are
/// in input order; parallel under the `rayon` feature, bit-identical to the sequential run.
///
/// ```
/// use emergence_detect::{classify_all_lending_noise, Curve, CurveLabels, DefaultClassifier, Evidence};
/// let labelled = |y: Vec<f64>| {
///     let mut l = CurveLabels::default();
///     l.metric = Some("accuracy".into());
///     Curve::builder(vec![8e9, 6.2e10, 5.4e11], y).labels(l)
/// };
/// let sized = labelled(vec![0.30, 0.35, 0.60]).n_examples(vec![2000.0; 3]).build()?;
/// // a 3-point rise that 100 items could not show, but 2,000 can
/// let bare = labelled(vec![0.20, 0.24, 0.28]).build()?;
/// let results = classify_all_lending_noise(&DefaultClassifier::default(), &[sized, bare]);
/// let lent = results[1].as_ref().unwrap();
/// assert_eq!(lent.evidence, Evidence::Assumed);
/// assert!(lent.reason.contains("2000 items"), "{}", lent.reason);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn classify_all_lending_noise(
    classifier: &DefaultClassifier,
    curves: &[Curve],
) -> Vec<Result<Classification>> {
    let metric = |c: &Curve| c.labels().metric.as_deref().map(str::to_ascii_lowercase);
    // the median test-set size per metric, over the curves that state one
    let mut sizes: Vec<(String, Vec<f64>)> = Vec::new();
    for c in curves {
        if let (Some(m), Some(n)) = (metric(c), c.n_examples()) {
            let mut n = n.to_vec();
            match sizes.iter_mut().find(|(k, _)| *k == m) {
                Some((_, all)) => all.append(&mut n),
                None => sizes.push((m, n)),
            }
        }
    }
    let medians: Vec<(String, f64, usize)> = sizes
        .into_iter()
        .map(|(m, mut n)| {
            n.sort_by(f64::total_cmp);
            let median = n[n.len() / 2];
            (m, median, n.len())
        })
        .collect();
    let short = classifier.settings().pointwise_up_to;
    let thin = classifier.settings().lend_noise_below;
    batch(curves, |c| {
        let lender = if c.noise().is_known() {
            None
        } else {
            metric(c).and_then(|m| medians.iter().find(|(k, _, _)| *k == m))
        };
        let Some(((m, n, points), lent)) =
            lender.and_then(|l| c.with_test_size(l.1).ok().map(|lent| (l, lent)))
        else {
            return classifier.classify(c);
        };
        // a short curve borrows when its effect size cannot decide it, a curve of 12 points
        // or more never; one in between, whose residual scatter rests on too few degrees of
        // freedom, always, and need not be read alone first
        if c.len() <= short || c.len() >= thin {
            let plain = classifier.classify(c)?;
            if c.len() >= thin || plain.category != Category::Inconclusive {
                return Ok(plain);
            }
        }
        let mut out = classifier.classify(&lent)?;
        out.evidence = Evidence::Assumed;
        out.confidence = out.confidence.min(ASSUMED_CONFIDENCE_CAP);
        out.reason = format!(
            "{}; noise assumed: no noise information was given, so binomial with {n:.0} items, the median test-set size of the batch's `{m}` scores ({points} points of other curves)",
            out.reason
        );
        Ok(out)
    })
}

/// Maps `one` over `items`, results in input order: over the thread pool with the `rayon`
/// feature, sequentially without; every batch form of the crate goes through here, so each is
/// bit-identical to its sequential run.
pub(crate) fn batch<T: Sync, R: Send>(items: &[T], one: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        items.par_iter().map(one).collect()
    }
    #[cfg(not(feature = "rayon"))]
    {
        items.iter().map(one).collect()
    }
}

/// The tolerances of the candidates' fits. The ranking needs chi-square to about 1e-3 (a
/// thousandth of an information-criterion unit); chasing more digits along a flat valley costs
/// evaluations and changes no rank or weight.
const RANKING_FTOL: f64 = 1e-4;
const RANKING_XTOL: f64 = 1e-6;
const RANKING_GTOL: f64 = 1e-10;
const RANKING_CHI2_TOL: f64 = 1e-3;

impl Classifier for DefaultClassifier {
    fn classify(&self, curve: &Curve) -> Result<Classification> {
        let st = &self.settings;
        let n = curve.len();
        let known = curve.noise().is_known();
        if n <= st.pointwise_up_to {
            let base = Classification::empty(curve, st.criterion, String::new());
            if !known {
                let pointwise_at = |assumed: &Curve, _reported: bool| {
                    let judge = Judge::new(assumed, &st.thresholds);
                    Some(pointwise::classify(assumed, &judge, base.clone()))
                };
                let why = match by_effect_size(curve, st.assumed_min_items, pointwise_at) {
                    Ok(decided) => return Ok(decided),
                    Err(Undecided::NotApplicable(why) | Undecided::DependsOnTestSize(why)) => why,
                };
                return Ok(Classification {
                    reason: format!(
                        "{n} points and no noise information: the scatter cannot be estimated{why}; give the test-set size (`CurveBuilder::n_examples`, CSV column `n_examples`) or standard errors (`CurveBuilder::sigma`, column `sigma`), or measure more than {} sizes",
                        st.pointwise_up_to
                    ),
                    ..base
                });
            }
            let judge = Judge::new(curve, &st.thresholds);
            return Ok(pointwise::classify(curve, &judge, base));
        }
        if !known {
            // a residual scatter on few degrees of freedom is a poor noise model, and one smaller
            // than any test set's sampling noise is none: the verdict is then read by effect
            // size, as the short curves' are, when it holds for every test set the residual
            // scatter allows
            let trusted = n >= st.lend_noise_below;
            let plain = self.classify_fitted(curve, trusted)?;
            let too_smooth = items_of_scatter(curve, &plain).is_some_and(|i| i > MOST_ITEMS);
            if trusted && !too_smooth {
                return Ok(plain);
            }
            let items = fewest_items(curve, &plain, st.assumed_min_items);
            let fitted_at =
                |assumed: &Curve, reported: bool| self.classify_fitted(assumed, reported).ok();
            let residual_reading = || match trusted {
                true => Ok(plain.clone()),
                false => self.classify_fitted(curve, true),
            };
            return Ok(match by_effect_size(curve, items, fitted_at) {
                Ok(mut decided) => {
                    if items > st.assumed_min_items {
                        decided.reason.push_str(&format!(
                            "; fewer than {items:.0} items would scatter more than the curve does (the 95% upper bound of its residual scatter)"
                        ));
                    }
                    if too_smooth {
                        decided.reason.push_str(
                            "; the curve scatters less than the sampling noise of a million test items (computed or rounded values?), so its residual scatter is not taken as its noise",
                        );
                    }
                    decided
                }
                Err(Undecided::DependsOnTestSize(why)) => {
                    let mut out = residual_reading()?;
                    if out.category != Category::Inconclusive {
                        out.confidence = out.confidence.min(UNDECIDED);
                        out.reason.push_str(&why);
                    }
                    out
                }
                // a loss, a gain or a score outside its range: the residual reading stands
                Err(Undecided::NotApplicable(_)) => residual_reading()?,
            });
        }
        self.classify_fitted(curve, true)
    }
}

impl DefaultClassifier {
    /// `result`, the classification of `curve`, or, when the curve has no noise information and
    /// `result` was read on an assumed test-set size (by effect size), the classification on the
    /// curve's own residual scatter: what a forecast's or a comparison's noise must rest on.
    pub(crate) fn on_own_scatter<'a>(
        &self,
        curve: &Curve,
        result: &'a Classification,
    ) -> Result<std::borrow::Cow<'a, Classification>> {
        let assumed = result.fits.iter().any(|f| f.fit.absolute_sigma());
        Ok(if !curve.noise().is_known() && assumed {
            std::borrow::Cow::Owned(self.classify_fitted(curve, false)?)
        } else {
            std::borrow::Cow::Borrowed(result)
        })
    }

    /// The fitted classification: the menu fitted, ranked and voted on, the verdict tempered by
    /// the points, and the intervals added when they are to be reported. The noise is the
    /// curve's, or its residual scatter.
    pub(crate) fn classify_fitted(
        &self,
        curve: &Curve,
        with_intervals: bool,
    ) -> Result<Classification> {
        let st = &self.settings;
        let mut judge = Judge::new(curve, &st.thresholds);
        let n = curve.len();
        let known = curve.noise().is_known();
        let data = FitData::from_curve(curve);
        let fitted = match self.fit_menu(curve, &data, known)? {
            Ok(fitted) => fitted,
            Err(reason) => return Ok(Classification::empty(curve, st.criterion, reason)),
        };
        // two candidates can reach the same curve (a hinge whose threshold lies below the data
        // is a straight line): keep one of each, so that no shape gets a double vote
        let fitted = distinct_fits(fitted, &data, known);
        // overdispersion: the stated noise is too small for even the best fit
        if known {
            judge.inflation = overdispersion(&fitted, n, &st.thresholds);
        }
        let ranked = rank(fitted, &st.candidates, st.criterion, known, &judge, &data);
        let mut out = Classification::empty(curve, st.criterion, String::new());
        vote(&mut out, ranked, known, judge.inflation);
        // a curve whose every size sits at chance is flat, whatever shape its fits take
        let at_chance = judge.stays_at_chance(curve);
        if let Some((confidence, reason)) = &at_chance {
            out.category = Category::Flat;
            out.confidence = *confidence;
            out.reason = reason.clone();
        }
        if out.category == Category::Flat {
            out.reason.push_str(&censoring_note(curve));
        }
        temper(&judge, &mut out);
        if at_chance.is_none() {
            cap_flat_by_equivalence(&judge, &mut out);
            cap_monotone_by_unshown_turn(&judge, &mut out);
        }
        if at_chance.is_none() && out.confidence < st.min_confidence {
            out.reason = format!(
                "fits disagree: the most likely shape, {}, has weight {:.2} < {}{}",
                out.category,
                out.confidence,
                st.min_confidence,
                what_would_decide(curve, &out, known)
            );
            out.category = Category::Inconclusive;
            return Ok(out);
        }
        if with_intervals {
            intervals(st, curve, &data, &judge, &mut out);
        }
        Ok(out)
    }
}

/// Why an effect-size reading did not decide a curve, in words to append to its reason.
enum Undecided {
    /// The reading cannot be made: no floor of test items, a score without a bounded,
    /// higher-is-better scale (a loss, a gain), or a classification that failed.
    NotApplicable(String),
    /// The verdict under the fewest plausible test items differs from the one under very many.
    DependsOnTestSize(String),
}

/// A short curve without noise information, judged under the binomial noise of the smallest test
/// set it is assumed to come from and under practically no noise (a billion items): a verdict that
/// holds at both ends holds for every test set in between, since a larger test set only makes
/// more steps real. It is reported as decided by effect size, with the confidence of the noisier
/// end. `judge_at` classifies a curve with an assumed test-set size, told whether its result is
/// the one reported (the other end needs no intervals). `Err` with the reason when the reading
/// is off, the metric has no bounded scale (a loss), or the verdict depends on the test-set size.
fn by_effect_size(
    curve: &Curve,
    items: f64,
    judge_at: impl Fn(&Curve, bool) -> Option<Classification>,
) -> std::result::Result<Classification, Undecided> {
    if items < 1.0 {
        return Err(Undecided::NotApplicable(String::new()));
    }
    if !curve.is_bounded_score() {
        return Err(Undecided::NotApplicable(
            " (an effect-size reading needs a bounded, higher-is-better score)".into(),
        ));
    }
    let judged = |n: f64, reported: bool| -> Option<(Classification, String)> {
        let assumed = curve.with_test_size(n).ok()?;
        let out = judge_at(&assumed, reported)?;
        Some((out, censoring_note(&assumed)))
    };
    let (Some((noisy, note)), Some((exact, _))) = (judged(items, true), judged(1e9, false)) else {
        return Err(Undecided::NotApplicable(String::new()));
    };
    if noisy.category != exact.category || noisy.category == Category::Inconclusive {
        return Err(Undecided::DependsOnTestSize(format!(
            "; the reading depends on the test-set size ({} with {items:.0} items, {} with very many)",
            noisy.category, exact.category
        )));
    }
    let mut out = noisy;
    out.reason = out.reason.replace(&note, "");
    out.evidence = Evidence::EffectSize;
    out.reason = format!(
        "{}; decided by effect size: no noise information was given, and the verdict holds for any test set of {items:.0} items or more (the standard errors above are those of {items:.0} items)",
        out.reason
    );
    Ok(out)
}

/// The fewest test items a curve without noise information can plausibly come from: `floor`
/// (the documented assumption), or more when the representative fit's residual scatter is
/// smaller than binomial noise of `floor` items even at the upper end of its 95% interval
/// (chi-square on its residual degrees of freedom). A smooth curve cannot have come from a
/// small test set; one smoother than a million items' sampling noise has no sampling noise to
/// speak of, and gets `floor`.
pub(crate) fn fewest_items(curve: &Curve, plain: &Classification, floor: f64) -> f64 {
    // a curve smoother than any benchmark's sampling noise (computed, or rounded, values) says
    // nothing about the test set: the documented floor stands
    match items_of_scatter(curve, plain) {
        Some(items) if items > floor && items <= MOST_ITEMS => items,
        _ => floor,
    }
}

/// How many test items' binomial noise the representative fit's residual scatter matches at the
/// upper end of its 95% interval (infinite for a curve the fit passes through exactly); `None`
/// without a fit or spare degrees of freedom.
fn items_of_scatter(curve: &Curve, plain: &Classification) -> Option<f64> {
    let fit = &plain.representative_fit()?.fit;
    let (scatter, dof) = (fit.reduced_chi_square()?, fit.dof());
    let chi2 = ChiSquared::new(dof as f64).ok()?;
    let upper = scatter * dof as f64 / chi2.inverse_cdf(0.05);
    let y_max = curve.y_max();
    let binomial: f64 = curve
        .y()
        .iter()
        .map(|y| {
            let p = (y / y_max).clamp(0.0, 1.0);
            p * (1.0 - p) * y_max * y_max
        })
        .sum::<f64>()
        / curve.len() as f64;
    let items = binomial / upper;
    (!items.is_nan()).then_some(items)
}

/// More test items than any benchmark has: a residual scatter that implies more is not sampling
/// noise.
const MOST_ITEMS: f64 = 1e6;

/// What would decide between the two best-weighted fits that imply different categories: a model
/// size where they differ most (between the measured sizes that bracket it, or beyond the
/// measured range), and the test-set size when the noise is unknown.
fn what_would_decide(curve: &Curve, out: &Classification, known: bool) -> String {
    let mut fits = out.fits.iter().filter(|f| f.weight > 0.0);
    let Some(first) = fits.next() else {
        return String::new();
    };
    let Some(second) = out
        .fits
        .iter()
        .filter(|f| f.weight > 0.0 && f.implies != first.implies)
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
    else {
        return String::new();
    };
    let t = curve.t();
    let (lo, hi) = (t[0], t[t.len() - 1]);
    // where the two disagree most, over the measured range and a decade beyond it
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let grid = (0..=240).map(|k| lo + (span + 1.0) * k as f64 / 240.0);
    let Some((_, at)) = grid
        .map(|g| ((first.fit.predict_t(g) - second.fit.predict_t(g)).abs(), g))
        .filter(|(d, _)| d.is_finite())
        .max_by(|a, b| a.0.total_cmp(&b.0))
    else {
        return String::new();
    };
    let axis = curve.axis();
    let size = if at > hi {
        format!("a size beyond the largest, near {:.2e}", axis.to_x(at))
    } else {
        let i = t.partition_point(|v| *v < at).clamp(1, t.len() - 1);
        format!(
            "another size between {:.2e} and {:.2e}",
            axis.to_x(t[i - 1]),
            axis.to_x(t[i])
        )
    };
    format!(
        "; {} and {} differ most there: {size} would decide{}",
        first.implies,
        second.implies,
        if known {
            ""
        } else {
            ", and so would the test-set size (`n_examples`), which fixes the noise"
        }
    )
}

/// Caps the confidence of a flat verdict by what the fits say about the size of the change.
/// Failing to show a change is not showing its absence: each fit that reads the curve as flat
/// counts only with the probability, under its estimate of the net change and that estimate's
/// standard error, that the change lies within the minimum effect (an equivalence reading; a
/// fit without a standard error, with one beyond the metric's whole range, or with no change at
/// all such as the constant, counts whole).
/// A net change of -0.10 at 1.7 standard errors, with a minimum effect of 0.05, leaves flatness
/// about 0.2 likely.
fn cap_flat_by_equivalence(judge: &Judge<'_>, out: &mut Classification) {
    if out.category != Category::Flat {
        return;
    }
    let m = judge.min_effect();
    // each flat fit's weight, and its net change, standard error and probability within `m`
    type Reading = (f64, Option<(f64, f64, f64)>);
    let readings: Vec<Reading> = out
        .fits
        .iter()
        .filter(|r| r.implies == Category::Flat)
        .map(|r| {
            let net = r.shape.net_change;
            let within = readable_se(judge, net, r.shape.net_z).map(|se| {
                let p = probability_below(m, net.abs(), se) - probability_below(-m, net.abs(), se);
                (net, se, p.clamp(0.0, 1.0))
            });
            (r.weight, within)
        })
        .collect();
    let support: f64 = readings
        .iter()
        .map(|(w, within)| w * within.map_or(1.0, |(_, _, p)| p))
        .sum();
    if support >= out.confidence {
        return;
    }
    out.confidence = support.max(0.0);
    // the largest doubt among the flat fits, in words
    let doubt = readings
        .iter()
        .filter(|(w, _)| *w > 0.0)
        .filter_map(|(_, within)| *within)
        .min_by(|a, b| a.2.total_cmp(&b.2));
    if let Some((net, se, p)) = doubt {
        out.reason.push_str(&format!(
            "; a net change of {net:+.3} (standard error {se:.3}) lies within the minimum effect {m:.3} with probability {p:.2}, and weighing every fit so leaves flatness {support:.2} likely"
        ));
    }
}

/// The standard error of a fit's `estimate` that is `z` of them, when it says something: the
/// estimate is a finite change and the standard error no larger than the metric's whole range.
fn readable_se(judge: &Judge<'_>, estimate: f64, z: Option<f64>) -> Option<f64> {
    let z = z?.abs();
    if !(z > 0.0 && estimate.is_finite() && estimate != 0.0) {
        return None;
    }
    let se = estimate.abs() / z;
    (se <= judge.effect_scale).then_some(se)
}

/// Caps the confidence of a rise or a fall whose fits turn back within the range, with the arm
/// back too small or too uncertain to make a U or an inverted U. Failing to show the turn is not
/// showing its absence either: each such fit's vote counts only with the probability, under its
/// estimate and standard error of that arm, that the arm lies within the minimum effect (a fit
/// whose standard error exceeds the metric's whole range is not asked). A fall
/// of 0.6 whose fit climbs back by 0.05 at 1.0 standard error keeps about half its vote.
fn cap_monotone_by_unshown_turn(judge: &Judge<'_>, out: &mut Classification) {
    let rises = match out.category {
        Category::Scaling | Category::Emergent => true,
        Category::InverseScaling => false,
        _ => return,
    };
    let m = judge.min_effect();
    let mut doubt = 0.0;
    let mut largest: Option<(f64, f64, f64)> = None;
    for r in out.fits.iter().filter(|r| r.implies == out.category) {
        let Some(turn) = r.shape.turn else { continue };
        // the arm against the verdict: the fall of a rise, the rise of a fall
        let (arm, z) = match (turn.kind, rises) {
            (TurnKind::Maximum, true) | (TurnKind::Minimum, false) => {
                (turn.right_arm, turn.right_z)
            }
            (TurnKind::Minimum, true) | (TurnKind::Maximum, false) => (turn.left_arm, turn.left_z),
        };
        // an arm with a standard error beyond the metric's whole range says nothing
        let Some(se) = readable_se(judge, arm, z.filter(|z| *z > 0.0)).filter(|_| arm > 0.0) else {
            continue;
        };
        let negligible = probability_below(m, arm, se);
        doubt += r.weight * (1.0 - negligible);
        if largest.is_none_or(|(_, _, p)| negligible < p) {
            largest = Some((arm, se, negligible));
        }
    }
    let capped = (out.confidence - doubt).max(0.0);
    if let Some((arm, se, negligible)) = largest
        && capped < out.confidence
    {
        out.confidence = capped;
        out.reason.push_str(&format!(
            "; a fit turns back by {arm:.3} (standard error {se:.3}), within the minimum effect {m:.3} with probability {negligible:.2}: a turn is not ruled out"
        ));
    }
}

/// Tempers a verdict by what the measured points say: its confidence is at most the share of
/// leave-one-out subsets of the points that still show what the category rests on (a rise, a
/// fall, a turn; a verdict one point makes or breaks cannot be certain), and an inverted U whose
/// rise emerges from chance says so and names `Emergent` as its secondary category.
fn temper(judge: &Judge<'_>, out: &mut Classification) {
    let Some((kept, n, what)) = judge.stability(out.category) else {
        return;
    };
    if kept < n {
        out.confidence = out.confidence.min(kept as f64 / n as f64);
        out.reason.push_str(&format!(
            "; the {what} rests on single points: leaving one point out removes it in {} of {n} cases",
            n - kept
        ));
    }
    if out.category == Category::InvertedU
        && let Some(turn) = judge.data_turn(TurnKind::Maximum, None)
        && let Some((last_at_chance, peak)) = judge.emerging_peak(&turn)
    {
        out.secondary = Some(Category::Emergent);
        out.reason.push_str(&format!(
            "; its rise emerges from chance (at chance up to {last_at_chance:.2e}, peak at {peak:.2e}) before it declines"
        ));
    }
}

impl DefaultClassifier {
    /// Fits the menu in two rounds: every ordinary candidate, then the rich ones that are fitted
    /// only when none of the others explains the data within the stated noise. The outer error is
    /// the classifier's own mistake (a pin naming a parameter the family lacks); the inner one
    /// says why no candidate could be fitted.
    fn fit_menu(
        &self,
        curve: &Curve,
        data: &FitData,
        known: bool,
    ) -> Result<std::result::Result<Vec<(usize, Fit)>, String>> {
        let st = &self.settings;
        let n = curve.len();
        let mut fitted: Vec<(usize, Fit)> = Vec::with_capacity(st.candidates.len());
        let mut failures: Vec<String> = Vec::new();
        for rich_round in [false, true] {
            if rich_round && !lack_of_fit(&fitted, n, known, &st.thresholds) {
                break;
            }
            for (ci, cand) in st.candidates.iter().enumerate() {
                if cand.only_on_lack_of_fit() != rich_round {
                    continue;
                }
                match self.fit_candidate(cand, curve, data, known) {
                    None => {}
                    Some(Ok(f)) if f.chi_square().is_finite() => fitted.push((ci, f)),
                    Some(Ok(_)) => failures.push(format!("{}: objective not finite", cand.label())),
                    Some(Err(e @ Error::UnknownParameter { .. })) => return Err(e),
                    Some(Err(e)) => failures.push(format!("{}: {e}", cand.label())),
                }
            }
        }
        if fitted.is_empty() {
            return Ok(Err(format!(
                "no candidate family could be fitted ({})",
                failures.join("; ")
            )));
        }
        Ok(Ok(fitted))
    }

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
        let mut options = FitOptions::default()
            .max_starts(st.max_starts)
            .tolerances(RANKING_FTOL, RANKING_XTOL, RANKING_GTOL)
            .chi2_tolerance(if known { RANKING_CHI2_TOL } else { 0.0 })
            .max_evaluations(st.max_evaluations)
            .final_step(false)
            .plateau_restart(false)
            .nelder_mead_fallback(false);
        for (name, pin) in cand.pins() {
            match pin {
                Pin::Value(v) => options = options.fix(name, *v),
                Pin::Chance => options = options.fix(name, curve.chance()?),
            }
        }
        Some(fit_data(cand.family(), data, known, curve.axis(), &options))
    }
}
