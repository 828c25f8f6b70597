//! Training curves: when did the run fit its training set, when did it generalise, and was the
//! generalization delayed (grokking)?
//!
//! A [`TrainingLog`] holds the training and validation metric of one run against the training
//! step. [`analyze_training`] reads it on the log-step axis, as the classifier reads a scaling curve
//! on the log-scale axis:
//!
//! 1. Each split's rows are averaged into log-spaced bins (one pass over the rows, so a log of a
//!    million rows costs milliseconds). A bin's standard error is the split's step-to-step scatter
//!    (a robust estimate from successive differences) over the square root of its row count.
//! 2. The improvement of each split is fitted with the crate's [`Logistic`] on the binned points and
//!    the crate's fitting engine, from the split's worst level onwards (a validation loss that first
//!    rises while the network memorises is not part of its improvement). The covariance is scaled by
//!    the fit's reduced chi-square, so a shape the sigmoid misses widens the intervals instead of
//!    narrowing them.
//! 3. The **memorization step** is where the training metric completes
//!    [`TrainingSettings::plateau_fraction`] (default 0.9) of its rise, from the fitted start level
//!    to the level the log ends on: the first crossing of that level by the binned data,
//!    interpolated between bins (the fitted sigmoid's own crossing where the data never reach it);
//!    the **generalization step** the same for the validation metric. A step's standard error
//!    (in `log10` steps) adds three parts: the fitted sigmoid's (delta method on its covariance),
//!    the crossing's own noise (a bin's standard error over the fitted slope there) and the
//!    distance between the data's crossing and the sigmoid's (the uncertainty of the shape). The
//!    **delay** is the ratio of the two steps (a difference on the log-step axis), with an
//!    interval that adds the two steps' variances.
//! 4. The verdict ([`TrainingCategory`]): `not_memorized` unless the training metric closes
//!    [`TrainingSettings::memorized_progress`] of the gap to perfect (accuracy `y_max`, loss 0);
//!    `unstable` when the validation metric rises and then loses at least
//!    [`TrainingSettings::collapse_fraction`] of its gain by the end of the log;
//!    `no_generalization` when the validation metric never closes
//!    [`TrainingSettings::generalized_progress`] of its gap to perfect; `grokking` when the
//!    generalization step comes at least [`TrainingSettings::delay_ratio`] (default 10, a decade)
//!    times later than the memorization step and the delay's interval excludes no delay;
//!    `simultaneous` when it comes sooner; `inconclusive` with the reason otherwise (a log too short
//!    or too sparse, a validation metric still improving at the last step, a delay the noise
//!    cannot place).
//!
//! The width of the validation transition (10%-90%, in decades of steps) is the sharpness of the
//! jump, in the same units as the width of an emergent scaling curve's rise.

use crate::classify::batch;
use crate::curve::Curve;
use crate::error::{Error, Result};
use crate::family::Logistic;
use crate::fit::{Fit, FitOptions, fit};
use statrs::distribution::{ContinuousCDF, Normal};
use std::fmt;
use std::sync::Arc;

/// What to do with a NaN or infinite metric value in a log.
///
/// ```
/// use emergence_detect::training::{NonFinitePolicy, TrainingLog};
/// let log = TrainingLog::builder(vec![1.0, 2.0, 3.0])
///     .train(vec![0.1, f64::NAN, 0.9])
///     .validation(vec![0.0, 0.1, 0.2])
///     .non_finite(NonFinitePolicy::Error)
///     .build();
/// assert!(log.is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum NonFinitePolicy {
    /// Treat the value as missing and count it in [`TrainingAnalysis::skipped_values`] (default).
    #[default]
    Skip,
    /// Fail with [`Error::NonFinite`] naming the split and the row.
    Error,
}

/// One run's log: steps with a training and a validation metric, either of which may be missing at
/// some steps.
///
/// Steps must increase strictly (an unsorted or repeated step is an [`Error::InvalidStep`] naming
/// it) and be non-negative; steps need not be evenly spaced. Rows at step 0 are kept but left out of
/// the analysis, which works on the log-step axis. The metric is an accuracy-like score (higher is
/// better, between 0 and [`TrainingLogBuilder::y_max`], default 1) or a loss-like one (lower is
/// better, at least 0) with [`TrainingLogBuilder::higher_is_better`]`(false)`.
///
/// ```
/// use emergence_detect::training::TrainingLog;
/// let steps: Vec<f64> = (1..=1000).map(f64::from).collect();
/// let train: Vec<f64> = steps.iter().map(|s| (s / 20.0).min(1.0)).collect();
/// let log = TrainingLog::builder(steps).train(train).build()?;
/// assert_eq!(log.len(), 1000);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TrainingLog {
    steps: Vec<f64>,
    /// NaN marks a missing value.
    train: Vec<f64>,
    validation: Vec<f64>,
    higher_is_better: bool,
    y_max: f64,
    skipped: usize,
}

/// Builds a [`TrainingLog`]; see [`TrainingLog::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TrainingLogBuilder {
    steps: Vec<f64>,
    train: Option<Vec<Option<f64>>>,
    validation: Option<Vec<Option<f64>>>,
    higher_is_better: bool,
    y_max: Option<f64>,
    non_finite: NonFinitePolicy,
}

