//! Behaviour of the fitting engine beyond reference values: pinned parameters, bounds, Huber loss,
//! budgets, the fallback, statistics and bands.

use emergence_detect::{
    Bounds, Curve, CurveFamily, FitData, FitOptions, Linear, Logistic, Loss, Quadratic,
    Termination, fit,
};
use std::sync::Arc;

fn emergent_curve() -> Curve {
    emergent_curve_plus(&[0.0; 10])
}

/// The emergent curve of [`emergent_curve`] with `wiggle` added to its ten points.
fn emergent_curve_plus(wiggle: &[f64; 10]) -> Curve {
    let x: Vec<f64> = (0..10).map(|i| 10f64.powf(7.0 + 0.5 * i as f64)).collect();
    let y: Vec<f64> = x
        .iter()
        .zip(wiggle)
        .map(|(x, w)| 0.25 + 0.55 / (1.0 + (-5.0 * (x.log10() - 9.6)).exp()) + w)
        .collect();
    Curve::builder(x, y)
        .n_examples(vec![500.0; 10])
        .chance(0.25)
        .build()
        .unwrap()
}

#[test]
fn pinned_parameter_does_not_move() {
    let opts = FitOptions::default().fix("floor", 0.2);
    let f = fit(Arc::new(Logistic), &emergent_curve(), &opts).unwrap();
    assert_eq!(f.value("floor"), Some(0.2));
    assert!(f.std_error("floor").is_none());
    assert_eq!(f.n_free(), 3);
    assert_eq!(f.fixed(), &[true, false, false, false]);
    let cov = f.covariance().unwrap();
    assert_eq!(cov.row(0).iter().filter(|v| **v != 0.0).count(), 0);
    // pinning at the truth recovers the rest exactly
    let f = fit(
        Arc::new(Logistic),
        &emergent_curve(),
        &FitOptions::default().fix("floor", 0.25),
    )
    .unwrap();
    assert!((f.value("t0").unwrap() - 9.6).abs() < 1e-7);
}

#[test]
fn bounds_are_respected() {
    // the unconstrained optimum has k = 5; cap it at 2
    let opts = FitOptions::default().bound("k", Bounds::new(0.0, 2.0));
    let f = fit(Arc::new(Logistic), &emergent_curve(), &opts).unwrap();
    let k = f.value("k").unwrap();
    assert!(k <= 2.0 && k > 1.9, "k = {k}");
}

#[test]
fn huber_resists_an_outlier() {
    let x: Vec<f64> = (0..9).map(|i| 10f64.powf(7.0 + 0.5 * i as f64)).collect();
    let mut y: Vec<f64> = x.iter().map(|x| 0.1 + 0.05 * x.log10()).collect();
    y[4] += 0.3; // one wild point
    let c = Curve::builder(x, y).sigma(vec![0.01; 9]).build().unwrap();
    let ls = fit(Arc::new(Linear), &c, &FitOptions::default()).unwrap();
    let hub = fit(
        Arc::new(Linear),
        &c,
        &FitOptions::default().loss(Loss::Huber { delta: 1.345 }),
    )
    .unwrap();
    let err = |f: &emergence_detect::Fit| (f.value("b").unwrap() - 0.05).abs();
    assert!(
        err(&hub) < 0.2 * err(&ls).max(1e-12) || err(&hub) < 1e-3,
        "huber {} vs ls {}",
        err(&hub),
        err(&ls)
    );
    assert!((hub.value("a").unwrap() - 0.1).abs() < (ls.value("a").unwrap() - 0.1).abs());
}

#[test]
fn budget_is_a_status_not_an_error() {
    let opts = FitOptions::default()
        .max_evaluations(2)
        .nelder_mead_fallback(false)
        .self_starter(false)
        .start(vec![0.0, 1.0, 0.5, 8.0]);
    let f = fit(Arc::new(Logistic), &emergent_curve(), &opts).unwrap();
    assert_eq!(f.termination(), Termination::BudgetExhausted);
    assert!(!f.termination().converged());
    assert!(f.chi_square().is_finite());
}

/// A family whose analytic gradient is wrong (zero): LM cannot move, Nelder-Mead must.
#[derive(Debug)]
struct NoGradient;

impl CurveFamily for NoGradient {
    fn name(&self) -> &str {
        "no_gradient"
    }
    fn param_names(&self) -> &[&str] {
        &["a", "b"]
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        p[0] + p[1] * t
    }
    fn gradient(&self, _t: f64, _p: &[f64], grad: &mut [f64]) {
        grad[0] = 0.0;
        grad[1] = 0.0;
    }
    fn initial_guesses(&self, _: &FitData) -> Vec<Vec<f64>> {
        vec![vec![0.0, 0.0]]
    }
}

