//! ML003 pickle-discarded-call.

use super::imports::{Judgement, judge_with};
use crate::context::Cx;
use assay_core::{Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Flags a call in a pickle (`REDUCE`, `NEWOBJ`, `OBJ`, `INST`, `BUILD`) whose result is
    /// thrown away: popped (`POP`, `POP_MARK`) or left on the stack under the value the
    /// stream returns.
    ///
    /// ## Why it matters
    /// Every object a legitimate checkpoint builds ends up in the loaded value; a call made
    /// only for its side effect exists to run something. Injected payloads (fickling's
    /// `inject`, "sleepy pickle") prepend such a call to a valid state_dict so the model
    /// still loads and works.
    ///
    /// ## Example
    /// `c__builtin__\nprint\n(S'x'\ntR0` followed by the real object.
    ///
    /// ## False positives
    /// Hand-written pickles that build and drop values. High when the callable is outside
    /// the allowlist, medium otherwise.
    ///
    /// ## References
    /// - Trail of Bits, "Exploiting ML models with pickle file attacks" (sleepy pickle, 2024)
    /// - CWE-502
    pub static META = PickleDiscardedCall;
}

/// Raise ML003 per discarded call.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.pickles {
        for c in p.scan.calls.iter().filter(|c| c.discarded) {
            let g = c.callee.and_then(|i| p.scan.globals.get(i));
            let name = g.map_or_else(|| "<computed>".to_owned(), |g| g.dotted());
            let mut f = cx.finding(
                &META,
                Location::file(p.entry.path.clone()),
                format!(
                    "{:?} of `{name}` at byte {} is discarded: called only for its side effect",
                    c.op,
                    p.offset + c.offset
                ),
            );
            if g.is_none_or(|g| judge_with(g, &cx.model_allow) != Judgement::Allowed) {
                f.severity = Severity::High;
            }
            super::push(cx, out, f);
        }
    }
}
