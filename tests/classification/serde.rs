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
