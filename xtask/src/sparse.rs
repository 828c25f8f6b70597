//! `sparse [DATA_DIR]`: published curves read as a paper's table reads them. For every curve of
//! `$DATA/real/curves.csv` with test-set sizes: the verdict with its noise information against
//! the verdict without it, on the whole curve and on its three largest sizes (PaLM-style
//! 8B/62B/540B tables). Prints how often the verdict without noise is inconclusive, how often a
//! decisive one agrees with the verdict with noise, how often it is the opposite trend, and the
//! evidence levels; then the same in a batch where every other curve keeps its test-set sizes
//! and lends them (`classify_all_lending_noise`), for the three largest sizes and whole curves.

use crate::calibration::Calibration;
use emergence_detect::io::read_curves;
use emergence_detect::{
    Category, Classification, Curve, DefaultClassifier, Evidence, classify,
    classify_all_lending_noise,
};

/// `sparse --synthetic DIR [OUT]`: labelled curves (`DIR/curves.csv`, `DIR/labels.csv`) read as
/// a paper's table: 3, 4 or 5 sizes spread over each curve's range, without test-set sizes, as
/// fractions and as percentages. Prints the accuracy against the labels (alone, and in a batch
/// where every other curve keeps its sizes and lends them), the inconclusive share, the recall
/// per label, and whether fractions and percentages gave identical results; with `OUT`, writes
/// the subsampled curves with their test-set sizes (`OUT/k3/curves.csv`, ...) for the peers.
fn synthetic() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "../shared/data/synthetic".into());
    let out = args.get(4).cloned();
    let records = read_curves(format!("{dir}/curves.csv")).expect("curves.csv reads");
    let labels: std::collections::HashMap<String, String> =
        emergence_detect::io::read_labels(format!("{dir}/labels.csv"))
            .expect("labels.csv reads")
            .into_iter()
            .collect();
    let category = |label: &str| Category::ALL.into_iter().find(|c| c.as_str() == label);
    println!(
        "{:<3} {:>6} {:>10} {:>12} {:>14} {:>16} {:>12} {:>12}   recall per label (alone)",
        "k",
        "curves",
        "alone",
        "inconclusive",
        "lent, batch",
        "with test sizes",
        "% category",
        "% all"
    );
    for k in [3usize, 4, 5] {
        let mut rows: Vec<(String, Category, Curve, Curve, Curve)> = Vec::new();
        for r in &records {
            let (Ok(c), Some(truth)) = (&r.curve, labels.get(&r.id).and_then(|l| category(l)))
            else {
                continue;
            };
            if c.len() < k {
                continue;
            }
            let n = c.len();
            let keep: Vec<usize> = (0..k)
                .map(|j| ((j * (n - 1)) as f64 / (k - 1) as f64).round() as usize)
                .collect();
            let (Ok(sized), Some(bare)) = (c.subset(&keep), without_noise(c, &keep)) else {
                continue;
            };
            let Some(percent) = in_percent(&bare) else {
                continue;
            };
            rows.push((r.id.clone(), truth, sized, bare, percent));
        }
        let (mut right, mut inconclusive, mut same, mut right_sized) = (0, 0, 0, 0);
        let mut same_category = 0;
        let mut calibration = Calibration::default();
        let mut unit_gap: f64 = 0.0;
        let mut recall: Vec<(Category, usize, usize)> =
            Category::ALL.into_iter().map(|c| (c, 0, 0)).collect();
        for (_, truth, sized, bare, percent) in &rows {
            let (Ok(a), Ok(b), Ok(s)) = (classify(bare), classify(percent), classify(sized)) else {
                continue;
            };
            right += usize::from(a.category == *truth);
            calibration.add(a.confidence, a.category == *truth);
            right_sized += usize::from(s.category == *truth);
            inconclusive += usize::from(a.category == Category::Inconclusive);
            let alike = a.category == b.category
                && a.evidence == b.evidence
                && (a.confidence - b.confidence).abs() < 1e-6;
            same += usize::from(alike);
            same_category += usize::from(a.category == b.category);
            if a.category == b.category {
                unit_gap = unit_gap.max((a.confidence - b.confidence).abs());
            }
            if let Some(r) = recall.iter_mut().find(|(c, _, _)| c == truth) {
                r.1 += usize::from(a.category == *truth);
                r.2 += 1;
            }
        }
        // every other curve keeps its test-set sizes and lends them to the rest
        let batch: Vec<Curve> = rows
            .iter()
            .enumerate()
            .map(|(i, (_, _, sized, bare, _))| {
                if i % 2 == 0 {
                    sized.clone()
                } else {
                    bare.clone()
                }
            })
            .collect();
        let lent = classify_all_lending_noise(&DefaultClassifier::default(), &batch);
        let (mut lent_right, mut lent_total) = (0, 0);
        for (i, (_, truth, ..)) in rows.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
            lent_total += 1;
            lent_right += usize::from(lent[i].as_ref().is_ok_and(|c| c.category == *truth));
        }
        let total = rows.len().max(1) as f64;
        let share = |v: usize, of: f64| v as f64 / of.max(1.0);
        let per_label: Vec<String> = recall
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(c, r, n)| format!("{} {:.2}", c.as_str(), *r as f64 / *n as f64))
            .collect();
        println!(
            "{k:<3} {:>6} {:>10.3} {:>12.3} {:>14.3} {:>16.3} {:>12} {:>12}   {}",
            rows.len(),
            share(right, total),
            share(inconclusive, total),
            share(lent_right, lent_total as f64),
            share(right_sized, total),
            format!("{same_category}/{}", rows.len()),
            format!("{same}/{}", rows.len()),
            per_label.join(", ")
        );
        let (top, at_top) = calibration.top();
        println!(
            "    alone: {at_top} verdicts at confidence >= 0.99, {top:.3} right; expected calibration error {:.3}; largest confidence gap between percent and fraction {unit_gap:.1e}",
            calibration.expected_error()
        );
        if let Some(out) = &out {
            write_subsample(&format!("{out}/k{k}"), &rows);
        }
    }
}

