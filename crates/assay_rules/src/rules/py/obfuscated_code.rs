//! PY012 obfuscated-code.

use super::super::patterns::{OBFUSCATORS, matches};
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding, Location, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags Python files that are obfuscated: markers of known obfuscators (PyArmor,
    /// BlankOBF, Hyperion, Kramer…), identifiers made of look-alike characters
    /// (`IlIlIl`, `O0O0O0`), or code that was reached only by decoding a literal (a decode
    /// chain) and itself decodes further. A file that declares a PEP 263 codec in which
    /// it does not read as what it looks like (`# coding: unicode_escape` over
    /// `\x69\x6d…`, `utf_7`) is high: CPython decodes it before parsing, and assay
    /// analyses the decoded text.
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
    pub static META = ObfuscatedCode;
}

/// Check obfuscation markers per file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    let a = &f.analysis;
    // A PEP 263 codec in which the file does not read as what it looks like
    // (`unicode_escape`, `utf_7`, …): the code is hidden from readers and scanners.
    if let Some(c) = a
        .source_encoding
        .as_deref()
        .filter(|c| !assay_lang::decode::is_plain_codec(c))
    {
        let mut loc = assay_core::Location::file(f.entry.path.clone());
        loc.line = Some(1);
        let mut x = cx.finding(
            &META,
            loc,
            format!("source declared in the {c} codec (PEP 263): the file does not read as what it looks like"),
        );
        x.severity = if f.is_test_or_doc() {
            Severity::Medium
        } else {
            Severity::High
        };
        x.capabilities = vec![Capability::Obfuscation];
        out.push(x);
    }
    // Nested decoding: decoded code that decodes again.
    let layers = |e: &assay_lang::Event| {
        e.chain
            .iter()
            .filter(|s| {
                !s.contains("of a string")
                    && !s.contains("python -c")
                    && !s.contains("written to a file")
            })
            .count()
    };
    if let Some(e) = a
        .events
        .iter()
        .find(|e| layers(e) >= 2 || (layers(e) == 1 && e.kind == EventKind::Exec))
    {
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            Severity::High,
            format!(
                "code hidden under {} layer(s) of encoding: {}",
                layers(e),
                e.chain.join(" → ")
            ),
        );
        x.capabilities = vec![Capability::Obfuscation];
        out.push(x);
        return;
    }
    // An endpoint or command hidden by character arithmetic (`chr(ord(c) - 3)` joins).
    let hidden = a.strings.iter().find(|s| {
        s.chain
            .last()
            .is_some_and(|c| c.contains("joined from characters"))
            && (s.value.contains("://")
                || s.value.contains("powershell")
                || s.value.contains("/bin/")
                || s.value.contains(".exe"))
    });
    if let Some(s) = hidden {
        let network = a
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Network | EventKind::Download));
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!(
                "hides `{}` by building it character by character",
                s.value.trim()
            ),
        );
        x.severity = if f.is_test_or_doc() {
            Severity::Low
        } else if network {
            Severity::Critical
        } else {
            Severity::High
        };
        x.context = Some(s.context);
        x.capabilities = vec![Capability::Obfuscation];
        out.push(x);
        return;
    }
    // Ciphertext literals (XOR/custom ciphers) in code that runs by itself: long strings
    // whose characters are largely control bytes.
    if let Some(s) = a.strings.iter().find(|s| {
        matches!(
            s.context,
            ExecutionContext::InstallTime | ExecutionContext::Startup
        ) && s.chain.is_empty()
            && is_ciphertext(&s.value)
    }) {
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!(
                "encrypted-looking literal ({} chars) in {} code",
                s.value.chars().count(),
                s.context.as_str()
            ),
        );
        // Ciphertext in setup.py or a startup hook: the payload of what runs there.
        x.severity = Severity::Critical;
        x.context = Some(s.context);
        x.capabilities = vec![Capability::Obfuscation];
        out.push(x);
        return;
    }
    if f.pth_line.is_some() || !f.entry.complete {
        return;
    }
    let (text, hits) = text_hits(&f.entry.data);
    if hits.is_empty() {
        return;
    }
    let line = text
        .lines()
        .position(|l| !matches(&OBFUSCATORS, l).is_empty() || lookalike_identifiers(l) > 0)
        .map(|i| i as u32 + 1);
    // PyArmor is a commercial protector; the named tools and computed builtin lookups
    // are used almost only by malware.
    let commercial = hits.iter().all(|h| h.contains("pyarmor"));
    // A computed builtin lookup is the obfuscators' way to reach `exec`/`__import__`
    // without naming them. A file that hands `eval`/`exec` its own `__builtins__` table
    // is doing the opposite, building a restricted evaluator (python-hcl2's `safe_eval`
    // looks each allowed name up this way): unless it also decodes, decrypts or spawns,
    // that is high, not critical.
    let sandbox = text.contains("'__builtins__':") || text.contains("\"__builtins__\":");
    let payload = a.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::Decode | EventKind::Decrypt | EventKind::ProcessSpawn
        ) || (e.kind == EventKind::Exec && !sandbox)
    });
    let malware_tool = hits.iter().any(|h| {
        h.contains("BlankOBF") || h.contains("Hyperion") || (h.contains("__builtins__") && payload)
    });
    let sev = if (malware_tool
        || matches!(
            f.role,
            assay_lang::FileRole::SetupScript | assay_lang::FileRole::Startup
        ))
        && !f.is_test_or_doc()
    {
        // Nobody obfuscates a build script or a startup hook for a benign reason.
        Severity::Critical
    } else if !commercial
        || a.events
            .iter()
            .any(|e| e.kind == EventKind::Exec && e.context.is_automatic())
    {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut x = cx.finding(
        &META,
        Location {
            line,
            ..Location::file(f.entry.path.clone())
        },
        format!("obfuscator markers: {}", hits.join(", ")),
    );
    x.severity = sev;
    x.capabilities = vec![Capability::Obfuscation];
    out.push(x);
}

