//! MCP006 unpinned-server-launch: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags an MCP server launched from a package registry without a version: `npx -y pkg`, `npx pkg@latest`, `bunx`, `pnpm dlx`, `uvx pkg`, `uvx --from pkg cmd`, `pipx run pkg`. A weakness: it never makes a verdict on its own.
    ///
    /// ## Why it matters
    /// Every launch runs whatever version the registry serves that day, with the agent's permissions: a hijacked maintainer account or a rug pull reaches the user at the next start.
    ///
    /// ## Example
    /// `"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"]`
    ///
    /// ## False positives
    /// Servers the user deliberately tracks at the newest version; pin (`pkg@1.2.3`, `pkg==1.2.3`) and update on purpose.
    ///
    /// ## References
    /// - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
    pub static META = UnpinnedServerLaunch;
}
