//! `assay scan` of GitHub Actions workflows (rules CI, crate `assay_ci`): a repository
//! directory, a `.github/` folder, a single workflow file and an `action.yml`, in every
//! output format (snapshotted, temp paths redacted), with `--fail-on` exit codes.
//!
//! The fixtures are the harmless reproductions of `crates/assay_ci/fixtures/` (the
//! Ultralytics cache chain, the nx PR-title injection), copied into a temp repository.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay_ci/fixtures")
}

/// A repository with a Python project and the Ultralytics-shaped workflows plus the nx
/// PR-title workflow.
fn repo() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("repo");
    let wf = root.join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    for f in ["format.yml", "publish.yml"] {
        std::fs::copy(
            fixtures()
                .join("CI016/ultralytics/.github/workflows")
                .join(f),
            wf.join(f),
        )
        .unwrap();
    }
    std::fs::copy(
        fixtures().join("CI002/nx-pr-title.yml"),
        wf.join("pr-title.yml"),
    )
    .unwrap();
    std::fs::write(
        root.join("pyproject.toml"),
        "[project]\nname = \"demo\"\nversion = \"0.1\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("demo")).unwrap();
    std::fs::write(root.join("demo/__init__.py"), "VALUE = 1\n").unwrap();
    (tmp, root)
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("assay");
    let out = c
        .current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env_remove("XDG_CACHE_HOME")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn regex_escape(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

fn snapshot(name: &str, format: &str) {
    let (tmp, root) = repo();
    let (code, out, err) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--fail-on",
            "critical",
            "--format",
            format,
            root.to_str().unwrap(),
        ],
    );
    assert_eq!(
        code, 1,
        "a critical CI016 fails `--fail-on critical`\n{err}"
    );
    let real = tmp.path().canonicalize().unwrap();
    let filters = [
        (regex_escape(real.to_str().unwrap()), "[TMP]"),
        (regex_escape(tmp.path().to_str().unwrap()), "[TMP]"),
        (
            format!(r"\b{}\b", regex_escape(env!("CARGO_PKG_VERSION"))),
            "[VERSION]",
        ),
    ];
    let out = if format == "sarif" {
        // Rule documentation is pinned elsewhere (see cli.rs `output_format_sarif`).
        let mut sarif: Value = serde_json::from_str(&out).unwrap();
        let run = &mut sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap().clone();
        run["tool"]["driver"]["rules"] = rules
            .iter()
            .map(|r| serde_json::json!({"id": r["id"], "name": r["name"]}))
            .collect();
        serde_json::to_string_pretty(&sarif).unwrap()
    } else {
        out
    };
    let filters: Vec<(&str, &str)> = filters.iter().map(|(r, w)| (r.as_str(), *w)).collect();
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!(name, out);
    });
}

#[test]
fn workflows_output_format_text() {
    snapshot("workflows_text", "text");
}

#[test]
fn workflows_output_format_json() {
    snapshot("workflows_json", "json");
}

