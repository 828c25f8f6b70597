//! Comparisons of a baseline and a treatment curve: the gain's category, the transition, where
//! the treatment hurts, alignment of sizes, noise of the gain, batches.

use emergence_detect::{
    Category, CompareOptions, Curve, DefaultClassifier, Error, GainNoise, compare, compare_all,
    compare_with,
};

/// Sizes 10^8 ... 10^12 in half decades.
fn sizes() -> Vec<f64> {
    (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect()
}

fn logistic(x: f64, floor: f64, ceil: f64, k: f64, t0: f64) -> f64 {
    floor + (ceil - floor) / (1.0 + (-k * (x.log10() - t0)).exp())
}

fn measured(y: Vec<f64>, n: f64) -> Curve {
    let len = y.len();
    Curve::builder(sizes(), y)
        .n_examples(vec![n; len])
        .chance(0.25)
        .build()
        .unwrap()
}

/// Zero-shot stays near chance; few-shot jumps past 10^10: the prompt's benefit emerges, with a
/// critical scale between the measured sizes around the jump.
#[test]
fn an_emergent_benefit_is_named_with_its_critical_scale() {
    let base = measured(sizes().iter().map(|_| 0.26).collect(), 2000.0);
    let treat = measured(
        sizes()
            .iter()
            .map(|&x| logistic(x, 0.26, 0.85, 5.0, 10.5))
            .collect(),
        2000.0,
    );
    let c = compare(&base, &treat).unwrap();
    assert_eq!(c.transition.from, Category::Flat);
    assert_eq!(c.transition.to, Category::Emergent);
    assert_eq!(c.gain_classification.category, Category::Emergent, "{c}");
    assert!(c.reason.contains("benefit emerges"), "{}", c.reason);
    let crit = c.gain_classification.critical_scale.unwrap();
    assert!(crit.value > 1e10 && crit.value < 1e11, "{crit:?}");
    assert!(crit.lower <= crit.value && crit.value <= crit.upper);
    assert_eq!(c.gain_noise, GainNoise::Stated);
    assert!(c.hurts_at.is_empty());
}

/// A benefit of 0.10 at every size does not change with scale: the gain is flat, and the reason
/// says it is a constant benefit, not no benefit.
#[test]
fn a_constant_benefit_is_not_called_no_benefit() {
    let base = measured(
        sizes()
            .iter()
            .map(|&x| 0.3 + 0.04 * (x.log10() - 8.0))
            .collect(),
        2000.0,
    );
    let treat = measured(base.y().iter().map(|y| y + 0.10).collect(), 2000.0);
    let c = compare(&base, &treat).unwrap();
    assert_eq!(c.gain_classification.category, Category::Flat, "{c}");
    assert!(c.mean_gain_is_real && (c.mean_gain - 0.10).abs() < 1e-9);
    assert!(c.reason.contains("constant benefit"), "{}", c.reason);
    // and no gain at all is said as such
    let same = compare(&base, &base).unwrap();
    assert!(!same.mean_gain_is_real);
    assert!(same.reason.contains("no real benefit"), "{}", same.reason);
}

/// Chain of thought lowers small models' scores and lifts large ones': the sizes where it hurts
/// are listed, and `hurts_below_x` is the first size where it no longer does.
#[test]
fn the_sizes_where_the_treatment_hurts_are_listed() {
    let base = measured(
        sizes()
            .iter()
            .map(|&x| 0.3 + 0.03 * (x.log10() - 8.0))
            .collect(),
        1000.0,
    );
    let delta = [-0.12, -0.10, -0.08, 0.0, 0.05, 0.12, 0.2, 0.3, 0.35];
    let treat = measured(
        base.y().iter().zip(delta).map(|(y, d)| y + d).collect(),
        1000.0,
    );
    let c = compare(&base, &treat).unwrap();
    assert_eq!(c.hurts_at, sizes()[..3].to_vec(), "{c}");
    assert_eq!(c.hurts_below_x, Some(sizes()[3]));
    assert!(c.reason.contains("hurts at"), "{}", c.reason);
}

/// A U-shaped baseline that chain of thought turns into plain scaling: the transition says so.
#[test]
fn a_u_shape_turned_into_scaling_is_the_transition() {
    let u: Vec<f64> = sizes()
        .iter()
        .map(|&x| {
            let t = (x.log10() - 10.0) / 2.0;
            0.45 + 0.3 * t * t
        })
        .collect();
    let rising: Vec<f64> = sizes()
        .iter()
        .map(|&x| 0.45 + 0.08 * (x.log10() - 8.0))
        .collect();
    let c = compare(&measured(u, 1000.0), &measured(rising, 1000.0)).unwrap();
    assert_eq!(c.transition.from, Category::UShaped, "{c}");
    assert_eq!(c.transition.to, Category::Scaling, "{c}");
    assert!(c.transition.changes());
    assert!(c.reason.starts_with("u_shaped -> scaling"), "{}", c.reason);
}

/// Sizes are aligned on the shared ones; too few shared sizes is an error listing the rest.
#[test]
fn sizes_are_aligned_and_unmatched_ones_reported() {
    let x = sizes();
    let base = measured(x.iter().map(|_| 0.3).collect(), 1000.0);
    let treat = Curve::builder(x[2..].to_vec(), vec![0.4; x.len() - 2])
        .n_examples(vec![1000.0; x.len() - 2])
        .chance(0.25)
        .build()
        .unwrap();
    let c = compare(&base, &treat).unwrap();
    assert_eq!(c.sizes, x[2..].to_vec());
    assert_eq!(c.unmatched_sizes, x[..2].to_vec());
    assert!(c.reason.contains("sizes left out"), "{}", c.reason);
    let far = Curve::builder(vec![1e14, 1e15], vec![0.3, 0.4])
        .build()
        .unwrap();
    match compare(&base, &far) {
        Err(Error::UnmatchedSizes {
            baseline_only,
            treatment_only,
        }) => {
            assert_eq!(baseline_only, x);
            assert_eq!(treatment_only, vec![1e14, 1e15]);
        }
        other => panic!("{other:?}"),
    }
}

/// Curves on different axes, or with opposite directions, cannot be compared.
#[test]
fn incompatible_curves_are_typed_errors() {
    let base = measured(sizes().iter().map(|_| 0.3).collect(), 1000.0);
    let loss = Curve::builder(sizes(), vec![2.0; 9])
        .higher_is_better(false)
        .build()
        .unwrap();
    assert!(matches!(
        compare(&base, &loss),
        Err(Error::IncompatibleCurves { .. })
    ));
}

/// For a lower-is-better metric a fall of the treatment is a gain.
#[test]
fn the_gain_is_in_performance_terms() {
    let loss = |shift: f64| {
        Curve::builder(
            sizes(),
            sizes()
                .iter()
                .map(|x| 3.0 - 0.1 * x.log10() - shift)
                .collect(),
        )
        .sigma(vec![0.01; 9])
        .higher_is_better(false)
        .build()
        .unwrap()
    };
    let c = compare(&loss(0.0), &loss(0.2)).unwrap();
    assert!(
        c.gain.iter().all(|g| (g - 0.2).abs() < 1e-9),
        "{:?}",
        c.gain
    );
}

/// Without noise information the gain's noise is unknown and the reason says so; correlated
/// errors (the same test items) shrink the gain's standard error.
#[test]
fn the_noise_of_the_gain() {
    let plain = |y: Vec<f64>| Curve::builder(sizes(), y).chance(0.25).build().unwrap();
    let base = plain(vec![0.25, 0.26, 0.25, 0.27, 0.26, 0.25, 0.27, 0.26, 0.26]);
    let treat = plain(vec![0.26, 0.25, 0.27, 0.3, 0.45, 0.62, 0.71, 0.75, 0.78]);
    let c = compare(&base, &treat).unwrap();
    assert_ne!(c.gain_noise, GainNoise::Stated);
    assert!(c.reason.contains("gain noise estimated") || c.reason.contains("no noise information"));

    let base = measured(vec![0.3; 9], 1000.0);
    let treat = measured(vec![0.4; 9], 1000.0);
    let classifier = DefaultClassifier::default();
    let independent = compare_with(&classifier, &base, &treat, &CompareOptions::default()).unwrap();
    let paired = compare_with(
        &classifier,
        &base,
        &treat,
        &CompareOptions::default().correlation(0.6).unwrap(),
    )
    .unwrap();
    let (a, b) = (
        independent.gain_sigma.unwrap()[0],
        paired.gain_sigma.unwrap()[0],
    );
    assert!(b < a * 0.75, "{b} vs {a}");
    assert!(
        paired.reason.contains("correlation 0.6"),
        "{}",
        paired.reason
    );
    assert!(CompareOptions::default().correlation(-0.1).is_err());
}

/// A batch keeps its order, isolates a bad pair, and equals the one-by-one results bit for bit.
#[test]
fn batches_match_single_comparisons_and_isolate_failures() {
    let base = measured(sizes().iter().map(|_| 0.26).collect(), 500.0);
    let treat = measured(
        sizes()
            .iter()
            .map(|&x| logistic(x, 0.26, 0.7, 4.0, 10.0))
            .collect(),
        500.0,
    );
    let lonely = Curve::builder(vec![1e14, 1e15], vec![0.3, 0.4])
        .build()
        .unwrap();
    let pairs = vec![
        (base.clone(), treat.clone()),
        (base.clone(), lonely),
        (treat.clone(), base.clone()),
    ];
    let classifier = DefaultClassifier::default();
    let options = CompareOptions::default();
    let batch = compare_all(&classifier, &pairs, &options);
    assert!(batch[1].is_err());
    for (k, (b, t)) in pairs.iter().enumerate() {
        if k == 1 {
            continue;
        }
        let one = compare_with(&classifier, b, t, &options).unwrap();
        assert_eq!(
            format!("{:?}", batch[k].as_ref().unwrap()),
            format!("{one:?}")
        );
    }
}

/// Without noise information, the gain's standard errors are the two curves' residual scatter,
/// even when their verdicts were read by effect size on an assumed test-set size: a wiggle of
/// 0.01 around each curve makes standard errors of about 0.01-0.02, not the ratio of the
/// scatter to an assumed binomial variance.
#[test]
fn without_noise_the_gain_carries_the_curves_residual_scatter() {
    let x: Vec<f64> = (0..8).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
    let wiggle = |i: usize| if i.is_multiple_of(2) { 0.01 } else { -0.01 };
    let base: Vec<f64> = (0..8).map(|i| 0.30 + 0.02 * i as f64 + wiggle(i)).collect();
    let treat: Vec<f64> = (0..8).map(|i| 0.40 + 0.02 * i as f64 - wiggle(i)).collect();
    let c = compare(
        &Curve::new(x.clone(), base).unwrap(),
        &Curve::new(x, treat).unwrap(),
    )
    .unwrap();
    assert_eq!(c.gain_noise, GainNoise::ResidualScatter, "{}", c.reason);
    let sigma = c
        .gain_sigma
        .as_ref()
        .expect("residual scatter on both curves");
    assert!(
        sigma.iter().all(|s| *s > 0.005 && *s < 0.05),
        "{sigma:?}: {}",
        c.reason
    );
    assert!(c.mean_gain_is_real, "{}", c.reason);
}
