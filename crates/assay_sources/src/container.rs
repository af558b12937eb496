//! Dispatch on content: decide what a blob is (zip, tar, compressed stream, plain file),
//! check the extension against it (`ARC008`), and hand it to the right reader. Also owns the
//! compression layers (gzip, bzip2, xz, zstd) around tar streams and single payloads; 7z
//! archives go to `sevenz`.

use crate::limits::{CountIn, Metered, RatioGuard, read_up_to};
use crate::names::{self, RawName};
use crate::rules::{self, finding, finding_with};
use crate::sink::{Scope, Sink};
use crate::sniff::{self, Container, TAR_BLOCK};
use crate::{sevenz, tarball, zipfile};
use assay_core::Severity;
use std::cell::Cell;
use std::io::{Cursor, Read};

/// What a blob turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A zip archive (entries were read, possibly partly).
    Zip,
    /// A tar archive, plain or compressed.
    Tar,
    /// A compressed stream holding something other than a tar (one member, decompressed).
    Payload,
    /// Not an archive.
    Plain,
    /// A 7z archive (its member list was read).
    SevenZ,
    /// Recognised but not readable (empty, an encrypted 7z header, a compression stream
    /// broken from the start).
    Unreadable,
}

/// Memory bound for the xz decoder's dictionary, in KiB (xz presets use at most 64 MiB).
const XZ_MEM_LIMIT_KIB: u32 = 256 * 1024;

/// Read a nested archive found by the sink (its magic bytes were already recognised).
pub(crate) fn read_nested(sink: &mut Sink<'_>, scope: &Scope, bytes: &[u8]) {
    let _ = read_container(sink, scope, bytes, true);
}

/// Read `bytes` as whatever container its content says it is. `nested` decides whether the
/// zip end-of-central-directory fallback (zip data after a prefix) is tried for
/// unrecognised content: only at the top level, where a prefixed wheel would otherwise be
/// scanned as an opaque blob.
pub(crate) fn read_container(
    sink: &mut Sink<'_>,
    scope: &Scope,
    bytes: &[u8],
    nested: bool,
) -> Shape {
    if bytes.is_empty() {
        sink.report(finding(
            &rules::UNREADABLE_ARCHIVE,
            &scope.loc,
            "empty file: nothing to read",
        ));
        return Shape::Unreadable;
    }
    let found = sniff::sniff(bytes);
    check_extension(sink, scope, found);
    match found {
        Some(Container::Zip) => {
            zipfile::read(sink, scope, bytes, true);
            Shape::Zip
        }
        Some(Container::Tar) => {
            let stream = Metered::new(bytes, sink.budget);
            tarball::read(sink, scope, stream, None);
            Shape::Tar
        }
        Some(Container::SevenZ) => {
            if sevenz::read(sink, scope, bytes) {
                Shape::SevenZ
            } else {
                Shape::Unreadable
            }
        }
        Some(c) => read_compressed(sink, scope, c, bytes),
        None if !nested
            && has_zip_end_record(bytes)
            && zipfile::read(sink, scope, bytes, false) =>
        {
            Shape::Zip
        }
        None => Shape::Plain,
    }
}

/// Whether the last 64 KiB hold a zip end-of-central-directory signature.
fn has_zip_end_record(bytes: &[u8]) -> bool {
    let tail = bytes
        .get(bytes.len().saturating_sub(65_557)..)
        .unwrap_or(bytes);
    memchr::memmem::rfind(tail, b"PK\x05\x06").is_some()
}

/// `ARC008`: the extension promises one format, the content is another.
pub(crate) fn check_extension(sink: &mut Sink<'_>, scope: &Scope, found: Option<Container>) {
    let Some(expected) = sniff::expected_by_name(&scope.name) else {
        return;
    };
    if Some(expected) == found {
        return;
    }
    let actual = found.map_or("not an archive", Container::label);
    let name = names::file_name(&scope.name);
    // Named like a package but not an archive at all: nothing of it could be audited, so
    // it is never clean (a zip named `.tar.gz` is only a mislabel and stays low).
    let sev = if found.is_none() {
        Severity::High
    } else {
        rules::FORMAT_MISMATCH.severity()
    };
    sink.report(finding_with(
        &rules::FORMAT_MISMATCH,
        sev,
        &scope.loc,
        format!(
            "`{name}` is named like {} but its content is {actual}",
            expected.label()
        ),
    ));
}

