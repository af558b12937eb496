//! DEP009 maintainer-change (raised by `assay deps --online` for npm and crates.io; tests in
//! `assay_deps::online` and `crates/assay/tests/deps_online.rs`).

declare_rule! {
    /// ## What it does
    /// With `assay deps --online`, flags an npm dependency whose pinned version was
    /// published by an account (`versions[v]._npmUser`) that was not among the
    /// maintainers of the version published before it (`versions[prev].maintainers`,
    /// ordered by the packument's `time`), or whose maintainer list shares nobody with
    /// the previous version's. For a crates.io dependency (no maintainer list per
    /// version), flags a pinned version published (`versions[].published_by.login`) by
    /// an account that published none of the earlier versions.
    ///
    /// ## Why it matters
    /// A package taken over by someone new is a classic supply-chain attack: in 2018 the
    /// original author of `event-stream` handed it to a stranger, who published 3.3.6 with
    /// the malicious `flatmap-stream` dependency. The first release by a new hand deserves
    /// a review before it is installed.
    ///
    /// PyPI is not checked: its JSON API has no uploader or maintainer per release
    /// (`info.author`/`info.maintainer` are self-declared metadata anyone uploading can
    /// copy), and project roles are not in the API.
    ///
    /// ## Example
    /// ```text
    /// event-stream 3.3.6 was published by `right9ctrl`, who maintained the previous
    /// version 3.3.5 (dominictarr): no
    /// ```
    ///
    /// ## False positives
    /// Projects whose team grows or rotates, and organisations that publish from a
    /// release bot account added for the occasion. Suppress with a reason once reviewed.
    ///
    /// ## References
    /// - npm registry API, packument `versions[]._npmUser` and `maintainers`
    /// - crates.io API `GET /api/v1/crates/{name}`, `versions[].published_by`
    /// - GHSA-mh6f-8j2x-4483 (event-stream / flatmap-stream)
    pub static META = MaintainerChange;
}
