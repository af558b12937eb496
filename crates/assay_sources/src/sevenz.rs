//! 7-Zip archives (a common wrapper around model checkpoints on file-sharing sites), read in
//! memory with `sevenz-rust2` (pure Rust; built without AES, PPMd or the writer).
//!
//! Bounds, all checked before anything is decoded: the header and every decoder's
//! dictionary are capped by the crate's memory limit ([`SEVENZ_MEM_LIMIT_KIB`]; an LZMA
//! dictionary of 4 GiB is refused at setup, not allocated); the member count against
//! [`crate::Limits::max_entries`]; the declared unpacked size of every block against the
//! remaining byte budget and, once past 1 MiB, against [`crate::Limits::max_ratio`] times the
//! packed size. Decoding a solid block means decoding every byte before a member, so the
//! whole declared size is what the bound is checked against. The crate itself stops each
//! member at its declared size and verifies CRCs.
//!
//! Encrypted content is never guessed at: an encrypted header or block is an `ARC007`
//! finding naming the archive, and the members of an encrypted block are recorded without
//! content (never "clean").

use crate::limits::{Metered, RATIO_FLOOR_BYTES};
use crate::names::RawName;
use crate::rules::{self, finding_with};
use crate::sink::{Scope, Sink};
use assay_core::Severity;
use sevenz_rust2::{Archive, BlockDecoder, EncoderMethod, Error, Password};
use std::io::Cursor;

/// Memory bound for the 7z header and for each decoder's dictionary, in KiB (7-Zip's
/// `-mx9` uses a 64 MiB LZMA2 dictionary; its largest preset 1.5 GiB is refused).
const SEVENZ_MEM_LIMIT_KIB: usize = 256 * 1024;

/// `ARC007` at high severity: 7z content that could not be inspected. A damaged, truncated
/// or encrypted wrapper hides every member inside it, so it is never left at the medium
/// level that lets the artifact's verdict stay clean.
fn lost(loc: &str, evidence: impl Into<String>) -> assay_core::Finding {
    finding_with(&rules::UNREADABLE_ARCHIVE, Severity::High, loc, evidence)
}

/// Read a 7z archive held in `bytes` into the sink. Returns false when nothing could be read
/// (the findings say why).
pub(crate) fn read(sink: &mut Sink<'_>, scope: &Scope, bytes: &[u8]) -> bool {
    let mut cur = Cursor::new(bytes);
    let archive = match Archive::read_with_memory_limit(
        &mut cur,
        &Password::empty(),
        SEVENZ_MEM_LIMIT_KIB,
    ) {
        Ok(a) => a,
        Err(e) => {
            let why = match e {
                Error::PasswordRequired | Error::MaybeBadPassword(_) => {
                    "encrypted 7z header: the member list and content were not inspected".to_owned()
                }
                Error::MaxMemLimited { actaul_kb, .. } => format!(
                    "7z header needs {actaul_kb} KiB, over the {SEVENZ_MEM_LIMIT_KIB} KiB bound; not read"
                ),
                other => format!("7z archive unreadable: {other}"),
            };
            sink.report(lost(&scope.loc, why));
            return false;
        }
    };
    if !within_bounds(sink, scope, &archive, bytes.len() as u64) {
        return false;
    }
    // Members without data (empty files, directories) belong to no block.
    for file in archive
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| archive.stream_map.file_block_index.get(*i) == Some(&None))
        .map(|(_, f)| f)
    {
        if file.is_directory || file.is_anti_item {
            continue;
        }
        if let Some(adm) = sink.admit(scope, &RawName::from_bytes(file.name.as_bytes())) {
            sink.add_member(scope, adm, 0, false, &mut std::io::empty());
        }
    }
    for block in 0..archive.blocks.len() {
        if sink.stopped() {
            break;
        }
        read_block(sink, scope, &archive, block, &mut cur);
    }
    true
}

