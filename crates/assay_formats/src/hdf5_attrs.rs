//! The attributes of an HDF5 file's root group, found structurally: superblock → root
//! object header → its attribute messages, compact or in dense storage. Keras keeps
//! `model_config` there; [`crate::keras_h5`] reads the value.
//!
//! Spec: HDF5 File Format Specification 3.0 — superblock versions 0–3 (§II.A), version 1
//! and 2 object headers (§IV.A.1), header continuation (type 0x10), attribute message
//! (type 0x0C), attribute info message (type 0x15, dense storage), fractal heap (§III.G:
//! header `FRHP`, direct blocks `FHDB`, indirect blocks `FHIB`, managed/huge/tiny heap
//! IDs) and version 2 B-trees (§III.A.2: header `BTHD`, leaf `BTLF`; record type 8 holds an
//! attribute's heap ID and name hash, type 1 a huge object's address and length).
//!
//! Bounded: at most [`MAX_MESSAGES`] messages and [`MAX_CONTINUATIONS`] continuation blocks
//! per header, B-trees of depth 0 (a root leaf) with at most [`MAX_RECORDS`] records,
//! indirect heap blocks [`MAX_HEAP_DEPTH`] levels deep, and every address checked against
//! the bytes held. Anything outside that (a deeper B-tree, filtered heaps) is an error
//! naming what is unsupported, so the caller fails closed.

/// Most messages walked in one object header (all chunks).
const MAX_MESSAGES: usize = 4096;
/// Most continuation chunks followed.
const MAX_CONTINUATIONS: usize = 64;
/// Most records read from one B-tree node.
const MAX_RECORDS: usize = 65_536;
/// Most nested indirect blocks followed in a fractal heap.
const MAX_HEAP_DEPTH: usize = 4;
/// Most rows in an indirect block (a 64-bit heap has at most 64).
const MAX_ROWS: usize = 64;

/// Where an attribute message starts in the file, and its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AttrAt {
    /// Byte offset of the attribute message's first byte (its version).
    pub(crate) at: usize,
}

/// Sizes and base address read from the superblock.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    base: usize,
    offsets: usize,
    lengths: usize,
}

fn uint(b: &[u8], at: usize, width: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(width)?)?;
    Some(
        s.iter()
            .rev()
            .fold(0u64, |acc, x| (acc << 8) | u64::from(*x)),
    )
}

fn us(b: &[u8], at: usize, width: usize) -> Option<usize> {
    usize::try_from(uint(b, at, width)?).ok()
}

impl Geometry {
    /// A file address (relative to the base) as an offset into `data`; `None` for the
    /// undefined address (all ones) or one past the end.
    fn addr(&self, data: &[u8], at: usize) -> Option<usize> {
        let raw = uint(data, at, self.offsets)?;
        if raw == u64::MAX >> (64 - 8 * self.offsets as u32) {
            return None;
        }
        let a = self.base.checked_add(usize::try_from(raw).ok()?)?;
        (a < data.len()).then_some(a)
    }
}

/// The superblock at `sb` (already found by its signature): geometry and the root
/// group's object header.
fn root_header(data: &[u8], sb: usize) -> Result<(Geometry, usize), String> {
    let version = *data.get(sb + 8).ok_or("truncated superblock")?;
    let (offsets, lengths, base_at, root_at) = match version {
        0 | 1 => {
            let o = usize::from(*data.get(sb + 13).ok_or("truncated superblock")?);
            let l = usize::from(*data.get(sb + 14).ok_or("truncated superblock")?);
            let addrs = if version == 0 { sb + 24 } else { sb + 28 };
            // Base, free-space, end-of-file, driver-info addresses, then the root group's
            // symbol table entry: link name offset, object header address.
            (o, l, addrs, addrs + 5 * o)
        }
        2 | 3 => {
            let o = usize::from(*data.get(sb + 9).ok_or("truncated superblock")?);
            let l = usize::from(*data.get(sb + 10).ok_or("truncated superblock")?);
            // Base, superblock extension, end-of-file, root group object header.
            (o, l, sb + 12, sb + 12 + 3 * o)
        }
        v => return Err(format!("superblock version {v} is not supported")),
    };
    if !matches!(offsets, 2 | 4 | 8) || !matches!(lengths, 2 | 4 | 8) {
        return Err(format!(
            "offset/length sizes {offsets}/{lengths} are invalid"
        ));
    }
    let base = us(data, base_at, offsets).ok_or("truncated superblock")?;
    // The base address is where the superblock is, in every file h5py writes.
    let base = if base == 0 { sb } else { base };
    let g = Geometry {
        base,
        offsets,
        lengths,
    };
    let root = g
        .addr(data, root_at)
        .ok_or("root group object header address is undefined or past the end")?;
    Ok((g, root))
}

