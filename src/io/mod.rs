//! Reading curves and labels from the long CSV format, and training logs (feature `io`).
//!
//! One row per point: `curve_id,family,task,metric,shots,x_params,y,y_random,n_examples`, columns
//! found by header name so that extra columns are ignored. Only `curve_id`, `x_params` (or `x`) and
//! `y` are required. Empty `y_random` / `n_examples` mean unknown; an optional `y_max` column gives
//! the metric's maximum (otherwise 100 for BLEU and chrF, named in the `metric` column; else 100
//! when at least two scores exceed 1, 1 when none does, and an error naming the fix when a single
//! score does), an optional `sigma` column
//! standard errors. Rows of one curve need not be adjacent or sorted. A malformed row (a text or
//! missing number, a ragged row) or a point that fails validation fails its own curve only, with
//! an error naming the file's line; the other curves go on.

mod training_log;

pub use training_log::{
    TrainingMetric, TrainingReadOptions, TrainingRecord, read_training_logs,
    read_training_logs_from, read_training_logs_with,
};

use crate::curve::{Curve, CurveLabels, DuplicatePolicy};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// One curve of a CSV file: its id and the validated curve, or why it is invalid.
///
/// ```
/// use emergence_detect::io::read_curves_from;
/// let csv = "curve_id,x_params,y\na,1e8,0.1\na,1e9,0.2\nb,1e8,oops\n";
/// let records = read_curves_from(csv.as_bytes())?;
/// assert!(records[0].curve.is_ok());
/// assert!(records[1].curve.as_ref().unwrap_err().to_string().starts_with("line 4"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CurveRecord {
    /// The `curve_id`.
    pub id: String,
    /// The curve, or its validation error.
    pub curve: Result<Curve>,
    /// What the reader inferred or left out for this curve, in plain words (the direction read
    /// from the metric's name, points without a value in the chosen x column).
    pub notes: Vec<String>,
}

/// How [`read_curves_with_options`] reads a file.
///
/// ```
/// use emergence_detect::{io::CurveReadOptions, DuplicatePolicy};
/// let o = CurveReadOptions { x_column: Some("x_flops".into()), duplicates: DuplicatePolicy::Keep };
/// assert_eq!(CurveReadOptions::default().duplicates, DuplicatePolicy::Reject);
/// # let _ = o;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurveReadOptions {
    /// Points of one curve that share a scale: rejected (default), merged or kept as replicates.
    pub duplicates: DuplicatePolicy,
    /// The column that holds the scale (default `x_params`, else `x`): any numeric column, e.g.
    /// `x_flops` or `train_tokens`. Rows with an empty value there are left out and counted in the
    /// record's notes (a model whose training compute is not published).
    pub x_column: Option<String>,
}

/// Whether a metric's name says lower is better: losses, perplexity, Brier scores, error rates
/// (`loss`, `perplexity`, `ppl`, `brier`, `error`, `err_rate`, `wer`, `cer`, `nll`, `bits`, `bpb`,
/// `rmse`, `mae`, as a word of the name).
///
/// ```
/// use emergence_detect::io::lower_is_better_metric;
/// assert!(lower_is_better_metric("tc_brier"));
/// assert!(lower_is_better_metric("val-loss"));
/// assert!(!lower_is_better_metric("exact_match"));
/// assert!(!lower_is_better_metric("acc_norm"));
/// ```
pub fn lower_is_better_metric(metric: &str) -> bool {
    const LOWER: [&str; 13] = [
        "loss",
        "perplexity",
        "ppl",
        "brier",
        "error",
        "err",
        "wer",
        "cer",
        "nll",
        "bits",
        "bpb",
        "rmse",
        "mae",
    ];
    metric
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| LOWER.contains(&word))
}

/// The points of one curve while reading.
#[derive(Debug, Default)]
struct Pending {
    x: Vec<f64>,
    y: Vec<f64>,
    n: Vec<Option<f64>>,
    sigma: Vec<Option<f64>>,
    chance: Option<f64>,
    y_max: Option<f64>,
    labels: CurveLabels,
    first_line: u64,
    /// The file line of each point.
    lines: Vec<u64>,
    /// The first malformed row of this curve, if any: the curve fails with it.
    error: Option<Error>,
    /// `Some(true)` when the `direction` column says higher is better, `Some(false)` lower.
    higher_is_better: Option<bool>,
    /// Lines whose chosen x column is empty.
    missing_x: Vec<u64>,
}

