//! The human-readable report of a classification (`Display`).

use super::{Classification, Estimate, IntervalMethod};
use std::fmt;

/// `1.3e9 (95% CI 8.1e8 - 2.4e9, bootstrap of 98)`.
fn estimate(e: &Estimate) -> String {
    match e.method {
        IntervalMethod::Bootstrap { resamples } => format!(
            "{:.3e} ({:.0}% CI {:.3e} - {:.3e}, bootstrap of {resamples})",
            e.value,
            100.0 * e.level,
            e.lower,
            e.upper
        ),
        IntervalMethod::Bracket => format!(
            "{:.3e} (between the measured scales {:.3e} and {:.3e})",
            e.value, e.lower, e.upper
        ),
        IntervalMethod::None => format!("{:.3e} (no interval)", e.value),
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "category: {} (confidence {:.2})",
            self.category, self.confidence
        )?;
        match self.secondary {
            Some(also) => writeln!(f, "; also {also}")?,
            None => writeln!(f)?,
        }
        writeln!(f, "reason:   {}", self.reason)?;
        if self.evidence != super::Evidence::Statistical {
            writeln!(f, "evidence: {}", self.evidence.as_str())?;
        }
        if let Some(c) = &self.critical_scale {
            writeln!(f, "critical scale: {}", estimate(c))?;
        }
        if let Some(t) = &self.turn {
            let what = match t.kind {
                super::TurnKind::Minimum => "minimum",
                super::TurnKind::Maximum => "maximum",
            };
            writeln!(
                f,
                "{what} at: {} (depth {:.3})",
                estimate(&t.location),
                t.depth
            )?;
        }
        if !self.fits.is_empty() {
            writeln!(f, "fits, ranked by {}:", self.criterion.as_str())?;
            let width = self.fits.iter().map(|r| r.label.len()).max().unwrap_or(0);
            for r in &self.fits {
                writeln!(
                    f,
                    "  {:<width$}  {} {:>10.3}  weight {:.3}  -> {}",
                    r.label,
                    self.criterion.as_str(),
                    r.criterion,
                    r.weight,
                    r.implies
                )?;
            }
        }
        for t in &self.nested_tests {
            writeln!(
                f,
                "  {} vs {}: statistic {:.3}, p = {:.3e}",
                t.simpler, t.richer, t.statistic, t.p_value
            )?;
        }
        let b = self
            .breakthroughness
            .map_or("infinite".to_string(), |b| format!("{b:.2}"));
        let r2 = self
            .linear_r_squared
            .map_or("n/a".to_string(), |r| format!("{r:.3}"));
        write!(f, "breakthroughness: {b}; linear R^2: {r2}")?;
        if self.overdispersion > 1.0 {
            write!(
                f,
                "; scatter {:.2}x the stated noise variance",
                self.overdispersion
            )?;
        }
        writeln!(f)
    }
}
