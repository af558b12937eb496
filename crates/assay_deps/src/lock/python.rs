//! Python formats: requirements files (pip's format,
//! <https://pip.pypa.io/en/stable/reference/requirements-file-format/>), `pyproject.toml`
//! (PEP 621 `[project]` and `[tool.poetry]`), the TOML lockfiles (`poetry.lock`,
//! `uv.lock`, `pdm.lock`: all `[[package]]` with `name`/`version`) and `Pipfile.lock`.

use super::json::{NonEmptyArray, Object, Str};
use super::{Dependency, Ecosystem, LockError, Lockfile, push};
use serde::Deserialize;

/// A PEP 508 requirement reduced to what the audit needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Distribution name.
    pub name: String,
    /// The exact version when the specifier is `==X` or `===X` (no wildcard).
    pub pinned: Option<String>,
    /// `name @ url` direct reference.
    pub url: Option<String>,
}

impl Requirement {
    /// Parse `name[extras] (specifiers) ; markers` or `name @ url`. `None` when there is
    /// no valid name.
    pub fn parse(s: &str) -> Option<Requirement> {
        let s = s.split(';').next().unwrap_or("").trim();
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(s.len());
        let name = s.get(..end)?.to_owned();
        if name.is_empty() {
            return None;
        }
        let mut rest = s.get(end..).unwrap_or("").trim_start();
        if rest.starts_with('[') {
            rest = rest.split_once(']').map(|x| x.1).unwrap_or("").trim_start();
        }
        if let Some(url) = rest.strip_prefix('@') {
            return Some(Requirement {
                name,
                pinned: None,
                url: Some(url.trim().to_owned()),
            });
        }
        let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
        let pinned = if rest.contains(',') {
            None
        } else {
            rest.strip_prefix("===")
                .or_else(|| rest.strip_prefix("=="))
                .map(str::trim)
                .filter(|v| !v.is_empty() && !v.contains('*'))
                .map(str::to_owned)
        };
        Some(Requirement {
            name,
            pinned,
            url: None,
        })
    }

    fn into_dep(self, spec: &str, line: Option<u32>) -> Dependency {
        Dependency {
            ecosystem: Ecosystem::PyPI,
            name: self.name,
            version: self.pinned,
            spec: spec.trim().to_owned(),
            line,
            hashed: false,
            direct_url: self.url,
        }
    }
}

pub(super) fn requirements(text: &str) -> Result<Lockfile, LockError> {
    let mut lf = Lockfile {
        manifest: true,
        ..Lockfile::default()
    };
    // Join backslash continuations, remembering the first line of each logical line.
    let mut logical: Vec<(u32, String)> = Vec::new();
    let mut cur = String::new();
    let mut start = 1u32;
    for (i, raw) in text.lines().enumerate() {
        if cur.is_empty() {
            start = i as u32 + 1;
        }
        match raw.strip_suffix('\\') {
            Some(p) => {
                cur.push_str(p);
                cur.push(' ');
            }
            None => {
                cur.push_str(raw);
                logical.push((start, std::mem::take(&mut cur)));
            }
        }
    }
    if !cur.is_empty() {
        logical.push((start, cur));
    }
    for (line, l) in logical {
        // A comment starts at `#` preceded by whitespace or at line start.
        let l = match l.find(" #") {
            Some(i) => l.get(..i).unwrap_or(""),
            None => &l,
        };
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut words = l.split_whitespace();
        let first = words.next().unwrap_or("");
        let opt_val = |flag: &str| -> Option<String> {
            if first == flag {
                words.clone().next().map(str::to_owned)
            } else {
                first
                    .strip_prefix(flag)
                    .and_then(|v| v.strip_prefix('='))
                    .map(str::to_owned)
            }
        };
        if let Some(v) = opt_val("-r")
            .or_else(|| opt_val("--requirement"))
            .or_else(|| opt_val("-c"))
            .or_else(|| opt_val("--constraint"))
        {
            lf.includes.push(v);
            continue;
        }
        if let Some(v) = opt_val("--extra-index-url") {
            lf.extra_indexes.push((line, v.clone()));
            lf.index_urls.push(v);
            continue;
        }
        if let Some(v) = opt_val("--index-url").or_else(|| opt_val("-i")) {
            lf.index_urls.push(v);
            continue;
        }
        if first.starts_with('-') {
            // -e / --editable are local or VCS sources.
            if first == "-e" || first == "--editable" {
                let target = words.next().unwrap_or("").to_owned();
                let name = target.split("#egg=").nth(1).unwrap_or(&target).to_owned();
                let mut d = Dependency::pinned(Ecosystem::PyPI, &name, "");
                d.version = None;
                d.spec = l.to_owned();
                d.line = Some(line);
                d.direct_url = Some(target);
                push(&mut lf.deps, d)?;
            }
            continue;
        }
        let hashed = l.contains("--hash");
        let spec = l.split(" --").next().unwrap_or(l);
        if spec.contains("://") && !spec.contains(" @ ") && !spec.contains('@') {
            let mut d = Dependency::pinned(Ecosystem::PyPI, spec, "");
            d.version = None;
            d.line = Some(line);
            d.direct_url = Some(spec.to_owned());
            d.spec = spec.to_owned();
            push(&mut lf.deps, d)?;
            continue;
        }
        let Some(r) = Requirement::parse(spec) else {
            continue;
        };
        let mut d = r.into_dep(spec, Some(line));
        d.hashed = hashed;
        push(&mut lf.deps, d)?;
    }
    Ok(lf)
}

