//! `assay history` end to end: the xz-like synthetic repository (built with
//! `git fast-import` in a temp dir; deterministic, so commit ids are stable) rendered in
//! every output format, exit codes, and errors.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

fn repo() -> (TempDir, Vec<String>, assay_history::synth::Planted) {
    let dir = tempfile::tempdir().unwrap();
    let (stream, _, planted) = assay_history::synth::xz_like(false);
    let ids = assay_history::synth::import(dir.path(), &stream).unwrap();
    (dir, ids, planted)
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c: Command = assert_cmd::cargo::cargo_bin_cmd!("assay");
    let out = c
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `assay history --range <last 20 commits> --format F`: includes the broken CMake
/// check and the `.gitignore` commit.
fn render(format: &str, extra: &[&str]) -> (i32, String) {
    let (dir, ids, _) = repo();
    let range = format!("{}..main", ids[239]);
    let mut args = vec!["history", ".", "--range", &range, "--format", format];
    args.extend_from_slice(extra);
    let (code, out, err) = run(dir.path(), &args);
    assert!(err.is_empty(), "{err}");
    let version = env!("CARGO_PKG_VERSION");
    (code, out.replace(version, "[VERSION]"))
}

/// The default text output: the commits that are not clean, a line counting the clean
/// ones, the summary; commit-level findings located at the commit, not `(artifact)`.
#[test]
fn history_output_format_text() {
    let (code, out) = render("text", &[]);
    assert_eq!(code, 1, "a commit reaches review now (malicious) → exit 1");
    assert!(!out.contains("(artifact)"), "{out}");
    insta::assert_snapshot!("history_text", out);
}

/// `--quiet`: verdict lines only.
#[test]
fn history_text_quiet_prints_verdict_lines_only() {
    let (_, out) = render("text", &["--quiet"]);
    insta::assert_snapshot!("history_text_quiet", out);
}

/// `--top N` keeps the N highest-ranked commits in every format, clean ones included;
/// the summary and the exit code still cover every reviewed commit.
#[test]
fn history_top_n() {
    let (code, out) = render("json", &["--top", "3"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let ranks: Vec<u64> = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3]);
    assert_eq!(v["summary"]["artifacts"], 20);
    let (_, text) = render("text", &["--top", "3"]);
    insta::assert_snapshot!("history_text_top3", text);
    // --top 1 shows only the malicious commit; the exit code still sees it.
    let (code, text) = render("text", &["--top", "1", "--fail-on", "suspicious"]);
    assert_eq!(code, 1);
    assert_eq!(text.matches("  (commit ").count(), 1, "{text}");
    // --verbose without --top lists every commit.
    let (_, text) = render("text", &["--verbose"]);
    assert_eq!(text.matches("  (commit ").count(), 20, "{text}");
}

#[test]
fn history_output_format_json() {
    let (_, out) = render("json", &[]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 20);
    assert_eq!(arts[0]["rank"], 1);
    assert_eq!(arts[0]["format"], "commit");
    assert_eq!(arts[0]["verdict"], "malicious");
    let schema: Value =
        serde_json::from_str(include_str!("../../../docs/report.schema.json")).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    assert!(validator.is_valid(&v));
    insta::assert_snapshot!("history_json", out);
}

/// `--format html`: the ranked commits and the timeline of their scores (one point per
/// commit, in date order); the page body is snapshotted.
#[test]
fn history_output_format_html() {
    let (code, out) = render("html", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("<title>assay history</title>"), "{out}");
    let plot = out
        .split("<svg")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .expect("a timeline plot");
    assert_eq!(plot.matches("<circle").count(), 20, "{plot}");
    assert_eq!(plot.matches("class=\"malicious\"").count(), 1, "{plot}");
    let body = &out[out.find("<body>").unwrap()..];
    insta::assert_snapshot!("history_html", body);
}

#[test]
fn history_output_format_sarif() {
    let (_, out) = render("sarif", &["--fail-on", "critical"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
    insta::assert_snapshot!("history_sarif", out);
}

#[test]
fn history_json_is_byte_identical_across_runs() {
    let (dir, _, _) = repo();
    let a = run(dir.path(), &["history", "--format", "json"]).1;
    let b = run(dir.path(), &["history", "--format", "json"]).1;
    assert_eq!(a, b);
    assert!(a.len() > 1000);
}

#[test]
fn history_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(dir.path(), &["history", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("reviewing the history of ."), "{err}");
    let (dir, _, _) = repo();
    let (code, _, err) = run(dir.path(), &["history", "--ref", "no-such-branch"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no-such-branch"), "{err}");
    std::fs::write(dir.path().join("w.toml"), "[weights]\nPY001 = 1\n").unwrap();
    let (code, _, err) = run(dir.path(), &["history", "--weights", "w.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("PY001"), "{err}");
}

#[test]
fn history_never_writes_to_the_repository() {
    let (dir, _, _) = repo();
    let list = |d: &Path| {
        let mut v: Vec<(String, u64)> = walkdir(d);
        v.sort();
        v
    };
    let before = list(dir.path());
    let (code, _, _) = run(dir.path(), &["history", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(before, list(dir.path()));
}

fn walkdir(d: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![d.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path().display().to_string(), m.len()));
            }
        }
    }
    out
}

/// Issue 14, item 1: a partial clone whose large blobs are absent (`--filter=blob:limit=1k`,
/// no checkout, so nothing was fetched lazily) completes with exit 0/1, says on stderr what
/// was missing, and lists it per commit (GIT015). Skipped, saying so, without `git`.
#[test]
fn history_partial_clone_completes_and_lists_what_is_missing() {
    let git_ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_ok {
        eprintln!("skipped: the `git` CLI is not available to build a partial clone");
        return;
    }
    let (src, _, _) = repo();
    let git = |cwd: &Path, args: &[&str]| {
        let o = std::process::Command::new("git")
            .current_dir(cwd)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(src.path(), &["config", "uploadpack.allowFilter", "true"]);
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("file://{}", src.path().display());
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--no-local",
            "--no-checkout",
            "--filter=blob:limit=1k",
            &url,
            "partial",
        ],
    );
    let (code, out, err) = run(
        &tmp.path().join("partial"),
        &["history", ".", "--format", "json"],
    );
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert!(
        err.contains("judged on partial content") && err.contains("not in this clone"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let listed = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap())
        .filter(|f| f["rule"]["code"] == "GIT015")
        .count();
    assert!(listed > 0);
}
