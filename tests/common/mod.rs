//! Helpers shared by the integration tests: tiny CSV readers for the fixtures in `tests/data`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Path of a file in `tests/data`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// Rows of a simple CSV (no quoting) as maps from header to field.
pub fn read_rows(name: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(data(name)).expect("fixture exists");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

/// Parses a field as f64.
pub fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {} is not a number", row[key]))
}

pub mod synthetic;

pub mod nist;

pub mod rng;

pub mod training_logs;
