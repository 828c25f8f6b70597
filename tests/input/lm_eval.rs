//! The lm-evaluation-harness reader (feature `io`): both layouts, sizes from the file or a sizes
//! file, the newest of several results files, per-file errors, the noise source.
#![cfg(feature = "io")]

use crate::common::data;
use emergence_detect::lm_eval::{NoiseSource, read_lm_eval_dir, read_sizes};

#[test]
fn a_results_directory_gives_one_curve_per_task_metric_and_shots() {
    let dir = data("lm_eval");
    let sizes = read_sizes(dir.join("sizes.csv")).unwrap();
    let read = read_lm_eval_dir(&dir, &sizes).unwrap();
    let ids: Vec<&str> = read.curves.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "arc_easy|acc|k0",
            "arc_easy|acc,none|k0",
            "arc_easy|acc_norm|k0",
            "arc_easy|acc_norm,none|k0"
        ]
    );
    let acc = &read.curves[1];
    let curve = acc.curve.as_ref().unwrap();
    // four sizes, smallest first; 1B's size from the sizes file (the file says 0)
    assert_eq!(
        curve.x(),
        &[70426624.0, 162322944.0, 405334016.0, 1011781632.0]
    );
    // the newer of the two 410m files
    assert_eq!(curve.y()[2], 0.517);
    assert_eq!(acc.models[0], "EleutherAI/pythia-70m");
    assert_eq!(
        acc.models[1], "EleutherAI/pythia-160m",
        "model_args as a map"
    );
    assert_eq!(acc.noise, NoiseSource::Stderr);
    assert_eq!(curve.sigma()[0], 0.0100);
    // one stderr is "N/A": binomial errors from n-samples instead, and said so
    assert_eq!(read.curves[3].noise, NoiseSource::Samples);
    assert_eq!(
        read.curves[3].curve.as_ref().unwrap().n_examples().unwrap()[0],
        2376.0
    );
    // the 0.3 layout: sizes from the sizes file, shots from config.num_fewshot
    let legacy = read.curves[0].curve.as_ref().unwrap();
    assert_eq!(legacy.x(), &[124439808.0, 354823168.0]);
    assert_eq!(read.curves[0].shots, Some(0));
    // the choice between the two 410m files is reported
    assert!(
        read.notes
            .iter()
            .any(|n| n.contains("kept results_2024-05-02T09-00-00.json")),
        "{:?}",
        read.notes
    );
    // the truncated file is reported with its path, and the others go on
    assert_eq!(read.file_errors.len(), 1);
    let (path, reason) = &read.file_errors[0];
    assert!(path.to_string_lossy().contains("broken"));
    assert!(reason.contains("not valid JSON"), "{reason}");
}

#[test]
fn a_model_without_a_size_is_an_error_naming_it() {
    let read = read_lm_eval_dir(data("lm_eval"), &Default::default()).unwrap();
    let reasons: Vec<&String> = read.file_errors.iter().map(|(_, r)| r).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("no size for model `EleutherAI/pythia-1b`")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("`gpt2`")), "{reasons:?}");
    // the models with sizes still make their curves
    let acc = &read.curves[0];
    assert_eq!(acc.id, "arc_easy|acc,none|k0");
    assert_eq!(acc.curve.as_ref().unwrap().len(), 3);
}

#[test]
fn a_broken_sizes_file_names_the_line() {
    let path = std::env::temp_dir().join(format!("emergence-sizes-{}.csv", std::process::id()));
    std::fs::write(&path, "model,params\ngpt2,lots\n").unwrap();
    let err = read_sizes(&path).unwrap_err();
    assert!(
        matches!(err, emergence_detect::Error::Parse { line: 2, .. }),
        "{err}"
    );
}
