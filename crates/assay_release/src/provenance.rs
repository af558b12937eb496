//! A published artifact against the git tree it claims to come from.
//!
//! The source side is the tree of a tag (found from the version when the user names
//! none, [`assay_history::tree::tags_for_version`]); both sides are scanned, and
//! [`compare`](crate::compare) gives the introduced findings (behaviour the artifact has
//! and its source does not: the Ultralytics wheel's miner). On top of that this module
//! reports, per published file:
//!
//! - **`REL007` file-not-in-source**: no file of that path in the tree. Build metadata
//!   the packaging tool writes (`PKG-INFO`, `*.dist-info/`, `*.egg-info/`, an sdist's
//!   `setup.cfg` of only `[egg_info]`) is expected; a `_version.py` is expected only when
//!   it holds nothing but assignments. Autotools output (`configure`, `Makefile.in`,
//!   `aclocal.m4`, `m4/*.m4`, `build-aux/`) and JavaScript build output (`dist/`,
//!   `lib/`, `build/`) are reported at low severity: generated, yet not waved through —
//!   their content is what the scan rules (`REL010` build-script payloads) judge.
//! - **`REL009` ignored-file-shipped**: the same, when the repository's own `.gitignore`
//!   files exclude the path (the xz-utils `m4/build-to-host.m4`).
//! - **`REL008` file-differs-from-source**: a code file whose content differs, unless
//!   every differing line is a version line (`__version__ = "…"`) a build writes.
//!
//! The published layout is mapped onto the repository's: an sdist or npm tarball's top
//! folder is dropped, and a wheel's `pkg/mod.py` is found under the prefix most files
//! share in the tree (`src/pkg/mod.py`).

use crate::diff::{Manifest, Side};
use assay_core::{Confidence, FileKind, Finding, Location, Rule, Severity};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The repository's `.gitignore` files, matched as git does (deeper files override).
pub struct Ignores {
    /// (directory, matcher), shallowest first.
    rules: Vec<(String, ignore::gitignore::Gitignore)>,
}

impl Ignores {
    /// From the `(path, content)` of every `.gitignore` in a tree.
    pub fn new<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>) -> Ignores {
        let mut rules = Vec::new();
        for (path, data) in files {
            let Some(dir) = path.strip_suffix(".gitignore") else {
                continue;
            };
            let dir = dir.trim_end_matches('/').to_owned();
            let mut b = ignore::gitignore::GitignoreBuilder::new(format!("/repo/{dir}"));
            for line in String::from_utf8_lossy(data).lines().take(10_000) {
                // A malformed pattern is skipped, as git skips it.
                let _ = b.add_line(None, line);
            }
            if let Ok(g) = b.build() {
                rules.push((dir, g));
            }
        }
        rules.sort_by_key(|(d, _)| d.matches('/').count() + usize::from(!d.is_empty()));
        Ignores { rules }
    }

    /// Whether the repository path `path` (a file) is ignored.
    pub fn ignored(&self, path: &str) -> bool {
        let full = format!("/repo/{path}");
        let mut ignored = false;
        for (dir, g) in &self.rules {
            if !dir.is_empty() && !path.starts_with(&format!("{dir}/")) {
                continue;
            }
            match g.matched_path_or_any_parents(&full, false) {
                ignore::Match::Ignore(_) => ignored = true,
                ignore::Match::Whitelist(_) => ignored = false,
                ignore::Match::None => {}
            }
        }
        ignored
    }
}

/// Paths a packaging tool writes into every artifact.
fn is_build_metadata(path: &str, text: Option<&str>) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path);
    if path
        .split('/')
        .any(|c| c.ends_with(".dist-info") || c.ends_with(".egg-info") || c == "EGG-INFO")
        || base == "PKG-INFO"
    {
        return true;
    }
    if path == "setup.cfg" {
        // setuptools writes `[egg_info]` (tag_build, tag_date) into an sdist's setup.cfg.
        return text.is_some_and(|t| {
            t.lines()
                .filter(|l| l.starts_with('['))
                .all(|l| l.trim() == "[egg_info]")
        });
    }
    if matches!(base, "_version.py" | "version.py" | "__version__.py") {
        // setuptools-scm, hatch-vcs, versioneer: assignments of version strings only.
        return text.is_some_and(|t| {
            t.lines().all(|l| {
                let l = l.trim();
                l.is_empty()
                    || l.starts_with('#')
                    || l.starts_with("from __future__")
                    || l.starts_with("from typing")
                    || l.starts_with("import typing")
                    || l.starts_with("TYPE_CHECKING")
                    || l.starts_with("if TYPE_CHECKING")
                    || l.starts_with("else:")
                    || l.starts_with("VERSION_TUPLE")
                    || l.starts_with("__all__")
                    || l.starts_with('"')
                    || l.starts_with('\'')
                    || is_plain_assignment(l)
            })
        });
    }
    false
}