/// Column positions, found by header name.
struct Columns {
    id: usize,
    x: usize,
    y: usize,
    chance: Option<usize>,
    n: Option<usize>,
    y_max: Option<usize>,
    sigma: Option<usize>,
    family: Option<usize>,
    task: Option<usize>,
    metric: Option<usize>,
    shots: Option<usize>,
    direction: Option<usize>,
    /// Whether x is a column the user chose (then an empty cell drops the point with a note).
    x_chosen: bool,
}

impl Columns {
    fn find(headers: &csv::StringRecord, x_column: Option<&str>) -> Result<Columns> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let pos = |n: &str| names.iter().position(|h| h == n);
        let need = |n: &str| {
            pos(n).ok_or_else(|| Error::Parse {
                line: 1,
                reason: format!("missing column `{n}` (header: {})", names.join(",")),
            })
        };
        Ok(Columns {
            id: need("curve_id")?,
            x: match x_column {
                Some(name) => need(name)?,
                None => match pos("x_params").or_else(|| pos("x")) {
                    Some(i) => i,
                    None => need("x_params")?,
                },
            },
            y: need("y")?,
            chance: pos("y_random"),
            n: pos("n_examples"),
            y_max: pos("y_max"),
            sigma: pos("sigma"),
            family: pos("family"),
            task: pos("task"),
            metric: pos("metric"),
            shots: pos("shots"),
            direction: pos("direction"),
            x_chosen: x_column.is_some(),
        })
    }
}

/// Parses an optional number: empty means `None`.
fn optional_number(field: &str, what: &str, line: u64) -> Result<Option<f64>> {
    let f = field.trim();
    if f.is_empty() {
        return Ok(None);
    }
    f.parse::<f64>().map(Some).map_err(|_| Error::Parse {
        line,
        reason: format!("{what} `{f}` is not a number"),
    })
}

/// Reads the curves of a long CSV file.
///
/// A malformed row fails only its curve: that curve's record holds an [`Error::Parse`] naming the
/// line (text in a numeric field, a missing value, a ragged row, conflicting per-curve values, a
/// point that fails validation). A row without a `curve_id` becomes a record of its own, with id
/// `line N`, after the curves. A file with a header and no rows gives no records.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read, [`Error::Parse`] for a header without the required
/// columns.
///
/// ```
/// use emergence_detect::io::read_curves;
/// let path = std::env::temp_dir().join("emergence-read-curves-doc.csv");
/// std::fs::write(&path, "curve_id,x_params,y\na,1e8,0.1\na,1e9,0.2\n").unwrap();
/// let records = read_curves(&path)?;
/// assert_eq!(records[0].id, "a");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_curves(path: impl AsRef<Path>) -> Result<Vec<CurveRecord>> {
    read_curves_with(path, DuplicatePolicy::Reject)
}

/// [`read_curves`] with a policy for points of one curve that share a scale (rejected by
/// default; [`DuplicatePolicy::Merge`] pools them).
///
/// ```
/// use emergence_detect::{io::read_curves_with, DuplicatePolicy};
/// let path = std::env::temp_dir().join("emergence-read-curves-with-doc.csv");
/// std::fs::write(&path, "curve_id,x_params,y\na,1e8,0.1\na,1e8,0.2\na,1e9,0.3\n").unwrap();
/// let records = read_curves_with(&path, DuplicatePolicy::Merge)?;
/// assert_eq!(records[0].curve.as_ref().unwrap().len(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
///
/// # Errors
/// As [`read_curves`].
pub fn read_curves_with(
    path: impl AsRef<Path>,
    duplicates: DuplicatePolicy,
) -> Result<Vec<CurveRecord>> {
    read_curves_with_options(
        path,
        &CurveReadOptions {
            duplicates,
            x_column: None,
        },
    )
}

/// [`read_curves`] with options: the column that holds the scale and the duplicate policy.
///
/// ```
/// use emergence_detect::{io::{read_curves_with_options, CurveReadOptions}, DuplicatePolicy};
/// let path = std::env::temp_dir().join("emergence-read-options-doc.csv");
/// let csv = "curve_id,x_params,x_flops,y,metric\na,1e8,1e20,0.9,brier\na,1e9,1e21,0.5,brier\n\
///            a,2e9,,0.4,brier\na,1e10,1e22,0.1,brier\n";
/// std::fs::write(&path, csv).unwrap();
/// let options = CurveReadOptions { x_column: Some("x_flops".into()), ..Default::default() };
/// let records = read_curves_with_options(&path, &options)?;
/// let curve = records[0].curve.as_ref().unwrap();
/// assert_eq!(curve.x(), &[1e20, 1e21, 1e22]);
/// assert!(!curve.higher_is_better());
/// assert_eq!(records[0].notes.len(), 2); // the direction read from `brier`, one point left out
/// # Ok::<(), emergence_detect::Error>(())
/// ```
///
/// # Errors
/// As [`read_curves`]; a header without the chosen column is an [`Error::Parse`].
pub fn read_curves_with_options(
    path: impl AsRef<Path>,
    options: &CurveReadOptions,
) -> Result<Vec<CurveRecord>> {
    let file = std::fs::File::open(path.as_ref())
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))?;
    read_records(file, options)
}

