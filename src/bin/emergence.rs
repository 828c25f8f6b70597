//! `emergence`: classify scaling curves from the command line.
//!
//! ```text
//! emergence classify IN.csv [--out OUT.csv] [--plots DIR] [--significance A] [--bootstrap N]
//!                           [--criterion bic|aicc|aic] [--seed S] [--threads T]
//! ```

use clap::{Parser, Subcommand, ValueEnum};
use emergence_detect::io::read_curves_with;
use emergence_detect::{
    Classification, Criterion, Curve, DefaultClassifier, DuplicatePolicy, Error, classify_all,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Tells how a task scales from its scores on models of growing size: scaling, emergent,
/// U-shaped, inverted U, inverse, flat or inconclusive, with a confidence, the critical scale and
/// a reason.
#[derive(Debug, Parser)]
#[command(name = "emergence", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify every curve of a long CSV file.
    ///
    /// Input: one row per point, columns found by name: `curve_id`, `x_params` (or `x`) and `y`
    /// are required; `y_random` (chance level), `n_examples` (test-set size), `sigma` (standard
    /// error), `y_max` (the metric's maximum), `family`, `task`, `metric`, `shots` are optional.
    ///
    /// Output: `curve_id,category,confidence,critical_x,critical_x_lo,critical_x_hi,reason`, then
    /// `turn_x,turn_x_lo,turn_x_hi,n_points,secondary` (`secondary`: a second category the curve
    /// also shows, e.g. `emergent` for an inverted U whose rise emerges from chance). A curve that cannot be read gets category `error`
    /// and a reason naming the file's line; the others go on.
    ///
    /// Exit status: 0 when every curve was classified, 1 when some curves had errors (the output
    /// is still written), 2 when the input cannot be used at all.
    Classify(ClassifyArgs),
}

#[derive(Debug, clap::Args)]
struct ClassifyArgs {
    /// The input CSV file.
    input: PathBuf,
    /// Write the results here (default: standard output).
    #[arg(long, value_name = "OUT.csv")]
    out: Option<PathBuf>,
    /// Write one SVG plot per curve into this directory.
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,
    /// Two-sided significance level of every change.
    #[arg(long, value_name = "A", default_value_t = 0.05)]
    significance: f64,
    /// Bootstrap resamples for the intervals of the critical scale and of a turn; 0 turns the
    /// intervals off.
    #[arg(long, value_name = "N", default_value_t = 100)]
    bootstrap: usize,
    /// The information criterion that ranks the fits.
    #[arg(long, value_enum, default_value_t = CriterionArg::Bic)]
    criterion: CriterionArg,
    /// The bootstrap seed: results are reproducible for a given seed.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: every core). Results do not depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<usize>,
    /// Points of one curve at the same scale: `reject` fails the curve, `merge` pools them
    /// (weighted by their test-set sizes or standard errors).
    #[arg(long, value_enum, default_value_t = DuplicatesArg::Reject)]
    duplicates: DuplicatesArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DuplicatesArg {
    Reject,
    Merge,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CriterionArg {
    Bic,
    Aicc,
    Aic,
}

impl From<CriterionArg> for Criterion {
    fn from(c: CriterionArg) -> Criterion {
        match c {
            CriterionArg::Bic => Criterion::Bic,
            CriterionArg::Aicc => Criterion::Aicc,
            CriterionArg::Aic => Criterion::Aic,
        }
    }
}

/// An error that makes the whole run fail, with the exit status it gives.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Fatal {
        Fatal(e.to_string())
    }
}

