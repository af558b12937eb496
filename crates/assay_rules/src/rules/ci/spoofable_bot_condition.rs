//! CI021 spoofable-bot-condition: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `if:` conditions that compare `github.actor` or `github.triggering_actor` with a bot name (`dependabot[bot]`, `renovate[bot]`): medium when the workflow has outsider triggers, low otherwise.
    ///
    /// ## Why it matters
    /// `github.actor` is whoever caused the latest event, not the author of the code: an attacker can make the bot the last actor on their branch (e.g. by asking Dependabot to rebase) and pass the check.
    ///
    /// ## Example
    /// `if: github.actor == 'dependabot[bot]'` on `pull_request_target`.
    ///
    /// ## False positives
    /// Conditions that also check the pull request's author (`github.event.pull_request.user.login`).
    ///
    /// ## References
    /// - Synacktiv, "GitHub Actions exploitation: Dependabot" (2024)
    pub static META = SpoofableBotCondition;
}
