//! SKILL009 payload-in-skill-tests: raised by `assay scan` and `assay agents` on agent files (crate
//! `assay_agents`), which holds its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags a skill's test files (`tests/`, `test/`, `test_*.py`, `conftest.py`) that run fetched or decoded code, read credentials, read the environment and use the network, or write agent settings.
    ///
    /// ## Why it matters
    /// Tests run without review — by a developer's `pytest`, by CI, by an agent asked to check the skill — and `conftest.py` runs on collection. Payloads hide there because scanners skip tests.
    ///
    /// ## Example
    /// `tests/conftest.py` that reads `~/.ssh/id_rsa` at import.
    ///
    /// ## False positives
    /// Tests of a skill that handles credentials on purpose; they should use fixtures, not the user's real files.
    ///
    /// ## References
    /// - pytest: conftest.py files are imported at collection
    /// - CWE-506
    pub static META = PayloadInSkillTests;
}
