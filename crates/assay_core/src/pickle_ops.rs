//! The pickle opcode table and a linear opcode walk (CPython `Lib/pickletools.py`,
//! `genops`): every opcode of protocols 0–5 with the shape of its argument, read one after
//! the other without building any value.
//!
//! It lives here, beside [`crate::classify`], because two callers need it: content
//! sniffing (is this file a pickle, whatever it is called?) and the pickle scanner of
//! `assay_formats`, which walks the bytes linearly to find every import even where its
//! symbolic VM stops. Arguments are checked as strictly as `pickle` reads them (numbers
//! must be numbers, `STRING` must be quoted, `GLOBAL` names must be dotted identifiers) so
//! that ordinary text does not read as a long run of valid opcodes.

/// The shape of an opcode's argument, as in `pickletools` (`ArgumentDescriptor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// No argument.
    None,
    /// Fixed-width little-endian integer or float of this many bytes.
    Fixed(usize),
    /// A length of this many bytes (little-endian, unsigned), then that many bytes.
    Counted(usize),
    /// One text line ending in `\n` (decimal numbers, quoted strings, persistent ids).
    Line,
    /// Two text lines (`GLOBAL`, `INST`: module, then name).
    TwoLines,
}

/// The argument shape of `op`, or `None` when the byte is no opcode of protocols 0–5.
pub fn arg_of(op: u8) -> Option<Arg> {
    Some(match op {
        b'(' | b'.' | b'0' | b'1' | b'2' | b'N' | b'Q' | b'R' | b'a' | b'b' | b'd' | b'}'
        | b'e' | b'l' | b']' | b'o' | b's' | b't' | b')' | b'u' => Arg::None,
        0x81 | 0x85..=0x89 | 0x8f..=0x94 | 0x97 | 0x98 => Arg::None,
        b'F' | b'I' | b'L' | b'S' | b'V' | b'g' | b'p' | b'P' => Arg::Line,
        b'c' | b'i' => Arg::TwoLines,
        b'K' | b'h' | b'q' | 0x80 | 0x82 => Arg::Fixed(1),
        b'M' | 0x83 => Arg::Fixed(2),
        b'J' | b'j' | b'r' | 0x84 => Arg::Fixed(4),
        b'G' | 0x95 => Arg::Fixed(8),
        0x8a | b'U' | b'C' | 0x8c => Arg::Counted(1),
        0x8b | b'T' | b'X' | b'B' => Arg::Counted(4),
        0x8d | 0x8e | 0x96 => Arg::Counted(8),
        _ => return None,
    })
}

/// One opcode read by [`next_op`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op<'a> {
    /// The opcode byte.
    pub code: u8,
    /// Its offset in the input.
    pub offset: usize,
    /// The argument bytes: the line(s) without their final `\n` (for `GLOBAL`/`INST` both
    /// lines joined by their `\n`), the counted data without its length, or the fixed bytes.
    pub arg: &'a [u8],
    /// Offset of the next opcode.
    pub next: usize,
}

/// Why [`next_op`] could not read an opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpError {
    /// The data ends inside the opcode (or there is none).
    Truncated,
    /// The byte is no opcode.
    Unknown,
    /// The argument is malformed (a negative or absurd length, a non-number where a
    /// number is due, an unquoted `STRING`, a `GLOBAL` name that is no identifier path).
    BadArgument,
}

/// Longest text line accepted as an argument (CPython has no bound; real pickles use
/// short lines, and a bound keeps the walk linear on hostile input).
const MAX_LINE: usize = 1 << 20;

