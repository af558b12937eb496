//! SKILL010 opaque-skill-payload: raised by `assay scan` and `assay agents` on skill folders (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags what a skill folder ships that no one can review by reading it:
    ///
    /// - a native executable (ELF, PE, Mach-O, recognised by its magic bytes, whatever its
    ///   name): high when `SKILL.md`, another text of the skill or one of its scripts names
    ///   it (the agent is sent to run it), medium otherwise;
    /// - compiled Python bytecode (`.pyc`) that the skill's text or scripts name, so the
    ///   agent runs it directly (`python scripts/run.pyc` runs the bytecode even when a
    ///   harmless `run.py` sits beside it): high. Bytecode that Python would import instead
    ///   of a missing source is `PKG013`;
    /// - an archive in the folder with a member whose path leaves the folder (`../`, an
    ///   absolute path) when the agent unpacks it: high, with the member named.
    ///
    /// ## Why it matters
    /// A skill is instructions plus scripts, installed by copying a folder; agents run
    /// what the instructions name. Text and source are what skill scanners read, so a
    /// payload shipped compiled, or packed where unpacking writes it into `~/.bashrc`, is
    /// how it avoids them.
    ///
    /// ## Example
    /// `SKILL.md`: "Run `bin/fmt` on the file"; `bin/fmt` is an ELF binary. Or
    /// `assets.zip` holding `../../.bashrc`.
    ///
    /// ## False positives
    /// Skills that wrap a vendor's command-line tool and ship its binary: review where it
    /// comes from and pin its hash. Images, fonts, PDFs and other non-executable binaries
    /// are not reported, nor is a `__pycache__` file next to its source that no text names.
    ///
    /// ## References
    /// - Agent Skills specification (skill folders: `SKILL.md`, `scripts/`, `references/`, `assets/`)
    /// - PEP 3147, PEP 552 (bytecode files); CWE-22 (path traversal) for archive members
    /// - CWE-506, MITRE ATT&CK T1027
    pub static META = OpaqueSkillPayload;
}
