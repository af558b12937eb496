//! Bounded decoders used by deobfuscation: base64/32/16, zlib/gzip/bz2/lzma/xz,
//! rot13 and reversal, plus the "does this look like code" tests that decide
//! whether a decoded value is analysed as a child.
//!
//! Every decoder takes a byte limit; output past it is cut and the value dropped
//! (a decompression bomb yields `None`, never an allocation of its full size).

use base64::Engine;
use std::io::Read;

/// base64 (standard or URL-safe alphabet, padding optional, ASCII whitespace ignored).
pub fn base64(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    let clean: Vec<u8> = input
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if clean.is_empty() || clean.len() / 4 * 3 > limit {
        return None;
    }
    let cfg = base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let std = base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, cfg);
    let url = base64::engine::GeneralPurpose::new(&base64::alphabet::URL_SAFE, cfg);
    std.decode(&clean).or_else(|_| url.decode(&clean)).ok()
}

/// base32 (RFC 4648, padding optional, case-insensitive).
pub fn base32(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut clean: Vec<u8> = input
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_uppercase)
        .collect();
    if clean.is_empty() || clean.len() / 8 * 5 > limit {
        return None;
    }
    while !clean.len().is_multiple_of(8) {
        clean.push(b'=');
    }
    data_encoding::BASE32.decode(&clean).ok()
}

/// Hex / base16 (case-insensitive, whitespace ignored, optional `\x` or `0x` not accepted).
pub fn hex(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    let clean: Vec<u8> = input
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    if clean.is_empty() || clean.len() / 2 > limit {
        return None;
    }
    data_encoding::HEXLOWER_PERMISSIVE.decode(&clean).ok()
}

fn read_limited(mut r: impl Read, limit: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let n = r
        .by_ref()
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    (n <= limit && n > 0).then_some(out)
}

/// zlib (RFC 1950), falling back to raw deflate (RFC 1951).
pub fn zlib(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    read_limited(flate2::read::ZlibDecoder::new(input), limit)
        .or_else(|| read_limited(flate2::read::DeflateDecoder::new(input), limit))
}

/// gzip (RFC 1952), all members.
pub fn gzip(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    read_limited(flate2::read::MultiGzDecoder::new(input), limit)
}

/// bzip2.
pub fn bz2(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    read_limited(bzip2::read::BzDecoder::new(input), limit)
}

/// `.xz` or legacy `.lzma` (what Python's `lzma.decompress` accepts by default).
pub fn lzma(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    if input.starts_with(b"\xfd7zXZ\0") {
        return read_limited(
            lzma_rust2::XzReader::new_mem_limit(input, true, 64 * 1024),
            limit,
        );
    }
    let r = lzma_rust2::LzmaReader::new_mem_limit(input, 64 * 1024, None).ok()?;
    read_limited(r, limit)
}

/// Try the compressor whose magic the input carries (zlib, gzip, bz2, xz/lzma).
pub fn decompress_any(input: &[u8], limit: usize) -> Option<(Vec<u8>, &'static str)> {
    if input.starts_with(b"\x1f\x8b") {
        return gzip(input, limit).map(|v| (v, "gzip"));
    }
    if input.starts_with(b"BZh") {
        return bz2(input, limit).map(|v| (v, "bz2"));
    }
    if input.starts_with(b"\xfd7zXZ\0") || input.first() == Some(&0x5d) {
        return lzma(input, limit).map(|v| (v, "lzma"));
    }
    if input.len() >= 2
        && input[0] & 0x0f == 8
        && (u16::from(input[0]) << 8 | u16::from(input[1])) % 31 == 0
    {
        return zlib(input, limit).map(|v| (v, "zlib"));
    }
    None
}

