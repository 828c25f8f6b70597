//! `analyze_training` on synthetic runs whose category and steps are known, and on bad input.

use crate::common::training_logs::{Difficulty, KINDS, Rng, Shape, run, run_with};
use emergence_detect::Error;
use emergence_detect::training::{
    NonFinitePolicy, TrainingCategory, TrainingLog, TrainingSettings, analyze_training,
    analyze_training_with,
};

/// `steps` 1..=n and a sigmoid in log step for each split (90% done at `m90` and `g90`).
fn sigmoid_log(n: usize, m90: f64, g90: f64) -> TrainingLog {
    let steps: Vec<f64> = (1..=n).map(|s| s as f64).collect();
    let curve = |s90: f64| -> Vec<f64> {
        steps
            .iter()
            .map(|s| {
                let k = 2.0 * 9f64.ln() / 0.5;
                let t0 = s90.log10() - 0.25;
                0.02 + 0.98 / (1.0 + (-k * (s.log10() - t0)).exp())
            })
            .collect()
    };
    TrainingLog::builder(steps.clone())
        .train(curve(m90))
        .validation(curve(g90))
        .build()
        .unwrap()
}

#[test]
fn every_kind_of_synthetic_run_is_named_right_in_both_shapes_and_difficulties() {
    for difficulty in [Difficulty::Standard, Difficulty::Hard] {
        for shape in [Shape::LogSigmoid, Shape::Exponential] {
            let mut rng = Rng::new(7);
            for kind in KINDS {
                for _ in 0..6 {
                    let r = run_with(kind, shape, difficulty, &mut rng);
                    let a = analyze_training(&r.log).unwrap();
                    assert_eq!(a.category, kind, "{difficulty:?} {shape:?}: {a}");
                }
            }
        }
    }
}

#[test]
fn the_steps_land_near_the_truth_and_the_intervals_mostly_cover_it() {
    let mut rng = Rng::new(11);
    let (mut covered, mut total) = (0, 0);
    for kind in [TrainingCategory::Grokking, TrainingCategory::Simultaneous] {
        for _ in 0..20 {
            let r = run(kind, Shape::LogSigmoid, &mut rng);
            let a = analyze_training(&r.log).unwrap();
            let m = a.memorization.expect("memorized");
            let g = a.generalization.expect("generalized");
            let truth = r.generalization.unwrap();
            for (estimate, truth) in [(m, r.memorization), (g, truth)] {
                assert!(
                    (estimate.step / truth).log10().abs() < 0.1,
                    "{} vs {truth}: {a}",
                    estimate.step
                );
                assert!(estimate.step_lo < estimate.step && estimate.step < estimate.step_hi);
                covered += usize::from(estimate.step_lo <= truth && truth <= estimate.step_hi);
                total += 1;
            }
        }
    }
    // nominal 90%: well above half, and not every one (the intervals are not vacuous)
    let rate = covered as f64 / total as f64;
    assert!((0.7..=1.0).contains(&rate), "coverage {rate}");
}

#[test]
fn the_delay_is_the_ratio_of_the_steps_and_the_threshold_decides_grokking() {
    let log = sigmoid_log(20_000, 30.0, 3000.0);
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::Grokking, "{a}");
    let (m, g, d) = (
        a.memorization.unwrap(),
        a.generalization.unwrap(),
        a.delay.unwrap(),
    );
    assert!((d.ratio - g.step / m.step).abs() < 1e-9 * d.ratio);
    assert!((d.decades - 2.0).abs() < 0.05, "{d:?}");
    assert!((d.steps - (g.step - m.step)).abs() < 1e-6 * d.steps);
    // a threshold above the delay makes the same run simultaneous
    let strict = TrainingSettings {
        delay_ratio: 1000.0,
        ..TrainingSettings::default()
    };
    let b = analyze_training_with(&log, &strict).unwrap();
    assert_eq!(b.category, TrainingCategory::Simultaneous, "{b}");
    // the transition's width is the sigmoid's 10-90% width (0.5 decades)
    assert!((g.width_decades - 0.5).abs() < 0.05, "{g:?}");
}

