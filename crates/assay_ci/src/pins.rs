//! `CI029` impostor-commit and `CI030` ref-confusion: checks of `uses: owner/repo@ref`
//! that need the action's repository, run only on request (`assay tags --online`).
//!
//! This module decides; it does not fetch. The caller supplies a [`Lookup`] (assay's
//! is the GitHub REST API, in the `assay` binary) and gets findings back:
//!
//! - a full commit SHA that no branch and no tag of the action repository reaches is an
//!   **impostor commit**: GitHub serves commits of every fork through the parent
//!   repository's name, so `actions/checkout@<sha>` can run a fork's code (Chainguard,
//!   "What the fork? Imposter commits in GitHub Actions and CI/CD");
//! - a ref that names both a branch and a tag is **ref confusion**: GitHub resolves the
//!   ambiguous ref to one of them, and whoever can push a branch of that name chooses
//!   the code.
//!
//! A lookup that fails is a finding too (low, "not verified"), never a silent pass.

use crate::SourceFile;
use crate::model::{Workflow, is_full_sha};
use assay_core::{Finding, Location, Rule, Severity};
use std::collections::BTreeMap;

/// Most distinct `owner/repo@ref` pins looked up in one run (each costs requests).
pub const MAX_PINS: usize = 200;

/// Where a commit was found in the action repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Reached from this branch or tag.
    From(String),
    /// No branch or tag checked reaches it (or the repository does not have it).
    Nowhere {
        /// How many branches and tags were checked.
        checked: usize,
    },
}

/// What a ref names in the action repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefKinds {
    /// `refs/heads/<ref>` exists.
    pub branch: bool,
    /// `refs/tags/<ref>` exists.
    pub tag: bool,
}

/// Access to action repositories. Errors are messages for the finding.
pub trait Lookup {
    /// Whether `sha` is reachable from a branch or tag of `owner/repo`.
    ///
    /// # Errors
    /// A message when the repository could not be asked (network, rate limit, size).
    fn reach(&self, owner: &str, repo: &str, sha: &str) -> Result<Reach, String>;
    /// Whether `r` is a branch, a tag, or both, in `owner/repo`.
    ///
    /// # Errors
    /// A message when the repository could not be asked.
    fn kinds(&self, owner: &str, repo: &str, r: &str) -> Result<RefKinds, String>;
}

/// One pin and every place it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Action repository owner.
    pub owner: String,
    /// Action repository name.
    pub repo: String,
    /// The ref after `@`.
    pub r#ref: String,
    /// Where it is used (first one first).
    pub locations: Vec<Location>,
}

fn pins_of(wf: &Workflow, out: &mut BTreeMap<(String, String, String), Vec<Location>>) {
    for u in wf.uses() {
        let t = u.text.trim();
        if t.starts_with("./") || t.starts_with("docker://") || t.contains("${{") {
            continue;
        }
        let Some((name, r)) = t.split_once('@') else {
            continue;
        };
        let mut parts = name.split('/');
        let (Some(owner), Some(repo)) = (parts.next(), parts.next()) else {
            continue;
        };
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        let ref_ok = !r.is_empty()
            && r.len() <= 255
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./+".contains(&b))
            && !r.contains("..");
        if !ok(owner) || !ok(repo) || !ref_ok {
            continue;
        }
        out.entry((
            owner.to_ascii_lowercase(),
            repo.to_ascii_lowercase(),
            r.to_owned(),
        ))
        .or_default()
        .push(crate::audit::location(&wf.path, u.pos));
    }
}

/// The pins of the workflow and action files `files` (unreadable files are skipped: the
/// audit reports them as `CI001`), at most [`MAX_PINS`], sorted.
pub fn pins(files: &[SourceFile]) -> Vec<Pin> {
    let limits = crate::yaml::Limits::default();
    let mut map = BTreeMap::new();
    for (path, bytes) in files {
        if bytes.len() > limits.max_bytes {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        if let Ok(doc) = crate::yaml::parse(&text, &limits) {
            pins_of(&crate::model::build(path, &doc), &mut map);
        }
    }
    map.into_iter()
        .take(MAX_PINS)
        .map(|((owner, repo, r), locations)| Pin {
            owner,
            repo,
            r#ref: r,
            locations,
        })
        .collect()
}

fn finding(rule: Rule, sev: Severity, pin: &Pin, evidence: String) -> Finding {
    let mut locs = pin.locations.iter().cloned();
    let mut f = rule.finding(locs.next().unwrap_or_default(), evidence);
    f.severity = sev;
    f.related = locs.collect();
    f
}

/// Check every pin with `lookup`: full SHAs for reachability (`CI029`), other refs for
/// being both a branch and a tag (`CI030`).
pub fn check(pins: &[Pin], lookup: &dyn Lookup) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in pins {
        let name = format!("{}/{}@{}", p.owner, p.repo, p.r#ref);
        if is_full_sha(&p.r#ref) {
            match lookup.reach(&p.owner, &p.repo, &p.r#ref.to_ascii_lowercase()) {
                Ok(Reach::From(_)) => {}
                Ok(Reach::Nowhere { checked }) => out.push(finding(
                    Rule::ImpostorCommit,
                    Severity::High,
                    p,
                    format!(
                        "`{name}`: no branch or tag of {}/{} reaches this commit ({checked} checked); it may be a fork's commit served under the repository's name",
                        p.owner, p.repo
                    ),
                )),
                Err(e) => out.push(finding(
                    Rule::ImpostorCommit,
                    Severity::Low,
                    p,
                    format!("`{name}`: not verified, the lookup failed: {e}"),
                )),
            }
        } else {
            match lookup.kinds(&p.owner, &p.repo, &p.r#ref) {
                Ok(RefKinds {
                    branch: true,
                    tag: true,
                }) => out.push(finding(
                    Rule::RefConfusion,
                    Severity::Medium,
                    p,
                    format!(
                        "`{name}`: `{}` is both a branch and a tag of {}/{}; whoever can push that branch chooses the code",
                        p.r#ref, p.owner, p.repo
                    ),
                )),
                Ok(_) => {}
                Err(e) => out.push(finding(
                    Rule::RefConfusion,
                    Severity::Low,
                    p,
                    format!("`{name}`: not verified, the lookup failed: {e}"),
                )),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Lookup for Fake {
        fn reach(&self, _: &str, repo: &str, sha: &str) -> Result<Reach, String> {
            match (repo, sha.starts_with('c')) {
                ("down", _) => Err("503".into()),
                (_, true) => Ok(Reach::Nowhere { checked: 3 }),
                _ => Ok(Reach::From("main".into())),
            }
        }
        fn kinds(&self, _: &str, _: &str, r: &str) -> Result<RefKinds, String> {
            Ok(RefKinds {
                branch: r == "confusable",
                tag: true,
            })
        }
    }

    #[test]
    fn pins_and_checks() {
        let wf = b"on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@c7d749a2d57b4b375d1ebcd17cfbfb60c676f18e\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n      - uses: o/r/sub@confusable\n      - uses: o/r@v1\n      - uses: o/down@0000000000000000000000000000000000000000\n      - uses: ./local\n      - uses: docker://alpine:3\n";
        let p = pins(&[(".github/workflows/a.yml".into(), wf.to_vec())]);
        assert_eq!(p.len(), 5);
        let f = check(&p, &Fake);
        let got: Vec<(&str, Severity)> = f.iter().map(|x| (x.rule.code(), x.severity)).collect();
        assert_eq!(
            got,
            [
                ("CI029", Severity::High),
                ("CI029", Severity::Low),
                ("CI030", Severity::Medium)
            ]
        );
    }
}