/// Every attribute message of the root group whose name is `name`: compact ones in the
/// object header, dense ones through the attribute info message.
///
/// # Errors
/// A message naming what could not be followed (the caller fails closed).
pub(crate) fn root_attributes(data: &[u8], sb: usize, name: &[u8]) -> Result<Vec<AttrAt>, String> {
    let (g, root) = root_header(data, sb)?;
    let mut found = Vec::new();
    let mut dense = Vec::new();
    for_each_message(data, &g, root, |kind, body, _len| match kind {
        0x0C if attribute_name(data, body) == Some(name) => found.push(AttrAt { at: body }),
        0x15 => dense.push(body),
        _ => {}
    })?;
    for body in dense {
        found.extend(dense_attributes(data, &g, body, name)?);
    }
    Ok(found)
}

/// The name of the attribute message starting at `at` (versions 1–3), without its NUL.
fn attribute_name(data: &[u8], at: usize) -> Option<&[u8]> {
    let version = *data.get(at)?;
    let size = us(data, at + 2, 2)?;
    let start = match version {
        1 | 2 => at + 8,
        3 => at + 9,
        _ => return None,
    };
    let raw = data.get(start..start.checked_add(size)?)?;
    Some(raw.strip_suffix(b"\0").unwrap_or(raw))
}

