//! Directories, loose files and `discover`, on trees built in a tempdir.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{ArtifactFormat, EntryKind, Severity};
use assay_sources::{Input, Limits, SourceError, discover, read_input};
use common::*;
use std::fs;

#[test]
fn directory_reads_every_file_and_reports_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("pkg/sub")).unwrap();
    fs::write(root.join("setup.py"), "from setuptools import setup\n").unwrap();
    fs::write(root.join("pkg/__init__.py"), "import os\n").unwrap();
    fs::write(root.join("pkg/sub/blob.bin"), vec![0u8; 10_000]).unwrap();
    fs::write(
        root.join("pkg/vendored.whl"),
        zip_of(&[("v/__init__.py", b"x = 1\n")]),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", root.join("pkg/passwd")).unwrap();

    let a = read_input(
        &Input::Directory(root.to_path_buf()),
        "tree",
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(a.format, ArtifactFormat::Directory);
    assert_eq!(a.path, "tree");
    let p = paths(&a);
    assert!(
        p.contains(&"setup.py")
            && p.contains(&"pkg/__init__.py")
            && p.contains(&"pkg/sub/blob.bin"),
        "{p:?}"
    );
    assert!(a.entry("pkg/__init__.py").unwrap().complete);
    assert_eq!(a.entry("pkg/sub/blob.bin").unwrap().data.len(), 4096);
    assert!(
        a.entry("pkg/vendored.whl!/v/__init__.py").unwrap().complete,
        "archives in trees are opened"
    );
    #[cfg(unix)]
    {
        assert_eq!(
            a.entry("pkg/passwd").unwrap().kind,
            EntryKind::Symlink("/etc/passwd".into())
        );
        let f = a
            .findings
            .iter()
            .find(|f| f.rule.code() == "ARC003")
            .unwrap();
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.location.path, "pkg/passwd");
    }
    assert!(a.entries.iter().all(|e| e.sha256.is_none()));
}

#[test]
fn directory_entry_bound() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..20 {
        fs::write(dir.path().join(format!("m{i:02}.py")), "x").unwrap();
    }
    let limits = Limits {
        max_entries: 5,
        ..Limits::default()
    };
    let a = read_input(&Input::Directory(dir.path().to_path_buf()), "d", &limits).unwrap();
    assert_eq!(a.entries.len(), 5);
    assert_eq!(codes(&a), ["ARC006"]);
}

#[test]
fn single_file_input() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.pth");
    fs::write(&p, "import os;os.system('id')\n").unwrap();
    let a = read_input(&Input::File(p), "x/evil.pth", &Limits::default()).unwrap();
    assert_eq!(a.format, ArtifactFormat::File);
    assert_eq!(paths(&a), ["evil.pth"]);
    assert!(a.entries[0].complete);
}

#[test]
fn missing_paths_are_errors_naming_the_path() {
    let err = read_input(
        &Input::Archive("/nonexistent/x.whl".into()),
        "x.whl",
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, SourceError::Io(_)));
    assert!(err.to_string().contains("/nonexistent/x.whl"), "{err}");
    let err = discover(std::path::Path::new("/nonexistent/dir")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/dir"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let err = read_input(
        &Input::Directory(dir.path().join("nope")),
        "nope",
        &Limits::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn discover_files_packages_and_download_trees() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();

    // A single file: by magic bytes, not by name.
    let zip_named_tgz = root.join("x-1.0.tar.gz");
    fs::write(&zip_named_tgz, zip_of(&[("a.py", b"")])).unwrap();
    assert_eq!(
        discover(&zip_named_tgz).unwrap(),
        [Input::Archive(zip_named_tgz.clone())]
    );
    let script = root.join("tool");
    fs::write(&script, "#!/usr/bin/env python\n").unwrap();
    assert_eq!(discover(&script).unwrap(), [Input::File(script.clone())]);

    // A package directory.
    let pkg = root.join("pkg");
    fs::create_dir(&pkg).unwrap();
    fs::write(pkg.join("pyproject.toml"), "[project]\n").unwrap();
    assert_eq!(discover(&pkg).unwrap(), [Input::Directory(pkg.clone())]);

    // A tree of downloads: archives by content, loose .py/.pth, md/tsv skipped.
    let dl = root.join("downloads");
    fs::create_dir_all(dl.join("a/1.0")).unwrap();
    fs::create_dir_all(dl.join("b/2.0")).unwrap();
    fs::write(
        dl.join("a/1.0/a-1.0.tar.gz"),
        tar_gz_of(&[("a-1.0/setup.py", b"")]),
    )
    .unwrap();
    fs::write(dl.join("b/2.0/b.whl"), zip_of(&[("b.py", b"")])).unwrap();
    fs::write(dl.join("b/2.0/odd.bin"), tar_of(&[("x", b"")])).unwrap();
    fs::write(dl.join("b/2.0/hook.pth"), "import os\n").unwrap();
    fs::write(dl.join("README.md"), "# corpus\n").unwrap();
    fs::write(dl.join("index.tsv"), "a\tb\n").unwrap();
    fs::write(dl.join("notes.txt"), "hello\n").unwrap();
    let found = discover(&dl).unwrap();
    assert_eq!(
        found,
        [
            Input::Archive(dl.join("a/1.0/a-1.0.tar.gz")),
            Input::Archive(dl.join("b/2.0/b.whl")),
            Input::File(dl.join("b/2.0/hook.pth")),
            Input::Archive(dl.join("b/2.0/odd.bin")),
        ]
    );
}

