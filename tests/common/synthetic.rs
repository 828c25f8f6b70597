//! Deterministic synthetic curves of known shape for the tests, the benches and the development
//! tools (not measurements, and not part of the crate's API). Included by path where needed.

#![allow(dead_code)]

use emergence_detect::{Category, Curve, CurveLabels};

/// **Synthetic.** A deterministic curve for benches, batch tests and demos: shape `i % 5` (scaling,
/// emergent, U-shaped, inverse, flat), `4 + i % 9` log-spaced sizes from 1e7 to 1e12, a fixed
/// wiggle of at most 0.02, 500 examples per point, chance 0.25. Not measurements.
pub fn synthetic_curve(i: usize) -> Curve {
    let n = 4 + i % 9;
    let x: Vec<f64> = (0..n)
        .map(|j| 10f64.powf(7.0 + 5.0 * j as f64 / (n - 1) as f64))
        .collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(j, x)| {
            let t = x.log10();
            let v = match i % 5 {
                0 => 0.3 + 0.08 * (t - 7.0),
                1 => 0.25 + 0.6 / (1.0 + (-6.0 * (t - 9.5)).exp()),
                2 => 0.3 + 0.04 * (t - 9.5).powi(2),
                3 => 0.8 - 0.08 * (t - 7.0),
                _ => 0.26,
            };
            (v + 0.01 * (((i * 7 + j * 13) % 5) as f64 - 2.0)).clamp(0.0, 1.0)
        })
        .collect();
    let mut labels = CurveLabels::default();
    labels.id = Some(format!("synthetic{i}"));
    Curve::builder(x, y)
        .n_examples(vec![500.0; n])
        .chance(0.25)
        .labels(labels)
        .build()
        .expect("valid by construction")
}

/// The shape [`synthetic_curve`]`(i)` was generated from.
pub fn synthetic_shape(i: usize) -> Category {
    [
        Category::Scaling,
        Category::Emergent,
        Category::UShaped,
        Category::InverseScaling,
        Category::Flat,
    ][i % 5]
}
