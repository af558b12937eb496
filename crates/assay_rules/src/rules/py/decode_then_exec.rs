//! PY001 decode-then-exec.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::{EventKind, Taint};

declare_rule! {
    /// ## What it does
    /// Flags `exec`, `eval`, `compile` and friends — and process starts (`os.system`,
    /// `subprocess`) — whose argument comes out of a decoder
    /// (base64/32/16, hex, zlib/gzip/bz2/lzma, rot13, `chr()` joins, `bytes([…])` from
    /// integers), a decryption routine (Fernet, AES, XOR with a key:
    /// `chr(ord(d[i]) ^ ord(k[i % len(k)]))`, `bytes(b ^ k for b in d)`) or
    /// `marshal.loads`, directly, through variables, through decoders wrapped in lambdas
    /// and through builtins renamed by tuple assignment (`A, B = exec, str`).
    ///
    /// ## Why it matters
    /// Hiding the real program inside an encoded blob and running it is the single most
    /// common shape of malicious Python packages: the blob defeats reviewers and string
    /// scanners, and `exec` runs it with the installing user's rights. assay decodes the
    /// blob itself (without running it) and reports what the hidden code does as further
    /// findings, with the decode chain in their location.
    ///
    /// ## Example
    /// ```python
    /// import base64
    /// exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2VjaG8gYXNzYXktY2FuYXJ5Jyk="))
    /// ```
    ///
    /// ## False positives
    /// Legitimate code almost never executes decoded data. Bootstrap scripts that embed a
    /// zipped copy of themselves (e.g. `get-pip.py`) decode and *import* rather than exec.
    /// In runtime-only code the severity is high rather than critical, except for a
    /// literal run through a cipher (XOR, substitution, Fernet) and executed: that is
    /// critical wherever it sits, since no ordinary library ships its own code encrypted.
    ///
    /// ## References
    /// - CWE-506: Embedded Malicious Code
    /// - MITRE ATT&CK T1027 (Obfuscated Files or Information), T1059.006 (Python)
    pub static META = DecodeThenExec;
}

/// Check one Python text (the engine calls this per Python text of the rule's targets).
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    let hidden = Taint::DECODED | Taint::DECRYPTED | Taint::CODE_OBJECT;
    // Executing decoded code, or starting a process whose command was decoded.
    for e in f.analysis.events.iter().filter(|e| {
        matches!(e.kind, EventKind::Exec | EventKind::ProcessSpawn) && e.taint.has(hidden)
    }) {
        // Code the package carries encrypted (a literal run through a cipher: XOR,
        // substitution, Fernet) and executes is how droppers hide their payload; no
        // ordinary library ships its own code that way, so the context does not soften it.
        let encrypted_literal = e.taint.has(Taint::DECRYPTED) && e.taint.has(Taint::LITERAL);
        let sev = if f.is_test_or_doc() {
            Severity::Medium
        } else if encrypted_literal {
            Severity::Critical
        } else {
            META.rule.severity_in(e.context)
        };
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!(
                "{} of {} data: {}",
                e.api,
                e.taint.names().join("+"),
                e.snippet
            ),
        );
        x.capabilities = vec![Capability::CodeExec, Capability::Obfuscation];
        out.push(x);
    }
}
