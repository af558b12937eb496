//! Zip archives (wheels, `.zip` sdists, eggs), read in memory with the `zip` crate.
//!
//! The central directory is walked with `zip::unstable::read::ZipIterable`, which keeps
//! members that share a name (CPython's `zipfile` — and so pip — sees all of them; the
//! `ZipArchive` index would silently keep one). Each member is decompressed at most once and
//! only as far as the content policy needs. When the central directory is missing or
//! unreadable (a truncated download), the local headers are read sequentially instead, so
//! members before the damage are still scanned.
//!
//! Per-member bounds: the declared expansion ratio is checked before anything is
//! decompressed, the `zip` crate refuses to produce more than the declared size, and members
//! whose data overlaps another member's (the "better zip bomb" construction) are reported.

use crate::limits::{Metered, RATIO_FLOOR_BYTES, read_up_to};
use crate::names::RawName;
use crate::rules::{self, finding};
use crate::sink::{Admitted, Scope, Sink};
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom};
use zip::read::{Config, ZipReadOptions};
use zip::unstable::read::ZipIterable;

/// What we need to know about a member before reading it.
struct MemberMeta {
    name_raw: Vec<u8>,
    is_dir: bool,
    is_symlink: bool,
    encrypted: bool,
    stored: bool,
    deflated: bool,
    size: u64,
    compressed: u64,
    header_start: u64,
}

/// Build a [`MemberMeta`] from a `ZipFileEntry` or a `ZipFile` (same inherent methods, no
/// shared trait).
macro_rules! member_meta {
    ($m:expr) => {{
        let m = &$m;
        MemberMeta {
            name_raw: m.name_raw().to_vec(),
            is_dir: m.is_dir(),
            // Unix mode bits say symlink (S_IFLNK), as Info-ZIP and the zip crate write links.
            is_symlink: m
                .unix_mode()
                .is_some_and(|mode| mode & 0o170_000 == 0o120_000),
            encrypted: m.encrypted(),
            stored: m.compression() == zip::CompressionMethod::Stored,
            deflated: m.compression() == zip::CompressionMethod::Deflated,
            size: m.size(),
            compressed: m.compressed_size(),
            header_start: m.header_start(),
        }
    }};
}

/// Read a zip held in `bytes`. With `strict`, an archive whose central directory cannot be
/// found is an `ARC007` finding and its local headers are read instead; without it (content
/// that only *might* be a zip), `false` is returned and nothing is recorded.
pub(crate) fn read(sink: &mut Sink<'_>, scope: &Scope, bytes: &[u8], strict: bool) -> bool {
    let mut iterable = match ZipIterable::try_new(Cursor::new(bytes), Config::default()) {
        // Content that only might be a zip (an end record found in the tail of something
        // else) counts as one only if it lists members; otherwise it is read as a plain file.
        Ok(z) if !strict && z.is_empty() => return false,
        Ok(z) => z,
        Err(e) if strict => {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &scope.loc,
                format!("zip central directory unreadable ({e}); read the local headers instead"),
            ));
            read_local_headers(sink, scope, bytes);
            return true;
        }
        Err(_) => return false,
    };
    walk_members(sink, scope, &mut iterable, &mut Cursor::new(bytes));
    let unlisted = report_disagreements(sink, scope, crate::zipcheck::compare(bytes));
    read_unlisted(sink, scope, bytes, &unlisted);
    true
}

/// Raise `ARC011` for each disagreement; returns where unlisted local headers start.
pub(crate) fn report_disagreements(
    sink: &mut Sink<'_>,
    scope: &Scope,
    found: Vec<crate::zipcheck::Disagreement>,
) -> Vec<usize> {
    let mut unlisted = Vec::new();
    for d in found {
        let loc = if d.member.is_empty() {
            scope.loc.clone()
        } else {
            scope.loc_of(&d.member)
        };
        sink.report(finding(&rules::ZIP_READER_DISAGREEMENT, &loc, d.what));
        unlisted.extend(d.unlisted_at);
    }
    unlisted
}

