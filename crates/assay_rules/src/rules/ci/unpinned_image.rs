//! CI007 unpinned-image: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `container:` and `services:` images, `uses: docker://…` steps and Docker actions' `runs.image` that are not pinned by digest (`@sha256:`).
    ///
    /// ## Why it matters
    /// An image tag, `latest` above all, is resolved at run time; whoever can push to the repository of the image decides what runs in the job, with its token and secrets.
    ///
    /// ## Example
    /// `container: image: node:20` (pin: `node:20@sha256:…`).
    ///
    /// ## False positives
    /// Images from registries the repository controls; the finding is hygiene (low).
    ///
    /// ## References
    /// - Docker Docs, "Pin base image versions" (image digests)
    /// - GitHub Docs, "Running jobs in a container"
    pub static META = UnpinnedImage;
}
