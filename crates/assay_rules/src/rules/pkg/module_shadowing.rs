//! PKG003 module-shadows-stdlib.

use crate::context::Cx;
use assay_core::{ArtifactFormat, Finding, Location};

declare_rule! {
    /// ## What it does
    /// Flags distributions that install a top-level module or package named like a
    /// standard-library module that code imports everywhere (`os`, `subprocess`, `socket`,
    /// `json`, `ssl`, `base64`, `typing`, …).
    ///
    /// ## Why it matters
    /// A top-level `socket.py` in site-packages can be imported instead of, or patch, the
    /// real module for every program of the environment — a quiet way to intercept traffic
    /// or run code on import.
    ///
    /// ## Example
    /// A wheel containing `subprocess.py` at its root.
    ///
    /// ## False positives
    /// Backports named after stdlib modules (`typing`, `enum34`'s `enum`, `dataclasses`,
    /// `futures`' `concurrent`) are exempt by project name.
    ///
    /// ## References
    /// - MITRE ATT&CK T1574 (Hijack Execution Flow), T1036.005 (Match Legitimate Name)
    pub static META = ModuleShadowsStdlib;
}

const STDLIB: &[&str] = &[
    "os",
    "sys",
    "subprocess",
    "socket",
    "ssl",
    "json",
    "base64",
    "hashlib",
    "http",
    "urllib",
    "shutil",
    "pathlib",
    "tempfile",
    "logging",
    "random",
    "re",
    "io",
    "site",
    "sitecustomize",
    "usercustomize",
    "builtins",
    "importlib",
    "zipfile",
    "tarfile",
    "pickle",
    "marshal",
    "ctypes",
    "threading",
    "platform",
    "getpass",
    "uuid",
    "time",
    "datetime",
    "collections",
    "functools",
    "inspect",
    "codecs",
];
/// Projects that legitimately ship stdlib-named modules (backports).
const BACKPORTS: &[&str] = &[
    "typing",
    "enum34",
    "dataclasses",
    "futures",
    "pathlib",
    "pathlib2",
    "importlib",
    "contextlib2",
    "ssl",
    "uuid",
    "argparse",
    "statistics",
];

/// Check top-level modules of wheels and eggs.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    if !matches!(
        cx.artifact.format,
        ArtifactFormat::Wheel | ArtifactFormat::Egg
    ) {
        return;
    }
    let project = cx
        .name()
        .map(|n| crate::typosquat::canonical(crate::typosquat::Ecosystem::PyPI, n))
        .unwrap_or_default();
    if BACKPORTS.contains(&project.as_str()) {
        return;
    }
    let mut seen = std::collections::BTreeSet::new();
    for e in &cx.artifact.entries {
        let top = match e.path.split_once('/') {
            Some((dir, "__init__.py")) => dir.to_owned(),
            None => match e.path.strip_suffix(".py") {
                Some(m) => m.to_owned(),
                None => continue,
            },
            _ => continue,
        };
        if STDLIB.contains(&top.as_str()) && seen.insert(top.clone()) {
            out.push(cx.finding(
                &META,
                Location::file(e.path.clone()),
                format!("top-level `{top}` shadows the standard library"),
            ));
        }
    }
}
