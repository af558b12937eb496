//! PY006 credential-access.

use super::super::patterns::{DEV_CREDENTIALS, STEALER_TARGETS, matches};
use crate::context::{CodeFile, Cx, by_context};
use assay_core::{Capability, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags code that names credential stores: browser password and cookie databases and
    /// their encryption key (`Login Data`, `Local State`/`encrypted_key`, `key4.db`),
    /// chat-app token stores (Discord `leveldb`, Telegram `tdata`), crypto wallets; and
    /// developer secrets (`~/.ssh/id_*`, `~/.aws/credentials`, `~/.kube/config`, `.npmrc`,
    /// `.pypirc`, `.git-credentials`, `.netrc`, `/etc/shadow`, cloud CLI token caches).
    ///
    /// ## Why it matters
    /// Stealing these is what most malicious packages are for: one SSH key or cloud
    /// token opens far more than the machine that installed the package.
    ///
    /// ## Example
    /// ```python
    /// p = os.path.expanduser("~/.aws/credentials"); data = open(p).read()
    /// ```
    ///
    /// ## False positives
    /// Cloud SDKs and SSH libraries read their own credential files at runtime, so
    /// developer-secret paths in runtime code are low severity. Stealer targets (browser,
    /// wallet, chat-app stores) are high at import time, and at runtime when the same file
    /// also makes network calls; named at runtime in a file that sends nothing (a cookie
    /// importer such as yt-dlp's `--cookies-from-browser`) they are medium. Severity rises
    /// when the code runs automatically.
    ///
    /// ## References
    /// - CWE-522: Insufficiently Protected Credentials
    /// - MITRE ATT&CK T1555 (Credentials from Password Stores), T1552.001 (Credentials In Files)
    pub static META = CredentialAccess;
}

/// Check the string literals of one Python text.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    let test = f.is_test_or_doc();
    // At runtime a browser or wallet store named in a file that sends nothing is what
    // cookie importers and wallet tools do (yt-dlp's `--cookies-from-browser`): medium.
    // With a network call in the same file it is the stealer's shape: high.
    let sends = f.analysis.events.iter().any(|e| {
        matches!(
            e.kind,
            assay_lang::EventKind::Network | assay_lang::EventKind::Download
        )
    });
    let runtime = if sends {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut reported = 0;
    for s in &f.analysis.strings {
        // Credential paths are short strings; prose (docstrings, messages) is not access.
        if reported >= 5 || s.value.len() > 512 || s.in_table || crate::context::is_prose(&s.value)
        {
            continue;
        }
        let stealer = matches(&STEALER_TARGETS, &s.value);
        let dev = matches(&DEV_CREDENTIALS, &s.value);
        let sev = if !stealer.is_empty() {
            if test {
                Severity::Low
            } else {
                by_context(s.context, Severity::Critical, Severity::High, runtime)
            }
        } else if !dev.is_empty() {
            if test {
                continue;
            } else {
                by_context(s.context, Severity::High, Severity::Low, Severity::Info)
            }
        } else {
            continue;
        };
        reported += 1;
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!("credential store named: {}", s.value.trim()),
        );
        x.severity = sev;
        x.context = Some(s.context);
        x.capabilities = vec![Capability::CredentialAccess];
        out.push(x);
    }
}
