//! Tests of loading, validation and application of `assay.toml`.
#![allow(clippy::unwrap_used)]

use super::*;
use assay_core::{Confidence, Location};

const TODAY: (i32, u32, u32) = (2026, 6, 15);

fn parse(text: &str) -> Result<Policy, PolicyError> {
    Policy::parse(text, Path::new("/proj/assay.toml"))
}

/// A high finding of the catalog rule `code` (its name is the catalog's).
fn finding(code: &str, path: &str) -> Finding {
    Finding::new(
        Rule::from_code(code).unwrap(),
        Severity::High,
        Confidence::High,
        Location::file(path),
        format!("{code} in {path}"),
    )
}

fn no_hash(_: &str) -> Option<String> {
    None
}

/// Apply to a single finding in artifact `mypkg 1.2.0`: `Some(index)` when suppressed.
fn suppressed_by(
    policy: &Policy,
    f: Finding,
    hash: &dyn Fn(&str) -> Option<String>,
) -> Option<usize> {
    let applied = policy.apply(Some("MyPkg"), Some("1.2.0"), vec![f], hash, TODAY);
    applied.suppressed.first().map(|(_, i)| *i)
}

#[test]
fn default_policy_keeps_everything() {
    let p = Policy::default();
    let applied = p.apply(None, None, vec![finding("PY001", "a.py")], &no_hash, TODAY);
    assert_eq!(applied.kept.len(), 1);
    assert!(applied.suppressed.is_empty());
    assert_eq!(
        p.severity_for("PY001", "x", Severity::Medium),
        Severity::Medium
    );
    assert!(p.unused(&[]).is_empty());
}

#[test]
fn severity_overrides_by_code_and_name() {
    let p = parse(
        r#"
[severity]
py004 = "low"
"console-script-shadows-command" = "info"
PY009 = "critical"
"other-name" = "low"
"#,
    )
    .unwrap();
    assert_eq!(
        p.severity_for("PY004", "anything", Severity::High),
        Severity::Low
    );
    assert_eq!(
        p.severity_for("PKG002", "console-script-shadows-command", Severity::High),
        Severity::Info
    );
    assert_eq!(
        p.severity_for("PY009", "other-name", Severity::Low),
        Severity::Critical,
        "code wins over name"
    );
    assert_eq!(
        p.severity_for("PY005", "x", Severity::Medium),
        Severity::Medium
    );
    let applied = p.apply(None, None, vec![finding("PY004", "a.py")], &no_hash, TODAY);
    assert_eq!(applied.kept[0].severity, Severity::Low);
}

#[test]
fn bad_severity_values_are_errors() {
    let err = parse("[severity]\nPY004 = \"severe\"\n").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("/proj/assay.toml") && msg.contains("severe"),
        "{msg}"
    );
    let err = parse("[severity]\nPY004 = \"low\"\npy004 = \"high\"\n").unwrap_err();
    assert!(err.to_string().contains("given twice"), "{err}");
}

#[test]
fn suppress_by_rule_code_and_by_name() {
    let p = parse(
        r#"
[[suppress]]
rule = "py004"
reason = "reviewed"
[[suppress]]
rule = "decode-then-exec"
reason = "reviewed"
"#,
    )
    .unwrap();
    assert_eq!(
        suppressed_by(&p, finding("PY004", "a.py"), &no_hash),
        Some(0)
    );
    assert_eq!(
        suppressed_by(&p, finding("PY001", "a.py"), &no_hash),
        Some(1)
    );
    assert_eq!(suppressed_by(&p, finding("PY002", "a.py"), &no_hash), None);
}

