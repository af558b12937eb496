//! CI013 long-lived-publish-token: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags publishing with a stored registry token where the registry offers trusted publishing (OIDC): `pypa/gh-action-pypi-publish` with `password:`; `twine`/`uv`/`poetry`/`hatch` uploads with a token in env or on the command line; `npm publish` with `NODE_AUTH_TOKEN`/`NPM_TOKEN`; `cargo publish` with `CARGO_REGISTRY_TOKEN`.
    ///
    /// ## Why it matters
    /// A long-lived token works from anywhere until revoked: one leak (a log, a compromised action such as the scanner that leaked LiteLLM's PyPI token) publishes as the project. Trusted publishing mints a short-lived token bound to this workflow.
    ///
    /// ## Example
    /// `uses: pypa/gh-action-pypi-publish@… with: password: ${{ secrets.PYPI_API_TOKEN }}`.
    ///
    /// ## False positives
    /// Registries or indexes without trusted publishing (private indexes); projects mid-migration.
    ///
    /// ## References
    /// - PyPI Docs, "Trusted publishers"
    /// - npm Docs, "Trusted publishing for npm packages"
    /// - crates.io, "Trusted Publishing" (RFC 3691)
    pub static META = LongLivedPublishToken;
}
