//! Per-distribution reports for an installed environment (issue 17, item 1).
//!
//! The rules always see the whole environment as one [`Artifact`]: cross-file rules (a
//! `.pth` importing a module another distribution installed, a console script shadowing
//! another's, RECORD checks) need every file at once. Splitting is a *reporting* step
//! after analysis: each finding goes to the installed distribution whose `RECORD` lists
//! its file, and everything no `RECORD` owns (an unrecorded `.pth`, `stdlib/sitecustomize.py`,
//! findings about the environment as a whole) stays with the environment-level artifact.
//!
//! The report then has, in this order:
//! - the environment-level artifact: `path` is the environment as given (the
//!   interpreter), no `name`/`version`; its `findings` are the environment-level ones,
//!   but its `verdict` and `score` are those of **the whole environment** (every finding
//!   counted together, as before the split), so splitting never lowers a verdict or an
//!   exit code;
//! - one artifact per installed distribution, sorted by normalised name: `path` is
//!   `<environment>!/<name>==<version>`, `format` is `environment`, `name` and `version`
//!   come from the distribution's `METADATA` (else from its `.dist-info` directory
//!   name); verdict and score are from its own findings.
//!
//! Ownership: a file belongs to a distribution when that distribution's top-level
//! `<name>-<version>.dist-info/RECORD` lists it (rows resolved relative to the directory
//! holding the `.dist-info`, as PEP 376/627 define), or when it lies inside that
//! `.dist-info` directory. A `__pycache__/<module>.<tag>.pyc` that no RECORD lists belongs
//! to the owner of `<module>.py` beside the `__pycache__` (the interpreter writes those
//! after installation). When two RECORDs list one file, the first `.dist-info` in path
//! order owns it (the RECORD rules report the overlap). A finding inside a nested archive
//! (`pkg/data.zip!/x`) belongs to the owner of the archive file.
//!
//! Policy (`assay.toml`) is applied per distribution, with that distribution's name and
//! version, so `[[suppress]] package = "name"` works inside environments as it does for
//! wheels. The per-rule bound on listed findings (`assay_rules::MAX_FINDINGS_PER_RULE`)
//! is applied per reported artifact too: the analysis runs unbounded
//! (`Options::uncapped`), so one distribution's hundred symlinks cannot crowd another's
//! findings out, and each artifact's `omitted` says what its own bound cut.

use assay_core::{Artifact, ArtifactReport, Finding, Verdict};
use assay_policy::Policy;
use std::collections::{BTreeMap, HashMap};

/// One installed distribution of an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dist {
    /// `Name` from METADATA (else from the `.dist-info` directory name).
    pub name: String,
    /// `Version` from METADATA (else from the `.dist-info` directory name).
    pub version: String,
    /// Entry path of the `.dist-info` directory, without a trailing `/`.
    pub dist_info: String,
}

/// Which installed distribution owns which entry path.
#[derive(Debug, Default)]
pub struct Owners {
    /// Every distribution with a readable top-level RECORD, sorted by `.dist-info` path.
    pub dists: Vec<Dist>,
    /// Entry path → index into `dists`.
    by_path: HashMap<String, usize>,
    /// npm packages of a `node_modules` tree rather than Python distributions: names are
    /// `name@version`, and a file belongs to the deepest package folder holding it.
    npm: bool,
}

/// Most rows one RECORD contributes (a RECORD is a few thousand rows for the largest
/// distributions; the bound keeps a hostile one from growing the map without end).
const MAX_ROWS_PER_RECORD: usize = 1_000_000;

impl Owners {
    /// Read the ownership of every entry of an environment artifact from its RECORDs.
    pub fn read(art: &Artifact) -> Self {
        let mut infos: Vec<(&str, &assay_core::Entry)> = art
            .entries
            .iter()
            .filter_map(|e| installed_record_dir(&e.path).map(|d| (d, e)))
            .filter(|(_, e)| e.complete)
            .collect();
        infos.sort_by(|a, b| a.0.cmp(b.0));
        let mut owners = Owners::default();
        for (dir, rec) in infos {
            let Ok(record) = assay_formats::parse_record(&rec.data) else {
                continue;
            };
            let (name, version) = name_version(art, dir);
            let index = owners.dists.len();
            owners.dists.push(Dist {
                name,
                version,
                dist_info: dir.to_owned(),
            });
            let base = dir.rsplit_once('/').map(|(b, _)| b);
            for row in record.entries.iter().take(MAX_ROWS_PER_RECORD) {
                if let Some(p) = resolve(base, &row.path) {
                    owners.by_path.entry(p).or_insert(index);
                }
            }
        }
        owners
    }

