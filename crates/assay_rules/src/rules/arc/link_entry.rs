//! ARC003 link-entry (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags symlink and hardlink entries; high when the target is absolute or escapes the archive.
    ///
    /// ## Why it matters
    /// A link followed by a later entry of the same name writes through it (link-then-write traversal); links also hide what a file really is.
    ///
    /// ## Example
    /// `pkg/data -> /home/user/.ssh`.
    ///
    /// ## False positives
    /// Some sdists contain harmless relative links (medium).
    ///
    /// ## References
    /// - CWE-59: Link Following
    pub static META = LinkEntry;
}