/// `NAME [= NAME]… = VALUE` where the value calls nothing: string, number and tuple
/// literals and names only (what version-file writers produce).
fn is_plain_assignment(l: &str) -> bool {
    let Some((targets, value)) = l.rsplit_once('=') else {
        return false;
    };
    let targets_ok = targets.split('=').all(|t| {
        // `name: type` annotations allowed.
        let t = t.split(':').next().unwrap_or("").trim();
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ',' || c == ' ')
    });
    let mut prev = ' ';
    let mut in_str: Option<char> = None;
    for c in value.chars() {
        match in_str {
            Some(q) if c == q => in_str = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => in_str = Some(c),
            // A call: a name, `)` or `]` followed by `(`.
            None if c == '('
                && (prev.is_ascii_alphanumeric() || prev == '_' || prev == ')' || prev == ']') =>
            {
                return false;
            }
            None if !(c.is_ascii_alphanumeric() || " _.,+-()[]#".contains(c)) => return false,
            None => {}
        }
        if !c.is_whitespace() {
            prev = c;
        }
    }
    targets_ok && in_str.is_none()
}

/// Generated by autotools or a JavaScript build: reported low.
fn is_generated_output(path: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path);
    let top = path.split('/').next().unwrap_or("");
    matches!(
        base,
        "configure"
            | "Makefile.in"
            | "aclocal.m4"
            | "config.h.in"
            | "ltmain.sh"
            | "install-sh"
            | "missing"
            | "depcomp"
            | "compile"
            | "config.guess"
            | "config.sub"
            | "config.rpath"
            | "test-driver"
            | "ar-lib"
            | "mkinstalldirs"
    ) || base.ends_with(".m4")
        || base.ends_with(".gmo")
        || matches!(
            top,
            "build-aux" | "dist" | "lib" | "build" | "esm" | "cjs" | "types"
        )
        || base.ends_with(".d.ts")
        || base.ends_with(".map")
}

fn is_code(k: FileKind) -> bool {
    matches!(
        k,
        FileKind::Python | FileKind::Pth | FileKind::JavaScript | FileKind::Script
    )
}

/// The repository prefix under which the published files sit (`src/`), chosen as the
/// prefix that explains the most published paths; `""` when the paths match as they are.
pub fn layout_prefix<'a>(
    published: impl Iterator<Item = &'a str>,
    source: &HashSet<&str>,
) -> String {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut direct = 0usize;
    let by_suffix: HashMap<&str, Vec<&str>> = {
        let mut m: HashMap<&str, Vec<&str>> = HashMap::new();
        for s in source {
            let base = s.rsplit('/').next().unwrap_or(s);
            m.entry(base).or_default().push(s);
        }
        m
    };
    for p in published {
        if source.contains(p) {
            direct += 1;
            continue;
        }
        let base = p.rsplit('/').next().unwrap_or(p);
        for s in by_suffix.get(base).into_iter().flatten() {
            if let Some(prefix) = s.strip_suffix(p)
                && (prefix.is_empty() || prefix.ends_with('/'))
            {
                *counts.entry(prefix.to_owned()).or_default() += 1;
            }
        }
    }
    match counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    {
        Some((prefix, n)) if n > direct => prefix,
        _ => String::new(),
    }
}

/// Whether the only differences between two texts are lines naming a version.
fn only_version_lines(a: &str, b: &str) -> bool {
    let set = |t: &str| -> HashSet<String> { t.lines().map(str::to_owned).collect() };
    let (x, y) = (set(a), set(b));
    x.symmetric_difference(&y)
        .all(|l| l.to_ascii_lowercase().contains("version"))
}

