//! `compare-pairs [PAIRS_PER_KIND] [SEED]`: synthetic baseline/treatment pairs with known truth,
//! compared with and without test-set sizes. Prints, per kind of pair, how often the gain's
//! category is right, the coverage of the gain's 90% critical-scale interval, how often a
//! treatment that hurts the smallest model is caught, false alarms, and the transition of
//! U-shaped baselines that the treatment turns into scaling.
//!
//! Kinds: an emergent gain (a logistic from zero), a constant gain, no gain, a gain that hurts
//! small models and helps large ones (linear in log size), and a U-shaped baseline with a
//! steadily rising treatment. Baselines are flat near chance or rising steadily; 4-10
//! log-spaced sizes between 1e8 and 1e12; 200-2,000 binomial test items per point.

use crate::rng::Rng;
use emergence_detect::{
    Category, CompareOptions, Comparison, Curve, DefaultClassifier, compare_all,
};
use std::time::Instant;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    EmergentGain,
    ConstantGain,
    NoGain,
    HurtsSmall,
    UToScaling,
}

const KINDS: [Kind; 5] = [
    Kind::EmergentGain,
    Kind::ConstantGain,
    Kind::NoGain,
    Kind::HurtsSmall,
    Kind::UToScaling,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::EmergentGain => "emergent gain",
            Kind::ConstantGain => "constant gain",
            Kind::NoGain => "no gain",
            Kind::HurtsSmall => "hurts small, helps large",
            Kind::UToScaling => "U baseline, rising treatment",
        }
    }
}

/// One generated pair: the true scores, the test-set size, and the truth to score against.
struct Truth {
    kind: Kind,
    x: Vec<f64>,
    baseline: Vec<f64>,
    treatment: Vec<f64>,
    n: usize,
    /// The gain's true critical scale (emergent gains).
    critical_x: Option<f64>,
}

const CHANCE: f64 = 0.25;

fn generate(kind: Kind, rng: &mut Rng) -> Truth {
    let m = 4 + (rng.next_u64() % 7) as usize;
    let (t_lo, t_hi) = (8.0, 12.0);
    let t: Vec<f64> = (0..m)
        .map(|j| t_lo + (t_hi - t_lo) * j as f64 / (m - 1) as f64)
        .collect();
    let n = [200, 500, 1000, 2000][(rng.next_u64() % 4) as usize];
    // the baseline: flat near chance, or a steady rise
    let steady = rng.uniform(0.0, 1.0) < 0.5;
    let slope = rng.uniform(0.02, 0.06);
    let start = CHANCE + rng.uniform(0.0, 0.05);
    let mut baseline: Vec<f64> = t
        .iter()
        .map(|t| {
            if steady {
                start + slope * (t - t_lo)
            } else {
                start
            }
        })
        .collect();
    let mut critical_x = None;
    let gain: Vec<f64> = match kind {
        Kind::EmergentGain => {
            let size = rng.uniform(0.2, 0.5);
            let k = rng.uniform(3.0, 8.0);
            let t0 = rng.uniform(t_lo + 1.0, t_hi - 1.0);
            let g = |t: f64| size / (1.0 + (-k * (t - t0)).exp());
            let half = 0.5 * (g(t_lo) + g(t_hi));
            critical_x = Some(10f64.powf(t0 - (size / half - 1.0).ln() / k));
            t.iter().map(|&t| g(t)).collect()
        }
        Kind::ConstantGain => {
            let c = rng.uniform(0.08, 0.2);
            vec![c; m]
        }
        Kind::NoGain => vec![0.0; m],
        Kind::HurtsSmall => {
            let hurt = rng.uniform(0.1, 0.2);
            let help = rng.uniform(0.15, 0.35);
            t.iter()
                .map(|t| -hurt + (hurt + help) * (t - t_lo) / (t_hi - t_lo))
                .collect()
        }
        Kind::UToScaling => {
            let depth = rng.uniform(0.15, 0.3);
            let turn = rng.uniform(9.5, 10.5);
            let top = CHANCE + 0.05 + depth;
            let width = (turn - t_lo).max(t_hi - turn);
            baseline = t
                .iter()
                .map(|t| top - depth * (1.0 - ((t - turn) / width).powi(2)))
                .collect();
            // the treatment rises steadily from the baseline's first score
            let rise = rng.uniform(0.2, 0.4);
            t.iter()
                .zip(&baseline)
                .map(|(t, b)| baseline[0] + rise * (t - t_lo) / (t_hi - t_lo) - b)
                .collect()
        }
    };
    let treatment: Vec<f64> = baseline
        .iter()
        .zip(&gain)
        .map(|(b, g)| (b + g).clamp(0.0, 1.0))
        .collect();
    Truth {
        kind,
        x: t.iter().map(|t| 10f64.powf(*t)).collect(),
        baseline,
        treatment,
        n,
        critical_x,
    }
}