/// `Some("PE" | "ELF" | "Mach-O")` when the bytes start with a native executable's
/// header, checked structurally, not by magic alone: a 4-byte magic turns up in test
/// vectors and hashes (pycryptodome's GCM vectors hold 20-byte values starting
/// `cffaedfe`), and no executable is that short.
/// - PE/COFF (Microsoft PE format): an MS-DOS header (`MZ`, 64 bytes) whose `e_lfanew`
///   (offset 0x3c) points at `PE\0\0`, or past the end of a prefix of at least 1 KiB
///   (a payload cut by a decode bound) while below 64 KiB.
/// - ELF (System V gABI): `\x7fELF`, class 1 or 2, data encoding 1 or 2, version 1, and
///   at least the 52 bytes of an ELF32 header.
/// - Mach-O (`<mach-o/loader.h>`): one of the four `mach_header` magics, at least 28
///   bytes, a file type 1–12 and 1–65,535 load commands.
pub fn native_kind(b: &[u8]) -> Option<&'static str> {
    let u32_at = |o: usize, le: bool| -> Option<u32> {
        let w: [u8; 4] = b.get(o..o + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(w)
        } else {
            u32::from_be_bytes(w)
        })
    };
    if b.starts_with(b"MZ") && b.len() >= 64 {
        let lfanew = u32_at(0x3c, true).map_or(usize::MAX, |v| v as usize);
        let signed = b.get(lfanew..lfanew.saturating_add(4)) == Some(b"PE\0\0".as_slice());
        let cut = lfanew.saturating_add(4) > b.len() && b.len() >= 1024 && lfanew < 0x1_0000;
        return (signed || cut).then_some("PE");
    }
    if b.starts_with(b"\x7fELF") {
        let ok = b.len() >= 52
            && matches!(b.get(4), Some(1 | 2))
            && matches!(b.get(5), Some(1 | 2))
            && b.get(6) == Some(&1);
        return ok.then_some("ELF");
    }
    let le = match b.get(..4) {
        Some([0xfe, 0xed, 0xfa, 0xce | 0xcf]) => false,
        Some([0xce | 0xcf, 0xfa, 0xed, 0xfe]) => true,
        _ => return None,
    };
    let filetype = u32_at(12, le)?;
    let ncmds = u32_at(16, le)?;
    (b.len() >= 28 && (1..=12).contains(&filetype) && (1..=65_535).contains(&ncmds))
        .then_some("Mach-O")
}

/// ROT13 of ASCII letters.
pub fn rot13(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a') + 13) % 26 + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A') + 13) % 26 + b'A') as char,
            c => c,
        })
        .collect()
}

/// Whether a string could be a base64 blob worth decoding (length, alphabet, entropy of
/// the alphabet use). Used for literals not passed through a known decoder.
pub fn looks_like_base64(s: &str) -> bool {
    let t = s.trim();
    if t.len() < 40 {
        return false;
    }
    let mut classes = [false; 3];
    for b in t.bytes() {
        match b {
            b'a'..=b'z' => classes[0] = true,
            b'A'..=b'Z' => classes[1] = true,
            b'0'..=b'9' => classes[2] = true,
            b'+' | b'/' | b'=' | b'-' | b'_' | b'\n' | b'\r' => {}
            _ => return false,
        }
    }
    classes.iter().all(|c| *c)
}