impl TrainingLog {
    /// Starts a log on these steps; add the metrics with [`TrainingLogBuilder::train`] and
    /// [`TrainingLogBuilder::validation`] (or their `_sparse` forms for gaps).
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![10.0, 20.0, 40.0])
    ///     .train_sparse(vec![Some(0.5), None, Some(1.0)])
    ///     .validation(vec![0.0, 0.0, 0.1])
    ///     .build()?;
    /// assert_eq!(log.train_points(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn builder(steps: Vec<f64>) -> TrainingLogBuilder {
        TrainingLogBuilder {
            steps,
            train: None,
            validation: None,
            higher_is_better: true,
            y_max: None,
            non_finite: NonFinitePolicy::Skip,
        }
    }

    /// The number of rows (steps).
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 2.0]).train(vec![0.1, 0.2]).build()?;
    /// assert_eq!(log.len(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether the log has no rows.
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// assert!(TrainingLog::builder(vec![]).build()?.is_empty());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps, increasing.
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 5.0]).build()?;
    /// assert_eq!(log.steps(), &[1.0, 5.0]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn steps(&self) -> &[f64] {
        &self.steps
    }

    /// The training metric at each step (`None` where missing or skipped).
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 5.0]).train(vec![0.5, f64::NAN]).build()?;
    /// assert_eq!(log.train(1), None);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn train(&self, row: usize) -> Option<f64> {
        self.train.get(row).copied().filter(|v| !v.is_nan())
    }

    /// The validation metric at each step (`None` where missing or skipped).
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 5.0]).validation(vec![0.0, 0.5]).build()?;
    /// assert_eq!(log.validation(1), Some(0.5));
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn validation(&self, row: usize) -> Option<f64> {
        self.validation.get(row).copied().filter(|v| !v.is_nan())
    }

    /// How many rows have a training value.
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 5.0]).train(vec![0.5, f64::NAN]).build()?;
    /// assert_eq!(log.train_points(), 1);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn train_points(&self) -> usize {
        self.train.iter().filter(|v| !v.is_nan()).count()
    }

    /// How many rows have a validation value.
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 5.0]).validation(vec![0.5, 0.6]).build()?;
    /// assert_eq!(log.validation_points(), 2);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn validation_points(&self) -> usize {
        self.validation.iter().filter(|v| !v.is_nan()).count()
    }

    /// Whether larger values are better (accuracy) rather than smaller ones (loss).
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0]).higher_is_better(false).build()?;
    /// assert!(!log.higher_is_better());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn higher_is_better(&self) -> bool {
        self.higher_is_better
    }

    /// The metric's best possible value: `y_max` for an accuracy, 0 for a loss.
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0]).y_max(100.0).build()?;
    /// assert_eq!(log.perfect(), 100.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn perfect(&self) -> f64 {
        if self.higher_is_better {
            self.y_max
        } else {
            0.0
        }
    }

    /// How many NaN or infinite values were skipped (treated as missing).
    ///
    /// ```
    /// use emergence_detect::training::TrainingLog;
    /// let log = TrainingLog::builder(vec![1.0, 2.0]).train(vec![f64::INFINITY, 0.2]).build()?;
    /// assert_eq!(log.skipped_values(), 1);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn skipped_values(&self) -> usize {
        self.skipped
    }
}

impl TrainingLogBuilder {
    /// The training metric, one value per step.
    pub fn train(self, values: Vec<f64>) -> Self {
        self.train_sparse(values.into_iter().map(Some).collect())
    }

    /// The training metric with gaps: `None` where a step has no training value.
    pub fn train_sparse(mut self, values: Vec<Option<f64>>) -> Self {
        self.train = Some(values);
        self
    }

    /// The validation metric, one value per step.
    pub fn validation(self, values: Vec<f64>) -> Self {
        self.validation_sparse(values.into_iter().map(Some).collect())
    }

    /// The validation metric with gaps: `None` where a step has no validation value.
    pub fn validation_sparse(mut self, values: Vec<Option<f64>>) -> Self {
        self.validation = Some(values);
        self
    }

    /// Whether larger values are better: `true` (default) for an accuracy, `false` for a loss.
    pub fn higher_is_better(mut self, yes: bool) -> Self {
        self.higher_is_better = yes;
        self
    }

    /// The maximum of an accuracy-like metric: 1 (default) for fractions, 100 for percentages.
    /// A value above it is an error naming the fix, never a silent change of units.
    pub fn y_max(mut self, y_max: f64) -> Self {
        self.y_max = Some(y_max);
        self
    }

    /// What to do with NaN and infinite values (default: skip them, counted).
    pub fn non_finite(mut self, policy: NonFinitePolicy) -> Self {
        self.non_finite = policy;
        self
    }

