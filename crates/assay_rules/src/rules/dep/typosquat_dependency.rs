//! DEP003 typosquat-dependency (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Compares each dependency's name with the bundled list of popular packages of its
    /// ecosystem (PyPI and npm: top 5,000 by downloads; crates.io: a few hundred popular
    /// crates; PKG005 `typosquat-name` uses the PyPI list): dropped separators
    /// (`crossenv`), look-alike characters, `py`/`python`, `node`/`.js` or `rs`/`rust`
    /// affixes, a brand name without its version (`beautifulsoup` for
    /// `beautifulsoup4`), one or two typo-like edits (doubled letters, swaps, keyboard
    /// neighbours, a letter slipped inside a word), and npm scope confusion (a top
    /// package under a scope nobody uses, `@evil/lodash`; `types-node` for
    /// `@types/node`). Names of the next 10,000 projects of each registry are known
    /// real projects and never flagged, and a name about as close to another known
    /// project as to the target is not flagged.
    ///
    /// Severity: medium; **high** (the file is at least `suspicious`) when the imitated
    /// name is among the 1,000 most popular of its ecosystem and the imitation is not an
    /// affix (`python-x`, `x-rs` are as often real wrappers). With `--online`, registry
    /// facts can confirm the imitation (DEP012 `registry-confirmed-typosquat`).
    ///
    /// ## Why it matters
    /// A mistyped name in a requirements file installs whatever the squatter uploaded.
    ///
    /// ## Example
    /// `reqeusts==2.31.0` in requirements.txt, `crossenv` in package-lock.json.
    ///
    /// ## False positives
    /// Legitimate projects with similar names; alone this does not make a verdict
    /// malicious (at most `suspicious`). Suppress a reviewed one with a reason.
    ///
    /// ## References
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain)
    pub static META = TyposquatDependency;
}
