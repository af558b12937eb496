//! PY012 obfuscated-code.

use super::super::patterns::{OBFUSCATORS, matches};
use crate::context::Cx;
use assay_core::{Capability, Finding, Location, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags Python files that are obfuscated: markers of known obfuscators (PyArmor,
    /// BlankOBF, Hyperion, Kramer…), identifiers made of look-alike characters
    /// (`IlIlIl`, `O0O0O0`), or code that was reached only by decoding a literal (a decode
    /// chain) and itself decodes further.
    ///
    /// ## Why it matters
    /// Open-source packages are meant to be read. Obfuscation in a package from a public
    /// index hides what the code does from reviewers and scanners; in malware it is the
    /// norm.
    ///
    /// ## Example
    /// ```python
    /// IlIlIlIlIl = lambda O0O0O0O0O0: exec(O0O0O0O0O0)
    /// ```
    ///
    /// ## False positives
    /// Commercial packages protected with PyArmor are obfuscated on purpose (medium
    /// severity: review the vendor). Minified or generated code is not flagged unless it
    /// carries these markers.
    ///
    /// ## References
    /// - MITRE ATT&CK T1027 (Obfuscated Files or Information)
    pub static META = {
        code: "PY012",
        name: "obfuscated-code",
        family: Py,
        summary: "The code is deliberately obfuscated",
        severity: Medium,
        confidence: Medium,
        targets: [Python],
        cwe: Some("CWE-506"),
        attack: Some("T1027"),
    }
}

/// Check obfuscation markers per file.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for f in &cx.python {
        let a = &f.analysis;
        // Nested decoding: decoded code that decodes again.
        if let Some(e) = a.events.iter().find(|e| e.chain.len() >= 2 || (e.chain.len() == 1 && e.kind == EventKind::Exec)) {
            let mut x = cx.event_finding(&META, f, e, Severity::High, format!("code hidden under {} layer(s) of encoding: {}", e.chain.len(), e.chain.join(" → ")));
            x.capabilities = vec![Capability::Obfuscation];
            out.push(x);
            continue;
        }
        if f.pth_line.is_some() || !f.entry.complete {
            continue;
        }
        let text = String::from_utf8_lossy(&f.entry.data[..f.entry.data.len().min(1 << 20)]);
        let hits = matches(&OBFUSCATORS, &text);
        if hits.is_empty() {
            continue;
        }
        let line = text.lines().position(|l| !matches(&OBFUSCATORS, l).is_empty()).map(|i| i as u32 + 1);
        let sev = if a.events.iter().any(|e| e.kind == EventKind::Exec && e.context.is_automatic()) { Severity::High } else { Severity::Medium };
        let mut x = cx.finding(&META, Location { line, ..Location::file(f.entry.path.clone()) }, format!("obfuscator markers: {}", hits.join(", ")));
        x.severity = sev;
        x.capabilities = vec![Capability::Obfuscation];
        out.push(x);
    }
}
