//! The per-thread buffers of the Levenberg-Marquardt loop: allocated once per thread and reused by
//! every fit on it, so that an iteration allocates nothing.

use crate::linalg::{MAX_PARAMS, Vector};

thread_local! {
    /// One workspace per thread, reused by every fit on it: fits allocate no buffers after the
    /// first. Results never depend on it (buffers are overwritten before they are read).
    static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::new(Workspace::new(0));
}

/// Runs `f` with this thread's workspace (or a fresh one if it is in use further up the stack,
/// e.g. by a family that fits something inside its own evaluation).
pub(crate) fn with_workspace<R>(f: impl FnOnce(&mut Workspace) -> R) -> R {
    let mut f = Some(f);
    let out = WORKSPACE.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut w) => {
            w.stamp = None;
            f.take().map(|f| f(&mut w))
        }
        Err(_) => None,
    });
    match (out, f) {
        (Ok(Some(r)), _) => r,
        (_, Some(f)) => f(&mut Workspace::new(0)),
        (_, None) => unreachable!("the closure either ran or is still here"),
    }
}

/// Reusable per-fit buffers: values, weighted residuals and the Jacobian rows. Allocated once per thread; iterations only overwrite them.
pub(crate) struct Buffers {
    pub(super) values: Vec<f64>,
    pub(super) weighted_residuals: Vec<f64>,
    pub(super) jacobian: Vec<[f64; MAX_PARAMS]>,
}

/// What the `current` buffers were last evaluated for: the full external parameter vector. A
/// workspace serves one family on one set of scales at a time: [`with_workspace`] forgets the stamp
/// before it lends the workspace out, so a stamp never outlives the fit that made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stamp {
    params: Vector,
}

impl Stamp {
    pub(super) fn of(n_params: usize, p: &Vector) -> Stamp {
        let mut params = [0.0; MAX_PARAMS];
        params[..n_params].copy_from_slice(&p[..n_params]);
        Stamp { params }
    }
}

/// The two buffer sets the LM loop alternates between.
pub(crate) struct Workspace {
    pub(super) current: Buffers,
    pub(super) trial: Buffers,
    /// What `current` holds, when known.
    pub(super) stamp: Option<Stamp>,
}

impl Workspace {
    /// Buffers for curves of `n` points.
    pub(crate) fn new(n: usize) -> Workspace {
        let make = || Buffers {
            values: vec![0.0; n],
            weighted_residuals: vec![0.0; n],
            jacobian: vec![[0.0; MAX_PARAMS]; n],
        };
        Workspace {
            current: make(),
            trial: make(),
            stamp: None,
        }
    }

    /// Whether `current` holds the values and Jacobian of `problem`'s family on its scales at
    /// exactly the external parameters `p` (bit for bit).
    pub(super) fn holds(&self, n_params: usize, p: &Vector) -> bool {
        self.stamp.is_some_and(|s| {
            let now = Stamp::of(n_params, p);
            s.params
                .iter()
                .zip(&now.params)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        })
    }

    /// Makes sure the buffers hold `n` points.
    pub(crate) fn ensure(&mut self, n: usize) {
        if self.current.values.len() < n {
            *self = Workspace::new(n);
        }
    }
}
