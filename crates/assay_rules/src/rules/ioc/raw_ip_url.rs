//! IOC002 raw-ip-url.

use super::super::patterns::{RAW_IP_URL, is_public_ip};
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags URLs whose host is a literal public IPv4 address (loopback, private,
    /// link-local and documentation ranges are ignored).
    ///
    /// ## Why it matters
    /// Legitimate services are reached by name; command-and-control and payload servers of
    /// short-lived campaigns are often bare IPs.
    ///
    /// ## Example
    /// ```python
    /// urlopen("http://203.0.113.7:8080/payload")  # (documentation range: not flagged)
    /// ```
    ///
    /// ## False positives
    /// Public DNS resolvers and examples in docs or tests; test and doc files are low.
    ///
    /// ## References
    /// - MITRE ATT&CK T1071.001 (Web Protocols)
    pub static META = RawIpUrl;
}

/// Check the string literals of one Python text.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    for s in super::strings(f) {
        let Some(c) = RAW_IP_URL.captures(&s.value) else {
            continue;
        };
        let oct: Vec<u8> = (1..=4)
            .filter_map(|i| c.get(i).and_then(|m| m.as_str().parse().ok()))
            .collect();
        let Ok(oct) = <[u8; 4]>::try_from(oct) else {
            continue;
        };
        if !is_public_ip(oct) || oct == [8, 8, 8, 8] || oct == [1, 1, 1, 1] {
            continue;
        }
        let sev = if f.is_test_or_doc() {
            Severity::Info
        } else {
            META.rule.severity_in(s.context)
        };
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!("URL with IP host: {}", c.get(0).map_or("", |m| m.as_str())),
        );
        x.severity = sev;
        x.context = Some(s.context);
        x.capabilities = vec![Capability::Network];
        out.push(x);
    }
}
