//! Dependency manifests as `assay history` reads them (GIT016, GIT017): which
//! dependencies a file declares, under which name and from which kind of source.
//!
//! Pure and bounded (`&str -> Vec<Dep>`, at most [`MAX_DEPS`] per file, the text itself
//! capped by the caller); nothing is executed (`setup.py` is read as text, its
//! `install_requires=[…]` list of string literals taken as written). Formats:
//! - npm `package.json`: `dependencies`, `devDependencies`, `optionalDependencies`,
//!   `peerDependencies` (npm docs, "package.json"); an `npm:name@range` alias counts as
//!   the package it resolves to. `package-lock.json` (lockfile v1 `dependencies`, v2/v3
//!   `packages`) gives names only: what the project already pulled in, never reported.
//! - Python: `requirements*.txt` lines (pip's requirements file format, PEP 508 names and
//!   direct references, `-e`/VCS URLs with `#egg=`), `pyproject.toml` (PEP 621
//!   `[project]` dependencies and optional dependencies, PEP 518 `[build-system]
//!   requires`, Poetry's `[tool.poetry]` dependency tables), `setup.cfg` `[options]
//!   install_requires`, `setup.py` `install_requires=[…]`.
//! - Cargo `Cargo.toml` (`[dependencies]`, dev, build, per-target and workspace tables;
//!   `package = …` renames; `git`/`path`/`registry` sources) and `Cargo.lock` names.
//! - Go `go.mod` (`require`, `replace`) and `go.sum` module paths (names only).

use assay_core::Ecosystem;
use regex::Regex;
use std::sync::LazyLock;

/// Most dependencies taken from one file.
pub const MAX_DEPS: usize = 20_000;
/// Longest dependency name kept (bytes); longer entries are skipped.
pub const MAX_NAME: usize = 256;

/// Package ecosystems whose manifests are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Eco {
    /// npm.
    Npm,
    /// PyPI.
    PyPI,
    /// crates.io.
    Cargo,
    /// Go modules.
    Go,
}

impl Eco {
    /// Lowercase label used in evidence.
    pub fn label(self) -> &'static str {
        match self {
            Eco::Npm => "npm",
            Eco::PyPI => "PyPI",
            Eco::Cargo => "crates.io",
            Eco::Go => "Go",
        }
    }

    /// The package registry (with its name rules and popular-names list), for every
    /// ecosystem but Go.
    pub fn ecosystem(self) -> Option<Ecosystem> {
        match self {
            Eco::Npm => Some(Ecosystem::Npm),
            Eco::PyPI => Some(Ecosystem::PyPI),
            Eco::Cargo => Some(Ecosystem::CratesIo),
            Eco::Go => None,
        }
    }
}

/// Where a dependency comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The ecosystem's registry (a version or range, or nothing).
    Registry,
    /// Outside the registry: a git repository, URL, tarball, other registry or module.
    Remote(String),
    /// A path inside the project (workspace member, `file:` package): not third-party.
    Local,
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
    /// The ecosystem.
    pub eco: Eco,
    /// The name as the registry compares it (npm/crates.io lowercase, PyPI PEP 503).
    pub name: String,
    /// The version requirement or source as written (trimmed, at most 200 bytes).
    pub spec: String,
    /// The source kind.
    pub source: Source,
}

/// What kind of manifest a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `package.json`.
    PackageJson,
    /// `package-lock.json` / `npm-shrinkwrap.json` (names only).
    PackageLock,
    /// `requirements*.txt` (also `requirements/*.txt`).
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
    /// `setup.py`.
    SetupPy,
    /// `setup.cfg`.
    SetupCfg,
    /// `Cargo.toml`.
    CargoToml,
    /// `Cargo.lock` (names only).
    CargoLock,
    /// `go.mod`.
    GoMod,
    /// `go.sum` (names only).
    GoSum,
}

impl Kind {
    /// Lockfiles only say what the project already pulled in; they are learnt, not judged.
    pub fn is_lock(self) -> bool {
        matches!(self, Kind::PackageLock | Kind::CargoLock | Kind::GoSum)
    }
}

