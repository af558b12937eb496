//! Pre-parse reduction of ordinary modules: which top-level functions and methods can be
//! left out of the tree-sitter parse because no event, taint or decode can come of them.
//!
//! Why: tree-sitter-python parses at only ~3.5 MB/s on large libraries (sympy's 26 MB of
//! Python took 7.5 s in the parser alone), while most of that text is function bodies
//! that call nothing the capability table knows. A linear lexical pass (~100× faster than
//! the parse) splits a module into units — module-level statements, top-level `def`s,
//! classes and their methods — and keeps a unit when it could matter:
//!
//! - it contains a *hot word*: an identifier that every call the walker classifies must
//!   spell in the calling unit (the distinctive component of each dotted API name in
//!   [`crate::apis`], dynamic-lookup builtins such as `getattr`/`globals`, decoder
//!   building blocks `chr`/`ord`), counted inside strings too so code written to a file
//!   or executed from a literal is seen; words that are also common variable names
//!   (`requests`, `socket`, `pickle`…) count only when the file imports them;
//! - a name bound by an import or a module-level/class-level assignment that mentions a
//!   hot word (`from subprocess import Popen as P`, `run = os.system`) is hot too;
//! - it holds a literal the walker would try to decode (a long base64/hex blob), or a
//!   non-ASCII identifier (NFKC look-alikes);
//! - it is a top-level function that a kept unit names (it may be inlined as a decoder or
//!   return tainted data), or it names a kept top-level function (taint returns).
//!
//! - it is a module-level or class-body statement that binds a name a kept unit mentions
//!   (`URL = …` read by a kept function, `mode = …` read as `self.mode`), closed
//!   transitively (`FULL = BASE + …` keeps `BASE`).
//!
//! Module-level and class-body statements are units too, one per statement: they run at
//! import time, so a skipped one still contributes its strings (import-time context) and
//! its mentions of local functions and classes (and calls of imported names) as
//! import-time call edges. Some are always kept: class headers (the body's block needs
//! them), statements holding an `import`/`global` line, `if __name__ …` blocks (code that
//! does not run on import), and indented text at the top (syntax errors). A file with any
//! literal the caller marks as an indicator (credential paths, IOCs, persistence
//! locations — the rules correlate those with events anywhere in the file) is not reduced.
//!
//! Skipped units are replaced by `pass` on their first line and empty lines for the rest,
//! so every kept line keeps its row and column. Their string literals are still recorded
//! (rules match strings wherever they are) and the names they mention become call edges
//! for the import-time reachability pass, so a hot function reached through skipped code
//! is still promoted.
//!
//! Bounds: one pass over the bytes plus work linear in the number of identifiers; the
//! closure worklists visit each unit at most once per direction.

use crate::decode;
use crate::value::parse_string_literal;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::ops::Range;

/// Files smaller than this are parsed whole: the saving is small and the per-file cost
/// of the reduction would dominate.
pub(crate) const MIN_REDUCE_BYTES: usize = 1024;

/// Identifiers that make a unit worth parsing wherever they appear.
const HOT: &[&str] = &[
    // code execution and dynamic lookup
    "exec",
    "eval",
    "compile",
    "execfile",
    "__import__",
    "import_module",
    "importlib",
    "imp",
    "load_source",
    "load_module",
    "SourceFileLoader",
    "spec_from_file_location",
    "globals",
    "vars",
    "locals",
    "getattr",
    "__builtins__",
    "builtins",
    "__builtin__",
    "runpy",
    "run_path",
    "run_module",
    "interact",
    "CodeType",
    "FunctionType",
    "marshal",
    "cPickle",
    "dill",
    "cloudpickle",
    // processes
    "subprocess",
    "system",
    "popen",
    "popen2",
    "popen3",
    "popen4",
    "Popen",
    "startfile",
    "posix_spawn",
    "posix_spawnp",
    "execv",
    "execve",
    "execvp",
    "execvpe",
    "execl",
    "execle",
    "execlp",
    "execlpe",
    "spawnl",
    "spawnle",
    "spawnlp",
    "spawnlpe",
    "spawnv",
    "spawnve",
    "spawnvp",
    "spawnvpe",
    "pty",
    "getoutput",
    "getstatusoutput",
    "create_subprocess_shell",
    "create_subprocess_exec",
    "ShellExecute",
    "ShellExecuteA",
    "ShellExecuteW",
    "ShellExecuteEx",
    "CreateProcess",
    "win32api",
    "win32process",
    "ctypes",
    "dup2",
    // network
    "urlopen",
    "urlretrieve",
    "build_opener",
    "urllib",
    "urllib2",
    "urllib3",
    "HTTPConnection",
    "HTTPSConnection",
    "httplib",
    "create_connection",
    "SMTP",
    "SMTP_SSL",
    "smtplib",
    "FTP",
    "ftplib",
    "Telnet",
    "telnetlib",
    // Clients that send data without looking like HTTP libraries.
    "ServerProxy",
    "xmlrpc",
    "xmlrpclib",
    "HTTPHandler",
    "SocketHandler",
    "DatagramHandler",
    "SMTPHandler",
    "PoolManager",
    "pycurl",
    "Curl",
    "WebSocketApp",
    "ClientSession",
    "aiohttp",
    "paramiko",
    "SSHClient",
    "DiscordWebhook",
    "discord_webhook",
    "dhooks",
    "httpclient",
    "HTTPClient",
    "grequests",
    "httpx",
    "gethostbyname",
    "gethostbyname_ex",
    "getaddrinfo",
    "Resolver",
    "wrap_socket",
    "recv",
    "recv_into",
    "recvfrom",
    "recvmsg",
    "sendto",
    "sendall",
    "clone_from",
    // environment and identity
    "environ",
    "getenv",
    "getenvb",
    "gethostname",
    "getuser",
    "getlogin",
    "getnode",
    "uname",
    // decoders and ciphers
    "b64decode",
    "decodebytes",
    "decodestring",
    "urlsafe_b64decode",
    "standard_b64decode",
    "b32decode",
    "b16decode",
    "b85decode",
    "a85decode",
    "a2b_base64",
    "unhexlify",
    "a2b_hex",
    "fromhex",
    "decompress",
    "codecs",
    "decrypt",
    "Fernet",
    "AES",
    "chr",
    "ord",
    // surveillance, browser, registry, native code, permissions
    "pynput",
    "pyperclip",
    "GetClipboardData",
    "win32clipboard",
    "ImageGrab",
    "pyautogui",
    "VideoCapture",
    "pyscreenshot",
    "webbrowser",
    "winreg",
    "_winreg",
    "SetValueEx",
    "CreateKey",
    "CreateKeyEx",
    "OpenKey",
    "chmod",
    "fchmod",
    "CDLL",
    "LoadLibrary",
    "LoadLibraryA",
    "WinDLL",
    "windll",
    "PyDLL",
    "VirtualAlloc",
    "CreateThread",
    "RtlMoveMemory",
];

