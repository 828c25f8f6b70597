//! Typed errors of the crate.

use thiserror::Error;

/// Everything that can go wrong when building a [`Curve`](crate::Curve), fitting a family or
/// classifying a curve.
///
/// Errors carry the offending index and value where there is one, so that a researcher can find the
/// bad row. The enum is `#[non_exhaustive]`: new failure modes may be added in minor releases.
///
/// ```
/// use emergence_detect::{Curve, Error};
///
/// let err = Curve::new(vec![1e8, -1.0], vec![0.2, 0.3]).unwrap_err();
/// assert!(matches!(err, Error::NonPositiveScale { index: 1, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// Two inputs that must have one entry per point have different lengths.
    #[error("length mismatch: {what} has {found} entries, expected {expected} (one per point)")]
    LengthMismatch {
        /// Which input is off (`"y"`, `"sigma"`, `"n_examples"`, ...).
        what: &'static str,
        /// The number of points (length of `x`).
        expected: usize,
        /// The length that was given.
        found: usize,
    },
    /// Fewer points than the operation needs.
    #[error("too few points: {found} given, at least {needed} needed")]
    TooFewPoints {
        /// Points available.
        found: usize,
        /// Points required.
        needed: usize,
    },
    /// A value that must be finite is NaN or infinite.
    #[error("{what}[{index}] is not finite ({value})")]
    NonFinite {
        /// Which input (`"x"`, `"y"`, `"sigma"`, ...).
        what: &'static str,
        /// Index of the offending point, in input order.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A scale `x <= 0` on a logarithmic axis.
    #[error(
        "x[{index}] = {value} is not positive, but the axis is logarithmic (Axis::Linear fits on a linear axis)"
    )]
    NonPositiveScale {
        /// Index of the offending point, in input order.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Two points share the same scale and duplicates are rejected.
    #[error(
        "duplicate x = {value} at points {first} and {second} (merge them with DuplicatePolicy::Merge)"
    )]
    DuplicateScale {
        /// Input index of the first occurrence.
        first: usize,
        /// Input index of the second occurrence.
        second: usize,
        /// The shared scale.
        value: f64,
    },
    /// A standard error that is not positive and finite, or absurdly small or large (outside
    /// `[1e-100, 1e100]`).
    #[error("sigma[{index}] = {value} must be finite and within [1e-100, 1e100]")]
    InvalidSigma {
        /// Index of the offending point, in input order.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A test-set size below one example or above 1e15.
    #[error("n_examples[{index}] = {value} must be finite and within [1, 1e15]")]
    InvalidSampleSize {
        /// Index of the offending point, in input order.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A score outside the metric's range `[0, y_max]`, where a binomial noise model needs it inside.
    #[error("y[{index}] = {value} is outside the metric's range [0, {y_max}]")]
    OutOfRange {
        /// Index of the offending point, in input order.
        index: usize,
        /// The offending value.
        value: f64,
        /// The metric's maximum.
        y_max: f64,
    },
    /// A score or the chance level does not fit the curve's scale (fractions 0-1, percentages
    /// 0-100, or the given maximum): reading it either way would be a guess.
    #[error("{what} = {value} does not fit the curve's scale (0 to {y_max}): {fix}")]
    ScaleMismatch {
        /// `"y"` or `"chance"`.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// The maximum of the scale the curve was read on.
        y_max: f64,
        /// What to do about it.
        fix: &'static str,
    },
    /// A training log's step is negative, repeated or out of order.
    #[error("step {step} (row {index}): {reason}")]
    InvalidStep {
        /// The row, in input order.
        index: usize,
        /// The offending step.
        step: f64,
        /// What is wrong and what to do.
        reason: &'static str,
    },
    /// A curve-level setting (chance level, metric maximum, a threshold) is out of its domain.
    #[error("invalid {what}: {value} ({reason})")]
    InvalidSetting {
        /// Which setting.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// Two curves to compare share fewer than two sizes.
    #[error(
        "the curves share fewer than two sizes: the baseline alone has {baseline_only:?}, the treatment alone {treatment_only:?}"
    )]
    UnmatchedSizes {
        /// The sizes only the baseline has.
        baseline_only: Vec<f64>,
        /// The sizes only the treatment has.
        treatment_only: Vec<f64>,
    },
    /// Two curves to compare cannot be set side by side.
    #[error("the curves cannot be compared: {reason}")]
    IncompatibleCurves {
        /// Why.
        reason: &'static str,
    },
    /// A parameter name that the family does not have.
    #[error("family `{family}` has no parameter named `{name}` (its parameters: {})", known.join(", "))]
    UnknownParameter {
        /// The family's name.
        family: String,
        /// The name that was asked for.
        name: String,
        /// The names the family has.
        known: Vec<String>,
    },
    /// A family or a start whose shape does not fit the engine.
    #[error("invalid family `{family}`: {reason}")]
    InvalidFamily {
        /// The family's name.
        family: String,
        /// What is wrong.
        reason: String,
    },
    /// No start of any optimiser produced a finite objective.
    #[error("family `{family}` could not be fitted: {reason}")]
    FitFailed {
        /// The family's name.
        family: String,
        /// What went wrong.
        reason: String,
    },
    /// A malformed line in a CSV input.
    #[error("line {line}: {reason}")]
    Parse {
        /// 1-based line number in the file (the header is line 1).
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// An I/O failure (reading a CSV file, writing a plot), with the operating system's error as
    /// its source.
    #[error("{context}: {source}")]
    Io {
        /// What was being read or written (usually a path).
        context: String,
        /// The underlying error.
        #[source]
        source: IoError,
    },
    /// Drawing a plot failed.
    #[error("plotting failed: {0}")]
    Plot(String),
}

impl Error {
    /// An [`Error::Io`] for `source` while working on `context` (a path, say).
    #[cfg(any(feature = "io", feature = "plot"))]
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source: IoError(std::sync::Arc::new(source)),
        }
    }
}

