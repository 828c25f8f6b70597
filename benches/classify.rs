//! Classification benchmarks: `classify_10pt` classifies the 10-point fixture
//! (`tests/data/fixture_10pt.csv`) with the default classifier (bootstrap intervals included), and
//! `classify_10pt_no_bootstrap` without the intervals; `classify_all_200` a batch of 200 synthetic
//! curves (sequential, or on every core with the `rayon` feature).

use criterion::{Criterion, criterion_group, criterion_main};
use emergence_detect::{Classifier, Curve, DefaultClassifier, classify_all};
use std::hint::black_box;

fn fixture() -> Curve {
    let text = include_str!("../tests/data/fixture_10pt.csv");
    let (mut x, mut y, mut n) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[5].parse().unwrap());
        y.push(f[6].parse().unwrap());
        n.push(f[8].parse().unwrap());
    }
    Curve::builder(x, y)
        .n_examples(n)
        .chance(0.25)
        .build()
        .unwrap()
}

/// 200 deterministic curves of five shapes, 4-12 points.
fn batch() -> Vec<Curve> {
    (0..200)
        .map(|i| {
            let n = 4 + i % 9;
            let x: Vec<f64> = (0..n)
                .map(|j| 10f64.powf(7.0 + 5.0 * j as f64 / (n - 1) as f64))
                .collect();
            let y: Vec<f64> = x
                .iter()
                .enumerate()
                .map(|(j, x)| {
                    let t = x.log10();
                    let wiggle = 0.01 * ((i * 7 + j * 13) % 5) as f64 - 0.02;
                    let v = match i % 5 {
                        0 => 0.3 + 0.08 * (t - 7.0),
                        1 => 0.25 + 0.6 / (1.0 + (-6.0 * (t - 9.5)).exp()),
                        2 => 0.3 + 0.04 * (t - 9.5).powi(2),
                        3 => 0.8 - 0.08 * (t - 7.0),
                        _ => 0.26,
                    };
                    (v + wiggle).clamp(0.0, 1.0)
                })
                .collect();
            Curve::builder(x, y)
                .n_examples(vec![500.0; n])
                .chance(0.25)
                .build()
                .unwrap()
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let curve = fixture();
    let default = DefaultClassifier::default();
    let no_bootstrap = DefaultClassifier::builder().bootstrap(0).build().unwrap();
    c.bench_function("classify_10pt", |b| {
        b.iter(|| default.classify(black_box(&curve)).unwrap())
    });
    c.bench_function("classify_10pt_no_bootstrap", |b| {
        b.iter(|| no_bootstrap.classify(black_box(&curve)).unwrap())
    });
    let curves = batch();
    let mut group = c.benchmark_group("classify_all_200");
    group.sample_size(20);
    group.bench_function("default", |b| {
        b.iter(|| classify_all(&default, black_box(&curves)))
    });
    group.bench_function("no_bootstrap", |b| {
        b.iter(|| classify_all(&no_bootstrap, black_box(&curves)))
    });
    group.finish();
}

criterion_group!(classify_benches, benches);
criterion_main!(classify_benches);
