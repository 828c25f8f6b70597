//! `acceleration [CURVES_PER_KIND] [SEED]`: the acceleration test (log(-log p) against log x) on
//! pass-rate curves with known truth: scaling laws `-log p = a x^-b` (linear there) and curves
//! that accelerate faster than any law (`-log p = a x^-b exp(-c (log10 x - 8)^2)`, concave),
//! 6-10 log-spaced sizes between 1e8 and 1e12, binomial draws of 1,000-100,000 items. Prints how
//! often each is read right and the coverage of the curvature's 95% interval.

use crate::rng::Rng;
use emergence_detect::{Curve, acceleration_test};

pub fn main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let per_kind: usize = args.first().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut rng = Rng::new(seed);
    for accelerating in [false, true] {
        let (mut right, mut covered, mut errors) = (0, 0, 0);
        for _ in 0..per_kind {
            let m = 6 + (rng.next_u64() % 5) as usize;
            let n = [1_000usize, 10_000, 100_000][(rng.next_u64() % 3) as usize];
            let a = rng.uniform(2.0, 6.0);
            let b = rng.uniform(0.1, 0.4);
            let c = if accelerating {
                rng.uniform(0.15, 0.4)
            } else {
                0.0
            };
            let t: Vec<f64> = (0..m)
                .map(|j| 8.0 + 4.0 * j as f64 / (m - 1) as f64)
                .collect();
            // -log p = a 10^(-b (t-8)) exp(-c (t-8)^2): log(-log p) = ln a - b ln10 (t-8) - c (t-8)^2
            let p: Vec<f64> = t
                .iter()
                .map(|t| (-(a * 10f64.powf(-b * (t - 8.0)) * (-c * (t - 8.0).powi(2)).exp())).exp())
                .collect();
            let y: Vec<f64> = p.iter().map(|p| rng.proportion(*p, n)).collect();
            let x: Vec<f64> = t.iter().map(|t| 10f64.powf(*t)).collect();
            let Ok(curve) = Curve::builder(x, y).n_examples(vec![n as f64; m]).build() else {
                errors += 1;
                continue;
            };
            match acceleration_test(&curve) {
                Ok(test) => {
                    right += usize::from(test.accelerating == accelerating);
                    // the true curvature of log(-log p) in log10 x is -2c
                    let truth = -2.0 * c;
                    covered +=
                        usize::from((test.curvature - truth).abs() <= 1.96 * test.curvature_se);
                }
                Err(_) => errors += 1,
            }
        }
        println!(
            "{:<38} {per_kind} curves: read right {:.3}, 95% curvature interval covers {:.3}, errors {errors}",
            if accelerating {
                "faster than any scaling law (concave)"
            } else {
                "scaling law (linear)"
            },
            right as f64 / per_kind as f64,
            covered as f64 / per_kind as f64
        );
    }
}

/// `steps [CURVES_PER_KIND] [SEED]`: the composed-steps test on curves with known truth: `k`
/// steps (3 to 8) of a per-step accuracy linear in log scale, and single steady trends
/// (`k = 1`); 6-10 sizes, 1,000-10,000 binomial items. Prints how often each is read right and
/// the coverage of the steps' 95% interval.
pub fn steps_main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let per_kind: usize = args.first().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut rng = Rng::new(seed);
    for composed in [false, true] {
        let (mut right, mut covered, mut with_se, mut errors) = (0, 0, 0, 0);
        for _ in 0..per_kind {
            let m = 6 + (rng.next_u64() % 5) as usize;
            let n = [1_000usize, 10_000][(rng.next_u64() % 2) as usize];
            let k = if composed {
                (3 + rng.next_u64() % 6) as f64
            } else {
                1.0
            };
            let (p0, p1) = (rng.uniform(0.2, 0.5), rng.uniform(0.85, 0.98));
            let x: Vec<f64> = (0..m)
                .map(|j| 10f64.powf(8.0 + 4.0 * j as f64 / (m - 1) as f64))
                .collect();
            let y: Vec<f64> = x
                .iter()
                .map(|x| (p0 + (p1 - p0) * (x.log10() - 8.0) / 4.0).powf(k))
                .map(|p| rng.proportion(p, n))
                .collect();
            let Ok(curve) = Curve::builder(x, y).n_examples(vec![n as f64; m]).build() else {
                errors += 1;
                continue;
            };
            match emergence_detect::composed_steps_test(&curve) {
                Ok(t) => {
                    right += usize::from(t.composed == composed);
                    if let Some(se) = t.steps_se {
                        with_se += 1;
                        covered += usize::from((t.steps - k).abs() <= 1.96 * se);
                    }
                }
                Err(_) => errors += 1,
            }
        }
        println!(
            "{:<34} {per_kind} curves: read right {:.3}, 95% interval of k covers {:.3} ({with_se} with one), errors {errors}",
            if composed {
                "3-8 composed steps"
            } else {
                "one steady trend"
            },
            right as f64 / per_kind as f64,
            covered as f64 / with_se.max(1) as f64
        );
    }
}
