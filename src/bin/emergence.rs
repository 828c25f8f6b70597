//! `emergence`: classify scaling curves from the command line.
//!
//! ```text
//! emergence classify IN.csv [--out OUT.csv] [--plots DIR] [--significance A] [--bootstrap N]
//!                           [--criterion bic|aicc|aic] [--seed S] [--threads T]
//! emergence compare CURVES.csv --pairs PAIRS.csv [--out OUT.csv] [--correlation R] [...]
//! emergence forecast CURVES.csv --at X [--at X ...] [--threshold Y] [--level L] [--out OUT.csv]
//! emergence backtest CURVES.csv [--hide 1|2] [--level L]
//! emergence artefact CURVES.csv --pairs PAIRS.csv [--out OUT.csv]
//! emergence lm-eval DIR [--sizes SIZES.csv] [--out OUT.csv] [--plots DIR] [--export CURVES.csv]
//! emergence grokking LOG.csv [--out OUT.csv] [--metric auto|accuracy|loss] [--plots DIR] [...]
//! ```

use clap::{Parser, Subcommand, ValueEnum};
use emergence_detect::io::{CurveReadOptions, read_curves_with, read_curves_with_options};
use emergence_detect::{
    Classification, CompareOptions, Comparison, Criterion, Curve, DefaultClassifier,
    DuplicatePolicy, Error, Estimate, ForecastOptions, IntervalMethod, backtest, classify_all,
    classify_all_lending_noise, compare_all, forecast_with,
};
use std::collections::HashMap;
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
    /// Input: one row per point, columns found by name: `curve_id`, `x_params` (or `x`, or the
    /// column named by --x) and `y` are required; `y_random` (chance level), `n_examples`
    /// (test-set size), `sigma` (standard error), `y_max` (the metric's maximum), `direction`
    /// (`higher` or `lower`: which values are better; otherwise read from the metric's name, lower
    /// for losses, perplexity, Brier scores and error rates), `family`, `task`, `metric`, `shots`
    /// are optional.
    ///
    /// Output: `curve_id,category,confidence,critical_x,critical_x_lo,critical_x_hi,reason`, then
    /// `turn_x,turn_x_lo,turn_x_hi,n_points,secondary,x_column,direction,notes,evidence`
    /// (`secondary`: a second category the curve also shows, e.g. `emergent` for an inverted U
    /// whose rise emerges from chance; `notes`: what was inferred or left out; `evidence`:
    /// `statistical`, `effect_size` or `assumed`). The `_lo` and `_hi` cells are empty when no
    /// interval could be computed. Categories describe performance: for
    /// a lower-is-better metric, `scaling` means the score falls. A curve that cannot be read gets
    /// category `error` and a reason naming the file's line; the others go on.
    ///
    /// Exit status: 0 when every curve was classified, 1 when some curves had errors (the output
    /// is still written), 2 when the input cannot be used at all.
    Classify(ClassifyArgs),
    /// Compare baseline and treatment curves (few-shot, chain of thought): did the benefit emerge?
    ///
    /// Pairs of curves of one model family: a baseline and a treatment (zero-shot and few-shot,
    /// answer-only and chain of thought). Each curve is classified, and so is the gain
    /// (treatment minus baseline at every shared size) with the two curves' noise combined: an
    /// emergent gain means the treatment's benefit emerges with scale.
    ///
    /// Pairs file: `pair_id,baseline_curve_id,treatment_curve_id`, naming curves of CURVES.csv.
    ///
    /// Output: `pair_id,baseline_category,treatment_category,gain_category,gain_confidence,`
    /// `gain_critical_x,gain_critical_x_lo,gain_critical_x_hi,hurts_below_x,reason`, then
    /// `baseline_confidence,treatment_confidence,hurts_at,gain_noise,n_shared`. A pair that cannot
    /// be compared gets category `error` and the reason; the others go on.
    ///
    /// Exit status: 0 when every pair was compared, 1 when some pairs had errors, 2 when the
    /// input cannot be used at all.
    Compare(CompareArgs),
    /// Forecast every curve at larger scales, with prediction intervals.
    ///
    /// The predicted score with a prediction interval
    /// (the fitted families averaged by their weights; parameter uncertainty, the noise of one
    /// new measurement and the families' disagreement), and with --threshold the scale at which
    /// the score is predicted to reach it. A curve whose every size sits at chance is "not
    /// predictable": nothing in it says where the ability will emerge.
    ///
    /// Output: `curve_id,x,predicted,lo,hi,threshold_x,threshold_x_lo,threshold_x_hi,reason`,
    /// one row per curve and scale, then `category,confidence`. A curve that cannot be read or
    /// forecast gets `error` in `predicted` and the reason.
    Forecast(ForecastArgs),
    /// Backtest the forecasts on curves whose largest sizes are hidden.
    ///
    /// Hide the largest 1 (or 2) sizes of every curve with enough points,
    /// forecast them from the rest, and print the coverage of the prediction intervals and the
    /// median absolute errors beside naive baselines (the last value, a straight line in log
    /// scale) and a single 4-parameter logistic fit, overall and by category.
    Backtest(BacktestArgs),
    /// Classify the curves in a directory of lm-evaluation-harness results.
    ///
    /// Every results*.json
    /// under DIR (one model each; where a folder holds several, the newest wins and the choice is
    /// reported) becomes one curve per task, metric, filter and few-shot setting. A model's size is
    /// `config.model_num_parameters` when positive, else the sizes file (`model,params`); a model
    /// with neither is an error naming it. A file that cannot be used is reported and the others
    /// go on. The table has the columns of `classify`; --export writes the curves in the CSV
    /// layout every other subcommand reads.
    LmEval(LmEvalArgs),
    /// Check whether emergent jumps are artefacts of a discontinuous metric.
    ///
    /// Each pair names the same models scored
    /// by a discontinuous metric (exact match) and a continuous one (BLEU, token accuracy, Brier
    /// score). Both are classified on their shared sizes: if the continuous curve rises as plain
    /// scaling where the discrete one emerges, the jump is an artefact; if it jumps too, genuine.
    ///
    /// Pairs file: `pair_id,discrete_curve_id,continuous_curve_id`. Output:
    /// `pair_id,verdict,discrete_category,continuous_category,reason`, then
    /// `discrete_confidence,continuous_confidence,n_shared`.
    Artefact(ArtefactArgs),
    /// Analyse training logs: when did each run fit its training set, when did it generalise,
    /// and was the generalization delayed (grokking)?
    ///
    /// Input, either layout (found by the header): long `run_id,step,split,metric,value` (split
    /// `train` or `val`, metric `accuracy` or `loss`) or wide `run_id,step,train_acc,val_acc`
    /// (and/or `train_loss,val_loss`). `run_id` may be absent (one run). Empty values are missing;
    /// rows at step 0 are left out (the analysis is on log steps).
    ///
    /// Output: `run_id,category,memorization_step,generalization_step,delay_ratio,reason`, then
    /// the intervals (`memorization_lo`, `memorization_hi`, `generalization_lo`,
    /// `generalization_hi`, `delay_ratio_lo`, `delay_ratio_hi`), `transition_width_decades`,
    /// `metric`, `rows` and `skipped_values`. Categories:
    /// `grokking`, `simultaneous`, `no_generalization`, `not_memorized`, `unstable`,
    /// `inconclusive`; a run that cannot be read gets `error` and the reason, the others go on.
    Grokking(GrokkingArgs),
}

