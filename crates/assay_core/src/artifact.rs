//! The read-only virtual file tree an analysis works on, and file classification.

use crate::Finding;
use serde::Serialize;

/// What kind of input an [`Artifact`] was read from (decided by content, not extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactFormat {
    /// A built distribution (PEP 427): a zip with `*.dist-info/WHEEL`.
    Wheel,
    /// A source distribution (tar.gz/bz2/xz or zip with `PKG-INFO`/`setup.py`/`pyproject.toml`).
    Sdist,
    /// A legacy `.egg` (zip with `EGG-INFO/`).
    Egg,
    /// Any other zip archive.
    Zip,
    /// Any other tar archive.
    Tar,
    /// A 7-Zip archive (read with `sevenz-rust2`; no encrypted content).
    #[serde(rename = "7z")]
    #[schemars(rename = "7z")]
    SevenZ,
    /// A directory on disk (an unpacked package or source tree).
    Directory,
    /// An agent skill folder (a `SKILL.md` with the files beside it; crate `assay_agents`).
    Skill,
    /// An installed Python environment (site-packages).
    Environment,
    /// A single file that is not an archive.
    File,
    /// Bytes that could not be read as any known format (see the findings).
    Unreadable,
    /// One commit of a git repository (`assay history`); `path` is the full commit id and
    /// finding paths are files of that commit's tree.
    Commit,
}

impl ArtifactFormat {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactFormat::Wheel => "wheel",
            ArtifactFormat::Sdist => "sdist",
            ArtifactFormat::Egg => "egg",
            ArtifactFormat::Zip => "zip",
            ArtifactFormat::Tar => "tar",
            ArtifactFormat::SevenZ => "7z",
            ArtifactFormat::Directory => "directory",
            ArtifactFormat::Skill => "skill",
            ArtifactFormat::Environment => "environment",
            ArtifactFormat::File => "file",
            ArtifactFormat::Unreadable => "unreadable",
            ArtifactFormat::Commit => "commit",
        }
    }
}

/// What an entry is in its container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A symbolic link, with its target as stored.
    Symlink(String),
    /// A hard link (tar), with its target as stored.
    Hardlink(String),
    /// Anything else a tar can hold (device, FIFO); never read.
    Special,
}

/// One file of an artifact.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Normalised `/`-separated path inside the artifact (lossy UTF-8 if the name was not).
    pub path: String,
    /// What it is.
    pub kind: EntryKind,
    /// Size in bytes as declared (uncompressed).
    pub size: u64,
    /// The content: all of it when [`Entry::complete`], otherwise a prefix (at least the
    /// first 4 KiB when the file has that many bytes) kept for classification.
    pub data: Vec<u8>,
    /// Whether `data` is the whole file.
    pub complete: bool,
    /// Classification from the path and the first bytes.
    pub file_kind: FileKind,
    /// sha256 of the whole content, when the source computed it (environments do, for RECORD).
    pub sha256: Option<[u8; 32]>,
}

/// `bytes` as text: borrowed when valid UTF-8, else with U+FFFD for each invalid
/// sequence (as `String::from_utf8_lossy`). Valid input — nearly every file — goes
/// through `str::from_utf8`'s word-at-a-time validation; the lossy decoder's chunk
/// iterator is several times slower on large sources and showed in scan profiles.
pub fn lossy_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(bytes)
        .map(std::borrow::Cow::Borrowed)
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes))
}

impl Entry {
    /// A regular file read by a caller's own bounded reader: kind by [`classify`],
    /// `complete` when `data` (bytes) is within `max_bytes`, the reader's limit.
    pub fn file(path: String, data: Vec<u8>, max_bytes: u64) -> Entry {
        Entry {
            file_kind: classify(&path, &data),
            path,
            kind: EntryKind::File,
            size: data.len() as u64,
            complete: data.len() as u64 <= max_bytes,
            data,
            sha256: None,
        }
    }

    /// The content as text (lossy, see [`lossy_text`]), when complete.
    pub fn text(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.complete.then(|| lossy_text(&self.data))
    }

    /// The last path component.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// One thing that was scanned: an archive, a directory, an environment or a file.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// As given on the command line, or the file inside a scanned directory.
    pub path: String,
    /// How it was read.
    pub format: ArtifactFormat,
    /// Files, in archive order.
    pub entries: Vec<Entry>,
    /// Findings raised while reading (traversal, bombs, corruption…).
    pub findings: Vec<Finding>,
    /// Root of the environment (the `sys.prefix`), for [`ArtifactFormat::Environment`].
    pub env_prefix: Option<String>,
}

