//! Accuracy and throughput of the default classifier on a labelled long CSV.
//!
//! ```text
//! cargo run --release -p xtask -- evaluate CURVES.csv LABELS.csv [--json OUT] [--no-bootstrap] [--passes K] [--criterion aic|aicc|bic] [--sequential-only] [--repeat R]
//! ```
//!
//! `--no-bootstrap` turns the bootstrap intervals of the critical scale off (categories do not
//! change; only the intervals and the time do).
//!
//! `--criterion` ranks the fits by another information criterion than the default (BIC).
//! `--repeat R` times batches of the file's curves R times over: each `classify_all` call pays a
//! fixed cost (waking the thread pool after the sequential pass, about a millisecond here), which
//! a 1,000-curve batch of 40 ms feels and a 10,000-curve batch does not.
//! `--sequential-only` skips `classify_all`: two such processes run at once measure what the
//! machine's two cores give two independent single-threaded jobs, the ceiling for `classify_all`.
//!
//! Timing: after one untimed pass of each (which also starts rayon's threads), `--passes K`
//! (default 5) timed passes of the sequential loop and of `classify_all` alternate, and the
//! medians are printed: on a shared machine single passes of a few tens of milliseconds vary by
//! tens of percent, and alternating keeps a slow minute from favouring one side.
//!
//! Prints `accuracy: A (k/n)`, the confusion matrix with per-category recall, and the throughput of
//! classification alone (CSV parsing excluded) on one thread and, with the `rayon` feature, of
//! `classify_all` on every core. Labels outside the six categories are skipped and counted.

use crate::calibration::Calibration;
use emergence_detect::io::{read_curves, read_labels};
use emergence_detect::{Category, Classifier, Criterion, Curve, DefaultClassifier, classify_all};
use std::collections::HashMap;
use std::time::Instant;

