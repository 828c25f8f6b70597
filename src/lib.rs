#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod classify;
pub mod curve;
pub mod datasets;
pub mod error;
pub mod family;
pub mod fit;
#[cfg(feature = "io")]
pub mod io;
mod linalg;
#[cfg(feature = "plot")]
pub mod plot;
pub mod scores;

pub use classify::{
    Candidate, Category, Classification, Classifier, ClassifierBuilder, Criterion,
    DefaultClassifier, Estimate, IntervalMethod, NestedTest, Pin, RankedFit, Shape, Thresholds,
    TurnEstimate, TurnKind, Verdict, Why, classify, classify_all, pooled_overdispersion,
};
pub use curve::{
    Axis, Curve, CurveBuilder, CurveLabels, DuplicatePolicy, NoiseModel, binomial_sigma,
};
pub use error::{Error, IoError, Result};
pub use family::{
    Bounds, BrokenPowerLaw, Constant, CurveFamily, DoubleLogistic, FitData, Hinge, Linear,
    Logistic, Quadratic, SaturatingPowerLaw,
};
pub use fit::{Fit, FitOptions, Loss, Termination, fit};
pub use linalg::MAX_PARAMS;
