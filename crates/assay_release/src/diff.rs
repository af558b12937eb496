//! Release-to-release comparison: the files of two versions of one package and the
//! behaviour the newer one gained.
//!
//! A [`Manifest`] is what this module keeps of an artifact: per file its digest, size,
//! kind and the few facts the `REL` rules compare (network hosts named in code, opaque
//! or minified content); per artifact its startup hooks and declared dependencies. The
//! manifest is taken **before** the artifact is judged (judging releases file texts).
//!
//! Paths are compared after normalisation ([`Side::normal`]): the single top-level folder
//! every entry shares (`litellm-1.82.6/` of an sdist, `package/` of an npm tarball) is
//! dropped, and the side's version inside a path component becomes `{version}`
//! (`litellm-1.82.6.dist-info/RECORD` → `litellm-{version}.dist-info/RECORD`), so the
//! same file of two versions has the same name. A file whose content moved to a new
//! name (same sha256) is `renamed`, not added.
//!
//! A scan finding is **introduced** when no finding of the older side has the same rule,
//! normalised path and evidence (with versions normalised the same way); line numbers
//! are not compared, since code moves between versions.

use assay_core::{Artifact, Confidence, FileKind, Finding, Location, Rule, Severity, lossy_text};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

/// Files below this size are never reported as opaque blobs (bytes).
const OPAQUE_MIN_BYTES: u64 = 1024;
/// Shannon entropy (bits per byte) from which a file of no known format is opaque.
const OPAQUE_ENTROPY: f64 = 7.2;
/// A code file with a line this long (characters) is minified.
const MINIFIED_LINE: usize = 5_000;
/// At most this many findings per `REL` rule and comparison (the rest are counted in the
/// last finding's evidence).
const PER_RULE: usize = 10;

/// What a comparison keeps of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestFile {
    /// The path inside the artifact, as read (not normalised).
    pub path: String,
    /// sha256 of the content; of the read prefix when `complete` is false.
    pub sha256: [u8; 32],
    /// Whether the whole file was read (else `sha256` covers a prefix and `size` the
    /// declared size).
    pub complete: bool,
    /// sha256 of the content with every `\r` removed, for text (no NUL byte); equal to
    /// `sha256` when there is no `\r`. Two files that differ only in line endings (git's
    /// `eol` conversion in `git archive`, a Windows checkout) are the same file.
    pub text_sha256: [u8; 32],
    /// Size in bytes.
    pub size: u64,
    /// Classification by name and first bytes.
    pub kind: FileKind,
    /// High-entropy content of no known format, or a minified code file.
    pub opaque: Option<&'static str>,
    /// Network hosts named in the file, when it is code (lower-case, sorted, unique).
    pub hosts: Vec<String>,
}

/// What a comparison keeps of one artifact ([`Manifest::of`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    /// Every regular file, in archive order.
    pub files: Vec<ManifestFile>,
    /// Startup and install hooks: a key naming each (`executable .pth line in x.pth`,
    /// `npm postinstall: node setup.js`) and the raw path of the file that holds it.
    pub hooks: BTreeMap<String, String>,
    /// Declared dependencies (normalised names) and the raw path that declares them.
    pub dependencies: BTreeMap<String, String>,
    /// `name` and `version` of a root `package.json` (npm tarballs and package
    /// folders, whose scan reports neither).
    pub npm_package: Option<(String, String)>,
    /// The project the metadata says it is: the last component of a
    /// `github.com`/`gitlab.com`/`bitbucket.org` `OWNER/PROJECT` URL in core metadata
    /// (`Home-page`, `Project-URL`) or a root `package.json` (`repository`,
    /// `homepage`), lower-case, without `.git`.
    pub claimed_project: Option<String>,
}

/// One side of a comparison: an artifact's manifest, the findings its scan raised, and
/// its version.
#[derive(Debug, Clone)]
pub struct Side {
    /// The artifact's path, as the user named it.
    pub label: String,
    /// The distribution version from its metadata, when known.
    pub version: Option<String>,
    /// The files.
    pub manifest: Manifest,
    /// What the scan rules raised on it (after the policy).
    pub findings: Vec<Finding>,
    /// The common top-level folder of its entries (`litellm-1.82.6`), dropped from
    /// normalised paths.
    root: Option<String>,
}

/// How far apart two versions are (semantic-versioning terms, read from the leading
/// numeric release components of PEP 440 and semver versions alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    /// The first component differs (`1.x` → `2.0`).
    Major,
    /// The second differs (`1.4` → `1.5`).
    Minor,
    /// Only later components, or pre/post/local parts, differ (`1.82.6` → `1.82.7`).
    Patch,
    /// The new version is not newer (the same, or a downgrade), or a version is unknown.
    Other,
}