/// Reads the curves of a long CSV from any reader (see [`read_curves`]).
///
/// ```
/// use emergence_detect::io::read_curves_from;
/// let csv = "curve_id,x_params,y,y_random,n_examples\n\
///            a,1e8,0.25,0.25,1000\na,1e9,0.30,0.25,1000\na,1e10,0.60,0.25,1000\n";
/// let curves = read_curves_from(csv.as_bytes())?;
/// assert_eq!(curves.len(), 1);
/// let c = curves[0].curve.as_ref().unwrap();
/// assert_eq!(c.chance(), Some(0.25));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_curves_from(reader: impl Read) -> Result<Vec<CurveRecord>> {
    read_records(reader, &CurveReadOptions::default())
}

/// [`read_curves_from`] with options (see [`read_curves_with_options`]).
///
/// # Errors
/// As [`read_curves_with_options`].
///
/// ```
/// use emergence_detect::{io::{read_curves_from_with, CurveReadOptions}, DuplicatePolicy};
/// let csv = "curve_id,x,y\na,1e20,0.1\na,1e20,0.2\na,1e21,0.5\n";
/// let keep = CurveReadOptions { duplicates: DuplicatePolicy::Keep, ..Default::default() };
/// let records = read_curves_from_with(csv.as_bytes(), &keep)?;
/// assert_eq!(records[0].curve.as_ref().unwrap().len(), 3);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_curves_from_with(
    reader: impl Read,
    options: &CurveReadOptions,
) -> Result<Vec<CurveRecord>> {
    read_records(reader, options)
}

/// The reader behind [`read_curves`] and [`read_curves_from`].
fn read_records(reader: impl Read, options: &CurveReadOptions) -> Result<Vec<CurveRecord>> {
    let duplicates = options.duplicates;
    let mut rdr = strict_reader(reader);
    let headers = rdr.headers().map_err(csv_error)?.clone();
    let cols = Columns::find(&headers, options.x_column.as_deref())?;
    let mut order: Vec<String> = Vec::new();
    let mut pending: HashMap<String, Pending> = HashMap::new();
    // rows that belong to no curve (no curve_id, unreadable): reported in file order at the end
    let mut orphans: Vec<CurveRecord> = Vec::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let err = csv_error(e);
                if matches!(err, Error::Io { .. }) {
                    return Err(err);
                }
                orphans.push(orphan(&err));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let id = field(cols.id).to_string();
        if id.is_empty() {
            let err = Error::Parse {
                line,
                reason: "empty curve_id: the row belongs to no curve".into(),
            };
            orphans.push(orphan(&err));
            continue;
        }
        let entry = pending.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            let text = |c: Option<usize>| c.map(|i| field(i).to_string()).filter(|s| !s.is_empty());
            Pending {
                labels: CurveLabels {
                    id: Some(id.clone()),
                    task: text(cols.task),
                    model_family: text(cols.family),
                    metric: text(cols.metric),
                    shots: text(cols.shots).and_then(|s| s.parse().ok()),
                    scale: cols
                        .x_chosen
                        .then(|| headers.get(cols.x).unwrap_or("x").to_string()),
                },
                first_line: line,
                ..Pending::default()
            }
        });
        if entry.error.is_some() {
            continue;
        }
        if let Err(e) = read_point(&record, &cols, headers.len(), line, entry) {
            // a malformed row fails its own curve only
            entry.error = Some(e);
        }
    }
    let mut out = Vec::with_capacity(order.len() + orphans.len());
    for id in order {
        let mut p = pending.remove(&id).unwrap_or_default();
        let notes = notes(&mut p, &headers, &cols);
        let curve = match p.error {
            Some(e) => Err(e),
            None => build(p, duplicates),
        };
        out.push(CurveRecord { id, curve, notes });
    }
    out.extend(orphans);
    Ok(out)
}

