//! IOC006 known-malicious-indicator: must-match and must-not-match cases with an installed
//! indicator set (process-wide, so these cases live in their own test binary).
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{Artifact, ArtifactFormat, Severity, Verdict};
use common::entry;

fn wheel(files: &[(&str, &[u8])]) -> Artifact {
    let mut a = Artifact::new("demo-1.0-py3-none-any.whl", ArtifactFormat::Wheel);
    for (p, d) in files {
        a.entries.push(entry(p, d));
    }
    a.entries.push(entry(
        "demo-1.0.dist-info/METADATA",
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    ));
    a
}

fn install() {
    // Idempotent within this binary: the first call installs, later ones are no-ops.
    let _ = assay_rules::known_iocs::install(vec![
        (
            "exfil.campaign.example.invalid".into(),
            "MAL-0000-0100".into(),
        ),
        (
            "https://pastebin.com/raw/FAKEabcd".into(),
            "MAL-0000-0101".into(),
        ),
        ("github.com".into(), "MAL-0000-0102".into()),
        ("203.0.113.77".into(), "MAL-0000-0103".into()),
    ]);
}

fn ioc006(a: &Artifact) -> Vec<(Severity, String, String)> {
    assay_rules::analyze_artifact(a)
        .findings
        .into_iter()
        .filter(|f| f.rule.code() == "IOC006")
        .map(|f| (f.severity, f.location.path, f.evidence))
        .collect()
}

#[test]
fn indicators_in_code_strings_decoded_strings_and_other_files_match() {
    install();
    let a = wheel(&[
        (
            "demo/util.py",
            b"import base64\nHOST = base64.b64decode('ZXhmaWwuY2FtcGFpZ24uZXhhbXBsZS5pbnZhbGlk').decode()\n",
        ),
        ("demo/conf.json", b"{\n  \"u\": \"HTTPS://PASTEBIN.COM/raw/FAKEabcd\"\n}\n"),
        ("demo/run.sh", b"#!/bin/sh\necho 203.0.113.77\n"),
    ]);
    let f = ioc006(&a);
    let paths: Vec<&str> = f.iter().map(|x| x.1.as_str()).collect();
    assert!(paths.contains(&"demo/util.py"), "{f:#?}");
    assert!(paths.contains(&"demo/conf.json"), "{f:#?}");
    assert!(paths.contains(&"demo/run.sh"), "{f:#?}");
    assert!(f.iter().all(|x| x.0 == Severity::Critical));
    assert!(f.iter().any(|x| x.2.contains("MAL-0000-0100")), "{f:#?}");
    assert_eq!(
        assay_rules::analyze_artifact(&a).verdict,
        Verdict::Malicious
    );
}

#[test]
fn shared_hosts_and_unrelated_text_do_not_match() {
    install();
    let a = wheel(&[
        (
            "demo/util.py",
            b"URL = 'https://github.com/demo/demo'\nPASTE = 'https://pastebin.com/raw/other'\nHOST = 'campaign.example.invalid'\n",
        ),
        (
            "demo/README.md",
            b"See https://github.com/demo/demo, 203.0.113.771 and notexfil.campaign.example.invalid\nor exfil.campaign.example.invalid.org.\n",
        ),
    ]);
    assert!(ioc006(&a).is_empty(), "{:#?}", ioc006(&a));
}

#[test]
fn indicators_in_tests_are_medium() {
    install();
    let a = wheel(&[(
        "demo/tests/test_iocs.py",
        b"KNOWN = ['exfil.campaign.example.invalid']\n",
    )]);
    let f = ioc006(&a);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, Severity::Medium);
}
