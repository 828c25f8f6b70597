//! Forecasts: what a curve predicts at scales beyond its data, with prediction intervals, and the
//! scale at which it is predicted to cross a threshold; and a backtest that measures, on curves
//! whose largest sizes are hidden, whether those intervals hold.
//!
//! The forecast averages the classifier's fitted families by their Akaike weights (model
//! averaging in the manner of Buckland, Burnham and Augustin 1997), leaving out the families
//! whose form means nothing beyond the data (the quadratic) unless the curve's category is the
//! turn they describe: the predicted score is the weighted mean of the families' predictions
//! (each held within the metric's range, so that a family whose form leaves it beyond the data
//! cannot drag the average out), and its variance the weighted mean of each family's predictive
//! variance plus the spread of the families' predictions around the mean, so that disagreement
//! between families widens the interval. A family's predictive variance is its
//! parameter uncertainty at the scale (delta method) plus the noise of one new measurement (the
//! curve's own noise at that score), both inflated by the family's reduced chi-square when it
//! exceeds one (model-to-model scatter beyond the stated noise). A family's share of the interval
//! is taken at the normal quantile when the stated noise accounts for its residuals (it estimated
//! nothing of the noise's scale), and at the Student-t quantile of its own residual degrees of
//! freedom when it estimated the scale from its residuals. Without noise information, a bounded
//! score is forecast as if every point had been measured on the fewest test items the curve can
//! come from, the assumption the classifier's effect-size reading rests on
//! ([`Settings::assumed_min_items`](crate::Settings::assumed_min_items), or more when the curve
//! is too smooth for so few): the families are fitted under that binomial noise, which bounds
//! both their parameters' uncertainty and a new measurement's noise from below, and residuals
//! that scatter more inflate them as stated noise would. Other curves without noise information
//! (losses, unbounded scores) take the families' residual scatter. A curve whose every size sits at
//! chance is **not predictable**: an ability below its critical scale carries no signal about
//! where it will emerge, and a flat line through chance would be a guess dressed as a forecast.

use crate::classify::{
    Category, Classification, Classifier, DefaultClassifier, Judge, RankedFit, fewest_items,
};
use crate::curve::{Curve, NoiseModel};
use crate::error::{Error, Result};
use crate::family::Logistic;
use crate::fit::{Fit, FitOptions, fit};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use std::fmt;
use std::sync::Arc;

/// Settings of a forecast beyond the classifier's.
///
/// ```
/// use emergence_detect::ForecastOptions;
/// let options = ForecastOptions::default().level(0.8)?.threshold(0.45);
/// assert_eq!(options.level_value(), 0.8);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ForecastOptions {
    level: f64,
    threshold: Option<f64>,
    horizon_decades: f64,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        ForecastOptions {
            level: 0.9,
            threshold: None,
            horizon_decades: 4.0,
        }
    }
}

impl ForecastOptions {
    /// The coverage of the prediction intervals, in `(0, 1)`; 0.9 by default.
    ///
    /// ```
    /// assert!(emergence_detect::ForecastOptions::default().level(1.0).is_err());
    /// ```
    pub fn level(mut self, level: f64) -> Result<ForecastOptions> {
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::InvalidSetting {
                what: "level",
                value: level,
                reason: "must be in (0, 1)",
            });
        }
        self.level = level;
        Ok(self)
    }

    /// A score whose crossing scale to predict (in the curve's units, e.g. chance + 0.2).
    ///
    /// ```
    /// let o = emergence_detect::ForecastOptions::default().threshold(0.5);
    /// assert_eq!(o.threshold_value(), Some(0.5));
    /// ```
    pub fn threshold(mut self, score: f64) -> ForecastOptions {
        self.threshold = Some(score);
        self
    }

    /// How far beyond the largest measured scale to look for the threshold crossing, in decades
    /// (4 by default): a crossing predicted further out is reported as beyond the horizon.
    ///
    /// ```
    /// assert!(emergence_detect::ForecastOptions::default().horizon_decades(0.0).is_err());
    /// ```
    pub fn horizon_decades(mut self, decades: f64) -> Result<ForecastOptions> {
        if !(decades.is_finite() && decades > 0.0) {
            return Err(Error::InvalidSetting {
                what: "horizon_decades",
                value: decades,
                reason: "must be positive and finite",
            });
        }
        self.horizon_decades = decades;
        Ok(self)
    }

    /// The interval coverage in force.
    ///
    /// ```
    /// assert_eq!(emergence_detect::ForecastOptions::default().level_value(), 0.9);
    /// ```
    pub fn level_value(&self) -> f64 {
        self.level
    }

    /// The threshold in force, if any.
    ///
    /// ```
    /// assert_eq!(emergence_detect::ForecastOptions::default().threshold_value(), None);
    /// ```
    pub fn threshold_value(&self) -> Option<f64> {
        self.threshold
    }
}

