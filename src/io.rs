//! Reading curves and labels from the long CSV format (feature `io`).
//!
//! One row per point: `curve_id,family,task,metric,shots,x_params,y,y_random,n_examples`, columns
//! found by header name so that extra columns are ignored. Only `curve_id`, `x_params` (or `x`) and
//! `y` are required. Empty `y_random` / `n_examples` mean unknown; an optional `y_max` column gives
//! the metric's maximum (otherwise 100 when any `y > 1`, else 1), an optional `sigma` column
//! standard errors. Rows of one curve need not be adjacent or sorted. A malformed row is an error
//! naming its line; a curve whose points fail validation is returned as that curve's error, so the
//! other curves go on.

use crate::curve::{Curve, CurveLabels};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// One curve of a CSV file: its id and the validated curve, or why it is invalid.
#[derive(Debug, Clone)]
pub struct CurveRecord {
    /// The `curve_id`.
    pub id: String,
    /// The curve, or its validation error.
    pub curve: Result<Curve>,
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
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> Result<Columns> {
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
            x: match pos("x_params").or_else(|| pos("x")) {
                Some(i) => i,
                None => need("x_params")?,
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
/// # Errors
/// [`Error::Io`] if the file cannot be read, [`Error::Parse`] naming the line of a malformed row
/// (missing column, text in a numeric field, ragged row, conflicting per-curve values).
pub fn read_curves(path: impl AsRef<Path>) -> Result<Vec<CurveRecord>> {
    let file = std::fs::File::open(path.as_ref())
        .map_err(|e| Error::Io(format!("{}: {e}", path.as_ref().display())))?;
    read_curves_from(file)
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
    let mut rdr = strict_reader(reader);
    let headers = rdr.headers().map_err(csv_error)?.clone();
    let cols = Columns::find(&headers)?;
    let mut order: Vec<String> = Vec::new();
    let mut pending: HashMap<String, Pending> = HashMap::new();
    for record in rdr.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let id = field(cols.id).to_string();
        if id.is_empty() {
            return Err(Error::Parse {
                line,
                reason: "empty curve_id".into(),
            });
        }
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
        let x = required(cols.x, "x_params")?;
        let y = required(cols.y, "y")?;
        let chance = optional(cols.chance, "y_random")?;
        let n = optional(cols.n, "n_examples")?;
        let sigma = optional(cols.sigma, "sigma")?;
        let y_max = optional(cols.y_max, "y_max")?;
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
                },
                first_line: line,
                chance,
                y_max,
                ..Pending::default()
            }
        });
        if entry.chance != chance || entry.y_max != y_max {
            return Err(Error::Parse {
                line,
                reason: format!(
                    "curve `{id}` has another y_random or y_max here than on line {}",
                    entry.first_line
                ),
            });
        }
        entry.x.push(x);
        entry.y.push(y);
        entry.n.push(n);
        entry.sigma.push(sigma);
    }
    let mut out = Vec::with_capacity(order.len());
    for id in order {
        let p = pending.remove(&id).unwrap_or_default();
        let curve = build(p);
        out.push(CurveRecord { id, curve });
    }
    Ok(out)
}

/// Validates one curve's points.
fn build(p: Pending) -> Result<Curve> {
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
    let mut b = Curve::builder(p.x, p.y).labels(p.labels);
    if all(&p.n) && !p.n.is_empty() {
        b = b.n_examples(p.n.into_iter().flatten().collect());
    }
    if all(&p.sigma) && !p.sigma.is_empty() {
        b = b.sigma(p.sigma.into_iter().flatten().collect());
    }
    if let Some(c) = p.chance {
        b = b.chance(c);
    }
    if let Some(m) = p.y_max {
        b = b.y_max(m);
    }
    b.build()
}

/// Reads a labels file `curve_id,label[,...]` into `(id, label)` pairs, in file order.
///
/// # Errors
/// [`Error::Io`] or [`Error::Parse`] naming the line.
pub fn read_labels(path: impl AsRef<Path>) -> Result<Vec<(String, String)>> {
    let file = std::fs::File::open(path.as_ref())
        .map_err(|e| Error::Io(format!("{}: {e}", path.as_ref().display())))?;
    read_labels_from(file)
}

/// Reads labels from any reader (see [`read_labels`]).
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

/// A CSV reader with a header row that rejects ragged rows and trims fields.
fn strict_reader<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader)
}

fn csv_error(e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    match e.kind() {
        csv::ErrorKind::Io(err) => Error::Io(err.to_string()),
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
