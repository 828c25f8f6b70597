//! `difficulty [CURVES.csv]`: the difficulty decomposition (Wu & Lo 2025) on the group curves of
//! `../shared/data/difficulty/curves.csv` (or the file given): per task, the category of every
//! group (easiest to hardest), the overall curve's category and the decomposition's verdict.
//! Scale: training compute (`x_flops`); models at the same compute are kept as replicates.

use emergence_detect::DefaultClassifier;
use emergence_detect::difficulty::{difficulty_decomposition, difficulty_decomposition_with};
use emergence_detect::io::{CurveReadOptions, read_curves_with_options};
use emergence_detect::{Curve, DuplicatePolicy};
use std::collections::BTreeMap;

pub fn main() {
    let path = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "../shared/data/difficulty/curves.csv".to_string());
    let options = CurveReadOptions {
        duplicates: DuplicatePolicy::Keep,
        x_column: Some("x_flops".into()),
    };
    let records = read_curves_with_options(&path, &options).expect("the file reads");
    // task -> (rank -> group curve, overall)
    let mut tasks: BTreeMap<String, (BTreeMap<usize, Curve>, Option<Curve>)> = BTreeMap::new();
    for r in records {
        let curve = r.curve.expect("every curve is valid");
        let task = curve.labels().task.clone().unwrap_or_default();
        let entry = tasks.entry(task).or_default();
        match r
            .id
            .split("__")
            .find_map(|p| p.strip_prefix('d').and_then(|n| n.parse::<usize>().ok()))
        {
            Some(rank) => {
                entry.0.insert(rank, curve);
            }
            None => entry.1 = Some(curve),
        }
    }
    for (task, (groups, overall)) in tasks {
        let Some(overall) = overall else { continue };
        let groups: Vec<Curve> = groups.into_values().collect();
        let started = std::time::Instant::now();
        let d = difficulty_decomposition(&groups, &overall).expect("the task decomposes");
        let elapsed = started.elapsed();
        println!("## {task} ({:.1} ms)", elapsed.as_secs_f64() * 1e3);
        println!(
            "overall: {} ({:.2}){}",
            d.overall.category,
            d.overall.confidence,
            d.overall.critical_scale.map_or(String::new(), |c| format!(
                ", critical {:.2e} [{:.2e}, {:.2e}]",
                c.value, c.lower, c.upper
            ))
        );
        for g in &d.groups {
            println!(
                "  group {:>2}: {:<13} {:.2}  flat-phase trend {}{}",
                g.rank,
                g.classification.category.as_str(),
                g.classification.confidence,
                g.flat_phase_trend
                    .map_or("-".to_string(), |t| format!("{t:+.4}/decade")),
                g.flat_phase_trend_se
                    .map_or(String::new(), |s| format!(" (se {s:.4})")),
            );
        }
        println!("verdict: {d}");
        // the paper's emergence thresholds (log10 FLOPs / 1e21 in `utils.basic_parameter`; only
        // MMLU and arithmetic are marked as emergent there)
        let threshold = match task.as_str() {
            "mmlu" => Some(10f64.powf(1.5) * 1e21),
            "arithmetic" => Some(10f64.powf(1.8) * 1e21),
            _ => None,
        };
        if let Some(t) = threshold {
            let at = difficulty_decomposition_with(
                &DefaultClassifier::default(),
                &groups,
                &overall,
                Some(t),
            )
            .expect("the task decomposes");
            println!("at the paper's threshold {t:.2e}: {at}");
        }
        println!();
    }
}
