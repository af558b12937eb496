//! ARC003 link-entry (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags symlink and hardlink entries: high when the target is absolute or escapes the
    /// archive; medium when it stays inside but the link's own name is a file Python runs
    /// by itself (`setup.py`, a `.pth`, `sitecustomize.py`), so what runs is another
    /// member; low for any other alias inside the archive; info inside a data archive the
    /// package ships.
    ///
    /// ## Why it matters
    /// A link followed by a later entry of the same name writes through it (link-then-write traversal); links also hide what a file really is.
    ///
    /// ## Example
    /// `pkg/data -> /home/user/.ssh`.
    ///
    /// ## False positives
    /// Many sdists hold harmless relative links (`CLAUDE.md -> AGENTS.md`, a license shared
    /// between folders, one `__init__.py` reused by sibling packages): they are low, so they
    /// are listed without changing a verdict. Measured on the wide benign set, medium
    /// made 8 popular sdists `suspicious`.
    ///
    /// ## References
    /// - CWE-59: Link Following
    pub static META = LinkEntry;
}