#[test]
fn package_name_and_version_bound() {
    let p = parse(
        r#"
[[suppress]]
rule = "PY004"
package = "my_pkg@1.2.0"
reason = "r"
[[suppress]]
rule = "PY005"
package = "my.pkg"
reason = "r"
[[suppress]]
rule = "PY006"
package = "mypkg@2.0"
reason = "r"
[[suppress]]
rule = "PY007"
package = "otherpkg"
reason = "r"
"#,
    )
    .unwrap();
    // The artifact is named `MyPkg`: `my_pkg`/`my.pkg` do not normalise to `mypkg`.
    assert_eq!(suppressed_by(&p, finding("PY004", "a.py"), &no_hash), None);
    let applied = p.apply(
        Some("My-Pkg"),
        Some("1.2.0"),
        vec![finding("PY004", "a.py")],
        &no_hash,
        TODAY,
    );
    assert_eq!(
        applied.suppressed.len(),
        1,
        "my_pkg and My-Pkg are the same PEP 503 name"
    );
    let applied = p.apply(
        Some("my-pkg"),
        Some("1.2.1"),
        vec![finding("PY004", "a.py")],
        &no_hash,
        TODAY,
    );
    assert!(
        applied.suppressed.is_empty(),
        "another version is not suppressed"
    );
    let applied = p.apply(
        Some("my__pkg"),
        None,
        vec![finding("PY005", "a.py")],
        &no_hash,
        TODAY,
    );
    assert_eq!(
        applied.suppressed.len(),
        1,
        "name-only spec matches any version"
    );
    assert_eq!(suppressed_by(&p, finding("PY006", "a.py"), &no_hash), None);
    assert_eq!(suppressed_by(&p, finding("PY007", "a.py"), &no_hash), None);
    let applied = p.apply(None, None, vec![finding("PY005", "a.py")], &no_hash, TODAY);
    assert!(
        applied.suppressed.is_empty(),
        "unknown artifact name never matches a package spec"
    );
}

#[test]
fn exact_path_and_prefix() {
    let p = parse(
        r#"
[[suppress]]
rule = "PY004"
path = "mypkg/build.py"
reason = "r"
[[suppress]]
rule = "PY005"
path = "mypkg/vendor/"
reason = "r"
"#,
    )
    .unwrap();
    assert_eq!(
        suppressed_by(&p, finding("PY004", "mypkg/build.py"), &no_hash),
        Some(0)
    );
    assert_eq!(
        suppressed_by(&p, finding("PY004", "mypkg/build.pyc"), &no_hash),
        None
    );
    assert_eq!(
        suppressed_by(&p, finding("PY004", "other/mypkg/build.py"), &no_hash),
        None
    );
    assert_eq!(
        suppressed_by(&p, finding("PY005", "mypkg/vendor/six.py"), &no_hash),
        Some(1)
    );
    assert_eq!(
        suppressed_by(&p, finding("PY005", "mypkg/vendored.py"), &no_hash),
        None
    );
}

#[test]
fn changed_sha256_no_longer_suppresses() {
    let hash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    let p = parse(&format!(
        "[[suppress]]\nrule = \"PY004\"\npath = \"mypkg/build.py\"\nsha256 = \"{hash}\"\nreason = \"r\"\n"
    ))
    .unwrap();
    assert_eq!(
        p.suppressions()[0].sha256.as_deref(),
        Some(hash.to_ascii_lowercase().as_str())
    );
    let same = |path: &str| (path == "mypkg/build.py").then(|| hash.to_ascii_lowercase());
    let changed = |_: &str| Some("0".repeat(64));
    assert_eq!(
        suppressed_by(&p, finding("PY004", "mypkg/build.py"), &same),
        Some(0)
    );
    assert_eq!(
        suppressed_by(&p, finding("PY004", "mypkg/build.py"), &changed),
        None
    );
    assert_eq!(
        suppressed_by(&p, finding("PY004", "mypkg/build.py"), &no_hash),
        None,
        "unknown hash fails closed"
    );
}

#[test]
fn bad_sha256_values_are_errors() {
    let err =
        parse("[[suppress]]\nrule = \"PY004\"\nsha256 = \"abc\"\nreason = \"r\"\n").unwrap_err();
    assert!(err.to_string().contains("suppress[0].sha256"), "{err}");
    let h = "a".repeat(64);
    let err = parse(&format!(
        "[[suppress]]\nrule = \"PY004\"\npath = \"dir/\"\nsha256 = \"{h}\"\nreason = \"r\"\n"
    ))
    .unwrap_err();
    assert!(err.to_string().contains("exact `path`"), "{err}");
}