/// The archive-wide checks made before decoding: member count, declared sizes, ratio.
fn within_bounds(sink: &mut Sink<'_>, scope: &Scope, archive: &Archive, packed: u64) -> bool {
    let max = sink.limits.max_entries;
    if archive.files.len() > max {
        sink.stop(
            &scope.loc,
            format!(
                "7z archive lists {} members, over the entry-count bound of {max}; not decoded",
                archive.files.len()
            ),
        );
        return false;
    }
    let declared = archive
        .blocks
        .iter()
        .fold(0u64, |sum, b| sum.saturating_add(b.get_unpack_size()));
    let limit = sink.budget.limit();
    let remaining = sink.budget.remaining();
    if declared > remaining {
        sink.stop(
            &scope.loc,
            format!(
                "7z archive declares {declared} unpacked bytes, over the {remaining} bytes left of the {limit}-byte total bound; not decoded"
            ),
        );
        return false;
    }
    let ratio = declared / packed.max(1);
    let max_ratio = sink.limits.max_ratio;
    if declared > RATIO_FLOOR_BYTES && ratio > max_ratio {
        sink.stop(
            &scope.loc,
            format!(
                "7z archive declares {declared} unpacked bytes from {packed} (ratio {ratio}:1, bound {max_ratio}:1); not decoded"
            ),
        );
        return false;
    }
    true
}

/// Decode one block and hand each of its members to the sink.
fn read_block(
    sink: &mut Sink<'_>,
    scope: &Scope,
    archive: &Archive,
    block: usize,
    cur: &mut Cursor<&[u8]>,
) {
    let members = || {
        archive
            .files
            .iter()
            .zip(&archive.stream_map.file_block_index)
            .filter(move |(_, b)| **b == Some(block))
            .map(|(f, _)| f)
    };
    let encrypted = archive.blocks.get(block).is_some_and(|b| {
        b.coders
            .iter()
            .any(|c| c.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
    });
    if encrypted {
        for file in members().filter(|f| !f.is_directory) {
            let Some(adm) = sink.admit(scope, &RawName::from_bytes(file.name.as_bytes())) else {
                continue;
            };
            sink.report(lost(
                &adm.loc,
                "encrypted 7z member: its content was not inspected",
            ));
            sink.add_opaque(adm, file.size);
        }
        return;
    }
    let password = Password::empty();
    let decoder = BlockDecoder::new_with_memory_limit(
        1,
        SEVENZ_MEM_LIMIT_KIB,
        block,
        archive,
        &password,
        cur,
    );
    let mut seen = 0usize;
    let mut failed = false;
    let result = decoder.for_each_entries(&mut |file, reader| {
        seen += 1;
        if file.is_directory || file.is_anti_item {
            return Ok(true);
        }
        if sink.stopped() {
            return Ok(false);
        }
        let Some(adm) = sink.admit(scope, &RawName::from_bytes(file.name.as_bytes())) else {
            return Ok(true);
        };
        let loc = adm.loc.clone();
        let mut metered = Metered::new(reader, sink.budget);
        let out = sink.add_member(scope, adm, file.size, false, &mut metered);
        match out.error {
            Some(_) if sink.budget.exhausted() => {
                sink.budget_stop(&scope.loc);
                Ok(false)
            }
            Some(e) => {
                failed = true;
                let msg = e.to_string();
                let lower = msg.to_ascii_lowercase();
                let what = if lower.contains("crc") || lower.contains("checksum") {
                    "7z member fails its CRC-32 check (corrupt or altered)".to_owned()
                } else {
                    format!("7z member corrupt after {} bytes: {msg}", out.read)
                };
                sink.report(lost(&loc, what));
                // The rest of a solid block cannot be decoded past the damage.
                Ok(false)
            }
            None => Ok(true),
        }
    });
    let total = members().count();
    let skipped = total.saturating_sub(seen);
    match result {
        Ok(_) if !failed || skipped == 0 => {}
        Ok(_) => sink.report(lost(
            &scope.loc,
            format!("7z block {block}: {skipped} members after the damage were not inspected"),
        )),
        Err(e) => {
            let tail = if skipped > 0 {
                format!("; {skipped} of its {total} members were not inspected")
            } else {
                String::new()
            };
            let what = match e {
                Error::MaxMemLimited { actaul_kb, .. } => format!(
                    "7z block {block} needs a {actaul_kb} KiB decoder dictionary, over the {SEVENZ_MEM_LIMIT_KIB} KiB bound; not decoded{tail}"
                ),
                Error::UnsupportedCompressionMethod(m) => {
                    format!("7z block {block} uses an unsupported method ({m}){tail}")
                }
                Error::ChecksumVerificationFailed => {
                    format!("7z block {block} fails its CRC-32 check (corrupt or altered){tail}")
                }
                other => format!("7z block {block} corrupt: {other}{tail}"),
            };
            sink.report(lost(&scope.loc, what));
        }
    }
}
