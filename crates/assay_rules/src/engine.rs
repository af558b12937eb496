//! Runs every rule over one artifact and scores the result.

use crate::context::Cx;
use crate::context::is_test_or_doc;
use crate::rules::REGISTRY;
use crate::scoring::score;
use assay_core::{Artifact, Family, Finding, Rule, Severity, Verdict};

/// The rules' result for one artifact, before policy.
#[derive(Debug, Clone)]
pub struct ArtifactAnalysis {
    /// Findings, most severe first (then by path and line).
    pub findings: Vec<Finding>,
    /// Distribution name from metadata.
    pub name: Option<String>,
    /// Distribution version from metadata.
    pub version: Option<String>,
    /// Verdict from [`crate::score`].
    pub verdict: Verdict,
    /// Score from [`crate::score`].
    pub score: f64,
}

/// Analyse one artifact: source findings plus every rule's findings, deduplicated by
/// fingerprint and location, sorted, and scored.
pub fn analyze_artifact(artifact: &Artifact) -> ArtifactAnalysis {
    let cx = Cx::build(artifact);
    let mut findings: Vec<Finding> = artifact
        .findings
        .iter()
        .cloned()
        .map(demote_contained)
        .collect();
    // Rule by rule, in registry order; each rule gets the artifact or, for per-file
    // rules, the Python texts of its target kinds (`RuleEntry::run`).
    for rule in REGISTRY {
        rule.run(&cx, &mut findings);
    }
    sort_dedup(&mut findings);
    let (verdict, score) = score(&findings);
    ArtifactAnalysis {
        findings,
        name: cx.metadata.as_ref().and_then(|m| m.name.clone()),
        version: cx.metadata.as_ref().and_then(|m| m.version.clone()),
        verdict,
        score,
    }
}

/// Archive findings inside a nested archive describe content no installer extracts
/// (pip does not unpack an archive shipped inside a package): at most medium, and low
/// under tests/docs, where archive libraries keep their hostile fixtures.
fn demote_contained(mut f: Finding) -> Finding {
    if f.rule.family() != Family::Arc {
        return f;
    }
    if let Some((outer, _)) = f.location.path.split_once("!/") {
        f.severity = f.severity.min(Severity::Medium);
        if is_test_or_doc(outer) {
            f.severity = f.severity.min(Severity::Low);
        }
    } else if is_test_or_doc(&f.location.path) {
        f.severity = f.severity.min(Severity::Medium);
    }
    f
}

/// Most severe first, then path, line, code; exact duplicates (same fingerprint and
/// line) removed.
pub fn sort_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.location.path.cmp(&b.location.path))
            .then_with(|| a.location.line.cmp(&b.location.line))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.evidence.cmp(&b.evidence))
    });
    findings.dedup_by(|a, b| {
        a.fingerprint == b.fingerprint
            && a.location.line == b.location.line
            && a.location.decode_chain == b.location.decode_chain
    });
    // Bound what one artifact can report: 50 findings per rule.
    let mut seen: std::collections::HashMap<Rule, usize> = std::collections::HashMap::new();
    findings.retain(|f| {
        let n = seen.entry(f.rule).or_default();
        *n += 1;
        *n <= 50
    });
}