#[test]
fn expired_no_longer_suppresses_and_is_reported() {
    let p = parse(
        r#"
[[suppress]]
rule = "PY004"
reason = "temporary"
expires = "2026-06-14"
[[suppress]]
rule = "PY005"
reason = "still fine"
expires = 2026-06-15
"#,
    )
    .unwrap();
    assert_eq!(suppressed_by(&p, finding("PY004", "a.py"), &no_hash), None);
    assert_eq!(
        suppressed_by(&p, finding("PY005", "a.py"), &no_hash),
        Some(1),
        "applies through its last day"
    );
    let expired = p.expired(TODAY);
    assert_eq!(expired.len(), 1);
    assert_eq!(
        (
            expired[0].index,
            expired[0].rule.as_str(),
            expired[0].expires.to_string()
        ),
        (0, "PY004", "2026-06-14".to_owned())
    );
    assert_eq!(p.expired((2026, 6, 16)).len(), 2);
}

#[test]
fn bad_dates_are_errors() {
    for bad in [
        "\"2026-02-30\"",
        "\"2026-13-01\"",
        "\"26-01-01\"",
        "\"2026-1-1\"",
        "2026-01-01T10:00:00",
        "3",
    ] {
        let err = parse(&format!(
            "[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\nexpires = {bad}\n"
        ))
        .unwrap_err();
        assert!(
            err.to_string().contains("suppress[0].expires"),
            "{bad}: {err}"
        );
    }
    assert!(
        parse("[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\nexpires = \"2028-02-29\"\n").is_ok()
    );
}

#[test]
fn missing_or_blank_reason_is_an_error_naming_the_file() {
    let err = parse("[[suppress]]\nrule = \"PY004\"\n").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("/proj/assay.toml") && msg.contains("reason"),
        "{msg}"
    );
    assert!(matches!(err, PolicyError::Parse { .. }));
    let err = parse("[[suppress]]\nrule = \"PY004\"\nreason = \"  \"\n").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("/proj/assay.toml") && msg.contains("suppress[0].reason"),
        "{msg}"
    );
    let err = parse("[[suppress]]\nrule = \" \"\nreason = \"r\"\n").unwrap_err();
    assert!(err.to_string().contains("suppress[0].rule"), "{err}");
}

#[test]
fn unknown_keys_are_errors() {
    for text in [
        "[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\npaths = \"x\"\n",
        "[suppresions]\n",
        "verbose = true\n",
    ] {
        let err = parse(text).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("/proj/assay.toml") && msg.contains("unknown field"),
            "{msg}"
        );
    }
}

#[test]
fn other_invalid_values() {
    for (text, key) in [
        (
            "[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\npackage = \"@1.0\"\n",
            "suppress[0].package",
        ),
        (
            "[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\npackage = \"x@\"\n",
            "suppress[0].package",
        ),
        (
            "[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\npath = \"*.py\"\n",
            "suppress[0].path",
        ),
    ] {
        let err = parse(text).unwrap_err();
        assert!(err.to_string().contains(key), "{err}");
    }
    assert!(matches!(
        parse("[[suppress]\n").unwrap_err(),
        PolicyError::Parse { .. }
    ));
}

#[test]
fn unused_suppressions_are_reported() {
    let p = parse(
        r#"
[[suppress]]
rule = "PY004"
reason = "used"
[[suppress]]
rule = "PY005"
reason = "never matches"
"#,
    )
    .unwrap();
    let applied = p.apply(
        None,
        None,
        vec![finding("PY004", "a.py"), finding("PY004", "b.py")],
        &no_hash,
        TODAY,
    );
    assert_eq!(applied.used_indices(), [0]);
    let unused = p.unused(&applied.used_indices());
    assert_eq!(unused.len(), 1);
    assert_eq!(
        (
            unused[0].index,
            unused[0].rule.as_str(),
            unused[0].reason.as_str()
        ),
        (1, "PY005", "never matches")
    );
}

#[test]
fn first_matching_suppression_wins_and_order_is_kept() {
    let p = parse(
        "[[suppress]]\nrule = \"PY004\"\npath = \"a.py\"\nreason = \"r\"\n[[suppress]]\nrule = \"PY004\"\nreason = \"r\"\n",
    )
    .unwrap();
    let applied = p.apply(
        None,
        None,
        vec![
            finding("PY001", "z.py"),
            finding("PY004", "a.py"),
            finding("PY004", "b.py"),
            finding("PY002", "y.py"),
        ],
        &no_hash,
        TODAY,
    );
    let kept: Vec<_> = applied.kept.iter().map(|f| f.rule.code()).collect();
    assert_eq!(kept, ["PY001", "PY002"]);
    let idx: Vec<_> = applied.suppressed.iter().map(|(_, i)| *i).collect();
    assert_eq!(idx, [0, 1]);
}

