//! Training logs from CSV, in either of two layouts, recognised by the header:
//!
//! - long: `run_id,step,split,metric,value`, one row per value; `split` is `train` or `val`
//!   (`validation`, `valid` and `eval` are read as `val`), `metric` is `accuracy` (`acc`) or `loss`;
//! - wide: `run_id,step` and any of `train_acc,val_acc,train_loss,val_loss` (also spelled
//!   `train_accuracy`, `val_accuracy`, `validation_accuracy`, `validation_loss`), one row per step.
//!
//! `run_id` may be absent (one run, named `run`); extra columns are ignored; an empty value is
//! missing; `nan` and `inf` are non-finite values, skipped or an error by
//! [`TrainingReadOptions::non_finite`]. The rows of one run must come in step order (several runs
//! may interleave); an unsorted or repeated step fails its run with an error naming the step and
//! the line, and the other runs go on.

use super::{csv_error, optional_number, strict_reader};
use crate::error::{Error, Result};
use crate::training::{NonFinitePolicy, TrainingLog};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Which metric of a log to analyse.
///
/// ```
/// use emergence_detect::io::TrainingMetric;
/// assert_eq!(TrainingMetric::default(), TrainingMetric::Auto);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TrainingMetric {
    /// Accuracy when the run has any, else loss (default).
    #[default]
    Auto,
    /// Accuracy (higher is better).
    Accuracy,
    /// Loss (lower is better).
    Loss,
}

/// How to read training logs.
///
/// ```
/// use emergence_detect::io::{TrainingMetric, TrainingReadOptions};
/// let o = TrainingReadOptions { metric: TrainingMetric::Loss, ..TrainingReadOptions::default() };
/// assert_eq!(o.y_max, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TrainingReadOptions {
    /// The metric to analyse.
    pub metric: TrainingMetric,
    /// What to do with NaN and infinite values.
    pub non_finite: NonFinitePolicy,
    /// The accuracy's maximum (1 when absent; 100 for percentages).
    pub y_max: Option<f64>,
}

/// One run of a log file: its id, the metric read, and the log or why it is invalid.
///
/// ```
/// use emergence_detect::io::read_training_logs_from;
/// let csv = "run_id,step,train_acc,val_acc\na,1,0.1,0.0\na,2,0.5,0.0\nb,2,0.1,0.0\nb,1,0.2,0.0\n";
/// let runs = read_training_logs_from(csv.as_bytes())?;
/// assert_eq!(runs[0].log.as_ref().unwrap().len(), 2);
/// assert!(runs[1].log.as_ref().unwrap_err().to_string().contains("line 5"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TrainingRecord {
    /// The `run_id` (`run` when the file has no such column).
    pub id: String,
    /// `"accuracy"` or `"loss"`: the metric the log holds.
    pub metric: &'static str,
    /// The log, or its error.
    pub log: Result<TrainingLog>,
}

/// Reads the runs of a training-log CSV file (either layout) with the default options.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read; [`Error::Parse`] for a header that is neither layout.
///
/// ```
/// use emergence_detect::io::read_training_logs;
/// let path = std::env::temp_dir().join("emergence-training-doc.csv");
/// std::fs::write(&path, "step,split,metric,value\n1,train,accuracy,0.1\n1,val,accuracy,0.0\n")
///     .unwrap();
/// let runs = read_training_logs(&path)?;
/// assert_eq!((runs[0].id.as_str(), runs[0].metric), ("run", "accuracy"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_training_logs(path: impl AsRef<Path>) -> Result<Vec<TrainingRecord>> {
    let file = std::fs::File::open(path.as_ref())
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))?;
    read_training_logs_with(file, &TrainingReadOptions::default())
}

