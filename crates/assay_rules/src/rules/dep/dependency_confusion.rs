//! DEP007 extra-index-confusion (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Flags a requirements file that adds a package index with `--extra-index-url` while
    /// some of its requirements are not pinned by `--hash`. The finding is on the option's
    /// line and counts the exposed requirements. It is **high** (the file is at least
    /// `suspicious`) when some of them are not pinned to a version either, and names
    /// them; medium when all are pinned with `==` (a public upload must then match the
    /// exact version).
    ///
    /// ## Why it matters
    /// pip treats every index as equal: it collects the candidates of all of them and
    /// installs the highest version, wherever it comes from. A package that is meant to come
    /// from the extra (private or vendor) index can therefore be replaced by anyone who
    /// uploads the same name with a higher version to PyPI — dependency confusion. This is
    /// how PyTorch's nightly builds installed a malicious `torchtriton` from PyPI in
    /// December 2022. Hash-pinned requirements (`--hash`, `--require-hashes`) refuse a
    /// substituted file, so a fully hashed file is not flagged.
    ///
    /// ## Example
    /// ```text
    /// --extra-index-url https://download.example.invalid/whl/nightly
    /// torch
    /// ```
    ///
    /// ## False positives
    /// An extra index that only mirrors PyPI. Prefer `--index-url` pointing at a proxy that
    /// serves private names first (or uv's default `first-index` strategy), or hash-pin.
    ///
    /// ## References
    /// - PyTorch: "Compromised PyTorch-nightly dependency chain between December 25th and December 30th, 2022"
    /// - Alex Birsan, "Dependency Confusion: How I Hacked Into Apple, Microsoft and Dozens of Other Companies" (2021)
    /// - pip documentation, `--extra-index-url`
    pub static META = ExtraIndexConfusion;
}
