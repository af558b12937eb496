//! The SARIF output validates against the official SARIF 2.1.0 JSON schema.
//!
//! `tests/data/sarif-schema-2.1.0.json` is the OASIS schema (draft-07, `$id`
//! `https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json`),
//! copied unchanged from the crates.io package `serde-sarif` 0.8.0 (`src/schema.json`,
//! the file its types are generated from); sha256
//! af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea.
#![allow(clippy::unwrap_used)]

mod common;

use assay_report::SarifReporter;
use serde_json::Value;

/// The `language` pattern (of `run` and `toolComponent`) in the official file. It has a stray `]` that ECMA-262
/// accepts only in its legacy (Annex B) grammar, where it is a literal `]`; jsonschema's
/// draft-07 meta-schema check (`format: regex`) rejects it, so the schema would not load.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
/// The same regex with that `]` escaped: identical meaning, accepted by the check.
const LANGUAGE_PATTERN_ESCAPED: &str = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$";

fn validator() -> jsonschema::Validator {
    let mut schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    for definition in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(
            pattern, LANGUAGE_PATTERN,
            "the schema file changed: review this patch"
        );
        *pattern = Value::from(LANGUAGE_PATTERN_ESCAPED);
    }
    // The schema declares draft-07 in `$schema`; we say so explicitly. Formats (`uri`,
    // `uri-reference`, `date-time`) are opt-in in jsonschema and checked here too.
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let validator = validator();
    for reporter in [
        SarifReporter::default(),
        SarifReporter {
            information_uri: Some("https://example.invalid/assay".into()),
        },
    ] {
        let out = common::render(&reporter, &common::report());
        let instance: Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&validator, &instance);
        assert!(
            errs.is_empty(),
            "SARIF output does not match the schema:\n{}",
            errs.join("\n")
        );
    }
}

#[test]
fn empty_report_is_valid_sarif() {
    let report = assay_core::Report::new(Vec::new(), Vec::new());
    let out = common::render(&SarifReporter::default(), &report);
    let instance: Value = serde_json::from_str(&out).unwrap();
    assert!(errors(&validator(), &instance).is_empty());
}

#[test]
fn the_validator_rejects_invalid_sarif() {
    let validator = validator();
    let mut instance: Value = serde_json::from_str(&common::render(
        &SarifReporter::default(),
        &common::report(),
    ))
    .unwrap();
    instance["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!errors(&validator, &instance).is_empty());
    instance["runs"][0]["results"][0]["level"] = Value::from("error");
    instance["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("not a uri");
    assert!(
        !errors(&validator, &instance).is_empty(),
        "formats are checked"
    );
}
