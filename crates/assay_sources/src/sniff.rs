//! Format detection by content (magic bytes), and what a file name's extension promises.
//! assay never trusts the extension: real samples named `.tar.gz` are zips. The extension
//! is only compared with the content to raise `ARC008`.

/// A container format recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// Zip (PKWARE APPNOTE): local header, empty-archive end record, or spanning marker.
    Zip,
    /// gzip (RFC 1952), usually around a tar.
    Gzip,
    /// bzip2.
    Bzip2,
    /// xz.
    Xz,
    /// Zstandard (RFC 8878).
    Zstd,
    /// A raw zlib stream (RFC 1950): what `joblib.dump(..., compress=N)` writes by default.
    /// Recognised only when the two header bytes are a valid zlib header *and* the start
    /// decodes, since `x^` can begin a text file.
    Zlib,
    /// A legacy `.lzma` ("LZMA alone") stream: joblib's `compress="lzma"`. Recognised by its
    /// properties byte `0x5d` plus a trial decode.
    Lzma,
    /// An LZ4 frame (joblib's `compress="lz4"`).
    Lz4,
    /// An uncompressed tar (POSIX ustar/pax, GNU, or v7 with a valid checksum).
    Tar,
    /// 7-Zip (read by `sevenz`).
    SevenZ,
}

impl Container {
    /// Human name for evidence strings.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Container::Zip => "zip",
            Container::Gzip => "gzip",
            Container::Bzip2 => "bzip2",
            Container::Xz => "xz",
            Container::Zstd => "zstd",
            Container::Zlib => "zlib",
            Container::Lzma => "lzma",
            Container::Lz4 => "lz4",
            Container::Tar => "tar",
            Container::SevenZ => "7z",
        }
    }
}

/// Size of a tar header block.
pub(crate) const TAR_BLOCK: usize = 512;

/// Recognise a container from the first bytes of a file (at least 512 bytes are needed to
/// recognise a tar).
pub(crate) fn sniff(head: &[u8]) -> Option<Container> {
    const MAGICS: &[(&[u8], Container)] = &[
        (b"PK\x03\x04", Container::Zip),
        (b"PK\x05\x06", Container::Zip),
        (b"PK\x07\x08PK\x03\x04", Container::Zip),
        (b"\x1f\x8b", Container::Gzip),
        (b"BZh", Container::Bzip2),
        (b"\xfd7zXZ\x00", Container::Xz),
        (b"\x28\xb5\x2f\xfd", Container::Zstd),
        (b"7z\xbc\xaf\x27\x1c", Container::SevenZ),
        (b"\x04\x22\x4d\x18", Container::Lz4),
    ];
    if let Some((_, c)) = MAGICS.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(*c);
    }
    if is_tar_header(head) {
        return Some(Container::Tar);
    }
    match head {
        [0x78, 0x01 | 0x5e | 0x9c | 0xda, ..] if decodes(flate2::read::ZlibDecoder::new(head)) => {
            Some(Container::Zlib)
        }
        [0x5d, 0, ..] => {
            let r = lzma_rust2::LzmaReader::new_mem_limit(head, 256 * 1024, None);
            r.ok().is_some_and(decodes).then_some(Container::Lzma)
        }
        _ => None,
    }
}

/// Whether a decoder over the first bytes of a file produces at least one byte (or ends
/// cleanly) instead of an error: the trial decode behind the weak zlib/lzma magics.
fn decodes(mut r: impl std::io::Read) -> bool {
    let mut buf = [0u8; 16];
    r.read(&mut buf).is_ok()
}

/// Whether `block` starts with a tar header: the `ustar` magic at offset 257, or (for v7
/// tars) a valid header checksum over a non-empty name.
pub(crate) fn is_tar_header(block: &[u8]) -> bool {
    let Some(header) = block.get(..TAR_BLOCK) else {
        return false;
    };
    if header.get(257..262) == Some(b"ustar") {
        return true;
    }
    if header.first().is_none_or(|b| *b == 0) {
        return false;
    }
    let Some(field) = header.get(148..156) else {
        return false;
    };
    let Some(stored) = parse_octal(field) else {
        return false;
    };
    let unsigned: u64 = header
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                u64::from(b' ')
            } else {
                u64::from(*b)
            }
        })
        .sum();
    stored == unsigned
}

