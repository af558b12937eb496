//! Strict validation of a safetensors header.
//!
//! Spec: the safetensors format (huggingface/safetensors `README.md`, "Format"): an 8-byte
//! little-endian header length `N`, `N` bytes of UTF-8 JSON mapping tensor names to
//! `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the byte buffer after
//! the header) plus an optional `__metadata__` string→string map, then the byte buffer.
//! The reference loader refuses headers over 100 MB, offsets that are not contiguous from
//! 0, sizes that disagree with `shape × dtype`, and (since 0.4) duplicate keys; every rule
//! here is one of those, checked so that a file other loaders might read differently is
//! reported.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;

/// Largest header the reference implementation accepts (bytes).
pub const MAX_HEADER: u64 = 100_000_000;

/// One tensor entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    /// Tensor name.
    pub name: String,
    /// dtype code (`F32`, `BF16`, …).
    pub dtype: String,
    /// Shape.
    pub shape: Vec<u64>,
    /// `[begin, end)` in the byte buffer.
    pub offsets: (u64, u64),
}

/// The parsed header and every rule it breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafetensorsHeader {
    /// Header length `N` as declared.
    pub header_len: u64,
    /// Tensors, in header order.
    pub tensors: Vec<TensorInfo>,
    /// `__metadata__` entries.
    pub metadata: Vec<(String, String)>,
    /// Broken rules, one message each (empty: the header is valid).
    pub defects: Vec<String>,
    /// The header was not fully in `data` (a prefix bound), so it was not checked.
    pub unchecked: bool,
}

/// Bits per element of each dtype the reference implementation knows.
fn dtype_bits(d: &str) -> Option<u64> {
    Some(match d {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 8,
        "F4" => 4,
        "F6_E2M3" | "F6_E3M2" => 6,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        _ => return None,
    })
}

