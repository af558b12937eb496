//! Text output for people.
//!
//! Per artifact, the verdict comes first, then the path, what it is and the score, then
//! its findings, most severe first:
//!
//! ```text
//! MALICIOUS   dist/evil-1.0-py3-none-any.whl  (wheel evil 1.0, score 14.0)
//!   PY001 decode-then-exec  critical  evil/__init__.py:3:5  exec(zlib.decompress(…))  [import-time]
//!     via: line 3: base64.b64decode → zlib.decompress
//! CLEAN       dist/ok-2.0.tar.gz  (sdist ok 2.0, score 0.0)
//!
//! 2 artifacts: 1 malicious, 0 suspicious, 1 clean; 1 finding
//! ```
//!
//! Reading aids (issue 17, item 2), none of which changes a verdict, a score, an exit
//! code or the JSON/SARIF output:
//! - findings of one rule repeated [`GROUP_MIN`] or more times in one artifact print as
//!   one line, `ARC003 link-entry  medium  ×90 in data.tar.gz  <first evidence>`;
//!   `verbose` lists them all;
//! - `min_severity` hides findings below a severity, saying how many it hid;
//! - `quiet` prints only the verdict lines of artifacts that are not clean;
//! - `hide_clean` leaves clean artifacts out (history's default), saying how many;
//! - findings a bound left out ([`assay_core::Omitted`]) are always said;
//! - an installed environment split per distribution ends with a table of the
//!   distributions that are not clean (clean ones are listed with `verbose`).
//!
//! Everything printed that comes from the scanned input (paths, evidence, decode steps)
//! has control characters and bidirectional-override characters escaped (`\u{1b}`), so
//! a hostile file name cannot move the cursor, recolour the terminal or reorder the
//! text it is shown in. Colour (ANSI) is used only when asked for; the caller decides
//! with [`crate::color_for_stdout`].

use crate::Reporter;
use anstyle::{AnsiColor, Style};
use assay_core::{ArtifactFormat, ArtifactReport, Finding, Report, RuleMeta, Severity, Verdict};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::io;

/// Findings of one rule at least this many times in one artifact print as one line.
pub const GROUP_MIN: usize = 4;

/// Renders the text format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextReporter {
    /// Emit ANSI colour codes.
    pub color: bool,
    /// Print only the verdict lines of artifacts that are not clean, then the summary.
    pub quiet: bool,
    /// List every finding (no grouping) and every clean distribution of an environment.
    pub verbose: bool,
    /// Hide findings below this severity (display only).
    pub min_severity: Option<Severity>,
    /// Leave clean artifacts out, with a line saying how many.
    pub hide_clean: bool,
}

impl Reporter for TextReporter {
    fn render(
        &self,
        report: &Report,
        _rules: &[&'static RuleMeta],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let paint = Paint { color: self.color };
        let mut printed = false;
        let mut hidden_clean = 0usize;
        let mut hidden_commits = true;
        let envs = environments(report);
        for artifact in &report.artifacts {
            let clean = artifact.verdict == Verdict::Clean;
            // A clean distribution of an environment is counted in the table at the end.
            let in_env = envs.iter().any(|e| e.owns(artifact));
            if clean && (self.quiet || (in_env && !self.verbose)) {
                continue;
            }
            if clean && self.hide_clean && !self.verbose {
                hidden_clean += 1;
                hidden_commits &= artifact.format == ArtifactFormat::Commit;
                continue;
            }
            if self.quiet {
                verdict_line(artifact, paint, out)?;
            } else {
                self.render_artifact(artifact, paint, out)?;
            }
            printed = true;
        }
        if hidden_clean > 0 {
            printed = true;
            writeln!(
                out,
                "{}",
                paint.style(
                    &format!(
                        "{hidden_clean} clean {} not listed (--verbose lists them)",
                        if hidden_commits {
                            plural(hidden_clean, "commit", "commits")
                        } else {
                            plural(hidden_clean, "artifact", "artifacts")
                        }
                    ),
                    Style::new().dimmed()
                )
            )?;
        }
        if !self.quiet {
            for unused in &report.unused_suppressions {
                printed = true;
                writeln!(
                    out,
                    "{}: suppression #{} ({}) in assay.toml matched no finding: {}",
                    paint.style(
                        "warning",
                        Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()))
                    ),
                    unused.index + 1,
                    escape(&unused.rule),
                    escape(&unused.reason),
                )?;
            }
        }
        if printed {
            writeln!(out)?;
        }
        // `--quiet` is verdict lines and the summary only.
        if !self.quiet {
            for env in &envs {
                env.render_table(report, paint, self.verbose, out)?;
            }
            if let Some(data) = &report.advisory_data {
                writeln!(out, "{}", advisory_line(report, data))?;
            }
        }
        let s = &report.summary;
        let line = format!(
            "{} {}: {} malicious, {} suspicious, {} clean; {} {}",
            s.artifacts,
            plural(s.artifacts, "artifact", "artifacts"),
            s.malicious,
            s.suspicious,
            s.clean,
            s.findings,
            plural(s.findings, "finding", "findings"),
        );
        writeln!(out, "{}", paint.style(&line, Style::new().bold()))?;
        if let Some(config) = &report.config {
            writeln!(out, "config: {}", escape(config))?;
        }
        Ok(())
    }
}

