//! PKG011 xor-encrypted-executable.

use crate::context::Cx;
use assay_core::{Capability, Finding, Location};

declare_rule! {
    /// ## What it does
    /// Flags any file in a package whose bytes are a native executable (a PE with its
    /// `MZ` header and `PE\0\0` signature, or an ELF header) encrypted with a one-byte
    /// XOR key, whatever the file is called. The key is recovered from the first byte and
    /// confirmed by the rest of the header; files that are plain executables are
    /// PKG004's business.
    ///
    /// ## Why it matters
    /// XOR with one byte hides an implant from every magic-byte check and antivirus
    /// signature while costing the attacker one loop to undo. Stealer droppers on PyPI
    /// shipped their Windows payload as a 340 KB "test.py" XOR-encrypted PE, decrypted it
    /// at run time and started it with `rundll32` (2023).
    ///
    /// ## Example
    /// `mypkg/test.py` whose bytes XOR `0xE3` start with `MZ` and carry `PE\0\0` at the
    /// offset stored at `0x3C`.
    ///
    /// ## False positives
    /// None known: no packaging, test or build tool stores executables this way. Byte
    /// patterns this specific (a two-byte magic, a four-byte signature at a pointed-to
    /// offset under the same key) do not occur by chance in compressed or random data.
    ///
    /// ## References
    /// - MITRE ATT&CK T1027.013 (Encrypted/Encoded File), T1036.008 (Masquerade File Type)
    /// - CWE-506: Embedded Malicious Code
    pub static META = XorEncryptedExecutable;
}

/// The XOR key under which `data` is a PE or ELF executable, and which one. Key 0 (a
/// plain executable) is not reported here.
pub fn xor_executable_key(data: &[u8]) -> Option<(u8, &'static str)> {
    let (&b0, &b1) = (data.first()?, data.get(1)?);
    let key = b0 ^ b'M';
    if key != 0 && b1 ^ key == b'Z' {
        let at = |i: usize| data.get(i).map(|b| b ^ key);
        let lfanew = u32::from_le_bytes([at(0x3c)?, at(0x3d)?, at(0x3e)?, at(0x3f)?]);
        let off = usize::try_from(lfanew).ok()?;
        // The PE signature sits after the 64-byte DOS header, within the first pages.
        if (0x40..=0x1000).contains(&off) && (0..4).all(|i| at(off + i) == Some(b"PE\0\0"[i])) {
            return Some((key, "PE"));
        }
    }
    let key = b0 ^ 0x7f;
    let at = |i: usize| data.get(i).map(|b| b ^ key);
    if key != 0
        && at(1) == Some(b'E')
        && at(2) == Some(b'L')
        && at(3) == Some(b'F')
        && matches!(at(4), Some(1 | 2))
        && matches!(at(5), Some(1 | 2))
        && at(6) == Some(1)
    {
        return Some((key, "ELF"));
    }
    None
}

/// Check every file entry's first bytes.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.kind == assay_core::EntryKind::File && !e.file_kind.is_native())
    {
        let Some((key, what)) = xor_executable_key(&e.data) else {
            continue;
        };
        let mut x = cx.finding(
            &META,
            Location::file(e.path.clone()),
            format!(
                "{what} executable XOR-encrypted with key 0x{key:02x} ({} bytes)",
                e.size
            ),
        );
        x.capabilities = vec![Capability::Obfuscation, Capability::CodeExec];
        out.push(x);
    }
}
