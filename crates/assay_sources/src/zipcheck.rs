//! Tolerant versus strict zip reading (`ARC011`): the ways two zip readers can see
//! different archives in the same bytes.
//!
//! PyTorch's `torch.load` reads checkpoints with miniz through
//! `caffe2/serialize/inline_container.cc`: it walks the **central directory**, locates
//! records by their central name, and follows each entry's local-header offset to the data,
//! skipping the local header by its own name and extra lengths without comparing anything
//! else. Strict readers (CPython `zipfile`, which picklescan and modelscan use) compare the
//! local name with the central one and check CRCs; sequential readers (`unzip -` on a stream,
//! `zip::read_zipfile_from_stream`) read **local headers** in file order and never see the
//! central directory. A member that one of them sees and the scanner does not is a bypass.
//!
//! Checked here, on in-memory zips, with the APPNOTE 6.3.10 layouts:
//! - local vs central name, general-purpose flags, compression method, CRC and sizes (when
//!   the local header carries them, i.e. no data descriptor);
//! - the CRC of stored members' data against the central CRC (up to [`CRC_CHECK_MAX`] each;
//!   in file-backed zips, only pickle members, up to 16 MiB each);
//! - bytes before the first member and after the end record (prepended/appended data);
//! - local headers the central directory does not list (seen only by sequential readers);
//! - encryption flag bits (0, 6) in the central directory: strict readers refuse the member,
//!   PyTorch's reader ignores the bits (the member is read as PyTorch reads it);
//! - data descriptors (flag bit 3) whose CRC or sizes differ from the central directory's,
//!   or that are missing.
//!
//! Duplicate names are `ARC004`, raised by the reader itself. Zip64 entries (sizes or
//! offsets `0xffffffff`) are compared on names and flags only.

use std::collections::BTreeMap;

/// Stored members larger than this are not CRC-checked (it would read every tensor byte).
pub(crate) const CRC_CHECK_MAX: u64 = 64 << 20;
/// In file-backed zips, pickle members up to this size are CRC-checked (the scan keeps
/// pickles whole up to the same size, 16 MiB by default).
const FILE_BACKED_CRC_MAX: u64 = 16 << 20;

/// Whether a member is a pickle: named `*.pkl`, or its data starts with a `PROTO 2..5`
/// opcode (the payload can sit in a member under any name).
fn is_pickle_member(src: &mut impl Src, name: &[u8], data_start: usize) -> bool {
    name.ends_with(b".pkl")
        || src
            .get(data_start, 2)
            .is_some_and(|h| matches!(h.as_slice(), [0x80, 2..=5]))
}
/// Most central-directory entries compared (more are left to the reader's own bounds).
const MAX_ENTRIES: usize = 100_000;
/// Most differences reported per archive.
const MAX_REPORTS: usize = 64;

/// One way the readers disagree: the member name (empty for the archive) and what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Disagreement {
    /// Central-directory name of the member (lossy UTF-8), or empty.
    pub(crate) member: String,
    /// Human explanation.
    pub(crate) what: String,
    /// For a local header the central directory does not list: where it starts, so the
    /// reader can scan that member too.
    pub(crate) unlisted_at: Option<usize>,
}

/// Random access to the archive's bytes: all of them in memory, or a file read on demand
/// (multi-GB checkpoints: only the end record, the central directory and each local header
/// are read).
pub(crate) trait Src {
    /// Total length.
    fn len(&self) -> usize;
    /// `n` bytes at `at`, or `None` past the end.
    fn get(&mut self, at: usize, n: usize) -> Option<Vec<u8>>;
    /// Keep `n` bytes at `at` in memory for the `get`s that follow.
    fn prefetch(&mut self, _at: usize, _n: usize) {}
    /// Every byte, when they are in memory (CRC and gap checks need them).
    fn whole(&self) -> Option<&[u8]>;
}

