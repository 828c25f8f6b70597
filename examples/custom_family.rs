//! A user-defined curve family joins the default classifier: a Gompertz curve, the asymmetric
//! sigmoid of growth models, judged by the shape of its fit like any built-in family.
//!
//! ```text
//! cargo run --release --example custom_family
//! ```

use emergence_detect::{
    Bounds, Classifier, Curve, CurveFamily, DefaultClassifier, FitData, FitOptions, fit,
};
use std::sync::Arc;

/// `y = floor + (ceil - floor) exp(-exp(-k (t - t0)))`: a slow start and a fast finish.
#[derive(Debug)]
struct Gompertz;

impl CurveFamily for Gompertz {
    fn name(&self) -> &str {
        "gompertz"
    }

    fn param_names(&self) -> &[&str] {
        &["floor", "ceil", "k", "t0"]
    }

    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let inner = (-p[2] * (t - p[3])).clamp(-700.0, 700.0).exp();
        p[0] + (p[1] - p[0]) * (-inner).exp()
    }

    // an analytic Jacobian: faster and more accurate than the finite-difference default
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        let inner = (-p[2] * (t - p[3])).clamp(-700.0, 700.0).exp();
        let g = (-inner).exp();
        let amp = p[1] - p[0];
        grad[0] = 1.0 - g;
        grad[1] = g;
        grad[2] = amp * g * inner * (t - p[3]);
        grad[3] = -amp * g * inner * p[2];
    }

    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        let (lo, hi) = data.y_range();
        let (t_lo, t_hi) = data.t_range();
        let range = t_hi - t_lo;
        [0.3, 0.5, 0.7]
            .iter()
            .map(|q| vec![lo, hi, 4.0 / range, t_lo + q * range])
            .collect()
    }

    fn bounds(&self, data: &FitData) -> Vec<Bounds> {
        let (lo, hi) = data.y_range();
        let pad = hi - lo;
        let (t_lo, t_hi) = data.t_range();
        vec![
            Bounds::new(lo - pad, hi + pad),
            Bounds::new(lo - pad, hi + pad),
            Bounds::new(0.01, 50.0),
            Bounds::new(t_lo - 2.0, t_hi + 2.0),
        ]
    }

    fn critical_t(&self, p: &[f64]) -> Option<f64> {
        Some(p[3])
    }
}

fn main() -> Result<(), emergence_detect::Error> {
    // a curve that follows a Gompertz law exactly, measured on 1,000 examples per model
    let truth = [0.25, 0.8, 2.5, 9.8];
    let x: Vec<f64> = (0..9).map(|i| 10f64.powf(7.5 + 0.5 * i as f64)).collect();
    let y: Vec<f64> = x.iter().map(|x| Gompertz.eval(x.log10(), &truth)).collect();
    let curve = Curve::builder(x, y)
        .n_examples(vec![1000.0; 9])
        .chance(0.25)
        .build()?;

    let fitted = fit(Arc::new(Gompertz), &curve, &FitOptions::default())?;
    println!("{fitted}");

    let classifier = DefaultClassifier::builder().family(Gompertz).build()?;
    let result = classifier.classify(&curve)?;
    println!("{result}");
    let gompertz = result
        .fits
        .iter()
        .find(|f| f.label == "gompertz")
        .expect("the user's family takes part");
    println!(
        "gompertz: weight {:.3}, its shape says {} ({})",
        gompertz.weight, gompertz.implies, gompertz.verdict
    );
    Ok(())
}
