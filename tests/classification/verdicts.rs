//! Verdicts an expert would sign: emergence needs the small models at chance, a turn needs the
//! measured points and survives leaving one out, and a spike that emerges then declines says
//! both.

use emergence_detect::{Category, Curve, classify};

/// Sizes 10^8, 10^8.5, ... (`n` of them).
fn half_decades(n: usize) -> Vec<f64> {
    (0..n).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect()
}

fn measured(x: Vec<f64>, y: Vec<f64>, n_examples: f64, chance: f64) -> Curve {
    let n = x.len();
    Curve::builder(x, y)
        .n_examples(vec![n_examples; n])
        .chance(chance)
        .build()
        .unwrap()
}

/// A smooth sigmoid whose smallest model already scores 0.065 above chance (13 standard errors
/// on 10,000 items) rises from the start: a sharp fitted rise is not an emergence from chance,
/// and the reason says why.
#[test]
fn a_sigmoid_that_starts_above_chance_is_not_emergent() {
    let x = vec![1.25e8, 3.5e8, 1.3e9, 2.7e9, 6.7e9, 1.3e10, 3.0e10, 6.6e10];
    let y = vec![0.315, 0.37, 0.545, 0.615, 0.685, 0.71, 0.74, 0.76];
    let c = classify(&measured(x, y, 10_000.0, 0.25)).unwrap();
    assert_eq!(c.category, Category::Scaling, "{c}");
    assert!(!c.reason.contains("from chance level"), "{}", c.reason);
    assert!(
        c.fits
            .iter()
            .all(|f| f.implies != Category::Emergent || f.weight < 0.01),
        "{c}"
    );
}

/// One noisy small model above chance does not decide: the other models before the rise sit at
/// chance, so the jump still emerges from chance.
#[test]
fn one_noisy_small_model_does_not_hide_an_emergence() {
    let x = half_decades(12);
    let y = vec![
        0.56, 0.52, 0.54, 0.57, 0.55, 0.58, 0.95, 0.99, 0.97, 0.97, 0.94, 0.98,
    ];
    let c = classify(&measured(x, y, 100.0, 0.5)).unwrap();
    assert_eq!(c.category, Category::Emergent, "{c}");
    assert!(c.reason.contains("from chance level"), "{}", c.reason);
}

/// A 4-point inverted U whose fall is one point: leaving that point out leaves a plain rise, so
/// the verdict cannot be near certain, and the reason says what it rests on.
#[test]
fn a_turn_that_one_point_makes_is_not_certain() {
    let x = vec![1e9, 3e9, 7e9, 1.6e10];
    let y = vec![0.14, 0.39, 0.44, 0.26];
    let c = classify(&measured(x, y, 250.0, 0.111)).unwrap();
    assert_eq!(c.category, Category::InvertedU, "{c}");
    assert!(c.confidence <= 0.75, "{c}");
    assert!(c.reason.contains("leaving one point out"), "{}", c.reason);
}

/// A turn's arms are measured in the data too: a fitted parabola whose recovering arm exceeds
/// the minimum effect while the measured recovery (0.03) does not is no U.
#[test]
fn a_turn_needs_both_arms_in_the_measured_points() {
    let x = half_decades(6);
    let y = vec![0.62, 0.45, 0.36, 0.33, 0.34, 0.36];
    let c = classify(&measured(x, y, 2_000.0, 0.25)).unwrap();
    assert_ne!(c.category, Category::UShaped, "{c}");
    for f in &c.fits {
        assert_ne!(f.implies, Category::UShaped, "{}: {}", f.label, f.verdict);
    }
}

/// Two-digit addition on a model family: at zero up to 1.4B, 0.80 at 2.8B, then 0.45. An
/// inverted U whose rise emerges from chance: the reason says both, the secondary category is
/// emergent, and the verdict is not near certain (the spike is one model).
#[test]
fn a_spike_that_emerges_then_declines_says_both() {
    let x = vec![7e7, 1.6e8, 4.1e8, 1e9, 1.4e9, 2.8e9, 6.9e9, 1.2e10];
    let y = vec![0.009, 0.005, 0.009, 0.017, 0.067, 0.795, 0.486, 0.446];
    let c = classify(&measured(x, y, 2_000.0, 0.0)).unwrap();
    assert_eq!(c.category, Category::InvertedU, "{c}");
    assert_eq!(c.secondary, Some(Category::Emergent), "{c}");
    assert!(c.reason.contains("emerges from chance"), "{}", c.reason);
    assert!(c.confidence < 0.99, "{c}");
    assert!(c.to_string().starts_with("category: inverted_u"), "{c}");
    assert!(
        c.to_string()
            .lines()
            .next()
            .unwrap()
            .ends_with("; also emergent"),
        "{c}"
    );
}

/// A clean 12-point U keeps its turn whichever point is left out: no tempering, no note.
#[test]
fn a_well_measured_turn_stays_certain() {
    let x = half_decades(12);
    let y: Vec<f64> = (0..12)
        .map(|i| {
            let t = i as f64 / 11.0 - 0.5;
            0.35 + 1.2 * t * t
        })
        .collect();
    let c = classify(&measured(x, y, 1_000.0, 0.25)).unwrap();
    assert_eq!(c.category, Category::UShaped, "{c}");
    assert!(c.confidence > 0.99, "{c}");
    assert!(!c.reason.contains("leaving one point out"), "{}", c.reason);
    assert_eq!(c.secondary, None);
}

/// A 4-point fall that is all in the last model: leaving that model out leaves a flat curve, so
/// inverse scaling cannot be near certain either.
#[test]
fn a_fall_that_one_point_makes_is_not_certain() {
    let x = vec![5.6e8, 1.1e9, 3e9, 7.1e9];
    let y = vec![0.216, 0.224, 0.236, 0.124];
    let c = classify(&measured(x, y, 250.0, 0.167)).unwrap();
    assert_eq!(c.category, Category::InverseScaling, "{c}");
    assert!(c.confidence <= 0.75, "{c}");
    assert!(
        c.reason.contains("the fall rests on single points"),
        "{}",
        c.reason
    );
}
