//! REL001 startup-hook-added: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// Compares two releases (`assay diff`) or a release with its source (`assay
    /// provenance`) and flags startup and install hooks the newer side has and the older
    /// does not: a `.pth` file with an executable `import` line,
    /// `sitecustomize.py`/`usercustomize.py`, a `setup.py` with a command class
    /// (`cmdclass`), an npm `preinstall`/`install`/`postinstall`/`prepare` script (added,
    /// or its command changed). High with high confidence in a patch release, high with
    /// medium confidence in a minor release, medium in a major release or when the versions
    /// are unknown.
    ///
    /// ## Why it matters
    /// Code that runs without being called is what a stolen publishing token buys: LiteLLM
    /// 1.82.8 (2026) added `litellm_init.pth`, which ran on every Python start; Shai-Hulud
    /// (2025) added a `postinstall` to hundreds of npm packages. A patch release has no
    /// reason to start running code at startup.
    ///
    /// ## Example
    /// `litellm_init.pth` (`import os, base64; exec(...)`) absent in 1.82.7 and present in
    /// 1.82.8.
    ///
    /// ## False positives
    /// A project that adopts a build step (`prepare: tsc`) or an editable-install `.pth` in
    /// a major release. Major releases are medium for that reason; the hook's own content
    /// is judged by the scan rules (`PKG001`, `PKG002`, `PKG014`).
    ///
    /// ## References
    /// - LiteLLM PyPI compromise (2026)
    /// - Shai-Hulud npm worm (2025)
    /// - MITRE ATT&CK T1546 (Event Triggered Execution)
    pub static META = StartupHookAdded;
}
