//! Noise beyond the stated one: `CurveBuilder::overdispersion` inflates a curve's variances, and
//! `pooled_overdispersion` estimates the factor from the classifications of many curves.

use emergence_detect::{
    Category, Classification, Curve, Error, binomial_sigma, classify, pooled_overdispersion,
};

/// SplitMix64 and Box-Muller: reproducible standard normals without a dependency.
struct Normals(u64);

impl Normals {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn next(&mut self) -> f64 {
        let u = self.uniform().max(1e-300);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }
}

const SIZES: [f64; 6] = [1.6e8, 4.1e8, 1.0e9, 2.8e9, 6.9e9, 1.2e10];
const N_EXAMPLES: f64 = 1000.0;

/// `k` six-point curves rising steadily from 0.3 to 0.55, each point off by Gaussian noise whose
/// variance is `c_true` times the binomial one, classified with binomial errors stated.
fn classified_ladder(c_true: f64, k: usize, seed: u64) -> Vec<Classification> {
    let mut rng = Normals(seed);
    (0..k)
        .map(|_| {
            let y: Vec<f64> = (0..SIZES.len())
                .map(|i| {
                    let mean = 0.3 + 0.05 * i as f64;
                    let sd = c_true.sqrt() * binomial_sigma(mean, N_EXAMPLES, 1.0);
                    (mean + sd * rng.next()).clamp(0.0, 1.0)
                })
                .collect();
            let curve = Curve::builder(SIZES.to_vec(), y)
                .n_examples(vec![N_EXAMPLES; SIZES.len()])
                .build()
                .expect("a valid curve");
            classify(&curve).expect("the default classifier is valid")
        })
        .collect()
}

#[test]
fn inflation_scales_standard_errors_and_weights() {
    let x = vec![1e8, 1e9, 1e10, 1e11];
    let y = vec![0.2, 0.3, 0.45, 0.5];
    let plain = Curve::builder(x.clone(), y.clone())
        .sigma(vec![0.01, 0.02, 0.03, 0.04])
        .build()
        .unwrap();
    let wide = Curve::builder(x, y)
        .sigma(vec![0.01, 0.02, 0.03, 0.04])
        .overdispersion(9.0)
        .build()
        .unwrap();
    for ((s, w), (s0, w0)) in wide
        .sigma()
        .iter()
        .zip(wide.weights())
        .zip(plain.sigma().iter().zip(plain.weights()))
    {
        assert_eq!(*s, 3.0 * s0);
        assert!((w * 9.0 / w0 - 1.0).abs() < 1e-12);
    }
    assert_eq!(wide.overdispersion(), 9.0);
    assert_eq!(plain.overdispersion(), 1.0);
}

#[test]
fn a_second_pass_inflates_like_the_builder() {
    let x = vec![1e8, 1e9, 1e10, 1e11];
    let y = vec![0.2, 0.3, 0.45, 0.5];
    let n = vec![300.0; 4];
    let plain = Curve::builder(x.clone(), y.clone())
        .n_examples(n.clone())
        .chance(0.25)
        .build()
        .unwrap();
    let built = Curve::builder(x, y)
        .n_examples(n)
        .chance(0.25)
        .overdispersion(4.0)
        .build()
        .unwrap();
    let second = plain.with_overdispersion(4.0).unwrap();
    assert_eq!(second, built);
    // back to the stated noise, to rounding
    let back = second.with_overdispersion(1.0).unwrap();
    assert_eq!(back.overdispersion(), 1.0);
    for (a, b) in back.sigma().iter().zip(plain.sigma()) {
        assert!((a / b - 1.0).abs() < 1e-15);
    }
    assert!(matches!(
        plain.with_overdispersion(0.5),
        Err(Error::InvalidSetting { .. })
    ));
    let unknown = Curve::new(vec![1e8, 1e9, 1e10], vec![0.1, 0.2, 0.3]).unwrap();
    assert!(unknown.with_overdispersion(2.0).is_err());
    assert_eq!(unknown.with_overdispersion(1.0).unwrap(), unknown);
}

