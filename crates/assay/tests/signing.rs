//! `assay sign` / `assay verify` (OMS v1.0): golden bundles made by the reference Python
//! tool (`tests/fixtures/signing/regenerate.sh`) verify offline, and every kind of
//! tampering fails with a finding and exit code 1. Also the ML030–ML034 must-match /
//! must-not-match tests.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use std::path::{Path, PathBuf};

fn fx() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing")
}

fn model_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("model");
    std::fs::create_dir_all(m.join("sub")).unwrap();
    for f in ["README.md", "config.json", "sub/weights.bin", ".gitignore"] {
        std::fs::copy(fx().join("model").join(f), m.join(f)).unwrap();
    }
    d
}

fn verify(model: &Path, key: &[&str], sig: &Path) -> (i32, String) {
    let out = Command::cargo_bin("assay")
        .unwrap()
        .arg("verify")
        .arg(model)
        .args(key)
        .arg("--signature")
        .arg(sig)
        .args(["--format", "json"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn key(name: &str) -> String {
    fx().join("keys").join(name).display().to_string()
}

fn codes(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn reference_bundles_verify() {
    let d = model_copy();
    let m = d.path().join("model");
    for (k, sig) in [
        ("test-only-p256.pub.pem", "ref-key-p256.sig"),
        ("test-only-p384.pub.pem", "ref-key-p384.sig"),
        ("test-only-p521.pub.pem", "ref-key-p521.sig"),
    ] {
        let (rc, out) = verify(&m, &["--key", &key(k)], &fx().join(sig));
        assert_eq!(rc, 0, "{sig}: {out}");
        assert!(codes(&out).is_empty());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let files = v["artifacts"][0]["files"].as_array().unwrap();
        assert_eq!(files.len(), 3, "{out}");
        assert!(
            files
                .iter()
                .all(|f| f["status"] == "ok" && f["sha256"] == f["expected_sha256"])
        );
    }
    let (rc, out) = verify(
        &m,
        &["--certificate-chain", &key("test-only-ca.pem")],
        &fx().join("ref-cert.sig"),
    );
    assert_eq!(rc, 0, "{out}");
}

#[test]
fn assay_bundles_verify_with_assay() {
    let d = model_copy();
    let m = d.path().join("model");
    for (k, sig) in [
        ("test-only-p256.pub.pem", "assay-key-p256.sig"),
        ("test-only-p384.pub.pem", "assay-key-p384.sig"),
        ("test-only-p521.pub.pem", "assay-key-p521.sig"),
    ] {
        let (rc, out) = verify(&m, &["--key", &key(k)], &fx().join(sig));
        assert_eq!(rc, 0, "{sig}: {out}");
    }
    let (rc, out) = verify(
        &m,
        &["--certificate-chain", &key("test-only-ca.pem")],
        &fx().join("assay-cert.sig"),
    );
    assert_eq!(rc, 0, "{out}");
    // P-521 leaf under a P-521 CA (ecdsa-with-SHA512 certificate signatures).
    let (rc, out) = verify(
        &m,
        &["--certificate-chain", &key("test-only-p521-ca.pem")],
        &fx().join("assay-cert-p521.sig"),
    );
    assert_eq!(rc, 0, "{out}");
}

/// P-521 bundles made by the reference `model_signing` 1.1.1 (key and certificate
/// methods; `regenerate.sh`) verify, and not under another CA.
#[test]
fn reference_p521_bundles_verify() {
    let d = model_copy();
    let m = d.path().join("model");
    let (rc, out) = verify(
        &m,
        &["--key", &key("test-only-p521.pub.pem")],
        &fx().join("ref-key-p521.sig"),
    );
    assert_eq!(rc, 0, "{out}");
    let (rc, out) = verify(
        &m,
        &["--certificate-chain", &key("test-only-p521-ca.pem")],
        &fx().join("ref-cert-p521.sig"),
    );
    assert_eq!(rc, 0, "{out}");
    assert!(codes(&out).is_empty(), "{out}");
    expect_fail(
        &m,
        &["--certificate-chain", &key("test-only-ca.pem")],
        &fx().join("ref-cert-p521.sig"),
        "ML031",
    );
}

#[test]
fn sign_then_verify_roundtrip_with_default_signature_path() {
    let d = model_copy();
    let m = d.path().join("model");
    Command::cargo_bin("assay")
        .unwrap()
        .arg("sign")
        .arg(&m)
        .args(["--key", &key("test-only-p256.key.pem"), "-q"])
        .assert()
        .success();
    assert!(m.join("model.sig").is_file());
    let (rc, out) = verify(
        &m,
        &["--key", &key("test-only-p256.pub.pem")],
        &m.join("model.sig"),
    );
    assert_eq!(rc, 0, "{out}");
}

fn expect_fail(model: &Path, k: &[&str], sig: &Path, code: &str) {
    let (rc, out) = verify(model, k, sig);
    assert_eq!(rc, 1, "{out}");
    assert_eq!(codes(&out), [code], "{out}");
}

#[test]
fn modified_file_fails() {
    let d = model_copy();
    let m = d.path().join("model");
    std::fs::write(m.join("config.json"), "{\"architectures\": [\"Other\"]}\n").unwrap();
    expect_fail(
        &m,
        &["--key", &key("test-only-p256.pub.pem")],
        &fx().join("ref-key-p256.sig"),
        "ML032",
    );
}

#[test]
fn extra_file_fails_unless_ignored() {
    let d = model_copy();
    let m = d.path().join("model");
    std::fs::write(m.join("extra.pkl"), "echo assay-canary").unwrap();
    let k = key("test-only-p256.pub.pem");
    expect_fail(&m, &["--key", &k], &fx().join("ref-key-p256.sig"), "ML034");
    let (rc, out) = verify(
        &m,
        &["--key", &k, "--ignore-unsigned-files"],
        &fx().join("ref-key-p256.sig"),
    );
    assert_eq!(rc, 0, "{out}");
}

#[test]
fn missing_file_fails() {
    let d = model_copy();
    let m = d.path().join("model");
    std::fs::remove_file(m.join("README.md")).unwrap();
    expect_fail(
        &m,
        &["--key", &key("test-only-p256.pub.pem")],
        &fx().join("ref-key-p256.sig"),
        "ML033",
    );
}

#[test]
fn wrong_key_fails() {
    let d = model_copy();
    let m = d.path().join("model");
    expect_fail(
        &m,
        &["--key", &key("test-only-p384.pub.pem")],
        &fx().join("ref-key-p256.sig"),
        "ML031",
    );
    expect_fail(
        &m,
        &["--certificate-chain", &key("test-only-leaf.pem")],
        &fx().join("ref-key-p256.sig"),
        "ML031",
    );
}

/// Rewrites the statement inside a bundle.
fn edit_statement(sig: &Path, out: &Path, f: impl Fn(&mut serde_json::Value)) {
    let mut b: serde_json::Value = serde_json::from_slice(&std::fs::read(sig).unwrap()).unwrap();
    let p = B64
        .decode(b["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let mut st: serde_json::Value = serde_json::from_slice(&p).unwrap();
    f(&mut st);
    b["dsseEnvelope"]["payload"] = B64.encode(serde_json::to_vec(&st).unwrap()).into();
    std::fs::write(out, serde_json::to_vec(&b).unwrap()).unwrap();
}

#[test]
fn modified_statement_fails() {
    let d = model_copy();
    let m = d.path().join("model");
    let k = key("test-only-p256.pub.pem");
    let sig = d.path().join("edited.sig");
    // A resource digest changed to match a tampered file: the signature no longer matches.
    edit_statement(&fx().join("ref-key-p256.sig"), &sig, |st| {
        st["predicate"]["resources"][0]["digest"] = "00".repeat(32).into();
    });
    expect_fail(&m, &["--key", &k], &sig, "ML031");
    // Garbage instead of a bundle.
    std::fs::write(&sig, b"{\"mediaType\": 1}").unwrap();
    expect_fail(&m, &["--key", &k], &sig, "ML030");
}

#[test]
fn statement_checks_reject_inconsistent_subject() {
    let b = std::fs::read(fx().join("ref-key-p256.sig")).unwrap();
    let bundle = assay_signing::Bundle::parse(&b).unwrap();
    assert!(assay_signing::Statement::parse(&bundle.payload).is_ok());
    let mut st: serde_json::Value = serde_json::from_slice(&bundle.payload).unwrap();
    st["subject"][0]["digest"]["sha256"] = "11".repeat(32).into();
    let e = assay_signing::Statement::parse(&serde_json::to_vec(&st).unwrap()).unwrap_err();
    assert!(e.to_string().contains("subject digest"), "{e}");
}

// ------------------------------------------------------------------ keyless Sigstore

/// The reference implementation's own keyless test bundle (sigstore/model-transparency,
/// `scripts/tests/v1.0.0-sigstore/`, Apache-2.0; see fixtures/signing/reference-keyless/
/// README.md): signed through Sigstore public-good (Fulcio + Rekor) in May 2025.
fn keyless_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("v1.0.0-sigstore");
    std::fs::create_dir_all(&m).unwrap();
    for f in ["signme-1", "signme-2", "model.sig"] {
        std::fs::copy(
            fx().join("reference-keyless/v1.0.0-sigstore").join(f),
            m.join(f),
        )
        .unwrap();
    }
    d
}

const KEYLESS_ID: [&str; 4] = [
    "--identity",
    "stefanb@us.ibm.com",
    "--issuer",
    "https://sigstore.verify.ibm.com/oauth2",
];

#[test]
fn reference_keyless_bundle_verifies_offline() {
    let d = keyless_copy();
    let m = d.path().join("v1.0.0-sigstore");
    let (rc, out) = verify(&m, &KEYLESS_ID, &m.join("model.sig"));
    assert_eq!(rc, 0, "{out}");
    assert!(codes(&out).is_empty(), "{out}");
}

#[test]
fn keyless_with_another_identity_or_issuer_fails() {
    let d = keyless_copy();
    let m = d.path().join("v1.0.0-sigstore");
    for id in [
        [
            "--identity",
            "someone@example.invalid",
            "--issuer",
            KEYLESS_ID[3],
        ],
        [
            "--identity",
            KEYLESS_ID[1],
            "--issuer",
            "https://accounts.google.com",
        ],
    ] {
        expect_fail(&m, &id, &m.join("model.sig"), "ML031");
    }
}

#[test]
fn keyless_modified_file_or_statement_fails() {
    let d = keyless_copy();
    let m = d.path().join("v1.0.0-sigstore");
    std::fs::write(m.join("signme-2"), "tampered").unwrap();
    expect_fail(&m, &KEYLESS_ID, &m.join("model.sig"), "ML032");
    std::fs::write(m.join("signme-2"), "signme-2").unwrap();
    // A statement edited after signing (one digest swapped, subject recomputed by an
    // attacker would still break the DSSE signature).
    let sig = m.join("model.sig");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sig).unwrap()).unwrap();
    let p = v["dsseEnvelope"]["payload"].as_str().unwrap().to_owned();
    let text = String::from_utf8(B64.decode(p).unwrap()).unwrap();
    let edited = text.replace("signme-1", "signme-X");
    v["dsseEnvelope"]["payload"] = serde_json::Value::String(B64.encode(edited));
    let forged = d.path().join("forged.sig");
    std::fs::write(&forged, serde_json::to_string(&v).unwrap()).unwrap();
    let (rc, out) = verify(&m, &KEYLESS_ID, &forged);
    assert_eq!(rc, 1, "{out}");
    assert!(!codes(&out).is_empty(), "{out}");
}
