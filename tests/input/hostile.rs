//! Hostile input: whatever goes into the constructors and `classify`, the answer is a typed error
//! or a `Classification` with finite numbers where numbers are promised; never a panic.
//!
//! The number of cases follows `PROPTEST_CASES` (256 by default); EVALUATION.md records a run of
//! 1,000,000.

use emergence_detect::{
    Axis, Category, Classification, Curve, DuplicatePolicy, classify, datasets::showcase,
};
use proptest::prelude::*;

/// Numbers that break naive code: NaN, infinities, zeros, subnormals, extremes, and ordinary ones.
fn hostile_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(1e300),
        Just(-1e300),
        Just(1e-300),
        Just(f64::MAX),
        any::<f64>(),
        -10.0..10.0f64,
        0.0..1.0f64,
        0.0..100.0f64,
        1e6..1e13f64,
    ]
}

/// Scales: mostly plausible model sizes, sometimes hostile, sometimes repeated.
fn hostile_x() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 1e6..1e13f64,
        1 => Just(1e9),
        1 => hostile_f64(),
    ]
}

fn hostile_y() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0..1.0f64,
        1 => Just(0.25),
        1 => hostile_f64(),
    ]
}

/// Checks every number a classification promises to be finite.
fn assert_finite(c: &Classification) {
    assert!(
        (0.0..=1.0).contains(&c.confidence),
        "confidence {}",
        c.confidence
    );
    for (_, w) in &c.category_weights {
        assert!(w.is_finite() && *w >= 0.0);
    }
    for f in &c.fits {
        assert!(f.weight.is_finite() && (0.0..=1.0).contains(&f.weight));
        assert!(!f.criterion.is_nan());
        assert!(
            f.fit.params().iter().all(|v| v.is_finite()),
            "{:?}",
            f.fit.params()
        );
        assert!(f.fit.chi_square().is_finite());
        for se in f.fit.std_errors().iter().flatten() {
            assert!(se.is_finite() && *se >= 0.0);
        }
    }
    for e in c
        .critical_scale
        .iter()
        .chain(c.turn.as_ref().map(|t| &t.location))
    {
        assert!(e.value.is_finite() && e.lower.is_finite() && e.upper.is_finite());
        assert!(e.lower <= e.value && e.value <= e.upper, "{e:?}");
    }
    if let Some(b) = c.breakthroughness {
        assert!(b.is_finite());
    }
    if let Some(r) = c.linear_r_squared {
        assert!((0.0..=1.0).contains(&r));
    }
    assert!(c.overdispersion.is_finite() && c.overdispersion >= 1.0);
    assert!(!c.reason.is_empty());
}

proptest! {
    #[test]
    fn hostile_curves_never_panic(
        x in proptest::collection::vec(hostile_x(), 0..64),
        y in proptest::collection::vec(hostile_y(), 0..64),
        noise in proptest::collection::vec(hostile_f64(), 0..64),
        noise_kind in 0u8..3,
        chance in proptest::option::of(hostile_f64()),
        y_max in proptest::option::of(hostile_f64()),
        duplicates in 0u8..3,
        linear_axis in any::<bool>(),
        lower_is_better in any::<bool>(),
        overdispersion in proptest::option::of(hostile_f64()),
    ) {
        // lengths usually agree (else the constructor's check is all that runs)
        let n = x.len();
        let mut y = y;
        let mut noise = noise;
        if n > 0 && (y.len() + noise.len()) % 4 != 0 {
            y.resize(n, 0.5);
            noise.resize(n, 100.0);
        }
        let mut b = Curve::builder(x, y)
            .duplicates(match duplicates {
                0 => DuplicatePolicy::Reject,
                1 => DuplicatePolicy::Merge,
                _ => DuplicatePolicy::Keep,
            })
            .axis(if linear_axis { Axis::Linear } else { Axis::Log10 })
            .higher_is_better(!lower_is_better);
        match noise_kind {
            0 => b = b.sigma(noise.iter().map(|v| v.abs()).collect()),
            1 => b = b.n_examples(noise.iter().map(|v| v.abs()).collect()),
            _ => {}
        }
        if let Some(c) = chance {
            b = b.chance(c);
        }
        if let Some(m) = y_max {
            b = b.y_max(m);
        }
        if let Some(c) = overdispersion {
            b = b.overdispersion(c);
        }
        if let Ok(curve) = b.build() {
            prop_assert!(curve.len() >= 2);
            if duplicates == 2 {
                prop_assert!(curve.x().windows(2).all(|w| w[0] <= w[1]));
            } else {
                prop_assert!(curve.x().windows(2).all(|w| w[0] < w[1]));
            }
            prop_assert!(curve.sigma().iter().all(|s| s.is_finite() && *s > 0.0));
            prop_assert!(curve.weights().iter().all(|w| w.is_finite() && *w > 0.0));
            let c = classify(&curve).expect("the default classifier is valid");
            assert_finite(&c);
            // a forecast beyond the data and a comparison with itself: typed results, finite
            // numbers, never a panic
            let last = curve.x()[curve.len() - 1];
            let beyond = if linear_axis { last + 1.0 } else { last * 10.0 };
            if let Ok(f) = emergence_detect::forecast(&curve, &[beyond]) {
                let p = f.predictions[0];
                if let (Some(m), Some(lo), Some(hi)) = (p.predicted, p.lower, p.upper) {
                    prop_assert!(m.is_finite() && lo <= m && m <= hi, "{p:?}");
                }
            }
            if let Ok(same) = emergence_detect::compare(&curve, &curve) {
                prop_assert!(same.gain.iter().all(|g| *g == 0.0));
                prop_assert!(same.hurts_at.is_empty());
            }
        }
    }
}

#[test]
fn showcase_results_are_finite() {
    for p in showcase() {
        assert_finite(&classify(&p.curve).unwrap());
    }
}

#[test]
fn absurd_noise_is_rejected_with_a_typed_error() {
    let x = vec![1e8, 1e9, 1e10];
    let y = vec![0.1, 0.2, 0.3];
    for s in [1e-300, 1e300] {
        let e = Curve::builder(x.clone(), y.clone())
            .sigma(vec![s; 3])
            .build()
            .unwrap_err();
        assert!(
            matches!(e, emergence_detect::Error::InvalidSigma { .. }),
            "{e}"
        );
    }
    let e = Curve::builder(x, y)
        .n_examples(vec![1e300; 3])
        .build()
        .unwrap_err();
    assert!(
        matches!(e, emergence_detect::Error::InvalidSampleSize { .. }),
        "{e}"
    );
}

#[test]
fn extreme_but_valid_values_classify() {
    // scores near the largest finite numbers, no noise model: nothing overflows into a panic
    let x = vec![1e3, 1e6, 1e9, 1e12, 1e15];
    let y = vec![1e300, -1e300, 1e300, -1e300, 1e300];
    let c = classify(&Curve::new(x.clone(), y).unwrap()).unwrap();
    assert_finite(&c);
    // tiny scores
    let tiny = vec![1e-300, 2e-300, 3e-300, 4e-300, 5e-300];
    let c = classify(&Curve::new(x, tiny).unwrap()).unwrap();
    assert_finite(&c);
    assert_ne!(c.category, Category::Emergent);
}
