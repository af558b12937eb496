//! Archive builders for the red-team variants: a pure-Python wheel (PEP 427, with a RECORD
//! of correct hashes), an sdist (`<name>-<version>/` + `PKG-INFO`, tar.gz), and the plain
//! zip and tar.gz containers the nesting transforms wrap them in. Everything is built in
//! memory; nothing here runs what it packs.
//!
//! The one exception to "in memory" is [`compile_pyc`], which asks `python3` to *compile*
//! (never run) a module into a `.pyc`, so the bytecode-only transform ships real bytecode.

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

/// The version every red-team distribution carries.
pub const VERSION: &str = "0.1.0";

/// One file of a package: a path relative to the package root and its bytes.
pub type File = (String, Vec<u8>);

/// A PEP 376 RECORD hash: `sha256=` + urlsafe base64 without padding.
fn record_hash(data: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!(
        "sha256={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(data))
    )
}

/// The files of a wheel of `name`: `files` plus its `.dist-info` (METADATA, WHEEL, RECORD).
pub fn wheel_files(name: &str, files: &[File]) -> Vec<File> {
    let info = format!("{name}-{VERSION}.dist-info");
    let mut all: Vec<File> = files.to_vec();
    all.push((
        format!("{info}/METADATA"),
        format!("Metadata-Version: 2.1\nName: {name}\nVersion: {VERSION}\nSummary: assay red-team fixture\n")
            .into_bytes(),
    ));
    all.push((
        format!("{info}/WHEEL"),
        b"Wheel-Version: 1.0\nGenerator: assay-redteam\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
            .to_vec(),
    ));
    let mut record = String::new();
    for (p, d) in &all {
        record.push_str(&format!("{p},{},{}\n", record_hash(d), d.len()));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    all.push((format!("{info}/RECORD"), record.into_bytes()));
    all
}

/// The files of an sdist of `name`, under its `<name>-<version>/` root, with `PKG-INFO`.
pub fn sdist_files(name: &str, files: &[File]) -> Vec<File> {
    let root = format!("{name}-{VERSION}");
    let mut all = vec![(
        format!("{root}/PKG-INFO"),
        format!("Metadata-Version: 2.1\nName: {name}\nVersion: {VERSION}\n").into_bytes(),
    )];
    all.extend(
        files
            .iter()
            .map(|(p, d)| (format!("{root}/{p}"), d.clone())),
    );
    all
}

/// A zip of `files`, deflated (members of one byte or less are stored).
pub fn zip(files: &[File]) -> anyhow::Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (p, d) in files {
        w.start_file(p.as_str(), if d.len() <= 1 { stored } else { deflated })?;
        w.write_all(d)?;
    }
    Ok(w.finish()?.into_inner())
}

/// A gzip-compressed tar of `files` (regular files, mode 0644, mtime 0).
pub fn tar_gz(files: &[File]) -> anyhow::Result<Vec<u8>> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (p, d) in files {
        let mut h = tar::Header::new_gnu();
        h.set_path(p)?;
        h.set_size(d.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        b.append(&h, d.as_slice())?;
    }
    Ok(b.into_inner()?.finish()?)
}

/// Compile Python `source` into `.pyc` bytes with the machine's `python3`, without running
/// it (`py_compile` only compiles; `-I -S` keeps the user's site and `.pth` files out).
/// `display` is the source file name recorded in the code object. `None` when no
/// `python3` is available or it fails.
pub fn compile_pyc(source: &[u8], display: &str) -> Option<Vec<u8>> {
    let dir = tempfile::Builder::new()
        .prefix("assay-redteam-pyc")
        .tempdir_in(std::env::temp_dir())
        .ok()?;
    let src = dir.path().join("module.py");
    let out = dir.path().join("module.pyc");
    fs_err::write(&src, source).ok()?;
    let status = Command::new("python3")
        .args([
            "-I",
            "-S",
            "-c",
            "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], dfile=sys.argv[3], doraise=True)",
        ])
        .arg(&src)
        .arg(&out)
        .arg(display)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    fs_err::read(Path::new(&out)).ok()
}
