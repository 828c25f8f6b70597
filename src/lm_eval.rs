//! Reading EleutherAI lm-evaluation-harness results (feature `io`): one results JSON file per
//! model, one curve per (task, metric, filter, few-shot setting) across the models.
//!
//! Both layouts are read: 0.4.x (`results` keyed by task with `"metric,filter"` keys such as
//! `"acc,none"` and `"acc_stderr,none"`, `n-shot`, `n-samples` with `original`/`effective`,
//! `higher_is_better`, `config.model_num_parameters`) and 0.3.x (keys without the filter suffix,
//! `config.num_fewshot`). A model's size is `config.model_num_parameters` when present and
//! positive, else the user's map from model name to parameters (see [`read_sizes`]); sizes are
//! never guessed from names. Noise: the file's standard errors when every point has a numeric one
//! (`"N/A"` is not), else binomial from `n-samples` when every point has it, else unknown; the
//! curve records which ([`NoiseSource`]). A file that cannot be read or used is reported with its
//! path and the key at fault; the other files go on.

use crate::curve::{Curve, CurveLabels, DuplicatePolicy};
use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Where a curve's noise comes from.
///
/// ```
/// use emergence_detect::lm_eval::NoiseSource;
/// assert_eq!(NoiseSource::Stderr.as_str(), "stderr");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoiseSource {
    /// The standard errors the harness wrote.
    Stderr,
    /// Binomial errors from the number of evaluated samples.
    Samples,
    /// Neither was available for every point: the noise is unknown.
    Unknown,
}

impl NoiseSource {
    /// The name used in reports.
    ///
    /// ```
    /// assert_eq!(emergence_detect::lm_eval::NoiseSource::Samples.as_str(), "n-samples");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            NoiseSource::Stderr => "stderr",
            NoiseSource::Samples => "n-samples",
            NoiseSource::Unknown => "unknown",
        }
    }
}

/// One curve read from results files.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LmEvalCurve {
    /// `task|metric,filter|kSHOTS`.
    pub id: String,
    /// The task.
    pub task: String,
    /// The metric and filter, as the harness names them (`acc,none`).
    pub metric: String,
    /// The number of in-context examples, when the file says.
    pub shots: Option<u32>,
    /// The models behind the points, smallest first.
    pub models: Vec<String>,
    /// Where the noise comes from.
    pub noise: NoiseSource,
    /// The curve, or why it cannot be built (e.g. two results for one size).
    pub curve: Result<Curve>,
}

/// What reading a set of results files gave.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct LmEvalRead {
    /// The curves, sorted by id.
    pub curves: Vec<LmEvalCurve>,
    /// Files that could not be used, with the reason (naming the key at fault).
    pub file_errors: Vec<(PathBuf, String)>,
    /// Choices made along the way, e.g. which of several results files of one model was kept.
    pub notes: Vec<String>,
}

/// One score of one model.
struct Point {
    model: String,
    params: f64,
    value: f64,
    stderr: Option<f64>,
    samples: Option<f64>,
}

/// The key of a curve: task, metric with filter, shots, and whether higher is better.
type CurveKey = (String, String, Option<u32>);

/// Reads a map from model name to parameter count: a CSV with columns `model,params`.
///
/// ```
/// use emergence_detect::lm_eval::read_sizes_from;
/// let sizes = read_sizes_from("model,params\ngpt2,124e6\n".as_bytes())?;
/// assert_eq!(sizes["gpt2"], 124e6);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_sizes_from(reader: impl std::io::Read) -> Result<HashMap<String, f64>> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| Error::io("sizes", std::io::Error::other(e.to_string())))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(m), Some(p)) = (column("model"), column("params")) else {
        return Err(Error::Parse {
            line: 1,
            reason: "the sizes file needs the columns `model,params`".into(),
        });
    };
    let mut sizes = HashMap::new();
    for (k, row) in csv.records().enumerate() {
        let line = k as u64 + 2;
        let row = row.map_err(|e| Error::Parse {
            line,
            reason: e.to_string(),
        })?;
        let model = row.get(m).unwrap_or("").trim().to_string();
        let text = row.get(p).unwrap_or("").trim();
        let params: f64 = text.parse().map_err(|_| Error::Parse {
            line,
            reason: format!("params `{text}` is not a number"),
        })?;
        if model.is_empty() || !(params.is_finite() && params > 0.0) {
            return Err(Error::Parse {
                line,
                reason: "a model name and a positive parameter count are needed".into(),
            });
        }
        sizes.insert(model, params);
    }
    Ok(sizes)
}

