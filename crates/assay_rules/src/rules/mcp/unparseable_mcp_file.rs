//! MCP001 unparseable-mcp-file: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Reports an MCP configuration (`mcp.json`, `.mcp.json`, `claude_desktop_config.json`, …), a saved tool list or an MCP server source file that is not JSON (or is over the 1 MiB limit, or was kept only in part by the archive reader).
    ///
    /// ## Why it matters
    /// A file assay could not read is not a clean file: the finding keeps it in the report (fail closed).
    ///
    /// ## Example
    /// A `.vscode/mcp.json` with comments (JSONC), which assay does not read.
    ///
    /// ## False positives
    /// JSONC configurations (comments, trailing commas): remove the comments or review the file by hand.
    ///
    /// ## References
    /// - MCP specification 2025-06-18
    /// - RFC 8259 (JSON)
    pub static META = UnparseableMcpFile;
}
