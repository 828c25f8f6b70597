//! Memory of a long batch: classifies 100,000 synthetic curves with `classify_all`, 1,000 at a
//! time, and prints the resident memory as it goes. Memory must stay flat once the input is built:
//! nothing is retained per curve.
//!
//! ```text
//! cargo run --release -p xtask -- batch-memory [N_CURVES]
//! ```
//! (Linux: memory is read from `/proc/self/status`.)

use crate::synthetic::synthetic_curve;
use emergence_detect::{Category, Curve, DefaultClassifier, classify_all};

/// `(current, peak)` resident memory in MiB, when the platform tells.
fn memory_mib() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

pub fn main() {
    let total: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let before = memory_mib();
    let curves: Vec<Curve> = (0..total).map(synthetic_curve).collect();
    let input = memory_mib();
    println!("curves: {total}");
    if let (Some(b), Some(i)) = (before, input) {
        println!(
            "input built: resident {:.1} MiB ({:.1} MiB for the curves)",
            i.0,
            i.0 - b.0
        );
    }
    let classifier = DefaultClassifier::default();
    let mut counts = [0usize; 7];
    let start = std::time::Instant::now();
    for (k, chunk) in curves.chunks(1000).enumerate() {
        for r in classify_all(&classifier, chunk) {
            let c = r.map(|c| c.category).unwrap_or(Category::Inconclusive);
            counts[Category::ALL.iter().position(|x| *x == c).unwrap_or(6)] += 1;
        }
        if (k + 1) % 10 == 0
            && let Some((rss, peak)) = memory_mib()
        {
            println!(
                "{:>7} classified: resident {rss:.1} MiB, peak {peak:.1} MiB",
                (k + 1) * 1000
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "done in {secs:.1} s ({:.0} curves/s); categories: {:?}",
        total as f64 / secs,
        Category::ALL.iter().zip(counts).collect::<Vec<_>>()
    );
    if let Some((rss, peak)) = memory_mib() {
        println!("final: resident {rss:.1} MiB, peak {peak:.1} MiB");
    }
}
