//! PY010 keylogging-or-screen-capture.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags keyboard hooks (`pynput` listeners, `keyboard.hook`), clipboard reads
    /// (`pyperclip.paste`, `win32clipboard`), screenshots (`ImageGrab.grab`,
    /// `pyautogui.screenshot`, `mss`) and webcam capture.
    ///
    /// ## Why it matters
    /// Clipboard hijackers swap crypto addresses; keyloggers and screen grabbers collect
    /// passwords. In code that runs on install or import there is no benign reason.
    ///
    /// ## Example
    /// ```python
    /// from pynput.keyboard import Listener
    /// Listener(on_press=lambda k: None).start()
    /// ```
    ///
    /// ## False positives
    /// Automation and screenshot libraries do this at runtime by design (low there).
    ///
    /// ## References
    /// - MITRE ATT&CK T1056.001 (Keylogging), T1115 (Clipboard Data), T1113 (Screen Capture)
    pub static META = KeyloggingOrScreenCapture;
}

/// Check surveillance events.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    for e in f
        .analysis
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Surveillance)
    {
        let sev = if f.is_test_or_doc() {
            Severity::Info
        } else {
            META.rule.severity_in(e.context)
        };
        let mut x = cx.event_finding(&META, f, e, sev, format!("{}: {}", e.api, e.snippet));
        x.capabilities = vec![Capability::Surveillance];
        out.push(x);
    }
}
