//! CI028 known-vulnerable-action: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `uses: owner/repo@ref` where the ref is a version, tag or commit that a GitHub Actions advisory (GHSA, OSV ecosystem "GitHub Actions") lists: a malicious commit (critical), a tag of a compromised action (high), a vulnerable version (medium). The list is embedded and offline (`assay_ci::advisories::ADVISORIES`, each entry with its GHSA id): tj-actions/changed-files (GHSA-mrrh-fwg8-r2c3, CVE-2025-30066), reviewdog/action-setup (GHSA-qmg3-hpqr-gqvc, CVE-2025-30154), atlassian/gajira-create (GHSA-4xqx-pqpj-9fqw), rlespinasse/github-slug-action (GHSA-6q4m-7476-932w), actions/download-artifact (GHSA-cxww-7g56-2vh6).
    ///
    /// ## Why it matters
    /// A version an advisory names is a known way in: tj-actions/changed-files' tags were moved to a commit that printed every secret of 23,000 repositories' runs into their logs, and reviewdog/action-setup's `v1` was the door to it. A workflow still naming those versions or that commit runs the known weakness.
    ///
    /// ## Example
    /// `uses: tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67` (critical); `uses: rlespinasse/github-slug-action@4.0.1` (medium).
    ///
    /// ## False positives
    /// A moving tag (`v45`, `v4.2`) resolves to the newest release of its line, so it matches only when every release of the line is affected: `rlespinasse/github-slug-action@v4` is not flagged (v4 now resolves past the fix 4.4.1). The tags of tj-actions/changed-files were restored after the incident; `@v45` is still flagged because the advisory lists every version before 46.0.1. A commit SHA is matched only against the malicious commits listed, not mapped to a version (that needs the action repository: a SHA of a vulnerable release is missed offline). assay's advisory database (`assay db`) has no GitHub Actions ecosystem yet, so the list is only as current as assay's release.
    ///
    /// ## References
    /// - GitHub Advisory Database, ecosystem "GitHub Actions": GHSA-mrrh-fwg8-r2c3, GHSA-qmg3-hpqr-gqvc, GHSA-4xqx-pqpj-9fqw, GHSA-6q4m-7476-932w, GHSA-cxww-7g56-2vh6
    /// - OSV, ecosystem "GitHub Actions" (<https://osv.dev/list?ecosystem=GitHub+Actions>)
    /// - CISA alert on CVE-2025-30066 (2025-03-18)
    pub static META = KnownVulnerableAction;
}
