//! PY014 shellcode-loader.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags the in-memory code-injection sequence through `ctypes`: allocating executable
    /// memory (`VirtualAlloc`/`mmap` with `PAGE_EXECUTE`/`PROT_EXEC`), copying bytes into it
    /// (`RtlMoveMemory`, `memmove`) and starting it (`CreateThread`, a function pointer
    /// cast), named in one file.
    ///
    /// ## Why it matters
    /// This runs native machine code that never touches the disk: a loader for shellcode
    /// or a packed implant. Python packages do not need it.
    ///
    /// ## Example
    /// ```python
    /// ptr = ctypes.windll.kernel32.VirtualAlloc(0, len(buf), 0x3000, 0x40)
    /// ctypes.windll.kernel32.RtlMoveMemory(ptr, buf, len(buf))
    /// ctypes.windll.kernel32.CreateThread(0, 0, ptr, 0, 0, 0)
    /// ```
    ///
    /// ## False positives
    /// JIT compilers and CPU-feature probes (e.g. uv's `cpuid` helper) allocate executable
    /// memory and call it through `CFUNCTYPE`; only starting it with `CreateThread` (or
    /// `CreateRemoteThread`, `QueueUserAPC`) is flagged.
    ///
    /// ## References
    /// - MITRE ATT&CK T1055 (Process Injection), T1620 (Reflective Code Loading)
    pub static META = ShellcodeLoader;
}

/// Whether this rule would read the text of the Python file `data` itself (it names an
/// executable-memory API), so the text must be kept after its analysis.
pub(crate) fn reads_text(data: &[u8]) -> bool {
    memchr::memmem::find(data, b"VirtualAlloc").is_some()
        || memchr::memmem::find(data, b"PROT_EXEC").is_some()
}

/// Check for the alloc/copy/run triple in one file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if !f.entry.complete || f.is_test_or_doc() {
        return;
    }
    let t = &f.entry.data;
    let has = |n: &[u8]| memchr::memmem::find(t, n).is_some();
    // Starting the buffer on a new thread is the injection; calling a few bytes of
    // machine code through CFUNCTYPE (CPU-feature probes, JITs) is not flagged.
    let alloc = has(b"VirtualAlloc");
    let copy = has(b"RtlMoveMemory") || has(b"memmove") || has(b"WriteProcessMemory");
    let run = has(b"CreateThread")
        || has(b"CreateRemoteThread")
        || has(b"QueueUserAPC")
        || has(b"NtCreateThreadEx");
    let via_events = f
        .analysis
        .events
        .iter()
        .any(|e| e.api.contains("VirtualAlloc"))
        && f.analysis
            .events
            .iter()
            .any(|e| e.api.contains("CreateThread"));
    if !(via_events || (alloc && copy && run)) {
        return;
    }
    let line = String::from_utf8_lossy(t)
        .lines()
        .position(|l| l.contains("VirtualAlloc") || l.contains("PROT_EXEC"))
        .map(|i| i as u32 + 1);
    let mut x = cx.finding(
        &META,
        assay_core::Location {
            line,
            ..assay_core::Location::file(f.entry.path.clone())
        },
        "executable memory allocated, written and started via ctypes",
    );
    x.severity = Severity::Critical;
    x.capabilities = vec![Capability::CodeExec];
    out.push(x);
}
