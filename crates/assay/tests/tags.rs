//! `assay tags` (CI024 tag-moved, CI025 tag-off-branch, CI026 tag-removed) on a git
//! repository built by the test with the `git` CLI: the tj-actions shape, harmless — a
//! release tag moved to a commit that is on no branch, another deleted.
#![allow(clippy::unwrap_used)]

mod common;

use common::git;
use serde_json::Value;
use std::path::Path;

fn tags(cwd: &Path, repo: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("assay");
    let out = c
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(["tags", "--format", "json"])
        .args(extra)
        .arg(repo)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}\n{stdout}")),
        stderr,
    )
}

fn codes(report: &Value) -> Vec<(String, String)> {
    report["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"]["code"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn moved_off_branch_and_removed_tags_are_reported() {
    if !common::has_git() {
        return;
    }
    let tmp = tempfile::TempDir::new().unwrap();
    let repo = tmp.path().join("action");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(
        repo.join("action.yml"),
        "name: demo\nruns:\n  using: node20\n  main: index.js\n",
    )
    .unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "v1"]);
    git(&repo, &["tag", "v1"]);
    git(&repo, &["tag", "-a", "v2", "-m", "release 2"]);
    let lock = tmp.path().join("tags.lock");
    let lock_s = lock.to_str().unwrap();

    // First run: records the tags, nothing to report (must not match).
    let (code, report, err) = tags(tmp.path(), &repo, &["--lock", lock_s]);
    assert_eq!(code, 0, "{err}");
    assert!(codes(&report).is_empty(), "{report}");
    assert!(err.contains("recorded 2 tags"), "{err}");
    let (code, report, _) = tags(tmp.path(), &repo, &["--lock", lock_s, "--fail-on", "low"]);
    assert_eq!(code, 0);
    assert!(codes(&report).is_empty());

    // The tj-actions shape: a commit on no branch, the tag forced onto it.
    let tree = git(&repo, &["rev-parse", "HEAD^{tree}"]);
    let parent = git(&repo, &["rev-parse", "HEAD"]);
    let orphan = git(
        &repo,
        &["commit-tree", &tree, "-p", &parent, "-m", "update"],
    );
    git(&repo, &["tag", "-f", "v1", &orphan]);
    git(&repo, &["tag", "-d", "v2"]);
    let (code, report, err) = tags(tmp.path(), &repo, &["--lock", lock_s, "--fail-on", "high"]);
    assert_eq!(code, 1, "{err}");
    let c = codes(&report);
    assert!(
        c.contains(&("CI024".into(), "refs/tags/v1".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&("CI025".into(), "refs/tags/v1".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&("CI026".into(), "refs/tags/v2".into())),
        "{c:?}"
    );
    assert_eq!(report["artifacts"][0]["verdict"], "suspicious");
}

/// CI031: a tag whose commit comes from an identity new to the history (medium, also
/// when bot-named) or named like a bot (low); tags by the usual author and the root
/// commit's tag are not reported.
#[test]
fn tags_by_new_or_bot_identities_are_reported() {
    if !common::has_git() {
        return;
    }
    let tmp = tempfile::TempDir::new().unwrap();
    let repo = tmp.path().join("action");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let commit = |who: Option<(&str, &str)>, msg: &str| {
        std::fs::write(repo.join("f.txt"), msg).unwrap();
        git(&repo, &["add", "."]);
        let mut a: Vec<String> = Vec::new();
        if let Some((n, e)) = who {
            a.extend(["-c".into(), format!("user.name={n}")]);
            a.extend(["-c".into(), format!("user.email={e}")]);
        }
        a.extend(["commit".into(), "-q".into(), "-m".into(), msg.into()]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        git(&repo, &a);
    };
    commit(None, "root");
    git(&repo, &["tag", "v1"]);
    commit(None, "second");
    git(&repo, &["tag", "v2"]);
    commit(Some(("Mallory", "mallory@example.invalid")), "third");
    git(&repo, &["tag", "v3"]);
    commit(Some(("renovate[bot]", "bot@example.invalid")), "fourth");
    git(&repo, &["tag", "v4"]);
    commit(Some(("release-bot", "dev@example.invalid")), "fifth");
    git(&repo, &["tag", "v5"]);
    let lock = tmp.path().join("tags.lock");
    let (code, report, err) = tags(
        tmp.path(),
        &repo,
        &["--lock", lock.to_str().unwrap(), "--fail-on", "medium"],
    );
    assert_eq!(code, 1, "{err}");
    let got: Vec<(String, String, String)> = report["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["code"] == "CI031")
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["evidence"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let brief: Vec<(&str, &str)> = got
        .iter()
        .map(|(p, s, _)| (p.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        brief,
        [
            ("refs/tags/v3", "medium"),
            ("refs/tags/v4", "medium"),
            ("refs/tags/v5", "low"),
        ],
        "{got:#?}"
    );
    assert!(
        got[1].2.contains("new to the history, named like a bot"),
        "{got:#?}"
    );
    assert!(
        got[0]
            .2
            .contains("author and committer Mallory <mallory@example.invalid> is new"),
        "{got:#?}"
    );
}
