//! `grokking [RUNS_PER_KIND] [SEED]`: the training-curve analysis on synthetic logs with known
//! truth (`tests/common/training_logs.rs`): for each shape, the confusion matrix of the categories,
//! and for runs that generalise the coverage of the memorization and generalization steps' 90%
//! intervals and the median error of each step in decades.

use crate::training_logs::{Difficulty, KINDS, Rng, Shape, run_with};
use emergence_detect::training::{TrainingCategory, analyze_training};

const COLUMNS: [TrainingCategory; 6] = [
    TrainingCategory::Grokking,
    TrainingCategory::Simultaneous,
    TrainingCategory::NoGeneralization,
    TrainingCategory::NotMemorized,
    TrainingCategory::Unstable,
    TrainingCategory::Inconclusive,
];

pub fn main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let per_kind: usize = args.first().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1);
    for (difficulty, shape) in [
        (Difficulty::Standard, Shape::LogSigmoid),
        (Difficulty::Standard, Shape::Exponential),
        (Difficulty::Hard, Shape::LogSigmoid),
        (Difficulty::Hard, Shape::Exponential),
    ] {
        let mut rng = Rng::new(seed);
        let mut matrix = [[0usize; 6]; 5];
        // (covered, errors in decades) for memorization and generalization
        let mut memorization = (0usize, Vec::new());
        let mut generalization = (0usize, Vec::new());
        let started = std::time::Instant::now();
        for (row, kind) in KINDS.iter().enumerate() {
            for _ in 0..per_kind {
                let r = run_with(*kind, shape, difficulty, &mut rng);
                let a = analyze_training(&r.log).expect("default settings are valid");
                let column = COLUMNS.iter().position(|c| *c == a.category).unwrap_or(5);
                matrix[row][column] += 1;
                if let Some(m) = a.memorization
                    && matches!(
                        kind,
                        TrainingCategory::Grokking | TrainingCategory::Simultaneous
                    )
                {
                    let hit = m.step_lo <= r.memorization && r.memorization <= m.step_hi;
                    if !hit && std::env::var("DIAG").is_ok() {
                        eprintln!(
                            "miss {:?} first {} last {} rows {} truth {:.1} est {:.1} [{:.1},{:.1}] start {:.3} plateau {:.3} width {:.2}",
                            shape,
                            r.log.steps()[0],
                            r.log.steps()[r.log.len() - 1],
                            r.log.len(),
                            r.memorization,
                            m.step,
                            m.step_lo,
                            m.step_hi,
                            m.start_level,
                            m.plateau_level,
                            m.width_decades
                        );
                    }
                    memorization.0 += usize::from(hit);
                    memorization.1.push((m.step / r.memorization).log10().abs());
                }
                if let (Some(g), Some(truth)) = (a.generalization, r.generalization) {
                    generalization.0 += usize::from(g.step_lo <= truth && truth <= g.step_hi);
                    generalization.1.push((g.step / truth).log10().abs());
                }
            }
        }
        let elapsed = started.elapsed();
        println!(
            "{difficulty:?} logs, shape {shape:?}, {per_kind} runs per kind, seed {seed} ({:.1} ms per run)",
            elapsed.as_secs_f64() * 1e3 / (5 * per_kind) as f64
        );
        print!("{:<18}", "truth \\ verdict");
        for c in COLUMNS {
            print!("{:>18}", c.as_str());
        }
        println!("{:>10}", "right");
        let mut right = 0;
        for (row, kind) in KINDS.iter().enumerate() {
            print!("{:<18}", kind.as_str());
            for v in matrix[row] {
                print!("{v:>18}");
            }
            right += matrix[row][row];
            println!("{:>10.3}", matrix[row][row] as f64 / per_kind as f64);
        }
        println!("accuracy {:.3}", right as f64 / (5 * per_kind) as f64);
        for (what, (covered, mut errors)) in [
            ("memorization", memorization),
            ("generalization", generalization),
        ] {
            errors.sort_by(f64::total_cmp);
            let n = errors.len();
            println!(
                "{what:<15} step: 90% interval covers the truth {:.3} ({covered}/{n}); median error {:.3} decades (x{:.2})",
                covered as f64 / n.max(1) as f64,
                errors.get(n / 2).copied().unwrap_or(f64::NAN),
                10f64.powf(errors.get(n / 2).copied().unwrap_or(f64::NAN)),
            );
        }
        println!();
    }
}
