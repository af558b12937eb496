//! A symbolic pickle virtual machine: walks every opcode of pickle protocols 0–5 with a
//! real stack, memo and mark stack, and records what loading the stream *would* import and
//! call — without executing, importing or constructing anything.
//!
//! Spec: CPython `Lib/pickle.py` and `Lib/pickletools.py` (the opcode table, argument
//! encodings and protocol numbers), PEP 307 (protocol 2), PEP 3154 (protocol 4: `FRAME`,
//! `STACK_GLOBAL`, `MEMOIZE`), PEP 574 (protocol 5: out-of-band buffers).
//!
//! What is tracked, and why:
//! - **Imports** ([`Global`]): `GLOBAL`, `INST` (module and name from the opcode's text
//!   arguments), `STACK_GLOBAL` (module and name popped from the stack; when either is not a
//!   string constant — computed at load time — the import is marked
//!   [`Global::computed`], which a caller must treat as unknown), and the extension-registry
//!   opcodes `EXT1`/`EXT2`/`EXT4` (resolved through `copyreg` at load time, so unknown too).
//! - **Calls** ([`Call`]): `REDUCE`, `NEWOBJ`, `NEWOBJ_EX`, `OBJ`, `INST` and `BUILD`, with
//!   the import the callable came from when it is known, and whether the result was thrown
//!   away (`POP`, `POP_MARK`, or left under the final result) — a call made only for its side
//!   effect is the signature of a payload.
//! - **Nested pickles**: every bytes or string constant that itself starts like a pickle is
//!   walked recursively (payloads hide behind `pickle.loads`, `torch.load(BytesIO(...))`,
//!   `torch.storage._load_from_bytes`, `numpy.load`).
//! - **Stream shape** ([`Issue`]): truncation, unknown opcodes, stack underflow, a second
//!   `PROTO`, `FRAME` lengths that do not match the data, stacked streams (legacy PyTorch
//!   files hold five), and trailing bytes.
//!
//! Bounds ([`PickleLimits`]): opcodes executed, stack depth, memo entries, mark depth and
//! nesting depth of inner pickles. Values are shared (`Rc`) so `DUP`/`GET` cost O(1) and a
//! memo expansion bomb cannot make the walker allocate more than one slot per opcode.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Bounds of one walk. Hitting one stops the walk with [`IssueKind::LimitExceeded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickleLimits {
    /// Opcodes executed across all streams and nested pickles. Default 5,000,000.
    pub max_ops: usize,
    /// Largest stack (all mark frames together). Default 1,000,000.
    pub max_stack: usize,
    /// Largest memo. Default 1,000,000.
    pub max_memo: usize,
    /// Deepest `MARK` nesting. Default 10,000.
    pub max_marks: usize,
    /// How deep pickles inside bytes constants are followed. Default 4.
    pub max_nesting: u32,
    /// Most stacked streams walked in one input. Default 64.
    pub max_streams: usize,
    /// Most imports and calls recorded. Default 100,000 each.
    pub max_records: usize,
}

impl Default for PickleLimits {
    fn default() -> Self {
        PickleLimits {
            max_ops: 5_000_000,
            max_stack: 1_000_000,
            max_memo: 1_000_000,
            max_marks: 10_000,
            max_nesting: 4,
            max_streams: 64,
            max_records: 100_000,
        }
    }
}

/// The opcode an import came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOp {
    /// `GLOBAL` (`c`): `module\nname\n`.
    Global,
    /// `STACK_GLOBAL` (protocol 4): module and name popped from the stack.
    StackGlobal,
    /// `INST` (`i`): import and call in one.
    Inst,
    /// `EXT1`/`EXT2`/`EXT4`: a code looked up in `copyreg`'s extension registry.
    Ext,
}

/// One import loading the pickle performs (`find_class`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Global {
    /// Module, as written (`os`, `torch._utils`); empty when computed.
    pub module: String,
    /// Attribute path inside the module (protocol 4 allows dots: `a.b`); empty when computed.
    pub name: String,
    /// Which opcode.
    pub op: ImportOp,
    /// The name is not a constant in the stream (computed `STACK_GLOBAL` arguments, or an
    /// extension code): what gets imported is unknown until load time.
    pub computed: bool,
    /// Byte offset of the opcode in the input.
    pub offset: usize,
    /// Nesting depth: 0 for the input itself, 1 for a pickle inside a bytes constant, …
    pub depth: u32,
    /// Found by the linear opcode walk (or the byte scan after it) where the symbolic VM
    /// did not get: after an error, in bytes after `STOP`, in a stream that is not well
    /// formed. `pickle.load` may or may not reach it; a dangerous one is still a payload.
    pub unreached: bool,
}

impl Global {
    /// `module.name`, or `<computed>`.
    pub fn dotted(&self) -> String {
        if self.computed {
            "<computed>".to_owned()
        } else {
            format!("{}.{}", self.module, self.name)
        }
    }
}

/// The opcode a call came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOp {
    /// `REDUCE`: `callable(*args)`.
    Reduce,
    /// `NEWOBJ`: `cls.__new__(cls, *args)`.
    NewObj,
    /// `NEWOBJ_EX`: `cls.__new__(cls, *args, **kwargs)`.
    NewObjEx,
    /// `OBJ`: `cls(*args)` from a mark.
    Obj,
    /// `INST`: import and `cls(*args)`.
    Inst,
    /// `BUILD`: `obj.__setstate__(state)` or `__dict__` update.
    Build,
}

/// One call loading the pickle performs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Index into [`PickleScan::globals`] of the import the callable (or the object, for
    /// `BUILD`) came from; `None` when it is the result of another call or unknown.
    pub callee: Option<usize>,
    /// Which opcode.
    pub op: CallOp,
    /// The result was thrown away (`POP`, `POP_MARK`, or left on the stack under the value
    /// `STOP` returns): made only for its side effect.
    pub discarded: bool,
    /// Byte offset of the opcode.
    pub offset: usize,
    /// Nesting depth, as in [`Global::depth`].
    pub depth: u32,
}

/// What is odd about the stream itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// The data ends inside an opcode or before `STOP`.
    Truncated,
    /// A byte that is no opcode of protocols 0–5.
    UnknownOpcode,
    /// An opcode needed more stack (or a mark) than there was; `pickle` raises here.
    StackUnderflow,
    /// A malformed argument (bad integer text, bad quoting, a `GET` of a missing memo key).
    BadArgument,
    /// `PROTO` other than as the first opcode, or a protocol above 5.
    OddProto,
    /// A `FRAME` whose length runs past the data or does not end on an opcode boundary.
    FrameMismatch,
    /// More than one pickle stream one after the other (legacy PyTorch holds five).
    StackedStreams,
    /// Bytes after the last stream that are not a pickle (tensor data in legacy PyTorch).
    TrailingData,
    /// A bound of [`PickleLimits`] was hit; the walk stopped there.
    LimitExceeded,
    /// Out-of-band buffers (`NEXT_BUFFER`, protocol 5): content not in the stream.
    OutOfBandBuffer,
    /// A value nested deeper than `pickle.dump` can write, or one whose shared references
    /// (memo `GET` fan-out) stand for millions of elements from a short stream.
    ExpansionBomb,
}

/// One [`IssueKind`] at an offset, with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// What.
    pub kind: IssueKind,
    /// Byte offset where it was seen.
    pub offset: usize,
    /// Nesting depth, as in [`Global::depth`].
    pub depth: u32,
    /// A short human explanation.
    pub message: String,
}

