//! Small dense linear algebra on stack arrays: the normal equations of families with at most
//! [`MAX_PARAMS`] parameters. Nothing here allocates.

// Matrix code indexes rows and columns by position: index loops say what they mean here.
#![allow(clippy::needless_range_loop)]

/// The largest number of parameters a family may have.
///
/// ```
/// use emergence_detect::{CurveFamily, DoubleLogistic, MAX_PARAMS};
/// assert!(DoubleLogistic.n_params() <= MAX_PARAMS);
/// ```
pub const MAX_PARAMS: usize = 16;

/// A square matrix of at most `MAX_PARAMS` rows, stored in a fixed array; only the leading `n x n`
/// block is meaningful.
pub(crate) type Matrix = [[f64; MAX_PARAMS]; MAX_PARAMS];
/// A vector of at most `MAX_PARAMS` entries.
pub(crate) type Vector = [f64; MAX_PARAMS];

/// The Cholesky factor of a Jacobi-scaled symmetric positive definite `N x N` matrix: `S A S = L L^T`
/// with `S = diag(1 / sqrt(A_ii))`. Scaling first removes the conditioning that comes only from the
/// parameters' different magnitudes. Sized at compile time so that the fitting loop's solves are
/// unrolled and touch no more memory than they need.
pub(crate) struct Factor<const N: usize> {
    l: [[f64; N]; N],
    scale: [f64; N],
}

