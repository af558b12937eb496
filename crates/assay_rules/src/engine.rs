//! Runs every rule over one artifact and scores the result.

use crate::context::Cx;
use crate::context::is_test_or_doc;
use crate::rules::REGISTRY;
use crate::scoring::score;
use assay_core::{Artifact, ArtifactFormat, Family, Finding, Rule, Severity, Verdict};

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
    /// Findings the per-rule bound ([`MAX_FINDINGS_PER_RULE`]) left out, per rule.
    pub omitted: Vec<assay_core::Omitted>,
}

/// Analyse one artifact: source findings plus every rule's findings, deduplicated by
/// fingerprint and location, sorted, and scored.
pub fn analyze_artifact(artifact: &Artifact) -> ArtifactAnalysis {
    analyze_artifact_with(artifact, &Options::default())
}

/// What a caller can set for [`analyze_artifact_with`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `[models] allow` of `assay.toml`: pickle imports these patterns match are allowed
    /// like the classic-ML allowlist (never a denylisted one).
    pub model_allow: Vec<assay_core::model_allow::AllowPattern>,
    /// Keep every finding: no [`MAX_FINDINGS_PER_RULE`] bound. For callers that split
    /// one analysis into several reported artifacts (an environment, per distribution)
    /// and apply the bound to each part with [`sort_dedup_counted`].
    pub uncapped: bool,
}

/// [`analyze_artifact`] with [`Options`].
pub fn analyze_artifact_with(artifact: &Artifact, options: &Options) -> ArtifactAnalysis {
    run_rules(Cx::build(artifact), options)
}

/// [`analyze_artifact_with`] for a caller that keeps no more of the artifact than the
/// report: the same findings, with the texts of analysed Python files that no rule reads
/// again released as the analysis goes (the peak memory of a large package is about the
/// larger of its sources and their analyses, not their sum). Afterwards such entries
/// have empty `data`, their `sha256` set, and are otherwise unchanged.
pub fn analyze_artifact_releasing(artifact: &mut Artifact, options: &Options) -> ArtifactAnalysis {
    run_rules(Cx::build_releasing(artifact), options)
}

fn run_rules(mut cx: Cx<'_>, options: &Options) -> ArtifactAnalysis {
    let artifact = cx.artifact;
    cx.model_allow.clone_from(&options.model_allow);
    let mut findings: Vec<Finding> = artifact
        .findings
        .iter()
        .cloned()
        .map(|f| demote_contained(f, artifact.format))
        .collect();
    // Rule by rule, in registry order; each rule gets the artifact or, for per-file
    // rules, the Python texts of its target kinds (`RuleEntry::run`).
    for rule in REGISTRY {
        rule.run(&cx, &mut findings);
    }
    let limit = if options.uncapped {
        usize::MAX
    } else {
        MAX_FINDINGS_PER_RULE
    };
    let omitted = sort_dedup_bounded(&mut findings, limit);
    let (verdict, score) = score(&findings);
    ArtifactAnalysis {
        findings,
        name: cx.metadata.as_ref().and_then(|m| m.name.clone()),
        version: cx.metadata.as_ref().and_then(|m| m.version.clone()),
        verdict,
        score,
        omitted,
    }
}

/// Archive findings inside a nested archive describe content no installer extracts
/// (pip does not unpack an archive shipped inside a package): at most medium, and low
/// under tests/docs, where archive libraries keep their hostile fixtures.
///
/// One exception: an installable package nested beyond the depth bound inside a plain
/// container (a release zip or tarball, not itself a package) was NOT INSPECTED and is what
/// whoever unpacks the bundle installs; its `ARC009` keeps the severity the reader gave it
/// (critical for a wheel, egg or distribution-named sdist), so the gate blocks it (issue 21,
/// items 2 and 11).
fn demote_contained(mut f: Finding, format: ArtifactFormat) -> Finding {
    if f.rule.family() != Family::Arc {
        return f;
    }
    if f.rule == Rule::UnreadableArchive {
        f = unread_code(f);
    }
    let package = matches!(
        format,
        ArtifactFormat::Wheel
            | ArtifactFormat::Sdist
            | ArtifactFormat::Egg
            | ArtifactFormat::Environment
    );
    if !package && f.rule == Rule::NestingTooDeep && f.severity >= Severity::High {
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

/// An `ARC007` on a member that is code Python runs (a `.py`, `.pyc`, `.pth`) means that
/// code was NOT INSPECTED (a corrupt member, a read error, a file the scanner may not
/// read): never a medium footnote (issue 21, item 17). A `.pth`, a `setup.py` or a
/// `sitecustomize`/`usercustomize` runs by itself at startup or install: critical (medium
/// confidence), so every gate blocks; any other module is high. Nested archives and
/// tests/docs are left to the demotion that follows.
fn unread_code(mut f: Finding) -> Finding {
    let path = f.location.path.as_str();
    if path.contains("!/") || is_test_or_doc(path) {
        return f;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let auto = name.ends_with(".pth")
        || matches!(
            name,
            "setup.py" | "sitecustomize.py" | "usercustomize.py" | "sitecustomize.pyc"
        );
    let code = auto
        || [".py", ".pyc", ".pyo", ".pyw"]
            .iter()
            .any(|x| name.ends_with(x));
    if !code {
        return f;
    }
    let sev = if auto {
        Severity::Critical
    } else {
        Severity::High
    };
    if f.severity < sev {
        f.severity = sev;
        if auto {
            f.confidence = assay_core::Confidence::Medium;
        }
        f.evidence.push_str(if auto {
            " — code that runs by itself at install or startup: NOT INSPECTED"
        } else {
            " — code that runs on import: NOT INSPECTED"
        });
    }
    f
}

/// How many findings of one rule an artifact reports (the most severe are kept).
pub const MAX_FINDINGS_PER_RULE: usize = 50;

/// Most severe first, then path, line, code; exact duplicates (same fingerprint and
/// line) removed.
pub fn sort_dedup(findings: &mut Vec<Finding>) {
    sort_dedup_counted(findings);
}

/// [`sort_dedup`], returning what the per-rule bound left out (issue 17: reports say
/// when a limit cut findings).
pub fn sort_dedup_counted(findings: &mut Vec<Finding>) -> Vec<assay_core::Omitted> {
    sort_dedup_bounded(findings, MAX_FINDINGS_PER_RULE)
}

fn sort_dedup_bounded(findings: &mut Vec<Finding>, limit: usize) -> Vec<assay_core::Omitted> {
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
    let mut seen: std::collections::BTreeMap<Rule, usize> = std::collections::BTreeMap::new();
    findings.retain(|f| {
        let n = seen.entry(f.rule).or_default();
        *n += 1;
        *n <= limit
    });
    seen.into_iter()
        .filter(|(_, n)| *n > limit)
        .map(|(rule, n)| assay_core::Omitted {
            rule,
            count: n - limit,
            limit,
        })
        .collect()
}
