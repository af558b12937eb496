//! PKG015 known-malicious-dependency: must-match and must-not-match cases with an
//! installed advisory lookup (process-wide, so these cases live in their own test
//! binary). The lookup stands in for the index: `pystob`, `secrevtwo` and
//! `stillrequestsa` malicious in every version (as their `MAL-` records say), `litellm`
//! only at 1.82.7 and 1.82.8. The packages are harmless reproductions of the dev split's
//! dependency-only droppers (their shapes, not their code).
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{Artifact, ArtifactFormat, Severity, Verdict};
use common::entry;

fn install() {
    let _ = assay_rules::known_packages::install(Box::new(|name, pinned| {
        let name = name.to_ascii_lowercase().replace(['_', '.'], "-");
        match (name.as_str(), pinned) {
            ("pystob", _) => Some("MAL-0000-0200 (FAKE: malicious code in pystob)".into()),
            ("secrevtwo", _) => Some("MAL-0000-0201 (FAKE)".into()),
            ("stillrequestsa", _) => Some("MAL-0000-0202 (FAKE)".into()),
            ("litellm", Some("1.82.7" | "1.82.8")) => Some("MAL-0000-0203 (FAKE)".into()),
            _ => None,
        }
    }));
}

fn artifact(path: &str, format: ArtifactFormat, files: &[(&str, &[u8])]) -> Artifact {
    let mut a = Artifact::new(path, format);
    for (p, d) in files {
        a.entries.push(entry(p, d));
    }
    a
}

fn pkg015(a: &Artifact) -> (Verdict, Vec<(Severity, String, String)>) {
    let r = assay_rules::analyze_artifact(a);
    let f = r
        .findings
        .iter()
        .filter(|f| f.rule.code() == "PKG015")
        .map(|f| (f.severity, f.location.path.clone(), f.evidence.clone()))
        .collect();
    (r.verdict, f)
}

#[test]
fn declared_malicious_dependencies_match() {
    install();
    // A wheel whose only act is to depend on a malicious package (tryquests' shape).
    let a = artifact(
        "tryquests-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            ("tryquests/__init__.py", b"from requests import *\n"),
            (
                "tryquests-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: tryquests\nVersion: 1.0\nRequires-Dist: requests\nRequires-Dist: stillrequestsa (>=0.1)\n",
            ),
        ],
    );
    let (v, f) = pkg015(&a);
    assert_eq!(v, Verdict::Malicious, "{f:?}");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Severity::Critical);
    assert!(
        f[0].2.contains("`stillrequestsa`") && f[0].2.contains("MAL-0000-0202"),
        "{f:?}"
    );

    // An sdist naming it in setup.py's install_requires and a pinned bad version in
    // pyproject.toml.
    let a = artifact(
        "secbg-0.1.tar.gz",
        ArtifactFormat::Sdist,
        &[
            (
                "secbg-0.1/setup.py",
                b"from setuptools import setup\nsetup(name='secbg', version='0.1',\n      install_requires=['requests', \"secrevtwo\"])\n",
            ),
            (
                "secbg-0.1/pyproject.toml",
                b"[project]\nname = \"secbg\"\ndependencies = [\n  \"litellm==1.82.8\",\n]\n",
            ),
        ],
    );
    let (v, f) = pkg015(&a);
    assert_eq!(v, Verdict::Malicious);
    let named: Vec<&str> = f.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(
        named,
        ["secbg-0.1/pyproject.toml", "secbg-0.1/setup.py"],
        "{f:?}"
    );
}

#[test]
fn pip_install_at_import_time_matches() {
    install();
    // kokokoako's shape: an __init__ that pip-installs the payload package on import,
    // once as a shell string and once as an argument list.
    let a = artifact(
        "kokokoako-0.1.tar.gz",
        ArtifactFormat::Sdist,
        &[
            (
                "kokokoako-0.1/kokokoako/__init__.py",
                b"import os, subprocess, sys\nos.system('pip install -q pystob > /dev/null 2>&1')\nsubprocess.call([sys.executable, '-m', 'pip', 'install', 'secrevtwo'])\n",
            ),
            (
                "kokokoako-0.1/PKG-INFO",
                b"Metadata-Version: 2.1\nName: kokokoako\nVersion: 0.1\n",
            ),
        ],
    );
    let (v, f) = pkg015(&a);
    assert_eq!(v, Verdict::Malicious, "{f:?}");
    let text: Vec<&str> = f.iter().map(|x| x.2.as_str()).collect();
    assert!(text.iter().any(|t| t.contains("`pystob`")), "{f:?}");
    assert!(text.iter().any(|t| t.contains("`secrevtwo`")), "{f:?}");
}

#[test]
fn benign_dependencies_do_not_match() {
    install();
    // A dependency on a project with only some malicious releases, not pinned to one.
    let a = artifact(
        "app-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[
            ("app/__init__.py", b"import litellm\n"),
            (
                "app-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: app\nVersion: 1.0\nRequires-Dist: litellm>=1.80\nRequires-Dist: litellm==1.82.6\nRequires-Dist: pystob-utils; extra == 'pystob'\n",
            ),
        ],
    );
    let (v, f) = pkg015(&a);
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(v, Verdict::Clean);
    // `pip install` of a malicious name only in code the user calls (a helper that tells
    // the user what to run), and in prose: nothing.
    let a = artifact(
        "doc-1.0.tar.gz",
        ArtifactFormat::Sdist,
        &[(
            "doc-1.0/doc/cli.py",
            b"def hint():\n    return 'pip install pystob'\n",
        )],
    );
    assert!(pkg015(&a).1.is_empty());
    // A wheel the package carries (vendored): its metadata is not the package's.
    let a = artifact(
        "seed-1.0-py3-none-any.whl",
        ArtifactFormat::Wheel,
        &[(
            "seed/wheels/old.whl!/old-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: old\nVersion: 1.0\nRequires-Dist: pystob\n",
        )],
    );
    assert!(pkg015(&a).1.is_empty());
}
