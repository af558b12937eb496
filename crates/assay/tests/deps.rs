//! CLI tests of `assay deps` and `assay db update` on the fixture OSV data and lockfiles
//! of `crates/assay_deps/fixtures/`, with one snapshot per output format.
#![allow(clippy::unwrap_used, missing_docs)]

use assert_cmd::Command;
use serde_json::Value;
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

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let o = assay(cwd).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A temp dir with the fixture lockfiles copied to `lock/` and the index built.
fn project() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy(&fixtures().join("lock"), &t.path().join("lock"));
    copy(&fixtures().join("benign"), &t.path().join("benign"));
    let osv = fixtures().join("osv");
    let (code, _, err) = run(t.path(), &["db", "update", "--from", osv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("8 records written, 0 unchanged, 1 invalid"),
        "{err}"
    );
    t
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn every_fixture_lockfile_is_malicious_and_exit_is_1() {
    let t = project();
    let (code, out, err) = run(t.path(), &["deps", "lock", "-f", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(
        arts.len(),
        14,
        "13 formats + the included requirements-dev.txt"
    );
    for a in arts {
        let p = a["path"].as_str().unwrap();
        if p.ends_with("requirements-dev.txt") {
            assert_eq!(a["verdict"], "clean");
        } else {
            assert_eq!(a["verdict"], "malicious", "{p}");
        }
        assert!(
            a["packages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p.as_str().unwrap().starts_with("pkg:"))
        );
    }
    assert_eq!(v["advisory_data"]["records"], 8);
    assert_eq!(v["advisory_data"]["stale"], false);
    // Incremental: nothing rewritten.
    let osv = fixtures().join("osv");
    let (_, _, err) = run(t.path(), &["db", "update", "--from", osv.to_str().unwrap()]);
    assert!(err.contains("0 records written, 8 unchanged"), "{err}");
}

#[test]
fn benign_lockfiles_exit_0() {
    let t = project();
    let (code, _, err) = run(t.path(), &["deps", "benign"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn missing_index_warns_and_a_missing_path_is_an_error() {
    let t = tempfile::tempdir().unwrap();
    copy(&fixtures().join("benign"), &t.path().join("benign"));
    let (code, _, err) = run(t.path(), &["deps", "benign", "-f", "json"]);
    assert_eq!(code, 0);
    assert!(err.contains("no advisory index"), "{err}");
    let (code, _, err) = run(t.path(), &["db", "update", "--from", "no-such.zip"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(t.path(), &["deps", "nothing-here"]);
    assert_eq!(code, 2);
    // Issue 17: the cause is said once, not once per wrapper that repeats it.
    assert_eq!(err.matches("(os error 2)").count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

fn snapshot(name: &str, format: &str) {
    let t = project();
    let (_, out, _) = run(t.path(), &["deps", "lock/requirements.txt", "-f", format]);
    let filters = vec![
        (r#""updated": "\d{4}-\d\d-\d\d""#, r#""updated": "[date]""#),
        (r#""version": "\d+\.\d+\.\d+""#, r#""version": "[version]""#),
        (r#""source": "[^"]*""#, r#""source": "[source]""#),
        (r"updated \d{4}-\d\d-\d\d", "updated [date]"),
        (r"source: [^)]*\)", "source: [source])"),
    ];
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!(name, out);
    });
}

#[test]
fn deps_output_format_text() {
    snapshot("deps_text", "text");
}

#[test]
fn deps_output_format_json() {
    snapshot("deps_json", "json");
}

#[test]
fn deps_output_format_sarif() {
    snapshot("deps_sarif", "sarif");
}
