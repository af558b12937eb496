//! ML002 pickle-unlisted-import.

use super::imports::{Judgement, POLICY_VERSION, judge_with};
use crate::context::Cx;
use assay_core::{Finding, Location};

declare_rule! {
    /// ## What it does
    /// Flags a pickle in a model file that imports anything outside the versioned allowlist
    /// of what legitimate checkpoints need (PyTorch tensor/parameter rebuild functions and
    /// storage classes, NumPy array reconstruction, `collections.OrderedDict`, joblib array
    /// wrappers, plain builtins), and every import whose name is computed at load time
    /// (`STACK_GLOBAL` on values that are not string constants, extension-registry codes
    /// `EXT1`/`EXT2`/`EXT4`), which cannot be judged before it runs.
    ///
    /// Model files fail closed: this finding is critical (medium confidence), so an
    /// artifact with one is `malicious` and `assay scan model.pt` exits non-zero under the
    /// default `--fail-on` (see `docs/scoring.md`).
    ///
    /// ## Why it matters
    /// Every public pickle scanner is a denylist, and each has published bypasses: a
    /// module missing from the list (`numpy.testing._private.utils.runstring`,
    /// `pydoc.pipepager`, `idlelib`…), a name built at load time, an extension code. An
    /// allowlist does not need to know the next bypass.
    ///
    /// ## Example
    /// `c__main__\nPayload\n` or `STACK_GLOBAL` whose module string is the result of
    /// `str.join`.
    ///
    /// ## False positives
    /// Whole-object pickles of other libraries (scikit-learn estimators, custom classes):
    /// they do run that library's code on load. Convert weights to safetensors, or suppress
    /// with a reason for a file you trust.
    ///
    /// ## References
    /// - PyTorch docs, `torch.load(weights_only=True)` and its allowlist (`torch.serialization.add_safe_globals`)
    /// - Trail of Bits, "Never a dill moment: Exploiting machine learning pickle files" (2021)
    /// - CWE-502
    pub static META = PickleUnlistedImport;
}

/// Raise ML002 for each distinct unlisted import of each pickle.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.pickles {
        let mut seen = std::collections::BTreeSet::new();
        for g in &p.scan.globals {
            // Imports only the byte scan found (past where loading stops) are judged by
            // ML001 alone; the stream shape around them is ML004/ML005's.
            if g.unreached
                || judge_with(g, &cx.model_allow) != Judgement::Unlisted
                || !seen.insert(g.dotted())
            {
                continue;
            }
            let what = if g.computed {
                format!(
                    "imports a name computed at load time ({:?} at byte {}): unknown until it runs",
                    g.op,
                    p.offset + g.offset
                )
            } else {
                format!(
                    "imports `{}` at byte {}, outside the checkpoint allowlist",
                    g.dotted(),
                    p.offset + g.offset
                )
            };
            super::push(
                cx,
                out,
                cx.finding(
                    &META,
                    Location::file(p.entry.path.clone()),
                    format!("{what}; policy {POLICY_VERSION}"),
                ),
            );
        }
    }
}