/// Everything a walk found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickleScan {
    /// Imports, in stream order (nested pickles included, see [`Global::depth`]).
    pub globals: Vec<Global>,
    /// Calls, in stream order.
    pub calls: Vec<Call>,
    /// Stream-shape problems.
    pub issues: Vec<Issue>,
    /// Highest `PROTO` seen (0 when none).
    pub protocol: u8,
    /// Complete streams walked at depth 0.
    pub streams: usize,
    /// Nested pickles found in bytes constants.
    pub nested: usize,
    /// Opcodes executed.
    pub ops: usize,
    /// Persistent ids loaded (`PERSID`/`BINPERSID`; PyTorch storages).
    pub persistent_ids: usize,
    /// joblib NumPy arrays whose raw bytes (or inner pickle) were skipped after the `BUILD`
    /// of their `NumpyArrayWrapper`.
    pub joblib_arrays: usize,
}

impl PickleScan {
    /// Whether the first stream ended with `STOP` and no bound or unknown opcode stopped the
    /// walk early.
    pub fn complete(&self) -> bool {
        self.streams > 0
            && !self.issues.iter().any(|i| {
                i.depth == 0
                    && matches!(
                        i.kind,
                        IssueKind::LimitExceeded | IssueKind::Truncated | IssueKind::UnknownOpcode
                    )
            })
    }
}

/// Whether `data` starts like a pickle of protocol 2–5 (`PROTO n` followed by an opcode),
/// the form every `torch.save`, `joblib.dump` and `pickle.dump` default writes.
pub fn looks_like_pickle(data: &[u8]) -> bool {
    matches!(data, [0x80, 2..=5, op, ..] if is_opcode(*op))
}

/// Symbolic value on the stack or in the memo. Small integers, `None`, tuples and dicts are
/// tracked because joblib's array wrappers (below) say in them how many raw bytes follow.
/// Containers share their items (`Rc`), so `DUP`/`GET` stay O(1) and a walk allocates at
/// most one slot per opcode executed.
///
/// Every container carries its [`Shape`] (nesting depth and the number of elements it
/// stands for once shared references are expanded), but only shallow ones keep their items:
/// tuples up to [`KEEP_NEST`] deep, and no dict inside a kept container. So dropping a value
/// recurses at most a few levels whatever the stream builds (300,000 nested tuples once
/// overflowed the stack), no `Rc` cycle can form, and memo fan-out bombs are measured
/// without being expanded.
#[derive(Debug, Clone)]
enum Val {
    Str(Rc<str>),
    Int(i64),
    None,
    Tuple(Rc<[Val]>, Shape),
    /// A dict, mutated in place by `SETITEM(S)` (it may sit in the memo too). Only the first
    /// [`DICT_KEEP`] items are kept.
    Dict(Rc<DictVal>),
    /// A container whose items are not kept (lists, sets, deep tuples and dicts).
    Seq(Shape),
    Global(usize),
    Call(usize),
    Other,
}

/// Nesting depth and expanded size of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// Containers inside containers: 0 for a scalar.
    nest: u32,
    /// Elements counted through every shared reference (what a copy or a `repr` walks).
    size: u64,
}

impl Shape {
    const SCALAR: Shape = Shape { nest: 0, size: 1 };
    const EMPTY: Shape = Shape { nest: 1, size: 1 };

    fn with(self, item: Shape) -> Shape {
        Shape {
            nest: self.nest.max(item.nest.saturating_add(1)),
            size: self.size.saturating_add(item.size),
        }
    }

    fn of(items: &[Val]) -> Shape {
        items.iter().fold(Shape::EMPTY, |s, v| s.with(v.shape()))
    }
}

/// A tracked dict: its kept items and its shape.
#[derive(Debug)]
struct DictVal {
    items: RefCell<Vec<(Val, Val)>>,
    shape: std::cell::Cell<Shape>,
}

impl Default for DictVal {
    fn default() -> Self {
        DictVal {
            items: RefCell::default(),
            shape: std::cell::Cell::new(Shape::EMPTY),
        }
    }
}

/// Items kept per tracked dict (joblib's wrapper state has six).
const DICT_KEEP: usize = 64;

/// Deepest tuple whose items are kept (joblib's shapes and dtype states are one level).
const KEEP_NEST: u32 = 8;

/// Nesting beyond what `pickle.dump` can write (it recurses, under Python's default
/// recursion limit of 1000): reported as a bomb.
const BOMB_NEST: u32 = 1_000;

/// Expanded size reported as a fan-out bomb (when also 1000× the stream's length).
const BOMB_SIZE: u64 = 10_000_000;

impl Val {
    fn shape(&self) -> Shape {
        match self {
            Val::Tuple(_, s) | Val::Seq(s) => *s,
            Val::Dict(d) => d.shape.get(),
            _ => Shape::SCALAR,
        }
    }

    /// The value as stored inside a kept container: dicts are summarised.
    fn shallow(self) -> Val {
        match self {
            Val::Dict(d) => Val::Seq(d.shape.get()),
            v => v,
        }
    }

    fn dict_get(&self, key: &str) -> Option<Val> {
        let Val::Dict(d) = self else { return None };
        d.items
            .borrow()
            .iter()
            .find(|(k, _)| matches!(k, Val::Str(s) if &**s == key))
            .map(|(_, v)| v.clone())
    }

    fn dict_insert(&self, items: impl IntoIterator<Item = (Val, Val)>) {
        if let Val::Dict(d) = self {
            let mut kept = d.items.borrow_mut();
            let mut shape = d.shape.get();
            for (k, v) in items {
                shape = shape.with(k.shape()).with(v.shape());
                if kept.len() < DICT_KEEP {
                    kept.push((k.shallow(), v.shallow()));
                }
            }
            d.shape.set(shape);
        }
    }

    fn tuple(items: Vec<Val>) -> Val {
        let shape = Shape::of(&items);
        if shape.nest > KEEP_NEST {
            return Val::Seq(shape);
        }
        let items: Vec<Val> = items.into_iter().map(Val::shallow).collect();
        Val::Tuple(items.into(), shape)
    }

    /// A container grown by `items` (`APPEND(S)`, `ADDITEMS` on a list or set).
    fn grown(&self, items: &[Val]) -> Val {
        let base = match self {
            Val::Tuple(_, s) | Val::Seq(s) => *s,
            Val::Dict(d) => d.shape.get(),
            _ => Shape::EMPTY,
        };
        Val::Seq(items.iter().fold(base, |s, v| s.with(v.shape())))
    }
}

/// The class joblib pickles in place of each NumPy array; its array bytes follow the
/// `BUILD` that sets its state (joblib `numpy_pickle.py`, `NumpyArrayWrapper.read_array`).
const JOBLIB_WRAPPER: (&str, &str) = ("joblib.numpy_pickle", "NumpyArrayWrapper");

struct Vm<'a> {
    data: &'a [u8],
    pos: usize,
    limits: PickleLimits,
    depth: u32,
    stack: Vec<Val>,
    marks: Vec<usize>,
    memo: HashMap<u64, Val>,
    frame_end: Option<usize>,
    out: &'a mut PickleScan,
    /// Arguments (`REDUCE`, `NEWOBJ`) and `BUILD` state of calls, by index into
    /// [`PickleScan::calls`]: joblib's array wrapper and `numpy.dtype` are read from them.
    call_args: HashMap<usize, Val>,
    call_state: HashMap<usize, Val>,
    /// joblib object arrays walked inside this one (each is a pickle stream of its own).
    joblib_nesting: u32,
    /// An [`IssueKind::ExpansionBomb`] was reported for this stream.
    bombed: bool,
}

enum Stop {
    /// `STOP` reached.
    Done,
    /// Walk ended with an issue already recorded.
    Failed,
}

