//! The NIST StRD nonlinear regression problems through the public API with default settings, from
//! both of NIST's starting points: the digits reached (log relative error, the minimum over the
//! parameters), how the fit ended and its evaluations.
//!
//! ```text
//! cargo run --release -p xtask -- nist [--minpack-tolerances]
//! ```

use crate::nist_problems::{problems, solve_with};
use emergence_detect::MAX_PARAMS;

pub fn main() {
    // MINPACK's (and scipy's) tolerances instead of the defaults, for a like-for-like comparison
    let minpack = std::env::args().any(|a| a == "--minpack-tolerances");
    println!(
        "{:<10} {:>3}  {:>6} {:>14} {:>5}  {:>6} {:>14} {:>5}",
        "problem", "k", "LRE 1", "end 1", "evals", "LRE 2", "end 2", "evals"
    );
    let (mut four, mut six, mut wrong, mut expressible) = (0, 0, 0, 0);
    for p in problems() {
        let k = p.certified.len();
        if k > MAX_PARAMS {
            println!(
                "{:<10} {k:>3}  more parameters than the engine fits ({MAX_PARAMS})",
                p.name
            );
            continue;
        }
        expressible += 1;
        let options = || {
            let defaults = emergence_detect::FitOptions::default();
            if minpack {
                defaults.tolerances(1.5e-8, 1.5e-8, 0.0)
            } else {
                defaults
            }
        };
        let (a, b) = (solve_with(&p, 0, options()), solve_with(&p, 1, options()));
        four += usize::from(a.lre >= 4.0);
        six += usize::from(b.lre >= 6.0);
        wrong += usize::from(a.converged && a.lre < 1.0) + usize::from(b.converged && b.lre < 1.0);
        println!(
            "{:<10} {k:>3}  {:>6.1} {:>14} {:>5}  {:>6.1} {:>14} {:>5}",
            p.name, a.lre, a.termination, a.evaluations, b.lre, b.termination, b.evaluations
        );
    }
    println!(
        "LRE >= 4 from start 1: {four} of {expressible}; LRE >= 6 from start 2: {six} of {expressible}; converged with fewer than 1 correct digit: {wrong}"
    );
}
