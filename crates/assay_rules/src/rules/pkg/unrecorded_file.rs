//! PKG007 unrecorded-file.

use super::env_record::Installed;
use crate::context::Cx;
use assay_core::{Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// In an installed environment, flags Python and `.pth` files that no distribution's
    /// `RECORD` lists: inside a directory a distribution owns, or `.pth` files at the top
    /// of site-packages.
    ///
    /// ## Why it matters
    /// Installers record every file they write. A file nobody recorded was dropped later —
    /// by a payload persisting itself, or by hand.
    ///
    /// ## Example
    /// `site-packages/zz_init.pth` that no RECORD names.
    ///
    /// ## False positives
    /// Files written by legacy `setup.py install`/`easy_install` (no RECORD), editable
    /// installs, and caches; `__pycache__` is ignored. Severity is medium for `.pth`, low
    /// for Python files.
    ///
    /// ## References
    /// - PEP 376 (RECORD), PEP 627 (Recording installed projects)
    /// - MITRE ATT&CK T1546.018 (Python Startup Hooks)
    pub static META = UnrecordedFile;
}

/// Find files nobody recorded.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let Some(inst) = Installed::read(cx) else {
        return;
    };
    if inst.records.is_empty() {
        return;
    }
    let (paths, owned) = inst.recorded();
    let mut n = 0;
    for e in &cx.artifact.entries {
        if paths.contains(&e.path) || e.path.contains("__pycache__") || e.path.contains('!') {
            continue;
        }
        let top = e.path.split('/').next().unwrap_or_default();
        let is_pth = e.path.ends_with(".pth") && !e.path.contains('/');
        let is_py = e.path.ends_with(".py") && owned.contains(top);
        if !(is_pth || is_py) {
            continue;
        }
        n += 1;
        if n > 50 {
            break;
        }
        let mut x = cx.finding(
            &META,
            Location::file(e.path.clone()),
            "no installed distribution's RECORD lists this file",
        );
        x.severity = if is_pth {
            Severity::Medium
        } else {
            Severity::Low
        };
        out.push(x);
    }
}