/// The forecast at one scale.
///
/// ```
/// use emergence_detect::{forecast, Curve};
/// let x = vec![1e8, 1e9, 1e10, 1e11];
/// let c = Curve::builder(x, vec![0.30, 0.40, 0.50, 0.60]).n_examples(vec![2000.0; 4]).build()?;
/// let f = forecast(&c, &[1e12])?;
/// let p = f.predictions[0];
/// assert!(p.lower.unwrap() < 0.7 && 0.7 < p.upper.unwrap());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Prediction {
    /// The scale.
    pub x: f64,
    /// The predicted score; `None` when the curve is not predictable.
    pub predicted: Option<f64>,
    /// The lower end of the prediction interval.
    pub lower: Option<f64>,
    /// The upper end.
    pub upper: Option<f64>,
}

/// Where the score is predicted to cross a threshold.
///
/// ```
/// use emergence_detect::{forecast_with, Curve, DefaultClassifier, ForecastOptions};
/// let x = vec![1e8, 1e9, 1e10, 1e11];
/// let c = Curve::builder(x, vec![0.30, 0.40, 0.50, 0.60]).n_examples(vec![2000.0; 4]).build()?;
/// let options = ForecastOptions::default().threshold(0.7);
/// let f = forecast_with(&DefaultClassifier::default(), &c, &[], &options)?;
/// let crossing = f.threshold.unwrap();
/// assert!(crossing.x.unwrap() > 1e11 && crossing.x.unwrap() < 1e13);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ThresholdCrossing {
    /// The threshold score.
    pub score: f64,
    /// The scale at which the predicted score first reaches it; `None` when it does not within
    /// the horizon (or the curve is not predictable).
    pub x: Option<f64>,
    /// The earliest plausible scale: where the upper end of the prediction interval reaches it.
    pub x_lower: Option<f64>,
    /// The latest plausible scale: where the lower end reaches it; `None` when that is beyond
    /// the horizon.
    pub x_upper: Option<f64>,
}

/// A forecast of one curve. `Display` gives a short report; with the `serde` feature it
/// serialises to JSON.
///
/// ```
/// use emergence_detect::{forecast, Curve};
/// // every size at chance: nothing says where the ability will emerge
/// let x = vec![1e8, 1e9, 1e10, 1e11];
/// let c = Curve::builder(x, vec![0.25, 0.26, 0.25, 0.24]).n_examples(vec![1000.0; 4]).chance(0.25).build()?;
/// let f = forecast(&c, &[1e12])?;
/// assert!(!f.predictable && f.predictions[0].predicted.is_none());
/// assert!(f.reason.contains("not predictable"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct Forecast {
    /// The classification the forecast rests on.
    pub classification: Classification,
    /// Whether the curve carries a signal to extrapolate (not when every size sits at chance,
    /// or the classification is inconclusive).
    pub predictable: bool,
    /// One prediction per requested scale, in the order asked.
    pub predictions: Vec<Prediction>,
    /// The threshold crossing, when a threshold was asked for.
    pub threshold: Option<ThresholdCrossing>,
    /// The interval coverage.
    pub level: f64,
    /// How much the curve's own history widened the intervals (a factor on their width; 1 when
    /// not at all): each of the largest three measured sizes with at least four sizes before it
    /// is forecast from those, and a measurement outside its forecast's interval widens every
    /// interval by the ratio of its miss to that interval's half-width (the worst of the three).
    pub widening: f64,
    /// The forecast in plain words.
    pub reason: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    members: Vec<Member>,
    #[cfg_attr(feature = "serde", serde(skip))]
    quantile: f64,
    #[cfg_attr(feature = "serde", serde(skip))]
    bounds: (f64, f64),
}

/// One family of the model average: its fit, weight, variance inflation and the noise of one
/// new measurement.
#[derive(Debug, Clone)]
struct Member {
    fit: Fit,
    weight: f64,
    inflation: f64,
    noise: NewPointNoise,
}

/// The noise of one new measurement.
#[derive(Debug, Clone, Copy)]
enum NewPointNoise {
    /// Binomial at the predicted score with this many test items, on a metric with this maximum.
    Binomial(f64, f64),
    /// A fixed standard error.
    Fixed(f64),
}

