//! MCP007 tool-definition-changed: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Raised by `assay agents check`: a tool whose definition differs from the one recorded by `assay agents pin` in `assay-agents.lock` — its description changed, its schema changed with the description untouched (a parameter, default, enum, annotation or title), a tool was added, or a pinned tool was removed (medium).
    ///
    /// ## Why it matters
    /// A server can change its tools after the user approved them (a rug pull). Hashing the whole schema, not only the description, catches changes that hide in parameter descriptions or defaults.
    ///
    /// ## Example
    /// A tool list pinned on Monday whose `add` tool gained a `sidenote` parameter on Tuesday.
    ///
    /// ## False positives
    /// Ordinary server updates: review the change, then run `assay agents pin` again.
    ///
    /// ## References
    /// - MCP specification 2025-06-18: `notifications/tools/list_changed`
    /// - CWE-494
    pub static META = ToolDefinitionChanged;
}