#[derive(Debug, clap::Args)]
struct GrokkingArgs {
    /// The training log.
    input: PathBuf,
    /// Write the table here instead of to standard output.
    #[arg(long, value_name = "OUT.csv")]
    out: Option<PathBuf>,
    /// The metric to analyse (auto: accuracy when the run logs it, else loss).
    #[arg(long, value_enum, default_value = "auto")]
    metric: MetricArg,
    /// Grokking when generalization comes at least this many times later than memorization.
    #[arg(long, value_name = "RATIO", default_value_t = 10.0)]
    delay_ratio: f64,
    /// The accuracy's maximum: 100 when the log holds percentages.
    #[arg(long, value_name = "Y")]
    y_max: Option<f64>,
    /// NaN or infinite values: skip them (counted in `skipped_values`) or fail the run.
    #[arg(long, value_enum, default_value = "skip")]
    non_finite: NonFiniteArg,
    /// Write one SVG per run into this directory.
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MetricArg {
    Auto,
    Accuracy,
    Loss,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NonFiniteArg {
    Skip,
    Error,
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
    /// (weighted by their test-set sizes or standard errors), `keep` fits them as replicates
    /// (models of several families at one training compute).
    #[arg(long, value_enum, default_value_t = DuplicatesArg::Reject)]
    duplicates: DuplicatesArg,
    /// Do not lend noise: by default a curve without noise information borrows the median
    /// test-set size of the file's curves of the same metric (evidence `assumed`, confidence at
    /// most 0.95, said in the reason) when it has fewer than 12 points (too few for its own
    /// residual scatter), or two or three points that its effect size cannot decide. Without
    /// it, such a curve is read over every test set it could come from (`effect_size`).
    #[arg(long)]
    no_lend_noise: bool,
    /// The column that holds the scale: any numeric column, e.g. `x_flops` or `train_tokens`
    /// (default `x_params`, else `x`). Rows with an empty value there are left out, and the
    /// `notes` column says how many.
    #[arg(long, value_name = "COLUMN")]
    x: Option<String>,
}

#[derive(Debug, clap::Args)]
struct CompareArgs {
    /// The curves, in the long CSV layout of `classify`.
    curves: PathBuf,
    /// The pairs: `pair_id,baseline_curve_id,treatment_curve_id`.
    #[arg(long, value_name = "PAIRS.csv")]
    pairs: PathBuf,
    /// Write the table here instead of to standard output.
    #[arg(long, value_name = "OUT.csv")]
    out: Option<PathBuf>,
    /// Correlation of the two curves' errors at one size, in [0, 1): 0 for independent test
    /// items, positive when both were measured on the same items.
    #[arg(long, value_name = "R", default_value_t = 0.0)]
    correlation: f64,
    /// Significance level of every test.
    #[arg(long, value_name = "A", default_value_t = 0.05)]
    significance: f64,
    /// Bootstrap resamples for the critical scale's interval (0: none).
    #[arg(long, value_name = "N", default_value_t = 100)]
    bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "T")]
    threads: Option<usize>,
}

