//! `assay history --online`: what the package registries say about the dependencies the
//! reviewed commits added (rule GIT018 dependency-registry-evidence).
//!
//! The walk records every third-party dependency a commit adds under a name no earlier
//! manifest or lockfile of the project used and that is not on the bundled popular lists
//! ([`AddedDependency`], [`crate::History::added`]). This crate does no I/O: the caller
//! (the `assay` CLI, with the `assay deps --online` client and flags) looks the names up
//! and hands the facts back as [`RegistryFacts`]; [`apply`] turns them into findings,
//! rescores the commits with the same [`Weights`] and re-ranks them. Without `--online`
//! nothing is looked up and GIT018 never fires.
//!
//! What counts, and why (weights in `docs/history.md`):
//! - a package **created on its registry fewer than [`YOUNG_DAYS`] days before the commit**
//!   that adds it, added by a newcomer;
//! - a package whose **first version was published by the committer** (npm `_npmUser`,
//!   crates.io `published_by`), added by a newcomer: pulling in a package of one's own;
//! - a package the registry **no longer has** (404, or every version unpublished), added
//!   by a newcomer, or one that holds only npm's **`0.0.1-security` placeholder** (what npm
//!   publishes in place of a package removed as malware), added by anyone.

use crate::{History, Weights};
use assay_core::{Ecosystem, Location, Rule};
use std::collections::HashMap;

/// Most added dependencies recorded per review (each is one registry request).
pub const MAX_ADDED: usize = 2_000;

/// A package created on its registry fewer than this many days before the commit that
/// adds it is "young at the commit".
pub const YOUNG_DAYS: i64 = 30;

/// One third-party dependency a commit added under a name the project never used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedDependency {
    /// The commit (full hex id), as in the report's `path`.
    pub commit: String,
    /// Author time of the commit, Unix seconds.
    pub seconds: i64,
    /// The registry.
    pub ecosystem: Ecosystem,
    /// The name as the registry compares it.
    pub name: String,
    /// The manifest that gained it.
    pub path: String,
    /// Author name and e-mail (after `.mailmap`).
    pub author_name: String,
    /// Author e-mail.
    pub author_email: String,
    /// Whether the author was a newcomer at that commit (as for GIT016).
    pub newcomer: bool,
}

/// What a registry says about a package, reduced to what GIT018 judges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryFacts {
    /// 404, or every version unpublished.
    Missing,
    /// Only npm's `0.0.1-security` placeholder is left: removed as malware.
    SecurityPlaceholder,
    /// The package exists.
    Found {
        /// First publication of the project, Unix seconds.
        created: Option<i64>,
        /// The account that published the oldest version (npm `_npmUser.name`,
        /// crates.io `published_by.login`; PyPI has none).
        first_publisher: Option<String>,
    },
}

/// Whether an account name is the committer's: equal (ignoring case and `-`/`_`/`.`)
/// to the local part of the author's e-mail or to the author's name without spaces.
fn is_committer(account: &str, name: &str, email: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let a = norm(account);
    if a.len() < 3 {
        return false;
    }
    let local = email.split('@').next().unwrap_or("");
    // GitHub's private addresses: `12345+login@users.noreply.github.com`.
    let local = local.split_once('+').map_or(local, |(_, l)| l);
    a == norm(local) || a == norm(name)
}

/// The GIT018 evidence for one added dependency, if the facts warrant one.
pub fn evidence(d: &AddedDependency, facts: &RegistryFacts) -> Option<String> {
    let what = format!(
        "{} dependency {} (added in {})",
        d.ecosystem.osv(),
        d.name,
        d.path
    );
    match facts {
        RegistryFacts::SecurityPlaceholder => Some(format!(
            "{what}: the registry holds only a `0.0.1-security` placeholder (npm's replacement for a package removed as malware)"
        )),
        RegistryFacts::Missing if d.newcomer => Some(format!(
            "{what}: the registry no longer has it (removed or every version unpublished; npm removes malware this way)"
        )),
        RegistryFacts::Missing => None,
        RegistryFacts::Found {
            created,
            first_publisher,
        } => {
            if !d.newcomer {
                return None;
            }
            let mut why = Vec::new();
            if let Some(c) = created {
                let days = (d.seconds - c).div_euclid(86_400);
                if (0..YOUNG_DAYS).contains(&days) {
                    why.push(format!(
                        "created on the registry {days} day{} before this commit",
                        if days == 1 { "" } else { "s" }
                    ));
                }
            }
            if let Some(p) = first_publisher
                && is_committer(p, &d.author_name, &d.author_email)
            {
                why.push(format!(
                    "its first version was published by `{p}`, the committer <{}>",
                    d.author_email
                ));
            }
            (!why.is_empty()).then(|| format!("{what}: {}", why.join("; ")))
        }
    }
}