    /// The packages of a `node_modules` tree (issue 15, item 8): one per
    /// `node_modules/<name>/package.json` or `node_modules/@scope/<name>/package.json`
    /// (nested trees included), named by its manifest's `name` and `version` (else the
    /// folder). A file belongs to the deepest package folder that holds it; the project's
    /// own files (outside every `node_modules/<name>/`) stay with the top-level artifact.
    pub fn read_npm(art: &Artifact) -> Self {
        let mut owners = Owners {
            npm: true,
            ..Owners::default()
        };
        let mut dirs: HashMap<&str, usize> = HashMap::new();
        let mut manifests: Vec<&assay_core::Entry> = art
            .entries
            .iter()
            .filter(|e| e.path.ends_with("/package.json") && npm_package_dir(&e.path).is_some())
            .collect();
        manifests.sort_by(|a, b| a.path.cmp(&b.path));
        for e in manifests {
            let Some(dir) = npm_package_dir(&e.path) else {
                continue;
            };
            let m = e
                .complete
                .then(|| assay_formats::parse_package_json(&e.data).ok())
                .flatten();
            let folder = dir.split("node_modules/").last().unwrap_or(dir);
            let name = m
                .as_ref()
                .and_then(|m| m.name.clone())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| folder.to_owned());
            let version = m.and_then(|m| m.version).unwrap_or_default();
            dirs.insert(dir, owners.dists.len());
            owners.dists.push(Dist {
                name,
                version,
                dist_info: dir.to_owned(),
            });
        }
        for e in &art.entries {
            let mut p = e.path.as_str();
            // The deepest `node_modules/<pkg>` folder holding the file.
            while let Some(dir) = deepest_package_dir(p) {
                if let Some(&i) = dirs.get(dir) {
                    owners.by_path.insert(e.path.clone(), i);
                    break;
                }
                p = dir.rsplit_once("/node_modules/").map_or("", |(a, _)| a);
                if p.is_empty() {
                    break;
                }
            }
        }
        owners
    }

    /// The distribution owning an entry path (see the module doc), if any.
    pub fn owner(&self, path: &str) -> Option<usize> {
        if self.npm {
            return self.owner_npm(path);
        }
        let mut p = path;
        // Findings inside nested archives name `outer!/inner`; a second site-packages
        // directory's entries are themselves `<dir>!/rel`, so strip one `!/` at a time.
        loop {
            if let Some(i) = self.owner_of_entry(p) {
                return Some(i);
            }
            p = p.rsplit_once("!/")?.0;
        }
    }

    fn owner_npm(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(&i) = self.by_path.get(p) {
                return Some(i);
            }
            p = p.rsplit_once("!/")?.0;
        }
    }

    fn owner_of_entry(&self, p: &str) -> Option<usize> {
        if let Some(&i) = self.by_path.get(p) {
            return Some(i);
        }
        if let Some(i) = self.dists.iter().position(|d| {
            p.len() > d.dist_info.len() && p.starts_with(&format!("{}/", d.dist_info))
        }) {
            return Some(i);
        }
        // `dir/__pycache__/mod.cpython-312.pyc` → `dir/mod.py`.
        let (dir, file) = p.rsplit_once("/__pycache__/").map_or_else(
            || p.strip_prefix("__pycache__/").map(|f| ("", f)),
            |(d, f)| Some((d, f)),
        )?;
        let module = file.strip_suffix(".pyc")?.split('.').next()?;
        let source = if dir.is_empty() {
            format!("{module}.py")
        } else {
            format!("{dir}/{module}.py")
        };
        self.by_path.get(&source).copied()
    }
}

/// The package folder of a `package.json` path when it is `…node_modules/<name>/` or
/// `…node_modules/@scope/<name>/` (without the trailing `/`).
fn npm_package_dir(manifest: &str) -> Option<&str> {
    let dir = manifest.strip_suffix("/package.json")?;
    (deepest_package_dir(dir) == Some(dir)).then_some(dir)
}

/// The deepest `…node_modules/<name>` (or `…/@scope/<name>`) folder that is a prefix of
/// `path` (or `path` itself).
fn deepest_package_dir(path: &str) -> Option<&str> {
    let at = path.rfind("node_modules/")? + "node_modules/".len();
    let rest = path.get(at..)?;
    let mut parts = rest.splitn(3, '/');
    let first = parts.next().filter(|s| !s.is_empty())?;
    let len = if first.starts_with('@') {
        let second = parts.next().filter(|s| !s.is_empty())?;
        first.len() + 1 + second.len()
    } else {
        first.len()
    };
    path.get(..at + len)
}

/// `Some(dir)` when `path` is `<dir>/RECORD` with `<dir>` a `.dist-info` directory at the
/// top of a site-packages directory (an entry of a second directory carries a `<dir>!/`
/// prefix). RECORDs vendored inside packages describe the vendoring package's copy.
fn installed_record_dir(path: &str) -> Option<&str> {
    let dir = path.strip_suffix("/RECORD")?;
    let rel = dir.rsplit("!/").next().unwrap_or(dir);
    (rel.ends_with(".dist-info") && !rel.contains('/')).then_some(dir)
}

