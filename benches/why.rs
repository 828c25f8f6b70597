//! "Why does it emerge?" benchmarks, one call each on embedded or synthetic curves:
//! `metric_artefact` (two classifications), `per_token_check` (the classifier's menu plus the
//! `p^L` family), `acceleration_test` and `composed_steps_test` (two fits each, no
//! classification), `axis_alignment` (three families on two axes: six classifications) and
//! `difficulty_decomposition` (Wu & Lo's MMLU: eleven classifications of 59 points and ten line
//! fits). `classify_9pt` is the reference.

use criterion::{Criterion, criterion_group, criterion_main};
use emergence_detect::axes::{FamilyCurves, axis_alignment};
use emergence_detect::difficulty::difficulty_decomposition;
use emergence_detect::{
    Curve, acceleration_test, classify, composed_steps_test, datasets, metric_artefact,
    per_token_check,
};
use std::hint::black_box;

/// **Synthetic.** 9 sizes from 1e8 to 1e12; a per-token accuracy rising steadily from 0.3 and
/// its exact match over 4 tokens (2,000 items), and a BLEU-like continuous score of it.
fn pair() -> (Curve, Curve) {
    let x: Vec<f64> = (0..9).map(|i| 10f64.powf(8.0 + 0.5 * i as f64)).collect();
    let p: Vec<f64> = x.iter().map(|x| 0.3 + 0.15 * (x.log10() - 8.0)).collect();
    let exact = Curve::builder(x.clone(), p.iter().map(|p| p.powi(4)).collect())
        .n_examples(vec![2000.0; 9])
        .chance(0.0)
        .build()
        .unwrap();
    let continuous = Curve::builder(x, p.iter().map(|p| 100.0 * p).collect())
        .y_max(100.0)
        .build()
        .unwrap();
    (exact, continuous)
}

fn benches(c: &mut Criterion) {
    let (exact, continuous) = pair();
    let addition = datasets::gpt_neo_3digit_addition().curve;
    let mmlu = datasets::wu_lo_mmlu();
    let families: Vec<FamilyCurves> = [(1e11, "A"), (1e12, "B"), (1e13, "C")]
        .iter()
        .map(|(tokens, name)| {
            let flops: Vec<f64> = exact.x().iter().map(|n| 6.0 * n * tokens).collect();
            let on_flops = Curve::builder(flops, exact.y().to_vec())
                .n_examples(vec![2000.0; 9])
                .chance(0.0)
                .build()
                .unwrap();
            FamilyCurves::new(
                *name,
                vec![("params".into(), exact.clone()), ("flops".into(), on_flops)],
            )
        })
        .collect();
    c.bench_function("classify_9pt", |b| {
        b.iter(|| classify(black_box(&exact)).unwrap())
    });
    c.bench_function("metric_artefact", |b| {
        b.iter(|| metric_artefact(black_box(&exact), black_box(&continuous)).unwrap())
    });
    c.bench_function("per_token_check", |b| {
        b.iter(|| per_token_check(black_box(&exact), 4.0).unwrap())
    });
    c.bench_function("acceleration_test", |b| {
        b.iter(|| acceleration_test(black_box(&addition)).unwrap())
    });
    c.bench_function("composed_steps_test", |b| {
        b.iter(|| composed_steps_test(black_box(&exact)).unwrap())
    });
    c.bench_function("axis_alignment_3x2", |b| {
        b.iter(|| axis_alignment(black_box(&families)).unwrap())
    });
    c.bench_function("difficulty_decomposition_mmlu", |b| {
        b.iter(|| difficulty_decomposition(black_box(&mmlu.groups), &mmlu.overall).unwrap())
    });
}

criterion_group!(why_benches, benches);
criterion_main!(why_benches);
