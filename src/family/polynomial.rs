//! Polynomials in `t`: constant, linear and quadratic. Linear in their parameters, so the
//! self-starter is the exact weighted least-squares solution.

use super::{CurveFamily, FitData, saturate};
use crate::linalg::linear_least_squares;

/// Weighted polynomial fit with `K` coefficients through the data, in absolute `t`; the flat
/// weighted mean padded with zeros when the normal equations are singular.
fn polynomial_start<const K: usize>(data: &FitData) -> Vec<f64> {
    let fit = linear_least_squares::<K>(
        data.t.len(),
        |i, phi| {
            let mut v = 1.0;
            for slot in phi.iter_mut() {
                *slot = v;
                v *= data.t[i];
            }
        },
        data.y,
        data.weights(),
    );
    match fit {
        Some(c) if c.iter().all(|v| v.is_finite()) => c.to_vec(),
        _ => {
            let mut p = vec![0.0; K];
            p[0] = data.weighted_mean();
            p
        }
    }
}

/// `y = c`: no trend at all.
///
/// ```
/// use emergence_detect::{Constant, CurveFamily};
/// assert_eq!(Constant.eval(9.0, &[0.25]), 0.25);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Constant;

impl CurveFamily for Constant {
    fn name(&self) -> &str {
        "constant"
    }
    fn param_names(&self) -> &[&str] {
        &["c"]
    }
    #[inline]
    fn eval(&self, _t: f64, p: &[f64]) -> f64 {
        saturate(p[0])
    }
    #[inline]
    fn gradient(&self, _t: f64, _p: &[f64], grad: &mut [f64]) {
        grad[0] = 1.0;
    }
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        vec![polynomial_start::<1>(data)]
    }
}

/// `y = a + b t`: steady change per decade (`b`).
///
/// ```
/// use emergence_detect::{Linear, CurveFamily};
/// assert_eq!(Linear.eval(2.0, &[1.0, 0.5]), 2.0);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Linear;

impl CurveFamily for Linear {
    fn name(&self) -> &str {
        "linear"
    }
    fn param_names(&self) -> &[&str] {
        &["a", "b"]
    }
    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        saturate(saturate(p[0]) + saturate(p[1] * t))
    }
    #[inline]
    fn gradient(&self, t: f64, _p: &[f64], grad: &mut [f64]) {
        grad[0] = 1.0;
        grad[1] = t;
    }
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        vec![polynomial_start::<2>(data)]
    }
}

/// `y = a + b t + c t^2`: a U (`c > 0`) or an inverted U (`c < 0`) when the vertex `-b / 2c` lies
/// inside the observed range.
///
/// ```
/// use emergence_detect::{Quadratic, CurveFamily};
/// assert_eq!(Quadratic.eval(2.0, &[1.0, 0.0, 0.5]), 3.0);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Quadratic;

impl CurveFamily for Quadratic {
    fn name(&self) -> &str {
        "quadratic"
    }
    fn extrapolates(&self) -> bool {
        false
    }
    fn param_names(&self) -> &[&str] {
        &["a", "b", "c"]
    }
    #[inline]
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        saturate(saturate(p[0]) + saturate(p[1] * t) + saturate(p[2] * t * t))
    }
    #[inline]
    fn gradient(&self, t: f64, _p: &[f64], grad: &mut [f64]) {
        grad[0] = 1.0;
        grad[1] = t;
        grad[2] = saturate(t * t);
    }
    fn initial_guesses(&self, data: &FitData) -> Vec<Vec<f64>> {
        vec![polynomial_start::<3>(data)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_are_exact_least_squares() {
        let t = [1.0, 2.0, 3.0, 4.0];
        let y: Vec<f64> = t.iter().map(|t| 1.0 - 2.0 * t + 0.5 * t * t).collect();
        let s = [1.0; 4];
        let d = FitData::new(&t, &y, &s, None, 1.0);
        let p = &Quadratic.initial_guesses(&d)[0];
        assert!(
            (p[0] - 1.0).abs() < 1e-9 && (p[1] + 2.0).abs() < 1e-9 && (p[2] - 0.5).abs() < 1e-9
        );
    }

    #[test]
    fn never_overflows() {
        assert!(Quadratic.eval(1e200, &[1e308, 1e308, -1e308]).is_finite());
        assert!(Linear.eval(-1e300, &[-1e308, 1e308]).is_finite());
    }
}
