//! `--format html`: one self-contained HTML file (inline CSS and SVG, no script, no
//! network, no CDN) for `scan`, `deps` and `history` reports.
//!
//! Layout: a summary (counts by verdict and findings), then one section per artifact
//! with its verdict and score and its findings grouped by rule (most severe rule first;
//! each finding with its location, evidence snippet and decode chain). A severity
//! filter (radio buttons; CSS `:has()`, so it works with scripts disabled) hides findings
//! below the chosen level. A `history` report (artifacts carry a `rank`) adds a timeline
//! of commit scores in date order as an inline SVG plot.
//!
//! The page is rendered by `minijinja` from `templates/report.html.j2`, embedded with
//! `include_str!`; every value is auto-escaped (the template's `.html` name turns HTML
//! escaping on), so text from the scanned input (paths, evidence, author names) cannot
//! inject markup. Output is deterministic for a given report.

use crate::Reporter;
use assay_core::{ArtifactReport, Finding, Report, RuleMeta, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io;

/// The embedded template.
const TEMPLATE: &str = include_str!("../templates/report.html.j2");

/// Width and height of the history timeline plot, in SVG user units (CSS pixels).
const PLOT: (f64, f64) = (960.0, 220.0);
/// Margin inside the plot for the axes, in SVG user units.
const PAD: f64 = 36.0;

/// Renders a report as one HTML page.
#[derive(Debug, Clone, Default)]
pub struct HtmlReporter {
    /// The page title (e.g. `assay scan`); `assay report` when empty.
    pub title: String,
}

/// `path:line:column`, as the text report prints it.
fn location(f: &Finding) -> String {
    let mut s = f.location.path.clone();
    if let Some(line) = f.location.line {
        s.push_str(&format!(":{line}"));
        if let Some(col) = f.location.column {
            s.push_str(&format!(":{col}"));
        }
    }
    s
}

/// One artifact's findings grouped by rule: the most severe rule first, then by code.
fn groups(a: &ArtifactReport) -> Vec<Value> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &a.findings {
        by_rule.entry(f.rule.code()).or_default().push(f);
    }
    let mut out: Vec<(Severity, &str, Value)> = by_rule
        .into_iter()
        .map(|(code, fs)| {
            let top = fs
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            let name = fs.first().map_or("", |f| f.rule.name());
            let summary = fs.first().map_or("", |f| f.rule.summary());
            let findings: Vec<Value> = fs
                .iter()
                .map(|f| {
                    json!({
                        "severity": f.severity.as_str(),
                        "confidence": f.confidence,
                        "context": f.context,
                        "location": location(f),
                        "evidence": f.evidence,
                        "chain": f.location.decode_chain,
                    })
                })
                .collect();
            let v = json!({
                "code": code,
                "name": name,
                "summary": summary,
                "severity": top.as_str(),
                "count": fs.len(),
                "findings": findings,
            });
            (top, code, v)
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    out.into_iter().map(|(_, _, v)| v).collect()
}

/// The history timeline: commits (artifacts with a `date`) in date order, x evenly
/// spaced, y by score; `None` for reports that are not histories or have < 2 dated
/// commits.
fn timeline(report: &Report) -> Option<Value> {
    if !report.artifacts.iter().any(|a| a.rank.is_some()) {
        return None;
    }
    let mut dated: Vec<&ArtifactReport> = report
        .artifacts
        .iter()
        .filter(|a| a.date.is_some())
        .collect();
    if dated.len() < 2 {
        return None;
    }
    dated.sort_by(|a, b| a.date.cmp(&b.date).then(a.path.cmp(&b.path)));
    let max = dated.iter().map(|a| a.score).fold(1.0_f64, f64::max).ceil();
    let (w, h) = PLOT;
    let step = (w - 2.0 * PAD) / (dated.len() - 1) as f64;
    let points: Vec<Value> = dated
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let x = PAD + step * i as f64;
            let y = h - PAD - (a.score / max) * (h - 2.0 * PAD);
            json!({
                "x": (x * 10.0).round() / 10.0,
                "y": (y * 10.0).round() / 10.0,
                "score": a.score,
                "verdict": a.verdict,
                "label": format!(
                    "{} {} — score {}",
                    a.date.as_deref().unwrap_or(""),
                    a.path.chars().take(12).collect::<String>(),
                    a.score
                ),
            })
        })
        .collect();
    let polyline = points
        .iter()
        .map(|p| format!("{},{}", p["x"], p["y"]))
        .collect::<Vec<_>>()
        .join(" ");
    Some(json!({
        "width": w,
        "height": h,
        "pad": PAD,
        "max": max,
        "first": dated.first().and_then(|a| a.date.clone()),
        "last": dated.last().and_then(|a| a.date.clone()),
        "points": points,
        "polyline": polyline,
    }))
}

