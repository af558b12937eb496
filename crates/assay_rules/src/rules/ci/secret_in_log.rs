//! CI027 secret-in-log: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `run:` scripts that print a secret to the job log: `echo`/`printf` of a secret expression or of an env variable set from `secrets.*` (or `github.token`), `env`/`printenv` listing an environment that holds one, shell tracing (`set -x`, `shell: bash -x`) before a command that uses one, and `cat` of a file written from one earlier in the job. High when the value printed is derived from the secret — piped through `base64`, `rev`, `xxd`, `sed`, `cut`… or sliced with a shell expansion (`${T:0:8}`, `${T//a/b}`); low when it is the exact value.
    ///
    /// ## Why it matters
    /// Job logs of a public repository are public. The runner masks the exact value of each registered secret (and some common encodings), but not values derived from it: GitHub's own hardening guide warns that redaction "is not guaranteed" once a value is transformed. The tj-actions/changed-files compromise (CVE-2025-30066) leaked secrets by printing them base64-encoded twice. An exact value printed is masked today, which is why it is only low: it is one edit (or one tool that re-encodes its input) away from a leak, and masking fails for multi-line and structured secrets.
    ///
    /// ## Example
    /// `run: echo "$API_KEY" | base64 | base64` with `env: API_KEY: ${{ secrets.API_KEY }}` (high); `run: echo ${{ secrets.NPM_TOKEN }}` (low).
    ///
    /// ## False positives
    /// Not flagged: `echo "::add-mask::$T"`, a secret piped into a command that reads it from stdin (`| docker login --password-stdin`), written to a file (`>> "$GITHUB_ENV"`, `> ~/.npmrc`), its length (`${#T}`). The script is read line by line, not parsed as shell: a secret printed through a function or a here-document is missed, and PowerShell (`Write-Host $env:T`) is not read.
    ///
    /// ## References
    /// - GitHub Docs, "Security hardening for GitHub Actions": using secrets, redaction of transformed values
    /// - GitHub Docs, "Workflow commands for GitHub Actions": masking a value in a log (`::add-mask::`)
    /// - GHSA-mrrh-fwg8-r2c3 (tj-actions/changed-files, CVE-2025-30066)
    pub static META = SecretInLog;
}