#[test]
fn a_loss_log_reads_as_the_accuracy_log_does() {
    let steps: Vec<f64> = (1..=5000).map(f64::from).collect();
    let fall = |s90: f64| -> Vec<f64> {
        steps
            .iter()
            .map(|s| 4.0 / (1.0 + (6.0 * (s.log10() - s90.log10() + 0.35)).exp()))
            .collect()
    };
    // the validation loss first rises while the network memorises, then falls
    let mut val = fall(2000.0);
    for (v, s) in val.iter_mut().zip(&steps) {
        *v += 6.0 * (-(s.log10() - 2.0).powi(2) / 0.3).exp();
    }
    let log = TrainingLog::builder(steps.clone())
        .train(fall(20.0))
        .validation(val.clone())
        .higher_is_better(false)
        .build()
        .unwrap();
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::Grokking, "{a}");
    assert!(a.reason.contains("validation loss"), "{a}");
    // the generalization step: 90% of the way from the worst loss (the top of the bump) to the
    // loss the log ends on
    let worst = val.iter().copied().fold(0.0, f64::max);
    let target = worst - 0.9 * (worst - val[val.len() - 1]);
    let peak = val.iter().position(|v| *v == worst).unwrap();
    let truth = steps[peak + val[peak..].iter().position(|v| *v <= target).unwrap()];
    let g = a.generalization.unwrap();
    assert!((g.step / truth).log10().abs() < 0.05, "{truth}: {a}");
}

#[test]
fn a_log_that_ends_while_validation_still_rises_is_inconclusive_and_says_log_longer() {
    // at the last step the validation accuracy is at 0.67 and rising
    let log = sigmoid_log(1000, 20.0, 1500.0);
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::Inconclusive, "{a}");
    assert!(a.reason.contains("log the run longer"), "{a}");
    // at 0.23 and rising: no generalization yet, and the reason says it may come
    let log = sigmoid_log(1000, 20.0, 2500.0);
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::NoGeneralization, "{a}");
    assert!(a.reason.contains("still rising"), "{a}");
}

#[test]
fn a_log_with_few_rows_is_inconclusive_and_names_what_is_missing() {
    let log = TrainingLog::builder(vec![1.0, 10.0, 100.0, 1000.0])
        .train(vec![0.1, 1.0, 1.0, 1.0])
        .validation(vec![0.0, 0.0, 0.5, 1.0])
        .build()
        .unwrap();
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::Inconclusive);
    assert!(a.reason.contains("log it at more steps"), "{a}");
    // no rows at all, or only step 0, cannot panic either
    let empty = TrainingLog::builder(vec![]).build().unwrap();
    assert_eq!(
        analyze_training(&empty).unwrap().category,
        TrainingCategory::Inconclusive
    );
    let zero = TrainingLog::builder(vec![0.0])
        .train(vec![0.5])
        .build()
        .unwrap();
    let a = analyze_training(&zero).unwrap();
    assert_eq!(a.rows_at_step_zero, 1);
}

#[test]
fn a_training_set_fitted_before_the_log_starts_is_inconclusive_with_the_fix() {
    let steps: Vec<f64> = (100..=5000).map(f64::from).collect();
    let n = steps.len();
    let log = TrainingLog::builder(steps)
        .train(vec![1.0; n])
        .validation(vec![0.01; n])
        .build()
        .unwrap();
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::Inconclusive, "{a}");
    assert!(a.reason.contains("earliest steps"), "{a}");
}

#[test]
fn step_zero_rows_are_left_out_and_counted_not_an_error() {
    let plain = sigmoid_log(3000, 20.0, 800.0);
    let mut steps = vec![0.0];
    steps.extend_from_slice(plain.steps());
    let with = |f: &dyn Fn(usize) -> Option<f64>, first: f64| {
        let mut v = vec![first];
        v.extend((0..plain.len()).map(|i| f(i).unwrap()));
        v
    };
    let log = TrainingLog::builder(steps)
        .train(with(&|i| plain.train(i), 0.0))
        .validation(with(&|i| plain.validation(i), 0.0))
        .build()
        .unwrap();
    let a = analyze_training(&log).unwrap();
    let b = analyze_training(&plain).unwrap();
    assert_eq!(a.rows_at_step_zero, 1);
    assert_eq!(a.category, b.category);
    assert_eq!(a.generalization, b.generalization);
}

#[test]
fn non_finite_values_are_skipped_and_counted_or_an_error_naming_the_row() {
    let plain = sigmoid_log(3000, 20.0, 800.0);
    let mut train: Vec<f64> = (0..plain.len()).map(|i| plain.train(i).unwrap()).collect();
    let val: Vec<f64> = (0..plain.len())
        .map(|i| plain.validation(i).unwrap())
        .collect();
    train[100] = f64::NAN;
    train[2000] = f64::INFINITY;
    let log = TrainingLog::builder(plain.steps().to_vec())
        .train(train.clone())
        .validation(val.clone())
        .build()
        .unwrap();
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.skipped_values, 2);
    assert_eq!(a.category, TrainingCategory::Grokking, "{a}");
    let err = TrainingLog::builder(plain.steps().to_vec())
        .train(train)
        .validation(val)
        .non_finite(NonFinitePolicy::Error)
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::NonFinite {
            what: "train",
            index: 100,
            ..
        }
    ));
}