/// The template's context for `report`.
fn context(report: &Report, title: &str) -> Value {
    let artifacts: Vec<Value> = report
        .artifacts
        .iter()
        .map(|a| {
            let mut counts = BTreeMap::new();
            for f in &a.findings {
                *counts.entry(f.severity.as_str()).or_insert(0u32) += 1;
            }
            json!({
                "path": a.path,
                "format": a.format,
                "name": a.name,
                "version": a.version,
                "verdict": a.verdict,
                "score": a.score,
                "rank": a.rank,
                "author": a.author,
                "date": a.date,
                "suppressed": a.suppressed,
                "omitted": a.omitted,
                "counts": counts,
                "groups": groups(a),
            })
        })
        .collect();
    json!({
        "title": if title.is_empty() { "assay report" } else { title },
        "tool": report.tool,
        "summary": report.summary,
        "advisory_data": report.advisory_data,
        "config": report.config,
        "unused_suppressions": report.unused_suppressions.len(),
        "history": report.artifacts.iter().any(|a| a.rank.is_some()),
        "timeline": timeline(report),
        "artifacts": artifacts,
        "levels": Severity::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}

impl Reporter for HtmlReporter {
    fn render(
        &self,
        report: &Report,
        _rules: &[&'static RuleMeta],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        // Rule names and summaries come from the findings' typed rules (the catalog).
        let mut env = minijinja::Environment::new();
        env.add_template("report.html", TEMPLATE)
            .map_err(io::Error::other)?;
        let tmpl = env.get_template("report.html").map_err(io::Error::other)?;
        let ctx = minijinja::Value::from(minijinja::value::Serde(context(report, &self.title)));
        let page = tmpl.render(ctx).map_err(io::Error::other)?;
        out.write_all(page.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::{ArtifactFormat, Confidence, Location, Rule, Verdict};

    fn render(report: &Report) -> String {
        let mut out = Vec::new();
        HtmlReporter::default()
            .render(report, &[], &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Text from the scanned input (paths, evidence, author names) is escaped: a hostile
    /// file name or string cannot add markup or script to the page.
    #[test]
    fn input_text_is_escaped() {
        let mut loc = Location::file("pkg/<img src=x onerror=alert(1)>.py");
        loc.decode_chain = vec!["line 1: <b>chain</b>".into()];
        let f = Finding::new(
            Rule::from_code("PY001").unwrap(),
            Severity::Critical,
            Confidence::High,
            loc,
            "exec(\"</code><script>alert(1)</script>\")",
        );
        let mut a = ArtifactReport::new(
            "evil<script>.whl",
            ArtifactFormat::Wheel,
            Verdict::Malicious,
            15.0,
            vec![f],
        );
        a.author = Some("Mallory <script>".into());
        let page = render(&Report::new(vec![a], Vec::new()));
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>chain"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "{page}"
        );
    }

    /// The summary cards carry the report's counts; findings are grouped by rule, the
    /// most severe rule first.
    #[test]
    fn summary_counts_and_grouping() {
        let find = |code: &str, s: Severity| {
            Finding::new(
                Rule::from_code(code).unwrap(),
                s,
                Confidence::Medium,
                Location::file("a.py"),
                "e",
            )
        };
        let a = ArtifactReport::new(
            "a.whl",
            ArtifactFormat::Wheel,
            Verdict::Suspicious,
            7.0,
            vec![
                find("PY007", Severity::Low),
                find("PY005", Severity::High),
                find("PY007", Severity::Low),
            ],
        );
        let b = ArtifactReport::new("b.whl", ArtifactFormat::Wheel, Verdict::Clean, 0.0, vec![]);
        let page = render(&Report::new(vec![a, b], Vec::new()));
        for (k, n) in [
            ("artifacts", 2),
            ("suspicious", 1),
            ("clean", 1),
            ("malicious", 0),
            ("findings", 3),
        ] {
            assert!(
                page.contains(&format!("data-count=\"{k}\">{n}<")),
                "{k}={n}: {page}"
            );
        }
        let py005 = page.find("<b class=\"mono\">PY005</b>").unwrap();
        let py007 = page.find("<b class=\"mono\">PY007</b>").unwrap();
        assert!(py005 < py007, "high before low");
        assert!(page.contains("×2"), "two PY007 findings in one group");
        assert!(!page.contains("<svg"), "a scan report has no timeline");
    }
}
