//! End-to-end tests of the `assay` binary: exit codes, every output format (snapshotted,
//! temp paths and the tool version redacted), schema validity of the JSON and SARIF
//! output, `assay.toml`, `assay rules` and `assay explain`.
//!
//! Every fixture is a harmless reproduction built inside the test in a temp dir: payloads
//! only `echo assay-canary`, hosts are `example.invalid`. Commands run with the temp dir
//! as their working directory so no `assay.toml` of the checkout is picked up.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
mod common;

use common::{
    CANARY, litellm_pth_line, record_hash, write_sdist, write_wheel, write_wheel_requiring,
};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

// ------------------------------------------------------------------ fixture builders

/// The LiteLLM 1.82.8 reproduction; without the `.pth` when `with_pth` is false.
fn litellm_wheel(dir: &Path, with_pth: bool) -> PathBuf {
    let init =
        b"\"\"\"Stand-in for litellm (assay test fixture).\"\"\"\n__version__ = \"1.82.8\"\n";
    let pth = litellm_pth_line();
    let mut files: Vec<(&str, &[u8])> = vec![("litellm/__init__.py", init)];
    if with_pth {
        files.push(("litellm_init.pth", pth.as_bytes()));
    }
    write_wheel(dir, "litellm", "1.82.8", &files)
}

/// A harmless, ordinary wheel.
fn clean_wheel(dir: &Path) -> PathBuf {
    write_wheel(
        dir,
        "tidyhelpers",
        "2.4.1",
        &[
            (
                "tidyhelpers/__init__.py",
                b"\"\"\"Small helpers.\"\"\"\nfrom .text import squash\n\n__all__ = [\"squash\"]\n",
            ),
            (
                "tidyhelpers/text.py",
                b"def squash(s):\n    \"\"\"Collapse runs of whitespace.\"\"\"\n    return \" \".join(s.split())\n",
            ),
        ],
    )
}

/// An sdist whose `setup.py` decodes and `exec`s code at install time.
fn malicious_sdist(dir: &Path) -> PathBuf {
    let setup = format!(
        "import base64\nfrom setuptools import setup\n\nexec(base64.b64decode('{}'))\n\n\
         setup(name=\"canarypkg\", version=\"0.3.1\", packages=[\"canarypkg\"])\n",
        STANDARD.encode(CANARY)
    );
    write_sdist(
        dir,
        "canarypkg",
        "0.3.1",
        &[
            ("setup.py", setup.as_bytes()),
            ("canarypkg/__init__.py", b"VALUE = 1\n"),
        ],
    )
}

/// An sdist whose `setup.py` makes a network request at install time and nothing worse.
fn suspicious_sdist(dir: &Path) -> PathBuf {
    let setup = "import urllib.request\nfrom setuptools import setup\n\n\
                 urllib.request.urlopen(\"https://example.invalid/ping\")\n\n\
                 setup(name=\"pingpkg\", version=\"0.2.0\", packages=[\"pingpkg\"])\n";
    write_sdist(
        dir,
        "pingpkg",
        "0.2.0",
        &[
            ("setup.py", setup.as_bytes()),
            ("pingpkg/__init__.py", b"VALUE = 1\n"),
        ],
    )
}

// ------------------------------------------------------------------ running assay

/// `assay` with the given working directory and no colour.
fn assay(cwd: &Path) -> Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("assay");
    // A cache of the test's own: no advisory index of the machine's user is read.
    c.current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env_remove("XDG_CACHE_HOME")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

/// Run `assay ARGS` in `cwd`; `(exit code, stdout, stderr)`.
fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assay(cwd).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `assay scan ARGS --format json` in `cwd`; `(exit code, parsed report)`.
fn scan_json(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json", "--no-progress"];
    all.extend_from_slice(args);
    let (code, out, err) = run(cwd, &all);
    let report: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}); exit {code}; stderr:\n{err}\nstdout:\n{out}"));
    (code, report)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `(code, path)` of every finding of an artifact.
