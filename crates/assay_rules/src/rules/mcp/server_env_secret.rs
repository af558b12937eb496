//! MCP005 server-env-secret: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags an MCP server configured with a literal secret: an `env` or `headers` entry whose name holds a secret (`TOKEN`, `SECRET`, `PASSWORD`, `API_KEY`, `AUTHORIZATION`…) with a literal value, or an argument shaped like a known token (`ghp_…`, `github_pat_…`, `sk-…`, `xoxb-…`, `AKIA…`). References (`${env:X}`, `${input:x}`, `$X`) and placeholders are not reported. The evidence shows only the first four characters. A weakness: it never makes a verdict on its own.
    ///
    /// ## Why it matters
    /// A configuration file is copied, committed and read by every tool that loads it (and by any skill or server that reads `mcp.json`, a common tool-poisoning target).
    ///
    /// ## Example
    /// `"env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_…"}`
    ///
    /// ## False positives
    /// Test configurations with dummy values; use a placeholder or an input reference.
    ///
    /// ## References
    /// - CWE-798: Use of Hard-coded Credentials
    /// - VS Code MCP configuration: input variables
    pub static META = ServerEnvSecret;
}
