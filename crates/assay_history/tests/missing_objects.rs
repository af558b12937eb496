//! Partial and shallow clones (issue 14, item 1): objects the clone does not hold are
//! skipped, each affected commit carries a GIT015 finding naming them, the walk's summary
//! counts them, and nothing is fetched. The clones are made by the test with the `git`
//! CLI from the synthetic xz-like history; without git the tests say so and pass.

#![allow(clippy::unwrap_used)]

use assay_history::{History, Options, Weights, review, synth};
use std::path::Path;
use std::process::Command;

fn git_available() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: the `git` CLI is not available to build partial/shallow clones");
    }
    ok
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Objects `git` itself sees as absent (`?id` lines), without fetching them.
fn absent(dir: &Path) -> usize {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-list", "--objects", "--all", "--missing=print"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_NO_LAZY_FETCH", "1")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with('?'))
        .count()
}

/// The xz-like history in `tmp/src`, served with filters allowed.
fn source(tmp: &Path) -> (std::path::PathBuf, Vec<String>, synth::Planted) {
    let src = tmp.join("src");
    let (stream, _, planted) = synth::xz_like(false);
    let ids = synth::import(&src, &stream).unwrap();
    git(&src, &["config", "uploadpack.allowFilter", "true"]);
    git(&src, &["config", "uploadpack.allowAnySHA1InWant", "true"]);
    (src, ids, planted)
}

fn clone(tmp: &Path, src: &Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let dst = tmp.join(name);
    let url = format!("file://{}", src.display());
    let mut args = vec!["clone", "-q", "--no-local", "--no-checkout"];
    args.extend_from_slice(extra);
    args.push(&url);
    let d = dst.display().to_string();
    args.push(&d);
    git(tmp, &args);
    dst
}

fn run(repo: &Path) -> History {
    review(&Options {
        repo: repo.to_path_buf(),
        weights: Weights::default(),
        ..Options::default()
    })
    .unwrap()
}

fn git015<'a>(h: &'a History, id: &str) -> Option<&'a assay_core::Finding> {
    h.commits
        .iter()
        .find(|c| c.path == id)
        .unwrap()
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT015")
}

#[test]
fn partial_clone_without_large_blobs_completes_and_lists_them() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (src, ids, p) = source(tmp.path());

    // Must not match: the full repository lacks nothing.
    let full = run(&src);
    assert!(!full.missing.any(), "{:?}", full.missing);
    assert!(
        full.commits
            .iter()
            .all(|c| c.findings.iter().all(|f| f.rule.code() != "GIT015"))
    );

    let dst = clone(tmp.path(), &src, "partial", &["--filter=blob:limit=1k"]);
    let before = absent(&dst);
    assert!(before > 0, "the filter left nothing out");
    let h = run(&dst);
    assert_eq!(h.walked, ids.len());
    assert!(
        h.missing.blobs > 0 && h.missing.commits > 0,
        "{:?}",
        h.missing
    );
    assert_eq!(h.missing.parents, 0);
    // The commit that added the opaque test file says which file it could not read.
    let f = git015(&h, &ids[p.add_binary]).expect("GIT015 on the commit adding the binary");
    assert!(
        f.evidence
            .contains("blob tests/files/bad-3-corrupt_lzma2.xz")
            && f.evidence.contains("judged on what is present"),
        "{}",
        f.evidence
    );
    assert_eq!(f.severity, assay_core::Severity::Info);
    // Small text (the CMake check) is present: the sabotage is still found.
    let cm = h
        .commits
        .iter()
        .find(|c| c.path == ids[p.break_check])
        .unwrap();
    assert!(cm.findings.iter().any(|f| f.rule.code() == "GIT006"));
    // Nothing was fetched from the promisor remote.
    assert_eq!(absent(&dst), before);
    assert!(h.missing.to_string().contains("not in this clone"));
}

#[test]
fn treeless_clone_completes() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (src, ids, _) = source(tmp.path());
    let dst = clone(tmp.path(), &src, "treeless", &["--filter=tree:0"]);
    let h = run(&dst);
    assert_eq!(h.walked, ids.len());
    assert!(h.missing.trees > 0, "{:?}", h.missing);
    assert!(
        h.commits
            .iter()
            .any(|c| c.findings.iter().any(|f| f.rule.code() == "GIT015"))
    );
}

#[test]
fn shallow_clone_completes_and_names_the_cut() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (src, ids, _) = source(tmp.path());
    let dst = clone(tmp.path(), &src, "shallow", &["--depth", "5"]);
    let h = run(&dst);
    assert_eq!(h.walked, 5);
    assert_eq!(h.missing.parents, 1, "{:?}", h.missing);
    let boundary = &ids[ids.len() - 5];
    let f = git015(&h, boundary).expect("GIT015 on the boundary commit");
    assert!(f.evidence.contains("shallow clone"), "{}", f.evidence);
    // The boundary's tree is learnt, not judged as added: no file-level finding there.
    let b = h.commits.iter().find(|c| c.path == *boundary).unwrap();
    assert!(
        b.findings.iter().all(|f| f.rule.code() == "GIT015"),
        "{:#?}",
        b.findings
    );
    // The commits after the boundary are complete.
    for id in &ids[ids.len() - 4..] {
        assert!(git015(&h, id).is_none(), "{id}");
    }
}
