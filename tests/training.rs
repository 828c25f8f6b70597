//! Training curves: the grokking analysis on synthetic logs with known truth, its input checks,
//! the training-log CSV layouts and command, and the pure-Rust grokking demo.

mod common;

#[path = "training/analysis.rs"]
mod analysis;
#[path = "training/demo.rs"]
mod demo;
#[path = "training/hostile.rs"]
mod hostile;
#[path = "training/log_files.rs"]
mod log_files;
