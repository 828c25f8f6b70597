//! Why does it emerge: easy and hard questions offsetting each other (`difficulty`), the scale
//! axis a jump lines up on (`axes`), and replicates at one scale.

use emergence_detect::axes::{FamilyCurves, axis_alignment};
use emergence_detect::datasets;
use emergence_detect::difficulty::{
    DecompositionVerdict, difficulty_decomposition, difficulty_decomposition_with,
};
use emergence_detect::{Category, Curve, DefaultClassifier, DuplicatePolicy, Error, classify};

fn sizes() -> Vec<f64> {
    (0..12).map(|i| 10f64.powf(20.0 + 0.3 * i as f64)).collect()
}

fn brier(y: Vec<f64>) -> Curve {
    let n = y.len();
    Curve::builder(sizes(), y)
        .n_examples(vec![1000.0; n])
        .higher_is_better(false)
        .build()
        .unwrap()
}

/// An overall accuracy flat at chance for the first eight sizes, then a jump.
fn flat_then_jump() -> Curve {
    let y: Vec<f64> = (0..12)
        .map(|i| {
            if i < 8 {
                0.25
            } else {
                0.25 + 0.15 * (i - 7) as f64
            }
        })
        .collect();
    Curve::builder(sizes(), y)
        .n_examples(vec![10_000.0; 12])
        .chance(0.25)
        .build()
        .unwrap()
}

#[test]
fn easy_groups_declining_while_hard_ones_improve_explain_the_flat_phase() {
    // easy groups (low Brier) get worse until size 7 and then better; hard groups improve
    let easy = |base: f64| {
        brier(
            (0..12)
                .map(|i| {
                    let t = i as f64;
                    if i <= 7 {
                        base + 0.03 * t
                    } else {
                        base + 0.21 - 0.08 * (t - 7.0)
                    }
                })
                .collect(),
        )
    };
    let hard = |base: f64| brier((0..12).map(|i| base - 0.03 * i as f64).collect());
    let groups = vec![
        easy(0.2),
        easy(0.25),
        easy(0.3),
        hard(0.8),
        hard(0.85),
        hard(0.9),
    ];
    let d = difficulty_decomposition(&groups, &flat_then_jump()).unwrap();
    assert_eq!(d.verdict, DecompositionVerdict::Explains, "{d}");
    assert!(
        d.easy.unwrap().trend < 0.0 && d.hard.unwrap().trend > 0.0,
        "{d}"
    );
    assert!(d.flat_phase_end.unwrap() < sizes()[8]);
    assert!(d.reason.contains("offset each other"), "{d}");
}

#[test]
fn groups_that_all_improve_do_not_offset() {
    let improving = |base: f64| brier((0..12).map(|i| base - 0.02 * i as f64).collect());
    let groups = vec![improving(0.3), improving(0.5), improving(0.7)];
    let d = difficulty_decomposition(&groups, &flat_then_jump()).unwrap();
    assert_eq!(d.verdict, DecompositionVerdict::NoOffset, "{d}");
}

#[test]
fn a_steady_overall_curve_has_no_flat_phase_to_explain_unless_one_is_given() {
    let steady = Curve::builder(sizes(), (0..12).map(|i| 0.3 + 0.04 * i as f64).collect())
        .n_examples(vec![10_000.0; 12])
        .chance(0.25)
        .build()
        .unwrap();
    let improving = |base: f64| brier((0..12).map(|i| base - 0.02 * i as f64).collect());
    let groups = vec![improving(0.3), improving(0.5), improving(0.7)];
    let d = difficulty_decomposition(&groups, &steady).unwrap();
    assert_eq!(d.verdict, DecompositionVerdict::NotEmergent, "{d}");
    assert!(d.easy.is_none() && d.flat_phase_end.is_none());
    let classifier = DefaultClassifier::default();
    let given =
        difficulty_decomposition_with(&classifier, &groups, &steady, Some(sizes()[6])).unwrap();
    assert_eq!(given.flat_phase_end, Some(sizes()[6]));
    assert_eq!(given.verdict, DecompositionVerdict::NoOffset, "{given}");
    assert!(matches!(
        difficulty_decomposition_with(&classifier, &groups, &steady, Some(f64::NAN)),
        Err(Error::InvalidSetting { .. })
    ));
    assert!(matches!(
        difficulty_decomposition(&groups[..1], &steady),
        Err(Error::TooFewPoints { .. })
    ));
}

