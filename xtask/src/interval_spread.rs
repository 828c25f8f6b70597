//! How much the bootstrap intervals of the critical scales and turns move with the seed.
//!
//! ```text
//! cargo run --release -p xtask -- interval-spread CURVES.csv [SEEDS]
//! ```
//!
//! Classifies every curve under seeds 1 to SEEDS (default 5) and prints, over the estimates
//! (critical scales and turns) of the first seed: how many have no interval under it, how many
//! have one under some seeds only, how many have a bound that moves by more than 0.3 decades
//! between seeds, and the median and 90th percentile of that movement.

use emergence_detect::io::read_curves;
use emergence_detect::{Classifier, DefaultClassifier, Estimate, IntervalMethod};

pub fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(2);
    let path = args
        .next()
        .ok_or("usage: interval-spread CURVES.csv [SEEDS]")?;
    let seeds: u64 = args.next().map_or(Ok(5), |s| s.parse())?;
    let curves: Vec<_> = read_curves(&path)?
        .into_iter()
        .filter_map(|r| r.curve.ok())
        .collect();
    let classifiers = (1..=seeds)
        .map(|seed| DefaultClassifier::builder().seed(seed).build())
        .collect::<Result<Vec<_>, _>>()?;
    // per estimate, its interval under each seed (None: no interval)
    let mut per_estimate: Vec<Vec<Option<(f64, f64)>>> = Vec::new();
    for curve in &curves {
        let runs: Vec<Vec<Option<Estimate>>> = classifiers
            .iter()
            .map(|c| {
                c.classify(curve).map_or(vec![], |r| {
                    vec![r.critical_scale, r.turn.map(|t| t.location)]
                })
            })
            .collect();
        let Some(first) = runs.first() else { continue };
        for (k, estimate) in first.iter().enumerate() {
            if estimate.is_none() {
                continue;
            }
            per_estimate.push(
                runs.iter()
                    .map(|run| {
                        run.get(k).copied().flatten().and_then(|e| {
                            (!matches!(e.method, IntervalMethod::None))
                                .then(|| (e.lower.log10(), e.upper.log10()))
                        })
                    })
                    .collect(),
            );
        }
    }
    let none_first = per_estimate.iter().filter(|s| s[0].is_none()).count();
    let some_only = per_estimate
        .iter()
        .filter(|s| s.iter().any(Option::is_none) && s.iter().any(Option::is_some))
        .count();
    let mut spreads: Vec<f64> = per_estimate
        .iter()
        .filter_map(|s| {
            let bounds: Vec<(f64, f64)> = s.iter().flatten().copied().collect();
            let range = |v: Vec<f64>| {
                v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - v.iter().copied().fold(f64::INFINITY, f64::min)
            };
            (!bounds.is_empty()).then(|| {
                range(bounds.iter().map(|b| b.0).collect())
                    .max(range(bounds.iter().map(|b| b.1).collect()))
            })
        })
        .collect();
    spreads.sort_by(f64::total_cmp);
    let at = |q: f64| {
        spreads.get(((spreads.len() as f64 * q) as usize).min(spreads.len().saturating_sub(1)))
    };
    println!(
        "{} estimates (critical scales and turns), {seeds} seeds",
        per_estimate.len()
    );
    println!("  without an interval under seed 1:        {none_first}");
    println!("  with an interval under some seeds only:  {some_only}");
    println!(
        "  a bound moving by more than 0.3 decades: {}",
        spreads.iter().filter(|s| **s > 0.3).count()
    );
    println!(
        "  movement of the bounds, median / 90th percentile (decades): {:.3} / {:.3}",
        at(0.5).copied().unwrap_or(f64::NAN),
        at(0.9).copied().unwrap_or(f64::NAN)
    );
    Ok(())
}
