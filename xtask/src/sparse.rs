//! `sparse [DATA_DIR]`: published curves read as a paper's table reads them. For every curve of
//! `$DATA/real/curves.csv` with test-set sizes: the verdict with its noise information against
//! the verdict without it, on the whole curve and on its three largest sizes (PaLM-style
//! 8B/62B/540B tables). Prints how often the verdict without noise is inconclusive, how often a
//! decisive one agrees with the verdict with noise, how often it is the opposite trend, and the
//! evidence levels.

use emergence_detect::io::read_curves;
use emergence_detect::{
    Category, Curve, DefaultClassifier, Evidence, classify, classify_all_lending_noise,
};

fn without_noise(c: &Curve, keep: &[usize]) -> Option<Curve> {
    let x: Vec<f64> = keep.iter().map(|&i| c.x()[i]).collect();
    let y: Vec<f64> = keep.iter().map(|&i| c.y()[i]).collect();
    let mut b = Curve::builder(x, y)
        .y_max(c.y_max())
        .higher_is_better(c.higher_is_better())
        .labels(c.labels().clone());
    if let Some(ch) = c.chance() {
        b = b.chance(ch);
    }
    b.build().ok()
}

fn opposite(a: Category, b: Category) -> bool {
    use Category::*;
    let up = |c: Category| matches!(c, Scaling | Emergent);
    let down = |c: Category| matches!(c, InverseScaling);
    (up(a) && down(b))
        || (down(a) && up(b))
        || matches!((a, b), (UShaped, InvertedU) | (InvertedU, UShaped))
}

pub fn main() {
    let dir = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "../shared/data/real".to_string());
    let records = read_curves(format!("{dir}/curves.csv")).expect("curves.csv reads");
    for (label, last) in [("whole curves", usize::MAX), ("three largest sizes", 3)] {
        let (mut total, mut inconclusive, mut decisive, mut agree, mut flipped) = (0, 0, 0, 0, 0);
        let mut effect = 0;
        for r in &records {
            let Ok(curve) = &r.curve else { continue };
            if curve.n_examples().is_none() || curve.len() < 3 {
                continue;
            }
            let n = curve.len();
            let keep: Vec<usize> = (n.saturating_sub(last.min(n))..n).collect();
            let Ok(with) = curve.subset(&keep) else {
                continue;
            };
            let (Ok(a), Some(bare)) = (classify(&with), without_noise(curve, &keep)) else {
                continue;
            };
            let Ok(b) = classify(&bare) else { continue };
            total += 1;
            if b.evidence == Evidence::EffectSize {
                effect += 1;
            }
            if b.category == Category::Inconclusive {
                inconclusive += 1;
                continue;
            }
            if a.category == Category::Inconclusive {
                continue;
            }
            decisive += 1;
            agree += usize::from(a.category == b.category);
            flipped += usize::from(opposite(a.category, b.category));
        }
        println!(
            "{label:<20} {total} curves: without noise inconclusive {inconclusive} ({:.1}%), decided by effect size {effect}; decisive both ways {decisive}: same verdict {agree} ({:.1}%), opposite trend {flipped}",
            100.0 * inconclusive as f64 / total.max(1) as f64,
            100.0 * agree as f64 / decisive.max(1) as f64
        );
    }
    lending(&records);
}

/// Every other curve keeps its test-set sizes; the rest are cut to their three largest sizes
/// and lose them, and the batch lends them the median test-set size of their metric.
fn lending(records: &[emergence_detect::io::CurveRecord]) {
    let usable: Vec<&Curve> = records
        .iter()
        .filter_map(|r| r.curve.as_ref().ok())
        .filter(|c| c.n_examples().is_some() && c.len() >= 3)
        .collect();
    let mut batch = Vec::with_capacity(usable.len());
    let mut targets = Vec::new();
    for (i, c) in usable.iter().enumerate() {
        if i % 2 == 0 {
            batch.push((*c).clone());
            continue;
        }
        let n = c.len();
        let keep: Vec<usize> = (n - 3..n).collect();
        let (Ok(with), Some(bare)) = (c.subset(&keep), without_noise(c, &keep)) else {
            continue;
        };
        targets.push((batch.len(), with));
        batch.push(bare);
    }
    let results = classify_all_lending_noise(&DefaultClassifier::default(), &batch);
    let (mut total, mut inconclusive, mut decisive, mut agree, mut flipped) = (0, 0, 0, 0, 0);
    let mut by_evidence = [0usize; 3];
    for (i, with) in &targets {
        let (Ok(b), Ok(a)) = (&results[*i], classify(with)) else {
            continue;
        };
        total += 1;
        by_evidence[match b.evidence {
            Evidence::Statistical => 0,
            Evidence::EffectSize => 1,
            _ => 2,
        }] += 1;
        if b.category == Category::Inconclusive {
            inconclusive += 1;
            continue;
        }
        if a.category == Category::Inconclusive {
            continue;
        }
        decisive += 1;
        agree += usize::from(a.category == b.category);
        flipped += usize::from(opposite(a.category, b.category));
    }
    println!(
        "three largest sizes, noise lent by the batch: {total} curves: inconclusive {inconclusive} ({:.1}%), effect size {}, assumed noise {}; decisive both ways {decisive}: same verdict {agree} ({:.1}%), opposite trend {flipped}",
        100.0 * inconclusive as f64 / total.max(1) as f64,
        by_evidence[1],
        by_evidence[2],
        100.0 * agree as f64 / decisive.max(1) as f64
    );
}