/// The manifest kind of a repository path, if it is one. Files under `node_modules/`,
/// `vendor/` and test-fixture folders are other projects' manifests, not this one's.
pub fn kind(path: &str) -> Option<Kind> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let k = match base {
        "package.json" => Kind::PackageJson,
        "package-lock.json" | "npm-shrinkwrap.json" => Kind::PackageLock,
        "pyproject.toml" => Kind::Pyproject,
        "setup.py" => Kind::SetupPy,
        "setup.cfg" => Kind::SetupCfg,
        "Cargo.toml" => Kind::CargoToml,
        "Cargo.lock" => Kind::CargoLock,
        "go.mod" => Kind::GoMod,
        "go.sum" => Kind::GoSum,
        b if b.ends_with(".txt")
            && (b.starts_with("requirements") || path.contains("requirements/")) =>
        {
            Kind::Requirements
        }
        _ => return None,
    };
    let foreign = path.split('/').any(|c| {
        matches!(
            c,
            "node_modules" | "vendor" | "third_party" | "fixtures" | "testdata"
        )
    });
    (!foreign).then_some(k)
}

fn clip(s: &str) -> String {
    let s = s.trim();
    let mut end = s.len().min(200);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("").to_owned()
}

fn dep(eco: Eco, name: &str, spec: &str, source: Source) -> Option<Dep> {
    let name = name.trim();
    if name.is_empty() || name.len() > MAX_NAME {
        return None;
    }
    // The registry's comparison key (PEP 503, lowercase, `_` as `-`); Go module paths
    // are case-sensitive and kept as written.
    let name = match eco.ecosystem() {
        Some(e) => e.normalize(name),
        None => name.to_owned(),
    };
    Some(Dep {
        eco,
        name,
        spec: clip(spec),
        source,
    })
}

/// The dependencies of a manifest's text (at most [`MAX_DEPS`]); a file that does not
/// parse yields none (the caller then learns nothing from it and judges nothing).
pub fn parse(kind: Kind, text: &str) -> Vec<Dep> {
    let mut out = match kind {
        Kind::PackageJson => package_json(text),
        Kind::PackageLock => package_lock(text),
        Kind::Requirements => text
            .lines()
            .take(MAX_DEPS * 2)
            .filter_map(requirement_line)
            .collect(),
        Kind::Pyproject => pyproject(text),
        Kind::SetupPy => setup_py(text),
        Kind::SetupCfg => setup_cfg(text),
        Kind::CargoToml => cargo_toml(text),
        Kind::CargoLock => cargo_lock(text),
        Kind::GoMod => go_mod(text),
        Kind::GoSum => text
            .lines()
            .take(MAX_DEPS * 4)
            .filter_map(|l| l.split_whitespace().next())
            .filter_map(|m| dep(Eco::Go, m, "", Source::Registry))
            .collect(),
    };
    out.truncate(MAX_DEPS);
    out
}

/// npm dependency specs (npm docs, package.json "dependencies").
fn npm_spec(name: &str, spec: &str) -> Option<Dep> {
    let s = spec.trim();
    let lower = s.to_ascii_lowercase();
    if let Some(alias) = lower.strip_prefix("npm:") {
        // `npm:real-name@range`: the package installed is `real-name`.
        let body = s.get(4..).unwrap_or("");
        let at = body
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c == '@')
            .map_or(body.len(), |(i, _)| i);
        let real = body.get(..at).unwrap_or(alias);
        return dep(Eco::Npm, real, s, Source::Registry);
    }
    let remote = [
        "git+",
        "git:",
        "git@",
        "http:",
        "https:",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    let local = ["file:", "link:", "workspace:", "portal:", ".", "/", "~"]
        .iter()
        .any(|p| lower.starts_with(p));
    // `user/repo` (optionally `#ref`) is a GitHub shorthand.
    let shorthand = !s.starts_with('@')
        && s.split('#').next().is_some_and(|r| {
            let mut parts = r.split('/');
            matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None)
                if !a.is_empty() && !b.is_empty()
                    && r.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)))
        });
    let source = if local {
        Source::Local
    } else if remote || shorthand {
        Source::Remote(clip(s))
    } else {
        Source::Registry
    };
    dep(Eco::Npm, name, s, source)
}

