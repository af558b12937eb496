//! The JSON output validates against the JSON Schema generated from `assay_core::Report`.
#![allow(clippy::unwrap_used)]

mod common;

use assay_report::{JsonReporter, report_json_schema};
use serde_json::Value;

#[test]
fn json_output_matches_the_generated_schema() {
    let schema = report_json_schema();
    assert_eq!(schema["title"], "Report");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let out = common::render(&JsonReporter, &common::report());
    let instance: Value = serde_json::from_str(&out).unwrap();
    let errs: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    let mut broken = instance.clone();
    broken["artifacts"][0]["verdict"] = Value::from("dangerous");
    assert!(
        !validator.is_valid(&broken),
        "the schema constrains verdicts"
    );
}