impl Forecast {
    /// The model-averaged prediction at scale `x` with its interval: `(predicted, lower, upper)`;
    /// `None` when the curve is not predictable.
    ///
    /// ```
    /// use emergence_detect::{forecast, Curve};
    /// let x = vec![1e8, 1e9, 1e10, 1e11];
    /// let c = Curve::builder(x, vec![0.30, 0.40, 0.50, 0.60]).n_examples(vec![2000.0; 4]).build()?;
    /// let f = forecast(&c, &[])?;
    /// let (mid, lo, hi) = f.at(3e11).unwrap();
    /// assert!(lo < mid && mid < hi);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn at(&self, x: f64) -> Option<(f64, f64, f64)> {
        if !self.predictable || self.members.is_empty() {
            return None;
        }
        let (mean, var) = mixture(&self.members, x, self.bounds);
        let sd = var.sqrt();
        let (lo, hi) = self.bounds;
        let clamp = |v: f64| v.clamp(lo, hi);
        Some((
            clamp(mean),
            clamp(mean - self.quantile * sd),
            clamp(mean + self.quantile * sd),
        ))
    }
}

/// The weighted mean and the mixture variance of the members' predictions at `x`, each
/// prediction first held within the metric's `bounds`: a family whose form leaves the metric's
/// range beyond the data (a fitted spike that falls through zero) predicts the bound, and does
/// not drag the average out of the range.
fn mixture(members: &[Member], x: f64, bounds: (f64, f64)) -> (f64, f64) {
    let predictions: Vec<(f64, f64)> = members
        .iter()
        .map(|m| {
            let mean = m.fit.predict(x).clamp(bounds.0, bounds.1);
            let t = m.fit.axis().to_t(x);
            let param = m.fit.prediction_std_t(t).unwrap_or(0.0);
            // binomial variance of a score on a metric whose maximum is `top`
            let binomial = |n: f64, top: f64| {
                let p = (mean / top).clamp(1.0 / (2.0 * n), 1.0 - 1.0 / (2.0 * n));
                p * (1.0 - p) / n * top * top
            };
            let point = match m.noise {
                NewPointNoise::Binomial(n, top) => binomial(n, top),
                NewPointNoise::Fixed(s) => s * s,
            };
            (mean, m.inflation * (param * param + point))
        })
        .collect();
    let mean: f64 = members
        .iter()
        .zip(&predictions)
        .map(|(m, (mu, _))| m.weight * mu)
        .sum();
    let var: f64 = members
        .iter()
        .zip(&predictions)
        .map(|(m, (mu, v))| m.weight * (v + (mu - mean) * (mu - mean)))
        .sum();
    (mean, var)
}

/// Forecasts `curve` at the scales `at` with the default classifier and options.
///
/// ```
/// use emergence_detect::{datasets, forecast};
/// // Qwen1.5 on MMLU without its largest model (110B, measured 0.80)
/// let full = datasets::qwen15_mmlu().curve;
/// let n = full.len();
/// let seen = emergence_detect::Curve::builder(full.x()[..n - 1].to_vec(), full.y()[..n - 1].to_vec())
///     .n_examples(vec![14042.0; n - 1]).chance(0.25).build()?;
/// let f = forecast(&seen, &[full.x()[n - 1]])?;
/// let p = f.predictions[0];
/// // above the largest score seen (0.77 at 72B), with a 90% interval around it
/// assert!(p.predicted.unwrap() > seen.y()[n - 2]);
/// assert!(p.lower.unwrap() < p.predicted.unwrap() && p.predicted.unwrap() < p.upper.unwrap());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn forecast(curve: &Curve, at: &[f64]) -> Result<Forecast> {
    thread_local! {
        static DEFAULT: DefaultClassifier = DefaultClassifier::default();
    }
    DEFAULT.with(|c| forecast_with(c, curve, at, &ForecastOptions::default()))
}

/// Forecasts `curve` at the scales `at` with `classifier` and `options`.
///
/// Errors: a scale that is not finite or, on a log axis, not positive
/// ([`Error::InvalidSetting`]); a classification error.
///
/// ```
/// use emergence_detect::{forecast_with, Curve, DefaultClassifier, ForecastOptions};
/// let c = Curve::builder(vec![1e8, 1e9, 1e10, 1e11], vec![0.3, 0.4, 0.5, 0.6]).build()?;
/// let bad = forecast_with(&DefaultClassifier::default(), &c, &[-1.0], &ForecastOptions::default());
/// assert!(bad.is_err());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn forecast_with(
    classifier: &DefaultClassifier,
    curve: &Curve,
    at: &[f64],
    options: &ForecastOptions,
) -> Result<Forecast> {
    for &x in at {
        if !x.is_finite() || (curve.axis() == crate::curve::Axis::Log10 && x <= 0.0) {
            return Err(Error::InvalidSetting {
                what: "forecast scale",
                value: x,
                reason: "must be finite, and positive on a log axis",
            });
        }
    }
    let classification = classifier.classify(curve)?;
    let judge = Judge::new(curve, &classifier.settings().thresholds);
    let at_chance = judge.stays_at_chance(curve).is_some();
    let (mut members, quantile) = model_average(classifier, curve, &classification, options.level)?;
    let predictable =
        !at_chance && classification.category != Category::Inconclusive && !members.is_empty();
    let widening = if predictable {
        self_check(classifier, curve, options.level)
    } else {
        1.0
    };
    for m in members.iter_mut() {
        m.inflation *= widening * widening;
    }
    let bounds = bounds(curve);
    let mut out = Forecast {
        classification,
        predictable,
        predictions: Vec::with_capacity(at.len()),
        threshold: None,
        level: options.level,
        widening,
        reason: String::new(),
        members,
        quantile,
        bounds,
    };
    for &x in at {
        let (predicted, lower, upper) = match out.at(x) {
            Some((m, lo, hi)) => (Some(m), Some(lo), Some(hi)),
            None => (None, None, None),
        };
        out.predictions.push(Prediction {
            x,
            predicted,
            lower,
            upper,
        });
    }
    out.threshold = options
        .threshold
        .map(|score| crossing(&out, curve, score, options.horizon_decades));
    out.reason = describe(&out, at_chance);
    Ok(out)
}

