//! DEP: dependency-audit rules raised by `assay deps` (metadata only here).

pub mod dependency_confusion;
pub mod direct_url_dependency;
pub mod known_malicious_package;
pub mod known_vulnerable_package;
pub mod maintainer_change;
pub mod registry_confirmed_typosquat;
pub mod typosquat_dependency;
pub mod unclaimed_public_name;
pub mod unparseable_lockfile;
pub mod unpinned_requirement;
pub mod yanked_version;
pub mod young_package;
