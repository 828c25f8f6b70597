//! The 10-point fixture shared by the benches (`tests/data/fixture_10pt.csv`, the peers' timing
//! fixture), embedded at compile time.

use emergence_detect::Curve;

/// The fixture as a curve with binomial noise and chance 0.25.
pub fn fixture() -> Curve {
    let text = include_str!("../../tests/data/fixture_10pt.csv");
    let (mut x, mut y, mut n) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[5].parse().unwrap());
        y.push(f[6].parse().unwrap());
        n.push(f[8].parse().unwrap());
    }
    Curve::builder(x, y)
        .n_examples(n)
        .chance(0.25)
        .build()
        .unwrap()
}
