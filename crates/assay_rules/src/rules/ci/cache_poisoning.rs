//! CI004 cache-poisoning: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags a cache restore (`actions/cache`, `actions/cache/restore`, `setup-python`/`setup-node`/`setup-java`/`setup-dotnet` with `cache:`, `setup-go`, `Swatinem/rust-cache`, `setup-uv` with `enable-cache`, sccache) in a job that publishes: a publish step (`pypa/gh-action-pypi-publish`, `twine upload`, `npm publish`, `cargo publish`, `docker push`, `gh release create`, release actions …, not `--dry-run`) or any job of a workflow that runs only on releases or tag pushes.
    ///
    /// ## Why it matters
    /// Caches are shared across the workflows of a branch scope, and release runs read the default branch's caches. Any job that runs attacker code on the default branch (an injection in a `pull_request_target` workflow) can write cache entries, and the release job then builds from them: this is how the Ultralytics wheels were poisoned. Cross-workflow paths that end here are `CI016`.
    ///
    /// ## Example
    /// `on: release` … `uses: actions/setup-java` with `cache: gradle`, then `./gradlew publishToMavenCentral`.
    ///
    /// ## False positives
    /// A release job whose cache holds only tools it verifies, or a repository where no workflow runs outsider code on the default branch (then nothing can write the cache but the repository's own runs).
    ///
    /// ## References
    /// - Adnan Khan, "The Monsters in Your Build Cache – GitHub Actions Cache Poisoning" (2024)
    /// - GitHub Docs, "Caching dependencies to speed up workflows" (cache scope and branch restrictions)
    pub static META = CachePoisoning;
}
