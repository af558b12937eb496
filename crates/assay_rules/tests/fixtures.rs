//! Must-match and must-not-match fixtures, one folder per rule code:
#![allow(clippy::unwrap_used)]
//! `fixtures/<CODE>/<case>.<role>.<ext>` must raise `<CODE>`; files under
//! `fixtures/<CODE>/benign/` must not (at any severity above info).
//!
//! The role part places the file in a synthetic package: `setup` → `pkg-1.0/setup.py` of
//! an sdist, `init` → `pkg/__init__.py`, `module` → `pkg/mod.py`, `startup` →
//! `sitecustomize.py`, `package` → `package/package.json` of an npm tarball; `.pth` files
//! go to the root of a wheel-like tree.

mod common;

use assay_core::{Artifact, ArtifactFormat, Entry, EntryKind, Severity, classify};
use std::path::{Path, PathBuf};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A directory fixture (a Hugging Face model directory): every file in it, by relative path.
fn directory_artifact(dir: &Path) -> Artifact {
    let mut a = Artifact::new(dir.display().to_string(), ArtifactFormat::Directory);
    let mut paths: Vec<PathBuf> = walk(dir);
    paths.sort();
    for p in paths {
        let rel = p
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let data = std::fs::read(&p).unwrap();
        a.entries.push(Entry {
            file_kind: classify(&rel, &data),
            path: rel,
            kind: EntryKind::File,
            size: data.len() as u64,
            data,
            complete: true,
            sha256: None,
        });
    }
    a
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Build a one-file artifact for a fixture file (or a directory artifact for a fixture
/// directory).
pub fn artifact_for(file: &Path) -> Artifact {
    if file.is_dir() {
        return directory_artifact(file);
    }
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let data = std::fs::read(file).unwrap_or_default();
    // Model files (ML fixtures) are scanned as themselves; zips go through the real reader.
    const MODEL_EXTS: &[&str] = &[
        ".pkl",
        ".pt",
        ".npy",
        ".joblib",
        "tokenizer_config.json",
        "config.json",
        ".keras",
        ".safetensors",
        ".gguf",
        ".bin",
        ".h5",
        ".onnx",
        ".7z",
        ".sav",
        ".dat",
        ".model",
        ".weights",
        "_no_extension",
        ".jinja",
        ".tflite",
    ];
    if MODEL_EXTS.iter().any(|x| name.ends_with(x)) {
        // Zips, tars and compressed streams (joblib's compressors) go through the real reader.
        const CONTAINERS: &[&[u8]] = &[
            b"PK",
            b"\x1f\x8b",
            b"BZh",
            b"\xfd7zXZ",
            b"\x78\x5e",
            b"\x78\x9c",
            b"\x78\xda",
            b"\x78\x01",
            b"\x5d\x00",
            b"\x04\x22\x4d\x18",
            b"7z\xbc\xaf\x27\x1c",
        ];
        let tar = data.get(257..262) == Some(b"ustar".as_slice());
        // A zip end record anywhere: zips with data prepended (`ARC011` fixtures).
        let zip_end = data.windows(4).any(|w| w == b"PK\x05\x06");
        if tar || zip_end || CONTAINERS.iter().any(|m| data.starts_with(m)) {
            return assay_sources::read_bytes(name, &data, &assay_sources::Limits::default());
        }
        let mut a = Artifact::new(file.display().to_string(), ArtifactFormat::File);
        a.entries.push(Entry {
            file_kind: classify(name, &data),
            path: name.to_owned(),
            kind: EntryKind::File,
            size: data.len() as u64,
            data,
            complete: true,
            sha256: None,
        });
        return a;
    }
    let (format, path) = if name.ends_with(".pth") {
        (ArtifactFormat::Directory, name.to_owned())
    } else {
        let role = name.rsplit('.').nth(1).unwrap_or("module");
        match role {
            "setup" => (ArtifactFormat::Sdist, "pkg-1.0/setup.py".to_owned()),
            "init" => (ArtifactFormat::Sdist, "pkg-1.0/pkg/__init__.py".to_owned()),
            "startup" => (ArtifactFormat::Directory, "sitecustomize.py".to_owned()),
            "package" => (ArtifactFormat::Tar, "package/package.json".to_owned()),
            _ => (ArtifactFormat::Sdist, "pkg-1.0/pkg/mod.py".to_owned()),
        }
    };
    let mut a = Artifact::new(file.display().to_string(), format);
    a.entries.push(Entry {
        file_kind: classify(&path, &data),
        path,
        kind: EntryKind::File,
        size: data.len() as u64,
        data,
        complete: true,
        sha256: None,
    });
    if format == ArtifactFormat::Sdist {
        let info = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n".to_vec();
        a.entries.push(Entry {
            file_kind: classify("pkg-1.0/PKG-INFO", &info),
            path: "pkg-1.0/PKG-INFO".into(),
            kind: EntryKind::File,
            size: info.len() as u64,
            data: info,
            complete: true,
            sha256: None,
        });
    }
    a
}

/// Findings of the fixture, checked to be the same whether the texts of analysed Python
/// files are kept or released as the analysis goes (what `assay scan` does).
fn codes_for(file: &Path) -> Vec<(String, Severity)> {
    let a = assay_rules::analyze_artifact(&artifact_for(file));
    let mut owned = artifact_for(file);
    let r = assay_rules::analyze_artifact_releasing(&mut owned, &Default::default());
    assert_eq!(
        format!("{:?}", a.findings),
        format!("{:?}", r.findings),
        "releasing texts changed the findings of {}",
        file.display()
    );
    a.findings
        .into_iter()
        .map(|f| (f.rule.code().to_owned(), f.severity))
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.path())
                // Files, and directory fixtures (model directories); not `benign/` itself.
                .filter(|p| p.is_file() || p.is_dir() && !p.ends_with("benign"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_fixture_behaves() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in assay_rules::REGISTRY {
        let dir = fixtures_root().join(rule.meta.rule.code());
        if !dir.is_dir() {
            continue;
        }
        for f in files(&dir) {
            checked += 1;
            let got = codes_for(&f);
            if !got.iter().any(|(c, _)| c == rule.meta.rule.code()) {
                failures.push(format!(
                    "{} must match {}: got {got:?}",
                    rule.meta.rule.code(),
                    f.display()
                ));
            }
        }
        for f in files(&dir.join("benign")) {
            checked += 1;
            let got = codes_for(&f);
            if got
                .iter()
                .any(|(c, s)| c == rule.meta.rule.code() && *s > Severity::Info)
            {
                failures.push(format!(
                    "{} must not match {}: got {got:?}",
                    rule.meta.rule.code(),
                    f.display()
                ));
            }
        }
    }
    assert!(checked > 40, "only {checked} fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every ML attack fixture makes its artifact fail under the default `--fail-on`
/// (verdict malicious: model files fail closed), except the shape-only ML005/ML006 ones
/// that carry no payload; every benign control is clean.
#[test]
fn model_fixtures_fail_closed_and_controls_are_clean() {
    use assay_core::Verdict;
    let root = fixtures_root();
    for code in ["ML001", "ML002", "ML003", "ML004"] {
        for f in files(&root.join(code)) {
            let a = assay_rules::analyze_artifact(&artifact_for(&f));
            assert_eq!(
                a.verdict,
                Verdict::Malicious,
                "{}: {:?}",
                f.display(),
                a.findings
            );
        }
    }
    for f in files(&root.join("ML001/benign")) {
        let a = assay_rules::analyze_artifact(&artifact_for(&f));
        assert_eq!(
            a.verdict,
            Verdict::Clean,
            "{}: {:?}",
            f.display(),
            a.findings
        );
    }
}

#[test]
fn litellm_reproduction_is_malicious_and_clean_without_pth() {
    use assay_core::Verdict;
    let pth = fixtures_root().join("PKG001/litellm_like.pth");
    let a = assay_rules::analyze_artifact(&artifact_for(&pth));
    assert_eq!(a.verdict, Verdict::Malicious, "{:?}", a.findings);
    assert!(
        a.findings
            .iter()
            .any(|f| f.rule.code() == "PKG001" && f.severity == Severity::Critical)
    );
    let benign = fixtures_root().join("PKG001/benign/distutils_precedence.pth");
    assert_eq!(
        assay_rules::analyze_artifact(&artifact_for(&benign)).verdict,
        Verdict::Clean
    );
}

/// Fixtures whose rule must fire at `critical` (behaviour that is critical in any
/// execution context, including runtime functions).
#[test]
fn critical_in_any_context() {
    let root = fixtures_root();
    for (code, file) in [
        ("PY003", "PY003/pty_reverse_shell.module.py"),
        ("PY003", "PY003/unparseable_dev_tcp.init.py"),
        ("PY002", "PY002/socket_stager.module.py"),
        ("PY002", "PY002/dropper_in_function.module.py"),
        ("PY008", "PY008/cred_dir_curl_upload.module.py"),
        ("PY012", "PY012/hyperion_marker.init.py"),
        ("PY016", "PY016/sdk_key_exfil.module.py"),
        ("PY009", "PY009/rc_download_implant.module.py"),
        ("PY002", "PY002/tempfile_dropper.setup.py"),
        ("PY001", "PY001/xor_exec_in_function.module.py"),
        ("PY002", "PY002/nested_helpers_dropper.module.py"),
        ("PY009", "PY009/browser_shortcut_sideload.setup.py"),
    ] {
        let got = codes_for(&root.join(file));
        assert!(
            got.iter()
                .any(|(c, s)| c == code && *s == Severity::Critical),
            "{file}: {got:?}"
        );
    }
}

/// Executing merely encoded (not encrypted) data inside a function keeps the runtime
/// severity.
#[test]
fn encoded_exec_in_a_function_is_not_critical() {
    let got =
        codes_for(&fixtures_root().join("PY001/below_critical/b64_exec_in_function.module.py"));
    assert!(got.iter().any(|(c, _)| c == "PY001"), "{got:?}");
    assert!(
        !got.iter().any(|(_, s)| *s == Severity::Critical),
        "{got:?}"
    );
}

/// Persistence writes without a download-and-run command keep their context severity.
#[test]
fn rc_write_without_download_is_not_critical() {
    let got = codes_for(&fixtures_root().join("PY009/below_critical/rc_path_export.module.py"));
    assert!(
        got.iter().any(|(c, _)| c == "PY009"),
        "still a persistence write: {got:?}"
    );
    assert!(
        !got.iter().any(|(_, s)| *s == Severity::Critical),
        "{got:?}"
    );
}

/// A hostile pickle shipped as test data inside a package is reported but does not make
/// the package malicious; the same bytes scanned as a model file do.
#[test]
fn model_files_inside_packages_do_not_fail_closed() {
    use assay_core::Verdict;
    let data = std::fs::read(fixtures_root().join("ML001/posix_system_proto2.pkl")).unwrap();
    let mut a = Artifact::new("pkg-1.0-py3-none-any.whl", ArtifactFormat::Wheel);
    let path = "pkg/tests/data/evil.pkl".to_owned();
    a.entries.push(Entry {
        file_kind: classify(&path, &data),
        path,
        kind: EntryKind::File,
        size: data.len() as u64,
        data,
        complete: true,
        sha256: None,
    });
    let r = assay_rules::analyze_artifact(&a);
    assert!(
        r.findings.iter().any(|f| f.rule.code() == "ML001"),
        "{:?}",
        r.findings
    );
    assert_ne!(r.verdict, Verdict::Malicious, "{:?}", r.findings);
}

/// The scan's releasing analysis drops the text of an analysed module that no rule reads
/// again (keeping its digest), and keeps a text a text-searching rule reads (PY014 names
/// `VirtualAlloc`), one that did not parse, and every non-Python file.
#[test]
fn releasing_analysis_keeps_only_texts_rules_read() {
    use sha2::Digest;
    let plain = b"import os\n\ndef f():\n    return os.getcwd()\n".to_vec();
    let mut a = Artifact::new("pkg.whl", ArtifactFormat::Wheel);
    for (path, data) in [
        ("pkg/plain.py", plain.clone()),
        (
            "pkg/jit.py",
            b"import ctypes\nk = ctypes.windll.kernel32\nk.VirtualAlloc\n".to_vec(),
        ),
        ("pkg/broken.py", b"def (:\n\x00\x01".to_vec()),
        ("pkg/data.json", b"{\"a\": 1}".to_vec()),
    ] {
        a.entries.push(common::entry(path, &data));
    }
    let before = assay_rules::analyze_artifact(&a);
    let after = assay_rules::analyze_artifact_releasing(&mut a, &Default::default());
    assert_eq!(
        format!("{:?}", before.findings),
        format!("{:?}", after.findings)
    );
    let e = |p: &str| a.entries.iter().find(|e| e.path == p).unwrap();
    assert!(e("pkg/plain.py").data.is_empty());
    assert!(e("pkg/plain.py").complete);
    assert_eq!(
        e("pkg/plain.py").sha256,
        Some(sha2::Sha256::digest(&plain).into())
    );
    for kept in ["pkg/jit.py", "pkg/broken.py", "pkg/data.json"] {
        assert!(!e(kept).data.is_empty(), "{kept} was released");
    }
}
