//! Dependency audit for `assay deps` and `assay db`: lockfile and manifest parsers
//! ([`lock`]), the OSV advisory model ([`osv`]), version-range matching per ecosystem
//! ([`version`]), the local SQLite advisory index ([`db`]) and the audit that turns
//! dependencies plus advisories into findings ([`audit`]); registry specs
//! (`pypi:NAME==V`, `npm:NAME@V`) fetched, verified and cached ([`registry`]).
//!
//! A separate crate because its dependency set (SQLite, PEP 440, semver) is distinct
//! from the scanner's.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

pub mod audit;
pub mod db;
pub mod lock;
#[cfg(feature = "net")]
pub mod net;
pub mod online;
pub mod osv;
pub mod registry;
pub mod version;

pub use lock::{Dependency, Ecosystem, LockError, Lockfile};
