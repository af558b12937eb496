//! DEP003 typosquat-dependency (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Compares each dependency's name with the bundled list of popular packages of its
    /// ecosystem (PyPI and npm: top 5,000 by downloads; crates.io: a few hundred popular
    /// crates; PKG005 `typosquat-name` uses the PyPI list): dropped separators
    /// (`crossenv`), look-alike characters, `py`/`python`, `node`/`.js` or `rs`/`rust`
    /// affixes, a brand name without its version (`beautifulsoup` for
    /// `beautifulsoup4`), and one or two typo-like edits.
    ///
    /// ## Why it matters
    /// A mistyped name in a requirements file installs whatever the squatter uploaded.
    ///
    /// ## Example
    /// `reqeusts==2.31.0` in requirements.txt, `crossenv` in package-lock.json.
    ///
    /// ## False positives
    /// Legitimate projects with similar names; alone this does not change a verdict to
    /// malicious.
    ///
    /// ## References
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain)
    pub static META = {
        code: "DEP003",
        name: "typosquat-dependency",
        family: Dep,
        summary: "A dependency's name imitates a popular package",
        severity: Medium,
        confidence: Low,
        targets: [],
        cwe: None,
        attack: Some("T1195.002"),
    }
}
