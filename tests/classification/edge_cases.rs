//! Numerical edge cases: a step, an exact fit, constant scores, two points, fifteen decades of
//! scale, and scores of zero that are censored by the test-set size rather than certain.

use emergence_detect::{Category, Curve, FitOptions, Linear, Logistic, classify, fit};
use std::sync::Arc;

#[test]
fn a_logistic_so_steep_it_is_a_step() {
    let x = vec![1e7, 1e8, 1e9, 1e10, 1e11, 1e12];
    let y = vec![0.25, 0.25, 0.25, 0.85, 0.85, 0.85];
    let c = Curve::builder(x, y)
        .n_examples(vec![1000.0; 6])
        .chance(0.25)
        .build()
        .unwrap();
    let f = fit(Arc::new(Logistic), &c, &FitOptions::default()).unwrap();
    assert!(f.params().iter().all(|v| v.is_finite()));
    assert!(
        f.chi_square() < 1e-3,
        "a step is fitted exactly: {}",
        f.chi_square()
    );
    // the steepness is not identified, the step's size is
    assert!(f.std_error("k").is_none() || f.std_error("k").unwrap() > 1.0);
    let r = classify(&c).unwrap();
    assert_eq!(r.category, Category::Emergent);
    let e = r.critical_scale.unwrap();
    assert!(
        e.value > 1e9 && e.value < 1e10,
        "between the two middle points: {}",
        e.value
    );
}

#[test]
fn a_curve_exactly_on_a_family() {
    let x: Vec<f64> = (0..6).map(|i| 10f64.powf(7.0 + i as f64)).collect();
    let y: Vec<f64> = x.iter().map(|x| 0.1 + 0.1 * (x.log10() - 7.0)).collect();
    let c = Curve::builder(x, y).sigma(vec![0.01; 6]).build().unwrap();
    let f = fit(Arc::new(Linear), &c, &FitOptions::default()).unwrap();
    assert!(f.chi_square() < 1e-20);
    assert!((f.value("b").unwrap() - 0.1).abs() < 1e-12);
    assert!(f.r_squared().unwrap() > 1.0 - 1e-12);
    let r = classify(&c).unwrap();
    assert_eq!(r.category, Category::Scaling);
    assert!(r.fits.iter().all(|f| f.fit.chi_square().is_finite()));
    // the same with unknown noise: the residual scale is zero, nothing becomes NaN
    let exact = Curve::new(c.x().to_vec(), c.y().to_vec()).unwrap();
    let r = classify(&exact).unwrap();
    assert_eq!(r.category, Category::Scaling);
    assert!(r.fits.iter().all(|f| f.criterion.is_finite()));
}

#[test]
fn identical_scores_everywhere() {
    for noise in [true, false] {
        let x: Vec<f64> = (0..7).map(|i| 10f64.powf(7.0 + 0.7 * i as f64)).collect();
        let mut b = Curve::builder(x, vec![0.42; 7]);
        if noise {
            b = b.n_examples(vec![500.0; 7]);
        }
        let r = classify(&b.build().unwrap()).unwrap();
        assert_eq!(r.category, Category::Flat, "noise known: {noise}");
        assert_eq!(r.breakthroughness, None, "every step is flat: infinite");
        assert_eq!(r.linear_r_squared, None);
    }
}

#[test]
fn two_points() {
    let flat = Curve::builder(vec![1e9, 1e10], vec![0.30, 0.31])
        .n_examples(vec![500.0; 2])
        .build()
        .unwrap();
    assert_eq!(classify(&flat).unwrap().category, Category::Flat);
    let down = Curve::builder(vec![1e9, 1e10], vec![0.6, 0.3])
        .n_examples(vec![500.0; 2])
        .build()
        .unwrap();
    assert_eq!(classify(&down).unwrap().category, Category::InverseScaling);
}