/// Members only a sequential reader sees (local headers the central directory does not
/// list): read each one from its local header, so its content is scanned too.
fn read_unlisted(sink: &mut Sink<'_>, scope: &Scope, bytes: &[u8], offsets: &[usize]) {
    let mut starts: HashMap<u64, String> = HashMap::new();
    for &at in offsets {
        if sink.stopped() {
            break;
        }
        let mut cur = Cursor::new(bytes.get(at..).unwrap_or_default());
        let Ok(Some(file)) = zip::read::read_zipfile_from_stream(&mut cur) else {
            continue;
        };
        let meta = member_meta!(file);
        let Some(adm) = admit(sink, scope, &meta, &mut starts) else {
            continue;
        };
        if meta.encrypted {
            sink.add_opaque(adm, meta.size);
            continue;
        }
        read_member(sink, scope, adm, &meta, file, false);
    }
}

/// Read a zip from a file on disk without holding it in memory: the central directory is
/// read through `index`, members through `body` (two handles on the same file), and each
/// member only as far as the content policy needs — so the tensor members of a multi-GB
/// PyTorch checkpoint cost one head read each. Returns false when the central directory
/// cannot be found (the caller decides how to salvage); nothing is recorded then.
pub(crate) fn read_file<R: Read + Seek>(
    sink: &mut Sink<'_>,
    scope: &Scope,
    index: R,
    body: &mut R,
) -> bool {
    let mut iterable = match ZipIterable::try_new(index, Config::default()) {
        Ok(z) => z,
        Err(_) => return false,
    };
    walk_members(sink, scope, &mut iterable, body);
    true
}

/// Every member listed in the central directory, read from `body`.
fn walk_members<R: Read + Seek, B: Read + Seek>(
    sink: &mut Sink<'_>,
    scope: &Scope,
    iterable: &mut ZipIterable<R>,
    body: &mut B,
) {
    let files = match iterable.files() {
        Ok(f) => f,
        Err(e) => {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &scope.loc,
                format!("zip central directory unreadable: {e}"),
            ));
            return;
        }
    };
    let mut starts: HashMap<u64, String> = HashMap::new();
    // Bounded: the iterator yields at most the declared count, which `try_new` checked against
    // the directory's size (46 bytes per header), and the sink stops at `max_entries`.
    for (n, item) in files.enumerate() {
        if sink.stopped() {
            break;
        }
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                sink.report(finding(
                    &rules::UNREADABLE_ARCHIVE,
                    &scope.loc,
                    format!("zip central directory corrupt after {n} members: {e}"),
                ));
                break;
            }
        };
        let meta = member_meta!(entry);
        let Some(adm) = admit(sink, scope, &meta, &mut starts) else {
            continue;
        };
        if meta.encrypted {
            // PyTorch's reader ignores the encryption bit and loads stored or deflated data
            // as it is; read it the same way (`ARC011` reports the flag itself).
            let Some(adm) = read_flagged_member(sink, scope, adm, &meta, body) else {
                continue;
            };
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &adm.loc,
                "encrypted zip member: its content was not inspected",
            ));
            sink.add_opaque(adm, meta.size);
            continue;
        }
        // Tensor data and other members only their head is kept of: never decompressed.
        let Some(adm) = head_only_member(sink, scope, adm, &meta, body) else {
            continue;
        };
        match entry.with_reader(body, ZipReadOptions::new()) {
            Ok(file) => read_member(sink, scope, adm, &meta, file, true),
            Err(e) => {
                sink.report(finding(
                    &rules::UNREADABLE_ARCHIVE,
                    &adm.loc,
                    format!("zip member unreadable: {e}"),
                ));
                sink.add_opaque(adm, meta.size);
            }
        }
    }
}

