//! Comparisons of two curves of one model family: a baseline and a treatment (zero-shot and
//! few-shot prompting, answer-only and chain of thought, one metric and another). Each curve is
//! classified, and so is the **gain** (treatment minus baseline at every shared size, in
//! performance terms) with the two curves' noise combined: an emergent gain says that the
//! treatment's benefit emerges with scale, as in-context learning and chain-of-thought prompting
//! are reported to (Wei et al. 2022). The comparison also names the transition between the two
//! categories (a U-shaped baseline that becomes scaling under chain of thought) and the sizes at
//! which the treatment hurts.
//!
//! Everything goes through the classifier: the same families, fitting engine, noise model and
//! verdict rule judge the gain as any other curve.

use crate::classify::{Category, Classification, Classifier, DefaultClassifier, Judge, batch};
use crate::curve::{Curve, CurveLabels, NoiseModel, side_by_side};
use crate::error::{Error, Result};
use statrs::distribution::{ContinuousCDF, Normal};
use std::fmt;

/// Settings of a comparison beyond the classifier's.
///
/// ```
/// use emergence_detect::CompareOptions;
/// let same_items = CompareOptions::default().correlation(0.5)?;
/// assert_eq!(same_items.correlation_value(), 0.5);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct CompareOptions {
    correlation: f64,
}

impl CompareOptions {
    /// The correlation of the two curves' errors at one size, in `[0, 1)`. Zero (the default)
    /// when the two were measured on independent test items; positive when the same items were
    /// used (a model that gets an item right without the prompt tends to get it right with it),
    /// which shrinks the noise of the gain: `var = s_b^2 + s_t^2 - 2 r s_b s_t`.
    ///
    /// ```
    /// use emergence_detect::{CompareOptions, Error};
    /// assert!(matches!(
    ///     CompareOptions::default().correlation(1.0),
    ///     Err(Error::InvalidSetting { what: "correlation", .. })
    /// ));
    /// ```
    pub fn correlation(mut self, r: f64) -> Result<CompareOptions> {
        if !(0.0..1.0).contains(&r) {
            return Err(Error::InvalidSetting {
                what: "correlation",
                value: r,
                reason: "must be in [0, 1)",
            });
        }
        self.correlation = r;
        Ok(self)
    }

    /// The correlation in force.
    ///
    /// ```
    /// assert_eq!(emergence_detect::CompareOptions::default().correlation_value(), 0.0);
    /// ```
    pub fn correlation_value(&self) -> f64 {
        self.correlation
    }
}

/// Where the noise of the gain comes from.
///
/// ```
/// use emergence_detect::GainNoise;
/// assert_eq!(GainNoise::Stated.to_string(), "stated");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum GainNoise {
    /// Both curves state their noise (test-set sizes or standard errors): the gain's standard
    /// error combines them.
    Stated,
    /// At least one curve states no noise: its scatter is estimated from the residuals of its
    /// own classification's representative fit (enough points needed), then combined.
    ResidualScatter,
    /// Neither stated nor estimable: the gain curve is classified under unknown noise (its
    /// scatter estimated from its own residuals when it has enough points), and "hurts" is
    /// judged by effect size alone.
    Unknown,
}

impl fmt::Display for GainNoise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GainNoise::Stated => "stated",
            GainNoise::ResidualScatter => "residual_scatter",
            GainNoise::Unknown => "unknown",
        })
    }
}

/// The categories of the baseline and the treatment, with their confidences.
///
/// ```
/// use emergence_detect::{Category, Transition};
/// let t = Transition {
///     from: Category::UShaped,
///     from_confidence: 0.9,
///     to: Category::Scaling,
///     to_confidence: 1.0,
/// };
/// assert_eq!(t.to_string(), "u_shaped -> scaling");
/// assert!(t.changes());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Transition {
    /// The baseline's category.
    pub from: Category,
    /// Its confidence.
    pub from_confidence: f64,
    /// The treatment's category.
    pub to: Category,
    /// Its confidence.
    pub to_confidence: f64,
}

