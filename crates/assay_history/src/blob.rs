//! Bounded measurements of one blob: binary or text, byte entropy, and whether a
//! compressed fixture decodes to an executable or script (the scan core's decoders,
//! `assay_lang::decode`, with an output bound).

/// Bytes sampled for the binary test.
const BINARY_SAMPLE: usize = 8 * 1024;
/// Bytes sampled for entropy.
const ENTROPY_SAMPLE: usize = 64 * 1024;
/// Largest decoded output read from a compressed fixture.
pub const DECODE_LIMIT: usize = 1024 * 1024;

/// Whether the first 8 KiB hold a NUL byte or are not UTF-8 (git's own heuristic is the
/// NUL test; invalid UTF-8 catches NUL-free compressed data).
pub fn is_binary(b: &[u8]) -> bool {
    let s = b.get(..b.len().min(BINARY_SAMPLE)).unwrap_or(b);
    if memchr::memchr(0, s).is_some() {
        return true;
    }
    match std::str::from_utf8(s) {
        Ok(_) => false,
        // A multi-byte character cut by the sample end is still text.
        Err(e) => e.error_len().is_some(),
    }
}

/// The name of a self-describing document or image format (`PNG`, `PDF`, …) when the
/// bytes start with its magic. Such files are reviewed by opening them, so their
/// entropy (compressed inside the format) does not make them opaque; compressed
/// streams and unknown bytes stay opaque.
pub fn document_kind(b: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"),
        (b"%PDF-", "PDF"),
        (b"ITSF", "CHM"),
        (b"RIFF", "RIFF (WebP/WAV)"),
    ];
    if let Some((_, k)) = MAGIC.iter().find(|(m, _)| b.starts_with(m)) {
        return Some(k);
    }
    // OpenDocument: a zip whose first member is `mimetype` (ODF 1.2 part 3, §3.3).
    (b.starts_with(b"PK\x03\x04") && b.get(30..38) == Some(b"mimetype")).then_some("OpenDocument")
}

/// Shannon entropy of the first 64 KiB in bits per byte (0.0–8.0; 0.0 for no bytes).
pub fn entropy(b: &[u8]) -> f64 {
    let s = b.get(..b.len().min(ENTROPY_SAMPLE)).unwrap_or(b);
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u64; 256];
    for &x in s {
        if let Some(c) = counts.get_mut(usize::from(x)) {
            *c += 1;
        }
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// What a compressed blob decodes to, when that is an executable or a script:
/// `Some(("xz", "ELF"))`. Decoding is bounded by [`DECODE_LIMIT`]; undecodable input is
/// `None` (it is then judged as an opaque binary).
pub fn decoded_payload(b: &[u8]) -> Option<(&'static str, &'static str)> {
    let (out, via) = assay_lang::decode::decompress_any(b, DECODE_LIMIT)?;
    assay_lang::decode::code_kind(&out).map(|k| (via, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn measures() {
        assert!(!is_binary(b"hello world\n"));
        assert!(is_binary(b"\x00\x01"));
        assert!(is_binary(b"\xff\xfe\xfa text"));
        assert_eq!(entropy(b"aaaa"), 0.0);
        let all: Vec<u8> = (0..=255).collect();
        assert!((entropy(&all) - 8.0).abs() < 1e-9);
        assert_eq!(document_kind(b"\x89PNG\r\n\x1a\n...."), Some("PNG"));
        assert_eq!(document_kind(b"\xfd7zXZ\0"), None);
    }

    #[test]
    fn gzip_of_a_script_is_a_payload() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"#!/bin/sh\necho assay-canary\n").unwrap();
        let gz = e.finish().unwrap();
        assert_eq!(decoded_payload(&gz), Some(("gzip", "script (#!)")));
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"just some test data, nothing to run\n")
            .unwrap();
        assert_eq!(decoded_payload(&e.finish().unwrap()), None);
    }

    proptest! {
        // The decoders and measures never panic and stay in range on arbitrary bytes,
        // including inputs that start with each compressor's magic.
        #[test]
        fn total_on_any_bytes(prefix in 0usize..6, body in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let magic: [&[u8]; 6] = [b"", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\0", b"\x5d\0\0", b"\x78\x9c"];
            let mut b = magic[prefix].to_vec();
            b.extend(body);
            let e = entropy(&b);
            prop_assert!((0.0..=8.0 + 1e-9).contains(&e));
            let _ = is_binary(&b);
            let _ = document_kind(&b);
            let _ = decoded_payload(&b);
        }
    }
}
