//! Rules, the engine that runs them over an [`Artifact`], and the scoring model that
//! turns findings into a verdict.
//!
//! Each rule lives in its own file under `rules/<family>/` with its documentation as
//! the doc comment of its `declare_rule!` (that text is what `assay explain`,
//! `docs/rules/` and SARIF `help` show). Adding a rule touches the rule file, one
//! `mod` line and one [`REGISTRY`] entry.

#![cfg_attr(test, allow(clippy::unwrap_used))]

#[macro_use]
mod macros;
mod context;
mod engine;
pub mod known_iocs;
pub mod rules;
mod scoring;
pub mod typosquat;

pub use context::{Cx, PyFile};
pub use engine::{ArtifactAnalysis, analyze_artifact};
pub use rules::{Check, REGISTRY, RuleEntry, find_rule};
pub use scoring::{ScoreModel, score};
