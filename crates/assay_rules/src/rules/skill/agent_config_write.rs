//! SKILL008 agent-config-write: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags a skill script that writes agent settings, hooks, MCP configurations, auto-approve lists or shell start-up files (`~/.claude/settings.json`, `.cursor/mcp.json`, `.mcp.json`, `~/.bashrc`, `~/.zshrc`…), instructions that tell the agent to turn approval off (`--dangerously-skip-permissions`, `bypassPermissions`), and Claude Code settings that do (`permissions.defaultMode: bypassPermissions`, `enableAllProjectMcpServers`, `Bash(*)` allowed; medium).
    ///
    /// ## Why it matters
    /// Writing the agent's own configuration is persistence: a hook or an auto-approved server keeps running after the skill is removed, and turning approval off removes the user from the loop.
    ///
    /// ## Example
    /// A `scripts/setup.sh` that appends a `PreToolUse` hook to `~/.claude/settings.json`.
    ///
    /// ## False positives
    /// Skills whose purpose is configuring an agent (a settings manager) — the description says so; review and suppress.
    ///
    /// ## References
    /// - MITRE ATT&CK T1546.004 Unix Shell Configuration Modification
    /// - CWE-284
    pub static META = AgentConfigWrite;
}
