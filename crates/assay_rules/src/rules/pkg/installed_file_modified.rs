//! PKG006 installed-file-modified.

use super::env_record::Installed;
use crate::context::Cx;
use assay_core::{Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// In an installed environment, hashes every file a distribution's `RECORD` lists and
    /// compares it with the recorded sha256 (PEP 376 / PEP 627; digests are urlsafe
    /// base64 without padding). A mismatch means the file changed after installation.
    ///
    /// ## Why it matters
    /// Post-install tampering — a backdoored `__init__.py`, an appended `.pth` line — is
    /// invisible to scanners that only look at what was downloaded.
    ///
    /// ## Example
    /// `requests/__init__.py` differs from the sha256 in `requests-2.32.3.dist-info/RECORD`.
    ///
    /// ## False positives
    /// Files edited on purpose by a developer (patching a dependency in place), and tools
    /// that rewrite shebangs or `__pycache__` (not hashed in RECORD). Python source and
    /// `.pth` files are high, other files medium.
    ///
    /// ## References
    /// - PEP 376 (RECORD), PEP 627 (Recording installed projects)
    /// - MITRE ATT&CK T1554 (Compromise Host Software Binary)
    pub static META = InstalledFileModified;
}

/// Compare hashes.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let Some(inst) = Installed::read(cx) else {
        return;
    };
    for (rec, r) in &inst.records {
        for row in &r.entries {
            let (Some(want), Some(path)) = (row.sha256(), Installed::resolve(rec, &row.path))
            else {
                continue;
            };
            let Some(entry) = inst.by_path.get(path.as_str()) else {
                continue;
            };
            let Some(have) = entry.sha256 else { continue };
            if have.as_slice() == want {
                continue;
            }
            let code = path.ends_with(".py") || path.ends_with(".pth");
            let mut x = cx.finding(
                &META,
                Location::file(path.clone()),
                format!("sha256 differs from {} (line {})", rec.path, row.line_no),
            );
            x.severity = if code {
                Severity::High
            } else {
                Severity::Medium
            };
            out.push(x);
        }
    }
}