/// The range a score of `curve` can take: from 0 to the metric's maximum for a score, from 0
/// up for a non-negative loss, unbounded when the curve has negative values.
fn bounds(curve: &Curve) -> (f64, f64) {
    if curve.y().iter().all(|y| *y >= 0.0) {
        (
            0.0,
            if curve.higher_is_better() {
                curve.y_max()
            } else {
                f64::INFINITY
            },
        )
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
}

/// The members of the model average and the quantile of their intervals. Their fits are the
/// classification's when the curve has noise information. Without it, a bounded score's are
/// fitted under the binomial noise of the fewest test items the curve can come from, and any
/// other curve's on its own residual scatter (the verdict still decides which families take
/// part).
fn model_average(
    classifier: &DefaultClassifier,
    curve: &Curve,
    classification: &Classification,
    level: f64,
) -> Result<(Vec<Member>, f64)> {
    let basis = classifier.on_own_scatter(curve, classification)?;
    let floored = fewest_items_curve(classifier, curve, &basis);
    let (fitted, mut members) = match &floored {
        Some(floored) => (
            floored,
            members(
                floored,
                &classifier.classify_fitted(floored, false)?.fits,
                classification.category,
            ),
        ),
        None => (curve, members(curve, &basis.fits, classification.category)),
    };
    let quantile = quantile(&members, level);
    // each family's interval takes the quantile its own uncertainty calls for: Student-t on its
    // own degrees of freedom when it estimated the noise's scale from its residuals (no noise
    // was stated or assumed, or its residuals exceed it), so that a family that leaves one
    // degree of freedom does not narrow the interval with a residual it fitted away; normal when
    // the stated (or assumed) noise accounts for its residuals, since it then estimated nothing
    // of the scale
    let known = fitted.noise() != NoiseModel::Unknown;
    for m in members.iter_mut() {
        let own = if known && m.inflation <= 1.0 {
            normal_quantile(level)
        } else {
            student_t(m.fit.dof().max(1), level)
        };
        m.inflation *= (own / quantile).powi(2);
    }
    Ok((members, quantile))
}

/// `curve` as if every point had been measured on the fewest test items it can come from (see
/// [`fewest_items`]), when it is a bounded score without noise information: a smooth curve's
/// residual scatter would otherwise claim parameters, and a next measurement, more precise than
/// any test set it could come from allows.
fn fewest_items_curve(
    classifier: &DefaultClassifier,
    curve: &Curve,
    residual_reading: &Classification,
) -> Option<Curve> {
    let floor = classifier.settings().assumed_min_items;
    if curve.noise() != NoiseModel::Unknown || !curve.is_bounded_score() || floor < 1.0 {
        return None;
    }
    curve
        .with_test_size(fewest_items(curve, residual_reading, floor))
        .ok()
}

/// How many of the curve's own largest sizes [`self_check`] forecasts from the sizes before each.
const SELF_CHECKS: usize = 3;

/// How much the curve's own history says its intervals must widen. Each of the largest
/// [`SELF_CHECKS`] measured sizes (as long as at least four sizes precede it) is forecast from
/// the sizes before it, by the same classification and model average; the factor (on widths)
/// is 1 when every measurement falls inside its forecast's interval, else the ratio of the worst
/// miss to its interval's half-width. Extrapolation errors that neither the noise nor
/// the parameters' uncertainty account for (a jump the earlier sizes did not announce, a family
/// that bends where the data do not) show up here before they show up in the forecast.
fn self_check(classifier: &DefaultClassifier, curve: &Curve, level: f64) -> f64 {
    let n = curve.len();
    (1..=SELF_CHECKS)
        .take_while(|&k| n >= 4 + k)
        .map(|k| {
            let target = n - k;
            let keep: Vec<usize> = (0..target).collect();
            curve
                .subset(&keep)
                .ok()
                .and_then(|earlier| {
                    let classification = classifier.classify(&earlier).ok()?;
                    if classification.category == Category::Inconclusive {
                        return None;
                    }
                    let (members, quantile) =
                        model_average(classifier, &earlier, &classification, level).ok()?;
                    if members.is_empty() {
                        return None;
                    }
                    let (mean, var) = mixture(&members, curve.x()[target], bounds(curve));
                    let half_width = quantile * var.sqrt();
                    let miss = (curve.y()[target] - mean).abs();
                    (half_width > 0.0 && miss > half_width).then(|| miss / half_width)
                })
                .unwrap_or(1.0)
        })
        .fold(1.0, f64::max)
}

/// The families of the model average: every ranked fit with a weight and a covariance whose
/// family extrapolates ([`CurveFamily::extrapolates`](crate::CurveFamily::extrapolates)), or
/// any such fit when the category is a U or an inverted U; the weights renormalised over them.
fn members(curve: &Curve, fits: &[RankedFit], category: Category) -> Vec<Member> {
    let known = curve.noise() != NoiseModel::Unknown;
    let n_examples = curve.n_examples().map(|n| median(n.to_vec()));
    let stated_sigma = median(curve.sigma().to_vec());
    // a family that only describes the data locally (the quadratic) describes a turn: it takes
    // part when the curve's category is one
    let turn = matches!(category, Category::UShaped | Category::InvertedU);
    let usable = |r: &&RankedFit| {
        r.weight > 0.0 && (turn || r.fit.family().extrapolates()) && r.fit.covariance().is_some()
    };
    let mut members: Vec<Member> = fits
        .iter()
        .filter(usable)
        .map(|r| {
            let reduced = r.fit.reduced_chi_square();
            // with stated noise: inflate by the reduced chi-square when the data scatter more
            // (model-to-model variation); without: the residual scatter is the noise
            let (inflation, noise) = if known {
                let c = reduced.unwrap_or(1.0).max(1.0);
                let noise = match n_examples {
                    Some(n) => NewPointNoise::Binomial(n, curve.y_max()),
                    None => NewPointNoise::Fixed(stated_sigma),
                };
                (c, noise)
            } else {
                (1.0, NewPointNoise::Fixed(reduced.unwrap_or(0.0).sqrt()))
            };
            Member {
                fit: r.fit.clone(),
                weight: r.weight,
                inflation,
                noise,
            }
        })
        .collect();
    normalise(&mut members);
    members
}

/// Scales the members' weights to sum to one (and drops those with none left).
fn normalise(members: &mut Vec<Member>) {
    members.retain(|m| m.weight > 0.0 && m.weight.is_finite());
    let total: f64 = members.iter().map(|m| m.weight).sum();
    if total > 0.0 {
        for m in members.iter_mut() {
            m.weight /= total;
        }
    }
}

/// The common quantile the members' variances are scaled against: the one of the family with
/// the largest weight (Student-t on its residual degrees of freedom). Each member's variance is
/// then rescaled to its own quantile (see [`model_average`]), so that the interval is the
/// mixture's spread times this one number.
fn quantile(members: &[Member], level: f64) -> f64 {
    let dof = members
        .iter()
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
        .map_or(1, |m| m.fit.dof().max(1));
    student_t(dof, level)
}

/// The two-sided normal quantile at `level`.
fn normal_quantile(level: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::INFINITY, |d| d.inverse_cdf(0.5 + 0.5 * level))
}

