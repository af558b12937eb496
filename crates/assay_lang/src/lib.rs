//! Source analysis for Python and JavaScript/TypeScript: what the code can do
//! (capabilities), when it runs (execution context), and what obfuscated literals decode
//! to. Both languages produce the same [`Analysis`] (events, taint, strings, decoded
//! children), so one behaviour rule judges both ([`Language`]); the JavaScript walk is
//! in the `js` module, on the `oxc` parser.
//!
//! Parsing uses tree-sitter-python rather than Python's own `ast` or a regex scan:
//! assay must never run the interpreter on hostile code, and tree-sitter's error
//! recovery keeps analysing files that do not parse (Python 2 `print`/`exec`
//! statements, truncated or deliberately broken malware), where a strict parser
//! would give up and leave the file unanalysed.
//!
//! The output is a flat list of [`Event`]s (a call with a known meaning, at a place,
//! in an execution context, with the taint of its arguments) plus every string
//! literal. Deobfuscated code is analysed as a child and its events are merged with
//! a decode chain. Deciding what is a finding is `assay_rules`' job.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod apis;
pub mod decode;
pub mod js;
mod prefilter;
mod value;
mod walker;

pub use apis::EventKind;
pub use value::Value;

use assay_core::ExecutionContext;

/// The language of an analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Python source, or an executable `.pth` line.
    Python,
    /// JavaScript or TypeScript (CommonJS, ES modules, JSX), parsed by `oxc`.
    JavaScript,
}

impl Language {
    /// Lowercase name for evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
        }
    }
}

/// Analyse one JavaScript or TypeScript text (`path` picks the syntax: `.ts`, `.tsx`,
/// `.mjs`, `.cjs`; anything else is JavaScript with JSX). Never fails; see [`js`].
/// [`FileRole::SetupScript`] is a file an npm lifecycle script runs (install time),
/// [`FileRole::Module`] a package module (top level on `require`), [`FileRole::Script`]
/// a `bin` command (runtime).
pub fn analyze_javascript(source: &[u8], path: &str, role: FileRole, bounds: &Bounds) -> Analysis {
    js::analyze(source, path, role, bounds)
}

/// How a Python file is run, which decides the [`ExecutionContext`] of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// `setup.py` of an sdist: everything runs at install time.
    SetupScript,
    /// `sitecustomize.py`, `usercustomize.py` or an executable `.pth` line: runs at every interpreter start.
    Startup,
    /// A package `__init__.py`: top level runs on `import pkg`.
    PackageInit,
    /// Any other module: top level runs when imported; functions at runtime.
    Module,
    /// A script run only on request (`__main__.py`, `python -m pkg`): everything is runtime.
    Script,
    /// Model code a Hugging Face `config.json` `auto_map` names: `from_pretrained(...,
    /// trust_remote_code=True)` imports it *and* instantiates its classes (`__init__`, and
    /// `forward` on first use), so everything in it counts as running on load
    /// (import time), functions included.
    ModelCode,
}

/// Sources a value may come from (a bit set). Used to tell `exec(open('v.py').read())`
/// from `exec(b64decode(…))` or `exec(urlopen(…).read())`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Taint(pub u16);

impl Taint {
    /// Output of a decoder (base64, hex, zlib, rot13, `chr()` joins…).
    pub const DECODED: Taint = Taint(1);
    /// Data received from the network.
    pub const NETWORK: Taint = Taint(2);
    /// Output of a decryption routine (Fernet, AES, XOR loops).
    pub const DECRYPTED: Taint = Taint(4);
    /// Content read from a file.
    pub const FILE_READ: Taint = Taint(8);
    /// Environment variables.
    pub const ENV: Taint = Taint(16);
    /// A string literal (possibly folded).
    pub const LITERAL: Taint = Taint(32);
    /// Objects or code deserialised from bytes (`marshal.loads`, `pickle.loads`).
    pub const CODE_OBJECT: Taint = Taint(64);
    /// Data from a process's output.
    pub const PROCESS_OUTPUT: Taint = Taint(128);
    /// Data received on a raw socket (`recv`, `recvfrom`, `makefile().read()`): what a
    /// stager reads before it executes it. Always set together with [`Taint::NETWORK`].
    pub const SOCKET: Taint = Taint(256);
    /// The host's or user's identity (`socket.gethostname`, `getpass.getuser`,
    /// `platform.node`, `uuid.getnode`…): what a reconnaissance beacon puts into a DNS
    /// label or a URL.
    pub const IDENTITY: Taint = Taint(512);