/// Hot only in a file that imports them: common as ordinary variable names.
const HOT_IF_IMPORTED: &[&str] = &[
    "requests",
    "socket",
    "pickle",
    "keyboard",
    "mss",
    "resolver",
    "dns",
    "websocket",
    "wget",
    "platform",
    "commands",
    "code",
    "http",
    "tornado",
    "cv2",
    "glob",
    "shutil",
    "getpass",
    "uuid",
    "gzip",
    "bz2",
    "lzma",
    "zlib",
    "base64",
    "binascii",
    "git",
];

/// Builtins that are also common method names: `re.compile`, `self.eval` are not them.
const BUILTIN_ONLY: &[&str] = &[
    "exec", "eval", "compile", "execfile", "globals", "vars", "locals", "getattr", "chr", "ord",
];

type WordSet = HashSet<&'static [u8]>;

/// Marks text that must keep a file from being reduced (see [`reduce`]).
pub(crate) type Indicator<'a> = &'a dyn Fn(&[u8]) -> bool;

/// [`HOT`], [`HOT_IF_IMPORTED`] and [`BUILTIN_ONLY`] as sets, built once.
static WORDS: std::sync::LazyLock<(WordSet, WordSet, WordSet)> = std::sync::LazyLock::new(|| {
    let set = |w: &[&'static str]| w.iter().map(|s| s.as_bytes()).collect::<WordSet>();
    (set(HOT), set(HOT_IF_IMPORTED), set(BUILTIN_ONLY))
});

/// What the reduction produced.
#[derive(Debug)]
pub(crate) struct Reduced {
    /// The text to parse: the original with skipped units blanked (same rows and columns
    /// for every kept line).
    pub source: Vec<u8>,
    /// The skipped units.
    pub skipped: Vec<SkippedUnit>,
    /// Identifiers the kept units mention (filled only by [`reduce_seeded`] for pieces).
    pub wants: HashSet<Vec<u8>>,
    /// Names bound by skipped units (filled only by [`reduce_seeded`] for pieces).
    pub skipped_bindings: HashSet<Vec<u8>>,
}

/// A unit left out of the parse.
#[derive(Debug)]
pub(crate) struct SkippedUnit {
    /// Qualified name (`f`, or `Class.method`); empty for a module-level or class-body
    /// statement.
    pub name: String,
    /// A module-level or class-body statement: its code runs at import time.
    pub statement: bool,
    /// Names of this file's functions, methods and classes it mentions (candidate
    /// callees for reachability).
    pub mentions: Vec<String>,
    /// Its string literals: 1-based line, source text of the literal, and whether it is
    /// a whole statement by itself (a docstring).
    pub strings: Vec<(u32, String, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    /// Always kept: a class header (with its decorators), a statement holding an import
    /// or `global` line, an `if __name__ == "__main__":` block, indented text at the top.
    Pinned,
    /// One module-level or class-body statement: kept when it could matter (see the
    /// module docs).
    Statement,
    /// Top-level `def`.
    Function,
    /// A method (a `def` directly in a class body).
    Method,
}

#[derive(Debug)]
struct Unit {
    kind: UnitKind,
    /// Byte range of whole lines.
    range: Range<usize>,
    /// Index range into `Lexed::lines`.
    lines: Range<usize>,
    /// Indentation of the first line (bytes).
    indent: usize,
    /// Qualified name for functions and methods.
    name: String,
    /// Index into `Lexed::idents` / `Lexed::strings` of the unit's tokens.
    idents: Range<usize>,
    strings: Range<usize>,
    hot: bool,
}

/// An identifier occurrence.
#[derive(Debug, Clone, Copy)]
struct Ident {
    range: (usize, usize),
    /// Preceded by `.` (an attribute, not a bare name).
    attribute: bool,
    /// Inside a string literal or comment.
    quoted: bool,
}

/// A logical line start.
#[derive(Debug, Clone, Copy)]
struct LineStart {
    offset: usize,
    indent: usize,
    /// Index of the first identifier / string at or after `offset`.
    ident_ix: usize,
    string_ix: usize,
}

#[derive(Debug, Default)]
struct Lexed {
    lines: Vec<LineStart>,
    idents: Vec<Ident>,
    /// String literals: byte range, 1-based line, and whether the literal is a whole
    /// statement by itself (a docstring or another bare string, which runs nothing).
    strings: Vec<(usize, usize, u32, bool)>,
    /// Non-ASCII bytes in code (not in strings or comments): byte offsets, ascending.
    non_ascii_code: Vec<usize>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Scan words inside a string literal or comment as quoted identifiers.
fn quoted_words(src: &[u8], range: Range<usize>, out: &mut Vec<Ident>) {
    let mut i = range.start;
    while i < range.end {
        let b = src[i];
        if b.is_ascii_alphabetic() || b == b'_' {
            let s = i;
            while i < range.end && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                i += 1;
            }
            out.push(Ident {
                range: (s, i),
                attribute: s > 0 && src[s - 1] == b'.',
                quoted: true,
            });
        } else {
            i += 1;
        }
    }
}

/// One linear pass: logical lines, identifiers, string literals.
fn lex(src: &[u8]) -> Lexed {
    let mut out = Lexed::default();
    let n = src.len();
    let mut i = 0usize;
    let mut depth = 0u32;
    let mut line_no = 1u32;
    let mut at_line_start = true;
    let mut continued = false;
    while i < n {
        if at_line_start {
            at_line_start = false;
            let start = i;
            while i < n && (src[i] == b' ' || src[i] == b'\t' || src[i] == b'\x0c') {
                i += 1;
            }
            let logical = depth == 0 && !continued;
            continued = false;
            if logical && i < n && !matches!(src[i], b'\n' | b'\r' | b'#') {
                out.lines.push(LineStart {
                    offset: start,
                    indent: i - start,
                    ident_ix: out.idents.len(),
                    string_ix: out.strings.len(),
                });
            }
            continue;
        }
        let b = src[i];
        match b {
            b'\n' => {
                line_no = line_no.saturating_add(1);
                at_line_start = true;
                i += 1;
            }
            b'#' => {
                let s = i;
                while i < n && src[i] != b'\n' {
                    i += 1;
                }
                quoted_words(src, s..i, &mut out.idents);
            }
            b'\\' => {
                // Line continuation (or a stray backslash).
                match continuation(src, i) {
                    Some(len) => {
                        continued = true;
                        line_no = line_no.saturating_add(1);
                        at_line_start = true;
                        i += len;
                    }
                    None => i += 1,
                }
            }
            b'(' | b'[' | b'{' => {
                depth = depth.saturating_add(1);
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\'' | b'"' => {
                let start = prefix_start(src, i);
                let (end, newlines) = string_end(src, i);
                let bare = depth == 0
                    && out
                        .lines
                        .last()
                        .is_some_and(|l| l.offset + l.indent == start)
                    && statement_ends(src, end);
                out.strings.push((start, end, line_no, bare));
                quoted_words(src, i..end, &mut out.idents);
                line_no = line_no.saturating_add(newlines);
                i = end;
            }
            _ if is_ident_start(b) => {
                let s = i;
                let mut non_ascii = false;
                while i < n && is_ident_byte(src[i]) {
                    non_ascii |= src[i] >= 0x80;
                    i += 1;
                }
                // A string prefix (`rb"…"`, `f'…'`) is part of the literal that follows.
                if i < n && matches!(src[i], b'\'' | b'"') && is_string_prefix(&src[s..i]) {
                    continue;
                }
                if non_ascii {
                    out.non_ascii_code.push(s);
                }
                let mut p = s;
                while p > 0 && matches!(src[p - 1], b' ' | b'\t') {
                    p -= 1;
                }
                out.idents.push(Ident {
                    range: (s, i),
                    attribute: p > 0 && src[p - 1] == b'.',
                    quoted: false,
                });
            }
            _ if b.is_ascii_digit() => {
                while i < n && (src[i].is_ascii_alphanumeric() || src[i] == b'.' || src[i] == b'_')
                {
                    i += 1;
                }
            }
            _ => {
                if b >= 0x80 {
                    out.non_ascii_code.push(i);
                }
                i += 1;
            }
        }
    }
    out
}

/// The length of a line continuation (`\\` then `\n` or `\r\n`) at `i`, if there is one.
fn continuation(src: &[u8], i: usize) -> Option<usize> {
    match (src.get(i + 1), src.get(i + 2)) {
        (Some(b'\n'), _) => Some(2),
        (Some(b'\r'), Some(b'\n')) => Some(3),
        _ => None,
    }
}

fn is_string_prefix(p: &[u8]) -> bool {
    p.len() <= 2
        && p.iter()
            .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f' | b't'))
}

/// Start of a literal's prefix letters before the quote at `q`.
fn prefix_start(src: &[u8], q: usize) -> usize {
    let mut s = q;
    while s > 0 && q - s < 2 && src[s - 1].is_ascii_alphabetic() {
        s -= 1;
    }
    if is_string_prefix(&src[s..q]) && (s == 0 || !is_ident_byte(src[s - 1])) {
        s
    } else {
        q
    }
}

/// End (exclusive) of the literal whose opening quote is at `q`, and the newlines in it.
/// Unterminated single-quoted literals end at the line break, triple-quoted ones at the
/// end of the text.
/// Whether nothing but blanks or a comment follows `at` up to the end of its line (or
/// of the text): the token before `at` ends its statement.
fn statement_ends(src: &[u8], at: usize) -> bool {
    let rest = &src[at.min(src.len())..];
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let line = &rest[..end];
    let code = line
        .iter()
        .position(|&b| b == b'#')
        .map_or(line, |h| &line[..h]);
    code.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0c' | b';'))
}

fn string_end(src: &[u8], q: usize) -> (usize, u32) {
    let quote = src[q];
    let triple = src.get(q + 1) == Some(&quote) && src.get(q + 2) == Some(&quote);
    let mut i = if triple { q + 3 } else { q + 1 };
    let mut newlines = 0u32;
    while i < src.len() {
        let b = src[i];
        if b == b'\\' {
            if src.get(i + 1) == Some(&b'\n') {
                newlines += 1;
            }
            i += 2;
            continue;
        }
        if b == b'\n' {
            if !triple {
                return (i, newlines);
            }
            newlines += 1;
        }
        if b == quote {
            if !triple {
                return (i + 1, newlines);
            }
            if src.get(i + 1) == Some(&quote) && src.get(i + 2) == Some(&quote) {
                return (i + 3, newlines);
            }
        }
        i += 1;
    }
    (src.len(), newlines)
}

fn word<'a>(src: &'a [u8], id: &Ident) -> &'a [u8] {
    &src[id.range.0..id.range.1]
}

/// The identifier at `line`'s first token, and the one after it (`def name`).
fn first_words<'a>(src: &'a [u8], lx: &Lexed, line: &LineStart) -> (&'a [u8], &'a [u8]) {
    let get = |k: usize| {
        lx.idents
            .get(line.ident_ix + k)
            .filter(|id| !id.quoted)
            .map(|id| word(src, id))
            .unwrap_or_default()
    };
    let first_at_start = lx
        .idents
        .get(line.ident_ix)
        .is_some_and(|id| id.range.0 == line.offset + line.indent);
    if !first_at_start {
        return (b"", b"");
    }
    let w0 = get(0);
    if w0 == b"async" {
        return (get(1), get(2));
    }
    (w0, get(1))
}

