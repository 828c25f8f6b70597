//! The `emergence` command line: output columns, per-curve errors with file lines, exit status.
#![cfg(feature = "cli")]

use std::process::Command;

fn emergence(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_emergence"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("emergence-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const GOOD: &str = "ok,1e8,0.25,0.25,1000\nok,1e9,0.26,0.25,1000\nok,1e10,0.5,0.25,1000\nok,1e11,0.8,0.25,1000\nok,1e12,0.85,0.25,1000\n";

#[test]
fn a_text_cell_fails_only_its_curve_with_the_file_line() {
    let path = write(
        "mixed.csv",
        &format!(
            "curve_id,x_params,y,y_random,n_examples\n{GOOD}bad,1e8,abc,0.25,1000\nbad,1e9,0.3,0.25,1000\n"
        ),
    );
    let (code, stdout, stderr) = emergence(&["classify", &path, "--bootstrap", "0"]);
    assert_eq!(code, 1, "some curves failed: exit 1\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(
            "curve_id,category,confidence,critical_x,critical_x_lo,critical_x_hi,reason"
        )
    );
    assert!(lines[1].starts_with("ok,emergent,"), "{}", lines[1]);
    assert!(lines[2].starts_with("bad,error,"), "{}", lines[2]);
    assert!(lines[2].contains("line 7"), "{}", lines[2]);
    assert!(stderr.contains("1 of 2 curves"));
}

#[test]
fn a_clean_file_exits_zero_and_writes_the_output_file() {
    let path = write(
        "good.csv",
        &format!("curve_id,x_params,y,y_random,n_examples\n{GOOD}"),
    );
    let out = write("good-out.csv", "");
    let (code, stdout, _) = emergence(&["classify", &path, "--out", &out, "--threads", "1"]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 2);
}

#[test]
fn unusable_inputs_exit_two_with_a_plain_message() {
    let empty = write("empty.csv", "curve_id,x_params,y\n");
    let (code, _, stderr) = emergence(&["classify", &empty]);
    assert_eq!(code, 2);
    assert!(stderr.contains("header and no rows"), "{stderr}");
    let (code, _, stderr) = emergence(&["classify", "/no/such/file.csv"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/no/such/file.csv"), "{stderr}");
    let path = write(
        "good2.csv",
        &format!("curve_id,x_params,y,y_random,n_examples\n{GOOD}"),
    );
    let (code, _, stderr) = emergence(&["classify", &path, "--significance", "2"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--significance"), "{stderr}");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let path = write(
        "threads.csv",
        &format!("curve_id,x_params,y,y_random,n_examples\n{GOOD}"),
    );
    let (_, one, _) = emergence(&["classify", &path, "--threads", "1"]);
    let (_, two, _) = emergence(&["classify", &path, "--threads", "2"]);
    assert_eq!(one, two);
}

#[test]
fn duplicate_scales_fail_with_a_hint_naming_the_flag_that_pools_them() {
    let path = write(
        "dup.csv",
        "curve_id,x_params,y,n_examples\na,1e8,0.1,100\na,1e8,0.2,100\na,1e9,0.3,100\na,1e10,0.5,100\n",
    );
    let (code, stdout, _) = emergence(&["classify", &path]);
    assert_eq!(code, 1);
    assert!(stdout.contains("line 3: duplicate x"), "{stdout}");
    assert!(stdout.contains("--duplicates merge"), "{stdout}");
    assert!(
        !stdout.contains("DuplicatePolicy"),
        "hints name a flag, not a Rust API"
    );
    let (code, stdout, _) = emergence(&["classify", &path, "--duplicates", "merge"]);
    assert_eq!(code, 0);
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[10], "3", "{stdout}");
    let (code, stdout, _) = emergence(&["classify", &path, "--duplicates", "keep"]);
    assert_eq!(code, 0);
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[10], "4", "{stdout}");
}

/// The `secondary` column names a second category when the curve shows one: a spike that emerges
/// from chance and then declines is an inverted U, also emergent.
#[test]
fn the_secondary_category_has_its_column() {
    let rows: String = [
        (7e7, 0.009),
        (1.6e8, 0.005),
        (4.1e8, 0.009),
        (1e9, 0.017),
        (1.4e9, 0.067),
        (2.8e9, 0.795),
        (6.9e9, 0.486),
        (1.2e10, 0.446),
    ]
    .iter()
    .map(|(x, y)| format!("spike,{x},{y},0,2000\n"))
    .collect();
    let path = write(
        "spike.csv",
        &format!("curve_id,x_params,y,y_random,n_examples\n{rows}"),
    );
    let (code, stdout, _) = emergence(&["classify", &path, "--bootstrap", "0"]);
    assert_eq!(code, 0, "{stdout}");
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[10..12], ["n_points", "secondary"]);
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!((&row[0], &row[1]), ("spike", "inverted_u"), "{row:?}");
    assert_eq!((&row[10], &row[11]), ("8", "emergent"), "{row:?}");
}