#[test]
fn fifteen_decades_of_scale() {
    let x: Vec<f64> = (0..13).map(|i| 10f64.powf(3.0 + i as f64)).collect();
    let y: Vec<f64> = x
        .iter()
        .map(|x| 0.1 + 0.7 / (1.0 + (-3.0 * (x.log10() - 11.0)).exp()))
        .collect();
    let c = Curve::builder(x, y)
        .n_examples(vec![1000.0; 13])
        .chance(0.1)
        .build()
        .unwrap();
    let r = classify(&c).unwrap();
    assert_eq!(r.category, Category::Emergent);
    let e = r.critical_scale.unwrap();
    assert!((e.value.log10() - 11.0).abs() < 0.05, "{}", e.value);
}

#[test]
fn zeros_with_a_test_set_size_are_censored_not_certain() {
    let x: Vec<f64> = (0..6).map(|i| 10f64.powf(7.0 + i as f64)).collect();
    let c = Curve::builder(x, vec![0.0; 6])
        .n_examples(vec![200.0; 6])
        .chance(0.0)
        .build()
        .unwrap();
    // a positive standard error at 0/200
    assert!(c.sigma().iter().all(|s| *s > 0.0));
    assert_eq!(c.resolution(), Some(1.0 / 200.0));
    let r = classify(&c).unwrap();
    assert_eq!(r.category, Category::Flat);
    assert!(r.reason.contains("resolution"), "{}", r.reason);
}

/// An inconclusive answer names what would decide it: the test-set size for a short curve
/// without noise information, and a model size where the competing fits differ most.
#[test]
fn inconclusive_answers_name_what_would_decide_them() {
    use emergence_detect::{Category, Classifier, Curve, DefaultClassifier, classify};
    // a 7-point rise: flat for 100 items, real for very many: the test-set size decides
    let three = Curve::new(vec![1e8, 1e9, 1e10], vec![0.20, 0.24, 0.27]).unwrap();
    let c = classify(&three).unwrap();
    assert_eq!(c.category, Category::Inconclusive);
    assert!(
        c.reason.contains("depends on the test-set size"),
        "{}",
        c.reason
    );
    assert!(
        c.reason.contains("n_examples") && c.reason.contains("sigma"),
        "{}",
        c.reason
    );
    let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
    let curve = Curve::builder(x, vec![0.25, 0.27, 0.33, 0.45, 0.60])
        .n_examples(vec![300.0; 5])
        .chance(0.25)
        .build()
        .unwrap();
    let strict = DefaultClassifier::builder()
        .min_confidence(0.9999)
        .build()
        .unwrap();
    let c = strict.classify(&curve).unwrap();
    if c.category == Category::Inconclusive {
        assert!(c.reason.contains("would decide"), "{}", c.reason);
        assert!(c.reason.contains("size"), "{}", c.reason);
    } else {
        assert!(c.confidence >= 0.9999, "{c}");
    }
}

/// Short curves read off a table, without test-set sizes, are decided by effect size when the
/// verdict holds for any test set of 100 items or more, and say so.
#[test]
fn sparse_curves_without_noise_are_decided_by_effect_size_when_any_noise_agrees() {
    use emergence_detect::{Category, Classifier, Curve, DefaultClassifier, Evidence, classify};
    let x = vec![8e9, 6.2e10, 5.4e11];
    let read = |y: Vec<f64>| {
        classify(&Curve::builder(x.clone(), y).y_max(100.0).build().unwrap()).unwrap()
    };
    let flat = read(vec![0.1, 0.0, 0.3]);
    assert_eq!(
        (flat.category, flat.evidence),
        (Category::Flat, Evidence::EffectSize),
        "{flat}"
    );
    let jump = read(vec![0.0, 1.1, 41.0]);
    assert_eq!(
        (jump.category, jump.evidence),
        (Category::Emergent, Evidence::EffectSize),
        "{jump}"
    );
    assert!(jump.reason.contains("decided by effect size"), "{jump}");
    assert!(jump.to_string().contains("evidence: effect_size"));
    // with the noise given, the same curve is judged statistically
    let given = Curve::builder(x.clone(), vec![0.0, 1.1, 41.0])
        .y_max(100.0)
        .n_examples(vec![500.0; 3])
        .build()
        .unwrap();
    let g = classify(&given).unwrap();
    assert_eq!(
        (g.category, g.evidence),
        (Category::Emergent, Evidence::Statistical)
    );
    // 0 turns the reading off; a test set below one item is refused
    let off = DefaultClassifier::builder()
        .assumed_min_items(0.0)
        .build()
        .unwrap();
    let bare = Curve::builder(x.clone(), vec![0.0, 1.1, 41.0])
        .y_max(100.0)
        .build()
        .unwrap();
    assert_eq!(
        off.classify(&bare).unwrap().category,
        Category::Inconclusive
    );
    assert!(
        DefaultClassifier::builder()
            .assumed_min_items(0.5)
            .build()
            .is_err()
    );
    // a loss has no bounded scale to read an effect size on
    let loss = Curve::builder(x, vec![3.0, 2.5, 1.0])
        .higher_is_better(false)
        .build()
        .unwrap();
    assert_eq!(classify(&loss).unwrap().category, Category::Inconclusive);
}