/// Whether a string could be a hex blob worth decoding.
pub fn looks_like_hex(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 40 && t.len().is_multiple_of(2) && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether decoded bytes look like Python source worth analysing.
pub fn looks_like_python(b: &[u8]) -> bool {
    if b.len() < 6 {
        return false;
    }
    let sample = &b[..b.len().min(4096)];
    let printable = sample
        .iter()
        .filter(|&&c| {
            c == b'\n' || c == b'\t' || c == b'\r' || (0x20..0x7f).contains(&c) || c >= 0x80
        })
        .count();
    if printable * 100 < sample.len() * 95 {
        return false;
    }
    let s = String::from_utf8_lossy(sample);
    const MARKERS: [&str; 14] = [
        "import ",
        "def ",
        "exec(",
        "eval(",
        "print(",
        "__import__",
        "subprocess",
        "os.system",
        "lambda",
        "return ",
        "class ",
        "urlopen",
        "requests.",
        "from ",
    ];
    let hits = MARKERS.iter().filter(|m| s.contains(*m)).count();
    hits >= 2 || (hits == 1 && (s.contains('(') && s.contains(')')))
}

/// What decoded (decompressed) bytes are when they are code: `"PE"`, `"ELF"`,
/// `"Mach-O"` ([`native_kind`]), `"script (#!)"`, or `"shell text"` (printable text with
/// two or more of `/bin/sh`, `/bin/bash`, `eval `, `exec `, `| sh`, `|sh`, `$(`, `sed ` in
/// its first 64 KiB); `None` otherwise. Shared by history review (binary blobs a commit
/// adds) and the scan rule for payloads in test files.
pub fn code_kind(out: &[u8]) -> Option<&'static str> {
    if let Some(k) = native_kind(out) {
        return Some(k);
    }
    if out.starts_with(b"#!") {
        return Some("script (#!)");
    }
    if is_printable_text(out) {
        let head = String::from_utf8_lossy(out.get(..out.len().min(64 * 1024)).unwrap_or(out));
        const SHELL: &[&str] = &[
            "/bin/sh",
            "/bin/bash",
            "eval ",
            "exec ",
            "| sh",
            "|sh",
            "$(",
            "sed ",
        ];
        if SHELL.iter().filter(|k| head.contains(*k)).count() >= 2 {
            return Some("shell text");
        }
    }
    None
}

