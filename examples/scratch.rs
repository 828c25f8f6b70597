use emergence_detect::*;
use std::sync::Arc;
fn main() {
    let text = std::fs::read_to_string("tests/data/fixture_10pt.csv").unwrap();
    let (mut x, mut y, mut n) = (vec![], vec![], vec![]);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[5].parse::<f64>().unwrap()); y.push(f[6].parse::<f64>().unwrap()); n.push(f[8].parse::<f64>().unwrap());
    }
    let c = Curve::builder(x, y).n_examples(n).chance(0.25).build().unwrap();
    let f = fit(Arc::new(Logistic), &c, &FitOptions::default()).unwrap();
    println!("{f}");
    for fam in [Arc::new(Constant) as Arc<dyn CurveFamily>, Arc::new(Linear), Arc::new(Quadratic), Arc::new(SaturatingPowerLaw::default()), Arc::new(BrokenPowerLaw::default()), Arc::new(Hinge::default())] {
        let f = fit(fam, &c, &FitOptions::default()).unwrap();
        println!("{} {:?} chi2 {:.4} {:?} evals {} starts {}/{}", f.family_name(), f.params(), f.chi_square(), f.termination(), f.evaluations(), f.starts_at_best(), f.starts_tried());
    }
}
