//! JS002 ai-cli-permission-bypass.

use super::texts;
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding, Severity};
use assay_lang::EventKind;
use regex::Regex;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Flags code that starts an AI coding assistant's CLI with its safeguards switched
    /// off: Claude Code's `--dangerously-skip-permissions`, Gemini CLI's `--yolo`, Amazon
    /// Q's `--trust-all-tools`, Codex's `--dangerously-bypass-approvals-and-sandbox`, and
    /// Copilot CLI's `--allow-all-tools`, in a file that starts processes. When the same
    /// file carries a prompt asking the assistant to search the disk for wallets, keys or
    /// secrets, the finding is high even in code that runs only when called.
    ///
    /// ## Why it matters
    /// The August 2025 `nx` compromise shipped a `postinstall` script that ran every AI CLI
    /// it found on the machine with these flags and a natural-language prompt to
    /// inventory wallet files, SSH keys and `.env` files; the assistants did the search
    /// the malware could not be caught doing itself. The flags remove the per-action
    /// confirmation that would have shown the user what was happening.
    ///
    /// ## Example
    /// ```js
    /// spawn('claude', ['--dangerously-skip-permissions', '-p', 'Recursively search the home directory for wallet files…']);
    /// ```
    ///
    /// ## False positives
    /// Agent frameworks and the CLIs themselves mention the flags in code the user runs
    /// on purpose: low there, unless a secret-hunting prompt is beside it. Install-time
    /// and import-time use is critical.
    ///
    /// ## References
    /// - GHSA-cxm3-wv7p-598c, "Malicious versions of Nx and some supporting plugins were published" (2025-08)
    /// - MITRE ATT&CK T1059 (Command and Scripting Interpreter), T1083 (File and Directory Discovery)
    pub static META = AiCliAbuse;
}

/// A permission-bypass flag, alone (an argument list) or inside a command line. `--yolo`
/// and `--allow-all-tools` are generic words, so they count only next to the CLI's name.
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"(--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|--trust-all-tools|\bgemini\b[^\n]{0,120}--yolo|\bcopilot\b[^\n]{0,120}--allow-all-tools)")
        .expect("static pattern compiles")
});

/// A prompt that sends the assistant hunting for secrets on the disk.
static HUNT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"(?is)\b(search|scan|find|look for|enumerate|inventory|locate)\b.{0,300}\b(wallet|private key|seed phrase|mnemonic|keystore|id_rsa|\.env\b|credentials?|secrets?)\b")
        .expect("static pattern compiles")
});

/// Check one code file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    let spawns = f
        .analysis
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::ProcessSpawn | EventKind::CallRuns));
    if !spawns {
        return;
    }
    let hunt = f
        .analysis
        .strings
        .iter()
        .any(|s| s.value.len() <= 8192 && HUNT.is_match(&s.value));
    let mut best: Option<(String, ExecutionContext, assay_core::Location)> = None;
    for (t, ctx, loc) in texts(f) {
        let Some(m) = FLAG.find(t) else { continue };
        let better = best
            .as_ref()
            .is_none_or(|(_, c, _)| ctx.is_automatic() && !c.is_automatic());
        if better {
            best = Some((m.as_str().to_owned(), ctx, loc));
        }
    }
    let Some((flag, ctx, loc)) = best else { return };
    let mut sev = META.rule.severity_in(ctx);
    if hunt {
        sev = sev.max(Severity::High);
    }
    let mut x = cx.finding(
        &META,
        loc,
        format!(
            "AI CLI run with `{flag}` at {}{}",
            ctx.as_str(),
            if hunt {
                ", with a prompt to search the disk for secrets"
            } else {
                ""
            }
        ),
    );
    x.severity = sev;
    x.context = Some(ctx);
    x.capabilities = vec![Capability::Process, Capability::CredentialAccess];
    out.push(x);
}