/// Whether decoded bytes are printable text (for recording as a string for IOC matching).
pub fn is_printable_text(b: &[u8]) -> bool {
    if b.len() < 4 {
        return false;
    }
    let sample = &b[..b.len().min(4096)];
    std::str::from_utf8(sample)
        .is_ok_and(|s| s.chars().all(|c| !c.is_control() || c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_headers_are_checked_structurally() {
        // Must match: minimal but well-formed headers.
        let mut elf = vec![0u8; 64];
        elf[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
        assert_eq!(native_kind(&elf), Some("ELF"));
        let mut macho = vec![0u8; 32];
        macho[..4].copy_from_slice(&[0xcf, 0xfa, 0xed, 0xfe]);
        macho[12] = 2; // MH_EXECUTE
        macho[16] = 15; // load commands
        assert_eq!(native_kind(&macho), Some("Mach-O"));
        let mut pe = vec![0u8; 0x84];
        pe[..2].copy_from_slice(b"MZ");
        pe[0x3c] = 0x80;
        pe[0x80..0x84].copy_from_slice(b"PE\0\0");
        assert_eq!(native_kind(&pe), Some("PE"));
        // Must not match: a 20-byte test vector with a Mach-O magic (pycryptodome's GCM
        // vectors), an ELF magic with a bad class, a DOS stub without a PE signature.
        let mut vector = vec![0xcfu8, 0xfa, 0xed, 0xfe];
        vector.extend_from_slice(&[0x11; 16]);
        assert_eq!(native_kind(&vector), None);
        let mut bad = elf.clone();
        bad[4] = 7;
        assert_eq!(native_kind(&bad), None);
        let mut stub = pe.clone();
        stub[0x80] = b'X';
        assert_eq!(native_kind(&stub), None);
        let mut odd = macho.clone();
        odd[12] = 99;
        assert_eq!(native_kind(&odd), None);
    }

    #[test]
    fn decoders_round_trip() {
        assert_eq!(
            base64(b"aW1wb3J0IG9z", 100).as_deref(),
            Some(&b"import os"[..])
        );
        assert_eq!(base64(b"aW1wb3J0IG9", 100).map(|v| v.len()), Some(8));
        assert_eq!(hex(b"696d706f7274", 100).as_deref(), Some(&b"import"[..]));
        assert_eq!(base32(b"NFWXA33SOQ", 100).as_deref(), Some(&b"import"[..]));
        assert_eq!(rot13("vzcbeg"), "import");
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"import os; os.system('x')").unwrap();
        let z = e.finish().unwrap();
        assert_eq!(decompress_any(&z, 1000).map(|x| x.1), Some("zlib"));
    }

    #[test]
    fn bombs_are_refused() {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![b'a'; 10_000_000]).unwrap();
        let z = e.finish().unwrap();
        assert!(zlib(&z, 1 << 20).is_none());
    }

    #[test]
    fn python_detection() {
        assert!(looks_like_python(b"import os\nos.system('id')"));
        assert!(!looks_like_python(b"hello world, this is prose"));
        assert!(!looks_like_python(&[0, 1, 2, 3, 4, 5, 6, 7]));
    }
}

/// The PEP 263 source-encoding declaration of a Python file: a comment matching
/// `coding[:=]\s*([-\w.]+)` on line 1 or 2 (line 2 only when line 1 is a comment or
/// blank). Returns the codec name, lowercased with `-` as `_`.
pub fn pep263_codec(source: &[u8]) -> Option<String> {
    let mut lines = source.splitn(3, |&b| b == b'\n');
    let first = lines.next()?;
    let second = lines.next();
    let cookie = |line: &[u8]| -> Option<String> {
        let t = std::str::from_utf8(line.get(..line.len().min(512))?).ok()?;
        let t = t.trim_start_matches([' ', '\t', '\x0c']);
        if !t.starts_with('#') {
            return None;
        }
        let i = t.find("coding")?;
        let rest = t.get(i + 6..)?;
        let rest = rest.strip_prefix([':', '='])?;
        let name: String = rest
            .trim_start_matches([' ', '\t'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        (!name.is_empty()).then(|| name.to_ascii_lowercase().replace('-', "_"))
    };
    if let Some(c) = cookie(first) {
        return Some(c);
    }
    let first_is_comment = {
        let t = first.trim_ascii_start();
        t.is_empty() || t.starts_with(b"#")
    };
    if first_is_comment {
        second.and_then(cookie)
    } else {
        None
    }
}

/// Decode a Python source whose PEP 263 codec changes what ASCII bytes mean, as
/// CPython's tokenizer does before parsing: `unicode_escape` and `raw_unicode_escape`
/// (`\x69\x6d…` is `im…`) and `utf_7` (`+AGkAbQ-`). `None` for every other codec (the
/// ASCII-compatible ones read the same; the rest CPython refuses) and when the text does
/// not decode. The output is bounded by `limit` bytes.
pub fn pep263_decode(source: &[u8], codec: &str, limit: usize) -> Option<Vec<u8>> {
    match codec {
        "unicode_escape" | "raw_unicode_escape" => {
            unicode_escape(source, codec == "raw_unicode_escape", limit)
        }
        "utf_7" | "utf7" | "u7" | "unicode_1_1_utf_7" | "csunicode11utf7" => utf7(source, limit),
        _ => None,
    }
}

/// Whether a codec is an ordinary text encoding in which a Python file reads as what it
/// looks like (UTF-8, ASCII, the Latin and Windows code pages, the CJK encodings).
pub fn is_plain_codec(codec: &str) -> bool {
    let c = codec;
    matches!(
        c,
        "utf_8"
            | "utf8"
            | "utf_8_sig"
            | "ascii"
            | "us_ascii"
            | "latin_1"
            | "latin1"
            | "l1"
            | "iso_8859_1"
            | "iso8859_1"
            | "u8"
            | "utf"
    ) || c.starts_with("iso_8859")
        || c.starts_with("iso8859")
        || c.starts_with("cp")
        || c.starts_with("windows_")
        || c.starts_with("latin")
        || c.starts_with("mac")
        || c.starts_with("koi8")
        || matches!(
            c,
            "gbk"
                | "gb2312"
                | "gb18030"
                | "big5"
                | "euc_jp"
                | "euc_kr"
                | "shift_jis"
                | "sjis"
                | "euc_cn"
                | "emacs"
                | "vim"
                | "utf_8_unix"
                | "utf_8_dos"
        )
}

fn unicode_escape(src: &[u8], raw: bool, limit: usize) -> Option<Vec<u8>> {
    let mut out = String::new();
    let mut i = 0;
    let hex =
        |b: &[u8]| -> Option<u32> { u32::from_str_radix(std::str::from_utf8(b).ok()?, 16).ok() };
    while i < src.len() {
        if out.len() > limit {
            return None;
        }
        let b = src[i];
        if b != b'\\' || i + 1 >= src.len() {
            // unicode_escape reads other bytes as Latin-1.
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let n = src[i + 1];
        let (ch, used) = match n {
            b'u' => (hex(src.get(i + 2..i + 6)?).and_then(char::from_u32), 6),
            b'U' => (hex(src.get(i + 2..i + 10)?).and_then(char::from_u32), 10),
            _ if raw => (Some('\\'), 1),
            b'x' => (hex(src.get(i + 2..i + 4)?).and_then(char::from_u32), 4),
            b'n' => (Some('\n'), 2),
            b't' => (Some('\t'), 2),
            b'r' => (Some('\r'), 2),
            b'\\' => (Some('\\'), 2),
            b'\'' => (Some('\''), 2),
            b'"' => (Some('"'), 2),
            b'a' => (Some('\x07'), 2),
            b'b' => (Some('\x08'), 2),
            b'f' => (Some('\x0c'), 2),
            b'v' => (Some('\x0b'), 2),
            b'\n' => (None, 2),
            b'0'..=b'7' => {
                let mut j = i + 1;
                let mut v = 0u32;
                while j < src.len() && j < i + 4 && (b'0'..=b'7').contains(&src[j]) {
                    v = v * 8 + u32::from(src[j] - b'0');
                    j += 1;
                }
                (char::from_u32(v), j - i)
            }
            _ => (Some('\\'), 1),
        };
        if let Some(c) = ch {
            out.push(c);
        }
        i += used;
    }
    Some(out.into_bytes())
}

fn utf7(src: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut units: Vec<u16> = Vec::new();
    let mut out = String::new();
    let mut i = 0;
    let flush = |units: &mut Vec<u16>, out: &mut String| {
        out.extend(char::decode_utf16(units.drain(..)).map(|r| r.unwrap_or('\u{fffd}')));
    };
    while i < src.len() {
        if out.len() > limit {
            return None;
        }
        let b = src[i];
        if b != b'+' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let end = src[i + 1..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/'))
            .map_or(src.len(), |p| i + 1 + p);
        let run = &src[i + 1..end];
        if run.is_empty() {
            out.push('+');
        } else {
            // Modified base64 without padding: 6 bits per character, 16-bit units.
            let mut bits = 0u32;
            let mut nbits = 0;
            for &c in run {
                let v = match c {
                    b'A'..=b'Z' => c - b'A',
                    b'a'..=b'z' => c - b'a' + 26,
                    b'0'..=b'9' => c - b'0' + 52,
                    b'+' => 62,
                    _ => 63,
                };
                bits = (bits << 6) | u32::from(v);
                nbits += 6;
                if nbits >= 16 {
                    nbits -= 16;
                    units.push(((bits >> nbits) & 0xffff) as u16);
                }
            }
            flush(&mut units, &mut out);
        }
        i = end;
        if src.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    Some(out.into_bytes())
}

#[cfg(test)]
mod pep263_tests {
    use super::*;

    #[test]
    fn cookies_and_decoders() {
        assert_eq!(
            pep263_codec(b"# -*- coding: utf-8 -*-\n").as_deref(),
            Some("utf_8")
        );
        assert_eq!(
            pep263_codec(b"#!/usr/bin/env python\n# coding=Unicode-Escape\n").as_deref(),
            Some("unicode_escape")
        );
        assert_eq!(
            pep263_codec(b"import os\n# coding: utf-7\n"),
            None,
            "line 2 only after a comment"
        );
        assert_eq!(
            pep263_decode(b"\\x69mport os\\n", "unicode_escape", 1 << 20).as_deref(),
            Some(&b"import os\n"[..])
        );
        assert_eq!(
            pep263_decode(b"+AGkAbQBwAG8AcgB0- os", "utf_7", 1 << 20).as_deref(),
            Some(&b"import os"[..])
        );
        assert_eq!(pep263_decode(b"x", "latin_1", 10), None);
        assert!(
            is_plain_codec("utf_8")
                && is_plain_codec("cp1252")
                && !is_plain_codec("unicode_escape")
        );
    }
}
