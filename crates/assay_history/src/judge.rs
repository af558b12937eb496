//! The rules, applied to one commit at a time with state built from its past only.

use crate::manifest::{self, Dep, Eco, Source};
use crate::walk::{MAX_BLOB, Repo};
use crate::{History, HistoryError, Missing, Weights, blob, snippet};
use assay_core::{ArtifactFormat, ArtifactReport, Finding, Location, Rule};
use gix::ObjectId;
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

/// Entropy (bits per byte) from which a binary is "opaque".
const OPAQUE_ENTROPY: f64 = 7.2;
/// Smallest opaque binary considered (bytes).
const MIN_OPAQUE: usize = 1024;
/// Recent-commit window for author share (GIT001).
const WINDOW: usize = 50;
/// History length before dominance is judged.
const MIN_HISTORY: usize = 100;
/// Earlier commits an author may have and still be "new" for GIT011.
const CHAIN_MAX_COMMITS: u32 = 3;
/// Earlier commits before an author's habits are judged (GIT013).
const HABIT_MIN: u32 = 20;
/// Commit sizes kept per author for the median (GIT013).
const HABIT_SIZES: usize = 200;
/// Main-line commits looked back on for the merge habit (GIT014).
const MAINLINE_WINDOW: usize = 20;
/// Share of the window that is "dominant".
const DOMINANT_SHARE: f64 = 0.3;
/// Text bytes searched for file names per commit (GIT003, GIT009).
const MAX_SEARCH_BYTES: u64 = 64 * 1024 * 1024;
/// Text files searched per commit.
const MAX_SEARCH_FILES: usize = 20_000;
/// Largest text file read for diffs and searches.
const MAX_TEXT: u64 = 2 * 1024 * 1024;
/// Dependency names remembered (GIT016's "never seen in the project").
const MAX_SEEN_DEPS: usize = 1_000_000;
/// Manifests read per commit.
const MAX_MANIFESTS: usize = 200;
/// Parsed manifests kept (by blob id) so that a commit's "before" is its parent's "after".
const MANIFEST_CACHE: usize = 4096;

/// One changed blob of a commit.
#[derive(Debug, Clone)]
pub struct Change {
    /// Path in the new (or, for deletions, the old) tree.
    pub path: String,
    /// Blob before, if any.
    pub old: Option<ObjectId>,
    /// Blob after, if any.
    pub new: Option<ObjectId>,
}

/// What the walk hands the judge for one commit.
pub struct CommitData {
    pub index: usize,
    pub id: ObjectId,
    pub tree: ObjectId,
    pub name: String,
    pub email: String,
    pub seconds: i64,
    /// Author time-zone offset (seconds east of UTC).
    pub offset: i32,
    pub committer_name: String,
    pub committer_email: String,
    /// On the first-parent chain of `HEAD`.
    pub mainline: bool,
    /// Signed annotated tags pointing at this commit, in tagger-time order.
    pub signed_tags: Vec<TagData>,
    pub message: String,
    pub merge: bool,
    /// No parent: an import of a whole tree, not a change to one.
    pub root: bool,
    /// Its parent is cut off (shallow clone): `root` too, and its changes are only learnt.
    pub boundary: bool,
    pub changes: Vec<Change>,
}

/// A signed annotated tag (GIT012).
#[derive(Debug, Clone)]
pub struct TagData {
    pub name: String,
    pub tagger_name: String,
    pub tagger_email: String,
    pub seconds: i64,
}

/// What the past says about one identity.
#[derive(Default)]
struct Author {
    /// History index of the first appearance (as author, committer or tagger).
    first: usize,
    /// Commits authored so far.
    commits: u32,
    /// Of those, commits whose committer was someone else who was a newcomer then.
    via_fresh: u32,
    /// Signed tags made so far.
    signed_tags: u32,
    /// Non-merge main-line commits committed so far (GIT014).
    direct: u32,
    /// Habit baseline (GIT013): time-zone offsets, local hours, top-level directories,
    /// extensions, changed-file counts (the last [`HABIT_SIZES`]).
    tz: BTreeMap<i32, u32>,
    hours: [u32; 24],
    dirs: HashSet<String>,
    exts: HashSet<String>,
    sizes: VecDeque<usize>,
}

/// Streaming state (the past) and the reported commits.
pub struct Judge<'w> {
    weights: &'w Weights,
    ids: HashMap<String, usize>,
    authors: Vec<Author>,
    recent: VecDeque<usize>,
    prefixes: HashMap<String, (u32, u32)>,
    /// Signed tags seen so far (GIT012).
    signed_tags: u32,
    /// Whether each of the last [`MAINLINE_WINDOW`] main-line commits was a merge.
    mainline: VecDeque<bool>,
    /// Every dependency name any manifest or lockfile declared so far (GIT016).
    deps_seen: HashSet<(Eco, String)>,
    /// Parsed manifests by blob id (bounded by [`MANIFEST_CACHE`]).
    manifests: HashMap<ObjectId, std::rc::Rc<Vec<Dep>>>,
    /// Absent objects over the walk, by kind (GIT015 summary).
    missing_ids: HashSet<ObjectId>,
    missing: Missing,
    out: Vec<(f64, usize, ArtifactReport)>,
    /// Newly named third-party dependencies, for `--online` (bounded by
    /// [`crate::online::MAX_ADDED`]).
    added: Vec<crate::online::AddedDependency>,
}

static HARDENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\blandlock\b|\bseccomp\b|\bsandbox|\bcapsicum\b|\bpledge\s*\(|_FORTIFY_SOURCE|\brelro\b|-fpie\b|-pie\b|-fcf-protection|stack-protector)|\bPIE\b|\bCET\b")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static LOADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"__attribute__\s*\(\(\s*(?:__)?(?:ifunc|constructor)|\bifunc\b|\bdlsym\s*\(|\bdlopen\s*\(|\bLD_PRELOAD\b|\bLD_AUDIT\b|_GLOBAL_OFFSET_TABLE_|\bGOT\b")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static VAGUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(update[ds]?|fix(e[ds])?|regenerated?|refresh(ed)?|replaced?|tweak(ed)?|changed?|improved?)\b")
        .unwrap_or_else(|_| unreachable!("static regex"))
});

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn ext(p: &str) -> Option<String> {
    let b = basename(p);
    b.rsplit_once('.')
        .filter(|(s, _)| !s.is_empty())
        .map(|(_, e)| e.to_ascii_lowercase())
}

/// Build files: CMake, autoconf/automake, m4, make, meson, configure scripts.
pub fn is_build_file(p: &str) -> bool {
    let b = basename(p);
    let lb = b.to_ascii_lowercase();
    lb == "cmakelists.txt"
        || lb == "configure"
        || lb.starts_with("configure.")
        || lb.starts_with("makefile")
        || lb == "meson.build"
        || lb == "gnumakefile"
        || matches!(ext(b).as_deref(), Some("cmake" | "m4" | "am" | "mk" | "ac"))
}

fn is_c_source(p: &str) -> bool {
    matches!(
        ext(p).as_deref(),
        Some("c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "s" | "inc")
    )
}

/// Lines of `new` not in `old` and of `old` not in `new` (multiset-free, order kept).
fn changed_lines<'a>(old: &'a str, new: &'a str) -> (Vec<(u32, &'a str)>, Vec<&'a str>) {
    let o: HashSet<&str> = old.lines().collect();
    let n: HashSet<&str> = new.lines().collect();
    let added = new
        .lines()
        .enumerate()
        .filter(|(_, l)| !o.contains(l))
        .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l))
        .collect();
    let removed = old.lines().filter(|l| !n.contains(l)).collect();
    (added, removed)
}

fn at(path: &str, line: Option<u32>) -> Location {
    Location {
        line,
        ..Location::file(path)
    }
}

