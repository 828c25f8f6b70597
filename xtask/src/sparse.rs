//! `sparse [DATA_DIR]`: published curves read as a paper's table reads them. For every curve of
//! `$DATA/real/curves.csv` with test-set sizes: the verdict with its noise information against
//! the verdict without it, on the whole curve and on its three largest sizes (PaLM-style
//! 8B/62B/540B tables). Prints how often the verdict without noise is inconclusive, how often a
//! decisive one agrees with the verdict with noise, how often it is the opposite trend, and the
//! evidence levels; then the same in a batch where every other curve keeps its test-set sizes
//! and lends them (`classify_all_lending_noise`), for the three largest sizes and whole curves.

use emergence_detect::io::read_curves;
use emergence_detect::{
    Category, Classification, Curve, DefaultClassifier, Evidence, classify,
    classify_all_lending_noise,
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
        let mut tally = Tally::default();
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
            tally.add(&a, &b);
        }
        println!("{label:<20} {}", tally.summary());
    }
    lending(&records, 3);
    lending(&records, usize::MAX);
}

/// Every other curve keeps its test-set sizes; the rest are cut to their three largest sizes
/// and lose them, and the batch lends them the median test-set size of their metric.
fn lending(records: &[emergence_detect::io::CurveRecord], last: usize) {
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
        let keep: Vec<usize> = (n - last.min(n)..n).collect();
        let (Ok(with), Some(bare)) = (c.subset(&keep), without_noise(c, &keep)) else {
            continue;
        };
        targets.push((batch.len(), with));
        batch.push(bare);
    }
    let results = classify_all_lending_noise(&DefaultClassifier::default(), &batch);
    let mut tally = Tally::default();
    for (i, with) in &targets {
        let (Ok(b), Ok(a)) = (&results[*i], classify(with)) else {
            continue;
        };
        tally.add(&a, b);
    }
    let label = if last == usize::MAX {
        "whole curves".to_string()
    } else {
        format!("{last} largest sizes")
    };
    println!("{label}, noise lent by the batch: {}", tally.summary());
}

/// Verdicts without noise information against the verdicts with it.
#[derive(Default)]
struct Tally {
    total: usize,
    inconclusive: usize,
    /// Statistical, effect size, assumed.
    by_evidence: [usize; 3],
    decisive: usize,
    agree: usize,
    flipped: usize,
}

impl Tally {
    /// Adds one curve: `with` its noise information, `without` it.
    fn add(&mut self, with: &Classification, without: &Classification) {
        self.total += 1;
        self.by_evidence[match without.evidence {
            Evidence::Statistical => 0,
            Evidence::EffectSize => 1,
            _ => 2,
        }] += 1;
        if without.category == Category::Inconclusive {
            self.inconclusive += 1;
            return;
        }
        if with.category == Category::Inconclusive {
            return;
        }
        self.decisive += 1;
        self.agree += usize::from(with.category == without.category);
        self.flipped += usize::from(opposite(with.category, without.category));
    }

    fn summary(&self) -> String {
        format!(
            "{} curves: without noise inconclusive {} ({:.1}%), decided by effect size {}, on assumed noise {}; decisive both ways {}: same verdict {} ({:.1}%), opposite trend {}",
            self.total,
            self.inconclusive,
            100.0 * self.inconclusive as f64 / self.total.max(1) as f64,
            self.by_evidence[1],
            self.by_evidence[2],
            self.decisive,
            self.agree,
            100.0 * self.agree as f64 / self.decisive.max(1) as f64,
            self.flipped
        )
    }
}
