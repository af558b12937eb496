//! CI012 curl-pipe-shell: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `run:` lines that pipe `curl`/`wget`/`Invoke-WebRequest` output into a shell or interpreter (`| sh`, `| sudo bash`, `| python`, `bash <(curl …)`, `sh -c "$(curl …)"`).
    ///
    /// ## Why it matters
    /// The script is whatever the server returns at that moment, unverified and unpinned, and runs with the job's token and secrets (the Codecov bash uploader compromise, 2021).
    ///
    /// ## Example
    /// `run: curl -sSL https://example.com/install.sh | bash`.
    ///
    /// ## False positives
    /// Installers from the project's own domain that are checksummed elsewhere; the finding is hygiene (low).
    ///
    /// ## References
    /// - Codecov security update, April 2021 (bash uploader)
    /// - CWE-494: Download of Code Without Integrity Check
    pub static META = CurlPipeShell;
}
