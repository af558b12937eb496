//! CI017 unredacted-secret-field: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `fromJSON(secrets.X)` (and fields of it): values parsed out of a secret.
    ///
    /// ## Why it matters
    /// GitHub masks a secret's exact value in logs, not pieces of it: a field of a JSON secret printed by a step appears in clear text.
    ///
    /// ## Example
    /// `env: PASSWORD: ${{ fromJSON(secrets.CREDS).password }}`.
    ///
    /// ## False positives
    /// Steps that never print the value; register it with `::add-mask::` first.
    ///
    /// ## References
    /// - GitHub Docs, "Using secrets in GitHub Actions" (redaction of structured data)
    pub static META = UnredactedSecretField;
}
