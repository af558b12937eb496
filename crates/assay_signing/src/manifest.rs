//! The OMS v1.0 model manifest: which files belong to a model and their sha256 digests.
//!
//! Follows the reference implementation (`model_signing` 1.x, `_serialization/file.py` and
//! `file_shard.py`): resources are the regular files under the model root, named by their
//! `/`-separated path relative to the root (`.` when the model is a single file), sorted
//! by name; a path is ignored when it equals or lies under an ignore path. Symlinks are
//! refused unless allowed. The `shards` method splits every file into `shard_size`-byte
//! pieces named `path:start:end`. Hashing streams each file (or shard) with a fixed buffer
//! and runs in parallel across files and shards (rayon).

use crate::Error;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Paths the reference tool ignores by default (`--ignore-git-paths`).
pub const GIT_IGNORES: [&str; 4] = [".gitignore", ".gitattributes", ".git", ".github"];

/// Upper bound on the number of files in one model (hostile trees).
pub const MAX_FILES: usize = 1_000_000;

/// Read buffer for streaming hashes (bytes).
const BUF: usize = 1 << 20;

/// How a model is serialized into resources (`predicate.serialization`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// One resource per file.
    Files,
    /// One resource per `shard_size`-byte piece of each file.
    Shards {
        /// Shard length in bytes (> 0).
        shard_size: u64,
    },
}

/// Options shared by signing and verification.
#[derive(Debug, Clone)]
pub struct Options {
    /// Paths relative to the model root (`/`-separated) left out of the manifest.
    pub ignore_paths: Vec<String>,
    /// Follow symlinks instead of refusing them.
    pub allow_symlinks: bool,
    /// Serialization method.
    pub method: Method,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ignore_paths: GIT_IGNORES.iter().map(|s| (*s).to_owned()).collect(),
            allow_symlinks: false,
            method: Method::Files,
        }
    }
}

/// One manifest entry: a file or shard and its sha256 digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `path` (files) or `path:start:end` (shards), relative, `/`-separated.
    pub name: String,
    /// Raw sha256 digest.
    pub digest: [u8; 32],
}

/// A file of the model found on disk.
#[derive(Debug, Clone)]
struct FileItem {
    rel: String,
    abs: PathBuf,
    len: u64,
}

/// True when `rel` equals an ignore path or lies under one (`pathlib.is_relative_to`).
pub fn is_ignored(rel: &str, ignore_paths: &[String]) -> bool {
    ignore_paths.iter().any(|p| {
        let p = p.trim_end_matches('/');
        !p.is_empty()
            && (rel == p
                || (rel.len() > p.len()
                    && rel.starts_with(p)
                    && rel.as_bytes().get(p.len()) == Some(&b'/')))
    })
}

/// The model's files, sorted by relative name, ignore rules applied.
fn collect(root: &Path, opts: &Options) -> Result<Vec<FileItem>, Error> {
    let meta = fs_err::symlink_metadata(root).map_err(Error::Io)?;
    if meta.file_type().is_symlink() && !opts.allow_symlinks {
        return Err(Error::Symlink(root.display().to_string()));
    }
    if fs_err::metadata(root).map_err(Error::Io)?.is_file() {
        let len = fs_err::metadata(root).map_err(Error::Io)?.len();
        return Ok(vec![FileItem {
            rel: ".".to_owned(),
            abs: root.to_path_buf(),
            len,
        }]);
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(opts.allow_symlinks)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = rel_name(root, e.path());
            rel.is_empty() || !is_ignored(&rel, &opts.ignore_paths)
        });
    for e in walker {
        let e = e.map_err(|e| Error::Walk(e.to_string()))?;
        if e.path_is_symlink() && !opts.allow_symlinks {
            return Err(Error::Symlink(e.path().display().to_string()));
        }
        let ft = e.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = rel_name(root, e.path());
        if !ft.is_file() && !e.path().is_file() {
            return Err(Error::NotRegular(rel));
        }
        if out.len() >= MAX_FILES {
            return Err(Error::TooManyFiles(MAX_FILES));
        }
        let len = e.metadata().map_err(|e| Error::Walk(e.to_string()))?.len();
        out.push(FileItem {
            rel,
            abs: e.path().to_path_buf(),
            len,
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn rel_name(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Hash `len` bytes of `path` from `start`, streaming.
fn hash_range(path: &Path, start: u64, len: u64) -> Result<[u8; 32], Error> {
    let mut f = fs_err::File::open(path).map_err(Error::Io)?;
    if start > 0 {
        f.seek(SeekFrom::Start(start)).map_err(Error::Io)?;
    }
    let mut h = Sha256::new();
    let mut buf = vec![0u8; BUF];
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left.min(BUF as u64)).unwrap_or(BUF);
        let n = f
            .read(buf.get_mut(..want).unwrap_or_default())
            .map_err(Error::Io)?;
        if n == 0 {
            return Err(Error::Changed(path.display().to_string()));
        }
        h.update(buf.get(..n).unwrap_or_default());
        left -= n as u64;
    }
    Ok(h.finalize().into())
}

/// Hash the model at `root` into its manifest resources, sorted as the reference does.
///
/// # Errors
/// I/O errors (naming the path), symlinks when not allowed, special files, more than
/// [`MAX_FILES`] files, a file that shrank while being read.
pub fn hash_model(root: &Path, opts: &Options) -> Result<Vec<Resource>, Error> {
    let files = collect(root, opts)?;
    let jobs: Vec<(String, &Path, u64, u64)> = match opts.method {
        Method::Files => files
            .iter()
            .map(|f| (f.rel.clone(), f.abs.as_path(), 0, f.len))
            .collect(),
        Method::Shards { shard_size } => {
            let size = shard_size.max(1);
            let mut v = Vec::new();
            for f in &files {
                let mut start = 0u64;
                loop {
                    let end = (start.saturating_add(size)).min(f.len);
                    v.push((
                        format!("{}:{start}:{end}", f.rel),
                        f.abs.as_path(),
                        start,
                        end - start,
                    ));
                    if end >= f.len {
                        break;
                    }
                    start = end;
                }
            }
            v
        }
    };
    jobs.into_par_iter()
        .map(|(name, path, start, len)| {
            Ok(Resource {
                name,
                digest: hash_range(path, start, len)?,
            })
        })
        .collect()
}

/// The OMS root digest: sha256 over the raw resource digests, in order.
pub fn root_digest(resources: &[Resource]) -> [u8; 32] {
    let mut h = Sha256::new();
    for r in resources {
        h.update(r.digest);
    }
    h.finalize().into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ignore_matches_path_and_children_only() {
        let ig = vec![".git".to_owned(), "model.sig".to_owned()];
        assert!(is_ignored(".git", &ig));
        assert!(is_ignored(".git/HEAD", &ig));
        assert!(!is_ignored(".gitx", &ig));
        assert!(is_ignored("model.sig", &ig));
        assert!(!is_ignored("sub/model.sig", &ig));
    }

    #[test]
    fn shards_cover_file() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("w.bin"), vec![7u8; 10]).unwrap();
        let opts = Options {
            method: Method::Shards { shard_size: 4 },
            ..Options::default()
        };
        let r = hash_model(d.path(), &opts).unwrap();
        let names: Vec<_> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["w.bin:0:4", "w.bin:4:8", "w.bin:8:10"]);
        assert_eq!(r[2].digest, <[u8; 32]>::from(Sha256::digest([7u8; 2])));
    }
}
