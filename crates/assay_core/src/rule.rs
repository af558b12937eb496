//! Rule families and [`RuleMeta`], a catalog rule paired with its documentation.

use crate::{Confidence, FileKind, Finding, Location, Rule, Severity};
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
    /// CI pipelines: GitHub Actions workflows and actions.
    Ci,
    /// Agent skills and the instruction files agents read.
    Skill,
    /// MCP servers, their configurations and tool definitions.
    Mcp,
    /// Release integrity: release-to-release and source-to-release differences, build
    /// scripts that unpack hidden payloads.
    Rel,
    /// JavaScript and npm behaviour that has no Python counterpart: worm propagation
    /// through registry tokens, AI coding CLIs driven with their safeguards off,
    /// browser wallet-address swapping. (Behaviour both languages share is judged by the
    /// `PY` rules, whose targets include JavaScript.)
    Js,
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
            Family::Ci => "CI",
            Family::Skill => "SKILL",
            Family::Mcp => "MCP",
            Family::Rel => "REL",
            Family::Js => "JS",
        }
    }
}

/// A catalog [`Rule`] with its long documentation. One `static` per rule, built by
/// `assay_rules::declare_rule!` from the rule file's doc comment; reporters get these
/// for SARIF `help` and the rule docs (this crate does not know the docs).
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// The rule: code, name, levels, targets (see [`crate::catalog`]).
    pub rule: Rule,
    /// Markdown doc with the sections `## What it does`, `## Why it matters`,
    /// `## Example`, `## False positives`, `## References`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// `"PY001 decode-then-exec"`.
    pub fn label(&self) -> String {
        self.rule.label()
    }

    /// A finding of this rule at `location` with its default severity and confidence.
    pub fn finding(&self, location: Location, evidence: impl Into<String>) -> Finding {
        self.rule.finding(location, evidence)
    }
}

/// The shape `assay rules --json` prints: every fact of the rule plus its doc.
#[derive(Serialize)]
struct MetaJson {
    code: &'static str,
    name: &'static str,
    family: Family,
    summary: &'static str,
    severity: Severity,
    confidence: Confidence,
    targets: &'static [FileKind],
    cwe: Option<&'static str>,
    attack: Option<&'static str>,
    doc: &'static str,
}

impl Serialize for RuleMeta {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.rule;
        MetaJson {
            code: r.code(),
            name: r.name(),
            family: r.family(),
            summary: r.summary(),
            severity: r.severity(),
            confidence: r.confidence(),
            targets: r.targets(),
            cwe: r.cwe(),
            attack: r.attack(),
            doc: self.doc,
        }
        .serialize(s)
    }
}