impl Bump {
    /// `"major"`, `"minor"`, `"patch"` or `"other"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
            Bump::Other => "other",
        }
    }
}

/// The [`Bump`] from `old` to `new`.
pub fn bump(old: Option<&str>, new: Option<&str>) -> Bump {
    let (Some(old), Some(new)) = (old, new) else {
        return Bump::Other;
    };
    let nums = |v: &str| -> Vec<u64> {
        v.trim_start_matches(['v', 'V'])
            .split(['.', '-', '+'])
            .map_while(|p| {
                let d: String = p.chars().take_while(char::is_ascii_digit).collect();
                d.parse().ok()
            })
            .collect()
    };
    let (a, b) = (nums(old), nums(new));
    if a.is_empty() || b.is_empty() {
        return Bump::Other;
    }
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    let n = a.len().max(b.len());
    for i in 0..n {
        let (x, y) = (at(&a, i), at(&b, i));
        if y > x {
            return match i {
                0 => Bump::Major,
                1 => Bump::Minor,
                _ => Bump::Patch,
            };
        }
        if y < x {
            return Bump::Other;
        }
    }
    // Same release numbers: pre-release, post-release or local parts differ.
    if old != new { Bump::Patch } else { Bump::Other }
}

/// How a file differs between the sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// Only in the newer side.
    Added,
    /// Only in the older side.
    Removed,
    /// In both, with different content.
    Changed,
    /// The same content under a new name (the older normalised path).
    Renamed(String),
}

impl FileStatus {
    /// `"added"`, `"removed"`, `"changed"` or `"renamed"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Removed => "removed",
            FileStatus::Changed => "changed",
            FileStatus::Renamed(_) => "renamed",
        }
    }
}

/// One file that differs between the sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The normalised path (the newer side's, or the older side's for a removed file).
    pub path: String,
    /// How it differs.
    pub status: FileStatus,
    /// Hex sha256 in the older side.
    pub old_sha256: Option<String>,
    /// Hex sha256 in the newer side.
    pub new_sha256: Option<String>,
}

/// The result of [`compare`].
#[derive(Debug, Clone)]
pub struct Delta {
    /// The version bump.
    pub bump: Bump,
    /// Files that differ, sorted by normalised path.
    pub files: Vec<FileChange>,
    /// Files the same in both.
    pub unchanged: usize,
    /// The newer side's scan findings that the older side does not have.
    pub introduced: Vec<Finding>,
    /// The older side's scan findings that the newer side no longer has.
    pub resolved: Vec<Finding>,
    /// The `REL` findings of what changed in kind.
    pub findings: Vec<Finding>,
}

impl Delta {
    /// What decides the verdict of the change: the introduced scan findings and the
    /// `REL` findings, in that order.
    pub fn verdict_findings(&self) -> Vec<Finding> {
        self.introduced
            .iter()
            .chain(&self.findings)
            .cloned()
            .collect()
    }
}

impl Manifest {
    /// The manifest of an artifact (read before it is judged: judging releases texts).
    pub fn of(art: &Artifact) -> Manifest {
        let mut m = Manifest::default();
        for e in &art.entries {
            if e.kind != assay_core::EntryKind::File {
                continue;
            }
            let sha256 = match e.sha256 {
                Some(h) if e.complete => h,
                _ => Sha256::digest(&e.data).into(),
            };
            let text_sha256 = if memchr::memchr(b'\r', &e.data).is_some()
                && memchr::memchr(0, &e.data).is_none()
            {
                let lf: Vec<u8> = e.data.iter().copied().filter(|&b| b != b'\r').collect();
                Sha256::digest(&lf).into()
            } else {
                sha256
            };
            let code = matches!(
                e.file_kind,
                FileKind::Python | FileKind::Pth | FileKind::JavaScript | FileKind::Script
            );
            let text = if code || matches!(e.file_kind, FileKind::Text | FileKind::CoreMetadata) {
                Some(lossy_text(&e.data))
            } else {
                None
            };
            let opaque = opaque(e.file_kind, e.size, &e.data, text.as_deref());
            let hosts = match (&text, code && !is_test_or_doc(&e.path)) {
                (Some(t), true) => hosts(t),
                _ => Vec::new(),
            };
            if let Some(t) = &text {
                if m.npm_package.is_none() {
                    m.npm_package = npm_package(&e.path, t);
                }
                if m.claimed_project.is_none() && e.path.matches('/').count() <= 1 {
                    m.claimed_project = claimed_project(&e.path, e.file_kind, t);
                }
                hooks_of(&e.path, e.file_kind, t, &mut m.hooks);
                dependencies_of(&e.path, e.file_kind, t, &mut m.dependencies);
            }
            m.files.push(ManifestFile {
                path: e.path.clone(),
                sha256,
                text_sha256,
                complete: e.complete,
                size: e.size,
                kind: e.file_kind,
                opaque,
                hosts,
            });
        }
        m
    }
}

