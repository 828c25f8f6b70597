use emergence_detect::*;
fn show(f: &dyn CurveFamily, t: f64, p: &[f64]) {
    let n = f.n_params();
    let mut g = vec![0.0; n];
    let v = f.eval_with_gradient(t, p, &mut g);
    let mut q = p.to_vec();
    for j in 0..n {
        let h = 1e-6 * p[j].abs().max(1e-2);
        q[j] = p[j] + h;
        let up = f.eval(t, &q);
        q[j] = p[j] - h;
        let dn = f.eval(t, &q);
        q[j] = p[j];
        println!(
            "{} v={v:e} j={j} an={:e} fd={:e}",
            f.name(),
            g[j],
            (up - dn) / (2.0 * h)
        );
    }
}
fn main() {
    show(
        &BrokenPowerLaw::default(),
        5.0,
        &[0.0, -0.53, 0.0, 0.0, 7.0, 0.41],
    );
    show(&Hinge::smoothed(0.1888), 5.0, &[0.4757, 0.0, 9.1395]);
    show(&Logistic, 8.738, &[0.49, 0.0, 5.949, 11.39]);
    show(&SaturatingPowerLaw::default(), 5.0, &[0.0, 0.875, 1.31]);
}
