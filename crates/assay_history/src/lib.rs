//! `assay history`: ranks the commits of a git repository by how much they deserve a
//! human review (rules `GIT001`…`GIT010`, metadata in the catalog, `assay_core::GitRule`; docs in `assay_rules::rules::git`).
//!
//! The repository is opened read-only with gix (isolated: no user or system config, no
//! hooks, nothing written). Commits are walked once, oldest first (parents before
//! children), and each is judged only by what came before it: author tenure and share,
//! the per-repository map of message prefixes to directories. Per commit the work is a
//! tree-to-tree comparison that skips identical subtrees, plus bounded blob reads of the
//! files that a rule looks at. Output is deterministic: the order is score descending,
//! then history order.
#![cfg_attr(
    not(test),
    warn(clippy::indexing_slicing, clippy::expect_used, clippy::panic)
)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod blob;
mod judge;
pub mod manifest;
pub mod online;
pub mod snippet;
pub mod synth;
pub mod tags;
pub mod tree;
mod walk;
pub mod weights;

pub use weights::Weights;

use assay_core::ArtifactReport;
use std::path::PathBuf;

/// Errors of a history review; each names the repository or object it concerns.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The path is not a readable git repository.
    #[error("opening repository {path}: {message}")]
    Open {
        /// The path given.
        path: String,
        /// gix's reason.
        message: String,
    },
    /// A revision given by the user does not resolve.
    #[error("resolving `{spec}`: {message}")]
    Revision {
        /// What the user gave (`--ref`, `--range`).
        spec: String,
        /// gix's reason.
        message: String,
    },
    /// Reading an object or walking the history failed.
    #[error("reading {what}: {message}")]
    Read {
        /// The object or operation.
        what: String,
        /// gix's reason.
        message: String,
    },
    /// A bad `--since` date.
    #[error("--since {0}: expected YYYY-MM-DD")]
    Since(String),
    /// A bad weights file.
    #[error("weights {path}: {message}")]
    Weights {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Reading a file.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What to review.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The repository (work tree or bare `.git` directory).
    pub repo: PathBuf,
    /// Tips to walk from; empty = every branch, tag and `HEAD`.
    pub refs: Vec<String>,
    /// `A..B`: report only commits reachable from B and not from A (their past is still
    /// read to build the baselines).
    pub range: Option<String>,
    /// Report only commits whose author date is on or after this day (`YYYY-MM-DD`, UTC).
    pub since: Option<String>,
    /// Follow only first parents; merges are then diffed against their first parent.
    pub first_parent: bool,
    /// The scoring table.
    pub weights: Weights,
}

/// The review: every reported commit, ranked.
#[derive(Debug, Clone)]
pub struct History {
    /// One entry per commit, `format: commit`, ranked (score descending, then history
    /// order), `rank` 1-based.
    pub commits: Vec<ArtifactReport>,
    /// Commits walked (reported or not).
    pub walked: usize,
    /// What the clone did not hold (partial or shallow clone); all zero for a full one.
    pub missing: Missing,
    /// Third-party dependencies commits added under names the project never used before
    /// and outside the bundled popular lists, oldest first: what `--online` asks the
    /// registries about ([`online::apply`]).
    pub added: Vec<online::AddedDependency>,
}

/// Objects absent from the repository, over the whole walk (each object counted once).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Missing {
    /// Reported commits judged without some of their content (finding GIT015).
    pub commits: usize,
    /// Distinct blobs absent.
    pub blobs: usize,
    /// Distinct trees absent.
    pub trees: usize,
    /// Distinct parent commits absent (shallow-clone boundaries).
    pub parents: usize,
}

impl Missing {
    /// Whether anything was absent.
    pub fn any(&self) -> bool {
        self.blobs + self.trees + self.parents > 0
    }
}

impl std::fmt::Display for Missing {
    /// One summary line: `2 commits judged on partial content: 3 blobs, 0 trees and 1
    /// parent commit are not in this clone (partial or shallow clone)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} commit{} judged on partial content: {} blob{}, {} tree{} and {} parent commit{} are not in this clone (partial or shallow clone; nothing was fetched)",
            self.commits,
            s(self.commits),
            self.blobs,
            s(self.blobs),
            self.trees,
            s(self.trees),
            self.parents,
            s(self.parents)
        )
    }
}

/// Review the history described by `opts`.
///
/// # Errors
/// [`HistoryError`] when the repository cannot be opened, a revision does not resolve,
/// or an object present in the repository cannot be read. Malformed blobs are not
/// errors: they are findings or are judged as opaque data. Objects absent from a partial
/// or shallow clone are not errors either: see [`History::missing`] and GIT015.
pub fn review(opts: &Options) -> Result<History, HistoryError> {
    walk::review(opts)
}
