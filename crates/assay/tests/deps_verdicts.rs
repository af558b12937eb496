//! Verdict calibration of `assay deps` (issue 16, item 1; docs/scoring.md "Dependency
//! audit verdicts"): one fixture per case in `crates/assay_deps/fixtures/verdicts/`, each
//! report snapshotted (verdict, score, findings) with the exit code under
//! `--fail-on suspicious`. Must-match: a typosquat of a top-1,000 name (requirements,
//! package-lock.json, Cargo.lock), dependency confusion with unpinned names, unreadable
//! files of each kind are at least `suspicious`; a known-malicious package behind a
//! 200-deep JSON array is `malicious`. Must-not-match: the same deep lockfile with a
//! benign package, and popular names, are `clean`.
#![allow(clippy::unwrap_used, missing_docs)]

use assert_cmd::Command;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay_deps/fixtures")
}

fn assay(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("assay").unwrap();
    c.current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env_remove("XDG_CACHE_HOME")
        .env("NO_COLOR", "1");
    c
}

/// The verdict fixtures as `verdicts/` in a temp dir with the fixture OSV index built.
fn project() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let o = assay(t.path())
        .args(["db", "update", "--from"])
        .arg(fixtures().join("osv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    t
}

/// `(verdict, exit code under --fail-on suspicious, report summary)` of one case.
fn case(t: &Path, name: &str) -> (String, i32, String) {
    let dir = fixtures().join("verdicts").join(name);
    let o = assay(t)
        .current_dir(&dir)
        .args(["deps", ".", "-f", "json", "--fail-on", "suspicious"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut s = String::new();
    let mut verdict = String::new();
    for a in v["artifacts"].as_array().unwrap() {
        verdict = a["verdict"].as_str().unwrap().to_owned();
        writeln!(
            s,
            "{}: {} (score {})",
            a["path"].as_str().unwrap(),
            verdict,
            a["score"]
        )
        .unwrap();
        for f in a["findings"].as_array().unwrap() {
            writeln!(
                s,
                "  {} {} {}: {}",
                f["rule"]["code"].as_str().unwrap(),
                f["rule"]["name"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["evidence"].as_str().unwrap()
            )
            .unwrap();
        }
    }
    (verdict, o.status.code().unwrap_or(-1), s)
}

#[test]
fn dependency_verdicts() {
    let t = project();
    let cases = [
        ("typosquat-pypi", "suspicious"),
        ("typosquat-npm", "suspicious"),
        ("typosquat-cargo", "suspicious"),
        ("confusion", "suspicious"),
        ("unreadable-npm", "suspicious"),
        ("unreadable-cargo", "suspicious"),
        ("unreadable-requirements", "suspicious"),
        ("deep-npm", "malicious"),
        ("benign-deep-npm", "clean"),
        ("benign-names", "clean"),
    ];
    let mut all = String::new();
    for (name, want) in cases {
        let (got, code, summary) = case(t.path(), name);
        assert_eq!(got, want, "{name}:\n{summary}");
        assert_eq!(code, i32::from(want != "clean"), "{name}:\n{summary}");
        writeln!(all, "## {name} (exit {code})\n{summary}").unwrap();
    }
    insta::assert_snapshot!("deps_verdicts", all);
}
