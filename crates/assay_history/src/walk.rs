//! gix access: resolve tips, order commits oldest first, compare trees, read blobs
//! within bounds.

use crate::judge::{Change, CommitData, Judge, TagData};
use crate::{History, HistoryError, Options};
use gix::ObjectId;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Annotated tags read for GIT012.
pub const MAX_TAGS: usize = 100_000;
/// Largest blob read (bytes); larger blobs are judged from their size alone.
pub const MAX_BLOB: u64 = 16 * 1024 * 1024;
/// Most changed files taken from one commit.
pub const MAX_CHANGES: usize = 20_000;
/// Most tree entries listed when a rule needs a whole tree.
pub const MAX_TREE_ENTRIES: usize = 200_000;

fn read_err(what: impl Into<String>, e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Read {
        what: what.into(),
        message: e.to_string(),
    }
}

/// Most missing objects remembered per commit (the count goes on).
pub const MAX_MISSING_NOTED: usize = 64;

/// Read access to the repository for the rules.
///
/// Objects absent from the object database (a partial clone made with `--filter`, whose
/// promisor remote is never contacted; a shallow clone's cut-off parents) are not errors:
/// the reader answers "not here", notes the object in [`Repo::missing`] and the commit is
/// judged on what is present (finding GIT015).
pub struct Repo {
    repo: gix::Repository,
    /// Objects found absent while judging the current commit: `(id, what)`, `what` being
    /// `blob` / `tree` / `parent commit` and a path where one is known.
    missing: RefCell<Vec<(ObjectId, String)>>,
}

/// A tree entry: name, kind, id.
type Entry = (String, Kind, ObjectId);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    Blob,
    Other,
}

impl Repo {
    /// Note an absent object (once per id and commit, at most [`MAX_MISSING_NOTED`] kept
    /// with their description; later ones are still counted by the caller's summary).
    fn note_missing(&self, id: ObjectId, what: impl FnOnce() -> String) {
        let mut m = self.missing.borrow_mut();
        if m.iter().any(|(i, _)| *i == id) {
            return;
        }
        let w = if m.len() < MAX_MISSING_NOTED {
            what()
        } else {
            String::new()
        };
        m.push((id, w));
    }

    /// The objects noted absent since the last call (see [`Repo`]).
    pub fn take_missing(&self) -> Vec<(ObjectId, String)> {
        std::mem::take(&mut *self.missing.borrow_mut())
    }

    /// A tree's entries; `None` (noted) when the tree is not in the object database.
    fn entries(&self, id: ObjectId, path: &str) -> Result<Option<Vec<Entry>>, HistoryError> {
        let Some(obj) = self
            .repo
            .try_find_object(id)
            .map_err(|e| read_err(format!("tree {id}"), e))?
        else {
            self.note_missing(id, || {
                if path.is_empty() {
                    "root tree".to_owned()
                } else {
                    format!("tree {path}/")
                }
            });
            return Ok(None);
        };
        let tree = obj
            .try_into_tree()
            .map_err(|e| read_err(format!("tree {id}"), e))?;
        let d = tree
            .decode()
            .map_err(|e| read_err(format!("tree {id}"), e))?;
        Ok(Some(
            d.entries
                .iter()
                .map(|e| {
                    let k = if e.mode.is_tree() {
                        Kind::Tree
                    } else if e.mode.is_blob() || e.mode.is_link() {
                        Kind::Blob
                    } else {
                        Kind::Other
                    };
                    (e.filename.to_string(), k, e.oid.to_owned())
                })
                .collect(),
        ))
    }

    /// Changed blobs between two trees (`None` = empty tree), identical subtrees skipped.
    /// A subtree absent from the object database on either side is skipped whole (noted):
    /// without it, which of its files changed is unknown.
    fn diff(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &str,
        out: &mut Vec<Change>,
    ) -> Result<(), HistoryError> {
        if old == new || out.len() >= MAX_CHANGES {
            return Ok(());
        }
        let mut m: BTreeMap<String, [Option<(Kind, ObjectId)>; 2]> = BTreeMap::new();
        for (side, tree) in [old, new].into_iter().enumerate() {
            let Some(o) = tree else { continue };
            let Some(entries) = self.entries(o, prefix)? else {
                return Ok(());
            };
            for (n, k, id) in entries {
                if let Some(slot) = m.entry(n).or_default().get_mut(side) {
                    *slot = Some((k, id));
                }
            }
        }
        for (name, [a, b]) in m {
            if a == b {
                continue;
            }
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let side = |s: Option<(Kind, ObjectId)>, k: Kind| s.filter(|x| x.0 == k).map(|x| x.1);
            let (ta, tb) = (side(a, Kind::Tree), side(b, Kind::Tree));
            if ta.is_some() || tb.is_some() {
                self.diff(ta, tb, &path, out)?;
            }
            let (ba, bb) = (side(a, Kind::Blob), side(b, Kind::Blob));
            if (ba.is_some() || bb.is_some()) && ba != bb && out.len() < MAX_CHANGES {
                out.push(Change {
                    path,
                    old: ba,
                    new: bb,
                });
            }
        }
        Ok(())
    }

