//! IOC005 kubernetes-token-access.

use super::super::patterns::KUBERNETES_TOKEN;
use crate::context::{Cx, by_context};
use assay_core::{Capability, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags the Kubernetes service-account credential path
    /// (`/var/run/secrets/kubernetes.io/serviceaccount/…`).
    ///
    /// ## Why it matters
    /// Inside a pod that token authenticates to the cluster API; the LiteLLM 2026 payload
    /// collected it along with cloud keys.
    ///
    /// ## Example
    /// ```python
    /// open("/var/run/secrets/kubernetes.io/serviceaccount/token").read()
    /// ```
    ///
    /// ## False positives
    /// The Kubernetes client and in-cluster tooling read it at runtime (info there).
    ///
    /// ## References
    /// - MITRE ATT&CK T1528 (Steal Application Access Token)
    pub static META = {
        code: "IOC005",
        name: "kubernetes-token-access",
        family: Ioc,
        summary: "Kubernetes service-account token path",
        severity: Medium,
        confidence: Medium,
        targets: [Python, Pth],
        cwe: Some("CWE-522"),
        attack: Some("T1528"),
    }
}

/// Check strings.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for (f, s) in super::strings(cx) {
        if !KUBERNETES_TOKEN.is_match(&s.value) || f.is_test_or_doc() {
            continue;
        }
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!("service-account path: {}", s.value.trim()),
        );
        x.severity = by_context(
            s.context,
            Severity::High,
            if f.role == assay_lang::FileRole::PackageInit {
                Severity::Medium
            } else {
                Severity::Info
            },
            Severity::Info,
        );
        x.context = Some(s.context);
        x.capabilities = vec![Capability::CredentialAccess];
        out.push(x);
    }
}