/// The two-sided Student-t quantile at `level` with `dof` degrees of freedom.
fn student_t(dof: usize, level: f64) -> f64 {
    let p = 0.5 + 0.5 * level;
    StudentsT::new(0.0, 1.0, dof as f64).map_or(f64::INFINITY, |d| d.inverse_cdf(p))
}

/// Where the predicted score, and the ends of its interval, first reach `score`, searched on a
/// fine grid from the smallest measured scale to `horizon` decades beyond the largest.
fn crossing(forecast: &Forecast, curve: &Curve, score: f64, horizon: f64) -> ThresholdCrossing {
    let mut out = ThresholdCrossing {
        score,
        x: None,
        x_lower: None,
        x_upper: None,
    };
    if !forecast.predictable {
        return out;
    }
    let axis = curve.axis();
    let t = curve.t();
    let (t_lo, t_hi) = (t[0], t[t.len() - 1]);
    let t_end = match axis {
        crate::curve::Axis::Log10 => t_hi + horizon,
        crate::curve::Axis::Linear => t_hi + horizon * (t_hi - t_lo).max(1e-300),
    };
    let sign = if curve.higher_is_better() { 1.0 } else { -1.0 };
    let reached = |v: f64| sign * (v - score) >= 0.0;
    const STEPS: usize = 2000;
    for k in 0..=STEPS {
        let tk = t_lo + (t_end - t_lo) * k as f64 / STEPS as f64;
        let x = axis.to_x(tk);
        let Some((mid, lo, hi)) = forecast.at(x) else {
            return out;
        };
        // the optimistic end of the interval is the upper one for scores, the lower for losses
        let (optimistic, pessimistic) = if sign > 0.0 { (hi, lo) } else { (lo, hi) };
        if out.x_lower.is_none() && reached(optimistic) {
            out.x_lower = Some(x);
        }
        if out.x.is_none() && reached(mid) {
            out.x = Some(x);
        }
        if out.x_upper.is_none() && reached(pessimistic) {
            out.x_upper = Some(x);
            break;
        }
    }
    out
}

