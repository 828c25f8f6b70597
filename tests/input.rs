//! Input that is bad, hostile or read from files: typed errors, never panics, CSV reading and the
//! command-line tool.

mod common;

#[path = "input/bad_input.rs"]
mod bad_input;
#[path = "input/cli.rs"]
mod cli;
#[path = "input/csv_input.rs"]
mod csv_input;
#[path = "input/hostile.rs"]
mod hostile;
#[path = "input/lm_eval.rs"]
mod lm_eval;
