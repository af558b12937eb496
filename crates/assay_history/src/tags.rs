//! Tag integrity (`assay tags`, issue #18 item 5): record every tag's commit in a lockfile
//! on the first run, and on later runs report tags that moved or disappeared; on every
//! run, report tags whose commit no branch reaches (the tj-actions/changed-files shape,
//! CVE-2025-30066: every version tag moved to a commit on no branch).
//!
//! The lockfile is TOML, `[tags]` mapping each tag name to its commit (hex), written only
//! when it does not exist yet (`assay tags` never rewrites what it compares against).
//! Bounds: at most [`MAX_TAGS`] tags and [`MAX_BRANCH_COMMITS`] commits walked from the
//! branches; a walk cut short leaves off-branch findings out rather than guessing.
//!
//! On every run, also the people behind each tag's commit (`CI031`, see
//! [`unfamiliar`]): an author or committer whose e-mail no earlier commit (one the tag's
//! commit descends from) carries is new to the repository; a name or e-mail with a `bot`
//! word (`renovate[bot]`, `tj-actions-bot`) claims to be a bot, and git identities are
//! free text. The tj-actions/changed-files commit was written under a bot's name.

use crate::HistoryError;
use assay_core::{Finding, Location, Rule, Severity};
use gix::ObjectId;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Most tags read.
pub const MAX_TAGS: usize = 100_000;
/// Most commits walked from the branch tips to decide reachability.
pub const MAX_BRANCH_COMMITS: usize = 5_000_000;
/// Most earlier commits read per tag to find its author's and committer's past commits;
/// a walk cut short reports nothing for that tag.
pub const MAX_AUTHOR_COMMITS: usize = 200_000;
/// Most tags whose commit's people are checked (each can cost a walk).
pub const MAX_AUTHOR_TAGS: usize = 2_000;

/// The lockfile's shape.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Lock {
    /// Tag name → commit id (hex).
    pub tags: BTreeMap<String, String>,
}

/// What a run found.
#[derive(Debug)]
pub struct Outcome {
    /// Tag name → commit id now.
    pub tags: BTreeMap<String, String>,
    /// Whether the lockfile was created by this run.
    pub wrote_lock: bool,
    /// The findings (CI024–CI026, CI031).
    pub findings: Vec<Finding>,
}

fn read_err(what: &str, e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Read {
        what: what.to_owned(),
        message: e.to_string(),
    }
}

/// Every tag of the repository with the commit it peels to (tags of trees or blobs are
/// left out).
fn tags(repo: &gix::Repository) -> Result<BTreeMap<String, ObjectId>, HistoryError> {
    let plat = repo.references().map_err(|e| read_err("references", e))?;
    let iter = plat.tags().map_err(|e| read_err("tags", e))?;
    let mut out = BTreeMap::new();
    for r in iter.flatten().take(MAX_TAGS) {
        let mut r = r;
        let name = r.name().shorten().to_string();
        if let Ok(c) = r.peel_to_commit() {
            out.insert(name, c.id);
        }
    }
    Ok(out)
}

/// Commits reachable from any local or remote branch; `None` when the walk passed
/// [`MAX_BRANCH_COMMITS`].
fn on_branches(repo: &gix::Repository) -> Result<Option<HashSet<ObjectId>>, HistoryError> {
    let plat = repo.references().map_err(|e| read_err("references", e))?;
    let mut tips = Vec::new();
    for iter in [plat.local_branches(), plat.remote_branches()] {
        let iter = iter.map_err(|e| read_err("branches", e))?;
        for r in iter.flatten() {
            let mut r = r;
            if let Ok(c) = r.peel_to_commit() {
                tips.push(c.id);
            }
        }
    }
    if tips.is_empty() {
        return Ok(Some(HashSet::new()));
    }
    let walk = repo
        .rev_walk(tips)
        .all()
        .map_err(|e| read_err("branch walk", e))?;
    let mut seen = HashSet::new();
    for info in walk {
        let info = info.map_err(|e| read_err("branch walk", e))?;
        seen.insert(info.id);
        if seen.len() > MAX_BRANCH_COMMITS {
            return Ok(None);
        }
    }
    Ok(Some(seen))
}

/// Whether a git identity claims to be a bot: a `[bot]` suffix or a `bot` word in the
/// name or in the e-mail's local part.
pub fn bot_named(name: &str, email: &str) -> bool {
    let local = email.split('@').next().unwrap_or("");
    [name, local].iter().any(|s| {
        let l = s.to_ascii_lowercase();
        l.contains("[bot]")
            || l.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == "bot")
    })
}

