//! Synthetic training logs with known truth, for the tests and `xtask grokking`: a training and a
//! validation accuracy measured on finite sets (binomial noise) at linearly or geometrically
//! spaced steps, with known memorization and generalization steps (where each true curve completes
//! 90% of its rise). Two shapes: a sigmoid in log step (the analysis's own model) and an
//! exponential approach in linear steps (another process: asymmetric on the log axis).
#![allow(dead_code)]

pub use super::rng::Rng;
use emergence_detect::training::{TrainingCategory, TrainingLog};

/// The true shape of each transition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A sigmoid in log step.
    LogSigmoid,
    /// `1 - exp(-step / tau)`: an exponential approach in linear steps.
    Exponential,
}

/// One rise from `from` to `to` completing 90% at `step90`.
#[derive(Debug, Clone, Copy)]
struct Rise {
    from: f64,
    to: f64,
    step90: f64,
    /// 10%-90% width in decades (sigmoid shape only).
    width: f64,
}

impl Rise {
    fn at(&self, shape: Shape, step: f64) -> f64 {
        let fraction = match shape {
            Shape::LogSigmoid => {
                let k = 2.0 * 9f64.ln() / self.width;
                let t0 = self.step90.log10() - self.width / 2.0;
                1.0 / (1.0 + (-k * (step.log10() - t0)).exp())
            }
            Shape::Exponential => {
                let tau = self.step90 / 10f64.ln();
                1.0 - (-step / tau).exp()
            }
        };
        self.from + (self.to - self.from) * fraction
    }
}

/// A synthetic run and its truth.
pub struct Run {
    pub log: TrainingLog,
    pub truth: TrainingCategory,
    pub memorization: f64,
    /// For grokking and simultaneous runs.
    pub generalization: Option<f64>,
}

/// The kinds the generator draws.
pub const KINDS: [TrainingCategory; 5] = [
    TrainingCategory::Grokking,
    TrainingCategory::Simultaneous,
    TrainingCategory::NoGeneralization,
    TrainingCategory::NotMemorized,
    TrainingCategory::Unstable,
];

/// How hard the logs are to read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Difficulty {
    /// 1,000-5,000 rows, sets of 256-5,000 examples, delays of grokking runs from 1.3 decades,
    /// of simultaneous ones up to 0.6.
    Standard,
    /// 150-600 geometrically spaced rows, sets of 64-256 examples, delays of grokking runs from 1.1 decades (12.6
    /// times, near the default threshold of 10), of simultaneous ones up to 0.8 (6.3 times).
    Hard,
}

/// Draws one run of the given kind.
pub fn run(kind: TrainingCategory, shape: Shape, rng: &mut Rng) -> Run {
    run_with(kind, shape, Difficulty::Standard, rng)
}

/// Draws one run of the given kind and difficulty.
pub fn run_with(
    kind: TrainingCategory,
    shape: Shape,
    difficulty: Difficulty,
    rng: &mut Rng,
) -> Run {
    let hard = difficulty == Difficulty::Hard;
    let classes = 10.0 + rng.uniform(0.0, 100.0).floor();
    let chance = 1.0 / classes;
    let last = 10f64.powf(rng.uniform(3.3, 5.0)).round();
    let rows = if hard {
        rng.uniform(150.0, 600.0)
    } else {
        rng.uniform(1000.0, 5000.0)
    }
    .round();
    // a short log spaced linearly would hide the memorization in its first rows: hard logs are
    // spaced geometrically
    let steps: Vec<f64> = if !hard && rng.uniform(0.0, 1.0) < 0.5 {
        // every `every` steps
        let every = (last / rows).ceil().max(1.0);
        (1..=(last / every) as usize)
            .map(|i| i as f64 * every)
            .collect()
    } else {
        // geometrically spaced from step 1, deduplicated
        let mut s: Vec<f64> = (0..rows as usize)
            .map(|i| 10f64.powf(last.log10() * i as f64 / (rows - 1.0)).round())
            .collect();
        s.dedup();
        s
    };
    let (lo, hi) = (steps[0].log10(), steps[steps.len() - 1].log10());
    let span = hi - lo;
    let sizes = if hard {
        [64.0, 128.0, 256.0]
    } else {
        [256.0, 1000.0, 5000.0]
    };
    let n_train = sizes[(rng.next_u64() % 3) as usize];
    let n_val = sizes[(rng.next_u64() % 3) as usize];
    let width = |rng: &mut Rng| rng.uniform(0.3, 1.0);
    // the training rise, 90% done well inside the log
    let delay = match kind {
        TrainingCategory::Grokking if hard => rng.uniform(1.1, (span - 1.9).max(1.15)),
        TrainingCategory::Grokking => rng.uniform(1.3, (span - 1.9).max(1.35)),
        TrainingCategory::Simultaneous if hard => rng.uniform(0.0, 0.8),
        TrainingCategory::Simultaneous => rng.uniform(0.0, 0.6),
        _ => rng.uniform(0.0, 0.8),
    };
    // the log starts at least 1.3 decades before the memorization step, so it sees the start level
    let m90 = 10f64.powf(rng.uniform(lo + 1.3, (hi - 0.5 - delay).max(lo + 1.35)));
    let train_top = match kind {
        TrainingCategory::NotMemorized => rng.uniform(0.25, 0.7),
        _ => rng.uniform(0.97, 1.0),
    };
    let train = Rise {
        from: chance,
        to: train_top,
        step90: m90,
        width: width(rng),
    };
    let g90 = m90 * 10f64.powf(delay);
    let val_top = match kind {
        TrainingCategory::Grokking => rng.uniform(0.9, 1.0),
        TrainingCategory::Simultaneous => rng.uniform(0.65, 1.0),
        TrainingCategory::NoGeneralization => chance + rng.uniform(0.0, 0.1),
        TrainingCategory::NotMemorized => chance + rng.uniform(0.0, 0.3),
        _ => rng.uniform(0.75, 1.0),
    };
    let val = Rise {
        from: chance,
        to: val_top,
        step90: g90,
        width: width(rng),
    };
    // the collapse of an unstable run: back to near chance well before the end
    let collapse_end = g90 * 10f64.powf(rng.uniform(0.4, 0.8));
    let collapse = Rise {
        from: 0.0,
        to: 1.0,
        step90: collapse_end.min(10f64.powf(hi - 0.3)),
        width: 0.3,
    };
    let kept = rng.uniform(0.0, 0.3);
    let mut train_values = Vec::with_capacity(steps.len());
    let mut val_values = Vec::with_capacity(steps.len());
    for &s in &steps {
        train_values.push(rng.measured(train.at(shape, s), n_train));
        let mut v = val.at(shape, s);
        if kind == TrainingCategory::Unstable {
            let c = collapse.at(Shape::LogSigmoid, s).clamp(0.0, 1.0);
            v = v * (1.0 - c) + (chance + kept * (val_top - chance)) * c;
        }
        val_values.push(rng.measured(v, n_val));
    }
    let log = TrainingLog::builder(steps)
        .train(train_values)
        .validation(val_values)
        .build()
        .expect("synthetic logs are valid");
    let generalizes = matches!(
        kind,
        TrainingCategory::Grokking | TrainingCategory::Simultaneous
    );
    Run {
        log,
        truth: kind,
        memorization: m90,
        generalization: generalizes.then_some(g90),
    }
}