impl Side {
    /// A side from its parts; the common top-level folder is found here.
    pub fn new(
        label: impl Into<String>,
        version: Option<String>,
        manifest: Manifest,
        findings: Vec<Finding>,
    ) -> Side {
        let root = common_root(manifest.files.iter().map(|f| f.path.as_str()));
        Side {
            label: label.into(),
            version,
            manifest,
            findings,
            root,
        }
    }

    /// The same side with `root` (one or more `/`-separated components, or none) as the
    /// folder dropped from normalised paths, instead of the common top-level folder.
    pub fn with_root(mut self, root: Option<String>) -> Side {
        self.root = root;
        self
    }

    /// A path of this side, normalised for comparison (see the module doc).
    pub fn normal(&self, path: &str) -> String {
        let p = match &self.root {
            Some(r) => path
                .strip_prefix(r.as_str())
                .and_then(|p| p.strip_prefix('/'))
                .unwrap_or(path),
            None => path,
        };
        self.unversioned(p)
    }

    /// `text` with this side's version (when at least 3 characters) as `{version}`.
    fn unversioned(&self, text: &str) -> String {
        match &self.version {
            Some(v) if v.len() >= 3 => text.replace(v.as_str(), "{version}"),
            _ => text.to_owned(),
        }
    }

    /// The comparison key of a scan finding: rule, normalised path, evidence.
    fn key(&self, f: &Finding) -> (Rule, String, String) {
        (
            f.rule,
            self.normal(&f.location.path),
            self.unversioned(&f.evidence),
        )
    }
}

/// The single first path component every path shares, if any (and if at least one path
/// has more than one component).
fn common_root<'a>(mut paths: impl Iterator<Item = &'a str>) -> Option<String> {
    let first = paths.next()?;
    let (root, _) = first.split_once('/')?;
    paths
        .all(|p| p.split_once('/').is_some_and(|(r, _)| r == root))
        .then(|| root.to_owned())
}