/// `if __name__ == "__main__":` (any spelling that tests `__name__`) on `line`.
fn main_guard(src: &[u8], lx: &Lexed, line: &LineStart) -> bool {
    if first_words(src, lx, line).0 != b"if" {
        return false;
    }
    let end = lx
        .lines
        .get(line_index(lx, line) + 1)
        .map_or(src.len(), |l| l.offset);
    src[line.offset..end].windows(8).any(|w| w == b"__name__")
}

/// Index of `line` in `lx.lines`.
fn line_index(lx: &Lexed, line: &LineStart) -> usize {
    lx.lines.partition_point(|l| l.offset < line.offset)
}

fn starts_with_at(src: &[u8], line: &LineStart) -> bool {
    src.get(line.offset + line.indent) == Some(&b'@')
}

/// Split the module into units.
fn units(src: &[u8], lx: &Lexed) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let lines = &lx.lines;
    let end_of = |k: usize| lines.get(k).map(|l| l.offset).unwrap_or(src.len());
    let ident_end = |k: usize| lines.get(k).map(|l| l.ident_ix).unwrap_or(lx.idents.len());
    let string_end = |k: usize| {
        lines
            .get(k)
            .map(|l| l.string_ix)
            .unwrap_or(lx.strings.len())
    };
    let mut push = |kind, a: usize, b: usize, name: String, out: &mut Vec<Unit>| {
        let pinned = kind == UnitKind::Statement
            && (lines[a..b.min(lines.len())].iter().any(|l| {
                matches!(
                    first_words(src, lx, l).0,
                    b"import" | b"from" | b"global" | b"nonlocal"
                )
            }) || main_guard(src, lx, &lines[a]));
        let kind = if pinned { UnitKind::Pinned } else { kind };
        out.push(Unit {
            kind,
            range: lines[a].offset..end_of(b),
            lines: a..b,
            indent: lines[a].indent,
            name,
            idents: lines[a].ident_ix..ident_end(b),
            strings: lines[a].string_ix..string_end(b),
            hot: kind == UnitKind::Pinned,
        });
    };
    // Top level: runs of lines from one indent-0 line to the next.
    let mut k = 0usize;
    while k < lines.len() {
        let l = lines[k];
        if l.indent != 0 {
            // Indented code at the top (a syntax error, or code after a dedent error):
            // keep as a statement.
            let mut e = k + 1;
            while e < lines.len() && lines[e].indent != 0 {
                e += 1;
            }
            push(UnitKind::Pinned, k, e, String::new(), &mut out);
            k = e;
            continue;
        }
        // Decorators belong to the definition below them.
        let mut h = k;
        while h < lines.len() && lines[h].indent == 0 && starts_with_at(src, &lines[h]) {
            h += 1;
        }
        let (kw, name) = lines
            .get(h)
            .filter(|x| x.indent == 0)
            .map(|x| first_words(src, lx, x))
            .unwrap_or_default();
        let mut e = h.max(k) + 1;
        while e < lines.len() && lines[e].indent != 0 {
            e += 1;
        }
        let e = e.min(lines.len());
        match kw {
            b"def" => push(
                UnitKind::Function,
                k,
                e,
                String::from_utf8_lossy(name).into_owned(),
                &mut out,
            ),
            b"class" => class_units(src, lx, k, h, e, name, &mut out, &mut push),
            _ => push(UnitKind::Statement, k, e, String::new(), &mut out),
        }
        k = e;
    }
    out
}