/// A record for a row that belongs to no curve: its id is `line N`.
fn orphan(err: &Error) -> CurveRecord {
    let line = match err {
        Error::Parse { line, .. } => *line,
        _ => 0,
    };
    CurveRecord {
        id: format!("line {line}"),
        curve: Err(err.clone()),
        notes: Vec::new(),
    }
}

/// Adds the point of one row to its curve.
fn read_point(
    record: &csv::StringRecord,
    cols: &Columns,
    n_columns: usize,
    line: u64,
    entry: &mut Pending,
) -> Result<()> {
    if record.len() != n_columns {
        return Err(Error::Parse {
            line,
            reason: format!("{} fields where the header has {n_columns}", record.len()),
        });
    }
    let field = |i: usize| record.get(i).unwrap_or("");
    let required = |col: usize, what: &str| {
        optional_number(field(col), what, line)?.ok_or_else(|| Error::Parse {
            line,
            reason: format!("empty {what}"),
        })
    };
    let optional = |col: Option<usize>, what: &str| match col {
        Some(i) => optional_number(field(i), what, line),
        None => Ok(None),
    };
    let x_name = if cols.x_chosen { "x" } else { "x_params" };
    let x = match optional_number(field(cols.x), x_name, line)? {
        Some(x) => x,
        None if cols.x_chosen => {
            entry.missing_x.push(line);
            return Ok(());
        }
        None => required(cols.x, "x_params")?,
    };
    let y = required(cols.y, "y")?;
    if let Some(i) = cols.direction {
        let said = match field(i).trim().to_ascii_lowercase().as_str() {
            "" => None,
            "higher" => Some(true),
            "lower" => Some(false),
            other => {
                return Err(Error::Parse {
                    line,
                    reason: format!("direction `{other}` is neither `higher` nor `lower`"),
                });
            }
        };
        if let Some(d) = said {
            if entry.higher_is_better.is_some_and(|h| h != d) {
                return Err(Error::Parse {
                    line,
                    reason: "another direction than on an earlier line of the same curve".into(),
                });
            }
            entry.higher_is_better = Some(d);
        }
    }
    let chance = optional(cols.chance, "y_random")?;
    let n = optional(cols.n, "n_examples")?;
    let sigma = optional(cols.sigma, "sigma")?;
    let y_max = optional(cols.y_max, "y_max")?;
    if entry.x.is_empty() {
        entry.chance = chance;
        entry.y_max = y_max;
    } else if entry.chance != chance || entry.y_max != y_max {
        return Err(Error::Parse {
            line,
            reason: format!(
                "another y_random or y_max than on line {} of the same curve",
                entry.first_line
            ),
        });
    }
    entry.x.push(x);
    entry.y.push(y);
    entry.n.push(n);
    entry.sigma.push(sigma);
    entry.lines.push(line);
    Ok(())
}

/// Validates one curve's points; an error about one point names its line in the file.
fn build(p: Pending, duplicates: DuplicatePolicy) -> Result<Curve> {
    let all = |v: &[Option<f64>]| v.iter().all(Option::is_some);
    let none = |v: &[Option<f64>]| v.iter().all(Option::is_none);
    for (what, v) in [("n_examples", &p.n), ("sigma", &p.sigma)] {
        if !all(v) && !none(v) {
            return Err(Error::Parse {
                line: p.first_line,
                reason: format!("{what} is given for some points of this curve but not all"),
            });
        }
    }
    let lines = p.lines;
    let metric_max = p.labels.metric.as_deref().and_then(conventional_maximum);
    let higher_is_better = p.higher_is_better.unwrap_or_else(|| {
        !p.labels
            .metric
            .as_deref()
            .is_some_and(lower_is_better_metric)
    });
    let mut b = Curve::builder(p.x, p.y)
        .labels(p.labels)
        .higher_is_better(higher_is_better)
        .duplicates(duplicates);
    if all(&p.n) && !p.n.is_empty() {
        b = b.n_examples(p.n.into_iter().flatten().collect());
    }
    if all(&p.sigma) && !p.sigma.is_empty() {
        b = b.sigma(p.sigma.into_iter().flatten().collect());
    }
    if let Some(c) = p.chance {
        b = b.chance(c);
    }
    if let Some(m) = p.y_max.or(metric_max) {
        b = b.y_max(m);
    }
    b.build().map_err(|e| at_line(e, &lines))
}

