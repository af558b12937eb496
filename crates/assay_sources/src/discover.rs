//! Turning a path given on the command line into the inputs to scan: one archive or file,
//! one package directory, or every archive found under a directory of downloads.

use crate::disk::WALK_MAX;
use crate::error::SourceError;
use crate::limits::read_up_to;
use crate::sniff::{self, TAR_BLOCK};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One thing to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file whose content (or, failing that, extension) says archive: zip (wheel, zip sdist,
    /// egg), tar, or a gzip/bzip2/xz/zstd stream.
    Archive(PathBuf),
    /// A directory holding one package or source tree (read as a whole).
    Directory(PathBuf),
    /// A single non-archive file (`.py`, `.pth`, …).
    File(PathBuf),
}

impl Input {
    /// The path of the input.
    pub fn path(&self) -> &Path {
        match self {
            Input::Archive(p) | Input::Directory(p) | Input::File(p) => p,
        }
    }
}

/// Names that make a directory a package or source tree.
const PACKAGE_MARKERS: &[&str] = &[
    "setup.py",
    "pyproject.toml",
    "PKG-INFO",
    "setup.cfg",
    // An npm package or Node project (with its `node_modules`, reported per package).
    "package.json",
];

/// Top-level entries inspected when deciding whether a directory is a package.
const TOP_LEVEL_MAX: usize = 100_000;

/// Decide what to scan for `path`.
///
/// - A file is an [`Input::Archive`] when its magic bytes say zip, gzip, bzip2, xz, zstd, 7z
///   or tar (`ustar` at offset 257), its extension names an archive (the reader then checks
///   the content and reports a mismatch), or its last 64 KiB hold a zip end record (a zip
///   with data prepended); otherwise an [`Input::File`]. The same test applies to every
///   file found by walking a directory.
/// - A directory that looks like one package or source tree (`setup.py`, `pyproject.toml`,
///   `PKG-INFO`, `setup.cfg`, `package.json`, a `*.dist-info` or `*.egg-info`, or a `.py`
///   file at its top level), or a `node_modules` folder, is one [`Input::Directory`].
/// - Walking another directory, a folder holding a `package.json` (an unpacked npm
///   package, a Node project) is one [`Input::Directory`] and is not walked further.
/// - A directory where none of this finds anything yields nothing here; the caller
///   decides (`assay scan` reads it whole unless its workflows or agent files are
///   artifacts of their own: a path the user named is never "0 artifacts").
/// - Any other directory is walked (sorted, symlinks not followed, at most 1,000,000
///   entries): every archive becomes an [`Input::Archive`], loose `.py`/`.pth` files and
///   model files (by content: pickle, NumPy, safetensors, GGUF), chat templates
///   (`*.jinja`, `tokenizer_config.json`) become [`Input::File`]s, `*.md` and `*.tsv` files
///   are skipped, other files are ignored.
/// - A directory whose top level is a model (`config.json` with a tokenizer config, a chat
///   template or weights; or `saved_model.pb`) is one [`Input::Directory`].
///
/// # Errors
/// [`SourceError`] when `path` or a directory under it cannot be read, or the walk bound is hit.
pub fn discover(path: &Path) -> Result<Vec<Input>, SourceError> {
    let meta = fs_err::metadata(path)?;
    if meta.is_file() {
        let input = if is_archive_file(path)? {
            Input::Archive(path.to_path_buf())
        } else {
            Input::File(path.to_path_buf())
        };
        return Ok(vec![input]);
    }
    if !meta.is_dir() {
        return Err(SourceError::WrongKind {
            path: path.to_path_buf(),
            expected: "a file or a directory",
        });
    }
    if path.file_name().is_some_and(|n| n == "node_modules") {
        let mut inputs = Vec::new();
        npm_packages_in(path, &mut inputs, 0)?;
        if inputs.is_empty() {
            inputs.push(Input::Directory(path.to_path_buf()));
        }
        return Ok(inputs);
    }
    if looks_like_package(path)? || looks_like_model_dir(path)? {
        let mut inputs = vec![Input::Directory(path.to_path_buf())];
        npm_packages_in(&path.join("node_modules"), &mut inputs, 0)?;
        return Ok(inputs);
    }
    let mut inputs = Vec::new();
    let mut walker = WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    let mut visited = 0usize;
    while let Some(item) = walker.next() {
        if visited >= WALK_MAX {
            return Err(SourceError::TooManyFiles {
                path: path.to_path_buf(),
                limit: WALK_MAX,
            });
        }
        let de = item.map_err(|source| SourceError::Walk {
            path: path.to_path_buf(),
            source,
        })?;
        visited += 1;
        if de.file_type().is_dir() {
            // An npm package or Node project inside the tree: one artifact, read whole.
            if de.path().join("package.json").is_file() {
                inputs.push(Input::Directory(de.path().to_path_buf()));
                npm_packages_in(&de.path().join("node_modules"), &mut inputs, 0)?;
                walker.skip_current_dir();
            }
            continue;
        }
        if !de.file_type().is_file() {
            continue;
        }
        let lower = de.file_name().to_string_lossy().to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".tsv") {
            continue;
        }
        let p = de.into_path();
        if is_archive_file(&p)? {
            inputs.push(Input::Archive(p));
        } else if lower.ends_with(".py")
            || lower.ends_with(".pth")
            // Chat templates: loose `.jinja` files and Hugging Face tokenizer configs.
            || lower.ends_with(".jinja")
            || lower == "tokenizer_config.json"
            || is_model_file(&p)?
        {
            inputs.push(Input::File(p));
        }
    }
    Ok(inputs)
}