/// The forecast in plain words.
fn describe(f: &Forecast, at_chance: bool) -> String {
    if at_chance {
        return "not predictable from these points: every size sits at chance, and an ability below its critical scale carries no signal about where it will emerge".to_string();
    }
    if !f.predictable {
        return format!(
            "not predictable from these points: {}",
            f.classification.reason
        );
    }
    let mut text = format!(
        "{} (confidence {:.2}); {:.0}% prediction intervals average {} fitted families by their weights",
        f.classification.category,
        f.classification.confidence,
        100.0 * f.level,
        f.members.len()
    );
    if f.widening > 1.0 {
        text.push_str(&format!(
            ", widened {:.2}x because the curve's own last sizes fell outside the forecasts from the sizes before them",
            f.widening
        ));
    }
    if let Some(x) = spans_whole_range(f) {
        text.push_str(&format!(
            "; at {x:.2e} the interval spans the metric's whole range: these points do not bound the score there"
        ));
    }
    if let Some(c) = f.threshold {
        text.push_str(&match (c.x, c.x_lower, c.x_upper) {
            (Some(x), Some(lo), Some(hi)) => format!(
                "; reaches {} at {x:.2e} ({lo:.2e}-{hi:.2e})",
                c.score
            ),
            (Some(x), Some(lo), None) => format!(
                "; reaches {} at {x:.2e} (from {lo:.2e}; the pessimistic end is beyond the horizon)",
                c.score
            ),
            (None, Some(lo), _) => format!(
                "; does not reach {} within the horizon on the central forecast (possibly from {lo:.2e})",
                c.score
            ),
            _ => format!(
                "; not expected to reach {} within the horizon",
                c.score
            ),
        });
    }
    text
}

/// The smallest requested scale whose prediction interval runs from one end of a bounded
/// metric's range to the other (a ceiling the points have not reached, a fit that could go
/// anywhere), if any.
fn spans_whole_range(f: &Forecast) -> Option<f64> {
    let (bottom, top) = f.bounds;
    if !(bottom.is_finite() && top.is_finite()) {
        return None;
    }
    f.predictions
        .iter()
        .filter(|p| p.lower.is_some_and(|lo| lo <= bottom) && p.upper.is_some_and(|hi| hi >= top))
        .map(|p| p.x)
        .min_by(f64::total_cmp)
}

/// The median of a sample, NaN when it is empty.
fn median(v: Vec<f64>) -> f64 {
    crate::classify::median(v).unwrap_or(f64::NAN)
}

impl fmt::Display for Forecast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "forecast: {}", self.reason)?;
        for p in &self.predictions {
            match (p.predicted, p.lower, p.upper) {
                (Some(m), Some(lo), Some(hi)) => {
                    writeln!(f, "  {:>10.3e}  {m:.3}  ({lo:.3} - {hi:.3})", p.x)?
                }
                _ => writeln!(f, "  {:>10.3e}  not predictable", p.x)?,
            }
        }
        Ok(())
    }
}

/// How the forecast of one hidden point went, against the baselines.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BacktestPoint {
    /// The hidden scale.
    pub x: f64,
    /// The measured score there.
    pub truth: f64,
    /// The forecast (`None` when not predictable).
    pub predicted: Option<f64>,
    /// Whether the prediction interval covers the truth (`None` when not predictable).
    pub covered: Option<bool>,
    /// The last visible score (the naive forecast).
    pub last_value: f64,
    /// A straight line in the scale axis through the visible points.
    pub linear: f64,
    /// A single 4-parameter logistic fitted to the visible points, as a curve_fit user would;
    /// `None` when that fit fails.
    pub single_logistic: Option<f64>,
    /// The category of the visible part.
    pub category: Category,
}