impl Transition {
    /// Whether the treatment's category differs from the baseline's.
    ///
    /// ```
    /// use emergence_detect::{Category, Transition};
    /// let same = Transition { from: Category::Flat, from_confidence: 1.0, to: Category::Flat, to_confidence: 1.0 };
    /// assert!(!same.changes());
    /// ```
    pub fn changes(&self) -> bool {
        self.from != self.to
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

/// A comparison of a baseline and a treatment curve. `Display` gives a short report; with the
/// `serde` feature it serialises to JSON.
///
/// ```
/// use emergence_detect::{compare, Category, Curve};
/// let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
/// let zero_shot = Curve::builder(x.clone(), vec![0.25, 0.26, 0.27, 0.29, 0.31])
///     .n_examples(vec![1000.0; 5]).chance(0.25).build()?;
/// let few_shot = Curve::builder(x, vec![0.25, 0.26, 0.28, 0.62, 0.80])
///     .n_examples(vec![1000.0; 5]).chance(0.25).build()?;
/// let c = compare(&zero_shot, &few_shot)?;
/// assert_eq!(c.gain_classification.category, Category::Emergent);
/// assert!(c.reason.contains("benefit emerges"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct Comparison {
    /// The baseline's classification (on all of its sizes).
    pub baseline: Classification,
    /// The treatment's classification (on all of its sizes).
    pub treatment: Classification,
    /// The two categories.
    pub transition: Transition,
    /// The sizes both curves have, ascending.
    pub sizes: Vec<f64>,
    /// The sizes only one of the two curves has (left out of the gain).
    pub unmatched_sizes: Vec<f64>,
    /// Treatment minus baseline at each shared size, in performance terms (positive: the
    /// treatment helps; for lower-is-better metrics the sign is flipped).
    pub gain: Vec<f64>,
    /// The gain's standard error at each size, when known or estimated.
    pub gain_sigma: Option<Vec<f64>>,
    /// Where that noise comes from.
    pub gain_noise: GainNoise,
    /// The gain curve classified with the same classifier (chance level zero: no benefit). Its
    /// category says how the benefit changes with scale; a `flat` gain may still be a constant
    /// benefit (see `mean_gain`).
    pub gain_classification: Classification,
    /// The gain averaged over the shared sizes.
    pub mean_gain: f64,
    /// Whether that average is a real benefit (positive) or cost (negative): at least the
    /// minimum effect and significant (by effect size alone when the noise is unknown).
    pub mean_gain_is_real: bool,
    /// The shared sizes at which the treatment hurts: a fall of at least the minimum effect,
    /// significant at the classifier's level divided by the number of sizes (Bonferroni: the
    /// question is whether it hurts anywhere); by effect size alone when the noise is unknown.
    pub hurts_at: Vec<f64>,
    /// When the treatment hurts at the smallest shared size: the first size at which it no
    /// longer does (it hurts at every shared size below this one); `None` otherwise, or when it
    /// hurts up to the largest size.
    pub hurts_below_x: Option<f64>,
    /// The comparison in plain words.
    pub reason: String,
    /// The gain as a curve (for plots and further analysis).
    #[cfg_attr(feature = "serde", serde(skip))]
    gain_curve: Curve,
}

impl Comparison {
    /// The gain as a curve: treatment minus baseline at the shared sizes, in performance terms,
    /// with its standard errors when known, chance level zero, on the baseline's axis and with
    /// its metric maximum.
    ///
    /// ```
    /// use emergence_detect::{compare, Curve};
    /// let x = vec![1e8, 1e9, 1e10, 1e11];
    /// let a = Curve::builder(x.clone(), vec![0.3, 0.3, 0.3, 0.3]).n_examples(vec![500.0; 4]).build()?;
    /// let b = Curve::builder(x, vec![0.3, 0.35, 0.45, 0.6]).n_examples(vec![500.0; 4]).build()?;
    /// let c = compare(&a, &b)?;
    /// assert_eq!(c.gain_curve().y(), c.gain.as_slice());
    /// assert_eq!(c.gain_curve().chance(), Some(0.0));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn gain_curve(&self) -> &Curve {
        &self.gain_curve
    }
}