impl Artifact {
    /// An empty artifact of the given format.
    pub fn new(path: impl Into<String>, format: ArtifactFormat) -> Self {
        Artifact {
            path: path.into(),
            format,
            entries: Vec::new(),
            findings: Vec::new(),
            env_prefix: None,
        }
    }

    /// The entry at exactly this path.
    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }
}

/// What a file is, decided by [`classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// Python source (`.py`, `.pyw`, or a python shebang).
    Python,
    /// A `.pth` path-configuration file (site module): `import` lines run at startup.
    Pth,
    /// Core metadata: `METADATA`, `PKG-INFO` (RFC 822 style).
    CoreMetadata,
    /// `RECORD` (PEP 376 / PEP 627): path, hash, size per installed file.
    Record,
    /// `entry_points.txt` (INI).
    EntryPoints,
    /// `top_level.txt`.
    TopLevel,
    /// `WHEEL` metadata (PEP 427).
    WheelMetadata,
    /// `setup.cfg`.
    SetupCfg,
    /// `pyproject.toml`.
    PyProject,
    /// Compiled Python (`.pyc`, marshal with a magic header).
    Bytecode,
    /// ELF executable or shared object.
    Elf,
    /// PE (Windows executable or DLL).
    Pe,
    /// Mach-O (incl. universal binaries).
    MachO,
    /// A nested archive (zip, gzip, bzip2, xz, zstd, 7z).
    Archive,
    /// Shell, batch or PowerShell script.
    Script,
    /// JavaScript.
    JavaScript,
    /// A pickle stream (protocols 0–5): raw `.pkl`, legacy PyTorch, a member of a PyTorch
    /// zip (`data.pkl`), joblib. Loading one runs code.
    Pickle,
    /// A NumPy `.npy` array (`\x93NUMPY` magic); object arrays hold a pickle.
    NumPy,
    /// A safetensors file (8-byte little-endian header length, then a JSON header).
    Safetensors,
    /// A GGUF model file (`GGUF` magic).
    Gguf,
    /// An HDF5 file (`\x89HDF\r\n\x1a\n` superblock signature): Keras `.h5` models keep
    /// their JSON config in the root group's `model_config` attribute.
    Hdf5,
    /// An ONNX model (`.onnx` name and a protobuf `ModelProto` start: field 1, varint).
    Onnx,
    /// A TensorFlow SavedModel protobuf, known by its name (protobuf has no magic bytes):
    /// `saved_model.pb` (a `SavedModel` message), `keras_metadata.pb` (Keras
    /// `SavedMetadata`) or `fingerprint.pb` (`FingerprintDef`).
    TfSavedModel,
    /// A TensorFlow Lite model (FlatBuffer with the `TFL3` file identifier at bytes 4–8).
    TfLite,
    /// Other text.
    Text,
    /// Other binary data.
    Binary,
}

impl FileKind {
    /// Whether this is a model-weights format (pickle, NumPy, safetensors, GGUF).
    pub fn is_model(self) -> bool {
        matches!(
            self,
            FileKind::Pickle
                | FileKind::NumPy
                | FileKind::Safetensors
                | FileKind::Gguf
                | FileKind::Hdf5
                | FileKind::Onnx
                | FileKind::TfSavedModel
                | FileKind::TfLite
        )
    }

    /// Whether this is a native executable format.
    pub fn is_native(self) -> bool {
        matches!(self, FileKind::Elf | FileKind::Pe | FileKind::MachO)
    }
}

