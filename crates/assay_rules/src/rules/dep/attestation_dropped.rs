//! DEP015 attestation-dropped (raised for registry specs, `pypi:…` / `npm:…`, by
//! `assay_deps::registry`; tests there and in `crates/assay/tests/registry_specs.rs`).

declare_rule! {
    /// ## What it does
    /// When `assay scan` fetches a release named by a registry spec (`pypi:NAME==VERSION`,
    /// `npm:NAME@VERSION`), flags it when
    /// - **none** of its files has a provenance attestation while the project's previous
    ///   release (the latest version uploaded before it) had one, or
    /// - **some** of its files have one and others do not (the finding names the files
    ///   without).
    ///
    /// Attestations: PyPI's PEP 740 `provenance` key of each file in the PEP 691 JSON
    /// simple API (`data-provenance` on a PEP 503 HTML page); npm's
    /// `versions[V].dist.attestations` (npm provenance, SLSA). The attestations are not
    /// verified here: only their presence is compared. The finding belongs to the
    /// artifact named after the spec.
    ///
    /// ## Why it matters
    /// A project that publishes from CI with trusted publishing gets an attestation on
    /// every file, binding it to the repository and workflow that built it. A release
    /// uploaded by hand with a stolen API token cannot have one, so a release — or a
    /// single late wheel — without it, after releases that had it, is what a token
    /// theft looks like from the registry: Ultralytics 8.3.45 and 8.3.46 (December 2024)
    /// were uploaded with a stolen API token and, unlike the releases before them, had no
    /// attestation.
    ///
    /// ## Example
    /// ```text
    /// pkg 2.3.0   every file attested (PEP 740, GitHub Actions)
    /// pkg 2.3.1   no file attested     ← DEP015
    /// ```
    ///
    /// ## False positives
    /// A project that changes its release pipeline (a new CI, a manual release while CI is
    /// broken) or publishes some files (say, wheels built elsewhere) without trusted
    /// publishing. Check with the maintainers' release notes, and compare the release with
    /// the previous one (`assay diff`).
    ///
    /// ## References
    /// - PEP 740 (index support for digital attestations), PEP 691
    /// - npm documentation, "Generating provenance statements"
    /// - PyPI documentation, "Trusted Publishers"
    /// - PyPI blog, "Supply-chain attack analysis: Ultralytics" (December 2024)
    pub static META = AttestationDropped;
}
