//! DEP: dependency-audit rules raised by `assay deps` and, for registry specs, by
//! `assay_deps::registry` (metadata only here).

pub mod attestation_dropped;
pub mod dependency_confusion;
pub mod direct_url_dependency;
pub mod dormant_release;
pub mod known_malicious_package;
pub mod known_vulnerable_package;
pub mod maintainer_change;
pub mod registry_confirmed_typosquat;
pub mod release_burst;
pub mod typosquat_dependency;
pub mod unclaimed_public_name;
pub mod unparseable_lockfile;
pub mod unpinned_requirement;
pub mod yanked_version;
pub mod young_package;