/// A class from line `k` (first decorator) with header at `h`, up to line `e`: the
/// header and class-level statements are statement units, each method (with its
/// decorators) a method unit.
#[allow(clippy::too_many_arguments)]
fn class_units(
    src: &[u8],
    lx: &Lexed,
    k: usize,
    h: usize,
    e: usize,
    name: &[u8],
    out: &mut Vec<Unit>,
    push: &mut impl FnMut(UnitKind, usize, usize, String, &mut Vec<Unit>),
) {
    let lines = &lx.lines;
    let class = String::from_utf8_lossy(name).into_owned();
    let body = h + 1;
    // The header (and its decorators) stays so the body keeps its block.
    push(UnitKind::Pinned, k, body.min(e), String::new(), out);
    if body >= e {
        return;
    }
    let indent = lines[body].indent;
    let mut seg_start = body;
    let mut seg_kind = UnitKind::Statement;
    let mut seg_name = String::new();
    // The current method segment holds only decorators so far.
    let mut only_decorators = false;
    for (j, &l) in lines.iter().enumerate().take(e).skip(body) {
        if l.indent > indent {
            continue;
        }
        let decorator = l.indent == indent && starts_with_at(src, &l);
        let def = l.indent == indent && first_words(src, lx, &l).0 == b"def";
        if seg_kind == UnitKind::Method && only_decorators && (decorator || def) {
            // Still the same method: its decorators, then its `def`.
        } else {
            // Each class-level statement is its own unit.
            if j > seg_start {
                push(seg_kind, seg_start, j, std::mem::take(&mut seg_name), out);
            }
            seg_start = j;
            seg_kind = if decorator || def {
                UnitKind::Method
            } else {
                UnitKind::Statement
            };
            seg_name.clear();
        }
        only_decorators = decorator;
        if def {
            let (_, m) = first_words(src, lx, &l);
            seg_name = format!("{class}.{}", String::from_utf8_lossy(m));
        }
    }
    if e > seg_start {
        push(seg_kind, seg_start, e, seg_name, out);
    }
}

/// Why [`reduce`] left a file whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whole {
    /// Every unit is needed (or the file has no function to skip).
    NothingToSkip,
    /// The file holds an indicator literal.
    Indicator,
}

/// Reduce `src`, or say why it must be parsed whole: nothing would be skipped, or a
/// literal is an indicator.
pub(crate) fn reduce(src: &[u8], is_indicator: Indicator<'_>) -> Result<Reduced, Whole> {
    reduce_seeded(src, is_indicator, &HashSet::new(), false)
}

