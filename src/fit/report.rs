//! How a [`Fit`] is shown: the human-readable report (`Display`, in the spirit of lmfit's
//! `fit_report`), a `Debug` without internal padding, and its serde form.

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

/// The parameters by name with their standard errors (pinned ones marked), the fit statistics and
/// how it ended; no internal padding.
impl std::fmt::Debug for Fit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Parameters<'a>(&'a Fit);
        impl std::fmt::Debug for Parameters<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let fit = self.0;
                let mut map = f.debug_map();
                for (j, name) in fit.names().iter().enumerate() {
                    let value = fit.params()[j];
                    match (fit.fixed()[j], fit.std_errors()[j]) {
                        (true, _) => map.entry(name, &format_args!("{value} (pinned)")),
                        (false, Some(se)) => map.entry(name, &format_args!("{value} +/- {se}")),
                        (false, None) => map.entry(name, &value),
                    };
                }
                map.finish()
            }
        }
        f.debug_struct("Fit")
            .field("family", &self.family.name())
            .field("parameters", &Parameters(self))
            .field("n_points", &self.n_points)
            .field("n_free", &self.n_free)
            .field("chi_square", &self.chi_square)
            .field("aic", &self.aic)
            .field("aicc", &self.aicc)
            .field("bic", &self.bic)
            .field("r_squared", &self.r_squared)
            .field("termination", &self.termination)
            .field("evaluations", &self.evaluations)
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Fit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Fit", 16)?;
        st.serialize_field("family", self.family.name())?;
        st.serialize_field("names", self.names())?;
        st.serialize_field("params", self.params())?;
        st.serialize_field("fixed", self.fixed())?;
        st.serialize_field("std_errors", self.std_errors())?;
        st.serialize_field("n_points", &self.n_points)?;
        st.serialize_field("n_free", &self.n_free)?;
        st.serialize_field("chi_square", &self.chi_square)?;
        st.serialize_field("log_likelihood", &self.log_likelihood)?;
        st.serialize_field("aic", &finite_or_null(self.aic))?;
        st.serialize_field("aicc", &finite_or_null(self.aicc))?;
        st.serialize_field("bic", &finite_or_null(self.bic))?;
        st.serialize_field("r_squared", &self.r_squared)?;
        st.serialize_field("evaluations", &self.evaluations)?;
        st.serialize_field("termination", &self.termination)?;
        st.serialize_field("starts_at_best", &self.starts_at_best)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
fn finite_or_null(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}
