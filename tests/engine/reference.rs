//! Reference tests: the engine against scipy's `curve_fit` on fixtures in `tests/data` (made by
//! `tests/data/make_reference.py`), and the peers' published fit of the 10-point fixture.

use crate::common;

use common::{num, read_rows};
use emergence_detect::{
    BrokenPowerLaw, Constant, Curve, CurveFamily, DoubleLogistic, FitOptions, Hinge, Linear,
    Logistic, Quadratic, SaturatingPowerLaw, fit,
};
use std::sync::Arc;

fn family(name: &str) -> Arc<dyn CurveFamily> {
    match name {
        "constant" => Arc::new(Constant),
        "linear" => Arc::new(Linear),
        "quadratic" => Arc::new(Quadratic),
        "power_law" => Arc::new(SaturatingPowerLaw::default()),
        "broken_power_law" => Arc::new(BrokenPowerLaw::default()),
        "hinge" => Arc::new(Hinge::default()),
        "logistic" => Arc::new(Logistic),
        "double_logistic" => Arc::new(DoubleLogistic),
        other => panic!("unknown family {other}"),
    }
}

fn reference_curve(name: &str) -> Curve {
    let rows: Vec<_> = read_rows("reference_curves.csv")
        .into_iter()
        .filter(|r| r["family"] == name)
        .collect();
    assert!(rows.len() >= 10, "fixture for {name} present");
    Curve::builder(
        rows.iter().map(|r| num(r, "x")).collect(),
        rows.iter().map(|r| num(r, "y")).collect(),
    )
    .sigma(rows.iter().map(|r| num(r, "sigma")).collect())
    .build()
    .unwrap()
}

fn reference_params(name: &str) -> (Vec<f64>, f64) {
    let rows: Vec<_> = read_rows("reference_fits.csv")
        .into_iter()
        .filter(|r| r["family"] == name)
        .collect();
    let params = rows
        .iter()
        .filter(|r| r["param"] != "chi2")
        .map(|r| num(r, "value"))
        .collect();
    let chi2 = rows
        .iter()
        .find(|r| r["param"] == "chi2")
        .map(|r| num(r, "value"))
        .unwrap();
    (params, chi2)
}

#[test]
fn every_family_matches_scipy_to_1e4_relative() {
    for name in [
        "constant",
        "linear",
        "quadratic",
        "power_law",
        "broken_power_law",
        "hinge",
        "logistic",
    ] {
        let curve = reference_curve(name);
        let f = fit(family(name), &curve, &FitOptions::default()).unwrap();
        let (expected, chi2) = reference_params(name);
        assert_eq!(f.params().len(), expected.len());
        for (j, (got, want)) in f.params().iter().zip(&expected).enumerate() {
            let rel = (got - want).abs() / want.abs();
            assert!(
                rel < 1e-4,
                "{name} param {j}: {got} vs scipy {want} (rel {rel:e})"
            );
        }
        assert!(
            (f.chi_square() - chi2).abs() <= 1e-6 * chi2,
            "{name}: chi2 {} vs scipy {chi2}",
            f.chi_square()
        );
        assert!(f.termination().converged(), "{name}: {:?}", f.termination());
    }
}

fn fixture_curve() -> Curve {
    let rows = read_rows("fixture_10pt.csv");
    Curve::builder(
        rows.iter().map(|r| num(r, "x_params")).collect(),
        rows.iter().map(|r| num(r, "y")).collect(),
    )
    .n_examples(rows.iter().map(|r| num(r, "n_examples")).collect())
    .chance(0.25)
    .build()
    .unwrap()
}

#[test]
fn logistic_fixture_matches_scipy_and_lmfit() {
    let f = fit(Arc::new(Logistic), &fixture_curve(), &FitOptions::default()).unwrap();
    // ../shared/peers/README.md: floor 0.2530, ceil 0.8526, k 5.6008 per decade, t0 9.5761
    for (name, want) in [
        ("floor", 0.2530),
        ("ceil", 0.8526),
        ("k", 5.6008),
        ("t0", 9.5761),
    ] {
        let got = f.value(name).unwrap();
        assert!((got - want).abs() / want < 1e-3, "{name}: {got} vs {want}");
    }
    assert_eq!(
        f.starts_at_best(),
        f.starts_tried(),
        "every start reaches the optimum"
    );
}

#[test]
fn logistic_from_one_start_as_the_peers_do() {
    let c = fixture_curve();
    let mean_t = c.t().iter().sum::<f64>() / c.len() as f64;
    let y_lo = c.y().iter().copied().fold(f64::INFINITY, f64::min);
    let y_hi = c.y().iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let opts = FitOptions::default()
        .self_starter(false)
        .start(vec![y_lo, y_hi, 5.0, mean_t]);
    let f = fit(Arc::new(Logistic), &c, &opts).unwrap();
    assert_eq!(f.starts_tried(), 1);
    assert!((f.value("t0").unwrap() - 9.5761).abs() < 1e-3);
}

#[test]
fn broken_power_law_recovers_its_own_noiseless_curve() {
    let truth = [0.9, -0.5, -0.05, 0.8, 9.5, 0.3];
    let fam = BrokenPowerLaw::default();
    let x: Vec<f64> = (0..16).map(|i| 10f64.powf(7.0 + i as f64 / 3.0)).collect();
    let y: Vec<f64> = x.iter().map(|x| fam.eval(x.log10(), &truth)).collect();
    let c = Curve::new(x, y).unwrap();
    let f = fit(Arc::new(fam), &c, &FitOptions::default()).unwrap();
    for (got, want) in f.params().iter().zip(truth) {
        assert!(
            (got - want).abs() < 1e-5 * want.abs().max(0.1),
            "{got} vs {want}"
        );
    }
}

#[test]
fn standard_errors_scale_with_residuals_when_noise_is_unknown() {
    // same curve, noise unknown: the covariance is scaled by the reduced chi-square
    let c = reference_curve("linear");
    let unknown = Curve::new(c.x().to_vec(), c.y().to_vec()).unwrap();
    let f = fit(Arc::new(Linear), &unknown, &FitOptions::default()).unwrap();
    assert!(!f.absolute_sigma());
    let rss: f64 = c
        .t()
        .iter()
        .zip(c.y())
        .map(|(t, y)| (y - f.predict_t(*t)).powi(2))
        .sum();
    let n = c.len() as f64;
    let tm = c.t().iter().sum::<f64>() / n;
    let sxx: f64 = c.t().iter().map(|t| (t - tm).powi(2)).sum();
    let se_b = (rss / (n - 2.0) / sxx).sqrt();
    assert!((f.std_error("b").unwrap() - se_b).abs() < 1e-9 * se_b);
}
