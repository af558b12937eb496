//! The shared fixture rendered in every output format, snapshotted
//! (`tests/snapshots/`; update with `INSTA_UPDATE=always` or `cargo insta review`).
#![allow(clippy::unwrap_used)]

mod common;

use assay_report::{Format, JsonReporter, RenderOptions, SarifReporter, TextReporter};

#[test]
fn output_format_text() {
    let text = common::render(
        &TextReporter {
            color: false,
            quiet: false,
            ..TextReporter::default()
        },
        &common::report(),
    );
    insta::assert_snapshot!("text", text);
}

#[test]
fn output_format_text_quiet() {
    let text = common::render(
        &TextReporter {
            color: false,
            quiet: true,
            ..TextReporter::default()
        },
        &common::report(),
    );
    insta::assert_snapshot!("text_quiet", text);
}

#[test]
fn output_format_json() {
    let json = common::render(&JsonReporter, &common::report());
    assert!(json.ends_with("}\n"));
    insta::assert_snapshot!("json", json);
}

#[test]
fn output_format_sarif() {
    let reporter = SarifReporter {
        information_uri: Some("https://example.invalid/assay".to_owned()),
    };
    let sarif = common::render(&reporter, &common::report());
    assert!(sarif.ends_with("}\n"));
    insta::assert_snapshot!("sarif", sarif);
}

#[test]
fn colour_only_adds_escape_codes() {
    let report = common::report();
    let plain = common::render(
        &TextReporter {
            color: false,
            quiet: false,
            ..TextReporter::default()
        },
        &report,
    );
    let colored = common::render(
        &TextReporter {
            color: true,
            quiet: false,
            ..TextReporter::default()
        },
        &report,
    );
    assert!(colored.contains("\x1b["), "colour output has ANSI codes");
    assert!(
        !plain.contains('\x1b'),
        "plain output has no escape at all (the hostile name is escaped)"
    );
    assert_eq!(strip_ansi(&colored), plain);
}

#[test]
fn quiet_with_only_clean_artifacts_prints_the_summary() {
    let mut report = common::report();
    report.artifacts.retain(|a| a.findings.is_empty());
    report.summary = assay_core::Report::new(report.artifacts.clone(), Vec::new()).summary;
    let text = common::render(
        &TextReporter {
            color: false,
            quiet: true,
            ..TextReporter::default()
        },
        &report,
    );
    assert_eq!(
        text,
        "1 artifact: 0 malicious, 0 suspicious, 1 clean; 0 findings\n"
    );
}

#[test]
fn output_is_deterministic() {
    for format in Format::ALL {
        let reporter = format.reporter(&RenderOptions::default());
        let a = common::render(reporter.as_ref(), &common::report());
        let b = common::render(reporter.as_ref(), &common::report());
        assert_eq!(a, b, "{format}");
    }
}

/// Remove `ESC [ … m` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
