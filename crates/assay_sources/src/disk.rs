//! Files and directory trees on disk: an unpacked package or source tree, a single loose file,
//! and (through [`read_tree`]) the site-packages directories of an environment.
//!
//! Nothing is followed or executed: symlinks are recorded as links, devices and FIFOs are
//! recorded without being opened (opening a FIFO would block), and files are read under the
//! same content policy as archive members. Unreadable files or subdirectories inside a tree
//! are findings (the rest is still read); an unreadable root is a [`SourceError`].

use crate::error::SourceError;
use crate::limits::{Budget, Limits, Metered};
use crate::names::{self, RawName};
use crate::rules::{self, finding};
use crate::sink::{Admitted, Scope, Sink};
use assay_core::{Artifact, ArtifactFormat};
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::path::Path;
use walkdir::WalkDir;

/// Bound on filesystem entries visited in one tree (files, directories, links).
pub(crate) const WALK_MAX: usize = 1_000_000;

/// How a tree is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TreeMode {
    /// Raise `ARC003` for symlinks (package trees); environments only record them.
    pub(crate) report_links: bool,
    /// Compute sha256 of every regular file (environments, to verify RECORD).
    pub(crate) hash: bool,
    /// Leave out every `node_modules` folder: discovery reports each npm package in one
    /// as an artifact of its own ([`crate::discover`]), so a Node project or package is
    /// read without the packages installed under it (each within its own bounds).
    pub(crate) skip_node_modules: bool,
}

/// Read a directory (an unpacked package or source tree) as one artifact, without its
/// `node_modules` folders (their packages are artifacts of their own; see
/// [`crate::discover`]).
pub(crate) fn read_directory(
    root: &Path,
    display: &str,
    limits: &Limits,
) -> Result<Artifact, SourceError> {
    if !fs_err::metadata(root)?.is_dir() {
        return Err(SourceError::WrongKind {
            path: root.to_path_buf(),
            expected: "a directory",
        });
    }
    let budget = Budget::new(limits.max_total_bytes);
    let mut sink = Sink::new(limits, &budget);
    read_tree(
        &mut sink,
        root,
        &Scope::root(display),
        TreeMode {
            report_links: true,
            hash: false,
            skip_node_modules: true,
        },
    )?;
    let mut artifact = Artifact::new(display, ArtifactFormat::Directory);
    artifact.entries = sink.entries;
    artifact.findings = sink.findings;
    Ok(artifact)
}

/// Read one loose file (a `.py`, a `.pth`, a model file…) as a one-entry artifact. A file that
/// is itself an archive is opened like a nested archive (its members are `name!/member`).
/// Whether the last 64 KiB + 22 bytes of the file hold a zip end-of-central-directory
/// signature (the zip may have data prepended; APPNOTE 4.3.16).
pub(crate) fn has_zip_tail(path: &Path) -> Result<bool, SourceError> {
    let mut f = fs_err::File::open(path)?;
    Ok(zip_tail_in(&mut f)?)
}

/// Whether the last 65,557 bytes of `f` (the largest end record plus comment) hold a zip
/// end-record signature. Leaves the position at the end of what it read.
fn zip_tail_in(f: &mut fs_err::File) -> io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let len = f.metadata()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(65_557)))?;
    let mut tail = Vec::new();
    f.by_ref().take(65_557).read_to_end(&mut tail)?;
    Ok(memchr::memmem::rfind(&tail, b"PK\x05\x06").is_some())
}

pub(crate) fn read_single_file(
    path: &Path,
    display: &str,
    limits: &Limits,
) -> Result<Artifact, SourceError> {
    let meta = fs_err::metadata(path)?;
    if !meta.is_file() {
        return Err(SourceError::WrongKind {
            path: path.to_path_buf(),
            expected: "a regular file",
        });
    }
    // Open before building the artifact so that a missing file is an error, not a finding.
    let file = fs_err::File::open(path)?;
    let budget = Budget::new(limits.max_total_bytes);
    let mut sink = Sink::new(limits, &budget);
    let scope = Scope::root(display);
    let name = names::file_name(display);
    if let Some(adm) = sink.admit(&scope, &RawName::from_bytes(name.as_bytes())) {
        read_open_file(&mut sink, &scope, adm, file, meta.len(), false);
    }
    let mut artifact = Artifact::new(display, ArtifactFormat::File);
    artifact.entries = sink.entries;
    artifact.findings = sink.findings;
    Ok(artifact)
}