/// Walk `data` as one or more pickle streams with the default limits.
pub fn scan_pickle(data: &[u8]) -> PickleScan {
    scan_pickle_with(data, &PickleLimits::default())
}

/// Walk `data` with explicit limits. Never fails and never panics: every problem is an
/// [`Issue`] in the result.
pub fn scan_pickle_with(data: &[u8], limits: &PickleLimits) -> PickleScan {
    let mut out = PickleScan::default();
    walk(data, *limits, 0, &mut out);
    linear_imports(data, limits, &mut out);
    out
}

/// Most candidate `STACK_GLOBAL` bytes examined by the byte scan.
const MAX_SCAN_CANDIDATES: usize = 100_000;

/// Find every import in `data` without depending on the VM finishing: a linear opcode
/// walk (`pickletools.genops`) from the start across `STOP`s until the first error, then a
/// byte scan of the rest for `GLOBAL`/`INST` lines and `STACK_GLOBAL` on two short strings.
/// Imports the VM did not record (by offset) are added with [`Global::unreached`].
fn linear_imports(data: &[u8], limits: &PickleLimits, out: &mut PickleScan) {
    use assay_core::pickle_ops::{dotted_identifier, next_op};
    let known: std::collections::HashSet<usize> = out
        .globals
        .iter()
        .filter(|g| g.depth == 0)
        .map(|g| g.offset)
        .collect();
    let mut found: Vec<(String, String, ImportOp, usize)> = Vec::new();
    // The last two values pushed, when they are strings (for `STACK_GLOBAL`), and the
    // strings in the memo.
    let mut last: [Option<Rc<str>>; 2] = [None, None];
    let mut memo: HashMap<u64, Rc<str>> = HashMap::new();
    let mut pos = 0;
    let mut ops = 0usize;
    while pos < data.len() && ops < limits.max_ops {
        let Ok(op) = next_op(data, pos) else { break };
        ops += 1;
        let pushed: Option<Option<Rc<str>>> = match op.code {
            b'c' | b'i' => {
                let text = String::from_utf8_lossy(op.arg);
                if let Some((m, n)) = text.split_once('\n') {
                    let kind = if op.code == b'c' {
                        ImportOp::Global
                    } else {
                        ImportOp::Inst
                    };
                    found.push((m.to_owned(), n.to_owned(), kind, op.offset));
                }
                Some(None)
            }
            0x93 => {
                if let [Some(m), Some(n)] = &last {
                    found.push((
                        m.to_string(),
                        n.to_string(),
                        ImportOp::StackGlobal,
                        op.offset,
                    ));
                }
                Some(None)
            }
            b'T' | b'U' | b'X' | 0x8c | 0x8d | b'V' => {
                Some(Some(String::from_utf8_lossy(op.arg).into()))
            }
            b'h' | b'j' | b'g' => {
                let key = match op.code {
                    b'g' => std::str::from_utf8(op.arg)
                        .ok()
                        .and_then(|t| t.parse().ok()),
                    _ => Some(
                        op.arg
                            .iter()
                            .rev()
                            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
                    ),
                };
                Some(key.and_then(|k| memo.get(&k).cloned()))
            }
            b'p' | b'q' | b'r' | 0x94 => {
                let key = match op.code {
                    b'p' => std::str::from_utf8(op.arg)
                        .ok()
                        .and_then(|t| t.parse().ok()),
                    0x94 => Some(memo.len() as u64),
                    _ => Some(
                        op.arg
                            .iter()
                            .rev()
                            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
                    ),
                };
                if let (Some(k), Some(v)) = (key, last[1].clone())
                    && memo.len() < limits.max_memo
                {
                    memo.insert(k, v);
                } else if op.code == 0x94 && memo.len() < limits.max_memo {
                    // Keep MEMOIZE's implicit keys in step.
                    memo.insert(memo.len() as u64, Rc::from(""));
                }
                None
            }
            0x80 | 0x95 | b'(' => None,
            _ => Some(None),
        };
        if let Some(v) = pushed {
            last = [last[1].take(), v];
        }
        pos = op.next;
    }
    // The rest is not a walkable stream: look for the shapes of imports in its bytes.
    let rest_start = pos;
    let rest = data.get(rest_start..).unwrap_or_default();
    let mut i = 0;
    while let Some(nl) = rest.get(i..).and_then(|r| memchr::memchr(b'\n', r)) {
        let nl = i + nl;
        // The module line: the identifier run ending at this newline, preceded by `c`/`i`
        // that itself starts the run (not a letter inside a word).
        let line_start = rest
            .get(..nl)
            .and_then(|r| memchr::memrchr(b'\n', r))
            .map_or(0, |p| p + 1)
            .max(nl.saturating_sub(256));
        let mut start = nl;
        while start > line_start
            && rest
                .get(start - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
        {
            start -= 1;
        }
        let op_at = start;
        let opcode = rest.get(op_at).copied();
        if matches!(opcode, Some(b'c' | b'i')) && op_at + 1 < nl {
            let module = rest.get(op_at + 1..nl).unwrap_or_default();
            let after = rest.get(nl + 1..).unwrap_or_default();
            let name_end = after.iter().take(257).position(|b| *b == b'\n');
            if let Some(e) = name_end {
                let name = after.get(..e).unwrap_or_default();
                if dotted_identifier(module) && dotted_identifier(name) {
                    found.push((
                        String::from_utf8_lossy(module).into_owned(),
                        String::from_utf8_lossy(name).into_owned(),
                        if opcode == Some(b'c') {
                            ImportOp::Global
                        } else {
                            ImportOp::Inst
                        },
                        rest_start + op_at,
                    ));
                }
            }
        }
        i = nl + 1;
    }
    let mut candidates = 0;
    for at in memchr::memchr_iter(0x93, rest) {
        candidates += 1;
        if candidates > MAX_SCAN_CANDIDATES {
            break;
        }
        let mut end = at;
        if end > 0 && rest.get(end - 1) == Some(&0x94) {
            end -= 1;
        }
        let Some((name, start)) = short_string_ending_at(rest, end) else {
            continue;
        };
        let mut end = start;
        if end > 0 && rest.get(end - 1) == Some(&0x94) {
            end -= 1;
        }
        let Some((module, _)) = short_string_ending_at(rest, end) else {
            continue;
        };
        if dotted_identifier(module) && dotted_identifier(name) {
            found.push((
                String::from_utf8_lossy(module).into_owned(),
                String::from_utf8_lossy(name).into_owned(),
                ImportOp::StackGlobal,
                rest_start + at,
            ));
        }
    }
    for (module, name, op, offset) in found {
        if known.contains(&offset) || out.globals.len() >= limits.max_records {
            continue;
        }
        out.globals.push(Global {
            module,
            name,
            op,
            computed: false,
            offset,
            depth: 0,
            unreached: true,
        });
    }
}

/// A `SHORT_BINUNICODE` (`\x8c len bytes`) whose bytes end at `end`: (its text, its start).
fn short_string_ending_at(data: &[u8], end: usize) -> Option<(&[u8], usize)> {
    (1..=255usize).find_map(|len| {
        let start = end.checked_sub(len + 2)?;
        let hit = data.get(start) == Some(&0x8c) && data.get(start + 1) == Some(&(len as u8));
        hit.then(|| data.get(start + 2..end).map(|s| (s, start)))
            .flatten()
    })
}

fn walk(data: &[u8], limits: PickleLimits, depth: u32, out: &mut PickleScan) {
    let mut pos = 0;
    let mut streams = 0usize;
    while pos < data.len() {
        if streams >= limits.max_streams {
            issue(
                out,
                IssueKind::LimitExceeded,
                pos,
                depth,
                "too many stacked streams",
            );
            return;
        }
        // Streams after the first: only count ones that start with PROTO or reach STOP, so
        // raw tensor bytes after legacy PyTorch pickles are not read as opcodes.
        let tentative = streams > 0 && !looks_like_pickle(data.get(pos..).unwrap_or_default());
        let mark_g = out.globals.len();
        let mark_c = out.calls.len();
        let mark_i = out.issues.len();
        let mut vm = Vm {
            data,
            pos,
            limits,
            depth,
            stack: Vec::new(),
            marks: Vec::new(),
            memo: HashMap::new(),
            frame_end: None,
            out,
            call_args: HashMap::new(),
            call_state: HashMap::new(),
            joblib_nesting: 0,
            bombed: false,
        };
        let r = vm.run();
        let end = vm.pos;
        let leftover: Vec<usize> = match vm.stack.split_last() {
            Some((_, under)) => under
                .iter()
                .filter_map(|v| match v {
                    Val::Call(i) => Some(*i),
                    _ => None,
                })
                .collect(),
            None => Vec::new(),
        };
        drop(vm);
        match r {
            Stop::Done => {
                for i in leftover {
                    if let Some(c) = out.calls.get_mut(i) {
                        c.discarded = true;
                    }
                }
                streams += 1;
                if depth == 0 {
                    out.streams += 1;
                }
                if streams == 2 {
                    issue(
                        out,
                        IssueKind::StackedStreams,
                        pos,
                        depth,
                        "a second pickle stream follows the first (pickle.load reads one; torch legacy and custom loaders read more)",
                    );
                }
                pos = end.max(pos + 1);
            }
            Stop::Failed if tentative => {
                out.globals.truncate(mark_g);
                out.calls.truncate(mark_c);
                out.issues.truncate(mark_i);
                issue(
                    out,
                    IssueKind::TrailingData,
                    pos,
                    depth,
                    format!("{} bytes after the last pickle stream", data.len() - pos),
                );
                return;
            }
            Stop::Failed => return,
        }
    }
}

fn issue(out: &mut PickleScan, kind: IssueKind, offset: usize, depth: u32, msg: impl Into<String>) {
    if out.issues.len() < 1000 {
        out.issues.push(Issue {
            kind,
            offset,
            depth,
            message: msg.into(),
        });
    }
}

/// Every opcode byte of protocols 0–5.
fn is_opcode(b: u8) -> bool {
    matches!(
        b,
        b'(' | b'.'
            | b'0'
            | b'1'
            | b'2'
            | b'F'
            | b'I'
            | b'J'
            | b'K'
            | b'L'
            | b'M'
            | b'N'
            | b'P'
            | b'Q'
            | b'R'
            | b'S'
            | b'T'
            | b'U'
            | b'V'
            | b'X'
            | b'a'
            | b'b'
            | b'c'
            | b'd'
            | b'}'
            | b'e'
            | b'g'
            | b'h'
            | b'i'
            | b'j'
            | b'l'
            | b']'
            | b'o'
            | b'p'
            | b'q'
            | b'r'
            | b's'
            | b't'
            | b')'
            | b'u'
            | b'G'
            | b'B'
            | b'C'
            | 0x80..=0x98
    )
}

impl Vm<'_> {
    fn fail(&mut self, kind: IssueKind, offset: usize, msg: impl Into<String>) -> Stop {
        issue(self.out, kind, offset, self.depth, msg);
        Stop::Failed
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn uint(&mut self, n: usize) -> Option<u64> {
        let b = self.take(n)?;
        Some(
            b.iter()
                .rev()
                .fold(0u64, |acc, x| (acc << 8) | u64::from(*x)),
        )
    }

    fn line(&mut self) -> Option<&[u8]> {
        let rest = self.data.get(self.pos..)?;
        let nl = memchr::memchr(b'\n', rest)?;
        let s = rest.get(..nl)?;
        self.pos += nl + 1;
        Some(s)
    }

    fn push(&mut self, v: Val) -> bool {
        if self.stack.len() >= self.limits.max_stack {
            return false;
        }
        let shape = v.shape();
        if !self.bombed
            && (shape.nest > BOMB_NEST
                || (shape.size > BOMB_SIZE && shape.size / 1000 > self.data.len() as u64))
        {
            self.bombed = true;
            let at = self.pos;
            issue(
                self.out,
                IssueKind::ExpansionBomb,
                at,
                self.depth,
                format!(
                    "a value nested {} deep standing for {} elements (memo fan-out or deep nesting): an expansion bomb",
                    shape.nest, shape.size
                ),
            );
        }
        self.stack.push(v);
        true
    }

    fn pop(&mut self) -> Option<Val> {
        if self.marks.last().is_some_and(|m| *m >= self.stack.len()) {
            return None;
        }
        self.stack.pop()
    }

    /// Pop everything down to the last mark.
    fn pop_mark(&mut self) -> Option<Vec<Val>> {
        let m = self.marks.pop()?;
        if m > self.stack.len() {
            return None;
        }
        Some(self.stack.split_off(m))
    }

    fn add_global(
        &mut self,
        module: String,
        name: String,
        op: ImportOp,
        computed: bool,
        offset: usize,
    ) -> Val {
        if self.out.globals.len() >= self.limits.max_records {
            return Val::Other;
        }
        self.out.globals.push(Global {
            module,
            name,
            op,
            computed,
            offset,
            depth: self.depth,
            unreached: false,
        });
        Val::Global(self.out.globals.len() - 1)
    }

    fn add_call(&mut self, callee: &Val, op: CallOp, offset: usize) -> Val {
        if self.out.calls.len() >= self.limits.max_records {
            return Val::Other;
        }
        let callee = match callee {
            Val::Global(i) => Some(*i),
            Val::Call(i) => self.out.calls.get(*i).and_then(|c| {
                // `BUILD` on an object keeps the object's class.
                if c.op == CallOp::Build {
                    c.callee
                } else {
                    None
                }
            }),
            _ => None,
        };
        self.out.calls.push(Call {
            callee,
            op,
            discarded: false,
            offset,
            depth: self.depth,
        });
        Val::Call(self.out.calls.len() - 1)
    }

    fn discard(&mut self, v: &Val) {
        if let Val::Call(i) = v
            && let Some(c) = self.out.calls.get_mut(*i)
        {
            c.discarded = true;
        }
    }

    fn constant(&mut self, bytes: &[u8], offset: usize) {
        if looks_like_pickle(bytes)
            || bytes.first() == Some(&b'c') && bytes.contains(&b'\n') && bytes.ends_with(b".")
        {
            if self.depth + 1 > self.limits.max_nesting {
                issue(
                    self.out,
                    IssueKind::LimitExceeded,
                    offset,
                    self.depth,
                    "pickles nested deeper than the bound; inner one not walked",
                );
                return;
            }
            self.out.nested += 1;
            let mut inner = PickleScan::default();
            let mut limits = self.limits;
            limits.max_ops = limits.max_ops.saturating_sub(self.out.ops);
            walk(bytes, limits, self.depth + 1, &mut inner);
            let (g0, c0) = (self.out.globals.len(), self.out.calls.len());
            self.out.ops += inner.ops;
            for mut g in inner.globals {
                g.offset += offset;
                self.out.globals.push(g);
            }
            for mut c in inner.calls {
                c.offset += offset;
                c.callee = c.callee.map(|i| i + g0);
                self.out.calls.push(c);
            }
            let _ = c0;
            for mut i in inner.issues {
                i.offset += offset;
                self.out.issues.push(i);
            }
            self.out.nested += inner.nested;
        }
    }

    fn keep_args(&mut self, call: &Val, args: Val) {
        if let Val::Call(i) = call
            && self.call_args.len() < self.limits.max_records
        {
            self.call_args.insert(*i, args);
        }
    }

    /// The global a value was imported as, when it is a constant import.
    fn global_of(&self, v: &Val) -> Option<&Global> {
        match v {
            Val::Global(g) => self.out.globals.get(*g).filter(|g| !g.computed),
            _ => None,
        }
    }

    /// Whether `v` is an instance of joblib's `NumpyArrayWrapper`: made by `NEWOBJ`/`OBJ`
    /// on the class (protocol 2+), or by `copyreg._reconstructor(cls, object, None)`
    /// (protocols 0 and 1).
    fn is_joblib_wrapper(&self, v: &Val) -> bool {
        let Val::Call(i) = v else { return false };
        let Some(call) = self.out.calls.get(*i) else {
            return false;
        };
        let is = |g: &Global| (g.module.as_str(), g.name.as_str()) == JOBLIB_WRAPPER;
        let Some(g) = call
            .callee
            .and_then(|g| self.out.globals.get(g))
            .filter(|g| !g.computed)
        else {
            return false;
        };
        if is(g) {
            return matches!(
                call.op,
                CallOp::NewObj | CallOp::NewObjEx | CallOp::Obj | CallOp::Inst
            );
        }
        let reconstructor =
            matches!(g.module.as_str(), "copyreg" | "copy_reg") && g.name == "_reconstructor";
        reconstructor
            && matches!(self.call_args.get(i), Some(Val::Tuple(a, _))
                if a.first().and_then(|c| self.global_of(c)).is_some_and(is))
    }

    /// joblib writes the array's bytes straight after the `BUILD` of its wrapper:
    /// `[padding-length byte, that many 0xff bytes]` when the state has
    /// `numpy_array_alignment_bytes` (joblib ≥ 1.2), then `prod(shape) × itemsize` bytes,
    /// or, for object dtypes, a pickle stream of its own. Skip exactly what
    /// `NumpyArrayWrapper.read_array` reads; when the state does not say (shape or dtype
    /// not constants), the rest of the file cannot be walked: an issue, fail closed.
    fn skip_joblib_array(&mut self, state: &Val, at: usize) -> Result<(), Stop> {
        // The wrapper commits its frame before the array bytes; bytes inside a frame are
        // not where joblib reads them from.
        match self.frame_end {
            Some(e) if e == self.pos => self.frame_end = None,
            Some(_) => {
                issue(
                    self.out,
                    IssueKind::FrameMismatch,
                    at,
                    self.depth,
                    "joblib array data inside a FRAME",
                );
                self.frame_end = None;
            }
            None => {}
        }
        let bad = |vm: &mut Self, what: &str| {
            Err(vm.fail(
                IssueKind::BadArgument,
                at,
                format!(
                    "joblib NumpyArrayWrapper state: {what}; the array bytes cannot be skipped"
                ),
            ))
        };
        let Some(Val::Tuple(shape, _)) = state.dict_get("shape") else {
            return bad(self, "no constant `shape` tuple");
        };
        let mut count: u64 = 1;
        for d in shape.iter() {
            match d {
                Val::Int(n) if *n >= 0 => match count.checked_mul(*n as u64) {
                    Some(c) => count = c,
                    None => return bad(self, "shape overflows"),
                },
                _ => return bad(self, "a `shape` item is not a non-negative integer"),
            }
        }
        let Some(Val::Call(d)) = state.dict_get("dtype") else {
            return bad(self, "no `numpy.dtype(...)` dtype");
        };
        let dtype_ok = self
            .out
            .calls
            .get(d)
            .and_then(|c| c.callee)
            .and_then(|g| self.out.globals.get(g))
            .is_some_and(|g| {
                !g.computed
                    && matches!(
                        g.module.as_str(),
                        "numpy" | "numpy.core.multiarray" | "numpy._core.multiarray"
                    )
                    && g.name == "dtype"
            });
        let typestr = match self.call_args.get(&d) {
            Some(Val::Tuple(a, _)) => match a.first() {
                Some(Val::Str(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        let (true, Some(typestr)) = (dtype_ok, typestr) else {
            return bad(self, "no `numpy.dtype(...)` dtype");
        };
        // numpy's dtype `__reduce__` state: (version, byteorder, subdescr, names, fields,
        // elsize, alignment, flags[, metadata]); elsize is -1 except for flexible types.
        let elsize = match self.call_state.get(&d) {
            Some(Val::Tuple(t, _)) => match t.get(5) {
                Some(Val::Int(n)) if *n > 0 => Some(*n as u64),
                _ => None,
            },
            _ => None,
        };
        if typestr.starts_with('O') {
            return self.walk_joblib_object_array(at);
        }
        let Some(itemsize) = elsize.or_else(|| dtype_itemsize(&typestr)) else {
            return bad(self, &format!("dtype `{typestr}` has no known item size"));
        };
        match state.dict_get("numpy_array_alignment_bytes") {
            None | Some(Val::None) => {}
            Some(Val::Int(_)) => {
                let Some(pad) = self.uint(1) else {
                    return Err(self.fail(
                        IssueKind::Truncated,
                        at,
                        "joblib array padding byte missing",
                    ));
                };
                if self.take(pad as usize).is_none() {
                    return Err(self.fail(
                        IssueKind::Truncated,
                        at,
                        "joblib array padding runs past the end",
                    ));
                }
            }
            Some(_) => return bad(self, "`numpy_array_alignment_bytes` is not an integer"),
        }
        let n = count
            .checked_mul(itemsize)
            .and_then(|n| usize::try_from(n).ok());
        match n.and_then(|n| self.take(n)) {
            Some(_) => {
                self.out.joblib_arrays += 1;
                Ok(())
            }
            None => Err(self.fail(
                IssueKind::Truncated,
                at,
                format!("joblib array of {count} × {itemsize} bytes runs past the end of the data"),
            )),
        }
    }

    /// An object-dtype joblib array: a whole pickle stream of its own follows (read by a
    /// fresh `Unpickler` on the same file), then the outer stream resumes.
    fn walk_joblib_object_array(&mut self, at: usize) -> Result<(), Stop> {
        if self.joblib_nesting >= self.limits.max_nesting {
            return Err(self.fail(
                IssueKind::LimitExceeded,
                at,
                "joblib object arrays nested deeper than the bound",
            ));
        }
        let mut inner = Vm {
            data: self.data,
            pos: self.pos,
            limits: self.limits,
            depth: self.depth,
            stack: Vec::new(),
            marks: Vec::new(),
            memo: HashMap::new(),
            frame_end: None,
            out: &mut *self.out,
            call_args: HashMap::new(),
            call_state: HashMap::new(),
            joblib_nesting: self.joblib_nesting + 1,
            bombed: self.bombed,
        };
        match inner.run() {
            Stop::Done => {
                self.pos = inner.pos;
                self.out.joblib_arrays += 1;
                Ok(())
            }
            Stop::Failed => Err(Stop::Failed),
        }
    }

    fn run(&mut self) -> Stop {
        let mut first = true;
        loop {
            if self.out.ops >= self.limits.max_ops {
                return self.fail(IssueKind::LimitExceeded, self.pos, "opcode bound reached");
            }
            if let Some(end) = self.frame_end
                && self.pos >= end
            {
                if self.pos > end {
                    let at = self.pos;
                    issue(
                        self.out,
                        IssueKind::FrameMismatch,
                        at,
                        self.depth,
                        "an opcode runs across a FRAME boundary",
                    );
                }
                self.frame_end = None;
            }
            let at = self.pos;
            let Some(&op) = self.data.get(self.pos) else {
                return self.fail(IssueKind::Truncated, at, "stream ends before STOP");
            };
            self.pos += 1;
            self.out.ops += 1;
            let trunc = |vm: &mut Self| {
                vm.fail(
                    IssueKind::Truncated,
                    at,
                    format!("stream ends inside opcode 0x{op:02x}"),
                )
            };
            let under = |vm: &mut Self| {
                vm.fail(
                    IssueKind::StackUnderflow,
                    at,
                    format!("opcode 0x{op:02x} pops an empty stack"),
                )
            };
            let full = |vm: &mut Self| vm.fail(IssueKind::LimitExceeded, at, "stack bound reached");
            macro_rules! need {
                ($e:expr) => {
                    match $e {
                        Some(v) => v,
                        None => return trunc(self),
                    }
                };
            }
            macro_rules! pop {
                () => {
                    match self.pop() {
                        Some(v) => v,
                        None => return under(self),
                    }
                };
            }
            macro_rules! push {
                ($v:expr) => {{
                    let v = $v;
                    if !self.push(v) {
                        return full(self);
                    }
                }};
            }
            match op {
                b'.' => {
                    if self.stack.is_empty() {
                        return under(self);
                    }
                    return Stop::Done;
                }
                0x80 => {
                    let p = need!(self.uint(1)) as u8;
                    if !first || p > 5 {
                        issue(
                            self.out,
                            IssueKind::OddProto,
                            at,
                            self.depth,
                            format!(
                                "PROTO {p} {}",
                                if first {
                                    "is above 5"
                                } else {
                                    "after the first opcode"
                                }
                            ),
                        );
                    }
                    self.out.protocol = self.out.protocol.max(p);
                }
                0x95 => {
                    let n = need!(self.uint(8));
                    let end = usize::try_from(n)
                        .ok()
                        .and_then(|n| self.pos.checked_add(n));
                    match end {
                        Some(e) if e <= self.data.len() => self.frame_end = Some(e),
                        _ => {
                            issue(
                                self.out,
                                IssueKind::FrameMismatch,
                                at,
                                self.depth,
                                format!("FRAME of {n} bytes runs past the end of the data"),
                            );
                        }
                    }
                }
                b'(' => {
                    if self.marks.len() >= self.limits.max_marks {
                        return self.fail(IssueKind::LimitExceeded, at, "mark bound reached");
                    }
                    self.marks.push(self.stack.len());
                }
                b'0' => {
                    let v = pop!();
                    self.discard(&v);
                }
                b'1' => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    for v in &items {
                        self.discard(v);
                    }
                }
                b'2' => {
                    let v = match self.stack.last() {
                        Some(v) => v.clone(),
                        None => return under(self),
                    };
                    push!(v);
                }
                // Numbers and constants as text lines.
                b'F' | b'I' | b'L' => {
                    let l = need!(self.line());
                    let ok = std::str::from_utf8(l).is_ok_and(|s| {
                        let s = s.trim().trim_end_matches('L');
                        s.parse::<f64>().is_ok()
                            || s.parse::<i128>().is_ok()
                            || s.chars().all(|c| c.is_ascii_digit() || c == '-')
                    });
                    if !ok {
                        return self.fail(IssueKind::BadArgument, at, "malformed number text");
                    }
                    let int = (op != b'F')
                        .then(|| std::str::from_utf8(l).ok())
                        .flatten()
                        .and_then(|s| s.trim().trim_end_matches('L').parse::<i64>().ok());
                    push!(int.map_or(Val::Other, Val::Int));
                }
                b'J' => {
                    let n = need!(self.uint(4)) as u32 as i32;
                    push!(Val::Int(i64::from(n)));
                }
                b'K' => {
                    let n = need!(self.uint(1));
                    push!(Val::Int(n as i64));
                }
                b'M' => {
                    let n = need!(self.uint(2));
                    push!(Val::Int(n as i64));
                }
                b'G' => {
                    need!(self.take(8));
                    push!(Val::Other);
                }
                0x8a | 0x8b => {
                    let n = need!(self.uint(if op == 0x8a { 1 } else { 4 }));
                    let n = need!(usize::try_from(n).ok());
                    let b = need!(self.take(n));
                    push!(long_value(b));
                }
                b'N' => push!(Val::None),
                0x88 => push!(Val::Int(1)),
                0x89 => push!(Val::Int(0)),
                b')' => push!(Val::tuple(Vec::new())),
                b'}' => push!(Val::Dict(Rc::default())),
                b']' | 0x8f => push!(Val::Seq(Shape::EMPTY)),
                b'P' => {
                    need!(self.line());
                    self.out.persistent_ids += 1;
                    push!(Val::Other);
                }
                b'Q' => {
                    pop!();
                    self.out.persistent_ids += 1;
                    push!(Val::Other);
                }
                b'S' => {
                    let l = need!(self.line());
                    let s = match l {
                        [q @ (b'\'' | b'"'), inner @ .., last] if last == q => inner.to_vec(),
                        _ => {
                            return self.fail(
                                IssueKind::BadArgument,
                                at,
                                "STRING argument is not quoted",
                            );
                        }
                    };
                    self.constant(&s, at);
                    push!(Val::Str(String::from_utf8_lossy(&s).into()));
                }
                b'V' => {
                    let l = need!(self.line());
                    let s: Rc<str> = String::from_utf8_lossy(l).into();
                    push!(Val::Str(s));
                }
                // Length-prefixed strings and bytes.
                b'T' | b'U' | b'X' | 0x8c | 0x8d | b'B' | b'C' | 0x8e | 0x96 => {
                    let width = match op {
                        b'U' | 0x8c | b'C' => 1,
                        b'T' | b'X' | b'B' => 4,
                        _ => 8,
                    };
                    let n = need!(self.uint(width));
                    let n = need!(usize::try_from(n).ok());
                    let start = self.pos;
                    let s = need!(self.take(n)).to_vec();
                    self.constant(&s, start);
                    let text = matches!(op, b'T' | b'U' | b'X' | 0x8c | 0x8d);
                    if text {
                        push!(Val::Str(String::from_utf8_lossy(&s).into()));
                    } else {
                        push!(Val::Other);
                    }
                }
                0x97 => {
                    issue(
                        self.out,
                        IssueKind::OutOfBandBuffer,
                        at,
                        self.depth,
                        "NEXT_BUFFER: out-of-band data is not in the stream",
                    );
                    push!(Val::Other);
                }
                0x98 => {
                    pop!();
                    push!(Val::Other);
                }
                // Containers.
                b'a' => {
                    let item = pop!();
                    let list = pop!();
                    push!(list.grown(&[item]));
                }
                b'e' | 0x90 => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    let list = pop!();
                    push!(list.grown(&items));
                }
                b's' => {
                    let v = pop!();
                    let k = pop!();
                    let d = pop!();
                    d.dict_insert([(k, v)]);
                    push!(d);
                }
                b'u' => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    let d = pop!();
                    let mut it = items.into_iter();
                    let pairs = std::iter::from_fn(|| Some((it.next()?, it.next()?)));
                    d.dict_insert(pairs);
                    push!(d);
                }
                b'd' => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    let d = Val::Dict(Rc::default());
                    let mut it = items.into_iter();
                    d.dict_insert(std::iter::from_fn(|| Some((it.next()?, it.next()?))));
                    push!(d);
                }
                b't' => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    push!(Val::tuple(items));
                }
                b'l' | 0x91 => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    push!(Val::Seq(Shape::of(&items)));
                }
                0x85 => {
                    let a = pop!();
                    push!(Val::tuple(vec![a]));
                }
                0x86 => {
                    let b = pop!();
                    let a = pop!();
                    push!(Val::tuple(vec![a, b]));
                }
                0x87 => {
                    let c = pop!();
                    let b = pop!();
                    let a = pop!();
                    push!(Val::tuple(vec![a, b, c]));
                }
                // Memo.
                b'g' | b'h' | b'j' => {
                    let key = match op {
                        b'g' => {
                            let l = need!(self.line());
                            let Some(k) = decimal_key(l) else {
                                return self.fail(
                                    IssueKind::BadArgument,
                                    at,
                                    "GET key is not a number",
                                );
                            };
                            k
                        }
                        b'h' => need!(self.uint(1)),
                        _ => need!(self.uint(4)),
                    };
                    let Some(v) = self.memo.get(&key).cloned() else {
                        return self.fail(
                            IssueKind::BadArgument,
                            at,
                            format!("GET of memo key {key} that was never PUT"),
                        );
                    };
                    push!(v);
                }
                b'p' | b'q' | b'r' | 0x94 => {
                    let key = match op {
                        b'p' => {
                            let l = need!(self.line());
                            let Some(k) = decimal_key(l) else {
                                return self.fail(
                                    IssueKind::BadArgument,
                                    at,
                                    "PUT key is not a number",
                                );
                            };
                            k
                        }
                        b'q' => need!(self.uint(1)),
                        b'r' => need!(self.uint(4)),
                        _ => self.memo.len() as u64,
                    };
                    let Some(v) = self.stack.last().cloned() else {
                        return under(self);
                    };
                    if self.memo.len() >= self.limits.max_memo && !self.memo.contains_key(&key) {
                        return self.fail(IssueKind::LimitExceeded, at, "memo bound reached");
                    }
                    self.memo.insert(key, v);
                }
                // Imports.
                b'c' | b'i' => {
                    let module = String::from_utf8_lossy(need!(self.line())).into_owned();
                    let name = String::from_utf8_lossy(need!(self.line())).into_owned();
                    if op == b'c' {
                        let g = self.add_global(module, name, ImportOp::Global, false, at);
                        push!(g);
                    } else {
                        let g = self.add_global(module, name, ImportOp::Inst, false, at);
                        if self.pop_mark().is_none() {
                            return under(self);
                        }
                        let c = self.add_call(&g, CallOp::Inst, at);
                        push!(c);
                    }
                }
                0x93 => {
                    let name = pop!();
                    let module = pop!();
                    let g = match (module, name) {
                        (Val::Str(m), Val::Str(n)) => self.add_global(
                            m.to_string(),
                            n.to_string(),
                            ImportOp::StackGlobal,
                            false,
                            at,
                        ),
                        _ => self.add_global(
                            String::new(),
                            String::new(),
                            ImportOp::StackGlobal,
                            true,
                            at,
                        ),
                    };
                    push!(g);
                }
                0x82..=0x84 => {
                    let w = match op {
                        0x82 => 1,
                        0x83 => 2,
                        _ => 4,
                    };
                    let code = need!(self.uint(w));
                    let g = self.add_global(
                        String::new(),
                        format!("ext:{code}"),
                        ImportOp::Ext,
                        true,
                        at,
                    );
                    push!(g);
                }
                // Calls.
                b'R' => {
                    let args = pop!();
                    let f = pop!();
                    let c = self.add_call(&f, CallOp::Reduce, at);
                    self.keep_args(&c, args);
                    push!(c);
                }
                0x81 => {
                    let args = pop!();
                    let cls = pop!();
                    let c = self.add_call(&cls, CallOp::NewObj, at);
                    self.keep_args(&c, args);
                    push!(c);
                }
                0x92 => {
                    let _kw = pop!();
                    let _args = pop!();
                    let cls = pop!();
                    let c = self.add_call(&cls, CallOp::NewObjEx, at);
                    push!(c);
                }
                b'o' => {
                    let Some(items) = self.pop_mark() else {
                        return under(self);
                    };
                    let Some(cls) = items.first() else {
                        return under(self);
                    };
                    let c = self.add_call(cls, CallOp::Obj, at);
                    push!(c);
                }
                b'b' => {
                    let state = pop!();
                    let obj = pop!();
                    let c = self.add_call(&obj, CallOp::Build, at);
                    // `BUILD` mutates and keeps the object; a result of a call stays that call.
                    let keep = match obj {
                        Val::Call(i) => {
                            if self.call_state.len() < self.limits.max_records {
                                self.call_state.insert(i, state.clone());
                            }
                            Val::Call(i)
                        }
                        _ => c,
                    };
                    if self.depth == 0
                        && self.is_joblib_wrapper(&keep)
                        && let Err(stop) = self.skip_joblib_array(&state, at)
                    {
                        return stop;
                    }
                    push!(keep);
                }
                _ => {
                    return self.fail(
                        IssueKind::UnknownOpcode,
                        at,
                        format!("byte 0x{op:02x} is not a pickle opcode"),
                    );
                }
            }
            first = false;
        }
    }
}

