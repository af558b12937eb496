//! npm formats: `package-lock.json` / `npm-shrinkwrap.json` (lockfileVersion 1: nested
//! `dependencies`; 2 and 3: flat `packages` keyed by `node_modules/…` paths,
//! <https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json>), `yarn.lock`
//! (classic v1 and berry: entries headed `"name@range[, …]":` with an indented
//! `version`), and `pnpm-lock.yaml` (`packages:` keys `/name/1.0.0` in v5,
//! `/name@1.0.0` in v6, `name@1.0.0` in v9).

use super::json::{Flag, Object, Str};
use super::{Dependency, Ecosystem, LockError, Lockfile, MAX_DEPTH, push};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The fields of a `package-lock.json` the audit reads; everything else is skipped
/// without recursion (see [`super::json`]).
#[derive(Deserialize)]
struct PackageLock {
    #[serde(default)]
    packages: Object<Entry>,
    #[serde(default)]
    dependencies: Object<V1Entry>,
    #[serde(default, rename = "lockfileVersion")]
    lockfile_version: Option<IgnoredAny>,
}

/// A `packages` entry (lockfileVersion 2 and 3).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Entry {
    name: Str,
    version: Str,
    resolved: Str,
    integrity: Option<IgnoredAny>,
    link: Flag,
}

/// A lockfileVersion 1 `dependencies` entry; nested `dependencies` are the tree.
#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Entry {
    version: Str,
    resolved: Str,
    integrity: Option<IgnoredAny>,
    dependencies: Object<V1Entry>,
}

pub(super) fn package_lock(text: &str) -> Result<Lockfile, LockError> {
    // Only the typed part counts towards serde_json's recursion limit (128): a v1 tree
    // uses two JSON levels per dependency level, so it meets `MAX_DEPTH` about there.
    let v: PackageLock = serde_json::from_str(text)?;
    let mut lf = Lockfile::default();
    if let Some(pkgs) = v.packages.0 {
        for (key, e) in pkgs {
            // "" is the root project; links and workspace members have no registry version.
            let Some(pos) = key.rfind("node_modules/") else {
                continue;
            };
            if e.link.0 {
                continue;
            }
            let name = e.name.0.clone().unwrap_or_else(|| {
                key.get(pos + "node_modules/".len()..)
                    .unwrap_or("")
                    .to_owned()
            });
            let Some(ver) = e.version.0.as_deref() else {
                continue;
            };
            push(
                &mut lf.deps,
                entry(&name, ver, e.resolved.0.as_deref(), e.integrity.is_some()),
            )?;
        }
    } else if let Some(deps) = v.dependencies.0 {
        v1(deps, 0, &mut lf.deps)?;
    } else if v.lockfile_version.is_none() {
        return Err(LockError::Shape(
            "no `packages`, `dependencies` or `lockfileVersion`".into(),
        ));
    }
    Ok(lf)
}

fn v1(
    deps: std::collections::BTreeMap<String, V1Entry>,
    depth: usize,
    out: &mut Vec<Dependency>,
) -> Result<(), LockError> {
    if depth > MAX_DEPTH {
        return Err(LockError::TooDeep);
    }
    for (name, e) in deps {
        if let Some(ver) = e.version.0.as_deref() {
            push(
                out,
                entry(&name, ver, e.resolved.0.as_deref(), e.integrity.is_some()),
            )?;
        }
        if let Some(sub) = e.dependencies.0 {
            v1(sub, depth + 1, out)?;
        }
    }
    Ok(())
}

fn entry(name: &str, ver: &str, resolved: Option<&str>, integrity: bool) -> Dependency {
    let mut d = Dependency::pinned(Ecosystem::Npm, name, ver);
    d.hashed = integrity;
    let resolved = resolved.unwrap_or("");
    // v1 puts a git/file URL in `version`; v2+ in `resolved`.
    let src = if ver.contains(':') { ver } else { resolved };
    if src.starts_with("git") || src.starts_with("file:") || src.starts_with("github:") {
        d.direct_url = Some(src.to_owned());
        d.version = None;
    }
    d
}

pub(super) fn yarn_lock(text: &str) -> Result<Lockfile, LockError> {
    let mut lf = Lockfile::default();
    let mut header: Option<(String, u32)> = None;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i as u32 + 1;
        let l = raw.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if !l.starts_with(' ') {
            header = None;
            if l == "__metadata:" {
                continue;
            }
            if let Some(h) = l.strip_suffix(':') {
                // First selector: `"@scope/name@^1.0.0"` or `name@npm:^1`.
                let first = h.split(',').next().unwrap_or("").trim().trim_matches('"');
                let at = if let Some(rest) = first.strip_prefix('@') {
                    rest.find('@').map(|i| i + 1)
                } else {
                    first.find('@')
                };
                if let Some(i) = at {
                    header = Some((first.get(..i).unwrap_or("").to_owned(), line_no));
                }
            }
            continue;
        }
        let t = l.trim_start();
        let ver = t
            .strip_prefix("version:")
            .or_else(|| t.strip_prefix("version "))
            .map(|v| v.trim().trim_matches('"'));
        if let (Some(ver), Some((name, line))) = (ver, header.as_ref()) {
            // Berry workspace entries are `0.0.0-use.local`.
            if !ver.ends_with("-use.local") {
                let mut d = Dependency::pinned(Ecosystem::Npm, name, ver);
                d.line = Some(*line);
                push(&mut lf.deps, d)?;
            }
            header = None;
        }
    }
    Ok(lf)
}

pub(super) fn pnpm_lock(text: &str) -> Result<Lockfile, LockError> {
    let mut lf = Lockfile::default();
    let mut in_packages = false;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i as u32 + 1;
        let l = raw.trim_end();
        if l.is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if !l.starts_with(' ') {
            in_packages = l == "packages:";
            continue;
        }
        // Keys of `packages:` are indented exactly two spaces.
        if !in_packages || l.starts_with("   ") {
            continue;
        }
        let Some(key) = l.trim().strip_suffix(':') else {
            continue;
        };
        let key = key.trim_matches(|c| c == '\'' || c == '"');
        let key = key.strip_prefix('/').unwrap_or(key);
        // Drop peer-dependency suffixes: `name@1.0.0(react@18.0.0)` or `_react@18`.
        let key = key.split('(').next().unwrap_or(key);
        let split = |k: &str| -> Option<(String, String)> {
            let start = usize::from(k.starts_with('@'));
            let i = k.get(start..)?.find('@')? + start;
            Some((k.get(..i)?.to_owned(), k.get(i + 1..)?.to_owned()))
        };
        let parsed = split(key).or_else(|| {
            // v5: `/name/1.0.0` or `/@scope/name/1.0.0`.
            let i = key.rfind('/')?;
            Some((key.get(..i)?.to_owned(), key.get(i + 1..)?.to_owned()))
        });
        if let Some((name, ver)) = parsed {
            let ver = ver.split('_').next().unwrap_or(&ver).to_owned();
            let mut d = Dependency::pinned(Ecosystem::Npm, &name, &ver);
            d.line = Some(line_no);
            d.hashed = true; // pnpm records `resolution: {integrity}` for registry packages.
            push(&mut lf.deps, d)?;
        }
    }
    Ok(lf)
}
