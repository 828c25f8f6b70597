//! The engine against the NIST StRD nonlinear regression problems (`tests/data/nist`), fitted
//! through the public API with default settings from both of NIST's starting points. The
//! certified values are read from the files. `cargo run --release -p xtask -- nist` prints the
//! table behind these counts.

use crate::common::nist::{NistFamily, lre, problems, solve, solve_with};
use emergence_detect::MAX_PARAMS;

#[test]
fn the_files_parse_into_complete_problems() {
    let all = problems();
    assert_eq!(all.len(), 27);
    for p in &all {
        let k = p.certified.len();
        assert!(k >= 2, "{}: {k} parameters", p.name);
        assert_eq!(p.starts[0].len(), k, "{}", p.name);
        assert_eq!(p.starts[1].len(), k, "{}", p.name);
        assert!(
            p.certified_rss.is_finite() && p.certified_rss > 0.0,
            "{}",
            p.name
        );
        assert!(p.y.len() > k, "{}: {} observations", p.name, p.y.len());
        assert!(
            p.x.iter().all(|row| row.len() == p.x[0].len()),
            "{}",
            p.name
        );
    }
}

/// The analytic gradients of the models (written for these tests) agree with central
/// differences at the certified values: the table measures the engine, not a model typo.
#[test]
fn the_models_gradients_match_finite_differences() {
    for p in problems() {
        let family = NistFamily::new(&p);
        let b = &p.certified;
        for row in p.x.iter().step_by(7) {
            let mut g = [0.0; 16];
            family.value_gradient(row, b, &mut g);
            for j in 0..b.len() {
                let h = 1e-6 * b[j].abs().max(1e-8);
                let (mut up, mut down) = (b.clone(), b.clone());
                up[j] += h;
                down[j] -= h;
                let mut scratch = [0.0; 16];
                let fd = (family.value_gradient(row, &up, &mut scratch)
                    - family.value_gradient(row, &down, &mut scratch))
                    / (2.0 * h);
                // central differences lose about eps |f| / h to rounding
                let value = family.value_gradient(row, b, &mut scratch).abs();
                let rounding = 10.0 * f64::EPSILON * value / h;
                assert!(
                    (g[j] - fd).abs() <= 1e-5 * g[j].abs().max(fd.abs()) + rounding,
                    "{} b{}: analytic {} vs difference {fd}",
                    p.name,
                    j + 1,
                    g[j]
                );
            }
        }
    }
}

/// The certified values reproduce the certified residual sum of squares with these models.
#[test]
fn the_models_reproduce_the_certified_residuals() {
    for p in problems() {
        let family = NistFamily::new(&p);
        let y = crate::common::nist::response(&p);
        let mut scratch = [0.0; 16];
        let rss: f64 =
            p.x.iter()
                .zip(&y)
                .map(|(row, y)| {
                    let r = family.value_gradient(row, &p.certified, &mut scratch) - y;
                    r * r
                })
                .sum();
        // Lanczos1's data are exact to double precision: its certified sum is rounding noise
        let agrees = if p.certified_rss < 1e-18 {
            rss < 1e-18
        } else {
            lre(rss, p.certified_rss) > 5.0
        };
        assert!(agrees, "{}: {rss} vs {}", p.name, p.certified_rss);
    }
}

/// The digits the engine reaches with its defaults. These are floors measured on the current
/// engine (MINPACK through scipy reaches 23 and 16); a change that loses digits fails here.
#[test]
fn default_fits_reach_reference_accuracy() {
    let (mut four, mut six, mut expressible) = (0, 0, 0);
    let mut wrong = Vec::new();
    for p in problems() {
        if p.certified.len() > MAX_PARAMS {
            continue;
        }
        expressible += 1;
        let (a, b) = (solve(&p, 0), solve(&p, 1));
        four += usize::from(a.lre >= 4.0);
        six += usize::from(b.lre >= 6.0);
        for (start, o) in [(1, &a), (2, &b)] {
            if o.converged && o.lre < 1.0 {
                wrong.push(format!("{} from start {start}", p.name));
            }
        }
    }
    assert_eq!(expressible, 26);
    assert!(four >= 23, "LRE >= 4 from start 1 on {four} of 26");
    assert!(six >= 15, "LRE >= 6 from start 2 on {six} of 26");
    // known: BoxBOD and MGH17 from start 1 stop far from the minimum with a converged status
    assert!(
        wrong.len() <= 1,
        "converged far from the minimum: {wrong:?}"
    );
}

/// `FitOptions::precise` meets the reference goals: LRE >= 4 on 25 problems from start 1 (all but
/// MGH10), LRE >= 6 on all 26 from start 2, no converged fit far from the minimum.
#[test]
fn precise_fits_reach_the_reference_goals() {
    use emergence_detect::FitOptions;
    let (mut four, mut six) = (0, 0);
    let mut wrong = Vec::new();
    for p in problems() {
        if p.certified.len() > MAX_PARAMS {
            continue;
        }
        let a = solve_with(&p, 0, FitOptions::precise());
        let b = solve_with(&p, 1, FitOptions::precise());
        four += usize::from(a.lre >= 4.0);
        six += usize::from(b.lre >= 6.0);
        for (start, o) in [(1, &a), (2, &b)] {
            if o.converged && o.lre < 1.0 {
                wrong.push(format!("{} from start {start}", p.name));
            }
        }
    }
    assert!(four >= 25, "LRE >= 4 from start 1 on {four} of 26");
    assert!(six >= 26, "LRE >= 6 from start 2 on {six} of 26");
    assert!(
        wrong.is_empty(),
        "converged far from the minimum: {wrong:?}"
    );
}