/// Parse a NUL/space-terminated octal tar field.
fn parse_octal(field: &[u8]) -> Option<u64> {
    let digits = field
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(b))
        .try_fold(0u64, |acc, b| {
            acc.checked_mul(8)?.checked_add(u64::from(b - b'0'))
        });
    digits.filter(|_| field.iter().any(|b| (b'0'..=b'7').contains(b)))
}

/// What the file name's extension says the content is, if it names an archive.
pub(crate) fn expected_by_name(name: &str) -> Option<Container> {
    let lower = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    const EXTS: &[(&str, Container)] = &[
        (".whl", Container::Zip),
        (".zip", Container::Zip),
        (".egg", Container::Zip),
        (".tar.gz", Container::Gzip),
        (".tgz", Container::Gzip),
        (".gz", Container::Gzip),
        (".tar.bz2", Container::Bzip2),
        (".tbz2", Container::Bzip2),
        (".tbz", Container::Bzip2),
        (".bz2", Container::Bzip2),
        (".tar.xz", Container::Xz),
        (".txz", Container::Xz),
        (".xz", Container::Xz),
        (".tar.zst", Container::Zstd),
        (".tzst", Container::Zstd),
        (".zst", Container::Zstd),
        (".tar", Container::Tar),
        (".7z", Container::SevenZ),
    ];
    EXTS.iter()
        .find(|(ext, _)| lower.ends_with(ext))
        .map(|(_, c)| *c)
}

/// The name of a compressed file without its compression extension (`x.json.gz` →
/// `x.json`), for the single member of a compressed non-tar payload.
pub(crate) fn strip_compression_ext(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    for ext in [
        ".gz", ".bz2", ".xz", ".zst", ".tgz", ".tbz2", ".txz", ".z", ".lzma",
    ] {
        if lower.ends_with(ext) && name.len() > ext.len() {
            return name.get(..name.len() - ext.len()).unwrap_or(name);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Some(Container::Zip));
        assert_eq!(sniff(b"\x1f\x8b\x08"), Some(Container::Gzip));
        assert_eq!(sniff(b"BZh91AY"), Some(Container::Bzip2));
        assert_eq!(sniff(b"hello"), None);
        assert_eq!(sniff(b"x^ not zlib at all"), None);
        let z = {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
            e.write_all(b"\x80\x04K\x01.").expect("in-memory write");
            e.finish().expect("in-memory write")
        };
        assert_eq!(sniff(&z), Some(Container::Zlib));
        assert_eq!(sniff(b"\x04\x22\x4d\x18\x64\x40"), Some(Container::Lz4));
        let mut tar = vec![0u8; 512];
        tar[..5].copy_from_slice(b"a.txt");
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff(&tar), Some(Container::Tar));
    }

    #[test]
    fn v7_tar_needs_a_valid_checksum() {
        let mut h = vec![0u8; 512];
        h[..5].copy_from_slice(b"a.txt");
        let sum: u64 = h.iter().map(|b| u64::from(*b)).sum::<u64>() + 8 * 32;
        let field = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(field.as_bytes());
        assert!(is_tar_header(&h));
        h[0] = b'b';
        assert!(!is_tar_header(&h));
        assert!(!is_tar_header(&[0u8; 512]));
    }

    #[test]
    fn extensions() {
        assert_eq!(expected_by_name("x-1.0.tar.gz"), Some(Container::Gzip));
        assert_eq!(
            expected_by_name("X-1.0-py3-none-any.WHL"),
            Some(Container::Zip)
        );
        assert_eq!(expected_by_name("setup.py"), None);
        assert_eq!(strip_compression_ext("data.json.gz"), "data.json");
        assert_eq!(strip_compression_ext(".gz"), ".gz");
    }
}
