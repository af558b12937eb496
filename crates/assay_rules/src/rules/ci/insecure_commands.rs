//! CI018 insecure-commands: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `ACTIONS_ALLOW_UNSECURE_COMMANDS` set to a true value in workflow, job or step `env:`.
    ///
    /// ## Why it matters
    /// It re-enables the `::set-env::` and `::add-path::` log commands that GitHub disabled in 2020 (CVE-2020-15228): anything a step prints, including attacker text, can then set environment variables of later steps.
    ///
    /// ## Example
    /// `env: ACTIONS_ALLOW_UNSECURE_COMMANDS: true`.
    ///
    /// ## False positives
    /// None known; update the action that needed it.
    ///
    /// ## References
    /// - CVE-2020-15228
    /// - GitHub Changelog, "GitHub Actions: Deprecating set-env and add-path commands" (2020)
    pub static META = InsecureCommands;
}