impl Src for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn get(&mut self, at: usize, n: usize) -> Option<Vec<u8>> {
        <[u8]>::get(self, at..at.checked_add(n)?).map(<[u8]>::to_vec)
    }
    fn whole(&self) -> Option<&[u8]> {
        Some(self)
    }
}

/// A file on disk with one cached window.
pub(crate) struct FileSrc<R> {
    pub(crate) inner: R,
    pub(crate) len: usize,
    window: (usize, Vec<u8>),
}

impl<R: std::io::Read + std::io::Seek> FileSrc<R> {
    pub(crate) fn new(inner: R, len: u64) -> Self {
        FileSrc {
            inner,
            len: usize::try_from(len).unwrap_or(usize::MAX),
            window: (0, Vec::new()),
        }
    }

    fn read(&mut self, at: usize, n: usize) -> Option<Vec<u8>> {
        use std::io::SeekFrom;
        if at.checked_add(n)? > self.len {
            return None;
        }
        self.inner.seek(SeekFrom::Start(at as u64)).ok()?;
        let mut buf = vec![0u8; n];
        self.inner.read_exact(&mut buf).ok()?;
        Some(buf)
    }
}

impl<R: std::io::Read + std::io::Seek> Src for FileSrc<R> {
    fn len(&self) -> usize {
        self.len
    }
    fn get(&mut self, at: usize, n: usize) -> Option<Vec<u8>> {
        let (w, data) = &self.window;
        if at >= *w
            && let Some(s) = data.get(at - w..(at - w).checked_add(n)?)
        {
            return Some(s.to_vec());
        }
        self.read(at, n)
    }
    fn prefetch(&mut self, at: usize, n: usize) {
        if let Some(d) = self.read(at, n.min(self.len.saturating_sub(at))) {
            self.window = (at, d);
        }
    }
    fn whole(&self) -> Option<&[u8]> {
        None
    }
}

fn u16_at(b: &mut impl Src, at: usize) -> Option<u16> {
    let v = b.get(at, 2)?;
    Some(u16::from_le_bytes([*v.first()?, *v.get(1)?]))
}

fn u32_at(b: &mut impl Src, at: usize) -> Option<u32> {
    let v = b.get(at, 4)?;
    Some(u32::from_le_bytes([
        *v.first()?,
        *v.get(1)?,
        *v.get(2)?,
        *v.get(3)?,
    ]))
}

/// Largest central directory compared (bytes).
const MAX_CD_BYTES: usize = 64 << 20;

struct Central {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
    /// The real compressed size and local-header offset: the 32-bit fields, or the values
    /// of the Zip64 extended-information extra field (APPNOTE 4.5.3) where those are
    /// `0xffffffff`.
    compressed64: u64,
    offset64: u64,
}

/// The Zip64 extended-information extra field (header id 1) of a central entry: its
/// 8-byte values appear in the order uncompressed size, compressed size, local-header
/// offset, each only when the 32-bit field is `0xffffffff`. Returns (compressed, offset).
fn zip64_values(extra: &[u8], size: u32, compressed: u32, offset: u32) -> (u64, u64) {
    let mut out = (u64::from(compressed), u64::from(offset));
    let mut pos = 0usize;
    // Bounded: each round advances by at least 4 bytes of a 64 KiB field.
    while let (Some(id), Some(len)) = (extra.get(pos..pos + 2), extra.get(pos + 2..pos + 4)) {
        let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
        let body = extra.get(pos + 4..pos + 4 + len).unwrap_or_default();
        if id == [1, 0] {
            let mut vals = body.chunks_exact(8).map(|c| {
                c.iter()
                    .rev()
                    .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
            });
            if size == u32::MAX {
                vals.next();
            }
            if compressed == u32::MAX
                && let Some(v) = vals.next()
            {
                out.0 = v;
            }
            if offset == u32::MAX
                && let Some(v) = vals.next()
            {
                out.1 = v;
            }
            break;
        }
        pos += 4 + len;
    }
    out
}