fn findings(artifact: &Value) -> Vec<(String, String)> {
    artifact["findings"]
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

/// `regex` with every metacharacter of `lit` escaped.
fn regex_escape(lit: &str) -> String {
    let mut out = String::with_capacity(lit.len());
    for c in lit.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ------------------------------------------------------------------ LiteLLM acceptance

#[test]
fn litellm_1_82_8_pth_is_malicious() {
    let tmp = TempDir::new().unwrap();
    let whl = litellm_wheel(tmp.path(), true);
    let (code, report) = scan_json(tmp.path(), &[s(&whl)]);
    let arts = report["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 1);
    let a = &arts[0];
    assert_eq!(a["verdict"], "malicious", "{a:#}");
    assert_eq!(a["format"], "wheel");
    assert_eq!(a["name"], "litellm");
    assert_eq!(a["version"], "1.82.8");
    let pkg001 = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["code"] == "PKG001")
        .unwrap_or_else(|| panic!("no PKG001 finding: {a:#}"));
    assert_eq!(pkg001["rule"]["name"], "executable-pth-line");
    assert_eq!(pkg001["location"]["path"], "litellm_init.pth");
    assert_eq!(code, 1, "malicious trips the default --fail-on malicious");
}

#[test]
fn litellm_1_82_8_without_the_pth_is_clean() {
    let tmp = TempDir::new().unwrap();
    let whl = litellm_wheel(tmp.path(), false);
    let (code, report) = scan_json(tmp.path(), &[s(&whl)]);
    let a = &report["artifacts"][0];
    assert_eq!(a["verdict"], "clean", "{a:#}");
    assert_eq!(findings(a), Vec::<(String, String)>::new());
    assert_eq!(code, 0);
}

// ------------------------------------------------------------------ exit codes

#[test]
fn exit_0_for_clean_and_1_for_malicious() {
    let tmp = TempDir::new().unwrap();
    let clean = clean_wheel(tmp.path());
    let evil = malicious_sdist(tmp.path());
    assay(tmp.path()).args(["scan", s(&clean)]).assert().code(0);
    assay(tmp.path()).args(["scan", s(&evil)]).assert().code(1);
    // One malicious input among clean ones is enough.
    assay(tmp.path())
        .args(["scan", s(&clean), s(&evil)])
        .assert()
        .code(1);
}

#[test]
fn fail_on_suspicious_trips_on_a_suspicious_artifact() {
    let tmp = TempDir::new().unwrap();
    let sdist = suspicious_sdist(tmp.path());
    let (code, report) = scan_json(tmp.path(), &[s(&sdist)]);
    let a = &report["artifacts"][0];
    assert_eq!(a["verdict"], "suspicious", "{a:#}");
    assert_eq!(code, 0, "default --fail-on is malicious");
    let (code, _) = scan_json(tmp.path(), &["--fail-on", "suspicious", s(&sdist)]);
    assert_eq!(code, 1);
    let (code, _) = scan_json(tmp.path(), &["--fail-on", "malicious", s(&sdist)]);
    assert_eq!(code, 0);
}

#[test]
fn fail_on_a_severity_trips_on_a_finding_of_that_severity() {
    let tmp = TempDir::new().unwrap();
    let sdist = suspicious_sdist(tmp.path());
    let (_, report) = scan_json(tmp.path(), &[s(&sdist)]);
    let sevs: Vec<&str> = report["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert!(sevs.contains(&"high"), "{sevs:?}");
    assert!(!sevs.contains(&"critical"), "{sevs:?}");
    let (code, _) = scan_json(tmp.path(), &["--fail-on", "high", s(&sdist)]);
    assert_eq!(code, 1, "a high finding trips --fail-on high");
    let (code, _) = scan_json(tmp.path(), &["--fail-on", "critical", s(&sdist)]);
    assert_eq!(code, 0, "no critical finding");
    // A clean artifact trips nothing, even at the lowest level.
    let clean = clean_wheel(tmp.path());
    let (code, _) = scan_json(tmp.path(), &["--fail-on", "info", s(&clean)]);
    assert_eq!(code, 0);
}

#[test]
fn exit_2_for_operational_errors() {
    let tmp = TempDir::new().unwrap();
    let missing = tmp.path().join("no-such-1.0-py3-none-any.whl");
    let (code, out, err) = run(tmp.path(), &["scan", s(&missing)]);
    assert_eq!(code, 2, "stdout:\n{out}\nstderr:\n{err}");
    assert!(err.contains("no-such-1.0-py3-none-any.whl"), "{err}");

    let clean = clean_wheel(tmp.path());
    let (code, out, err) = run(tmp.path(), &["scan", "--format", "xml", s(&clean)]);
    assert_eq!(code, 2, "stdout:\n{out}\nstderr:\n{err}");
    assert!(err.contains("xml"), "{err}");

    let (code, _, err) = run(tmp.path(), &["scan", "--fail-on", "loud", s(&clean)]);
    assert_eq!(code, 2, "{err}");
}

// ------------------------------------------------------------------ output formats

/// The shared fixture: a malicious sdist and a clean wheel, in one temp dir.
fn shared_fixture() -> (TempDir, PathBuf, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let evil = malicious_sdist(tmp.path());
    let clean = clean_wheel(tmp.path());
    (tmp, evil, clean)
}

/// Run one format over the shared fixture and snapshot it (after `shape`) with the temp
/// dir and the tool version redacted.
fn snapshot_format(name: &str, extra: &[&str], shape: impl FnOnce(String) -> String) {
    let (tmp, evil, clean) = shared_fixture();
    let mut args = vec!["scan", "--no-progress"];
    args.extend_from_slice(extra);
    args.extend([s(&evil), s(&clean)]);
    let (code, out, err) = run(tmp.path(), &args);
    assert_eq!(code, 1, "stderr:\n{err}");
    assert!(
        !out.contains(env!("CARGO_MANIFEST_DIR")),
        "the report mentions the checkout"
    );
    let out = shape(out);
    // The temp dir may be reached through a symlink (macOS `/var` → `/private/var`).
    let real = tmp.path().canonicalize().unwrap();
    let filters = [
        (regex_escape(s(&real)), "[TMP]"),
        (regex_escape(s(tmp.path())), "[TMP]"),
        (
            format!(r"\b{}\b", regex_escape(env!("CARGO_PKG_VERSION"))),
            "[VERSION]",
        ),
    ];
    let filters: Vec<(&str, &str)> = filters.iter().map(|(r, w)| (r.as_str(), *w)).collect();
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!(name, out);
    });
}

#[test]
fn output_format_text() {
    snapshot_format("output_format_text", &["--format", "text"], |o| o);
}

#[test]
fn output_format_text_quiet() {
    snapshot_format(
        "output_format_text_quiet",
        &["--format", "text", "--quiet"],
        |o| o,
    );
}

#[test]
fn output_format_json() {
    snapshot_format("output_format_json", &["--format", "json"], |o| o);
}

/// The HTML page's body (the `<head>` holds only the stylesheet): summary, verdicts,
/// findings grouped by rule with their evidence and decode chains.
#[test]
fn output_format_html() {
    snapshot_format("output_format_html", &["--format", "html"], |out| {
        assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
        // Self-contained: no script, no external resource.
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains(" src=") && !out.contains(" href="), "{out}");
        // HTML escapes `/` (`&#x2f;`); unescaped, the temp dir is redacted like elsewhere.
        out[out.find("<body>").unwrap()..].replace("&#x2f;", "/")
    });
}

