//! Depth-safe, lenient reading of JSON lockfiles (`package-lock.json`, `Pipfile.lock`).
//!
//! npm and pipenv read their lockfiles with parsers that accept any nesting depth
//! (`JSON.parse`, Python's `json`), so a lockfile with one deeply nested value in a field
//! nobody reads is valid to them. `serde_json::Value` stops at 128 levels, and a parser
//! that gives up hands an attacker a file the audit did not read (issue 21, item 14).
//!
//! So these files are deserialized into typed structs that name only the fields the audit
//! uses: serde skips every other field with `IgnoredAny`, which `serde_json` walks
//! **iteratively** (its `ignore_value` keeps the open brackets in a heap buffer), so no
//! depth of an unread value can overflow the stack, and its memory is one byte per open
//! bracket, bounded by the input size ([`super::MAX_BYTES`]). The fields that are read
//! are lenient: a value of an unexpected type is skipped the same way and read as absent,
//! as `Value::as_str` did. Only the structure the audit descends into (the root, the
//! `packages` map, a lockfileVersion 1 `dependencies` tree) counts towards
//! `serde_json`'s recursion limit, and the v1 tree is bounded by [`super::MAX_DEPTH`]
//! before it could reach it.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A string, or `None` for any other JSON value (skipped without recursion).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Str(pub Option<String>);

/// `true` for a JSON `true`; any other value is skipped and reads as `false`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Flag(pub bool);

/// Whether the value is a non-empty array (elements skipped); other values read `false`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct NonEmptyArray(pub bool);

/// What a value is, after skipping it iteratively.
enum Seen {
    Str(String),
    Bool(bool),
    Array(bool),
    Other,
}

struct SeenVisitor;

impl<'de> Visitor<'de> for SeenVisitor {
    type Value = Seen;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Seen, E> {
        Ok(Seen::Str(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Seen, E> {
        Ok(Seen::Str(v))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Seen, E> {
        Ok(Seen::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Seen, E> {
        Ok(Seen::Other)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Seen, E> {
        Ok(Seen::Other)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Seen, E> {
        Ok(Seen::Other)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Seen, E> {
        Ok(Seen::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        // Each element is skipped by `IgnoredAny`, iteratively: only this array's own
        // level is on the stack.
        let mut any = false;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            any = true;
        }
        Ok(Seen::Array(any))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Seen::Other)
    }
}

fn seen<'de, D: Deserializer<'de>>(d: D) -> Result<Seen, D::Error> {
    d.deserialize_any(SeenVisitor)
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Str(match seen(d)? {
            Seen::Str(s) => Some(s),
            _ => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Flag(matches!(seen(d)?, Seen::Bool(true))))
    }
}

impl<'de> Deserialize<'de> for NonEmptyArray {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(NonEmptyArray(matches!(seen(d)?, Seen::Array(true))))
    }
}

/// An object read as a map, or `None` for any other value (skipped).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Object<T>(pub Option<std::collections::BTreeMap<String, T>>);

impl<T> Default for Object<T> {
    fn default() -> Self {
        Object(None)
    }
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<T>, A::Error> {
        let mut out = std::collections::BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, T>()? {
            // As `serde_json::Value`: a repeated key keeps the last value.
            out.insert(k, v);
        }
        Ok(Object(Some(out)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Object<T>, A::Error> {
        SeenVisitor.visit_seq(seq).map(|_| Object(None))
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Object<T>, E> {
        Ok(Object(None))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default)]
        s: Str,
        #[serde(default)]
        f: Flag,
        #[serde(default)]
        a: NonEmptyArray,
        #[serde(default)]
        o: Object<Str>,
    }

    #[test]
    fn lenient_fields_and_deep_unread_values() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let doc = format!(
            r#"{{"x": {deep}, "s": {deep}, "f": true, "a": [{deep}], "o": {{"k": "v", "d": {deep}}}}}"#
        );
        let t: T = serde_json::from_str(&doc).unwrap();
        assert_eq!(t.s, Str(None));
        assert!(t.f.0 && t.a.0);
        let o = t.o.0.unwrap();
        assert_eq!(o["k"], Str(Some("v".into())));
        assert_eq!(o["d"], Str(None));
        let t: T = serde_json::from_str(r#"{"s": "x", "f": 1, "a": [], "o": [1]}"#).unwrap();
        assert_eq!(t.s, Str(Some("x".into())));
        assert!(!t.f.0 && !t.a.0 && t.o.0.is_none());
        // Malformed JSON is still an error, deep or not.
        assert!(serde_json::from_str::<T>(&format!("{{\"x\": {}", "[".repeat(1000))).is_err());
    }
}
