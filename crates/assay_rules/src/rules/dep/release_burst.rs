//! DEP013 release-burst (raised for registry specs, `pypi:…` / `npm:…`, by
//! `assay_deps::registry`; tests there and in `crates/assay/tests/registry_specs.rs`).

declare_rule! {
    /// ## What it does
    /// When `assay scan` fetches a release named by a registry spec (`pypi:NAME==VERSION`,
    /// `npm:NAME@VERSION`), reads the upload times of every version of the project and
    /// flags the fetched release when either
    /// - it is one of **three or more versions uploaded less than 12 hours apart** from
    ///   one another, and the release before that run came **30 days or more** earlier
    ///   (a quiet project that suddenly publishes in quick succession), or
    /// - one of its files was uploaded **7 days or more after** the release's first file
    ///   (a file added to an existing release; the finding names it).
    ///
    /// Upload times: PyPI the PEP 700 `upload-time` of each file in the PEP 691 JSON
    /// simple API (a PEP 503 HTML page has none, so nothing is flagged from it); npm the
    /// packument's `time[version]` (one tarball per version, so only the first case
    /// applies). The finding belongs to the artifact named after the spec.
    ///
    /// ## Why it matters
    /// A stolen publishing token is used quickly: the attacker uploads, finds a mistake or
    /// a detection, and uploads again — LiteLLM 1.82.7 and 1.82.8 (March 2026) were
    /// published within hours of each other, outside the project's release process. And
    /// a version that everyone already pins can be poisoned without a new version number
    /// by adding a file to it: a wheel for a new platform tag, uploaded weeks later, that
    /// installers prefer over the sdist.
    ///
    /// ## Example
    /// ```text
    /// pkg 1.4.0   2025-06-01
    /// pkg 1.4.1   2026-03-24 10:02   ← 296 days later, then
    /// pkg 1.4.2   2026-03-24 13:40      three versions within four hours
    /// pkg 1.4.3   2026-03-24 14:15
    /// ```
    ///
    /// ## False positives
    /// A project that wakes up to fix a broken release with a quick series of patch
    /// releases; projects that add wheels for a new Python version to old releases
    /// (common for compiled packages). It is context for a review (severity low), not
    /// proof: read the diff of the release (`assay diff`) before deciding.
    ///
    /// ## References
    /// - PEP 691 (JSON-based simple API), PEP 700 (`upload-time`)
    /// - npm registry API, packument `time` field
    /// - LiteLLM security advisory, March 2026 (1.82.7, 1.82.8)
    pub static META = ReleaseBurst;
}
