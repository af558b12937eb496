//! SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), built with
//! the typed builders of `serde-sarif` and checked against the official JSON schema in
//! `tests/sarif_schema.rs`.
//!
//! One log, one run:
//!
//! * `tool.driver`: `name` `assay`, `version`/`semanticVersion` from the report,
//!   `informationUri` when given, and `rules[]` from the given [`RuleMeta`]s: `id` = code,
//!   `name`, `shortDescription` = summary, `fullDescription` = the doc's "What it does"
//!   section, `help` = the whole doc (text and Markdown), `defaultConfiguration.level`
//!   from the default severity, and `properties`: `tags` (`security`, the family prefix,
//!   `external/cwe/cwe-NNN`, `external/attack/TNNNN`), `precision` (from the default
//!   confidence) and `security-severity` (the number GitHub code scanning ranks by:
//!   critical 9.5, high 8.0, medium 5.5, low 3.0, info 0.0).
//! * `artifacts[]`: one per scanned artifact (role `analysisTarget`) with its verdict,
//!   score and format in `properties`, so clean artifacts appear in the log too.
//! * `results[]`: one per finding, in report order. `level`: critical/high → `error`,
//!   medium → `warning`, low/info → `note`. `message.text`: the evidence and the
//!   artifact's verdict. `partialFingerprints`: `{"assay/v1": fingerprint}`.
//!   `properties`: `confidence`, `verdict`, `context`, `decodeChain`, `capabilities`,
//!   `artifact` and `pathInArtifact` (the last five only when known/non-empty).
//! * `invocations[0].toolConfigurationNotifications`: unused suppressions, as warnings
//!   (only when there are some).
//!
//! # Locations
//!
//! `physicalLocation.artifactLocation.uri` is a URI reference (RFC 3986; characters
//! outside the unreserved set, sub-delimiters, `:`, `@` and `/` are percent-encoded, and
//! `\` becomes `/`):
//!
//! * a finding on the artifact itself (empty path), or in a single-file artifact: the
//!   artifact's path;
//! * a file of a directory or environment: `<artifact>/<path>` (a real file on disk);
//! * a member of an archive (wheel, sdist, egg, zip, tar): `<artifact>!/<path>`, the
//!   convention of `jar:` URLs, with any `!` inside either part encoded as `%21` so the
//!   separator is unambiguous. `result.analysisTarget` then names the archive itself.
//!
//! `region.startLine`/`startColumn`/`endLine` are set when known and refer to that file
//! (to the decoded text when `decodeChain` is set); columns count Unicode code points
//! (`run.columnKind` = `unicodeCodePoints`).

use crate::Reporter;
use assay_core::{ArtifactFormat, ArtifactReport, Confidence, Finding, Report, RuleMeta, Severity};
use serde_json::{Value, json};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::io;

/// The `$schema` written into the log.
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders SARIF 2.1.0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SarifReporter {
    /// `tool.driver.informationUri` (an absolute URI), omitted when `None`.
    pub information_uri: Option<String>,
}

impl Reporter for SarifReporter {
    fn render(
        &self,
        report: &Report,
        rules: &[&'static RuleMeta],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let log = self.to_sarif(report, rules);
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }
}

impl SarifReporter {
    /// The SARIF log for a report, as `serde-sarif` values.
    pub fn to_sarif(&self, report: &Report, rules: &[&'static RuleMeta]) -> sarif::Sarif {
        let mut driver = sarif::ToolComponent::builder()
            .name(report.tool.name.clone())
            .version(report.tool.version.clone())
            .semantic_version(report.tool.version.clone())
            .rules(rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>())
            .build();
        driver.information_uri = self.information_uri.clone();

        let artifacts: Vec<sarif::Artifact> = report.artifacts.iter().map(artifact_entry).collect();
        let results: Vec<sarif::Result> = report
            .artifacts
            .iter()
            .enumerate()
            .flat_map(|(index, a)| a.findings.iter().map(move |f| (index, a, f)))
            .map(|(index, a, f)| result(index, a, f, rules))
            .collect();

        let mut run = sarif::Run::builder()
            .tool(sarif::Tool::builder().driver(driver).build())
            .artifacts(artifacts)
            .results(results)
            .column_kind(json!("unicodeCodePoints"))
            .build();
        if !report.unused_suppressions.is_empty() {
            let notes: Vec<sarif::Notification> = report
                .unused_suppressions
                .iter()
                .map(|u| {
                    let text = format!(
                        "suppression #{} ({}) in assay.toml matched no finding: {}",
                        u.index + 1,
                        u.rule,
                        u.reason
                    );
                    let mut n = sarif::Notification::builder()
                        .message(sarif::Message::from(text.as_str()))
                        .build();
                    n.level = Some(json!("warning"));
                    n
                })
                .collect();
            let invocation = sarif::Invocation::builder()
                .execution_successful(true)
                .tool_configuration_notifications(notes)
                .build();
            run.invocations = Some(vec![invocation]);
        }
        sarif::Sarif::builder()
            .schema(SARIF_SCHEMA_URI)
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build()
    }
}

/// `tool.driver.rules[]` entry for one rule.
fn rule_descriptor(meta: &RuleMeta) -> sarif::ReportingDescriptor {
    let rule = meta.rule;
    let mut tags = vec!["security".to_owned(), rule.family().prefix().to_owned()];
    if let Some(cwe) = rule.cwe() {
        tags.push(format!("external/cwe/{}", cwe.to_ascii_lowercase()));
    }
    if let Some(attack) = rule.attack() {
        tags.push(format!("external/attack/{attack}"));
    }
    let mut extra = BTreeMap::new();
    extra.insert("precision".to_owned(), json!(precision(rule.confidence())));
    extra.insert(
        "security-severity".to_owned(),
        json!(security_severity(rule.severity())),
    );
    let properties = sarif::PropertyBag::builder()
        .tags(tags)
        .additional_properties(extra)
        .build();
    let full = what_it_does(meta.doc).unwrap_or(rule.summary());
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(rule.code())
        .name(rule.name())
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(rule.summary())
                .build(),
        )
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(full)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level_str(rule.severity())))
                .build(),
        )
        .properties(properties)
        .build();
    if !meta.doc.trim().is_empty() {
        descriptor.help = Some(
            sarif::MultiformatMessageString::builder()
                .text(meta.doc)
                .markdown(meta.doc)
                .build(),
        );
    }
    descriptor
}