/// `deps`/`guard`: how many packages were checked, against what advisory data.
fn advisory_line(report: &Report, data: &assay_core::AdvisoryData) -> String {
    let packages: usize = report.artifacts.iter().map(|a| a.packages.len()).sum();
    let checked = format!(
        "checked {packages} {}",
        plural(packages, "package", "packages")
    );
    match (&data.updated, data.age_days) {
        (Some(updated), Some(age)) => format!(
            "{checked} against {} advisory {} (updated {updated}, {age} {} old{}; source: {})",
            data.records,
            plural(
                usize::try_from(data.records).unwrap_or(usize::MAX),
                "record",
                "records"
            ),
            plural(usize::try_from(age).unwrap_or(usize::MAX), "day", "days"),
            if data.stale { ", STALE" } else { "" },
            escape(data.source.as_deref().unwrap_or("unknown")),
        ),
        _ => format!(
            "{checked}; no advisory data, so known-malicious and vulnerable versions were not checked (run `assay db update`)"
        ),
    }
}

fn verdict_line(a: &ArtifactReport, paint: Paint, out: &mut dyn io::Write) -> io::Result<()> {
    let verdict = format!("{:<11}", a.verdict.as_str().to_uppercase());
    let mut what = a.format.as_str().to_owned();
    for part in [&a.name, &a.version].into_iter().flatten() {
        what.push(' ');
        what.push_str(&escape(part));
    }
    writeln!(
        out,
        "{}{}  ({what}, score {:.1})",
        paint.style(&verdict, verdict_style(a.verdict)),
        escape(&a.path),
        a.score,
    )
}