/// A batch lends the median test-set size of a metric to short curves of that metric without
/// noise (fewer than 12 points, or 2-3 that effect size cannot decide); everything else is
/// classified exactly as by `classify_all`.
#[test]
fn a_batch_lends_noise_only_to_short_curves_without_any() {
    use emergence_detect::{
        Category, Curve, CurveLabels, DefaultClassifier, Evidence, classify_all,
        classify_all_lending_noise,
    };
    let labelled = |metric: &str, x: Vec<f64>, y: Vec<f64>| {
        let mut l = CurveLabels::default();
        l.metric = Some(metric.into());
        Curve::builder(x, y).labels(l)
    };
    let x3 = vec![8e9, 6.2e10, 5.4e11];
    let x6: Vec<f64> = (0..6).map(|i| 10f64.powf(8.0 + 0.7 * i as f64)).collect();
    let curves = vec![
        labelled("accuracy", x3.clone(), vec![0.30, 0.35, 0.60])
            .n_examples(vec![1000.0, 3000.0, 5000.0])
            .build()
            .unwrap(),
        labelled("Accuracy", x3.clone(), vec![0.20, 0.24, 0.28])
            .build()
            .unwrap(),
        labelled("bleu", x3.clone(), vec![0.20, 0.24, 0.28])
            .build()
            .unwrap(),
        labelled("accuracy", x6.clone(), vec![0.2, 0.22, 0.3, 0.45, 0.6, 0.7])
            .build()
            .unwrap(),
    ];
    let classifier = DefaultClassifier::default();
    let lent = classify_all_lending_noise(&classifier, &curves);
    let plain = classify_all(&classifier, &curves);
    let (l1, p1) = (lent[1].as_ref().unwrap(), plain[1].as_ref().unwrap());
    assert_eq!(p1.category, Category::Inconclusive);
    assert_eq!(l1.evidence, Evidence::Assumed);
    assert!(l1.confidence <= 0.95);
    assert!(l1.reason.contains("3000 items"), "{}", l1.reason); // the median of 1000, 3000, 5000
    // six points leave the fits too few degrees of freedom for their own scatter: alone, the
    // curve is decided by effect size; in the batch, it borrows
    let (l3, p3) = (lent[3].as_ref().unwrap(), plain[3].as_ref().unwrap());
    assert_eq!(p3.evidence, Evidence::EffectSize, "{}", p3.reason);
    assert_eq!(l3.evidence, Evidence::Assumed);
    assert!(l3.reason.contains("3000 items"), "{}", l3.reason);
    // another metric has nothing to borrow; curves with noise are untouched
    for i in [0, 2] {
        let (a, b) = (lent[i].as_ref().unwrap(), plain[i].as_ref().unwrap());
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "curve {i}");
    }
    // and a classifier that trusts six points' scatter leaves the longer curve alone
    let trusting = DefaultClassifier::builder()
        .lend_noise_below(0)
        .build()
        .unwrap();
    let lent = classify_all_lending_noise(&trusting, &curves);
    let plain = classify_all(&trusting, &curves);
    let (a, b) = (lent[3].as_ref().unwrap(), plain[3].as_ref().unwrap());
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