/// A `LONG1`/`LONG4` argument (little-endian two's complement) as an integer when it fits.
fn long_value(b: &[u8]) -> Val {
    if b.is_empty() {
        return Val::Int(0);
    }
    if b.len() > 8 {
        return Val::Other;
    }
    let mut buf = if b.last().is_some_and(|x| x & 0x80 != 0) {
        [0xff; 8]
    } else {
        [0; 8]
    };
    for (d, s) in buf.iter_mut().zip(b) {
        *d = *s;
    }
    Val::Int(i64::from_le_bytes(buf))
}

/// Item size of a NumPy array-protocol type string (`f4`, `<i8`, `|b1`, `?`, `M8[ns]`,
/// `S10`, `c16`): the digits after the kind letter. `None` when absent or zero-sized by
/// omission (`U`, `S`, `V` without a size carry it in the dtype state instead).
fn dtype_itemsize(t: &str) -> Option<u64> {
    let t = t.trim_start_matches(['<', '>', '|', '=']);
    let mut chars = t.chars();
    let kind = chars.next()?;
    if kind == '?' {
        return Some(1);
    }
    let digits: String = chars.take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().ok()?;
    match kind {
        'U' => n.checked_mul(4),
        'b' | 'i' | 'u' | 'f' | 'c' | 'M' | 'm' | 'S' | 'a' | 'V' => Some(n),
        _ => None,
    }
}