/// Reads training logs from any reader with the default options (see [`read_training_logs`]).
///
/// # Errors
/// As [`read_training_logs`].
///
/// ```
/// use emergence_detect::io::read_training_logs_from;
/// let runs = read_training_logs_from("step,train_loss,val_loss\n1,2.0,2.1\n2,1.0,2.2\n".as_bytes())?;
/// assert_eq!(runs[0].metric, "loss");
/// assert!(!runs[0].log.as_ref().unwrap().higher_is_better());
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_training_logs_from(reader: impl Read) -> Result<Vec<TrainingRecord>> {
    read_training_logs_with(reader, &TrainingReadOptions::default())
}

/// The values of one run while reading: per step, the four possible values.
#[derive(Default)]
struct PendingRun {
    steps: Vec<f64>,
    /// train accuracy, val accuracy, train loss, val loss
    values: Vec<[Option<f64>; 4]>,
    lines: Vec<u64>,
    error: Option<Error>,
}

impl PendingRun {
    /// Puts `value` into slot `slot` at `step`, which must be the run's last step or a later one.
    fn put(&mut self, step: f64, slot: usize, value: Option<f64>, line: u64) -> Result<()> {
        let reject = |reason: String| Error::Parse { line, reason };
        if !step.is_finite() || step < 0.0 {
            return Err(reject(format!(
                "step {step} is not a finite, non-negative number"
            )));
        }
        match self.steps.last() {
            Some(&last) if step < last => {
                return Err(reject(format!(
                    "step {step} comes after step {last}: sort the run's rows by step"
                )));
            }
            Some(&last) if step == last => {}
            _ => {
                self.steps.push(step);
                self.values.push([None; 4]);
                self.lines.push(line);
            }
        }
        let row = self.values.last_mut().expect("a row was just pushed");
        if row[slot].is_some() {
            return Err(reject(format!(
                "step {step} has this value twice: one value per step, split and metric"
            )));
        }
        row[slot] = value;
        Ok(())
    }

    fn build(self, id: String, options: &TrainingReadOptions) -> TrainingRecord {
        let has = |slot: usize| self.values.iter().any(|v| v[slot].is_some());
        let accuracy = match options.metric {
            TrainingMetric::Accuracy => true,
            TrainingMetric::Loss => false,
            TrainingMetric::Auto => has(0) || has(1) || !(has(2) || has(3)),
        };
        let metric = if accuracy { "accuracy" } else { "loss" };
        let log = match self.error {
            Some(e) => Err(e),
            None => {
                let (a, b) = if accuracy { (0, 1) } else { (2, 3) };
                let column = |slot: usize| self.values.iter().map(|v| v[slot]).collect();
                let mut builder = TrainingLog::builder(self.steps)
                    .train_sparse(column(a))
                    .validation_sparse(column(b))
                    .higher_is_better(accuracy)
                    .non_finite(options.non_finite);
                if let Some(m) = options.y_max {
                    builder = builder.y_max(m);
                }
                builder.build().map_err(|e| at_row(e, &self.lines))
            }
        };
        TrainingRecord { id, metric, log }
    }
}

/// A row-level error of the log builder, with its line in the file.
fn at_row(e: Error, lines: &[u64]) -> Error {
    let index = match &e {
        Error::NonFinite { index, .. } | Error::InvalidStep { index, .. } => *index,
        _ => return e,
    };
    Error::Parse {
        line: lines.get(index).copied().unwrap_or(0),
        reason: e.to_string(),
    }
}

/// The two layouts, by column position.
enum Layout {
    Long {
        split: usize,
        metric: usize,
        value: usize,
    },
    /// The column of each slot: train accuracy, val accuracy, train loss, val loss.
    Wide([Option<usize>; 4]),
}

fn layout(names: &[String]) -> Result<Layout> {
    let pos = |options: &[&str]| {
        options
            .iter()
            .find_map(|n| names.iter().position(|h| h == n))
    };
    if let (Some(split), Some(metric), Some(value)) =
        (pos(&["split"]), pos(&["metric"]), pos(&["value"]))
    {
        return Ok(Layout::Long {
            split,
            metric,
            value,
        });
    }
    let slots = [
        pos(&["train_acc", "train_accuracy"]),
        pos(&["val_acc", "val_accuracy", "validation_accuracy"]),
        pos(&["train_loss"]),
        pos(&["val_loss", "validation_loss"]),
    ];
    if slots.iter().all(Option::is_none) {
        return Err(Error::Parse {
            line: 1,
            reason: format!(
                "neither layout: expected `split,metric,value` or any of `train_acc,val_acc,train_loss,val_loss` (header: {})",
                names.join(",")
            ),
        });
    }
    Ok(Layout::Wide(slots))
}