/// Read the opcode at `pos`, checking its argument strictly.
pub fn next_op(data: &[u8], pos: usize) -> Result<Op<'_>, OpError> {
    let code = *data.get(pos).ok_or(OpError::Truncated)?;
    let start = pos + 1;
    let rest = data.get(start..).unwrap_or_default();
    let arg = arg_of(code).ok_or(OpError::Unknown)?;
    let (arg_bytes, next) = match arg {
        Arg::None => (&rest[..0], start),
        Arg::Fixed(n) => (rest.get(..n).ok_or(OpError::Truncated)?, start + n),
        Arg::Counted(w) => {
            let len_bytes = rest.get(..w).ok_or(OpError::Truncated)?;
            let len = len_bytes
                .iter()
                .rev()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            // `T`, `X`, `B` and `LONG4` are signed 4-byte lengths in CPython.
            if w == 4 && len > i32::MAX as u64 {
                return Err(OpError::BadArgument);
            }
            let len = usize::try_from(len).map_err(|_| OpError::BadArgument)?;
            let end = w.checked_add(len).ok_or(OpError::BadArgument)?;
            let body = rest.get(w..end).ok_or(OpError::Truncated)?;
            (body, start + end)
        }
        Arg::Line => {
            let line = line(rest)?;
            if !line_ok(code, line) {
                return Err(OpError::BadArgument);
            }
            (line, start + line.len() + 1)
        }
        Arg::TwoLines => {
            let module = line(rest)?;
            let after = rest.get(module.len() + 1..).unwrap_or_default();
            let name = line(after)?;
            if !dotted_identifier(module) || !dotted_identifier(name) {
                return Err(OpError::BadArgument);
            }
            let n = module.len() + 1 + name.len();
            (rest.get(..n).unwrap_or_default(), start + n + 1)
        }
    };
    if code == 0x80 && arg_bytes.first().is_some_and(|p| *p > 5) {
        return Err(OpError::BadArgument);
    }
    Ok(Op {
        code,
        offset: pos,
        arg: arg_bytes,
        next,
    })
}

fn line(rest: &[u8]) -> Result<&[u8], OpError> {
    let window = rest.get(..rest.len().min(MAX_LINE)).unwrap_or_default();
    match window.iter().position(|b| *b == b'\n') {
        Some(n) => Ok(window.get(..n).unwrap_or_default()),
        None if rest.len() > MAX_LINE => Err(OpError::BadArgument),
        None => Err(OpError::Truncated),
    }
}

/// Whether a text-line argument has the form `pickle` accepts for `code`.
fn line_ok(code: u8, l: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(l) else {
        // `V` is raw-unicode-escape and `S`/`P` may carry any bytes; numbers are ASCII.
        return matches!(code, b'V' | b'S' | b'P');
    };
    match code {
        b'I' | b'L' => {
            let t = s.trim_end_matches('L');
            let t = t.strip_prefix('-').unwrap_or(t);
            !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
        }
        b'F' => s.trim().parse::<f64>().is_ok(),
        b'g' | b'p' => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
        b'S' => matches!(l, [q @ (b'\'' | b'"'), .., last] if last == q && l.len() >= 2),
        _ => true,
    }
}

/// `a.b.c` where each part is a Python identifier (ASCII letters, digits, `_`, not
/// starting with a digit): what `find_class` can import. Non-ASCII identifiers are
/// accepted too (any byte ≥ 0x80), as Python allows them.
pub fn dotted_identifier(s: &[u8]) -> bool {
    !s.is_empty()
        && s.split(|b| *b == b'.').all(|part| {
            part.first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_' || *b >= 0x80)
                && part
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80)
        })
}

/// How `op` changes the stack, as (items popped, items pushed, mark effect). `pops_mark`
/// opcodes take every item down to the last `MARK` and the mark itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackEffect {
    /// Items popped above any mark.
    pub pop: usize,
    /// Items pushed.
    pub push: usize,
    /// The opcode pops down to (and including) the topmost mark.
    pub pops_mark: bool,
    /// The opcode pushes a mark.
    pub pushes_mark: bool,
}