/// Read every entry under `root` into `sink`, in sorted order, without following symlinks.
pub(crate) fn read_tree(
    sink: &mut Sink<'_>,
    root: &Path,
    scope: &Scope,
    mode: TreeMode,
) -> Result<(), SourceError> {
    // Fail early, with the path, if the root itself cannot be listed.
    drop(fs_err::read_dir(root)?);
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            !(mode.skip_node_modules && e.file_type().is_dir() && e.file_name() == "node_modules")
        });
    for (visited, item) in walker.enumerate() {
        if sink.stopped() {
            break;
        }
        if visited >= WALK_MAX {
            let evidence = format!(
                "more than {WALK_MAX} filesystem entries; stopped reading, later files were not inspected"
            );
            sink.stop(&scope.loc, evidence);
            break;
        }
        let de = match item {
            Ok(de) => de,
            Err(e) => {
                let at = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(relative_name);
                let loc = scope.loc_of(&at.map(|n| n.stored).unwrap_or_default());
                sink.report(finding(
                    &rules::UNREADABLE_ARCHIVE,
                    &loc,
                    format!("cannot read directory entry: {e}"),
                ));
                continue;
            }
        };
        let ft = de.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = de.path().strip_prefix(root).unwrap_or(de.path());
        let Some(adm) = sink.admit(scope, &relative_name(rel)) else {
            continue;
        };
        if ft.is_symlink() {
            let target = match fs_err::read_link(de.path()) {
                Ok(t) => t.to_string_lossy().into_owned(),
                Err(e) => {
                    sink.report(finding(
                        &rules::UNREADABLE_ARCHIVE,
                        &adm.loc,
                        format!("cannot read symlink: {e}"),
                    ));
                    String::new()
                }
            };
            sink.add_link(scope, adm, target, false, mode.report_links);
            continue;
        }
        if !ft.is_file() {
            sink.add_special(adm);
            continue;
        }
        read_path(sink, scope, adm, de.path(), mode.hash);
    }
    Ok(())
}

/// Open and read one regular file of a tree; a file that cannot be opened is a finding.
pub(crate) fn read_path(
    sink: &mut Sink<'_>,
    scope: &Scope,
    adm: Admitted,
    path: &Path,
    hash: bool,
) {
    match fs_err::File::open(path) {
        Ok(mut file) => {
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            let prefixed = if hash {
                Ok(false)
            } else {
                is_prefixed_zip(&mut file)
            };
            let prefixed = match prefixed {
                Ok(p) => p,
                Err(e) => {
                    sink.report(finding(
                        &rules::UNREADABLE_ARCHIVE,
                        &adm.loc,
                        format!("cannot read file: {e}"),
                    ));
                    return;
                }
            };
            if prefixed {
                let Some(adm) = read_prefixed_zip(sink, scope, adm, file, len) else {
                    return;
                };
                // Not opened (too large or too deep; the finding is recorded): read it as
                // a plain file from the start.
                match fs_err::File::open(path) {
                    Ok(file) => read_open_file(sink, scope, adm, file, len, hash),
                    Err(e) => sink.report(finding(
                        &rules::UNREADABLE_ARCHIVE,
                        &adm.loc,
                        format!("cannot read file: {e}"),
                    )),
                }
                return;
            }
            read_open_file(sink, scope, adm, file, len, hash);
        }
        Err(e) => sink.report(finding(
            &rules::UNREADABLE_ARCHIVE,
            &adm.loc,
            format!("cannot read file: {e}"),
        )),
    }
}