/// The body of the `## What it does` section of a rule doc, trimmed.
fn what_it_does(doc: &str) -> Option<&str> {
    let start = doc.find("## What it does")? + "## What it does".len();
    let rest = doc.get(start..)?;
    let body = rest
        .find("\n#")
        .map_or(rest, |end| rest.get(..end).unwrap_or(rest))
        .trim();
    (!body.is_empty()).then_some(body)
}

/// `run.artifacts[]` entry for one scanned artifact.
fn artifact_entry(a: &ArtifactReport) -> sarif::Artifact {
    let mut props = BTreeMap::new();
    props.insert("verdict".to_owned(), json!(a.verdict.as_str()));
    props.insert("score".to_owned(), json!(a.score));
    props.insert("format".to_owned(), json!(a.format.as_str()));
    if let Some(name) = &a.name {
        props.insert("name".to_owned(), json!(name));
    }
    if let Some(version) = &a.version {
        props.insert("version".to_owned(), json!(version));
    }
    if a.suppressed > 0 {
        props.insert("suppressed".to_owned(), json!(a.suppressed));
    }
    sarif::Artifact::builder()
        .location(
            sarif::ArtifactLocation::builder()
                .uri(uri_path(&a.path))
                .build(),
        )
        .roles(vec![json!("analysisTarget")])
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// `results[]` entry for one finding of artifact number `index`.
fn result(
    index: usize,
    a: &ArtifactReport,
    f: &Finding,
    rules: &[&'static RuleMeta],
) -> sarif::Result {
    let evidence = if f.evidence.is_empty() {
        f.rule.name()
    } else {
        f.evidence.as_str()
    };
    let message = format!("{evidence} (artifact verdict: {})", a.verdict.as_str());
    let (uri, nested) = finding_uri(a, f);

    let mut region = None;
    if let Some(line) = f.location.line {
        let mut r = sarif::Region::builder().start_line(i64::from(line)).build();
        r.start_column = f.location.column.map(i64::from);
        r.end_line = f.location.end_line.map(i64::from);
        region = Some(r);
    }
    let mut physical = sarif::PhysicalLocation::builder()
        .artifact_location(sarif::ArtifactLocation::builder().uri(uri).build())
        .build();
    physical.region = region;
    let location = sarif::Location::builder()
        .physical_location(physical)
        .build();

    let mut props = BTreeMap::new();
    props.insert("confidence".to_owned(), json!(f.confidence.as_str()));
    props.insert("verdict".to_owned(), json!(a.verdict.as_str()));
    if let Some(context) = f.context {
        props.insert("context".to_owned(), json!(context.as_str()));
    }
    if !f.location.decode_chain.is_empty() {
        props.insert("decodeChain".to_owned(), json!(f.location.decode_chain));
    }
    if !f.capabilities.is_empty() {
        props.insert(
            "capabilities".to_owned(),
            serde_json::to_value(&f.capabilities).unwrap_or(Value::Null),
        );
    }
    props.insert("artifact".to_owned(), json!(a.path));
    if !f.location.path.is_empty() {
        props.insert("pathInArtifact".to_owned(), json!(f.location.path));
    }

    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("assay/v1".to_owned(), f.fingerprint.clone());

    let mut r = sarif::Result::builder()
        .message(sarif::Message::from(message.as_str()))
        .rule_id(f.rule.code().to_owned())
        .level(level(f.severity))
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(props)
                .build(),
        )
        .build();
    // The further hops of a path (CI016), in order, as SARIF related locations.
    if !f.related.is_empty() {
        let related: Vec<sarif::Location> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut physical = sarif::PhysicalLocation::builder()
                    .artifact_location(
                        sarif::ArtifactLocation::builder()
                            .uri(
                                finding_uri(
                                    a,
                                    &Finding {
                                        location: l.clone(),
                                        ..f.clone()
                                    },
                                )
                                .0,
                            )
                            .build(),
                    )
                    .build();
                physical.region = l.line.map(|line| {
                    let mut r = sarif::Region::builder().start_line(i64::from(line)).build();
                    r.start_column = l.column.map(i64::from);
                    r
                });
                let mut loc = sarif::Location::builder()
                    .physical_location(physical)
                    .build();
                loc.id = i64::try_from(i + 1).ok();
                loc
            })
            .collect();
        r.related_locations = Some(related);
    }
    r.rule_index = rules
        .iter()
        .position(|m| m.rule == f.rule)
        .and_then(|i| i64::try_from(i).ok());
    if nested {
        r.analysis_target = Some(
            sarif::ArtifactLocation::builder()
                .uri(uri_path(&a.path))
                .index(i64::try_from(index).unwrap_or(i64::MAX))
                .build(),
        );
    }
    r
}

