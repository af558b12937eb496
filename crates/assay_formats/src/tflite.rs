//! TensorFlow Lite models (`.tflite`): the custom operators a model asks for.
//!
//! A `.tflite` file is a FlatBuffer whose root table is `tflite.Model`
//! (`tensorflow/compiler/mlir/lite/schema/schema.fbs`; file identifier `TFL3` at bytes
//! 4–8). `Model.operator_codes` (field 1) lists every operator the subgraphs use; an
//! `OperatorCode` whose builtin code is `CUSTOM` (32) names its implementation in
//! `custom_code` (field 1). Custom codes starting with `Flex` are TensorFlow kernels run
//! through the Flex delegate (`FlexReadFile` runs `ReadFile`); others need the application
//! to link a native implementation, which the model cannot bring along.
//!
//! Only the few fields above are read, by hand (FlatBuffers: a table starts with a signed
//! offset back to its vtable, which lists each field's offset; vectors and strings are
//! reached by an unsigned forward offset and start with a 32-bit length). Every offset is
//! checked against the input; at most [`MAX_OPERATOR_CODES`] codes are read.

use crate::FormatError;

/// Most operator codes read.
pub const MAX_OPERATOR_CODES: usize = 100_000;
/// `BuiltinOperator_CUSTOM`.
const CUSTOM: i32 = 32;

fn invalid(message: &str) -> FormatError {
    FormatError::Invalid {
        file: "TFLite",
        message: message.to_owned(),
    }
}

struct Fb<'a>(&'a [u8]);

impl Fb<'_> {
    fn u32(&self, at: usize) -> Option<u32> {
        let b = self.0.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes(b.try_into().ok()?))
    }
    fn u16(&self, at: usize) -> Option<u16> {
        let b = self.0.get(at..at.checked_add(2)?)?;
        Some(u16::from_le_bytes(b.try_into().ok()?))
    }
    /// The position an unsigned offset stored at `at` points to.
    fn deref(&self, at: usize) -> Option<usize> {
        at.checked_add(usize::try_from(self.u32(at)?).ok()?)
            .filter(|p| *p < self.0.len())
    }
    /// Where field `i` of the table at `table` is stored, if present.
    fn field(&self, table: usize, i: usize) -> Option<usize> {
        let soffset = i64::from(self.u32(table)? as i32);
        let vt = usize::try_from(i64::try_from(table).ok()?.checked_sub(soffset)?).ok()?;
        let vt_len = usize::from(self.u16(vt)?);
        let slot = 4 + 2 * i;
        if slot + 2 > vt_len {
            return None;
        }
        let off = usize::from(self.u16(vt + slot)?);
        (off != 0).then(|| table.checked_add(off)).flatten()
    }
}

/// One operator code of a TFLite model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfLiteOp {
    /// The builtin code (`max(builtin_code, deprecated_builtin_code)`).
    pub builtin: i32,
    /// `custom_code`, for custom operators.
    pub custom: Option<String>,
}