    /// Validates and builds the log.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when a metric has not one value per step; [`Error::NonFinite`] for
    /// a non-finite step (or value, under [`NonFinitePolicy::Error`]); [`Error::InvalidStep`] for a
    /// negative, repeated or decreasing step; [`Error::InvalidSetting`] for a bad `y_max`;
    /// [`Error::ScaleMismatch`] for an accuracy above `y_max` or below 0, or a negative loss.
    ///
    /// ```
    /// use emergence_detect::{training::TrainingLog, Error};
    /// let err = TrainingLog::builder(vec![1.0, 3.0, 2.0]).build().unwrap_err();
    /// assert!(matches!(err, Error::InvalidStep { index: 2, .. }));
    /// let err = TrainingLog::builder(vec![1.0, 2.0]).train(vec![0.5, 80.0]).build().unwrap_err();
    /// assert!(err.to_string().contains("y_max"));
    /// ```
    pub fn build(self) -> Result<TrainingLog> {
        let n = self.steps.len();
        for (index, &step) in self.steps.iter().enumerate() {
            if !step.is_finite() {
                return Err(Error::NonFinite {
                    what: "step",
                    index,
                    value: step,
                });
            }
            if step < 0.0 {
                return Err(Error::InvalidStep {
                    index,
                    step,
                    reason: "steps must not be negative",
                });
            }
            if index > 0 {
                let previous = self.steps[index - 1];
                if step == previous {
                    return Err(Error::InvalidStep {
                        index,
                        step,
                        reason: "the step is repeated: one row per step",
                    });
                }
                if step < previous {
                    return Err(Error::InvalidStep {
                        index,
                        step,
                        reason: "steps must increase: sort the log by step",
                    });
                }
            }
        }
        let y_max = match self.y_max {
            Some(m) if m.is_finite() && m > 0.0 => m,
            Some(m) => {
                return Err(Error::InvalidSetting {
                    what: "y_max",
                    value: m,
                    reason: "must be finite and positive",
                });
            }
            None => 1.0,
        };
        let mut skipped = 0;
        let mut column = |what: &'static str,
                          values: Option<Vec<Option<f64>>>|
         -> Result<Vec<f64>> {
            let Some(values) = values else {
                return Ok(vec![f64::NAN; n]);
            };
            if values.len() != n {
                return Err(Error::LengthMismatch {
                    what,
                    expected: n,
                    found: values.len(),
                });
            }
            let mut out = Vec::with_capacity(n);
            for (index, v) in values.into_iter().enumerate() {
                match v {
                    None => out.push(f64::NAN),
                    Some(v) if !v.is_finite() => {
                        if self.non_finite == NonFinitePolicy::Error {
                            return Err(Error::NonFinite {
                                what,
                                index,
                                value: v,
                            });
                        }
                        skipped += 1;
                        out.push(f64::NAN);
                    }
                    Some(v) => {
                        if self.higher_is_better && !(0.0..=y_max).contains(&v) {
                            return Err(Error::ScaleMismatch {
                                what,
                                value: v,
                                y_max,
                                fix: "an accuracy lies between 0 and y_max: set y_max(100.0) for percentages",
                            });
                        }
                        if !self.higher_is_better && v < 0.0 {
                            return Err(Error::ScaleMismatch {
                                what,
                                value: v,
                                y_max: f64::INFINITY,
                                fix: "a loss (lower is better) must not be negative",
                            });
                        }
                        out.push(v);
                    }
                }
            }
            Ok(out)
        };
        let train = column("train", self.train)?;
        let validation = column("validation", self.validation)?;
        Ok(TrainingLog {
            steps: self.steps,
            train,
            validation,
            higher_is_better: self.higher_is_better,
            y_max,
            skipped,
        })
    }
}

/// Settings of [`analyze_training_with`]; every default is documented on its field.
///
/// ```
/// use emergence_detect::training::TrainingSettings;
/// let s = TrainingSettings { delay_ratio: 5.0, ..TrainingSettings::default() };
/// assert_eq!(s.plateau_fraction, 0.9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrainingSettings {
    /// The share of a transition's rise that marks its step (default 0.9: the memorization step
    /// is where the training metric has completed 90% of its fitted rise).
    pub plateau_fraction: f64,
    /// Grokking when the generalization step is at least this many times the memorization step
    /// (default 10: a decade later on the log-step axis).
    pub delay_ratio: f64,
    /// The share of the gap between its starting level and perfect that the training metric must
    /// close for the run to count as having fitted its training set (default 0.9).
    pub memorized_progress: f64,
    /// The share of the gap between its worst level and perfect that the validation metric must
    /// close for the run to count as generalising (default 0.5).
    pub generalized_progress: f64,
    /// Unstable when the validation metric loses at least this share of its gain between its
    /// peak and the end of the log (default 0.5).
    pub collapse_fraction: f64,
    /// The number of log-spaced bins the rows are averaged into (default 40).
    pub bins: usize,
    /// The fewest non-empty bins a split needs to be analysed (default 8).
    pub min_bins: usize,
    /// The confidence level of the step and delay intervals (default 0.9).
    pub level: f64,
}

impl Default for TrainingSettings {
    fn default() -> Self {
        TrainingSettings {
            plateau_fraction: 0.9,
            delay_ratio: 10.0,
            memorized_progress: 0.9,
            generalized_progress: 0.5,
            collapse_fraction: 0.5,
            bins: 40,
            min_bins: 8,
            level: 0.9,
        }
    }
}

impl TrainingSettings {
    fn check(&self) -> Result<()> {
        let unit = |what: &'static str, v: f64| {
            if v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(Error::InvalidSetting {
                    what,
                    value: v,
                    reason: "must be strictly between 0 and 1",
                })
            }
        };
        unit("plateau_fraction", self.plateau_fraction)?;
        unit("memorized_progress", self.memorized_progress)?;
        unit("generalized_progress", self.generalized_progress)?;
        unit("collapse_fraction", self.collapse_fraction)?;
        unit("level", self.level)?;
        if !(self.delay_ratio.is_finite() && self.delay_ratio > 1.0) {
            return Err(Error::InvalidSetting {
                what: "delay_ratio",
                value: self.delay_ratio,
                reason: "must be finite and above 1",
            });
        }
        if self.min_bins < 6 || self.bins < self.min_bins {
            return Err(Error::InvalidSetting {
                what: "min_bins",
                value: self.min_bins as f64,
                reason: "must be at least 6 and at most `bins`",
            });
        }
        Ok(())
    }
}

