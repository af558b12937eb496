//! `assay sign` / `assay verify` text output (issue 17, item 6): what was signed, "verified
//! N files" or "verification FAILED" with each reason; JSON unchanged underneath. Also
//! P-521 keys (SHA-512), signed and verified by assay. TEST-ONLY keys from
//! `tests/fixtures/signing/keys` (`regenerate.sh`).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn fx() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing")
}

fn key(name: &str) -> String {
    fx().join("keys").join(name).display().to_string()
}

/// A copy of the fixture model in a temp dir: `(dir, model path)`.
fn model() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("model");
    std::fs::create_dir_all(m.join("sub")).unwrap();
    for f in ["README.md", "config.json", "sub/weights.bin", ".gitignore"] {
        std::fs::copy(fx().join("model").join(f), m.join(f)).unwrap();
    }
    (d, m)
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("assay")
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Sign `model` (as `model`, relative to `cwd`) with `key`, then verify it with `public`;
/// returns the text of both.
fn sign_verify(cwd: &Path, private: &str, public: &str) -> (String, String) {
    let (rc, signed, err) = run(cwd, &["sign", "model", "--key", private]);
    assert_eq!(rc, 0, "{err}");
    let (rc, verified, err) = run(cwd, &["verify", "model", "--key", public]);
    assert_eq!(rc, 0, "{verified}{err}");
    (signed, verified)
}

#[test]
fn sign_and_verify_say_what_they_did() {
    let (d, _) = model();
    let (signed, verified) = sign_verify(
        d.path(),
        &key("test-only-p256.key.pem"),
        &key("test-only-p256.pub.pem"),
    );
    insta::assert_snapshot!("sign_text", signed);
    insta::assert_snapshot!("verify_text_ok", verified);
    // -q keeps the first line.
    let (_, quiet, _) = run(
        d.path(),
        &[
            "verify",
            "model",
            "-q",
            "--key",
            &key("test-only-p256.pub.pem"),
        ],
    );
    assert_eq!(quiet, verified.lines().next().unwrap().to_owned() + "\n");
}

#[test]
fn a_tampered_model_fails_with_each_reason() {
    let (d, m) = model();
    let pubkey = key("test-only-p256.pub.pem");
    let (rc, _, err) = run(
        d.path(),
        &["sign", "model", "--key", &key("test-only-p256.key.pem")],
    );
    assert_eq!(rc, 0, "{err}");
    std::fs::write(m.join("sub/weights.bin"), b"tampered").unwrap();
    std::fs::remove_file(m.join("README.md")).unwrap();
    std::fs::write(m.join("extra.txt"), b"added later").unwrap();
    let (rc, out, _) = run(d.path(), &["verify", "model", "--key", &pubkey]);
    assert_eq!(rc, 1, "{out}");
    insta::assert_snapshot!("verify_text_failed", out);
    // The JSON report is the scan-shaped report, as before.
    let (rc, json, _) = run(
        d.path(),
        &["verify", "model", "--key", &pubkey, "--format", "json"],
    );
    assert_eq!(rc, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut codes: Vec<&str> = v["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["ML032", "ML033", "ML034"]);
    // A wrong key: the signature reason.
    let (rc, out, _) = run(
        d.path(),
        &["verify", "model", "--key", &key("test-only-p384.pub.pem")],
    );
    assert_eq!(rc, 1);
    assert!(
        out.starts_with(
            "verification FAILED: model against model/model.sig (ECDSA P-384 / SHA-384 key)\n"
        ),
        "{out}"
    );
    assert!(out.contains("signature does not verify"), "{out}");
}

#[test]
fn p521_keys_sign_and_verify() {
    let (d, m) = model();
    let (signed, verified) = sign_verify(
        d.path(),
        &key("test-only-p521.key.pem"),
        &key("test-only-p521.pub.pem"),
    );
    assert!(signed.contains("ECDSA P-521 / SHA-512 key"), "{signed}");
    assert!(
        verified.starts_with("verified 3 files of model"),
        "{verified}"
    );
    // The DSSE signature is a DER ECDSA P-521 signature (up to 139 bytes), and the
    // bundle's key hint is the sha256 of the SPKI PEM, as the reference writes it.
    let b = assay_signing::Bundle::parse(&std::fs::read(m.join("model.sig")).unwrap()).unwrap();
    let sig = b.signatures.first().unwrap();
    assert!(sig.len() > 100 && sig.len() <= 139, "{} bytes", sig.len());
    let public = assay_signing::PublicKey::from_pem(
        &std::fs::read_to_string(key("test-only-p521.pub.pem")).unwrap(),
    )
    .unwrap();
    assert_eq!(b.hint.as_deref(), Some(public.hint().unwrap().as_str()));
    // Another curve's key does not verify it.
    let (rc, out, _) = run(
        d.path(),
        &["verify", "model", "--key", &key("test-only-p256.pub.pem")],
    );
    assert_eq!(rc, 1, "{out}");
    // A tampered file fails under P-521 as under P-256.
    std::fs::write(m.join("config.json"), b"{}").unwrap();
    let (rc, out, _) = run(
        d.path(),
        &["verify", "model", "--key", &key("test-only-p521.pub.pem")],
    );
    assert_eq!(rc, 1, "{out}");
    assert!(out.contains("config.json: changed"), "{out}");
}
