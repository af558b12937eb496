//! Strict, bounded parsing of a GGUF header and its metadata key/value section.
//!
//! Spec: ggml `docs/gguf.md` (GGUF v2/v3): `GGUF` magic, `u32` version, `u64` tensor count,
//! `u64` metadata count, then `count` key/value pairs (`gguf_string` key = `u64` length +
//! UTF-8 bytes, `u32` value type, value). Value types 0–12: u8, i8, u16, i16, u32, i32,
//! f32, bool, string, array (`u32` element type, `u64` length, elements), u64, i64, f64.
//! Little-endian. Every count and length is checked against the bytes that remain before
//! anything is allocated (malformed-GGUF overflows are the known attack on loaders).

use crate::FormatError;

/// Most metadata pairs accepted.
pub const MAX_KV: u64 = 1_000_000;
/// Deepest nesting of arrays accepted.
const MAX_ARRAY_DEPTH: u32 = 4;

/// What assay keeps from a GGUF header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GgufHeader {
    /// Format version.
    pub version: u32,
    /// Declared tensor count.
    pub tensor_count: u64,
    /// Declared metadata pair count.
    pub kv_count: u64,
    /// Every string-valued metadata pair (key, value); arrays of strings (the vocabulary)
    /// are skipped, not kept.
    pub strings: Vec<(String, String)>,
    /// Pairs read before the data ended (a prefix), when fewer than declared.
    pub kv_read: u64,
    /// The metadata section ended early (the data was a prefix or is truncated).
    pub truncated: bool,
    /// Why the walk stopped early, when it did (a length past the data, arrays nested
    /// deeper than the bound, an unknown type).
    pub stopped: Option<String>,
}