#[test]
fn unsorted_repeated_and_negative_steps_are_errors_naming_the_step() {
    for (steps, index, step) in [
        (vec![1.0, 2.0, 2.0, 3.0], 2, 2.0),
        (vec![1.0, 5.0, 3.0], 2, 3.0),
        (vec![-1.0, 1.0], 0, -1.0),
    ] {
        let err = TrainingLog::builder(steps).build().unwrap_err();
        assert!(
            matches!(err, Error::InvalidStep { index: i, step: s, .. } if i == index && s == step),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("step {step}")), "{err}");
    }
    let err = TrainingLog::builder(vec![1.0, f64::NAN])
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::NonFinite { what: "step", .. }));
    let err = TrainingLog::builder(vec![1.0, 2.0])
        .train(vec![0.5])
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::LengthMismatch { what: "train", .. }));
}

#[test]
fn percentages_need_y_max_and_a_negative_loss_is_refused() {
    let err = TrainingLog::builder(vec![1.0, 2.0])
        .train(vec![10.0, 95.0])
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::ScaleMismatch { .. }), "{err}");
    assert!(err.to_string().contains("y_max(100.0)"), "{err}");
    let ok = TrainingLog::builder(vec![1.0, 2.0])
        .train(vec![10.0, 95.0])
        .y_max(100.0)
        .build()
        .unwrap();
    assert_eq!(ok.perfect(), 100.0);
    let err = TrainingLog::builder(vec![1.0, 2.0])
        .train(vec![1.0, -0.5])
        .higher_is_better(false)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::ScaleMismatch { .. }), "{err}");
}

#[test]
fn a_percent_log_gives_the_same_steps_as_the_fraction_log() {
    let mut rng = Rng::new(3);
    let r = run(TrainingCategory::Grokking, Shape::LogSigmoid, &mut rng);
    let scaled = |f: &dyn Fn(usize) -> Option<f64>| -> Vec<f64> {
        (0..r.log.len()).map(|i| 100.0 * f(i).unwrap()).collect()
    };
    let percent = TrainingLog::builder(r.log.steps().to_vec())
        .train(scaled(&|i| r.log.train(i)))
        .validation(scaled(&|i| r.log.validation(i)))
        .y_max(100.0)
        .build()
        .unwrap();
    let (a, b) = (
        analyze_training(&r.log).unwrap(),
        analyze_training(&percent).unwrap(),
    );
    assert_eq!(a.category, b.category);
    let (ga, gb) = (a.generalization.unwrap(), b.generalization.unwrap());
    assert!((ga.step / gb.step - 1.0).abs() < 1e-6, "{a}\n{b}");
}

#[test]
fn invalid_settings_are_errors() {
    let log = sigmoid_log(100, 10.0, 50.0);
    for settings in [
        TrainingSettings {
            plateau_fraction: 1.0,
            ..TrainingSettings::default()
        },
        TrainingSettings {
            delay_ratio: f64::NAN,
            ..TrainingSettings::default()
        },
        TrainingSettings {
            bins: 4,
            ..TrainingSettings::default()
        },
    ] {
        assert!(matches!(
            analyze_training_with(&log, &settings),
            Err(Error::InvalidSetting { .. })
        ));
    }
}

#[test]
fn a_million_row_log_is_analysed_and_the_answer_is_deterministic() {
    let mut rng = Rng::new(5);
    let n = 1_000_000;
    let steps: Vec<f64> = (1..=n).map(|s| s as f64).collect();
    let sig =
        |s: f64, s90: f64| 0.01 + 0.98 / (1.0 + (-8.0 * (s.log10() - s90.log10() + 0.27)).exp());
    let train: Vec<f64> = steps
        .iter()
        .map(|&s| rng.measured(sig(s, 300.0), 1000.0))
        .collect();
    let val: Vec<f64> = steps
        .iter()
        .map(|&s| rng.measured(sig(s, 3e4), 1000.0))
        .collect();
    let log = TrainingLog::builder(steps)
        .train(train)
        .validation(val)
        .build()
        .unwrap();
    let a = analyze_training(&log).unwrap();
    assert_eq!(a.category, TrainingCategory::Grokking, "{a}");
    assert!(
        (a.generalization.unwrap().step.log10() - 3e4f64.log10()).abs() < 0.05,
        "{a}"
    );
    let b = analyze_training(&log).unwrap();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[cfg(feature = "serde")]
#[test]
fn the_analysis_serialises_with_snake_case_categories() {
    let a = analyze_training(&sigmoid_log(5000, 20.0, 2000.0)).unwrap();
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["category"], "grokking");
    assert!(json["delay"]["ratio"].as_f64().unwrap() > 10.0);
    assert!(json["generalization"]["step_lo"].is_number());
}
