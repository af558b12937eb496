//! Keras `.h5` (legacy HDF5 model files): just enough HDF5 to read the `model_config`
//! attribute, the Keras JSON config that `keras.models.load_model` deserializes (and that
//! can name `Lambda` layers and arbitrary modules).
//!
//! Spec: HDF5 File Format Specification 3.0 — superblock (§II.A: signature
//! `\x89HDF\r\n\x1a\n` at 0, 512, 1024, … ; size of offsets), attribute message (§IV.A.2.m,
//! type 0x000C, versions 1–3), datatype message (§IV.A.2.d: class 3 fixed-length string,
//! class 9 variable-length), global heap collection (§III.E, `GCOL`). A Keras file written by
//! h5py keeps `model_config` as a scalar string attribute of the root group: inline for a
//! fixed-length string, in a global heap object for a variable-length one.
//!
//! Not a general HDF5 reader. The root group's attributes are found structurally
//! (`hdf5_attrs`: object header, then compact attribute messages or dense storage through
//! the fractal heap and its v2 B-tree name index); any other attribute named `model_config`
//! is found by its name with the message header in front of it validated. When the name
//! is present but the value cannot be read, the root group's attributes cannot be walked
//! in a Keras file, or the file says it is a Keras model (`keras_version`) and no config is
//! found, the result says so ([`KerasH5::unreadable`]) and the caller fails closed.

use crate::FormatError;

/// Most `model_config` name occurrences examined.
const MAX_HITS: usize = 16;
/// Largest config accepted (bytes).
pub const MAX_CONFIG_BYTES: usize = 16 << 20;
/// Most global-heap objects walked in one collection.
const MAX_HEAP_OBJECTS: usize = 100_000;

/// What was found in an HDF5 file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KerasH5 {
    /// Each `model_config` attribute value that parsed as JSON, with the byte offset of
    /// the attribute name.
    pub configs: Vec<(usize, serde_json::Value)>,
    /// Why a config that should be there could not be read (empty when none is missing).
    pub unreadable: Vec<String>,
    /// The file has a `keras_version` attribute name (a Keras model or weights file).
    pub keras: bool,
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    let v = u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]);
    usize::try_from(v).ok()
}

fn uint_at(b: &[u8], at: usize, width: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(width)?)?;
    let v = s
        .iter()
        .rev()
        .fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
    usize::try_from(v).ok()
}

fn pad8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

/// The superblock: where it is (the base address) and the size of file offsets.
fn superblock(data: &[u8]) -> Option<(usize, usize)> {
    let mut at = 0usize;
    while at < data.len() {
        if data.get(at..at + 8) == Some(b"\x89HDF\r\n\x1a\n") {
            let version = *data.get(at + 8)?;
            let offsets = match version {
                0 | 1 => *data.get(at + 13)?,
                _ => *data.get(at + 9)?,
            };
            return matches!(offsets, 2 | 4 | 8).then_some((at, usize::from(offsets)));
        }
        at = if at == 0 { 512 } else { at.checked_mul(2)? };
    }
    None
}

/// Offset of the superblock signature (0, 512, 1024, …).
fn superblock_at(data: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    while at < data.len() {
        if data.get(at..at + 8) == Some(b"\x89HDF\r\n\x1a\n") {
            return Some(at);
        }
        at = if at == 0 { 512 } else { at.checked_mul(2)? };
    }
    None
}

/// Whether `data` starts like an HDF5 file (the signature at offset 0).
pub fn is_hdf5(data: &[u8]) -> bool {
    data.starts_with(b"\x89HDF\r\n\x1a\n")
}

