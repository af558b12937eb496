//! `CI028` known-vulnerable-action: `uses: owner/repo@ref` matching a GitHub Actions
//! advisory, from an embedded, offline list.
//!
//! Each entry is a GitHub Security Advisory (GHSA) of the OSV ecosystem "GitHub Actions"
//! (<https://osv.dev/list?ecosystem=GitHub+Actions>): the action, its affected version
//! range as the advisory states it, the exact refs an advisory names (a moved tag), and
//! the commits known to be malicious. assay's advisory database (`assay db`, crate
//! `assay_deps`) has no "GitHub Actions" ecosystem: adding one means a new `Ecosystem`
//! variant, its version matching, and this crate depending on the SQLite store, so the
//! list stays here, small, with a source for every line.
//!
//! Matching a ref: a full commit SHA matches a listed malicious commit; a full version
//! (`v1.0.1`, `4.0.1`) matches when it lies in the range; a partial version (`v45`,
//! `v4.2`) is a moving tag that resolves to the newest release of its line, so it
//! matches only when the whole line is affected (`v45` under "< 46.0.1", not `v4`
//! under ">= 4.0.0, < 4.4.1"); a listed ref matches itself.

use crate::audit::Cx;
use assay_core::{Rule, Severity};

/// What an advisory is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The action was compromised: its tags or commits ran an attacker's code.
    Compromised,
    /// The action has a vulnerability its callers can trigger (injection, path traversal).
    Vulnerable,
}

/// One advisory about one action.
#[derive(Debug, Clone, Copy)]
pub struct Advisory {
    /// GHSA id.
    pub ghsa: &'static str,
    /// CVE id, when there is one.
    pub cve: Option<&'static str>,
    /// `owner/repo`, lower-case.
    pub action: &'static str,
    /// Affected versions: `[introduced, fixed)`, `None` for an open end.
    pub range: Option<(Option<&'static str>, Option<&'static str>)>,
    /// Refs the advisory names as affected by themselves (a moved major tag).
    pub refs: &'static [&'static str],
    /// Malicious commits (full SHA-1, lower-case).
    pub commits: &'static [&'static str],
    /// Compromised or vulnerable.
    pub kind: Kind,
    /// One line on what happened.
    pub summary: &'static str,
}

/// The embedded list. Sources: the GHSA pages named by `ghsa`, and for malicious commits
/// the advisory text (tj-actions/changed-files: "tags v1 through v45.0.7 were moved to
/// commit 0e58ed8…"; reviewdog/action-setup: tag v1 moved to f0d342d… on 2025-03-11,
/// 18:42–20:31 UTC).
pub const ADVISORIES: &[Advisory] = &[
    Advisory {
        ghsa: "GHSA-mrrh-fwg8-r2c3",
        cve: Some("CVE-2025-30066"),
        action: "tj-actions/changed-files",
        range: Some((None, Some("46.0.1"))),
        refs: &[],
        commits: &["0e58ed8671d6b60d0890c21b07f8835ace038e67"],
        kind: Kind::Compromised,
        summary: "tags moved to a commit that printed the runner's secrets to the log (March 2025)",
    },
    Advisory {
        ghsa: "GHSA-qmg3-hpqr-gqvc",
        cve: Some("CVE-2025-30154"),
        action: "reviewdog/action-setup",
        range: None,
        refs: &["v1"],
        commits: &["f0d342d24037bb11d26b9bd8496e0808ba32e9ec"],
        kind: Kind::Compromised,
        summary: "tag v1 moved to a commit that printed the runner's secrets to the log (2025-03-11)",
    },
    Advisory {
        ghsa: "GHSA-4xqx-pqpj-9fqw",
        cve: Some("CVE-2020-14188"),
        action: "atlassian/gajira-create",
        range: Some((None, Some("2.0.1"))),
        refs: &[],
        commits: &[],
        kind: Kind::Vulnerable,
        summary: "code execution through an expression in the `summary` input",
    },
    Advisory {
        ghsa: "GHSA-6q4m-7476-932w",
        cve: Some("CVE-2023-27581"),
        action: "rlespinasse/github-slug-action",
        range: Some((Some("4.0.0"), Some("4.4.1"))),
        refs: &[],
        commits: &[],
        kind: Kind::Vulnerable,
        summary: "command injection through branch and tag names",
    },
    Advisory {
        ghsa: "GHSA-cxww-7g56-2vh6",
        cve: Some("CVE-2024-42471"),
        action: "actions/download-artifact",
        range: Some((Some("4.0.0"), Some("4.1.3"))),
        refs: &[],
        commits: &[],
        kind: Kind::Vulnerable,
        summary: "an artifact can write files outside the extraction folder (path traversal)",
    },
];