/// Without noise information the standard errors behind a verdict are the fits' residual
/// scatter, and the reason says how many degrees of freedom that scatter rests on; with stated
/// noise it quotes plain standard errors.
#[test]
fn residual_scatter_is_named_with_its_degrees_of_freedom() {
    use emergence_detect::{Classifier, Curve, DefaultClassifier, classify};
    let x: Vec<f64> = (0..6).map(|i| 10f64.powf(8.0 + 0.6 * i as f64)).collect();
    let y = vec![0.30, 0.36, 0.41, 0.47, 0.54, 0.60];
    // a classifier told to trust six points' scatter
    let trusting = DefaultClassifier::builder()
        .lend_noise_below(0)
        .build()
        .unwrap();
    let bare = trusting
        .classify(&Curve::new(x.clone(), y.clone()).unwrap())
        .unwrap();
    let fit = bare.representative_fit().unwrap();
    assert_eq!(fit.verdict.residual_dof, Some(fit.fit.dof()));
    assert!(
        bare.reason.contains(&format!(
            "residual scatter on {} degrees of freedom",
            fit.fit.dof()
        )),
        "{}",
        bare.reason
    );
    let sized = Curve::builder(x, y)
        .n_examples(vec![1000.0; 6])
        .build()
        .unwrap();
    let stated = classify(&sized).unwrap();
    assert_eq!(
        stated.representative_fit().unwrap().verdict.residual_dof,
        None
    );
    assert!(
        !stated.reason.contains("residual scatter"),
        "{}",
        stated.reason
    );
}

/// Failing to show a change is not showing flatness: a flat verdict that rests on a net change
/// short of significance carries at most the probability that the change lies within the
/// minimum effect; a curve that is flat by its estimate keeps a high confidence.
#[test]
fn a_flat_verdict_for_want_of_significance_is_not_certain() {
    use emergence_detect::{Category, Curve, classify};
    let x: Vec<f64> = (0..5).map(|i| 10f64.powf(8.0 + 0.8 * i as f64)).collect();
    let unsure = Curve::builder(x.clone(), vec![0.43, 0.47, 0.42, 0.32, 0.38])
        .n_examples(vec![100.0; 5])
        .chance(0.0)
        .build()
        .unwrap();
    let c = classify(&unsure).unwrap();
    assert_eq!(c.category, Category::Flat, "{}", c.reason);
    assert!(c.confidence < 0.5, "{}: {}", c.confidence, c.reason);
    assert!(
        c.reason.contains("within the minimum effect"),
        "{}",
        c.reason
    );

    let steady = Curve::builder(x, vec![0.40, 0.41, 0.40, 0.39, 0.40])
        .n_examples(vec![2000.0; 5])
        .chance(0.0)
        .build()
        .unwrap();
    let c = classify(&steady).unwrap();
    assert_eq!(c.category, Category::Flat, "{}", c.reason);
    assert!(c.confidence > 0.9, "{}: {}", c.confidence, c.reason);
}

/// Every fit that reads a curve as flat is weighed by the probability that its own change lies
/// within the minimum effect, not only the representative one: when the constant leads the
/// ranking (its change is zero by construction) but the other flat readings are shortfalls of
/// significance on a zigzag that rises by 0.16, flatness is far from certain.
#[test]
fn a_flat_verdict_led_by_the_constant_weighs_every_flat_fit() {
    use emergence_detect::{Category, Curve, classify};
    let x = vec![7e9, 1.3e10, 3.3e10, 6.5e10];
    let zigzag = Curve::builder(x, vec![0.17, 0.32, 0.19, 0.33])
        .n_examples(vec![250.0; 4])
        .chance(0.0)
        .build()
        .unwrap();
    let c = classify(&zigzag).unwrap();
    assert_eq!(c.category, Category::Flat, "{}", c.reason);
    assert!(c.confidence < 0.7, "{}: {}", c.confidence, c.reason);
    assert!(c.reason.contains("leaves flatness"), "{}", c.reason);
}

