//! MCP004 toxic-flow: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags one configuration that enables, among two or more servers, a server that reads untrusted input (web fetch, browser, search, issues, email, chat), one that reads private data (filesystem, databases, notes, git, password managers) and one that can send data out (HTTP, chat, email, issues). Roles are guessed from server names, commands and package names. A weakness of the setup, not of a component: it never makes a verdict on its own (scoring step 7).
    ///
    /// ## Why it matters
    /// Prompt injection needs all three: text an attacker controls, data worth taking, and a way out (the "lethal trifecta"; the GitHub MCP exploit of 2025 read a public issue, private repositories and wrote a public pull request).
    ///
    /// ## Example
    /// `mcpServers` with `fetch`, `filesystem` and `slack`.
    ///
    /// ## False positives
    /// Setups where the user confirms every call. The finding is low-confidence and medium: it asks for a review of which servers need to be enabled together.
    ///
    /// ## References
    /// - Simon Willison: The lethal trifecta for AI agents (2025)
    /// - Invariant Labs: GitHub MCP exploited (2025)
    /// - CWE-200
    pub static META = ToxicFlow;
}
