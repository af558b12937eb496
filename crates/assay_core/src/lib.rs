//! assay's shared vocabulary: findings, severities, verdicts, locations and the
//! read-only [`Artifact`] tree every analysis works on.
//!
//! This crate does no I/O. Sources (`assay_sources`) turn inputs into an
//! [`Artifact`]; parsers and rules read it; reporters render the findings.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod artifact;
pub mod catalog;
mod finding;
mod level;
pub mod model_allow;
pub mod package;
pub mod pickle_ops;
mod report;
mod rule;

pub use artifact::{Artifact, ArtifactFormat, Entry, EntryKind, FileKind, classify, lossy_text};
pub use catalog::{
    ArcRule, CiRule, ContextSeverity, DepRule, GitRule, IocRule, JsRule, McpRule, MlRule, PkgRule,
    PyRule, RelRule, Rule, RuleRef, SkillRule, UnknownRule,
};
pub use finding::{Capability, ExecutionContext, Finding, Location, fingerprint, sort_by_location};
pub use level::{Confidence, FailOn, Severity, Verdict};
pub use package::{Ecosystem, PackageName};
pub use report::{
    AdvisoryData, ArtifactReport, FileDigest, Omitted, REPORT_SCHEMA_VERSION, Report, Summary,
    ToolInfo, UnusedSuppression,
};
pub use rule::{Family, RuleMeta};
