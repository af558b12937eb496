//! `Cargo.lock` (v1–v4): `[[package]]` tables with `name`, `version`, `source`,
//! `checksum`. Read with `toml` directly: the `cargo-lock` crate's model adds nothing
//! the audit needs (dependency edges) and its v1 `[metadata]` checksums are not needed.

use super::{Dependency, Ecosystem, LockError, Lockfile, push};
use serde::Deserialize;

#[derive(Deserialize)]
struct CargoLock {
    #[serde(default)]
    package: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
}

pub(super) fn cargo_lock(text: &str) -> Result<Lockfile, LockError> {
    let l: CargoLock = toml::from_str(text)?;
    let mut lf = Lockfile::default();
    for p in l.package {
        // Workspace members have no source: they are the project itself.
        let Some(src) = p.source else { continue };
        let mut d = Dependency::pinned(Ecosystem::CratesIo, &p.name, &p.version);
        d.hashed = p.checksum.is_some();
        if !src.starts_with("registry+") && !src.starts_with("sparse+") {
            d.direct_url = Some(src);
        }
        push(&mut lf.deps, d)?;
    }
    Ok(lf)
}
