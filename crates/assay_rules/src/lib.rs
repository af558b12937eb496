//! Rules, the engine that runs them over an [`Artifact`], and the scoring model that
//! turns findings into a verdict.
//!
//! Each rule's identity and default levels are a catalog entry
//! ([`assay_core::Rule`], `assay_core/src/catalog.rs`); its check lives in its own file
//! under `rules/<family>/` with its documentation as the doc comment of its
//! `declare_rule!` (that text is what `assay explain`, `docs/rules/` and SARIF `help`
//! show). Adding a rule touches the catalog entry, the rule file, one `mod` line, one
//! [`REGISTRY`] line, its fixtures and the generated docs (`docs/architecture.md`).

#![cfg_attr(test, allow(clippy::unwrap_used))]

#[macro_use]
mod macros;
mod context;
mod engine;
pub mod known_iocs;
pub mod known_packages;
pub mod rules;
mod scoring;
pub mod typosquat;

pub use context::{CodeFile, Cx};
pub use engine::{
    ArtifactAnalysis, MAX_FINDINGS_PER_RULE, Options, analyze_artifact, analyze_artifact_releasing,
    analyze_artifact_with, sort_dedup, sort_dedup_counted,
};
pub use rules::{Check, REGISTRY, RuleEntry, find_rule};
pub use scoring::{ScoreModel, score, score_with};
