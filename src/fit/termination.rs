//! How a fit ended: [`Termination`].

/// Why the optimiser stopped.
///
/// ```
/// use emergence_detect::{fit, Curve, FitOptions, Linear};
/// use std::sync::Arc;
/// let c = Curve::new(vec![1e7, 1e8, 1e9, 1e10], vec![0.1, 0.2, 0.3, 0.4])?;
/// let f = fit(Arc::new(Linear), &c, &FitOptions::default())?;
/// assert!(f.termination().converged());
/// println!("{}", f.termination()); // e.g. "converged: exact fit (zero residuals)"
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Termination {
    /// Both the actual and the predicted relative reduction of chi-square fell below `ftol`.
    Ftol,
    /// The relative step fell below `xtol`.
    Xtol,
    /// The gradient became orthogonal to the residuals (within `gtol`).
    Gtol,
    /// The residuals are exactly zero.
    ExactFit,
    /// The evaluation budget ran out; the best point so far is returned.
    BudgetExhausted,
    /// The damping grew without bound: no step reduces chi-square any more, though no tolerance
    /// was met.
    Stalled,
    /// The objective was not finite at any point tried.
    NonFinite,
    /// Found by the derivative-free Nelder-Mead fallback, then polished by LM; the simplex or the
    /// polish met its tolerance. The fallback promises a point no worse than LM's own best, not a
    /// minimum: on a plateau it can stop as early as LM did.
    NelderMead,
}

impl Termination {
    /// Whether the optimiser reached a stationary point (a tolerance was met).
    ///
    /// ```
    /// use emergence_detect::fit::Termination;
    /// assert!(Termination::Ftol.converged());
    /// assert!(!Termination::BudgetExhausted.converged());
    /// ```
    pub fn converged(self) -> bool {
        matches!(
            self,
            Termination::Ftol
                | Termination::Xtol
                | Termination::Gtol
                | Termination::ExactFit
                | Termination::NelderMead
        )
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Termination::Ftol => "converged: relative reduction of chi-square below ftol",
            Termination::Xtol => "converged: relative step below xtol",
            Termination::Gtol => "converged: gradient orthogonal to residuals (gtol)",
            Termination::ExactFit => "converged: exact fit (zero residuals)",
            Termination::BudgetExhausted => {
                "stopped: evaluation budget exhausted (raise FitOptions::max_evaluations, or go on \
                 from the returned parameters with FitOptions::start)"
            }
            Termination::Stalled => "stopped: no step reduces chi-square (stalled)",
            Termination::NonFinite => "failed: objective not finite",
            Termination::NelderMead => "converged: Nelder-Mead fallback, then LM polish",
        })
    }
}
