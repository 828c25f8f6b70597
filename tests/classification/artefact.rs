//! The metric-artefact check: an exact-match jump over a steady per-token gain is an artefact; a
//! jump the continuous metric shares is genuine; otherwise inconclusive.

use emergence_detect::{ArtefactVerdict, Curve, Error, metric_artefact};

fn sizes() -> Vec<f64> {
    (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect()
}

fn measured(y: Vec<f64>, chance: Option<f64>) -> Curve {
    let mut b = Curve::builder(sizes(), y).n_examples(vec![2000.0; 9]);
    if let Some(c) = chance {
        b = b.chance(c);
    }
    b.build().unwrap()
}

fn jump(x: f64) -> f64 {
    1.0 / (1.0 + (-6.0 * (x.log10() - 10.5)).exp())
}

#[test]
fn a_steady_per_token_gain_under_exact_match_is_an_artefact() {
    let p: Vec<f64> = sizes()
        .iter()
        .map(|x| 0.2 + 0.18 * (x.log10() - 8.0))
        .collect();
    let exact = measured(p.iter().map(|p| p.powi(5)).collect(), Some(0.0));
    let check = metric_artefact(&exact, &measured(p, None)).unwrap();
    assert_eq!(check.verdict, ArtefactVerdict::Artefact, "{check}");
    assert!(check.reason.contains("rises steadily"), "{}", check.reason);
}

#[test]
fn a_jump_both_metrics_share_is_genuine() {
    let exact = measured(sizes().iter().map(|&x| 0.7 * jump(x)).collect(), Some(0.0));
    let soft = measured(sizes().iter().map(|&x| 0.2 + 0.6 * jump(x)).collect(), None);
    let check = metric_artefact(&exact, &soft).unwrap();
    assert_eq!(check.verdict, ArtefactVerdict::Genuine, "{check}");
}

#[test]
fn no_emergence_or_a_flat_continuous_metric_is_inconclusive() {
    let exact = measured(sizes().iter().map(|&x| 0.7 * jump(x)).collect(), Some(0.0));
    let flat = measured(vec![0.4; 9], None);
    assert_eq!(
        metric_artefact(&exact, &flat).unwrap().verdict,
        ArtefactVerdict::Inconclusive
    );
    let steady = measured(
        sizes()
            .iter()
            .map(|x| 0.1 * (x.log10() - 8.0) + 0.1)
            .collect(),
        None,
    );
    let check = metric_artefact(&steady, &steady).unwrap();
    assert_eq!(check.verdict, ArtefactVerdict::Inconclusive);
    assert!(check.reason.contains("no emergence to test"));
}

#[test]
fn the_curves_are_read_on_their_shared_sizes() {
    let exact = measured(sizes().iter().map(|&x| 0.7 * jump(x)).collect(), Some(0.0));
    let x = sizes()[..6].to_vec();
    let soft = Curve::builder(x.clone(), x.iter().map(|&x| 0.2 + 0.6 * jump(x)).collect())
        .n_examples(vec![2000.0; 6])
        .build()
        .unwrap();
    let check = metric_artefact(&exact, &soft).unwrap();
    assert_eq!(check.sizes, x);
    assert_eq!(check.discrete.n_points, 6);
    let far = Curve::new(vec![1e14, 1e15], vec![0.1, 0.2]).unwrap();
    assert!(matches!(
        metric_artefact(&exact, &far),
        Err(Error::UnmatchedSizes { .. })
    ));
}

/// The per-token family `p^L` explains an exact-match curve made of a steady per-token gain, and
/// recovers the per-token accuracy; it does not explain a jump sharper than any steady `p^L`.
#[test]
fn a_smooth_per_token_accuracy_explains_exact_match_and_not_a_sharp_jump() {
    let p: Vec<f64> = sizes()
        .iter()
        .map(|x| 0.25 + 0.17 * (x.log10() - 8.0))
        .collect();
    let exact = measured(p.iter().map(|p| p.powi(4)).collect(), Some(0.0));
    let check = emergence_detect::per_token_check(&exact, 4.0).unwrap();
    assert!(check.explained, "{}", check.reason);
    for (got, want) in check.per_token.iter().zip(&p) {
        assert!((got - want).abs() < 0.02, "{got} vs {want}");
    }
    let sharp = measured(
        sizes()
            .iter()
            .map(|&x| 0.8 / (1.0 + (-12.0 * (x.log10() - 10.5)).exp()))
            .collect(),
        Some(0.0),
    );
    let check = emergence_detect::per_token_check(&sharp, 4.0).unwrap();
    assert!(!check.explained, "{}", check.reason);
    assert!(emergence_detect::per_token_check(&sharp, 0.5).is_err());
}

/// The acceleration test reads pass rates with test-set sizes; anything else is a typed error,
/// and all-zero small sizes are read, not NaN.
#[test]
fn the_acceleration_test_needs_pass_rates_with_test_set_sizes() {
    use emergence_detect::acceleration_test;
    let x: Vec<f64> = (0..6).map(|i| 10f64.powf(8.0 + 0.8 * i as f64)).collect();
    let y = vec![0.0, 0.0, 0.0, 0.001, 0.2, 0.9];
    let no_n = Curve::builder(x.clone(), y.clone()).build().unwrap();
    assert!(matches!(
        acceleration_test(&no_n),
        Err(Error::InvalidSetting { .. })
    ));
    let percent = Curve::builder(x.clone(), y.iter().map(|v| v * 100.0).collect())
        .n_examples(vec![1000.0; 6])
        .build()
        .unwrap();
    assert!(acceleration_test(&percent).is_err());
    let short = Curve::builder(x[..3].to_vec(), y[..3].to_vec())
        .n_examples(vec![1000.0; 3])
        .build()
        .unwrap();
    assert!(matches!(
        acceleration_test(&short),
        Err(Error::TooFewPoints { .. })
    ));
    let zeros = Curve::builder(x, y)
        .n_examples(vec![1000.0; 6])
        .build()
        .unwrap();
    let test = acceleration_test(&zeros).unwrap();
    assert!(test.transformed.iter().all(|z| z.is_finite()));
    assert!(test.accelerating, "{}", test.reason);
    assert!(test.curvature < 0.0 && test.curvature_se > 0.0);
}

/// Several smooth steps that must all succeed are found, with their number; one smooth trend is
/// not taken for several.
#[test]
fn composed_steps_are_found_and_a_single_trend_is_not_split() {
    use emergence_detect::composed_steps_test;
    let x = sizes();
    let steps = Curve::builder(
        x.clone(),
        x.iter()
            .map(|x| (0.35 + 0.14 * (x.log10() - 8.0)).powi(6))
            .collect(),
    )
    .n_examples(vec![5000.0; 9])
    .build()
    .unwrap();
    let test = composed_steps_test(&steps).unwrap();
    assert!(test.composed, "{}", test.reason);
    assert!((test.steps - 6.0).abs() < 1.5, "{}", test.reason);
    let single = Curve::builder(
        x.clone(),
        x.iter().map(|x| 0.2 + 0.08 * (x.log10() - 8.0)).collect(),
    )
    .n_examples(vec![5000.0; 9])
    .build()
    .unwrap();
    let test = composed_steps_test(&single).unwrap();
    assert!(!test.composed, "{}", test.reason);
}

/// A jump from zero that one clamped straight line describes (`k` = 1) is not "several steps":
/// the nested model clamps like the composed one, so the test measures `k` alone.
#[test]
fn a_clamped_single_trend_is_not_taken_for_several_steps() {
    use emergence_detect::composed_steps_test;
    let x = sizes();
    let y: Vec<f64> = x
        .iter()
        .map(|x| (0.45 * (x.log10() - 10.0)).clamp(0.0, 1.0))
        .collect();
    let c = Curve::builder(x, y)
        .n_examples(vec![2000.0; 9])
        .build()
        .unwrap();
    let test = composed_steps_test(&c).unwrap();
    assert!(!test.composed, "{}", test.reason);
    assert!(test.statistic < 4.0, "{}", test.reason);
}

/// The pass-rate tests refuse multiple-choice accuracies (a chance level above 0), and a jump
/// sharper than any number of steady steps is not read as "several steps".
#[test]
fn pass_rate_tests_refuse_chance_above_zero_and_a_step_is_not_several_steps() {
    use emergence_detect::{Error, acceleration_test, composed_steps_test};
    let x = sizes();
    let mc = Curve::builder(
        x.clone(),
        x.iter().map(|x| 0.25 + 0.05 * (x.log10() - 8.0)).collect(),
    )
    .n_examples(vec![2000.0; 9])
    .chance(0.25)
    .build()
    .unwrap();
    for err in [
        acceleration_test(&mc).map(|_| ()).unwrap_err(),
        composed_steps_test(&mc).map(|_| ()).unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::InvalidSetting { what: "chance", .. }),
            "{err}"
        );
    }
    // zero up to 1e10, then 0.9: a threshold, not a few steps
    let step = Curve::builder(
        x.clone(),
        x.iter()
            .map(|x| if x.log10() < 10.2 { 0.0 } else { 0.9 })
            .collect(),
    )
    .n_examples(vec![2000.0; 9])
    .chance(0.0)
    .build()
    .unwrap();
    let test = composed_steps_test(&step).unwrap();
    assert!(!test.composed, "{}", test.reason);
}