/// One printed row: a single finding, or a group of one rule's findings.
enum Row<'a> {
    One(&'a Finding),
    Group(Vec<&'a Finding>),
}

impl TextReporter {
    fn render_artifact(
        &self,
        a: &ArtifactReport,
        paint: Paint,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        verdict_line(a, paint, out)?;
        let mut findings: Vec<&Finding> = a.findings.iter().collect();
        findings.sort_by(|x, y| {
            (
                Reverse(x.severity),
                Reverse(x.confidence),
                &x.location.path,
                x.location.line,
                x.location.column,
                x.rule,
            )
                .cmp(&(
                    Reverse(y.severity),
                    Reverse(y.confidence),
                    &y.location.path,
                    y.location.line,
                    y.location.column,
                    y.rule,
                ))
        });
        let mut below = 0usize;
        if let Some(min) = self.min_severity {
            findings.retain(|f| {
                let keep = f.severity >= min;
                below += usize::from(!keep);
                keep
            });
        }
        let rows = self.rows(&findings);
        let rule_width = findings
            .iter()
            .map(|f| rule_label(f).chars().count())
            .max()
            .unwrap_or(0);
        for row in rows {
            match row {
                Row::One(f) => finding_line(a, f, rule_width, paint, out)?,
                Row::Group(g) => group_line(a, &g, rule_width, paint, out)?,
            }
        }
        for o in &a.omitted {
            writeln!(
                out,
                "  {}",
                paint.style(
                    &format!(
                        "{} {}: {} more {} not listed (an artifact lists at most {} per rule)",
                        o.rule.code(),
                        o.rule.name(),
                        o.count,
                        plural(o.count, "finding", "findings"),
                        o.limit
                    ),
                    Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()))
                )
            )?;
        }
        if below > 0 {
            writeln!(
                out,
                "  {}",
                paint.style(
                    &format!(
                        "{below} {} below {} not shown (--min-severity)",
                        plural(below, "finding", "findings"),
                        self.min_severity.map_or("", Severity::as_str)
                    ),
                    Style::new().dimmed()
                )
            )?;
        }
        if a.suppressed > 0 {
            writeln!(
                out,
                "  {}",
                paint.style(
                    &format!(
                        "{} {} suppressed by assay.toml",
                        a.suppressed,
                        plural(a.suppressed, "finding", "findings")
                    ),
                    Style::new().dimmed()
                )
            )?;
        }
        Ok(())
    }

    /// The sorted findings as rows: a rule with [`GROUP_MIN`] or more findings becomes
    /// one group, placed where its first (most severe) finding was.
    fn rows<'a>(&self, findings: &[&'a Finding]) -> Vec<Row<'a>> {
        if self.verbose {
            return findings.iter().map(|f| Row::One(f)).collect();
        }
        let mut per_rule: BTreeMap<assay_core::Rule, Vec<&'a Finding>> = BTreeMap::new();
        for f in findings {
            per_rule.entry(f.rule).or_default().push(f);
        }
        let mut rows = Vec::new();
        for f in findings {
            match per_rule.get_mut(&f.rule) {
                Some(g) if g.len() >= GROUP_MIN => rows.push(Row::Group(std::mem::take(g))),
                Some(g) if g.is_empty() => {}
                _ => rows.push(Row::One(f)),
            }
        }
        rows
    }
}

/// Where a finding is: its location, or for a finding on the artifact as a whole, what
/// that artifact is (`commit 1a2b3c4d` for history, else the artifact's file name).
fn location_of(a: &ArtifactReport, f: &Finding) -> String {
    if !f.location.path.is_empty() {
        return escape(&f.location.display());
    }
    match a.format {
        ArtifactFormat::Commit => format!("commit {}", escape(a.path.get(..12).unwrap_or(&a.path))),
        _ => {
            let p = a.path.trim_end_matches('/');
            let name = p.rsplit(['/', '\\']).next().unwrap_or(p);
            escape(name)
        }
    }
}

fn finding_line(
    a: &ArtifactReport,
    f: &Finding,
    rule_width: usize,
    paint: Paint,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let label = rule_label(f);
    let pad = rule_width.saturating_sub(label.chars().count());
    let location = location_of(a, f);
    write!(
        out,
        "  {}{}  {}  {location}  {}",
        paint.style(&label, Style::new().bold()),
        " ".repeat(pad),
        paint.style(
            &format!("{:<8}", f.severity.as_str()),
            severity_style(f.severity)
        ),
        escape(&f.evidence),
    )?;
    if let Some(context) = f.context {
        write!(out, "  [{}]", context.as_str())?;
    }
    writeln!(out)?;
    if !f.location.decode_chain.is_empty() {
        let chain: Vec<String> = f.location.decode_chain.iter().map(|s| escape(s)).collect();
        writeln!(
            out,
            "    {}",
            paint.style(
                &format!("via: {}", chain.join(" → ")),
                Style::new().dimmed()
            )
        )?;
    }
    if !f.related.is_empty() {
        let hops: Vec<String> = f.related.iter().map(|l| escape(&l.display())).collect();
        writeln!(
            out,
            "    {}",
            paint.style(
                &format!("then: {}", hops.join(" → ")),
                Style::new().dimmed()
            )
        )?;
    }
    Ok(())
}

