//! Every kind of bad input gets a typed error naming the problem, never a panic.

use emergence_detect::{
    Axis, Curve, CurveFamily, DuplicatePolicy, Error, FitData, FitOptions, Linear, Logistic, fit,
};
use std::sync::Arc;

fn x3() -> Vec<f64> {
    vec![1e8, 1e9, 1e10]
}

#[test]
fn nan_and_infinities_name_the_point() {
    let e = Curve::new(x3(), vec![0.1, f64::NAN, 0.3]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonFinite {
                what: "y",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = Curve::new(vec![1e8, f64::INFINITY, 1e10], vec![0.1, 0.2, 0.3]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonFinite {
                what: "x",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = Curve::new(x3(), vec![0.1, 0.2, f64::NEG_INFINITY]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonFinite {
                what: "y",
                index: 2,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn non_positive_x_on_a_log_axis() {
    for bad in [0.0, -5.0] {
        let e = Curve::new(vec![1e8, bad, 1e10], vec![0.1, 0.2, 0.3]).unwrap_err();
        assert_eq!(
            e,
            Error::NonPositiveScale {
                index: 1,
                value: bad
            }
        );
    }
    // fine on a linear axis
    let c = Curve::builder(vec![-1.0, 0.0, 1.0], vec![0.1, 0.2, 0.3])
        .axis(Axis::Linear)
        .build()
        .unwrap();
    assert_eq!(c.t(), &[-1.0, 0.0, 1.0]);
}

#[test]
fn too_few_points() {
    assert_eq!(
        Curve::new(vec![], vec![]).unwrap_err(),
        Error::TooFewPoints {
            found: 0,
            needed: 2
        }
    );
    assert_eq!(
        Curve::new(vec![1e9], vec![0.5]).unwrap_err(),
        Error::TooFewPoints {
            found: 1,
            needed: 2
        }
    );
}

#[test]
fn duplicate_x_rejected_by_default() {
    let e = Curve::new(vec![1e9, 1e8, 1e9], vec![0.1, 0.2, 0.3]).unwrap_err();
    assert_eq!(
        e,
        Error::DuplicateScale {
            first: 0,
            second: 2,
            value: 1e9
        }
    );
    let merged = Curve::builder(vec![1e9, 1e8, 1e9], vec![0.1, 0.2, 0.3])
        .duplicates(DuplicatePolicy::Merge)
        .build()
        .unwrap();
    assert_eq!(merged.len(), 2);
}

#[test]
fn mismatched_lengths() {
    assert_eq!(
        Curve::new(x3(), vec![0.1, 0.2]).unwrap_err(),
        Error::LengthMismatch {
            what: "y",
            expected: 3,
            found: 2
        }
    );
    let e = Curve::builder(x3(), vec![0.1, 0.2, 0.3])
        .sigma(vec![0.1])
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::LengthMismatch { what: "sigma", .. }));
    let e = Curve::builder(x3(), vec![0.1, 0.2, 0.3])
        .n_examples(vec![10.0; 4])
        .build()
        .unwrap_err();
    assert!(matches!(
        e,
        Error::LengthMismatch {
            what: "n_examples",
            ..
        }
    ));
}

#[test]
fn invalid_noise_and_settings() {
    let y = vec![0.1, 0.2, 0.3];
    let e = Curve::builder(x3(), y.clone())
        .sigma(vec![0.1, 0.0, 0.1])
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        Error::InvalidSigma {
            index: 1,
            value: 0.0
        }
    );
    let e = Curve::builder(x3(), y.clone())
        .sigma(vec![0.1, 0.1, f64::NAN])
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidSigma { index: 2, .. }));
    let e = Curve::builder(x3(), y.clone())
        .n_examples(vec![10.0, 0.5, 10.0])
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        Error::InvalidSampleSize {
            index: 1,
            value: 0.5
        }
    );
    let e = Curve::builder(x3(), y.clone())
        .chance(f64::NAN)
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { what: "chance", .. }));
    let e = Curve::builder(x3(), y.clone())
        .y_max(-1.0)
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { what: "y_max", .. }));
    // a proportion outside the metric's range cannot have a binomial standard error
    let e = Curve::builder(x3(), vec![0.1, 1.2, 0.3])
        .n_examples(vec![10.0; 3])
        .y_max(1.0)
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        Error::OutOfRange {
            index: 1,
            value: 1.2,
            y_max: 1.0
        }
    );
}

#[test]
fn constant_y_fits_without_error() {
    let c = Curve::new(vec![1e7, 1e8, 1e9, 1e10], vec![0.3; 4]).unwrap();
    let f = fit(Arc::new(Logistic), &c, &FitOptions::default()).unwrap();
    for t in c.t() {
        assert!((f.predict_t(*t) - 0.3).abs() < 1e-9);
    }
    assert!(f.r_squared().is_none(), "R^2 is undefined for constant y");
    assert!(f.chi_square().is_finite() && f.aic().is_finite());
}