/// A version as up to three numbers, with how many were written (`v45` → `([45,0,0], 1)`).
fn version(s: &str) -> Option<([u64; 3], usize)> {
    let s = s
        .strip_prefix('v')
        .or_else(|| s.strip_prefix('V'))
        .unwrap_or(s);
    let mut out = [0u64; 3];
    let mut n = 0;
    for (i, part) in s.split('.').enumerate() {
        let slot = out.get_mut(i)?;
        *slot = part.parse().ok()?;
        n = i + 1;
    }
    (n > 0).then_some((out, n))
}

/// The last version of the line `v` (written with `n` numbers) can be, as a bound: `v45`
/// → every 45.x.y, so its top is just under 46.0.0.
fn line_top(v: [u64; 3], n: usize) -> [u64; 3] {
    let [major, minor, _] = v;
    match n {
        1 => [major, u64::MAX, u64::MAX],
        2 => [major, minor, u64::MAX],
        _ => v,
    }
}

/// Why `r` (the ref after `@`) is affected by `a`, or `None`.
pub fn matches(a: &Advisory, r: &str) -> Option<&'static str> {
    let lower = r.to_ascii_lowercase();
    if a.commits.contains(&lower.as_str()) {
        return Some("a known malicious commit");
    }
    if a.refs.iter().any(|x| x.eq_ignore_ascii_case(r)) {
        return Some("a ref the advisory names");
    }
    let (lo, hi) = a.range?;
    let (v, n) = version(r)?;
    let bottom = v;
    let top = line_top(v, n);
    let lo_ok = lo.and_then(version).is_none_or(|(l, _)| bottom >= l);
    let hi_ok = hi.and_then(version).is_none_or(|(h, _)| top < h);
    (lo_ok && hi_ok).then_some(if n == 3 {
        "an affected version"
    } else {
        "a tag whose every release is affected"
    })
}

/// `CI028`: actions used at a version or commit an advisory lists.
pub(crate) fn known_vulnerable(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for u in wf.uses() {
        let Some((name, r)) = u.text.trim().split_once('@') else {
            continue;
        };
        let mut parts = name.split('/');
        let repo = match (parts.next(), parts.next()) {
            (Some(o), Some(n)) => format!("{o}/{n}").to_ascii_lowercase(),
            _ => continue,
        };
        for a in ADVISORIES.iter().filter(|a| a.action == repo) {
            let Some(why) = matches(a, r) else { continue };
            let sev = match (a.kind, why) {
                (_, "a known malicious commit") => Severity::Critical,
                (Kind::Compromised, _) => Severity::High,
                (Kind::Vulnerable, _) => Severity::Medium,
            };
            let cve = a.cve.map(|c| format!(", {c}")).unwrap_or_default();
            let mut f = Rule::KnownVulnerableAction.finding(
                cx.loc(u.pos),
                format!("`{repo}@{r}` is {why} in {}{cve}: {}", a.ghsa, a.summary),
            );
            f.severity = sev;
            cx.out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(action: &str, r: &str) -> bool {
        ADVISORIES
            .iter()
            .filter(|a| a.action == action)
            .any(|a| matches(a, r).is_some())
    }

    #[test]
    fn versions_refs_and_commits() {
        assert!(hit("tj-actions/changed-files", "v45"));
        assert!(hit("tj-actions/changed-files", "v45.0.7"));
        assert!(hit(
            "tj-actions/changed-files",
            "0e58ed8671d6b60d0890c21b07f8835ace038e67"
        ));
        assert!(!hit("tj-actions/changed-files", "v46"));
        assert!(!hit("tj-actions/changed-files", "v46.0.1"));
        assert!(hit("reviewdog/action-setup", "v1"));
        assert!(!hit("reviewdog/action-setup", "v1.3.2"));
        assert!(hit("rlespinasse/github-slug-action", "4.0.1"));
        assert!(hit("rlespinasse/github-slug-action", "v4.3"));
        assert!(!hit("rlespinasse/github-slug-action", "v4.4"));
        assert!(!hit("rlespinasse/github-slug-action", "v4"));
        assert!(!hit("rlespinasse/github-slug-action", "v3.9.0"));
        assert!(hit("atlassian/gajira-create", "v1.0.1"));
        assert!(!hit("atlassian/gajira-create", "v2.0.1"));
        assert!(!hit("actions/download-artifact", "v4"));
        assert!(hit("actions/download-artifact", "v4.1.2"));
        assert!(!hit("actions/download-artifact", "main"));
    }
}
