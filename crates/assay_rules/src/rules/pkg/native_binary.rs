//! PKG004 native-binary-in-pure-package.

use crate::context::{Cx, is_test_or_doc};
use assay_core::{ArtifactFormat, Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Flags ELF, PE and Mach-O executables inside a distribution that declares itself
    /// pure Python (a wheel tagged `py3-none-any` / `Root-Is-Purelib: true`) or inside an
    /// sdist, which should hold sources only. The file's extension is not trusted: magic
    /// bytes decide.
    ///
    /// ## Why it matters
    /// A pure-Python package has no use for machine code; droppers ship their implant this
    /// way, sometimes renamed `.txt`, `.dat` or `.png`.
    ///
    /// ## Example
    /// `mypkg/assets/logo.png` whose bytes start with `MZ`.
    ///
    /// ## False positives
    /// Some sdists vendor prebuilt helper binaries or test fixtures (tests are low
    /// severity). A binary whose name does not reveal what it is (another type's extension)
    /// is high; an ELF or Mach-O executable without any extension is how Unix tools ship
    /// (`flac-linux-x86` in SpeechRecognition) and is medium, like a `.so`. Honestly named
    /// libraries inside an archive the package carries (a Lambda layer `.zip`, a frozen
    /// application bundle) are low: they are that bundle's runtime, and pip installs the
    /// archive, not its members. Measured on the wide benign set, medium there made 2
    /// popular wheels `suspicious`.
    ///
    /// ## References
    /// - MITRE ATT&CK T1036.008 (Masquerade File Type), T1105 (Ingress Tool Transfer)
    pub static META = NativeBinaryInPurePackage;
}

fn pure_wheel(cx: &Cx) -> bool {
    cx.artifact.entries.iter().any(|e| {
        e.file_kind == assay_core::FileKind::WheelMetadata
            && e.complete
            && String::from_utf8_lossy(&e.data)
                .lines()
                .any(|l| l.trim().eq_ignore_ascii_case("Root-Is-Purelib: true"))
            && String::from_utf8_lossy(&e.data)
                .lines()
                .all(|l| !l.starts_with("Tag:") || l.trim_end().ends_with("-none-any"))
    })
}

/// Check natives.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let applies = match cx.artifact.format {
        ArtifactFormat::Wheel => pure_wheel(cx),
        ArtifactFormat::Sdist => true,
        _ => false,
    };
    if !applies {
        return;
    }
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind.is_native())
    {
        let lower = e.path.to_ascii_lowercase();
        // A binary extension says what the file is; so does no extension at all for a
        // Unix executable (ELF, Mach-O), which is how tools ship (`flac-linux-x86`).
        // Another extension (`.png`, `.txt`, `.py`) is a disguise.
        let base = lower.rsplit('/').next().unwrap_or(&lower);
        let unix_tool = !base.contains('.')
            && matches!(
                e.file_kind,
                assay_core::FileKind::Elf | assay_core::FileKind::MachO
            );
        let honest = unix_tool
            || [".so", ".dll", ".exe", ".dylib", ".pyd", ".bin", ".node"]
                .iter()
                .any(|x| lower.ends_with(x) || lower.contains(&format!("{x}.")));
        // A shared library named as one inside an archive the package carries (a
        // Lambda layer zip, a frozen application's `_internal/`) belongs to that bundle:
        // pip installs the archive, not its members. Disguised members stay high.
        let bundled = e.path.contains("!/");
        let sev = if is_test_or_doc(&e.path) || (bundled && honest) {
            Severity::Low
        } else if !honest {
            Severity::High
        } else {
            Severity::Medium
        };
        let mut x = cx.finding(
            &META,
            Location::file(e.path.clone()),
            format!(
                "{:?} binary ({} bytes){}",
                e.file_kind,
                e.size,
                if honest {
                    ""
                } else {
                    " under a non-binary name"
                }
            ),
        );
        x.severity = sev;
        out.push(x);
    }
}