/// A protocol-0 memo key (`GET`/`PUT` argument line): decimal digits, surrounding
/// whitespace ignored.
fn decimal_key(line: &[u8]) -> Option<u64> {
    std::str::from_utf8(line).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol0_reduce_os_system() {
        let p = b"cos\nsystem\n(S'echo assay-canary'\ntR.";
        let s = scan_pickle(p);
        assert_eq!(s.globals.len(), 1);
        assert_eq!(s.globals[0].dotted(), "os.system");
        assert_eq!(s.calls.len(), 1);
        assert_eq!(s.calls[0].callee, Some(0));
        assert!(s.complete(), "{:?}", s.issues);
    }

    #[test]
    fn stack_global_computed_and_constant() {
        // proto 4: SHORT_BINUNICODE 'os', SHORT_BINUNICODE 'system', STACK_GLOBAL
        let mut p = vec![0x80, 4, 0x8c, 2];
        p.extend(b"os");
        p.extend([0x8c, 6]);
        p.extend(b"system");
        p.push(0x93);
        p.extend([0x8c, 1, b'x', 0x85, b'R', b'.']);
        let s = scan_pickle(&p);
        assert_eq!(s.globals[0].dotted(), "os.system");
        // module computed by a call: unknown.
        let q = b"\x80\x04cbuiltins\nstr\n)R\x8c\x01x\x93)R.";
        let s = scan_pickle(q);
        assert!(s.globals.iter().any(|g| g.computed), "{s:?}");
    }

    #[test]
    fn memo_and_discarded_and_truncated() {
        let p = b"\x80\x02cos\nsystem\nq\x00h\x00X\x01\x00\x00\x00a\x85R0N.";
        let s = scan_pickle(p);
        assert!(s.calls[0].discarded);
        let s = scan_pickle(&p[..10]);
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::Truncated));
        assert!(!s.complete());
    }

    #[test]
    fn nested_and_stacked() {
        let inner = b"\x80\x02cos\nsystem\nX\x01\x00\x00\x00a\x85R.";
        let mut p = vec![0x80, 2, b'c'];
        p.extend(b"pickle\nloads\n");
        p.push(b'C');
        p.push(inner.len() as u8);
        p.extend(inner);
        p.extend([0x85, b'R', b'.']);
        p.extend(b"\x80\x02N.");
        p.extend([0xff, 0, 1, 2]);
        let s = scan_pickle(&p);
        assert!(
            s.globals
                .iter()
                .any(|g| g.dotted() == "os.system" && g.depth == 1)
        );
        assert_eq!(s.streams, 2);
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::StackedStreams));
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::TrailingData));
    }

    #[test]
    fn bombs_are_bounded() {
        // DUP forever, then a memo bomb: bounded by limits, no panic.
        let mut p = vec![0x80, 2, b'N'];
        p.extend(std::iter::repeat_n(b'2', 2_000_000));
        let s = scan_pickle(&p);
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::LimitExceeded));
    }

    /// joblib layout: wrapper `BUILD`, padding byte + padding, raw array bytes, more opcodes.
    fn joblib(shape: &[u8], array: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut p = b"\x80\x02}(X\x01\x00\x00\x00a".to_vec();
        p.extend(b"cjoblib.numpy_pickle\nNumpyArrayWrapper\n)\x81}(");
        p.extend(b"X\x05\x00\x00\x00shape");
        p.extend(shape);
        p.extend(b"X\x05\x00\x00\x00dtypecnumpy\ndtype\nX\x02\x00\x00\x00f4\x89\x88\x87R");
        p.extend(b"(K\x03X\x01\x00\x00\x00<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb");
        p.extend(b"X\x1b\x00\x00\x00numpy_array_alignment_bytesK\x10ub");
        p.extend(b"\x03\xff\xff\xff");
        p.extend(array);
        p.extend(tail);
        p
    }

    #[test]
    fn joblib_array_bytes_are_skipped_exactly() {
        // Two f4 values whose bytes are no valid opcodes, then `u.`.
        let p = joblib(b"K\x02\x85", &[0xff; 8], b"u.");
        let s = scan_pickle(&p);
        assert!(s.complete(), "{:?}", s.issues);
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        assert_eq!(s.joblib_arrays, 1);
        // A payload after the array is walked and seen.
        let p = joblib(
            b"K\x02\x85",
            &[0xff; 8],
            b"X\x01\x00\x00\x00bcos\nsystem\nN\x85Ru.",
        );
        let s = scan_pickle(&p);
        assert!(s.globals.iter().any(|g| g.dotted() == "os.system"), "{s:?}");
        // A shape that claims more bytes than there are: truncated, not silently clean.
        let p = joblib(b"M\xff\xff\x85", &[0xff; 8], b"u.");
        let s = scan_pickle(&p);
        assert!(
            s.issues.iter().any(|i| i.kind == IssueKind::Truncated),
            "{:?}",
            s.issues
        );
        // A computed shape cannot be skipped: an issue.
        let p = joblib(b"cbuiltins\nlen\n)R", &[0xff; 8], b"u.");
        let s = scan_pickle(&p);
        assert!(
            s.issues.iter().any(|i| i.kind == IssueKind::BadArgument),
            "{:?}",
            s.issues
        );
    }

    #[test]
    fn dtype_item_sizes() {
        assert_eq!(dtype_itemsize("f4"), Some(4));
        assert_eq!(dtype_itemsize("<c16"), Some(16));
        assert_eq!(dtype_itemsize("U3"), Some(12));
        assert_eq!(dtype_itemsize("?"), Some(1));
        assert_eq!(dtype_itemsize("U"), None);
        assert_eq!(dtype_itemsize("O8"), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut p = b"\x80\x02N".to_vec();
        p.extend(std::iter::repeat_n(0x85u8, 300_000));
        p.push(b'.');
        let s = scan_pickle(&p);
        assert!(s.complete(), "{:?}", s.issues);
        assert!(
            s.issues.iter().any(|i| i.kind == IssueKind::ExpansionBomb),
            "{:?}",
            s.issues
        );
        // Deep dicts and lists too.
        let mut p = b"\x80\x02".to_vec();
        for _ in 0..200_000 {
            p.extend(b"}K\x01");
        }
        p.push(b'N');
        p.extend(std::iter::repeat_n(b's', 200_000));
        p.push(b'.');
        let s = scan_pickle(&p);
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::ExpansionBomb));
        // Ordinary nesting is no bomb.
        let s = scan_pickle(b"\x80\x02NK\x01\x86\x85\x85.");
        assert!(s.issues.is_empty(), "{:?}", s.issues);
    }

    #[test]
    fn memo_fan_out_is_reported() {
        // list0 = []; list(k+1) = [list(k)] * 10, nine times: 10^9 elements from ~250 bytes.
        let mut p = b"\x80\x02]q\x00".to_vec();
        for k in 0..9u8 {
            p.push(b'(');
            for _ in 0..10 {
                p.extend([b'h', k]);
            }
            p.extend([b'l', b'q', k + 1]);
        }
        p.push(b'.');
        assert!(p.len() < 300);
        let s = scan_pickle(&p);
        assert!(
            s.issues.iter().any(|i| i.kind == IssueKind::ExpansionBomb),
            "{:?}",
            s.issues
        );
        // A few shared references are fine.
        let s = scan_pickle(b"\x80\x02]q\x00(h\x00h\x00l.");
        assert!(s.issues.is_empty(), "{:?}", s.issues);
    }

    #[test]
    fn imports_past_the_vm_are_found() {
        // Payload, STOP, then another payload after garbage the VM cannot walk.
        let p = b"N.\xff\xfecposix\nsystem\n(S'echo assay-canary'\ntR.";
        let s = scan_pickle(p);
        let g = s.globals.iter().find(|g| g.dotted() == "posix.system");
        assert!(g.is_some_and(|g| g.unreached), "{s:?}");
        // A stream the VM gives up on early (POP on an empty stack) still has its import.
        let p = b"\x80\x020cos\nsystem\n(S'x'\ntR.";
        let s = scan_pickle(p);
        assert!(s.globals.iter().any(|g| g.dotted() == "os.system"), "{s:?}");
        // STACK_GLOBAL after garbage.
        let p = b"N.\xff\x8c\x02os\x94\x8c\x06system\x94\x93.";
        let s = scan_pickle(p);
        assert!(s.globals.iter().any(|g| g.dotted() == "os.system"), "{s:?}");
        // A word inside text is no GLOBAL.
        let p = b"N.\xff some magic\nexec\n";
        let s = scan_pickle(p);
        assert!(s.globals.is_empty(), "{s:?}");
        // What the VM found is not repeated.
        let s = scan_pickle(b"cos\nsystem\n(S'x'\ntR.");
        assert_eq!(s.globals.len(), 1);
        assert!(!s.globals[0].unreached);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = scan_pickle(&data);
        }
    }
}
