//! Bit-identical results across runs, across 1 and 2 rayon threads, and whatever else shares the
//! batch.
#![cfg(feature = "rayon")]

use crate::common;
use common::synthetic::synthetic_curve;
use emergence_detect::{Classification, Curve, DefaultClassifier, classify_all};

fn curves() -> Vec<Curve> {
    (0..40).map(synthetic_curve).collect()
}

fn bits(c: &Classification) -> Vec<u64> {
    let mut out = vec![c.confidence.to_bits(), c.category as u64];
    for f in &c.fits {
        out.extend(f.fit.params().iter().map(|v| v.to_bits()));
        out.push(f.weight.to_bits());
    }
    if let Some(e) = c.critical_scale {
        out.extend([e.value.to_bits(), e.lower.to_bits(), e.upper.to_bits()]);
    }
    if let Some(t) = c.turn {
        out.extend([t.location.lower.to_bits(), t.location.upper.to_bits()]);
    }
    out
}

fn run(threads: usize, curves: &[Curve]) -> Vec<Vec<u64>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let classifier = DefaultClassifier::default();
    pool.install(|| classify_all(&classifier, curves))
        .iter()
        .map(|r| bits(r.as_ref().unwrap()))
        .collect()
}

#[test]
fn one_and_two_threads_agree_bit_for_bit() {
    let cs = curves();
    let one = run(1, &cs);
    let two = run(2, &cs);
    assert_eq!(one, two);
    // and again: runs do not drift
    assert_eq!(one, run(2, &cs));
}

#[test]
fn batch_neighbours_do_not_matter() {
    let cs = curves();
    let all = run(2, &cs);
    // every curve alone, and the batch reversed
    for (i, c) in cs.iter().enumerate() {
        assert_eq!(run(1, std::slice::from_ref(c))[0], all[i]);
    }
    let reversed: Vec<Curve> = cs.iter().rev().cloned().collect();
    let back = run(2, &reversed);
    for (i, b) in back.iter().rev().enumerate() {
        assert_eq!(*b, all[i]);
    }
}
