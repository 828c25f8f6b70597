use emergence_detect::*;
use std::sync::Arc;
fn main() {
    let x: Vec<f64> = (0..10).map(|i| 10f64.powf(7.0 + 0.5 * i as f64)).collect();
    let y: Vec<f64> = (0..10).map(|i| 0.3 + 0.01 * (i % 3) as f64).collect();
    let c = Curve::builder(x, y)
        .n_examples(vec![1000.0; 10])
        .build()
        .unwrap();
    let fam: Arc<dyn CurveFamily> = Arc::new(Constant);
    let o = FitOptions::default();
    let t0 = std::time::Instant::now();
    for _ in 0..100000 {
        std::hint::black_box(fit(fam.clone(), &c, &o).unwrap());
    }
    println!("{:?}", t0.elapsed() / 100000);
}