/// Compares `baseline` and `treatment` with the default classifier and options.
///
/// ```
/// use emergence_detect::{compare, Curve};
/// let a = Curve::builder(vec![1e8, 1e9, 1e10, 1e11], vec![0.3, 0.4, 0.5, 0.6])
///     .n_examples(vec![500.0; 4]).build()?;
/// let b = Curve::builder(vec![1e9, 1e10, 1e11, 1e12], vec![0.4, 0.5, 0.6, 0.7])
///     .n_examples(vec![500.0; 4]).build()?;
/// let c = compare(&a, &b)?;
/// assert_eq!(c.sizes, vec![1e9, 1e10, 1e11]);
/// assert_eq!(c.unmatched_sizes, vec![1e8, 1e12]);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn compare(baseline: &Curve, treatment: &Curve) -> Result<Comparison> {
    thread_local! {
        static DEFAULT: DefaultClassifier = DefaultClassifier::default();
    }
    DEFAULT.with(|c| compare_with(c, baseline, treatment, &CompareOptions::default()))
}

/// Compares `baseline` and `treatment` with `classifier` (its thresholds judge the gain and the
/// sizes where the treatment hurts) and `options`.
///
/// Errors: fewer than two shared sizes ([`Error::UnmatchedSizes`], listing the sizes each curve
/// has alone), curves on different axes or with opposite directions
/// ([`Error::IncompatibleCurves`]), or a classification error of either curve or the gain.
///
/// ```
/// use emergence_detect::{compare_with, CompareOptions, Curve, DefaultClassifier, Error};
/// let a = Curve::builder(vec![1e8, 1e9], vec![0.3, 0.4]).n_examples(vec![500.0; 2]).build()?;
/// let b = Curve::builder(vec![1e10, 1e11], vec![0.3, 0.4]).n_examples(vec![500.0; 2]).build()?;
/// let err = compare_with(&DefaultClassifier::default(), &a, &b, &CompareOptions::default())
///     .unwrap_err();
/// assert!(matches!(err, Error::UnmatchedSizes { .. }));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn compare_with(
    classifier: &DefaultClassifier,
    baseline: &Curve,
    treatment: &Curve,
    options: &CompareOptions,
) -> Result<Comparison> {
    if baseline.higher_is_better() != treatment.higher_is_better() {
        return Err(Error::IncompatibleCurves {
            reason: "one curve is higher-is-better and the other lower-is-better",
        });
    }
    let (pairs, unmatched) = side_by_side(baseline, treatment)?;
    let base = classifier.classify(baseline)?;
    let treat = classifier.classify(treatment)?;
    let orientation = if baseline.higher_is_better() {
        1.0
    } else {
        -1.0
    };
    let sizes: Vec<f64> = pairs.iter().map(|&(i, _)| baseline.x()[i]).collect();
    let gain: Vec<f64> = pairs
        .iter()
        .map(|&(i, j)| orientation * (treatment.y()[j] - baseline.y()[i]))
        .collect();
    let base_sigma = point_sigma(classifier, baseline, &base);
    let treat_sigma = point_sigma(classifier, treatment, &treat);
    let gain_noise = match (&base_sigma, &treat_sigma) {
        (Some(_), Some(_)) if baseline.noise().is_known() && treatment.noise().is_known() => {
            GainNoise::Stated
        }
        (Some(_), Some(_)) => GainNoise::ResidualScatter,
        _ => GainNoise::Unknown,
    };
    let gain_sigma: Option<Vec<f64>> = base_sigma.zip(treat_sigma).map(|(sb, st)| {
        let r = options.correlation;
        pairs
            .iter()
            .map(|&(i, j)| {
                let var = sb[i] * sb[i] + st[j] * st[j] - 2.0 * r * sb[i] * st[j];
                var.max(1e-300).sqrt()
            })
            .collect()
    });
    let labels = baseline.labels();
    let mut builder = Curve::builder(sizes.clone(), gain.clone())
        .labels(CurveLabels {
            id: Some("gain".to_string()),
            task: Some("gain (treatment - baseline)".to_string()),
            model_family: labels.model_family.clone(),
            metric: labels.metric.as_ref().map(|m| format!("gain in {m}")),
            shots: None,
            scale: None,
        })
        .axis(baseline.axis())
        .chance(0.0)
        .y_max(baseline.y_max());
    if let Some(s) = &gain_sigma {
        builder = builder.sigma(s.clone());
    }
    let gain_curve = builder.build()?;
    let gain_classification = classifier.classify(&gain_curve)?;
    let thresholds = &classifier.settings().thresholds;
    let judge = Judge::new(&gain_curve, thresholds);
    // the treatment hurts at a size when the fall is at least the minimum effect and
    // significant, Bonferroni-corrected over the sizes (the question is whether it hurts at any)
    let z_needed = Normal::new(0.0, 1.0).map_or(f64::INFINITY, |d| {
        d.inverse_cdf(1.0 - 0.5 * thresholds.significance / sizes.len() as f64)
    });
    let hurts_at: Vec<f64> = gain
        .iter()
        .enumerate()
        .filter(|&(k, g)| {
            let drop = -g;
            let z = gain_sigma.as_ref().map_or(f64::INFINITY, |s| drop / s[k]);
            drop >= judge.min_effect() && z >= z_needed
        })
        .map(|(k, _)| sizes[k])
        .collect();
    // the average gain, and whether it is a real benefit or cost: a plain average (one size
    // with a tiny binomial error must not speak for all), its standard error from the gain's
    // noise as the gain's own classification sees it (overdispersion or residual scatter
    // included), by effect size alone when there is none
    let m = gain.len() as f64;
    let mean_gain = gain.iter().sum::<f64>() / m;
    let mean_z =
        point_sigma(classifier, &gain_curve, &gain_classification).map_or(f64::INFINITY, |s| {
            let se = s.iter().map(|s| s * s).sum::<f64>().sqrt() / m;
            mean_gain.abs() / se
        });
    let mean_gain_is_real = judge.is_real(mean_gain.abs(), Some(mean_z));
    let leading = sizes.iter().take_while(|x| hurts_at.contains(x)).count();
    let hurts_below_x = (leading > 0 && leading < sizes.len()).then(|| sizes[leading]);
    let transition = Transition {
        from: base.category,
        from_confidence: base.confidence,
        to: treat.category,
        to_confidence: treat.confidence,
    };
    let reason = describe(
        &transition,
        &sizes,
        &gain,
        (mean_gain, mean_gain_is_real),
        &gain_classification,
        &hurts_at,
        gain_noise,
        options.correlation,
        &unmatched,
    );
    Ok(Comparison {
        baseline: base,
        treatment: treat,
        transition,
        sizes,
        unmatched_sizes: unmatched,
        gain,
        gain_sigma,
        gain_noise,
        gain_classification,
        mean_gain,
        mean_gain_is_real,
        hurts_at,
        hurts_below_x,
        reason,
        gain_curve,
    })
}

