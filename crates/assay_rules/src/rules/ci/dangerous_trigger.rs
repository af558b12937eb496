//! CI003 dangerous-trigger: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Looks at workflows triggered by `pull_request_target`, `workflow_run` or `issue_comment`. A job that checks out the untrusted head (`actions/checkout` with `ref:`/`repository:` naming the PR head or the triggering run's head, `refs/pull/…`, `gh pr checkout`, `git fetch … pull/…`) and then runs a script or a local action is high; the checkout alone is medium. A `pull_request_target`/`workflow_run` workflow with no such checkout is reported once, low, at the trigger.
    ///
    /// ## Why it matters
    /// These triggers run in the base repository with its secrets, a write token and its cache scope, on events anyone can cause. Building the pull request's code there hands all of that to the pull request's author ("pwn request").
    ///
    /// ## Example
    /// `on: pull_request_target` … `uses: actions/checkout` with `ref: ${{ github.event.pull_request.head.sha }}`, then `run: npm install`.
    ///
    /// ## False positives
    /// Workflows that check out the head only to read files (labelers, size checks) without running anything from it are medium; a later `run:` that does not touch the checkout still makes it high.
    ///
    /// ## References
    /// - GitHub Docs, "Events that trigger workflows" (`pull_request_target`, `workflow_run`)
    /// - GitHub Security Lab, "Keeping your GitHub Actions and workflows secure" (parts 1–4)
    pub static META = DangerousTrigger;
}
