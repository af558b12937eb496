//! Installed environments: a fake site-packages built in a tempdir (no Python needed), and
//! `locate_environment` against the machine's `python3` when there is one.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{ArtifactFormat, EntryKind};
use assay_sources::{Limits, PythonEnv, locate_environment, read_environment};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

fn sha(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

#[test]
fn read_environment_hashes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("lib/python3.12/site-packages");
    let user = dir.path().join("user-site");
    let stdlib = dir.path().join("lib/python3.12");
    fs::create_dir_all(site.join("foo-1.0.dist-info")).unwrap();
    fs::create_dir_all(site.join("foo/__pycache__")).unwrap();
    fs::create_dir_all(&user).unwrap();
    let init = b"import os\n".repeat(10);
    let so: Vec<u8> = b"\x7fELF"
        .iter()
        .copied()
        .chain((0..300_000u32).map(|i| (i % 251) as u8))
        .collect();
    let pyc = vec![0x42u8; 9_000];
    fs::write(site.join("foo/__init__.py"), &init).unwrap();
    fs::write(site.join("foo/_speed.so"), &so).unwrap();
    fs::write(site.join("foo/__pycache__/__init__.cpython-312.pyc"), &pyc).unwrap();
    fs::write(
        site.join("foo-1.0.dist-info/RECORD"),
        "foo/__init__.py,sha256=x,100\n",
    )
    .unwrap();
    fs::write(site.join("evil.pth"), "import os; os.system('id')\n").unwrap();
    fs::write(user.join("usercustomize.py"), "print('u')\n").unwrap();
    fs::write(stdlib.join("sitecustomize.py"), "print('s')\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", site.join("link.txt")).unwrap();

    let env = PythonEnv {
        python: PathBuf::from("/fake/bin/python"),
        prefix: dir.path().to_path_buf(),
        site_packages: vec![site.clone(), user.clone()],
        stdlib: Some(stdlib),
        version: "3.12.0".into(),
    };
    let a = read_environment(&env, &Limits::default()).unwrap();
    assert_eq!(a.format, ArtifactFormat::Environment);
    assert_eq!(a.path, "/fake/bin/python");
    assert_eq!(a.env_prefix.as_deref(), Some(dir.path().to_str().unwrap()));
    assert!(a.findings.is_empty(), "{}", common::describe(&a));

    let e = a.entry("foo/__init__.py").unwrap();
    assert!(e.complete);
    assert_eq!(e.sha256, Some(sha(&init)));
    let e = a.entry("foo/_speed.so").unwrap();
    assert_eq!(e.data.len(), 4096, "binaries keep their head");
    assert_eq!(e.sha256, Some(sha(&so)), "but are hashed whole");
    let e = a.entry("foo/__pycache__/__init__.cpython-312.pyc").unwrap();
    assert_eq!(e.data.len(), 4096);
    assert_eq!(e.sha256, Some(sha(&pyc)));
    assert!(a.entry("foo-1.0.dist-info/RECORD").unwrap().complete);
    assert!(a.entry("evil.pth").unwrap().complete);
    let user_entry = format!("{}!/usercustomize.py", user.display());
    assert!(a.entry(&user_entry).is_some(), "{:?}", common::paths(&a));
    assert_eq!(
        a.entry("stdlib/sitecustomize.py").unwrap().sha256,
        Some(sha(b"print('s')\n"))
    );
    #[cfg(unix)]
    assert_eq!(
        a.entry("link.txt").unwrap().kind,
        EntryKind::Symlink("/etc/hostname".into())
    );
}

#[test]
fn read_environment_missing_site_dir_is_an_error() {
    let env = PythonEnv {
        python: "python".into(),
        prefix: "/nonexistent".into(),
        site_packages: vec!["/nonexistent/site-packages".into()],
        stdlib: None,
        version: String::new(),
    };
    let err = read_environment(&env, &Limits::default()).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/site-packages"),
        "{err}"
    );
}

fn python3() -> Option<PathBuf> {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("python3"))
}

#[test]
fn locate_environment_with_python3() {
    let Some(py) = python3() else {
        eprintln!("python3 not found; skipped");
        return;
    };
    let env = locate_environment(&py).unwrap();
    assert!(env.version.starts_with('3'), "{env:?}");
    assert!(env.prefix.is_dir(), "{env:?}");
    assert!(!env.site_packages.is_empty(), "{env:?}");
    assert!(env.site_packages.iter().all(|p| p.is_dir()));
}

#[test]
fn locate_environment_finds_a_venv_without_running_site() {
    let Some(py) = python3() else { return };
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("venv");
    let made = std::process::Command::new(&py)
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .output()
        .is_ok_and(|o| o.status.success());
    if !made {
        eprintln!("python3 -m venv unavailable; skipped");
        return;
    }
    let bin = if cfg!(windows) {
        venv.join("Scripts/python.exe")
    } else {
        venv.join("bin/python")
    };
    let env = locate_environment(&bin).unwrap();
    assert_eq!(env.prefix, venv);
    let first = env.site_packages.first().unwrap();
    assert!(first.starts_with(&venv), "{env:?}");
    // A .pth that would create a marker file if site ran: locating must not run it.
    let marker = dir.path().join("ran");
    fs::write(
        first.join("zz_marker.pth"),
        format!("import pathlib; pathlib.Path({:?}).touch()\n", marker),
    )
    .unwrap();
    let _ = locate_environment(&bin).unwrap();
    assert!(!marker.exists(), ".pth startup code ran");
    let a = read_environment(&env, &Limits::default()).unwrap();
    assert!(a.entry("zz_marker.pth").unwrap().complete);
}

#[test]
fn locate_environment_missing_python_is_an_error() {
    let err = locate_environment(Path::new("/nonexistent/bin/python3")).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/bin/python3"),
        "{err}"
    );
}