/// Classify a file by its path and its first bytes. Magic bytes win over the extension
/// for executables and archives; names decide for metadata files.
pub fn classify(path: &str, head: &[u8]) -> FileKind {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if head.starts_with(b"\x7fELF") {
        return FileKind::Elf;
    }
    if head.starts_with(b"MZ") && head.len() >= 64 {
        return FileKind::Pe;
    }
    if [
        &[0xfe, 0xed, 0xfa, 0xce][..],
        &[0xfe, 0xed, 0xfa, 0xcf],
        &[0xce, 0xfa, 0xed, 0xfe],
        &[0xcf, 0xfa, 0xed, 0xfe],
    ]
    .iter()
    .any(|m| head.starts_with(m))
        || (head.starts_with(&[0xca, 0xfe, 0xba, 0xbe]) && !lower.ends_with(".class"))
    {
        return FileKind::MachO;
    }
    if let Some(kind) = model_kind(&lower, head) {
        return kind;
    }
    let parent_is_info =
        path.contains(".dist-info/") || path.contains(".egg-info/") || path.contains("EGG-INFO/");
    match lower.as_str() {
        "metadata" | "pkg-info" => return FileKind::CoreMetadata,
        "record" if parent_is_info => return FileKind::Record,
        "entry_points.txt" => return FileKind::EntryPoints,
        "top_level.txt" => return FileKind::TopLevel,
        "wheel" if parent_is_info => return FileKind::WheelMetadata,
        "setup.cfg" => return FileKind::SetupCfg,
        "pyproject.toml" => return FileKind::PyProject,
        _ => {}
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "py" | "pyw" | "pyi" => return FileKind::Python,
        "pth" => return FileKind::Pth,
        "pyc" | "pyo" => return FileKind::Bytecode,
        "sh" | "bash" | "bat" | "cmd" | "ps1" | "vbs" => return FileKind::Script,
        "js" | "mjs" | "cjs" | "jsx" => return FileKind::JavaScript,
        // `.ts` is also MPEG transport stream video: TypeScript only when the head is text.
        "ts" | "mts" | "cts" | "tsx" if !head.contains(&0) => return FileKind::JavaScript,
        _ => {}
    }
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"\x1f\x8b")
        || head.starts_with(b"BZh")
        || head.starts_with(b"\xfd7zXZ\0")
        || head.starts_with(b"\x28\xb5\x2f\xfd")
        || head.starts_with(b"7z\xbc\xaf\x27\x1c")
    {
        return FileKind::Archive;
    }
    if head.starts_with(b"#!") {
        let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
        if line.windows(6).any(|w| w == b"python") {
            return FileKind::Python;
        }
        return FileKind::Script;
    }
    if head.contains(&0) {
        FileKind::Binary
    } else {
        FileKind::Text
    }
}