/// `ARC003 link-entry  medium  ×90 in data.tar.gz  <first evidence>  (--verbose lists all)`.
fn group_line(
    a: &ArtifactReport,
    g: &[&Finding],
    rule_width: usize,
    paint: Paint,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let Some(first) = g.first() else {
        return Ok(());
    };
    let label = rule_label(first);
    let pad = rule_width.saturating_sub(label.chars().count());
    let paths: Vec<&str> = g.iter().map(|f| f.location.path.as_str()).collect();
    let place = match common_place(&paths) {
        Some(p) => escape(p),
        None if paths.iter().all(|p| p.is_empty()) => location_of(a, first),
        None => {
            let mut distinct = paths.clone();
            distinct.sort_unstable();
            distinct.dedup();
            format!("{} files", distinct.len())
        }
    };
    writeln!(
        out,
        "  {}{}  {}  ×{} in {place}  first: {}  {}",
        paint.style(&label, Style::new().bold()),
        " ".repeat(pad),
        paint.style(
            &format!("{:<8}", first.severity.as_str()),
            severity_style(first.severity)
        ),
        g.len(),
        escape(&first.evidence),
        paint.style("(--verbose lists all)", Style::new().dimmed()),
    )
}

/// What a group of findings has in common: the one file they are all in, the archive
/// they are all inside (`data.tar.gz` for `data.tar.gz!/…`), or their deepest common
/// directory (`pkg/tests/`); `None` when nothing.
fn common_place<'p>(paths: &[&'p str]) -> Option<&'p str> {
    let first = *paths.first()?;
    if first.is_empty() {
        return None;
    }
    if paths.iter().all(|p| *p == first) {
        return Some(first);
    }
    if let Some((outer, _)) = first.split_once("!/")
        && paths
            .iter()
            .all(|p| p.split_once("!/").is_some_and(|(o, _)| o == outer))
    {
        return Some(outer);
    }
    // Deepest directory (ending in `/`) that is a prefix of every path.
    let mut end = 0;
    for (i, _) in first.match_indices('/') {
        let dir = first.get(..=i)?;
        if paths.iter().all(|p| p.starts_with(dir)) {
            end = i + 1;
        } else {
            break;
        }
    }
    (end > 0).then(|| first.get(..end)).flatten()
}

/// An installed environment split per distribution: the environment-level artifact and
/// the artifacts whose path is `<environment>!/<name>==<version>`.
struct EnvGroup<'r> {
    env: &'r ArtifactReport,
}

/// The environment-level artifacts of a report that has per-distribution artifacts.
fn environments(report: &Report) -> Vec<EnvGroup<'_>> {
    report
        .artifacts
        .iter()
        .filter(|a| a.format == ArtifactFormat::Environment && a.name.is_none())
        .map(|env| EnvGroup { env })
        .filter(|g| report.artifacts.iter().any(|a| g.owns(a)))
        .collect()
}