#[test]
fn nelder_mead_rescues_a_family_lm_cannot_move() {
    let c = Curve::new(vec![1e1, 1e2, 1e3, 1e4], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let with = fit(Arc::new(NoGradient), &c, &FitOptions::default()).unwrap();
    assert_eq!(with.termination(), Termination::NelderMead);
    assert!((with.value("b").unwrap() - 1.0).abs() < 1e-4);
    let without = fit(
        Arc::new(NoGradient),
        &c,
        &FitOptions::default().nelder_mead_fallback(false),
    )
    .unwrap();
    assert!(!without.termination().converged());
}

#[test]
fn statistics_are_consistent() {
    let c = Curve::builder(
        vec![1e7, 1e8, 1e9, 1e10, 1e11, 1e12],
        vec![0.20, 0.26, 0.28, 0.37, 0.41, 0.46],
    )
    .sigma(vec![0.02; 6])
    .build()
    .unwrap();
    let f = fit(Arc::new(Linear), &c, &FitOptions::default()).unwrap();
    let chi2: f64 = c
        .t()
        .iter()
        .zip(c.y())
        .map(|(t, y)| ((y - f.predict_t(*t)) / 0.02).powi(2))
        .sum();
    assert!((f.chi_square() - chi2).abs() < 1e-9);
    let (n, k) = (6.0, 2.0);
    assert!((f.aic() - (2.0 * k - 2.0 * f.log_likelihood())).abs() < 1e-9);
    assert!((f.aicc() - f.aic() - 2.0 * k * (k + 1.0) / (n - k - 1.0)).abs() < 1e-9);
    assert!((f.bic() - (k * n.ln() - 2.0 * f.log_likelihood())).abs() < 1e-9);
    assert!((f.reduced_chi_square().unwrap() - chi2 / 4.0).abs() < 1e-12);
    let r2 = f.r_squared().unwrap();
    assert!(r2 > 0.9 && r2 <= 1.0);
    let corr = f.correlation().unwrap();
    assert!((corr[[0, 0]] - 1.0).abs() < 1e-12 && corr[[0, 1]].abs() <= 1.0);
    // a 99% band is wider than a 68% band, and both contain the fit
    let (lo68, hi68) = f.confidence_band(1e9, 0.68).unwrap();
    let (lo99, hi99) = f.confidence_band(1e9, 0.99).unwrap();
    assert!(lo99 < lo68 && hi68 < hi99);
    let (plo, phi) = f.parameter_interval("b", 0.95).unwrap();
    assert!(plo < f.value("b").unwrap() && f.value("b").unwrap() < phi);
    assert!(f.to_string().contains("[[Variables]]"));
}

#[test]
fn exact_fit_terminates_and_quadratic_recovers_vertex() {
    let x: Vec<f64> = (0..7).map(|i| 10f64.powf(7.0 + i as f64)).collect();
    let y: Vec<f64> = x
        .iter()
        .map(|x| 0.5 + 0.02 * (x.log10() - 10.0).powi(2))
        .collect();
    let c = Curve::new(x, y).unwrap();
    let f = fit(Arc::new(Quadratic), &c, &FitOptions::default()).unwrap();
    let (b, cc) = (f.value("b").unwrap(), f.value("c").unwrap());
    assert!((-b / (2.0 * cc) - 10.0).abs() < 1e-8);
    assert!(f.chi_square() < 1e-20);
}

/// A noisy emergent curve (fixed pseudo-noise), so that the optimum has non-zero residuals.
fn noisy_emergent_curve() -> Curve {
    emergent_curve_plus(&[
        0.012, -0.02, 0.007, 0.015, -0.011, -0.004, 0.018, -0.016, 0.009, -0.006,
    ])
}

#[test]
fn a_start_at_the_optimum_costs_one_evaluation() {
    let c = noisy_emergent_curve();
    let first = fit(Arc::new(Logistic), &c, &FitOptions::default()).unwrap();
    assert!(first.termination().converged());
    let again = FitOptions::default()
        .self_starter(false)
        .start(first.params().to_vec());
    // the Newton decrement at the optimum is below ftol: without the final step, no trial step
    // is evaluated; with it (the default), exactly one
    let quick = fit(Arc::new(Logistic), &c, &again.clone().final_step(false)).unwrap();
    assert_eq!(quick.evaluations(), 1, "{:?}", quick.termination());
    let refit = fit(Arc::new(Logistic), &c, &again).unwrap();
    assert_eq!(refit.evaluations(), 2, "{:?}", refit.termination());
    assert_eq!(refit.termination(), Termination::Ftol);
    // the extra step moves the parameters by a negligible share of their standard errors
    for ((a, b), se) in refit
        .params()
        .iter()
        .zip(first.params())
        .zip(first.std_errors())
    {
        let se = se.expect("an identified parameter");
        assert!((a - b).abs() <= 1e-3 * se, "{a} vs {b} (se {se})");
    }
}

#[test]
fn standard_errors_come_from_the_best_start_not_the_last() {
    let c = noisy_emergent_curve();
    // without the final step, a start at the optimum stays there bit for bit
    let exact = FitOptions::default().final_step(false);
    let good = fit(Arc::new(Logistic), &c, &exact).unwrap();
    // one start at the optimum, then one that ends elsewhere (a falling sigmoid far to the right,
    // stopped early by the budget): the last run leaves its own Jacobian in the workspace
    let two = exact
        .clone()
        .self_starter(false)
        .start(good.params().to_vec())
        .start(vec![0.9, 0.1, 0.3, 14.0])
        .max_evaluations(3);
    let both = fit(Arc::new(Logistic), &c, &two).unwrap();
    assert_eq!(both.starts_tried(), 2);
    for (a, b) in both.params().iter().zip(good.params()) {
        assert!((a - b).abs() <= 1e-12 * (1.0 + b.abs()), "{a} vs {b}");
    }
    for name in ["floor", "ceil", "k", "t0"] {
        let (a, b) = (both.std_error(name).unwrap(), good.std_error(name).unwrap());
        assert!((a - b).abs() <= 1e-9 * b, "{name}: {a} vs {b}");
    }
    assert!((both.chi_square() - good.chi_square()).abs() <= 1e-12 * good.chi_square());
}

/// A family needs no self-starter when the caller gives a start, and a trial point where the
/// model is not finite is a rejected step, not a failed fit.
#[test]
fn a_family_without_self_starter_fits_through_non_finite_regions() {
    #[derive(Debug)]
    struct SqrtRise;
    impl CurveFamily for SqrtRise {
        fn name(&self) -> &str {
            "sqrt_rise"
        }
        fn param_names(&self) -> &[&str] {
            &["a", "b"]
        }
        // not finite where b t < 0
        fn eval(&self, t: f64, p: &[f64]) -> f64 {
            p[0] + (p[1] * t).sqrt()
        }
    }
    let t: Vec<f64> = (1..=8).map(f64::from).collect();
    let y: Vec<f64> = t.iter().map(|t| 0.2 + (0.05 * t).sqrt()).collect();
    let curve = Curve::builder(t, y)
        .axis(emergence_detect::Axis::Linear)
        .build()
        .unwrap();
    // from a start whose first steps overshoot into negative b
    let options = FitOptions::default()
        .self_starter(false)
        .start(vec![1.0, 0.001]);
    let f = fit(Arc::new(SqrtRise), &curve, &options).unwrap();
    assert!((f.value("b").unwrap() - 0.05).abs() < 1e-6, "{f}");
    // with neither a self-starter nor a start, a typed error says so
    let none = fit(Arc::new(SqrtRise), &curve, &FitOptions::default()).unwrap_err();
    assert!(none.to_string().contains("no starting point"), "{none}");
}

/// A polynomial in Chebyshev form with `k` coefficients on `t` in [0, 10]: a family as wide as
/// the caller asks.
#[derive(Debug)]
struct Chebyshev {
    names: Vec<&'static str>,
}

impl Chebyshev {
    fn new(k: usize) -> Chebyshev {
        const NAMES: [&str; 17] = [
            "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13",
            "c14", "c15", "c16",
        ];
        Chebyshev {
            names: NAMES[..k].to_vec(),
        }
    }

    fn basis(t: f64, k: usize) -> Vec<f64> {
        let s = t / 5.0 - 1.0;
        let mut out = vec![1.0, s];
        while out.len() < k {
            let n = out.len();
            out.push(2.0 * s * out[n - 1] - out[n - 2]);
        }
        out.truncate(k);
        out
    }
}

impl CurveFamily for Chebyshev {
    fn name(&self) -> &str {
        "chebyshev"
    }
    fn param_names(&self) -> &[&str] {
        &self.names
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        Self::basis(t, p.len())
            .iter()
            .zip(p)
            .map(|(b, c)| b * c)
            .sum()
    }
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        grad[..p.len()].copy_from_slice(&Self::basis(t, p.len()));
    }
}

