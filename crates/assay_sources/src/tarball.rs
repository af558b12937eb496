//! Tar streams (POSIX ustar/pax, GNU, v7), read sequentially in one pass.
//!
//! The `tar` crate parses headers in *raw* mode: it yields GNU long-name (`L`/`K`) and pax
//! (`x`/`g`) extension headers as ordinary members instead of buffering them itself, because
//! in normal mode it reads those into memory without a bound. We apply them here with a bound
//! ([`EXT_MAX`]), the way CPython's `tarfile` (which installers use) does: a pax `path` wins
//! over a GNU long name, which wins over the header name. Where readers are known to disagree
//! (a pax `size` other than the header's, data attached to a directory or link), we report it.

use crate::limits::read_up_to;
use crate::names::RawName;
use crate::rules::{self, finding};
use crate::sink::{Scope, Sink};
use std::cell::Cell;
use std::io::Read;

/// Largest extension header (GNU long name/link, pax record set) accepted: 1 MiB.
const EXT_MAX: u64 = 1 << 20;

/// Extension headers seen since the last member, applied to the next one.
#[derive(Default)]
struct Pending {
    gnu_name: Option<Vec<u8>>,
    gnu_link: Option<Vec<u8>>,
    pax_path: Option<Vec<u8>>,
    pax_link: Option<Vec<u8>>,
    pax_size: Option<u64>,
}

/// Read every member of a tar stream into `sink`. `ratio_tripped` is the ratio guard's flag
/// when the stream is decompressed (to tell a bomb from corruption when the stream fails).
pub(crate) fn read<R: Read>(
    sink: &mut Sink<'_>,
    scope: &Scope,
    stream: R,
    ratio_tripped: Option<&Cell<bool>>,
) {
    let tripped = || ratio_tripped.is_some_and(Cell::get);
    let mut archive = tar::Archive::new(stream);
    let entries = match archive.entries() {
        Ok(e) => e.raw(true),
        Err(e) => {
            sink.stream_error(&scope.loc, "tar stream unreadable", &e, tripped());
            return;
        }
    };
    let mut pending = Pending::default();
    let mut members = 0usize;
    // Every header consumes at least 512 bytes of the metered stream, so the budget bounds
    // this loop; the explicit cap also bounds runs of extension headers.
    let cap = sink.limits.max_entries.saturating_mul(4).saturating_add(16);
    for (headers, item) in entries.enumerate() {
        if sink.stopped() {
            break;
        }
        if headers >= cap {
            let evidence = format!(
                "more than {cap} tar headers; stopped reading, later members were not inspected"
            );
            sink.stop(&scope.loc, evidence);
            break;
        }
        let mut entry = match item {
            Ok(e) => e,
            Err(e) => {
                let what = format!("tar stream corrupt after {members} members");
                sink.stream_error(&scope.loc, &what, &e, tripped());
                break;
            }
        };
        let type_byte = entry.header().entry_type().as_byte();
        let size = entry.size();
        if matches!(type_byte, b'L' | b'K' | b'x' | b'g') {
            if size > EXT_MAX {
                sink.report(finding(
                    &rules::ARCHIVE_BOMB,
                    &scope.loc,
                    format!(
                        "tar extension header ({}) of {size} bytes is over the {EXT_MAX}-byte bound; \
                         stopped reading, later members were not inspected",
                        char::from(type_byte)
                    ),
                ));
                break;
            }
            let mut buf = Vec::new();
            let len = usize::try_from(size).unwrap_or(usize::MAX);
            match read_up_to(&mut entry, &mut buf, len) {
                Ok(_) if buf.len() == len => {}
                Ok(_) => {
                    let what = format!(
                        "tar stream truncated in an extension header after {members} members"
                    );
                    let err = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
                    sink.stream_error(&scope.loc, &what, &err, tripped());
                    break;
                }
                Err(e) => {
                    let what = format!("tar stream corrupt after {members} members");
                    sink.stream_error(&scope.loc, &what, &e, tripped());
                    break;
                }
            }
            match type_byte {
                b'L' => pending.gnu_name = Some(trim_nul(buf)),
                b'K' => pending.gnu_link = Some(trim_nul(buf)),
                b'x' => parse_pax(&buf, &mut pending),
                _ => {} // global pax headers carry defaults (uid, mtime…) we do not use
            }
            continue;
        }
        members += 1;
        let taken = std::mem::take(&mut pending);
        if let Some(pax_size) = taken.pax_size.filter(|s| *s != size) {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &scope.loc,
                format!(
                    "pax size {pax_size} disagrees with the header size {size}: tar readers disagree about \
                     where the next member starts; stopped reading"
                ),
            ));
            break;
        }
        let raw_name = taken
            .pax_path
            .or(taken.gnu_name)
            .unwrap_or_else(|| entry.path_bytes().into_owned());
        let link = taken
            .pax_link
            .or(taken.gnu_link)
            .or_else(|| entry.link_name_bytes().map(|l| l.into_owned()));
        let Some(adm) = sink.admit(scope, &RawName::from_bytes(&raw_name)) else {
            continue;
        };
        let regular = !matches!(type_byte, b'1' | b'2' | b'3' | b'4' | b'5' | b'6');
        if !regular && size > 0 {
            sink.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                &adm.loc,
                format!(
                    "non-regular tar member (type `{}`) carries {size} bytes of data: tar readers disagree \
                     about where the next member starts",
                    char::from(type_byte)
                ),
            ));
        }
        match type_byte {
            b'5' => {}
            b'1' | b'2' => {
                let target = String::from_utf8_lossy(&link.unwrap_or_default()).into_owned();
                sink.add_link(scope, adm, target, type_byte == b'1', true);
            }
            b'3' | b'4' | b'6' => {
                sink.add_special(adm);
            }
            // Regular files, contiguous files, GNU sparse files (their stored data) and unknown
            // types, which CPython's tarfile extracts as regular files.
            _ => {
                let out = sink.add_member(scope, adm, size, false, &mut entry);
                if let Some(e) = out.error {
                    let what = format!("tar stream corrupt inside member {members}");
                    sink.stream_error(&scope.loc, &what, &e, tripped());
                    break;
                }
                if out.ended && out.read < size {
                    sink.report(finding(
                        &rules::UNREADABLE_ARCHIVE,
                        &scope.loc,
                        format!(
                            "tar stream truncated inside member {members} ({} of {size} bytes)",
                            out.read
                        ),
                    ));
                    break;
                }
            }
        }
    }
}

/// Drop a GNU long name's trailing NULs.
fn trim_nul(mut v: Vec<u8>) -> Vec<u8> {
    if let Some(end) = memchr::memchr(0, &v) {
        v.truncate(end);
    }
    v
}

/// Apply the pax records we use (`path`, `linkpath`, `size`); malformed records are ignored,
/// as CPython's tarfile does for unknown keywords.
fn parse_pax(buf: &[u8], pending: &mut Pending) {
    for ext in tar::PaxExtensions::new(buf).flatten() {
        match ext.key_bytes() {
            b"path" => pending.pax_path = Some(ext.value_bytes().to_vec()),
            b"linkpath" => pending.pax_link = Some(ext.value_bytes().to_vec()),
            b"size" => pending.pax_size = ext.value().ok().and_then(|v| v.parse().ok()),
            _ => {}
        }
    }
}