#[test]
fn invalid_inflation_is_a_typed_error() {
    let x = vec![1e8, 1e9, 1e10];
    let y = vec![0.2, 0.3, 0.45];
    let with = |c: f64| {
        Curve::builder(x.clone(), y.clone())
            .n_examples(vec![100.0; 3])
            .overdispersion(c)
            .build()
    };
    for c in [0.5, 0.0, -2.0, f64::NAN, f64::INFINITY, 1e13] {
        assert!(
            matches!(
                with(c),
                Err(Error::InvalidSetting {
                    what: "overdispersion",
                    ..
                })
            ),
            "{c} accepted"
        );
    }
    // nothing stated, nothing to inflate
    let unknown = Curve::builder(x.clone(), y.clone())
        .overdispersion(2.0)
        .build();
    assert!(matches!(
        unknown,
        Err(Error::InvalidSetting {
            what: "overdispersion",
            ..
        })
    ));
    // a standard error pushed past the largest one the crate accepts
    let huge = Curve::builder(x, y)
        .sigma(vec![1e99; 3])
        .overdispersion(1e4)
        .build();
    assert!(matches!(huge, Err(Error::InvalidSigma { .. })));
}

#[test]
fn pooled_estimate_recovers_the_inflation_of_a_ladder() {
    // 40 curves of 6 points: about 160 degrees of freedom, a relative error near 11%
    for (c_true, seed) in [(1.0, 7), (4.0, 8), (16.0, 9)] {
        let results = classified_ladder(c_true, 40, seed);
        let c_hat = pooled_overdispersion(&results).expect("known noise, spare degrees of freedom");
        assert!(
            c_hat > 0.6 * c_true && c_hat < 1.4 * c_true,
            "true {c_true}, estimated {c_hat}"
        );
    }
}

#[test]
fn pooled_estimate_needs_stated_noise_and_spare_points() {
    // unknown noise: the fits' chi-square has no scale, so no estimate
    let curve = Curve::new(vec![1e8, 1e9, 1e10, 1e11], vec![0.1, 0.25, 0.3, 0.5]).unwrap();
    let unknown = classify(&curve).unwrap();
    assert_eq!(pooled_overdispersion([&unknown]), None);
    assert_eq!(pooled_overdispersion(&[]), None);
}

#[test]
fn inflating_by_the_pooled_estimate_removes_spurious_trends() {
    // flat curves at 0.5 whose scatter is 9 times the binomial variance: with binomial errors
    // stated, noise passes for trends (the classifier's own per-curve inflation catches some,
    // not all); inflated by the pooled estimate, nearly all are flat again
    let mut rng = Normals(11);
    let curves: Vec<(Vec<f64>, Vec<f64>)> = (0..40)
        .map(|_| {
            let y = (0..SIZES.len())
                .map(|_| 0.5 + 3.0 * binomial_sigma(0.5, N_EXAMPLES, 1.0) * rng.next())
                .collect();
            (SIZES.to_vec(), y)
        })
        .collect();
    let classify_with = |c: f64| -> Vec<Classification> {
        curves
            .iter()
            .map(|(x, y)| {
                let curve = Curve::builder(x.clone(), y.clone())
                    .n_examples(vec![N_EXAMPLES; x.len()])
                    .overdispersion(c)
                    .build()
                    .unwrap();
                classify(&curve).unwrap()
            })
            .collect()
    };
    let flat = |results: &[Classification]| {
        results
            .iter()
            .filter(|r| r.category == Category::Flat)
            .count()
    };
    let stated = classify_with(1.0);
    let c_hat = pooled_overdispersion(&stated).unwrap();
    assert!(c_hat > 4.0, "pooled estimate {c_hat}");
    let inflated = classify_with(c_hat);
    assert!(
        flat(&inflated) >= flat(&stated) + 5 && flat(&inflated) >= 34,
        "flat before {}, after {}",
        flat(&stated),
        flat(&inflated)
    );
}
