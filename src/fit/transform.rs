//! Box bounds by internal transformation (as MINUIT and lmfit do): the optimiser moves an unbounded
//! internal variable `u`, the model sees `p = g(u)` inside the bounds. For two-sided bounds we use
//! the algebraic sigmoid `u / sqrt(1 + u^2)` rather than MINUIT's sine: it is monotone (one `u` per
//! `p`), costs a square root instead of a sine, and its derivative vanishes only at infinity.

use crate::family::Bounds;

/// The map between an internal, unbounded variable and a bounded parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Transform {
    /// No bounds: `p = u`.
    Identity,
    /// Both bounds: `p = lo + (hi - lo) (1 + u / sqrt(1 + u^2)) / 2`.
    Both { lo: f64, hi: f64 },
    /// Lower bound only: `p = lo - 1 + sqrt(u^2 + 1)`.
    Lower { lo: f64 },
    /// Upper bound only: `p = hi + 1 - sqrt(u^2 + 1)`.
    Upper { hi: f64 },
}

impl Transform {
    pub(crate) fn new(b: Bounds) -> Transform {
        match (b.lower.is_finite(), b.upper.is_finite()) {
            // bounds further apart than the largest finite number bound nothing representable
            (true, true) if !(b.upper - b.lower).is_finite() => Transform::Identity,
            (true, true) => Transform::Both {
                lo: b.lower,
                hi: b.upper,
            },
            (true, false) => Transform::Lower { lo: b.lower },
            (false, true) => Transform::Upper { hi: b.upper },
            (false, false) => Transform::Identity,
        }
    }

    /// `p = g(u)`.
    #[inline]
    pub(crate) fn to_external(self, u: f64) -> f64 {
        match self {
            Transform::Identity => u,
            Transform::Both { lo, hi } => lo + (hi - lo) * 0.5 * (1.0 + u / (1.0 + u * u).sqrt()),
            Transform::Lower { lo } => lo - 1.0 + (u * u + 1.0).sqrt(),
            Transform::Upper { hi } => hi + 1.0 - (u * u + 1.0).sqrt(),
        }
    }

    /// `dp/du`.
    #[inline]
    pub(crate) fn derivative(self, u: f64) -> f64 {
        match self {
            Transform::Identity => 1.0,
            Transform::Both { lo, hi } => {
                let q = 1.0 + u * u;
                (hi - lo) * 0.5 / (q * q.sqrt())
            }
            Transform::Lower { .. } => u / (u * u + 1.0).sqrt(),
            Transform::Upper { .. } => -u / (u * u + 1.0).sqrt(),
        }
    }

    /// `u = g^-1(p)`, after moving `p` strictly inside the bounds (a start on a bound would have a
    /// zero derivative and never move).
    pub(crate) fn to_internal(self, p: f64) -> f64 {
        match self {
            Transform::Identity => p,
            Transform::Both { lo, hi } => {
                let inset = 1e-3 * (hi - lo);
                let q = p.clamp(lo + inset, hi - inset);
                let v = (2.0 * (q - lo) / (hi - lo) - 1.0).clamp(-0.999_999, 0.999_999);
                v / (1.0 - v * v).sqrt()
            }
            Transform::Lower { lo } => {
                let q = (p - lo).max(1e-3) + 1.0;
                (q * q - 1.0).sqrt()
            }
            Transform::Upper { hi } => {
                let q = (hi - p).max(1e-3) + 1.0;
                (q * q - 1.0).sqrt()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_inside_bounds() {
        for (b, p) in [
            (Bounds::new(0.0, 1.0), 0.3),
            (Bounds::at_least(2.0), 7.5),
            (Bounds::new(f64::NEG_INFINITY, -1.0), -4.0),
            (Bounds::FREE, 123.0),
            (Bounds::new(-1e308, 1e308), 5.0),
        ] {
            let tr = Transform::new(b);
            let back = tr.to_external(tr.to_internal(p));
            assert!((back - p).abs() < 1e-12, "{b:?}: {back} != {p}");
        }
    }

    #[test]
    fn derivative_matches_difference() {
        let tr = Transform::new(Bounds::new(-2.0, 5.0));
        for u in [-1.0, 0.0, 0.4, 1.2] {
            let h = 1e-6;
            let fd = (tr.to_external(u + h) - tr.to_external(u - h)) / (2.0 * h);
            assert!((fd - tr.derivative(u)).abs() < 1e-8);
        }
    }

    #[test]
    fn external_stays_inside() {
        let tr = Transform::new(Bounds::new(0.0, 1.0));
        for u in [-100.0, -3.0, 0.0, 2.0, 1e6, -1e300] {
            assert!((0.0..=1.0).contains(&tr.to_external(u)));
        }
    }
}