pub(super) fn pyproject(text: &str) -> Result<Lockfile, LockError> {
    let v: toml::Value = toml::from_str(text)?;
    let mut lf = Lockfile {
        manifest: true,
        ..Lockfile::default()
    };
    let project = v.get("project");
    let mut specs: Vec<String> = Vec::new();
    if let Some(deps) = project
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
    {
        specs.extend(deps.iter().filter_map(|d| d.as_str()).map(str::to_owned));
    }
    if let Some(opt) = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(|d| d.as_table())
    {
        for group in opt.values().filter_map(|g| g.as_array()) {
            specs.extend(group.iter().filter_map(|d| d.as_str()).map(str::to_owned));
        }
    }
    for s in &specs {
        if let Some(r) = Requirement::parse(s) {
            push(&mut lf.deps, r.into_dep(s, None))?;
        }
    }
    let poetry = v.get("tool").and_then(|t| t.get("poetry"));
    let mut tables: Vec<&toml::value::Table> = Vec::new();
    if let Some(t) = poetry
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table())
    {
        tables.push(t);
    }
    if let Some(groups) = poetry
        .and_then(|p| p.get("group"))
        .and_then(|g| g.as_table())
    {
        for g in groups.values() {
            if let Some(t) = g.get("dependencies").and_then(|d| d.as_table()) {
                tables.push(t);
            }
        }
    }
    for t in tables {
        for (name, spec) in t {
            if name == "python" {
                continue;
            }
            let (ver, url) = match spec {
                toml::Value::String(s) => (s.clone(), None),
                toml::Value::Table(t) => (
                    t.get("version")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_owned(),
                    ["git", "url", "path"]
                        .iter()
                        .find_map(|k| t.get(*k).and_then(|v| v.as_str()))
                        .map(str::to_owned),
                ),
                _ => (String::new(), None),
            };
            // Poetry: a bare version or `==X` is exact; `^`, `~`, `*`, ranges are not.
            let v = ver.trim().trim_start_matches("==").trim();
            let pinned = (!v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '+'))
            .then(|| v.to_owned());
            push(
                &mut lf.deps,
                Dependency {
                    ecosystem: Ecosystem::PyPI,
                    name: name.clone(),
                    version: pinned,
                    spec: format!("{name} {ver}"),
                    line: None,
                    hashed: false,
                    direct_url: url,
                },
            )?;
        }
    }
    Ok(lf)
}

#[derive(Deserialize)]
struct TomlLock {
    #[serde(default)]
    package: Vec<TomlPkg>,
}

#[derive(Deserialize)]
struct TomlPkg {
    name: String,
    version: Option<String>,
    #[serde(default)]
    source: Option<toml::Value>,
    // poetry.lock `files`, uv.lock `sdist`/`wheels`, pdm.lock `files`: hashes.
    #[serde(default)]
    files: Option<toml::Value>,
    #[serde(default)]
    sdist: Option<toml::Value>,
    #[serde(default)]
    wheels: Option<toml::Value>,
}

/// `poetry.lock`, `uv.lock`, `pdm.lock`.
pub(super) fn toml_lock(text: &str) -> Result<Lockfile, LockError> {
    let l: TomlLock = toml::from_str(text)?;
    let mut lf = Lockfile::default();
    for p in l.package {
        let Some(version) = p.version else { continue };
        // uv.lock: `source = { editable = "." }` / `{ virtual = "." }` is the project.
        let src = p.source.as_ref().and_then(|s| s.as_table());
        if src.is_some_and(|t| t.contains_key("editable") || t.contains_key("virtual")) {
            continue;
        }
        let mut d = Dependency::pinned(Ecosystem::PyPI, &p.name, &version);
        d.hashed = p.files.is_some() || p.sdist.is_some() || p.wheels.is_some();
        if let Some(t) = src {
            // uv: `{ git = … }`, `{ url = … }`, `{ path = … }`; poetry: `type = "git"`, `url`.
            let kind = t.get("type").and_then(|v| v.as_str());
            let direct = ["git", "url", "path", "directory"]
                .iter()
                .find_map(|k| t.get(*k).and_then(|v| v.as_str()))
                .filter(|_| kind != Some("legacy"));
            if !t.contains_key("registry") {
                d.direct_url = direct.map(str::to_owned);
            }
        }
        super::push(&mut lf.deps, d)?;
    }
    Ok(lf)
}

/// The fields of a `Pipfile.lock` the audit reads (other fields skipped without
/// recursion, see [`super::json`]).
#[derive(Deserialize)]
struct PipfileLock {
    #[serde(default, rename = "_meta")]
    meta: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    default: Option<Object<PipfileEntry>>,
    #[serde(default)]
    develop: Object<PipfileEntry>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PipfileEntry {
    version: Str,
    hashes: NonEmptyArray,
    git: Str,
    file: Str,
    path: Str,
}

pub(super) fn pipfile_lock(text: &str) -> Result<Lockfile, LockError> {
    let v: PipfileLock = serde_json::from_str(text)?;
    let mut lf = Lockfile::default();
    if v.default.is_none() && v.meta.is_none() {
        return Err(LockError::Shape("no `default` or `_meta` section".into()));
    }
    for section in [v.default.unwrap_or_default(), v.develop] {
        let Some(m) = section.0 else {
            continue;
        };
        for (name, e) in m {
            let ver = e.version.0.map(|v| v.trim_start_matches("==").to_owned());
            let mut d = Dependency::pinned(Ecosystem::PyPI, &name, "");
            d.version = ver;
            d.hashed = e.hashes.0;
            d.direct_url = e.git.0.or(e.file.0).or(e.path.0);
            push(&mut lf.deps, d)?;
        }
    }
    Ok(lf)
}
