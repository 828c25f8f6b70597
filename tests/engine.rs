//! The fitting engine and the crate's structure (modules import only downward): fits against scipy's reference values, analytic Jacobians against finite
//! differences, the engine's behaviour on hard problems.

mod common;

#[path = "engine/fit_engine.rs"]
mod fit_engine;
#[path = "engine/jacobian.rs"]
mod jacobian;
#[path = "engine/layers.rs"]
mod layers;
#[path = "engine/nist.rs"]
mod nist;
#[path = "engine/reference.rs"]
mod reference;
