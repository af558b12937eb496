//! ML006 model-format-mismatch.

use crate::context::Cx;
use assay_core::{FileKind, Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Flags model files whose content contradicts their extension, decided by magic bytes:
    /// a pickle named `.safetensors`, `.gguf`, `.onnx`, `.h5`, `.keras`, `.npy`, `.json` or
    /// `.msgpack` (formats that never run code on load), or a `.safetensors`/`.gguf`/`.npy`
    /// file that is not that format.
    ///
    /// ## Why it matters
    /// Loaders and scanners pick their code path by name; a pickle under a "safe"
    /// extension is skipped by scanners that trust it, and loaded by tools that sniff.
    ///
    /// ## Example
    /// `model.safetensors` whose bytes start with `\x80\x04\x95`.
    ///
    /// ## False positives
    /// Rare; some tools save PyTorch zips as `.bin` (not reported: `.bin` promises nothing).
    /// A pickle under a safe name is high; other mismatches are low.
    ///
    /// ## References
    /// - MITRE ATT&CK T1036.008 (Masquerade File Type)
    pub static META = ModelFormatMismatch;
}

const SAFE_EXTS: &[&str] = &[
    ".safetensors",
    ".gguf",
    ".onnx",
    ".h5",
    ".hdf5",
    ".keras",
    ".npy",
    ".json",
    ".msgpack",
    ".tflite",
];

/// Raise ML006.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in &cx.artifact.entries {
        let lower = e.file_name().to_ascii_lowercase();
        let expect = |ext: &str, kind: FileKind| lower.ends_with(ext) && e.file_kind != kind;
        if e.file_kind == FileKind::Pickle
            && let Some(ext) = SAFE_EXTS.iter().find(|x| lower.ends_with(*x))
        {
            super::push(cx, out, cx.finding(
                &META,
                Location::file(e.path.clone()),
                format!(
                    "named `{ext}` (a format that does not run code) but its content is a pickle"
                ),
            ));
        } else if (expect(".safetensors", FileKind::Safetensors)
            || expect(".gguf", FileKind::Gguf)
            || expect(".npy", FileKind::NumPy))
            && !e.data.is_empty()
        {
            let mut f = cx.finding(
                &META,
                Location::file(e.path.clone()),
                format!("extension does not match the content ({:?})", e.file_kind),
            );
            f.severity = Severity::Low;
            super::push(cx, out, f);
        }
    }
}
