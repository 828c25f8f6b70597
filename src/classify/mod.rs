//! Classification: which way a curve scales, with the statistical evidence.
//!
//! The default method, in the spirit of R drc's `mselect`: fit every candidate family (pinning the
//! floor at chance where it is known), rank the fits by an information criterion, describe each
//! fit's shape over the observed range, and let the fits vote for the category their shape implies,
//! each with its Akaike weight. The winning category's total weight is the confidence. Curves of two
//! or three points are judged by point-wise tests under the noise model instead.
//!
//! The submodules, each one concept, in the order they may import each other (a module imports only
//! those before it): `category` (the categories), `candidate` (the menu of families), `config` (every setting and threshold), `builder` (the classifier and its checked builder),
//! `shape` (what a fitted curve does over the observed range), `verdict` (a category with its
//! grounds, in numbers), `rule` (the verdict rule: what each category means), `result` (the
//! result types), `select` (ranking, weights, the vote, nested tests), `bootstrap` (the seeded
//! resampler), `intervals` (critical scale and turn with their intervals), `pointwise` (curves of
//! two or three points), `report` (the human-readable report) and `pipeline` (the classifier).

mod bootstrap;
mod builder;
mod candidate;
mod category;
mod config;
mod intervals;
mod pipeline;
mod pointwise;
mod report;
mod result;
mod rule;
mod select;
mod shape;
mod verdict;

pub use builder::{ClassifierBuilder, DefaultClassifier};
pub use candidate::{Candidate, Pin, default_candidates};
pub use category::{Category, UnknownCategory};
pub use config::{Criterion, Settings, Thresholds};
pub use pipeline::{Classifier, classify, classify_all, classify_all_lending_noise};
pub use result::{
    Classification, Estimate, Evidence, IntervalMethod, NestedTest, RankedFit, TurnEstimate,
};
pub use select::pooled_overdispersion;
pub use shape::{Shape, Turn, TurnKind};
pub use verdict::{Verdict, Why};

pub(crate) use bootstrap::median;
pub(crate) use pipeline::batch;
pub(crate) use pipeline::fewest_items;
/// The verdict rule's context, for the comparisons that judge a gain curve by it.
pub(crate) use rule::Judge;