/// Failing to show a turn is not showing its absence: a fall whose fit climbs back at the last
/// size by about the minimum effect, within its noise, is inverse scaling but not certainly
/// so, and the reason says a turn is not ruled out; a fall with no hint of a turn keeps its
/// confidence.
#[test]
fn a_fall_whose_fit_turns_back_within_noise_is_not_certain() {
    use emergence_detect::{Category, Curve, classify};
    let x = vec![1.5e7, 3.7e8, 3.0e9, 3.6e10, 6.0e11];
    let hint = Curve::builder(x.clone(), vec![0.98, 0.64, 0.42, 0.36, 0.41])
        .n_examples(vec![100.0; 5])
        .chance(0.0)
        .build()
        .unwrap();
    let c = classify(&hint).unwrap();
    assert_eq!(c.category, Category::InverseScaling, "{}", c.reason);
    assert!(c.confidence < 0.9, "{}: {}", c.confidence, c.reason);
    assert!(c.reason.contains("turn is not ruled out"), "{}", c.reason);

    let plain = Curve::builder(x, vec![0.98, 0.80, 0.62, 0.44, 0.26])
        .n_examples(vec![100.0; 5])
        .chance(0.0)
        .build()
        .unwrap();
    let c = classify(&plain).unwrap();
    assert_eq!(c.category, Category::InverseScaling, "{}", c.reason);
    assert!(c.confidence > 0.95, "{}: {}", c.confidence, c.reason);
    assert!(!c.reason.contains("turn is not ruled out"), "{}", c.reason);
}

/// Three points show their steps and no more. A rise that starts at chance is as consistent with
/// a jump between the sizes as with a steady climb, so its reading carries 0.5 and names what
/// would decide; a rise from above chance cannot be emergent and keeps its confidence.
#[test]
fn three_points_rising_from_chance_cannot_tell_a_jump_from_a_climb() {
    use emergence_detect::{Category, Curve, classify};
    let x = vec![8e9, 6.2e10, 5.4e11];
    let from_chance = Curve::builder(x.clone(), vec![0.25, 0.60, 0.85])
        .n_examples(vec![1000.0; 3])
        .chance(0.25)
        .build()
        .unwrap();
    let c = classify(&from_chance).unwrap();
    assert_eq!(c.category, Category::Scaling, "{}", c.reason);
    assert!(
        (c.confidence - 0.5).abs() < 1e-12,
        "{}: {}",
        c.confidence,
        c.reason
    );
    assert!(c.reason.contains("more sizes between"), "{}", c.reason);

    let from_above = Curve::builder(x, vec![0.45, 0.70, 0.90])
        .n_examples(vec![1000.0; 3])
        .chance(0.25)
        .build()
        .unwrap();
    let c = classify(&from_above).unwrap();
    assert_eq!(c.category, Category::Scaling, "{}", c.reason);
    assert!(c.confidence > 0.99, "{}: {}", c.confidence, c.reason);
}

/// A three-point step is judged against the minimum effect, not only against zero: a jump of
/// 0.06 at 3 standard errors is real, but whether it is at least the minimum effect of 0.05 is
/// barely more likely than not; and a fall followed by a step back of the minimum effect's size,
/// short of significance, leaves a turn open.
#[test]
fn three_point_confidences_weigh_steps_against_the_minimum_effect() {
    use emergence_detect::{Category, Curve, classify};
    let x = vec![8e9, 6.2e10, 5.4e11];
    let small_jump = Curve::builder(x.clone(), vec![0.25, 0.25, 0.31])
        .sigma(vec![0.014; 3])
        .chance(0.25)
        .build()
        .unwrap();
    let c = classify(&small_jump).unwrap();
    assert_eq!(c.category, Category::Emergent, "{}", c.reason);
    assert!(
        c.confidence > 0.5 && c.confidence < 0.9,
        "{}: {}",
        c.confidence,
        c.reason
    );

    let fall_and_back = Curve::builder(x, vec![0.90, 0.50, 0.55])
        .n_examples(vec![100.0; 3])
        .chance(0.0)
        .build()
        .unwrap();
    let c = classify(&fall_and_back).unwrap();
    assert_eq!(c.category, Category::InverseScaling, "{}", c.reason);
    assert!(c.confidence < 0.6, "{}: {}", c.confidence, c.reason);
    assert!(c.reason.contains("turn is not ruled out"), "{}", c.reason);
}

