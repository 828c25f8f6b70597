//! Small dense linear algebra on stack arrays: the normal equations of families with at most
//! [`MAX_PARAMS`] parameters. Nothing here allocates.

/// The largest number of parameters a family may have.
pub const MAX_PARAMS: usize = 8;

/// A square matrix of at most `MAX_PARAMS` rows, stored in a fixed array; only the leading `n x n`
/// block is meaningful.
pub(crate) type Matrix = [[f64; MAX_PARAMS]; MAX_PARAMS];
/// A vector of at most `MAX_PARAMS` entries.
pub(crate) type Vector = [f64; MAX_PARAMS];

/// Cholesky factorisation `A = L L^T` of the leading `n x n` block of a symmetric matrix (only the
/// lower triangle is read). Returns `None` when the matrix is not numerically positive definite:
/// a pivot below `rel_tol` times the largest diagonal entry.
pub(crate) fn cholesky(a: &Matrix, n: usize, rel_tol: f64) -> Option<Matrix> {
    let mut l = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    let max_diag = (0..n).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    if !(max_diag.is_finite() && max_diag > 0.0) {
        return None;
    }
    let floor = rel_tol * max_diag;
    for j in 0..n {
        let mut d = a[j][j];
        for k in 0..j {
            d -= l[j][k] * l[j][k];
        }
        if !(d > floor) || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        l[j][j] = d;
        for i in (j + 1)..n {
            let mut s = a[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            l[i][j] = s / d;
        }
    }
    Some(l)
}

/// Solves `L L^T x = b` for the leading `n` entries.
pub(crate) fn cholesky_solve(l: &Matrix, n: usize, b: &Vector) -> Vector {
    let mut y = [0.0; MAX_PARAMS];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i][k] * y[k];
        }
        y[i] = s / l[i][i];
    }
    let mut x = [0.0; MAX_PARAMS];
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in (i + 1)..n {
            s -= l[k][i] * x[k];
        }
        x[i] = s / l[i][i];
    }
    x
}

/// Solves the symmetric positive definite system `A x = b` after Jacobi scaling (unit diagonal),
/// which removes the conditioning that comes only from the parameters' different magnitudes.
/// Returns `None` when `A` is singular at that scale.
pub(crate) fn solve_spd(a: &Matrix, n: usize, b: &Vector) -> Option<Vector> {
    let mut scale = [0.0; MAX_PARAMS];
    for i in 0..n {
        if !(a[i][i] > 0.0) || !a[i][i].is_finite() {
            return None;
        }
        scale[i] = 1.0 / a[i][i].sqrt();
    }
    let mut s = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    let mut rhs = [0.0; MAX_PARAMS];
    for i in 0..n {
        for j in 0..=i {
            s[i][j] = a[i][j] * scale[i] * scale[j];
        }
        rhs[i] = b[i] * scale[i];
    }
    let l = cholesky(&s, n, 1e-14)?;
    let z = cholesky_solve(&l, n, &rhs);
    let mut x = [0.0; MAX_PARAMS];
    for i in 0..n {
        x[i] = z[i] * scale[i];
    }
    Some(x)
}

/// The inverse of a symmetric positive definite matrix (leading `n x n` block, full result), with the
/// same Jacobi scaling as [`solve_spd`]; `None` when singular.
pub(crate) fn inverse_spd(a: &Matrix, n: usize) -> Option<Matrix> {
    let mut inv = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for j in 0..n {
        let mut e = [0.0; MAX_PARAMS];
        e[j] = 1.0;
        let col = solve_spd(a, n, &e)?;
        for i in 0..n {
            inv[i][j] = col[i];
        }
    }
    // symmetrise against rounding
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (inv[i][j] + inv[j][i]);
            inv[i][j] = m;
            inv[j][i] = m;
        }
    }
    Some(inv)
}

/// Weighted least squares for a model linear in its coefficients: minimises
/// `sum w_i (y_i - sum_j c_j basis_j(i))^2` for `k` basis functions. `None` if singular.
pub(crate) fn linear_least_squares(
    k: usize,
    len: usize,
    basis: impl Fn(usize, &mut Vector),
    y: &[f64],
    w: &[f64],
) -> Option<Vector> {
    let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    let mut b = [0.0; MAX_PARAMS];
    let mut phi = [0.0; MAX_PARAMS];
    for i in 0..len {
        basis(i, &mut phi);
        for r in 0..k {
            b[r] += w[i] * phi[r] * y[i];
            for c in 0..=r {
                a[r][c] += w[i] * phi[r] * phi[c];
            }
        }
    }
    solve_spd(&a, k, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        a[0][0] = 4.0;
        a[1][0] = 2.0;
        a[0][1] = 2.0;
        a[1][1] = 3.0;
        let mut b = [0.0; MAX_PARAMS];
        b[0] = 2.0;
        b[1] = 1.0;
        let x = solve_spd(&a, 2, &b).unwrap();
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        let inv = inverse_spd(&a, 2).unwrap();
        assert!((inv[0][0] - 3.0 / 8.0).abs() < 1e-12);
        assert!((inv[0][1] + 2.0 / 8.0).abs() < 1e-12);
    }

    #[test]
    fn singular_is_none() {
        let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        a[0][0] = 1.0;
        a[1][0] = 1.0;
        a[0][1] = 1.0;
        a[1][1] = 1.0;
        assert!(solve_spd(&a, 2, &[1.0; MAX_PARAMS]).is_none());
    }
}
