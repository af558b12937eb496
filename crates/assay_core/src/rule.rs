//! Static description of a rule: its stable code, name, default levels and docs.

use crate::{Confidence, FileKind, Finding, Location, Severity};
use serde::Serialize;

/// Rule families; the prefix of every rule code (`PY001`, `PKG003`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "UPPERCASE")]
pub enum Family {
    /// Python source behaviour.
    Py,
    /// Package metadata and layout (wheels, sdists, installed distributions).
    Pkg,
    /// Archive structure and hostile-input bounds.
    Arc,
    /// Indicators of compromise found as data (hosts, URLs, wallets).
    Ioc,
    /// Model files: pickle and its containers, safetensors, GGUF, ONNX, Keras; signing.
    Ml,
    /// Dependencies: lockfiles, manifests, advisories, typosquats, dependency confusion.
    Dep,
    /// Repository history: commits that deserve a human review.
    Git,
}

impl Family {
    /// The code prefix, e.g. `"PY"`.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Py => "PY",
            Family::Pkg => "PKG",
            Family::Arc => "ARC",
            Family::Ioc => "IOC",
            Family::Ml => "ML",
            Family::Dep => "DEP",
            Family::Git => "GIT",
        }
    }
}

/// Everything known about a rule without running it. One `static` per rule, built by
/// `assay_rules::declare_rule!` from the rule file's doc comment.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Stable code (`PY001`). Never reused.
    pub code: &'static str,
    /// Kebab-case name of the pattern (`decode-then-exec`).
    pub name: &'static str,
    /// Family (the code's prefix).
    pub family: Family,
    /// One line: what a match means.
    pub summary: &'static str,
    /// Default severity (a finding may raise or lower it by context; `assay.toml` may override).
    pub severity: Severity,
    /// Default confidence.
    pub confidence: Confidence,
    /// The file kinds the rule looks at (informational; the engine dispatches by kind).
    pub targets: &'static [FileKind],
    /// CWE id (`CWE-506`), where one fits.
    pub cwe: Option<&'static str>,
    /// MITRE ATT&CK technique (`T1059.006`), where one fits.
    pub attack: Option<&'static str>,
    /// Markdown doc with the sections `## What it does`, `## Why it matters`,
    /// `## Example`, `## False positives`, `## References`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// `"PY001 decode-then-exec"`.
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }

    /// A finding of this rule at `location` with its default severity and confidence.
    pub fn finding(&self, location: Location, evidence: impl Into<String>) -> Finding {
        Finding::new(
            self.code,
            self.name,
            self.severity,
            self.confidence,
            location,
            evidence,
        )
    }
}