impl GgufHeader {
    /// The chat templates: `tokenizer.chat_template` and `tokenizer.chat_template.<name>`.
    pub fn chat_templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.strings
            .iter()
            .filter(|(k, _)| {
                k == "tokenizer.chat_template" || k.starts_with("tokenizer.chat_template.")
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

struct R<'a> {
    d: &'a [u8],
    p: usize,
}

impl R<'_> {
    fn take(&mut self, n: u64) -> Option<&[u8]> {
        let n = usize::try_from(n).ok()?;
        let end = self.p.checked_add(n)?;
        let s = self.d.get(self.p..end)?;
        self.p = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    }
    fn string(&mut self) -> Option<&[u8]> {
        let n = self.u64()?;
        self.take(n)
    }
    fn left(&self) -> u64 {
        self.d.len().saturating_sub(self.p) as u64
    }
    /// Skip (or read, for a top-level string) one value of type `t`.
    fn value(&mut self, t: u32, depth: u32) -> Option<Option<String>> {
        let fixed = match t {
            0 | 1 | 7 => 1,
            2 | 3 => 2,
            4..=6 => 4,
            10..=12 => 8,
            _ => 0,
        };
        if fixed > 0 {
            self.take(fixed)?;
            return Some(None);
        }
        match t {
            8 => Some(Some(String::from_utf8_lossy(self.string()?).into_owned())),
            9 if depth < MAX_ARRAY_DEPTH => {
                let et = self.u32()?;
                let n = self.u64()?;
                // Each element takes at least one byte: a longer count is a lie.
                if n > self.left() {
                    return None;
                }
                // Arrays of fixed-size elements (token types, scores) are skipped by their
                // size, not element by element: a template after a 21 MB token array is
                // still reached, in time linear in the number of strings only.
                let width: u64 = match et {
                    0 | 1 | 7 => 1,
                    2 | 3 => 2,
                    4..=6 => 4,
                    10..=12 => 8,
                    _ => 0,
                };
                if width > 0 {
                    self.take(n.checked_mul(width)?)?;
                    return Some(None);
                }
                for _ in 0..n {
                    self.value(et, depth + 1)?;
                }
                Some(None)
            }
            _ => None,
        }
    }
}

/// Parse the header and metadata of a GGUF file (or a prefix of one).
///
/// # Errors
/// [`FormatError::Invalid`] when the magic, version, counts or a value type are invalid.
/// A prefix that ends inside the metadata is not an error: [`GgufHeader::truncated`].
pub fn parse_gguf(data: &[u8]) -> Result<GgufHeader, FormatError> {
    let bad = |m: String| FormatError::Invalid {
        file: "GGUF",
        message: m,
    };
    let mut r = R { d: data, p: 0 };
    if r.take(4) != Some(b"GGUF") {
        return Err(bad("missing GGUF magic".into()));
    }
    let mut h = GgufHeader {
        version: r.u32().ok_or_else(|| bad("truncated header".into()))?,
        tensor_count: r.u64().ok_or_else(|| bad("truncated header".into()))?,
        kv_count: r.u64().ok_or_else(|| bad("truncated header".into()))?,
        ..GgufHeader::default()
    };
    if !(2..=3).contains(&h.version) {
        return Err(bad(format!("unsupported version {}", h.version)));
    }
    if h.kv_count > MAX_KV {
        return Err(bad(format!(
            "{} metadata pairs declared (bound {MAX_KV})",
            h.kv_count
        )));
    }
    for _ in 0..h.kv_count {
        let start = r.p;
        let Some(key) = r.string().map(|k| String::from_utf8_lossy(k).into_owned()) else {
            h.truncated = true;
            break;
        };
        let Some(t) = r.u32() else {
            h.truncated = true;
            break;
        };
        if t > 12 {
            return Err(bad(format!("key `{key}` has unknown value type {t}")));
        }
        match r.value(t, 0) {
            Some(Some(s)) => h.strings.push((key, s)),
            Some(None) => {}
            None => {
                h.truncated = true;
                h.stopped = Some(format!(
                    "the value of key `{key}` (at byte {start}) runs past the data or nests arrays deeper than {MAX_ARRAY_DEPTH}"
                ));
                break;
            }
        }
        h.kv_read += 1;
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv_str(k: &str, v: &str) -> Vec<u8> {
        let mut b = (k.len() as u64).to_le_bytes().to_vec();
        b.extend(k.as_bytes());
        b.extend(8u32.to_le_bytes());
        b.extend((v.len() as u64).to_le_bytes());
        b.extend(v.as_bytes());
        b
    }

    #[test]
    fn reads_templates_and_bounds_counts() {
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend(2u64.to_le_bytes());
        f.extend(kv_str("general.name", "x"));
        f.extend(kv_str("tokenizer.chat_template", "{{ messages }}"));
        let h = parse_gguf(&f).unwrap();
        assert_eq!(h.chat_templates().count(), 1);
        assert!(!h.truncated);
        let mut lie = b"GGUF".to_vec();
        lie.extend(3u32.to_le_bytes());
        lie.extend(0u64.to_le_bytes());
        lie.extend(u64::MAX.to_le_bytes());
        assert!(parse_gguf(&lie).is_err());
    }

    #[test]
    fn template_after_a_large_token_array_is_found() {
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend(2u64.to_le_bytes());
        // 21 MB of i32 token types.
        let n: u64 = 21 << 18;
        let key = "tokenizer.ggml.token_type";
        f.extend((key.len() as u64).to_le_bytes());
        f.extend(key.as_bytes());
        f.extend(9u32.to_le_bytes());
        f.extend(5u32.to_le_bytes());
        f.extend(n.to_le_bytes());
        f.resize(f.len() + (n as usize) * 4, 1);
        f.extend(kv_str("tokenizer.chat_template", "{{ x.__class__ }}"));
        let h = parse_gguf(&f).unwrap();
        assert!(!h.truncated, "{:?}", h.stopped);
        assert_eq!(h.chat_templates().count(), 1);
    }

    #[test]
    fn absurd_counts_stop_the_walk_with_a_reason() {
        // A 2^64-1-byte string.
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend(1u64.to_le_bytes());
        f.extend(3u64.to_le_bytes());
        f.extend(b"key");
        f.extend(8u32.to_le_bytes());
        f.extend(u64::MAX.to_le_bytes());
        let h = parse_gguf(&f).unwrap();
        assert!(h.truncated && h.stopped.is_some());
        // Arrays nested 100,000 deep: bounded, stopped.
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend(1u64.to_le_bytes());
        f.extend(3u64.to_le_bytes());
        f.extend(b"key");
        f.extend(9u32.to_le_bytes());
        for _ in 0..100_000 {
            f.extend(9u32.to_le_bytes());
            f.extend(1u64.to_le_bytes());
        }
        let h = parse_gguf(&f).unwrap();
        assert!(h.truncated && h.stopped.is_some());
        // 2^63 keys: an error.
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend((1u64 << 63).to_le_bytes());
        assert!(parse_gguf(&f).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let mut f = b"GGUF\x03\0\0\0".to_vec();
            f.extend(&data);
            let _ = parse_gguf(&f);
        }
    }
}