/// `CI031` for the commit `id` a tag points at: its author and committer, each reported
/// when no earlier commit carries their e-mail (new) or when bot-named. A root commit
/// (nothing earlier) and a walk past [`MAX_AUTHOR_COMMITS`] report nothing new.
fn unfamiliar(repo: &gix::Repository, tag: &str, id: ObjectId) -> Option<Finding> {
    let commit = repo.find_commit(id).ok()?;
    let c = commit.decode().ok()?;
    let who = |s: gix::actor::SignatureRef<'_>| (s.name.to_string(), s.email.to_string());
    let people = [
        ("author", who(c.author().ok()?)),
        ("committer", who(c.committer().ok()?)),
    ];
    let parents: Vec<ObjectId> = c.parents().collect();
    let mut missing: Vec<String> = people
        .iter()
        .map(|(_, (_, e))| e.to_ascii_lowercase())
        .collect();
    missing.dedup();
    let mut complete = !parents.is_empty();
    if complete && let Ok(walk) = repo.rev_walk(parents).all() {
        let mut n = 0usize;
        for info in walk {
            let Ok(info) = info else {
                complete = false;
                break;
            };
            n += 1;
            if n > MAX_AUTHOR_COMMITS {
                complete = false;
                break;
            }
            let Ok(old) = repo.find_commit(info.id) else {
                continue;
            };
            let Ok(d) = old.decode() else { continue };
            for s in [d.author(), d.committer()].into_iter().flatten() {
                let e = s.email.to_string().to_ascii_lowercase();
                missing.retain(|m| *m != e);
            }
            if missing.is_empty() {
                break;
            }
        }
    }
    // One clause per identity ("author and committer" when they are the same person).
    let mut ids: Vec<(String, &String, &String)> = Vec::new();
    for (role, (name, email)) in &people {
        match ids.iter_mut().find(|(_, n, e)| *n == name && *e == email) {
            Some(x) => x.0 = format!("{} and {role}", x.0),
            None => ids.push(((*role).to_owned(), name, email)),
        }
    }
    let mut why = Vec::new();
    let mut new = false;
    for (roles, name, email) in ids {
        let mut what = Vec::new();
        if complete && missing.contains(&email.to_ascii_lowercase()) {
            new = true;
            what.push("new to the history");
        }
        if bot_named(name, email) {
            what.push("named like a bot");
        }
        if !what.is_empty() {
            why.push(format!("{roles} {name} <{email}> is {}", what.join(", ")));
        }
    }
    if why.is_empty() {
        return None;
    }
    let sev = if new { Severity::Medium } else { Severity::Low };
    Some(finding(
        Rule::TagUnfamiliarAuthor,
        sev,
        tag,
        format!(
            "tag `{tag}` ({}): {}",
            id.to_hex_with_len(12),
            why.join("; ")
        ),
    ))
}

fn finding(rule: Rule, sev: Severity, tag: &str, evidence: String) -> Finding {
    let mut f = rule.finding(Location::file(format!("refs/tags/{tag}")), evidence);
    f.severity = sev;
    f
}

/// Check the tags of the repository at `repo` against the lockfile at `lock` (created
/// when missing).
///
/// # Errors
/// [`HistoryError`] when the repository cannot be opened or read, or the lockfile cannot
/// be read, parsed or written.
pub fn check(repo_path: &Path, lock: &Path) -> Result<Outcome, HistoryError> {
    let repo = gix::open_opts(repo_path, gix::open::Options::isolated()).map_err(|e| {
        HistoryError::Open {
            path: repo_path.display().to_string(),
            message: e.to_string(),
        }
    })?;
    let now = tags(&repo)?;
    let reach = on_branches(&repo)?;
    let mut findings = Vec::new();
    if let Some(reach) = &reach {
        for (name, id) in &now {
            if !reach.contains(id) {
                findings.push(finding(
                    Rule::TagOffBranch,
                    Severity::High,
                    name,
                    format!("tag `{name}` points at {id}, a commit that no branch reaches"),
                ));
            }
        }
    }
    for (name, id) in now.iter().take(MAX_AUTHOR_TAGS) {
        findings.extend(unfamiliar(&repo, name, *id));
    }
    let tags_hex: BTreeMap<String, String> = now
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    let mut wrote_lock = false;
    if lock.exists() {
        let text = fs_err::read_to_string(lock).map_err(|e| read_err("tag lockfile", e))?;
        let old: Lock = toml::from_str(&text).map_err(|e| read_err("tag lockfile", e))?;
        for (name, was) in &old.tags {
            match tags_hex.get(name) {
                Some(is) if is != was => findings.push(finding(
                    Rule::TagMoved,
                    Severity::High,
                    name,
                    format!("tag `{name}` moved from {was} to {is}"),
                )),
                None => findings.push(finding(
                    Rule::TagRemoved,
                    Severity::Medium,
                    name,
                    format!("tag `{name}` (was {was}) is gone"),
                )),
                _ => {}
            }
        }
    } else {
        let text = toml::to_string(&Lock {
            tags: tags_hex.clone(),
        })
        .map_err(|e| read_err("tag lockfile", e))?;
        fs_err::write(
            lock,
            format!("# assay-tags.lock: tag → commit, recorded by `assay tags`\n{text}"),
        )
        .map_err(|e| read_err("tag lockfile", e))?;
        wrote_lock = true;
    }
    findings.sort_by(|a, b| (&a.location.path, a.rule).cmp(&(&b.location.path, b.rule)));
    Ok(Outcome {
        tags: tags_hex,
        wrote_lock,
        findings,
    })
}
