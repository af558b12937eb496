//! PY011 sandbox-evasion.

use super::super::patterns::{EVASION, matches};
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::EventKind;
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// Flags a file that checks for two or more different kinds of analysis environment:
    /// VirtualBox/VMware/QEMU/Xen guest tools, Sandboxie, debuggers and analysis tools
    /// (Wireshark, Process Monitor, x64dbg…), `IsDebuggerPresent`, or the user and host
    /// names of public malware sandboxes.
    ///
    /// ## Why it matters
    /// Malware stays quiet when it believes it is being watched; benign libraries have
    /// no reason to look for several analysis tools at once.
    ///
    /// ## Example
    /// ```python
    /// if any(p in procs for p in ("vboxservice.exe", "wireshark.exe", "x64dbg.exe")): sys.exit(0)
    /// ```
    ///
    /// ## False positives
    /// Platform-detection libraries (e.g. checking for VMware to pick a driver) usually
    /// name one family; two or more distinct families are required. A file with no way
    /// to observe the machine (no process, file, environment, system-identity or network
    /// call) is data, not a check, and is not reported: image-label lists ("fiddler
    /// crab" in torchvision's ImageNet categories) and icon names ("virtualbox.png" in a
    /// diagram library) made 3 popular wheels `suspicious` on the wide benign set.
    ///
    /// ## References
    /// - MITRE ATT&CK T1497 (Virtualization/Sandbox Evasion)
    pub static META = SandboxEvasion;
}

/// Check evasion strings per file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    let mut kinds = BTreeSet::new();
    let mut first = None;
    for s in f.analysis.strings.iter().filter(|s| s.value.len() < 2048) {
        let h = matches(&EVASION, &s.value);
        if !h.is_empty() && first.is_none() {
            first = Some(s);
        }
        kinds.extend(h);
    }
    let Some(s) = first else { return };
    if kinds.len() < 2 {
        return;
    }
    // Evading means looking: a file that names analysis tools but has no way to observe
    // the machine (processes, files, environment, system identity, the network) holds
    // data, such as an image-label list ("fiddler crab") or icon names
    // ("virtualbox.png"), not a check.
    let observes = f.analysis.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::SystemInfo
                | EventKind::ProcessSpawn
                | EventKind::EnvRead
                | EventKind::EnvHarvest
                | EventKind::FileRead
                | EventKind::FileEnumeration
                | EventKind::NativeLoad
                | EventKind::RegistryWrite
                | EventKind::DnsLookup
                | EventKind::Network
        )
    });
    if !observes {
        return;
    }
    let mut x = cx.finding(
        &META,
        f.string_location(s),
        format!(
            "checks for {} kinds of analysis environment, e.g. {}",
            kinds.len(),
            s.value.trim()
        ),
    );
    x.severity = if s.context.is_automatic() {
        Severity::High
    } else {
        Severity::Medium
    };
    x.context = Some(s.context);
    x.capabilities = vec![Capability::Evasion];
    out.push(x);
}