/// A JSON object that keeps duplicate keys (serde_json's map keeps the last).
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entries, A::Error> {
                let mut v = Vec::new();
                // Bounded by the header length (≤ 100 MB).
                while let Some((k, val)) = m.next_entry::<String, serde_json::Value>()? {
                    v.push((k, val));
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// Validate the header of a safetensors file. `data` is the file or a prefix of it holding
/// at least the header; `file_len` is the whole file's length. Never panics; every problem
/// is a defect.
pub fn parse_safetensors(data: &[u8], file_len: u64) -> SafetensorsHeader {
    let mut h = SafetensorsHeader::default();
    let Some(n) = data
        .get(..8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
    else {
        h.defects
            .push("shorter than the 8-byte header length".into());
        return h;
    };
    h.header_len = n;
    if n > MAX_HEADER {
        h.defects
            .push(format!("header length {n} is over the 100 MB limit"));
        return h;
    }
    if n.saturating_add(8) > file_len {
        h.defects.push(format!(
            "header length {n} runs past the end of the file ({file_len} bytes)"
        ));
        return h;
    }
    let Some(raw) = usize::try_from(n).ok().and_then(|n| data.get(8..8 + n)) else {
        h.unchecked = true;
        return h;
    };
    let Ok(text) = std::str::from_utf8(raw) else {
        h.defects.push("header is not UTF-8".into());
        return h;
    };
    let entries = match serde_json::from_str::<Entries>(text.trim_end_matches(' ')) {
        Ok(e) => e.0,
        Err(e) => {
            h.defects.push(format!("header is not a JSON object: {e}"));
            return h;
        }
    };
    let mut seen = std::collections::HashSet::new();
    for (name, v) in entries {
        if !seen.insert(name.clone()) {
            h.defects.push(format!("duplicate key `{name}`"));
            continue;
        }
        if name == "__metadata__" {
            match v.as_object() {
                Some(m) => {
                    for (k, val) in m {
                        match val.as_str() {
                            Some(s) => h.metadata.push((k.clone(), s.to_owned())),
                            None => h
                                .defects
                                .push(format!("`__metadata__.{k}` is not a string")),
                        }
                    }
                }
                None => h.defects.push("`__metadata__` is not an object".into()),
            }
            continue;
        }
        let dtype = v
            .get("dtype")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_owned();
        let shape: Option<Vec<u64>> = v
            .get("shape")
            .and_then(|s| s.as_array())
            .and_then(|a| a.iter().map(|x| x.as_u64()).collect());
        let offs: Option<Vec<u64>> = v
            .get("data_offsets")
            .and_then(|s| s.as_array())
            .and_then(|a| a.iter().map(|x| x.as_u64()).collect());
        let (Some(shape), Some([b, e])) = (
            shape,
            offs.as_deref()
                .map(|o| match o {
                    [b, e] => Some([*b, *e]),
                    _ => None,
                })
                .unwrap_or(None),
        ) else {
            h.defects.push(format!(
                "tensor `{name}` lacks a valid shape or data_offsets"
            ));
            continue;
        };
        match dtype_bits(&dtype) {
            None => h
                .defects
                .push(format!("tensor `{name}` has unknown dtype `{dtype}`")),
            Some(bits) => {
                let numel = shape.iter().try_fold(1u64, |a, d| a.checked_mul(*d));
                let size = numel
                    .and_then(|n| n.checked_mul(bits))
                    .map(|b| b.div_ceil(8));
                if e < b {
                    h.defects
                        .push(format!("tensor `{name}` ends before it begins"));
                } else if size != Some(e - b) {
                    h.defects.push(format!(
                        "tensor `{name}`: {} bytes between its offsets, shape × dtype says {}",
                        e - b,
                        size.map_or("an overflow".to_owned(), |s| s.to_string())
                    ));
                }
            }
        }
        h.tensors.push(TensorInfo {
            name,
            dtype,
            shape,
            offsets: (b, e),
        });
    }
    let mut spans: Vec<(u64, u64)> = h.tensors.iter().map(|t| t.offsets).collect();
    spans.sort_unstable();
    let mut at = 0u64;
    for (b, e) in spans {
        if b != at {
            h.defects.push(format!(
                "tensor data is not contiguous: a tensor starts at {b}, expected {at} (gap or overlap)"
            ));
            break;
        }
        at = e;
    }
    let buffer = file_len - 8 - n;
    if at != buffer {
        h.defects.push(format!(
            "tensors cover {at} bytes but the byte buffer holds {buffer} (trailing or missing data)"
        ));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(header: &str, body: usize) -> Vec<u8> {
        let mut v = (header.len() as u64).to_le_bytes().to_vec();
        v.extend(header.as_bytes());
        v.extend(std::iter::repeat_n(0u8, body));
        v
    }

    #[test]
    fn valid_and_invalid() {
        let ok = file(
            r#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"__metadata__":{"format":"pt"}}"#,
            16,
        );
        let h = parse_safetensors(&ok, ok.len() as u64);
        assert!(h.defects.is_empty(), "{:?}", h.defects);
        let dup = file(
            r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
            4,
        );
        assert!(
            parse_safetensors(&dup, dup.len() as u64)
                .defects
                .iter()
                .any(|d| d.contains("duplicate"))
        );
        let trailing = file(
            r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
            40,
        );
        assert!(
            !parse_safetensors(&trailing, trailing.len() as u64)
                .defects
                .is_empty()
        );
        let overflow = file(
            r#"{"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
            4,
        );
        assert!(
            !parse_safetensors(&overflow, overflow.len() as u64)
                .defects
                .is_empty()
        );
        let bad_dtype = file(
            r#"{"w":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}}"#,
            4,
        );
        assert!(
            !parse_safetensors(&bad_dtype, bad_dtype.len() as u64)
                .defects
                .is_empty()
        );
        assert!(
            !parse_safetensors(b"\xff\xff\xff\xff\xff\xff\xff\xff", 8)
                .defects
                .is_empty()
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let _ = parse_safetensors(&data, data.len() as u64);
        }
    }
}
