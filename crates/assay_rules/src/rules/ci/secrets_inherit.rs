//! CI009 secrets-inherit: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags a reusable-workflow call with `secrets: inherit`: medium when the called workflow is in another repository (`owner/repo/.github/workflows/x.yml@ref`), low for the repository's own (`./.github/workflows/…`).
    ///
    /// ## Why it matters
    /// `inherit` passes every secret of the calling repository, including ones the callee never needs; a compromised callee gets them all.
    ///
    /// ## Example
    /// `uses: org/shared/.github/workflows/build.yml@main` with `secrets: inherit` (forward only `secrets: { token: ${{ secrets.TOKEN }} }`).
    ///
    /// ## False positives
    /// Callees that are the repository's own workflows (reported low).
    ///
    /// ## References
    /// - GitHub Docs, "Reusing workflows: passing inputs and secrets"
    pub static META = SecretsInherit;
}