/// Resolve a RECORD row against the directory holding the `.dist-info` (`None` = the top
/// of the first site-packages directory): `.` and `..` applied, `None` when the row
/// climbs out of the artifact (scripts in `bin/`, headers: not entries).
fn resolve(base: Option<&str>, row: &str) -> Option<String> {
    let joined = match base {
        Some(b) => format!("{b}/{row}"),
        None => row.to_owned(),
    };
    // Keep a `<dir>!/` prefix whole: it is one path component for our purposes.
    let (prefix, rest) = match joined.rsplit_once("!/") {
        Some((p, r)) => (Some(p), r),
        None => (None, joined.as_str()),
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in rest.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    let rel = parts.join("/");
    Some(match prefix {
        Some(p) => format!("{p}!/{rel}"),
        None => rel,
    })
}

/// Name and version of the distribution whose `.dist-info` is `dir`: METADATA's `Name`
/// and `Version`, else the directory name split at its last `-` (`foo_bar-1.0.dist-info`).
fn name_version(art: &Artifact, dir: &str) -> (String, String) {
    let stem = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .trim_end_matches(".dist-info");
    let (dn, dv) = stem.rsplit_once('-').unwrap_or((stem, ""));
    let meta = art
        .entry(&format!("{dir}/METADATA"))
        .filter(|e| e.complete)
        .and_then(|e| assay_formats::parse_metadata(&e.data).ok());
    let name = meta
        .as_ref()
        .and_then(|m| m.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| dn.to_owned());
    let version = meta
        .and_then(|m| m.version)
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| dv.to_owned());
    (name, version)
}

/// The `path` of a distribution's artifact: `<environment>!/<name>==<version>`, or for an
/// npm package `<tree>!/<folder>` (its folder under the tree: nested copies of one name
/// stay apart).
pub fn dist_path(env: &str, d: &Dist) -> String {
    format!("{env}!/{}=={}", d.name, d.version)
}

fn part_path(env: &str, d: &Dist, npm: bool) -> String {
    if npm {
        format!("{env}!/{}", d.dist_info)
    } else {
        dist_path(env, d)
    }
}

/// Split an environment's analysed findings into the environment-level artifact and one
/// artifact per installed distribution (see the module doc); `(reports, used
/// suppression indices)`. `findings` are the rules' findings before policy.
pub fn split(
    art: &Artifact,
    findings: Vec<Finding>,
    policy: &Policy,
    sha: &dyn Fn(&str) -> Option<String>,
    today: (i32, u32, u32),
) -> (Vec<ArtifactReport>, Vec<usize>) {
    split_with(art, &Owners::read(art), findings, policy, sha, today)
}

