//! Comparison benchmarks: `compare_pair` compares one baseline/treatment pair of 9 sizes (a flat
//! baseline, an emergent treatment: three classifications, one with a bootstrap interval), with
//! and without the bootstrap; `compare_all` batches of 10, 100 and 1,000 such pairs (on every core
//! with the `rayon` feature), to show how the batch scales.

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use emergence_detect::{CompareOptions, Curve, DefaultClassifier, compare_all, compare_with};
use std::hint::black_box;
use synthetic::synthetic_curve;

/// **Synthetic.** A flat baseline at chance and a treatment that emerges past 10^10, 9 sizes,
/// 1,000 items per point; `i` shifts the jump and a fixed wiggle so that batch items differ.
fn pair(i: usize) -> (Curve, Curve) {
    let x: Vec<f64> = (0..9).map(|j| 10f64.powf(8.0 + 0.5 * j as f64)).collect();
    let wiggle = |j: usize| 0.01 * (((i * 7 + j * 13) % 5) as f64 - 2.0);
    let t0 = 9.5 + 0.1 * (i % 10) as f64;
    let base: Vec<f64> = (0..9).map(|j| 0.26 + wiggle(j)).collect();
    let treat: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(j, x)| 0.26 + 0.5 / (1.0 + (-5.0 * (x.log10() - t0)).exp()) + wiggle(j + 1))
        .collect();
    let build = |y: Vec<f64>| {
        Curve::builder(x.clone(), y)
            .n_examples(vec![1000.0; 9])
            .chance(0.25)
            .build()
            .unwrap()
    };
    (build(base), build(treat))
}

fn benches(c: &mut Criterion) {
    let default = DefaultClassifier::default();
    let no_bootstrap = DefaultClassifier::builder().bootstrap(0).build().unwrap();
    let options = CompareOptions::default();
    let (base, treat) = pair(0);
    c.bench_function("compare_pair", |b| {
        b.iter(|| compare_with(&default, black_box(&base), black_box(&treat), &options).unwrap())
    });
    c.bench_function("compare_pair_no_bootstrap", |b| {
        b.iter(|| {
            compare_with(&no_bootstrap, black_box(&base), black_box(&treat), &options).unwrap()
        })
    });
    // a batch mixes this pair with pairs of the synthetic shapes
    let mut group = c.benchmark_group("compare_all");
    group.sample_size(10);
    for size in [10usize, 100, 1000] {
        let pairs: Vec<(Curve, Curve)> = (0..size)
            .map(|i| {
                if i % 2 == 0 {
                    pair(i)
                } else {
                    (synthetic_curve(i), synthetic_curve(i + 1))
                }
            })
            .collect();
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &pairs, |b, pairs| {
            b.iter(|| compare_all(&default, black_box(pairs), &options))
        });
    }
    group.finish();
}

criterion_group!(compare_benches, benches);
criterion_main!(compare_benches);
