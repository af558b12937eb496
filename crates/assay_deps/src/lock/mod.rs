//! Lockfile and manifest parsers: pure, bounded `&[u8] -> Result<Lockfile, LockError>`.
//!
//! Formats: `requirements*.txt`, `pyproject.toml` (PEP 621 and Poetry), `poetry.lock`,
//! `uv.lock`, `pdm.lock`, `Pipfile.lock`, `package-lock.json` / `npm-shrinkwrap.json`
//! (lockfileVersion 1–3), `pnpm-lock.yaml` (v5–v9 `packages:` keys), `yarn.lock`
//! (classic and berry) and `Cargo.lock`. JSON and TOML go through `serde_json` and
//! `toml`; the line formats (requirements, yarn, pnpm) are read here because no
//! maintained crate reads them without pulling a YAML stack.
//!
//! Bounds: input ≤ [`MAX_BYTES`], ≤ [`MAX_DEPS`] dependencies, JSON nesting of v1
//! lockfiles ≤ [`MAX_DEPTH`]. Exceeding a bound is an error naming the bound, never a
//! silent truncation. Values the audit does not read may nest to any depth, as for npm
//! and pipenv themselves: the JSON formats are read into typed structs that skip them
//! without recursion (module `json`).

mod js;
mod json;
mod python;
mod rust;

pub use python::Requirement;

/// Largest lockfile read, in bytes.
pub const MAX_BYTES: usize = 64 << 20;
/// Most dependencies taken from one file.
pub const MAX_DEPS: usize = 200_000;
/// Deepest nesting followed in a lockfileVersion 1 `dependencies` tree.
pub const MAX_DEPTH: usize = 64;

/// A package ecosystem (one definition for the workspace, with each registry's name
/// rules: [`assay_core::package`]).
pub use assay_core::Ecosystem;

/// One dependency read from a lockfile or manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Name as written.
    pub name: String,
    /// Exact version when pinned (lockfiles always; manifests only for `==`).
    pub version: Option<String>,
    /// The requirement as written, for manifests (`requests>=2`), empty for lockfiles.
    pub spec: String,
    /// 1-based line in the file, where known.
    pub line: Option<u32>,
    /// Whether an integrity hash was recorded (`--hash`, `integrity`, `checksum`).
    pub hashed: bool,
    /// A direct URL / git / path source instead of a registry version.
    pub direct_url: Option<String>,
}

impl Dependency {
    /// A lockfile entry (pinned).
    pub fn pinned(eco: Ecosystem, name: &str, version: &str) -> Self {
        Dependency {
            ecosystem: eco,
            name: name.to_owned(),
            version: Some(version.to_owned()),
            spec: String::new(),
            line: None,
            hashed: false,
            direct_url: None,
        }
    }

    /// The Package URL: `pkg:pypi/requests@2.31.0`, `pkg:npm/%40scope/name@1.0.0`.
    pub fn purl(&self) -> String {
        let name = match self.ecosystem {
            Ecosystem::PyPI => self.ecosystem.osv_name(&self.name),
            _ => self.name.clone(),
        };
        let name = match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some((ns, n)) => format!("%40{ns}/{}", pct(n)),
            None => pct(&name),
        };
        match &self.version {
            Some(v) => format!("pkg:{}/{name}@{}", self.ecosystem.purl_type(), pct(v)),
            None => format!("pkg:{}/{name}", self.ecosystem.purl_type()),
        }
    }
}

fn pct(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b'+') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// The parsed content of one file.
#[derive(Debug, Clone, Default)]
pub struct Lockfile {
    /// Dependencies in file order.
    pub deps: Vec<Dependency>,
    /// `-r`/`-c` includes of a requirements file, relative to it.
    pub includes: Vec<String>,
    /// `--index-url` / `--extra-index-url` values.
    pub index_urls: Vec<String>,
    /// `--extra-index-url` values with their 1-based lines (DEP007).
    pub extra_indexes: Vec<(u32, String)>,
    /// Whether this is a manifest (ranges) rather than a lockfile (pins).
    pub manifest: bool,
}

/// Which parser reads a file, by its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `requirements*.txt`, `constraints*.txt`.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `pdm.lock`.
    PdmLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `package-lock.json`, `npm-shrinkwrap.json`.
    PackageLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `yarn.lock`.
    YarnLock,
    /// `Cargo.lock`.
    CargoLock,
}

impl Kind {
    /// The parser for this file name (last path component), if any.
    pub fn from_file_name(name: &str) -> Option<Kind> {
        Some(match name {
            "pyproject.toml" => Kind::Pyproject,
            "poetry.lock" => Kind::PoetryLock,
            "uv.lock" => Kind::UvLock,
            "pdm.lock" => Kind::PdmLock,
            "Pipfile.lock" => Kind::PipfileLock,
            "package-lock.json" | "npm-shrinkwrap.json" => Kind::PackageLock,
            "pnpm-lock.yaml" => Kind::PnpmLock,
            "yarn.lock" => Kind::YarnLock,
            "Cargo.lock" => Kind::CargoLock,
            n if (n.starts_with("requirements") || n.starts_with("constraints"))
                && n.ends_with(".txt") =>
            {
                Kind::Requirements
            }
            _ => return None,
        })
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Larger than [`MAX_BYTES`].
    #[error("file is {0} bytes, over the {MAX_BYTES}-byte limit")]
    TooLarge(usize),
    /// More than [`MAX_DEPS`] dependencies.
    #[error("more than {MAX_DEPS} dependencies")]
    TooMany,
    /// Nesting over [`MAX_DEPTH`].
    #[error("dependency tree nested deeper than {MAX_DEPTH}")]
    TooDeep,
    /// Not UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
    /// Malformed JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Malformed TOML.
    #[error("invalid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    /// Well-formed but not the expected structure.
    #[error("unexpected structure: {0}")]
    Shape(String),
}

/// Parse `data` as a file of kind `kind`.
pub fn parse(kind: Kind, data: &[u8]) -> Result<Lockfile, LockError> {
    if data.len() > MAX_BYTES {
        return Err(LockError::TooLarge(data.len()));
    }
    let text = std::str::from_utf8(data).map_err(|_| LockError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lf = match kind {
        Kind::Requirements => python::requirements(text)?,
        Kind::Pyproject => python::pyproject(text)?,
        Kind::PoetryLock | Kind::UvLock | Kind::PdmLock => python::toml_lock(text)?,
        Kind::PipfileLock => python::pipfile_lock(text)?,
        Kind::PackageLock => js::package_lock(text)?,
        Kind::PnpmLock => js::pnpm_lock(text)?,
        Kind::YarnLock => js::yarn_lock(text)?,
        Kind::CargoLock => rust::cargo_lock(text)?,
    };
    if lf.deps.len() > MAX_DEPS {
        return Err(LockError::TooMany);
    }
    Ok(lf)
}

/// Push with the [`MAX_DEPS`] bound.
fn push(out: &mut Vec<Dependency>, d: Dependency) -> Result<(), LockError> {
    if out.len() >= MAX_DEPS {
        return Err(LockError::TooMany);
    }
    out.push(d);
    Ok(())
}

#[cfg(test)]
mod tests;