/// [`split`] with the ownership given: an environment's RECORDs ([`Owners::read`]) or a
/// `node_modules` tree's package folders ([`Owners::read_npm`]).
pub fn split_with(
    art: &Artifact,
    owners: &Owners,
    findings: Vec<Finding>,
    policy: &Policy,
    sha: &dyn Fn(&str) -> Option<String>,
    today: (i32, u32, u32),
) -> (Vec<ArtifactReport>, Vec<usize>) {
    let mut parts: BTreeMap<Option<usize>, Vec<Finding>> = BTreeMap::new();
    for f in findings {
        let owner = if f.location.path.is_empty() {
            None
        } else {
            owners.owner(&f.location.path)
        };
        parts.entry(owner).or_default().push(f);
    }
    let mut used = Vec::new();
    let mut env_findings = Vec::new();
    let mut env_suppressed = 0;
    let mut dists: Vec<ArtifactReport> = Vec::new();
    let mut all_kept: Vec<Finding> = Vec::new();
    // Every distribution gets an artifact, with or without findings.
    for (i, d) in owners.dists.iter().enumerate() {
        let fs = parts.remove(&Some(i)).unwrap_or_default();
        let applied = policy.apply(Some(&d.name), Some(&d.version), fs, sha, today);
        used.extend(applied.used_indices());
        let mut kept = applied.kept;
        // The per-rule bound, per distribution (the analysis ran unbounded).
        let omitted = assay_rules::sort_dedup_counted(&mut kept);
        let (verdict, score) = assay_rules::score(&kept);
        all_kept.extend(kept.iter().cloned());
        let mut r = report(part_path(&art.path, d, owners.npm), kept, verdict, score);
        if owners.npm {
            r.format = art.format;
        }
        r.name = Some(d.name.clone());
        r.version = Some(d.version.clone());
        r.suppressed = applied.suppressed.len();
        r.omitted = omitted;
        dists.push(r);
    }
    for (_, fs) in parts {
        let applied = policy.apply(None, None, fs, sha, today);
        used.extend(applied.used_indices());
        env_suppressed += applied.suppressed.len();
        env_findings.extend(applied.kept);
    }
    let env_omitted = assay_rules::sort_dedup_counted(&mut env_findings);
    all_kept.extend(env_findings.iter().cloned());
    let (verdict, score) = assay_rules::score(&all_kept);
    let mut env = report(art.path.clone(), env_findings, verdict, score);
    if owners.npm {
        env.format = art.format;
    }
    env.suppressed = env_suppressed;
    env.omitted = env_omitted;
    dists.sort_by(|a, b| {
        let key = |r: &ArtifactReport| {
            (
                assay_policy::normalize_name(r.name.as_deref().unwrap_or_default()),
                r.version.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut out = vec![env];
    out.extend(dists);
    (out, used)
}

fn report(path: String, findings: Vec<Finding>, verdict: Verdict, score: f64) -> ArtifactReport {
    ArtifactReport::new(
        path,
        assay_core::ArtifactFormat::Environment,
        verdict,
        score,
        findings,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::{ArtifactFormat, Entry, EntryKind, FileKind};

    fn entry(path: &str, data: &[u8]) -> Entry {
        Entry {
            path: path.to_owned(),
            kind: EntryKind::File,
            size: data.len() as u64,
            data: data.to_vec(),
            complete: true,
            file_kind: FileKind::Text,
            sha256: None,
        }
    }

    fn env() -> Artifact {
        let mut a = Artifact::new("/venv/bin/python3", ArtifactFormat::Environment);
        a.entries = vec![
            entry(
                "foo_bar-1.0.dist-info/RECORD",
                b"foo/__init__.py,,\nfoo.pth,,\n../../../bin/foo,,\nfoo_bar-1.0.dist-info/RECORD,,\n",
            ),
            entry(
                "foo_bar-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: Foo.Bar\nVersion: 1.0\n",
            ),
            entry("foo/__init__.py", b""),
            entry("foo/__pycache__/__init__.cpython-312.pyc", b""),
            entry("foo.pth", b""),
            entry("stray.pth", b""),
            entry(
                "/usr/lib/python3/dist-packages!/six-1.16.0.dist-info/RECORD",
                b"six.py,,\n",
            ),
            entry("/usr/lib/python3/dist-packages!/six.py", b""),
            entry("vendor/pip-1.0.dist-info/RECORD", b"stray.pth,,\n"),
        ];
        a
    }

    #[test]
    fn files_belong_to_the_distribution_whose_record_lists_them() {
        let a = env();
        let o = Owners::read(&a);
        let names: Vec<(&str, &str)> = o
            .dists
            .iter()
            .map(|d| (d.name.as_str(), d.version.as_str()))
            .collect();
        // METADATA's spelling for foo; the directory name for six (no METADATA).
        assert_eq!(names, [("six", "1.16.0"), ("Foo.Bar", "1.0")]);
        let foo = Some(1);
        assert_eq!(o.owner("foo/__init__.py"), foo);
        assert_eq!(o.owner("foo.pth"), foo);
        assert_eq!(
            o.owner("foo_bar-1.0.dist-info/METADATA"),
            foo,
            "inside its .dist-info"
        );
        assert_eq!(o.owner("foo/__pycache__/__init__.cpython-312.pyc"), foo);
        assert_eq!(o.owner("foo/data.zip!/inner.py"), None, "not listed");
        assert_eq!(
            o.owner("foo/__init__.py!/x"),
            foo,
            "nested: the outer file's owner"
        );
        assert_eq!(o.owner("/usr/lib/python3/dist-packages!/six.py"), Some(0));
        // A vendored RECORD owns nothing; an unlisted file has no owner.
        assert_eq!(o.owner("stray.pth"), None);
        assert_eq!(o.owner("stdlib/sitecustomize.py"), None);
    }

    #[test]
    fn record_rows_resolve_like_pep_376() {
        assert_eq!(resolve(None, "a/./b/../c.py").as_deref(), Some("a/c.py"));
        assert_eq!(resolve(None, "../../../bin/x"), None);
        assert_eq!(
            resolve(Some("/d!"), "x.py").as_deref(),
            Some("/d!/x.py"),
            "a second directory's prefix stays whole"
        );
        assert_eq!(
            installed_record_dir("a-1.dist-info/RECORD"),
            Some("a-1.dist-info")
        );
        assert_eq!(installed_record_dir("v/a-1.dist-info/RECORD"), None);
        assert_eq!(
            installed_record_dir("/d!/a-1.dist-info/RECORD"),
            Some("/d!/a-1.dist-info")
        );
    }
}
