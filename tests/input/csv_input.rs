//! The CSV reader (feature `io`): malformed files give an error naming the line; nothing is
//! dropped silently; arbitrary bytes never panic.
#![cfg(feature = "io")]

use emergence_detect::Error;
use emergence_detect::io::{read_curves_from, read_labels_from};
use proptest::prelude::*;

const HEADER: &str = "curve_id,family,task,metric,shots,x_params,y,y_random,n_examples";

fn line_of(e: &Error) -> u64 {
    match e {
        Error::Parse { line, .. } => *line,
        other => panic!("expected a parse error, got {other}"),
    }
}

#[test]
fn a_good_file_reads_every_curve_in_order() {
    let csv = format!(
        "{HEADER}\nb,F,T,acc,0,1e9,0.3,0.25,100\na,F,T,acc,0,1e8,0.2,,\nb,F,T,acc,0,1e8,0.2,0.25,100\na,F,T,acc,0,1e9,0.4,,\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    let ids: Vec<&str> = curves.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["b", "a"], "first appearance order");
    let b = curves[0].curve.as_ref().unwrap();
    assert_eq!(
        b.x(),
        &[1e8, 1e9],
        "rows of a curve need not be adjacent or sorted"
    );
    assert_eq!(b.chance(), Some(0.25));
    assert_eq!(b.labels().task.as_deref(), Some("T"));
    let a = curves[1].curve.as_ref().unwrap();
    assert_eq!(a.chance(), None, "an empty y_random is unknown");
    assert!(a.n_examples().is_none());
}

#[test]
fn missing_columns_name_the_header_line() {
    let e = read_curves_from("curve_id,x_params\na,1e9\n".as_bytes()).unwrap_err();
    assert_eq!(line_of(&e), 1);
    assert!(e.to_string().contains("`y`"));
}

#[test]
fn text_in_a_numeric_field_fails_only_its_curve_and_names_its_line() {
    let csv = format!(
        "{HEADER}\na,F,T,acc,0,1e8,0.2,0.25,100\na,F,T,acc,0,big,0.3,0.25,100\nb,F,T,acc,0,1e8,0.2,0.25,100\nb,F,T,acc,0,1e9,0.3,0.25,100\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert_eq!(curves.len(), 2);
    let e = curves[0].curve.as_ref().unwrap_err();
    assert_eq!(line_of(e), 3);
    assert!(e.to_string().contains("big"));
    assert_eq!(curves[1].curve.as_ref().unwrap().len(), 2);
    let csv = format!("{HEADER}\na,F,T,acc,0,1e8,0.2,0.25,many\n");
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert_eq!(line_of(curves[0].curve.as_ref().unwrap_err()), 2);
}

#[test]
fn a_missing_value_fails_only_its_curve() {
    let csv = format!(
        "{HEADER}\na,F,T,acc,0,1e8,,0.25,100\nb,F,T,acc,0,1e8,0.2,0.25,100\nb,F,T,acc,0,1e9,0.3,0.25,100\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    let e = curves[0].curve.as_ref().unwrap_err();
    assert_eq!(line_of(e), 2);
    assert!(e.to_string().contains("empty y"));
    assert!(curves[1].curve.is_ok());
}

#[test]
fn ragged_rows_name_their_line() {
    let csv = format!("{HEADER}\na,F,T,acc,0,1e8,0.2,0.25,100\na,F,T,acc,0,1e9\n");
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert_eq!(line_of(curves[0].curve.as_ref().unwrap_err()), 3);
}

#[test]
fn a_row_without_curve_id_is_reported_by_line() {
    let csv = format!(
        "{HEADER}\n,F,T,acc,0,1e8,0.2,0.25,100\nb,F,T,acc,0,1e8,0.2,0.25,100\nb,F,T,acc,0,1e9,0.3,0.25,100\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert!(curves[0].curve.is_ok());
    assert_eq!(curves[1].id, "line 2");
    assert_eq!(line_of(curves[1].curve.as_ref().unwrap_err()), 2);
}

#[test]
fn io_errors_keep_their_source() {
    let e = emergence_detect::io::read_curves("/no/such/dir/curves.csv").unwrap_err();
    assert!(
        matches!(&e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    );
    assert!(std::error::Error::source(&e).is_some());
    assert!(e.to_string().contains("/no/such/dir/curves.csv"));
}

#[test]
fn empty_input() {
    let e = read_curves_from("".as_bytes()).unwrap_err();
    assert_eq!(line_of(&e), 1);
    // a header and no rows: no curves, no error
    assert!(
        read_curves_from(format!("{HEADER}\n").as_bytes())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bom_and_crlf_are_understood() {
    let csv = format!(
        "\u{feff}{HEADER}\r\na,F,T,acc,0,1e8,0.2,0.25,100\r\na,F,T,acc,0,1e9,0.3,0.25,100\r\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert_eq!(curves.len(), 1);
    assert_eq!(curves[0].curve.as_ref().unwrap().len(), 2);
}

#[test]
fn conflicting_or_partial_per_curve_values_are_errors_not_guesses() {
    let csv = format!("{HEADER}\na,F,T,acc,0,1e8,0.2,0.25,100\na,F,T,acc,0,1e9,0.3,0.5,100\n");
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert_eq!(line_of(curves[0].curve.as_ref().unwrap_err()), 3);
    // n_examples for one point only: the curve is an error, the others go on
    let csv = format!(
        "{HEADER}\na,F,T,acc,0,1e8,0.2,0.25,100\na,F,T,acc,0,1e9,0.3,0.25,\nb,F,T,acc,0,1e8,0.2,0.25,100\nb,F,T,acc,0,1e9,0.3,0.25,100\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert!(curves[0].curve.is_err());
    assert!(curves[1].curve.is_ok());
}

#[test]
fn an_invalid_curve_is_reported_and_the_others_go_on() {
    let csv = format!(
        "{HEADER}\nbad,F,T,acc,0,-5,0.2,0.25,100\nbad,F,T,acc,0,1e9,0.3,0.25,100\ngood,F,T,acc,0,1e8,0.2,0.25,100\ngood,F,T,acc,0,1e9,0.3,0.25,100\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    // the message names the file's line, not the point's position in its curve
    let e = curves[0].curve.as_ref().unwrap_err();
    assert_eq!(line_of(e), 2);
    assert!(e.to_string().contains("x = -5 is not positive"), "{e}");
    assert!(curves[1].curve.is_ok());
}

#[test]
fn percentages_get_a_maximum_of_100_unless_given() {
    let csv = "curve_id,x_params,y\na,1e8,12\na,1e9,30\nb,1e8,0.1\nb,1e9,0.3\nc,1e8,2,\n";
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    // `c` has a trailing empty field: a ragged row, which fails `c` alone
    assert!(curves[0].curve.is_ok() && curves[1].curve.is_ok());
    assert_eq!(line_of(curves[2].curve.as_ref().unwrap_err()), 6);
    let csv = "curve_id,x_params,y,y_max\na,1e8,12,100\na,1e9,30,100\nb,1e8,0.1,\nb,1e9,0.3,\nc,1e8,0.5,2\nc,1e9,1.5,2\n";
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    let maxima: Vec<f64> = curves
        .iter()
        .map(|c| c.curve.as_ref().unwrap().y_max())
        .collect();
    assert_eq!(maxima, [100.0, 1.0, 2.0]);
}

#[test]
fn labels() {
    let l = read_labels_from("curve_id,label,notes\na,emergent,x\nb,flat,\n".as_bytes()).unwrap();
    assert_eq!(
        l,
        [("a".into(), "emergent".into()), ("b".into(), "flat".into())]
    );
    assert_eq!(
        line_of(&read_labels_from("id,label\n".as_bytes()).unwrap_err()),
        1
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut input = HEADER.as_bytes().to_vec();
        input.push(b'\n');
        input.extend(bytes);
        let _ = read_curves_from(input.as_slice());
        let _ = read_labels_from(input.as_slice());
    }

    #[test]
    fn arbitrary_text_rows_never_panic(rows in proptest::collection::vec("[a-c0-9.,eE+\\-\"\r\n]{0,40}", 0..20)) {
        let text = format!("{HEADER}\n{}", rows.join("\n"));
        if let Err(e) = read_curves_from(text.as_bytes()) {
            let typed = matches!(e, Error::Parse { .. } | Error::Io { .. });
            prop_assert!(typed, "{}", e);
        }
    }
}

/// BLEU and chrF are read on 0-100 when the file gives no `y_max`, so low BLEU scores are not
/// taken for fractions (a rise from 0.03 to 0.58 BLEU is no rise from 3% to 58%).
#[test]
fn bleu_is_read_on_its_conventional_scale() {
    let csv = format!(
        "{HEADER}\nipa,F,T,bleu,2,1e8,0.03,,\nipa,F,T,bleu,2,1e9,0.05,,\nipa,F,T,bleu,2,1e10,0.15,,\nipa,F,T,bleu,2,1e11,0.58,,\nacc,F,T,exact_match,2,1e8,0.03,,\nacc,F,T,exact_match,2,1e9,0.05,,\n"
    );
    let curves = read_curves_from(csv.as_bytes()).unwrap();
    assert_eq!(curves[0].curve.as_ref().unwrap().y_max(), 100.0);
    assert_eq!(curves[1].curve.as_ref().unwrap().y_max(), 1.0);
}

#[test]
fn any_numeric_column_can_be_the_scale_and_empty_cells_there_are_left_out_with_a_note() {
    use emergence_detect::io::{CurveReadOptions, read_curves_from_with};
    let csv = "curve_id,x_params,x_flops,y,metric\n\
               a,1e8,1e20,0.9,tc_brier\na,1e9,,0.5,tc_brier\na,1e10,1e22,0.1,tc_brier\n\
               a,1e11,1e23,0.05,tc_brier\n";
    let options = CurveReadOptions {
        x_column: Some("x_flops".into()),
        ..CurveReadOptions::default()
    };
    let records = read_curves_from_with(csv.as_bytes(), &options).unwrap();
    let curve = records[0].curve.as_ref().unwrap();
    assert_eq!(curve.x(), &[1e20, 1e22, 1e23]);
    assert_eq!(curve.labels().scale.as_deref(), Some("x_flops"));
    // lower is better, read from the metric's name, and said so
    assert!(!curve.higher_is_better());
    assert!(
        records[0].notes.iter().any(|n| n.contains("tc_brier")),
        "{:?}",
        records[0].notes
    );
    assert!(
        records[0].notes.iter().any(|n| n.contains("line 3")),
        "{:?}",
        records[0].notes
    );
    // by default the parameters are the scale, all four points
    let default = read_curves_from_with(csv.as_bytes(), &CurveReadOptions::default()).unwrap();
    assert_eq!(default[0].curve.as_ref().unwrap().len(), 4);
    // a column that is not there is an error for the whole file
    let missing = CurveReadOptions {
        x_column: Some("x_tokens".into()),
        ..CurveReadOptions::default()
    };
    assert!(read_curves_from_with(csv.as_bytes(), &missing).is_err());
}

#[test]
fn a_direction_column_overrides_the_metric_name_and_a_bad_one_fails_its_curve() {
    use emergence_detect::io::read_curves_from;
    let csv = "curve_id,x,y,metric,direction\n\
               a,1e8,0.9,loss,higher\na,1e9,0.5,loss,higher\n\
               b,1e8,0.9,accuracy,lower\nb,1e9,0.5,accuracy,lower\n\
               c,1e8,0.9,accuracy,sideways\nc,1e9,0.5,accuracy,\n";
    let records = read_curves_from(csv.as_bytes()).unwrap();
    assert!(records[0].curve.as_ref().unwrap().higher_is_better());
    assert!(records[0].notes.is_empty());
    assert!(!records[1].curve.as_ref().unwrap().higher_is_better());
    let err = records[2].curve.as_ref().unwrap_err().to_string();
    assert!(err.contains("line 6") && err.contains("sideways"), "{err}");
}