/// Compares many (baseline, treatment) pairs, results in input order; one pair's failure never
/// touches the others. With the `rayon` feature the pairs are spread over the thread pool; the
/// output is bit-identical to the sequential run.
///
/// ```
/// use emergence_detect::{compare_all, CompareOptions, Curve, DefaultClassifier};
/// let x = vec![1e8, 1e9, 1e10, 1e11];
/// let a = Curve::builder(x.clone(), vec![0.3, 0.3, 0.3, 0.3]).n_examples(vec![500.0; 4]).build()?;
/// let b = Curve::builder(x, vec![0.3, 0.35, 0.45, 0.6]).n_examples(vec![500.0; 4]).build()?;
/// let lonely = Curve::builder(vec![1e13, 1e14], vec![0.3, 0.4]).build()?;
/// let pairs = vec![(a.clone(), b), (a, lonely)];
/// let out = compare_all(&DefaultClassifier::default(), &pairs, &CompareOptions::default());
/// assert!(out[0].is_ok() && out[1].is_err());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn compare_all(
    classifier: &DefaultClassifier,
    pairs: &[(Curve, Curve)],
    options: &CompareOptions,
) -> Vec<Result<Comparison>> {
    batch(pairs, |(b, t)| compare_with(classifier, b, t, options))
}

/// A curve's standard error at each point: the stated one (with its overdispersion) when the
/// noise is known, else the residual scatter of the representative fit on the curve's own
/// scatter (the classification's, or, when that one was decided on an assumed test-set size, a
/// fit without it) when that fit has enough spare points; `None` otherwise.
fn point_sigma(
    classifier: &DefaultClassifier,
    curve: &Curve,
    result: &Classification,
) -> Option<Vec<f64>> {
    if curve.noise() != NoiseModel::Unknown {
        let inflate = result.overdispersion.max(1.0).sqrt();
        return Some(curve.sigma().iter().map(|s| s * inflate).collect());
    }
    let result = classifier.on_own_scatter(curve, result).ok()?;
    let fit = &result.representative_fit()?.fit;
    let spare = fit.n_points().checked_sub(fit.n_free())?;
    if spare < 3 {
        return None;
    }
    let scatter = fit.reduced_chi_square()?.sqrt();
    (scatter.is_finite() && scatter > 0.0).then(|| vec![scatter; curve.len()])
}