/// A stored member larger than its head whose head shows it is not kept (tensor data):
/// push its head straight from the local data offset and return `None`, so the rest is
/// never read. (The zip reader would read the whole member when dropped, and for a
/// multi-GB checkpoint that is every tensor byte.) Its CRC is not checked: that would need
/// every byte. `Some(adm)` hands the member back to be read normally.
fn head_only_member<B: Read + Seek>(
    sink: &mut Sink<'_>,
    scope: &Scope,
    adm: Admitted,
    meta: &MemberMeta,
    body: &mut B,
) -> Option<Admitted> {
    let head_bytes = sink.limits.head_bytes;
    if !meta.stored
        || meta.is_symlink
        || meta.size <= head_bytes as u64
        || meta.compressed != meta.size
    {
        return Some(adm);
    }
    if seek_to_data(body, meta.header_start).is_none() {
        return Some(adm);
    }
    let mut head = Vec::with_capacity(head_bytes);
    if read_up_to(&mut body.take(head_bytes as u64), &mut head, head_bytes).is_err() {
        return Some(adm);
    }
    if sink.needs_body(&adm.path, meta.size, &head) {
        return Some(adm);
    }
    let mut reader = Metered::new(Cursor::new(head), sink.budget);
    sink.add_member(scope, adm, meta.size, true, &mut reader);
    None
}

/// Seek `body` to the data of the member whose local header (APPNOTE.TXT 4.3.7: 30 fixed
/// bytes, then the name and extra field) starts at `header_start`; the data offset, or
/// `None` for a missing or damaged local header.
fn seek_to_data<B: Read + Seek>(body: &mut B, header_start: u64) -> Option<u64> {
    let mut local = [0u8; 30];
    body.seek(SeekFrom::Start(header_start)).ok()?;
    body.read_exact(&mut local).ok()?;
    if local.get(..4)? != b"PK\x03\x04" {
        return None;
    }
    let n = u64::from(u16::from_le_bytes([*local.get(26)?, *local.get(27)?]));
    let m = u64::from(u16::from_le_bytes([*local.get(28)?, *local.get(29)?]));
    let start = header_start.checked_add(30 + n + m)?;
    body.seek(SeekFrom::Start(start)).ok()?;
    Some(start)
}

/// A member whose encryption flag is set but whose method is stored or deflate: read its
/// bytes from the local data offset as PyTorch's reader does (it never checks the flag), so
/// a pickle hidden behind the flag is analysed. `Some(adm)` hands the member back when it
/// cannot be read that way (another method, a damaged local header).
fn read_flagged_member<B: Read + Seek>(
    sink: &mut Sink<'_>,
    scope: &Scope,
    adm: Admitted,
    meta: &MemberMeta,
    body: &mut B,
) -> Option<Admitted> {
    if !(meta.stored || meta.deflated) || meta.is_symlink {
        return Some(adm);
    }
    if seek_to_data(body, meta.header_start).is_none() {
        return Some(adm);
    }
    let raw = (&mut *body).take(meta.compressed);
    // The declared size bounds what is read (`add_member` keeps at most what the content
    // policy allows); a ratio bomb is reported as for any member.
    if meta.deflated {
        let mut r = flate2::read::DeflateDecoder::new(raw).take(meta.size);
        read_member(sink, scope, adm, meta, &mut r, true);
    } else {
        read_member(sink, scope, adm, meta, raw, true);
    }
    None
}

/// Salvage: read local file headers from the start of the zip data, in order.
fn read_local_headers(sink: &mut Sink<'_>, scope: &Scope, bytes: &[u8]) {
    let start = memchr::memmem::find(bytes, b"PK\x03\x04").unwrap_or(0);
    let mut cur = Cursor::new(bytes.get(start..).unwrap_or_default());
    let mut starts: HashMap<u64, String> = HashMap::new();
    // Each round consumes at least one 30-byte header, and the sink stops at `max_entries`.
    for n in 0..=sink.limits.max_entries {
        if sink.stopped() {
            break;
        }
        // The stream reader does not know where a header sits: record it here, so overlap
        // detection compares real offsets (a truncated download is not a zip bomb).
        let at = start as u64 + cur.position();
        let file = match zip::read::read_zipfile_from_stream(&mut cur) {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let what = format!("zip local headers unreadable after {n} members");
                sink.stream_error(&scope.loc, &what, &std::io::Error::other(e), false);
                break;
            }
        };
        let mut meta = member_meta!(file);
        meta.header_start = at;
        let Some(adm) = admit(sink, scope, &meta, &mut starts) else {
            continue;
        };
        if meta.encrypted {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &adm.loc,
                "encrypted zip member: its content was not inspected",
            ));
            sink.add_opaque(adm, meta.size);
            continue;
        }
        read_member(sink, scope, adm, &meta, file, false);
    }
}