fn hex(h: &[u8; 32]) -> String {
    use std::fmt::Write;
    h.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Compare two sides: the older `old` and the newer `new`.
pub fn compare(old: &Side, new: &Side) -> Delta {
    let bump = bump(old.version.as_deref(), new.version.as_deref());
    let (o, n) = (index(old), index(new));
    let mut files = Vec::new();
    let mut unchanged = 0;
    let removed: Vec<&String> = o.keys().filter(|p| !n.contains_key(*p)).collect();
    let mut removed_by_hash: HashMap<[u8; 32], &String> = removed
        .iter()
        .filter_map(|p| o.get(*p).map(|f| (f.sha256, *p)))
        .collect();
    for (p, f) in &n {
        match o.get(p) {
            Some(g)
                if (g.sha256 == f.sha256 && g.size == f.size)
                    || (g.complete && f.complete && g.text_sha256 == f.text_sha256) =>
            {
                unchanged += 1
            }
            Some(g) => files.push(FileChange {
                path: p.clone(),
                status: FileStatus::Changed,
                old_sha256: Some(hex(&g.sha256)),
                new_sha256: Some(hex(&f.sha256)),
            }),
            None => {
                let status = match removed_by_hash.remove(&f.sha256) {
                    Some(from) => FileStatus::Renamed(from.clone()),
                    None => FileStatus::Added,
                };
                files.push(FileChange {
                    path: p.clone(),
                    old_sha256: match &status {
                        FileStatus::Renamed(_) => Some(hex(&f.sha256)),
                        _ => None,
                    },
                    status,
                    new_sha256: Some(hex(&f.sha256)),
                });
            }
        }
    }
    let renamed_from: HashSet<String> = files
        .iter()
        .filter_map(|c| match &c.status {
            FileStatus::Renamed(from) => Some(from.clone()),
            _ => None,
        })
        .collect();
    for p in removed {
        if renamed_from.contains(p) {
            continue;
        }
        files.push(FileChange {
            path: p.clone(),
            status: FileStatus::Removed,
            old_sha256: o.get(p).map(|f| hex(&f.sha256)),
            new_sha256: None,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let keys = |s: &Side| -> (HashSet<_>, HashSet<_>) {
        (
            s.findings.iter().map(|f| s.key(f)).collect(),
            s.findings
                .iter()
                .map(|f| (f.rule, shape(&f.evidence)))
                .collect(),
        )
    };
    let ((old_keys, old_shapes), (new_keys, new_shapes)) = (keys(old), keys(new));
    // A finding about code is new when its rule, file and evidence are; a finding about
    // the files themselves (a reading bound reached, a file over a size limit: no
    // execution context) is new only in kind, wherever it lands.
    let seen = |s: &Side, f: &Finding, exact: &HashSet<_>, shapes: &HashSet<_>| {
        exact.contains(&s.key(f))
            || (f.context.is_none() && shapes.contains(&(f.rule, shape(&f.evidence))))
    };
    let introduced: Vec<Finding> = new
        .findings
        .iter()
        .filter(|f| !seen(new, f, &old_keys, &old_shapes))
        .cloned()
        .collect();
    let resolved: Vec<Finding> = old
        .findings
        .iter()
        .filter(|f| !seen(old, f, &new_keys, &new_shapes))
        .cloned()
        .collect();

    let added: HashSet<&str> = files
        .iter()
        .filter(|c| c.status == FileStatus::Added)
        .map(|c| c.path.as_str())
        .collect();
    let mut findings = Vec::new();
    hook_findings(old, new, bump, &mut findings);
    native_findings(&o, &n, &added, &mut findings);
    opaque_findings(&o, &n, &added, &mut findings);
    host_findings(&o, &n, &mut findings);
    dependency_findings(old, new, &mut findings);
    Delta {
        bump,
        files,
        unchanged,
        introduced,
        resolved,
        findings,
    }
}

/// Evidence with its numbers and quoted or back-quoted names left out: what a finding
/// says, not where or how much.
fn shape(evidence: &str) -> String {
    let mut out = String::with_capacity(evidence.len());
    let mut quoted: Option<char> = None;
    for c in evidence.chars() {
        match quoted {
            Some(q) if c == q => quoted = None,
            Some(_) => {}
            None if c == '`' || c == '\'' || c == '"' => {
                quoted = Some(c);
                out.push('#');
            }
            None if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            None => out.push(c),
        }
    }
    out
}

fn index(s: &Side) -> BTreeMap<String, &ManifestFile> {
    s.manifest
        .files
        .iter()
        .map(|f| (s.normal(&f.path), f))
        .collect()
}

/// Push `f` unless [`PER_RULE`] findings of its rule are already there.
fn push_capped(out: &mut Vec<Finding>, f: Finding) {
    if out.iter().filter(|g| g.rule == f.rule).count() < PER_RULE {
        out.push(f);
    }
}

fn hook_findings(old: &Side, new: &Side, bump: Bump, out: &mut Vec<Finding>) {
    let old_hooks: HashSet<String> = old
        .manifest
        .hooks
        .keys()
        .map(|k| old.unversioned(k))
        .collect();
    let (severity, confidence) = match bump {
        Bump::Patch => (Severity::High, Confidence::High),
        Bump::Minor => (Severity::High, Confidence::Medium),
        Bump::Major | Bump::Other => (Severity::Medium, Confidence::Medium),
    };
    for (key, path) in &new.manifest.hooks {
        if old_hooks.contains(&new.unversioned(key)) {
            continue;
        }
        // `setup.py` already runs at install time: a command class adds a place for
        // code, not a new time it runs. What it does is judged by the scan rules.
        let (severity, confidence) = if key.contains("cmdclass") {
            match bump {
                Bump::Patch => (Severity::Medium, Confidence::Medium),
                _ => (Severity::Low, Confidence::Medium),
            }
        } else {
            (severity, confidence)
        };
        let evidence = match (&old.version, &new.version) {
            (Some(a), Some(b)) => format!("{key} (new in {b}, a {} bump from {a})", bump.as_str()),
            _ => format!("{key} (new)"),
        };
        let f = Finding::new(
            Rule::StartupHookAdded,
            severity,
            confidence,
            Location::file(path.clone()),
            evidence,
        );
        push_capped(out, f);
    }
}

fn is_native(k: FileKind) -> bool {
    matches!(k, FileKind::Elf | FileKind::Pe | FileKind::MachO)
}

fn native_findings(
    o: &BTreeMap<String, &ManifestFile>,
    n: &BTreeMap<String, &ManifestFile>,
    added: &HashSet<&str>,
    out: &mut Vec<Finding>,
) {
    if o.values().any(|f| is_native(f.kind)) {
        // Native code before: a new extension module is ordinary growth.
        return;
    }
    for (p, f) in n {
        if is_native(f.kind) && added.contains(p.as_str()) {
            push_capped(
                out,
                Rule::NativeBinaryAdded.finding(
                    Location::file(f.path.clone()),
                    format!(
                        "{:?} file of {} bytes; the previous release shipped no native code",
                        f.kind, f.size
                    ),
                ),
            );
        }
    }
}

fn opaque_findings(
    o: &BTreeMap<String, &ManifestFile>,
    n: &BTreeMap<String, &ManifestFile>,
    added: &HashSet<&str>,
    out: &mut Vec<Finding>,
) {
    let before: HashSet<&'static str> = o.values().filter_map(|f| f.opaque).collect();
    for (p, f) in n {
        let Some(what) = f.opaque else { continue };
        if !added.contains(p.as_str()) || before.contains(what) {
            // A kind of blob the project already shipped (minified bundles, data).
            continue;
        }
        push_capped(
            out,
            Rule::OpaqueBlobAdded.finding(
                Location::file(f.path.clone()),
                format!(
                    "{what}, {} bytes; the previous release had no such file",
                    f.size
                ),
            ),
        );
    }
}

fn host_findings(
    o: &BTreeMap<String, &ManifestFile>,
    n: &BTreeMap<String, &ManifestFile>,
    out: &mut Vec<Finding>,
) {
    let before: HashSet<&str> = o
        .values()
        .flat_map(|f| f.hosts.iter().map(String::as_str))
        .collect();
    let mut seen = HashSet::new();
    for f in n.values() {
        for h in &f.hosts {
            if before.contains(h.as_str()) || !seen.insert(h.as_str()) {
                continue;
            }
            push_capped(
                out,
                Rule::EndpointAdded.finding(
                    Location::file(f.path.clone()),
                    format!("`{h}` is named in code; the previous release's code did not name it"),
                ),
            );
        }
    }
}

fn dependency_findings(old: &Side, new: &Side, out: &mut Vec<Finding>) {
    for (name, path) in &new.manifest.dependencies {
        if old.manifest.dependencies.contains_key(name) {
            continue;
        }
        let eco = if path.ends_with("package.json") {
            assay_core::Ecosystem::Npm
        } else {
            assay_core::Ecosystem::PyPI
        };
        let f = match assay_rules::typosquat::squats_in(eco, name) {
            Some((target, how)) => Finding::new(
                Rule::DependencyAdded,
                Severity::High,
                Confidence::Medium,
                Location::file(path.clone()),
                format!("new dependency `{name}` imitates `{target}` ({how})"),
            ),
            None => Rule::DependencyAdded.finding(
                Location::file(path.clone()),
                format!("new dependency `{name}`"),
            ),
        };
        push_capped(out, f);
    }
}

/// Paths whose code is not part of what a user runs: tests, docs, examples.
fn is_test_or_doc(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l.split('/').any(|c| {
        matches!(
            c,
            "test" | "tests" | "testing" | "doc" | "docs" | "example" | "examples" | "benchmarks"
        )
    }) || l.rsplit('/').next().is_some_and(|b| b.starts_with("test_"))
}

static URL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:https?|wss?|ftp)://([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)")
        .expect("static regex")
});

/// Network hosts named by URLs in a code text (at most 200 per file).
fn hosts(text: &str) -> Vec<String> {
    let mut set = BTreeSet::new();
    for c in URL.captures_iter(text).take(2_000) {
        let Some(h) = c.get(1) else { continue };
        let h = h.as_str().to_ascii_lowercase();
        let placeholder = matches!(h.as_str(), "localhost" | "127.0.0.1" | "0.0.0.0")
            || h.ends_with("example.com")
            || h.ends_with("example.org")
            || h.ends_with("example.net");
        if !placeholder {
            set.insert(h);
        }
        if set.len() >= 200 {
            break;
        }
    }
    set.into_iter().collect()
}

/// `Some("high-entropy data")` / `Some("minified code")` for content worth naming when
/// it appears.
fn opaque(kind: FileKind, size: u64, data: &[u8], text: Option<&str>) -> Option<&'static str> {
    if size < OPAQUE_MIN_BYTES {
        return None;
    }
    match kind {
        FileKind::Binary | FileKind::Text => {
            if assay_history::blob::document_kind(data).is_none()
                && assay_history::blob::entropy(data) >= OPAQUE_ENTROPY
            {
                Some("high-entropy data of no known format")
            } else {
                None
            }
        }
        FileKind::Python | FileKind::JavaScript => text
            .filter(|t| t.lines().any(|l| l.len() >= MINIFIED_LINE))
            .map(|_| "minified code"),
        _ => None,
    }
}