/// The same curve in percent: scores and chance level times 100, maximum 100.
fn in_percent(c: &Curve) -> Option<Curve> {
    let mut b = Curve::builder(c.x().to_vec(), c.y().iter().map(|y| 100.0 * y).collect())
        .y_max(100.0 * c.y_max())
        .higher_is_better(c.higher_is_better())
        .labels(c.labels().clone());
    if let Some(ch) = c.chance() {
        b = b.chance(100.0 * ch);
    }
    b.build().ok()
}

/// Writes the subsampled curves with their test-set sizes, in the peers' layout.
fn write_subsample(dir: &str, rows: &[(String, Category, Curve, Curve, Curve)]) {
    std::fs::create_dir_all(dir).expect("the output directory can be made");
    let mut curves =
        String::from("curve_id,family,task,metric,shots,x_params,y,y_random,n_examples\n");
    let mut labels = String::from("curve_id,label\n");
    for (id, truth, sized, ..) in rows {
        let Some(n) = sized.n_examples() else {
            continue;
        };
        let points = sized.x().iter().zip(sized.y()).zip(n);
        for ((x, y), items) in points {
            curves.push_str(&format!(
                "{id},f,t,accuracy,0,{x:e},{y},{},{items}\n",
                sized.chance().map_or(String::new(), |c| c.to_string()),
            ));
        }
        labels.push_str(&format!("{id},{}\n", truth.as_str()));
    }
    std::fs::write(format!("{dir}/curves.csv"), curves).expect("curves.csv writes");
    std::fs::write(format!("{dir}/labels.csv"), labels).expect("labels.csv writes");
}

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
    if std::env::args().nth(2).as_deref() == Some("--synthetic") {
        return synthetic();
    }
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
