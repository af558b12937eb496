//! The ecosystem hooks at the repository root, run locally:
//! - the GitHub Action (`action.yml`): its run script (`action/run.sh`) with the inputs
//!   as the runner passes them (environment variables) and `$GITHUB_OUTPUT`; the
//!   action's own YAML audited by assay's workflow rules;
//! - the pre-commit hooks (`.pre-commit-hooks.yaml`) with `pre-commit try-repo` from
//!   PyPI. That test needs `pre-commit` (`$ASSAY_TEST_PRECOMMIT`, else on `PATH`;
//!   `.ci/run` installs it) and says why it skips without it.
//!
//! Nothing here reaches the network.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn assay_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("assay")
}

/// `action/run.sh` in `cwd` with the given `INPUT_*` variables; returns the
/// `$GITHUB_OUTPUT` lines, the script's exit code and its stdout.
fn action_run(cwd: &Path, inputs: &[(&str, &str)]) -> (Vec<String>, i32, String) {
    let out = cwd.join("github_output");
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("action/run.sh"))
        .current_dir(cwd)
        .env("ASSAY", assay_bin())
        .env("GITHUB_OUTPUT", &out)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env("NO_COLOR", "1");
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let lines = std::fs::read_to_string(&out)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    (
        lines,
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn action_run_script_writes_sarif_and_reports_the_exit_code() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join("site")).unwrap();
    std::fs::write(
        t.path().join("site/litellm_init.pth"),
        common::litellm_pth_line(),
    )
    .unwrap();
    std::fs::write(t.path().join("ok.py"), "x = 1\n").unwrap();

    // A malicious input: exit-code 1 (the job fails in the last step), SARIF written and
    // holding the finding; the script itself exits 0 so the upload step runs.
    let (out, code, log) = action_run(
        t.path(),
        &[
            ("INPUT_COMMAND", "scan"),
            ("INPUT_PATHS", "site/litellm_init.pth\nok.py"),
            ("INPUT_SARIF_FILE", "out/assay.sarif"),
        ],
    );
    // The SARIF path's directory does not exist: assay creates nothing outside what it
    // was asked to write, so the run reports an error (exit 2) and no SARIF.
    assert_eq!(code, 0);
    assert!(out.contains(&"exit-code=2".to_owned()), "{out:?}");
    assert!(out.contains(&"sarif-file=".to_owned()), "{out:?}");

    std::fs::remove_file(t.path().join("github_output")).unwrap();
    let (out, code, log2) = action_run(
        t.path(),
        &[
            ("INPUT_COMMAND", "scan"),
            ("INPUT_PATHS", "site/litellm_init.pth\nok.py"),
            ("INPUT_SARIF_FILE", "assay.sarif"),
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        ["exit-code=1", "sarif-file=assay.sarif"],
        "{log}\n{log2}"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path().join("assay.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"]
            .as_str()
            .is_some_and(|id| id.starts_with("PKG001"))),
        "{sarif:#}"
    );
    assert!(
        log2.contains("MALICIOUS"),
        "the readable report is in the log: {log2}"
    );

    // The clean file alone: exit-code 0. `fail-on` and extra arguments are passed on.
    std::fs::remove_file(t.path().join("github_output")).unwrap();
    let (out, _, _) = action_run(
        t.path(),
        &[
            ("INPUT_PATHS", "ok.py"),
            ("INPUT_FAIL_ON", "suspicious"),
            ("INPUT_ARGS", "--min-severity high"),
        ],
    );
    assert_eq!(out, ["exit-code=0", "sarif-file=assay.sarif"]);

    // A command other than scan/deps is refused before anything runs.
    std::fs::remove_file(t.path().join("github_output")).unwrap();
    let (out, code, _) = action_run(t.path(), &[("INPUT_COMMAND", "sign; rm -rf /")]);
    assert_eq!(code, 0);
    assert_eq!(out, ["exit-code=2", "sarif-file="]);
}

#[test]
fn the_action_passes_assays_own_workflow_audit() {
    let o = Command::new(assay_bin())
        .args([
            "scan",
            "--no-progress",
            "--fail-on",
            "low",
            "--format",
            "json",
        ])
        .arg(repo().join("action.yml"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = &report["artifacts"][0]["findings"];
    assert_eq!(
        o.status.code(),
        Some(0),
        "action.yml has findings: {findings:#}"
    );
    assert_eq!(findings.as_array().map(Vec::len), Some(0), "{findings:#}");
}

/// `pre-commit`, from `$ASSAY_TEST_PRECOMMIT` or `PATH`.
fn pre_commit() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ASSAY_TEST_PRECOMMIT").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let ok = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("pre-commit"))
}

fn git(cwd: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(cwd)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {o:?}");
}

#[test]
fn pre_commit_hooks_run_with_try_repo() {
    let Some(pre_commit) = pre_commit() else {
        eprintln!(
            "skipped: pre-commit not found (set ASSAY_TEST_PRECOMMIT or put it on PATH; .ci/run installs it)"
        );
        return;
    };
    let t = tempfile::tempdir().unwrap();
    // The hooks repository: this repository's hook file, committed (try-repo clones it).
    let hooks = t.path().join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    std::fs::copy(
        repo().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);

    // An advisory index with MAL-2026-2144 (litellm 1.82.7/1.82.8), imported offline.
    let cache = t.path().join("cache");
    let osv = repo().join("crates/assay_deps/fixtures/osv/malicious/pypi/litellm");
    let o = Command::new(assay_bin())
        .env("ASSAY_CACHE_DIR", &cache)
        .args(["db", "update", "--from"])
        .arg(&osv)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");

    let project = t.path().join("project");
    std::fs::create_dir_all(project.join(".github/workflows")).unwrap();
    git(&project, &["init", "-q"]);
    let bin_dir = assay_bin().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let try_repo = |hook: &str| {
        let o = Command::new(&pre_commit)
            .current_dir(&project)
            .env("PATH", &path)
            .env("ASSAY_CACHE_DIR", &cache)
            .env("PRE_COMMIT_HOME", t.path().join("pre-commit-home"))
            .env("NO_COLOR", "1")
            .args(["try-repo"])
            .arg(&hooks)
            .args([hook, "--all-files", "--color", "never"])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        (o.status.code().unwrap_or(-1), text)
    };

    // A clean requirement: the deps hook passes.
    std::fs::write(project.join("requirements.txt"), "requests==2.32.3\n").unwrap();
    git(&project, &["add", "."]);
    let (code, text) = try_repo("assay-deps");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("assay deps") && text.contains("Passed"),
        "{text}"
    );

    // The compromised litellm release: the hook fails and names the advisory.
    std::fs::write(project.join("requirements.txt"), "litellm==1.82.8\n").unwrap();
    git(&project, &["add", "."]);
    let (code, text) = try_repo("assay-deps");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("MAL-2026-2144"), "{text}");

    // A workflow that expands an issue title into a shell: the workflows hook fails on
    // the template injection (CI002); without it, it passes.
    let wf = project.join(".github/workflows/triage.yml");
    std::fs::write(
        &wf,
        "on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n",
    )
    .unwrap();
    git(&project, &["add", "."]);
    let (code, text) = try_repo("assay-workflows");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("CI002"), "{text}");
    std::fs::write(
        &wf,
        "on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"$TITLE\"\n",
    )
    .unwrap();
    git(&project, &["add", "."]);
    let (code, text) = try_repo("assay-workflows");
    assert_eq!(code, 0, "{text}");
}