static FORGE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?:github\.com|gitlab\.com|bitbucket\.org)[/:]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)",
    )
    .expect("static regex")
});

/// See [`Manifest::claimed_project`].
fn claimed_project(path: &str, kind: FileKind, text: &str) -> Option<String> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let urls: Vec<String> = if kind == FileKind::CoreMetadata {
        text.lines()
            .take_while(|l| !l.is_empty())
            .filter(|l| l.starts_with("Home-page:") || l.starts_with("Project-URL:"))
            .map(str::to_owned)
            .collect()
    } else if base == "package.json" {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let repo = v.get("repository").map(|r| match r {
            serde_json::Value::String(s) => s.clone(),
            other => other
                .get("url")
                .and_then(|u| u.as_str())
                .unwrap_or("")
                .to_owned(),
        });
        let home = v
            .get("homepage")
            .and_then(|h| h.as_str())
            .map(str::to_owned);
        repo.into_iter().chain(home).collect()
    } else {
        return None;
    };
    urls.iter().find_map(|u| {
        let c = FORGE.captures(u)?;
        let project = c
            .get(2)?
            .as_str()
            .trim_end_matches(".git")
            .to_ascii_lowercase();
        (!project.is_empty()).then_some(project)
    })
}

/// `name` and `version` of a root `package.json` (at most one folder deep).
fn npm_package(path: &str, text: &str) -> Option<(String, String)> {
    let base = path.rsplit('/').next().unwrap_or(path);
    if base != "package.json" || path.matches('/').count() > 1 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    Some((
        v.get("name")?.as_str()?.to_owned(),
        v.get("version")?.as_str()?.to_owned(),
    ))
}