/// A backtest: every curve with enough points, its largest `hide` sizes hidden and forecast.
///
/// ```
/// use emergence_detect::{backtest, Curve, DefaultClassifier, ForecastOptions};
/// let x: Vec<f64> = (0..6).map(|i| 10f64.powf(8.0 + i as f64 * 0.6)).collect();
/// let y = vec![0.30, 0.36, 0.42, 0.47, 0.53, 0.59];
/// let c = Curve::builder(x, y).n_examples(vec![2000.0; 6]).build()?;
/// let b = backtest(&DefaultClassifier::default(), &[c], 1, &ForecastOptions::default());
/// assert_eq!(b.points.len(), 1);
/// assert_eq!(b.points[0].covered, Some(true));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Backtest {
    /// Sizes hidden per curve.
    pub hide: usize,
    /// The interval coverage asked for.
    pub level: f64,
    /// Every hidden point.
    pub points: Vec<BacktestPoint>,
    /// Curves skipped: too few visible points (fewer than 4) or a failed forecast.
    pub skipped: usize,
}

/// Hides the largest `hide` sizes of every curve, forecasts them from the rest, and records the
/// forecast and the baselines against the measured scores. Curves with fewer than `hide + 4`
/// points are skipped. Parallel with the `rayon` feature; the result is the same either way.
pub fn backtest(
    classifier: &DefaultClassifier,
    curves: &[Curve],
    hide: usize,
    options: &ForecastOptions,
) -> Backtest {
    let one = |curve: &Curve| backtest_curve(classifier, curve, hide, options);
    #[cfg(feature = "rayon")]
    let per_curve: Vec<Option<Vec<BacktestPoint>>> = {
        use rayon::prelude::*;
        curves.par_iter().map(one).collect()
    };
    #[cfg(not(feature = "rayon"))]
    let per_curve: Vec<Option<Vec<BacktestPoint>>> = curves.iter().map(one).collect();
    let skipped = per_curve.iter().filter(|p| p.is_none()).count();
    Backtest {
        hide,
        level: options.level,
        points: per_curve.into_iter().flatten().flatten().collect(),
        skipped,
    }
}

/// The visible part of `curve` (all but the largest `hide` sizes) with the same noise model.
fn visible_part(curve: &Curve, hide: usize) -> Result<Curve> {
    let keep: Vec<usize> = (0..curve.len() - hide).collect();
    curve.subset(&keep)
}

fn backtest_curve(
    classifier: &DefaultClassifier,
    curve: &Curve,
    hide: usize,
    options: &ForecastOptions,
) -> Option<Vec<BacktestPoint>> {
    if hide == 0 || curve.len() < hide + 4 {
        return None;
    }
    let seen = visible_part(curve, hide).ok()?;
    let hidden_x = &curve.x()[curve.len() - hide..];
    let hidden_y = &curve.y()[curve.len() - hide..];
    let f = forecast_with(classifier, &seen, hidden_x, options).ok()?;
    // the baselines
    let (t, y) = (seen.t(), seen.y());
    let last = y[y.len() - 1];
    let m = t.len() as f64;
    let (t_mean, y_mean) = (t.iter().sum::<f64>() / m, y.iter().sum::<f64>() / m);
    let stt: f64 = t.iter().map(|t| (t - t_mean).powi(2)).sum();
    let sty: f64 = t
        .iter()
        .zip(y)
        .map(|(t, y)| (t - t_mean) * (y - y_mean))
        .sum();
    let slope = if stt > 0.0 { sty / stt } else { 0.0 };
    let logistic = fit(Arc::new(Logistic), &seen, &FitOptions::default()).ok();
    Some(
        hidden_x
            .iter()
            .zip(hidden_y)
            .zip(&f.predictions)
            .map(|((&x, &truth), p)| BacktestPoint {
                x,
                truth,
                predicted: p.predicted,
                covered: p
                    .lower
                    .zip(p.upper)
                    .map(|(lo, hi)| lo <= truth && truth <= hi),
                last_value: last,
                linear: y_mean + slope * (seen.axis().to_t(x) - t_mean),
                single_logistic: logistic.as_ref().map(|l| l.predict(x)),
                category: f.classification.category,
            })
            .collect(),
    )
}

impl Backtest {
    /// The share of forecast points whose prediction interval covers the measured score, and
    /// how many points were forecast.
    ///
    /// ```
    /// use emergence_detect::{backtest, Curve, DefaultClassifier, ForecastOptions};
    /// let b = backtest(&DefaultClassifier::default(), &[], 1, &ForecastOptions::default());
    /// assert_eq!(b.coverage(), (0.0, 0));
    /// ```
    pub fn coverage(&self) -> (f64, usize) {
        self.coverage_where(|_| true)
    }

