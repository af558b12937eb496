//! IOC rules: indicators of compromise found as data (strings) in code.

pub mod cloud_metadata;
pub mod exfiltration_service;
pub mod known_indicator;
pub mod kubernetes_token;
pub mod mining_pool;
pub mod raw_ip_url;

use crate::context::{CodeFile, Cx};
use assay_lang::StrLit;

/// Every string literal of one code text, skipping huge ones, prose (docstrings and
/// messages name services in examples; indicators in real code are short literals, and
/// code hidden in a string is analysed as a child instead) and the elements of large
/// literal tables (a public-suffix list names `eu.ngrok.io` as a domain suffix, not as
/// an endpoint; [`StrLit::in_table`]).
pub(crate) fn strings<'f>(f: &'f CodeFile<'_>) -> impl Iterator<Item = &'f StrLit> {
    f.analysis
        .strings
        .iter()
        .filter(|s| s.value.len() <= 8192 && !s.in_table && !crate::context::is_prose(&s.value))
}

/// Shared check of the credential-endpoint indicators (IOC004, IOC005): severity by
/// context — high where the code runs by itself, medium in a package `__init__`, info
/// at runtime (SDKs use these endpoints on request).
pub(crate) fn credential_endpoint(
    cx: &Cx,
    f: &CodeFile,
    out: &mut Vec<assay_core::Finding>,
    meta: &assay_core::RuleMeta,
    set: &regex::RegexSet,
    label: &str,
) {
    use crate::context::by_context;
    use assay_core::{Capability, Severity};
    for s in strings(f) {
        if !set.is_match(&s.value) || f.is_test_or_doc() {
            continue;
        }
        let mut x = cx.finding(
            meta,
            f.string_location(s),
            format!("{label}: {}", s.value.trim()),
        );
        let import = if f.role == assay_lang::FileRole::PackageInit {
            Severity::Medium
        } else {
            Severity::Info
        };
        x.severity = by_context(s.context, Severity::High, import, Severity::Info);
        x.context = Some(s.context);
        x.capabilities = vec![Capability::CredentialAccess];
        out.push(x);
    }
}