/// Find and read every `model_config` attribute.
///
/// # Errors
/// [`FormatError::Invalid`] when `data` has no HDF5 superblock.
pub fn parse_keras_h5(data: &[u8]) -> Result<KerasH5, FormatError> {
    let Some((base, offsets)) = superblock(data) else {
        return Err(FormatError::Invalid {
            file: "HDF5",
            message: "no superblock signature (offsets 0, 512, 1024, …)".into(),
        });
    };
    let mut out = KerasH5 {
        keras: memchr::memmem::find(data, b"keras_version\0").is_some(),
        ..KerasH5::default()
    };
    // The root group's own attributes, found through its object header (compact or dense
    // storage): the `model_config` Keras loads. Decoy copies elsewhere cannot crowd it out.
    let sb = superblock_at(data).unwrap_or(base);
    let mut hits: Vec<usize> = Vec::new();
    match crate::hdf5_attrs::root_attributes(data, sb, b"model_config") {
        Ok(found) => hits.extend(found.into_iter().filter_map(|a| {
            let version = *data.get(a.at)?;
            Some(a.at + if version == 3 { 9 } else { 8 })
        })),
        Err(why) => {
            if out.keras || memchr::memmem::find(data, b"model_config\0").is_some() {
                out.unreadable
                    .push(format!("root group attributes could not be read: {why}"));
            }
        }
    }
    // Any other attribute so named (a nested group's), as found by its name.
    let name = b"model_config\0";
    for at in memchr::memmem::find_iter(data, name).take(MAX_HITS) {
        if !hits.contains(&at) {
            hits.push(at);
        }
    }
    for at in hits {
        match read_attribute(data, at, base, offsets) {
            Ok(Some(text)) => match serde_json::from_slice::<serde_json::Value>(text) {
                Ok(v) => out.configs.push((at, v)),
                Err(e) => out
                    .unreadable
                    .push(format!("`model_config` at byte {at} is not JSON: {e}")),
            },
            Ok(None) => {}
            Err(why) => out
                .unreadable
                .push(format!("`model_config` at byte {at}: {why}")),
        }
    }
    if out.configs.is_empty() && out.unreadable.is_empty() && out.keras {
        let weights_only = memchr::memmem::find(data, b"layer_names\0").is_some()
            || memchr::memmem::find(data, b"weight_names\0").is_some();
        if !weights_only {
            out.unreadable.push(
                "a Keras HDF5 file (`keras_version`) without a readable `model_config` attribute"
                    .into(),
            );
        }
    }
    Ok(out)
}

/// The value of the attribute whose name starts at `at`. `Ok(None)`: the name is not an
/// attribute name here (a string elsewhere in the file, e.g. inside a config).
fn read_attribute(
    data: &[u8],
    at: usize,
    base: usize,
    offsets: usize,
) -> Result<Option<&[u8]>, String> {
    // Attribute message header: v1/v2 `version, flags|reserved, name size, datatype size,
    // dataspace size` (8 bytes) before the name; v3 adds a 1-byte name encoding.
    let header = [
        (at.checked_sub(8), 1u8),
        (at.checked_sub(8), 2),
        (at.checked_sub(9), 3),
    ]
    .into_iter()
    .find_map(|(h, v)| {
        let h = h?;
        (data.get(h) == Some(&v) && u16_at(data, h + 2) == Some(13)).then_some((h, v))
    });
    let Some((h, version)) = header else {
        // The name sits in the config JSON itself or in dense storage; the latter is
        // reported when no readable config turns up and the file says Keras.
        return Ok(None);
    };
    let dt_size = u16_at(data, h + 4).ok_or("truncated header")?;
    let ds_size = u16_at(data, h + 6).ok_or("truncated header")?;
    let (dt, ds) = if version == 1 {
        let dt = at + pad8(13);
        (dt, dt + pad8(dt_size))
    } else {
        let dt = at + 13;
        (dt, dt + dt_size)
    };
    let value = if version == 1 {
        ds + pad8(ds_size)
    } else {
        ds + ds_size
    };
    let class = data.get(dt).ok_or("truncated datatype")? & 0x0f;
    let size = u32_at(data, dt + 4).ok_or("truncated datatype")?;
    match class {
        // Fixed-length string: the bytes are inline, NUL-padded.
        3 => {
            if size > MAX_CONFIG_BYTES {
                return Err(format!("string of {size} bytes is over the bound"));
            }
            let s = data
                .get(value..value + size)
                .ok_or("string runs past the end of the file")?;
            let end = memchr::memchr(0, s).unwrap_or(s.len());
            Ok(s.get(..end))
        }
        // Variable-length: (length u32, global heap collection address, object index u32).
        9 => {
            let len = u32_at(data, value).ok_or("truncated value")?;
            let addr = uint_at(data, value + 4, offsets).ok_or("truncated value")?;
            let index = u32_at(data, value + 4 + offsets).ok_or("truncated value")?;
            heap_object(data, base.saturating_add(addr), index, len, offsets).map(Some)
        }
        c => Err(format!("datatype class {c} is not a string")),
    }
}