#[test]
fn bad_fit_options_are_typed_errors() {
    let c = Curve::new(vec![1e7, 1e8, 1e9, 1e10], vec![0.1, 0.2, 0.3, 0.5]).unwrap();
    let e = fit(
        Arc::new(Linear),
        &c,
        &FitOptions::default().fix("nope", 1.0),
    )
    .unwrap_err();
    assert!(matches!(e, Error::UnknownParameter { .. }));
    let e = fit(
        Arc::new(Linear),
        &c,
        &FitOptions::default().start(vec![1.0]),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidFamily { .. }));
    let e = fit(
        Arc::new(Linear),
        &c,
        &FitOptions::default().fix("a", f64::NAN),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { .. }));
    let e = fit(
        Arc::new(Linear),
        &c,
        &FitOptions::default().bound("a", emergence_detect::Bounds::new(1.0, 0.0)),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidFamily { .. }));
    let e = fit(
        Arc::new(Linear),
        &c,
        &FitOptions::default().self_starter(false),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidFamily { .. }));
    let two = Curve::new(vec![1e8, 1e9], vec![0.1, 0.2]).unwrap();
    let e = fit(Arc::new(Logistic), &two, &FitOptions::default()).unwrap_err();
    assert_eq!(
        e,
        Error::TooFewPoints {
            found: 2,
            needed: 4
        }
    );
}

/// A family whose value is never finite: no start can be fitted.
#[derive(Debug)]
struct Broken;

impl CurveFamily for Broken {
    fn name(&self) -> &str {
        "broken"
    }
    fn param_names(&self) -> &[&str] {
        &["a"]
    }
    fn eval(&self, _t: f64, _p: &[f64]) -> f64 {
        f64::NAN
    }
    fn initial_guesses(&self, _: &FitData) -> Vec<Vec<f64>> {
        vec![vec![0.0]]
    }
}

#[test]
fn a_family_that_cannot_be_fitted_is_an_error_not_a_panic() {
    let c = Curve::new(x3(), vec![0.1, 0.2, 0.3]).unwrap();
    let e = fit(Arc::new(Broken), &c, &FitOptions::default()).unwrap_err();
    assert!(matches!(e, Error::FitFailed { .. }), "{e}");
}

/// A family with too many parameters for the engine.
#[derive(Debug)]
struct Huge;

impl CurveFamily for Huge {
    fn name(&self) -> &str {
        "huge"
    }
    fn param_names(&self) -> &[&str] {
        &[
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
        ]
    }
    fn eval(&self, _t: f64, p: &[f64]) -> f64 {
        p[0]
    }
    fn initial_guesses(&self, _: &FitData) -> Vec<Vec<f64>> {
        vec![vec![0.0; 17]]
    }
}

#[test]
fn too_many_parameters_is_an_error() {
    let x: Vec<f64> = (1..=24).map(|i| i as f64 * 1e8).collect();
    let c = Curve::new(x, vec![0.5; 24]).unwrap();
    let e = fit(Arc::new(Huge), &c, &FitOptions::default()).unwrap_err();
    assert!(matches!(e, Error::InvalidFamily { .. }), "{e}");
}

/// A chance level or a score that does not fit the curve's scale is an error naming the fix,
/// never a silent reinterpretation: chance 0.25 on percentages, chance 25 on fractions, one score
/// of 1.4 among fractions.
#[test]
fn values_outside_the_curves_scale_are_errors_naming_the_fix() {
    let x = vec![1e8, 1e9, 1e10, 1e11];
    let percent = vec![25.0, 26.0, 48.0, 71.0];
    let err = Curve::builder(x.clone(), percent.clone())
        .chance(0.25)
        .build()
        .unwrap_err();
    match &err {
        emergence_detect::Error::ScaleMismatch { what, y_max, .. } => {
            assert_eq!((*what, *y_max), ("chance", 100.0))
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("give it in percent"), "{err}");
    // said explicitly, a chance below 1% on percentages is accepted
    assert!(
        Curve::builder(x.clone(), percent.clone())
            .chance(0.25)
            .y_max(100.0)
            .build()
            .is_ok()
    );
    assert!(
        Curve::builder(x.clone(), percent)
            .chance(25.0)
            .build()
            .is_ok()
    );
    let fractions = vec![0.25, 0.26, 0.48, 0.71];
    assert!(matches!(
        Curve::builder(x.clone(), fractions).chance(25.0).build(),
        Err(emergence_detect::Error::ScaleMismatch { what: "chance", .. })
    ));
    let stray = vec![0.25, 0.26, 1.4, 0.71];
    let err = Curve::builder(x.clone(), stray.clone())
        .build()
        .unwrap_err();
    assert!(
        matches!(err, emergence_detect::Error::ScaleMismatch { what: "y", value, .. } if value == 1.4),
        "{err}"
    );
    assert!(err.to_string().contains("y_max(100.0)"), "{err}");
    // the scale given explicitly settles it; losses may exceed 1 freely
    assert!(
        Curve::builder(x.clone(), stray.clone())
            .y_max(100.0)
            .build()
            .is_ok()
    );
    assert!(
        Curve::builder(x, stray)
            .higher_is_better(false)
            .build()
            .is_ok()
    );
}
