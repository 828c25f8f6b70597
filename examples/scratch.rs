use emergence_detect::*;
use std::sync::Arc;
fn main() {
    let text = std::fs::read_to_string("tests/data/fixture_10pt.csv").unwrap();
    let (mut x, mut y, mut n) = (vec![], vec![], vec![]);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[5].parse::<f64>().unwrap());
        y.push(f[6].parse::<f64>().unwrap());
        n.push(f[8].parse::<f64>().unwrap());
    }
    let c = Curve::builder(x, y)
        .n_examples(n)
        .chance(0.25)
        .build()
        .unwrap();
    let mean_t = c.t().iter().sum::<f64>() / c.len() as f64;
    for tol in [1e-10, 1.49e-8] {
        let o = FitOptions::default()
            .self_starter(false)
            .start(vec![0.238, 0.852, 5.0, mean_t])
            .tolerances(tol, tol, 0.0);
        let f = fit(Arc::new(Logistic), &c, &o).unwrap();
        println!(
            "tol {tol}: evals {} iters {} {:?} {:?}",
            f.evaluations(),
            f.iterations(),
            f.termination(),
            f.params()
        );
        let t0 = std::time::Instant::now();
        for _ in 0..10000 {
            std::hint::black_box(fit(Arc::new(Logistic), &c, &o).unwrap());
        }
        println!("{:?}", t0.elapsed() / 10000);
    }
}