/// A curve without noise information and too few points to trust its own scatter is read by
/// effect size: over every test set it can plausibly come from. A smooth curve cannot come from
/// a small test set, and the reason names the fewest items its scatter allows; a curve whose
/// reading changes with the test-set size keeps its residual reading at no more than 0.5 and says
/// what the two ends read; a curve with no scatter at all (computed values) is not quoted in
/// astronomical standard errors.
#[test]
fn short_curves_without_noise_are_read_over_every_plausible_test_set() {
    use emergence_detect::{Category, Curve, Evidence, classify};
    let x: Vec<f64> = (0..8).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();

    let smooth = Curve::new(
        x.clone(),
        vec![0.301, 0.349, 0.401, 0.449, 0.501, 0.549, 0.601, 0.649],
    )
    .unwrap();
    let c = classify(&smooth).unwrap();
    assert_eq!(c.category, Category::Scaling, "{}", c.reason);
    assert_eq!(c.evidence, Evidence::EffectSize, "{}", c.reason);
    assert!(
        c.reason.contains("would scatter more than the curve does"),
        "{}",
        c.reason
    );

    let undecided = Curve::new(
        x.clone(),
        vec![0.30, 0.33, 0.29, 0.34, 0.31, 0.36, 0.33, 0.38],
    )
    .unwrap();
    let c = classify(&undecided).unwrap();
    assert!(c.confidence <= 0.5, "{}: {}", c.confidence, c.reason);
    assert!(
        c.reason.contains("depends on the test-set size"),
        "{}",
        c.reason
    );

    let computed = Curve::new(x, vec![0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65]).unwrap();
    let c = classify(&computed).unwrap();
    assert_eq!(c.category, Category::Scaling, "{}", c.reason);
    assert_eq!(c.evidence, Evidence::EffectSize, "{}", c.reason);
    assert!(c.reason.contains("100 items or more"), "{}", c.reason);
}

/// A curve of many points that its fits pass through almost exactly (computed or rounded
/// values) has no sampling noise to test against: it is read by effect size, not quoted in
/// astronomical standard errors of a vanishing residual scatter; a curve that scatters keeps
/// its residual reading.
#[test]
fn a_curve_smoother_than_any_test_set_is_read_by_effect_size() {
    use emergence_detect::{Category, Curve, Evidence, classify};
    let x: Vec<f64> = (0..14).map(|i| 10f64.powf(8.0 + 0.3 * i as f64)).collect();
    let exact: Vec<f64> = (0..14).map(|i| 0.30 + 0.03 * i as f64).collect();
    let c = classify(&Curve::new(x.clone(), exact.clone()).unwrap()).unwrap();
    assert_eq!(c.category, Category::Scaling, "{}", c.reason);
    assert_eq!(c.evidence, Evidence::EffectSize, "{}", c.reason);
    assert!(c.reason.contains("million test items"), "{}", c.reason);

    let scattered: Vec<f64> = exact
        .iter()
        .enumerate()
        .map(|(i, y)| y + if i.is_multiple_of(2) { 0.01 } else { -0.01 })
        .collect();
    let c = classify(&Curve::new(x, scattered).unwrap()).unwrap();
    assert_eq!(c.category, Category::Scaling, "{}", c.reason);
    assert_eq!(c.evidence, Evidence::Statistical, "{}", c.reason);
}
