//! ML004 unparseable-pickle.

use super::is_tensor_storage;
use crate::context::Cx;
use assay_core::{Finding, Location};
use assay_formats::pickle::IssueKind;

declare_rule! {
    /// ## What it does
    /// Flags a pickle in a model file that the VM could not walk to its end: truncated,
    /// an unknown opcode, a stack underflow, a malformed argument, a walk bound hit (opcode,
    /// stack, memo or nesting bounds: expansion bombs), or a file larger than the prefix
    /// assay reads.
    ///
    /// Model files fail closed: this is critical (medium confidence), like an unlisted
    /// import, because what was not walked could hold one.
    ///
    /// ## Why it matters
    /// `pickle` executes opcodes as it reads: a stream that is corrupt *after* its payload
    /// still runs the payload, and scanners that give up on the first error report
    /// nothing (a published modelscan/picklescan bypass). Bombs exhaust scanners.
    ///
    /// ## Example
    /// `cos\nsystem\n(S'echo assay-canary'\ntR` followed by garbage instead of `.`.
    ///
    /// ## False positives
    /// Truncated downloads. Raw tensor storages that happen to start like a pickle inside
    /// PyTorch zips (`archive/data/N`) are not reported.
    ///
    /// ## References
    /// - CPython `Lib/pickletools.py`
    /// - CWE-502, CWE-400
    pub static META = UnparseablePickle;
}

/// Raise ML004 for the first fatal issue of each pickle.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.pickles {
        let fatal = p.scan.issues.iter().find(|i| {
            matches!(
                i.kind,
                IssueKind::Truncated
                    | IssueKind::UnknownOpcode
                    | IssueKind::StackUnderflow
                    | IssueKind::BadArgument
                    | IssueKind::LimitExceeded
            )
        });
        let Some(i) = fatal else {
            continue;
        };
        if is_tensor_storage(&p.entry.path) && p.scan.globals.is_empty() {
            continue;
        }
        // A stream cut by assay's own read bound is not damaged: say it was not fully read.
        let evidence = if !p.entry.complete && i.kind == IssueKind::Truncated {
            format!(
                "not fully read: only the first {} of {}{} bytes were read (assay's read bound); the rest of the pickle was not walked",
                p.entry.data.len(),
                if p.entry.size as usize > p.entry.data.len() {
                    ""
                } else {
                    "at least "
                },
                p.entry.size
            )
        } else {
            format!(
                "{:?} at byte {}: {}",
                i.kind,
                p.offset + i.offset,
                i.message
            )
        };
        super::push(
            cx,
            out,
            cx.finding(&META, Location::file(p.entry.path.clone()), evidence),
        );
    }
}
