//! Fitting benchmarks on the 10-point fixture (`tests/data/fixture_10pt.csv`, the peers' timing
//! fixture): the 4-parameter logistic from one start, as scipy's `curve_fit` timing does, and every
//! built-in family with its full self-starter.

mod common;

use common::{fixture, peers_one_start};
use criterion::{Criterion, criterion_group, criterion_main};
use emergence_detect::{
    BrokenPowerLaw, Constant, CurveFamily, DoubleLogistic, FitOptions, Hinge, Linear, Logistic,
    Quadratic, SaturatingPowerLaw, fit,
};
use std::hint::black_box;
use std::sync::Arc;

fn benches(c: &mut Criterion) {
    let curve = fixture();
    let one_start = peers_one_start(&curve);
    let logistic: Arc<dyn CurveFamily> = Arc::new(Logistic);
    c.bench_function("logistic4_fixture10", |b| {
        b.iter(|| fit(black_box(logistic.clone()), black_box(&curve), &one_start).unwrap())
    });

    let families: Vec<Arc<dyn CurveFamily>> = vec![
        Arc::new(Constant),
        Arc::new(Linear),
        Arc::new(Quadratic),
        Arc::new(Logistic),
        Arc::new(SaturatingPowerLaw::default()),
        Arc::new(BrokenPowerLaw::default()),
        Arc::new(Hinge::default()),
        Arc::new(DoubleLogistic),
    ];
    let mut group = c.benchmark_group("family_fixture10_all_starts");
    let defaults = FitOptions::default();
    for family in families {
        group.bench_function(family.name().to_string(), |b| {
            b.iter(|| fit(black_box(family.clone()), black_box(&curve), &defaults).unwrap())
        });
    }
    group.finish();
}

criterion_group!(fit_benches, benches);
criterion_main!(fit_benches);