/// A compressed stream: a tar inside (read as a tar) or a single payload.
fn read_compressed(sink: &mut Sink<'_>, scope: &Scope, c: Container, bytes: &[u8]) -> Shape {
    let consumed = Cell::new(0u64);
    let tripped = Cell::new(false);
    let input = CountIn {
        inner: bytes,
        consumed: &consumed,
    };
    let decoder: Box<dyn Read + '_> = match c {
        Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
        Container::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
        Container::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
            input,
            true,
            XZ_MEM_LIMIT_KIB,
        )),
        Container::Zlib => Box::new(flate2::read::ZlibDecoder::new(input)),
        Container::Lz4 => Box::new(lz4_flex::frame::FrameDecoder::new(input)),
        Container::Lzma => {
            match lzma_rust2::LzmaReader::new_mem_limit(input, XZ_MEM_LIMIT_KIB, None) {
                Ok(d) => Box::new(d),
                Err(e) => {
                    sink.report(finding(
                        &rules::UNREADABLE_ARCHIVE,
                        &scope.loc,
                        format!("lzma stream unreadable: {e}"),
                    ));
                    return Shape::Unreadable;
                }
            }
        }
        Container::Zstd => match zstd::stream::read::Decoder::new(input) {
            Ok(d) => Box::new(d),
            Err(e) => {
                sink.report(finding(
                    &rules::UNREADABLE_ARCHIVE,
                    &scope.loc,
                    format!("zstd stream unreadable: {e}"),
                ));
                return Shape::Unreadable;
            }
        },
        Container::Zip | Container::Tar | Container::SevenZ => return Shape::Unreadable,
    };
    let guard = RatioGuard {
        consumed: &consumed,
        max_ratio: sink.limits.max_ratio,
        tripped: &tripped,
    };
    let mut stream = Metered::with_ratio(decoder, sink.budget, guard);
    let mut first = Vec::with_capacity(TAR_BLOCK);
    if let Err(e) = read_up_to(&mut stream, &mut first, TAR_BLOCK) {
        let what = format!("{} stream corrupt at its start", c.label());
        sink.stream_error(&scope.loc, &what, &e, tripped.get());
        return Shape::Unreadable;
    }
    let is_tar =
        sniff::is_tar_header(&first) || (first.len() == TAR_BLOCK && first.iter().all(|b| *b == 0));
    let rest = Cursor::new(first).chain(stream);
    if is_tar {
        tarball::read(sink, scope, rest, Some(&tripped));
        return Shape::Tar;
    }
    read_payload(sink, scope, c, rest, &tripped);
    Shape::Payload
}

/// A compressed stream that is not a tar: one member named after the container without its
/// compression extension (`data.json.gz` → `data.json`).
fn read_payload(
    sink: &mut Sink<'_>,
    scope: &Scope,
    c: Container,
    mut stream: impl Read,
    tripped: &Cell<bool>,
) {
    let base = names::file_name(&scope.name);
    let name = sniff::strip_compression_ext(&base);
    let name = if name == base {
        format!("{name}.payload")
    } else {
        name.to_owned()
    };
    let Some(adm) = sink.admit(scope, &RawName::from_bytes(name.as_bytes())) else {
        return;
    };
    // The payload's size is unknown until it is decompressed: treat it as "up to the keep
    // limit" and let the reader's end decide.
    let out = sink.add_member(scope, adm, 0, false, &mut stream);
    if let Some(e) = out.error {
        let what = format!("{} stream corrupt after {} bytes", c.label(), out.read);
        sink.stream_error(&scope.loc, &what, &e, tripped.get());
    }
}