/// [`reduce`], with `seeds`: names that kept code elsewhere (another piece of the same
/// file) mentions, so the units binding them here are kept too. With `pieces`, the
/// result also lists what its kept code mentions and what its skipped code binds.
pub(crate) fn reduce_seeded(
    src: &[u8],
    is_indicator: Indicator<'_>,
    seeds: &HashSet<Vec<u8>>,
    pieces: bool,
) -> Result<Reduced, Whole> {
    let lx = lex(src);
    let mut units = units(src, &lx);
    if units.iter().all(|u| u.kind == UnitKind::Pinned) {
        return Err(Whole::NothingToSkip);
    }
    let (hot, hot_if_imported, builtin_only) = &*WORDS;

    // Indicators anywhere in the text (a superset of the literals: one pass over the
    // bytes) or in an escaped literal's value disable the reduction; blobs make their
    // unit hot.
    if is_indicator(src) {
        return Err(Whole::Indicator);
    }
    let literal =
        |r: &(usize, usize, u32, bool)| String::from_utf8_lossy(&src[r.0..r.1]).into_owned();
    let mut blob_units: HashSet<usize> = HashSet::new();
    for (ui, u) in units.iter().enumerate() {
        for s in &lx.strings[u.strings.clone()] {
            let raw = &src[s.0..s.1];
            let escaped = raw.contains(&b'\\');
            let blob_candidate = u.kind != UnitKind::Pinned && raw.len() >= 40;
            if !escaped && !blob_candidate {
                continue;
            }
            let text = literal(s);
            let value = parse_string_literal(&text)
                .and_then(|v| v.as_text())
                .unwrap_or(text);
            if escaped && is_indicator(value.as_bytes()) {
                return Err(Whole::Indicator);
            }
            if blob_candidate
                && value.len() >= 40
                && (decode::looks_like_base64(&value) || decode::looks_like_hex(&value))
            {
                blob_units.insert(ui);
            }
        }
    }

    // Names bound where a hot word is mentioned: import lines anywhere, and assignments
    // at module or class level.
    let mut imported: HashSet<&[u8]> = HashSet::new();
    for (li, l) in lx.lines.iter().enumerate() {
        let (w0, _) = first_words(src, &lx, l);
        if w0 == b"import" || w0 == b"from" {
            let end = lx
                .lines
                .get(li + 1)
                .map(|x| x.ident_ix)
                .unwrap_or(lx.idents.len());
            for id in &lx.idents[l.ident_ix..end] {
                imported.insert(word(src, id));
            }
        }
    }
    let is_hot_word = |w: &[u8], attribute: bool| {
        (hot.contains(w) && !(attribute && builtin_only.contains(w)))
            || (hot_if_imported.contains(w) && imported.contains(w))
    };
    let mut aliases: HashSet<Vec<u8>> = HashSet::new();
    // Units and lines are both in source order: walk them together.
    let mut unit_ix = 0usize;
    for (li, l) in lx.lines.iter().enumerate() {
        while unit_ix + 1 < units.len() && units[unit_ix].range.end <= l.offset {
            unit_ix += 1;
        }
        let (w0, _) = first_words(src, &lx, l);
        let import = w0 == b"import" || w0 == b"from";
        let in_statement = units.get(unit_ix).is_some_and(|u| {
            matches!(u.kind, UnitKind::Statement | UnitKind::Pinned) && u.range.contains(&l.offset)
        });
        if !(import || in_statement && l.indent <= 8) {
            continue;
        }
        let end = lx
            .lines
            .get(li + 1)
            .map(|x| x.ident_ix)
            .unwrap_or(lx.idents.len());
        let ids = &lx.idents[l.ident_ix..end];
        if !ids
            .iter()
            .any(|id| !id.quoted && is_hot_word(word(src, id), id.attribute))
        {
            continue;
        }
        if import {
            for bound in import_bindings(src, ids, &is_hot_word) {
                aliases.insert(bound.to_vec());
            }
        } else {
            // Assignment targets: the bare names before the first `=` of the line.
            let line_end = lx.lines.get(li + 1).map(|x| x.offset).unwrap_or(src.len());
            let text = &src[l.offset..line_end];
            if let Some(eq) = targets_end(text) {
                for id in ids
                    .iter()
                    .filter(|i| !i.quoted && !i.attribute && i.range.0 < l.offset + eq)
                {
                    aliases.insert(word(src, id).to_vec());
                }
            }
        }
    }

    for (ui, u) in units.iter_mut().enumerate() {
        if u.hot {
            continue;
        }
        let ids = &lx.idents[u.idents.clone()];
        let hot_at = |k: usize| {
            let id = &ids[k];
            let w = word(src, id);
            if !id.quoted && aliases.contains(w) && !in_annotation(src, id) {
                return true;
            }
            if !is_hot_word(w, id.attribute) || (id.quoted && !code_like(src, id)) {
                return false;
            }
            match w {
                // `getattr(obj, name)` is everywhere; it can reach a capability only when
                // the object is a module the file imports, or builtins.
                b"getattr" if !id.quoted => ids.get(k + 1).is_some_and(|next| {
                    let between = &src[id.range.1..next.range.0];
                    let arg = word(src, next);
                    between.iter().all(|b| matches!(b, b' ' | b'\t' | b'('))
                        && between.contains(&b'(')
                        && (imported.contains(arg) || hot.contains(arg) || arg == b"sys")
                }),
                // `platform.system()` names the OS; `os.system` runs a command.
                b"system" if id.attribute => k == 0 || word(src, &ids[k - 1]) != b"platform",
                _ => true,
            }
        };
        u.hot = blob_units.contains(&ui) || (0..ids.len()).any(hot_at) || {
            // Offsets are in source order: the first one at or after the unit start.
            let ix = lx.non_ascii_code.partition_point(|&o| o < u.range.start);
            lx.non_ascii_code
                .get(ix)
                .is_some_and(|o| u.range.contains(o))
        };
    }

    // Closures over top-level functions and statements: callees of kept units and the
    // statements binding the names they mention, callers of kept functions.
    let mut by_name: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (ui, u) in units.iter().enumerate() {
        if u.kind == UnitKind::Statement {
            for w in statement_bindings(src, &lx, u) {
                by_name.entry(w.to_vec()).or_default().push(ui);
            }
        }
    }
    let mut mentions: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (ui, u) in units.iter().enumerate() {
        if u.kind == UnitKind::Function {
            by_name
                .entry(u.name.as_bytes().to_vec())
                .or_default()
                .push(ui);
        }
        for id in &lx.idents[u.idents.clone()] {
            if !id.quoted {
                let v = mentions.entry(word(src, id)).or_default();
                if v.last() != Some(&ui) {
                    v.push(ui);
                }
            }
        }
    }
    for seed in seeds {
        for &u in by_name.get(seed).map(Vec::as_slice).unwrap_or(&[]) {
            units[u].hot = true;
        }
    }
    let mut work: Vec<usize> = (0..units.len()).filter(|&i| units[i].hot).collect();
    let mut done_callees = vec![false; units.len()];
    let mut done_callers = vec![false; units.len()];
    // Each name's binders are expanded once: a name bound by 100,000 statements and
    // mentioned by as many made this closure quadratic.
    let mut expanded: HashSet<&[u8]> = HashSet::new();
    while let Some(ui) = work.pop() {
        if !done_callees[ui] {
            done_callees[ui] = true;
            for id in &lx.idents[units[ui].idents.clone()] {
                if id.quoted || !expanded.insert(word(src, id)) {
                    continue;
                }
                for &f in by_name.get(word(src, id)).map(Vec::as_slice).unwrap_or(&[]) {
                    if !units[f].hot {
                        units[f].hot = true;
                        work.push(f);
                    }
                }
            }
        }
        if units[ui].kind == UnitKind::Function && !done_callers[ui] {
            done_callers[ui] = true;
            let callers = mentions
                .get(units[ui].name.as_bytes())
                .cloned()
                .unwrap_or_default();
            for c in callers {
                if !units[c].hot {
                    units[c].hot = true;
                    work.push(c);
                }
            }
        }
    }

    if units.iter().all(|u| u.hot) {
        return Err(Whole::NothingToSkip);
    }
    // For pieces of a larger file: what the kept code mentions, and what skipped code
    // binds (see `reduce_seeded`).
    let mut wants: HashSet<Vec<u8>> = HashSet::new();
    let mut skipped_bindings: HashSet<Vec<u8>> = HashSet::new();
    if pieces {
        for u in units.iter().filter(|u| u.hot) {
            for id in lx.idents[u.idents.clone()].iter().filter(|i| !i.quoted) {
                wants.insert(word(src, id).to_vec());
            }
        }
        for (name, us) in &by_name {
            if us.iter().any(|&u| !units[u].hot) {
                skipped_bindings.insert(name.clone());
            }
        }
    }
    // Names defined in this file: only those matter to the reachability pass.
    let mut local_names: HashSet<&[u8]> = HashSet::new();
    for u in &units {
        let short = u.name.rsplit('.').next().unwrap_or(&u.name);
        if !short.is_empty() {
            local_names.insert(short.as_bytes());
        }
        if let Some((class, _)) = u.name.split_once('.') {
            local_names.insert(class.as_bytes());
        }
    }
    for l in &lx.lines {
        if l.indent == 0 && first_words(src, &lx, l).0 == b"class" {
            local_names.insert(first_words(src, &lx, l).1);
        }
    }
    let mut out = Vec::with_capacity(src.len());
    let mut skipped = Vec::new();
    let mut pos = 0usize;
    // End and indentation of the last skipped unit: a run of adjacent skipped units at
    // one indentation needs one `pass`, not one each (a million filler statements would
    // otherwise parse as a million).
    let mut last_skipped: Option<(usize, usize)> = None;
    for u in &units {
        if u.hot {
            continue;
        }
        out.extend_from_slice(&src[pos..u.range.start]);
        if last_skipped != Some((u.range.start, u.indent)) {
            // `pass` at the unit's indentation keeps the enclosing block well formed.
            out.extend_from_slice(&src[u.range.start..u.range.start + u.indent]);
            out.extend_from_slice(b"pass");
        }
        last_skipped = Some((u.range.end, u.indent));
        out.extend(
            src[u.range.clone()]
                .iter()
                .filter(|&&b| b == b'\n')
                .copied(),
        );
        pos = u.range.end;
        let mut names: Vec<String> = Vec::new();
        let mut seen: HashSet<&[u8]> = HashSet::new();
        let statement = u.kind == UnitKind::Statement;
        // A module-level statement with no call in it (`LOADERS = (LoadStreams,
        // LoadImages)`, `__all__ = [...]`, `Alias = Base`) only binds data: the names it
        // mentions are not called from there. One that calls anything may hand a local
        // function to that call (a callback, a thread target), so its mentions stay calls.
        let binds_only = statement && !has_call(&src[u.range.clone()]);
        for id in &lx.idents[u.idents.clone()] {
            let w = word(src, id);
            // Import-time code may also call what this file imports (cross-file
            // reachability from a package `__init__`).
            let called_import = statement
                && !id.attribute
                && imported.contains(w)
                && src[id.range.1..]
                    .iter()
                    .find(|b| !matches!(b, b' ' | b'\t'))
                    == Some(&b'(');
            if !id.quoted
                && !binds_only
                && (local_names.contains(w) || called_import)
                && seen.insert(w)
            {
                names.push(String::from_utf8_lossy(w).into_owned());
            }
        }
        // A unit with neither strings nor mentions contributes nothing: not kept (a
        // module of a million filler statements would otherwise hold a million entries).
        if names.is_empty() && u.strings.is_empty() {
            continue;
        }
        skipped.push(SkippedUnit {
            statement,
            name: u.name.clone(),
            mentions: names,
            strings: lx.strings[u.strings.clone()]
                .iter()
                .map(|s| (s.2, literal(s), s.3))
                .collect(),
        });
    }
    out.extend_from_slice(&src[pos..]);
    Ok(Reduced {
        source: out,
        skipped,
        wants,
        skipped_bindings,
    })
}