/// A Hugging Face-style model directory (or a SavedModel) is one input with all its files,
/// never "0 artifacts"; loose chat templates in a walked tree are files. Control: a folder
/// with only a `config.json` is walked as before.
#[test]
fn model_directories_are_one_input() {
    let dir = tempfile::tempdir().unwrap();
    let hf = dir.path().join("model");
    fs::create_dir(&hf).unwrap();
    fs::write(hf.join("config.json"), "{}").unwrap();
    fs::write(
        hf.join("tokenizer_config.json"),
        r#"{"chat_template": "{{ x }}"}"#,
    )
    .unwrap();
    assert_eq!(discover(&hf).unwrap(), [Input::Directory(hf.clone())]);
    let sm = dir.path().join("saved");
    fs::create_dir(&sm).unwrap();
    fs::write(sm.join("saved_model.pb"), b"\x08\x01").unwrap();
    assert_eq!(discover(&sm).unwrap(), [Input::Directory(sm.clone())]);
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(templates.join("a.jinja"), "{{ messages }}").unwrap();
    fs::write(templates.join("notes.txt"), "hello").unwrap();
    assert_eq!(
        discover(&templates).unwrap(),
        [Input::File(templates.join("a.jinja"))]
    );
    let only_config = dir.path().join("cfg");
    fs::create_dir(&only_config).unwrap();
    fs::write(only_config.join("config.json"), "{}").unwrap();
    assert_eq!(discover(&only_config).unwrap(), []);
}

/// A zip with a script prepended (a polyglot) inside a scanned tree is opened like the
/// top-level file is: in a package tree as a nested zip, in a walked download tree as an
/// archive input. Control: a plain binary whose tail happens to lack an end record stays a
/// plain file.
#[test]
fn prepended_zip_inside_a_directory_is_opened() {
    let mut polyglot = b"#!/bin/sh\necho assay-canary\n".to_vec();
    polyglot.extend(zip_of(&[("archive/data.pkl", b"\x80\x02}q\x00.")]));
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    fs::create_dir_all(&pkg).unwrap();
    fs::write(pkg.join("setup.py"), "from setuptools import setup\n").unwrap();
    fs::write(pkg.join("model.pt"), &polyglot).unwrap();
    fs::write(pkg.join("blob.bin"), vec![7u8; 10_000]).unwrap();
    let a = read_input(&Input::Directory(pkg.clone()), "pkg", &Limits::default()).unwrap();
    let e = a.entry("model.pt!/archive/data.pkl").unwrap();
    assert!(e.complete, "{}", describe(&a));
    assert!(a.entry("model.pt").is_some(), "{}", describe(&a));
    assert!(
        a.findings
            .iter()
            .any(|f| f.rule.code() == "ARC011" && f.location.path.contains("model.pt")),
        "{}",
        describe(&a)
    );
    assert!(
        !paths(&a).iter().any(|p| p.starts_with("blob.bin!/")),
        "{}",
        describe(&a)
    );

    // A walked directory (no package marker): the polyglot is an archive input.
    let downloads = dir.path().join("downloads");
    fs::create_dir_all(&downloads).unwrap();
    fs::write(downloads.join("model.pt"), &polyglot).unwrap();
    fs::write(downloads.join("blob.bin"), vec![7u8; 10_000]).unwrap();
    let inputs = discover(&downloads).unwrap();
    assert_eq!(inputs, vec![Input::Archive(downloads.join("model.pt"))]);
    let a = read_input(&inputs[0], "model.pt", &Limits::default()).unwrap();
    assert!(a.entry("archive/data.pkl").is_some(), "{}", describe(&a));
}
