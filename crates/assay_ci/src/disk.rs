//! Reading a repository's workflow and action files from disk, for inputs that the
//! package sources do not read whole (a repository that is not a Python project, a
//! `.github/` folder, a `workflows/` folder).
//!
//! Only what GitHub reads is taken: the files directly in `.github/workflows/`
//! (GitHub ignores subfolders there) and `action.yml`/`action.yaml` under `.github/`
//! (local actions) and at the root. Bounds: [`MAX_FILES`] files, [`MAX_DEPTH`] levels
//! under `.github/`, [`MAX_FILE_BYTES`] per file (a larger file is read as its first
//! bytes and reported by the audit as over the limit); symlinks are not followed.

use crate::SourceFile;
use std::path::{Path, PathBuf};

/// Most files taken from one repository.
pub const MAX_FILES: usize = 5_000;
/// Deepest folder level searched under `.github/` for `action.yml`.
pub const MAX_DEPTH: usize = 8;
/// Largest file read whole, in bytes (over the YAML limit, so the audit reports it).
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// The repository root and the path prefix of `dir` inside it: a `.github` folder is
/// inside its repository as `.github/`, a `workflows` folder under `.github` as
/// `.github/workflows/`, anything else is a repository root.
fn prefix_of(dir: &Path) -> &'static str {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match name(dir).as_deref() {
        Some(".github") => ".github/",
        Some("workflows") if dir.parent().and_then(name).as_deref() == Some(".github") => {
            ".github/workflows/"
        }
        _ => "",
    }
}

fn read_bounded(p: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = fs_err::File::open(p)?;
    let mut v = Vec::new();
    (&mut f).take(MAX_FILE_BYTES + 1).read_to_end(&mut v)?;
    Ok(v)
}

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// The workflow and action files of the repository at (or the `.github/` folder that is)
/// `dir`, with paths relative to the repository root; empty when there are none.
///
/// # Errors
/// An I/O error naming the path, when a folder or file that exists cannot be read.
pub fn find(dir: &Path) -> std::io::Result<Vec<SourceFile>> {
    let prefix = prefix_of(dir);
    let (workflows, github): (PathBuf, Option<PathBuf>) = match prefix {
        ".github/" => (dir.join("workflows"), Some(dir.to_path_buf())),
        ".github/workflows/" => (dir.to_path_buf(), None),
        _ => (dir.join(".github/workflows"), Some(dir.join(".github"))),
    };
    let mut out: Vec<SourceFile> = Vec::new();
    let rel = |p: &Path, base: &Path, pre: &str| -> String {
        let r = p
            .strip_prefix(base)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        format!("{pre}{r}")
    };
    if workflows.is_dir() {
        let mut names: Vec<PathBuf> = fs_err::read_dir(&workflows)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_yaml(p) && p.symlink_metadata().is_ok_and(|m| m.is_file()))
            .take(MAX_FILES)
            .collect();
        names.sort();
        for p in names {
            let path = rel(&p, &workflows, ".github/workflows/");
            out.push((path, read_bounded(&p)?));
        }
    }
    if let Some(g) = github.filter(|g| g.is_dir()) {
        let mut stack = vec![(g.clone(), 0usize)];
        let mut actions = Vec::new();
        while let Some((d, depth)) = stack.pop() {
            for e in fs_err::read_dir(&d)?.filter_map(Result::ok) {
                let p = e.path();
                let Ok(m) = p.symlink_metadata() else {
                    continue;
                };
                if m.is_dir() && depth < MAX_DEPTH && p != workflows {
                    stack.push((p, depth + 1));
                } else if m.is_file()
                    && p.file_name()
                        .is_some_and(|n| n == "action.yml" || n == "action.yaml")
                    && actions.len() + out.len() < MAX_FILES
                {
                    actions.push(p);
                }
            }
        }
        actions.sort();
        for p in actions {
            out.push((rel(&p, &g, ".github/"), read_bounded(&p)?));
        }
    }
    if prefix.is_empty() {
        for n in ["action.yml", "action.yaml"] {
            let p = dir.join(n);
            if p.symlink_metadata().is_ok_and(|m| m.is_file()) {
                out.push((n.to_owned(), read_bounded(&p)?));
            }
        }
    }
    Ok(out)
}

/// The files of [`find`] as an artifact of format `Directory` named `display`, for the
/// scan pipeline (each entry complete unless over [`MAX_FILE_BYTES`]).
///
/// # Errors
/// As [`find`].
pub fn artifact(dir: &Path, display: &str) -> std::io::Result<Option<assay_core::Artifact>> {
    let files = find(dir)?;
    if files.is_empty() {
        return Ok(None);
    }
    let mut art = assay_core::Artifact::new(display, assay_core::ArtifactFormat::Directory);
    art.entries = files
        .into_iter()
        .map(|(path, data)| assay_core::Entry::file(path, data, MAX_FILE_BYTES))
        .collect();
    Ok(Some(art))
}