/// Walk the messages of the object header at `oh` (v1 or v2, with continuations), calling
/// `each(type, body offset, body length)`.
fn for_each_message(
    data: &[u8],
    g: &Geometry,
    oh: usize,
    mut each: impl FnMut(u16, usize, usize),
) -> Result<(), String> {
    // Chunks still to walk: (start of the first message, end of the messages, version).
    let mut chunks: Vec<(usize, usize, u8)> = Vec::new();
    if data.get(oh..oh + 4) == Some(b"OHDR") {
        let version = *data.get(oh + 4).ok_or("truncated object header")?;
        if version != 2 {
            return Err(format!("object header version {version} is not supported"));
        }
        let flags = *data.get(oh + 5).ok_or("truncated object header")?;
        let mut at = oh + 6;
        if flags & 0x20 != 0 {
            at += 16; // access, modification, change, birth times
        }
        if flags & 0x10 != 0 {
            at += 4; // max compact / min dense attribute counts
        }
        let width = 1usize << (flags & 0x03);
        let size = us(data, at, width).ok_or("truncated object header")?;
        let start = at + width;
        chunks.push((start, start.saturating_add(size), 2));
    } else {
        if data.get(oh) != Some(&1) {
            return Err(format!("no object header at byte {oh}"));
        }
        let size = us(data, oh + 8, 4).ok_or("truncated object header")?;
        let start = oh + 16;
        chunks.push((start, start.saturating_add(size), 1));
    }
    let creation_order = data
        .get(oh..oh + 4)
        .filter(|s| *s == b"OHDR")
        .and_then(|_| data.get(oh + 5))
        .is_some_and(|f| f & 0x04 != 0);
    let mut messages = 0usize;
    let mut followed = 0usize;
    while let Some((start, end, version)) = chunks.pop() {
        let end = end.min(data.len());
        let mut at = start;
        loop {
            let header = if version == 1 {
                8
            } else if creation_order {
                6
            } else {
                4
            };
            if at + header > end {
                break;
            }
            messages += 1;
            if messages > MAX_MESSAGES {
                return Err(format!("more than {MAX_MESSAGES} object header messages"));
            }
            let (kind, len) = if version == 1 {
                (
                    u16::try_from(us(data, at, 2).ok_or("truncated message")?).unwrap_or(0),
                    us(data, at + 2, 2).ok_or("truncated message")?,
                )
            } else {
                (
                    u16::from(*data.get(at).ok_or("truncated message")?),
                    us(data, at + 1, 2).ok_or("truncated message")?,
                )
            };
            let body = at + header;
            if body.saturating_add(len) > end {
                return Err(format!(
                    "object header message at byte {at} runs past its chunk"
                ));
            }
            if kind == 0x10 {
                followed += 1;
                if followed > MAX_CONTINUATIONS {
                    return Err(format!(
                        "more than {MAX_CONTINUATIONS} header continuations"
                    ));
                }
                let to = g
                    .addr(data, body)
                    .ok_or("header continuation points past the end")?;
                let size = us(data, body + g.offsets, g.lengths).ok_or("truncated continuation")?;
                if version == 2 {
                    if data.get(to..to + 4) != Some(b"OCHK") {
                        return Err(format!("no continuation chunk (OCHK) at byte {to}"));
                    }
                    // Signature first, checksum last.
                    chunks.push((to + 4, to.saturating_add(size).saturating_sub(4), 2));
                } else {
                    chunks.push((to, to.saturating_add(size), 1));
                }
            } else {
                each(kind, body, len);
            }
            at = if version == 1 {
                body + len.div_ceil(8) * 8
            } else {
                body + len
            };
        }
    }
    Ok(())
}

/// The fractal heap of a dense attribute store.
struct Heap {
    id_len: usize,
    max_managed: u64,
    huge_btree: Option<usize>,
    width: usize,
    start_block: u64,
    max_direct: u64,
    /// Bytes of a block offset / managed-object offset (max heap size in bits, rounded up).
    offset_bytes: usize,
    root: Option<usize>,
    root_rows: usize,
}

/// Attributes named `name` in the dense storage described by the attribute info message
/// whose body is at `body`.
fn dense_attributes(
    data: &[u8],
    g: &Geometry,
    body: usize,
    name: &[u8],
) -> Result<Vec<AttrAt>, String> {
    let version = *data.get(body).ok_or("truncated attribute info")?;
    if version != 0 {
        return Err(format!("attribute info version {version} is not supported"));
    }
    let flags = *data.get(body + 1).ok_or("truncated attribute info")?;
    let mut at = body + 2;
    if flags & 0x01 != 0 {
        at += 2; // maximum creation index
    }
    let Some(heap_at) = g.addr(data, at) else {
        return Ok(Vec::new()); // no dense storage in use
    };
    let btree_at = g
        .addr(data, at + g.offsets)
        .ok_or("attribute name index (v2 B-tree) address is undefined")?;
    let heap = heap(data, g, heap_at)?;
    let mut out = Vec::new();
    for record in btree_records(data, g, btree_at, 8)? {
        let id = record
            .get(..heap.id_len)
            .ok_or("attribute name record shorter than a heap ID")?;
        let obj = heap_object(data, g, &heap, id)?;
        if attribute_name(data, obj) == Some(name) {
            out.push(AttrAt { at: obj });
        }
    }
    Ok(out)
}