fn package_json(text: &str) -> Vec<Dep> {
    let Ok(serde_json::Value::Object(v)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(serde_json::Value::Object(m)) = v.get(key) else {
            continue;
        };
        for (name, spec) in m.iter().take(MAX_DEPS) {
            let spec = spec.as_str().unwrap_or("");
            out.extend(npm_spec(name, spec));
        }
    }
    out
}

fn package_lock(text: &str) -> Vec<Dep> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // v2/v3: "packages": { "node_modules/a/node_modules/b": {…} }
    if let Some(serde_json::Value::Object(p)) = v.get("packages") {
        for k in p.keys().take(MAX_DEPS) {
            if let Some((_, n)) = k.rsplit_once("node_modules/") {
                out.extend(dep(Eco::Npm, n, "", Source::Registry));
            }
        }
    }
    // v1: nested "dependencies": { name: { "dependencies": {…} } }, walked with a stack.
    let mut stack: Vec<&serde_json::Value> = v.get("dependencies").into_iter().collect();
    while let Some(d) = stack.pop() {
        let serde_json::Value::Object(m) = d else {
            continue;
        };
        for (name, sub) in m {
            if out.len() >= MAX_DEPS {
                return out;
            }
            out.extend(dep(Eco::Npm, name, "", Source::Registry));
            if let Some(inner) = sub.get("dependencies") {
                stack.push(inner);
            }
        }
    }
    out
}

static PEP508_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static EGG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
        .unwrap_or_else(|_| unreachable!("static regex"))
});

/// One PEP 508 requirement string (`name[extra] >=1; marker`, `name @ url`).
fn pep508(s: &str) -> Option<Dep> {
    let c = PEP508_NAME.captures(s)?;
    let name = c.get(1)?.as_str();
    let rest = c.get(3).map_or("", |m| m.as_str()).trim();
    let source = match rest.strip_prefix('@') {
        Some(url) => {
            let url = url.split(';').next().unwrap_or("").trim();
            if url.starts_with("file:") {
                Source::Local
            } else {
                Source::Remote(clip(url))
            }
        }
        None => Source::Registry,
    };
    dep(Eco::PyPI, name, rest, source)
}

/// One line of a pip requirements file.
fn requirement_line(line: &str) -> Option<Dep> {
    let l = line.split(" #").next().unwrap_or("").trim();
    if l.is_empty() || l.starts_with('#') {
        return None;
    }
    let l = l
        .strip_prefix("-e ")
        .or_else(|| l.strip_prefix("--editable "))
        .or_else(|| l.strip_prefix("--editable="))
        .map_or(l, str::trim);
    if l.starts_with('-') {
        return None; // -r, -c, --index-url, --hash …
    }
    let lower = l.to_ascii_lowercase();
    if ["git+", "hg+", "svn+", "bzr+", "http:", "https:", "ftp:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        let name = EGG.captures(l).and_then(|c| c.get(1)).map(|m| m.as_str())?;
        return dep(Eco::PyPI, name, l, Source::Remote(clip(l)));
    }
    if l.starts_with('.') || l.starts_with('/') || lower.starts_with("file:") {
        return None; // a local path: the project itself or a sibling
    }
    pep508(l)
}

fn toml_value(text: &str) -> Option<toml::Table> {
    text.parse::<toml::Table>().ok()
}