/// The slot of a long-layout row, from its `split` and `metric` fields.
fn slot(split: &str, metric: &str, line: u64) -> Result<usize> {
    let s = match split.to_ascii_lowercase().as_str() {
        "train" | "training" => 0,
        "val" | "validation" | "valid" | "eval" => 1,
        other => {
            return Err(Error::Parse {
                line,
                reason: format!("split `{other}` is neither `train` nor `val`"),
            });
        }
    };
    let m = match metric.to_ascii_lowercase().as_str() {
        "accuracy" | "acc" => 0,
        "loss" => 2,
        other => {
            return Err(Error::Parse {
                line,
                reason: format!("metric `{other}` is neither `accuracy` nor `loss`"),
            });
        }
    };
    Ok(s + m)
}

/// Reads training logs from any reader with these options.
///
/// # Errors
/// As [`read_training_logs`]; a malformed row fails only its run.
///
/// ```
/// use emergence_detect::io::{read_training_logs_with, TrainingMetric, TrainingReadOptions};
/// let csv = "run_id,step,split,metric,value\nr,1,train,loss,2.0\nr,1,val,loss,2.1\nr,2,train,loss,0.1\n";
/// let options = TrainingReadOptions { metric: TrainingMetric::Loss, ..Default::default() };
/// let runs = read_training_logs_with(csv.as_bytes(), &options)?;
/// let log = runs[0].log.as_ref().unwrap();
/// assert_eq!((log.train_points(), log.validation_points()), (2, 1));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_training_logs_with(
    reader: impl Read,
    options: &TrainingReadOptions,
) -> Result<Vec<TrainingRecord>> {
    let mut rdr = strict_reader(reader);
    let headers = rdr.headers().map_err(csv_error)?.clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let step_col = names
        .iter()
        .position(|h| h == "step")
        .ok_or_else(|| Error::Parse {
            line: 1,
            reason: format!("missing column `step` (header: {})", names.join(",")),
        })?;
    let id_col = names.iter().position(|h| h == "run_id");
    let layout = layout(&names)?;
    let mut order: Vec<String> = Vec::new();
    let mut runs: HashMap<String, PendingRun> = HashMap::new();
    for record in rdr.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let id = id_col.map_or("run", field).to_string();
        let run = runs.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            PendingRun::default()
        });
        if run.error.is_some() {
            continue;
        }
        let result = (|| -> Result<()> {
            if record.len() != names.len() {
                return Err(Error::Parse {
                    line,
                    reason: format!(
                        "{} fields where the header has {}",
                        record.len(),
                        names.len()
                    ),
                });
            }
            let step = optional_number(field(step_col), "step", line)?.ok_or(Error::Parse {
                line,
                reason: "empty step".into(),
            })?;
            match &layout {
                Layout::Long {
                    split,
                    metric,
                    value,
                } => {
                    let s = slot(field(*split), field(*metric), line)?;
                    let v = optional_number(field(*value), "value", line)?;
                    run.put(step, s, v, line)
                }
                Layout::Wide(slots) => {
                    for (s, col) in slots.iter().enumerate() {
                        if let Some(c) = col {
                            let v = optional_number(field(*c), &names[*c], line)?;
                            run.put(step, s, v, line)?;
                        }
                    }
                    Ok(())
                }
            }
        })();
        if let Err(e) = result {
            run.error = Some(e);
        }
    }
    Ok(order
        .into_iter()
        .map(|id| {
            let run = runs.remove(&id).unwrap_or_default();
            run.build(id, options)
        })
        .collect())
}