/// The stack effect of `op` (`pickletools` `stack_before`/`stack_after`).
pub fn stack_effect(op: u8) -> StackEffect {
    let e = |pop, push| StackEffect {
        pop,
        push,
        pops_mark: false,
        pushes_mark: false,
    };
    let m = |pop, push| StackEffect {
        pop,
        push,
        pops_mark: true,
        pushes_mark: false,
    };
    match op {
        b'(' => StackEffect {
            pop: 0,
            push: 0,
            pops_mark: false,
            pushes_mark: true,
        },
        b'.' | b'0' => e(1, 0),
        b'1' => m(0, 0),
        b'2' => e(1, 2),
        b'Q' | 0x98 | 0x85 => e(1, 1),
        b'p' | b'q' | b'r' | 0x94 => e(1, 1),
        b'a' => e(1, 0),
        b'e' | b'u' | 0x90 => m(1, 1),
        b's' => e(2, 0),
        b'd' | b'l' | b't' | 0x91 | b'i' => m(0, 1),
        b'o' => m(0, 1),
        0x86 | b'R' | 0x81 | b'b' | 0x93 => e(2, 1),
        0x87 | 0x92 => e(3, 1),
        0x80 | 0x95 => e(0, 0),
        _ => e(0, 1),
    }
}

/// Opcodes that make loading a pickle call something (`REDUCE`, `BUILD`, `INST`, `OBJ`,
/// `NEWOBJ`, `NEWOBJ_EX`).
pub fn is_call(op: u8) -> bool {
    matches!(op, b'R' | b'b' | b'i' | b'o' | 0x81 | 0x92)
}

/// Opcodes that import (`GLOBAL`, `INST`, `STACK_GLOBAL`, `EXT1/2/4`).
pub fn is_import(op: u8) -> bool {
    matches!(op, b'c' | b'i' | 0x93 | 0x82..=0x84)
}

/// What a bounded linear walk of the start of some bytes says about them as a pickle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sniff {
    /// Opcodes read before the first error, `STOP`, or the end of the data.
    pub ops: usize,
    /// An import opcode was read.
    pub imports: bool,
    /// A call opcode was read with enough stack under it.
    pub calls: bool,
    /// `STOP` was reached with exactly one item on the stack.
    pub stopped: bool,
    /// The walk ran into the end of the data without an error (the data is a prefix).
    pub ran_out: bool,
}

/// Walk the start of `data` as a pickle, opcode by opcode, keeping a count of the stack
/// and marks, until `STOP`, the first error or the end. Never reads more than `data`.
pub fn sniff(data: &[u8]) -> Sniff {
    let mut s = Sniff::default();
    let mut depth = 0usize;
    let mut marks: Vec<usize> = Vec::new();
    let mut pos = 0;
    loop {
        let op = match next_op(data, pos) {
            Ok(op) => op,
            Err(OpError::Truncated) => {
                s.ran_out = true;
                return s;
            }
            Err(_) => return s,
        };
        let fx = stack_effect(op.code);
        let floor = marks.last().copied().unwrap_or(0);
        if fx.pops_mark {
            let Some(m) = marks.pop() else { return s };
            // `OBJ` needs its class above the mark.
            if op.code == b'o' && depth <= m {
                return s;
            }
            depth = m;
            let floor = marks.last().copied().unwrap_or(0);
            if depth < floor + fx.pop {
                return s;
            }
        } else if depth < floor + fx.pop {
            // `POP` with nothing above the mark pops the mark (CPython `load_pop`).
            if op.code == b'0' && depth == floor && marks.pop().is_some() {
                pos = op.next;
                s.ops += 1;
                continue;
            }
            return s;
        }
        depth = depth - fx.pop + fx.push;
        if fx.pushes_mark {
            marks.push(depth);
        }
        s.ops += 1;
        s.imports |= is_import(op.code);
        s.calls |= is_call(op.code);
        if op.code == b'.' {
            s.stopped = true;
            return s;
        }
        pos = op.next;
    }
}

