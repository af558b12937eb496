//! ML001 pickle-dangerous-import.

use super::imports::{Judgement, POLICY_VERSION, judge_with};
use crate::context::Cx;
use assay_core::{Capability, Finding, Location};

declare_rule! {
    /// ## What it does
    /// Flags a pickle (raw `.pkl`, legacy PyTorch, a member of a PyTorch zip checkpoint,
    /// an object `.npy`, joblib, or a pickle nested in a bytes constant of another) that
    /// imports a known-dangerous callable: `os`/`posix`/`nt`, `subprocess`, `builtins.exec`,
    /// `eval`, `compile`, `getattr`, `__import__`, `importlib`, `runpy`, `pty`, `socket`,
    /// `marshal`/`types.CodeType`, `ctypes`, nested loaders (`pickle.loads`, `torch.load`,
    /// `numpy.load`) and more. Every dotted component is checked, so
    /// `torch.serialization` + `os.system` (a protocol-4 dotted name) is caught. The
    /// pickle is walked by a symbolic VM; nothing is imported or run. A linear opcode walk
    /// and a byte scan after it find imports the VM never reaches (after an invalid
    /// opcode, after `STOP`, in a stream with a repeated `PROTO`): a dangerous import
    /// anywhere in the bytes is reported.
    ///
    /// ## Why it matters
    /// `pickle.load`, `torch.load(weights_only=False)`, `joblib.load` and `numpy.load(allow_pickle=True)`
    /// import and call these names while loading: the model file runs code on the victim's
    /// machine. This is how malicious models on public hubs deliver reverse shells.
    ///
    /// ## Example
    /// `cos\nsystem\n(S'echo assay-canary'\ntR.` — `os.system('echo assay-canary')` on load.
    ///
    /// ## False positives
    /// None known in weights files; research pickles that deliberately call these (test
    /// suites of pickle scanners) are flagged too.
    ///
    /// ## References
    /// - Python docs, `pickle` — "Warning: The pickle module is not secure"
    /// - JFrog, "Data scientists targeted by malicious Hugging Face ML models" (2024)
    /// - MITRE ATT&CK T1059 (Command and Scripting Interpreter), CWE-502
    pub static META = PickleDangerousImport;
}

/// Raise ML001 for every denylisted import.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.pickles {
        for g in &p.scan.globals {
            if let Judgement::Dangerous(why) = judge_with(g, &cx.model_allow) {
                let mut nested = if g.depth > 0 {
                    format!(" (in a pickle nested {} deep)", g.depth)
                } else {
                    String::new()
                };
                if g.unreached {
                    nested.push_str(
                        " (found by the linear opcode walk past where the symbolic walk stopped)",
                    );
                }
                let mut f = cx.finding(
                    &META,
                    Location::file(p.entry.path.clone()),
                    format!(
                        "imports `{}` at byte {} ({why}){nested}; policy {POLICY_VERSION}",
                        g.dotted(),
                        p.offset + g.offset
                    ),
                );
                f.capabilities = vec![Capability::CodeExec];
                super::push(cx, out, f);
            }
        }
    }
}
