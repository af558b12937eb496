//! CI005 artifact-poisoning: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags steps of a `workflow_run` workflow that download artifacts of the triggering run (`actions/download-artifact` with `run-id`/`github-token`, `dawidd6/action-download-artifact`, `gh run download`, github-script `downloadArtifact`). High when the same job publishes.
    ///
    /// ## Why it matters
    /// The triggering run may be a `pull_request` run from a fork: its artifacts are the fork author's bytes. The `workflow_run` workflow runs with secrets and a write token; unpacking, executing or publishing those bytes gives them away.
    ///
    /// ## Example
    /// `on: workflow_run` … `uses: dawidd6/action-download-artifact` then `run: ./dist/deploy.sh`.
    ///
    /// ## False positives
    /// Workflows that only read data from the artifact (a coverage number) and treat it as untrusted; workflows triggered only by runs that outsiders cannot start.
    ///
    /// ## References
    /// - GitHub Docs, "Events that trigger workflows" (`pull_request_target`, `workflow_run`)
    /// - GitHub Security Lab, "Keeping your GitHub Actions and workflows secure Part 1: preventing pwn requests"
    pub static META = ArtifactPoisoning;
}