/// The comparison in plain words.
#[allow(clippy::too_many_arguments)]
fn describe(
    transition: &Transition,
    sizes: &[f64],
    gain: &[f64],
    (mean, mean_is_real): (f64, bool),
    gain_result: &Classification,
    hurts_at: &[f64],
    noise: GainNoise,
    correlation: f64,
    unmatched: &[f64],
) -> String {
    let mut text = format!(
        "{} (confidence {:.2} and {:.2}); ",
        transition, transition.from_confidence, transition.to_confidence
    );
    let (first, last) = (gain[0], gain[gain.len() - 1]);
    let span = format!(
        "gain {first:+.3} at {:.2e} to {last:+.3} at {:.2e}",
        sizes[0],
        sizes[sizes.len() - 1]
    );
    let confidence = gain_result.confidence;
    text.push_str(&match gain_result.category {
        Category::Emergent => {
            let critical = gain_result.critical_scale.map_or(String::new(), |e| {
                format!(
                    "; critical scale {:.2e} ({:.2e}-{:.2e})",
                    e.value, e.lower, e.upper
                )
            });
            format!(
                "the treatment's benefit emerges (confidence {confidence:.2}): {span}{critical}"
            )
        }
        Category::Scaling => {
            format!("the benefit grows steadily with scale (confidence {confidence:.2}): {span}")
        }
        Category::Flat if mean_is_real && mean > 0.0 => format!(
            "a constant benefit of {mean:+.3} on average that does not change with scale (confidence {confidence:.2}): {span}"
        ),
        Category::Flat if mean_is_real => format!(
            "a constant cost of {mean:+.3} on average that does not change with scale (confidence {confidence:.2}): {span}"
        ),
        Category::Flat => {
            format!("no real benefit at any size (confidence {confidence:.2}): {span}")
        }
        Category::InverseScaling => {
            format!("the benefit shrinks with scale (confidence {confidence:.2}): {span}")
        }
        Category::UShaped => format!(
            "the benefit first shrinks, then grows (confidence {confidence:.2}): {span}"
        ),
        Category::InvertedU => format!(
            "the benefit peaks at a middle size (confidence {confidence:.2}): {span}"
        ),
        Category::Inconclusive => format!("the gain is inconclusive: {}", gain_result.reason),
    });
    if !hurts_at.is_empty() {
        let list: Vec<String> = hurts_at.iter().map(|x| format!("{x:.2e}")).collect();
        text.push_str(&format!("; the treatment hurts at {}", list.join(", ")));
    }
    text.push_str(&match noise {
        GainNoise::Stated if correlation > 0.0 => {
            format!(" (gain noise from the stated noise, correlation {correlation})")
        }
        GainNoise::Stated => " (gain noise from the stated noise, independent)".to_string(),
        GainNoise::ResidualScatter => {
            " (gain noise estimated from each curve's residual scatter)".to_string()
        }
        GainNoise::Unknown => {
            " (no noise information: the gain is judged by its own scatter, and hurting by effect size alone)"
                .to_string()
        }
    });
    if !unmatched.is_empty() {
        let list: Vec<String> = unmatched.iter().map(|x| format!("{x:.2e}")).collect();
        text.push_str(&format!(
            "; sizes left out (in one curve only): {}",
            list.join(", ")
        ));
    }
    text
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "transition: {}", self.transition)?;
        writeln!(
            f,
            "gain: {} (confidence {:.2})",
            self.gain_classification.category, self.gain_classification.confidence
        )?;
        writeln!(f, "reason: {}", self.reason)?;
        for (k, (x, g)) in self.sizes.iter().zip(&self.gain).enumerate() {
            let se = self
                .gain_sigma
                .as_ref()
                .map_or(String::new(), |s| format!(" +- {:.3}", s[k]));
            writeln!(f, "  {x:>10.3e}  {g:+.3}{se}")?;
        }
        Ok(())
    }
}
