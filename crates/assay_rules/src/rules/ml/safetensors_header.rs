//! ML007 invalid-safetensors-header.

use crate::context::Cx;
use assay_core::{FileKind, Finding, Location, Severity};
use assay_formats::parse_safetensors;

declare_rule! {
    /// ## What it does
    /// Validates every safetensors file strictly: header length ≤ 100 MB and inside the
    /// file, UTF-8 JSON object, no duplicate keys, known dtypes, `data_offsets` sorted and
    /// contiguous from 0, each tensor's size equal to `numel × dtype bits / 8` (with checked
    /// overflow), `__metadata__` string to string, and no bytes after the last tensor.
    ///
    /// ## Why it matters
    /// safetensors is the safe format because its loader is strict; a file that breaks the
    /// rules is read differently by different loaders (duplicate keys, overlapping
    /// tensors), can smuggle data after the tensors, or targets parser bugs.
    ///
    /// ## Example
    /// A header that names `w` twice with different offsets.
    ///
    /// ## False positives
    /// Files written by non-reference writers with padding after the buffer. A header too
    /// large for the prefix assay reads is reported at medium as not verified.
    ///
    /// ## References
    /// - huggingface/safetensors, "Format" (README)
    /// - CWE-20
    pub static META = InvalidSafetensorsHeader;
}

/// Raise ML007, one finding per file listing its first defects.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::Safetensors)
    {
        let h = parse_safetensors(&e.data, e.size);
        if h.unchecked {
            let mut f = cx.finding(
                &META,
                Location::file(e.path.clone()),
                format!(
                    "header of {} bytes is larger than the prefix read ({} bytes); not verified",
                    h.header_len,
                    e.data.len()
                ),
            );
            f.severity = Severity::Medium;
            super::push(cx, out, f);
        } else if !h.defects.is_empty() {
            let more = if h.defects.len() > 3 {
                format!(" (+{} more)", h.defects.len() - 3)
            } else {
                String::new()
            };
            let first: Vec<&str> = h.defects.iter().take(3).map(String::as_str).collect();
            super::push(
                cx,
                out,
                cx.finding(
                    &META,
                    Location::file(e.path.clone()),
                    format!("{}{more}", first.join("; ")),
                ),
            );
        }
    }
}
