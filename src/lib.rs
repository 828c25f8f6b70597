#![doc = include_str!("../README.md")]
//!
//! # Architecture
//!
//! Data flow in one direction: a validated [`Curve`] goes to the fitting engine ([`fit()`](fn@fit)) with a
//! [`CurveFamily`]; the classifier ([`classify()`](fn@classify)) fits its menu of families, selects and votes, and
//! returns a [`Classification`]. The modules form layers; a module imports only from its own layer
//! and those below (a test fails on an upward import), and nothing imports from this crate root,
//! which only re-exports:
//!
//! 1. [`error`] and the private linear algebra;
//! 2. [`curve`]: validated curves and their noise models;
//! 3. [`family`]: the curve families;
//! 4. [`mod@fit`]: the fitting engine, and [`scores`]: the field's scores of raw points;
//! 5. [`mod@classify`]: the classifier, its settings, its verdict rule and its results;
//! 6. [`mod@compare`] (two curves and the gain between them), [`artefact`] (is a jump the
//!    metric's?), [`axes`] (which scale a jump lines up on), [`accelerating`] (faster than any scaling law?), [`steps`] (a task of
//!    several steps?), [`difficulty`] (easy and hard questions offsetting each other), [`training`] (training curves: did the run grok?), [`mod@forecast`] (predictions
//!    beyond the data and their backtest), [`datasets`], `io` and `lm_eval` (feature `io`) and
//!    `plot` (feature `plot`), which use all of the above.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod accelerating;
pub mod artefact;
pub mod axes;
pub mod classify;
pub mod compare;
pub mod curve;
pub mod datasets;
pub mod difficulty;
pub mod error;
pub mod family;
pub mod fit;
pub mod forecast;
#[cfg(feature = "io")]
pub mod io;
mod linalg;
#[cfg(feature = "io")]
pub mod lm_eval;
#[cfg(feature = "plot")]
pub mod plot;
pub mod scores;
pub mod steps;
pub mod training;

pub use accelerating::{AccelerationTest, acceleration_test, acceleration_test_all};
pub use artefact::{
    ArtefactCheck, ArtefactVerdict, PerTokenCheck, metric_artefact, metric_artefact_all,
    metric_artefact_with, per_token_check, per_token_check_all,
};
pub use classify::{
    Candidate, Category, Classification, Classifier, ClassifierBuilder, Criterion,
    DefaultClassifier, Estimate, Evidence, IntervalMethod, NestedTest, Pin, RankedFit, Settings,
    Shape, Thresholds, Turn, TurnEstimate, TurnKind, UnknownCategory, Verdict, Why, classify,
    classify_all, classify_all_lending_noise, default_candidates, pooled_overdispersion,
};
pub use compare::{
    CompareOptions, Comparison, GainNoise, Transition, compare, compare_all, compare_with,
};
pub use curve::{
    Axis, Curve, CurveBuilder, CurveLabels, DuplicatePolicy, NoiseModel, binomial_sigma,
};
pub use error::{Error, IoError, Result};
pub use family::{
    Bounds, BrokenPowerLaw, ComposedSteps, Constant, CurveFamily, DoubleLogistic, ExactMatchOf,
    FitData, Hinge, Linear, Logistic, Quadratic, SaturatingPowerLaw,
};
pub use fit::{Fit, FitOptions, Loss, Termination, fit};
pub use forecast::{
    Backtest, BacktestPoint, Forecast, ForecastOptions, Prediction, ThresholdCrossing, backtest,
    forecast, forecast_with,
};
pub use linalg::MAX_PARAMS;
pub use steps::{StepsTest, composed_steps_test, composed_steps_test_all};