/// Names a statement unit may bind (an over-approximation): bare names left of an
/// assignment's `=` on any of its lines, and the names after `def`, `class`, `for`, `as`.
fn statement_bindings<'s>(src: &'s [u8], lx: &Lexed, u: &Unit) -> Vec<&'s [u8]> {
    let mut out = Vec::new();
    for li in u.lines.clone() {
        let Some(l) = lx.lines.get(li) else { break };
        let end = lx.lines.get(li + 1).map_or(src.len(), |x| x.offset);
        let id_end = lx.lines.get(li + 1).map_or(lx.idents.len(), |x| x.ident_ix);
        let eq = targets_end(&src[l.offset..end]).map(|e| l.offset + e);
        let ids = &lx.idents[l.ident_ix..id_end];
        for (k, id) in ids.iter().enumerate() {
            if id.quoted || id.attribute {
                continue;
            }
            let after_keyword = k > 0
                && matches!(word(src, &ids[k - 1]), b"def" | b"class" | b"for" | b"as")
                && !ids[k - 1].quoted;
            if after_keyword || eq.is_some_and(|e| id.range.0 < e) {
                out.push(word(src, id));
            }
        }
    }
    out
}

/// Whether a word inside a string or comment reads as code rather than prose: an
/// attribute (`os.system`), a call (`exec(`), a module used (`requests.get`) or imported
/// (`import socket`). Docstrings say "the system" and "send requests"; code written to a
/// file or run from a literal spells the call.
fn code_like(src: &[u8], id: &Ident) -> bool {
    let (s, e) = id.range;
    let next = src.get(e).copied();
    let after = src.get(e + 1).copied();
    let before = &src[s.saturating_sub(7)..s];
    id.attribute
        || next == Some(b'(')
        || (next == Some(b'.') && after.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_'))
        || before.ends_with(b"import ")
        || before.ends_with(b"from ")
}

/// Whether a bare name stands where a type annotation does — after `:`, `->`, `|` or `[`
/// and not called (`x: Session`, `-> Response`, `Optional[Session]`): naming a class
/// there runs nothing (`lambda: Session()` and `[Session()]` are calls and count).
fn in_annotation(src: &[u8], id: &Ident) -> bool {
    let (s, e) = id.range;
    let prev = src[..s].iter().rposition(|b| !matches!(b, b' ' | b'\t'));
    let annotated = match prev {
        Some(p) => {
            matches!(src[p], b':' | b'|' | b'[') || (src[p] == b'>' && p > 0 && src[p - 1] == b'-')
        }
        None => false,
    };
    let next = src[e..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .copied();
    annotated && next != Some(b'(')
}

/// Names an import line binds to something hot: every name of `from M import …` when `M`
/// is hot, else each imported name that is itself hot; `import a.b as c` binds `c` (or
/// `a`) when a component is hot.
fn import_bindings<'s>(
    src: &'s [u8],
    ids: &[Ident],
    is_hot_word: &dyn Fn(&[u8], bool) -> bool,
) -> Vec<&'s [u8]> {
    let words: Vec<(&[u8], bool)> = ids
        .iter()
        .filter(|i| !i.quoted)
        .map(|i| (word(src, i), i.attribute))
        .collect();
    let mut out = Vec::new();
    let Some(((first, _), rest)) = words.split_first() else {
        return out;
    };
    let hot = |w: &[u8]| is_hot_word(w, false);
    let (module_hot, items) = if *first == b"from" {
        let Some(imp) = rest.iter().position(|(w, _)| *w == b"import") else {
            return out;
        };
        (rest[..imp].iter().any(|(w, _)| hot(w)), &rest[imp + 1..])
    } else {
        (false, rest)
    };
    // Items: a dotted name (later components are attributes), then `as alias`.
    let mut k = 0usize;
    while k < items.len() {
        let start = k;
        k += 1;
        while k < items.len() && items[k].1 {
            k += 1;
        }
        let dotted = &items[start..k];
        let mut bound = dotted[0].0;
        if items.get(k).is_some_and(|(w, _)| *w == b"as") {
            if let Some((alias, _)) = items.get(k + 1) {
                bound = alias;
            }
            k += 2;
        }
        if module_hot || dotted.iter().any(|(w, _)| hot(w)) {
            out.push(bound);
        }
    }
    out
}

/// Where the assignment targets of one logical line end: at its top-level `=` (not
/// `==`, `<=`, `!=`, `>=`, nor a keyword argument inside brackets) or, before that, at an
/// annotation's colon, so `x: str | None = …` binds `x` and not `str` or `None`. A
/// compound statement's colon (`for x in y: z = …`) does not end them. `None` when the
/// line assigns nothing (or a string or comment comes first).
fn targets_end(line: &[u8]) -> Option<usize> {
    let mut depth = 0i32;
    let mut colon = None;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b'#' | b'\'' | b'"' => return None,
            b':' if depth == 0 && colon.is_none() => colon = Some(i),
            b'=' if depth == 0 => {
                let prev = i.checked_sub(1).and_then(|p| line.get(p)).copied();
                let next = line.get(i + 1).copied();
                if next == Some(b'=') || matches!(prev, Some(b'=' | b'<' | b'>' | b'!')) {
                    return None;
                }
                let start = line
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t'))
                    .unwrap_or(i);
                let rest = &line[start..];
                let first = &rest[..rest.iter().take_while(|&&b| is_ident_byte(b)).count()];
                let compound = matches!(
                    first,
                    b"for"
                        | b"if"
                        | b"elif"
                        | b"else"
                        | b"while"
                        | b"with"
                        | b"try"
                        | b"except"
                        | b"finally"
                        | b"async"
                        | b"class"
                        | b"def"
                        | b"lambda"
                );
                return Some(if compound { i } else { colon.unwrap_or(i) });
            }
            _ => {}
        }
    }
    None
}