    /// Every blob of a tree as `(path, id)`, in tree order, at most [`MAX_TREE_ENTRIES`];
    /// absent subtrees are skipped (noted).
    pub fn list(&self, tree: ObjectId) -> Result<Vec<(String, ObjectId)>, HistoryError> {
        let mut out = Vec::new();
        let mut stack = vec![(String::new(), tree)];
        while let Some((prefix, id)) = stack.pop() {
            let Some(entries) = self.entries(id, &prefix)? else {
                continue;
            };
            for (n, k, oid) in entries {
                let path = if prefix.is_empty() {
                    n
                } else {
                    format!("{prefix}/{n}")
                };
                match k {
                    Kind::Tree => stack.push((path, oid)),
                    Kind::Blob => out.push((path, oid)),
                    Kind::Other => {}
                }
                if out.len() >= MAX_TREE_ENTRIES {
                    return Ok(out);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Size of an object in bytes; `None` (noted) when it is not in the object database.
    pub fn size(&self, id: ObjectId) -> Result<Option<u64>, HistoryError> {
        let h = self
            .repo
            .try_find_header(id)
            .map_err(|e| read_err(format!("blob {id}"), e))?;
        if h.is_none() {
            self.note_missing(id, || "blob".to_owned());
        }
        Ok(h.map(|h| h.size()))
    }

    /// A blob's bytes when it is present and at most `max` bytes long, else `None` (an
    /// absent blob is noted; tell the two apart with [`Repo::size`]).
    pub fn blob(&self, id: ObjectId, max: u64) -> Result<Option<Vec<u8>>, HistoryError> {
        match self.size(id)? {
            Some(s) if s <= max => {}
            _ => return Ok(None),
        }
        let Some(obj) = self
            .repo
            .try_find_object(id)
            .map_err(|e| read_err(format!("blob {id}"), e))?
        else {
            self.note_missing(id, || "blob".to_owned());
            return Ok(None);
        };
        let mut b = obj
            .try_into_blob()
            .map_err(|e| read_err(format!("blob {id}"), e))?;
        Ok(Some(std::mem::take(&mut b.data)))
    }
}

/// A full hex commit id, `HEAD`, a reference name (`main`, `v1.2`, `refs/heads/x`) or a
/// revision expression (`HEAD~2`, `v1.2^`, as gitrevisions(7)), peeled to a commit.
fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, HistoryError> {
    let bad = |m: String| HistoryError::Revision {
        spec: spec.to_owned(),
        message: m,
    };
    let id = if let Ok(id) = ObjectId::from_hex(spec.as_bytes()) {
        id
    } else if spec == "HEAD" {
        repo.head_id().map_err(|e| bad(e.to_string()))?.detach()
    } else if let Ok(mut r) = repo.find_reference(spec) {
        r.peel_to_id().map_err(|e| bad(e.to_string()))?.detach()
    } else {
        repo.rev_parse_single(spec)
            .map_err(|e| bad(e.to_string()))?
            .detach()
    };
    let obj = repo.find_object(id).map_err(|e| bad(e.to_string()))?;
    let c = obj.peel_to_commit().map_err(|e| bad(e.to_string()))?;
    Ok(c.id)
}

fn all_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>, HistoryError> {
    let mut tips = Vec::new();
    let plat = repo.references().map_err(|e| read_err("references", e))?;
    let iter = plat.all().map_err(|e| read_err("references", e))?;
    for r in iter {
        let Ok(mut r) = r else { continue };
        // Tags of trees or blobs have no history: skip them.
        if let Ok(c) = r.peel_to_commit() {
            tips.push(c.id);
        }
    }
    if let Ok(h) = repo.head_id() {
        tips.push(h.detach());
    }
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// Signed annotated tags by the commit they point at (peeled through tag chains), each
/// list in tagger-time order, with the tagger resolved through `mailmap`. At most
/// [`MAX_TAGS`] tags are read.
fn signed_tags(
    repo: &gix::Repository,
    mailmap: &gix::mailmap::Snapshot,
) -> HashMap<ObjectId, Vec<TagData>> {
    let mut out: HashMap<ObjectId, Vec<TagData>> = HashMap::new();
    let Ok(plat) = repo.references() else {
        return out;
    };
    let Ok(iter) = plat.tags() else {
        return out;
    };
    for r in iter.flatten().take(MAX_TAGS) {
        let Some(tag_id) = r.target().try_id().map(|i| i.to_owned()) else {
            continue;
        };
        let Ok(obj) = repo.find_object(tag_id) else {
            continue;
        };
        let Ok(tag) = obj.try_into_tag() else {
            continue; // lightweight tag: no tagger, no signature
        };
        let Ok(t) = tag.decode() else { continue };
        let signed = t.signature.is_some() || t.message.windows(11).any(|w| w == b"-----BEGIN ");
        let Some(tagger) = t.tagger().ok().flatten() else {
            continue;
        };
        if !signed {
            continue;
        }
        let seconds = tagger.time().map(|x| x.seconds).unwrap_or(0);
        let who = mailmap.resolve(tagger);
        let name = t.name.to_string();
        let Some(target) = repo
            .find_object(tag_id)
            .ok()
            .and_then(|o| o.peel_to_commit().ok())
            .map(|c| c.id)
        else {
            continue;
        };
        out.entry(target).or_default().push(TagData {
            name,
            tagger_name: who.name.to_string(),
            tagger_email: who.email.to_string(),
            seconds,
        });
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.seconds.cmp(&b.seconds).then_with(|| a.name.cmp(&b.name)));
    }
    out
}

/// The first-parent chain of `HEAD` within `graph` (empty when `HEAD` is unborn or
/// outside the walk).
fn first_parent_chain(
    repo: &gix::Repository,
    graph: &HashMap<ObjectId, Vec<ObjectId>>,
) -> HashSet<ObjectId> {
    let mut out = HashSet::new();
    let mut next = repo.head_id().ok().map(|h| h.detach());
    while let Some(id) = next {
        if !out.insert(id) {
            break;
        }
        next = graph.get(&id).and_then(|p| p.first().copied());
    }
    out
}

/// Commit ids reachable from `tips` (minus `hidden`), with their parents.
fn walk_ids(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &[ObjectId],
    first_parent: bool,
) -> Result<HashMap<ObjectId, Vec<ObjectId>>, HistoryError> {
    let mut p = repo.rev_walk(tips.iter().copied());
    if first_parent {
        p = p.first_parent_only();
    }
    if !hidden.is_empty() {
        p = p.with_hidden(hidden.iter().copied());
    }
    let walk = p.all().map_err(|e| read_err("history walk", e))?;
    let mut out = HashMap::new();
    for info in walk {
        let info = info.map_err(|e| read_err("history walk", e))?;
        out.insert(info.id, info.parent_ids.iter().copied().collect());
    }
    Ok(out)
}

/// Parents before children; deterministic (tips and parents in a fixed order).
fn oldest_first(graph: &HashMap<ObjectId, Vec<ObjectId>>, tips: &[ObjectId]) -> Vec<ObjectId> {
    let mut order = Vec::with_capacity(graph.len());
    let mut seen: HashSet<ObjectId> = HashSet::with_capacity(graph.len());
    for &t in tips {
        if !graph.contains_key(&t) || !seen.insert(t) {
            continue;
        }
        // Iterative post-order DFS: (node, next parent index).
        let mut stack = vec![(t, 0usize)];
        while let Some((id, i)) = stack.pop() {
            let parents = graph.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&p) = parents.get(i) {
                stack.push((id, i + 1));
                if graph.contains_key(&p) && seen.insert(p) {
                    stack.push((p, 0));
                }
            } else {
                order.push(id);
            }
        }
    }
    order
}

fn parse_since(s: &str) -> Result<i64, HistoryError> {
    let bad = |_| HistoryError::Since(s.to_owned());
    let date: jiff::civil::Date = s.trim().parse().map_err(bad)?;
    Ok(date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(bad)?
        .timestamp()
        .as_second())
}

pub(crate) fn review(opts: &Options) -> Result<History, HistoryError> {
    let repo = gix::open_opts(&opts.repo, gix::open::Options::isolated()).map_err(|e| {
        HistoryError::Open {
            path: opts.repo.display().to_string(),
            message: e.to_string(),
        }
    })?;
    let since = opts.since.as_deref().map(parse_since).transpose()?;
    let (tips, hidden) = match &opts.range {
        Some(r) => {
            let (a, b) = r.split_once("..").ok_or_else(|| HistoryError::Revision {
                spec: r.clone(),
                message: "expected A..B".to_owned(),
            })?;
            let b = if b.is_empty() { "HEAD" } else { b };
            (vec![resolve(&repo, b)?], vec![resolve(&repo, a)?])
        }
        None if opts.refs.is_empty() => (all_tips(&repo)?, Vec::new()),
        None => {
            let mut t = opts
                .refs
                .iter()
                .map(|r| resolve(&repo, r))
                .collect::<Result<Vec<_>, _>>()?;
            t.sort();
            t.dedup();
            (t, Vec::new())
        }
    };
    let graph = walk_ids(&repo, &tips, &[], opts.first_parent)?;
    let reported: Option<HashSet<ObjectId>> = if hidden.is_empty() {
        None
    } else {
        Some(
            walk_ids(&repo, &tips, &hidden, opts.first_parent)?
                .into_keys()
                .collect(),
        )
    };
    let mainline = first_parent_chain(&repo, &graph);
    let order = oldest_first(&graph, &tips);
    drop(graph);
    // Identities as `git log --use-mailmap` shows them: the work tree's `.mailmap`, or
    // `HEAD:.mailmap` in a bare repository (the repository is opened isolated, so
    // `mailmap.file` / `mailmap.blob` of the user's configuration are not read).
    let mailmap = repo.open_mailmap();
    let mut tags = signed_tags(&repo, &mailmap);
    let r = Repo {
        repo,
        missing: RefCell::new(Vec::new()),
    };
    let mut judge = Judge::new(&opts.weights);
    for (index, id) in order.iter().enumerate() {
        let commit = r
            .repo
            .find_commit(*id)
            .map_err(|e| read_err(format!("commit {id}"), e))?;
        let c = commit
            .decode()
            .map_err(|e| read_err(format!("commit {id}"), e))?;
        let author = c
            .author()
            .map_err(|e| read_err(format!("commit {id}"), e))?;
        let time = author.time().unwrap_or_default();
        let author = mailmap.resolve(author);
        let name = author.name.to_string();
        let email = author.email.to_string();
        let seconds = time.seconds;
        let committer = c
            .committer()
            .map(|s| mailmap.resolve(s))
            .map_err(|e| read_err(format!("commit {id}"), e))?;
        let message = c.message.to_string();
        let tree = c.tree();
        let parents: Vec<ObjectId> = c.parents().collect();
        let mut changes = Vec::new();
        let diff_parent = match parents.as_slice() {
            [] => Some(None),
            [p] => Some(Some(*p)),
            // Merges: their side commits are judged on their own; with --first-parent
            // the merge carries its side's changes.
            [p, ..] if opts.first_parent => Some(Some(*p)),
            _ => None,
        };
        // A parent cut off by a shallow clone: the commit's tree is learnt as the
        // boundary's starting point and none of it is judged as a change.
        let mut boundary = false;
        if let Some(p) = diff_parent {
            let old_tree = match p {
                Some(p) => match r
                    .repo
                    .try_find_object(p)
                    .map_err(|e| read_err(format!("commit {p}"), e))?
                {
                    Some(o) => Some(
                        o.try_into_commit()
                            .map_err(|e| read_err(format!("commit {p}"), e))?
                            .tree_id()
                            .map_err(|e| read_err(format!("commit {p}"), e))?
                            .detach(),
                    ),
                    None => {
                        r.note_missing(p, || "parent commit (shallow clone)".to_owned());
                        boundary = true;
                        None
                    }
                },
                None => None,
            };
            r.diff(old_tree, Some(tree), "", &mut changes)?;
        }
        let report =
            reported.as_ref().is_none_or(|s| s.contains(id)) && since.is_none_or(|s| seconds >= s);
        judge.commit(
            &r,
            CommitData {
                index,
                id: *id,
                tree,
                name,
                email,
                seconds,
                offset: time.offset,
                committer_name: committer.name.to_string(),
                committer_email: committer.email.to_string(),
                mainline: mainline.contains(id),
                signed_tags: tags.remove(id).unwrap_or_default(),
                message,
                merge: parents.len() > 1,
                root: parents.is_empty() || boundary,
                boundary,
                changes,
            },
            report,
        )?;
    }
    Ok(judge.finish(order.len()))
}
