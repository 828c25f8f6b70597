//! The public API as a user meets it: thread safety, readable `Debug`, settings checked when they
//! are made.

use emergence_detect::{
    Candidate, Category, Classification, ClassifierBuilder, Criterion, Curve, CurveBuilder,
    DefaultClassifier, Error, Estimate, Fit, FitOptions, Linear, Logistic, Pin, RankedFit,
    Settings, Shape, Thresholds, Verdict, classify, fit,
};
use std::sync::Arc;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<Curve>();
    assert_send_sync::<CurveBuilder>();
    assert_send_sync::<Fit>();
    assert_send_sync::<FitOptions>();
    assert_send_sync::<Classification>();
    assert_send_sync::<RankedFit>();
    assert_send_sync::<Estimate>();
    assert_send_sync::<Shape>();
    assert_send_sync::<Verdict>();
    assert_send_sync::<DefaultClassifier>();
    assert_send_sync::<ClassifierBuilder>();
    assert_send_sync::<Settings>();
    assert_send_sync::<Thresholds>();
    assert_send_sync::<Candidate>();
    assert_send_sync::<Category>();
    assert_send_sync::<Criterion>();
    assert_send_sync::<Error>();
}

#[test]
fn debug_of_a_fit_names_its_parameters_without_padding() {
    let c = Curve::builder(vec![1e7, 1e8, 1e9, 1e10], vec![0.1, 0.2, 0.32, 0.41])
        .sigma(vec![0.01; 4])
        .build()
        .unwrap();
    let f = fit(Arc::new(Linear), &c, &FitOptions::default().fix("a", 0.0)).unwrap();
    let debug = format!("{f:?}");
    assert!(debug.contains("family: \"linear\""), "{debug}");
    assert!(debug.contains("\"a\": 0 (pinned)"), "{debug}");
    assert!(debug.contains("\"b\": "), "{debug}");
    // no zero-padded parameter arrays or covariance matrices
    assert!(!debug.contains("0.0, 0.0, 0.0"), "{debug}");
    assert!(!debug.contains("cov_free"), "{debug}");
    let result = classify(&c).unwrap();
    assert!(!format!("{result:?}").contains("0.0, 0.0, 0.0, 0.0, 0.0"));
}

#[test]
fn a_pin_on_a_parameter_the_family_lacks_is_refused_at_once() {
    let err = Candidate::new(Logistic)
        .pin("flor", Pin::Chance)
        .unwrap_err();
    match &err {
        Error::UnknownParameter {
            family,
            name,
            known,
        } => {
            assert_eq!(family, "logistic");
            assert_eq!(name, "flor");
            assert!(known.iter().any(|k| k == "floor"));
        }
        other => panic!("expected UnknownParameter, got {other}"),
    }
    assert!(err.to_string().contains("floor"));
}

#[test]
fn invalid_settings_are_typed_errors_at_build_time() {
    let cases: Vec<(&str, ClassifierBuilder)> = vec![
        (
            "significance",
            DefaultClassifier::builder().significance(1.5),
        ),
        (
            "pointwise_up_to",
            DefaultClassifier::builder().pointwise_up_to(5),
        ),
        (
            "min_bootstrap_share",
            DefaultClassifier::builder().min_bootstrap_share(0.0),
        ),
        (
            "max_evaluations",
            DefaultClassifier::builder().max_evaluations(1),
        ),
        ("max_starts", DefaultClassifier::builder().max_starts(0)),
        (
            "candidates",
            DefaultClassifier::builder().candidates(Vec::new()),
        ),
    ];
    for (what, builder) in cases {
        match builder.build() {
            Err(Error::InvalidSetting { what: w, .. }) => assert_eq!(w, what),
            other => panic!("{what}: expected InvalidSetting, got {other:?}"),
        }
    }
    let mut th = Thresholds::default();
    th.goodness_of_fit = 0.0;
    assert!(matches!(
        DefaultClassifier::builder().thresholds(th).build(),
        Err(Error::InvalidSetting {
            what: "goodness_of_fit",
            ..
        })
    ));
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let s = DefaultClassifier::default();
    let s = s.settings();
    let th = s.thresholds();
    assert_eq!(
        (
            th.significance,
            th.min_effect,
            th.min_sharpness,
            th.max_rise_width
        ),
        (0.05, 0.05, 1.9, 0.6)
    );
    assert_eq!(
        (th.chance_tolerance, th.chance_z, th.flat_start),
        (0.1, 2.0, 0.05)
    );
    assert_eq!((th.goodness_of_fit, th.min_scatter_dof), (0.01, 3));
    assert_eq!(
        (s.bootstrap_resamples(), s.max_starts(), s.pointwise_up_to()),
        (100, 1, 3)
    );
    assert_eq!((s.min_bootstrap_share(), s.max_evaluations()), (0.5, 60));
    assert_eq!(s.criterion(), Criterion::Bic);
}