/// The SARIF snapshot keeps `tool.driver.rules` as `{id, name}` pairs, in order: the full
/// entries carry every rule's documentation, which `assay_rules`' registry tests and the
/// generated `docs/rules/` already pin, and which would make this snapshot change with
/// every wording fix. The order stays, so `ruleIndex` remains checkable here.
#[test]
fn output_format_sarif() {
    snapshot_format("output_format_sarif", &["--format", "sarif"], |out| {
        let mut sarif: Value = serde_json::from_str(&out).unwrap();
        let run = &mut sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap().clone();
        for r in run["results"].as_array().unwrap() {
            let i = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
            assert_eq!(rules[i]["id"], r["ruleId"], "ruleIndex points at its rule");
        }
        run["tool"]["driver"]["rules"] = rules
            .iter()
            .map(|r| serde_json::json!({"id": r["id"], "name": r["name"]}))
            .collect();
        serde_json::to_string_pretty(&sarif).unwrap()
    });
}

#[test]
fn output_file_holds_the_report() {
    let (tmp, evil, clean) = shared_fixture();
    let out_file = tmp.path().join("report.json");
    let (code, stdout, _) = run(
        tmp.path(),
        &[
            "scan",
            "--format",
            "json",
            "--output",
            s(&out_file),
            s(&evil),
            s(&clean),
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    let report: Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(report["artifacts"].as_array().unwrap().len(), 2);
}

// ------------------------------------------------------------------ schemas

/// The `language` pattern (of `run` and `toolComponent`) of the official SARIF schema has
/// a stray `]` that jsonschema's draft-07 regex check rejects; the same patch as
/// `crates/assay_report/tests/sarif_schema.rs` (see there) escapes it.
const SARIF_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const SARIF_LANGUAGE_PATTERN_ESCAPED: &str = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$";

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(include_str!(
        "../../assay_report/tests/data/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    for definition in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(
            pattern, SARIF_LANGUAGE_PATTERN,
            "the schema file changed: review this patch"
        );
        *pattern = Value::from(SARIF_LANGUAGE_PATTERN_ESCAPED);
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn sarif_output_validates_against_sarif_2_1_0() {
    let (tmp, evil, clean) = shared_fixture();
    let litellm = litellm_wheel(tmp.path(), true);
    let (code, out, err) = run(
        tmp.path(),
        &[
            "scan",
            "--format",
            "sarif",
            s(&evil),
            s(&clean),
            s(&litellm),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let instance: Value = serde_json::from_str(&out).unwrap();
    assert!(
        !instance["runs"][0]["results"]
            .as_array()
            .unwrap()
            .is_empty(),
        "no results: the validation would prove little"
    );
    let validator = sarif_validator();
    let errs = schema_errors(&validator, &instance);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    // The validator does reject broken SARIF.
    let mut broken = instance.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&validator, &broken).is_empty());
}

#[test]
fn json_output_validates_against_the_published_schema() {
    let schema: Value = serde_json::from_str(include_str!("../../../docs/report.schema.json"))
        .expect("docs/report.schema.json is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let (tmp, evil, clean) = shared_fixture();
    let litellm = litellm_wheel(tmp.path(), true);
    let cfg = tmp.path().join("assay.toml");
    std::fs::write(
        &cfg,
        "[[suppress]]\nrule = \"PY004\"\nreason = \"unused on purpose, to fill unused_suppressions\"\n",
    )
    .unwrap();
    let (_, instance) = scan_json(
        tmp.path(),
        &["--config", s(&cfg), s(&evil), s(&clean), s(&litellm)],
    );
    assert_eq!(instance["artifacts"].as_array().unwrap().len(), 3);
    let errs = schema_errors(&validator, &instance);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    let mut broken = instance.clone();
    broken["artifacts"][0]["verdict"] = Value::from("dangerous");
    assert!(
        !validator.is_valid(&broken),
        "the schema constrains verdicts"
    );
}

// ------------------------------------------------------------------ directories

#[test]
fn a_directory_of_archives_gives_one_artifact_per_archive() {
    let tmp = TempDir::new().unwrap();
    let dist = tmp.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let mut expected = vec![
        malicious_sdist(&dist),
        clean_wheel(&dist),
        litellm_wheel(&dist, true),
    ];
    let (code, report) = scan_json(tmp.path(), &[s(&dist)]);
    assert_eq!(code, 1);
    let arts = report["artifacts"].as_array().unwrap();
    let mut got: Vec<PathBuf> = arts
        .iter()
        .map(|a| PathBuf::from(a["path"].as_str().unwrap()))
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    for a in arts {
        let verdict = a["verdict"].as_str().unwrap();
        let path = a["path"].as_str().unwrap();
        let want = if path.contains("tidyhelpers") {
            "clean"
        } else {
            "malicious"
        };
        assert_eq!(verdict, want, "{path}");
    }
}

// ------------------------------------------------------------------ assay.toml

#[test]
fn config_suppresses_and_reports_unused_suppressions() {
    let tmp = TempDir::new().unwrap();
    let whl = litellm_wheel(tmp.path(), true);
    // Baseline without a config.
    let (_, before) = scan_json(tmp.path(), &[s(&whl)]);
    let before = findings(&before["artifacts"][0]);
    assert!(before.contains(&("PKG001".into(), "litellm_init.pth".into())));

    let cfg = tmp.path().join("policy.toml");
    std::fs::write(
        &cfg,
        r#"[severity]
"decode-then-exec" = "low"

[[suppress]]
rule = "PKG001"
path = "litellm_init.pth"
reason = "reviewed reproduction, assay test"

[[suppress]]
rule = "PY004"
path = "nowhere/setup.py"
reason = "matches nothing"
"#,
    )
    .unwrap();
    let (_, report) = scan_json(tmp.path(), &["--config", s(&cfg), s(&whl)]);
    let a = &report["artifacts"][0];
    let after = findings(a);
    assert!(
        !after.iter().any(|(c, _)| c == "PKG001"),
        "PKG001 is suppressed: {after:?}"
    );
    assert_eq!(a["suppressed"], 1, "{a:#}");
    assert_eq!(after.len(), before.len() - 1, "{before:?} → {after:?}");
    // The severity override (by rule name) applies to what is left.
    let overridden: Vec<&Value> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["name"] == "decode-then-exec")
        .collect();
    assert!(!overridden.is_empty(), "{a:#}");
    for f in overridden {
        assert_eq!(f["severity"], "low", "{f:#}");
    }
    let unused = report["unused_suppressions"].as_array().unwrap();
    assert_eq!(unused.len(), 1, "{unused:#?}");
    assert_eq!(unused[0]["rule"], "PY004", "{unused:#?}");
    // JSON keeps the 0-based index; the text counts tables from 1 (the second one).
    assert_eq!(unused[0]["index"], 1);
    let (_, text, _) = run(
        tmp.path(),
        &["scan", "--no-progress", "--config", s(&cfg), s(&whl)],
    );
    assert!(
        text.contains("suppression #2 (PY004) in assay.toml matched no finding"),
        "{text}"
    );
}

#[test]
fn config_severity_override_changes_the_reported_severity() {
    let tmp = TempDir::new().unwrap();
    let whl = litellm_wheel(tmp.path(), true);
    let cfg = tmp.path().join("assay.toml");
    std::fs::write(&cfg, "[severity]\nPKG001 = \"medium\"\n").unwrap();
    let (_, report) = scan_json(tmp.path(), &["--config", s(&cfg), s(&whl)]);
    let pkg001: Vec<&Value> = report["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["code"] == "PKG001")
        .collect();
    assert!(!pkg001.is_empty());
    for f in pkg001 {
        assert_eq!(f["severity"], "medium", "{f:#}");
    }
}

#[test]
fn config_is_found_upward_from_the_working_directory() {
    let tmp = TempDir::new().unwrap();
    let whl = litellm_wheel(tmp.path(), true);
    std::fs::write(
        tmp.path().join("assay.toml"),
        "[[suppress]]\nrule = \"process-spawn-on-install\"\nreason = \"found without --config\"\n",
    )
    .unwrap();
    let sub = tmp.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    let (_, report) = scan_json(&sub, &[s(&whl)]);
    assert!(
        report["artifacts"][0]["suppressed"].as_u64().unwrap_or(0) >= 1,
        "{report:#}"
    );
    assert!(
        report["config"].as_str().unwrap().ends_with("assay.toml"),
        "the report names the config it used: {report:#}"
    );
}

/// Issue 21, item 15: `cd repo && assay scan .` must not take the repository's own
/// `assay.toml` (an attacker's suppressions and overrides); and a config found upward,
/// not named with `--config`, cannot suppress a critical finding.
#[test]
fn config_inside_the_scanned_tree_is_ignored_and_critical_needs_a_named_config() {
    let tmp = TempDir::new().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("pkg")).unwrap();
    std::fs::write(repo.join("evil_init.pth"), litellm_pth_line()).unwrap();
    std::fs::write(repo.join("pkg/__init__.py"), "VALUE = 1\n").unwrap();
    let planted = "[severity]\nPKG001 = \"info\"\nPY001 = \"info\"\n\n[[suppress]]\nrule = \"PY004\"\nreason = \"planted\"\n";
    std::fs::write(repo.join("assay.toml"), planted).unwrap();
    let (code, out, err) = run(&repo, &["scan", "--format", "json", "--no-progress", "."]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["artifacts"][0]["verdict"], "malicious", "{report:#}");
    assert_eq!(
        report["artifacts"][0]["suppressed"].as_u64().unwrap_or(0),
        0,
        "{report:#}"
    );
    assert!(report.get("config").is_none(), "{report:#}");
    assert!(
        err.contains("ignoring") && err.contains("assay.toml"),
        "{err}"
    );

    // The same file found upward from a sibling directory applies, but only to what is
    // not critical; named with --config it decides critical findings too.
    let outside = tmp.path().join("work");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::rename(repo.join("assay.toml"), tmp.path().join("assay.toml")).unwrap();
    let (_, report) = scan_json(&outside, &[s(&repo)]);
    let a = &report["artifacts"][0];
    assert_eq!(a["verdict"], "malicious", "{a:#}");
    assert!(
        a["suppressed"].as_u64().unwrap_or(0) >= 1,
        "PY004 (high) is suppressed: {a:#}"
    );
    assert!(findings(a).iter().any(|(c, _)| c == "PKG001"), "{a:#}");
    for f in a["findings"].as_array().unwrap() {
        if f["rule"]["code"] == "PKG001" {
            assert_eq!(f["severity"], "critical", "{f:#}");
        }
    }
    let cfg = tmp.path().join("assay.toml");
    let (_, report) = scan_json(&outside, &["--config", s(&cfg), s(&repo)]);
    for f in report["artifacts"][0]["findings"].as_array().unwrap() {
        if f["rule"]["code"] == "PKG001" {
            assert_eq!(f["severity"], "info", "{f:#}");
        }
    }
}

#[test]
fn a_suppression_without_a_reason_is_an_error_naming_the_file() {
    let tmp = TempDir::new().unwrap();
    let whl = litellm_wheel(tmp.path(), true);
    let cfg = tmp.path().join("no-reason.toml");
    std::fs::write(
        &cfg,
        "[[suppress]]\nrule = \"PKG001\"\npath = \"litellm_init.pth\"\n",
    )
    .unwrap();
    let (code, out, err) = run(tmp.path(), &["scan", "--config", s(&cfg), s(&whl)]);
    assert_eq!(code, 2, "stdout:\n{out}\nstderr:\n{err}");
    assert!(err.contains("no-reason.toml"), "{err}");
    assert!(err.contains("reason"), "{err}");
    assert!(out.is_empty(), "no report on a bad config: {out}");
}

// ------------------------------------------------------------------ rules and explain

#[test]
fn rules_lists_every_code() {
    let tmp = TempDir::new().unwrap();
    let (code, out, _) = run(tmp.path(), &["rules"]);
    assert_eq!(code, 0);
    let (_, json, _) = run(tmp.path(), &["rules", "--json"]);
    let metas: Value = serde_json::from_str(&json).unwrap();
    let metas = metas.as_array().unwrap();
    assert!(metas.len() > 20, "{} rules", metas.len());
    for m in metas {
        let code = m["code"].as_str().unwrap();
        let name = m["name"].as_str().unwrap();
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().take(2).eq([code, name])),
            "{code} {name} missing from `assay rules`"
        );
    }
    for code in ["PY001", "PKG001", "PKG002", "PKG008"] {
        assert!(out.lines().any(|l| l.starts_with(code)), "{code}");
    }
}

#[test]
fn explain_by_code_and_by_name() {
    let tmp = TempDir::new().unwrap();
    let (code, by_code, _) = run(tmp.path(), &["explain", "PY001"]);
    assert_eq!(code, 0);
    assert!(by_code.starts_with("# PY001 decode-then-exec"), "{by_code}");
    for section in [
        "## What it does",
        "## Why it matters",
        "## Example",
        "## False positives",
        "## References",
    ] {
        assert!(by_code.contains(section), "{section} missing:\n{by_code}");
    }
    let (code, by_name, _) = run(tmp.path(), &["explain", "decode-then-exec"]);
    assert_eq!(code, 0);
    assert_eq!(by_code, by_name);
}

#[test]
fn explain_an_unknown_rule_exits_2() {
    let tmp = TempDir::new().unwrap();
    let (code, out, err) = run(tmp.path(), &["explain", "NOPE"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("NOPE"), "{err}");
}

// ------------------------------------------------------------------ environments

/// A virtual environment made by the machine's `python3` (`None`, test skipped, without
/// one) holding an installed copy of the LiteLLM reproduction, plus a second `.pth` that
/// would create `marker` if the environment's startup code ever ran.
#[cfg(unix)]
fn venv_with_litellm(tmp: &Path, marker: &Path) -> Option<PathBuf> {
    let Some(python) = which("python3") else {
        eprintln!("skipped: no python3 on PATH");
        return None;
    };
    let venv = tmp.join("venv");
    let ok = std::process::Command::new(&python)
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: `python3 -m venv` failed");
        return None;
    }
    let site = std::fs::read_dir(venv.join("lib"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|d| d.path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap();
    let init: &[u8] = b"__version__ = \"1.82.8\"\n";
    let pth = litellm_pth_line();
    let metadata: &[u8] = b"Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.8\n";
    let mut record = String::new();
    for (p, d) in [
        ("litellm/__init__.py", init),
        ("litellm_init.pth", pth.as_bytes()),
        ("litellm-1.82.8.dist-info/METADATA", metadata),
    ] {
        let f = site.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(&f, d).unwrap();
        record.push_str(&format!("{p},{},{}\n", record_hash(d), d.len()));
    }
    record.push_str("litellm-1.82.8.dist-info/RECORD,,\n");
    std::fs::write(site.join("litellm-1.82.8.dist-info/RECORD"), record).unwrap();
    // Not LiteLLM's: proof that no `.pth` line runs during the scan.
    std::fs::write(
        site.join("zz_marker.pth"),
        format!(
            "import pathlib; pathlib.Path({:?}).write_text('assay-canary')\n",
            s(marker)
        ),
    )
    .unwrap();
    Some(venv.join("bin/python3"))
}

#[cfg(unix)]
#[test]
fn scanning_a_venv_reports_its_pth_without_running_startup_code() {
    let tmp = TempDir::new().unwrap();
    let marker = tmp.path().join("startup-code-ran");
    let Some(python) = venv_with_litellm(tmp.path(), &marker) else {
        return;
    };
    let (code, report) = scan_json(tmp.path(), &["--python", s(&python)]);
    assert!(
        !marker.exists(),
        "a .pth line of the scanned environment was executed"
    );
    assert_eq!(code, 1, "{report:#}");
    // The environment-level artifact first, then one per installed distribution (the
    // venv holds only the LiteLLM reproduction).
    let arts = report["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 2, "{report:#}");
    let a = &arts[0];
    assert_eq!(a["format"], "environment");
    assert_eq!(a["verdict"], "malicious");
    assert_eq!(arts[1]["name"], "litellm");
    assert_eq!(arts[1]["verdict"], "malicious");
    let found: Vec<(String, String)> = arts.iter().flat_map(findings).collect();
    assert!(
        found
            .iter()
            .any(|(c, p)| c == "PKG001" && p.ends_with("litellm_init.pth")),
        "{found:?}"
    );
    // `zz_marker.pth` is in no RECORD; `litellm_init.pth` is.
    assert!(
        found
            .iter()
            .any(|(c, p)| c == "PKG007" && p.ends_with("zz_marker.pth")),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(c, p)| c == "PKG007" && p.ends_with("litellm_init.pth")),
        "{found:?}"
    );
    assert!(!found.iter().any(|(c, _)| c == "PKG006"), "{found:?}");
}

/// The README's first command: scan the environment of `python3` on PATH.
#[test]
#[ignore = "reads the whole python3 environment: ~100 s in a debug build here; run with --ignored"]
fn scanning_the_python3_environment_yields_environment_artifacts() {
    let Some(python) = which("python3") else {
        eprintln!("skipped: no python3 on PATH");
        return;
    };
    let tmp = TempDir::new().unwrap();
    let (code, report) = scan_json(tmp.path(), &["--python", s(&python)]);
    assert!(code == 0 || code == 1, "exit {code}: {report:#}");
    let arts = report["artifacts"].as_array().unwrap();
    assert!(!arts.is_empty(), "{report:#}");
    assert!(
        arts.iter().all(|a| a["format"] == "environment"),
        "{report:#}"
    );
    assert!(
        arts[0]["name"].is_null(),
        "the environment-level artifact comes first"
    );
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
}

// ------------------------------------------------------------------ known IOCs (IOC006)

/// A wheel whose only finding-worthy content is a host that the fixture `MAL-2026-2144`
/// record lists as an IOC (quoted as a string; nothing contacts it).
fn ioc_wheel(dir: &Path) -> PathBuf {
    write_wheel(
        dir,
        "telemetry-helper",
        "1.0",
        &[(
            "telemetry_helper/__init__.py",
            b"ENDPOINT = 'https://models.litellm.cloud/'\n\ndef endpoint():\n    return ENDPOINT\n",
        )],
    )
}

#[test]
fn advisory_iocs_make_a_package_naming_them_malicious() {
    let t = TempDir::new().unwrap();
    let whl = ioc_wheel(t.path());
    // No index: IOC006 is off and the wheel is clean.
    let (code, r) = scan_json(t.path(), &[s(&whl)]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["artifacts"][0]["verdict"], "clean");
    // Index the fixture OSV records (their `database_specific` IOCs included).
    let osv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay_deps/fixtures/osv");
    let (code, _, err) = run(t.path(), &["db", "update", "--from", s(&osv)]);
    assert_eq!(code, 0, "{err}");
    let (code, r) = scan_json(t.path(), &[s(&whl)]);
    assert_eq!(code, 1, "{r:#}");
    let a = &r["artifacts"][0];
    assert_eq!(a["verdict"], "malicious", "{a:#}");
    let f = findings(a);
    assert!(f.iter().any(|(code, _)| code == "IOC006"), "{f:?}");
    let ioc = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"]["code"] == "IOC006")
        .unwrap();
    assert!(
        ioc["evidence"].as_str().unwrap().contains("MAL-2026-2144"),
        "{ioc:#}"
    );
    assert_eq!(ioc["location"]["path"], "telemetry_helper/__init__.py");
    // An explicit --db that does not exist is an operational error.
    let (code, _, err) = run(t.path(), &["scan", "--db", "missing.sqlite3", s(&whl)]);
    assert_eq!(code, 2, "{err}");
}

/// PKG015 end to end: with an advisory index, a wheel whose only act is to depend on a
/// package reported malicious in every version (tryquests' shape), and a wheel pinning a
/// malicious litellm release, are malicious; a dependency on litellm at a good version is
/// not. Without an index nothing is looked up.
#[test]
fn advisory_index_makes_a_known_malicious_dependency_malicious() {
    let t = TempDir::new().unwrap();
    let dropper = write_wheel_requiring(
        t.path(),
        "tryquests",
        "1.0",
        &[("tryquests/__init__.py", b"from requests import *\n")],
        &["requests", "assay-canary-payload-pkg"],
    );
    let pinned = write_wheel_requiring(
        t.path(),
        "app",
        "1.0",
        &[("app/__init__.py", b"X = 1\n")],
        &["litellm==1.82.8"],
    );
    let good = write_wheel_requiring(
        t.path(),
        "app2",
        "1.0",
        &[("app2/__init__.py", b"X = 1\n")],
        &["litellm==1.82.6", "litellm>=1.80"],
    );

    let (code, _) = scan_json(t.path(), &[s(&dropper)]);
    assert_eq!(code, 0, "no index: nothing is looked up");

    // The index: the fixture records (litellm 1.82.7/1.82.8) and a FAKE record that
    // reports every version of `assay-canary-payload-pkg`.
    let osv = t.path().join("osv");
    std::fs::create_dir(&osv).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../assay_deps/fixtures/osv/malicious/pypi/litellm/MAL-2026-2144.json"),
        osv.join("MAL-2026-2144.json"),
    )
    .unwrap();
    std::fs::write(
        osv.join("MAL-0000-0300.json"),
        r#"{"id": "MAL-0000-0300", "modified": "2026-12-01T00:00:00Z",
            "summary": "FAKE: malicious code in assay-canary-payload-pkg (PyPI)",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "assay-canary-payload-pkg"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}"#,
    )
    .unwrap();
    let (code, _, err) = run(t.path(), &["db", "update", "--from", s(&osv)]);
    assert_eq!(code, 0, "{err}");

    let (code, r) = scan_json(t.path(), &[s(&dropper), s(&pinned), s(&good)]);
    assert_eq!(code, 1, "{r:#}");
    let verdicts: Vec<&str> = r["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["malicious", "malicious", "clean"], "{r:#}");
    let f = &r["artifacts"][0]["findings"][0];
    assert_eq!(f["rule"]["code"], "PKG015", "{f:#}");
    assert!(
        f["evidence"].as_str().unwrap().contains("MAL-0000-0300"),
        "{f:#}"
    );
    assert!(
        r["artifacts"][1]["findings"][0]["evidence"]
            .as_str()
            .unwrap()
            .contains("`litellm==1.82.8`"),
        "{r:#}"
    );
}
