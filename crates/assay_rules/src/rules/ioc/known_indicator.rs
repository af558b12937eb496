//! IOC006 known-malicious-indicator.

use crate::context::Cx;
use assay_core::{Finding, Location, Severity};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Flags a domain, URL or IP address that a known-malicious-package advisory lists as
    /// an indicator of compromise (the `database_specific` IOCs of OpenSSF `MAL-` records,
    /// imported by `assay db update`), found in any file of the artifact: Python string
    /// literals (also decoded ones) and the raw bytes of every other file. Without an
    /// advisory index this rule finds nothing.
    ///
    /// ## Why it matters
    /// Campaigns reuse their infrastructure: the exfiltration host of one reported package
    /// turns up in its next versions and in its siblings under other names, before any
    /// advisory names those. A known campaign host in a package is decisive evidence.
    ///
    /// ## Example
    /// A `.pth` payload posting to the host named by the advisory of an earlier release.
    ///
    /// ## False positives
    /// Security tools and advisories that quote indicators. Shared services (code hosting,
    /// paste sites, chat, registries, clouds) are never indicators as bare hosts; only
    /// URLs with a path on them are.
    ///
    /// ## References
    /// - OpenSSF malicious-packages: `database_specific` IOCs in OSV records
    /// - OSV schema 1.6, `database_specific`
    pub static META = KnownMaliciousIndicator;
}

/// Most IOC006 findings per artifact.
const MAX_FINDINGS: usize = 20;
/// Largest non-Python file searched (bytes).
const MAX_FILE: usize = 16 << 20;

/// Check strings and file contents against the installed indicator set.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let Some(known) = crate::known_iocs::get() else {
        return;
    };
    let mut seen: HashSet<&str> = HashSet::new();
    let mut push = |loc: Location,
                    value: &'static str,
                    id: &'static str,
                    test: bool,
                    out: &mut Vec<Finding>| {
        if seen.len() >= MAX_FINDINGS || !seen.insert(value) {
            return;
        }
        let mut x = cx.finding(&META, loc, format!("`{value}` is an indicator of {id}"));
        if test {
            x.severity = Severity::Medium;
        }
        out.push(x);
    };
    for f in &cx.code {
        for s in &f.analysis.strings {
            for (_, value, id) in known.find(s.value.as_bytes()) {
                push(f.string_location(s), value, id, f.is_test_or_doc(), out);
            }
        }
    }
    for e in &cx.artifact.entries {
        if !e.complete || e.data.len() > MAX_FILE || e.file_kind == assay_core::FileKind::Python {
            continue;
        }
        for (at, value, id) in known.find(&e.data) {
            let line = memchr::memchr_iter(b'\n', e.data.get(..at).unwrap_or(&[])).count() + 1;
            let mut loc = Location::file(&e.path);
            loc.line = u32::try_from(line).ok();
            push(loc, value, id, crate::context::is_test_or_doc(&e.path), out);
        }
    }
}