    /// Whether any bit of `other` is set.
    pub fn has(self, other: Taint) -> bool {
        self.0 & other.0 != 0
    }

    /// Names of the set bits, for evidence.
    pub fn names(self) -> Vec<&'static str> {
        let all = [
            (Taint::DECODED, "decoded"),
            (Taint::NETWORK, "network"),
            (Taint::DECRYPTED, "decrypted"),
            (Taint::FILE_READ, "file"),
            (Taint::ENV, "env"),
            (Taint::LITERAL, "literal"),
            (Taint::CODE_OBJECT, "code-object"),
            (Taint::PROCESS_OUTPUT, "process-output"),
            (Taint::SOCKET, "socket"),
            (Taint::IDENTITY, "identity"),
        ];
        all.iter()
            .filter(|(t, _)| self.has(*t))
            .map(|(_, n)| *n)
            .collect()
    }
}

impl std::ops::BitOr for Taint {
    type Output = Taint;
    fn bitor(self, rhs: Taint) -> Taint {
        Taint(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Taint {
    fn bitor_assign(&mut self, rhs: Taint) {
        self.0 |= rhs.0;
    }
}

/// One call (or construct) with a known meaning.
#[derive(Debug, Clone)]
pub struct Event {
    /// What it does.
    pub kind: EventKind,
    /// The resolved dotted name of the callee, e.g. `subprocess.Popen`, `exec`.
    pub api: String,
    /// When it runs.
    pub context: ExecutionContext,
    /// 1-based line and column in the analysed text (the decoded text for children).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Decode chain, outermost first (empty for code in the file itself).
    pub chain: Vec<String>,
    /// The source text of the call, clipped to 200 characters.
    pub snippet: String,
    /// The first argument folded to a constant string, where it could be (a command,
    /// a URL, a path, a module name).
    pub arg: Option<String>,
    /// Where the arguments' values come from.
    pub taint: Taint,
    /// The enclosing function (`Class.method` inside a class), if any.
    pub function: Option<FnName>,
}

/// Whether a string literal reads as prose (a docstring or message) rather than data:
/// more than eight words and a sentence break or line break.
pub fn is_prose(s: &str) -> bool {
    (s.contains(". ") || s.contains('\n')) && s.split_whitespace().nth(8).is_some()
}

/// The source text of the `n`-th (0-based) positional argument of the call in a snippet
/// (`open(p, 'wb')` → `p`; `Popen([exe, "-q"], cwd=d)` → `[exe, "-q"]`), trimmed; commas
/// inside brackets and string literals do not split. `None` past the last positional
/// argument, at a keyword argument, or when the snippet (clipped at 200 characters)
/// ends first.
pub fn nth_arg(snippet: &str, n: usize) -> Option<&str> {
    let start = snippet.find('(')? + 1;
    let rest = snippet.get(start..)?;
    let (mut depth, mut quote, mut from, mut index) = (0u32, None::<char>, 0usize, 0usize);
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth > 0 => depth -= 1,
            (None, ',' | ')') if depth == 0 => {
                if index == n {
                    let a = rest.get(from..i)?.trim();
                    let keyword = a.split_once('=').is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty()
                    });
                    return (!a.is_empty() && !keyword).then_some(a);
                }
                if c == ')' {
                    return None;
                }
                index += 1;
                from = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Whether `open` (a [`EventKind::FileWrite`]) may be the opening of the file `write`
/// writes to: the same function, at most three lines before (`with open(p, "wb") as f:`
/// … `f.write(data)`). The file is then [`nth_arg`]`(&open.snippet, 0)`.
pub fn opens_file_of(open: &Event, write: &Event) -> bool {
    open.kind == EventKind::FileWrite
        && open.function == write.function
        && open.line <= write.line
        && open.line + 3 >= write.line
}

/// A function's name as events and strings carry it (`Class.method` inside a class):
/// shared, because a module's many literals and calls name the same few functions
/// (aws-cdk-lib's 900,000 string literals named 685,000 functions, one allocation each).
pub type FnName = std::sync::Arc<str>;

/// A string constant in the code (or decoded from it).
#[derive(Debug, Clone)]
pub struct StrLit {
    /// The value (lossy UTF-8 for bytes); equal values of one analysis share one
    /// allocation (generated modules repeat the same few literals thousands of times).
    pub value: std::sync::Arc<str>,
    /// 1-based line in the analysed text.
    pub line: u32,
    /// When the code around it runs.
    pub context: ExecutionContext,
    /// Decode chain, outermost first.
    pub chain: Vec<String>,
    /// The enclosing function, if any.
    pub function: Option<FnName>,
    /// One element of a large literal table of strings (a JavaScript array of 64 or more
    /// string literals: a public-suffix or domain list, a locale table). Indicator rules
    /// read such tables as data, not as endpoints the code uses.
    pub in_table: bool,
}

/// Everything the analysis learned about one Python or JavaScript text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Calls with a known meaning, in source order; the events of decoded code come
    /// before the event of the call that decoded or executed it.
    pub events: Vec<Event>,
    /// String constants, bounded (see [`Bounds`]).
    pub strings: Vec<StrLit>,
    /// Imported module names (dotted, as written), with the context of the import.
    pub imports: Vec<(String, ExecutionContext)>,
    /// `setup(cmdclass={…})` keys, e.g. `install`, `develop`, `egg_info`.
    pub cmdclass: Vec<String>,
    /// Classes deriving from a setuptools/distutils command (`install`, `develop`…), by base name.
    pub command_subclasses: Vec<String>,
    /// Count of tree-sitter ERROR/MISSING nodes (syntax errors, Python 2 constructs).
    pub syntax_errors: u32,
    /// Longest line, in bytes.
    pub max_line_len: usize,
    /// Number of lines.
    pub lines: u32,
    /// True when a bound stopped the analysis early (the result is partial).
    pub truncated: bool,
    /// True when code of the file was never walked: the syntax-node budget
    /// ([`Bounds::max_nodes`]) ran out, the text was over [`Bounds::max_source_bytes`], or
    /// it did not parse at all. Unlike a partial string table, this leaves code that runs
    /// unread, so callers report the file as not inspected.
    pub unwalked: bool,
    /// Events not recorded because [`MAX_EVENTS_PER_SIGNATURE`] events of the same kind,
    /// callee and context were recorded already (a file of 400,000 identical
    /// `exec(b64decode(…))` lines keeps a few hundred of them, not gigabytes).
    pub dropped_events: u64,
    /// Events recorded per `(kind, callee, context)`, for that bound.
    pub(crate) event_seen: std::collections::HashMap<(EventKind, String, ExecutionContext), u32>,
    /// The distinct string values recorded so far (emptied when the analysis ends).
    pub(crate) interned: std::collections::HashSet<std::sync::Arc<str>>,
    /// The PEP 263 codec the file declares (`# -*- coding: … -*-`), lowercased with `_`
    /// for `-`. For `unicode_escape`, `raw_unicode_escape` and `utf_7` the analysis is of
    /// the decoded text, and every event's decode chain starts with that step.
    pub source_encoding: Option<String>,
    /// Functions of this file that run when the module is imported (called, directly or
    /// through other local functions, from module-level code, or handed to a thread or
    /// `atexit` there). Their code was given the import-time context.
    pub reachable_functions: Vec<String>,
    /// Direct calls of plain names (`f()`, `self.f()`): `(caller, callee)`, where the
    /// caller is a function (`Class.method` inside a class) or `None` for module-level
    /// import-time code. Lets reachability cross files (a package `__init__` that calls
    /// an imported function at import time).
    pub local_calls: Vec<(Option<FnName>, String)>,
}

/// Most events of one `(kind, callee, execution context)` recorded per analysis; the
/// rest are counted in [`Analysis::dropped_events`]. Rules judge kinds and flows, not
/// counts, so repeats past this add nothing but memory.
pub const MAX_EVENTS_PER_SIGNATURE: u32 = 256;

/// Resource bounds of one analysis (including its decoded children).
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Largest source text parsed, in bytes.
    pub max_source_bytes: usize,
    /// Deepest decode recursion.
    pub max_decode_depth: u32,
    /// Largest decoded value kept, in bytes.
    pub max_decoded_bytes: usize,
    /// Most string literals recorded.
    pub max_strings: usize,
    /// Most syntax nodes visited (all children included).
    pub max_nodes: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_source_bytes: 16 << 20,
            max_decode_depth: 4,
            max_decoded_bytes: 4 << 20,
            max_strings: 20_000,
            max_nodes: 3_000_000,
        }
    }
}

