//! PY009 persistence-mechanism.

use super::super::patterns::{PERSISTENCE, SHELL_COMMANDS, matches};
use crate::context::{CodeFile, Cx, is_prose};
use assay_core::{Capability, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags code that writes the Windows registry `Run` keys or names persistence
    /// locations and commands — `Run`/`RunOnce` keys, the Startup folder, `schtasks
    /// /create`, cron, systemd units, XDG autostart, launchd agents, `rc.local`, shell rc
    /// files — in a file that also writes files, the registry, or starts processes; and
    /// browser launch shortcuts (`.lnk`) rewritten to side-load an extension
    /// (`--load-extension=`), critical at install, startup or import time.
    ///
    /// ## Why it matters
    /// A package has no business surviving a reboot. Malware installs itself here so the
    /// payload keeps running after the package is removed.
    ///
    /// ## Example
    /// ```python
    /// import winreg
    /// k = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run", 0, winreg.KEY_SET_VALUE)
    /// winreg.SetValueEx(k, "updater", 0, winreg.REG_SZ, r"C:\Users\x\AppData\Roaming\u.exe")
    /// ```
    ///
    /// ## False positives
    /// Service managers and dotfile tools legitimately write these places at runtime
    /// (medium there); automatic execution makes it high. The context is that of the
    /// writes and process starts, not of the string: a module-level constant (a cron
    /// module's documented examples) that only runtime code acts on is runtime. A place
    /// named only in prose (docstrings, EXAMPLES text, help messages) is info, and a shell
    /// rc file counts only where the same function writes a file.
    ///
    /// ## References
    /// - MITRE ATT&CK T1547.001 (Registry Run Keys / Startup Folder), T1053 (Scheduled Task/Job), T1543 (Create or Modify System Process), T1176 (Browser Extensions)
    pub static META = PersistenceMechanism;
}

/// Check persistence strings in files that also write or spawn.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    let a = &f.analysis;
    let acts = a.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::FileWrite | EventKind::RegistryWrite | EventKind::ProcessSpawn
        )
    });
    if !acts {
        return;
    }
    // Browser hijack (ATT&CK T1176): launch shortcuts rewritten so the browser loads an
    // extension the package dropped (`shortcut.Arguments = '--load-extension=…'`). A
    // test harness starts a browser with an extension; it does not edit `.lnk` files.
    if let Some(s) = a
        .strings
        .iter()
        .find(|s| s.value.len() < 4096 && s.value.contains("--load-extension"))
        && a.strings.iter().any(|t| {
            t.chain == s.chain
                && (t.value.eq_ignore_ascii_case(".lnk") || t.value.contains("WScript.Shell"))
        })
    {
        let acted = a
            .events
            .iter()
            .filter(|e| e.kind == EventKind::FileWrite && e.chain == s.chain)
            .map(|e| e.context)
            .min()
            .unwrap_or(s.context);
        let context = s.context.max(acted);
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!(
                "rewrites browser shortcuts to side-load an extension: {}",
                s.value.trim()
            ),
        );
        x.severity = if context.is_automatic() {
            Severity::Critical
        } else {
            Severity::Medium
        };
        x.context = Some(context);
        x.capabilities = vec![Capability::Persistence];
        out.push(x);
        return;
    }
    // Shell rc files alone are too common in dev tools (a shell launcher's `--rcfile`, a
    // PATH helper's advice): they count only where the same function writes a file.
    let writes_in = |s: &assay_lang::StrLit| {
        a.events.iter().any(|e| {
            e.kind == EventKind::FileWrite && e.function == s.function && e.chain == s.chain
        })
    };
    let mut named = a
        .strings
        .iter()
        .filter(|s| s.value.len() < 4096)
        .map(|s| (s, matches(&PERSISTENCE, &s.value)))
        .filter(|(s, h)| {
            !h.is_empty() && (!h.iter().all(|h| h.contains("bashrc")) || writes_in(s))
        });
    let Some(first) = named.next() else {
        return;
    };
    // Documentation names these places; code writes them. Prefer a literal that is data
    // (a path, a command) to prose (a module's EXAMPLES text, a help message), within a
    // bounded look-ahead.
    let (s, _) = if is_prose(&first.0.value) {
        named
            .take(256)
            .find(|(s, _)| !is_prose(&s.value))
            .unwrap_or(first)
    } else {
        first
    };
    // A download-and-run command written from the same function into the place that
    // runs it (`echo 'wget … && chmod +x … && /tmp/x &' >> ~/.bashrc`) is an implant
    // in any context.
    let implant =
        a.events.iter().any(|e| {
            e.kind == EventKind::FileWrite && e.function == s.function && e.chain == s.chain
        }) && a.strings.iter().any(|t| {
            t.function == s.function
                && t.chain == s.chain
                && t.value.len() < 4096
                && SHELL_COMMANDS.0.matches(&t.value).iter().any(|i| i < 2)
        });
    // A location is persistence only when something writes it or runs with it, so the
    // finding takes the context of the acts: a constant named at module level (a cron
    // module's EXAMPLES text, a service manager's path table) that only runtime code
    // writes is runtime. The less automatic of the two: a location inside a function is
    // used only when that function runs.
    let acted = a
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::FileWrite | EventKind::RegistryWrite | EventKind::ProcessSpawn
            )
        })
        .map(|e| e.context)
        .min()
        .unwrap_or(s.context);
    let context = s.context.max(acted);
    let sev = if implant {
        Severity::Critical
    } else if is_prose(&s.value) {
        // Only prose names a persistence place: documentation of a service or cron
        // manager (`- name: Ensure a job that runs at 2 and 5 exists…`), not an act.
        Severity::Info
    } else {
        META.rule.severity_in(context)
    };
    let mut x = cx.finding(
        &META,
        f.string_location(s),
        if implant {
            format!(
                "writes a download-and-run command into a persistence location: {}",
                s.value.trim()
            )
        } else {
            format!("persistence location: {}", s.value.trim())
        },
    );
    x.severity = sev;
    x.context = Some(if implant { s.context } else { context });
    x.capabilities = vec![Capability::Persistence];
    out.push(x);
}
