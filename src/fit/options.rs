//! Options of one fit, and their resolution against a family: which parameters move, their
//! bounds and transforms.

use super::lm::{LmSettings, Problem};
use super::transform::Transform;
use crate::error::{Error, Result};
use crate::family::{Bounds, CurveFamily, FitData};
use crate::linalg::{MAX_PARAMS, Vector};

/// The loss applied to the standardised residuals `r_i / sigma_i`.
///
/// ```
/// use emergence_detect::{fit, Curve, FitOptions, Linear, Loss};
/// use std::sync::Arc;
/// // one wild point: Huber's loss keeps the slope near the other points'
/// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.1, 0.2, 0.3, 0.4, 1.5])
///     .sigma(vec![0.01; 5])
///     .y_max(2.0) // a score on a 0-2 scale (left to infer, one value above 1 is ambiguous)
///     .build()?;
/// let robust = fit(Arc::new(Linear), &c, &FitOptions::default().loss(Loss::Huber { delta: 1.345 }))?;
/// let plain = fit(Arc::new(Linear), &c, &FitOptions::default())?;
/// let slope = |f: &emergence_detect::Fit| f.value("b").unwrap();
/// assert!((slope(&robust) - 0.1).abs() < (slope(&plain) - 0.1).abs());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Loss {
    /// Ordinary weighted least squares.
    #[default]
    LeastSquares,
    /// Huber's loss (quadratic within `delta` standard errors, linear beyond), as in the Chinchilla
    /// fit of Hoffmann et al. 2022, by iteratively reweighted Levenberg-Marquardt.
    Huber {
        /// The threshold in standard errors (1.345 gives 95% efficiency under normal noise).
        delta: f64,
    },
}

/// Options of one fit. The defaults suit the built-in families; see each builder method.
///
/// ```
/// use emergence_detect::{FitOptions, Loss};
/// let opts = FitOptions::default()
///     .fix("floor", 0.25)
///     .loss(Loss::Huber { delta: 1.345 })
///     .max_evaluations(500);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct FitOptions {
    pub(super) ftol: f64,
    pub(super) xtol: f64,
    pub(super) gtol: f64,
    pub(super) max_evaluations: Option<usize>,
    pub(super) loss: Loss,
    pub(super) fixed: Vec<(String, f64)>,
    pub(super) bounds: Vec<(String, Bounds)>,
    pub(super) starts: Vec<Vec<f64>>,
    pub(super) self_starter: bool,
    pub(super) nelder_mead_fallback: bool,
    pub(super) absolute_sigma: Option<bool>,
    pub(super) max_starts: Option<usize>,
    pub(super) chi2_tolerance: f64,
    pub(super) final_step: bool,
    pub(super) plateau_restart: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            ftol: 1e-12,
            xtol: 1e-12,
            gtol: 1e-14,
            max_evaluations: None,
            loss: Loss::LeastSquares,
            fixed: Vec::new(),
            bounds: Vec::new(),
            starts: Vec::new(),
            self_starter: true,
            nelder_mead_fallback: true,
            absolute_sigma: None,
            max_starts: None,
            chi2_tolerance: 0.0,
            final_step: true,
            plateau_restart: true,
        }
    }
}

impl FitOptions {
    /// Pins parameter `name` at `value` (it no longer moves and has no standard error).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().fix("a", 0.0))?;
    /// assert_eq!(f.value("a"), Some(0.0));
    /// assert_eq!(f.std_error("a"), None); // pinned
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn fix(mut self, name: &str, value: f64) -> Self {
        self.fixed.retain(|(n, _)| n != name);
        self.fixed.push((name.to_string(), value));
        self
    }

