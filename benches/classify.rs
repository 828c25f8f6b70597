//! Classification benchmarks: `classify_10pt` classifies the 10-point fixture
//! (`tests/data/fixture_10pt.csv`) with the default classifier (bootstrap intervals included), and
//! `classify_10pt_no_bootstrap` without the intervals; `classify_all_200` a batch of 200 synthetic
//! curves (`tests/common/synthetic.rs`) (sequential, or on every core with the `rayon` feature).

mod common;
#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use common::fixture;
use criterion::{Criterion, criterion_group, criterion_main};
use emergence_detect::{Classifier, Curve, DefaultClassifier, classify_all};
use std::hint::black_box;
use synthetic::synthetic_curve;

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
    let curves: Vec<Curve> = (0..200).map(synthetic_curve).collect();
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