/// What the reader inferred or left out for one curve.
fn notes(p: &mut Pending, headers: &csv::StringRecord, cols: &Columns) -> Vec<String> {
    let mut notes = Vec::new();
    if p.higher_is_better.is_none()
        && let Some(metric) = p.labels.metric.as_deref()
        && lower_is_better_metric(metric)
    {
        notes.push(format!(
            "lower is better, read from the metric's name `{metric}` (a `direction` column overrides it)"
        ));
    }
    if !p.missing_x.is_empty() {
        let column = headers.get(cols.x).unwrap_or("x");
        let lines: Vec<String> = p.missing_x.iter().map(u64::to_string).collect();
        notes.push(format!(
            "{} point(s) without `{column}` left out (line {})",
            p.missing_x.len(),
            lines.join(", ")
        ));
    }
    notes
}

/// The maximum a metric is conventionally reported on when the file gives none: 100 for BLEU and
/// chrF (sacreBLEU's convention), whose low scores would otherwise be read as fractions.
fn conventional_maximum(metric: &str) -> Option<f64> {
    let m = metric.to_ascii_lowercase();
    (m.contains("bleu") || m.contains("chrf")).then_some(100.0)
}

/// Restates an error about the point at some index as an error about its line in the file.
fn at_line(e: Error, lines: &[u64]) -> Error {
    let line_of = |i: usize| lines.get(i).copied().unwrap_or(0);
    let (line, reason) = match &e {
        Error::NonFinite { what, index, value } => {
            (line_of(*index), format!("{what} is not finite ({value})"))
        }
        Error::NonPositiveScale { index, value } => (
            line_of(*index),
            format!("x = {value} is not positive, but the axis is logarithmic"),
        ),
        Error::DuplicateScale {
            first,
            second,
            value,
        } => (
            line_of(*second),
            format!("duplicate x = {value} (also on line {})", line_of(*first)),
        ),
        Error::InvalidSigma { index, value } => (
            line_of(*index),
            format!("sigma = {value} must be finite and within [1e-100, 1e100]"),
        ),
        Error::InvalidSampleSize { index, value } => (
            line_of(*index),
            format!("n_examples = {value} must be finite and within [1, 1e15]"),
        ),
        Error::OutOfRange {
            index,
            value,
            y_max,
        } => (
            line_of(*index),
            format!("y = {value} is outside the metric's range [0, {y_max}]"),
        ),
        _ => return e,
    };
    Error::Parse { line, reason }
}

/// Reads a labels file `curve_id,label[,...]` into `(id, label)` pairs, in file order.
///
/// # Errors
/// [`Error::Io`] or [`Error::Parse`] naming the line.
///
/// ```
/// use emergence_detect::io::read_labels;
/// let path = std::env::temp_dir().join("emergence-read-labels-doc.csv");
/// std::fs::write(&path, "curve_id,label\na,emergent\n").unwrap();
/// assert_eq!(read_labels(&path)?, vec![("a".to_string(), "emergent".to_string())]);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_labels(path: impl AsRef<Path>) -> Result<Vec<(String, String)>> {
    let file = std::fs::File::open(path.as_ref())
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))?;
    read_labels_from(file)
}

/// Reads labels from any reader (see [`read_labels`]).
///
/// ```
/// use emergence_detect::io::read_labels_from;
/// let labels = read_labels_from("curve_id,label,notes\na,flat,at chance\n".as_bytes())?;
/// assert_eq!(labels[0].1, "flat");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_labels_from(reader: impl Read) -> Result<Vec<(String, String)>> {
    let mut rdr = strict_reader(reader);
    let headers = rdr.headers().map_err(csv_error)?.clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let find = |n: &str| {
        names
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| Error::Parse {
                line: 1,
                reason: format!("missing column `{n}`"),
            })
    };
    let (id, label) = (find("curve_id")?, find("label")?);
    let mut out = Vec::new();
    for record in rdr.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let (Some(i), Some(l)) = (record.get(id), record.get(label)) else {
            return Err(Error::Parse {
                line,
                reason: "missing field".into(),
            });
        };
        out.push((i.to_string(), l.to_string()));
    }
    Ok(out)
}

/// A CSV reader with a header row that trims fields; ragged rows are checked row by row.
fn strict_reader<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader)
}

fn csv_error(e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        return match e.into_kind() {
            csv::ErrorKind::Io(err) => Error::io("reading CSV", err),
            other => Error::Parse {
                line,
                reason: format!("{other:?}"),
            },
        };
    }
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Error::Parse {
            line,
            reason: format!("{len} fields where the header has {expected_len}"),
        },
        csv::ErrorKind::Utf8 { .. } => Error::Parse {
            line,
            reason: "not valid UTF-8".into(),
        },
        _ => Error::Parse {
            line,
            reason: e.to_string(),
        },
    }
}