/// Name checks, overlap detection; `None` for members not to read (directories, skipped).
fn admit(
    sink: &mut Sink<'_>,
    scope: &Scope,
    meta: &MemberMeta,
    starts: &mut HashMap<u64, String>,
) -> Option<Admitted> {
    let name = zip_name(&meta.name_raw);
    let adm = sink.admit(scope, &name)?;
    if meta.is_dir {
        return None;
    }
    if let Some(first) = starts.insert(meta.header_start, adm.loc.clone()) {
        sink.report(finding(
            &rules::ARCHIVE_BOMB,
            &adm.loc,
            format!(
                "member shares its data (local header at offset {}) with `{first}`: overlapping members are a zip-bomb construction",
                meta.header_start
            ),
        ));
    }
    Some(adm)
}

/// Decode a zip member name. CPython's `zipfile` truncates names at a NUL byte, so we do the
/// same (and report it); names that are not UTF-8 are decoded lossily (and reported).
fn zip_name(raw: &[u8]) -> RawName {
    match memchr::memchr(0, raw) {
        Some(nul) => {
            let mut name = RawName::from_bytes(raw.get(..nul).unwrap_or_default());
            name.oddity = Some("contains a NUL byte (CPython's zipfile truncates the name there)");
            name
        }
        None => RawName::from_bytes(raw),
    }
}

/// Read one member's content (or link target) into the sink and report size problems.
/// `sizes_known`: the declared sizes come from the central directory (not a local header that
/// may defer them to a data descriptor).
fn read_member(
    sink: &mut Sink<'_>,
    scope: &Scope,
    adm: Admitted,
    meta: &MemberMeta,
    file: impl Read,
    sizes_known: bool,
) {
    let mut reader = Metered::new(file, sink.budget);
    if meta.is_symlink {
        let mut target = Vec::new();
        let max = sink.limits.max_path_len;
        if let Err(e) = read_up_to(&mut reader, &mut target, max.saturating_add(1)) {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &adm.loc,
                format!("zip symlink target unreadable: {e}"),
            ));
        }
        target.truncate(max);
        sink.add_link(
            scope,
            adm,
            String::from_utf8_lossy(&target).into_owned(),
            false,
            true,
        );
        return;
    }
    let max_ratio = sink.limits.max_ratio;
    let ratio = meta.size / meta.compressed.max(1);
    let bomb = meta.size > RATIO_FLOOR_BYTES && ratio > max_ratio;
    if bomb {
        sink.report(finding(
            &rules::ARCHIVE_BOMB,
            &adm.loc,
            format!(
                "member declares {} bytes from {} compressed (ratio {ratio}:1, bound {max_ratio}:1); only its head was read",
                meta.size, meta.compressed
            ),
        ));
    }
    let loc = adm.loc.clone();
    let out = sink.add_member(scope, adm, meta.size, bomb, &mut reader);
    match out.error {
        Some(_) if sink.budget.exhausted() => sink.budget_stop(&scope.loc),
        Some(e) => {
            let msg = e.to_string();
            // The zip crate's wording for its two integrity checks (see its crc32.rs).
            if msg.contains("larger than its declared") {
                sink.report(finding(
                    &rules::ARCHIVE_BOMB,
                    &loc,
                    format!("member holds more than its declared {} bytes; read stopped at the declared size", meta.size),
                ));
            } else if msg.contains("checksum") {
                sink.report(finding(
                    &rules::UNREADABLE_ARCHIVE,
                    &loc,
                    "zip member fails its CRC-32 check (corrupt or altered)",
                ));
            } else {
                sink.report(finding(
                    &rules::UNREADABLE_ARCHIVE,
                    &loc,
                    format!("zip member corrupt after {} bytes: {msg}", out.read),
                ));
            }
        }
        None if sizes_known && out.ended && out.read != meta.size => {
            sink.report(finding(
                &rules::ARCHIVE_BOMB,
                &loc,
                format!("member declares {} bytes but holds {}", meta.size, out.read),
            ));
        }
        None => {}
    }
}
