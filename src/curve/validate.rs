//! The checks behind [`CurveBuilder::build`](super::CurveBuilder::build) and the helpers that
//! derive a curve's cached sums; every input error is a typed [`Error`] naming the point.

use super::noise::SIGMA_MAX;
use super::{Axis, DuplicatePolicy};
use crate::error::{Error, Result};

/// One point during validation, remembering where it came from.
#[derive(Clone, Copy)]
pub(super) struct RawPoint {
    pub(super) index: usize,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) sigma: Option<f64>,
    pub(super) n: Option<f64>,
    /// How many measurements the point pools (1 unless merged).
    pub(super) replicates: f64,
    /// The chi-square of the pooled measurements about their mean, in the weights they had (0
    /// unless merged).
    pub(super) within: f64,
    /// For pooled test-set sizes, their scatter in items, `sum n_i (y_i - y)^2`: the builder adds
    /// it to `within` once it knows the per-item variance.
    pub(super) item_scatter: f64,
}

/// Multiplies every standard error by `scale`, rejecting one pushed past [`SIGMA_MAX`].
pub(super) fn scale_sigma(sigma: &mut [f64], scale: f64) -> Result<()> {
    for (index, s) in sigma.iter_mut().enumerate() {
        *s *= scale;
        if *s > SIGMA_MAX {
            return Err(Error::InvalidSigma { index, value: *s });
        }
    }
    Ok(())
}

/// The weights `1 / sigma^2` and `sum ln sigma` a curve caches with its standard errors.
pub(super) fn sigma_caches(sigma: &[f64]) -> (Vec<f64>, f64) {
    (
        sigma.iter().map(|s| 1.0 / (s * s)).collect(),
        sigma.iter().map(|s| s.ln()).sum(),
    )
}

/// A variance factor within `[1, 1e12]`, and stated noise for any factor other than 1.
pub(super) fn check_overdispersion(c: f64, noise_stated: bool) -> Result<()> {
    if !(c.is_finite() && (1.0..=1e12).contains(&c)) {
        return Err(Error::InvalidSetting {
            what: "overdispersion",
            value: c,
            reason: "must be finite and within [1, 1e12]",
        });
    }
    if c != 1.0 && !noise_stated {
        return Err(Error::InvalidSetting {
            what: "overdispersion",
            value: c,
            reason: "inflates stated noise: give sigma or n_examples",
        });
    }
    Ok(())
}

pub(super) fn check_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            what,
            expected,
            found,
        })
    }
}

pub(super) fn check_finite(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((index, &value)) => Err(Error::NonFinite { what, index, value }),
        None => Ok(()),
    }
}

/// Rejects or pools points with the same `x` (on the fitting axis: two scales that map to the same
/// `t` are duplicates too). `points` must be sorted by `x`.
pub(super) fn resolve_duplicates(
    points: Vec<RawPoint>,
    policy: DuplicatePolicy,
    axis: Axis,
) -> Result<Vec<RawPoint>> {
    if policy == DuplicatePolicy::Keep {
        return Ok(points);
    }
    let mut out: Vec<RawPoint> = Vec::with_capacity(points.len());
    let mut group: Vec<RawPoint> = Vec::new();
    for p in points {
        if let Some(last) = group.last() {
            if axis.to_t(last.x) != axis.to_t(p.x) {
                out.push(pool(&group));
                group.clear();
            } else if policy == DuplicatePolicy::Reject {
                return Err(Error::DuplicateScale {
                    first: last.index,
                    second: p.index,
                    value: p.x,
                });
            }
        }
        group.push(p);
    }
    if !group.is_empty() {
        out.push(pool(&group));
    }
    Ok(out)
}

/// Pools points at one scale into one, exactly for a weighted least-squares fit: the weight of
/// the pooled point is the sum of the group's weights (inverse variances; test-set sizes; the
/// number of measurements when the noise is unknown), its score their weighted mean, and the
/// group's scatter about that mean is kept in `within`, to be added to chi-square.
fn pool(group: &[RawPoint]) -> RawPoint {
    let first = group[0];
    if group.len() == 1 {
        return first;
    }
    let replicates: f64 = group.iter().map(|p| p.replicates).sum();
    let carried: f64 = group.iter().map(|p| p.within).sum();
    let weighted = |weight: &dyn Fn(&RawPoint) -> f64| {
        let total: f64 = group.iter().map(weight).sum();
        let y = group.iter().map(|p| p.y * weight(p)).sum::<f64>() / total;
        let scatter: f64 = group
            .iter()
            .map(|p| weight(p) * (p.y - y) * (p.y - y))
            .sum();
        (total, y, carried + scatter)
    };
    let (y, sigma, n, within) = if group.iter().all(|p| p.sigma.is_some()) {
        let (w, y, within) = weighted(&|p| p.sigma.map_or(0.0, |s| 1.0 / (s * s)));
        let n = group.iter().map(|p| p.n).sum::<Option<f64>>();
        (y, Some(1.0 / w.sqrt()), n, within)
    } else if group.iter().all(|p| p.n.is_some()) {
        let (total, y, scatter) = weighted(&|p| p.n.unwrap_or(0.0));
        (y, None, Some(total), scatter)
    } else {
        let (_, y, within) = weighted(&|p| p.replicates);
        (y, None, None, within)
    };
    // test-set sizes are weights only once divided by the per-item variance
    let (within, item_scatter) = if sigma.is_none() && n.is_some() {
        (carried, within - carried)
    } else {
        (within, 0.0)
    };
    RawPoint {
        index: first.index,
        x: first.x,
        y,
        sigma,
        n,
        replicates,
        within,
        item_scatter,
    }
}
