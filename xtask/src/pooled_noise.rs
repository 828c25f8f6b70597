//! Calibrates the noise of published curves per model family, and classifies again.
//!
//! ```text
//! cargo run --release -p xtask -- pooled-noise CURVES.csv
//! ```
//!
//! Binomial errors of a test set miss the scatter between separately trained models of a ladder.
//! One short curve cannot measure that scatter, but the curves of one model family (the CSV's
//! `family` column) can together: the tool classifies every curve with its stated noise,
//! estimates each family's pooled overdispersion (`pooled_overdispersion`), classifies the
//! family's curves again with their variances inflated by it (`Curve::with_overdispersion`, when
//! the estimate exceeds 1), and prints per family the estimate, how many curves changed category,
//! and how many best fits the goodness-of-fit test rejects at 1% before and after.

use emergence_detect::io::read_curves;
use emergence_detect::{Category, Classification, Curve, classify, pooled_overdispersion};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::collections::BTreeMap;

pub fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Whether the best fit's goodness of fit is rejected at 1%.
fn misfits(c: &Classification) -> bool {
    c.fits.first().is_some_and(|best| {
        let f = &best.fit;
        f.absolute_sigma()
            && f.dof() > 0
            && ChiSquared::new(f.dof() as f64).is_ok_and(|d| d.sf(f.chi_square()) < 0.01)
    })
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(2)
        .ok_or("usage: pooled_noise CURVES.csv")?;
    let mut families: BTreeMap<String, Vec<Curve>> = BTreeMap::new();
    for record in read_curves(&path)? {
        let Ok(curve) = record.curve else { continue };
        let family = curve
            .labels()
            .model_family
            .clone()
            .unwrap_or_else(|| "(no family)".to_string());
        families.entry(family).or_default().push(curve);
    }
    println!(
        "{:<48} {:>6} {:>9} {:>8} {:>12} {:>12} {:>10}",
        "family", "curves", "pooled c", "changed", "misfit: was", "misfit: now", "flat: now"
    );
    let (mut total, mut changed_total, mut misfit_before, mut misfit_after) = (0, 0, 0, 0);
    let mut moves: BTreeMap<(Category, Category), usize> = BTreeMap::new();
    for (family, curves) in &families {
        let first: Vec<Classification> = curves.iter().map(classify).collect::<Result<_, _>>()?;
        let c = pooled_overdispersion(&first);
        let second: Vec<Classification> = match c {
            Some(c) if c > 1.0 => curves
                .iter()
                .map(|curve| match curve.with_overdispersion(c.min(1e12)) {
                    Ok(wider) => classify(&wider),
                    // unknown noise has nothing to inflate: the first pass stands
                    Err(_) => classify(curve),
                })
                .collect::<Result<_, _>>()?,
            _ => first.clone(),
        };
        let changed = first
            .iter()
            .zip(&second)
            .filter(|(a, b)| a.category != b.category)
            .count();
        for (a, b) in first.iter().zip(&second) {
            if a.category != b.category {
                *moves.entry((a.category, b.category)).or_default() += 1;
            }
        }
        let before = first.iter().filter(|r| misfits(r)).count();
        let after = second.iter().filter(|r| misfits(r)).count();
        let flat = second
            .iter()
            .filter(|r| r.category == Category::Flat)
            .count();
        println!(
            "{:<48} {:>6} {:>9} {:>8} {:>12} {:>12} {:>10}",
            family,
            curves.len(),
            c.map_or("-".to_string(), |c| format!("{c:.2}")),
            changed,
            before,
            after,
            flat
        );
        total += curves.len();
        changed_total += changed;
        misfit_before += before;
        misfit_after += after;
    }
    println!(
        "all: {total} curves, {changed_total} changed category; best fits rejected at 1%: {misfit_before} -> {misfit_after}"
    );
    for ((from, to), k) in moves {
        println!("  {from} -> {to}: {k}");
    }
    Ok(())
}