#[test]
fn unknown_rules_are_listed() {
    let p = parse(
        "[severity]\nPY004 = \"low\"\nPY999 = \"low\"\n[[suppress]]\nrule = \"process-spawn-on-install\"\nreason = \"r\"\n[[suppress]]\nrule = \"typo-name\"\nreason = \"r\"\n",
    )
    .unwrap();
    assert_eq!(
        p.unknown_rules(),
        [
            ("severity.PY999".to_owned(), "PY999".to_owned()),
            ("suppress[1].rule".to_owned(), "typo-name".to_owned())
        ]
    );
}

#[test]
fn load_and_find_config() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    fs_err::create_dir_all(&nested).unwrap();
    assert_eq!(
        find_config(&nested).filter(|p| p.starts_with(dir.path())),
        None
    );
    let cfg = dir.path().join("a").join(CONFIG_FILE_NAME);
    fs_err::write(&cfg, "[severity]\nPY004 = \"low\"\n").unwrap();
    assert_eq!(find_config(&nested), Some(cfg.clone()));
    let p = Policy::load(&cfg).unwrap();
    assert_eq!(p.source.as_deref(), Some(cfg.as_path()));
    assert_eq!(p.severity_for("PY004", "x", Severity::High), Severity::Low);
    let missing = dir.path().join("nope.toml");
    let err = Policy::load(&missing).unwrap_err();
    assert!(matches!(err, PolicyError::Read { .. }));
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

#[test]
fn dates() {
    assert_eq!(
        Date::parse("2024-02-29"),
        Some(Date {
            year: 2024,
            month: 2,
            day: 29
        })
    );
    assert_eq!(Date::parse("2100-02-29"), None);
    assert_eq!(Date::parse("2000-02-29").map(|d| d.day), Some(29));
    assert_eq!(Date::parse("+024-01-01"), None);
    assert_eq!(
        Date::from_days_since_epoch(0),
        Date {
            year: 1970,
            month: 1,
            day: 1
        }
    );
    assert_eq!(
        Date::from_days_since_epoch(19_723),
        Date {
            year: 2024,
            month: 1,
            day: 1
        }
    );
    assert_eq!(
        Date::from_days_since_epoch(11_016),
        Date {
            year: 2000,
            month: 2,
            day: 29
        }
    );
    assert!(Date::today_utc().year >= 2025);
    assert_eq!(Date::new(2026, 1, 31).unwrap().as_tuple(), (2026, 1, 31));
    assert!(Date::from((2026, 1, 31)) < Date::from((2026, 2, 1)));
}

#[test]
fn pep503_normalisation() {
    assert_eq!(normalize_name("Foo.Bar__baz-_-Qux"), "foo-bar-baz-qux");
    assert_eq!(normalize_name(" requests "), "requests");
}

/// A config found by searching upward (not named with `--config`) may have been planted
/// by the scanned tree: it can neither lower nor suppress a critical finding. A named
/// one can (issue 21, item 15).
#[test]
fn only_a_named_config_decides_critical_findings() {
    let text =
        "[severity]\nPY001 = \"low\"\n\n[[suppress]]\nrule = \"IOC002\"\nreason = \"ours\"\n";
    let critical = |code: &str| {
        let mut f = finding(code, "a.py");
        f.severity = Severity::Critical;
        f
    };
    let found = parse(text).unwrap();
    assert!(!found.named);
    let applied = found.apply(
        None,
        None,
        vec![
            critical("PY001"),
            critical("IOC002"),
            finding("IOC002", "b.py"),
        ],
        &no_hash,
        TODAY,
    );
    let kept: Vec<_> = applied
        .kept
        .iter()
        .map(|f| (f.rule.code(), f.severity))
        .collect();
    assert_eq!(
        kept,
        vec![
            ("PY001", Severity::Critical),
            ("IOC002", Severity::Critical)
        ]
    );
    assert_eq!(
        applied.suppressed.len(),
        1,
        "the high finding is suppressed"
    );

    let mut named = parse(text).unwrap();
    named.named = true;
    let applied = named.apply(
        None,
        None,
        vec![critical("PY001"), critical("IOC002")],
        &no_hash,
        TODAY,
    );
    assert_eq!(applied.kept.len(), 1);
    assert_eq!(applied.kept[0].severity, Severity::Low);
    assert_eq!(applied.suppressed.len(), 1);
}

