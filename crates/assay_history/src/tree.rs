//! One commit's tree, read whole: the source side of `assay provenance`.
//!
//! The repository is opened read-only and isolated, like the history walk. The tree is
//! walked depth-first with gix's tree traversal; every blob is read, within bounds
//! ([`TreeLimits`]): a tree past them is returned with `truncated` set, never silently
//! cut. Submodules (commit entries) are listed as paths with no content.

use crate::HistoryError;
use gix::ObjectId;
use std::path::Path;

/// Bounds of [`read_tree`].
#[derive(Debug, Clone, Copy)]
pub struct TreeLimits {
    /// Most files read.
    pub max_files: usize,
    /// Most bytes of one file kept (the rest is dropped and the file marked incomplete).
    pub max_file_bytes: usize,
    /// Most bytes kept over the whole tree.
    pub max_total_bytes: usize,
}

impl Default for TreeLimits {
    fn default() -> Self {
        TreeLimits {
            max_files: 200_000,
            max_file_bytes: 64 << 20,
            max_total_bytes: 2 << 30,
        }
    }
}

/// A file of the tree.
#[derive(Debug, Clone)]
pub struct TreeFile {
    /// `/`-separated path from the repository root.
    pub path: String,
    /// The content (a prefix when `complete` is false).
    pub data: Vec<u8>,
    /// Whether `data` is the whole blob.
    pub complete: bool,
    /// The blob's size in bytes.
    pub size: u64,
}

/// A commit's tree ([`read_tree`]).
#[derive(Debug, Clone)]
pub struct SourceTree {
    /// The revision as resolved: the tag or ref name given or found.
    pub rev: String,
    /// The commit id, hex.
    pub commit: String,
    /// Regular files and symbolic links (a link's data is its target), in tree order.
    pub files: Vec<TreeFile>,
    /// Whether a bound left files out.
    pub truncated: bool,
}

fn read_err(what: impl Into<String>, e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Read {
        what: what.into(),
        message: e.to_string(),
    }
}

fn open(repo: &Path) -> Result<gix::Repository, HistoryError> {
    gix::open_opts(repo, gix::open::Options::isolated()).map_err(|e| HistoryError::Open {
        path: repo.display().to_string(),
        message: e.to_string(),
    })
}

/// The tags that name `version` of the package `name`, by the usual conventions, in
/// order of preference: `v1.2.3`, `1.2.3`, `NAME-1.2.3`, `NAME-v1.2.3`, `NAME@1.2.3`,
/// `release-1.2.3`, `NAME_1.2.3`, and the same with `-`/`_` swapped in `NAME`. Only
/// tags that exist are returned.
pub fn tags_for_version(
    repo: &Path,
    name: Option<&str>,
    version: &str,
) -> Result<Vec<String>, HistoryError> {
    let r = open(repo)?;
    let mut candidates = vec![
        format!("v{version}"),
        version.to_owned(),
        format!("release-{version}"),
        format!("release/{version}"),
    ];
    if let Some(n) = name {
        let lower = n.to_ascii_lowercase();
        for n in [
            n.to_owned(),
            lower.replace('_', "-"),
            lower.replace('-', "_"),
        ] {
            candidates.push(format!("{n}-{version}"));
            candidates.push(format!("{n}-v{version}"));
            candidates.push(format!("{n}@{version}"));
            candidates.push(format!("{n}_{version}"));
            candidates.push(format!("{n}/v{version}"));
        }
    }
    let mut out = Vec::new();
    for c in candidates {
        if out.contains(&c) {
            continue;
        }
        if r.find_reference(format!("refs/tags/{c}").as_str()).is_ok() {
            out.push(c);
        }
    }
    Ok(out)
}

/// Read the whole tree of `rev` (a tag, branch, commit id or revision expression).
pub fn read_tree(repo: &Path, rev: &str, limits: TreeLimits) -> Result<SourceTree, HistoryError> {
    let r = open(repo)?;
    let bad = |m: String| HistoryError::Revision {
        spec: rev.to_owned(),
        message: m,
    };
    let id = match ObjectId::from_hex(rev.as_bytes()) {
        Ok(id) => id,
        Err(_) => r
            .rev_parse_single(rev)
            .map_err(|e| bad(e.to_string()))?
            .detach(),
    };
    let commit = r
        .find_object(id)
        .map_err(|e| bad(e.to_string()))?
        .peel_to_commit()
        .map_err(|e| bad(e.to_string()))?;
    let tree = commit
        .tree()
        .map_err(|e| read_err(format!("the tree of {rev}"), e))?;
    let mut rec = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .depthfirst(&mut rec)
        .map_err(|e| read_err(format!("the tree of {rev}"), e))?;
    let mut out = SourceTree {
        rev: rev.to_owned(),
        commit: commit.id.to_string(),
        files: Vec::new(),
        truncated: false,
    };
    let mut total = 0usize;
    for e in rec.records {
        if !(e.mode.is_blob() || e.mode.is_link()) {
            continue;
        }
        if out.files.len() >= limits.max_files || total >= limits.max_total_bytes {
            out.truncated = true;
            break;
        }
        let path = e.filepath.to_string();
        let blob = r
            .find_object(e.oid)
            .map_err(|x| read_err(format!("{path} at {rev}"), x))?;
        let size = blob.data.len() as u64;
        let keep = blob
            .data
            .len()
            .min(limits.max_file_bytes)
            .min(limits.max_total_bytes.saturating_sub(total));
        let data = blob.data.get(..keep).unwrap_or_default().to_vec();
        total += data.len();
        out.files.push(TreeFile {
            path,
            complete: keep as u64 == size,
            data,
            size,
        });
    }
    Ok(out)
}
