//! Development tools of emergence-detect, not part of the published crate:
//!
//! ```text
//! cargo run --release -p xtask -- evaluate CURVES.csv LABELS.csv [options]
//! cargo run --release -p xtask -- pooled-noise CURVES.csv
//! cargo run --release -p xtask -- batch-memory [N_CURVES]
//! cargo run --release -p xtask -- nist [--minpack-tolerances]
//! cargo run --release -p xtask -- compare-pairs [PAIRS_PER_KIND] [SEED]
//! cargo run --release -p xtask -- acceleration [CURVES_PER_KIND] [SEED]
//! cargo run --release -p xtask -- steps [CURVES_PER_KIND] [SEED]
//! cargo run --release -p xtask -- grokking [RUNS_PER_KIND] [SEED]
//! cargo run --release -p xtask -- difficulty [CURVES.csv]
//! cargo run --release -p xtask -- axes [DATA_DIR]
//! cargo run --release -p xtask -- artefact [PAIRS_PER_KIND] [SEED] [DATA_DIR]
//! cargo run --release -p xtask -- sparse [DATA_DIR]
//! cargo run --release -p xtask -- interval-spread CURVES.csv [SEEDS]
//! cargo run --release -p xtask -- profile-workload fit [TIMES] | classify CURVES.csv [--bootstrap B]
//! ```

#[path = "../../benches/common/mod.rs"]
mod common;
#[path = "../../tests/common/nist.rs"]
mod nist_problems;
#[path = "../../tests/common/rng.rs"]
mod rng;
#[path = "../../tests/common/synthetic.rs"]
mod synthetic;
#[path = "../../tests/common/training_logs.rs"]
mod training_logs;

mod acceleration;
mod artefact;
mod axes;
mod batch_memory;
mod calibration;
mod compare_pairs;
mod difficulty;
mod evaluate;
mod grokking;
mod interval_spread;
mod nist;
mod pooled_noise;
mod profile_workload;
mod sparse;

const USAGE: &str = "usage: cargo run --release -p xtask -- <evaluate | pooled-noise | batch-memory | profile-workload | nist | compare-pairs | acceleration | steps | grokking | difficulty | axes | artefact | sparse [--synthetic DIR [OUT]] | interval-spread CURVES.csv [SEEDS]> [ARGS...]";

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("evaluate") => evaluate::main(),
        Some("pooled-noise") => pooled_noise::main(),
        Some("batch-memory") => batch_memory::main(),
        Some("profile-workload") => profile_workload::main(),
        Some("nist") => nist::main(),
        Some("compare-pairs") => compare_pairs::main(),
        Some("acceleration") => acceleration::main(),
        Some("steps") => acceleration::steps_main(),
        Some("grokking") => grokking::main(),
        Some("difficulty") => difficulty::main(),
        Some("axes") => axes::main(),
        Some("artefact") => artefact::main(),
        Some("sparse") => sparse::main(),
        Some("interval-spread") => interval_spread::main(),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}