/// The startup and install hooks a file holds, keyed by what they are.
fn hooks_of(path: &str, kind: FileKind, text: &str, out: &mut BTreeMap<String, String>) {
    let base = path.rsplit('/').next().unwrap_or(path);
    match kind {
        FileKind::Pth
            if text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("import ") || l.starts_with("import\t")
            }) =>
        {
            out.insert(format!("executable .pth line in `{base}`"), path.to_owned());
        }
        FileKind::Python if !is_test_or_doc(path) => {
            if matches!(base, "sitecustomize.py" | "usercustomize.py") {
                out.insert(format!("`{base}`"), path.to_owned());
            }
            if base == "setup.py"
                && text
                    .lines()
                    .any(|l| !l.trim_start().starts_with('#') && l.contains("cmdclass"))
            {
                out.insert(
                    "a `setup.py` command class (`cmdclass`)".to_owned(),
                    path.to_owned(),
                );
            }
        }
        _ if base == "package.json" && path.matches('/').count() <= 1 => {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
                return;
            };
            let Some(scripts) = v.get("scripts").and_then(|s| s.as_object()) else {
                return;
            };
            for (name, cmd) in scripts {
                if matches!(
                    name.as_str(),
                    "preinstall"
                        | "install"
                        | "postinstall"
                        | "prepare"
                        | "preprepare"
                        | "postprepare"
                ) {
                    let cmd: String = cmd.as_str().unwrap_or("").chars().take(120).collect();
                    out.insert(format!("npm `{name}` script `{cmd}`"), path.to_owned());
                }
            }
        }
        _ => {}
    }
}