/// Whether Python source `text` may call something: an opening parenthesis right after a
/// name, a closing bracket or parenthesis (`f(`, `obj.m (`, `table[k](`, `g()(`), or a
/// decorator. Parentheses inside string literals count too, so the answer errs towards
/// "calls".
fn has_call(text: &[u8]) -> bool {
    let mut last = b' ';
    for &b in text {
        match b {
            b'(' if last.is_ascii_alphanumeric()
                || last >= 0x80
                || matches!(last, b'_' | b')' | b']') =>
            {
                return true;
            }
            b'@' => return true,
            b' ' | b'\t' => continue,
            _ => {}
        }
        last = b;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &[u8]) -> bool {
        false
    }

    fn pad(s: &str) -> String {
        s.to_owned()
    }

    #[test]
    fn skips_cold_functions_and_methods_keeping_rows() {
        let src = pad(
            "import os\nimport subprocess\n\ndef cold(a):\n    return a + 1\n\n\
             def hot():\n    subprocess.call(['x'])\n\nclass K:\n    \"\"\"doc\"\"\"\n    x = 1\n\n    \
             def m(self):\n        return 'text'\n\n    @property\n    def n(self):\n        \
             os.system('y')\n\nprint(cold(1))\nsubprocess.call(cold(2))\ncounter = len('z')\n",
        );
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let text = String::from_utf8(r.source.clone()).expect("utf8");
        assert_eq!(text.lines().count(), src.lines().count());
        // cold is called from hot module-level code: kept (it may be inlined), and so is
        // every caller of it; K.m, the class's docstring, `x = 1` and the `counter`
        // statement are skipped; the class header stays.
        assert!(text.contains("def cold"), "{text}");
        assert!(!text.contains("def m(self)"), "{text}");
        assert!(text.contains("os.system('y')"), "{text}");
        assert!(text.contains("class K:"), "{text}");
        assert!(!text.contains("x = 1"), "{text}");
        assert!(text.contains("print(cold(1))"), "{text}");
        assert!(!text.contains("counter"), "{text}");
        let names: Vec<&str> = r.skipped.iter().map(|s| s.name.as_str()).collect();
        // `x = 1` names no string and no local function: nothing to record.
        assert_eq!(names, ["", "K.m", ""]);
        assert!(r.skipped[0].statement && !r.skipped[1].statement);
        assert_eq!(r.skipped[1].strings[0].1, "'text'");
        assert_eq!(r.skipped[2].strings[0].1, "'z'");
        // Rows: every kept line sits where it was.
        for (a, b) in src.lines().zip(text.lines()) {
            if !b.trim().is_empty() && b.trim() != "pass" {
                assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn statements_kept_only_when_they_could_matter() {
        let src = pad(concat!(
            "import subprocess\n",
            "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n",
            "URL = 'https://example.invalid/x'\n",
            "OTHER = {'a': 1, 'b': [2, 3]}\n",
            "BASE = 'cmd'\n",
            "FULL = BASE + ' --flag'\n",
            "class C:\n    mode = 'run'\n    size = 3\n    def go(self):\n",
            "        subprocess.run([self.mode, URL, FULL])\n",
            "if __name__ == '__main__':\n    C().go()\n",
            "launch = C()\n",
        ));
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let text = String::from_utf8(r.source.clone()).expect("utf8");
        assert_eq!(text.lines().count(), src.lines().count());
        // Kept: imports (also inside try), bindings a hot unit reads (directly or through
        // another kept binding, `self.mode` included), the main guard.
        for kept in [
            "import yaml",
            "URL =",
            "FULL =",
            "BASE =",
            "mode = 'run'",
            "if __name__",
        ] {
            assert!(text.contains(kept), "{kept} missing:\n{text}");
        }
        for gone in ["OTHER =", "size = 3", "launch = C()"] {
            assert!(!text.contains(gone), "{gone} kept:\n{text}");
        }
        // The skipped statement that instantiates `C` is an import-time call edge.
        let launch = r
            .skipped
            .iter()
            .find(|u| u.mentions.iter().any(|m| m == "C"))
            .expect("launch skipped");
        assert!(launch.statement);
        // The skipped class attribute keeps its string literals.
        assert!(
            r.skipped
                .iter()
                .any(|u| u.strings.iter().any(|s| s.1 == "'a'"))
        );
    }

    /// A skipped module-level statement that only binds data (a tuple of classes, an
    /// alias) does not call what it names; one with a call, or a decorator, may.
    #[test]
    fn binding_only_statements_mention_no_calls() {
        let src = pad(concat!(
            "import subprocess
",
            "class Loader:
    def go(self):
        subprocess.run(['x'])
",
            "class Other:
    pass
",
            "LOADERS = (Loader, Other)
",
            "Alias = Loader
",
            "registry = dict(loader=Loader)
",
        ));
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let mentions: Vec<&str> = r
            .skipped
            .iter()
            .filter(|u| u.statement)
            .flat_map(|u| u.mentions.iter().map(String::as_str))
            .collect();
        assert_eq!(mentions, ["Loader"], "{:?}", r.skipped);
        assert!(super::has_call(b"x = f (1)"));
        assert!(super::has_call(b"x = table[k](1)"));
        assert!(super::has_call(b"@register"));
        assert!(!super::has_call(b"X = (A, B)\n"));
        assert!(!super::has_call(b"X = [A, (B, C)]"));
    }

    #[test]
    fn aliases_and_imported_words_are_hot() {
        let body = "    return 1\n".repeat(3);
        let src = format!(
            "from os import system as run\nimport requests\nx = requests\n\n\
             def a():\n    run('id')\n\ndef b():\n    requests.get('u')\n\ndef c():\n{body}"
        );
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let names: Vec<&str> = r.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["c"]);
        // `requests` as a plain variable in a file that does not import it is not hot.
        let src2 = "def f(requests):\n    return requests\n\ndef g():\n    return 2\n";
        let r = reduce(src2.as_bytes(), &never).expect("reduced");
        assert_eq!(r.skipped.len(), 2);
    }

    #[test]
    fn prose_and_annotations_do_not_make_units_hot() {
        let src = concat!(
            "import os\n",
            "from requests import Session\n",
            "timeout: int | None = os.environ.get('T')\n",
            "\n",
            "def doc():\n",
            "    \"\"\"Send requests to the system; see the file system.\"\"\"\n",
            "    return None\n",
            "\n",
            "def typed(s: Session, n: int | None) -> Optional[Session]:\n",
            "    return s\n",
            "\n",
            "def makes():\n",
            "    return Session()\n",
            "\n",
            "def written():\n",
            "    return 'import os\\nos.system(\"id\")'\n",
            "\n",
            "def factory():\n",
            "    return lambda: Session()\n",
        );
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let names: Vec<&str> = r.skipped.iter().map(|s| s.name.as_str()).collect();
        // Prose names words (`system`), annotations name classes (`Session`, and `int`
        // and `None` of `timeout: int | None = …` are not bound); a call of the alias and
        // code spelled in a literal keep their units.
        assert_eq!(
            names,
            ["doc", "typed"],
            "{}",
            String::from_utf8_lossy(&r.source)
        );
    }

    #[test]
    fn targets_end_at_annotations_not_compound_colons() {
        assert_eq!(targets_end(b"x: str | None = v"), Some(1));
        assert_eq!(targets_end(b"a, b = v"), Some(5));
        assert_eq!(targets_end(b"d[k: v] = w"), Some(8));
        assert_eq!(targets_end(b"for x in y: z = v"), Some(14));
        assert_eq!(targets_end(b"if a == b: pass"), None);
    }

    #[test]
    fn attribute_compile_is_not_the_builtin() {
        let src = "import re\n\ndef f():\n    return re.compile('x')\n\ndef g():\n    return compile('x', 'f', 'exec')\n";
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let names: Vec<&str> = r.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["f"]);
    }

    #[test]
    fn indicators_blobs_and_strings_in_code() {
        let src = "def f():\n    return '~/.ssh/id_rsa'\n";
        assert!(
            reduce(src.as_bytes(), &|s: &[u8]| s
                .windows(4)
                .any(|w| w == b".ssh"))
            .is_err()
        );
        let blob = "aGVsbG8gd29ybGQ1".repeat(5);
        let src = format!("def f():\n    return '{blob}'\n\ndef g():\n    return 1\n");
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].name, "g");
        // Code carried in a literal (written to a file, then run) counts.
        let src = "def f(p):\n    open(p, 'w').write('import os; os.system(1)')\n\ndef g():\n    return 1\n";
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].name, "g");
    }

    #[test]
    fn callers_of_kept_functions_are_kept() {
        let src = "import base64\n\ndef dec(s):\n    return base64.b64decode(s)\n\n\
                   def load(s):\n    return dec(s)\n\ndef other():\n    return 3\n";
        let r = reduce(src.as_bytes(), &never).expect("reduced");
        let names: Vec<&str> = r.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["other"]);
    }

    #[test]
    fn strings_with_brackets_and_continuations_do_not_split_units() {
        let src = "def f():\n    x = '''\ndef fake():\n    pass\n'''\n    y = (1,\n2)\n    return x \\\n+ y\n\ndef g():\n    return 1\n";
        let lx = lex(src.as_bytes());
        let u = units(src.as_bytes(), &lx);
        let names: Vec<&str> = u.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["f", "g"]);
    }

    /// Every API name the capability table classifies has a component the prefilter
    /// counts as hot, so a unit calling it is never skipped. Read from the table's
    /// source so that new entries are checked too.
    #[test]
    fn every_classified_api_has_a_hot_component() {
        let table = include_str!("apis.rs");
        let body = table
            .split("pub(crate) fn classify_call")
            .nth(1)
            .and_then(|b| b.split("#[cfg(test)]").next())
            .expect("classify_call in apis.rs");
        let (hot, hot_if_imported, _) = &*WORDS;
        let mut checked = 0;
        for piece in body.split('"').skip(1).step_by(2) {
            if piece.is_empty()
                || !piece
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                || piece.starts_with('.')
            {
                continue;
            }
            let covered = piece
                .split('.')
                .any(|c| hot.contains(c.as_bytes()) || hot_if_imported.contains(c.as_bytes()));
            // File opens and plain file operations are correlated through strings, which
            // are recorded for skipped units and keep indicator files whole.
            let exempt = matches!(
                piece,
                "open"
                    | "io.open"
                    | "codecs.open"
                    | "os.makedirs"
                    | "os.mkdir"
                    | "shutil.copy"
                    | "shutil.copy2"
                    | "shutil.copyfile"
                    | "shutil.move"
                    | "os.rename"
                    | "os.replace"
                    | "os.walk"
                    | "glob.glob"
                    | "os.listdir"
                    | "os.scandir"
                    | "pathlib.Path.rglob"
                    | "glob.iglob"
                    | "os.environ.__str__"
                    | "os.environ.__repr__"
                    // Prefix families: their members are listed one by one in HOT.
                    | "os.exec"
                    | "os.spawn"
            );
            assert!(covered || exempt, "no hot component in {piece}");
            checked += 1;
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "\"\"\"",
            "def",
            "class",
            "@",
            "@x\n",
            "class A:\n",
            "  x\ndef f(:\n",
            "'\\",
            "f'",
            "\u{1d5c2}mport",
        ] {
            let _ = reduce(s.as_bytes(), &never);
        }
    }
}

