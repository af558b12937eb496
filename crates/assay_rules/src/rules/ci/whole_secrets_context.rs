//! CI010 whole-secrets-context: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags expressions that serialise the whole `secrets` context (`toJSON(secrets)`, also inside `format`) or index it with a computed key (`secrets[matrix.name]`).
    ///
    /// ## Why it matters
    /// Every secret of the repository is then in the runner's memory and environment, not only the one the step needs; any compromised step or action reads them all.
    ///
    /// ## Example
    /// `env: ALL: ${{ toJSON(secrets) }}`.
    ///
    /// ## False positives
    /// Workflows that deliberately fan secrets out to a trusted tool; name the secrets instead.
    ///
    /// ## References
    /// - GitHub Docs, "Evaluate expressions in workflows and actions"
    /// - GitHub Docs, "Using secrets in GitHub Actions"
    pub static META = WholeSecretsContext;
}