/// What a training run did.
///
/// Names in CSV and JSON: `grokking`, `simultaneous`, `no_generalization`, `not_memorized`,
/// `unstable`, `inconclusive`.
///
/// ```
/// use emergence_detect::training::TrainingCategory;
/// assert_eq!(TrainingCategory::NoGeneralization.as_str(), "no_generalization");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TrainingCategory {
    /// Generalises long after it fitted the training set.
    Grokking,
    /// Generalises as it fits (the delay is below the threshold).
    Simultaneous,
    /// Fits the training set and never generalises within the log.
    NoGeneralization,
    /// Never fits the training set within the log.
    NotMemorized,
    /// The validation metric rises, then collapses.
    Unstable,
    /// The log cannot decide; the reason says why and what would.
    Inconclusive,
}

impl TrainingCategory {
    /// The snake_case name used in CSV and JSON.
    ///
    /// ```
    /// use emergence_detect::training::TrainingCategory;
    /// assert_eq!(TrainingCategory::Grokking.as_str(), "grokking");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TrainingCategory::Grokking => "grokking",
            TrainingCategory::Simultaneous => "simultaneous",
            TrainingCategory::NoGeneralization => "no_generalization",
            TrainingCategory::NotMemorized => "not_memorized",
            TrainingCategory::Unstable => "unstable",
            TrainingCategory::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for TrainingCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One split's fitted improvement on the log-step axis.
///
/// ```
/// use emergence_detect::training::{analyze_training, TrainingLog};
/// let steps: Vec<f64> = (1..=2000).map(f64::from).collect();
/// let s = |mid: f64| -> Vec<f64> {
///     steps.iter().map(|x| 1.0 / (1.0 + (-6.0 * (x.log10() - mid)).exp())).collect()
/// };
/// let log = TrainingLog::builder(steps.clone()).train(s(1.0)).validation(s(2.5)).build()?;
/// let a = analyze_training(&log)?;
/// let g = a.generalization.unwrap();
/// assert!((g.midpoint_step.log10() - 2.5).abs() < 0.05);
/// assert!(g.step_lo <= g.step && g.step <= g.step_hi);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct LearningTransition {
    /// The step at which the fitted transition completes the plateau fraction of its rise.
    pub step: f64,
    /// The lower end of its interval.
    pub step_lo: f64,
    /// The upper end of its interval.
    pub step_hi: f64,
    /// The standard error of `log10(step)`, when the fit has a covariance.
    pub log10_step_se: Option<f64>,
    /// The midpoint of the transition (half its rise): the step's analogue of a critical scale.
    pub midpoint_step: f64,
    /// The 10%-90% width of the transition in decades of steps (its sharpness).
    pub width_decades: f64,
    /// The fitted level before the transition.
    pub start_level: f64,
    /// The fitted plateau after it.
    pub plateau_level: f64,
    /// The share of the gap between the start level and perfect that the plateau closes.
    pub progress: f64,
    /// Whether the step lies within the log (otherwise the metric is still improving at the end).
    pub within_log: bool,
}

/// How much later the validation metric improved than the training metric.
///
/// ```
/// use emergence_detect::training::{analyze_training, TrainingLog};
/// let steps: Vec<f64> = (1..=20_000).map(f64::from).collect();
/// let s = |mid: f64| -> Vec<f64> {
///     steps.iter().map(|x| 1.0 / (1.0 + (-8.0 * (x.log10() - mid)).exp())).collect()
/// };
/// let log = TrainingLog::builder(steps.clone()).train(s(1.0)).validation(s(3.0)).build()?;
/// let d = analyze_training(&log)?.delay.unwrap();
/// assert!((d.decades - 2.0).abs() < 0.05, "{d:?}");
/// assert!(d.ratio_lo <= d.ratio && d.ratio <= d.ratio_hi);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Delay {
    /// Generalization step over memorization step.
    pub ratio: f64,
    /// The lower end of the ratio's interval.
    pub ratio_lo: f64,
    /// The upper end of the ratio's interval.
    pub ratio_hi: f64,
    /// The delay on the log-step axis: `log10(ratio)`.
    pub decades: f64,
    /// Its standard error, when both fits have one.
    pub decades_se: Option<f64>,
    /// Generalization step minus memorization step.
    pub steps: f64,
}

/// The analysis of one training run.
///
/// `Display` prints the verdict, the steps with their intervals and the reason; serde (feature
/// `serde`) gives every field.
///
/// ```
/// use emergence_detect::training::{analyze_training, TrainingCategory, TrainingLog};
/// let steps: Vec<f64> = (1..=3000).map(f64::from).collect();
/// let s = |mid: f64| -> Vec<f64> {
///     steps.iter().map(|x| 0.02 + 0.98 / (1.0 + (-8.0 * (x.log10() - mid)).exp())).collect()
/// };
/// let log = TrainingLog::builder(steps.clone()).train(s(1.2)).validation(s(3.0)).build()?;
/// let a = analyze_training(&log)?;
/// assert_eq!(a.category, TrainingCategory::Grokking, "{a}");
/// assert!(a.to_string().starts_with("grokking"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct TrainingAnalysis {
    /// The verdict.
    pub category: TrainingCategory,
    /// The training metric's improvement, when it could be fitted.
    pub memorization: Option<LearningTransition>,
    /// The validation metric's improvement, when it could be fitted.
    pub generalization: Option<LearningTransition>,
    /// The delay between the two, when both were found.
    pub delay: Option<Delay>,
    /// The validation metric's best bin: `(step, level)` (for an unstable run, its peak).
    pub validation_peak: Option<(f64, f64)>,
    /// The validation metric's level over the last bins of the log.
    pub validation_final: Option<f64>,
    /// Rows in the log.
    pub rows: usize,
    /// Rows left out because their step is 0 (not on the log-step axis).
    pub rows_at_step_zero: usize,
    /// NaN or infinite values skipped.
    pub skipped_values: usize,
    /// The verdict in plain words.
    pub reason: String,
}