/// [`read_sizes_from`] on a file.
///
/// ```
/// let err = emergence_detect::lm_eval::read_sizes("/no/such/sizes.csv").unwrap_err();
/// assert!(err.to_string().contains("sizes.csv"));
/// ```
pub fn read_sizes(path: impl AsRef<Path>) -> Result<HashMap<String, f64>> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    read_sizes_from(file)
}

/// Reads every results file under `dir` (any depth): files named `results*.json`. When one
/// directory holds several of them (one model evaluated more than once), the newest by the
/// timestamp in its name wins, and the choice is recorded in `notes`.
///
/// ```
/// use emergence_detect::lm_eval::read_lm_eval_dir;
/// let dir = std::env::temp_dir().join("emergence-lm-eval-doc");
/// std::fs::create_dir_all(dir.join("m1")).unwrap();
/// std::fs::write(dir.join("m1/results_2024-01-01T00-00-00.json"), r#"{
///   "results": {"arc": {"acc,none": 0.3, "acc_stderr,none": 0.01}},
///   "n-shot": {"arc": 0}, "config": {"model_args": "pretrained=m1", "model_num_parameters": 1e8}
/// }"#).unwrap();
/// let read = read_lm_eval_dir(&dir, &Default::default())?;
/// assert_eq!(read.curves.len(), 1);
/// assert_eq!(read.curves[0].id, "arc|acc,none|k0");
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn read_lm_eval_dir(dir: impl AsRef<Path>, sizes: &HashMap<String, f64>) -> Result<LmEvalRead> {
    let dir = dir.as_ref();
    let mut found: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    walk(dir, &mut found)?;
    let mut notes = Vec::new();
    let mut files = Vec::new();
    for (folder, mut names) in found {
        names.sort();
        if let Some(newest) = names.pop() {
            if !names.is_empty() {
                notes.push(format!(
                    "{}: kept {} (the newest), ignored {}",
                    folder.display(),
                    file_name(&newest),
                    names
                        .iter()
                        .map(|p| file_name(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            files.push(newest);
        }
    }
    let mut read = read_lm_eval_files(&files, sizes);
    read.notes.splice(0..0, notes);
    Ok(read)
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Collects `results*.json` files by their directory.
fn walk(dir: &Path, found: &mut BTreeMap<PathBuf, Vec<PathBuf>>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, found)?;
        } else {
            let name = file_name(&path);
            if name.starts_with("results") && name.ends_with(".json") {
                found.entry(dir.to_path_buf()).or_default().push(path);
            }
        }
    }
    Ok(())
}

/// Reads the given results files (one model each) into curves; a file that cannot be used is
/// reported in `file_errors` and the others go on.
///
/// ```
/// use emergence_detect::lm_eval::read_lm_eval_files;
/// let read = read_lm_eval_files(&["/no/such/results.json".into()], &Default::default());
/// assert_eq!(read.file_errors.len(), 1);
/// assert!(read.curves.is_empty());
/// ```
pub fn read_lm_eval_files(files: &[PathBuf], sizes: &HashMap<String, f64>) -> LmEvalRead {
    let mut out = LmEvalRead::default();
    let mut points: BTreeMap<CurveKey, (Vec<Point>, bool)> = BTreeMap::new();
    for path in files {
        match read_file(path, sizes) {
            Ok(entries) => {
                for (key, point, higher_is_better) in entries {
                    let slot = points.entry(key).or_insert((Vec::new(), true));
                    slot.0.push(point);
                    slot.1 &= higher_is_better;
                }
            }
            Err(reason) => out.file_errors.push((path.clone(), reason)),
        }
    }
    for ((task, metric, shots), (mut pts, higher_is_better)) in points {
        pts.sort_by(|a, b| a.params.total_cmp(&b.params));
        let id = format!(
            "{task}|{metric}|k{}",
            shots.map_or("na".to_string(), |k| k.to_string())
        );
        let noise = if pts.iter().all(|p| p.stderr.is_some()) {
            NoiseSource::Stderr
        } else if pts.iter().all(|p| p.samples.is_some()) {
            NoiseSource::Samples
        } else {
            NoiseSource::Unknown
        };
        let mut b = Curve::builder(
            pts.iter().map(|p| p.params).collect(),
            pts.iter().map(|p| p.value).collect(),
        )
        .higher_is_better(higher_is_better)
        .duplicates(DuplicatePolicy::Reject)
        .labels(CurveLabels {
            id: Some(id.clone()),
            task: Some(task.clone()),
            model_family: None,
            metric: Some(metric.clone()),
            shots,
            scale: None,
        });
        b = match noise {
            NoiseSource::Stderr => b.sigma(pts.iter().map(|p| p.stderr.unwrap_or(0.0)).collect()),
            NoiseSource::Samples => {
                b.n_examples(pts.iter().map(|p| p.samples.unwrap_or(0.0)).collect())
            }
            NoiseSource::Unknown => b,
        };
        // accuracies and friends are fractions in the harness
        if higher_is_better && pts.iter().all(|p| (0.0..=1.0).contains(&p.value)) {
            b = b.y_max(1.0);
        }
        out.curves.push(LmEvalCurve {
            id,
            task,
            metric,
            shots,
            models: pts.iter().map(|p| p.model.clone()).collect(),
            noise,
            curve: b.build(),
        });
    }
    out
}

/// The scores of one results file, or why it cannot be used (naming the key).
fn read_file(
    path: &Path,
    sizes: &HashMap<String, f64>,
) -> std::result::Result<Vec<(CurveKey, Point, bool)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    let results = json
        .get("results")
        .and_then(Value::as_object)
        .ok_or("no `results` object")?;
    let config = json.get("config");
    let model = model_name(&json, path)
        .ok_or("no model name (`model_name` or `config.model_args` `pretrained=`)")?;
    let params = config
        .and_then(|c| c.get("model_num_parameters"))
        .and_then(Value::as_f64)
        .filter(|p| p.is_finite() && *p > 0.0)
        .or_else(|| sizes.get(&model).copied())
        .ok_or_else(|| {
            format!(
                "no size for model `{model}`: `config.model_num_parameters` is absent or 0; give it in a sizes file (model,params)"
            )
        })?;
    let legacy_shots = config
        .and_then(|c| c.get("num_fewshot"))
        .and_then(Value::as_u64)
        .map(|k| k as u32);
    let mut out = Vec::new();
    for (task, scores) in results {
        let Some(scores) = scores.as_object() else {
            return Err(format!("`results.{task}` is not an object"));
        };
        let shots = json
            .get("n-shot")
            .and_then(|n| n.get(task))
            .and_then(Value::as_u64)
            .map(|k| k as u32)
            .or(legacy_shots);
        let samples = json
            .get("n-samples")
            .and_then(|n| n.get(task))
            .and_then(|n| n.get("effective").or_else(|| n.get("original")))
            .and_then(Value::as_f64)
            .filter(|n| *n >= 1.0);
        for (key, value) in scores {
            // a metric key is `metric,filter` (0.4) or `metric` (0.3); skip its stderr and labels
            let (name, filter) = match key.split_once(',') {
                Some((n, f)) => (n, Some(f)),
                None => (key.as_str(), None),
            };
            if name.ends_with("_stderr") || name == "alias" {
                continue;
            }
            let Some(v) = value.as_f64() else {
                continue;
            };
            if !v.is_finite() {
                return Err(format!("`results.{task}.{key}` is not a finite number"));
            }
            let stderr_key = match filter {
                Some(f) => format!("{name}_stderr,{f}"),
                None => format!("{name}_stderr"),
            };
            let stderr = scores
                .get(&stderr_key)
                .and_then(Value::as_f64)
                .filter(|s| s.is_finite() && *s > 0.0);
            let higher_is_better = json
                .get("higher_is_better")
                .and_then(|h| h.get(task))
                .and_then(|h| h.get(name))
                .and_then(Value::as_bool)
                .unwrap_or(true);
            out.push((
                (task.clone(), key.clone(), shots),
                Point {
                    model: model.clone(),
                    params,
                    value: v,
                    stderr,
                    samples,
                },
                higher_is_better,
            ));
        }
    }
    Ok(out)
}

/// The model's name: `model_name`, else `pretrained=` in `config.model_args` (a string or a map),
/// else the file's directory.
fn model_name(json: &Value, path: &Path) -> Option<String> {
    if let Some(name) = json.get("model_name").and_then(Value::as_str)
        && !name.is_empty()
    {
        return Some(name.to_string());
    }
    let args = json.get("config").and_then(|c| c.get("model_args"));
    let from_args = match args {
        Some(Value::String(s)) => s
            .split(',')
            .find_map(|kv| kv.trim().strip_prefix("pretrained="))
            .map(str::to_string),
        Some(Value::Object(map)) => map
            .get("pretrained")
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    };
    from_args.or_else(|| {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    })
}
