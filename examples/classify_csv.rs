//! Classifies every curve of a long CSV and writes one row per curve.
//!
//! ```text
//! cargo run --release --all-features --example classify_csv -- IN.csv [--out OUT.csv] [--plots DIR]
//! ```
//!
//! Output columns: `curve_id,category,confidence,critical_x,critical_x_lo,critical_x_hi,reason`.
//! A curve that fails validation gets category `error` and the reason; the other curves go on.
//! Without `--out` the rows go to standard output; progress goes to standard error.

use emergence_detect::io::read_curves;
use emergence_detect::{Classifier, DefaultClassifier};
use std::io::Write;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut input = None;
    let mut out_path = None;
    let mut plots: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out_path = Some(it.next().ok_or("--out needs a path")?.clone()),
            "--plots" => plots = Some(it.next().ok_or("--plots needs a directory")?.clone()),
            other if input.is_none() => input = Some(other.to_string()),
            other => return Err(format!("unexpected argument `{other}`").into()),
        }
    }
    let input = input.ok_or("usage: classify_csv IN.csv [--out OUT.csv] [--plots DIR]")?;
    if plots.is_some() && !cfg!(feature = "plot") {
        return Err("--plots needs the `plot` feature".into());
    }
    let records = read_curves(&input)?;
    let sink: Box<dyn Write> = match &out_path {
        Some(p) => Box::new(std::fs::File::create(p)?),
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
    ])?;
    let classifier = DefaultClassifier::default();
    let total = records.len();
    let mut errors = 0;
    for (i, record) in records.iter().enumerate() {
        let outcome = record
            .curve
            .as_ref()
            .map_err(|e| e.to_string())
            .and_then(|c| {
                classifier
                    .classify(c)
                    .map_err(|e| e.to_string())
                    .map(|r| (c, r))
            });
        match outcome {
            Ok((curve, result)) => {
                let crit = result.critical_scale;
                let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6e}"));
                writer.write_record([
                    record.id.as_str(),
                    result.category.as_str(),
                    &format!("{:.4}", result.confidence),
                    &num(crit.map(|e| e.value)),
                    &num(crit.map(|e| e.lower)),
                    &num(crit.map(|e| e.upper)),
                    &result.reason,
                ])?;
                if let Some(dir) = &plots {
                    write_plot(dir, &record.id, curve, &result)?;
                }
            }
            Err(reason) => {
                errors += 1;
                writer.write_record([record.id.as_str(), "error", "", "", "", "", &reason])?;
            }
        }
        if (i + 1) % 1000 == 0 || i + 1 == total {
            eprint!("\rclassified {}/{total} curves ({errors} errors)", i + 1);
        }
    }
    eprintln!();
    writer.flush()?;
    Ok(())
}

#[cfg(feature = "plot")]
fn write_plot(
    dir: &str,
    id: &str,
    curve: &emergence_detect::Curve,
    result: &emergence_detect::Classification,
) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    emergence_detect::plot::write_svg(curve, result, format!("{dir}/{safe}.svg"))?;
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_plot(
    _dir: &str,
    _id: &str,
    _curve: &emergence_detect::Curve,
    _result: &emergence_detect::Classification,
) -> Result<(), Box<dyn std::error::Error>> {
    Ok(())
}