#[test]
fn published_mmlu_groups_offset_and_arithmetic_is_read_as_the_numbers_say() {
    let mmlu = datasets::wu_lo_mmlu();
    let d = difficulty_decomposition(&mmlu.groups, &mmlu.overall).unwrap();
    assert_eq!(d.verdict, DecompositionVerdict::Explains, "{d}");
    assert_eq!(d.overall.category, Category::Emergent);
    // the easiest groups are U-shaped (worse, then better), the hardest improve
    assert_eq!(
        d.groups[0].classification.category,
        Category::UShaped,
        "{d}"
    );
    assert!(d.offset_ends.unwrap() < d.flat_phase_end.unwrap());
    let arithmetic = datasets::wu_lo_arithmetic();
    let a = difficulty_decomposition(&arithmetic.groups, &arithmetic.overall).unwrap();
    assert_ne!(a.verdict, DecompositionVerdict::Explains, "{a}");
}

#[test]
fn the_axis_on_which_families_jump_together_is_found() {
    let jump = |x: &[f64], at: f64| -> Curve {
        let y: Vec<f64> = x
            .iter()
            .map(|v| 0.02 + 0.9 / (1.0 + (-6.0 * (v.log10() - at)).exp()))
            .collect();
        Curve::builder(x.to_vec(), y)
            .n_examples(vec![2000.0; x.len()])
            .chance(0.0)
            .build()
            .unwrap()
    };
    let n: Vec<f64> = (0..10).map(|i| 10f64.powf(8.0 + 0.35 * i as f64)).collect();
    // three families that jump at one size, trained on very different budgets
    let families: Vec<FamilyCurves> = [(1e11, "A"), (1e12, "B"), (1e13, "C")]
        .iter()
        .map(|(tokens, name)| {
            let flops: Vec<f64> = n.iter().map(|n| 6.0 * n * tokens).collect();
            let at_flops = (6.0 * 3e9 * tokens).log10();
            FamilyCurves::new(
                *name,
                vec![
                    ("params".into(), jump(&n, 9.5)),
                    ("flops".into(), jump(&flops, at_flops)),
                ],
            )
        })
        .collect();
    let a = axis_alignment(&families).unwrap();
    assert_eq!(a.best_axis.as_deref(), Some("params"), "{a}");
    let params = &a.axes[0];
    let flops = &a.axes[1];
    assert_eq!((params.emergent, flops.emergent), (3, 3));
    assert!(params.spread_decades.unwrap() < 0.05, "{a}");
    assert!((flops.spread_decades.unwrap() - 1.0).abs() < 0.1, "{a}");
    assert!(flops.p_value.unwrap() < 0.01, "{a}");
    // families on different axes are refused
    let mut odd = families.clone();
    odd[1].curves.pop();
    assert!(matches!(
        axis_alignment(&odd),
        Err(Error::IncompatibleCurves { .. })
    ));
}

#[test]
fn replicates_at_one_scale_are_kept_and_fitted() {
    let x = vec![1e8, 1e8, 1e9, 1e9, 1e10, 1e10, 1e11, 1e11];
    let y = vec![0.25, 0.26, 0.25, 0.27, 0.5, 0.55, 0.8, 0.82];
    let kept = Curve::builder(x.clone(), y.clone())
        .n_examples(vec![1000.0; 8])
        .chance(0.25)
        .duplicates(DuplicatePolicy::Keep)
        .build()
        .unwrap();
    assert_eq!(kept.len(), 8);
    let c = classify(&kept).unwrap();
    assert!(c.confidence.is_finite() && !c.reason.is_empty());
    // a subset keeps its replicates
    assert_eq!(kept.subset(&[0, 1, 2]).unwrap().len(), 3);
    // the default still rejects them, naming the points
    let err = Curve::builder(x, y).build().unwrap_err();
    assert!(matches!(err, Error::DuplicateScale { .. }));
}

#[cfg(feature = "serde")]
#[test]
fn decompositions_and_alignments_serialise() {
    let mmlu = datasets::wu_lo_mmlu();
    let d = difficulty_decomposition(&mmlu.groups, &mmlu.overall).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["verdict"], "explains");
    assert_eq!(json["groups"].as_array().unwrap().len(), 10);
    assert!(json["easy"]["trend"].as_f64().unwrap() < 0.0);
    let c = mmlu.overall.clone();
    let a = axis_alignment(&[FamilyCurves::new("all", vec![("flops".into(), c)])]).unwrap();
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["axes"][0]["axis"], "flops");
    assert!(json["best_axis"].is_null());
}