/// The dependencies a metadata file declares: `Requires-Dist` of `METADATA`/`PKG-INFO`
/// (core metadata 2.x), `dependencies` and `optionalDependencies` of a root
/// `package.json`.
fn dependencies_of(path: &str, kind: FileKind, text: &str, out: &mut BTreeMap<String, String>) {
    let base = path.rsplit('/').next().unwrap_or(path);
    if kind == FileKind::CoreMetadata && path.matches('/').count() <= 1 {
        for l in text.lines() {
            if l.is_empty() {
                break; // The body (long description) starts.
            }
            if let Some(req) = l.strip_prefix("Requires-Dist:") {
                let name: String = req
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                if !name.is_empty() {
                    out.entry(assay_rules::typosquat::canonical(
                        assay_core::Ecosystem::PyPI,
                        &name,
                    ))
                    .or_insert_with(|| path.to_owned());
                }
            }
        }
    } else if base == "package.json" && path.matches('/').count() <= 1 {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            return;
        };
        for field in ["dependencies", "optionalDependencies"] {
            if let Some(deps) = v.get(field).and_then(|d| d.as_object()) {
                for name in deps.keys().take(1_000) {
                    out.entry(name.to_ascii_lowercase())
                        .or_insert_with(|| path.to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::{ArtifactFormat, Entry};

    fn art(files: &[(&str, &str)]) -> Artifact {
        let mut a = Artifact::new("x", ArtifactFormat::Directory);
        for (p, t) in files {
            a.entries
                .push(Entry::file((*p).to_owned(), t.as_bytes().to_vec(), 1 << 20));
        }
        a
    }

    fn side(v: &str, files: &[(&str, &str)]) -> Side {
        Side::new("x", Some(v.to_owned()), Manifest::of(&art(files)), vec![])
    }

    #[test]
    fn bumps() {
        assert_eq!(bump(Some("1.82.6"), Some("1.82.7")), Bump::Patch);
        assert_eq!(bump(Some("1.82.6"), Some("1.83.0")), Bump::Minor);
        assert_eq!(bump(Some("1.9"), Some("2.0.0")), Bump::Major);
        assert_eq!(bump(Some("2.0.0"), Some("1.9")), Bump::Other);
        assert_eq!(bump(Some("1.0"), Some("1.0.post1")), Bump::Patch);
        assert_eq!(bump(Some("v3.3.4"), Some("v3.3.5")), Bump::Patch);
        assert_eq!(bump(None, Some("1")), Bump::Other);
    }

    #[test]
    fn paths_are_normalised_across_versions() {
        let a = side(
            "1.82.6",
            &[
                ("litellm-1.82.6/litellm/__init__.py", "x = 1\n"),
                ("litellm-1.82.6/PKG-INFO", "Name: litellm\n"),
            ],
        );
        let b = side(
            "1.82.7",
            &[
                ("litellm-1.82.7/litellm/__init__.py", "x = 2\n"),
                ("litellm-1.82.7/PKG-INFO", "Name: litellm\n"),
                ("litellm-1.82.7/litellm/moved.py", "x = 1\n"),
            ],
        );
        let d = compare(&a, &b);
        assert_eq!(d.unchanged, 1);
        let st: Vec<_> = d
            .files
            .iter()
            .map(|c| (c.path.as_str(), c.status.as_str()))
            .collect();
        assert_eq!(
            st,
            [
                ("litellm/__init__.py", "changed"),
                ("litellm/moved.py", "added")
            ]
        );
        assert!(d.findings.is_empty(), "{:?}", d.findings);
    }

    #[test]
    fn a_pth_added_in_a_patch_release_is_high() {
        let a = side("1.82.7", &[("pkg/__init__.py", "")]);
        let b = side(
            "1.82.8",
            &[
                ("pkg/__init__.py", ""),
                ("litellm_init.pth", "import os; exec('pass')\n"),
            ],
        );
        let d = compare(&a, &b);
        let f = d
            .findings
            .iter()
            .find(|f| f.rule == Rule::StartupHookAdded)
            .expect("REL001");
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.evidence.contains("patch bump"), "{}", f.evidence);
        // A `.pth` of paths only is no hook; one already there is no change.
        let c = side(
            "1.82.9",
            &[
                ("paths.pth", "src\n"),
                ("litellm_init.pth", "import os; exec('pass')\n"),
            ],
        );
        assert!(
            compare(&b, &c)
                .findings
                .iter()
                .all(|f| f.rule != Rule::StartupHookAdded)
        );
    }

    #[test]
    fn npm_lifecycle_scripts_added_or_changed() {
        let a = side(
            "1.0.0",
            &[(
                "package/package.json",
                r#"{"scripts":{"test":"jest","prepare":"tsc"}}"#,
            )],
        );
        let b = side(
            "1.0.1",
            &[(
                "package/package.json",
                r#"{"scripts":{"test":"jest","prepare":"tsc","postinstall":"node setup.js"}}"#,
            )],
        );
        let d = compare(&a, &b);
        let hooks: Vec<_> = d
            .findings
            .iter()
            .filter(|f| f.rule == Rule::StartupHookAdded)
            .map(|f| f.evidence.as_str())
            .collect();
        assert_eq!(hooks.len(), 1, "{hooks:?}");
        assert!(hooks[0].contains("postinstall"));
        let c = side(
            "1.0.2",
            &[(
                "package/package.json",
                r#"{"scripts":{"test":"vitest","prepare":"tsc","postinstall":"node setup.js"}}"#,
            )],
        );
        assert!(compare(&b, &c).findings.is_empty());
    }

    #[test]
    fn hosts_and_dependencies() {
        let a = side(
            "2.0.0",
            &[
                (
                    "sdk/client.py",
                    "BASE = 'https://api.vendor.example.invalid/v1'\n",
                ),
                (
                    "sdk-2.0.0.dist-info/METADATA",
                    "Name: sdk\nRequires-Dist: requests>=2\n\nbody\n",
                ),
            ],
        );
        let b = side(
            "2.0.1",
            &[
                (
                    "sdk/client.py",
                    "BASE = 'https://api.vendor.example.invalid/v1'\nLOG = 'https://collect.attacker.example.invalid/k'\n",
                ),
                ("sdk/tests/test_x.py", "U = 'https://ci.only.invalid/'\n"),
                (
                    "sdk-2.0.1.dist-info/METADATA",
                    "Name: sdk\nRequires-Dist: requests>=2\nRequires-Dist: reqeusts\nRequires-Dist: attrs\n\nRequires-Dist: body-only\n",
                ),
            ],
        );
        let d = compare(&a, &b);
        let ev: Vec<_> = d
            .findings
            .iter()
            .map(|f| (f.rule.code(), f.evidence.as_str(), f.severity))
            .collect();
        assert!(
            ev.iter()
                .any(|(c, e, _)| *c == "REL004" && e.contains("collect.attacker.example.invalid")),
            "{ev:?}"
        );
        assert!(
            !ev.iter().any(|(_, e, _)| e.contains("ci.only.invalid")),
            "{ev:?}"
        );
        assert!(
            ev.iter()
                .any(|(c, e, s)| *c == "REL005" && e.contains("reqeusts") && *s == Severity::High),
            "{ev:?}"
        );
        assert!(
            ev.iter()
                .any(|(c, e, s)| *c == "REL005" && e.contains("`attrs`") && *s == Severity::Info),
            "{ev:?}"
        );
        assert!(
            !ev.iter().any(|(_, e, _)| e.contains("body-only")),
            "{ev:?}"
        );
    }

    #[test]
    fn native_and_opaque_only_when_new_in_kind() {
        let elf = "\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        let a = side("1.0", &[("p/a.py", "")]);
        let b = side("1.1", &[("p/a.py", ""), ("p/miner", elf)]);
        assert!(
            compare(&a, &b)
                .findings
                .iter()
                .any(|f| f.rule == Rule::NativeBinaryAdded)
        );
        let c = side(
            "1.2",
            &[("p/a.py", ""), ("p/miner", elf), ("p/other.so", elf)],
        );
        assert!(
            compare(&b, &c)
                .findings
                .iter()
                .all(|f| f.rule != Rule::NativeBinaryAdded)
        );
    }

    #[test]
    fn line_endings_alone_are_no_change() {
        let a = side(
            "1.0",
            &[("p/a.py", "x = 1\ny = 2\n"), ("p/b.py", "z = 1\n")],
        );
        let b = side(
            "1.1",
            &[("p/a.py", "x = 1\r\ny = 2\r\n"), ("p/b.py", "z = 2\r\n")],
        );
        let d = compare(&a, &b);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.files[0].path, "b.py");
    }

    #[test]
    fn bound_findings_are_new_only_in_kind() {
        let f = |path: &str, ev: &str| Rule::ArchiveBomb.finding(Location::file(path), ev);
        let mut a = side("1.0", &[]);
        a.findings = vec![f(
            "data/a.json",
            "1128047 bytes, over the 1048576-byte limit",
        )];
        let mut b = side("1.1", &[]);
        b.findings = vec![f(
            "data/b.json",
            "2000001 bytes, over the 1048576-byte limit",
        )];
        assert!(compare(&a, &b).introduced.is_empty());
        b.findings.push(f("data/c.json", "ratio 1000:1"));
        assert_eq!(compare(&a, &b).introduced.len(), 1);
        assert_eq!(shape("`x.py` has 12 lines"), "# has # lines");
    }

    #[test]
    fn introduced_findings_ignore_lines_and_versions() {
        let f = |path: &str, line: u32, ev: &str| {
            let mut x = Rule::DecodeThenExec.finding(Location::file(path), ev);
            x.location.line = Some(line);
            x
        };
        let mut a = side("1.0.0", &[("p-1.0.0/p/a.py", "")]);
        a.findings = vec![f("p-1.0.0/p/a.py", 3, "exec(b64decode(...)) # 1.0.0")];
        let mut b = side("1.0.1", &[("p-1.0.1/p/a.py", "")]);
        b.findings = vec![
            f("p-1.0.1/p/a.py", 9, "exec(b64decode(...)) # 1.0.1"),
            f("p-1.0.1/p/b.py", 1, "exec(zlib(...))"),
        ];
        let d = compare(&a, &b);
        assert_eq!(d.introduced.len(), 1);
        assert_eq!(d.introduced[0].location.path, "p-1.0.1/p/b.py");
        assert!(d.resolved.is_empty());
    }
}
