//! CI011 self-hosted-runner: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags jobs whose `runs-on` includes `self-hosted`: low in general, high when the workflow has a trigger outsiders can cause (`pull_request`, `pull_request_target`, issues, comments).
    ///
    /// ## Why it matters
    /// A self-hosted runner is a persistent machine in your network. Code from a fork's pull request that runs there can persist, read other jobs' secrets and pivot (the PyTorch runner compromise, 2024).
    ///
    /// ## Example
    /// `runs-on: [self-hosted, linux]` in an `on: pull_request` workflow.
    ///
    /// ## False positives
    /// Ephemeral, isolated self-hosted runners (e.g. one VM per job) and private repositories; assay cannot see either.
    ///
    /// ## References
    /// - GitHub Docs, "Security hardening for self-hosted runners"
    /// - John Stawinski, "Playing with Fire – How We Executed a Critical Supply Chain Attack on PyTorch" (2024)
    pub static META = SelfHostedRunner;
}
