//! PKG008 record-path-escape.

use super::env_record::Installed;
use crate::context::Cx;
use assay_core::{Finding, Location};

declare_rule! {
    /// ## What it does
    /// Flags `RECORD` rows whose path is absolute or climbs (`../`) out of the
    /// environment: a wheel installed them outside `sys.prefix`.
    ///
    /// ## Why it matters
    /// Wheels may install scripts and data under the environment's prefix
    /// (`../../../bin/tool`); anything beyond it — `~/.bashrc`, `/etc/…` — is an attempt to
    /// plant files in the user's home or the system through the installer.
    ///
    /// ## Example
    /// `../../../../../home/user/.config/autostart/x.desktop,sha256=…,120`
    ///
    /// ## False positives
    /// None known for installer-written RECORDs.
    ///
    /// ## References
    /// - PEP 427 (`.data` directory scheme), PEP 376 (RECORD)
    /// - CWE-22: Path Traversal
    pub static META = RecordPathEscape;
}

/// Site-packages sits three levels below the prefix on POSIX (`lib/pythonX.Y/site-packages`).
const SITE_DEPTH: usize = 3;

/// Check RECORD paths.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let Some(inst) = Installed::read(cx) else {
        return;
    };
    let prefix = cx.artifact.env_prefix.clone().unwrap_or_default();
    for (rec, r) in &inst.records {
        for row in &r.entries {
            let p = &row.path;
            let ups = p.split('/').take_while(|c| *c == "..").count();
            let absolute =
                p.starts_with('/') || p.get(1..3) == Some(":\\") || p.get(1..3) == Some(":/");
            let escapes =
                ups > SITE_DEPTH || (absolute && (prefix.is_empty() || !p.starts_with(&prefix)));
            if escapes {
                let loc = Location {
                    line: Some(row.line_no as u32),
                    ..Location::file(rec.path.clone())
                };
                out.push(cx.finding(
                    &META,
                    loc,
                    format!("installed outside the environment: {p}"),
                ));
            }
        }
    }
}