/// The provenance findings of a published artifact (`published`, with its manifest)
/// against the source tree's files (`source`: repository path → content) and its
/// `.gitignore` rules. `texts` gives a published file's text by its raw path (the
/// manifest keeps digests, not contents).
pub fn findings(
    published: &Side,
    source: &BTreeMap<String, Vec<u8>>,
    ignores: &Ignores,
    texts: &dyn Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    let paths: HashSet<&str> = source.keys().map(String::as_str).collect();
    let normal: Vec<(String, &crate::diff::ManifestFile)> = published
        .manifest
        .files
        .iter()
        .map(|f| (published.normal(&f.path), f))
        .collect();
    let prefix = layout_prefix(normal.iter().map(|(p, _)| p.as_str()), &paths);
    let mut out = Vec::new();
    let mut per_rule: HashMap<Rule, usize> = HashMap::new();
    let mut push = |f: Finding| {
        let n = per_rule.entry(f.rule).or_default();
        *n += 1;
        if *n <= 25 {
            out.push(f);
        }
    };
    for (p, f) in &normal {
        let repo_path = if paths.contains(p.as_str()) {
            p.clone()
        } else {
            format!("{prefix}{p}")
        };
        let text = || texts(&f.path);
        match source.get(&repo_path) {
            None => {
                if is_build_metadata(p, text().as_deref()) {
                    continue;
                }
                let ignored = ignores.ignored(&repo_path);
                let generated = is_generated_output(p);
                let (rule, why) = if ignored {
                    (
                        Rule::IgnoredFileShipped,
                        format!("`{repo_path}` is excluded by the repository's .gitignore"),
                    )
                } else {
                    (
                        Rule::FileNotInSource,
                        format!("`{repo_path}` is not in the source tree"),
                    )
                };
                let (severity, confidence) = if generated {
                    (Severity::Low, Confidence::Low)
                } else if is_code(f.kind) {
                    (
                        if ignored {
                            Severity::High
                        } else {
                            Severity::Medium
                        },
                        Confidence::Medium,
                    )
                } else {
                    (Severity::Low, Confidence::Medium)
                };
                let what = if generated {
                    " (generated output: its content is what counts)"
                } else {
                    ""
                };
                push(Finding::new(
                    rule,
                    severity,
                    confidence,
                    Location::file(f.path.clone()),
                    format!("{why}{what}"),
                ));
            }
            Some(src) => {
                if !is_code(f.kind) {
                    continue;
                }
                let same = f.complete
                    && f.size == src.len() as u64
                    && f.sha256 == <[u8; 32]>::from(sha2::Sha256::digest(src.as_slice()));
                if same {
                    continue;
                }
                let Some(t) = text() else { continue };
                let s = String::from_utf8_lossy(src);
                if t == s || only_version_lines(&t, &s) {
                    continue;
                }
                push(Rule::FileDiffersFromSource.finding(
                    Location::file(f.path.clone()),
                    format!("differs from `{repo_path}` at the tagged commit"),
                ));
            }
        }
    }
    out
}

use sha2::Digest;

/// `REL012`: the code files of a wheel against the same release's sdist. `wheel_text`
/// and `sdist_text` give a file's text by its raw path.
pub fn wheel_vs_sdist(
    wheel: &Side,
    wheel_text: &dyn Fn(&str) -> Option<String>,
    sdist: &Side,
    sdist_text: &dyn Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    let sdist_files: HashMap<String, &crate::diff::ManifestFile> = sdist
        .manifest
        .files
        .iter()
        .map(|f| (sdist.normal(&f.path), f))
        .collect();
    let paths: HashSet<&str> = sdist_files.keys().map(String::as_str).collect();
    // A wheel's `NAME-VER.data/purelib/` and `platlib/` install like its root.
    let installed = |p: &str| -> Option<String> {
        match p.split_once(".data/") {
            Some((_, rest)) => rest
                .strip_prefix("purelib/")
                .or_else(|| rest.strip_prefix("platlib/"))
                .map(str::to_owned),
            None => Some(p.to_owned()),
        }
    };
    let wheel_files: Vec<(String, &crate::diff::ManifestFile)> = wheel
        .manifest
        .files
        .iter()
        .filter(|f| is_code(f.kind))
        .filter_map(|f| installed(&wheel.normal(&f.path)).map(|p| (p, f)))
        .filter(|(p, _)| !is_build_metadata(p, None))
        .collect();
    let prefix = layout_prefix(wheel_files.iter().map(|(p, _)| p.as_str()), &paths);
    let mut out = Vec::new();
    for (p, f) in &wheel_files {
        let sp = if paths.contains(p.as_str()) {
            p.clone()
        } else {
            format!("{prefix}{p}")
        };
        let text = wheel_text(&f.path);
        match sdist_files.get(&sp) {
            None => {
                if is_build_metadata(p, text.as_deref()) {
                    continue;
                }
                let base = p.rsplit('/').next().unwrap_or(p);
                let startup = f.kind == FileKind::Pth
                    || matches!(base, "sitecustomize.py" | "usercustomize.py");
                let (severity, confidence) = if startup {
                    (Severity::High, Confidence::High)
                } else {
                    (Severity::Medium, Confidence::Medium)
                };
                out.push(Finding::new(
                    Rule::WheelDiffersFromSdist,
                    severity,
                    confidence,
                    Location::file(f.path.clone()),
                    format!("`{p}` is in the wheel but not in the sdist"),
                ));
            }
            Some(g) => {
                if g.sha256 == f.sha256 && g.size == f.size {
                    continue;
                }
                let (Some(a), Some(b)) = (text, sdist_text(&g.path)) else {
                    continue;
                };
                if a == b || only_version_lines(&a, &b) {
                    continue;
                }
                out.push(Rule::WheelDiffersFromSdist.finding(
                    Location::file(f.path.clone()),
                    format!("differs from the sdist's `{sp}`"),
                ));
            }
        }
        if out.len() >= 25 {
            break;
        }
    }
    out
}

