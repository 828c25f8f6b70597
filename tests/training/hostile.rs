//! Hostile training logs (proptest): any mixture of NaN, infinities, zeros, negative and huge
//! steps or values, gaps, unsorted or repeated steps gives a typed error or an analysis with a
//! reason and finite numbers, never a panic.

use emergence_detect::training::{NonFinitePolicy, TrainingLog, analyze_training};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        3 => (0.0..=1.0f64).prop_map(Some),
        1 => Just(None),
        1 => prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.5,
            0.0,
            1.0,
            1.5,
            1e300,
            f64::MIN_POSITIVE,
        ])
        .prop_map(Some),
    ]
}

fn steps() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        // increasing, from a random start with random gaps
        (0.0..1e6f64, prop::collection::vec(1e-9..1e4f64, 0..300)).prop_map(|(start, gaps)| {
            gaps.iter()
                .scan(start, |s, g| {
                    *s += g;
                    Some(*s)
                })
                .collect()
        }),
        // anything
        prop::collection::vec(
            prop::sample::select(vec![0.0, 1.0, 2.0, -1.0, 1e300, f64::NAN, 5.0, 3.0]),
            0..40
        ),
    ]
}

proptest! {
    #[test]
    fn hostile_training_logs(
        steps in steps(),
        train in prop::collection::vec(value(), 0..300),
        val in prop::collection::vec(value(), 0..300),
        skip in any::<bool>(),
        lower_is_better in any::<bool>(),
    ) {
        let n = steps.len();
        let fit = |v: Vec<Option<f64>>| -> Vec<Option<f64>> {
            (0..n).map(|i| v.get(i).copied().flatten()).collect()
        };
        let policy = if skip { NonFinitePolicy::Skip } else { NonFinitePolicy::Error };
        let built = TrainingLog::builder(steps)
            .train_sparse(fit(train))
            .validation_sparse(fit(val))
            .higher_is_better(!lower_is_better)
            .non_finite(policy)
            .build();
        if let Ok(log) = built {
            let a = analyze_training(&log).expect("default settings are valid");
            prop_assert!(!a.reason.is_empty());
            for t in [a.memorization, a.generalization].into_iter().flatten() {
                prop_assert!(t.step.is_finite() && t.step > 0.0);
                prop_assert!(t.step_lo <= t.step && t.step <= t.step_hi, "{:?}", t);
                prop_assert!(t.width_decades.is_finite());
            }
            if let Some(d) = a.delay {
                prop_assert!(d.ratio.is_finite() && d.ratio > 0.0);
            }
        }
    }
}