/// Why a text went to the parser whole or reduced; the buckets of [`ParseStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseWhy {
    /// Setup scripts, startup code, plain analysis and files under the reduction size.
    WholeByRoleOrSize = 0,
    /// The file holds an indicator literal, so it is parsed whole.
    WholeIndicator = 1,
    /// Every unit of the file could produce an event.
    WholeAllNeeded = 2,
    /// Some functions and methods were left out of the parse.
    Reduced = 3,
}

impl ParseWhy {
    /// Every bucket, in index order.
    pub const ALL: [ParseWhy; 4] = [
        ParseWhy::WholeByRoleOrSize,
        ParseWhy::WholeIndicator,
        ParseWhy::WholeAllNeeded,
        ParseWhy::Reduced,
    ];
}

/// Process-wide counters of how much Python text was analysed and how much of it went
/// to the parser (the rest was left out by the prefilter), per [`ParseWhy`] bucket; read
/// by `cargo dev bench-scan`.
#[derive(Debug)]
pub struct ParseStats {
    source_bytes: [std::sync::atomic::AtomicU64; 4],
    parsed_bytes: [std::sync::atomic::AtomicU64; 4],
}

impl ParseStats {
    fn record(&self, why: ParseWhy, source: usize, parsed: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        self.source_bytes[why as usize].fetch_add(source as u64, Relaxed);
        self.parsed_bytes[why as usize].fetch_add(parsed as u64, Relaxed);
    }