/// Every identifier of `src` outside strings and comments (for a piece of a large file
/// that is parsed whole: anything it mentions may be bound elsewhere).
pub(crate) fn identifiers(src: &[u8]) -> HashSet<Vec<u8>> {
    let lx = lex(src);
    lx.idents
        .iter()
        .filter(|i| !i.quoted)
        .map(|i| word(src, i).to_vec())
        .collect()
}

/// Where a text larger than `chunk` bytes may be cut into separately parsed pieces of
/// at least `chunk` bytes each: byte offsets of top-level statement starts (a logical line
/// at indentation 0, outside brackets, strings and continuations, that does not continue
/// the statement before it: `else`/`elif`/`except`/`finally`, or a definition below a
/// decorator), in ascending order, the first piece starting at 0. One pass, memory by
/// the number of pieces, not of lines (issue 21, memory: a 16 MiB module parsed whole
/// cost 1.8 GB of parse tree).
pub(crate) fn chunk_starts(src: &[u8], chunk: usize) -> Vec<usize> {
    let n = src.len();
    let mut out = vec![0usize];
    let mut i = 0usize;
    let mut depth = 0u32;
    let mut at_line_start = true;
    let mut continued = false;
    let mut after_decorator = false;
    while i < n {
        if at_line_start {
            at_line_start = false;
            let start = i;
            while i < n && matches!(src[i], b' ' | b'\t' | b'\x0c') {
                i += 1;
            }
            let logical = depth == 0 && !continued;
            continued = false;
            if logical && i < n && !matches!(src[i], b'\n' | b'\r' | b'#') {
                if i == start {
                    let rest = &src[i..n.min(i + 9)];
                    let word_is = |w: &[u8]| {
                        rest.starts_with(w) && rest.get(w.len()).is_none_or(|b| !is_ident_byte(*b))
                    };
                    let continues = after_decorator
                        || [&b"else"[..], b"elif", b"except", b"finally"]
                            .iter()
                            .any(|w| word_is(w));
                    let last = out.last().copied().unwrap_or(0);
                    if !continues && start - last >= chunk {
                        out.push(start);
                    }
                    after_decorator = src[i] == b'@';
                } else {
                    after_decorator = false;
                }
            }
            continue;
        }
        match src[i] {
            b'\n' => {
                at_line_start = true;
                i += 1;
            }
            b'#' => {
                while i < n && src[i] != b'\n' {
                    i += 1;
                }
            }
            b'\\' => match continuation(src, i) {
                Some(len) => {
                    continued = true;
                    at_line_start = true;
                    i += len;
                }
                None => i += 1,
            },
            b'(' | b'[' | b'{' => {
                depth = depth.saturating_add(1);
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\'' | b'"' => i = string_end(src, i).0,
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod chunk_tests {
    use super::chunk_starts;

    #[test]
    fn cuts_only_between_top_level_statements() {
        let src = b"x = (1,\n2)\ns = '''\ny = 1\n'''\nif a:\n    b\nelse:\n    c\n@d\ndef f():\n    pass\nz = 1\n";
        let cuts = chunk_starts(src, 1);
        let at = |s: &str| {
            let p = std::str::from_utf8(src).unwrap().find(s).unwrap();
            cuts.contains(&p)
        };
        assert!(at("s = "));
        assert!(at("if a"));
        assert!(at("@d"));
        assert!(at("z = 1"));
        assert!(!at("2)"), "inside brackets");
        assert!(!at("y = 1"), "inside a string");
        assert!(!at("else"), "continues the if");
        assert!(!at("def f"), "below its decorator");
        assert!(!at("    b"));
        assert_eq!(cuts[0], 0);
        assert_eq!(chunk_starts(src, 1 << 20), vec![0]);
    }
}
