//! CI016 outsider-to-publish-path: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Joins the workflows of one repository into a graph of jobs, triggers, caches (by cache id or key prefix), artifacts and publish steps, and reports a path from a job where an outsider's code or text runs with base-repository privileges (an injection or an untrusted checkout on a privileged trigger; for artifacts, a `pull_request` job) to a job that publishes. Every hop is a location of the finding (`related`). Critical when every hop is named (the entry writes the cache the publisher restores, uploads the artifact it downloads, or publishes itself); high when the publisher restores a cache the entry could write without a matching cache step (the runtime token writes any key).
    ///
    /// ## Why it matters
    /// Each weakness alone is a finding of its own rule; the path is what turns them into a compromised release. Ultralytics 8.3.41 (2024): a branch-name injection in a `pull_request_target` workflow wrote the GitHub Actions cache, the release workflow restored it and published a crypto-mining wheel with valid trusted-publishing provenance.
    ///
    /// ## Example
    /// `format.yml` (`pull_request_target`) runs `echo ${{ github.head_ref }}` and uses `setup-python` with `cache: pip`; `publish.yml` (`on: release`) uses `setup-python` with `cache: pip` and `pypa/gh-action-pypi-publish`.
    ///
    /// ## False positives
    /// Entries whose injection cannot be exploited in practice (a field GitHub constrains); publishers that verify what they restore. Paths through step or job outputs are not followed.
    ///
    /// ## References
    /// - Ultralytics security incident report (December 2024)
    /// - Adnan Khan, "The Monsters in Your Build Cache" (2024)
    pub static META = OutsiderToPublishPath;
}