/// Curves classified per progress report.
const CHUNK: usize = 1000;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Classify(args) => classify(&args),
    };
    match outcome {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(Fatal(message)) => {
            eprintln!("emergence: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs `classify`; returns the number of curves that had errors.
fn classify(args: &ClassifyArgs) -> Result<usize, Fatal> {
    let mut builder = DefaultClassifier::builder()
        .significance(args.significance)
        .bootstrap(args.bootstrap)
        .criterion(args.criterion.into());
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    let classifier = builder
        .build()
        .map_err(|e| Fatal(format!("{e} (check --significance)")))?;
    let policy = match args.duplicates {
        DuplicatesArg::Reject => DuplicatePolicy::Reject,
        DuplicatesArg::Merge => DuplicatePolicy::Merge,
    };
    let records = read_curves_with(&args.input, policy).map_err(|e| match e {
        // an i/o error names its path already
        Error::Io { .. } => Fatal(e.to_string()),
        _ => Fatal(format!("{}: {e}", args.input.display())),
    })?;
    if records.is_empty() {
        return Err(Fatal(format!(
            "{}: the file has a header and no rows",
            args.input.display()
        )));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()?;
    // the readable curves in one slice for the batch; each row points into it or holds its error
    let n_records = records.len();
    let mut curves: Vec<Curve> = Vec::with_capacity(n_records);
    let mut rows: Vec<(String, Result<usize, String>)> = Vec::with_capacity(n_records);
    for record in records {
        match record.curve {
            Ok(curve) => {
                rows.push((record.id, Ok(curves.len())));
                curves.push(curve);
            }
            Err(e) => rows.push((record.id, Err(with_hint(&e)))),
        }
    }
    let total = curves.len();
    let mut results: Vec<emergence_detect::Result<Classification>> = Vec::with_capacity(total);
    for chunk in curves.chunks(CHUNK) {
        results.extend(pool.install(|| classify_all(&classifier, chunk)));
        if total > CHUNK {
            eprint!("\rclassified {}/{total} curves", results.len());
        }
    }
    if total > CHUNK {
        eprintln!();
    }
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = csv::Writer::from_writer(sink);
    writer.write_record([
        "curve_id",
        "category",
        "confidence",
        "critical_x",
        "critical_x_lo",
        "critical_x_hi",
        "reason",
        "turn_x",
        "turn_x_lo",
        "turn_x_hi",
        "n_points",
        "secondary",
    ])?;
    let mut errors = 0;
    for (id, row) in &rows {
        let outcome = row
            .as_ref()
            .map_err(String::clone)
            .and_then(|&i| match &results[i] {
                Ok(result) => Ok((&curves[i], result)),
                Err(e) => Err(e.to_string()),
            });
        match outcome {
            Ok((curve, result)) => {
                write_row(&mut writer, id, curve, result)?;
                if let Some(dir) = &args.plots {
                    write_plot(dir, id, curve, result)?;
                }
            }
            Err(reason) => {
                errors += 1;
                writer.write_record([
                    id.as_str(),
                    "error",
                    "",
                    "",
                    "",
                    "",
                    &reason,
                    "",
                    "",
                    "",
                    "",
                    "",
                ])?;
            }
        }
    }
    writer.flush()?;
    if errors > 0 {
        eprintln!(
            "emergence: {errors} of {n_records} curves could not be classified (category `error`, with the reason)"
        );
    }
    Ok(errors)
}

/// The message of a curve's error, with the flag that addresses it where there is one.
fn with_hint(e: &Error) -> String {
    let message = e.to_string();
    if message.contains("duplicate x") {
        format!("{message}; pass --duplicates merge to pool points at the same scale")
    } else {
        message
    }
}

/// One output row.
fn write_row<W: Write>(
    writer: &mut csv::Writer<W>,
    id: &str,
    curve: &Curve,
    result: &Classification,
) -> Result<(), Fatal> {
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6e}"));
    let crit = result.critical_scale;
    let turn = result.turn.map(|t| t.location);
    writer.write_record([
        id,
        result.category.as_str(),
        &format!("{:.4}", result.confidence),
        &num(crit.map(|e| e.value)),
        &num(crit.map(|e| e.lower)),
        &num(crit.map(|e| e.upper)),
        &result.reason,
        &num(turn.map(|e| e.value)),
        &num(turn.map(|e| e.lower)),
        &num(turn.map(|e| e.upper)),
        &curve.len().to_string(),
        result.secondary.map_or("", |c| c.as_str()),
    ])?;
    Ok(())
}

/// One SVG per curve, named after its id (characters other than letters, digits, `-`, `_` and
/// `.` become `_`).
fn write_plot(dir: &Path, id: &str, curve: &Curve, result: &Classification) -> Result<(), Fatal> {
    std::fs::create_dir_all(dir).map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    emergence_detect::plot::write_svg(curve, result, dir.join(format!("{safe}.svg")))?;
    Ok(())
}
