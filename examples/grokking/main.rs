//! Grokking, reproduced in pure Rust: a one-hidden-layer network learns `(a + b) mod 53` from 60% of
//! the pairs. With weight decay it fits its training pairs within a few dozen steps and generalises
//! to the held-out ones only after about a thousand more; without weight decay (the control) it
//! never does. Each run's log is written as CSV, plotted as SVG on a log-step axis with the
//! detected steps marked, and analysed by `emergence_detect::training`.
//!
//! ```bash
//! cargo run --release --features plot --example grokking [-- OUT_DIR] [--seeds N] [--quick]
//! ```
//!
//! `--seeds N` trains both runs for seeds 1 to N (two at a time) and prints one row per run;
//! `--quick` trains the small recipe the tests use (p = 23, 80% of the pairs, weight decay 0.5,
//! 800 steps). The recipe (p = 53, 60% of the pairs for training, 64-dimensional embeddings of
//! both operands concatenated, 64 ReLU units, full-batch AdamW with learning rate 3e-2 and weight
//! decay 0.1) follows a public reference implementation of Power et al. (2022), "Grokking:
//! generalization beyond overfitting on small algorithmic datasets".

mod modular;

use emergence_detect::plot;
use emergence_detect::training::{TrainingAnalysis, TrainingLog, analyze_training};
use modular::{Logged, Recipe};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let seeds: u64 = match args.iter().position(|a| a == "--seeds") {
        Some(i) => args.get(i + 1).ok_or("--seeds needs a number")?.parse()?,
        None => 1,
    };
    let out_dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--seeds"))
        .map_or_else(|| PathBuf::from("out"), |(_, a)| PathBuf::from(a));
    std::fs::create_dir_all(&out_dir)?;
    let base = if quick {
        Recipe {
            modulus: 23,
            train_fraction: 0.8,
            weight_decay: 0.5,
            steps: 800,
            ..Recipe::default()
        }
    } else {
        Recipe::default()
    };
    let mut csv = String::from("run_id,step,train_acc,val_acc,train_loss,val_loss\n");
    println!(
        "{:<22} {:<18} {:>12} {:>14} {:>8}   reason",
        "run", "category", "memorized", "generalized", "delay"
    );
    for seed in 1..=seeds {
        let runs = [
            (format!("weight_decay_seed{seed}"), base.weight_decay),
            (format!("control_seed{seed}"), 0.0),
        ];
        // the two runs of a seed train side by side
        let logs: Vec<Vec<Logged>> = std::thread::scope(|scope| {
            let handles: Vec<_> = runs
                .iter()
                .map(|(_, decay)| {
                    let recipe = Recipe {
                        weight_decay: *decay,
                        seed,
                        ..base.clone()
                    };
                    scope.spawn(move || modular::train(&recipe))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("training does not panic"))
                .collect()
        });
        for ((name, _), log) in runs.iter().zip(&logs) {
            for l in log {
                writeln!(
                    csv,
                    "{name},{},{},{},{},{}",
                    l.step,
                    l.train_accuracy,
                    l.validation_accuracy,
                    l.train_loss,
                    l.validation_loss
                )?;
            }
            let (training_log, analysis) = analyse(log)?;
            print_row(name, &analysis);
            let path = out_dir.join(format!("{name}.svg"));
            plot::write_training_svg(&training_log, &analysis, name, &path)?;
        }
    }
    let path = out_dir.join("grokking_logs.csv");
    std::fs::write(&path, csv)?;
    report_files(&out_dir, &path);
    Ok(())
}

/// The accuracy log of a run and its analysis.
fn analyse(log: &[Logged]) -> Result<(TrainingLog, TrainingAnalysis), emergence_detect::Error> {
    let steps = log.iter().map(|l| l.step as f64).collect();
    let training_log = TrainingLog::builder(steps)
        .train(log.iter().map(|l| l.train_accuracy).collect())
        .validation(log.iter().map(|l| l.validation_accuracy).collect())
        .build()?;
    let analysis = analyze_training(&training_log)?;
    Ok((training_log, analysis))
}

fn print_row(name: &str, a: &TrainingAnalysis) {
    let step = |t: Option<emergence_detect::training::LearningTransition>| {
        t.map_or("-".to_string(), |t| format!("{:.0}", t.step))
    };
    let delay = a
        .delay
        .map_or("-".to_string(), |d| format!("x{:.1}", d.ratio));
    println!(
        "{name:<22} {:<18} {:>12} {:>14} {:>8}   {}",
        a.category.as_str(),
        step(a.memorization),
        step(a.generalization),
        delay,
        a.reason
    );
}

fn report_files(out_dir: &Path, csv: &Path) {
    println!(
        "\nlogs: {} (analyse them again with `emergence grokking {}`)\nplots: {}/*.svg",
        csv.display(),
        csv.display(),
        out_dir.display()
    );
}