#[test]
fn models_allow_patterns_are_validated() {
    let mut p = parse(
        r#"
[models]
allow = ["sklearn.*", "mypkg.models.*", "mypkg.layers.Block"]
"#,
    )
    .unwrap();
    // Found by searching upward: not used (a planted config must not allow imports).
    assert!(p.model_allow().is_empty());
    assert_eq!(p.ignored_model_allow().len(), 3);
    p.named = true;
    let allow = p.model_allow();
    assert_eq!(allow.len(), 3);
    assert!(allow[1].matches("mypkg.models.net.Net"));
    assert!(!allow[1].matches("mypkg.modelsx.Net"));
    assert!(allow[2].matches("mypkg.layers.Block"));
    assert!(!allow[2].matches("mypkg.layers.BlockX"));
    assert!(p.ignored_model_allow().is_empty());
}

#[test]
fn models_allow_refuses_dangerous_and_malformed_patterns() {
    for bad in [
        "os.*",
        "subprocess.Popen",
        "builtins.eval",
        "builtins.exec",
        "mypkg.pickle.*",
        "*",
        "sk*",
        "mypkg.*.models",
    ] {
        let text = format!("[models]\nallow = [\"ok.pkg.*\", \"{bad}\"]\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("models.allow[1]"), "{bad}: {err}");
    }
    // Unknown keys under [models] are errors like everywhere else.
    assert!(parse("[models]\ndeny = [\"x\"]\n").is_err());
}

// ------------------------------------------------------------------ schema (issue 17, item 7)

/// A TOML document as the JSON value the schema describes: TOML dates become their
/// `YYYY-MM-DD` text (the loader accepts both forms for `expires`).
fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => (*f).into(),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => a.iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

#[test]
fn the_example_config_loads_and_matches_the_schema() {
    let p = parse(EXAMPLE_CONFIG).unwrap();
    assert_eq!(p.suppressions.len(), 2);
    assert_eq!(
        p.ignored_model_allow().len(),
        3,
        "found, not named: kept but unused"
    );
    assert_eq!(p.index_url(), Some("https://pypi.example.com/simple"));
    assert_eq!(p.npm_registry(), Some("https://npm.example.com"));
    assert!(parse("[registry]\nindex-url = \"ftp://x\"\n").is_err());
    assert!(parse("[registry]\nmirror = \"https://x\"\n").is_err());
    assert_eq!(parse("").unwrap().index_url(), None);
    let schema = config_json_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc: toml::Value = toml::from_str(EXAMPLE_CONFIG).unwrap();
    let json = toml_to_json(&doc);
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The schema rejects what the loader rejects: unknown keys, a missing reason.
    for bad in [
        serde_json::json!({"severty": {}}),
        serde_json::json!({"suppress": [{"rule": "PY004"}]}),
        serde_json::json!({"suppress": [{"rule": "PY004", "reason": "x", "glob": "*"}]}),
        serde_json::json!({"severity": {"PY004": "loud"}}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
        let text = toml::to_string(&bad).unwrap();
        assert!(parse(&text).is_err(), "{text}");
    }
}

/// Every key of the schema has a description, and every key holding a value (not a
/// table of further keys) an example: `docs/config.md` is rendered from them.
#[test]
fn every_config_key_is_described_with_an_example() {
    let schema = config_json_schema();
    let defs = schema["$defs"].as_object().unwrap();
    let mut objects: Vec<&serde_json::Value> = vec![&schema];
    objects.extend(defs.values().filter(|d| d.get("properties").is_some()));
    let mut keys = 0;
    for o in objects {
        for (k, v) in o["properties"].as_object().unwrap() {
            keys += 1;
            let desc = v["description"].as_str().unwrap_or_default();
            assert!(desc.len() > 20, "`{k}` has no description");
            let table = v.get("$ref").is_some()
                || v["items"].get("$ref").is_some()
                || v["allOf"].is_array();
            if !table {
                assert!(
                    v["examples"].as_array().is_some_and(|e| !e.is_empty()),
                    "`{k}` has no example"
                );
            }
        }
    }
    assert_eq!(
        keys,
        4 + 6 + 1 + 2,
        "severity, suppress, models, registry; 6 suppress keys; allow; index-url, npm-registry"
    );
}