fn heap(data: &[u8], g: &Geometry, at: usize) -> Result<Heap, String> {
    if data.get(at..at + 4) != Some(b"FRHP") {
        return Err(format!("no fractal heap header (FRHP) at byte {at}"));
    }
    let (o, l) = (g.offsets, g.lengths);
    let t = "truncated fractal heap header";
    let id_len = us(data, at + 5, 2).ok_or(t)?;
    let filters = us(data, at + 7, 2).ok_or(t)?;
    let max_managed = uint(data, at + 10, 4).ok_or(t)?;
    // next huge id (L), huge B-tree (O), free space (L), free-space manager (O), managed
    // space (L), allocated (L), iterator offset (L), managed count (L), huge size (L),
    // huge count (L), tiny size (L), tiny count (L).
    let huge_at = at + 14 + l;
    let after = huge_at + o + l + o + 8 * l;
    let width = us(data, after, 2).ok_or(t)?;
    let start_block = uint(data, after + 2, l).ok_or(t)?;
    let max_direct = uint(data, after + 2 + l, l).ok_or(t)?;
    let max_heap_bits = us(data, after + 2 + 2 * l, 2).ok_or(t)?;
    let root_at = after + 2 + 2 * l + 4;
    let root_rows = us(data, root_at + o, 2).ok_or(t)?;
    if filters != 0 {
        return Err(
            "fractal heap with I/O filters (compressed attributes) is not supported".into(),
        );
    }
    if !(1..=64).contains(&max_heap_bits) || width == 0 || width > 65_536 || start_block == 0 {
        return Err("fractal heap header has an invalid geometry".into());
    }
    if !(1..=32).contains(&id_len) {
        return Err(format!("fractal heap ID length {id_len} is invalid"));
    }
    Ok(Heap {
        id_len,
        max_managed,
        huge_btree: g.addr(data, huge_at),
        width,
        start_block,
        max_direct,
        offset_bytes: max_heap_bits.div_ceil(8),
        root: g.addr(data, root_at),
        root_rows,
    })
}

/// The file offset of the object a heap ID names.
fn heap_object(data: &[u8], g: &Geometry, heap: &Heap, id: &[u8]) -> Result<usize, String> {
    let first = *id.first().ok_or("empty heap ID")?;
    if first >> 6 != 0 {
        return Err(format!("heap ID version {} is not supported", first >> 6));
    }
    match (first >> 4) & 0x03 {
        0 => {
            let off = uint(id, 1, heap.offset_bytes).ok_or("managed heap ID too short")?;
            let rest = id.len().saturating_sub(1 + heap.offset_bytes).min(8);
            let len = uint(id, 1 + heap.offset_bytes, rest).unwrap_or(0);
            if len > heap.max_managed {
                return Err(format!(
                    "managed object of {len} bytes exceeds the heap's maximum"
                ));
            }
            let root = heap.root.ok_or("fractal heap has no root block")?;
            managed(data, g, heap, root, heap.root_rows, 0, off, 0)
        }
        1 => {
            // Huge object: its address sits in the ID when the ID is long enough for an
            // address and a length; otherwise it is looked up by ID in the huge-object
            // B-tree (record type 1: address, length, ID).
            let raw = if id.len() >= 1 + g.offsets + g.lengths {
                uint(id, 1, g.offsets).ok_or("huge heap ID too short")?
            } else {
                let key = uint(id, 1, (id.len() - 1).min(8)).ok_or("huge heap ID too short")?;
                let tree = heap
                    .huge_btree
                    .ok_or("huge object without a huge-object B-tree")?;
                let mut found = None;
                for r in btree_records(data, g, tree, 1)? {
                    let rid = uint(&r, g.offsets + g.lengths, g.lengths)
                        .ok_or("short huge-object record")?;
                    if rid == key {
                        found = uint(&r, 0, g.offsets);
                        break;
                    }
                }
                found.ok_or_else(|| format!("huge object {key} not found in its B-tree"))?
            };
            usize::try_from(raw)
                .ok()
                .and_then(|a| g.base.checked_add(a))
                .filter(|a| *a < data.len())
                .ok_or_else(|| "huge object address past the end".to_owned())
        }
        2 => Err("tiny heap objects cannot hold an attribute message".into()),
        t => Err(format!("heap ID type {t} is not supported")),
    }
}

