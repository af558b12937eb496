//! SKILL001 unparseable-agent-file: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Reports a `SKILL.md` without YAML front matter or with front matter that is not YAML within assay's bounds (256 KiB, depth 16, 10,000 nodes, alias expansion), a Claude Code `settings.json` that is not JSON, and any skill file, instruction file or script over the 1 MiB limit.
    ///
    /// ## Why it matters
    /// An agent loads what it can; a scanner that skips what it cannot parse reports a hostile file as clean. assay fails closed: the file is named and counted.
    ///
    /// ## Example
    /// A `SKILL.md` whose first line is not `---`, or a 3 MiB `SKILL.md` padded to push instructions past a scanner's read limit.
    ///
    /// ## False positives
    /// Skills written for agents that accept a `SKILL.md` without front matter. Add the front matter (`name`, `description`), which the Agent Skills spec requires.
    ///
    /// ## References
    /// - Agent Skills specification (`SKILL.md` front matter: `name`, `description`, `allowed-tools`)
    pub static META = UnparseableAgentFile;
}
