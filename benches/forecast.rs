//! Forecast benchmarks: `forecast_7pt` forecasts a 7-point curve at one larger scale (its
//! classification, bootstrap interval included, and the model average); `forecast_7pt_threshold`
//! also finds where it crosses a threshold (2,001 evaluations of the average).

use criterion::{Criterion, criterion_group, criterion_main};
use emergence_detect::{Curve, DefaultClassifier, ForecastOptions, forecast_with};
use std::hint::black_box;

/// **Synthetic.** A steady rise of 0.1 per decade from 1e8 to 1e11, 2,000 items per point.
fn steady() -> Curve {
    let x: Vec<f64> = (0..7).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, x)| 0.3 + 0.1 * (x.log10() - 8.0) + 0.004 * ((i * 7 % 5) as f64 - 2.0))
        .collect();
    Curve::builder(x, y)
        .n_examples(vec![2000.0; 7])
        .chance(0.25)
        .build()
        .unwrap()
}

fn benches(c: &mut Criterion) {
    let curve = steady();
    let classifier = DefaultClassifier::default();
    let plain = ForecastOptions::default();
    let threshold = ForecastOptions::default().threshold(0.75);
    c.bench_function("forecast_7pt", |b| {
        b.iter(|| forecast_with(&classifier, black_box(&curve), &[1e12], &plain).unwrap())
    });
    c.bench_function("forecast_7pt_threshold", |b| {
        b.iter(|| forecast_with(&classifier, black_box(&curve), &[1e12], &threshold).unwrap())
    });
}

criterion_group!(forecast_benches, benches);
criterion_main!(forecast_benches);