/// Read the operator codes of a `.tflite` model.
///
/// # Errors
/// [`FormatError::Invalid`] when the file is not a TFLite FlatBuffer or an offset points
/// outside it; [`FormatError::TooMany`] over [`MAX_OPERATOR_CODES`].
pub fn parse_tflite_ops(data: &[u8]) -> Result<Vec<TfLiteOp>, FormatError> {
    let fb = Fb(data);
    if data.get(4..8) != Some(b"TFL3") {
        return Err(invalid("no `TFL3` file identifier"));
    }
    let root = fb
        .deref(0)
        .filter(|r| *r >= 8)
        .ok_or_else(|| invalid("root offset outside the file"))?;
    let Some(codes_field) = fb.field(root, 1) else {
        return Ok(Vec::new());
    };
    let vec = fb
        .deref(codes_field)
        .ok_or_else(|| invalid("operator_codes outside the file"))?;
    let len = fb
        .u32(vec)
        .ok_or_else(|| invalid("operator_codes length outside the file"))?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_OPERATOR_CODES {
        return Err(FormatError::TooMany {
            file: "TFLite",
            what: "operator codes",
            limit: MAX_OPERATOR_CODES,
        });
    }
    let mut out = Vec::with_capacity(len.min(1024));
    for i in 0..len {
        let slot = vec + 4 + 4 * i;
        let t = fb
            .deref(slot)
            .ok_or_else(|| invalid("operator code outside the file"))?;
        let deprecated = fb
            .field(t, 0)
            .and_then(|p| data.get(p))
            .map_or(0, |b| i32::from(*b as i8));
        let builtin = fb
            .field(t, 3)
            .and_then(|p| fb.u32(p))
            .map_or(0, |v| v as i32);
        let builtin = builtin.max(deprecated);
        let custom = match fb.field(t, 1) {
            Some(p) if builtin == CUSTOM => {
                let s = fb
                    .deref(p)
                    .ok_or_else(|| invalid("custom_code outside the file"))?;
                let n = usize::try_from(fb.u32(s).ok_or_else(|| invalid("custom_code length"))?)
                    .unwrap_or(usize::MAX);
                let bytes = s
                    .checked_add(4)
                    .and_then(|a| data.get(a..a.checked_add(n)?))
                    .ok_or_else(|| invalid("custom_code runs past the end"))?;
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
            _ => None,
        };
        out.push(TfLiteOp { builtin, custom });
    }
    Ok(out)
}

/// Overwrite the little-endian `u32` at `at` (a slot written earlier).
fn put_u32(b: &mut [u8], at: usize, v: u32) {
    if let Some(slot) = b.get_mut(at..at + 4) {
        slot.copy_from_slice(&v.to_le_bytes());
    }
}

/// Build a minimal `.tflite` FlatBuffer holding `customs` as custom operator codes (for
/// tests and fixtures; the model has no subgraphs, so no runtime could run it).
pub fn build_tflite_with_custom_ops(customs: &[&str]) -> Vec<u8> {
    // Layout: [root u32][TFL3][Model vtable][Model table][vector][OperatorCode vtable]
    // then one (table, string) pair per code. All offsets are forward except vtables.
    let mut b: Vec<u8> = Vec::new();
    b.extend(0u32.to_le_bytes()); // root offset, patched below
    b.extend(b"TFL3");
    // Model vtable: size 8 (2 fields: version, operator_codes), table size 8.
    let model_vt = b.len();
    b.extend(8u16.to_le_bytes());
    b.extend(8u16.to_le_bytes());
    b.extend(0u16.to_le_bytes()); // field 0 absent
    b.extend(4u16.to_le_bytes()); // field 1 at +4
    let model = b.len();
    b.extend(((model - model_vt) as i32).to_le_bytes());
    let codes_slot = b.len();
    b.extend(0u32.to_le_bytes()); // patched
    let vec = b.len();
    b.extend((customs.len() as u32).to_le_bytes());
    let slots: Vec<usize> = customs
        .iter()
        .map(|_| {
            let s = b.len();
            b.extend(0u32.to_le_bytes());
            s
        })
        .collect();
    // OperatorCode vtable: fields 0..=3; custom_code at +4, builtin_code at +8.
    let code_vt = b.len();
    b.extend(12u16.to_le_bytes());
    b.extend(12u16.to_le_bytes());
    b.extend(0u16.to_le_bytes());
    b.extend(4u16.to_le_bytes());
    b.extend(0u16.to_le_bytes());
    b.extend(8u16.to_le_bytes());
    for (c, slot) in customs.iter().zip(slots) {
        let t = b.len();
        put_u32(&mut b, slot, (t - slot) as u32);
        b.extend(((t - code_vt) as i32).to_le_bytes());
        let str_slot = b.len();
        b.extend(0u32.to_le_bytes());
        b.extend(CUSTOM.to_le_bytes());
        let s = b.len();
        put_u32(&mut b, str_slot, (s - str_slot) as u32);
        b.extend((c.len() as u32).to_le_bytes());
        b.extend(c.as_bytes());
        b.push(0);
        while !b.len().is_multiple_of(4) {
            b.push(0);
        }
    }
    put_u32(&mut b, 0, model as u32);
    put_u32(&mut b, codes_slot, (vec - codes_slot) as u32);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_codes_are_read() {
        let m = build_tflite_with_custom_ops(&["FlexReadFile", "TFLite_Detection_PostProcess"]);
        let ops = parse_tflite_ops(&m).unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].custom.as_deref(), Some("FlexReadFile"));
        assert_eq!(ops[1].builtin, CUSTOM);
        assert!(parse_tflite_ops(b"\x00\x00\x00\x00TFL3").is_err());
        assert!(parse_tflite_ops(b"not a model").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut d = data;
            if d.len() >= 8 { d[4..8].copy_from_slice(b"TFL3"); }
            let _ = parse_tflite_ops(&d);
        }
    }
}