/// Model formats by content: magic bytes, or a pickle opcode prefix. Protocol 0/1 pickles
/// (no `PROTO` opcode) are only recognised under a pickle-ish extension.
fn model_kind(lower_name: &str, head: &[u8]) -> Option<FileKind> {
    if head.starts_with(b"\x93NUMPY") {
        return Some(FileKind::NumPy);
    }
    if head.starts_with(b"GGUF") {
        return Some(FileKind::Gguf);
    }
    if head.starts_with(b"\x89HDF\r\n\x1a\n") {
        return Some(FileKind::Hdf5);
    }
    // TFLite FlatBuffer file identifier (`schema.fbs`: `file_identifier "TFL3"`).
    if head.get(4..8) == Some(b"TFL3".as_slice()) {
        return Some(FileKind::TfLite);
    }
    // SavedModel files by their fixed names (TensorFlow `saved_model/constants.py`,
    // Keras `saved_model/constants.py`); a protobuf carries no magic bytes.
    if matches!(
        lower_name,
        "saved_model.pb" | "keras_metadata.pb" | "fingerprint.pb"
    ) {
        return Some(FileKind::TfSavedModel);
    }
    // ModelProto field 1 is `ir_version` (varint, tag 0x08); writers emit it first.
    if lower_name.ends_with(".onnx") && head.first() == Some(&0x08) {
        return Some(FileKind::Onnx);
    }
    if let (Some(len), Some(b'{')) = (
        head.get(..8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes),
        head.get(8),
    ) && ((2..=100_000_000).contains(&len)
        // An absurd header length under a safetensors name is still safetensors: ML007
        // reports it (a length past the file is a loader differential, never clean).
        || (len >= 2 && lower_name.ends_with(".safetensors")))
        && matches!(head.get(9), Some(b'"' | b' ' | b'}' | b'\n'))
    {
        return Some(FileKind::Safetensors);
    }
    // By opcodes, whatever the file is called: `PROTO 2..=5` and a valid walk (what
    // `pickle.dump`, `torch.save` and `joblib.dump` write), or a protocol 0/1 stream that
    // imports and calls before anything invalid (every payload has that shape).
    if crate::pickle_ops::looks_like_pickle(head) {
        return Some(FileKind::Pickle);
    }
    let pickle_ext = [
        ".pkl", ".pickle", ".joblib", ".dill", ".pt", ".pth", ".ckpt", ".bin",
    ]
    .iter()
    .any(|e| lower_name.ends_with(e));
    if pickle_ext
        && matches!(
            head.first(),
            Some(b'(' | b'c' | b']' | b'}' | b'I' | b'S' | b'V')
        )
        && head.last() == Some(&b'.')
        && head.contains(&b'\n')
        && !head.starts_with(b"import")
    {
        return Some(FileKind::Pickle);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_safetensors_header_length_is_still_safetensors() {
        let mut h = u64::MAX.to_le_bytes().to_vec();
        h.extend(b"{\"a\":1}");
        assert_eq!(classify("m.safetensors", &h), FileKind::Safetensors);
        assert_ne!(classify("m.dat", &h), FileKind::Safetensors);
    }

    #[test]
    fn pickles_by_opcodes_whatever_the_name() {
        let payload = b"cos\nsystem\n(S'id'\ntR.";
        for name in [
            "m.sav",
            "m.model",
            "m.weights",
            "m.dat",
            "model",
            "m.bin",
            "m.txt",
        ] {
            assert_eq!(classify(name, payload), FileKind::Pickle, "{name}");
        }
        // Bytes after the payload, an invalid opcode, a repeated PROTO.
        assert_eq!(
            classify("m.dat", b"cos\nsystem\n(S'id'\ntR\xff\xfegarbage"),
            FileKind::Pickle
        );
        assert_eq!(
            classify("m.bin", b"\x80\x02\x80\x02cos\nsystem\n(S'id'\ntR."),
            FileKind::Pickle
        );
        // Text and binary that is no pickle.
        assert_eq!(classify("notes.dat", b"cos x\nsin\n"), FileKind::Text);
        assert_eq!(classify("data", b"N.B. read me\n"), FileKind::Text);
        assert_eq!(classify("m.bin", b"\x80\x02\xff\x00"), FileKind::Binary);
    }

    #[test]
    fn magic_beats_extension() {
        assert_eq!(classify("x/readme.txt", b"\x7fELF\x02\x01"), FileKind::Elf);
        assert_eq!(classify("a.py", b"PK\x03\x04"), FileKind::Python);
        assert_eq!(classify("data.bin", b"PK\x03\x04rest"), FileKind::Archive);
        assert_eq!(
            classify("bin/tool", b"#!/usr/bin/env python3\nimport os"),
            FileKind::Python
        );
        assert_eq!(
            classify("p-1.0.dist-info/RECORD", b"a,b,c"),
            FileKind::Record
        );
        assert_eq!(classify("RECORD", b"a,b,c"), FileKind::Text);
        assert_eq!(classify("x/evil_init.pth", b"import os"), FileKind::Pth);
        assert_eq!(classify("blob", b"\x00\x01"), FileKind::Binary);
        assert_eq!(
            classify("m.safetensors", b"\x80\x02}q\x00."),
            FileKind::Pickle
        );
        assert_eq!(
            classify("x/model.pth", b"\x80\x04\x95\x10"),
            FileKind::Pickle
        );
        assert_eq!(classify("a.npy", b"\x93NUMPY\x01\x00"), FileKind::NumPy);
        assert_eq!(classify("a.bin", b"GGUF\x03\x00"), FileKind::Gguf);
        assert_eq!(classify("m.h5", b"\x89HDF\r\n\x1a\n\x00"), FileKind::Hdf5);
        assert_eq!(classify("m.onnx", b"\x08\x07\x12\x04"), FileKind::Onnx);
        assert_eq!(
            classify("m/saved_model.pb", b"\x08\x01"),
            FileKind::TfSavedModel
        );
        assert_eq!(classify("keras_metadata.pb", b""), FileKind::TfSavedModel);
        assert_eq!(classify("m.bin", b"\x1c\x00\x00\x00TFL3"), FileKind::TfLite);
        assert_ne!(classify("other.pb", b"\x08\x01"), FileKind::TfSavedModel);
        assert_eq!(
            classify(
                "m.safetensors",
                b"\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}"
            ),
            FileKind::Safetensors
        );
        assert_eq!(
            classify("old.pkl", b"cos\nsystem\n(S'x'\ntR."),
            FileKind::Pickle
        );
    }
}
