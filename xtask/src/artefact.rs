//! `artefact [PAIRS_PER_KIND] [SEED]`: the metric-artefact check on pairs with known truth, and
//! the explanation tests on the published emergent curves.
//!
//! Pairs (8-10 sizes from 1e8 to 1e12):
//! - **artefact**: a per-token accuracy `p` rising steadily in log scale (from 0.2-0.4 to
//!   0.85-0.98), its exact match `p^L` over `L` = 4-10 tokens (binomial, 1,000-10,000 items), and
//!   a continuous score of the same models, token accuracy `p` measured on `L` times the items
//!   (no chance level);
//! - **genuine**: a jump from chance in both metrics at the same scale (a logistic 0.3-0.5
//!   decades wide).
//!
//! Then `acceleration_test` and `composed_steps_test` on every published curve of
//! `$DATA/real/curves.csv` (DATA_DIR as third argument) that the classifier reads as emergent
//! with binomial noise.

use crate::rng::Rng;
use emergence_detect::io::read_curves;
use emergence_detect::{
    ArtefactVerdict, Category, Curve, DefaultClassifier, acceleration_test, classify,
    composed_steps_test, metric_artefact_with, per_token_check,
};

pub fn main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let per_kind: usize = args.first().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1);
    let data = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "../shared/data/real".to_string());
    let classifier = DefaultClassifier::default();
    let mut rng = Rng::new(seed);
    for artefact in [true, false] {
        let (mut verdicts, mut explained, mut errors) = ([0usize; 3], 0usize, 0usize);
        let mut emergent_discrete = 0;
        for _ in 0..per_kind {
            let m = 8 + (rng.next_u64() % 3) as usize;
            let n = [1_000usize, 10_000][(rng.next_u64() % 2) as usize];
            let x: Vec<f64> = (0..m)
                .map(|j| 10f64.powf(8.0 + 4.0 * j as f64 / (m - 1) as f64))
                .collect();
            let length = (4 + rng.next_u64() % 7) as f64;
            let (p0, p1) = (rng.uniform(0.2, 0.4), rng.uniform(0.85, 0.98));
            let t0 = rng.uniform(9.5, 10.5);
            let width = rng.uniform(0.3, 0.5);
            let k = 2.0 * 9f64.ln() / width;
            let (discrete, continuous): (Vec<f64>, Vec<f64>) = x
                .iter()
                .map(|x| {
                    let t = x.log10();
                    if artefact {
                        let p = p0 + (p1 - p0) * (t - 8.0) / 4.0;
                        (p.powf(length), p)
                    } else {
                        let s = 1.0 / (1.0 + (-k * (t - t0)).exp());
                        (0.9 * s, 0.05 + 0.85 * s)
                    }
                })
                .unzip();
            let d: Vec<f64> = discrete.iter().map(|p| rng.proportion(*p, n)).collect();
            let tokens = n * length as usize;
            let c: Vec<f64> = continuous
                .iter()
                .map(|p| rng.proportion(*p, tokens))
                .collect();
            // exact match has chance 0; a continuous score has no chance level
            let build = |y: Vec<f64>, items: usize, chance: Option<f64>| {
                let b = Curve::builder(x.clone(), y).n_examples(vec![items as f64; m]);
                match chance {
                    Some(c) => b.chance(c).build(),
                    None => b.build(),
                }
            };
            let (Ok(d), Ok(c)) = (build(d, n, Some(0.0)), build(c, tokens, None)) else {
                errors += 1;
                continue;
            };
            match metric_artefact_with(&classifier, &d, &c) {
                Ok(check) => {
                    emergent_discrete += usize::from(check.discrete.category == Category::Emergent);
                    verdicts[match check.verdict {
                        ArtefactVerdict::Artefact => 0,
                        ArtefactVerdict::Genuine => 1,
                        _ => 2,
                    }] += 1;
                }
                Err(_) => errors += 1,
            }
            if artefact && per_token_check(&d, length).is_ok_and(|p| p.explained) {
                explained += 1;
            }
        }
        println!(
            "{:<44} {per_kind} pairs: artefact {}, genuine {}, inconclusive {} (exact match read as emergent in {emergent_discrete}); errors {errors}{}",
            if artefact {
                "steady per-token accuracy under exact match"
            } else {
                "a jump in both metrics"
            },
            verdicts[0],
            verdicts[1],
            verdicts[2],
            if artefact {
                format!("; per_token_check explains {explained}")
            } else {
                String::new()
            }
        );
    }

    // the published emergent curves
    let Ok(records) = read_curves(format!("{data}/curves.csv")) else {
        println!("no published curves at {data}");
        return;
    };
    let (mut emergent, mut accelerating, mut composed, mut rows) = (0, 0, 0, Vec::new());
    for r in records {
        let Ok(curve) = r.curve else { continue };
        if curve.n_examples().is_none() || curve.len() < 5 {
            continue;
        }
        let Ok(c) = classify(&curve) else { continue };
        if c.category != Category::Emergent {
            continue;
        }
        emergent += 1;
        let a = acceleration_test(&curve).ok();
        let s = composed_steps_test(&curve).ok();
        accelerating += usize::from(a.as_ref().is_some_and(|a| a.accelerating));
        composed += usize::from(s.as_ref().is_some_and(|s| s.composed));
        rows.push(format!(
            "| {} | {} | {} |",
            r.id,
            a.map_or("-".into(), |a| format!(
                "{} (curvature {:.2} +- {:.2})",
                if a.accelerating {
                    "accelerating"
                } else {
                    "a law"
                },
                a.curvature,
                a.curvature_se
            )),
            s.map_or("-".into(), |s| format!(
                "{} (k = {:.1}, p = {:.3})",
                if s.composed {
                    "several steps"
                } else if s.steps >= 0.99 * emergence_detect::ComposedSteps::MAX_STEPS {
                    "sharper than any steps"
                } else {
                    "one trend"
                },
                s.steps,
                s.p_value
            ))
        ));
    }
    println!(
        "\npublished emergent curves with test-set sizes (5+ points): {emergent}; faster than any scaling law: {accelerating}; several steps: {composed}"
    );
    println!("| curve | acceleration | composed steps |\n|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}
