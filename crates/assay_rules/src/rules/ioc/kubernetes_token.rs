//! IOC005 kubernetes-token-access.

use super::super::patterns::KUBERNETES_TOKEN;
use crate::context::{CodeFile, Cx};
use assay_core::Finding;

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
    pub static META = KubernetesTokenAccess;
}

/// Check the string literals of one Python text.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    super::credential_endpoint(cx, f, out, &META, &KUBERNETES_TOKEN, "service-account path");
}