impl fmt::Display for TrainingAnalysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.category)?;
        let step = |t: &LearningTransition| {
            format!(
                "step {} [{}, {}]",
                step_text(t.step),
                step_text(t.step_lo),
                step_text(t.step_hi)
            )
        };
        if let Some(m) = &self.memorization {
            write!(f, "; memorized at {}", step(m))?;
        }
        if let Some(g) = &self.generalization {
            write!(f, "; generalized at {}", step(g))?;
        }
        if let Some(d) = &self.delay {
            write!(
                f,
                "; delay x{:.1} [{:.1}, {:.1}]",
                d.ratio, d.ratio_lo, d.ratio_hi
            )?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A number in a few significant digits, for reasons.
fn short(v: f64) -> String {
    if v.abs() >= 1e6 || (v != 0.0 && v.abs() < 1e-2) {
        format!("{v:.2e}")
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// A step for reading: whole steps from 10 on, two significant digits below, powers of ten past a
/// million.
fn step_text(step: f64) -> String {
    if !step.is_finite() || step >= 1e6 {
        format!("{step:.2e}")
    } else if step >= 10.0 {
        format!("{step:.0}")
    } else {
        format!("{step:.2}")
    }
}

/// Analyses a training run with the default [`TrainingSettings`].
///
/// # Errors
/// Only for invalid settings; a log that cannot be decided gives
/// [`TrainingCategory::Inconclusive`] with the reason.
///
/// ```
/// use emergence_detect::training::{analyze_training, TrainingCategory, TrainingLog};
/// // fits by step 30, never generalises
/// let steps: Vec<f64> = (1..=2000).map(f64::from).collect();
/// let train: Vec<f64> = steps.iter().map(|s| (s / 30.0).min(1.0)).collect();
/// let val = vec![0.02; 2000];
/// let log = TrainingLog::builder(steps).train(train).validation(val).build()?;
/// assert_eq!(analyze_training(&log)?.category, TrainingCategory::NoGeneralization);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn analyze_training(log: &TrainingLog) -> Result<TrainingAnalysis> {
    analyze_training_with(log, &TrainingSettings::default())
}

/// Analyses many runs, results in input order; one run's failure never touches the others. With
/// the `rayon` feature the runs are spread over the thread pool; the output is bit-identical to
/// the sequential run.
///
/// ```
/// use emergence_detect::training::{analyze_training_all, TrainingLog, TrainingSettings};
/// let steps: Vec<f64> = (1..=500).map(f64::from).collect();
/// let fit = |s: &f64| (s / 20.0).min(1.0);
/// let a = TrainingLog::builder(steps.clone()).train(steps.iter().map(fit).collect()).build()?;
/// let b = TrainingLog::builder(vec![1.0]).build()?;
/// let results = analyze_training_all(&[a, b], &TrainingSettings::default());
/// assert_eq!(results.len(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn analyze_training_all(
    logs: &[TrainingLog],
    settings: &TrainingSettings,
) -> Vec<Result<TrainingAnalysis>> {
    batch(logs, |log| analyze_training_with(log, settings))
}

/// Analyses a training run; see the [module documentation](self) for the method.
///
/// # Errors
/// [`Error::InvalidSetting`] for settings out of their domain.
///
/// ```
/// use emergence_detect::training::{analyze_training_with, TrainingLog, TrainingSettings};
/// let log = TrainingLog::builder(vec![1.0, 2.0]).train(vec![0.1, 0.2]).build()?;
/// let bad = TrainingSettings { delay_ratio: 0.5, ..TrainingSettings::default() };
/// assert!(analyze_training_with(&log, &bad).is_err());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn analyze_training_with(
    log: &TrainingLog,
    settings: &TrainingSettings,
) -> Result<TrainingAnalysis> {
    settings.check()?;
    let rows_at_step_zero = log.steps.iter().filter(|s| **s <= 0.0).count();
    let mut analysis = TrainingAnalysis {
        category: TrainingCategory::Inconclusive,
        memorization: None,
        generalization: None,
        delay: None,
        validation_peak: None,
        validation_final: None,
        rows: log.len(),
        rows_at_step_zero,
        skipped_values: log.skipped,
        reason: String::new(),
    };
    let metric = if log.higher_is_better {
        "accuracy"
    } else {
        "loss"
    };
    let grid = BinGrid::new(&log.steps, settings.bins);
    let train = grid.as_ref().map(|g| Binned::new(log, &log.train, g));
    let validation = grid.as_ref().map(|g| Binned::new(log, &log.validation, g));
    let (Some(train), Some(validation)) = (train, validation) else {
        analysis.reason = "the log has fewer than two positive steps".into();
        return Ok(analysis);
    };
    for (name, split) in [("training", &train), ("validation", &validation)] {
        if split.len() < settings.min_bins {
            analysis.reason = format!(
                "the {name} {metric} fills {} of {} log-spaced bins, fewer than the {} needed: log it at more steps, spread over the run",
                split.len(),
                settings.bins,
                settings.min_bins
            );
            return Ok(analysis);
        }
    }
    let z = Normal::new(0.0, 1.0).map_or(1.645, |n| n.inverse_cdf(0.5 + settings.level / 2.0));
    let last_step = log.steps[log.len() - 1];

    // memorization
    let memorization = train.transition(log, settings, z, last_step);
    analysis.memorization = memorization;
    let Some(m) = memorization else {
        let level = train.final_level();
        analysis.category = if train.perfect_from_start(log, settings) {
            analysis.reason = format!(
                "the training {metric} is at its plateau ({}) from the first logged step: log the earliest steps to place the memorization",
                short(level)
            );
            TrainingCategory::Inconclusive
        } else {
            analysis.reason = format!(
                "the training {metric} does not improve into a plateau within the log (last level {})",
                short(level)
            );
            TrainingCategory::NotMemorized
        };
        return Ok(analysis);
    };
    if m.progress < settings.memorized_progress || !m.within_log {
        analysis.category = TrainingCategory::NotMemorized;
        analysis.reason = if m.within_log {
            format!(
                "the training {metric} levels off at {}, closing {:.0}% of the gap to perfect ({}), below the {:.0}% that counts as fitting the training set",
                short(m.plateau_level),
                100.0 * m.progress,
                short(log.perfect()),
                100.0 * settings.memorized_progress
            )
        } else {
            format!(
                "the training {metric} is still improving at the last step ({}): the run has not fitted its training set within the log",
                step_text(last_step)
            )
        };
        return Ok(analysis);
    }

    // the validation metric's peak and end, for collapses
    let (peak_index, peak) = validation.best(log);
    analysis.validation_peak = Some((validation.step(peak_index), validation.level[peak_index]));
    let end = validation.final_level();
    analysis.validation_final = Some(end);
    let worst = validation.worst_before(log, peak_index);
    let gain = log.goodness(peak) - log.goodness(validation.level[worst]);
    let lost = log.goodness(peak) - log.goodness(end);
    let gap_at_worst = (log.perfect() - validation.level[worst]).abs();
    if gap_at_worst > 0.0
        && gain >= settings.generalized_progress * gap_at_worst
        && lost >= settings.collapse_fraction * gain
        && lost > 3.0 * validation.final_se()
    {
        analysis.category = TrainingCategory::Unstable;
        analysis.reason = format!(
            "the validation {metric} improves from {} to {} by step {}, then falls back to {} by the end of the log",
            short(validation.level[worst]),
            short(peak),
            step_text(validation.step(peak_index)),
            short(end)
        );
        return Ok(analysis);
    }

    // generalization
    let generalization = validation.transition(log, settings, z, last_step);
    analysis.generalization = generalization;
    let g = match generalization {
        Some(g) if g.progress >= settings.generalized_progress => g,
        _ => {
            // still rising: a real gain (three standard errors, and a tenth of the gap to
            // perfect) with the fitted plateau beyond the log
            let gained = log.goodness(end) - log.goodness(validation.level[worst]);
            let rising = generalization.is_some_and(|g| !g.within_log)
                && gained > 3.0 * validation.final_se()
                && gained >= 0.1 * gap_at_worst;
            analysis.generalization = None;
            analysis.category = TrainingCategory::NoGeneralization;
            analysis.reason = format!(
                "the training {metric} reaches {} by step {}, while the validation {metric} never closes {:.0}% of its gap to perfect (best {} at step {}, last {}){}",
                short(m.plateau_level),
                step_text(m.step),
                100.0 * settings.generalized_progress,
                short(peak),
                step_text(validation.step(peak_index)),
                short(end),
                if rising {
                    "; it is still rising at the last step: a longer log may show it generalise"
                } else {
                    ""
                }
            );
            return Ok(analysis);
        }
    };
    if !g.within_log {
        analysis.reason = format!(
            "the validation {metric} is still improving at the last step ({}): log the run longer to see where it levels off",
            step_text(last_step)
        );
        return Ok(analysis);
    }
    let decades = g.step.log10() - m.step.log10();
    let decades_se = match (g.log10_step_se, m.log10_step_se) {
        (Some(a), Some(b)) => Some(a.hypot(b)),
        _ => None,
    };
    let half = decades_se.map_or(f64::INFINITY, |se| z * se);
    let delay = Delay {
        ratio: 10f64.powf(decades),
        ratio_lo: 10f64.powf(decades - half),
        ratio_hi: 10f64.powf(decades + half),
        decades,
        decades_se,
        steps: g.step - m.step,
    };
    analysis.delay = Some(delay);
    let timing = format!(
        "the training {metric} reaches its plateau ({}) by step {} and the validation {metric} ({}) by step {}, {:.1} times later",
        short(m.plateau_level),
        step_text(m.step),
        short(g.plateau_level),
        step_text(g.step),
        delay.ratio
    );
    if delay.ratio >= settings.delay_ratio && delay.ratio_lo > 1.0 {
        analysis.category = TrainingCategory::Grokking;
        analysis.reason = format!(
            "{timing} (interval {:.1}-{:.1}; grokking from {} times)",
            delay.ratio_lo,
            delay.ratio_hi,
            short(settings.delay_ratio)
        );
    } else if delay.ratio >= settings.delay_ratio {
        analysis.reason = format!(
            "{timing}, but the interval {:.1}-{:.1} includes no delay: the log is too noisy to place the two steps (log more often or average more validation examples)",
            delay.ratio_lo, delay.ratio_hi
        );
    } else {
        analysis.category = TrainingCategory::Simultaneous;
        analysis.reason = format!(
            "{timing}: under the {} times that counts as delayed",
            short(settings.delay_ratio)
        );
    }
    Ok(analysis)
}

