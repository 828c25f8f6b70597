//! The human-readable fit report (`Display` for [`Fit`]), in the spirit of lmfit's `fit_report`.

use super::result::Fit;
use std::fmt;

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "[[Fit: {}]]", self.family_name())?;
        writeln!(f, "    termination        = {}", self.termination())?;
        writeln!(f, "    function evals     = {}", self.evaluations())?;
        writeln!(f, "    data points        = {}", self.n_points())?;
        writeln!(f, "    variables          = {}", self.n_free())?;
        writeln!(f, "    chi-square         = {:.6}", self.chi_square())?;
        match self.reduced_chi_square() {
            Some(r) => writeln!(f, "    reduced chi-square = {r:.6}")?,
            None => writeln!(f, "    reduced chi-square = n/a (no degree of freedom)")?,
        }
        writeln!(f, "    log-likelihood     = {:.4}", self.log_likelihood())?;
        writeln!(f, "    Akaike info crit   = {:.4}", self.aic())?;
        writeln!(f, "    AICc               = {:.4}", self.aicc())?;
        writeln!(f, "    Bayesian info crit = {:.4}", self.bic())?;
        match self.r_squared() {
            Some(r) => writeln!(f, "    R-squared          = {r:.6}")?,
            None => writeln!(f, "    R-squared          = n/a (constant y)")?,
        }
        writeln!(
            f,
            "    starts             = {}/{} reached the best optimum",
            self.starts_at_best(),
            self.starts_tried()
        )?;
        writeln!(
            f,
            "    standard errors    = {}",
            if self.absolute_sigma() {
                "absolute (known noise)"
            } else {
                "scaled by reduced chi-square"
            }
        )?;
        writeln!(f, "[[Variables]]")?;
        let width = self.names().iter().map(|n| n.len()).max().unwrap_or(0);
        for (j, name) in self.names().iter().enumerate() {
            let v = self.params()[j];
            if self.fixed()[j] {
                writeln!(f, "    {name:>width$}: {v:>12.6} (fixed)")?;
            } else {
                match self.std_errors()[j] {
                    Some(se) if v != 0.0 => writeln!(
                        f,
                        "    {name:>width$}: {v:>12.6} +/- {se:.6} ({:.2}%)",
                        100.0 * (se / v).abs()
                    )?,
                    Some(se) => writeln!(f, "    {name:>width$}: {v:>12.6} +/- {se:.6}")?,
                    None => writeln!(f, "    {name:>width$}: {v:>12.6} +/- n/a (not identified)")?,
                }
            }
        }
        if let Some(corr) = self.correlation() {
            let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
            for i in 0..corr.nrows() {
                for j in (i + 1)..corr.ncols() {
                    if corr[[i, j]].abs() >= 0.1 {
                        pairs.push((corr[[i, j]], i, j));
                    }
                }
            }
            if !pairs.is_empty() {
                pairs.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
                writeln!(f, "[[Correlations]] (unreported correlations are < 0.100)")?;
                for (c, i, j) in pairs {
                    writeln!(
                        f,
                        "    C({}, {}) = {c:+.4}",
                        self.names()[i],
                        self.names()[j]
                    )?;
                }
            }
        }
        Ok(())
    }
}
