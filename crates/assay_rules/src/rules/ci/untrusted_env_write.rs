//! CI014 untrusted-env-write: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `run:` scripts that append to `$GITHUB_ENV` or `$GITHUB_PATH` in workflows with a privileged outsider trigger: high when the script expands outsider text directly or uses an env variable set from it, medium otherwise.
    ///
    /// ## Why it matters
    /// Lines written to `GITHUB_ENV` become environment variables of every later step; a newline in attacker text adds `LD_PRELOAD=…`, `NODE_OPTIONS=…` or `BASH_ENV=…` and turns the next step into the attacker's code.
    ///
    /// ## Example
    /// `env: TITLE: ${{ github.event.pull_request.title }}` and `run: echo "title=$TITLE" >> $GITHUB_ENV` on `pull_request_target`.
    ///
    /// ## False positives
    /// Writes of constant values on a privileged trigger (reported medium); use step outputs instead.
    ///
    /// ## References
    /// - Synacktiv, "GitHub Actions exploitation: repo jacking and environment manipulation"
    /// - GHSL-2024-177 (Litestar)
    pub static META = UntrustedEnvWrite;
}