/// RFC 3339 UTC timestamp of Unix seconds (`1970-01-01T00:00:00Z`), clamped to the years
/// jiff represents (-9999–9999): a commit date is the committer's claim and may be absurd.
pub fn rfc3339(secs: i64) -> String {
    let (lo, hi) = (
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    jiff::Timestamp::from_second(secs.clamp(lo, hi))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

struct Opaque {
    path: String,
    size: u64,
    entropy: Option<f64>,
    rewritten: bool,
}

impl<'w> Judge<'w> {
    pub fn new(weights: &'w Weights) -> Self {
        Judge {
            weights,
            ids: HashMap::new(),
            authors: Vec::new(),
            recent: VecDeque::with_capacity(WINDOW + 1),
            prefixes: HashMap::new(),
            signed_tags: 0,
            mainline: VecDeque::with_capacity(MAINLINE_WINDOW + 1),
            deps_seen: HashSet::new(),
            manifests: HashMap::new(),
            missing_ids: HashSet::new(),
            missing: Missing::default(),
            out: Vec::new(),
            added: Vec::new(),
        }
    }

    /// Identity merging: the same lower-cased e-mail or the same normalised name is the
    /// same person.
    fn identity(&mut self, name: &str, email: &str, index: usize) -> usize {
        let e = format!("e:{}", email.trim().to_ascii_lowercase());
        let n = format!(
            "n:{}",
            name.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        );
        let found = self.ids.get(&e).or_else(|| self.ids.get(&n)).copied();
        let id = found.unwrap_or_else(|| {
            self.authors.push(Author {
                first: index,
                ..Author::default()
            });
            self.authors.len() - 1
        });
        self.ids.entry(e).or_insert(id);
        if n.len() > 2 {
            self.ids.entry(n).or_insert(id);
        }
        id
    }

    /// A newcomer at history index `index`: first seen in the later half of a history
    /// of at least [`MIN_HISTORY`] commits.
    fn newcomer(&self, id: usize, index: usize) -> bool {
        index >= MIN_HISTORY && self.authors.get(id).is_some_and(|a| a.first * 2 >= index)
    }

    pub fn commit(&mut self, repo: &Repo, c: CommitData, report: bool) -> Result<(), HistoryError> {
        let who = self.identity(&c.name, &c.email, c.index);
        let by = if hosting_service(&c.committer_name, &c.committer_email) {
            None
        } else {
            Some(self.identity(&c.committer_name, &c.committer_email, c.index))
        };
        let fresh_committer = by.is_some_and(|b| b != who && self.newcomer(b, c.index));
        self.recent.push_back(who);
        if self.recent.len() > WINDOW {
            self.recent.pop_front();
        }
        let mut f: Vec<Finding> = Vec::new();
        let subject = c.message.lines().next().unwrap_or("").trim().to_owned();
        let prefix = subject
            .split_once(':')
            .map(|(p, _)| p.trim())
            .filter(|p| !p.is_empty() && p.len() <= 24 && !p.contains(' '))
            .map(str::to_ascii_lowercase);
        let touches_top_build = c
            .changes
            .iter()
            .any(|ch| !ch.path.contains('/') && is_build_file(&ch.path));

        if report {
            self.dominance(&c, who, &mut f);
            if fresh_committer
                && let (Some(a), Some(b)) = (self.authors.get(who), by)
                && a.commits <= CHAIN_MAX_COMMITS
                && a.via_fresh == a.commits
            {
                let first = self.authors.get(b).map_or(c.index, |x| x.first);
                f.push(Rule::FreshCommitterChain.finding(Location::default(),
                    format!(
                        "{} <{}> ({} earlier commits, all through new committers) is committed by {} <{}>, who first appeared {} commits ago (of {} in history)",
                        c.name.trim(),
                        c.email.trim(),
                        a.commits,
                        c.committer_name.trim(),
                        c.committer_email.trim(),
                        c.index - first,
                        c.index
                    ),
                ));
            }
            self.habits(&c, who, &mut f);
            if c.mainline
                && !c.merge
                && !c.root
                && let Some(b) = by
                && self.authors.get(b).is_some_and(|x| x.direct == 0)
                && self.newcomer(b, c.index)
                && self.mainline.len() >= MAINLINE_WINDOW / 2
            {
                let merges = self.mainline.iter().filter(|&&m| m).count();
                if merges * 2 >= self.mainline.len() {
                    let first = self.authors.get(b).map_or(c.index, |x| x.first);
                    f.push(Rule::DirectPushByNewcomer.finding(Location::default(),
                        format!(
                            "first main-line commit without a merge by {} <{}> (first appeared {} commits ago); {merges} of the last {} main-line commits were merges",
                            c.committer_name.trim(),
                            c.committer_email.trim(),
                            c.index - first,
                            self.mainline.len()
                        ),
                    ));
                }
            }
            if !c.merge && !c.boundary {
                self.files(repo, &c, &mut f)?;
            }
            if let Some(p) = &prefix
                && let Some(&(n, build)) = self.prefixes.get(p)
                && n >= 5
                && build == 0
                && touches_top_build
            {
                let file = c
                    .changes
                    .iter()
                    .find(|ch| !ch.path.contains('/') && is_build_file(&ch.path));
                let path = file.map(|ch| ch.path.as_str()).unwrap_or("");
                f.push(Rule::MessageDiffMismatch.finding(Location::file(path),
                    format!("message prefix `{p}:` was used {n} times, never for a top-level build file; this commit changes {path}"),
                ));
            }
        }
        if let Some(p) = prefix {
            let e = self.prefixes.entry(p).or_insert((0, 0));
            e.0 += 1;
            e.1 += u32::from(touches_top_build);
        }
        for t in &c.signed_tags {
            let tagger = self.identity(&t.tagger_name, &t.tagger_email, c.index);
            let earlier = self.authors.get(tagger).map_or(0, |a| a.signed_tags);
            if report && earlier == 0 && self.signed_tags > 0 && self.newcomer(tagger, c.index) {
                let first = self.authors.get(tagger).map_or(c.index, |x| x.first);
                f.push(Rule::NewTagSigner.finding(Location::default(),
                    format!(
                        "tag {} is the first signed by {} <{}>, who first appeared {} commits ago (of {} in history); the {} earlier signed tags were all by others",
                        t.name,
                        t.tagger_name.trim(),
                        t.tagger_email.trim(),
                        c.index - first,
                        c.index,
                        self.signed_tags
                    ),
                ));
            }
            if let Some(a) = self.authors.get_mut(tagger) {
                a.signed_tags += 1;
            }
            self.signed_tags += 1;
        }
        self.dependencies(repo, &c, who, report, &mut f)?;
        self.learn(&c, who, fresh_committer);
        self.note_missing(repo, &c, report, &mut f);
        if c.mainline {
            if !c.merge
                && let Some(a) = by.and_then(|b| self.authors.get_mut(b))
            {
                a.direct += 1;
            }
            self.mainline.push_back(c.merge);
            if self.mainline.len() > MAINLINE_WINDOW {
                self.mainline.pop_front();
            }
        }
        if report {
            self.emit(&c, f);
        }
        Ok(())
    }

    /// GIT015: what this commit's judgement lacked, and the walk's summary counts.
    fn note_missing(&mut self, repo: &Repo, c: &CommitData, report: bool, f: &mut Vec<Finding>) {
        let gone = repo.take_missing();
        if gone.is_empty() {
            return;
        }
        for (id, what) in &gone {
            if self.missing_ids.insert(*id) {
                if what.starts_with("tree") || what == "root tree" {
                    self.missing.trees += 1;
                } else if what.starts_with("parent") {
                    self.missing.parents += 1;
                } else {
                    self.missing.blobs += 1;
                }
            }
        }
        if !report {
            return;
        }
        self.missing.commits += 1;
        let path_of = |id: &ObjectId| {
            c.changes
                .iter()
                .find(|ch| ch.new == Some(*id) || ch.old == Some(*id))
                .map(|ch| ch.path.as_str())
        };
        let listed: Vec<String> = gone
            .iter()
            .filter(|(_, w)| !w.is_empty())
            .take(8)
            .map(|(id, what)| match (what.as_str(), path_of(id)) {
                ("blob", Some(p)) => format!("blob {p}"),
                ("blob", None) => format!("blob {}", id.to_hex_with_len(12)),
                ("parent commit (shallow clone)", _) => {
                    format!("parent commit {} (shallow clone)", id.to_hex_with_len(12))
                }
                (w, _) => w.to_owned(),
            })
            .collect();
        let more = gone.len().saturating_sub(listed.len());
        let path = gone
            .iter()
            .find_map(|(id, _)| path_of(id))
            .unwrap_or_default();
        f.push(Rule::ContentUnavailable.finding(
            Location::file(path),
            format!(
                "{} object{} not in this clone: {}{}; judged on what is present",
                gone.len(),
                if gone.len() == 1 { "" } else { "s" },
                listed.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        ));
    }

    /// A manifest blob's dependencies (cached by id); `None` when it cannot be read (too
    /// large, binary or absent): then nothing is judged or learnt from it.
    fn manifest(
        &mut self,
        repo: &Repo,
        kind: manifest::Kind,
        id: Option<ObjectId>,
    ) -> Result<Option<std::rc::Rc<Vec<Dep>>>, HistoryError> {
        let Some(id) = id else {
            return Ok(Some(std::rc::Rc::new(Vec::new())));
        };
        if let Some(d) = self.manifests.get(&id) {
            return Ok(Some(d.clone()));
        }
        let Some(text) = Self::text(repo, Some(id))? else {
            return Ok(None);
        };
        let deps = std::rc::Rc::new(manifest::parse(kind, &text));
        if self.manifests.len() >= MANIFEST_CACHE {
            self.manifests.clear();
        }
        self.manifests.insert(id, deps.clone());
        Ok(Some(deps))
    }

    /// GIT016 and GIT017 from the manifests the commit touches (before vs after), then
    /// every name they declare is learnt. Root and shallow-boundary commits are only
    /// learnt: they import a tree rather than change one.
    fn dependencies(
        &mut self,
        repo: &Repo,
        c: &CommitData,
        who: usize,
        report: bool,
        f: &mut Vec<Finding>,
    ) -> Result<(), HistoryError> {
        let judge = report && !c.root && !c.merge;
        let newcomer = self.newcomer(who, c.index);
        let mut learnt: Vec<(Eco, String)> = Vec::new();
        for (ch, kind) in c
            .changes
            .iter()
            .filter_map(|ch| manifest::kind(&ch.path).map(|k| (ch, k)))
            .take(MAX_MANIFESTS)
        {
            let (Some(old), Some(new)) = (
                self.manifest(repo, kind, ch.old)?,
                self.manifest(repo, kind, ch.new)?,
            ) else {
                continue;
            };
            if judge && !kind.is_lock() {
                let before: HashMap<(Eco, &str), &Dep> =
                    old.iter().map(|d| ((d.eco, d.name.as_str()), d)).collect();
                for d in new.iter() {
                    if d.source == Source::Local {
                        continue;
                    }
                    match before.get(&(d.eco, d.name.as_str())) {
                        None => self.added_dependency(c, who, newcomer, &ch.path, d, f),
                        Some(o) => {
                            if let Source::Remote(to) = &d.source
                                && o.source != d.source
                            {
                                f.push(Rule::DependencySourceRisk.finding(
                                    Location::file(&ch.path),
                                    format!(
                                        "re-points {} dependency {} from `{}` to {to} in {}",
                                        d.eco.label(),
                                        d.name,
                                        o.spec,
                                        ch.path
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
            learnt.extend(new.iter().map(|d| (d.eco, d.name.clone())));
        }
        for k in learnt {
            if self.deps_seen.len() >= MAX_SEEN_DEPS {
                break;
            }
            self.deps_seen.insert(k);
        }
        Ok(())
    }

    fn added_dependency(
        &mut self,
        c: &CommitData,
        who: usize,
        newcomer: bool,
        path: &str,
        d: &Dep,
        f: &mut Vec<Finding>,
    ) {
        let key = (d.eco, d.name.clone());
        if let Source::Remote(from) = &d.source {
            f.push(Rule::DependencySourceRisk.finding(
                Location::file(path),
                format!(
                    "adds {} dependency {} from {from} (not the registry) in {path}",
                    d.eco.label(),
                    d.name
                ),
            ));
        }
        if self.deps_seen.contains(&key) {
            return;
        }
        let eco = d.eco.ecosystem();
        if let Some((target, how)) = eco.and_then(|e| assay_rules::typosquat::squats_in(e, &d.name))
        {
            f.push(Rule::DependencySourceRisk.finding(
                Location::file(path),
                format!(
                    "adds {} dependency {}, which imitates the popular package {target} ({how}), in {path}",
                    d.eco.label(),
                    d.name
                ),
            ));
        }
        let known = eco.is_some_and(|e| assay_rules::typosquat::is_known_in(e, &d.name));
        if let Some(ecosystem) = eco.filter(|_| !known && d.source != Source::Local)
            && self.added.len() < crate::online::MAX_ADDED
        {
            self.added.push(crate::online::AddedDependency {
                commit: c.id.to_string(),
                seconds: c.seconds,
                ecosystem,
                name: d.name.clone(),
                path: path.to_owned(),
                author_name: c.name.trim().to_owned(),
                author_email: c.email.trim().to_owned(),
                newcomer,
            });
        }
        if newcomer && !known {
            let (first, earlier) = self
                .authors
                .get(who)
                .map_or((c.index, 0), |a| (a.first, a.commits));
            f.push(Rule::NewcomerNewDependency.finding(
                Location::file(path),
                format!(
                    "{} <{}> (first seen {} commits ago of {} in history, {earlier} earlier commits) adds {} dependency {} `{}` in {path}: no earlier manifest or lockfile of the project named it",
                    c.name.trim(),
                    c.email.trim(),
                    c.index - first,
                    c.index,
                    d.eco.label(),
                    d.name,
                    d.spec
                ),
            ));
        }
    }

    /// GIT013: at least two departures from the author's own baseline.
    fn habits(&self, c: &CommitData, who: usize, f: &mut Vec<Finding>) {
        let Some(a) = self.authors.get(who) else {
            return;
        };
        if a.commits < HABIT_MIN || c.merge || c.root {
            return;
        }
        let mut why: Vec<String> = Vec::new();
        if !a.tz.contains_key(&c.offset) {
            why.push(format!(
                "tz {} (none in {} earlier commits)",
                tz_text(c.offset),
                a.commits
            ));
        }
        let h = local_hour(c.seconds, c.offset);
        let near = |d: i64| {
            usize::try_from((h + d).rem_euclid(24))
                .ok()
                .and_then(|i| a.hours.get(i))
                .copied()
                .unwrap_or(0)
        };
        if near(-1) + near(0) + near(1) == 0 {
            why.push(format!("{h:02}h local (none within an hour before)"));
        }
        let new_dir = c
            .changes
            .iter()
            .filter_map(|ch| top_dir(&ch.path))
            .find(|d| !a.dirs.contains(*d));
        let new_ext = c
            .changes
            .iter()
            .filter_map(|ch| ext(&ch.path))
            .find(|e| !a.exts.contains(e));
        if let (Some(d), Some(e)) = (new_dir, new_ext) {
            why.push(format!("first `{d}/` change, first `.{e}`"));
        }
        let mut sizes: Vec<usize> = a.sizes.iter().copied().collect();
        sizes.sort_unstable();
        let median = sizes.get(sizes.len() / 2).copied().unwrap_or(0);
        let n = c.changes.len();
        if n > median.max(1) * 10 && n >= median + 20 {
            why.push(format!("{n} files (median {median})"));
        }
        if why.len() >= 2 {
            f.push(Rule::AuthorHabitDeviation.finding(
                Location::default(),
                format!("{} <{}>: {}", c.name.trim(), c.email.trim(), why.join("; ")),
            ));
        }
    }

    /// Add this commit to its author's past.
    fn learn(&mut self, c: &CommitData, who: usize, fresh_committer: bool) {
        let Some(a) = self.authors.get_mut(who) else {
            return;
        };
        a.commits += 1;
        a.via_fresh += u32::from(fresh_committer);
        if c.merge || c.root {
            return;
        }
        *a.tz.entry(c.offset).or_insert(0) += 1;
        let h = local_hour(c.seconds, c.offset);
        if let Some(slot) = a.hours.get_mut(usize::try_from(h).unwrap_or(0)) {
            *slot += 1;
        }
        for ch in &c.changes {
            if let Some(d) = top_dir(&ch.path)
                && a.dirs.len() < 10_000
            {
                a.dirs.insert(d.to_owned());
            }
            if let Some(e) = ext(&ch.path)
                && a.exts.len() < 10_000
            {
                a.exts.insert(e);
            }
        }
        a.sizes.push_back(c.changes.len());
        if a.sizes.len() > HABIT_SIZES {
            a.sizes.pop_front();
        }
    }

    fn dominance(&self, c: &CommitData, who: usize, f: &mut Vec<Finding>) {
        let Some(a) = self.authors.get(who) else {
            return;
        };
        if c.index < MIN_HISTORY || a.first * 2 < c.index || self.recent.len() < WINDOW {
            return;
        }
        let mine = self.recent.iter().filter(|&&x| x == who).count();
        let share = mine as f64 / self.recent.len() as f64;
        if share >= DOMINANT_SHARE {
            f.push(Rule::NewcomerDominance.finding(Location::default(),
                format!(
                    "{} <{}> first committed {} commits ago (of {} in history) and wrote {mine} of the last {}",
                    c.name,
                    c.email,
                    c.index - a.first,
                    c.index,
                    self.recent.len()
                ),
            ));
        }
    }

    fn text(repo: &Repo, id: Option<ObjectId>) -> Result<Option<String>, HistoryError> {
        let Some(id) = id else {
            return Ok(Some(String::new()));
        };
        Ok(repo
            .blob(id, MAX_TEXT)?
            .filter(|b| !blob::is_binary(b))
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    fn files(&self, repo: &Repo, c: &CommitData, f: &mut Vec<Finding>) -> Result<(), HistoryError> {
        let mut opaque: Vec<Opaque> = Vec::new();
        let mut ignores: Vec<(String, u32, String)> = Vec::new();
        for ch in &c.changes {
            let Some(new) = ch.new else { continue };
            let b = basename(&ch.path);
            let build = is_build_file(&ch.path);
            let csrc = is_c_source(&ch.path);
            if build || csrc || b == ".gitignore" {
                let (Some(old_t), Some(new_t)) =
                    (Self::text(repo, ch.old)?, Self::text(repo, Some(new))?)
                else {
                    continue;
                };
                let (added, removed) = changed_lines(&old_t, &new_t);
                if build {
                    self.feature_checks(&ch.path, &old_t, &new_t, c.root, f);
                }
                // A root commit imports a whole tree: its lines are not changes to one.
                if c.root {
                    continue;
                }
                if build {
                    let hit = added
                        .iter()
                        .map(|(n, l)| (Some(*n), *l, "adds"))
                        .chain(removed.iter().map(|l| (None, *l, "removes")))
                        .find(|(_, l, _)| HARDENING.is_match(l));
                    if let Some((line, l, verb)) = hit {
                        f.push(Rule::HardeningSwitchTouched.finding(
                            at(&ch.path, line),
                            format!("{verb} a hardening/sandbox line: {}", l.trim()),
                        ));
                    }
                }
                if (build || csrc)
                    && let Some((n, l)) = added.iter().find(|(_, l)| LOADER.is_match(l))
                {
                    {
                        f.push(Rule::LoaderTrick.finding(
                            at(&ch.path, Some(*n)),
                            format!("adds load-time or symbol-resolution code: {}", l.trim()),
                        ));
                    }
                }
                if b == ".gitignore" {
                    let dir = ch.path.strip_suffix(".gitignore").unwrap_or("");
                    for (n, l) in &added {
                        let pat = l.trim();
                        if pat.is_empty()
                            || pat.starts_with('#')
                            || pat.starts_with('!')
                            || pat.contains(['*', '?', '['])
                            || pat.ends_with('/')
                        {
                            continue;
                        }
                        let rel = pat.trim_start_matches('/');
                        ignores.push((format!("{dir}{rel}"), *n, ch.path.clone()));
                    }
                }
                continue;
            }
            // Absent (partial clone): noted by the reader, nothing to judge here.
            let Some(size) = repo.size(new)? else {
                continue;
            };
            if size < MIN_OPAQUE as u64 {
                continue;
            }
            let data = repo.blob(new, MAX_BLOB)?;
            let (is_opaque, ent) = match &data {
                Some(d) => {
                    let e = blob::entropy(d);
                    (
                        blob::is_binary(d)
                            && e >= OPAQUE_ENTROPY
                            && blob::document_kind(d).is_none(),
                        Some(e),
                    )
                }
                None => (true, None),
            };
            if let Some(d) = &data
                && blob::is_binary(d)
                && let Some((via, what)) = blob::decoded_payload(d)
            {
                f.push(Rule::CompressedFixturePayload.finding(
                    Location {
                        decode_chain: vec![via.to_owned()],
                        ..Location::file(&ch.path)
                    },
                    format!("{} decodes ({via}) to {what}", ch.path),
                ));
            }
            if !is_opaque {
                continue;
            }
            let rewritten = match ch.old {
                // An absent old blob (noted) was at least a file: call it rewritten.
                Some(o) if repo.size(o)?.is_none() => true,
                Some(o) => repo
                    .blob(o, MAX_BLOB)?
                    .is_none_or(|d| blob::is_binary(&d) && blob::entropy(&d) >= OPAQUE_ENTROPY),
                None => false,
            };
            opaque.push(Opaque {
                path: ch.path.clone(),
                size,
                entropy: ent,
                rewritten,
            });
        }
        if opaque.is_empty() && ignores.is_empty() {
            return Ok(());
        }
        // One bounded pass over the tree's text files serves both name searches.
        let tree = repo.list(c.tree)?;
        let changed: HashSet<&str> = opaque.iter().map(|o| o.path.as_str()).collect();
        let mut needles: Vec<String> = opaque
            .iter()
            .map(|o| basename(&o.path).to_owned())
            .collect();
        needles.extend(ignores.iter().map(|(p, _, _)| basename(p).to_owned()));
        let (named, used) = Self::search(
            repo,
            &tree,
            &needles,
            &changed,
            ignores.iter().map(|i| i.2.as_str()),
        )?;
        for o in &opaque {
            let ent = o
                .entropy
                .map_or("size alone (too large to read)".to_owned(), |e| {
                    format!("{e:.2} bits/byte")
                });
            f.push(Rule::OpaqueBinaryAdded.finding(
                Location::file(&o.path),
                format!(
                    "{} binary {} ({} bytes, entropy {ent})",
                    if o.rewritten { "rewrites" } else { "adds" },
                    o.path,
                    o.size
                ),
            ));
            // Used = read by code, a test or a build script; documentation that merely
            // describes the file (a README listing test files) is not a use.
            if !used.contains(basename(&o.path)) {
                let docs = if named.contains(basename(&o.path)) {
                    " (only documentation names it)"
                } else {
                    ""
                };
                f.push(Rule::UnreferencedBinary.finding(
                    Location::file(&o.path),
                    format!(
                        "no code, test or build file of the tree names `{}` (no test, build file or generator){docs}",
                        basename(&o.path)
                    ),
                ));
                if o.rewritten && self::vague(&c.message) {
                    f.push(Rule::BinaryRewrittenVaguely.finding(
                        Location::file(&o.path),
                        format!(
                            "rewrites opaque {} with the vague message \"{}\"",
                            o.path,
                            c.message.lines().next().unwrap_or("").trim()
                        ),
                    ));
                }
            }
        }
        if !ignores.is_empty() {
            let mut ext_count: BTreeMap<String, usize> = BTreeMap::new();
            let tracked: HashSet<&str> = tree.iter().map(|(p, _)| p.as_str()).collect();
            for (p, _) in &tree {
                if let Some(e) = ext(p) {
                    *ext_count.entry(e).or_default() += 1;
                }
            }
            const SOURCE_LIKE: &[&str] = &[
                "m4", "c", "h", "cmake", "sh", "py", "am", "in", "ac", "mk", "s", "cc", "cpp",
                "pl", "rs", "go", "js",
            ];
            for (path, line, gi) in &ignores {
                let Some(e) = ext(path) else { continue };
                if !SOURCE_LIKE.contains(&e.as_str())
                    || ext_count.get(&e).copied().unwrap_or(0) < 2
                    || tracked.contains(path.as_str())
                    || named.contains(basename(path))
                {
                    continue;
                }
                f.push(Rule::GitignoreHidesSource.finding(at(gi, Some(*line)),
                    format!(
                        "ignores `{}`: a .{e} file ({} tracked) that is not tracked and that no other file names",
                        basename(path),
                        ext_count.get(&e).copied().unwrap_or(0)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn feature_checks(&self, path: &str, old: &str, new: &str, root: bool, f: &mut Vec<Finding>) {
        let before: HashSet<String> = snippet::extract(old).into_iter().map(|s| s.code).collect();
        let mut hardening_noted = false;
        for s in snippet::extract(new) {
            if before.contains(&s.code) {
                continue;
            }
            if !root
                && !hardening_noted
                && let Some(m) = HARDENING.find(&s.code)
            {
                hardening_noted = true;
                f.push(Rule::HardeningSwitchTouched.finding(
                    at(path, Some(s.line)),
                    format!(
                        "changes the feature check of a hardening switch ({})",
                        m.as_str()
                    ),
                ));
            }
            if let Some((l, text)) = snippet::parse_error(&s.code) {
                let line = s.line.saturating_add(l.saturating_sub(1));
                f.push(Rule::BrokenFeatureCheck.finding(at(path, Some(line)),
                    format!(
                        "feature-check snippet does not parse as C at `{text}`: the check can never pass, so the feature is silently disabled"
                    ),
                ));
            }
        }
    }

    /// The needles named by some text file of the tree other than `skip` and the
    /// `.gitignore` files themselves, and those named by a file that is not documentation
    /// (see [`is_doc`]), bounded by files and bytes.
    fn search<'a>(
        repo: &Repo,
        tree: &[(String, ObjectId)],
        needles: &[String],
        skip: &HashSet<&str>,
        gitignores: impl Iterator<Item = &'a str>,
    ) -> Result<(HashSet<String>, HashSet<String>), HistoryError> {
        let gi: HashSet<&str> = gitignores.collect();
        let mut found = HashSet::new();
        let mut used = HashSet::new();
        let finders: Vec<(&str, memchr::memmem::Finder)> = needles
            .iter()
            .map(|n| (n.as_str(), memchr::memmem::Finder::new(n.as_bytes())))
            .collect();
        let mut bytes = 0u64;
        for (files, (p, id)) in tree.iter().enumerate() {
            if files >= MAX_SEARCH_FILES || bytes >= MAX_SEARCH_BYTES || used.len() == finders.len()
            {
                break;
            }
            if skip.contains(p.as_str()) || gi.contains(p.as_str()) {
                continue;
            }
            let doc = is_doc(p);
            if doc && found.len() == finders.len() {
                continue;
            }
            let Some(d) = repo.blob(*id, MAX_TEXT)? else {
                continue;
            };
            bytes += d.len() as u64;
            if blob::is_binary(&d) {
                continue;
            }
            for (n, fi) in &finders {
                if (doc || used.contains(*n)) && found.contains(*n) {
                    continue;
                }
                if fi.find(&d).is_some() {
                    found.insert((*n).to_owned());
                    if !doc {
                        used.insert((*n).to_owned());
                    }
                }
            }
        }
        Ok((found, used))
    }

    fn emit(&mut self, c: &CommitData, mut findings: Vec<Finding>) {
        let score = self.weights.score(&findings);
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.rule.cmp(&b.rule))
        });
        let verdict = self.weights.verdict(score, findings.is_empty());
        let subject: String = c
            .message
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .take(120)
            .collect();
        self.out.push((
            score,
            c.index,
            ArtifactReport {
                name: Some(subject),
                author: Some(format!("{} <{}>", c.name.trim(), c.email.trim())),
                date: Some(rfc3339(c.seconds)),
                ..ArtifactReport::new(
                    c.id.to_string(),
                    ArtifactFormat::Commit,
                    verdict,
                    (score * 100.0).round() / 100.0,
                    findings,
                )
            },
        ));
    }

    pub fn finish(mut self, walked: usize) -> History {
        self.out
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let commits = self
            .out
            .into_iter()
            .enumerate()
            .map(|(i, (_, _, mut r))| {
                r.rank = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
                r
            })
            .collect();
        History {
            commits,
            walked,
            missing: self.missing,
            added: self.added,
        }
    }
}

/// Hosting services commit on behalf of the author (web merges, squash merges); they
/// are not identities whose tenure means anything.
fn hosting_service(name: &str, email: &str) -> bool {
    let e = email.trim().to_ascii_lowercase();
    let n = name.trim().to_ascii_lowercase();
    e == "noreply@github.com"
        || e.ends_with("@noreply.gitlab.com")
        || e == "noreply@gitlab.com"
        || n == "github"
        || n == "gitlab"
        || n == "web-flow"
}

/// The author's local hour (0–23) of a Unix time with an offset in seconds.
fn local_hour(seconds: i64, offset: i32) -> i64 {
    (seconds + i64::from(offset)).rem_euclid(86_400) / 3600
}

/// `+0200`-style text of an offset in seconds.
fn tz_text(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let m = offset.unsigned_abs() / 60;
    format!("{sign}{:02}{:02}", m / 60, m % 60)
}

/// The first path component of a path in a subdirectory.
fn top_dir(p: &str) -> Option<&str> {
    p.split_once('/').map(|(d, _)| d).filter(|d| !d.is_empty())
}

/// Documentation rather than code: prose formats (`.md`, `.rst`, `.txt` other than build
/// files, `.html`, man pages, Texinfo), the conventional top-level notes (`README`,
/// `NEWS`, `ChangeLog`, `AUTHORS`, …) and anything under `doc/`, `docs/`, `man/`.
pub fn is_doc(p: &str) -> bool {
    if is_build_file(p) {
        return false;
    }
    let b = basename(p).to_ascii_uppercase();
    const NOTES: &[&str] = &[
        "README",
        "NEWS",
        "CHANGELOG",
        "CHANGES",
        "HISTORY",
        "AUTHORS",
        "THANKS",
        "TODO",
        "COPYING",
        "LICENSE",
        "INSTALL",
        "CONTRIBUTING",
    ];
    NOTES.iter().any(|n| b.starts_with(n))
        || matches!(
            ext(p).as_deref(),
            Some(
                "md" | "markdown"
                    | "rst"
                    | "txt"
                    | "adoc"
                    | "asciidoc"
                    | "texi"
                    | "texinfo"
                    | "html"
                    | "htm"
                    | "pod"
                    | "1"
                    | "3"
                    | "5"
                    | "7"
                    | "8"
            )
        )
        || p.split('/').rev().skip(1).any(|d| {
            let d = d.to_ascii_lowercase();
            d == "doc" || d == "docs" || d == "man" || d == "documentation"
        })
}

fn vague(message: &str) -> bool {
    let m = message.trim();
    let words = m.split_whitespace().count();
    words <= 8 && m.len() <= 80 && !m.contains('#') && VAGUE.is_match(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_708_711_445), "2024-02-23T18:04:05Z");
        // Absurd commit dates are clamped, not wrapped or panicked on.
        assert!(
            rfc3339(i64::MAX).starts_with("9999-12-"),
            "{}",
            rfc3339(i64::MAX)
        );
        assert!(
            rfc3339(i64::MIN).starts_with("-009999-01-"),
            "{}",
            rfc3339(i64::MIN)
        );
    }

    #[test]
    fn build_files_and_vague() {
        assert!(is_build_file("CMakeLists.txt"));
        assert!(is_build_file("m4/build-to-host.m4"));
        assert!(!is_build_file("src/a.c"));
        assert!(is_doc("tests/files/README"));
        assert!(is_doc("doc/xz-file-format.txt"));
        assert!(is_doc("NEWS"));
        assert!(!is_doc("tests/test_files.sh"));
        assert!(!is_doc("CMakeLists.txt"));
        assert!(!is_doc("tests/Makefile.am"));
        assert!(vague("Tests: Update two test files."));
        assert!(!vague(
            "Tests: regenerate bad-1.xz with xz 5.6 because the header changed, see #12"
        ));
    }
}
