//! A fixed workload for instruction-level profilers (callgrind), whose counts are exact and
//! repeatable where wall-clock timings on a shared machine are not. BENCHMARKS.md quotes them.
//!
//! ```bash
//! cargo build --release -p xtask
//! # one 4-parameter logistic fit of the 10-point fixture, 20,000 times, from the peers' start
//! valgrind --tool=callgrind target/release/xtask profile-workload fit 20000
//! # classify every curve of a CSV once (default classifier; `--bootstrap 0` for no intervals)
//! valgrind --tool=callgrind target/release/xtask profile-workload classify \
//!     ../shared/data/synthetic/curves.csv --bootstrap 0
//! # instructions of the classification alone (CSV reading excluded)
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep 'Classifier>::classify'
//! ```
//!
//! Prints a checksum of the results so that the work cannot be optimised away and two builds can
//! be compared for equal output.

use crate::common::{fixture, peers_one_start};
use emergence_detect::{CurveFamily, Logistic, fit};
use std::sync::Arc;

fn fits(times: usize) {
    let curve = fixture();
    let one_start = peers_one_start(&curve);
    let logistic: Arc<dyn CurveFamily> = Arc::new(Logistic);
    let mut checksum = 0.0;
    let mut evaluations = 0;
    for _ in 0..times {
        let f = fit(logistic.clone(), &curve, &one_start).expect("the fixture fits");
        checksum += f.chi_square();
        evaluations = f.evaluations();
    }
    println!("{times} fits, {evaluations} evaluations each, checksum {checksum:.6e}");
}

fn classify_file(path: &str, bootstrap: usize) {
    use emergence_detect::{Classifier, DefaultClassifier};
    let records = emergence_detect::io::read_curves(path).expect("a readable curves CSV");
    let classifier = DefaultClassifier::builder()
        .bootstrap(bootstrap)
        .build()
        .expect("a valid classifier");
    let mut counts = std::collections::BTreeMap::new();
    let mut checksum = 0.0;
    for record in records {
        let Ok(curve) = record.curve else { continue };
        let c = classifier
            .classify(&curve)
            .expect("the default classifier is valid");
        *counts.entry(c.category.to_string()).or_insert(0usize) += 1;
        checksum += c.confidence;
    }
    println!("categories {counts:?}, checksum {checksum:.6e}");
}

pub fn main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    match args.first().map(String::as_str) {
        Some("fit") => fits(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(20_000)),
        Some("classify") if args.len() >= 2 => {
            let bootstrap = args
                .iter()
                .position(|a| a == "--bootstrap")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(100);
            classify_file(&args[1], bootstrap)
        }
        _ => {
            eprintln!("usage: profile_workload fit [TIMES] | classify CURVES.csv [--bootstrap B]");
            std::process::exit(2);
        }
    }
}
