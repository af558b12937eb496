//! SKILL005 confusable-name: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags a skill name (`SKILL.md` front matter) or a tool name that mixes Latin letters with Cyrillic, Greek or Armenian look-alikes (`gіthub` with a Cyrillic `і`); the evidence shows the look-alikes as `<U+XXXX>`.
    ///
    /// ## Why it matters
    /// A look-alike name impersonates a trusted skill or tool in a list the user and the model read, while being a different entry.
    ///
    /// ## Example
    /// `name: gіthub-helper` (U+0456 in place of `i`).
    ///
    /// ## False positives
    /// Names written wholly in another script are not reported; only mixes with Latin.
    ///
    /// ## References
    /// - Unicode Technical Standard #39: confusables and mixed-script detection
    /// - CWE-1007
    pub static META = ConfusableName;
}
