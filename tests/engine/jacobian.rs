//! Every built-in family's analytic Jacobian against central finite differences, over random
//! parameters and points (proptest).

use emergence_detect::{
    BrokenPowerLaw, ComposedSteps, Constant, CurveFamily, DoubleLogistic, ExactMatchOf, Hinge,
    Linear, Logistic, Quadratic, SaturatingPowerLaw,
};
use proptest::prelude::*;

/// Largest relative disagreement between the analytic gradient and a central difference, after
/// checking that `eval_with_gradient` and `eval_batch` agree bit for bit with `eval` and
/// `gradient`.
fn max_rel_error(family: &dyn CurveFamily, t: f64, p: &[f64]) -> f64 {
    let n = family.n_params();
    let mut g = vec![0.0; n];
    family.gradient(t, p, &mut g);
    let mut g2 = vec![0.0; n];
    let v = family.eval_with_gradient(t, p, &mut g2);
    assert_eq!(v.to_bits(), family.eval(t, p).to_bits(), "value disagrees");
    assert_eq!(g, g2, "eval_with_gradient disagrees with gradient");
    let ts = [t, t + 0.37, t - 1.5];
    let mut batch = [0.0; 3];
    family.eval_batch(&ts, p, &mut batch);
    for (ti, b) in ts.iter().zip(batch) {
        assert_eq!(
            b.to_bits(),
            family.eval(*ti, p).to_bits(),
            "eval_batch disagrees"
        );
    }
    let mut worst: f64 = 0.0;
    let mut q = p.to_vec();
    let mut central = |j: usize, h: f64| {
        q[j] = p[j] + h;
        let up = family.eval(t, &q);
        q[j] = p[j] - h;
        let down = family.eval(t, &q);
        q[j] = p[j];
        (up - down) / (2.0 * h)
    };
    for j in 0..n {
        // Richardson extrapolation of two central differences: truncation error O(h^4)
        let h = 1e-4 * p[j].abs().max(0.1);
        let fd = (4.0 * central(j, 0.5 * h) - central(j, h)) / 3.0;
        // rounding noise of a difference quotient is about eps |v| / h
        let noise = 1e3 * f64::EPSILON * (1.0 + v.abs()) / h;
        let err = ((g[j] - fd).abs() - noise).max(0.0);
        worst = worst.max(err / g[j].abs().max(fd.abs()).max(1e-300));
    }
    worst
}

const TOL: f64 = 1e-5;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn polynomials(t in 5.0..13.0f64, a in -5.0..5.0f64, b in -2.0..2.0f64, c in -0.5..0.5f64) {
        prop_assert!(max_rel_error(&Constant, t, &[a]) < TOL);
        prop_assert!(max_rel_error(&Linear, t, &[a, b]) < TOL);
        prop_assert!(max_rel_error(&Quadratic, t, &[a, b, c]) < TOL);
    }

    #[test]
    fn logistic(t in 5.0..13.0f64, floor in -1.0..1.0f64, ceil in -1.0..2.0f64,
                k in 0.01..8.0f64, t0 in 6.0..12.0f64) {
        prop_assert!(max_rel_error(&Logistic, t, &[floor, ceil, k, t0]) < TOL);
    }

    #[test]
    fn power_law(t in 5.0..13.0f64, c in -1.0..1.0f64, a in -1.0..1.0f64, b in 0.01..1.5f64) {
        prop_assert!(max_rel_error(&SaturatingPowerLaw::default(), t, &[c, a, b]) < TOL);
    }

    #[test]
    fn broken_power_law(t in 5.0..13.0f64, a in -1.0..1.0f64, b in -1.0..1.0f64,
                        c0 in -0.5..0.5f64, c1 in -1.0..1.0f64, t1 in 7.0..11.0f64,
                        f1 in 0.05..2.0f64) {
        prop_assert!(max_rel_error(&BrokenPowerLaw::default(), t, &[a, b, c0, c1, t1, f1]) < TOL);
    }

    #[test]
    fn hinge(t in 5.0..13.0f64, base in -1.0..1.0f64, slope in -1.0..1.0f64,
             t0 in 6.0..12.0f64, width in 0.05..1.0f64) {
        // a sharp hinge has no derivative at the corner: stay off it
        prop_assume!((t - t0).abs() > 1e-2);
        prop_assert!(max_rel_error(&Hinge::default(), t, &[base, slope, t0]) < TOL);
        prop_assert!(max_rel_error(&Hinge::smoothed(width), t, &[base, slope, t0]) < TOL);
    }

    #[test]
    fn exact_match(t in 5.0..13.0f64, floor in 0.05..0.4f64, ceil in 0.6..0.95f64,
                   k in 0.05..4.0f64, t0 in 6.0..12.0f64, length in 1.0..8.0f64) {
        // inside (0, 1), where p^L is smooth
        let em = ExactMatchOf::new(Logistic, length).unwrap();
        prop_assert!(max_rel_error(&em, t, &[floor, ceil, k, t0]) < TOL);
    }

    #[test]
    fn composed_steps(t in 5.0..13.0f64, floor in 0.05..0.4f64, ceil in 0.6..0.95f64,
                      k in 0.05..4.0f64, t0 in 6.0..12.0f64, steps in 1.0..8.0f64) {
        let family = ComposedSteps::new(Logistic);
        prop_assert!(max_rel_error(&family, t, &[floor, ceil, k, t0, steps]) < TOL);
    }

    #[test]
    fn double_logistic(t in 5.0..13.0f64, base in -1.0..1.0f64, a1 in -1.0..1.0f64,
                       t1 in 6.0..12.0f64, a2 in -1.0..1.0f64, t2 in 6.0..12.0f64,
                       k in 0.05..8.0f64) {
        prop_assert!(max_rel_error(&DoubleLogistic, t, &[base, a1, t1, a2, t2, k]) < TOL);
    }

    #[test]
    fn finite_for_any_finite_parameters(t in -1e3..1e3f64,
                                        p in proptest::collection::vec(-1e308..1e308f64, 6)) {
        let families: [&dyn CurveFamily; 9] = [
            &Constant, &Linear, &Quadratic, &Logistic, &SaturatingPowerLaw::default(),
            &BrokenPowerLaw::default(), &Hinge::default(), &Hinge::smoothed(0.2), &DoubleLogistic,
        ];
        for f in families {
            let n = f.n_params();
            let mut q = p[..n].to_vec();
            if f.name() == "broken_power_law" {
                q[5] = q[5].abs().max(1e-300); // the sharpness f1 is positive by definition
            }
            let mut g = vec![0.0; n];
            let v = f.eval_with_gradient(t, &q, &mut g);
            prop_assert!(v.is_finite(), "{} value {v} at {q:?}", f.name());
            prop_assert!(g.iter().all(|x| x.is_finite()), "{} gradient {g:?}", f.name());
        }
    }
}

/// A user family without an analytic gradient gets the finite-difference default.
#[derive(Debug)]
struct Cubic;

impl CurveFamily for Cubic {
    fn name(&self) -> &str {
        "cubic"
    }
    fn param_names(&self) -> &[&str] {
        &["a", "b"]
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        p[0] + p[1] * t * t * t
    }
    fn initial_guesses(&self, _: &emergence_detect::FitData) -> Vec<Vec<f64>> {
        vec![vec![0.0, 0.0]]
    }
}

#[test]
fn default_gradient_is_a_good_difference() {
    let mut g = [0.0; 2];
    Cubic.gradient(2.0, &[1.0, 3.0], &mut g);
    assert!((g[0] - 1.0).abs() < 1e-8);
    assert!((g[1] - 8.0).abs() < 1e-6);
}