#[test]
fn workflows_output_format_sarif() {
    snapshot("workflows_sarif", "sarif");
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap().clone())
        .map(|f| {
            (
                f["rule"]["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn scan_json(cwd: &Path, target: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["scan", "--no-progress", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(target.to_str().unwrap());
    let (code, out, err) = run(cwd, &args);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}\n{out}")),
    )
}

/// The Ultralytics CI016 path has every hop as a location: the injection, the cache write, the
/// restore, the publish step.
#[test]
fn the_ultralytics_chain_is_one_critical_finding_with_its_hops() {
    let (tmp, root) = repo();
    // A weakness, not intent: the repository is `suspicious` (scoring step 6), and a
    // pipeline gate trips on the critical finding itself.
    let (code, report) = scan_json(tmp.path(), &root, &["--fail-on", "critical"]);
    assert_eq!(code, 1);
    let arts = report["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 1, "the repository is one artifact");
    assert_eq!(arts[0]["verdict"], "suspicious");
    let (code, _) = scan_json(tmp.path(), &root, &[]);
    assert_eq!(code, 0, "the default `--fail-on malicious` passes");
    let path: Vec<&Value> = arts[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["code"] == "CI016" && f["severity"] == "critical")
        .collect();
    // One complete path; the nx-shaped injection in `pr-title.yml` also reaches the
    // release job's cache, without a cache write of its own: high, not critical.
    assert_eq!(path.len(), 1);
    assert_eq!(path[0]["location"]["path"], ".github/workflows/format.yml");
    assert_eq!(path[0]["related"].as_array().unwrap().len(), 3);
}

/// A `.github/` folder, a workflow file and an `action.yml` are inputs of their own;
/// `--fail-on` decides the exit code as for packages.
#[test]
fn github_folder_single_file_and_action_inputs() {
    let (tmp, root) = repo();
    let (code, report) = scan_json(tmp.path(), &root.join(".github"), &["--fail-on", "high"]);
    assert_eq!(code, 1);
    let f = findings(&report);
    assert!(
        f.iter()
            .any(|(c, _, p)| c == "CI016" && p == ".github/workflows/format.yml"),
        "{f:?}"
    );

    let file = root.join(".github/workflows/pr-title.yml");
    let (code, report) = scan_json(tmp.path(), &file, &["--fail-on", "high"]);
    assert_eq!(code, 1);
    let f = findings(&report);
    assert!(
        f.iter().any(|(c, s, _)| c == "CI002" && s == "high"),
        "{f:?}"
    );
    // Only low/medium hygiene and a high: the default `--fail-on malicious` passes.
    let (code, _) = scan_json(tmp.path(), &file, &[]);
    assert_eq!(code, 0);

    let action = tmp.path().join("action.yml");
    std::fs::write(
        &action,
        "name: demo\nruns:\n  using: composite\n  steps:\n    - run: echo ${{ github.event.issue.title }}\n      shell: bash\n    - uses: someone/thing@v1\n",
    )
    .unwrap();
    let (_, report) = scan_json(tmp.path(), &action, &[]);
    let f = findings(&report);
    assert!(
        f.iter().any(|(c, s, _)| c == "CI002" && s == "medium"),
        "{f:?}"
    );
    assert!(f.iter().any(|(c, _, _)| c == "CI006"), "{f:?}");
}

/// A repository that is not a Python project (no markers): its workflows are still read.
#[test]
fn a_plain_repository_gets_its_workflows_audited() {
    let (tmp, root) = repo();
    std::fs::remove_file(root.join("pyproject.toml")).unwrap();
    std::fs::remove_dir_all(root.join("demo")).unwrap();
    let (code, report) = scan_json(tmp.path(), &root, &["--fail-on", "critical"]);
    assert_eq!(code, 1);
    assert!(findings(&report).iter().any(|(c, _, _)| c == "CI016"));
}

/// Malformed and hostile YAML is a finding naming the file; the scan goes on.
#[test]
fn unreadable_workflow_is_a_finding() {
    let (tmp, root) = repo();
    std::fs::write(
        root.join(".github/workflows/broken.yml"),
        "on: push\njobs:\n  a: [\n",
    )
    .unwrap();
    let (_, report) = scan_json(tmp.path(), &root, &[]);
    let f = findings(&report);
    assert!(
        f.iter()
            .any(|(c, _, p)| c == "CI001" && p == ".github/workflows/broken.yml"),
        "{f:?}"
    );
    assert!(f.iter().any(|(c, _, _)| c == "CI016"));
}

/// SARIF with `relatedLocations` (the CI016 hops) is valid SARIF 2.1.0.
#[test]
fn workflow_sarif_validates_against_sarif_2_1_0() {
    let (tmp, root) = repo();
    let (_, out, err) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--format",
            "sarif",
            root.to_str().unwrap(),
        ],
    );
    let instance: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let results = instance["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| {
        r["relatedLocations"]
            .as_array()
            .is_some_and(|l| l.len() == 3)
    }));
    // The same patch of the schema's `language` pattern as in cli.rs.
    let mut schema: Value = serde_json::from_str(include_str!(
        "../../assay_report/tests/data/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    for definition in ["run", "toolComponent"] {
        schema["definitions"][definition]["properties"]["language"]["pattern"] =
            Value::from(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errs: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}
