//! ML005 pickle-stream-trick.

use crate::context::Cx;
use assay_core::{Finding, Location, Severity};
use assay_formats::pickle::IssueKind;

declare_rule! {
    /// ## What it does
    /// Flags pickle streams shaped to confuse scanners: a pickle nested inside a bytes
    /// constant (loaded by `pickle.loads`, `torch.load(BytesIO(...))`…), `PROTO` after the
    /// first opcode or above 5, `FRAME` lengths that do not match the data, out-of-band
    /// buffers, and stacked streams beyond the five of legacy PyTorch.
    ///
    /// ## Why it matters
    /// Scanners that read one stream, skip frames or ignore bytes constants miss payloads
    /// placed there; `torch.load` of a legacy file reads several streams.
    ///
    /// ## Example
    /// A state_dict whose `_metadata` holds bytes that are a second pickle.
    ///
    /// ## False positives
    /// Writers that embed serialized blobs on purpose. Nested pickles are medium; shape
    /// oddities low.
    ///
    /// ## References
    /// - PEP 3154 (framing), PEP 574 (out-of-band buffers)
    /// - CWE-502
    pub static META = {
        code: "ML005",
        name: "pickle-stream-trick",
        family: Ml,
        summary: "A pickle stream is nested, re-framed or stacked to confuse scanners",
        severity: Low,
        confidence: Medium,
        targets: [Pickle, NumPy],
        cwe: Some("CWE-502"),
        attack: Some("T1027"),
    }
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
        for i in &p.scan.issues {
            let why = match i.kind {
                IssueKind::OddProto => "PROTO out of place",
                IssueKind::FrameMismatch => "FRAME does not match the data",
                IssueKind::OutOfBandBuffer => "out-of-band buffer",
                IssueKind::StackedStreams if p.scan.streams > 5 => {
                    "more stacked streams than legacy PyTorch writes"
                }
                _ => continue,
            };
            super::push(
                cx,
                out,
                cx.finding(
                    &META,
                    loc(),
                    format!("{why} at byte {}: {}", p.offset + i.offset, i.message),
                ),
            );
        }
    }
}