impl TrainingLog {
    /// A fitted level brought into the metric's range (a sigmoid may overshoot a bound).
    fn clamp(&self, v: f64) -> f64 {
        if self.higher_is_better {
            v.clamp(0.0, self.y_max)
        } else {
            v.max(0.0)
        }
    }

    /// A value on the "larger is better" scale.
    fn goodness(&self, v: f64) -> f64 {
        if self.higher_is_better { v } else { -v }
    }
}

/// Log-spaced bin edges over the positive steps.
struct BinGrid {
    lo: f64,
    width: f64,
    bins: usize,
}

impl BinGrid {
    /// `None` with fewer than two positive steps.
    fn new(steps: &[f64], bins: usize) -> Option<BinGrid> {
        let first = steps.iter().position(|s| *s > 0.0)?;
        let (lo, hi) = (steps[first].log10(), steps[steps.len() - 1].log10());
        (hi > lo).then(|| BinGrid {
            lo,
            width: (hi - lo) / bins as f64,
            bins,
        })
    }

    fn index(&self, t: f64) -> usize {
        (((t - self.lo) / self.width) as usize).min(self.bins - 1)
    }
}

/// One split averaged into bins: the non-empty bins only, in step order.
struct Binned {
    /// Mean `log10(step)` of each bin.
    t: Vec<f64>,
    /// Mean value of each bin.
    level: Vec<f64>,
    /// Rows in each bin.
    count: Vec<f64>,
    /// The split's step-to-step scatter (robust), 0 when the values never change.
    scatter: f64,
}