/// Compare how a central-directory reader and a local-header reader see `bytes`. Returns
/// nothing when no end record is found (the reader reports that) or the archive is
/// consistent.
pub(crate) fn compare(bytes: &[u8]) -> Vec<Disagreement> {
    compare_src(&mut &*bytes)
}

/// [`compare`] over any [`Src`]; without all bytes in memory, gaps between members are not
/// checked and only pickle members' CRCs are.
pub(crate) fn compare_src(src: &mut impl Src) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut say_at = |member: &[u8], what: String, unlisted_at: Option<usize>| {
        if out.len() < MAX_REPORTS {
            out.push(Disagreement {
                member: String::from_utf8_lossy(member).into_owned(),
                what,
                unlisted_at,
            });
        }
    };
    let mut say = |member: &[u8], what: String| say_at(member, what, None);
    // End of central directory: the last signature in the final 64 KiB + 22 bytes.
    let total = src.len();
    let tail_start = total.saturating_sub(65_557);
    let Some(tail) = src.get(tail_start, total - tail_start) else {
        return out;
    };
    let Some(eocd) = memchr::memmem::rfind(&tail, b"PK\x05\x06").map(|i| tail_start + i) else {
        return out;
    };
    src.prefetch(tail_start, total - tail_start);
    let (Some(count), Some(cd_size), Some(cd_offset), Some(comment_len)) = (
        u16_at(src, eocd + 10),
        u32_at(src, eocd + 12),
        u32_at(src, eocd + 16),
        u16_at(src, eocd + 20),
    ) else {
        return out;
    };
    let end = eocd + 22 + usize::from(comment_len);
    if total > end {
        say(
            b"",
            format!(
                "{} bytes after the end-of-central-directory record: readers that search from the end and readers that stop at the record see different files",
                total - end
            ),
        );
    }
    // Zip64 archives keep the real directory elsewhere: leave them to the reader.
    if cd_offset == u32::MAX || count == u16::MAX {
        return out;
    }
    // The directory ends where the end records start: the classic record, or the Zip64
    // end record when a Zip64 locator (20 bytes, APPNOTE 4.3.15) sits right before the
    // classic one (APPNOTE 4.3.14; PyTorch's writer always emits both).
    let mut dir_end = eocd;
    if let Some(loc) = eocd.checked_sub(20)
        && loc >= tail_start
        && src.get(loc, 4).as_deref() == Some(b"PK\x06\x07")
        && let Some(rec) = tail
            .get(..loc - tail_start)
            .and_then(|t| memchr::memmem::rfind(t, b"PK\x06\x06"))
    {
        dir_end = tail_start + rec;
    }
    // Where the directory really is (data prepended to the zip shifts every offset).
    let cd_start = dir_end.saturating_sub(cd_size as usize);
    let shift = cd_start.saturating_sub(cd_offset as usize);
    let mut entries = Vec::new();
    let mut pos = cd_start;
    src.prefetch(cd_start, (cd_size as usize).min(MAX_CD_BYTES));
    while entries.len() < MAX_ENTRIES
        && pos < cd_start + MAX_CD_BYTES
        && src.get(pos, 4).as_deref() == Some(b"PK\x01\x02")
    {
        let (Some(flags), Some(method), Some(crc), Some(compressed), Some(size)) = (
            u16_at(src, pos + 8),
            u16_at(src, pos + 10),
            u32_at(src, pos + 16),
            u32_at(src, pos + 20),
            u32_at(src, pos + 24),
        ) else {
            break;
        };
        let (Some(n), Some(x), Some(c), Some(offset)) = (
            u16_at(src, pos + 28),
            u16_at(src, pos + 30),
            u16_at(src, pos + 32),
            u32_at(src, pos + 42),
        ) else {
            break;
        };
        let Some(name) = src.get(pos + 46, usize::from(n)) else {
            break;
        };
        let (compressed64, offset64) = if [compressed, size, offset].contains(&u32::MAX) {
            let extra = src
                .get(pos + 46 + usize::from(n), usize::from(x))
                .unwrap_or_default();
            zip64_values(&extra, size, compressed, offset)
        } else {
            (u64::from(compressed), u64::from(offset))
        };
        entries.push(Central {
            name,
            flags,
            method,
            crc,
            compressed,
            size,
            offset,
            compressed64,
            offset64,
        });
        pos += 46 + usize::from(n) + usize::from(x) + usize::from(c);
    }
    // Local header offset → end of that member's data, for the gap scan below.
    let mut covered: BTreeMap<usize, usize> = BTreeMap::new();
    for e in &entries {
        let zip64 = e.offset == u32::MAX || e.compressed == u32::MAX || e.size == u32::MAX;
        let at = usize::try_from(e.offset64)
            .unwrap_or(usize::MAX)
            .saturating_add(shift);
        if src.get(at, 4).as_deref() != Some(b"PK\x03\x04") {
            say(
                &e.name,
                format!(
                    "the central directory points at byte {at}, where no local header starts: readers that trust the local headers and PyTorch's reader disagree"
                ),
            );
            continue;
        }
        let (Some(lflags), Some(lmethod), Some(lcrc), Some(lcomp), Some(lsize), Some(ln), Some(lx)) = (
            u16_at(src, at + 6),
            u16_at(src, at + 8),
            u32_at(src, at + 14),
            u32_at(src, at + 18),
            u32_at(src, at + 22),
            u16_at(src, at + 26),
            u16_at(src, at + 28),
        ) else {
            say(&e.name, "local header truncated".to_owned());
            continue;
        };
        let lname = src.get(at + 30, usize::from(ln)).unwrap_or_default();
        let lname = lname.as_slice();
        if lname != e.name.as_slice() {
            say(
                &e.name,
                format!(
                    "local header names it `{}`: PyTorch and other central-directory readers load `{}`, sequential readers see `{}`",
                    String::from_utf8_lossy(lname),
                    String::from_utf8_lossy(&e.name),
                    String::from_utf8_lossy(lname)
                ),
            );
        }
        // Bit 3 (data descriptor) legitimately moves CRC and sizes out of the local header;
        // bit 11 (UTF-8) is sometimes set in one place only by writers. Any other bit differing
        // (encryption bit 0 above all) changes how the member is read.
        if (lflags ^ e.flags) & !0x0808 != 0 {
            say(
                &e.name,
                format!(
                    "flag bits differ: local 0x{lflags:04x}, central 0x{:04x}{}",
                    e.flags,
                    if (lflags ^ e.flags) & 1 != 0 {
                        " (encrypted in one, not the other)"
                    } else {
                        ""
                    }
                ),
            );
        }
        // Bit 0 (encrypted) or bit 6 (strong encryption) set in the central directory:
        // strict readers (Python zipfile, and the scanners built on it) refuse the member or
        // ask for a password; PyTorch's reader does not look at the bit and loads the data
        // as it is (APPNOTE 4.4.4). The reader reads such a member as PyTorch does.
        if e.flags & 0x0041 != 0 {
            say(
                &e.name,
                format!(
                    "general-purpose flag 0x{:04x} marks the member encrypted: strict readers (Python zipfile, picklescan, modelscan) refuse it, PyTorch's reader ignores the flag and loads the bytes; read here as PyTorch reads them",
                    e.flags
                ),
            );
        }
        if lmethod != e.method {
            say(
                &e.name,
                format!(
                    "compression method differs: local {lmethod}, central {} (each reader decodes different bytes)",
                    e.method
                ),
            );
        }
        let descriptor = lflags & 0x0008 != 0;
        if !descriptor && !zip64 && (lcrc, lcomp, lsize) != (e.crc, e.compressed, e.size) {
            say(
                &e.name,
                format!(
                    "local CRC/sizes ({lcrc:08x}, {lcomp}, {lsize}) differ from the central ones ({:08x}, {}, {})",
                    e.crc, e.compressed, e.size
                ),
            );
        }
        let data_start = at + 30 + usize::from(ln) + usize::from(lx);
        // The real compressed size (Zip64 extra field where the 32-bit one is 0xffffffff:
        // PyTorch's writer emits Zip64 records for every member of a TorchScript archive).
        let data_end =
            data_start.saturating_add(usize::try_from(e.compressed64).unwrap_or(usize::MAX));
        // Bit 3: CRC and sizes follow the data in a descriptor (APPNOTE 4.3.9), optionally
        // signed `PK\x07\x08`. Streaming readers trust it, PyTorch and strict readers the
        // central directory: the two must agree.
        if descriptor && !zip64 {
            let sig = src.get(data_end, 4);
            let at_fields = if sig.as_deref() == Some(b"PK\x07\x08") {
                data_end + 4
            } else {
                data_end
            };
            match (
                u32_at(src, at_fields),
                u32_at(src, at_fields + 4),
                u32_at(src, at_fields + 8),
            ) {
                (Some(dcrc), Some(dcomp), Some(dsize)) => {
                    if (dcrc, dcomp, dsize) != (e.crc, e.compressed, e.size) {
                        say(
                            &e.name,
                            format!(
                                "data descriptor says CRC/sizes ({dcrc:08x}, {dcomp}, {dsize}), the central directory ({:08x}, {}, {}): streaming readers and PyTorch's reader see different members",
                                e.crc, e.compressed, e.size
                            ),
                        );
                    }
                }
                _ => say(
                    &e.name,
                    "flag bit 3 promises a data descriptor after the data, but none is there"
                        .to_owned(),
                ),
            }
        }
        covered.insert(at, data_end);
        let data = if src.whole().is_some() {
            (e.method == 0 && !zip64 && u64::from(e.compressed) <= CRC_CHECK_MAX).then(|| {
                src.whole()
                    .and_then(|b| b.get(data_start..data_end).map(<[u8]>::to_vec))
            })
        } else {
            // File-backed: CRCs of pickle members only (their bytes are read anyway; tensor
            // members are not, that would read every byte of a multi-GB checkpoint).
            (e.method == 0
                && e.compressed64 <= FILE_BACKED_CRC_MAX
                && is_pickle_member(src, &e.name, data_start))
            .then(|| src.get(data_start, e.compressed64 as usize))
        };
        if let Some(data) = data {
            if let Some(data) = data {
                let crc = crc32fast::hash(&data);
                if crc != e.crc {
                    say(
                        &e.name,
                        format!(
                            "bad CRC: data hashes to {crc:08x}, the directory says {:08x}; strict readers (Python zipfile, and the scanners built on it) refuse the member, tolerant ones load it",
                            e.crc
                        ),
                    );
                }
            } else {
                say(
                    &e.name,
                    "member data runs past the end of the file".to_owned(),
                );
            }
        }
    }
    if let Some((&first, _)) = covered.iter().next()
        && first > 0
    {
        say(
            b"",
            format!("{first} bytes before the first member: data prepended to the archive"),
        );
    }
    // Local headers in the gaps between listed members (or before the directory) that the
    // central directory does not list: only sequential readers see them.
    let Some(bytes) = src.whole() else {
        return out;
    };
    let mut gaps = Vec::new();
    let mut cursor = 0usize;
    for (&s, &e) in &covered {
        if s > cursor {
            gaps.push((cursor, s));
        }
        cursor = cursor.max(e);
    }
    gaps.push((cursor, cd_start.min(bytes.len())));
    for (s, e) in gaps {
        let Some(gap) = bytes.get(s..e) else { continue };
        for i in memchr::memmem::find_iter(gap, b"PK\x03\x04").take(MAX_REPORTS) {
            let at = s + i;
            let n = bytes
                .get(at + 26..at + 28)
                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                .map_or(0, |b| usize::from(u16::from_le_bytes(b)));
            let name = bytes.get(at + 30..at + 30 + n).unwrap_or_default();
            say_at(
                name,
                format!(
                    "a local header at byte {at} names `{}`, which the central directory does not list: sequential readers extract it, PyTorch and central-directory scanners never see it; scanned as well",
                    String::from_utf8_lossy(name)
                ),
                Some(at),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use std::io::Write;

    fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (n, d) in members {
            w.start_file(*n, o).unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn consistent_zip_has_no_disagreement() {
        let z = zip(&[
            ("archive/data.pkl", b"\x80\x02N."),
            ("archive/version", b"3\n"),
        ]);
        assert_eq!(compare(&z), vec![]);
    }

    #[test]
    fn every_difference_is_reported() {
        let z = zip(&[
            ("archive/data.pkl", b"\x80\x02N."),
            ("archive/version", b"3\n"),
        ]);
        // Local name differs (same length), CRC corrupted, bytes prepended and appended.
        let mut bad = z.clone();
        let at = memchr::memmem::find(&bad, b"archive/data.pkl").unwrap();
        bad[at..at + 16].copy_from_slice(b"archive/evil.pkl");
        let data = memchr::memmem::find(&bad, b"3\n").unwrap();
        bad[data] = b'4';
        let mut pre = b"#!/bin/sh\n".to_vec();
        pre.extend(&bad);
        pre.extend(b"trailer");
        let got = compare(&pre);
        let text = format!("{got:?}");
        assert!(text.contains("archive/evil.pkl"), "{text}");
        assert!(text.contains("bad CRC"), "{text}");
        assert!(text.contains("bytes before the first member"), "{text}");
        assert!(
            text.contains("after the end-of-central-directory"),
            "{text}"
        );
    }

    /// PyTorch's writer ends every archive with a Zip64 end record and locator before the
    /// classic end record: the directory is found before them, so no member of a real
    /// TorchScript or `torch.save` file reads as unlisted.
    #[test]
    fn zip64_end_records_do_not_hide_the_directory() {
        let z = zip(&[
            ("archive/data.pkl", b"\x80\x02N."),
            ("archive/version", b"3\n"),
        ]);
        let eocd = memchr::memmem::rfind(&z, b"PK\x05\x06").unwrap();
        let cd_offset = u32::from_le_bytes(z[eocd + 16..eocd + 20].try_into().unwrap()) as u64;
        let mut v = z[..eocd].to_vec();
        let rec_at = v.len() as u64;
        // Zip64 end of central directory record (56 bytes) and locator (20 bytes).
        v.extend(b"PK\x06\x06");
        v.extend(44u64.to_le_bytes());
        v.extend([45, 0, 45, 0]);
        v.extend([0u8; 8]);
        v.extend(2u64.to_le_bytes());
        v.extend(2u64.to_le_bytes());
        v.extend(((eocd as u64) - cd_offset).to_le_bytes());
        v.extend(cd_offset.to_le_bytes());
        v.extend(b"PK\x06\x07");
        v.extend([0u8; 4]);
        v.extend(rec_at.to_le_bytes());
        v.extend(1u32.to_le_bytes());
        v.extend(&z[eocd..]);
        assert_eq!(compare(&v), vec![]);
    }

    #[test]
    fn unlisted_local_header_is_seen() {
        let hidden = zip(&[("archive/hidden.pkl", b"\x80\x02N.")]);
        let cd = memchr::memmem::find(&hidden, b"PK\x01\x02").unwrap();
        let z = zip(&[("archive/data.pkl", b"\x80\x02N.")]);
        // Hidden member's local record first, then the real zip with its offsets shifted:
        // rebuild by prepending and fixing nothing — the prefix is unlisted and reported.
        let mut v = hidden[..cd].to_vec();
        v.extend(&z);
        let text = format!("{:?}", compare(&v));
        assert!(text.contains("archive/hidden.pkl"), "{text}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = compare(&data);
        }
    }
}
