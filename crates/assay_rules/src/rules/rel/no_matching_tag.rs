//! REL006 no-matching-tag: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// `assay provenance`: no tag of the source repository names the published version
    /// (`v1.2.3`, `1.2.3`, `NAME-1.2.3`, `NAME@1.2.3`, `release-1.2.3`, …) and no `--rev`
    /// was given. Nothing can then be compared, so every finding of the artifact is
    /// reported.
    ///
    /// ## Why it matters
    /// A release published with a stolen token has no tag: LiteLLM 1.82.7 and 1.82.8 (2026)
    /// were uploaded to PyPI without any matching tag on GitHub.
    ///
    /// ## Example
    /// litellm 1.82.8 against a checkout whose last tag is `v1.82.6`.
    ///
    /// ## False positives
    /// Projects that do not tag releases, or tag them in another scheme; name the revision
    /// with `--rev`.
    ///
    /// ## References
    /// - LiteLLM PyPI compromise (2026)
    pub static META = NoMatchingTag;
}
