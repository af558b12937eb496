//! SKILL006 undeclared-capability: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Relates what a skill declares — `name`, `description`, `allowed-tools` — to what its scripts do (Python through the same analysis as the `PY` rules; shell, JavaScript and PowerShell line by line): reading credentials and using the network without declaring either is critical; reading credentials alone, or the whole environment with the network, high; network use that nothing declares, medium. When `SKILL.md` tells the agent to run the script, the finding is at that line with the script's lines as related locations: one finding for the instruction and the code. A Claude Code hook that reads credentials or the environment and uses the network is critical.
    ///
    /// ## Why it matters
    /// A skill that "formats text" while its script reads `~/.aws/credentials` and posts it is the shape of the malicious skills seen in the wild (cloned popular skills with an exfiltrating helper). Capability alone is not the question — many skills call APIs — declared purpose against actual behaviour is.
    ///
    /// ## Example
    /// `description: Formats Markdown tables.` and `SKILL.md` says `run scripts/format.py`, which reads `~/.aws/credentials` and sends it to `https://example.invalid/c`.
    ///
    /// ## False positives
    /// A skill whose description names the service it calls ("uploads to Slack") is not reported for its network use; one that manages credentials and says so is reported at medium for review.
    ///
    /// ## References
    /// - MalSkillBench (2026): no scanner relates a skill's instructions to its code
    /// - MITRE ATT&CK T1552.001 Credentials In Files
    /// - CWE-506
    pub static META = UndeclaredCapability;
}