impl Binned {
    fn new(log: &TrainingLog, values: &[f64], grid: &BinGrid) -> Binned {
        let mut sum_t = vec![0.0; grid.bins];
        let mut sum_v = vec![0.0; grid.bins];
        let mut count = vec![0.0; grid.bins];
        let mut jumps = Vec::with_capacity(values.len());
        let mut previous: Option<f64> = None;
        for (&step, &v) in log.steps.iter().zip(values) {
            if step <= 0.0 || v.is_nan() {
                continue;
            }
            let t = step.log10();
            let b = grid.index(t);
            sum_t[b] += t;
            sum_v[b] += v;
            count[b] += 1.0;
            if let Some(p) = previous {
                jumps.push((v - p).abs());
            }
            previous = Some(v);
        }
        // the median absolute successive difference of normal noise is 0.954 sigma
        let scatter = if jumps.is_empty() {
            0.0
        } else {
            let mid = jumps.len() / 2;
            let (_, m, _) = jumps.select_nth_unstable_by(mid, f64::total_cmp);
            *m / 0.9539
        };
        let keep: Vec<usize> = (0..grid.bins).filter(|&b| count[b] > 0.0).collect();
        Binned {
            t: keep.iter().map(|&b| sum_t[b] / count[b]).collect(),
            level: keep.iter().map(|&b| sum_v[b] / count[b]).collect(),
            count: keep.iter().map(|&b| count[b]).collect(),
            scatter,
        }
    }

    fn len(&self) -> usize {
        self.t.len()
    }

    fn step(&self, i: usize) -> f64 {
        10f64.powf(self.t[i])
    }

    /// The mean over the last bins (a tenth of them, at least two).
    fn tail(&self) -> std::ops::Range<usize> {
        let k = (self.len() / 10).max(2).min(self.len());
        self.len() - k..self.len()
    }

    fn final_level(&self) -> f64 {
        let r = self.tail();
        let (s, c) = r.fold((0.0, 0.0), |(s, c), i| {
            (s + self.level[i] * self.count[i], c + self.count[i])
        });
        s / c
    }

    /// The standard error of [`Self::final_level`] from the step-to-step scatter.
    fn final_se(&self) -> f64 {
        let c: f64 = self.tail().map(|i| self.count[i]).sum();
        self.scatter / c.sqrt()
    }

    /// The best bin (the first of equals) and its level.
    fn best(&self, log: &TrainingLog) -> (usize, f64) {
        let mut best = 0;
        for i in 1..self.len() {
            if log.goodness(self.level[i]) > log.goodness(self.level[best]) {
                best = i;
            }
        }
        (best, self.level[best])
    }

    /// The worst bin at or before `upto`.
    fn worst_before(&self, log: &TrainingLog, upto: usize) -> usize {
        let mut worst = 0;
        for i in 1..=upto {
            if log.goodness(self.level[i]) < log.goodness(self.level[worst]) {
                worst = i;
            }
        }
        worst
    }

    /// Whether an accuracy sits near perfect from the first bin to the last: the run fitted its
    /// training set before the log starts.
    fn perfect_from_start(&self, log: &TrainingLog, settings: &TrainingSettings) -> bool {
        let near = |v: f64| v >= settings.memorized_progress * log.y_max;
        log.higher_is_better && near(self.level[0]) && near(self.final_level())
    }

