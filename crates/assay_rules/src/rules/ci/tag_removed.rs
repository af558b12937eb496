//! CI026 tag-removed: raised by `assay tags` (crates/assay_history/src/tags.rs); its must-match and
//! must-not-match tests are in crates/assay/tests/tags.rs.

declare_rule! {
    /// ## What it does
    /// Flags tags recorded in the tag lockfile that no longer exist.
    ///
    /// ## Why it matters
    /// A release whose tag disappeared can no longer be rebuilt from source or verified against its provenance; deleting and recreating a tag is also how a tag is moved.
    ///
    /// ## Example
    /// The lockfile records `v1.2.0`; the repository has no such tag any more.
    ///
    /// ## False positives
    /// Pre-release tags deleted on purpose: refresh the lockfile.
    ///
    /// ## References
    /// - git-tag(1)
    pub static META = TagRemoved;
}
