//! The classifier: categories on curves of known shape and on published curves, edge cases,
//! overdispersion, reproducibility and serialisation.

mod common;

#[path = "classification/api.rs"]
mod api;
#[path = "classification/artefact.rs"]
mod artefact;
#[path = "classification/classify.rs"]
mod classify;
#[path = "classification/compare.rs"]
mod compare;
#[path = "classification/datasets.rs"]
mod datasets;
#[path = "classification/edge_cases.rs"]
mod edge_cases;
#[path = "classification/forecast.rs"]
mod forecast;
#[path = "classification/overdispersion.rs"]
mod overdispersion;
#[path = "classification/reproducibility.rs"]
mod reproducibility;
#[path = "classification/serde.rs"]
mod serde;
#[path = "classification/verdicts.rs"]
mod verdicts;
#[path = "classification/why.rs"]
mod why;