/// Distinct identifiers built only from look-alike characters (`I`/`l`/`1`, `O`/`0`),
/// at least 8 long, starting with a letter or `_`, and mixing both members of a pair
/// (so `IIIIIIII` in a test or a hex literal does not count).
/// The obfuscator signatures found in the first MiB of a Python text, and that text.
fn text_hits(data: &[u8]) -> (std::borrow::Cow<'_, str>, Vec<&'static str>) {
    let text = assay_core::lossy_text(&data[..data.len().min(TEXT_BYTES)]);
    let mut hits = matches(&OBFUSCATORS, &text);
    if lookalike_identifiers(&text) >= 3 {
        hits.push("look-alike identifiers (IlIl…/O0O0…)");
    }
    (text, hits)
}

/// How much of a Python text is searched for obfuscator signatures.
const TEXT_BYTES: usize = 1 << 20;

/// Whether this rule would read the text of the Python file `data` itself (it has an
/// obfuscator signature), so the text must be kept after its analysis.
pub(crate) fn reads_text(data: &[u8]) -> bool {
    !text_hits(data).1.is_empty()
}

fn lookalike_identifiers(text: &str) -> usize {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut seen = std::collections::BTreeSet::new();
    let mut i = 0;
    // One pass over the bytes: identifiers are ASCII here, so a non-ASCII byte (part of
    // a multi-byte character) ends a word exactly as the character would.
    while i < b.len() && seen.len() <= 16 {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        let w = &b[start..i];
        let core = &w[w.iter().take_while(|&&c| c == b'_').count()..];
        if core.len() < 8 || !matches!(core[0], b'I' | b'l' | b'O') {
            continue;
        }
        let il = core.iter().all(|c| matches!(c, b'I' | b'l' | b'1'))
            && core.contains(&b'I')
            && core.contains(&b'l');
        let o0 = core.iter().all(|c| matches!(c, b'O' | b'0'))
            && core.contains(&b'O')
            && core.contains(&b'0');
        if il || o0 {
            seen.insert(w);
        }
    }
    seen.len()
}

/// At least 64 characters, at least 10 % of them control characters other than
/// whitespace: the output of a byte cipher kept in a `str` literal.
fn is_ciphertext(s: &str) -> bool {
    let n = s.chars().count();
    if n < 64 {
        return false;
    }
    let ctrl = s
        .chars()
        .filter(|c| (*c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    ctrl * 10 >= n
}