impl<const N: usize> Factor<N> {
    /// Factors `a`; `None` when it is not numerically positive definite (a scaled pivot below
    /// 1e-14).
    #[inline]
    pub(crate) fn new(a: &[[f64; N]; N]) -> Option<Self> {
        let mut scale = [0.0; N];
        for i in 0..N {
            let d = a[i][i];
            if !(d > 0.0 && d.is_finite()) {
                return None;
            }
            scale[i] = 1.0 / d.sqrt();
        }
        let mut l = [[0.0; N]; N];
        for j in 0..N {
            let mut d: f64 = 1.0;
            for k in 0..j {
                d -= l[j][k] * l[j][k];
            }
            if d.is_nan() || d <= 1e-14 {
                return None;
            }
            let d = d.sqrt();
            l[j][j] = d;
            for i in (j + 1)..N {
                let mut s = a[i][j] * scale[i] * scale[j];
                for k in 0..j {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = s / d;
            }
        }
        Some(Factor { l, scale })
    }

    /// Solves `A x = b`.
    #[inline]
    pub(crate) fn solve(&self, b: &[f64; N]) -> [f64; N] {
        let l = &self.l;
        let mut y = [0.0; N];
        for i in 0..N {
            let mut s = b[i] * self.scale[i];
            for k in 0..i {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        let mut x = [0.0; N];
        for i in (0..N).rev() {
            let mut s = y[i];
            for k in (i + 1)..N {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        for i in 0..N {
            x[i] *= self.scale[i];
        }
        x
    }

    /// `A^-1`, symmetrised.
    pub(crate) fn inverse(&self) -> [[f64; N]; N] {
        let mut inv = [[0.0; N]; N];
        for j in 0..N {
            let mut e = [0.0; N];
            e[j] = 1.0;
            let col = self.solve(&e);
            for i in 0..N {
                inv[i][j] = col[i];
            }
        }
        for i in 0..N {
            for j in 0..i {
                let m = 0.5 * (inv[i][j] + inv[j][i]);
                inv[i][j] = m;
                inv[j][i] = m;
            }
        }
        inv
    }
}

/// Solves `A x = b` for a sized symmetric positive definite `A`; `None` when singular.
#[inline]
pub(crate) fn solve_spd_n<const N: usize>(a: &[[f64; N]; N], b: &[f64; N]) -> Option<[f64; N]> {
    Factor::new(a).map(|f| f.solve(b))
}

/// Copies the leading `N x N` block of `a`.
fn block<const N: usize>(a: &Matrix) -> [[f64; N]; N] {
    let mut m = [[0.0; N]; N];
    for i in 0..N {
        m[i].copy_from_slice(&a[i][..N]);
    }
    m
}

/// Runs `$body` with `$n` (1 to `MAX_PARAMS`) turned into the compile-time size `$N`; `$otherwise`
/// for any other `$n`.
macro_rules! with_size {
    ($n:expr, $N:ident => $body:expr, $otherwise:expr) => {
        match $n {
            1 => {
                const $N: usize = 1;
                $body
            }
            2 => {
                const $N: usize = 2;
                $body
            }
            3 => {
                const $N: usize = 3;
                $body
            }
            4 => {
                const $N: usize = 4;
                $body
            }
            5 => {
                const $N: usize = 5;
                $body
            }
            6 => {
                const $N: usize = 6;
                $body
            }
            7 => {
                const $N: usize = 7;
                $body
            }
            8 => {
                const $N: usize = 8;
                $body
            }
            9 => {
                const $N: usize = 9;
                $body
            }
            10 => {
                const $N: usize = 10;
                $body
            }
            11 => {
                const $N: usize = 11;
                $body
            }
            12 => {
                const $N: usize = 12;
                $body
            }
            13 => {
                const $N: usize = 13;
                $body
            }
            14 => {
                const $N: usize = 14;
                $body
            }
            15 => {
                const $N: usize = 15;
                $body
            }
            16 => {
                const $N: usize = 16;
                $body
            }
            _ => $otherwise,
        }
    };
}
pub(crate) use with_size;

/// The inverse of the leading `n x n` block of a symmetric positive definite matrix; `None` when
/// singular.
pub(crate) fn inverse_spd(a: &Matrix, n: usize) -> Option<Matrix> {
    with_size!(n, N => {
        let inv = Factor::new(&block::<N>(a))?.inverse();
        let mut out = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        for i in 0..N {
            out[i][..N].copy_from_slice(&inv[i]);
        }
        Some(out)
    }, None)
}

/// Weighted least squares for a model linear in its `K` coefficients: minimises
/// `sum w_i (y_i - sum_j c_j basis_j(i))^2` over the first `len` points. `None` if singular.
pub(crate) fn linear_least_squares<const K: usize>(
    len: usize,
    basis: impl Fn(usize, &mut [f64; K]),
    y: &[f64],
    w: &[f64],
) -> Option<[f64; K]> {
    let mut a = [[0.0; K]; K];
    let mut b = [0.0; K];
    let mut phi = [0.0; K];
    for i in 0..len {
        basis(i, &mut phi);
        for r in 0..K {
            let wr = w[i] * phi[r];
            b[r] += wr * y[i];
            for c in 0..=r {
                a[r][c] += wr * phi[c];
            }
        }
    }
    solve_spd_n(&a, &b)
}

/// Eigen-decomposition of the leading `n x n` block of a symmetric matrix by cyclic Jacobi
/// rotations: returns the eigenvalues and the eigenvectors as columns.
pub(crate) fn symmetric_eigen(a: &Matrix, n: usize) -> (Vector, Matrix) {
    let mut m = *a;
    let mut v = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for (i, row) in v.iter_mut().enumerate().take(n) {
        row[i] = 1.0;
    }
    for _sweep in 0..60 {
        let mut off = 0.0;
        let mut diag = 0.0;
        for i in 0..n {
            diag += m[i][i] * m[i][i];
            for j in (i + 1)..n {
                off += m[i][j] * m[i][j];
            }
        }
        if off <= 1e-30 * diag || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                if m[p][q] == 0.0 {
                    continue;
                }
                let theta = (m[q][q] - m[p][p]) / (2.0 * m[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[k][p], m[k][q]);
                    m[k][p] = c * mkp - s * mkq;
                    m[k][q] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[p][k], m[q][k]);
                    m[p][k] = c * mpk - s * mqk;
                    m[q][k] = s * mpk + c * mqk;
                }
                for row in v.iter_mut().take(n) {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    let mut values = [0.0; MAX_PARAMS];
    for i in 0..n {
        values[i] = m[i][i];
    }
    (values, v)
}

/// The Moore-Penrose inverse of a symmetric positive semi-definite matrix (leading `n x n` block),
/// computed on its Jacobi-scaled form so that the cut-off does not depend on units: eigenvalues
/// below `rel_tol` times the largest count as zero. Also says which coordinates are identified
/// (less than 1% of their scaled weight in the null space). `None` when the matrix is zero or not
/// finite.
pub(crate) fn pseudo_inverse(
    a: &Matrix,
    n: usize,
    rel_tol: f64,
) -> Option<(Matrix, [bool; MAX_PARAMS])> {
    let mut scale = [0.0; MAX_PARAMS];
    for i in 0..n {
        if !a[i][i].is_finite() || a[i][i] < 0.0 {
            return None;
        }
        scale[i] = if a[i][i] > 0.0 {
            1.0 / a[i][i].sqrt()
        } else {
            0.0
        };
    }
    let mut b = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    for i in 0..n {
        for j in 0..n {
            b[i][j] = a[i][j] * scale[i] * scale[j];
        }
    }
    let (values, vectors) = symmetric_eigen(&b, n);
    let largest = values[..n].iter().copied().fold(0.0, f64::max);
    if largest.is_nan() || largest <= 0.0 {
        return None;
    }
    let mut out = [[0.0; MAX_PARAMS]; MAX_PARAMS];
    let mut null_weight = [0.0; MAX_PARAMS];
    for k in 0..n {
        if values[k] > rel_tol * largest {
            for i in 0..n {
                for j in 0..n {
                    out[i][j] += vectors[i][k] * vectors[j][k] / values[k];
                }
            }
        } else {
            for (i, w) in null_weight.iter_mut().enumerate().take(n) {
                *w += vectors[i][k] * vectors[i][k];
            }
        }
    }
    let mut identified = [false; MAX_PARAMS];
    for i in 0..n {
        identified[i] = scale[i] > 0.0 && null_weight[i] < 0.01;
        for j in 0..n {
            out[i][j] *= scale[i] * scale[j];
        }
    }
    Some((out, identified))
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
        let x = solve_spd_n(&[[4.0, 2.0], [2.0, 3.0]], &[2.0, 1.0]).unwrap();
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        let inv = inverse_spd(&a, 2).unwrap();
        assert!((inv[0][0] - 3.0 / 8.0).abs() < 1e-12);
        assert!((inv[0][1] + 2.0 / 8.0).abs() < 1e-12);
    }

    #[test]
    fn pseudo_inverse_of_a_rank_deficient_matrix() {
        // [[1, 1], [1, 1]] has pseudo-inverse [[1/4, 1/4], [1/4, 1/4]]
        let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        a[0][0] = 1.0;
        a[0][1] = 1.0;
        a[1][0] = 1.0;
        a[1][1] = 1.0;
        let (p, ok) = pseudo_inverse(&a, 2, 1e-10).unwrap();
        for i in 0..2 {
            for j in 0..2 {
                assert!((p[i][j] - 0.25).abs() < 1e-12, "{:?}", p);
            }
        }
        assert!(!ok[0] && !ok[1]);
        // a full-rank matrix: the ordinary inverse, everything identified
        let mut b = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        b[0][0] = 4.0;
        b[1][0] = 2.0;
        b[0][1] = 2.0;
        b[1][1] = 3.0;
        let (p, ok) = pseudo_inverse(&b, 2, 1e-10).unwrap();
        assert!((p[0][0] - 3.0 / 8.0).abs() < 1e-12 && (p[0][1] + 0.25).abs() < 1e-12);
        assert!(ok[0] && ok[1]);
    }

    #[test]
    fn singular_is_none() {
        let mut a = [[0.0; MAX_PARAMS]; MAX_PARAMS];
        a[0][0] = 1.0;
        a[1][0] = 1.0;
        a[0][1] = 1.0;
        a[1][1] = 1.0;
        assert!(solve_spd_n(&[[1.0, 1.0], [1.0, 1.0]], &[1.0, 1.0]).is_none());
        assert!(inverse_spd(&a, 2).is_none());
    }
}