    /// `(source bytes, bytes given to the parser)` of one bucket since the process
    /// started, top-level texts only (decoded children are not counted).
    pub fn bucket(&self, why: ParseWhy) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.source_bytes[why as usize].load(Relaxed),
            self.parsed_bytes[why as usize].load(Relaxed),
        )
    }

    /// `(source bytes, bytes given to the parser)` over every bucket.
    pub fn totals(&self) -> (u64, u64) {
        ParseWhy::ALL.iter().fold((0, 0), |(s, p), w| {
            let (a, b) = self.bucket(*w);
            (s + a, p + b)
        })
    }
}

/// The process's [`ParseStats`].
pub static STATS: ParseStats = ParseStats {
    source_bytes: [const { std::sync::atomic::AtomicU64::new(0) }; 4],
    parsed_bytes: [const { std::sync::atomic::AtomicU64::new(0) }; 4],
};

/// Analyse one Python source text. Never fails: unparseable regions are counted in
/// [`Analysis::syntax_errors`] and the rest is analysed.
pub fn analyze_python(source: &[u8], role: FileRole) -> Analysis {
    analyze_python_with(source, role, &Bounds::default())
}

/// [`analyze_python`] with explicit bounds.
pub fn analyze_python_with(source: &[u8], role: FileRole, bounds: &Bounds) -> Analysis {
    walker::analyze(source, role, bounds, None)
}

