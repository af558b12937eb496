//! CI020 persisted-checkout-credentials: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags an `actions/upload-artifact` of the workspace (`.`, `${{ github.workspace }}`, a `.git` path, or an archive of `.` made by `tar`/`zip`) in a job whose `actions/checkout` keeps its default `persist-credentials: true`.
    ///
    /// ## Why it matters
    /// The checkout writes the job's token into `.git/config`; uploading the workspace publishes it in the artifact, readable by anyone who can read the repository's artifacts ("ArtiPACKED").
    ///
    /// ## Example
    /// `uses: actions/checkout@…` then `uses: actions/upload-artifact@… with: path: .`.
    ///
    /// ## False positives
    /// Uploads after the token expired (it lasts as long as the job), or repositories whose artifacts are private.
    ///
    /// ## References
    /// - Palo Alto Unit 42, "ArtiPACKED: Hacking Giants Through a Race Condition in GitHub Actions Artifacts" (2024)
    pub static META = PersistedCheckoutCredentials;
}
