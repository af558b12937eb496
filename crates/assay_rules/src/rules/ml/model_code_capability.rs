//! ML010 model-code-capability.

use crate::context::Cx;
use assay_core::{Finding, Severity};
use assay_lang::{EventKind, FileRole};

declare_rule! {
    /// ## What it does
    /// Flags what the Python files named by a Hugging Face `auto_map` do: model code
    /// (`modeling_x.py`, `tokenization_x.py`, …) that starts processes, executes dynamic
    /// code, reads the whole environment, redirects file descriptors or carries an
    /// executable — critical; that reaches the network, loads native libraries, changes
    /// file modes or decrypts data — high. The finding points at the line in the module
    /// file; the config that names the file is reported by `ML009`.
    ///
    /// ## Why it matters
    /// `AutoModel.from_pretrained(..., trust_remote_code=True)` imports these files and
    /// instantiates their classes: every function in them runs with the user's rights as
    /// the model loads or first runs. Legitimate model code computes tensors; it has no
    /// reason to spawn a shell or phone home.
    ///
    /// ## Example
    /// `config.json` with `"auto_map": {"AutoModel": "modeling_x.XModel"}` and
    /// `modeling_x.py` whose `XModel.__init__` calls `os.system(...)`.
    ///
    /// ## False positives
    /// Model code that downloads extra weights from the Hub (high, not critical) or builds
    /// custom kernels (native loads).
    ///
    /// ## References
    /// - Hugging Face docs, "Custom models" (`auto_map`, `trust_remote_code`)
    /// - `transformers.dynamic_module_utils`
    /// - CWE-94, CWE-829
    pub static META = ModelCodeCapability;
}

fn severity(kind: EventKind) -> Option<Severity> {
    match kind {
        EventKind::ProcessSpawn
        | EventKind::Exec
        | EventKind::EnvHarvest
        | EventKind::FdRedirect
        | EventKind::EmbeddedExecutable
        | EventKind::Surveillance => Some(Severity::Critical),
        EventKind::Network
        | EventKind::DnsLookup
        | EventKind::Download
        | EventKind::NativeLoad
        | EventKind::Chmod
        | EventKind::Decrypt
        | EventKind::OpenBrowser => Some(Severity::High),
        _ => None,
    }
}

/// Raise ML010 for each capability event of model code.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for f in cx.code.iter().filter(|f| f.role == FileRole::ModelCode) {
        for e in f.analysis.events.iter().take(200) {
            let Some(sev) = severity(e.kind) else {
                continue;
            };
            let what = e.arg.as_deref().unwrap_or("");
            let mut finding = cx.finding(
                &META,
                f.event_location(e),
                format!(
                    "{} {} in model code that trust_remote_code loads{}",
                    e.kind.as_str(),
                    e.api,
                    if what.is_empty() {
                        String::new()
                    } else {
                        format!(": {what}")
                    }
                ),
            );
            finding.severity = sev;
            super::push(cx, out, finding);
        }
    }
}
