//! Training-log benchmarks: `training_1e6_rows` analyses a log of a million steps (binning,
//! the robust scatter, two sigmoid fits and the verdict); `training_3000_rows` a log the size of
//! the grokking demo's.

use criterion::{Criterion, criterion_group, criterion_main};
use emergence_detect::training::{TrainingLog, analyze_training};
use std::hint::black_box;

/// **Synthetic.** Memorization by step 300, generalization by step 30,000: sigmoids in log step
/// with a deterministic +-0.01 ripple as noise.
fn grokking_log(rows: usize) -> TrainingLog {
    let last = 1e5;
    let steps: Vec<f64> = (1..=rows).map(|i| i as f64 * last / rows as f64).collect();
    let sigmoid = |s: f64, s90: f64, i: usize| {
        let ripple = 0.01 * ((i * 7919 % 13) as f64 / 6.0 - 1.0);
        (0.01 + 0.98 / (1.0 + (-8.0 * (s.log10() - s90.log10() + 0.27)).exp()) + ripple)
            .clamp(0.0, 1.0)
    };
    let train = steps
        .iter()
        .enumerate()
        .map(|(i, &s)| sigmoid(s, 300.0, i))
        .collect();
    let val = steps
        .iter()
        .enumerate()
        .map(|(i, &s)| sigmoid(s, 3e4, i + 5))
        .collect();
    TrainingLog::builder(steps)
        .train(train)
        .validation(val)
        .build()
        .unwrap()
}

fn benches(c: &mut Criterion) {
    let big = grokking_log(1_000_000);
    let small = grokking_log(3000);
    c.bench_function("training_1e6_rows", |b| {
        b.iter(|| analyze_training(black_box(&big)).unwrap())
    });
    c.bench_function("training_3000_rows", |b| {
        b.iter(|| analyze_training(black_box(&small)).unwrap())
    });
}

criterion_group!(training_benches, benches);
criterion_main!(training_benches);
