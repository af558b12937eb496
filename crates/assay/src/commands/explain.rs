//! `assay explain CODE|NAME`: print a rule's documentation (from its doc comment).

use std::io::Write;

/// Print the doc of one rule; exit 2 when no rule has that code or name.
pub fn run(rule: &str) -> anyhow::Result<u8> {
    let Some(r) = assay_rules::find_rule(rule) else {
        anyhow::bail!("no rule with code or name `{rule}` (see `assay rules`)");
    };
    let m = r.meta.rule;
    let mut out = std::io::stdout().lock();
    writeln!(out, "# {} {}\n", m.code(), m.name())?;
    writeln!(out, "{}\n", m.summary())?;
    writeln!(out, "- default severity: {}", m.severity())?;
    writeln!(out, "- default confidence: {}", m.confidence())?;
    if let Some(c) = m.cwe() {
        writeln!(out, "- CWE: {c}")?;
    }
    if let Some(a) = m.attack() {
        writeln!(out, "- ATT&CK: {a}")?;
    }
    writeln!(out)?;
    for line in r.meta.doc.lines() {
        writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
    }
    Ok(crate::EXIT_OK)
}