/// The measured pair: binomial draws of both curves, with or without their test-set sizes.
fn measure(truth: &Truth, rng: &mut Rng, with_n: bool) -> (Curve, Curve) {
    let mut draw = |p: &[f64]| -> Curve {
        let y: Vec<f64> = p.iter().map(|p| rng.proportion(*p, truth.n)).collect();
        let mut b = Curve::builder(truth.x.clone(), y).chance(CHANCE);
        if with_n {
            b = b.n_examples(vec![truth.n as f64; truth.x.len()]);
        }
        b.build().expect("valid by construction")
    };
    let baseline = draw(&truth.baseline);
    let treatment = draw(&truth.treatment);
    (baseline, treatment)
}

#[derive(Default)]
struct Tally {
    pairs: usize,
    right: usize,
    emergent_with_interval: usize,
    covered: usize,
    width_decades: f64,
    smallest_hurt_caught: usize,
    false_hurts: usize,
}

/// Whether the comparison reads the pair as its truth says.
fn right(kind: Kind, c: &Comparison) -> bool {
    let gain = c.gain_classification.category;
    match kind {
        Kind::EmergentGain => gain == Category::Emergent,
        Kind::ConstantGain => gain == Category::Flat && c.mean_gain_is_real && c.mean_gain > 0.0,
        Kind::NoGain => gain == Category::Flat && !c.mean_gain_is_real,
        Kind::HurtsSmall => gain == Category::Scaling,
        Kind::UToScaling => {
            c.transition.from == Category::UShaped && c.transition.to == Category::Scaling
        }
    }
}

pub fn main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let per_kind: usize = args.first().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1);
    let classifier = DefaultClassifier::builder()
        .confidence_level(0.9)
        .build()
        .expect("valid settings");
    let options = CompareOptions::default();
    let mut rng = Rng::new(seed);
    let truths: Vec<Truth> = KINDS
        .iter()
        .flat_map(|&k| (0..per_kind).map(move |_| k))
        .map(|k| generate(k, &mut rng))
        .collect();
    for with_n in [true, false] {
        let mut draw_rng = Rng::new(seed ^ 0xA5A5_A5A5);
        let pairs: Vec<(Curve, Curve)> = truths
            .iter()
            .map(|t| measure(t, &mut draw_rng, with_n))
            .collect();
        let start = Instant::now();
        let results = compare_all(&classifier, &pairs, &options);
        let elapsed = start.elapsed().as_secs_f64();
        let mut tallies: Vec<Tally> = KINDS.iter().map(|_| Tally::default()).collect();
        let mut failures = 0;
        for (truth, result) in truths.iter().zip(&results) {
            let k = KINDS.iter().position(|&k| k == truth.kind).unwrap_or(0);
            let tally = &mut tallies[k];
            tally.pairs += 1;
            let Ok(c) = result else {
                failures += 1;
                continue;
            };
            tally.right += usize::from(right(truth.kind, c));
            if let (Some(truth_x), Some(e)) =
                (truth.critical_x, c.gain_classification.critical_scale)
                && c.gain_classification.category == Category::Emergent
                && e.lower < e.upper
            {
                tally.emergent_with_interval += 1;
                tally.covered += usize::from(e.lower <= truth_x && truth_x <= e.upper);
                tally.width_decades += e.upper.log10() - e.lower.log10();
            }
            let hurts_smallest = c.hurts_at.first() == Some(&truth.x[0]);
            match truth.kind {
                Kind::HurtsSmall => tally.smallest_hurt_caught += usize::from(hurts_smallest),
                Kind::EmergentGain | Kind::ConstantGain | Kind::NoGain => {
                    tally.false_hurts += usize::from(!c.hurts_at.is_empty())
                }
                Kind::UToScaling => {}
            }
        }
        println!(
            "== {} test-set sizes: {} pairs in {:.2} s on the thread pool ({failures} errors)",
            if with_n { "with" } else { "without" },
            pairs.len(),
            elapsed
        );
        println!(
            "{:<30} {:>6} {:>9} {:>26} {:>14} {:>12}",
            "kind", "pairs", "right", "90% interval coverage", "smallest hurt", "false hurts"
        );
        for (kind, t) in KINDS.iter().zip(&tallies) {
            let coverage = if t.emergent_with_interval > 0 {
                format!(
                    "{:.3} ({} of {}, {:.2} dec)",
                    t.covered as f64 / t.emergent_with_interval as f64,
                    t.covered,
                    t.emergent_with_interval,
                    t.width_decades / t.emergent_with_interval as f64
                )
            } else {
                "-".to_string()
            };
            let hurt = if *kind == Kind::HurtsSmall {
                format!("{:.3}", t.smallest_hurt_caught as f64 / t.pairs as f64)
            } else {
                "-".to_string()
            };
            let false_hurts = match kind {
                Kind::HurtsSmall | Kind::UToScaling => "-".to_string(),
                _ => format!("{:.3}", t.false_hurts as f64 / t.pairs as f64),
            };
            println!(
                "{:<30} {:>6} {:>9.3} {:>26} {:>14} {:>12}",
                kind.name(),
                t.pairs,
                t.right as f64 / t.pairs as f64,
                coverage,
                hurt,
                false_hurts
            );
        }
    }
}
