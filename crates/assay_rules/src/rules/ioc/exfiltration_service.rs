//! IOC001 exfiltration-service-url.

use super::super::patterns::{EXFIL_SERVICES, matches};
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags strings that address public drop and interaction services: concrete Discord
    /// webhooks and Telegram bot tokens (in a `api.telegram.org/bot…` URL or on their own,
    /// `<bot id>:AA<33 characters>`), raw paste-site URLs, `webhook.site`, tunnels
    /// (ngrok, Cloudflare quick tunnels, serveo), out-of-band testing hosts (interactsh,
    /// oast.*, Burp Collaborator), request bins and anonymous file drops.
    ///
    /// ## Why it matters
    /// These services let an attacker receive stolen data without owning a server. A
    /// concrete webhook or bot token inside a package is a hard-coded exfiltration channel.
    ///
    /// ## Example
    /// ```python
    /// URL = "https://discord.com/api/webhooks/123456789012/FAKE-aaaaaaaaaaaaaaaaaaaaaaaaa"
    /// ```
    ///
    /// ## False positives
    /// Client libraries for these services contain URL *templates*, which do not match
    /// (a concrete id and token are required); test fixtures are low severity. A bare bot
    /// token must have the exact shape of a live one (8–10 digit id, `AA`, 33 characters),
    /// which documentation placeholders (`123456:ABC-DEF…`) do not. A bare bot
    /// token must have the exact shape of a live one (8–10 digit id, `AA`, 33 characters),
    /// which documentation placeholders (`123456:ABC-DEF…`) do not.
    ///
    /// ## References
    /// - MITRE ATT&CK T1567 (Exfiltration Over Web Service), T1102 (Web Service)
    pub static META = ExfiltrationServiceUrl;
}

/// Check the string literals of one Python text.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    for s in super::strings(f) {
        let hits = matches(&EXFIL_SERVICES, &s.value);
        if hits.is_empty() {
            continue;
        }
        // A concrete drop endpoint inside a package has no benign use outside tests.
        let sev = if f.is_test_or_doc() {
            Severity::Low
        } else {
            Severity::Critical
        };
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!("exfiltration endpoint: {}", s.value.trim()),
        );
        x.severity = sev;
        x.context = Some(s.context);
        x.capabilities = vec![Capability::Network];
        out.push(x);
    }
}
