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

/// `Some("PE" | "ELF" | "Mach-O")` when the bytes start like a native executable.
pub fn native_kind(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"MZ") && b.len() >= 64 {
        return Some("PE");
    }
    if b.starts_with(b"\x7fELF") {
        return Some("ELF");
    }
    if [
        [0xfeu8, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
    ]
    .iter()
    .any(|m| b.starts_with(m))
    {
        return Some("Mach-O");
    }
    None
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