/// The URI of a finding's file (see the module doc) and whether it is inside an archive.
fn finding_uri(a: &ArtifactReport, f: &Finding) -> (String, bool) {
    let inner = f.location.path.as_str();
    if inner.is_empty() || inner == a.path {
        return (uri_path(&a.path), false);
    }
    match a.format {
        ArtifactFormat::Directory | ArtifactFormat::Skill | ArtifactFormat::Environment => {
            // A distribution of an environment is `<environment>!/<name>==<version>`;
            // its findings' paths are relative to the environment, like the
            // environment-level artifact's.
            let base = match a.format {
                ArtifactFormat::Environment => a.path.split("!/").next().unwrap_or(&a.path),
                _ => a.path.as_str(),
            };
            let base = uri_path(base);
            let sep = if base.ends_with('/') { "" } else { "/" };
            (
                format!("{base}{sep}{}", uri_path(inner.trim_start_matches('/'))),
                false,
            )
        }
        ArtifactFormat::File => (uri_path(&a.path), false),
        // A commit's findings name files of its tree; the commit id is in the properties.
        ArtifactFormat::Commit => (uri_path(inner.trim_start_matches('/')), false),
        ArtifactFormat::Wheel
        | ArtifactFormat::Sdist
        | ArtifactFormat::Egg
        | ArtifactFormat::Zip
        | ArtifactFormat::Tar
        | ArtifactFormat::SevenZ
        | ArtifactFormat::Unreadable => (
            format!(
                "{}!/{}",
                uri_path(&a.path),
                uri_path(inner.trim_start_matches('/'))
            ),
            true,
        ),
    }
}

/// A file path as a URI reference: `\` → `/`, a Windows drive path gets `file:///`, and
/// every byte outside `A-Z a-z 0-9 - . _ ~ $ & ' ( ) * + , ; = : @ /` is percent-encoded
/// (so `!`, `%`, `#`, `?`, spaces and non-ASCII are).
pub fn uri_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2).is_none_or(|&b| b == b'/');
    let mut out = String::with_capacity(path.len() + 8);
    if drive {
        out.push_str("file:///");
    }
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~$&'()*+,;=@/".contains(&b)
            // A colon in the first segment would read as a scheme; keep it only for drives.
            || (b == b':' && (drive && i == 1 || path.get(..i).is_some_and(|p| p.contains('/'))));
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SARIF `level` for a severity.
pub fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low | Severity::Info => sarif::ResultLevel::Note,
    }
}

fn level_str(severity: Severity) -> &'static str {
    match level(severity) {
        sarif::ResultLevel::Error => "error",
        sarif::ResultLevel::Warning => "warning",
        sarif::ResultLevel::Note => "note",
        sarif::ResultLevel::None => "none",
    }
}

fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// GitHub code scanning's `security-severity` (a CVSS-like score, as a string).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri_path("dist/a-1.0.whl"), "dist/a-1.0.whl");
        assert_eq!(
            uri_path("my dir/a!b#c%d?.py"),
            "my%20dir/a%21b%23c%25d%3F.py"
        );
        assert_eq!(uri_path("C:\\x\\a.whl"), "file:///C:/x/a.whl");
        assert_eq!(uri_path("/abs/é.py"), "/abs/%C3%A9.py");
        assert_eq!(uri_path("a:b/c:d"), "a%3Ab/c:d");
    }

    #[test]
    fn what_it_does_section() {
        let doc = "## What it does\nFinds X.\n\n## Why it matters\nY.";
        assert_eq!(what_it_does(doc), Some("Finds X."));
        assert_eq!(what_it_does("no sections"), None);
    }

    #[test]
    fn levels() {
        assert!(matches!(
            level(Severity::Critical),
            sarif::ResultLevel::Error
        ));
        assert!(matches!(
            level(Severity::Medium),
            sarif::ResultLevel::Warning
        ));
        assert!(matches!(level(Severity::Info), sarif::ResultLevel::Note));
    }
}