/// Add GIT018 findings to the commits of `history` from the registry facts `facts`
/// (keyed by ecosystem and name; names without facts, e.g. failed lookups, are skipped),
/// then rescore every changed commit with `weights` and re-rank the history (score
/// descending, ties in the previous order). Returns the number of findings added.
pub fn apply(
    history: &mut History,
    weights: &Weights,
    facts: &HashMap<(Ecosystem, String), RegistryFacts>,
) -> usize {
    let by_commit: HashMap<String, usize> = history
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path.clone(), i))
        .collect();
    let mut added = 0;
    let mut changed = std::collections::HashSet::new();
    for d in &history.added {
        let Some(&i) = by_commit.get(d.commit.as_str()) else {
            continue;
        };
        let Some(text) = facts
            .get(&(d.ecosystem, d.name.clone()))
            .and_then(|f| evidence(d, f))
        else {
            continue;
        };
        let Some(c) = history.commits.get_mut(i) else {
            continue;
        };
        c.findings
            .push(Rule::DependencyRegistryEvidence.finding(Location::file(&d.path), text));
        added += 1;
        changed.insert(i);
    }
    for (_, c) in history
        .commits
        .iter_mut()
        .enumerate()
        .filter(|(i, _)| changed.contains(i))
    {
        c.findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.rule.cmp(&b.rule))
        });
        let score = weights.score(&c.findings);
        c.score = (score * 100.0).round() / 100.0;
        c.verdict = weights.verdict(score, c.findings.is_empty());
    }
    if added > 0 {
        // Stable: equal scores keep their order (history order, as the walk ranked them).
        history.commits.sort_by(|a, b| b.score.total_cmp(&a.score));
        for (i, c) in history.commits.iter_mut().enumerate() {
            c.rank = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(newcomer: bool) -> AddedDependency {
        AddedDependency {
            commit: "c".into(),
            seconds: 1_536_500_000,
            ecosystem: Ecosystem::Npm,
            name: "flat-stream-x".into(),
            path: "package.json".into(),
            author_name: "Right Nine".into(),
            author_email: "right9ctrl@example.invalid".into(),
            newcomer,
        }
    }

    #[test]
    fn young_self_published_and_removed_packages_are_evidence() {
        let young = RegistryFacts::Found {
            created: Some(1_536_500_000 - 4 * 86_400),
            first_publisher: Some("right9ctrl".into()),
        };
        let e = evidence(&dep(true), &young).unwrap();
        assert!(e.contains("4 days before"), "{e}");
        assert!(e.contains("published by `right9ctrl`"), "{e}");
        assert!(evidence(&dep(true), &RegistryFacts::Missing).is_some());
        assert!(evidence(&dep(false), &RegistryFacts::SecurityPlaceholder).is_some());
    }

    #[test]
    fn old_packages_by_others_and_maintainers_work_are_not() {
        let old = RegistryFacts::Found {
            created: Some(1_536_500_000 - 400 * 86_400),
            first_publisher: Some("someone-else".into()),
        };
        assert_eq!(evidence(&dep(true), &old), None);
        // A long-time contributor's new own package, or an unpublished one: not flagged.
        let young = RegistryFacts::Found {
            created: Some(1_536_500_000 - 86_400),
            first_publisher: Some("right9ctrl".into()),
        };
        assert_eq!(evidence(&dep(false), &young), None);
        assert_eq!(evidence(&dep(false), &RegistryFacts::Missing), None);
        // Created after the commit (the name was re-registered later): not "young at it".
        let later = RegistryFacts::Found {
            created: Some(1_536_500_000 + 86_400),
            first_publisher: None,
        };
        assert_eq!(evidence(&dep(true), &later), None);
        assert!(!is_committer("ab", "ab", "ab@example.invalid"));
        assert!(is_committer(
            "right9ctrl",
            "x",
            "123+right9ctrl@users.noreply.github.com"
        ));
    }
}
