//! Training logs from CSV (long and wide layouts) and the `emergence grokking` command.
#![cfg(feature = "io")]

use crate::common::training_logs::{Rng, Shape, run};
use emergence_detect::io::{
    TrainingMetric, TrainingReadOptions, read_training_logs_from, read_training_logs_with,
};
use emergence_detect::training::{TrainingCategory, TrainingLog, analyze_training};
use std::fmt::Write as _;

/// A synthetic run in the long layout, rows of the two splits interleaved.
fn long_csv(id: &str, log: &TrainingLog) -> String {
    let mut out = String::new();
    for i in 0..log.len() {
        let s = log.steps()[i];
        writeln!(out, "{id},{s},train,accuracy,{}", log.train(i).unwrap()).unwrap();
        writeln!(out, "{id},{s},val,accuracy,{}", log.validation(i).unwrap()).unwrap();
    }
    out
}

/// The same run in the wide layout.
fn wide_csv(id: &str, log: &TrainingLog) -> String {
    let mut out = String::new();
    for i in 0..log.len() {
        writeln!(
            out,
            "{id},{},{},{}",
            log.steps()[i],
            log.train(i).unwrap(),
            log.validation(i).unwrap()
        )
        .unwrap();
    }
    out
}

#[test]
fn both_layouts_read_the_same_log_and_give_the_same_analysis() {
    let mut rng = Rng::new(9);
    let r = run(TrainingCategory::Grokking, Shape::LogSigmoid, &mut rng);
    let long = format!("run_id,step,split,metric,value\n{}", long_csv("g", &r.log));
    let wide = format!("run_id,step,train_acc,val_acc\n{}", wide_csv("g", &r.log));
    let a = read_training_logs_from(long.as_bytes()).unwrap();
    let b = read_training_logs_from(wide.as_bytes()).unwrap();
    let (la, lb) = (a[0].log.as_ref().unwrap(), b[0].log.as_ref().unwrap());
    assert_eq!(la.len(), r.log.len());
    let (x, y, z) = (
        analyze_training(la).unwrap(),
        analyze_training(lb).unwrap(),
        analyze_training(&r.log).unwrap(),
    );
    assert_eq!(x, y);
    assert_eq!(x, z);
    assert_eq!(x.category, TrainingCategory::Grokking);
}

#[test]
fn a_bad_run_fails_alone_with_its_line_and_step() {
    let csv = "run_id,step,train_acc,val_acc\n\
               a,1,0.1,0.0\na,2,0.5,0.0\n\
               b,5,0.1,0.0\nb,3,0.2,0.0\n\
               c,1,0.1,0.0\nc,1,0.2,0.0\n\
               d,1,0.1,oops\n";
    let runs = read_training_logs_from(csv.as_bytes()).unwrap();
    let ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert!(runs[0].log.is_ok());
    let message = |i: usize| runs[i].log.as_ref().unwrap_err().to_string();
    assert!(
        message(1).contains("line 5") && message(1).contains("step 3"),
        "{}",
        message(1)
    );
    assert!(
        message(2).contains("line 7") && message(2).contains("step 1"),
        "{}",
        message(2)
    );
    assert!(
        message(3).contains("line 8") && message(3).contains("oops"),
        "{}",
        message(3)
    );
}

#[test]
fn missing_values_are_gaps_and_loss_is_chosen_when_asked_or_alone() {
    let csv = "step,train_acc,val_acc,train_loss,val_loss\n1,0.1,,2.0,2.1\n2,,0.1,1.0,2.2\n";
    let runs = read_training_logs_from(csv.as_bytes()).unwrap();
    let log = runs[0].log.as_ref().unwrap();
    assert_eq!(runs[0].id, "run");
    assert_eq!(runs[0].metric, "accuracy");
    assert_eq!((log.train_points(), log.validation_points()), (1, 1));
    let options = TrainingReadOptions {
        metric: TrainingMetric::Loss,
        ..TrainingReadOptions::default()
    };
    let runs = read_training_logs_with(csv.as_bytes(), &options).unwrap();
    assert_eq!(runs[0].metric, "loss");
    assert_eq!(runs[0].log.as_ref().unwrap().validation_points(), 2);
    // neither layout
    assert!(read_training_logs_from("step,foo\n1,2\n".as_bytes()).is_err());
}

#[cfg(feature = "cli")]
#[test]
fn the_grokking_command_writes_one_row_per_run_with_the_documented_columns() {
    use std::process::Command;
    let mut rng = Rng::new(21);
    let grok = run(TrainingCategory::Grokking, Shape::LogSigmoid, &mut rng);
    let never = run(
        TrainingCategory::NoGeneralization,
        Shape::LogSigmoid,
        &mut rng,
    );
    let csv = format!(
        "run_id,step,train_acc,val_acc\n{}{}bad,1,0.1,0.0\nbad,1,0.1,0.0\n",
        wide_csv("grok", &grok.log),
        wide_csv("never", &never.log)
    );
    let dir = std::env::temp_dir().join(format!("emergence-grokking-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("logs.csv");
    std::fs::write(&path, csv).unwrap();
    let plots = dir.join("plots");
    let out = Command::new(env!("CARGO_BIN_EXE_emergence"))
        .args(["grokking", path.to_str().unwrap(), "--plots"])
        .arg(&plots)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one run is bad: exit 1");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..6],
        [
            "run_id",
            "category",
            "memorization_step",
            "generalization_step",
            "delay_ratio",
            "reason"
        ]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    assert_eq!((&records[0][0], &records[0][1]), ("grok", "grokking"));
    assert!(records[0][4].parse::<f64>().unwrap() > 10.0);
    assert_eq!(&records[1][1], "no_generalization");
    assert!(records[1][3].is_empty());
    assert_eq!(&records[2][1], "error");
    assert!(records[2][5].contains("step 1"), "{:?}", &records[2]);
    assert!(plots.join("grok.svg").exists());
}