fn pyproject(text: &str) -> Vec<Dep> {
    let Some(t) = toml_value(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .take(MAX_DEPS)
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let project = t.get("project");
    for s in strings(project.and_then(|p| p.get("dependencies"))) {
        out.extend(pep508(&s));
    }
    if let Some(opt) = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(toml::Value::as_table)
    {
        for v in opt.values().take(1000) {
            for s in strings(Some(v)) {
                out.extend(pep508(&s));
            }
        }
    }
    for s in strings(t.get("build-system").and_then(|b| b.get("requires"))) {
        out.extend(pep508(&s));
    }
    if let Some(poetry) = t
        .get("tool")
        .and_then(|x| x.get("poetry"))
        .and_then(toml::Value::as_table)
    {
        let mut tables: Vec<&toml::Value> = ["dependencies", "dev-dependencies"]
            .iter()
            .filter_map(|k| poetry.get(*k))
            .collect();
        if let Some(groups) = poetry.get("group").and_then(toml::Value::as_table) {
            tables.extend(
                groups
                    .values()
                    .take(1000)
                    .filter_map(|g| g.get("dependencies")),
            );
        }
        for tb in tables {
            let Some(tb) = tb.as_table() else { continue };
            for (name, v) in tb.iter().take(MAX_DEPS) {
                if name.eq_ignore_ascii_case("python") {
                    continue;
                }
                out.extend(table_dep(Eco::PyPI, name, v));
            }
        }
    }
    out
}

/// A `name = "req"` or `name = { version/git/url/path/package = … }` entry (Cargo,
/// Poetry).
fn table_dep(eco: Eco, key: &str, v: &toml::Value) -> Option<Dep> {
    if let Some(s) = v.as_str() {
        return dep(eco, key, s, Source::Registry);
    }
    let t = v.as_table()?;
    let get = |k: &str| t.get(k).and_then(toml::Value::as_str);
    if t.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
        return None; // inherited: declared (and judged) in the workspace table
    }
    let name = get("package").unwrap_or(key);
    let (spec, source) = if let Some(g) = get("git") {
        let at = ["rev", "tag", "branch"]
            .iter()
            .find_map(|k| get(k).map(|r| format!("#{r}")))
            .unwrap_or_default();
        (format!("{g}{at}"), Source::Remote(clip(g)))
    } else if let Some(u) = get("url") {
        (u.to_owned(), Source::Remote(clip(u)))
    } else if let Some(p) = get("path") {
        (p.to_owned(), Source::Local)
    } else if let Some(r) = get("registry").or_else(|| get("registry-index")) {
        (
            format!("registry {r}"),
            Source::Remote(format!("registry {r}")),
        )
    } else {
        (get("version").unwrap_or("").to_owned(), Source::Registry)
    };
    dep(eco, name, &spec, source)
}

fn cargo_toml(text: &str) -> Vec<Dep> {
    let Some(t) = toml_value(text) else {
        return Vec::new();
    };
    const KEYS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut bases: Vec<&toml::Table> = vec![&t];
    if let Some(targets) = t.get("target").and_then(toml::Value::as_table) {
        bases.extend(
            targets
                .values()
                .take(1000)
                .filter_map(toml::Value::as_table),
        );
    }
    let mut tables: Vec<&toml::Table> = bases
        .iter()
        .flat_map(|b| KEYS.iter().filter_map(|k| b.get(*k)))
        .filter_map(toml::Value::as_table)
        .collect();
    if let Some(w) = t
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
    {
        tables.push(w);
    }
    let mut out = Vec::new();
    for tb in tables {
        for (k, v) in tb.iter().take(MAX_DEPS) {
            out.extend(table_dep(Eco::Cargo, k, v));
        }
    }
    out
}

fn cargo_lock(text: &str) -> Vec<Dep> {
    // `[[package]]` / `name = "x"` lines; no TOML parse needed for names.
    text.lines()
        .take(MAX_DEPS * 16)
        .filter_map(|l| l.trim().strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter_map(|n| dep(Eco::Cargo, n, "", Source::Registry))
        .collect()
}

static INSTALL_REQUIRES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\binstall_requires\s*=\s*[\[\(](.*?)[\]\)]")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static STRING_LIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""([^"\n]{1,300})"|'([^'\n]{1,300})'"#)
        .unwrap_or_else(|_| unreachable!("static regex"))
});

fn setup_py(text: &str) -> Vec<Dep> {
    let mut out = Vec::new();
    for c in INSTALL_REQUIRES.captures_iter(text).take(16) {
        let Some(body) = c.get(1) else { continue };
        for s in STRING_LIT.captures_iter(body.as_str()).take(MAX_DEPS) {
            if let Some(m) = s.get(1).or_else(|| s.get(2)) {
                out.extend(pep508(m.as_str()));
            }
        }
    }
    out
}

