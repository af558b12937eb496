//! GIT016 newcomer-new-dependency: raised by `assay history` (crates/assay_history), which holds
//! its must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Reads the dependency manifests a commit touches (`package.json`, `requirements*.txt`, `pyproject.toml`, `setup.py`/`setup.cfg` install requirements, `Cargo.toml`, `go.mod`) before and after the commit, and flags a **newcomer** (an identity first seen in the later half of a history of at least 100 commits) adding a third-party dependency whose name no manifest or lockfile of the project ever named before. Version bumps, removals, dependencies on the project's own packages (local paths, the module's own path) and names on the bundled lists of the 15,000 most used npm and PyPI packages are not flagged. Nothing in the manifests is executed (`setup.py` is read as text).
    ///
    /// ## Why it matters
    /// Taking over a project and then pulling in a package one controls is the cheapest way to ship code through it without the code ever appearing in the repository: in event-stream (2018) the new maintainer added `flatmap-stream`, created days before, whose next version carried an encrypted payload aimed at a Bitcoin wallet.
    ///
    /// ## Example
    /// `北川 <right9ctrl@outlook.com> (first seen 20 commits ago, 9 earlier commits) adds npm dependency flatmap-stream ^0.1.0 in package.json, a name no earlier manifest or lockfile of the project used`.
    ///
    /// ## False positives
    /// A new contributor who is trusted and adds a legitimate but little-known package. The finding only says the change deserves a look; the package's age and owners on its registry decide.
    ///
    /// ## References
    /// - event-stream incident (dominictarr/event-stream#116, November 2018)
    /// - npm, "Details about the event-stream incident"
    pub static META = NewcomerNewDependency;
}