#[test]
fn sixteen_free_parameters_fit_and_seventeen_are_refused() {
    let t: Vec<f64> = (0..60).map(|i| f64::from(i) / 6.0).collect();
    let truth: Vec<f64> = (0..16).map(|j| 1.0 / (j as f64 + 1.0)).collect();
    let family = Chebyshev::new(16);
    let y: Vec<f64> = t.iter().map(|t| family.eval(*t, &truth)).collect();
    let curve = Curve::builder(t.clone(), y.clone())
        .axis(emergence_detect::Axis::Linear)
        .sigma(vec![0.01; t.len()])
        .build()
        .unwrap();
    let options = FitOptions::default().start(vec![0.0; 16]);
    let f = fit(Arc::new(family), &curve, &options).unwrap();
    assert!(f.termination().converged(), "{}", f.termination());
    for (j, c) in truth.iter().enumerate() {
        assert!(
            (f.params()[j] - c).abs() < 1e-9,
            "c{j}: {} vs {c}",
            f.params()[j]
        );
        assert!(
            f.std_error(&format!("c{j}"))
                .is_some_and(|s| s > 0.0 && s < 0.1)
        );
    }
    let cov = f.covariance().unwrap();
    assert_eq!(cov.dim(), (16, 16));
    assert!((cov[[15, 15]].sqrt() - f.std_error("c15").unwrap()).abs() < 1e-15);

    let wide = Chebyshev::new(17);
    let err = fit(
        Arc::new(wide),
        &curve,
        &FitOptions::default().start(vec![0.0; 17]),
    )
    .expect_err("17 parameters are more than the engine fits");
    assert!(err.to_string().contains("1 to 16"), "{err}");
    assert_eq!(emergence_detect::MAX_PARAMS, 16);
}