fn setup_cfg(text: &str) -> Vec<Dep> {
    // `[options]` … `install_requires =` then the value's continuation lines (indented).
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_value = false;
    for line in text.lines().take(200_000) {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_ascii_lowercase();
            in_value = false;
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if in_value && indented {
            if !t.is_empty() && !t.starts_with('#') {
                out.extend(pep508(t));
            }
            continue;
        }
        in_value = false;
        if section == "[options]"
            && let Some((k, v)) = t.split_once('=')
            && k.trim() == "install_requires"
        {
            in_value = true;
            let v = v.trim();
            if !v.is_empty() {
                out.extend(v.split(';').next().and_then(pep508));
            }
        }
        if out.len() >= MAX_DEPS {
            break;
        }
    }
    out
}

fn go_mod(text: &str) -> Vec<Dep> {
    let mut module = "";
    let mut out = Vec::new();
    let mut block: Option<&str> = None;
    for line in text.lines().take(200_000) {
        let l = line.split("//").next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        if let Some(b) = block {
            if l == ")" {
                block = None;
            } else {
                out.extend(go_directive(b, l));
            }
            continue;
        }
        let (verb, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
        let rest = rest.trim();
        match verb {
            "module" => module = rest.trim_matches('"'),
            "require" | "replace" if rest == "(" => block = Some(verb),
            "require" | "replace" => out.extend(go_directive(verb, rest)),
            _ => {}
        }
        if out.len() >= MAX_DEPS {
            break;
        }
    }
    // The module's own packages are not dependencies.
    if !module.is_empty() {
        out.retain(|d| !(d.name == module || d.name.starts_with(&format!("{module}/"))));
    }
    out
}

fn go_directive(verb: &str, l: &str) -> Option<Dep> {
    if verb == "require" {
        let mut w = l.split_whitespace();
        let m = w.next()?;
        return dep(Eco::Go, m, w.next().unwrap_or(""), Source::Registry);
    }
    // replace old [v] => new [v]
    let (old, new) = l.split_once("=>")?;
    let m = old.split_whitespace().next()?;
    let new = new.trim();
    let source = if new.starts_with('.') || new.starts_with('/') {
        Source::Local
    } else {
        Source::Remote(clip(new))
    };
    dep(Eco::Go, m, new, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(k: Kind, t: &str) -> Vec<(String, Source)> {
        parse(k, t)
            .into_iter()
            .map(|d| (d.name, d.source))
            .collect()
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("package.json"), Some(Kind::PackageJson));
        assert_eq!(kind("requirements-dev.txt"), Some(Kind::Requirements));
        assert_eq!(kind("requirements/base.txt"), Some(Kind::Requirements));
        assert_eq!(kind("node_modules/x/package.json"), None);
        assert_eq!(kind("test/fixtures/package.json"), None);
        assert_eq!(kind("README.md"), None);
        assert_eq!(kind("notes.txt"), None);
    }

    #[test]
    fn package_json_sources() {
        let t = r#"{"dependencies":{"flatmap-stream":"^0.1.0","Foo":"npm:bar@^1","x":"git+https://e.com/x.git","y":"user/repo#v1","z":"file:../z","w":"@scope/w"},"devDependencies":{"tape":"^4"}}"#;
        let d = names(Kind::PackageJson, t);
        assert!(d.contains(&("flatmap-stream".into(), Source::Registry)));
        assert!(d.contains(&("bar".into(), Source::Registry)), "{d:?}");
        assert!(
            d.iter()
                .any(|(n, s)| n == "x" && matches!(s, Source::Remote(_)))
        );
        assert!(
            d.iter()
                .any(|(n, s)| n == "y" && matches!(s, Source::Remote(_)))
        );
        assert!(d.contains(&("z".into(), Source::Local)));
        // A scoped package name as a range is not a shorthand.
        assert!(d.contains(&("w".into(), Source::Registry)));
        assert!(d.contains(&("tape".into(), Source::Registry)));
        assert!(names(Kind::PackageJson, "{not json").is_empty());
    }

    #[test]
    fn lockfiles() {
        let v1 = r#"{"dependencies":{"a":{"version":"1","dependencies":{"b":{"version":"2"}}}}}"#;
        let d = names(Kind::PackageLock, v1);
        assert_eq!(d.len(), 2, "{d:?}");
        let v3 =
            r#"{"packages":{"":{},"node_modules/c":{},"node_modules/c/node_modules/@s/d":{}}}"#;
        let d: Vec<String> = names(Kind::PackageLock, v3)
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(d, ["c", "@s/d"]);
        let cl = "[[package]]\nname = \"serde_json\"\nversion = \"1\"\n";
        assert_eq!(names(Kind::CargoLock, cl)[0].0, "serde-json");
    }

    #[test]
    fn python_formats() {
        let r = "# c\nRequests[socks]>=2 ; python_version>'3'\n-r base.txt\n--index-url https://x\n-e git+https://g.com/a/b.git#egg=My_Pkg\n./local\nfoo @ https://e.com/foo.whl\n";
        let d = names(Kind::Requirements, r);
        assert_eq!(d[0], ("requests".into(), Source::Registry));
        assert!(
            d.iter()
                .any(|(n, s)| n == "my-pkg" && matches!(s, Source::Remote(_)))
        );
        assert!(
            d.iter()
                .any(|(n, s)| n == "foo" && matches!(s, Source::Remote(_)))
        );
        assert_eq!(d.len(), 3, "{d:?}");
        let p = "[project]\ndependencies=[\"attrs>=1\"]\n[project.optional-dependencies]\nx=[\"rich\"]\n[build-system]\nrequires=[\"setuptools\"]\n[tool.poetry.dependencies]\npython=\"^3.9\"\nhttpx={git=\"https://g/httpx\"}\n";
        let d = names(Kind::Pyproject, p);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(
            d.iter()
                .any(|(n, s)| n == "httpx" && matches!(s, Source::Remote(_)))
        );
        let s = "from setuptools import setup\nsetup(name='x', install_requires=[\n 'six>=1', \"Click\",\n])\n";
        assert_eq!(
            names(Kind::SetupPy, s)
                .into_iter()
                .map(|x| x.0)
                .collect::<Vec<_>>(),
            ["six", "click"]
        );
        let c = "[metadata]\nname=x\n[options]\ninstall_requires =\n    six\n    click>=7\npackages = find:\n";
        assert_eq!(names(Kind::SetupCfg, c).len(), 2);
    }

    #[test]
    fn cargo_and_go() {
        let c = "[dependencies]\nserde = \"1\"\nmy_fork = { package = \"Tokio\", git = \"https://g/tokio\", rev = \"abc\" }\nlocal = { path = \"../local\" }\nws = { workspace = true }\n[target.'cfg(unix)'.dev-dependencies]\nlibc = \"0.2\"\n";
        let d = names(Kind::CargoToml, c);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(
            d.iter()
                .any(|(n, s)| n == "tokio" && matches!(s, Source::Remote(_)))
        );
        assert!(d.contains(&("local".into(), Source::Local)));
        let g = "module example.com/me\n\nrequire (\n\tgolang.org/x/sys v0.1.0 // indirect\n\texample.com/me/sub v0.0.0\n)\nrequire github.com/a/b v1.2.3\nreplace github.com/a/b => github.com/evil/b v1.2.4\nreplace golang.org/x/sys => ../sys\n";
        let d = names(Kind::GoMod, g);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(
            d.iter()
                .any(|(n, s)| n == "github.com/a/b" && matches!(s, Source::Remote(_)))
        );
        assert!(!d.iter().any(|(n, _)| n.starts_with("example.com/me")));
    }

    proptest! {
        #[test]
        fn total(text in "[ -~\\n\\[\\]{}\"=]{0,300}") {
            for k in [Kind::PackageJson, Kind::PackageLock, Kind::Requirements, Kind::Pyproject,
                      Kind::SetupPy, Kind::SetupCfg, Kind::CargoToml, Kind::CargoLock, Kind::GoMod, Kind::GoSum] {
                let _ = parse(k, &text);
            }
        }
    }
}