pub fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let mut positional = Vec::new();
    let mut json_out = None;
    let mut bootstrap = true;
    let mut passes = 5;
    let mut criterion = None;
    let mut sequential_only = false;
    let mut repeat = 1;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json_out = Some(it.next().ok_or("--json needs a path")?.clone()),
            "--no-bootstrap" => bootstrap = false,
            "--sequential-only" => sequential_only = true,
            "--repeat" => repeat = count_after(&mut it, "--repeat")?,
            "--criterion" => {
                criterion = Some(match it.next().map(String::as_str) {
                    Some("aic") => Criterion::Aic,
                    Some("aicc") => Criterion::Aicc,
                    Some("bic") => Criterion::Bic,
                    _ => return Err("--criterion needs aic, aicc or bic".into()),
                })
            }
            "--passes" => passes = count_after(&mut it, "--passes")?,
            _ => positional.push(a.clone()),
        }
    }
    let [curves_path, labels_path] = positional.as_slice() else {
        return Err(
            "usage: evaluate CURVES.csv LABELS.csv [--json OUT] [--no-bootstrap] [--passes K] [--criterion aic|aicc|bic] [--sequential-only] [--repeat R]"
                .into(),
        );
    };
    let records = read_curves(curves_path)?;
    let labels: HashMap<String, String> = read_labels(labels_path)?.into_iter().collect();
    let mut builder = DefaultClassifier::builder();
    if !bootstrap {
        builder = builder.bootstrap(0);
    }
    if let Some(c) = criterion {
        builder = builder.criterion(c);
    }
    let classifier = builder.build()?;

    let mut ids = Vec::new();
    let mut curves: Vec<Curve> = Vec::new();
    let mut invalid = 0;
    for r in records {
        match r.curve {
            Ok(c) => {
                ids.push(r.id);
                curves.push(c);
            }
            Err(e) => {
                invalid += 1;
                eprintln!("skipping {}: {e}", r.id);
            }
        }
    }
    // the results that are scored: one classification of every curve, and classify_all's
    let results: Vec<_> = curves.iter().map(|c| classifier.classify(c)).collect();
    let parallel_results = if sequential_only {
        Vec::new()
    } else {
        classify_all(&classifier, &curves)
    };
    // throughput: classification only, one thread against classify_all, passes alternating, on
    // the file's curves `repeat` times over (a larger batch spreads classify_all's fixed cost of
    // waking the pool's threads)
    let batch: Vec<Curve> = if repeat > 1 {
        curves
            .iter()
            .cycle()
            .take(curves.len() * repeat)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let timed: &[Curve] = if repeat > 1 { &batch } else { &curves };
    let sequential = || -> Vec<_> { timed.iter().map(|c| classifier.classify(c)).collect() };
    // the clock stops before the results are dropped (a caller keeps them)
    let rate = |run: &dyn Fn() -> Vec<_>| {
        let start = Instant::now();
        let out = std::hint::black_box(run());
        let elapsed = start.elapsed().as_secs_f64();
        drop(out);
        timed.len() as f64 / elapsed
    };
    let (mut singles, mut parallels, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..passes {
        let one = rate(&sequential);
        singles.push(one);
        if !sequential_only {
            let all = rate(&|| classify_all(&classifier, timed));
            parallels.push(all);
            ratios.push(all / one);
        }
    }
    let single = median(singles);
    // every field, floats to their last bit (`Debug` prints the shortest round-trip form)
    let identical = results.len() == parallel_results.len()
        && results
            .iter()
            .zip(&parallel_results)
            .all(|(a, b)| format!("{a:?}") == format!("{b:?}"));

    let mut confusion: HashMap<(Category, Category), usize> = HashMap::new();
    // calibration: how often verdicts in each confidence bin are right
    let mut calibration = Calibration::default();
    let (mut hits, mut total, mut skipped, mut unlabelled) = (0, 0, 0, 0);
    let mut json_rows = Vec::new();
    for (id, res) in ids.iter().zip(&results) {
        let predicted = match res {
            Ok(c) => c.category,
            Err(_) => Category::Inconclusive,
        };
        if let Ok(c) = res {
            json_rows.push(serde_json::json!({
                "curve_id": id,
                "label": labels.get(id),
                "predicted": predicted.as_str(),
                "confidence": c.confidence,
                "critical_x": c.critical_scale.map(|e| e.value),
                "reason": c.reason,
            }));
        }
        let Some(label) = labels.get(id) else {
            unlabelled += 1;
            continue;
        };
        let Ok(truth) = label.parse::<Category>() else {
            skipped += 1;
            continue;
        };
        if truth == Category::Inconclusive {
            skipped += 1;
            continue;
        }
        total += 1;
        if truth == predicted {
            hits += 1;
        }
        if let Ok(c) = res {
            calibration.add(c.confidence, truth == predicted);
        }
        *confusion.entry((truth, predicted)).or_default() += 1;
    }
    println!(
        "accuracy: {:.3} ({hits}/{total})",
        hits as f64 / total.max(1) as f64
    );
    if skipped + unlabelled + invalid > 0 {
        println!(
            "skipped: {skipped} labels outside the six categories, {unlabelled} curves without a label, {invalid} invalid curves"
        );
    }
    print!("{:<12}", "true\\pred");
    for p in Category::ALL {
        print!("{:>13}", p.as_str());
    }
    println!("{:>9}", "recall");
    // the six shapes (every category but inconclusive)
    for &t in &Category::ALL[..6] {
        let row: Vec<usize> = Category::ALL
            .iter()
            .map(|p| confusion.get(&(t, *p)).copied().unwrap_or(0))
            .collect();
        let n: usize = row.iter().sum();
        if n == 0 {
            continue;
        }
        print!("{:<12}", t.as_str());
        for v in &row {
            print!("{v:>13}");
        }
        println!(
            "{:>9.3}",
            confusion.get(&(t, t)).copied().unwrap_or(0) as f64 / n as f64
        );
    }
    calibration.print();
    println!(
        "throughput: {single:.0} curves/s (one thread, classification only, bootstrap intervals {}; median of {passes} passes of {} curves)",
        if bootstrap { "on" } else { "off" },
        timed.len()
    );
    if !sequential_only {
        let (parallel, speedup) = (median(parallels), median(ratios));
        println!(
            "classify_all: {parallel:.0} curves/s on {} thread(s), {speedup:.2}x (median of {passes} alternating passes); identical to sequential: {identical}",
            // the crate is built with `rayon` here: classify_all spreads over every core
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        );
    }
    if let Some(path) = json_out {
        std::fs::write(&path, serde_json::to_string_pretty(&json_rows)?)?;
        println!("wrote {path}");
    }
    Ok(())
}

/// The median of a non-empty sample (the mean of the middle two for an even count).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// The positive count that follows `flag` on the command line (0 counts as 1).
fn count_after(
    args: &mut std::slice::Iter<String>,
    flag: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let value = args.next().ok_or(format!("{flag} needs a count"))?;
    Ok(value.parse::<usize>()?.max(1))
}