/// Merging duplicates changes nothing a fit reports: the merged curve's fit is the fit to the
/// measurements themselves (`Keep`), with unknown noise (weights from group sizes, the scatter
/// inside each group in chi-square and in the residual variance) and with standard errors.
#[test]
fn merging_duplicates_is_exact() {
    let x = vec![1e8, 1e8, 1e8, 1e9, 1e10, 1e10, 1e11, 1e12];
    let y = vec![0.21, 0.27, 0.24, 0.33, 0.41, 0.47, 0.58, 0.69];
    let sigma = vec![0.02, 0.03, 0.025, 0.02, 0.03, 0.02, 0.02, 0.04];
    for with_sigma in [false, true] {
        let build = |policy| {
            let b = Curve::builder(x.clone(), y.clone()).duplicates(policy);
            let b = if with_sigma {
                b.sigma(sigma.clone())
            } else {
                b
            };
            b.build().unwrap()
        };
        let merged = build(emergence_detect::DuplicatePolicy::Merge);
        let kept = build(emergence_detect::DuplicatePolicy::Keep);
        assert_eq!((merged.len(), merged.observations()), (5, 8));
        assert_eq!(kept.observations(), 8);
        let a = fit(Arc::new(Linear), &merged, &FitOptions::default()).unwrap();
        let b = fit(Arc::new(Linear), &kept, &FitOptions::default()).unwrap();
        let close = |u: f64, v: f64| (u - v).abs() <= 1e-9 * u.abs().max(v.abs()).max(1e-12);
        for name in ["a", "b"] {
            assert!(
                close(a.value(name).unwrap(), b.value(name).unwrap()),
                "{name}"
            );
            assert!(
                close(a.std_error(name).unwrap(), b.std_error(name).unwrap()),
                "{name}"
            );
        }
        assert!(
            close(a.chi_square(), b.chi_square()),
            "{} vs {}",
            a.chi_square(),
            b.chi_square()
        );
        assert_eq!((a.n_points(), a.dof()), (b.n_points(), b.dof()));
        if !with_sigma {
            // the same likelihood: the information criteria agree too
            assert!(close(a.aic(), b.aic()) && close(a.bic(), b.bic()));
        }
    }
}

/// Merged test-set sizes pool exactly as counts do, and the scatter of the merged scores about
/// their pooled mean stays in chi-square, in binomial weights.
#[test]
fn merged_test_set_sizes_keep_their_scatter_in_chi_square() {
    let x = vec![1e8, 1e8, 1e9, 1e10];
    let y = vec![0.2, 0.4, 0.5, 0.7];
    let merged = Curve::builder(x, y)
        .n_examples(vec![100.0; 4])
        .duplicates(emergence_detect::DuplicatePolicy::Merge)
        .build()
        .unwrap();
    assert_eq!(merged.n_examples().unwrap()[0], 200.0);
    // three points and two parameters: a line through (1e8, 0.3), (1e9, 0.5), (1e10, 0.7) is exact
    let f = fit(Arc::new(Linear), &merged, &FitOptions::default()).unwrap();
    let s = emergence_detect::binomial_sigma(0.3, 200.0, 1.0);
    let per_item = s * s * 200.0;
    let scatter = 100.0 * (0.1f64.powi(2) + 0.1f64.powi(2)) / per_item;
    assert!(
        (f.chi_square() - scatter).abs() < 1e-9 * scatter,
        "{}",
        f.chi_square()
    );
    assert_eq!(f.dof(), 2);
}
