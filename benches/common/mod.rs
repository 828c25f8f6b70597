//! The 10-point fixture shared by the benches and `examples/profile_workload.rs`
//! (`tests/data/fixture_10pt.csv`, the peers' timing fixture), embedded at compile time.

// each target that includes this module uses part of it
#![allow(dead_code)]

use emergence_detect::{Curve, FitOptions};

/// The fixture as a curve with binomial noise and chance 0.25.
pub fn fixture() -> Curve {
    let text = include_str!("../../tests/data/fixture_10pt.csv");
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

/// The peers' single-fit start for the 4-parameter logistic: `[min y, max y, 5 per decade, mean t]`,
/// with the self-starter off (as scipy's `curve_fit` timing does).
pub fn peers_one_start(curve: &Curve) -> FitOptions {
    let mean_t = curve.t().iter().sum::<f64>() / curve.len() as f64;
    let lo = curve.y().iter().copied().fold(f64::INFINITY, f64::min);
    let hi = curve.y().iter().copied().fold(f64::NEG_INFINITY, f64::max);
    FitOptions::default()
        .self_starter(false)
        .start(vec![lo, hi, 5.0, mean_t])
}