#[derive(Debug, clap::Args)]
struct ForecastArgs {
    /// The curves, in the long CSV layout of `classify`.
    curves: PathBuf,
    /// A scale to forecast at (repeat for several).
    #[arg(long, value_name = "X", required = true)]
    at: Vec<f64>,
    /// A score whose crossing scale to predict (in the curves' units).
    #[arg(long, value_name = "Y")]
    threshold: Option<f64>,
    /// Coverage of the prediction intervals.
    #[arg(long, value_name = "L", default_value_t = 0.9)]
    level: f64,
    /// Write the table here instead of to standard output.
    #[arg(long, value_name = "OUT.csv")]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct BacktestArgs {
    /// The curves, in the long CSV layout of `classify`.
    curves: PathBuf,
    /// How many of the largest sizes to hide per curve.
    #[arg(long, value_name = "H", default_value_t = 1)]
    hide: usize,
    /// Coverage of the prediction intervals.
    #[arg(long, value_name = "L", default_value_t = 0.9)]
    level: f64,
}

#[derive(Debug, clap::Args)]
struct LmEvalArgs {
    /// The directory of results files.
    dir: PathBuf,
    /// Model sizes for files without a parameter count: a CSV with `model,params`.
    #[arg(long, value_name = "SIZES.csv")]
    sizes: Option<PathBuf>,
    /// Write the table here instead of to standard output.
    #[arg(long, value_name = "OUT.csv")]
    out: Option<PathBuf>,
    /// Write one SVG plot per curve into this directory.
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,
    /// Write the curves in the crate's CSV layout.
    #[arg(long, value_name = "CURVES.csv")]
    export: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ArtefactArgs {
    /// The curves, in the long CSV layout of `classify`.
    curves: PathBuf,
    /// The pairs: `pair_id,discrete_curve_id,continuous_curve_id`.
    #[arg(long, value_name = "PAIRS.csv")]
    pairs: PathBuf,
    /// Write the table here instead of to standard output.
    #[arg(long, value_name = "OUT.csv")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DuplicatesArg {
    #[value(alias = "error")]
    Reject,
    Merge,
    Keep,
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

/// The columns of the `classify` (and `lm-eval`) table.
const CLASSIFY_COLUMNS: [&str; 16] = [
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
    "x_column",
    "direction",
    "notes",
    "evidence",
];

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Classify(args) => classify(&args),
        Command::Compare(args) => compare(&args),
        Command::Forecast(args) => forecast(&args),
        Command::Backtest(args) => run_backtest(&args),
        Command::LmEval(args) => lm_eval(&args),
        Command::Artefact(args) => artefact(&args),
        Command::Grokking(args) => grokking(&args),
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
        DuplicatesArg::Keep => DuplicatePolicy::Keep,
    };
    let options = CurveReadOptions {
        duplicates: policy,
        x_column: args.x.clone(),
    };
    let x_column = args.x.as_deref().unwrap_or("x_params");
    let records = read_curves_with_options(&args.input, &options).map_err(|e| match e {
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
    let mut rows: Vec<(String, Result<usize, String>, String)> = Vec::with_capacity(n_records);
    for record in records {
        let notes = record.notes.join("; ");
        match record.curve {
            Ok(curve) => {
                rows.push((record.id, Ok(curves.len()), notes));
                curves.push(curve);
            }
            Err(e) => rows.push((record.id, Err(with_hint(&e)), notes)),
        }
    }
    let total = curves.len();
    // curves without noise information too short for their own scatter borrow a test-set size
    // from the batch
    let short = classifier.settings().pointwise_up_to();
    let thin = classifier.settings().lend_noise_below();
    let lend = !args.no_lend_noise
        && curves
            .iter()
            .any(|c| !c.noise().is_known() && (c.len() <= short || c.len() < thin));
    let results: Vec<emergence_detect::Result<Classification>> = if lend {
        if total > CHUNK {
            eprintln!("classifying {total} curves (noise lent to short curves without any)");
        }
        pool.install(|| classify_all_lending_noise(&classifier, &curves))
    } else {
        let mut results = Vec::with_capacity(total);
        for chunk in curves.chunks(CHUNK) {
            results.extend(pool.install(|| classify_all(&classifier, chunk)));
            if total > CHUNK {
                eprint!("\rclassified {}/{total} curves", results.len());
            }
        }
        if total > CHUNK {
            eprintln!();
        }
        results
    };
    let mut writer = csv::Writer::from_writer(output(args.out.as_deref())?);
    writer.write_record(CLASSIFY_COLUMNS)?;
    let mut errors = 0;
    for (id, row, notes) in &rows {
        let outcome = row
            .as_ref()
            .map_err(String::clone)
            .and_then(|&i| match &results[i] {
                Ok(result) => Ok((&curves[i], result)),
                Err(e) => Err(e.to_string()),
            });
        match outcome {
            Ok((curve, result)) => {
                write_row(&mut writer, id, curve, result, x_column, notes)?;
                if let Some(dir) = &args.plots {
                    write_plot(dir, id, curve, result)?;
                }
            }
            Err(reason) => {
                errors += 1;
                writer.write_record(error_row(
                    CLASSIFY_COLUMNS.len(),
                    &[
                        (0, id),
                        (1, "error"),
                        (6, &reason),
                        (12, x_column),
                        (14, notes),
                    ],
                ))?;
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

/// An output row of `columns` empty fields but the given `(column, text)` ones.
fn error_row(columns: usize, fields: &[(usize, &str)]) -> Vec<String> {
    let mut row = vec![String::new(); columns];
    for (column, text) in fields {
        row[*column] = (*text).to_string();
    }
    row
}

/// Where a table goes: the file `out` (created or truncated), else standard output.
fn output(out: Option<&Path>) -> Result<Box<dyn Write>, Fatal> {
    Ok(match out {
        Some(p) => {
            Box::new(std::fs::File::create(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?)
        }
        None => Box::new(std::io::stdout().lock()),
    })
}

/// The message of a curve's error, with the flag that addresses it where there is one.
fn with_hint(e: &Error) -> String {
    let message = e.to_string();
    if message.contains("duplicate x") {
        format!(
            "{message}; pass --duplicates merge to pool points at the same scale, or --duplicates keep to fit them as replicates"
        )
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
    x_column: &str,
    notes: &str,
) -> Result<(), Fatal> {
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6e}"));
    let crit = result.critical_scale;
    let turn = result.turn.map(|t| t.location);
    let [crit_lo, crit_hi] = interval_cells(crit);
    let [turn_lo, turn_hi] = interval_cells(turn);
    writer.write_record([
        id,
        result.category.as_str(),
        &format!("{:.4}", result.confidence),
        &num(crit.map(|e| e.value)),
        &crit_lo,
        &crit_hi,
        &result.reason,
        &num(turn.map(|e| e.value)),
        &turn_lo,
        &turn_hi,
        &curve.len().to_string(),
        result.secondary.map_or("", |c| c.as_str()),
        x_column,
        if curve.higher_is_better() {
            "higher"
        } else {
            "lower"
        },
        notes,
        result.evidence.as_str(),
    ])?;
    Ok(())
}

/// One SVG per curve, named after its id (characters other than letters, digits, `-`, `_` and
/// `.` become `_`).
fn write_plot(dir: &Path, id: &str, curve: &Curve, result: &Classification) -> Result<(), Fatal> {
    std::fs::create_dir_all(dir).map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
    let path = dir.join(format!("{}.svg", file_stem(id)));
    emergence_detect::plot::write_svg(curve, result, path)?;
    Ok(())
}

/// An id as a file name: characters other than letters, digits, `-`, `_` and `.` become `_`.
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Reads the curves of `path` (every readable one, by id) for `compare`.
fn curves_by_id(path: &Path) -> Result<HashMap<String, Result<Curve, String>>, Fatal> {
    let records = read_curves_with(path, DuplicatePolicy::Reject).map_err(|e| match e {
        Error::Io { .. } => Fatal(e.to_string()),
        _ => Fatal(format!("{}: {e}", path.display())),
    })?;
    Ok(records
        .into_iter()
        .map(|r| (r.id, r.curve.map_err(|e| with_hint(&e))))
        .collect())
}

/// The pairs file: `pair_id,baseline_curve_id,treatment_curve_id` rows.
fn read_pairs(path: &Path) -> Result<Vec<[String; 3]>, Fatal> {
    read_pairs_with(path, ["pair_id", "baseline_curve_id", "treatment_curve_id"])
}

/// A pairs file with the three named columns (an id, then two curve ids).
fn read_pairs_with(path: &Path, names: [&str; 3]) -> Result<Vec<[String; 3]>, Fatal> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                Fatal(format!(
                    "{}: no `{name}` column (the pairs file needs {})",
                    path.display(),
                    names.join(",")
                ))
            })
    };
    let cols = [column(names[0])?, column(names[1])?, column(names[2])?];
    let mut pairs = Vec::new();
    for (k, row) in reader.records().enumerate() {
        let row = row.map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        let field = |c: usize| row.get(c).unwrap_or("").trim().to_string();
        let pair = cols.map(field);
        if pair[0].is_empty() {
            return Err(Fatal(format!(
                "{}: line {}: empty pair_id",
                path.display(),
                k + 2
            )));
        }
        pairs.push(pair);
    }
    Ok(pairs)
}

fn compare(args: &CompareArgs) -> Result<usize, Fatal> {
    let mut builder = DefaultClassifier::builder()
        .significance(args.significance)
        .bootstrap(args.bootstrap);
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    let classifier = builder
        .build()
        .map_err(|e| Fatal(format!("{e} (check --significance)")))?;
    let options = CompareOptions::default()
        .correlation(args.correlation)
        .map_err(|e| Fatal(format!("{e} (check --correlation)")))?;
    let curves = curves_by_id(&args.curves)?;
    let pairs = read_pairs(&args.pairs)?;
    if pairs.is_empty() {
        return Err(Fatal(format!(
            "{}: the file has a header and no rows",
            args.pairs.display()
        )));
    }
    // the pairs whose curves both exist and are readable, in one slice for the batch
    let lookup = |id: &str| match curves.get(id) {
        Some(Ok(c)) => Ok(c.clone()),
        Some(Err(e)) => Err(format!("curve `{id}`: {e}")),
        None => Err(format!("no curve `{id}` in {}", args.curves.display())),
    };
    let mut batch: Vec<(Curve, Curve)> = Vec::new();
    let mut rows: Vec<(&str, Result<usize, String>)> = Vec::with_capacity(pairs.len());
    for [id, base, treat] in &pairs {
        match lookup(base).and_then(|b| lookup(treat).map(|t| (b, t))) {
            Ok(pair) => {
                rows.push((id, Ok(batch.len())));
                batch.push(pair);
            }
            Err(e) => rows.push((id, Err(e))),
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()?;
    let results = pool.install(|| compare_all(&classifier, &batch, &options));
    let mut writer = csv::Writer::from_writer(output(args.out.as_deref())?);
    writer.write_record([
        "pair_id",
        "baseline_category",
        "treatment_category",
        "gain_category",
        "gain_confidence",
        "gain_critical_x",
        "gain_critical_x_lo",
        "gain_critical_x_hi",
        "hurts_below_x",
        "reason",
        "baseline_confidence",
        "treatment_confidence",
        "hurts_at",
        "gain_noise",
        "n_shared",
    ])?;
    let mut errors = 0;
    for (id, row) in rows {
        let outcome = row.and_then(|i| results[i].as_ref().map_err(|e| e.to_string()));
        match outcome {
            Ok(c) => write_comparison(&mut writer, id, c)?,
            Err(reason) => {
                errors += 1;
                writer.write_record(error_row(15, &[(0, id), (1, "error"), (9, &reason)]))?;
            }
        }
    }
    writer.flush()?;
    if errors > 0 {
        eprintln!(
            "emergence: {errors} of {} pairs could not be compared (category `error`, with the reason)",
            pairs.len()
        );
    }
    Ok(errors)
}

/// The ends of an estimate's interval as CSV cells: empty when no interval could be computed
/// (the estimate alone is not an interval of zero width).
fn interval_cells(e: Option<Estimate>) -> [String; 2] {
    match e {
        Some(e) if !matches!(e.method, IntervalMethod::None) => {
            [format!("{:.6e}", e.lower), format!("{:.6e}", e.upper)]
        }
        _ => [String::new(), String::new()],
    }
}

/// One output row of `compare`.
fn write_comparison<W: Write>(
    writer: &mut csv::Writer<W>,
    id: &str,
    c: &Comparison,
) -> Result<(), Fatal> {
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6e}"));
    let crit = c.gain_classification.critical_scale;
    let [crit_lo, crit_hi] = interval_cells(crit);
    let hurts: Vec<String> = c.hurts_at.iter().map(|x| format!("{x:.6e}")).collect();
    writer.write_record([
        id,
        c.transition.from.as_str(),
        c.transition.to.as_str(),
        c.gain_classification.category.as_str(),
        &format!("{:.4}", c.gain_classification.confidence),
        &num(crit.map(|e| e.value)),
        &crit_lo,
        &crit_hi,
        &num(c.hurts_below_x),
        &c.reason,
        &format!("{:.4}", c.transition.from_confidence),
        &format!("{:.4}", c.transition.to_confidence),
        &hurts.join(";"),
        &c.gain_noise.to_string(),
        &c.sizes.len().to_string(),
    ])?;
    Ok(())
}

fn forecast(args: &ForecastArgs) -> Result<usize, Fatal> {
    let classifier = DefaultClassifier::default();
    let mut options = ForecastOptions::default()
        .level(args.level)
        .map_err(|e| Fatal(format!("{e} (check --level)")))?;
    if let Some(y) = args.threshold {
        options = options.threshold(y);
    }
    let curves = curves_by_id(&args.curves)?;
    let mut ids: Vec<&String> = curves.keys().collect();
    ids.sort();
    let mut writer = csv::Writer::from_writer(output(args.out.as_deref())?);
    writer.write_record([
        "curve_id",
        "x",
        "predicted",
        "lo",
        "hi",
        "threshold_x",
        "threshold_x_lo",
        "threshold_x_hi",
        "reason",
        "category",
        "confidence",
    ])?;
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6e}"));
    let mut errors = 0;
    for id in ids {
        let outcome = curves[id].as_ref().map_err(String::clone).and_then(|c| {
            forecast_with(&classifier, c, &args.at, &options).map_err(|e| e.to_string())
        });
        match outcome {
            Ok(f) => {
                let t = f.threshold;
                for p in &f.predictions {
                    writer.write_record([
                        id.as_str(),
                        &format!("{:.6e}", p.x),
                        &p.predicted.map_or(String::new(), |v| format!("{v:.6}")),
                        &p.lower.map_or(String::new(), |v| format!("{v:.6}")),
                        &p.upper.map_or(String::new(), |v| format!("{v:.6}")),
                        &num(t.and_then(|t| t.x)),
                        &num(t.and_then(|t| t.x_lower)),
                        &num(t.and_then(|t| t.x_upper)),
                        &f.reason,
                        f.classification.category.as_str(),
                        &format!("{:.4}", f.classification.confidence),
                    ])?;
                }
            }
            Err(reason) => {
                errors += 1;
                writer.write_record(error_row(11, &[(0, id), (2, "error"), (8, &reason)]))?;
            }
        }
    }
    writer.flush()?;
    Ok(errors)
}

fn run_backtest(args: &BacktestArgs) -> Result<usize, Fatal> {
    if args.hide == 0 {
        return Err(Fatal("--hide must be at least 1".to_string()));
    }
    let options = ForecastOptions::default()
        .level(args.level)
        .map_err(|e| Fatal(format!("{e} (check --level)")))?;
    let curves = curves_by_id(&args.curves)?;
    let mut ids: Vec<&String> = curves.keys().collect();
    ids.sort();
    let readable: Vec<Curve> = ids
        .iter()
        .filter_map(|id| curves[*id].as_ref().ok().cloned())
        .collect();
    let unreadable = ids.len() - readable.len();
    let report = backtest(
        &DefaultClassifier::default(),
        &readable,
        args.hide,
        &options,
    );
    let mut text = report.to_string();
    if unreadable > 0 {
        text.push_str(&format!("({unreadable} curves could not be read)\n"));
    }
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        // a reader that stops early (`| head`) is not an error
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Fatal(e.to_string())),
        _ => Ok(0),
    }
}

fn lm_eval(args: &LmEvalArgs) -> Result<usize, Fatal> {
    use emergence_detect::lm_eval::{read_lm_eval_dir, read_sizes};
    let sizes = match &args.sizes {
        Some(p) => read_sizes(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
        None => Default::default(),
    };
    let read = read_lm_eval_dir(&args.dir, &sizes).map_err(|e| Fatal(e.to_string()))?;
    for note in &read.notes {
        eprintln!("emergence: {note}");
    }
    for (path, reason) in &read.file_errors {
        eprintln!("emergence: {}: {reason}", path.display());
    }
    if read.curves.is_empty() {
        return Err(Fatal(format!(
            "{}: no usable results files (results*.json)",
            args.dir.display()
        )));
    }
    let curves: Vec<Curve> = read
        .curves
        .iter()
        .filter_map(|c| c.curve.as_ref().ok().cloned())
        .collect();
    let results = classify_all(&DefaultClassifier::default(), &curves);
    let mut writer = csv::Writer::from_writer(output(args.out.as_deref())?);
    writer.write_record(CLASSIFY_COLUMNS)?;
    let mut next = 0;
    let mut errors = read.file_errors.len();
    for c in &read.curves {
        match &c.curve {
            Ok(curve) => {
                match &results[next] {
                    Ok(result) => {
                        write_row(&mut writer, &c.id, curve, result, "params", "")?;
                        if let Some(dir) = &args.plots {
                            write_plot(dir, &c.id, curve, result)?;
                        }
                    }
                    Err(e) => {
                        errors += 1;
                        let reason = e.to_string();
                        writer.write_record(error_row(
                            CLASSIFY_COLUMNS.len(),
                            &[(0, &c.id), (1, "error"), (6, &reason)],
                        ))?;
                    }
                }
                next += 1;
            }
            Err(e) => {
                errors += 1;
                let reason = with_hint(e);
                writer.write_record(error_row(
                    CLASSIFY_COLUMNS.len(),
                    &[(0, &c.id), (1, "error"), (6, &reason)],
                ))?;
            }
        }
    }
    writer.flush()?;
    if let Some(path) = &args.export {
        export_curves(path, &read.curves)?;
    }
    Ok(errors)
}

/// Writes curves in the long CSV layout `classify` reads.
fn export_curves(
    path: &Path,
    curves: &[emergence_detect::lm_eval::LmEvalCurve],
) -> Result<(), Fatal> {
    use emergence_detect::lm_eval::NoiseSource;
    let mut w =
        csv::Writer::from_path(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    w.write_record([
        "curve_id",
        "task",
        "metric",
        "shots",
        "x_params",
        "y",
        "y_random",
        "n_examples",
        "sigma",
        "y_max",
        "model",
    ])?;
    for c in curves {
        let Ok(curve) = &c.curve else { continue };
        let shots = c.shots.map_or(String::new(), |k| k.to_string());
        for (i, (x, y)) in curve.x().iter().zip(curve.y()).enumerate() {
            let n = match (c.noise, curve.n_examples()) {
                (NoiseSource::Samples, Some(n)) => n[i].to_string(),
                _ => String::new(),
            };
            let sigma = match c.noise {
                NoiseSource::Stderr => curve.sigma()[i].to_string(),
                _ => String::new(),
            };
            w.write_record([
                c.id.as_str(),
                &c.task,
                &c.metric,
                &shots,
                &x.to_string(),
                &y.to_string(),
                "",
                &n,
                &sigma,
                &curve.y_max().to_string(),
                c.models.get(i).map_or("", String::as_str),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn artefact(args: &ArtefactArgs) -> Result<usize, Fatal> {
    let curves = curves_by_id(&args.curves)?;
    let pairs = read_pairs_with(
        &args.pairs,
        ["pair_id", "discrete_curve_id", "continuous_curve_id"],
    )?;
    let lookup = |id: &str| match curves.get(id) {
        Some(Ok(c)) => Ok(c),
        Some(Err(e)) => Err(format!("curve `{id}`: {e}")),
        None => Err(format!("no curve `{id}` in {}", args.curves.display())),
    };
    let classifier = DefaultClassifier::default();
    let mut writer = csv::Writer::from_writer(output(args.out.as_deref())?);
    let columns = [
        "pair_id",
        "verdict",
        "discrete_category",
        "continuous_category",
        "reason",
        "discrete_confidence",
        "continuous_confidence",
        "n_shared",
    ];
    writer.write_record(columns)?;
    let mut errors = 0;
    for [id, discrete, continuous] in &pairs {
        let outcome = lookup(discrete).and_then(|d| {
            lookup(continuous).and_then(|c| {
                emergence_detect::metric_artefact_with(&classifier, d, c).map_err(|e| e.to_string())
            })
        });
        match outcome {
            Ok(check) => writer.write_record([
                id.as_str(),
                check.verdict.as_str(),
                check.discrete.category.as_str(),
                check.continuous.category.as_str(),
                &check.reason,
                &format!("{:.4}", check.discrete.confidence),
                &format!("{:.4}", check.continuous.confidence),
                &check.sizes.len().to_string(),
            ])?,
            Err(reason) => {
                errors += 1;
                writer.write_record(error_row(
                    columns.len(),
                    &[(0, id), (1, "error"), (4, &reason)],
                ))?;
            }
        }
    }
    writer.flush()?;
    Ok(errors)
}

/// The columns of the `grokking` table.
const GROKKING_COLUMNS: [&str; 16] = [
    "run_id",
    "category",
    "memorization_step",
    "generalization_step",
    "delay_ratio",
    "reason",
    "memorization_lo",
    "memorization_hi",
    "generalization_lo",
    "generalization_hi",
    "delay_ratio_lo",
    "delay_ratio_hi",
    "transition_width_decades",
    "metric",
    "rows",
    "skipped_values",
];

/// Runs `grokking`; returns the number of runs that had errors.
fn grokking(args: &GrokkingArgs) -> Result<usize, Fatal> {
    use emergence_detect::io::{TrainingMetric, TrainingReadOptions, read_training_logs_with};
    use emergence_detect::training::{NonFinitePolicy, TrainingSettings, analyze_training_all};
    let settings = TrainingSettings {
        delay_ratio: args.delay_ratio,
        ..TrainingSettings::default()
    };
    let options = TrainingReadOptions {
        metric: match args.metric {
            MetricArg::Auto => TrainingMetric::Auto,
            MetricArg::Accuracy => TrainingMetric::Accuracy,
            MetricArg::Loss => TrainingMetric::Loss,
        },
        non_finite: match args.non_finite {
            NonFiniteArg::Skip => NonFinitePolicy::Skip,
            NonFiniteArg::Error => NonFinitePolicy::Error,
        },
        y_max: args.y_max,
    };
    let file = std::fs::File::open(&args.input)
        .map_err(|e| Fatal(format!("{}: {e}", args.input.display())))?;
    let runs = read_training_logs_with(file, &options)
        .map_err(|e| Fatal(format!("{}: {e}", args.input.display())))?;
    if runs.is_empty() {
        return Err(Fatal(format!(
            "{}: the file has a header and no rows",
            args.input.display()
        )));
    }
    if let Some(dir) = &args.plots {
        std::fs::create_dir_all(dir).map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
    }
    let mut writer = csv::Writer::from_writer(output(args.out.as_deref())?);
    writer.write_record(GROKKING_COLUMNS)?;
    let mut errors = 0;
    let number = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6}"));
    // the readable logs in one slice for the batch; each run points into it or holds its error
    let n_runs = runs.len();
    let mut logs = Vec::with_capacity(n_runs);
    let mut rows: Vec<(String, &'static str, Result<usize, String>)> = Vec::with_capacity(n_runs);
    for run in runs {
        let slot = run.log.map(|log| {
            logs.push(log);
            logs.len() - 1
        });
        rows.push((run.id, run.metric, slot.map_err(|e| e.to_string())));
    }
    let analyses = analyze_training_all(&logs, &settings);
    for (id, metric, slot) in &rows {
        let outcome = slot.clone().and_then(|i| {
            analyses[i]
                .as_ref()
                .map(|a| (&logs[i], a))
                .map_err(|e| format!("{e} (check --delay-ratio)"))
        });
        let (log, a) = match outcome {
            Ok(pair) => pair,
            Err(reason) => {
                errors += 1;
                writer.write_record(error_row(
                    GROKKING_COLUMNS.len(),
                    &[(0, id), (1, "error"), (5, &reason), (13, metric)],
                ))?;
                continue;
            }
        };
        let (m, g, d) = (a.memorization, a.generalization, a.delay);
        writer.write_record([
            id.clone(),
            a.category.as_str().to_string(),
            number(m.map(|t| t.step)),
            number(g.map(|t| t.step)),
            number(d.map(|d| d.ratio)),
            a.reason.clone(),
            number(m.map(|t| t.step_lo)),
            number(m.map(|t| t.step_hi)),
            number(g.map(|t| t.step_lo)),
            number(g.map(|t| t.step_hi)),
            number(d.map(|d| d.ratio_lo)),
            number(d.map(|d| d.ratio_hi)),
            number(g.map(|t| t.width_decades)),
            metric.to_string(),
            a.rows.to_string(),
            a.skipped_values.to_string(),
        ])?;
        if let Some(dir) = &args.plots {
            let path = dir.join(format!("{}.svg", file_stem(id)));
            emergence_detect::plot::write_training_svg(log, a, id, &path)?;
        }
    }
    writer.flush()?;
    if errors > 0 {
        eprintln!(
            "emergence: {errors} of {n_runs} runs could not be analysed (category `error`, with the reason)"
        );
    }
    Ok(errors)
}