    /// [`Backtest::coverage`] over the points of one category (of the visible part).
    ///
    /// ```
    /// use emergence_detect::{backtest, Category, DefaultClassifier, ForecastOptions};
    /// let b = backtest(&DefaultClassifier::default(), &[], 1, &ForecastOptions::default());
    /// assert_eq!(b.coverage_for(Category::Emergent), (0.0, 0));
    /// ```
    pub fn coverage_for(&self, category: Category) -> (f64, usize) {
        self.coverage_where(|p| p.category == category)
    }

    fn coverage_where(&self, keep: impl Fn(&BacktestPoint) -> bool) -> (f64, usize) {
        let covered: Vec<bool> = self
            .points
            .iter()
            .filter(|p| keep(p))
            .filter_map(|p| p.covered)
            .collect();
        let n = covered.len();
        let hits = covered.iter().filter(|c| **c).count();
        (if n > 0 { hits as f64 / n as f64 } else { 0.0 }, n)
    }

    /// Median absolute errors on the points the crate forecast (same points for every method):
    /// `(crate, last value, linear, single logistic)`; the logistic's over the points where its
    /// fit succeeded.
    ///
    /// ```
    /// use emergence_detect::{backtest, Curve, DefaultClassifier, ForecastOptions};
    /// let b = backtest(&DefaultClassifier::default(), &[], 1, &ForecastOptions::default());
    /// assert!(b.median_errors().0.is_nan());
    /// ```
    pub fn median_errors(&self) -> (f64, f64, f64, f64) {
        self.median_errors_where(|_| true)
    }

    /// [`Backtest::median_errors`] over the points of one category (of the visible part).
    ///
    /// ```
    /// use emergence_detect::{backtest, Category, DefaultClassifier, ForecastOptions};
    /// let b = backtest(&DefaultClassifier::default(), &[], 1, &ForecastOptions::default());
    /// assert!(b.median_errors_for(Category::Scaling).0.is_nan());
    /// ```
    pub fn median_errors_for(&self, category: Category) -> (f64, f64, f64, f64) {
        self.median_errors_where(|p| p.category == category)
    }

    fn median_errors_where(&self, keep: impl Fn(&BacktestPoint) -> bool) -> (f64, f64, f64, f64) {
        let points: Vec<&BacktestPoint> = self
            .points
            .iter()
            .filter(|p| p.predicted.is_some() && keep(p))
            .collect();
        let err = |f: &dyn Fn(&BacktestPoint) -> Option<f64>| {
            median(
                points
                    .iter()
                    .filter_map(|p| f(p).map(|v| (v - p.truth).abs()))
                    .filter(|e| e.is_finite())
                    .collect(),
            )
        };
        (
            err(&|p| p.predicted),
            err(&|p| Some(p.last_value)),
            err(&|p| Some(p.linear)),
            err(&|p| p.single_logistic),
        )
    }

    /// How many hidden points were not predictable (every visible size at chance, or an
    /// inconclusive classification).
    ///
    /// ```
    /// use emergence_detect::{backtest, DefaultClassifier, ForecastOptions};
    /// let b = backtest(&DefaultClassifier::default(), &[], 1, &ForecastOptions::default());
    /// assert_eq!(b.not_predictable(), 0);
    /// ```
    pub fn not_predictable(&self) -> usize {
        self.points.iter().filter(|p| p.predicted.is_none()).count()
    }
}

impl fmt::Display for Backtest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (coverage, n) = self.coverage();
        writeln!(
            f,
            "backtest, largest {} size(s) hidden: {} points forecast, {} not predictable, {} curves skipped",
            self.hide,
            n,
            self.not_predictable(),
            self.skipped
        )?;
        writeln!(
            f,
            "coverage of the {:.0}% prediction intervals: {coverage:.3}",
            100.0 * self.level
        )?;
        writeln!(
            f,
            "median absolute error: {:<12} {:>8} {:>12} {:>8} {:>16} {:>10}",
            "", "crate", "last value", "linear", "single logistic", "coverage"
        )?;
        let row = |f: &mut fmt::Formatter<'_>,
                   name: &str,
                   e: (f64, f64, f64, f64),
                   covered: f64,
                   count: usize| {
            writeln!(
                f,
                "  {name:<32} {:>8.4} {:>12.4} {:>8.4} {:>16.4} {covered:>10.3}   ({count} points)",
                e.0, e.1, e.2, e.3
            )
        };
        row(f, "all", self.median_errors(), coverage, n)?;
        for category in Category::ALL {
            let count = self
                .points
                .iter()
                .filter(|p| p.category == category && p.predicted.is_some())
                .count();
            if count > 0 {
                row(
                    f,
                    category.as_str(),
                    self.median_errors_for(category),
                    self.coverage_for(category).0,
                    count,
                )?;
            }
        }
        Ok(())
    }
}