/// Resolve managed-heap offset `off` inside the block at `at` (a direct block when `rows`
/// is 0, else an indirect block of `rows` rows) whose heap offset is `block_off`.
#[allow(clippy::too_many_arguments)]
fn managed(
    data: &[u8],
    g: &Geometry,
    heap: &Heap,
    at: usize,
    rows: usize,
    depth: usize,
    off: u64,
    block_off: u64,
) -> Result<usize, String> {
    if rows == 0 {
        if data.get(at..at + 4) != Some(b"FHDB") {
            return Err(format!("no fractal heap direct block (FHDB) at byte {at}"));
        }
        let inside = usize::try_from(
            off.checked_sub(block_off)
                .ok_or("heap offset before its block")?,
        )
        .map_err(|_| "heap offset too large")?;
        let obj = at.checked_add(inside).ok_or("heap offset overflows")?;
        return (obj < data.len())
            .then_some(obj)
            .ok_or_else(|| format!("heap object at byte {obj} is past the end"));
    }
    if depth >= MAX_HEAP_DEPTH || rows > MAX_ROWS {
        return Err("fractal heap indirect blocks nest too deep".into());
    }
    if data.get(at..at + 4) != Some(b"FHIB") {
        return Err(format!(
            "no fractal heap indirect block (FHIB) at byte {at}"
        ));
    }
    let entries = at + 5 + g.offsets + heap.offset_bytes;
    // Rows 0 and 1 hold blocks of the starting size, then each row doubles.
    let max_direct_rows = {
        let ratio = heap.max_direct / heap.start_block;
        (64 - u64::leading_zeros(ratio.max(1)) as usize) + 1
    };
    let mut row_off = block_off;
    for row in 0..rows {
        let size = if row == 0 {
            heap.start_block
        } else {
            heap.start_block
                .checked_shl(u32::try_from(row - 1).unwrap_or(63))
                .unwrap_or(u64::MAX)
        };
        let row_span = size.saturating_mul(heap.width as u64);
        if off < row_off.saturating_add(row_span) {
            let col =
                usize::try_from((off - row_off) / size).map_err(|_| "heap column overflows")?;
            let index = row * heap.width + col;
            let entry = entries + index * g.offsets;
            let child = g
                .addr(data, entry)
                .ok_or("fractal heap block address is undefined")?;
            let child_off = row_off + col as u64 * size;
            if row < max_direct_rows {
                return managed(data, g, heap, child, 0, depth, off, child_off);
            }
            // An indirect child covering `size` bytes: rows until it spans that size.
            let mut child_rows = 0usize;
            let mut span = 0u64;
            while span < size && child_rows < MAX_ROWS {
                let s = if child_rows == 0 {
                    heap.start_block
                } else {
                    heap.start_block << (child_rows - 1).min(62)
                };
                span = span.saturating_add(s.saturating_mul(heap.width as u64));
                child_rows += 1;
            }
            return managed(data, g, heap, child, child_rows, depth + 1, off, child_off);
        }
        row_off = row_off.saturating_add(row_span);
    }
    Err(format!("heap offset {off} is outside the heap"))
}

