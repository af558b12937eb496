//! ML005 pickle-stream-trick.

use crate::context::Cx;
use assay_core::{Confidence, Finding, Location, Severity};

/// The first bytes of a legacy (pre-zip) `torch.save` file: `PROTO 2`, then `LONG1` of
/// the magic number `0x1950a86a20f9469cfc6c`; raw tensor bytes follow its five streams.
const LEGACY_TORCH_MAGIC: &[u8] = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";
use assay_formats::pickle::IssueKind;

declare_rule! {
    /// ## What it does
    /// Flags pickle streams shaped to confuse scanners: a pickle nested inside a bytes
    /// constant (loaded by `pickle.loads`, `torch.load(BytesIO(...))`…), `PROTO` after the
    /// first opcode or above 5, `FRAME` lengths that do not match the data, bytes after
    /// the last `STOP` (except the tensor data of legacy PyTorch files), expansion bombs
    /// (values nested deeper than `pickle.dump` can write, memo `GET` fan-out standing
    /// for millions of elements), out-of-band buffers, and stacked streams beyond the five
    /// of legacy PyTorch.
    ///
    /// ## Why it matters
    /// Scanners that read one stream, skip frames or ignore bytes constants miss payloads
    /// placed there; `torch.load` of a legacy file reads several streams.
    ///
    /// ## Example
    /// A state_dict whose `_metadata` holds bytes that are a second pickle.
    ///
    /// ## False positives
    /// Writers that embed serialized blobs on purpose. Nested pickles are medium; a
    /// repeated or misplaced `PROTO`, a wrong `FRAME`, trailing bytes and bombs are high
    /// at low confidence (`suspicious`: no writer produces them, but they run nothing by
    /// themselves); out-of-band buffers and many stacked streams low.
    ///
    /// ## References
    /// - PEP 3154 (framing), PEP 574 (out-of-band buffers)
    /// - CWE-502
    pub static META = PickleStreamTrick;
}

/// Raise ML005.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.pickles {
        let loc = || Location::file(p.entry.path.clone());
        if p.scan.nested > 0 {
            let mut f = cx.finding(
                &META,
                loc(),
                format!(
                    "{} pickle(s) nested in bytes constants (walked; their imports are judged too)",
                    p.scan.nested
                ),
            );
            f.severity = Severity::Medium;
            super::push(cx, out, f);
        }
        let legacy_torch = p
            .entry
            .data
            .get(p.offset..)
            .is_some_and(|d| d.starts_with(LEGACY_TORCH_MAGIC))
            // The legacy tar format's `storages` and `tensors` members interleave small
            // pickles with raw data (`torch/serialization.py`, `_legacy_load`).
            || matches!(p.entry.file_name(), "storages" | "tensors");
        for i in &p.scan.issues {
            // What no writer produces (a repeated PROTO, a wrong FRAME, bytes after the
            // stream, a bomb) is high: the verdict is at least `suspicious`.
            let (why, high) = match i.kind {
                IssueKind::OddProto => ("PROTO out of place", true),
                IssueKind::FrameMismatch => ("FRAME does not match the data", true),
                IssueKind::ExpansionBomb => ("expansion bomb", true),
                IssueKind::TrailingData if !legacy_torch => (
                    "bytes after the pickle's STOP (a custom loader may read them; pickle.load ignores them)",
                    true,
                ),
                IssueKind::OutOfBandBuffer => ("out-of-band buffer", false),
                IssueKind::StackedStreams if p.scan.streams > 5 => {
                    ("more stacked streams than legacy PyTorch writes", false)
                }
                _ => continue,
            };
            let mut f = cx.finding(
                &META,
                loc(),
                format!("{why} at byte {}: {}", p.offset + i.offset, i.message),
            );
            if high {
                f.severity = Severity::High;
                f.confidence = Confidence::Low;
            }
            super::push(cx, out, f);
        }
    }
}