/// A file that does not start like an archive but whose tail holds a zip end record: a zip
/// with data prepended (a script, a polyglot). Python's zipfile opens it, and at the top
/// level [`crate::read_input`] reads it as a zip; inside a tree it must be opened too, or
/// its members would hide behind the prefix.
///
/// Reads the open `file`'s head and tail and rewinds it to the start, so the caller reads
/// the same handle (no second and third open per file of a walked tree).
///
/// Errors: the file cannot be read or rewound.
fn is_prefixed_zip(file: &mut fs_err::File) -> io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut head = Vec::with_capacity(crate::sniff::TAR_BLOCK);
    crate::limits::read_up_to(file, &mut head, crate::sniff::TAR_BLOCK)?;
    let prefixed = crate::sniff::sniff(&head).is_none() && zip_tail_in(file)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(prefixed)
}

/// Read a prefixed zip found in a tree: its entry under the usual content policy, then its
/// members as a nested archive (`file!/member`), with the same bounds as any nested
/// archive. Returns the member back when it was not opened (the finding is recorded).
fn read_prefixed_zip(
    sink: &mut Sink<'_>,
    scope: &Scope,
    adm: Admitted,
    file: fs_err::File,
    len: u64,
) -> Option<Admitted> {
    if !sink.may_open_nested(scope, &adm, crate::sniff::Container::Zip, len) {
        return Some(adm);
    }
    let loc = adm.loc.clone();
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    let bound = crate::limits::MAX_NESTED_BYTES;
    let mut metered = Metered::new(file.take(bound.saturating_add(1)), sink.budget);
    if let Err(e) = metered.read_to_end(&mut bytes) {
        if sink.budget.exhausted() {
            sink.budget_stop(&scope.loc);
        } else {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &loc,
                format!("cannot read file: {e}"),
            ));
        }
        return None;
    }
    if bytes.len() as u64 > bound {
        // The file grew past the bound between stat and read.
        return Some(adm);
    }
    sink.add_prefixed_zip(scope, adm, &bytes);
    None
}

/// The `/`-separated name of a path relative to a tree root.
fn relative_name(rel: &Path) -> RawName {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut bytes = Vec::with_capacity(rel.as_os_str().len());
        for (i, c) in rel.components().enumerate() {
            if i > 0 {
                bytes.push(b'/');
            }
            bytes.extend_from_slice(c.as_os_str().as_bytes());
        }
        RawName::from_bytes(&bytes)
    }
    #[cfg(not(unix))]
    {
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let lossy = rel.to_str().is_none();
        let mut name = RawName::from_bytes(parts.join("/").as_bytes());
        if lossy {
            name.oddity = Some("is not valid Unicode (decoded lossily)");
        }
        name
    }
}

/// Feeds every byte read through it to a sha256.
struct HashTee<R> {
    inner: R,
    hasher: Option<Sha256>,
}

impl<R: Read> Read for HashTee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(buf.get(..n).unwrap_or_default());
        }
        Ok(n)
    }
}

/// Read an open file under the content policy; with `hash`, stream the rest of it through
/// sha256 too (those bytes are hashed, not kept, and not charged to the byte budget: the
/// budget bounds what is held and decompressed, and a file on the user's own disk is not a
/// decompression bomb).
fn read_open_file(
    sink: &mut Sink<'_>,
    scope: &Scope,
    adm: Admitted,
    file: fs_err::File,
    len: u64,
    hash: bool,
) {
    let loc = adm.loc.clone();
    let mut tee = HashTee {
        inner: file,
        hasher: hash.then(Sha256::new),
    };
    let out = {
        let mut metered = Metered::new(&mut tee, sink.budget);
        sink.add_member(scope, adm, len, false, &mut metered)
    };
    if let Some(e) = out.error {
        if sink.budget.exhausted() {
            sink.budget_stop(&scope.loc);
        } else {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &loc,
                format!("cannot read file: {e}"),
            ));
        }
        return;
    }
    if !hash {
        return;
    }
    if !out.ended {
        let mut chunk = vec![0u8; 256 * 1024];
        // Bounded by the file's length (plus growth while reading, which ends at EOF).
        loop {
            match tee.read(&mut chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    sink.report(finding(
                        &rules::UNREADABLE_ARCHIVE,
                        &loc,
                        format!("cannot read file to hash it: {e}"),
                    ));
                    return;
                }
            }
        }
    }
    if let (Some(h), Some(i)) = (tee.hasher.take(), out.index)
        && let Some(entry) = sink.entries.get_mut(i)
    {
        entry.sha256 = Some(h.finalize().into());
    }
}