/// The records of a version 2 B-tree of `kind` whose header is at `at`. Only a tree whose
/// root is a leaf (depth 0) is read: the root group's attributes of a Keras file fit in
/// one leaf; anything deeper is reported as unsupported.
fn btree_records(data: &[u8], g: &Geometry, at: usize, kind: u8) -> Result<Vec<Vec<u8>>, String> {
    if data.get(at..at + 4) != Some(b"BTHD") {
        return Err(format!("no v2 B-tree header (BTHD) at byte {at}"));
    }
    let t = "truncated v2 B-tree header";
    if *data.get(at + 5).ok_or(t)? != kind {
        return Err(format!("v2 B-tree at byte {at} is not of type {kind}"));
    }
    let record_size = us(data, at + 10, 2).ok_or(t)?;
    let depth = us(data, at + 12, 2).ok_or(t)?;
    let root_count = us(data, at + 16 + g.offsets, 2).ok_or(t)?;
    if root_count == 0 {
        return Ok(Vec::new());
    }
    if depth != 0 {
        return Err(format!(
            "v2 B-tree of depth {depth} is not supported (only a root leaf)"
        ));
    }
    if record_size == 0 || root_count > MAX_RECORDS {
        return Err("v2 B-tree record geometry is invalid".into());
    }
    let leaf = g
        .addr(data, at + 16)
        .ok_or("v2 B-tree root address is undefined")?;
    if data.get(leaf..leaf + 4) != Some(b"BTLF") {
        return Err(format!("no v2 B-tree leaf (BTLF) at byte {leaf}"));
    }
    let first = leaf + 6;
    let bytes = data
        .get(first..first.saturating_add(record_size.saturating_mul(root_count)))
        .ok_or("v2 B-tree leaf runs past the end")?;
    Ok(bytes
        .chunks_exact(record_size)
        .map(<[u8]>::to_vec)
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fixture(rel: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../assay_rules/fixtures")
                .join(rel),
        )
        .unwrap()
    }

    fn lambda_in(data: &[u8]) -> bool {
        let k = crate::keras_h5::parse_keras_h5(data).unwrap();
        k.configs
            .iter()
            .any(|(_, v)| v.to_string().contains("\"Lambda\""))
    }

    #[test]
    fn dense_and_huge_root_attributes_are_found() {
        for f in [
            "ML009/lambda_dense_storage.h5",
            "ML009/lambda_dense_track_order.h5",
            "ML009/lambda_huge_attribute.h5",
        ] {
            let d = fixture(f);
            let found = root_attributes(&d, 0, b"model_config").unwrap();
            assert_eq!(found.len(), 1, "{f}");
            assert!(lambda_in(&d), "{f}");
        }
        // Compact attributes in a version 1 object header.
        let d = fixture("ML009/lambda_vlen.h5");
        assert_eq!(root_attributes(&d, 0, b"model_config").unwrap().len(), 1);
        let d = fixture("ML009/benign/dense_dense_storage.h5");
        assert_eq!(root_attributes(&d, 0, b"model_config").unwrap().len(), 1);
        assert!(!lambda_in(&d));
    }

    /// Twenty harmless `model_config` attributes earlier in the file used to exhaust the
    /// name search before it reached the root's.
    #[test]
    fn decoys_do_not_hide_the_root_config() {
        let d = fixture("ML009/lambda_behind_decoys.h5");
        assert!(
            memchr::memmem::find_iter(&d, b"model_config\0").count() > 16,
            "the fixture must hold more decoys than the name search examines"
        );
        assert!(lambda_in(&d));
    }

    #[test]
    fn damaged_dense_storage_fails_closed() {
        let good = fixture("ML009/lambda_dense_storage.h5");
        // The fractal heap's signature, then the name index's depth (BTHD + 12).
        for (sig, offset, value) in [(&b"FRHP"[..], 0usize, b'X'), (&b"BTHD"[..], 12, 1)] {
            let mut d = good.clone();
            let at = memchr::memmem::find(&d, sig).unwrap() + offset;
            d[at] = value;
            let k = crate::keras_h5::parse_keras_h5(&d).unwrap();
            assert!(
                k.unreadable
                    .iter()
                    .any(|w| w.contains("root group attributes")),
                "{k:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn damaged_files_never_panic(at in 0usize..7184, value in proptest::prelude::any::<u8>()) {
            let mut d = fixture("ML009/lambda_dense_storage.h5");
            if let Some(b) = d.get_mut(at) {
                *b = value;
            }
            let _ = root_attributes(&d, 0, b"model_config");
            let _ = crate::keras_h5::parse_keras_h5(&d);
            d.truncate(at);
            let _ = root_attributes(&d, 0, b"model_config");
        }
    }
}