/// `compare`: one row per pair with the documented columns first; a pair naming a missing
/// curve gets category `error` and the others go on (exit status 1).
#[test]
fn compare_writes_one_row_per_pair_and_isolates_bad_pairs() {
    let mut curves = String::from("curve_id,x_params,y,y_random,n_examples\n");
    for (i, x) in [1e8, 1e9, 1e10, 1e11, 1e12].iter().enumerate() {
        curves.push_str(&format!("zero,{x},0.26,0.25,1000\n"));
        let few = [0.26, 0.27, 0.3, 0.62, 0.8][i];
        curves.push_str(&format!("few,{x},{few},0.25,1000\n"));
    }
    let curves = write("pairs_curves.csv", &curves);
    let pairs = write(
        "pairs.csv",
        "pair_id,baseline_curve_id,treatment_curve_id\nicl,zero,few\nbroken,zero,nowhere\n",
    );
    let (code, stdout, stderr) = emergence(&["compare", &curves, "--pairs", &pairs]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let mut lines = stdout.lines();
    assert!(lines.next().unwrap().starts_with(
        "pair_id,baseline_category,treatment_category,gain_category,gain_confidence,gain_critical_x,gain_critical_x_lo,gain_critical_x_hi,hurts_below_x,reason"
    ));
    let icl = lines.next().unwrap();
    assert!(icl.starts_with("icl,flat,emergent,emergent,"), "{icl}");
    let broken = lines.next().unwrap();
    assert!(broken.starts_with("broken,error,"), "{broken}");
    assert!(broken.contains("no curve `nowhere`"), "{broken}");
    assert!(stderr.contains("1 of 2 pairs"), "{stderr}");
    let (code, _, stderr) = emergence(&["compare", &curves, "--pairs", &curves]);
    assert_eq!(code, 2);
    assert!(stderr.contains("pair_id"), "{stderr}");
}

/// `forecast`: the documented columns first, one row per curve and scale; `backtest` prints
/// the coverage and the errors.
#[test]
fn forecast_and_backtest_subcommands() {
    let mut curves = String::from("curve_id,x_params,y,n_examples\n");
    for (i, x) in [1e8, 3e8, 1e9, 3e9, 1e10, 3e10, 1e11].iter().enumerate() {
        curves.push_str(&format!("line,{x},{},2000\n", 0.3 + 0.05 * i as f64));
    }
    let path = write("forecast_curves.csv", &curves);
    let (code, stdout, stderr) = emergence(&[
        "forecast",
        &path,
        "--at",
        "1e12",
        "--at",
        "1e13",
        "--threshold",
        "0.7",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let mut lines = stdout.lines();
    assert!(lines.next().unwrap().starts_with(
        "curve_id,x,predicted,lo,hi,threshold_x,threshold_x_lo,threshold_x_hi,reason"
    ));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(rows[0].starts_with("line,1.000000e12,"), "{}", rows[0]);
    let (code, stdout, _) = emergence(&["backtest", &path, "--hide", "2"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("coverage of the 90% prediction intervals"),
        "{stdout}"
    );
    assert!(stdout.contains("2 points forecast"), "{stdout}");
    let (code, _, stderr) = emergence(&["forecast", &path]);
    assert_eq!(code, 2, "--at is required: {stderr}");
}

/// `lm-eval`: a directory of harness results classified with the table of `classify`, the broken
/// file reported (exit 1) and the others kept; `--export` writes curves `classify` reads back.
#[test]
fn lm_eval_classifies_a_results_directory_and_exports_its_curves() {
    let dir = crate::common::data("lm_eval");
    let sizes = dir.join("sizes.csv");
    let export =
        std::env::temp_dir().join(format!("emergence-lm-export-{}.csv", std::process::id()));
    let args = [
        "lm-eval",
        dir.to_str().unwrap(),
        "--sizes",
        sizes.to_str().unwrap(),
        "--export",
        export.to_str().unwrap(),
    ];
    // an unknown flag is a usage error (exit 2), before anything is read
    let (code, stdout, stderr) = emergence(&[&args[..], &["--no-such-flag"]].concat());
    assert_eq!(code, 2, "{stdout}{stderr}");
    let (code, stdout, stderr) = emergence(&args);
    assert_eq!(code, 1, "the truncated file is an error: {stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    assert!(
        stderr.contains("kept results_2024-05-02T09-00-00.json"),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("curve_id,category,confidence,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"arc_easy|acc,none|k0\",scaling,"),
        "{stdout}"
    );
    let (code, again, _) = emergence(&["classify", export.to_str().unwrap(), "--bootstrap", "0"]);
    assert_eq!(code, 0);
    // the exported curves classify as they did (id, category and confidence alike)
    let head = |row: &str| -> String {
        // the id (quoted when it holds a comma), the category and the confidence
        let id_end = if let Some(rest) = row.strip_prefix('"') {
            rest.find('"').map_or(row.len(), |i| i + 2)
        } else {
            row.find(',').unwrap_or(row.len())
        };
        let tail: Vec<&str> = row[id_end..].splitn(4, ',').collect();
        format!("{}{}", &row[..id_end], tail[..3].join(","))
    };
    for row in stdout.lines().skip(1) {
        let h = head(row);
        assert!(h.matches(',').count() >= 2, "{h}");
        assert!(again.lines().any(|l| head(l) == h), "{h} / {again}");
    }
    assert_eq!(stdout.lines().count(), 5);
    assert_eq!(again.lines().count(), stdout.lines().count(), "{again}");
}

/// `artefact`: the documented columns first; a missing curve is an error row and the rest go on.
#[test]
fn artefact_reads_pairs_of_metrics() {
    let mut curves = String::from("curve_id,x_params,y,y_random,n_examples\n");
    for i in 0..9 {
        let x = 10f64.powf(8.0 + 0.5 * i as f64);
        let p = 0.2 + 0.09 * i as f64;
        curves.push_str(&format!("em,{x},{},0,2000\n", p.powi(5)));
        curves.push_str(&format!("tok,{x},{p},,2000\n"));
    }
    let curves = write("artefact_curves.csv", &curves);
    let pairs = write(
        "artefact_pairs.csv",
        "pair_id,discrete_curve_id,continuous_curve_id\nipa,em,tok\nlost,em,nowhere\n",
    );
    let (code, stdout, _) = emergence(&["artefact", &curves, "--pairs", &pairs]);
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("pair_id,verdict,discrete_category,continuous_category,reason"));
    assert!(
        lines[1].starts_with("ipa,artefact,emergent,scaling,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("lost,error,"), "{}", lines[2]);
}

#[test]
fn classify_reads_any_scale_column_keeps_replicates_and_reports_direction_and_notes() {
    let path = write(
        "flops.csv",
        "curve_id,x_params,x_flops,y,metric,n_examples\n\
         g,1e8,1e20,0.80,tc_brier,1000\ng,2e8,1e20,0.78,tc_brier,1000\ng,1e9,1e21,0.60,tc_brier,1000\n\
         g,2e9,,0.55,tc_brier,1000\ng,1e10,1e22,0.40,tc_brier,1000\ng,1e11,1e23,0.20,tc_brier,1000\n",
    );
    // replicates at 1e20 FLOPs are an error by default, kept with --duplicates keep
    let (code, stdout, _) = emergence(&["classify", &path, "--x", "x_flops", "--bootstrap", "0"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("--duplicates"), "{stdout}");
    let (code, stdout, stderr) = emergence(&[
        "classify",
        &path,
        "--x",
        "x_flops",
        "--duplicates",
        "keep",
        "--bootstrap",
        "0",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[12..], ["x_column", "direction", "notes", "evidence"]);
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[10], "5"); // six rows, one without FLOPs
    assert_eq!((&row[12], &row[13]), ("x_flops", "lower"));
    assert!(
        row[14].contains("line 5") && row[14].contains("tc_brier"),
        "{:?}",
        &row[14]
    );
    assert_eq!(&row[1], "scaling", "{:?}", row);
}

/// A short curve without noise borrows the file's test-set size for its metric, and says so.
#[test]
fn short_curves_without_noise_borrow_the_files_test_set_size() {
    let path = write(
        "lend.csv",
        "curve_id,x_params,y,metric,n_examples\n\
         sized,8e9,0.30,accuracy,2000\nsized,6.2e10,0.35,accuracy,2000\nsized,5.4e11,0.60,accuracy,2000\n\
         bare,8e9,0.20,accuracy,\nbare,6.2e10,0.24,accuracy,\nbare,5.4e11,0.28,accuracy,\n",
    );
    let (code, stdout, stderr) = emergence(&["classify", &path, "--bootstrap", "0"]);
    assert_eq!(code, 0, "{stderr}");
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(&records[1][0], "bare");
    assert_eq!(&records[1][15], "assumed", "{:?}", records[1]);
    assert!(records[1][6].contains("2000 items"), "{:?}", &records[1][6]);
    let (_, stdout, _) = emergence(&["classify", &path, "--bootstrap", "0", "--no-lend-noise"]);
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(&records[1][1], "inconclusive", "{:?}", records[1]);
}

/// Without an interval (here no bootstrap) the critical scale's `_lo` and `_hi` cells are empty:
/// the estimate alone is not an interval of zero width.
#[test]
fn an_estimate_without_an_interval_leaves_its_interval_cells_empty() {
    let path = write(
        "no-interval.csv",
        &format!("curve_id,x_params,y,y_random,n_examples\n{GOOD}"),
    );
    let cells = |args: &[&str]| -> Vec<String> {
        let (code, stdout, stderr) = emergence(args);
        assert_eq!(code, 0, "{stderr}");
        let mut rows = csv_rows(&stdout);
        assert_eq!(
            rows[0][3..6],
            ["critical_x", "critical_x_lo", "critical_x_hi"]
        );
        rows.remove(1)[3..6].to_vec()
    };
    let without = cells(&["classify", &path, "--bootstrap", "0"]);
    assert!(!without[0].is_empty(), "{without:?}");
    assert_eq!(without[1..], ["", ""], "{without:?}");
    let with = cells(&["classify", &path]);
    let [value, lo, hi] = [0, 1, 2].map(|i| with[i].parse::<f64>().unwrap());
    assert!(lo < value && value < hi, "{with:?}");
}

/// The rows of a CSV text, cells unquoted.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}