    /// Replaces the family's default bounds of parameter `name`.
    ///
    /// ```
    /// use emergence_detect::{fit, Bounds, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10], vec![0.4, 0.3, 0.2, 0.1]).sigma(vec![0.01; 4]).build()?;
    /// // the slope may not fall: it stops at its bound
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().bound("b", Bounds::at_least(0.0)))?;
    /// assert!(f.value("b").unwrap() >= 0.0 && f.value("b").unwrap() < 1e-3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn bound(mut self, name: &str, bounds: Bounds) -> Self {
        self.bounds.retain(|(n, _)| n != name);
        self.bounds.push((name.to_string(), bounds));
        self
    }

    /// Adds a starting point (all parameters, pinned ones included: their entries are ignored).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().self_starter(false).start(vec![0.0, 0.1]))?;
    /// assert!(f.termination().converged());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn start(mut self, p: Vec<f64>) -> Self {
        self.starts.push(p);
        self
    }

    /// Whether to use the family's self-starter (default `true`); turn off to fit from your own
    /// starts only.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().self_starter(false).start(vec![1.0, -1.0]))?;
    /// assert_eq!(f.starts_tried(), 1);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn self_starter(mut self, yes: bool) -> Self {
        self.self_starter = yes;
        self
    }

    /// Whether to fall back to Nelder-Mead when no start converges (default `true`). The fallback
    /// runs the simplex from LM's best point, then LM again, and keeps the result only when it is
    /// no worse: it rescues fits that stalled on a ridge, but does not promise a minimum (see
    /// [`Termination::NelderMead`](crate::fit::Termination::NelderMead)).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().nelder_mead_fallback(false))?;
    /// assert_ne!(f.termination(), emergence_detect::fit::Termination::NelderMead);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn nelder_mead_fallback(mut self, yes: bool) -> Self {
        self.nelder_mead_fallback = yes;
        self
    }

    /// Runs LM only from the `n` starts with the lowest initial chi-square (ties keep their order);
    /// default: every start. Trades a little robustness for speed in bulk work.
    ///
    /// ```
    /// use emergence_detect::{datasets, fit, FitOptions, Logistic};
    /// use std::sync::Arc;
    /// let c = datasets::qwen15_mmlu().curve;
    /// let f = fit(Arc::new(Logistic), &c, &FitOptions::default().max_starts(1))?;
    /// assert_eq!(f.starts_tried(), 1);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn max_starts(mut self, n: usize) -> Self {
        self.max_starts = Some(n.max(1));
        self
    }

    /// Whether the fit finishes with undamped steps (default `true`). Near the minimum (once a
    /// damped step promises less than `sqrt(ftol)` of chi-square) it steps on Gauss-Newton's model
    /// plus a secant estimate of the residuals' own curvature (Dennis, Gay and Welsch's update, as
    /// in NL2SOL), which Gauss-Newton leaves out and without which a fit whose residuals do not
    /// vanish gains only a digit or so per step; a step that does not lower chi-square hands back
    /// to damped steps. When even the undamped step would gain less than `ftol` of chi-square it
    /// still takes that step, as MINPACK returns the point after its last step. Off, the fit stops
    /// at the first point that meets the tolerances; the classifier, which ranks fits to a
    /// thousandth of an information-criterion unit, turns it off.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Logistic};
    /// use std::sync::Arc;
    /// let x: Vec<f64> = (0..8).map(|i| 10f64.powf(7.0 + 0.6 * i as f64)).collect();
    /// let y = vec![0.26, 0.25, 0.28, 0.35, 0.52, 0.71, 0.8, 0.82];
    /// let c = Curve::builder(x, y).n_examples(vec![1000.0; 8]).build()?;
    /// let polished = fit(Arc::new(Logistic), &c, &FitOptions::default())?;
    /// let quick = fit(Arc::new(Logistic), &c, &FitOptions::default().final_step(false))?;
    /// assert!(polished.chi_square() <= quick.chi_square());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn final_step(mut self, yes: bool) -> Self {
        self.final_step = yes;
        self
    }

    /// Whether a fit that converges to no better than a constant through the data is run again
    /// from its starts with short first steps, keeping the better end (default `true`). Large
    /// Gauss-Newton first steps can throw a rate parameter onto a plateau where the model is
    /// flat and every test of convergence is met (NIST's BoxBOD from its first start: the
    /// restart recovers the certified values to five digits). The classifier, whose menu fits
    /// flat curves by design, turns it off.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, CurveFamily, FitData, FitOptions};
    /// use std::sync::Arc;
    /// /// y = a (1 - exp(-b x)), on a linear axis
    /// #[derive(Debug)]
    /// struct Saturating;
    /// impl CurveFamily for Saturating {
    ///     fn name(&self) -> &str { "saturating" }
    ///     fn param_names(&self) -> &[&str] { &["a", "b"] }
    ///     fn eval(&self, t: f64, p: &[f64]) -> f64 { p[0] * (1.0 - (-p[1] * t).exp()) }
    /// }
    /// // NIST StRD BoxBOD, first start (1, 1)
    /// let x = vec![1.0, 2.0, 3.0, 5.0, 7.0, 10.0];
    /// let y = vec![109.0, 149.0, 149.0, 191.0, 213.0, 224.0];
    /// let c = Curve::builder(x, y).axis(emergence_detect::Axis::Linear).build()?;
    /// let options = FitOptions::default().start(vec![1.0, 1.0]);
    /// let f = fit(Arc::new(Saturating), &c, &options)?;
    /// assert!((f.value("a").unwrap() - 213.80940889).abs() < 0.01);
    /// let flat = fit(Arc::new(Saturating), &c, &options.plateau_restart(false))?;
    /// assert!(flat.chi_square() > f.chi_square());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn plateau_restart(mut self, yes: bool) -> Self {
        self.plateau_restart = yes;
        self
    }

    /// An absolute tolerance on chi-square (default 0): a step that would lower it by less than
    /// this (and by less than `ftol` relatively) ends the fit. With known standard errors, chi-square
    /// is in absolute units, and a change of 1e-3 moves no information criterion that matters.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().chi2_tolerance(1e-3))?;
    /// assert!(f.termination().converged());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn chi2_tolerance(mut self, tol: f64) -> Self {
        self.chi2_tolerance = if tol.is_finite() { tol.max(0.0) } else { 0.0 };
        self
    }

    /// The loss (default least squares).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().loss(emergence_detect::Loss::Huber { delta: 1.345 }))?;
    /// assert!(f.value("b").unwrap() > 0.0);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn loss(mut self, loss: Loss) -> Self {
        self.loss = loss;
        self
    }

    /// The convergence tolerances: relative chi-square reduction (`ftol`), relative step (`xtol`)
    /// and gradient cosine (`gtol`), as in MINPACK; defaults 1e-12, 1e-12 and 1e-14.
    ///
    /// `ftol` is the test that usually ends a fit: it stops when even the undamped step would gain
    /// less than `ftol` of chi-square, and (with [`FitOptions::final_step`]) takes that step. Since
    /// chi-square is quadratic near its minimum, `ftol` = 1e-12 leaves the parameters within a few
    /// millionths of a standard error of the minimum, usually much closer after the last step. On the 27
    /// NIST StRD nonlinear regression problems, from NIST's first start the defaults reach at least
    /// 4 correct digits on 26 (all but MGH10, which runs out of budget), from the second at least
    /// 6 on 26 (ENSO reaches 5.9), and no fit ends converged far from the minimum; MINPACK
    /// through scipy, with its defaults (`ftol` = `xtol` = 1.5e-8), reaches 23 and 16 (`cargo run
    /// --release -p xtask -- nist`). A well-posed fit of a few parameters takes as many
    /// evaluations as with MINPACK's tolerances: the finishing steps gain several digits each.
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// // MINPACK's (and scipy's curve_fit's) tolerances, for a like-for-like comparison
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().tolerances(1.5e-8, 1.5e-8, 0.0))?;
    /// assert!(f.termination().converged());
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn tolerances(mut self, ftol: f64, xtol: f64, gtol: f64) -> Self {
        self.ftol = ftol;
        self.xtol = xtol;
        self.gtol = gtol;
        self
    }

    /// The budget of objective evaluations per start (default `100 * (free parameters + 1)`).
    ///
    /// ```
    /// use emergence_detect::{datasets, fit, FitOptions, Logistic};
    /// use std::sync::Arc;
    /// let c = datasets::qwen15_mmlu().curve;
    /// let f = fit(Arc::new(Logistic), &c, &FitOptions::default().max_starts(1).max_evaluations(3).nelder_mead_fallback(false))?;
    /// assert!(f.evaluations() <= 3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn max_evaluations(mut self, n: usize) -> Self {
        self.max_evaluations = Some(n);
        self
    }

    /// Whether the standard errors are absolute (default: when the curve's noise is known). When
    /// not, the covariance is scaled by the reduced chi-square. Given standard errors (or test-set
    /// sizes) are taken as absolute; `false` treats them as relative weights only, as scipy's
    /// `curve_fit` does by default, and the reduced chi-square then sets the noise level
    /// (including the scatter within merged duplicates, see
    /// [`DuplicatePolicy::Merge`](crate::DuplicatePolicy::Merge)).
    ///
    /// ```
    /// use emergence_detect::{fit, Curve, FitOptions, Linear};
    /// use std::sync::Arc;
    /// let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10, 1e11], vec![0.11, 0.19, 0.32, 0.38, 0.52])
    ///     .sigma(vec![0.02; 5])
    ///     .build()?;
    /// let f = fit(Arc::new(Linear), &c, &FitOptions::default().absolute_sigma(false))?;
    /// assert!(!f.absolute_sigma()); // covariance scaled by the reduced chi-square
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn absolute_sigma(mut self, yes: bool) -> Self {
        self.absolute_sigma = Some(yes);
        self
    }

    pub(super) fn settings(&self, n_free: usize) -> LmSettings {
        LmSettings {
            ftol: self.ftol,
            chi2_tol: self.chi2_tolerance,
            decrement_floor: false,
            final_step: self.final_step,
            finish_below: self.ftol.sqrt(),
            xtol: self.xtol,
            gtol: self.gtol,
            max_evaluations: self.max_evaluations.unwrap_or(100 * (n_free + 1)).max(2),
            initial_damping: 1e-3,
        }
    }
}

