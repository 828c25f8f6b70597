//! The fitting engine: weighted nonlinear least squares of one family to one curve.
//!
//! Levenberg-Marquardt (module `lm`) from every start of the family's self-starter plus the
//! caller's starts, bounds by internal transformation, pinned parameters, optional Huber loss by
//! iterative reweighting, and a Nelder-Mead fallback (argmin) when no start converges. The result,
//! [`Fit`], carries the parameters with their uncertainties and the usual fit statistics.

mod driver;
mod fallback;
mod lm;
mod options;
mod refit;
mod report;
mod result;
mod robust;
mod starts;
mod stats;
mod termination;
mod transform;
mod uncertainty;
mod workspace;

pub use options::{FitOptions, Loss};
pub use result::Fit;
pub use termination::Termination;

pub(crate) use driver::fit_data;
pub(crate) use refit::Refitter;

use crate::curve::Curve;
use crate::error::Result;
use crate::family::{CurveFamily, FitData};
use std::sync::Arc;

/// Fits `family` to `curve` by weighted least squares.
///
/// Weights are `1/sigma_i^2` from the curve's noise model (all 1 when unknown, the scale then
/// estimated from the residuals). A budget that runs out is a [`Termination`] on the result, not
/// an error.
///
/// # Errors
/// [`Error::UnknownParameter`](crate::Error::UnknownParameter) for a pinned or bounded name the family lacks,
/// [`Error::InvalidFamily`](crate::Error::InvalidFamily) for a family or start of the wrong shape, [`Error::TooFewPoints`](crate::Error::TooFewPoints) when
/// there are fewer points than free parameters, [`Error::FitFailed`](crate::Error::FitFailed) when no start gives a finite
/// objective.
///
/// ```
/// use emergence_detect::{Curve, FitOptions, Logistic, fit};
/// use std::sync::Arc;
///
/// let x: Vec<f64> = (0..8).map(|i| 10f64.powf(7.0 + 0.6 * i as f64)).collect();
/// let y: Vec<f64> = x
///     .iter()
///     .map(|x| 0.25 + 0.6 / (1.0 + (-4.0 * (x.log10() - 9.5)).exp()))
///     .collect();
/// let curve = Curve::builder(x, y).n_examples(vec![1000.0; 8]).build()?;
/// let f = fit(Arc::new(Logistic), &curve, &FitOptions::default())?;
/// assert!((f.value("t0").unwrap() - 9.5).abs() < 1e-6);
/// assert!(f.termination().converged());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn fit(family: Arc<dyn CurveFamily>, curve: &Curve, options: &FitOptions) -> Result<Fit> {
    let data = FitData::from_curve(curve);
    let absolute = options.absolute_sigma.unwrap_or(curve.noise().is_known());
    fit_data(&family, &data, absolute, curve.axis(), options)
}
