//! Candidate selection: which fits take part (twins dropped, rich families only on lack of fit),
//! the variance inflation for overdispersed noise, the ranking by an information criterion, the
//! Akaike weights and the vote, and the nested-model tests.

use super::candidate::Candidate;
use super::category::Category;
use super::config::{Criterion, Thresholds};
use super::result::{Classification, Evidence, NestedTest, RankedFit};
use super::rule::Judge;
use super::shape::Shape;
use crate::family::FitData;
use crate::fit::Fit;
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};

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
/// was the true factor at 1, 0.81 of it at 4 and 0.77 at 16. Only curves whose noise was stated
/// count ([`Evidence::Statistical`](crate::Evidence::Statistical)): a verdict on assumed or
/// borrowed noise says nothing about how the real noise compares with it.
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
    let stated = results
        .into_iter()
        .filter(|r| r.evidence == Evidence::Statistical);
    for best in stated.filter_map(|r| r.fits.first()) {
        let f = &best.fit;
        if f.absolute_sigma() && f.dof() > 0 && f.chi_square().is_finite() {
            chi2 += f.chi_square();
            dof += f.dof();
        }
    }
    (dof > 0).then(|| chi2 / dof as f64)
}

/// Drops fits whose curves coincide with an earlier fit's at every point (within a thousandth of
/// the smallest standard error; with unknown noise, whose standard errors are relative weights,
/// a thousandth of the metric's maximum times the smallest), keeping the one with fewer free
/// parameters. The tolerance scales with the units, so percentages and fractions keep the same
/// fits.
pub(crate) fn distinct_fits(
    fits: Vec<(usize, Fit)>,
    data: &FitData,
    known: bool,
) -> Vec<(usize, Fit)> {
    let n = data.t.len();
    let mut predictions = vec![0.0; fits.len() * n];
    for ((_, f), values) in fits.iter().zip(predictions.chunks_exact_mut(n.max(1))) {
        f.family().eval_batch(data.t, f.params(), values);
    }
    let predicted = |i: usize| &predictions[i * n..(i + 1) * n];
    // fewer free parameters first, so that the simpler twin survives; stable for equal counts
    let mut order: Vec<usize> = (0..fits.len()).collect();
    order.sort_by_key(|&i| (fits[i].1.n_free(), fits[i].0));
    let unit = if known { 1.0 } else { data.y_max };
    let tol = 1e-3 * unit * data.sigma.iter().copied().fold(f64::INFINITY, f64::min);
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
/// rejected at the goodness-of-fit level. Never with unknown noise, which has no scale to judge by.
pub(crate) fn lack_of_fit(
    fits: &[(usize, Fit)],
    n: usize,
    known: bool,
    thresholds: &Thresholds,
) -> bool {
    known
        && !fits.is_empty()
        && fits
            .iter()
            .filter(|(_, f)| n > f.n_free())
            .all(|(_, f)| misfits(f.chi_square(), n - f.n_free(), thresholds))
}

/// Whether a chi-square on `dof` degrees of freedom rejects the stated noise at the
/// goodness-of-fit level.
fn misfits(chi2: f64, dof: usize, thresholds: &Thresholds) -> bool {
    ChiSquared::new(dof as f64).is_ok_and(|d| d.sf(chi2) < thresholds.goodness_of_fit)
}

/// The variance inflation `c = chi2 / dof` of the best-fitting family when the stated noise is
/// clearly too small for it (goodness of fit rejected) and that fit leaves enough degrees of
/// freedom to estimate the scatter with (`Thresholds::min_scatter_dof`); 1 otherwise.
pub(crate) fn overdispersion(fits: &[(usize, Fit)], n: usize, thresholds: &Thresholds) -> f64 {
    let best = fits
        .iter()
        .filter(|(_, f)| n > f.n_free())
        .map(|(_, f)| (f.chi_square(), n - f.n_free()))
        .min_by(|a, b| (a.0 / a.1 as f64).total_cmp(&(b.0 / b.1 as f64)));
    // with fewer than three residual degrees of freedom the scatter cannot be estimated
    match best {
        Some((chi2, dof))
            if dof >= thresholds.min_scatter_dof && misfits(chi2, dof, thresholds) =>
        {
            (chi2 / dof as f64).max(1.0)
        }
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

/// Ranks the fits by `criterion` (best first; ties keep the candidates' order), with their Akaike
/// weights, shapes and verdicts. With known noise the criterion is `chi2 / c + penalty`, `c` the
/// variance inflation.
pub(crate) fn rank(
    fitted: Vec<(usize, Fit)>,
    candidates: &[Candidate],
    criterion: Criterion,
    known: bool,
    judge: &Judge,
    data: &FitData,
) -> Vec<RankedFit> {
    let n = data.t.len();
    let (t_lo, t_hi) = data.t_range();
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
        .map(|(_, f)| criterion_of(f, criterion))
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
    // best first; ties keep the candidates' order (a stable sort of positions, which moves no fit)
    let mut order: Vec<usize> = (0..fitted.len()).collect();
    order.sort_by(|&a, &b| ics[a].total_cmp(&ics[b]));
    let mut fitted: Vec<Option<(usize, Fit)>> = fitted.into_iter().map(Some).collect();
    let mut ranked: Vec<RankedFit> = Vec::with_capacity(fitted.len());
    for i in order {
        let Some((ci, f)) = fitted[i].take() else {
            continue;
        };
        let (ic, w) = (&ics[i], &raw[i]);
        let shape = Shape::describe(&f, (t_lo, t_hi), judge.orientation, judge.inflation);
        let mut verdict = judge.read_shape(&shape, t_lo, t_hi);
        if !known {
            verdict.residual_dof = Some(f.dof());
        }
        ranked.push(RankedFit {
            label: candidates[ci].label().to_string(),
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
    ranked
}

/// The vote: each fit's weight goes to the category its shape implies; the heaviest category
/// wins and its weight is the confidence. Fills `out`'s category, weights, confidence, fits,
/// nested tests and reason.
pub(crate) fn vote(out: &mut Classification, ranked: Vec<RankedFit>, known: bool, c_hat: f64) {
    let n = out.n_points;
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
        // the fit's own Akaike weight; the category's total is the confidence
        Some(r) => format!("{} [{}, weight {:.2}]", r.verdict, r.label, r.weight),
        None => "no fit could be judged".to_string(),
    };
}