/// Whether `head` (the first bytes of a file, or all of it) is a pickle by its content:
/// `PROTO 2..=5` and a valid opcode walk, or (protocols 0 and 1, which have no magic) a
/// walk that imports and calls before anything invalid — the shape of every payload — or
/// that reads at least 64 valid opcodes to the end of a prefix.
pub fn looks_like_pickle(head: &[u8]) -> bool {
    let s = sniff(head);
    // `PROTO 2..=5` and any opcode: the binary protocols' magic. What follows may be a
    // stream trick (a second PROTO, a POP on an empty stack), judged by the scanner.
    if let [0x80, 2..=5, op, ..] = head {
        return arg_of(*op).is_some();
    }
    if let [0x80, 2..=5] = head {
        return true;
    }
    // Protocols 0 and 1 start with a mark, a container, a constant or an import; never
    // with `PERSID` (`P`, which would read a zip's `PK…` header as its argument) or a memo
    // `GET`.
    let starts_like_a_pickle = matches!(
        head.first(),
        Some(
            b'(' | b'c'
                | b'i'
                | b']'
                | b'}'
                | b')'
                | b'N'
                | b'I'
                | b'L'
                | b'F'
                | b'S'
                | b'V'
                | b'K'
                | b'J'
                | b'M'
                | b'G'
                | b'X'
                | b'U'
                | b'T'
                | b'B'
                | b'C'
                | 0x88
                | 0x89
                | 0x8a
                | 0x8c
        )
    );
    starts_like_a_pickle
        && ((s.imports && s.calls) || (s.ran_out && s.ops >= 64) || (s.stopped && s.imports))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_args() {
        let d = b"cos\nsystem\n(S'x'\ntR.";
        let op = next_op(d, 0).unwrap();
        assert_eq!(op.arg, b"os\nsystem");
        assert_eq!(op.next, 11);
        assert_eq!(next_op(b"Tzzzz", 0), Err(OpError::Truncated));
        assert_eq!(
            next_op(b"T\xff\xff\xff\xffab", 0),
            Err(OpError::BadArgument)
        );
        assert_eq!(next_op(b"I12x\n", 0), Err(OpError::BadArgument));
        assert_eq!(next_op(b"\xff", 0), Err(OpError::Unknown));
        assert_eq!(next_op(b"c a\nb\n", 0), Err(OpError::BadArgument));
    }

    #[test]
    fn sniffs_pickles_and_not_text() {
        assert!(looks_like_pickle(b"cos\nsystem\n(S'id'\ntR."));
        assert!(looks_like_pickle(b"cos\nsystem\n(S'id'\ntR\xff\xff"));
        assert!(looks_like_pickle(b"cos\nsystem\n(S'id'\ntR.garbage after"));
        assert!(looks_like_pickle(b"\x80\x02\x80\x02cos\nsystem\n."));
        assert!(looks_like_pickle(
            b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00N."
        ));
        let mut long = b"(".to_vec();
        for _ in 0..100 {
            long.extend(b"I1\n");
        }
        assert!(looks_like_pickle(&long));
        for text in [
            &b"cat a file\nand more\n"[..],
            b"import os\nos.system('x')\n",
            b"N.B. this is a note\n",
            b"hello world",
            b"README\n======\n",
            b"(1, 2, 3)\n",
            b"Copyright (c) 2024\nAll rights reserved.\n",
            b"csv\nheader\n",
            b"\x00\x01\x02\x03",
            b"c\n",
            b"ccolor\nred\n",
            b"{\"a\": 1}",
            b"]]]]]]]]]]]]",
            b"",
            // A zip whose stored member is a pickle: `PK…` reads as PERSID.
            b"PK\x03\x04\x14\x00\x00\x00\n\x80\x02cos\nsystem\n(S'x'\ntR.",
        ] {
            assert!(
                !looks_like_pickle(text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn stack_is_counted() {
        // REDUCE on an empty stack is no pickle.
        assert!(!sniff(b"R.").calls);
        // POP with nothing above the mark pops the mark.
        let s = sniff(b"(0N.");
        assert!(s.stopped, "{s:?}");
    }
}
