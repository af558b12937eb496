//! CI015 ai-agent-untrusted-input: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags AI coding-agent actions (`anthropics/claude-code-action`, `google-github-actions/run-gemini-cli`, `openai/codex-action`, pr-agent, …) in workflows outsiders can trigger. High on a privileged trigger when the job's token can write and no author-association/actor condition gates it (or its inputs expand outsider text); medium when the token is read-only or the trigger is unprivileged with outsider text in the prompt; low when gated.
    ///
    /// ## Why it matters
    /// The agent reads the issue, comment or pull request an outsider wrote and can run tools in the runner: a prompt injection becomes commands with the job's token and the model key (the 2025 agent-workflow prompt-injection disclosures).
    ///
    /// ## Example
    /// `on: issue_comment` … `uses: anthropics/claude-code-action@…` with `prompt: ${{ github.event.comment.body }}` and `contents: write`.
    ///
    /// ## False positives
    /// Agents confined to read-only tools and tokens (reported medium), or gated to members (low).
    ///
    /// ## References
    /// - Aikido Security, "PromptPwnd: prompt injection in GitHub Actions AI agents" (2025)
    /// - GitHub Docs, "Events that trigger workflows" (`pull_request_target`, `workflow_run`)
    pub static META = AiAgentUntrustedInput;
}
