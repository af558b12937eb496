//! PKG005 typosquat-name.

use crate::context::Cx;
use assay_core::{Finding, Location};

declare_rule! {
    /// ## What it does
    /// Compares the distribution's name with the bundled list of the 5,000 most
    /// downloaded PyPI projects (see `typosquat.rs` for its source and date) and flags
    /// names that differ only in separators, in a `py`/`python` affix or in look-alike
    /// characters, or by one or two typo-like edits (the model of DEP003
    /// `typosquat-dependency`). Names of the next 10,000 PyPI projects are known real
    /// projects and never flagged.
    ///
    /// ## Why it matters
    /// Typosquats catch mistyped `pip install` commands and careless requirement files;
    /// most malicious PyPI uploads use such names.
    ///
    /// ## Example
    /// `reqeusts`, `python-requests`, `seleeniumm`.
    ///
    /// ## False positives
    /// Legitimate projects with similar names exist; alone this is low severity and does
    /// not change a verdict, it adds weight to other findings.
    ///
    /// ## References
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain)
    pub static META = TyposquatName;
}

/// Check the metadata name.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let Some(name) = cx.name() else { return };
    if let Some((target, how)) = crate::typosquat::squats(name) {
        let path = cx
            .artifact
            .entries
            .iter()
            .find(|e| e.file_kind == assay_core::FileKind::CoreMetadata)
            .map(|e| e.path.clone())
            .unwrap_or_default();
        out.push(cx.finding(
            &META,
            Location::file(path),
            format!("`{name}` imitates `{target}` ({how})"),
        ));
    }
}