/// The findings when no tag matches: `REL006`, naming the tags tried.
pub fn no_tag(version: Option<&str>, tried: &str) -> Finding {
    Rule::NoMatchingTag.finding(
        Location::file(""),
        match version {
            Some(v) => format!("no tag for version {v} (tried {tried})"),
            None => "the artifact's version is unknown, so no tag can be matched".to_owned(),
        },
    )
}

/// The empty manifest, for a side that has nothing to compare with.
pub fn empty_side(label: &str) -> Side {
    Side::new(label, None, Manifest::default(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_like_git() {
        let ig = Ignores::new(
            [
                (".gitignore", b"*.o\n/build/\n!keep.o\n".as_slice()),
                (
                    "m4/.gitignore",
                    b"libtool.m4\nbuild-to-host.m4\n".as_slice(),
                ),
            ]
            .into_iter(),
        );
        assert!(ig.ignored("src/a.o"));
        assert!(!ig.ignored("src/keep.o"));
        assert!(ig.ignored("build/x.js"));
        assert!(!ig.ignored("src/build/x.js"));
        assert!(ig.ignored("m4/build-to-host.m4"));
        assert!(!ig.ignored("m4/visibility.m4"));
        assert!(!ig.ignored("build-to-host.m4"));
    }

    #[test]
    fn wheel_layout_under_src() {
        let src: HashSet<&str> = [
            "src/pkg/__init__.py",
            "src/pkg/a.py",
            "tests/test_a.py",
            "pyproject.toml",
        ]
        .into_iter()
        .collect();
        assert_eq!(
            layout_prefix(
                ["pkg/__init__.py", "pkg/a.py", "pkg-1.0.dist-info/RECORD"].into_iter(),
                &src
            ),
            "src/"
        );
        assert_eq!(
            layout_prefix(
                ["src/pkg/a.py", "pyproject.toml", "PKG-INFO"].into_iter(),
                &src
            ),
            ""
        );
    }

    #[test]
    fn generated_metadata() {
        assert!(is_build_metadata("PKG-INFO", None));
        assert!(is_build_metadata("pkg-1.0.dist-info/RECORD", None));
        assert!(is_build_metadata(
            "setup.cfg",
            Some("[egg_info]\ntag_build = \ntag_date = 0\n")
        ));
        assert!(!is_build_metadata(
            "setup.cfg",
            Some("[metadata]\nname = x\n")
        ));
        assert!(is_build_metadata(
            "pkg/_version.py",
            Some(
                "# file generated by setuptools-scm\n__version__ = version = '1.2.3'\n__version_tuple__ = version_tuple = (1, 2, 3)\n"
            )
        ));
        assert!(!is_build_metadata(
            "pkg/_version.py",
            Some("import os\nos.system('x')\n")
        ));
        assert!(!is_build_metadata(
            "pkg/_version.py",
            Some("v = (__import__('os').system('x'))\n")
        ));
        assert!(is_build_metadata(
            "pkg/_version.py",
            Some("__version__: str = '1.2.3'\nversion_tuple = (1, 2, 'dev3')\n")
        ));
        assert!(only_version_lines(
            "a\n__version__ = '0.0.0'\n",
            "a\n__version__ = '1.2.3'\n"
        ));
        assert!(!only_version_lines("a\n", "a\nimport os\n"));
    }
}