impl EnvGroup<'_> {
    /// Whether `a` is one of this environment's distributions.
    fn owns(&self, a: &ArtifactReport) -> bool {
        a.format == ArtifactFormat::Environment
            && a.name.is_some()
            && a.path
                .strip_prefix(self.env.path.as_str())
                .is_some_and(|rest| rest.starts_with("!/"))
    }

    /// The closing table: counts, then one line per distribution that is not clean
    /// (every distribution with `verbose`) and the environment-level findings.
    fn render_table(
        &self,
        report: &Report,
        paint: Paint,
        verbose: bool,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let dists: Vec<&ArtifactReport> =
            report.artifacts.iter().filter(|a| self.owns(a)).collect();
        let count = |v: Verdict| dists.iter().filter(|a| a.verdict == v).count();
        writeln!(
            out,
            "{}",
            paint.style(
                &format!(
                    "{}: {} installed {}: {} malicious, {} suspicious, {} clean",
                    escape(&self.env.path),
                    dists.len(),
                    plural(dists.len(), "distribution", "distributions"),
                    count(Verdict::Malicious),
                    count(Verdict::Suspicious),
                    count(Verdict::Clean),
                ),
                Style::new().bold()
            )
        )?;
        let mut rows: Vec<(&ArtifactReport, String)> = dists
            .iter()
            .filter(|a| verbose || a.verdict != Verdict::Clean)
            .map(|a| {
                let what = format!(
                    "{} {}",
                    a.name.as_deref().unwrap_or_default(),
                    a.version.as_deref().unwrap_or_default()
                );
                (*a, escape(what.trim()))
            })
            .collect();
        rows.sort_by(|x, y| {
            (Reverse(x.0.verdict), Reverse(OrdF64(x.0.score)), &x.1).cmp(&(
                Reverse(y.0.verdict),
                Reverse(OrdF64(y.0.score)),
                &y.1,
            ))
        });
        if !self.env.findings.is_empty() {
            rows.push((self.env, "(environment-level findings)".to_owned()));
        }
        let width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        for (a, what) in &rows {
            let pad = width.saturating_sub(what.chars().count());
            // The environment-level row shows its own findings; its verdict is the whole
            // environment's, which the counts line above already tells.
            let verdict = if std::ptr::eq(*a, self.env) {
                format!("{:<11}", "")
            } else {
                format!("{:<11}", a.verdict.as_str().to_uppercase())
            };
            let score = if std::ptr::eq(*a, self.env) {
                String::new()
            } else {
                format!("  score {:>5.1}", a.score)
            };
            writeln!(
                out,
                "  {}{what}{}{score}  {} {}",
                paint.style(&verdict, verdict_style(a.verdict)),
                " ".repeat(pad),
                a.findings.len(),
                plural(a.findings.len(), "finding", "findings"),
            )?;
        }
        let clean = count(Verdict::Clean);
        if !verbose && clean > 0 {
            writeln!(
                out,
                "  {}",
                paint.style(
                    &format!(
                        "{clean} clean {} not listed (--verbose lists them)",
                        plural(clean, "distribution", "distributions")
                    ),
                    Style::new().dimmed()
                )
            )?;
        }
        writeln!(out)
    }
}

/// Total order on scores (they are finite and rounded to one decimal).
struct OrdF64(f64);
impl PartialEq for OrdF64 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for OrdF64 {}
impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

fn rule_label(f: &Finding) -> String {
    format!("{} {}", escape(f.rule.code()), escape(f.rule.name()))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn verdict_style(v: Verdict) -> Style {
    let color = match v {
        Verdict::Malicious => AnsiColor::Red,
        Verdict::Suspicious => AnsiColor::Yellow,
        Verdict::Clean => AnsiColor::Green,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        Severity::Info => Style::new().dimmed(),
    }
}

/// Applies styles only when colour is on.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn style(self, text: &str, style: Style) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// Escape what a terminal would interpret: C0/C1 controls and DEL, and the Unicode
/// bidirectional controls (the "Trojan Source" characters), as `\u{…}`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_placed_where_its_findings_have_something_in_common() {
        // All inside one nested archive: the archive (`ARC003 ×90 in …tar.gz`).
        assert_eq!(
            common_place(&[
                "dateutil/zoneinfo/dateutil-zoneinfo.tar.gz!/Europe/Paris",
                "dateutil/zoneinfo/dateutil-zoneinfo.tar.gz!/UTC",
            ]),
            Some("dateutil/zoneinfo/dateutil-zoneinfo.tar.gz")
        );
        assert_eq!(common_place(&["a/x.py", "a/x.py"]), Some("a/x.py"));
        assert_eq!(common_place(&["a/b/x.py", "a/b/c/y.py"]), Some("a/b/"));
        assert_eq!(common_place(&["a/x.py", "b/y.py"]), None);
        assert_eq!(common_place(&["", ""]), None);
        assert_eq!(common_place(&[]), None);
    }

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(
            escape("a\x1b[31mb\u{202e}c\td"),
            "a\\u{1b}[31mb\\u{202e}c\\u{9}d"
        );
        assert_eq!(escape("plain/é.py"), "plain/é.py");
    }
}