/// Object `index` of the global heap collection at `addr` (§III.E).
fn heap_object(
    data: &[u8],
    addr: usize,
    index: usize,
    len: usize,
    offsets: usize,
) -> Result<&[u8], String> {
    if data.get(addr..addr + 4) != Some(b"GCOL") {
        return Err(format!("no global heap collection at byte {addr}"));
    }
    let coll_size = uint_at(data, addr + 8, offsets).ok_or("truncated heap")?;
    let end = addr.saturating_add(coll_size).min(data.len());
    let mut pos = addr + 8 + offsets;
    for _ in 0..MAX_HEAP_OBJECTS {
        if pos + 8 + offsets > end {
            break;
        }
        let i = u16_at(data, pos).ok_or("truncated heap object")?;
        let size = uint_at(data, pos + 8, offsets).ok_or("truncated heap object")?;
        let body = pos + 8 + offsets;
        if i == 0 {
            break; // free space
        }
        if i == index {
            if size > MAX_CONFIG_BYTES || len > size {
                return Err(format!(
                    "heap object of {size} bytes is over the bound or short"
                ));
            }
            return data
                .get(body..body + len)
                .ok_or_else(|| "heap object runs past the end of the file".to_owned());
        }
        pos = body
            .checked_add(pad8(size))
            .ok_or("heap object size overflows")?;
    }
    Err(format!("global heap object {index} not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal file: a v0 superblock (8-byte offsets and lengths) whose root symbol table
    /// entry points at a v1 object header holding one v1 attribute message.
    fn file_with_inline(config: &str) -> Vec<u8> {
        let mut f = b"\x89HDF\r\n\x1a\n\x00\x00\x00\x00\x00\x08\x08\x00".to_vec();
        f.resize(96, 0);
        f[64..72].copy_from_slice(&96u64.to_le_bytes());
        let mut attr = vec![1, 0, 13, 0, 8, 0, 8, 0];
        attr.extend(b"model_config\0\0\0\0");
        attr.extend([0x13, 0, 0, 0]);
        attr.extend((config.len() as u32).to_le_bytes());
        attr.extend([1, 0, 0, 0, 0, 0, 0, 0]);
        attr.extend(config.as_bytes());
        attr.resize(attr.len().div_ceil(8) * 8, 0);
        let body = attr.len() as u16;
        // Object header v1: version, reserved, 1 message, refcount 1, header size, padding.
        f.extend([1, 0, 1, 0, 1, 0, 0, 0]);
        f.extend((u32::from(body) + 8).to_le_bytes());
        f.extend([0, 0, 0, 0]);
        // Message: type 0x000C, size, flags, reserved.
        f.extend([0x0c, 0]);
        f.extend(body.to_le_bytes());
        f.extend([0, 0, 0, 0]);
        f.extend(attr);
        f
    }

    #[test]
    fn inline_string_config() {
        let f = file_with_inline(r#"{"class_name": "Sequential"}"#);
        let k = parse_keras_h5(&f).unwrap();
        assert_eq!(k.configs.len(), 1, "{k:?}");
        assert_eq!(k.configs[0].1["class_name"], "Sequential");
        assert!(k.unreadable.is_empty());
    }

    #[test]
    fn broken_value_is_unreadable_not_clean() {
        let mut f = file_with_inline(r#"{"class_name": "Sequential"}"#);
        f.truncate(f.len() - 10);
        let k = parse_keras_h5(&f).unwrap();
        assert!(k.configs.is_empty());
        assert!(!k.unreadable.is_empty(), "{k:?}");
        assert!(parse_keras_h5(b"not hdf5").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut f = file_with_inline("{}");
            f.extend(&data);
            let _ = parse_keras_h5(&f);
            let _ = parse_keras_h5(&data);
        }
    }
}