/// A family's free/pinned split, transforms and bounds, resolved against one data set.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub n_params: usize,
    pub free: [usize; MAX_PARAMS],
    pub n_free: usize,
    pub base: Vector,
    pub transforms: [Transform; MAX_PARAMS],
    pub bounds: Vec<Bounds>,
    pub fixed: [bool; MAX_PARAMS],
}

impl Prepared {
    pub(crate) fn new(
        family: &dyn CurveFamily,
        data: &FitData,
        options: &FitOptions,
    ) -> Result<Prepared> {
        let names = family.param_names();
        let n_params = names.len();
        let invalid = |reason: String| Error::InvalidFamily {
            family: family.name().to_string(),
            reason,
        };
        if n_params == 0 || n_params > MAX_PARAMS {
            return Err(invalid(format!(
                "{n_params} parameters; the engine fits 1 to {MAX_PARAMS}"
            )));
        }
        let index_of = |name: &str| {
            names
                .iter()
                .position(|n| *n == name)
                .ok_or_else(|| Error::UnknownParameter {
                    family: family.name().to_string(),
                    name: name.to_string(),
                    known: names.iter().map(|n| n.to_string()).collect(),
                })
        };
        let mut bounds = family.bounds(data);
        if bounds.len() != n_params {
            return Err(invalid(format!(
                "bounds() gave {} entries for {n_params} parameters",
                bounds.len()
            )));
        }
        for (name, b) in &options.bounds {
            bounds[index_of(name)?] = *b;
        }
        if let Some(b) = bounds.iter().find(|b| !b.is_valid()) {
            return Err(invalid(format!(
                "invalid bounds [{}, {}]",
                b.lower, b.upper
            )));
        }
        let mut base = [0.0; MAX_PARAMS];
        let mut fixed = [false; MAX_PARAMS];
        for (name, v) in &options.fixed {
            if !v.is_finite() {
                return Err(Error::InvalidSetting {
                    what: "fixed parameter value",
                    value: *v,
                    reason: "must be finite",
                });
            }
            let j = index_of(name)?;
            fixed[j] = true;
            base[j] = *v;
        }
        let mut free = [0; MAX_PARAMS];
        let mut transforms = [Transform::Identity; MAX_PARAMS];
        let mut n_free = 0;
        for j in 0..n_params {
            if !fixed[j] {
                free[n_free] = j;
                transforms[n_free] = Transform::new(bounds[j]);
                n_free += 1;
            }
        }
        Ok(Prepared {
            n_params,
            free,
            n_free,
            base,
            transforms,
            bounds,
            fixed,
        })
    }

    /// The LM problem on data `(t, y, w)`.
    pub(crate) fn problem<'a>(
        &self,
        family: &'a dyn CurveFamily,
        t: &'a [f64],
        y: &'a [f64],
        w: &'a [f64],
    ) -> Problem<'a> {
        Problem {
            family,
            t,
            y,
            w,
            n_params: self.n_params,
            free: self.free,
            n_free: self.n_free,
            base: self.base,
            transforms: self.transforms,
        }
    }
}
