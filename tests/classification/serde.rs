//! Results serialize (feature `serde`) with the CSV/JSON category names.
#![cfg(feature = "serde")]

use emergence_detect::{classify, datasets};

#[test]
fn a_classification_serializes_to_json() {
    let curve = datasets::gpt_neo_3digit_addition().curve;
    let c = classify(&curve).unwrap();
    let v: serde_json::Value = serde_json::to_value(&c).unwrap();
    assert_eq!(v["category"], "emergent");
    let crit = v["critical_scale"]["value"].as_f64().unwrap();
    assert_eq!(crit.to_bits(), c.critical_scale.unwrap().value.to_bits());
    let fits = v["fits"].as_array().unwrap();
    assert_eq!(fits.len(), c.fits.len());
    assert_eq!(fits[0]["fit"]["family"], c.fits[0].fit.family_name());
    assert_eq!(fits[0]["implies"], "emergent");
    // infinite criteria become null rather than invalid JSON
    let text = serde_json::to_string(&c).unwrap();
    assert!(!text.contains("inf") && !text.contains("NaN"));
    // the curve serializes too
    let cv: serde_json::Value = serde_json::to_value(&curve).unwrap();
    assert_eq!(cv["x"].as_array().unwrap().len(), 5);
}

#[test]
fn a_comparison_serializes_to_json() {
    let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
    let zero = emergence_detect::Curve::builder(x.clone(), vec![0.26; 5])
        .n_examples(vec![1000.0; 5])
        .chance(0.25)
        .build()
        .unwrap();
    let few = emergence_detect::Curve::builder(x, vec![0.26, 0.27, 0.3, 0.62, 0.8])
        .n_examples(vec![1000.0; 5])
        .chance(0.25)
        .build()
        .unwrap();
    let c = emergence_detect::compare(&zero, &few).unwrap();
    let v: serde_json::Value = serde_json::to_value(&c).unwrap();
    assert_eq!(v["transition"]["from"], "flat");
    assert_eq!(v["transition"]["to"], "emergent");
    assert_eq!(v["gain_classification"]["category"], "emergent");
    assert_eq!(v["gain_noise"], "stated");
    assert_eq!(v["gain"].as_array().unwrap().len(), 5);
    assert_eq!(v["reason"], c.reason);
}
