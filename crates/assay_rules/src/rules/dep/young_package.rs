//! DEP008 young-package (raised by `assay deps --online`; tests in `assay_deps::online`
//! and `crates/assay/tests/deps_online.rs`).

declare_rule! {
    /// ## What it does
    /// With `assay deps --online`, flags a dependency whose project was first published
    /// on the public registry fewer than `--min-age-days` days ago (default 7; medium),
    /// or whose pinned version is that young while the project is older (low). Dates:
    /// npm `time.created` / `time[version]`; PyPI the earliest
    /// `upload_time_iso_8601` of the project's / release's files; crates.io
    /// `crate.created_at` / `versions[].created_at`.
    ///
    /// ## Why it matters
    /// Malicious uploads are found and removed quickly — most within days — so the
    /// first days of a project or a release are when installing it is riskiest. Brand-new
    /// projects are how typosquats and slopsquats arrive; a brand-new release of an
    /// established project is how a hijacked maintainer token ships (LiteLLM 1.82.7 and
    /// 1.82.8 were live for hours in March 2026). Waiting a few days ("dependency
    /// cooldown", as in pnpm's `minimumReleaseAge` or uv's `--exclude-newer`) lets the
    /// registries' and researchers' scanners catch up.
    ///
    /// ## Example
    /// ```text
    /// # requirements.txt, checked the day after 1.82.8 was uploaded
    /// litellm==1.82.8
    /// ```
    ///
    /// ## False positives
    /// Any legitimate new project or release, especially right after a security fix
    /// that you do want. Lower `--min-age-days`, or suppress the finding with a reason.
    ///
    /// ## References
    /// - PyPI JSON API documentation (`releases`, `upload_time_iso_8601`)
    /// - npm registry API, packument `time` field
    /// - crates.io API `GET /api/v1/crates/{name}`, `created_at` fields
    /// - pnpm `minimumReleaseAge`; uv `--exclude-newer`
    pub static META = YoungPackage;
}