/// [`analyze_python_with`], leaving out of the parse the top-level functions and methods
/// of ordinary modules that cannot produce an event (see the `prefilter` module: no API
/// name, dynamic lookup, decoder, blob or non-ASCII identifier in them, and not linked to
/// kept code by name). Their string literals are still recorded and the names they
/// mention still count for import-time reachability, so rules see the same strings.
///
/// `is_indicator` marks text (the whole file, and escaped literals' values) the caller's rules correlate with events anywhere
/// in a file (credential paths, IOCs, persistence locations): a file holding one is
/// parsed whole. Setup scripts, startup code and files under 8 KiB are always parsed whole.
pub fn analyze_python_reduced(
    source: &[u8],
    role: FileRole,
    bounds: &Bounds,
    is_indicator: &dyn Fn(&[u8]) -> bool,
) -> Analysis {
    walker::analyze(source, role, bounds, Some(is_indicator))
}

impl Analysis {
    /// A deep copy whose every allocation is made by the calling thread: shared strings
    /// stay shared (one new allocation per distinct old one), nothing is borrowed from
    /// `self`.
    ///
    /// Why: analyses run on worker threads, where the long-lived result is allocated
    /// between the parse trees and tables that are freed when the analysis ends. Kept
    /// until the artifact is judged, such results pin those freed gaps, and with glibc's
    /// per-thread arenas the gaps add up (ansible's wheel: about 90 MB of 500). A caller
    /// that copies each result on one thread as it arrives, and drops the original, keeps
    /// the long-lived data packed and lets the workers reuse their memory.
    #[must_use]
    pub fn compacted(&self) -> Analysis {
        use std::collections::HashMap;
        use std::sync::Arc;
        let mut shared: HashMap<*const u8, Arc<str>> = HashMap::new();
        let mut copy = |a: &Arc<str>| -> Arc<str> {
            shared
                .entry(Arc::as_ptr(a).cast::<u8>())
                .or_insert_with(|| Arc::from(&**a))
                .clone()
        };
        let events = self
            .events
            .iter()
            .map(|e| Event {
                function: e.function.as_ref().map(&mut copy),
                ..e.clone()
            })
            .collect();
        let strings = self
            .strings
            .iter()
            .map(|s| StrLit {
                value: copy(&s.value),
                line: s.line,
                context: s.context,
                chain: s.chain.clone(),
                function: s.function.as_ref().map(&mut copy),
                in_table: s.in_table,
            })
            .collect();
        let local_calls = self
            .local_calls
            .iter()
            .map(|(caller, callee)| (caller.as_ref().map(&mut copy), callee.clone()))
            .collect();
        Analysis {
            events,
            strings,
            imports: self.imports.clone(),
            cmdclass: self.cmdclass.clone(),
            command_subclasses: self.command_subclasses.clone(),
            syntax_errors: self.syntax_errors,
            max_line_len: self.max_line_len,
            lines: self.lines,
            truncated: self.truncated,
            unwalked: self.unwalked,
            dropped_events: self.dropped_events,
            event_seen: Default::default(),
            interned: Default::default(),
            source_encoding: self.source_encoding.clone(),
            reachable_functions: self.reachable_functions.clone(),
            local_calls,
        }
    }

    /// `value` as a shared string: the allocation of an equal value recorded before,
    /// or a new one.
    pub(crate) fn intern(&mut self, value: &str) -> std::sync::Arc<str> {
        if let Some(v) = self.interned.get(value) {
            return v.clone();
        }
        let v: std::sync::Arc<str> = value.into();
        self.interned.insert(v.clone());
        v
    }
}
