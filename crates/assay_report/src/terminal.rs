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
//! Everything printed that comes from the scanned input (paths, evidence, decode steps)
//! has control characters and bidirectional-override characters escaped (`\u{1b}`), so
//! a hostile file name cannot move the cursor, recolour the terminal or reorder the
//! text it is shown in. Colour (ANSI) is used only when asked for; the caller decides
//! with [`crate::color_for_stdout`].

use crate::Reporter;
use anstyle::{AnsiColor, Style};
use assay_core::{ArtifactReport, Finding, Report, RuleMeta, Severity, Verdict};
use std::cmp::Reverse;
use std::io;

/// Renders the text format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextReporter {
    /// Emit ANSI colour codes.
    pub color: bool,
    /// List only artifacts whose verdict is not clean (then the summary line).
    pub quiet: bool,
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
        for artifact in &report.artifacts {
            if self.quiet && artifact.verdict == Verdict::Clean {
                continue;
            }
            render_artifact(artifact, paint, out)?;
            printed = true;
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
                    unused.index,
                    escape(&unused.rule),
                    escape(&unused.reason),
                )?;
            }
        }
        if printed {
            writeln!(out)?;
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

fn render_artifact(a: &ArtifactReport, paint: Paint, out: &mut dyn io::Write) -> io::Result<()> {
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
    )?;
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
    let rule_width = findings
        .iter()
        .map(|f| rule_label(f).chars().count())
        .max()
        .unwrap_or(0);
    for f in findings {
        let label = rule_label(f);
        let pad = rule_width.saturating_sub(label.chars().count());
        let location = if f.location.path.is_empty() {
            "(artifact)".to_owned()
        } else {
            escape(&f.location.display())
        };
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
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(
            escape("a\x1b[31mb\u{202e}c\td"),
            "a\\u{1b}[31mb\\u{202e}c\\u{9}d"
        );
        assert_eq!(escape("plain/é.py"), "plain/é.py");
    }
}
