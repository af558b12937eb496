//! CI008 excessive-permissions: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `permissions: write-all` at workflow or job level (medium); write scopes set at workflow level in a workflow of several jobs where some job inherits them (low); and no `permissions:` at all on a workflow with a privileged outsider trigger, so its jobs get the repository's default token (medium).
    ///
    /// ## Why it matters
    /// Every job, and every action it uses, holds the `GITHUB_TOKEN` with these scopes. A compromised or injected step can push commits, move tags, create releases or mint OIDC tokens with whatever it was given.
    ///
    /// ## Example
    /// `permissions: write-all` on a job that only runs tests.
    ///
    /// ## False positives
    /// Repositories whose default token is read-only (an organisation setting assay cannot see): the missing-`permissions:` finding then overstates.
    ///
    /// ## References
    /// - GitHub Docs, "Controlling permissions for GITHUB_TOKEN"
    /// - CWE-250: Execution with Unnecessary Privileges
    pub static META = ExcessivePermissions;
}