    /// The first bin of the improvement: walking back from the worst bin before the best one while
    /// the level stays within a tolerance of the worst (so a flat start is kept, an early bump
    /// before a dip is not).
    fn start_of_improvement(&self, log: &TrainingLog) -> usize {
        let (best, peak) = self.best(log);
        let worst = self.worst_before(log, best);
        let g_worst = log.goodness(self.level[worst]);
        let tolerance = (0.1 * (log.goodness(peak) - g_worst))
            .max(3.0 * self.scatter / self.count[worst].sqrt());
        let mut start = worst;
        while start > 0 && log.goodness(self.level[start - 1]) <= g_worst + tolerance {
            start -= 1;
        }
        start
    }

    /// Fits the improvement with a logistic in `log10(step)` and reads its step, interval, width
    /// and levels. `None` when too few bins remain, the fit fails or it does not improve.
    fn transition(
        &self,
        log: &TrainingLog,
        settings: &TrainingSettings,
        z: f64,
        last_step: f64,
    ) -> Option<LearningTransition> {
        let mut start = self.start_of_improvement(log);
        if self.len() - start < settings.min_bins {
            start = self.len().saturating_sub(settings.min_bins);
        }
        let fitted = self.fit_from(log, start)?;
        let (floor, ceil, k, t0) = (
            fitted.params()[0],
            fitted.params()[1],
            fitted.params()[2],
            fitted.params()[3],
        );
        let improves = log.goodness(ceil) > log.goodness(floor) && k > 0.0;
        if !improves {
            return None;
        }
        let logit = (settings.plateau_fraction / (1.0 - settings.plateau_fraction)).ln();
        let t_fit = t0 + logit / k;
        // delta method on t_fit = t0 + logit / k
        let se_fit = fitted.covariance().and_then(|c| {
            let d_k = -logit / (k * k);
            let v = c[[3, 3]] + d_k * d_k * c[[2, 2]] + 2.0 * d_k * c[[2, 3]];
            (v.is_finite() && v >= 0.0).then(|| v.sqrt())
        });
        // where the binned data themselves cross the same level: the step does not rest on the
        // sigmoid's shape, and the distance between the two readings is the shape's uncertainty
        // the level is the plateau fraction of the way from the fitted start to the level the
        // data end on (the sigmoid's own ceiling misplaces it when the approach is not symmetric)
        let target = floor + settings.plateau_fraction * (self.final_level() - floor);
        let crossing = self.crossing(log, start, target);
        let t_q = crossing.unwrap_or(t_fit);
        // the crossing's own noise: a bin's standard error over the fitted slope there
        let q = settings.plateau_fraction;
        let slope = k * (ceil - floor).abs() * q * (1.0 - q);
        let near = self.t.partition_point(|v| *v < t_q).min(self.len() - 1);
        let se_crossing = if slope > 0.0 {
            self.scatter / self.count[near].sqrt() / slope
        } else {
            0.0
        };
        let se = se_fit.map(|s| {
            let shape = crossing.map_or(0.0, |c| c - t_fit);
            (s * s + se_crossing * se_crossing + shape * shape).sqrt()
        });
        let half = se.map_or(f64::INFINITY, |s| z * s);
        let gap = (log.perfect() - floor).abs();
        let progress = if gap > 0.0 {
            ((log.goodness(ceil) - log.goodness(floor)) / gap).min(1.0)
        } else {
            0.0
        };
        Some(LearningTransition {
            step: 10f64.powf(t_q),
            step_lo: 10f64.powf(t_q - half),
            step_hi: 10f64.powf(t_q + half),
            log10_step_se: se,
            midpoint_step: 10f64.powf(t0),
            width_decades: 2.0 * 9f64.ln() / k,
            start_level: log.clamp(floor),
            plateau_level: log.clamp(ceil),
            progress,
            // the sigmoid, not the data, says whether the plateau is reached: data still rising at
            // the end cross any level below their last one
            within_log: t_fit <= last_step.log10(),
        })
    }

    /// The first crossing of `target` by the bins from `start` on (interpolated in `log10(step)`
    /// between the bins on either side), `None` when they never reach it.
    fn crossing(&self, log: &TrainingLog, start: usize, target: f64) -> Option<f64> {
        let goal = log.goodness(target);
        let i = (start..self.len()).find(|&i| log.goodness(self.level[i]) >= goal)?;
        if i == start {
            return Some(self.t[i]);
        }
        let (a, b) = (log.goodness(self.level[i - 1]), log.goodness(self.level[i]));
        let f = if b > a { (goal - a) / (b - a) } else { 1.0 };
        Some(self.t[i - 1] + f.clamp(0.0, 1.0) * (self.t[i] - self.t[i - 1]))
    }

    /// The logistic fit to the bins from `start` on, weighted by their row counts.
    fn fit_from(&self, log: &TrainingLog, start: usize) -> Option<Fit> {
        let scatter = if self.scatter > 0.0 {
            self.scatter
        } else {
            1.0
        };
        let x: Vec<f64> = self.t[start..].iter().map(|t| 10f64.powf(*t)).collect();
        let sigma: Vec<f64> = self.count[start..]
            .iter()
            .map(|c| scatter / c.sqrt())
            .collect();
        let y_max = if log.higher_is_better {
            log.y_max
        } else {
            self.level[start..]
                .iter()
                .fold(f64::MIN_POSITIVE, |m, v| m.max(*v))
        };
        let curve = Curve::builder(x, self.level[start..].to_vec())
            .sigma(sigma)
            .y_max(y_max)
            .higher_is_better(log.higher_is_better)
            .build()
            .ok()?;
        fit(
            Arc::new(Logistic),
            &curve,
            &FitOptions::default().absolute_sigma(false),
        )
        .ok()
    }
}