/// Deepest nesting of `node_modules` folders followed (npm's own trees stay far below).
const MAX_NPM_NESTING: u32 = 32;

/// Most npm packages listed from one `node_modules` tree.
const MAX_NPM_PACKAGES: usize = 100_000;

/// The npm packages installed in a `node_modules` folder, as one [`Input::Directory`]
/// each (read without their own `node_modules`, whose packages follow as inputs of their
/// own): `node_modules/<name>/` and `node_modules/@scope/<name>/` folders holding a
/// `package.json`, nested trees included. A folder there without a `package.json` (a
/// half-installed package, something planted) is an input too: never skipped. `.bin`
/// (links to the packages' own files) and dot-folders (`.cache`, `.package-lock.json`'s
/// siblings) are not packages.
fn npm_packages_in(nm: &Path, out: &mut Vec<Input>, depth: u32) -> Result<(), SourceError> {
    if depth > MAX_NPM_NESTING || !nm.is_dir() {
        return Ok(());
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for item in fs_err::read_dir(nm)?.take(TOP_LEVEL_MAX) {
        let de = item?;
        let name = de.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !de.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if name.starts_with('@') {
            for sub in fs_err::read_dir(de.path())?.take(TOP_LEVEL_MAX) {
                let sub = sub?;
                if sub.file_type().is_ok_and(|t| t.is_dir()) {
                    dirs.push(sub.path());
                }
            }
        } else {
            dirs.push(de.path());
        }
    }
    dirs.sort();
    for d in dirs {
        if out.len() >= MAX_NPM_PACKAGES {
            return Err(SourceError::TooManyFiles {
                path: nm.to_path_buf(),
                limit: MAX_NPM_PACKAGES,
            });
        }
        let nested = d.join("node_modules");
        out.push(Input::Directory(d));
        npm_packages_in(&nested, out, depth + 1)?;
    }
    Ok(())
}

/// Magic bytes (or an archive extension) say archive, or the tail holds a zip end record.
fn is_archive_file(path: &Path) -> Result<bool, SourceError> {
    let mut head = Vec::with_capacity(TAR_BLOCK);
    let mut file = fs_err::File::open(path)?;
    read_up_to(&mut file, &mut head, TAR_BLOCK)?;
    if sniff::sniff(&head).is_some() {
        return Ok(true);
    }
    if sniff::expected_by_name(&path.to_string_lossy()).is_some() {
        return Ok(true);
    }
    // A zip with data in front of it (a script, a polyglot): Python's zipfile opens it,
    // so it is read as the zip it also is, as a top-level file is ([`crate::read_input`]).
    crate::disk::has_zip_tail(path)
}

/// Magic bytes say model weights (pickle, NumPy, safetensors, GGUF): scanned whatever the
/// name (a pickle named `.safetensors` is exactly what must not be skipped).
fn is_model_file(path: &Path) -> Result<bool, SourceError> {
    let mut head = Vec::with_capacity(TAR_BLOCK);
    let mut file = fs_err::File::open(path)?;
    read_up_to(&mut file, &mut head, TAR_BLOCK)?;
    Ok(assay_core::classify(&path.to_string_lossy(), &head).is_model())
}

/// Whether a directory's top level is one model: a Hugging Face-style model directory
/// (`config.json` beside a tokenizer config, a chat template or weights) or a TensorFlow
/// SavedModel (`saved_model.pb`). It is scanned as one artifact with all its files.
fn looks_like_model_dir(dir: &Path) -> Result<bool, SourceError> {
    const WEIGHTS: &[&str] = &[
        ".safetensors",
        ".bin",
        ".gguf",
        ".pt",
        ".pth",
        ".ckpt",
        ".onnx",
        ".h5",
        ".keras",
        ".msgpack",
        ".pkl",
        ".joblib",
    ];
    let (mut config, mut model_part) = (false, false);
    for item in fs_err::read_dir(dir)?.take(TOP_LEVEL_MAX) {
        let de = item?;
        let name = de.file_name().to_string_lossy().to_ascii_lowercase();
        match name.as_str() {
            "saved_model.pb" => return Ok(true),
            "config.json" => config = true,
            "tokenizer_config.json" | "chat_template.jinja" | "generation_config.json" => {
                model_part = true;
            }
            n if WEIGHTS.iter().any(|w| n.ends_with(w)) => model_part = true,
            _ => {}
        }
    }
    Ok(config && model_part)
}

/// Whether a directory's top level marks it as one package or source tree.
fn looks_like_package(dir: &Path) -> Result<bool, SourceError> {
    for item in fs_err::read_dir(dir)?.take(TOP_LEVEL_MAX) {
        let de = item?;
        let name = de.file_name();
        let name = name.to_string_lossy();
        if PACKAGE_MARKERS.contains(&name.as_ref())
            || name.ends_with(".dist-info")
            || name.ends_with(".egg-info")
        {
            return Ok(true);
        }
        if name.ends_with(".py") && de.file_type().is_ok_and(|t| t.is_file()) {
            return Ok(true);
        }
    }
    Ok(false)
}