/// A shared [`std::io::Error`]: lets [`Error`](enum@Error) stay `Clone` and `PartialEq` (two are equal when
/// their kinds and messages are) while keeping the original error as the source.
///
/// ```
/// use emergence_detect::{Error, io::read_curves};
/// let err = read_curves("/no/such/file.csv").unwrap_err();
/// let Error::Io { source, .. } = &err else { panic!("not an i/o error: {err}") };
/// assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
/// assert!(std::error::Error::source(&err).is_some());
/// ```
#[derive(Debug, Clone)]
pub struct IoError(std::sync::Arc<std::io::Error>);

impl IoError {
    /// The kind of the underlying error.
    ///
    /// ```
    /// use emergence_detect::{io::read_curves, Error};
    /// if let Err(Error::Io { source, .. }) = read_curves("/no/such/file.csv") {
    ///     assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
    /// }
    /// ```
    pub fn kind(&self) -> std::io::ErrorKind {
        self.0.kind()
    }

    /// The underlying error.
    ///
    /// ```
    /// use emergence_detect::{io::read_curves, Error};
    /// if let Err(Error::Io { source, .. }) = read_curves("/no/such/file.csv") {
    ///     assert!(source.get_ref().raw_os_error().is_some());
    /// }
    /// ```
    pub fn get_ref(&self) -> &std::io::Error {
        &self.0
    }
}

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

impl PartialEq for IoError {
    fn eq(&self, other: &IoError) -> bool {
        self.kind() == other.kind() && self.0.to_string() == other.0.to_string()
    }
}

/// Shorthand for `Result<T, emergence_detect::Error>`.
///
/// ```
/// use emergence_detect::{Curve, Result};
/// fn tiny() -> Result<Curve> {
///     Curve::new(vec![1e8, 1e9], vec![0.1, 0.2])
/// }
/// assert_eq!(tiny()?.len(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;
