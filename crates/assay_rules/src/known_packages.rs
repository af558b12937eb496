//! Known-malicious package releases, as a process-wide lookup the PKG015 rule asks about
//! the dependencies a package declares or installs.
//!
//! The lookup is installed once, by the command line before a scan ([`install`]), over
//! the advisory index `assay db update` builds (OSV `MAL-` records of PyPI); without it
//! PKG015 finds nothing. This crate does not depend on the index itself
//! (`assay_deps` depends on it), hence a function rather than data.

use std::sync::OnceLock;

/// Answers "is this PyPI dependency a known-malicious release?": given a project name (as
/// written; the lookup normalises it, PEP 503) and the version it is pinned to with `==`
/// (if any), the advisory id and summary of a `MAL-` record that covers every version of
/// that name, or the pinned version; `None` otherwise.
pub type Lookup = Box<dyn Fn(&str, Option<&str>) -> Option<String> + Send + Sync>;

static LOOKUP: OnceLock<Lookup> = OnceLock::new();

/// Install the lookup. Returns false when one was installed already (the first stays).
pub fn install(lookup: Lookup) -> bool {
    LOOKUP.set(lookup).is_ok()
}

/// The installed lookup, if any.
pub fn get() -> Option<&'static Lookup> {
    LOOKUP.get()
}
