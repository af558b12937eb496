//! CI019 hardcoded-container-credentials: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `credentials.password` of a `container:` or `services:` image written as a literal rather than an expression.
    ///
    /// ## Why it matters
    /// The password is in the repository for anyone who can read it, and in its history forever.
    ///
    /// ## Example
    /// `container: image: registry.example.com/app credentials: username: ci password: hunter2`.
    ///
    /// ## False positives
    /// Placeholder values in templates.
    ///
    /// ## References
    /// - GitHub Docs, "Workflow syntax: jobs.<job_id>.container.credentials"
    /// - CWE-798: Use of Hard-coded Credentials
    pub static META = HardcodedContainerCredentials;
}
