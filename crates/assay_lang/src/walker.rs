//! The tree walk: import aliases, scopes and bindings, execution context, constant
//! folding, taint, and recursion into decoded code.

use crate::apis::{EventKind, classify_call, normalize};
use crate::decode;
use crate::prefilter;
use crate::value::{Value, parse_string_literal};
use crate::{Analysis, Bounds, Event, FileRole, FnName, StrLit, Taint};
use assay_core::ExecutionContext;
use std::collections::HashMap;
use tree_sitter::{Node, Parser};

thread_local! {
    /// The thread's Python parser (`None` inside if the grammar failed to load).
    static PARSER: std::cell::RefCell<Option<Option<Parser>>> = const { std::cell::RefCell::new(None) };
}

/// Deepest syntax nesting walked; deeper subtrees are skipped (and the result marked
/// truncated) so hostile nesting cannot exhaust the stack.
const MAX_NESTING: u32 = 160;
/// Most elements a folded list or comprehension may have.
const MAX_ELEMS: usize = 200_000;
/// Longest string recorded in [`Analysis::strings`].
const MAX_RECORDED_STRING: usize = 64 * 1024;
/// Deepest nesting of inlined local-function calls.
const MAX_INLINE: u32 = 3;

/// Base classes that make a class a setuptools/distutils command.
const COMMAND_BASES: [&str; 12] = [
    "install",
    "develop",
    "egg_info",
    "build_py",
    "sdist",
    "bdist_wheel",
    "build_ext",
    "build",
    "install_lib",
    "install_scripts",
    "easy_install",
    "bdist_egg",
];

pub(crate) fn analyze(
    source: &[u8],
    role: FileRole,
    bounds: &Bounds,
    is_indicator: Option<prefilter::Indicator<'_>>,
) -> Analysis {
    // PEP 263: CPython decodes the file with its declared codec before parsing. With
    // `unicode_escape` or `utf_7` the bytes a parser sees are noise (`\x69\x6d…`) while
    // the program is ordinary Python, so the decoded text is what is analysed (issue 21,
    // item 5). The codec is recorded either way for the rules.
    let codec = decode::pep263_codec(source);
    if let Some(c) = codec.as_deref()
        && let Some(text) = decode::pep263_decode(source, c, bounds.max_source_bytes)
    {
        let mut out = analyze_text(&text, role, bounds, None);
        let step = format!("line 1: source decoded as {c} (PEP 263)");
        for e in &mut out.events {
            e.chain.insert(0, step.clone());
        }
        for st in &mut out.strings {
            st.chain.insert(0, step.clone());
        }
        out.source_encoding = Some(c.to_owned());
        return out;
    }
    let mut out = analyze_text(source, role, bounds, is_indicator);
    out.source_encoding = codec;
    out
}

fn analyze_text(
    source: &[u8],
    role: FileRole,
    bounds: &Bounds,
    is_indicator: Option<prefilter::Indicator<'_>>,
) -> Analysis {
    let mut out = Analysis::default();
    let mut budget = bounds.max_nodes;
    let forced = match role {
        FileRole::SetupScript => Some(ExecutionContext::InstallTime),
        FileRole::Startup => Some(ExecutionContext::Startup),
        FileRole::Script => Some(ExecutionContext::Runtime),
        FileRole::ModelCode => Some(ExecutionContext::ImportTime),
        _ => None,
    };
    let mut lines = 0u32;
    for l in source.split(|&b| b == b'\n') {
        lines = lines.saturating_add(1);
        out.max_line_len = out.max_line_len.max(l.len());
    }
    out.lines = lines;
    // Code that runs by itself (install, startup) is always parsed whole.
    let reducible = matches!(
        role,
        FileRole::Module | FileRole::PackageInit | FileRole::Script
    ) && source.len() >= prefilter::MIN_REDUCE_BYTES;
    let (reduced, why) = match is_indicator.filter(|_| reducible) {
        None => (None, crate::ParseWhy::WholeByRoleOrSize),
        Some(f) if source.len() > REDUCE_PIECE_BYTES => reduce_in_pieces(source, f),
        Some(f) => match prefilter::reduce(source, f) {
            Ok(r) => (Some(r), crate::ParseWhy::Reduced),
            Err(prefilter::Whole::Indicator) => (None, crate::ParseWhy::WholeIndicator),
            Err(prefilter::Whole::NothingToSkip) => (None, crate::ParseWhy::WholeAllNeeded),
        },
    };
    let parsed = reduced.as_ref().map_or(source, |r| r.source.as_slice());
    crate::STATS.record(why, source.len(), parsed.len());
    let mut calls = Vec::new();
    run(
        parsed,
        forced,
        Vec::new(),
        None,
        0,
        bounds,
        &mut out,
        &mut budget,
        &mut calls,
    );
    if out.syntax_errors > 0 {
        // The parsed text: skipped units are blank there, and rows are unchanged.
        recover_unparsed_spawns(parsed, forced, &mut out);
    }
    if let Some(r) = reduced {
        add_skipped(&mut out, &mut calls, r.skipped, forced, bounds);
    }
    if forced.is_none() {
        promote_reachable(&mut out, &calls);
    }
    // Each edge once: reachability needs the edges, not every call site.
    let mut seen = std::collections::HashSet::new();
    out.local_calls = calls
        .iter()
        .filter(|c| c.direct && (c.caller.is_some() || c.module_level_import))
        .filter(|c| seen.insert((c.caller.as_deref(), c.callee.as_str())))
        .map(|c| (c.caller.clone(), c.callee.clone()))
        .take(MAX_ELEMS)
        .collect();
    // Callers keep every file's analysis until the artifact is judged (cross-file
    // reachability): hand back only what is used.
    dedup_strings(&mut out.strings);
    out.strings.shrink_to_fit();
    out.events.shrink_to_fit();
    out.event_seen = Default::default();
    out.interned = Default::default();
    out
}

/// Keep the first occurrence of each string literal per enclosing function, execution
/// context and decode chain; later ones at other lines are dropped. Rules ask whether a
/// function, a context or a decoded child holds a value (and report its first line), never
/// how often: a generated argument table repeats `'type'`, `'str'` and `'default'`
/// thousands of times, and every copy was 64 bytes held until the artifact is judged
/// (ansible's wheel: 1.48 million literals, 0.71 million distinct by this key).
fn dedup_strings(strings: &mut Vec<crate::StrLit>) {
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::with_capacity(strings.len());
        strings
            .iter()
            .map(|s| seen.insert((&*s.value, s.function.as_deref(), s.context, &s.chain)))
            .collect()
    };
    let mut i = 0;
    strings.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Texts larger than this are reduced piece by piece (see [`reduce_in_pieces`]).
const REDUCE_PIECE_BYTES: usize = 2 << 20;

/// Reduce a large text in pieces of about [`REDUCE_PIECE_BYTES`] cut between top-level
/// statements, so the prefilter's per-unit tables stay bounded by the piece (a 16 MiB
/// module of one-line statements held 3.3 million units at once). The reduced pieces keep
/// their rows, so their concatenation is the reduced text; skipped units' string lines
/// are shifted to whole-text rows. What a hot unit needs from another piece (a helper
/// function, a constant) is not kept for it: for such files the analysis is per piece,
/// while bindings still carry across pieces in the walk.
fn reduce_in_pieces(
    source: &[u8],
    is_indicator: prefilter::Indicator<'_>,
) -> (Option<prefilter::Reduced>, crate::ParseWhy) {
    use foldhash::{HashSet, HashSetExt};
    let cuts = prefilter::chunk_starts(source, REDUCE_PIECE_BYTES);
    let piece = |k: usize| {
        let start = cuts.get(k).copied().unwrap_or(source.len());
        let end = cuts.get(k + 1).copied().unwrap_or(source.len());
        source.get(start..end).unwrap_or_default()
    };
    // Pass 1: each piece alone; what its kept code mentions is wanted everywhere.
    let mut results: Vec<Option<prefilter::Reduced>> = Vec::with_capacity(cuts.len());
    let mut wants: HashSet<Vec<u8>> = HashSet::new();
    for k in 0..cuts.len() {
        match prefilter::reduce_seeded(piece(k), is_indicator, &HashSet::new(), true) {
            Ok(mut r) => {
                wants.extend(std::mem::take(&mut r.wants));
                results.push(Some(r));
            }
            Err(_) => {
                // Parsed whole: everything it mentions may be wanted.
                wants.extend(prefilter::identifiers(piece(k)));
                results.push(None);
            }
        }
    }
    // Pass 2: a piece whose skipped code binds a wanted name is reduced again with it kept
    // (a constant or helper defined far from the code that uses it).
    for (k, slot) in results.iter_mut().enumerate() {
        let redo = slot
            .as_ref()
            .is_some_and(|r| r.skipped_bindings.iter().any(|n| wants.contains(n)));
        if redo {
            *slot = prefilter::reduce_seeded(piece(k), is_indicator, &wants, false).ok();
        }
    }
    let mut out = prefilter::Reduced {
        source: Vec::with_capacity(source.len()),
        skipped: Vec::new(),
        wants: HashSet::new(),
        skipped_bindings: HashSet::new(),
    };
    let mut any = false;
    let mut rows = 0u32;
    for (k, slot) in results.into_iter().enumerate() {
        let text = piece(k);
        match slot {
            Some(r) => {
                any = true;
                out.source.extend_from_slice(&r.source);
                for mut u in r.skipped {
                    for (line, _, _) in &mut u.strings {
                        *line = line.saturating_add(rows);
                    }
                    out.skipped.push(u);
                }
            }
            None => out.source.extend_from_slice(text),
        }
        let newlines = memchr::memchr_iter(b'\n', text).count();
        rows = rows.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
    }
    if any {
        (Some(out), crate::ParseWhy::Reduced)
    } else {
        (None, crate::ParseWhy::WholeAllNeeded)
    }
}

/// What the walker would have recorded of units the prefilter left out: their string
/// literals (runtime context) and the names they mention as call edges.
fn add_skipped(
    out: &mut Analysis,
    calls: &mut Vec<LocalCall>,
    skipped: Vec<prefilter::SkippedUnit>,
    forced: Option<ExecutionContext>,
    bounds: &Bounds,
) {
    for unit in skipped {
        let name: FnName = unit.name.as_str().into();
        for (line, text, bare) in unit.strings {
            if out.strings.len() >= bounds.max_strings {
                out.truncated = true;
                break;
            }
            let mut value = parse_string_literal(&text)
                .and_then(|v| v.as_text())
                .unwrap_or(text);
            if bare && crate::is_prose(&value) {
                continue;
            }
            if value.len() > MAX_RECORDED_STRING {
                let mut end = MAX_RECORDED_STRING;
                while !value.is_char_boundary(end) {
                    end -= 1;
                }
                value.truncate(end);
            }
            let (context, function) = if unit.statement {
                (ExecutionContext::ImportTime, None)
            } else {
                (ExecutionContext::Runtime, Some(name.clone()))
            };
            let value = out.intern(&value);
            out.strings.push(StrLit {
                value,
                line,
                context: forced.unwrap_or(context),
                chain: Vec::new(),
                function,
                in_table: false,
            });
        }
        if forced.is_some() {
            continue;
        }
        if unit.statement {
            // Module-level and class-body code runs at import time: what it mentions is
            // called from there (an over-approximation for code that was not parsed).
            for m in unit.mentions {
                calls.push(LocalCall {
                    caller: None,
                    callee: m,
                    module_level_import: true,
                    direct: true,
                });
            }
            continue;
        }
        let class = unit.name.split_once('.').map(|(c, _)| c.to_owned());
        for m in unit.mentions {
            if let Some(c) = &class {
                calls.push(LocalCall {
                    caller: Some(name.clone()),
                    callee: format!("{c}.{m}"),
                    module_level_import: false,
                    // A mention may be a call: counted as one (over-approximation only
                    // for names in code that was not parsed).
                    direct: true,
                });
            }
            calls.push(LocalCall {
                caller: Some(name.clone()),
                callee: m,
                module_level_import: false,
                direct: true,
            });
        }
    }
}

/// Most lines the unparsed-spawn fallback looks at.
const MAX_FALLBACK_LINES: usize = 200_000;

/// Fallback for files with syntax errors: a line that calls `os.system(`/`popen(`/
/// `subprocess.*(` but yielded no process event (tree-sitter's recovery dropped the call,
/// e.g. nested quotes inside the command string) is recorded as a process start with the
/// line's text as its command, so command-shape rules still see it. Python itself would
/// refuse such a file, but broken malware is still malware and a parser that gives up
/// must not turn into "clean".
fn recover_unparsed_spawns(source: &[u8], forced: Option<ExecutionContext>, out: &mut Analysis) {
    const CALLS: [(&str, &str); 5] = [
        (".system(", "os.system"),
        (".popen(", "os.popen"),
        ("Popen(", "subprocess.Popen"),
        ("subprocess.call(", "subprocess.call"),
        ("subprocess.run(", "subprocess.run"),
    ];
    let seen: std::collections::HashSet<u32> = out
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ProcessSpawn && e.chain.is_empty())
        .map(|e| e.line)
        .collect();
    for (i, raw) in source
        .split(|&b| b == b'\n')
        .take(MAX_FALLBACK_LINES)
        .enumerate()
    {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if seen.contains(&line_no) {
            continue;
        }
        let text = String::from_utf8_lossy(raw);
        let Some((pos, api)) = CALLS
            .iter()
            .find_map(|(tok, api)| text.find(tok).map(|p| (p, *api)))
        else {
            continue;
        };
        let trimmed = text.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let indented = trimmed.len() != text.len();
        let context = forced.unwrap_or(if indented {
            ExecutionContext::Runtime
        } else {
            ExecutionContext::ImportTime
        });
        let cmd: String = text
            .get(pos..)
            .unwrap_or_default()
            .chars()
            .take(400)
            .collect();
        out.events.push(Event {
            kind: EventKind::ProcessSpawn,
            api: api.to_owned(),
            context,
            line: line_no,
            column: u32::try_from(pos + 1).unwrap_or(1),
            chain: Vec::new(),
            snippet: text.trim().chars().take(200).collect(),
            arg: Some(cmd),
            taint: Taint::LITERAL,
            function: None,
        });
    }
}

/// A call from code in `caller` (None = module level) to a local name, for the
/// reachability pass.
#[derive(Debug, Clone)]
struct LocalCall {
    caller: Option<FnName>,
    callee: String,
    module_level_import: bool,
    /// Called by name (`f()`, `self.f()`), not handed over as an argument.
    direct: bool,
}

/// What a function does with its parameters: the indices of the parameters that name a
/// file it writes network bytes to, and of those that name what it starts as a process.
#[derive(Debug, Clone, Default)]
struct ParamEffects {
    downloads_to: Vec<usize>,
    runs: Vec<usize>,
}

impl ParamEffects {
    fn is_empty(&self) -> bool {
        self.downloads_to.is_empty() && self.runs.is_empty()
    }
}

/// The name a function is called by (`Class.method` → `method`).
fn name_of(qualified: &str) -> String {
    qualified.rsplit('.').next().unwrap_or(qualified).to_owned()
}

/// The parameter effects of one function from the events of its own body (`events` are
/// those recorded while walking it; nested functions' events name their own function).
/// A download lands in parameter `k` when network bytes are written (within three lines
/// of opening it) to the file `k` names, `urlretrieve(url, k)` saves to it, or a helper
/// call downloads to it; a process start runs `k` when `k` appears in the call's
/// arguments (`Popen(k)`, `os.system(f"./{k}")`, a helper that runs its argument).
fn param_effects(events: &[Event], function: &FnName, params: &[String]) -> ParamEffects {
    let mut out = ParamEffects::default();
    let own: Vec<&Event> = events
        .iter()
        .filter(|e| e.function.as_ref() == Some(function) && e.chain.is_empty())
        .collect();
    let index = |name: &str| {
        params
            .iter()
            .position(|p| p == name && !matches!(p.as_str(), "self" | "cls" | ""))
    };
    let add = |v: &mut Vec<usize>, k: usize| {
        if !v.contains(&k) {
            v.push(k);
        }
    };
    for d in &own {
        let targets: Vec<&str> = match d.kind {
            EventKind::CallDownloadsTo => d.arg.as_deref().into_iter().collect(),
            EventKind::Download => crate::nth_arg(&d.snippet, 1).into_iter().collect(),
            EventKind::FileWrite if d.taint.has(Taint::NETWORK) => own
                .iter()
                .filter(|w| crate::opens_file_of(w, d))
                .filter_map(|w| crate::nth_arg(&w.snippet, 0))
                .collect(),
            _ => Vec::new(),
        };
        for t in targets {
            if let Some(k) = index(t) {
                add(&mut out.downloads_to, k);
            }
        }
    }
    for r in &own {
        let named: Vec<&str> = match r.kind {
            EventKind::CallRuns => r.arg.as_deref().into_iter().collect(),
            EventKind::ProcessSpawn => crate::nth_arg(&r.snippet, 0)
                .map(program_names)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for w in named {
            if let Some(k) = index(w) {
                add(&mut out.runs, k);
            }
        }
    }
    out
}

/// The names that can be the program of a process start, from the source text of its
/// first argument: the first element of a list, the first word of a command string or
/// f-string (`f"./{exe} &"` → `exe`), or the word after an interpreter or launcher
/// (`["python", script]`, `"start /B " + exe`). Arguments of the program (`tar xf
/// {archive}`) are not the program.
fn program_names(arg: &str) -> Vec<&str> {
    const LAUNCHERS: [&str; 16] = [
        "python",
        "python3",
        "pythonw",
        "py",
        "sh",
        "bash",
        "cmd",
        "/c",
        "/C",
        "start",
        "/B",
        "/b",
        "nohup",
        "powershell",
        "wscript",
        "cscript",
    ];
    let words: Vec<&str> = arg
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '/' || c == '.'))
        .map(|w| w.trim_start_matches("./"))
        .filter(|w| !w.is_empty() && *w != "f" && *w != "r" && *w != "b")
        .collect();
    let mut out = Vec::new();
    for w in words.iter().take(4) {
        let launcher = LAUNCHERS.contains(w) || w.starts_with('-');
        out.push(*w);
        if !launcher {
            break;
        }
    }
    out
}

/// Functions called from module-level import-time code (transitively) run at import:
/// relabel their runtime events and strings as import-time.
fn promote_reachable(out: &mut Analysis, calls: &[LocalCall]) {
    use std::collections::BTreeSet;
    let mut reach: BTreeSet<String> = calls
        .iter()
        .filter(|c| c.caller.is_none() && c.module_level_import)
        .map(|c| c.callee.clone())
        .collect();
    for _ in 0..64 {
        let before = reach.len();
        for c in calls {
            if c.caller.as_deref().is_some_and(|f| reach.contains(f)) {
                reach.insert(c.callee.clone());
            }
        }
        if reach.len() == before {
            break;
        }
    }
    // Instantiating a local class runs its `__init__`; starting a Thread subclass, `run`.
    let classes: Vec<String> = reach.iter().cloned().collect();
    for c in classes {
        reach.insert(format!("{c}.__init__"));
        reach.insert(format!("{c}.run"));
    }
    let promote = |f: &Option<FnName>, ctx: &mut ExecutionContext| {
        if *ctx == ExecutionContext::Runtime && f.as_deref().is_some_and(|f| reach.contains(f)) {
            *ctx = ExecutionContext::ImportTime;
        }
    };
    for e in &mut out.events {
        promote(&e.function, &mut e.context);
    }
    for s in &mut out.strings {
        promote(&s.function, &mut s.context);
    }
    out.reachable_functions = reach.into_iter().collect();
}

#[allow(clippy::too_many_arguments)]
fn run(
    source: &[u8],
    forced: Option<ExecutionContext>,
    chain: Vec<String>,
    function: Option<FnName>,
    depth: u32,
    bounds: &Bounds,
    out: &mut Analysis,
    budget: &mut usize,
    calls: &mut Vec<LocalCall>,
) {
    let src = if source.len() > bounds.max_source_bytes {
        out.truncated = true;
        out.unwalked = true;
        &source[..bounds.max_source_bytes]
    } else {
        source
    };
    // A large text is parsed in pieces of about `PARSE_CHUNK_BYTES`, cut between
    // top-level statements, one tree alive at a time: tree-sitter's tree costs 50–400
    // bytes per node, so a 16 MiB module of one-line statements took 1.8 GB parsed whole.
    // Positions stay those of the whole text (tree-sitter's included ranges). Bindings
    // and the taint of what functions return carry from piece to piece; a function
    // body is inlined only within its own piece.
    let cuts = if src.len() > PARSE_CHUNK_BYTES {
        crate::prefilter::chunk_starts(src, PARSE_CHUNK_BYTES)
    } else {
        vec![0]
    };
    let mut scopes = vec![HashMap::new()];
    let mut fn_returns = HashMap::new();
    let mut param_effects = HashMap::new();
    let mut funcs: Vec<FnName> = function.into_iter().collect();
    for (k, &start) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).copied().unwrap_or(src.len());
        let tree = parse_range(src, start, end, cuts.len() > 1);
        let Some(tree) = tree else {
            out.truncated = true;
            out.unwalked = true;
            return;
        };
        let mut w = Walker {
            src,
            forced,
            chain: chain.clone(),
            depth,
            bounds,
            out: &mut *out,
            budget: &mut *budget,
            scopes: std::mem::take(&mut scopes),
            fn_depth: 0,
            main_guard: false,
            nesting: 0,
            in_decoder: false,
            funcs: std::mem::take(&mut funcs),
            class: None,
            calls: &mut *calls,
            local_fns: HashMap::new(),
            fn_returns: std::mem::take(&mut fn_returns),
            param_effects: std::mem::take(&mut param_effects),
            inline_depth: 0,
            returned: None,
            bare_string: false,
        };
        let root = tree.root_node();
        w.visit(root);
        scopes = w.scopes;
        fn_returns = w.fn_returns;
        param_effects = w.param_effects;
        funcs = w.funcs;
    }
}

/// Texts larger than this are parsed in pieces (see [`run`]).
pub(crate) const PARSE_CHUNK_BYTES: usize = 1 << 20;

/// Parse `src[start..end]` (the whole text when `ranged` is false) with this thread's
/// parser. One parser per thread, reused for every file and decoded child: creating a
/// parser and loading the grammar per text showed up in profiles of large packages.
fn parse_range(src: &[u8], start: usize, end: usize, ranged: bool) -> Option<tree_sitter::Tree> {
    PARSER.with(|p| {
        let mut p = p.borrow_mut();
        let parser = p.get_or_insert_with(|| {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()
                .map(|_| parser)
        });
        let parser = parser.as_mut()?;
        if ranged {
            let point = |at: usize| {
                let before = src.get(..at).unwrap_or(src);
                let row = memchr::memchr_iter(b'\n', before).count();
                let col = before.len() - memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
                tree_sitter::Point::new(row, col)
            };
            let range = tree_sitter::Range {
                start_byte: start,
                end_byte: end,
                start_point: point(start),
                end_point: point(end),
            };
            parser.set_included_ranges(&[range]).ok()?;
        }
        let tree = parser.parse(src, None);
        if ranged {
            // Back to the whole document for the next text.
            let _ = parser.set_included_ranges(&[]);
        }
        tree
    })
}

#[derive(Debug, Clone, Default)]
struct Eval {
    value: Option<Value>,
    taint: Taint,
    /// What calling this would call (resolved dotted name), or the name of the object.
    name: Option<String>,
    /// For an attribute `obj.attr`: the value of `obj` (the receiver of a method call).
    receiver: Option<Value>,
    /// A callable that looks an attribute up on its argument: `operator.methodcaller(
    /// "system", cmd)` (the attribute and the arguments it calls it with) or
    /// `operator.attrgetter("system")` (no arguments: it returns the attribute).
    deferred: Option<Box<Deferred>>,
}

/// The outcome of [`Walker::indirection`].
enum Indirect {
    /// The call evaluates to this (a resolved name, or a deferred lookup).
    Names(Eval),
    /// The call is a call of this resolved name.
    Calls(String),
}

/// What an `operator.methodcaller`/`attrgetter` object does when called on an object.
#[derive(Debug, Clone)]
struct Deferred {
    attr: String,
    /// `Some(args)` for `methodcaller` (calls the attribute), `None` for `attrgetter`.
    args: Option<Vec<Eval>>,
}

#[derive(Debug, Clone, Default)]
struct Binding {
    value: Option<Value>,
    taint: Taint,
    name: Option<String>,
}

struct Walker<'a, 'o, 't> {
    src: &'a [u8],
    forced: Option<ExecutionContext>,
    chain: Vec<String>,
    depth: u32,
    bounds: &'a Bounds,
    out: &'o mut Analysis,
    budget: &'o mut usize,
    scopes: Vec<HashMap<String, Binding>>,
    fn_depth: u32,
    main_guard: bool,
    nesting: u32,
    in_decoder: bool,
    /// Enclosing functions, innermost last (`Class.method` inside classes).
    funcs: Vec<FnName>,
    /// The class whose body is being walked.
    class: Option<String>,
    /// Calls to local names, for [`promote_reachable`].
    calls: &'o mut Vec<LocalCall>,
    /// Local functions: parameter names and body, for inlining calls with constant
    /// arguments (`def d(s): return b64decode(s)` then `exec(d("…"))`).
    local_fns: HashMap<String, (Vec<String>, Node<'t>, bool)>,
    /// Taint of what each local function returns.
    fn_returns: HashMap<FnName, Taint>,
    /// What each function of this text does with its parameters (by bare name), for
    /// [`EventKind::CallDownloadsTo`] and [`EventKind::CallRuns`] at its call sites.
    param_effects: HashMap<String, ParamEffects>,
    /// Inlining depth (bounded by [`MAX_INLINE`]).
    inline_depth: u32,
    /// While inlining: suppress this walker's own events and strings (they were recorded
    /// at the definition) and capture the first returned value.
    returned: Option<Eval>,
    /// Evaluating a string that is a whole statement by itself (a docstring): prose
    /// there is documentation, not data, and is not recorded (a module's docstrings
    /// were most of the 900,000 literals aws-cdk-lib's analyses held).
    bare_string: bool,
}

impl<'t> Walker<'_, '_, 't> {
    fn context(&self) -> ExecutionContext {
        if let Some(c) = self.forced {
            return c;
        }
        if self.fn_depth > 0 || self.main_guard {
            ExecutionContext::Runtime
        } else {
            ExecutionContext::ImportTime
        }
    }

    fn text(&self, n: Node<'t>) -> String {
        let t =
            String::from_utf8_lossy(self.src.get(n.byte_range()).unwrap_or_default()).into_owned();
        // Python NFKC-normalises identifiers (PEP 3131): `__𝘪𝗺𝙥𝗼𝗿𝘵__` is `__import__`.
        if !t.is_ascii() && matches!(n.kind(), "identifier" | "dotted_name") {
            return nfkc_identifier(&t);
        }
        t
    }

    /// Parameter names of a `def` or `lambda` node, in order.
    fn param_names(&self, n: Node<'t>) -> Vec<String> {
        let mut params = Vec::new();
        if let Some(p) = n.child_by_field_name("parameters") {
            let mut c = p.walk();
            for k in p.named_children(&mut c) {
                let id = if k.kind() == "identifier" {
                    Some(k)
                } else {
                    k.child_by_field_name("name").or_else(|| k.named_child(0))
                };
                params.push(id.map(|i| self.text(i)).unwrap_or_default());
            }
        }
        params
    }

    fn snippet(&self, n: Node<'t>) -> String {
        let b = self.src.get(n.byte_range()).unwrap_or_default();
        let b = &b[..b.len().min(400)];
        String::from_utf8_lossy(b)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(200)
            .collect()
    }

    fn tick(&mut self) -> bool {
        if *self.budget == 0 {
            self.out.truncated = true;
            self.out.unwalked = true;
            return false;
        }
        *self.budget -= 1;
        true
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn bind(&mut self, name: &str, b: Binding) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_owned(), b);
        }
    }

    fn event(
        &mut self,
        kind: EventKind,
        api: &str,
        n: Node<'t>,
        arg: Option<String>,
        taint: Taint,
    ) {
        if self.inline_depth > 0 {
            return;
        }
        let ctx = self.context();
        let seen = self
            .out
            .event_seen
            .entry((kind, api.to_owned(), ctx))
            .or_insert(0);
        if *seen >= crate::MAX_EVENTS_PER_SIGNATURE {
            self.out.dropped_events += 1;
            return;
        }
        *seen += 1;
        let p = n.start_position();
        self.out.events.push(Event {
            kind,
            api: api.to_owned(),
            context: self.context(),
            line: p.row as u32 + 1,
            column: p.column as u32 + 1,
            chain: self.chain.clone(),
            snippet: self.snippet(n),
            arg,
            taint,
            function: self.funcs.last().cloned(),
        });
    }

    fn record_string(&mut self, value: &str, n: Node<'t>) {
        if self.inline_depth > 0 || (self.bare_string && crate::is_prose(value)) {
            return;
        }
        if self.out.strings.len() >= self.bounds.max_strings {
            self.out.truncated = true;
            return;
        }
        let mut end = value.len().min(MAX_RECORDED_STRING);
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        let v = self.out.intern(&value[..end]);
        self.out.strings.push(StrLit {
            value: v,
            line: n.start_position().row as u32 + 1,
            context: self.context(),
            chain: self.chain.clone(),
            function: self.funcs.last().cloned(),
            in_table: false,
        });
    }

    /// Analyse decoded bytes: as a child program if it looks like Python, else record
    /// printable text as a string so IOC rules see it.
    fn decoded(&mut self, bytes: &[u8], step: String, n: Node<'t>) {
        if let Some(kind) = decode::native_kind(bytes) {
            let mut chain = self.chain.clone();
            chain.push(step);
            let saved = std::mem::replace(&mut self.chain, chain);
            self.event(
                EventKind::EmbeddedExecutable,
                kind,
                n,
                Some(format!("{kind} executable, {} bytes", bytes.len())),
                Taint::DECODED,
            );
            self.chain = saved;
            return;
        }
        let code = decode::looks_like_python(bytes);
        if code && self.depth < self.bounds.max_decode_depth {
            self.child(bytes, step);
            return;
        }
        if code {
            // Code one layer past the depth bound is kept as text only: say so.
            self.out.truncated = true;
        }
        if decode::is_printable_text(bytes) {
            let mut chain = self.chain.clone();
            chain.push(step);
            if self.out.strings.len() < self.bounds.max_strings {
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_RECORDED_STRING)])
                    .into_owned();
                let text = self.out.intern(&text);
                self.out.strings.push(StrLit {
                    value: text,
                    line: n.start_position().row as u32 + 1,
                    context: self.context(),
                    chain,
                    function: self.funcs.last().cloned(),
                    in_table: false,
                });
            }
        }
    }

    fn child(&mut self, code: &[u8], step: String) {
        if self.depth >= self.bounds.max_decode_depth {
            self.out.truncated = true;
            return;
        }
        let mut chain = self.chain.clone();
        chain.push(step);
        let ctx = self.context();
        let function = self.funcs.last().cloned();
        run(
            code,
            Some(ctx),
            chain,
            function,
            self.depth + 1,
            self.bounds,
            self.out,
            self.budget,
            self.calls,
        );
    }

    // ---------------------------------------------------------------- statements

    fn visit(&mut self, n: Node<'t>) {
        if !self.tick() {
            return;
        }
        if n.is_error() || n.is_missing() {
            self.out.syntax_errors = self.out.syntax_errors.saturating_add(1);
        }
        if self.nesting > MAX_NESTING {
            self.out.truncated = true;
            return;
        }
        self.nesting += 1;
        if n.is_error() {
            self.error_text(n);
        }
        match n.kind() {
            "import_statement" => self.import(n),
            "import_from_statement" => self.import_from(n),
            "function_definition" => self.function(n),
            "class_definition" => self.class(n),
            "if_statement" => self.if_stmt(n),
            "assignment" | "augmented_assignment" => self.assignment(n),
            "return_statement" => {
                let mut c = n.walk();
                let first = n.named_children(&mut c).next();
                if let Some(e) = first {
                    let ev = self.eval(e);
                    if let Some(f) = self
                        .funcs
                        .last()
                        .cloned()
                        .filter(|_| self.inline_depth == 0)
                    {
                        *self.fn_returns.entry(f).or_default() |= ev.taint;
                    }
                    if self.inline_depth > 0 && self.returned.is_none() {
                        self.returned = Some(ev);
                    }
                }
            }
            "exec_statement" => {
                let mut c = n.walk();
                let first = n.named_children(&mut c).next();
                if let Some(e) = first {
                    let ev = self.eval(e);
                    self.exec_like("exec", n, &ev);
                }
            }
            "for_statement" => {
                let right = n.child_by_field_name("right").map(|r| self.eval(r));
                if let (Some(left), Some(r)) = (n.child_by_field_name("left"), right) {
                    self.bind_target(
                        left,
                        Binding {
                            value: None,
                            taint: r.taint,
                            name: None,
                        },
                    );
                }
                for f in ["body", "alternative"] {
                    if let Some(b) = n.child_by_field_name(f) {
                        self.visit(b);
                    }
                }
            }
            "as_pattern" => {
                let mut c = n.walk();
                let kids: Vec<Node> = n.named_children(&mut c).collect();
                if let Some(v) = kids.first() {
                    let ev = self.eval(*v);
                    if let Some(alias) = n.child_by_field_name("alias") {
                        self.bind_target(
                            alias,
                            Binding {
                                value: ev.value,
                                taint: ev.taint,
                                name: ev.name,
                            },
                        );
                    }
                }
            }
            "expression_statement"
                if n.named_child_count() == 1
                    && n.named_child(0)
                        .is_some_and(|k| matches!(k.kind(), "string" | "concatenated_string")) =>
            {
                self.bare_string = true;
                if let Some(k) = n.named_child(0) {
                    self.visit(k);
                }
                self.bare_string = false;
            }
            "call"
            | "attribute"
            | "subscript"
            | "binary_operator"
            | "string"
            | "concatenated_string"
            | "list_comprehension"
            | "generator_expression"
            | "identifier" => {
                self.eval(n);
            }
            _ => {
                let mut c = n.walk();
                let kids: Vec<Node> = n.children(&mut c).collect();
                for k in kids {
                    self.visit(k);
                }
            }
        }
        self.nesting -= 1;
    }

    fn import(&mut self, n: Node<'t>) {
        let ctx = self.context();
        let mut c = n.walk();
        let kids: Vec<Node> = n.children_by_field_name("name", &mut c).collect();
        for k in kids {
            match k.kind() {
                "dotted_name" => {
                    let full = self.text(k);
                    let first = full.split('.').next().unwrap_or(&full).to_owned();
                    self.out.imports.push((full, ctx));
                    self.bind(
                        &first,
                        Binding {
                            value: Some(Value::Module(first.clone())),
                            taint: Taint::default(),
                            name: Some(first.clone()),
                        },
                    );
                }
                "aliased_import" => {
                    if let (Some(name), Some(alias)) = (
                        k.child_by_field_name("name"),
                        k.child_by_field_name("alias"),
                    ) {
                        let full = self.text(name);
                        let a = self.text(alias);
                        self.out.imports.push((full.clone(), ctx));
                        self.bind(
                            &a,
                            Binding {
                                value: Some(Value::Module(full.clone())),
                                taint: Taint::default(),
                                name: Some(full),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn import_from(&mut self, n: Node<'t>) {
        let ctx = self.context();
        let Some(m) = n.child_by_field_name("module_name") else {
            return;
        };
        let module = self.text(m);
        self.out.imports.push((module.clone(), ctx));
        let mut c = n.walk();
        let kids: Vec<Node> = n.children_by_field_name("name", &mut c).collect();
        for k in kids {
            let (name, alias) = match k.kind() {
                "dotted_name" => (self.text(k), self.text(k)),
                "aliased_import" => match (
                    k.child_by_field_name("name"),
                    k.child_by_field_name("alias"),
                ) {
                    (Some(a), Some(b)) => (self.text(a), self.text(b)),
                    _ => continue,
                },
                _ => continue,
            };
            let full = if module.starts_with('.') {
                name.clone()
            } else {
                format!("{module}.{name}")
            };
            let imported = if module.ends_with('.') {
                format!("{module}{name}")
            } else {
                format!("{module}.{name}")
            };
            self.out.imports.push((imported, ctx));
            self.bind(
                &alias,
                Binding {
                    value: Some(Value::Module(full.clone())),
                    taint: Taint::default(),
                    name: Some(full),
                },
            );
        }
    }

    fn function(&mut self, n: Node<'t>) {
        if let Some(p) = n.child_by_field_name("parameters") {
            self.visit(p);
        }
        let Some(body) = n.child_by_field_name("body") else {
            return;
        };
        let name = n
            .child_by_field_name("name")
            .map(|x| self.text(x))
            .unwrap_or_default();
        if self.funcs.is_empty() && self.class.is_none() {
            let params = self.param_names(n);
            self.local_fns.insert(name.clone(), (params, body, false));
        }
        let qualified = match (&self.class, self.funcs.is_empty()) {
            (Some(c), true) => format!("{c}.{name}"),
            _ => name,
        };
        self.fn_depth += 1;
        let qualified: FnName = qualified.into();
        self.funcs.push(qualified.clone());
        let saved_class = self.class.take();
        self.scopes.push(HashMap::new());
        let first_event = self.out.events.len();
        self.visit(body);
        if self.inline_depth == 0 && self.forced.is_none() {
            let params = self.param_names(n);
            let effects = param_effects(&self.out.events[first_event..], &qualified, &params);
            if !effects.is_empty() && self.param_effects.len() < MAX_ELEMS {
                self.param_effects.insert(name_of(&qualified), effects);
            }
        }
        self.scopes.pop();
        self.class = saved_class;
        self.funcs.pop();
        self.fn_depth -= 1;
    }

    fn class(&mut self, n: Node<'t>) {
        if let Some(sup) = n.child_by_field_name("superclasses") {
            let mut c = sup.walk();
            let bases: Vec<Node> = sup.named_children(&mut c).collect();
            for b in bases {
                let ev = self.eval(b);
                let name = ev.name.unwrap_or_else(|| self.text(b));
                let last = name.rsplit('.').next().unwrap_or(&name).to_owned();
                let from_setuptools =
                    name.contains("setuptools") || name.contains("distutils") || name == last;
                if from_setuptools && COMMAND_BASES.contains(&last.as_str()) {
                    self.out.command_subclasses.push(last);
                }
            }
        }
        if let Some(body) = n.child_by_field_name("body") {
            let name = n.child_by_field_name("name").map(|x| self.text(x));
            let saved = std::mem::replace(&mut self.class, name);
            self.visit(body);
            self.class = saved;
        }
    }

    fn if_stmt(&mut self, n: Node<'t>) {
        let cond = n.child_by_field_name("condition");
        let is_main = cond.is_some_and(|c| {
            let t = self.text(c);
            t.contains("__name__") && t.contains("__main__")
        });
        if let Some(c) = cond {
            self.eval(c);
        }
        let saved = self.main_guard;
        if is_main {
            self.main_guard = true;
        }
        if let Some(b) = n.child_by_field_name("consequence") {
            self.visit(b);
        }
        self.main_guard = saved;
        let mut c = n.walk();
        let alts: Vec<Node> = n.children_by_field_name("alternative", &mut c).collect();
        for a in alts {
            self.visit(a);
        }
    }

    fn assignment(&mut self, n: Node<'t>) {
        let Some(right) = n.child_by_field_name("right") else {
            if let Some(l) = n.child_by_field_name("left") {
                self.visit(l);
            }
            return;
        };
        let left = n.child_by_field_name("left");
        // `f = lambda x: …` at module level: a local function that can be inlined.
        if let (Some(l), "lambda", "assignment") = (left, right.kind(), n.kind())
            && l.kind() == "identifier"
            && self.funcs.is_empty()
            && self.class.is_none()
            && let Some(body) = right.child_by_field_name("body")
        {
            let params = self.param_names(right);
            let name = self.text(l);
            self.local_fns.insert(name, (params, body, true));
        }
        // `A, B = exec, str`: bind element by element, keeping what each name refers to
        // (Hyperion-style aliasing of builtins).
        if let Some(l) = left.filter(|l| matches!(l.kind(), "pattern_list" | "tuple_pattern"))
            && matches!(right.kind(), "expression_list" | "tuple")
            && n.kind() == "assignment"
        {
            let mut c = l.walk();
            let targets: Vec<Node> = l.named_children(&mut c).collect();
            let mut c2 = right.walk();
            let values: Vec<Node> = right.named_children(&mut c2).collect();
            if targets.len() == values.len() && targets.len() <= 256 {
                let evals: Vec<Eval> = values.iter().map(|v| self.eval(*v)).collect();
                for (t, e) in targets.into_iter().zip(evals) {
                    self.bind_target(
                        t,
                        Binding {
                            value: e.value,
                            taint: e.taint,
                            name: e.name,
                        },
                    );
                }
                return;
            }
        }
        let mut ev = self.eval(right);
        let Some(left) = n.child_by_field_name("left") else {
            return;
        };
        if n.kind() == "augmented_assignment"
            && let Some(prev) = (left.kind() == "identifier")
                .then(|| self.text(left))
                .and_then(|l| self.lookup(&l).cloned())
        {
            ev.taint |= prev.taint;
            ev.value = match (prev.value, ev.value.take()) {
                (Some(Value::Str(a)), Some(Value::Str(b)))
                    if a.len() + b.len() <= self.bounds.max_decoded_bytes =>
                {
                    Some(Value::Str(a + &b))
                }
                (Some(Value::Bytes(mut a)), Some(Value::Bytes(b)))
                    if a.len() + b.len() <= self.bounds.max_decoded_bytes =>
                {
                    a.extend_from_slice(&b);
                    Some(Value::Bytes(a))
                }
                _ => None,
            };
        }
        self.bind_target(
            left,
            Binding {
                value: ev.value,
                taint: ev.taint,
                name: ev.name,
            },
        );
    }

    fn bind_target(&mut self, left: Node<'t>, b: Binding) {
        match left.kind() {
            "identifier" => {
                let name = self.text(left);
                self.bind(&name, b);
            }
            // `with open(p, 'wb') as f`: the target is wrapped in `as_pattern_target`.
            "as_pattern_target" => {
                if let Some(inner) = left.named_child(0) {
                    self.bind_target(inner, b);
                }
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "tuple" | "list" => {
                let mut c = left.walk();
                let kids: Vec<Node> = left.named_children(&mut c).collect();
                let items = match &b.value {
                    Some(Value::List(v)) if v.len() == kids.len() => Some(v.clone()),
                    _ => None,
                };
                for (i, k) in kids.into_iter().enumerate() {
                    let value = items.as_ref().and_then(|v| v.get(i).cloned());
                    self.bind_target(
                        k,
                        Binding {
                            value,
                            taint: b.taint,
                            name: None,
                        },
                    );
                }
            }
            _ => {
                // Attribute or subscript targets: evaluate for events (e.g. `os.environ[...] = …`).
                self.eval(left);
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    /// Evaluate a node's field child, or nothing when the field is absent.
    fn eval_field(&mut self, n: Node<'t>, field: &str) -> Eval {
        n.child_by_field_name(field)
            .map(|c| self.eval(c))
            .unwrap_or_default()
    }

    fn eval(&mut self, n: Node<'t>) -> Eval {
        if !self.tick() || self.nesting > MAX_NESTING {
            self.out.truncated = true;
            return Eval::default();
        }
        self.nesting += 1;
        let r = self.eval_inner(n);
        self.nesting -= 1;
        r
    }

    fn eval_inner(&mut self, n: Node<'t>) -> Eval {
        match n.kind() {
            "string" => self.string(n),
            "concatenated_string" => {
                let mut c = n.walk();
                let kids: Vec<Node> = n.named_children(&mut c).collect();
                let mut acc: Option<Value> = None;
                let mut ok = true;
                for k in kids {
                    let e = self.string(k);
                    acc = match (acc, e.value) {
                        (None, v) => v,
                        (Some(a), Some(b)) => concat(a, b, self.bounds.max_decoded_bytes),
                        _ => None,
                    };
                    ok &= acc.is_some();
                }
                if let (true, Some(Value::Str(s))) = (ok, &acc) {
                    self.record_string(&s.clone(), n);
                }
                Eval {
                    value: if ok { acc } else { None },
                    taint: Taint::LITERAL,
                    name: None,
                    receiver: None,
                    deferred: None,
                }
            }
            "integer" => Eval {
                value: parse_int(&self.text(n)).map(Value::Int),
                ..Eval::default()
            },
            "identifier" => {
                let id = self.text(n);
                match self.lookup(&id) {
                    Some(b) => Eval {
                        value: b.value.clone(),
                        taint: b.taint,
                        name: b.name.clone().or(Some(id)),
                        receiver: None,
                        deferred: None,
                    },
                    None => Eval {
                        name: Some(normalize(&id)),
                        ..Eval::default()
                    },
                }
            }
            "attribute" => {
                let obj = self.eval_field(n, "object");
                let attr = n
                    .child_by_field_name("attribute")
                    .map(|a| self.text(a))
                    .unwrap_or_default();
                let base = match &obj.value {
                    Some(Value::Module(m)) => Some(m.clone()),
                    _ => obj.name.clone(),
                };
                let name = base.map(|b| normalize(&format!("{b}.{attr}")));
                // `string.ascii_letters` and friends: the alphabets of substitution
                // decoders (`r_l = string.ascii_letters[::-1]`).
                if let Some(v) = name.as_deref().and_then(string_module_constant) {
                    return Eval {
                        value: Some(Value::Str(v.to_owned())),
                        taint: obj.taint | Taint::LITERAL,
                        name,
                        receiver: None,
                        deferred: None,
                    };
                }
                // `os.environ` as a whole is tainted where it is used whole (env_whole in
                // `call`), not on every `os.environ.get("ONE_SETTING")`.
                Eval {
                    value: None,
                    taint: obj.taint,
                    name,
                    receiver: obj.value,
                    deferred: None,
                }
            }
            "subscript" => {
                let v = self.eval_field(n, "value");
                let mut c = n.walk();
                let subs: Vec<Node> = n.children_by_field_name("subscript", &mut c).collect();
                let mut taint = v.taint;
                let mut value = None;
                let mut key_text: Option<String> = None;
                for s in &subs {
                    if s.kind() == "slice" {
                        let t = self.text(*s).replace(' ', "");
                        if t == "::-1" {
                            value = match &v.value {
                                Some(Value::Str(x)) => Some(Value::Str(x.chars().rev().collect())),
                                Some(Value::Bytes(x)) => {
                                    Some(Value::Bytes(x.iter().rev().copied().collect()))
                                }
                                Some(Value::List(x)) => {
                                    Some(Value::List(x.iter().rev().cloned().collect()))
                                }
                                _ => None,
                            };
                        }
                    } else {
                        let e = self.eval(*s);
                        key_text = e.value.as_ref().and_then(Value::as_text);
                        taint |= e.taint;
                        // `table[alphabet.index(c)]`: a character looked up in one alphabet
                        // and replaced from another is a substitution cipher.
                        let lookup = s.kind() == "call"
                            && s.child_by_field_name("function")
                                .and_then(|f| f.child_by_field_name("attribute"))
                                .is_some_and(|a| matches!(self.text(a).as_str(), "index" | "find"));
                        if lookup && matches!(v.value, Some(Value::Str(_))) {
                            taint |= Taint::DECRYPTED;
                        }
                        value = match (&v.value, &e.value) {
                            (Some(Value::List(items)), Some(Value::Int(i))) => {
                                index(*i, items.len()).and_then(|i| items.get(i).cloned())
                            }
                            (Some(Value::Str(x)), Some(Value::Int(i))) => {
                                // Char indexing; ASCII fast path (decoder keys are ASCII).
                                if x.is_ascii() {
                                    index(*i, x.len())
                                        .and_then(|i| x.get(i..=i))
                                        .map(|c| Value::Str(c.to_owned()))
                                } else {
                                    let n = x.chars().count();
                                    index(*i, n)
                                        .and_then(|i| x.chars().nth(i))
                                        .map(|c| Value::Str(c.to_string()))
                                }
                            }
                            (Some(Value::Bytes(x)), Some(Value::Int(i))) => index(*i, x.len())
                                .and_then(|i| x.get(i))
                                .map(|b| Value::Int(i64::from(*b))),
                            _ => value,
                        };
                        if v.name.as_deref() == Some("os.environ") {
                            let key = e.value.as_ref().and_then(Value::as_text);
                            self.event(
                                EventKind::EnvRead,
                                "os.environ.__getitem__",
                                n,
                                key,
                                Taint::default(),
                            );
                        }
                    }
                }
                // `sys.modules["os"]`, `os.__dict__["system"]`, `vars(os)["system"]`,
                // `globals()["__builtins__"]["exec"]`: a lookup by a constant key names
                // what it finds, so a call through it is resolved like `os.system(…)`.
                let name = match (subs.len(), v.name.as_deref(), key_text) {
                    (1, Some(base), Some(k)) => lookup_by_key(base, &k),
                    _ => None,
                };
                let value = match (&value, &name) {
                    (None, Some(m)) if v.name.as_deref() == Some("sys.modules") => {
                        Some(Value::Module(m.clone()))
                    }
                    _ => value,
                };
                Eval {
                    value,
                    taint,
                    name,
                    receiver: None,
                    deferred: None,
                }
            }
            "parenthesized_expression" | "expression_statement" | "await" => {
                let mut c = n.walk();
                let kids: Vec<Node> = n.named_children(&mut c).collect();
                let mut last = Eval::default();
                for k in kids {
                    last = self.eval(k);
                }
                last
            }
            "binary_operator" => {
                let l = self.eval_field(n, "left");
                let r = self.eval_field(n, "right");
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or_default();
                let max = self.bounds.max_decoded_bytes;
                let value = match (op.as_str(), l.value, r.value) {
                    ("+", Some(Value::Int(a)), Some(Value::Int(b))) => {
                        a.checked_add(b).map(Value::Int)
                    }
                    ("+", Some(a), Some(b)) => concat(a, b, max),
                    ("*", Some(Value::Str(s)), Some(Value::Int(k)))
                    | ("*", Some(Value::Int(k)), Some(Value::Str(s))) => usize::try_from(k)
                        .ok()
                        .filter(|k| s.len().saturating_mul(*k) <= max)
                        .map(|k| Value::Str(s.repeat(k))),
                    ("^", Some(Value::Int(a)), Some(Value::Int(b))) => Some(Value::Int(a ^ b)),
                    ("-", Some(Value::Int(a)), Some(Value::Int(b))) => {
                        a.checked_sub(b).map(Value::Int)
                    }
                    ("%", Some(Value::Int(a)), Some(Value::Int(b))) if b != 0 => {
                        Some(Value::Int(a.rem_euclid(b)))
                    }
                    ("%", Some(Value::Str(_)), _) => None,
                    _ => None,
                };
                // XOR of characters or bytes is the core of XOR-key decryptors
                // (`chr(ord(d[i]) ^ ord(k[i % len(k)]))`, `bytes(b ^ k for b in data)`):
                // its result counts as decrypted wherever it flows.
                let xor = op == "^" && self.xor_of_data(n);
                Eval {
                    value,
                    taint: l.taint
                        | r.taint
                        | if xor {
                            Taint::DECRYPTED
                        } else {
                            Taint::default()
                        },
                    name: None,
                    receiver: None,
                    deferred: None,
                }
            }
            "list" | "tuple" | "set" | "expression_list" => {
                let mut c = n.walk();
                let kids: Vec<Node> = n.named_children(&mut c).collect();
                let mut items = Vec::new();
                let mut all = kids.len() <= MAX_ELEMS;
                let mut taint = Taint::default();
                for k in kids {
                    let e = self.eval(k);
                    taint |= e.taint;
                    match e.value {
                        Some(v) if all => items.push(v),
                        None if all => items.push(Value::Unknown),
                        _ => all = false,
                    }
                }
                Eval {
                    value: all.then_some(Value::List(items)),
                    taint,
                    name: None,
                    receiver: None,
                    deferred: None,
                }
            }
            "list_comprehension" | "generator_expression" => self.comprehension(n),
            "call" => self.call(n),
            "lambda" => {
                if let Some(b) = n.child_by_field_name("body") {
                    self.fn_depth += 1;
                    self.visit(b);
                    self.fn_depth -= 1;
                }
                Eval::default()
            }
            "conditional_expression" => {
                // `a if cond else b`: folded when the condition folds (char-map decoders:
                // `m[k.index(c)] if c in k else c`).
                let mut c = n.walk();
                let kids: Vec<Node> = n.named_children(&mut c).collect();
                let (Some(a), Some(cond), Some(b)) = (kids.first(), kids.get(1), kids.get(2))
                else {
                    return Eval::default();
                };
                let ce = self.eval(*cond);
                match ce.value {
                    Some(Value::Int(0)) => self.eval(*b),
                    Some(Value::Int(_)) => self.eval(*a),
                    _ => {
                        let ea = self.eval(*a);
                        let eb = self.eval(*b);
                        Eval {
                            value: None,
                            taint: ea.taint | eb.taint | ce.taint,
                            name: None,
                            receiver: None,
                            deferred: None,
                        }
                    }
                }
            }
            "comparison_operator" => {
                // Only `x in y` / `x not in y` on constants fold (to 1 or 0).
                let mut c = n.walk();
                let kids: Vec<Node> = n.named_children(&mut c).collect();
                let ops: Vec<String> = {
                    let mut c2 = n.walk();
                    n.children(&mut c2)
                        .filter(|k| !k.is_named())
                        .map(|k| self.text(k))
                        .collect()
                };
                let evals: Vec<Eval> = kids.iter().map(|k| self.eval(*k)).collect();
                let taint = evals.iter().fold(Taint::default(), |t, e| t | e.taint);
                let value = match (evals.as_slice(), ops.as_slice()) {
                    ([x, y], [op]) if op == "in" => contains(x.value.as_ref(), y.value.as_ref()),
                    ([x, y], [o1, o2]) if o1 == "not" && o2 == "in" => {
                        contains(x.value.as_ref(), y.value.as_ref()).map(|v| match v {
                            Value::Int(0) => Value::Int(1),
                            _ => Value::Int(0),
                        })
                    }
                    _ => None,
                };
                Eval {
                    value,
                    taint,
                    name: None,
                    receiver: None,
                    deferred: None,
                }
            }
            "keyword_argument" => self.eval_field(n, "value"),
            _ => {
                if n.is_error() {
                    self.error_text(n);
                }
                let mut c = n.walk();
                let kids: Vec<Node> = n.children(&mut c).collect();
                let mut taint = Taint::default();
                for k in kids {
                    if k.is_named() {
                        taint |= self.eval(k).taint;
                    }
                }
                Eval {
                    value: None,
                    taint,
                    name: None,
                    receiver: None,
                    deferred: None,
                }
            }
        }
    }

    /// Whether an `^` combines data rather than flags: an operand calls `ord()` or indexes
    /// a sequence, or the XOR sits in a loop or comprehension body.
    fn xor_of_data(&self, n: Node<'t>) -> bool {
        for f in ["left", "right"] {
            if let Some(o) = n.child_by_field_name(f) {
                let t = self.text(o);
                if t.contains("ord(") || o.kind() == "subscript" {
                    return true;
                }
            }
        }
        let mut p = n.parent();
        for _ in 0..6 {
            let Some(x) = p else { break };
            if matches!(
                x.kind(),
                "generator_expression" | "list_comprehension" | "for_statement" | "while_statement"
            ) {
                return true;
            }
            p = x.parent();
        }
        false
    }

    /// The text of a region tree-sitter could not parse, recorded as a string so that
    /// indicator rules still see what it names (an unquoted webhook URL, a shell command
    /// whose quotes broke the file).
    fn error_text(&mut self, n: Node<'t>) {
        if n.byte_range().len() <= 4096 {
            let t = self.text(n);
            self.record_string(&t, n);
        }
    }

    fn string(&mut self, n: Node<'t>) -> Eval {
        if n.kind() != "string" {
            return self.eval(n);
        }
        // f-strings: evaluate interpolations for events; no constant value.
        let mut c = n.walk();
        let interps: Vec<Node> = n
            .named_children(&mut c)
            .filter(|k| k.kind() == "interpolation")
            .collect();
        if !interps.is_empty() {
            let mut taint = Taint::LITERAL;
            for i in interps {
                taint |= self.eval(i).taint;
            }
            // Keep the literal parts (placeholders as `{…}`) for indicator matching.
            let mut text = String::new();
            let mut c2 = n.walk();
            for k in n.named_children(&mut c2) {
                match k.kind() {
                    "string_content" => text.push_str(&self.text(k)),
                    "interpolation" => text.push_str("{…}"),
                    _ => {}
                }
            }
            if !text.is_empty() {
                self.record_string(&text, n);
            }
            return Eval {
                value: None,
                taint,
                name: None,
                receiver: None,
                deferred: None,
            };
        }
        let value = parse_string_literal(&self.text(n));
        if let Some(v) = &value
            && let Some(t) = v.as_text()
        {
            self.record_string(&t, n);
            if !self.in_decoder && t.len() >= 40 {
                self.blob(&t, n);
            }
        }
        Eval {
            value,
            taint: Taint::LITERAL,
            name: None,
            receiver: None,
            deferred: None,
        }
    }

    /// A long literal that is not passed to a known decoder: try base64/hex (then a
    /// compressor) and analyse what comes out.
    fn blob(&mut self, t: &str, n: Node<'t>) {
        let max = self.bounds.max_decoded_bytes;
        let line = n.start_position().row + 1;
        let decoded = if decode::looks_like_base64(t) {
            decode::base64(t.as_bytes(), max).map(|b| (b, "base64"))
        } else if decode::looks_like_hex(t) {
            decode::hex(t.as_bytes(), max).map(|b| (b, "hex"))
        } else {
            None
        };
        let Some((bytes, how)) = decoded else { return };
        let (bytes, step) = match decode::decompress_any(&bytes, max) {
            Some((inner, z)) => (inner, format!("line {line}: {how} literal → {z}")),
            None => (bytes, format!("line {line}: {how} literal")),
        };
        self.decoded(&bytes, step, n);
    }

    fn comprehension(&mut self, n: Node<'t>) -> Eval {
        let body = n.child_by_field_name("body");
        let mut c = n.walk();
        let clauses: Vec<Node> = n
            .named_children(&mut c)
            .filter(|k| k.kind() == "for_in_clause")
            .collect();
        let has_if = {
            let mut c2 = n.walk();
            n.named_children(&mut c2).any(|k| k.kind() == "if_clause")
        };
        let mut taint = Taint::default();
        // Fold `[f(x) for x in CONST]` with one loop variable and no filter.
        if let (Some(body), [clause], false) = (body, clauses.as_slice(), has_if) {
            let left = clause.child_by_field_name("left");
            let right = self.eval_field(*clause, "right");
            taint |= right.taint;
            if let (Some(left), Some(items)) = (
                left.filter(|l| l.kind() == "identifier"),
                iter_items(right.value),
            ) {
                let var = self.text(left);
                self.scopes.push(HashMap::new());
                let mut out = Vec::with_capacity(items.len().min(MAX_ELEMS));
                let mut ok = items.len() <= MAX_ELEMS;
                for (idx, it) in items.into_iter().enumerate() {
                    if !ok {
                        break;
                    }
                    self.bind(
                        &var,
                        Binding {
                            value: Some(it),
                            taint: Taint::default(),
                            name: None,
                        },
                    );
                    let (ev_len, str_len) = (self.out.events.len(), self.out.strings.len());
                    let e = self.eval(body);
                    taint |= e.taint;
                    if idx > 0 {
                        // Events and strings of the body were recorded on the first pass.
                        self.out.events.truncate(ev_len);
                        self.out.strings.truncate(str_len);
                    }
                    match e.value {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                self.scopes.pop();
                if ok {
                    return Eval {
                        value: Some(Value::List(out)),
                        taint,
                        name: None,
                        receiver: None,
                        deferred: None,
                    };
                }
            }
        }
        let mut c3 = n.walk();
        let kids: Vec<Node> = n.named_children(&mut c3).collect();
        for k in kids {
            taint |= self.eval(k).taint;
        }
        Eval {
            value: None,
            taint,
            name: None,
            receiver: None,
            deferred: None,
        }
    }

    fn call(&mut self, n: Node<'t>) -> Eval {
        let Some(func) = n.child_by_field_name("function") else {
            return Eval::default();
        };
        // `(lambda f: f(cmd))(os.system)`: the lambda is walked below with its
        // parameters bound to the arguments, not here as a function body.
        let mut bare = func;
        while bare.kind() == "parenthesized_expression"
            && let Some(inner) = bare.named_child(0)
        {
            bare = inner;
        }
        let immediate_lambda = bare.kind() == "lambda";
        let fe = if immediate_lambda {
            Eval::default()
        } else {
            self.eval(func)
        };
        let mut name = fe.name.clone().map(|s| normalize(&s));
        let method = (func.kind() == "attribute")
            .then(|| func.child_by_field_name("attribute").map(|a| self.text(a)))
            .flatten();
        let is_decoder = name
            .as_deref()
            .and_then(classify_call)
            .is_some_and(|(k, _)| k == EventKind::Decode);

        // Arguments.
        let mut pos: Vec<Eval> = Vec::new();
        let mut kw: Vec<(String, Eval)> = Vec::new();
        let mut taint = Taint::default();
        let mut env_whole = false;
        if let Some(args) = n.child_by_field_name("arguments") {
            let saved = self.in_decoder;
            self.in_decoder = is_decoder;
            if args.kind() == "generator_expression" {
                let e = self.eval(args);
                taint |= e.taint;
                pos.push(e);
            } else {
                let mut c = args.walk();
                let kids: Vec<Node> = args.named_children(&mut c).collect();
                for k in kids {
                    if k.kind() == "keyword_argument" {
                        let key = k
                            .child_by_field_name("name")
                            .map(|x| self.text(x))
                            .unwrap_or_default();
                        let e = self.eval(k);
                        if key != "env" {
                            taint |= e.taint;
                            env_whole |= e.name.as_deref() == Some("os.environ");
                        }
                        kw.push((key, e));
                    } else if k.kind() != "comment" {
                        let e = self.eval(k);
                        taint |= e.taint;
                        env_whole |= e.name.as_deref() == Some("os.environ");
                        pos.push(e);
                    }
                }
            }
            self.in_decoder = saved;
        }
        if env_whole {
            let api = name.clone().unwrap_or_default();
            self.event(EventKind::EnvHarvest, &api, n, None, Taint::ENV);
            taint |= Taint::ENV;
        }
        self.note_local_call(func, &pos, &kw);
        self.call_effects(func, n, &pos);
        if immediate_lambda {
            return self.call_lambda(bare, &pos, taint);
        }
        if let Some(r) = self.indirection(name.as_deref(), fe.deferred.as_deref(), &mut pos, taint)
        {
            match r {
                Indirect::Names(e) => return e,
                Indirect::Calls(target) => {
                    name = Some(target);
                    taint = pos.iter().fold(taint, |t, e| t | e.taint);
                }
            }
        }
        let recv = fe.receiver.clone();
        let arg0 = pos.first().and_then(|e| e.value.clone());
        let arg1 = pos.get(1).and_then(|e| e.value.clone());
        let mut result = Eval {
            value: None,
            taint: taint | fe.taint,
            name: name.clone(),
            receiver: None,
            deferred: None,
        };

        // A local function: its return taint, and (with constant arguments) its result.
        // `(f)(x)` calls `f` too.
        let mut callee = func;
        while callee.kind() == "parenthesized_expression"
            && let Some(inner) = callee.named_child(0)
        {
            callee = inner;
        }
        if callee.kind() == "identifier" {
            let fname = self.text(callee);
            if let Some(t) = self.fn_returns.get(fname.as_str()) {
                result.taint |= *t;
            }
            if let Some(r) = self.inline(&fname, &pos) {
                result.taint |= r.taint;
                if r.value.is_some() {
                    result.value = r.value;
                }
            }
        }

        // `bytes([104, 101, …])`: text hidden as integers.
        let from_ints = matches!(name.as_deref(), Some("bytes" | "bytearray"))
            && matches!(arg0.as_ref(), Some(Value::List(items))
                if items.len() >= 8 && items.iter().all(|v| matches!(v, Value::Int(_))));
        // Constant folding of builtins and str/bytes methods.
        if let Some(v) = self.fold(
            name.as_deref(),
            method.as_deref(),
            recv,
            arg0.clone(),
            arg1.clone(),
            &pos,
            &kw,
            n,
        ) {
            result.value = Some(v);
        }
        if from_ints && let Some(Value::Bytes(b)) = result.value.clone() {
            result.taint |= Taint::DECODED;
            let step = format!("line {}: bytes from integers", n.start_position().row + 1);
            self.decoded(&b, step, n);
        }

        let Some(api) = name else { return result };
        if let Some((kind, produced)) = classify_call(&api) {
            result.taint |= produced;
            let arg_text = arg0.as_ref().and_then(command_text);
            match kind {
                EventKind::Exec => {
                    let ev = pos.first().cloned().unwrap_or_default();
                    self.exec_like(&api, n, &ev);
                }
                EventKind::DynamicImport => {
                    if let Some(m) = arg_text.clone() {
                        // `__import__("a.b")` without a `fromlist` returns the top-level
                        // package `a` (`req = __import__("urllib.request")` then
                        // `req.request.urlopen`); `importlib.import_module` returns `a.b`.
                        let fromlist = pos.len() >= 4 || kw.iter().any(|(k, _)| k == "fromlist");
                        let m = if api == "__import__" && !fromlist {
                            m.split('.').next().unwrap_or(&m).to_owned()
                        } else {
                            m
                        };
                        result.value = Some(Value::Module(m.clone()));
                        result.name = Some(m);
                    }
                    self.event(kind, &api, n, arg_text, taint);
                }
                EventKind::FileRead => {
                    let mode = arg1.as_ref().and_then(Value::as_text).or_else(|| {
                        kw.iter()
                            .find(|(k, _)| k == "mode")
                            .and_then(|(_, e)| e.value.as_ref().and_then(Value::as_text))
                    });
                    let write = mode.is_some_and(|m| m.contains(['w', 'a', 'x', '+']));
                    if write {
                        result.taint = taint;
                        self.event(EventKind::FileWrite, &api, n, arg_text, taint);
                    } else {
                        self.event(EventKind::FileRead, &api, n, arg_text, taint);
                    }
                }
                EventKind::FdRedirect => {
                    // The descriptor's source (`socket.socket.fileno` for `s.fileno()` on a
                    // socket) and the target descriptor: `socket.socket.fileno -> 0`.
                    let from = pos.first().and_then(|e| e.name.clone()).unwrap_or_default();
                    let to = match arg1.as_ref() {
                        Some(Value::Int(i)) => i.to_string(),
                        _ => String::new(),
                    };
                    self.event(kind, &api, n, Some(format!("{from} -> {to}")), taint);
                }
                EventKind::Network => {
                    // `requests.post(url=…)`: the address may come as a keyword.
                    let url = arg_text.clone().or_else(|| {
                        kw.iter()
                            .find(|(k, _)| k == "url")
                            .and_then(|(_, e)| e.value.as_ref())
                            .and_then(command_text)
                    });
                    self.event(kind, &api, n, url, taint);
                }
                EventKind::ProcessSpawn => {
                    self.python_dash_c(arg0.as_ref(), n);
                    self.event(kind, &api, n, arg_text, taint);
                }
                EventKind::Deserialize => {
                    if let Some(b) = arg0.as_ref().and_then(Value::as_bytes) {
                        let strings = printable_runs(&b, 5);
                        let step = format!("line {}: {api}", n.start_position().row + 1);
                        for s in strings.into_iter().take(2000) {
                            if self.out.strings.len() >= self.bounds.max_strings {
                                break;
                            }
                            let mut chain = self.chain.clone();
                            chain.push(step.clone());
                            let s = self.out.intern(&s);
                            self.out.strings.push(StrLit {
                                value: s,
                                line: n.start_position().row as u32 + 1,
                                context: self.context(),
                                chain,
                                function: self.funcs.last().cloned(),
                                in_table: false,
                            });
                        }
                    }
                    self.event(kind, &api, n, None, taint);
                }
                _ => self.event(kind, &api, n, arg_text, taint),
            }
        } else if let Some(m) = method
            .as_deref()
            .filter(|m| matches!(*m, "write" | "writelines" | "write_text" | "write_bytes"))
        {
            // A file written with code it carries in a literal: analyse what that code does
            // (droppers write a script, then run it).
            if let Some(code) = arg0
                .as_ref()
                .and_then(Value::as_bytes)
                .filter(|c| decode::looks_like_python(c))
            {
                let step = format!("line {}: written to a file", n.start_position().row + 1);
                self.child(&code, step);
            }
            // Files opened by `open`, `io.open`, `codecs.open`, or made by `tempfile`
            // (`NamedTemporaryFile(delete=False)` is where droppers put their payload).
            let file = ["open", "io.open", "codecs.open", "tempfile."]
                .iter()
                .any(|p| api.starts_with(p));
            if file || m.starts_with("write_") {
                self.event(
                    EventKind::FileWrite,
                    &api,
                    n,
                    arg0.as_ref()
                        .and_then(command_text)
                        .map(|t| t.chars().take(120).collect()),
                    taint,
                );
            }
        } else if let Some(m) = method.as_deref() {
            // Data read from a raw socket: network bytes a stager may go on to execute.
            if (matches!(m, "recv" | "recvfrom" | "recv_into" | "recvmsg")
                || api.contains(".makefile"))
                && (api.starts_with("socket.") || api.contains("wrap_socket"))
            {
                result.taint |= Taint::NETWORK | Taint::SOCKET;
            }
            // send() on a socket.
            // TLS-wrapped sockets (`ssl.wrap_socket(s)`, `ctx.wrap_socket(s)`) send too.
            if matches!(m, "send" | "sendall" | "sendto" | "connect")
                && (api.starts_with("socket.") || api.contains("wrap_socket"))
            {
                self.event(
                    EventKind::Network,
                    &api,
                    n,
                    arg0.as_ref().and_then(command_text),
                    taint,
                );
                result.taint |= Taint::NETWORK;
            }
        }
        result
    }

    /// Calls that look a callable up by a computed name instead of naming it:
    /// `getattr(os, "sys" + "tem")`, `vars(os)`, `sys.modules.get("os")`,
    /// `os.__dict__.get("system")`, `operator.methodcaller("system", cmd)(os)` and
    /// `operator.attrgetter("system")(os)`. Either the call's result names something
    /// ([`Indirect::Names`]) or the call itself is a call of the resolved name with the
    /// arguments left in `pos` ([`Indirect::Calls`]). `None` when nothing resolves
    /// (a computed attribute name that does not fold is left alone).
    fn indirection(
        &mut self,
        name: Option<&str>,
        deferred: Option<&Deferred>,
        pos: &mut Vec<Eval>,
        taint: Taint,
    ) -> Option<Indirect> {
        let base_of = |e: &Eval| -> Option<String> {
            match &e.value {
                Some(Value::Module(m)) => Some(m.clone()),
                _ => e.name.clone(),
            }
        };
        let text_of = |e: Option<&Eval>| e.and_then(|e| e.value.as_ref()).and_then(Value::as_text);
        let names = |n: String| {
            Some(Indirect::Names(Eval {
                value: None,
                taint,
                name: Some(n),
                receiver: None,
                deferred: None,
            }))
        };
        if let Some(d) = deferred {
            let base = pos.first().and_then(base_of)?;
            let target = normalize(&format!("{base}.{}", d.attr));
            return match &d.args {
                Some(args) => {
                    *pos = args.clone();
                    Some(Indirect::Calls(target))
                }
                None => names(target),
            };
        }
        let name = name?;
        match name {
            "getattr" => {
                let base = pos.first().and_then(base_of)?;
                let attr = text_of(pos.get(1))?;
                lookup_by_key(&format!("{base}.__dict__"), &attr).and_then(names)
            }
            "vars" => {
                let base = pos.first().and_then(base_of)?;
                names(format!("{base}.__dict__"))
            }
            "operator.methodcaller" | "operator.attrgetter" => {
                let attr = text_of(pos.first())?;
                if attr.is_empty() || attr.len() > 200 {
                    return None;
                }
                let args = (name == "operator.methodcaller")
                    .then(|| pos.iter().skip(1).cloned().collect());
                Some(Indirect::Names(Eval {
                    value: None,
                    taint,
                    name: None,
                    receiver: None,
                    deferred: Some(Box::new(Deferred { attr, args })),
                }))
            }
            _ => {
                let owner = name.strip_suffix(".get")?;
                if owner != "sys.modules" && !owner.ends_with(".__dict__") {
                    return None;
                }
                let key = text_of(pos.first())?;
                let target = lookup_by_key(owner, &key)?;
                let mut e = Eval {
                    value: None,
                    taint,
                    name: Some(target.clone()),
                    receiver: None,
                    deferred: None,
                };
                if owner == "sys.modules" {
                    e.value = Some(Value::Module(target));
                }
                Some(Indirect::Names(e))
            }
        }
    }

    /// `(lambda f, c: f(c))(os.system, cmd)`: walk the lambda's body in the caller's
    /// context with its parameters bound to the arguments (names included, so `f(…)`
    /// is a call of `os.system`). Recursion is bounded by [`MAX_NESTING`].
    fn call_lambda(&mut self, lambda: Node<'t>, pos: &[Eval], taint: Taint) -> Eval {
        let Some(body) = lambda.child_by_field_name("body") else {
            return Eval::default();
        };
        let mut scope = HashMap::new();
        for (i, p) in self.param_names(lambda).into_iter().enumerate() {
            let b = pos
                .get(i)
                .map(|e| Binding {
                    value: e.value.clone(),
                    taint: e.taint,
                    name: e.name.clone(),
                })
                .unwrap_or_default();
            scope.insert(p, b);
        }
        self.scopes.push(scope);
        let mut e = self.eval(body);
        self.scopes.pop();
        e.taint |= taint;
        e
    }

    /// Evaluate a call of a local function whose arguments are constants by walking its
    /// body with the parameters bound. Decoded values found on the way are analysed as
    /// children (with the call site's context); the body's own events are not repeated.
    fn inline(&mut self, fname: &str, pos: &[Eval]) -> Option<Eval> {
        if self.inline_depth >= MAX_INLINE || pos.iter().all(|e| e.value.is_none()) {
            return None;
        }
        let (params, body, is_lambda) = self.local_fns.get(fname).cloned()?;
        let mut scope = HashMap::new();
        for (i, p) in params.iter().enumerate() {
            let b = pos
                .get(i)
                .map(|e| Binding {
                    value: e.value.clone(),
                    taint: e.taint,
                    name: None,
                })
                .unwrap_or_default();
            scope.insert(p.clone(), b);
        }
        self.scopes.push(scope);
        self.inline_depth += 1;
        let saved = self.returned.take();
        if is_lambda {
            let e = self.eval(body);
            self.returned = Some(e);
        } else {
            self.visit(body);
        }
        let r = std::mem::replace(&mut self.returned, saved);
        self.inline_depth -= 1;
        self.scopes.pop();
        r
    }

    /// Remember calls of plain local names (and names passed as arguments, e.g.
    /// `Thread(target=f)`, `atexit.register(f)`) for the reachability pass.
    /// A call of a function of this text that downloads to, or starts, what one of its
    /// parameters names: one [`EventKind::CallDownloadsTo`] / [`EventKind::CallRuns`]
    /// event per such argument, here at the call site, so that a download and a start
    /// split across helpers meet in the caller (`get(u, p)` … `run(p)`).
    fn call_effects(&mut self, func: Node<'t>, n: Node<'t>, pos: &[Eval]) {
        if self.inline_depth > 0 || func.kind() != "identifier" || self.param_effects.is_empty() {
            return;
        }
        let callee = self.text(func);
        let Some(effects) = self.param_effects.get(&callee).cloned() else {
            return;
        };
        let mut nodes = Vec::new();
        if let Some(args) = n.child_by_field_name("arguments") {
            let mut c = args.walk();
            nodes = args
                .named_children(&mut c)
                .filter(|k| !matches!(k.kind(), "keyword_argument" | "comment"))
                .collect();
        }
        let arg = |w: &Self, k: usize| -> Option<String> {
            pos.get(k)
                .and_then(|e| e.value.as_ref())
                .and_then(command_text)
                .or_else(|| nodes.get(k).map(|a| w.text(*a)))
                .map(|t| t.chars().take(120).collect())
        };
        for k in effects.downloads_to {
            let a = arg(self, k);
            self.event(EventKind::CallDownloadsTo, &callee, n, a, Taint::NETWORK);
        }
        for k in effects.runs {
            let a = arg(self, k);
            let t = pos.get(k).map(|e| e.taint).unwrap_or_default();
            self.event(EventKind::CallRuns, &callee, n, a, t);
        }
    }

    fn note_local_call(&mut self, func: Node<'t>, pos: &[Eval], kw: &[(String, Eval)]) {
        // Bounded: reachability needs the edges, not every repeat of them.
        if self.forced.is_some() || self.calls.len() >= MAX_ELEMS * 2 {
            return;
        }
        let caller = self.funcs.last().cloned();
        let module_level_import = self.fn_depth == 0 && !self.main_guard;
        let mut push = |callee: String, direct: bool| {
            self.calls.push(LocalCall {
                caller: caller.clone(),
                callee,
                module_level_import,
                direct,
            })
        };
        match func.kind() {
            "identifier" => push(
                String::from_utf8_lossy(self.src.get(func.byte_range()).unwrap_or_default())
                    .into_owned(),
                true,
            ),
            "attribute" => {
                // self.method() inside a class method: the class's method.
                if let (Some(obj), Some(attr)) = (
                    func.child_by_field_name("object"),
                    func.child_by_field_name("attribute"),
                ) {
                    let o =
                        String::from_utf8_lossy(self.src.get(obj.byte_range()).unwrap_or_default())
                            .into_owned();
                    let a = String::from_utf8_lossy(
                        self.src.get(attr.byte_range()).unwrap_or_default(),
                    )
                    .into_owned();
                    if o == "self"
                        && let Some(class) = caller
                            .as_ref()
                            .and_then(|c| c.split_once('.'))
                            .map(|(c, _)| c.to_owned())
                    {
                        push(format!("{class}.{a}"), true);
                    }
                }
            }
            _ => {}
        }
        for e in pos.iter().chain(kw.iter().map(|(_, e)| e)) {
            if let (None, Some(name)) = (&e.value, &e.name)
                && !name.contains('.')
            {
                push(name.clone(), false);
            }
        }
    }

    /// exec/eval/compile: record the event, and analyse a constant code string as a child.
    fn exec_like(&mut self, api: &str, n: Node<'t>, arg: &Eval) {
        // `arg` of an exec event is the executed text when it is a known constant.
        let text = arg
            .value
            .as_ref()
            .and_then(Value::as_text)
            .map(|t| t.chars().take(120).collect());
        self.event(EventKind::Exec, api, n, text, arg.taint);
        // Decoded values were analysed where they were decoded; only plain strings here.
        let decoded_already = arg.taint.has(Taint::DECODED);
        if let Some(code) = arg
            .value
            .as_ref()
            .and_then(Value::as_bytes)
            .filter(|_| !decoded_already)
        {
            let step = format!("line {}: {api} of a string", n.start_position().row + 1);
            if !code.is_empty() {
                // `child` marks the analysis truncated past the depth bound.
                self.child(&code, step);
            }
        }
    }

    /// `[sys.executable, "-c", CODE]` or `"python -c CODE"`: analyse CODE as a child.
    fn python_dash_c(&mut self, cmd: Option<&Value>, n: Node<'t>) {
        let code = match cmd {
            Some(Value::List(items)) => {
                let texts: Vec<Option<String>> = items.iter().map(Value::as_text).collect();
                texts
                    .iter()
                    .position(|t| t.as_deref() == Some("-c"))
                    .and_then(|i| texts.get(i + 1).cloned().flatten())
            }
            Some(v) => v.as_text().and_then(|s| {
                let i = s.find(" -c ")?;
                let rest = s[i + 4..].trim();
                Some(rest.trim_matches(|c| c == '"' || c == '\'').to_owned())
            }),
            None => None,
        };
        if let Some(code) = code {
            let step = format!("line {}: python -c", n.start_position().row + 1);
            self.child(code.as_bytes(), step);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fold(
        &mut self,
        name: Option<&str>,
        method: Option<&str>,
        recv: Option<Value>,
        a0: Option<Value>,
        a1: Option<Value>,
        pos: &[Eval],
        kw: &[(String, Eval)],
        n: Node<'t>,
    ) -> Option<Value> {
        let max = self.bounds.max_decoded_bytes;
        let line = n.start_position().row + 1;
        // Methods on a constant receiver.
        if let (Some(m), Some(r)) = (method, recv.clone()) {
            match (m, r, a0.clone()) {
                ("join", Value::Str(sep), Some(Value::List(items))) => {
                    let parts: Option<Vec<String>> = items
                        .iter()
                        .map(|v| {
                            if let Value::Str(s) = v {
                                Some(s.clone())
                            } else {
                                None
                            }
                        })
                        .collect();
                    let parts = parts?;
                    let total: usize = parts.iter().map(String::len).sum();
                    if total > max {
                        return None;
                    }
                    let joined = parts.join(&sep);
                    // A string assembled one character at a time (`chr()` arithmetic, char
                    // lists) is hidden text: record it as decoded so indicator rules see it.
                    if parts.len() >= 8
                        && sep.is_empty()
                        && parts.iter().all(|p| p.chars().count() == 1)
                    {
                        self.decoded(
                            joined.as_bytes(),
                            format!("line {line}: joined from characters"),
                            n,
                        );
                    }
                    return Some(Value::Str(joined));
                }
                ("join", Value::Bytes(sep), Some(Value::List(items))) => {
                    let mut out = Vec::new();
                    for (i, v) in items.iter().enumerate() {
                        if i > 0 {
                            out.extend_from_slice(&sep);
                        }
                        out.extend_from_slice(&v.as_bytes()?);
                        if out.len() > max {
                            return None;
                        }
                    }
                    return Some(Value::Bytes(out));
                }
                ("decode", Value::Bytes(b), enc) => {
                    let enc = enc
                        .and_then(|e| e.as_text())
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    if enc.contains("hex") {
                        let d = decode::hex(&b, max)?;
                        self.decoded(&d, format!("line {line}: .decode('hex')"), n);
                        return Some(Value::Bytes(d));
                    }
                    if enc.contains("base64") {
                        let d = decode::base64(&b, max)?;
                        self.decoded(&d, format!("line {line}: .decode('base64')"), n);
                        return Some(Value::Bytes(d));
                    }
                    return Some(Value::Str(String::from_utf8_lossy(&b).into_owned()));
                }
                ("decode", Value::Str(s), enc) => {
                    // Python 2 str.decode('base64' | 'hex' | 'rot13').
                    let enc = enc
                        .and_then(|e| e.as_text())
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let d = if enc.contains("base64") {
                        decode::base64(s.as_bytes(), max)?
                    } else if enc.contains("hex") {
                        decode::hex(s.as_bytes(), max)?
                    } else if enc.contains("rot") {
                        decode::rot13(&s).into_bytes()
                    } else {
                        return Some(Value::Str(s));
                    };
                    self.decoded(&d, format!("line {line}: .decode('{enc}')"), n);
                    return Some(Value::Bytes(d));
                }
                ("encode", Value::Str(s), _) => return Some(Value::Bytes(s.into_bytes())),
                ("replace", Value::Str(s), Some(Value::Str(a))) => {
                    let b = a1.and_then(|v| if let Value::Str(s) = v { Some(s) } else { None })?;
                    if a.is_empty() {
                        return None;
                    }
                    let r = s.replace(&a, &b);
                    return (r.len() <= max).then_some(Value::Str(r));
                }
                ("strip" | "lower" | "upper" | "rstrip" | "lstrip", Value::Str(s), None) => {
                    return Some(Value::Str(match m {
                        "strip" => s.trim().to_owned(),
                        "rstrip" => s.trim_end().to_owned(),
                        "lstrip" => s.trim_start().to_owned(),
                        "lower" => s.to_lowercase(),
                        _ => s.to_uppercase(),
                    }));
                }
                ("format", Value::Str(_), _) => return None,
                ("index" | "find", Value::Str(s), Some(Value::Str(sub))) => {
                    let pos = if sub.chars().count() == 1 {
                        let c = sub.chars().next()?;
                        s.chars().position(|x| x == c)
                    } else {
                        s.find(sub.as_str()).map(|b| s[..b].chars().count())
                    };
                    return match pos {
                        Some(p) => i64::try_from(p).ok().map(Value::Int),
                        None if m == "find" => Some(Value::Int(-1)),
                        None => None,
                    };
                }
                ("index", Value::List(items), Some(v)) => {
                    return items
                        .iter()
                        .position(|x| *x == v)
                        .and_then(|p| i64::try_from(p).ok())
                        .map(Value::Int);
                }
                _ => {}
            }
        }
        let name = name?;
        let text_arg = |v: &Option<Value>| v.as_ref().and_then(Value::as_bytes);
        let decoded = |me: &mut Self, bytes: Option<Vec<u8>>, what: &str| -> Option<Value> {
            let b = bytes?;
            me.decoded(&b, format!("line {line}: {what}"), n);
            Some(Value::Bytes(b))
        };
        match name {
            "chr" | "unichr" => match a0? {
                Value::Int(i) => {
                    char::from_u32(u32::try_from(i).ok()?).map(|c| Value::Str(c.to_string()))
                }
                _ => None,
            },
            "ord" => match a0? {
                Value::Str(s) if s.chars().count() == 1 => s
                    .chars()
                    .next()
                    .map(|c| Value::Int(i64::from(u32::from(c)))),
                _ => None,
            },
            "int" => match (a0?, a1) {
                (Value::Str(s), Some(Value::Int(base))) => i64::from_str_radix(
                    s.trim(),
                    u32::try_from(base).ok().filter(|b| (2..=36).contains(b))?,
                )
                .ok()
                .map(Value::Int),
                (Value::Str(s), None) => s.trim().parse().ok().map(Value::Int),
                (Value::Int(i), _) => Some(Value::Int(i)),
                _ => None,
            },
            "str" => a0.filter(|v| matches!(v, Value::Str(_))),
            "len" => match a0? {
                Value::Str(s) => i64::try_from(s.chars().count()).ok().map(Value::Int),
                Value::Bytes(b) => i64::try_from(b.len()).ok().map(Value::Int),
                Value::List(l) => i64::try_from(l.len()).ok().map(Value::Int),
                _ => None,
            },
            "range" => {
                let (start, stop) = match (a0?, a1) {
                    (Value::Int(n), None) => (0, n),
                    (Value::Int(a), Some(Value::Int(b))) if pos.len() == 2 => (a, b),
                    _ => return None,
                };
                let count = usize::try_from(stop.saturating_sub(start)).unwrap_or(0);
                if count > MAX_ELEMS {
                    return None;
                }
                Some(Value::List((start..stop).map(Value::Int).collect()))
            }
            "bytes" | "bytearray" => match a0? {
                Value::List(items) => items
                    .iter()
                    .map(|v| {
                        if let Value::Int(i) = v {
                            u8::try_from(*i).ok()
                        } else {
                            None
                        }
                    })
                    .collect::<Option<Vec<u8>>>()
                    .map(Value::Bytes),
                Value::Str(s) => Some(Value::Bytes(s.into_bytes())),
                Value::Bytes(b) => Some(Value::Bytes(b)),
                _ => None,
            },
            "list" | "tuple" => match a0? {
                Value::List(l) => Some(Value::List(l)),
                Value::Str(s) => Some(Value::List(
                    s.chars().map(|c| Value::Str(c.to_string())).collect(),
                )),
                Value::Bytes(b) => Some(Value::List(
                    b.into_iter().map(|x| Value::Int(i64::from(x))).collect(),
                )),
                _ => None,
            },
            "reversed" => match a0? {
                Value::List(l) => Some(Value::List(l.into_iter().rev().collect())),
                Value::Str(s) => Some(Value::List(
                    s.chars().rev().map(|c| Value::Str(c.to_string())).collect(),
                )),
                _ => None,
            },
            "map" => {
                let f = pos.first()?.name.clone()?;
                let items = iter_items(a1)?;
                if f == "chr" {
                    items
                        .into_iter()
                        .map(|v| {
                            if let Value::Int(i) = v {
                                char::from_u32(u32::try_from(i).ok()?)
                                    .map(|c| Value::Str(c.to_string()))
                            } else {
                                None
                            }
                        })
                        .collect::<Option<Vec<_>>>()
                        .map(Value::List)
                } else {
                    None
                }
            }
            n if decoder_for(n).is_some() => {
                let f = decoder_for(n)?;
                let b = text_arg(&a0).and_then(|b| f(&b, max));
                decoded(self, b, name)
            }
            "codecs.decode" => {
                let enc = a1.as_ref().and_then(Value::as_text).or_else(|| {
                    kw.iter()
                        .find(|(k, _)| k == "encoding")
                        .and_then(|(_, e)| e.value.as_ref().and_then(Value::as_text))
                })?;
                let enc = enc.to_ascii_lowercase().replace(['_', '-'], "");
                let input = text_arg(&a0)?;
                let b = match enc.as_str() {
                    "rot13" => Some(decode::rot13(&String::from_utf8_lossy(&input)).into_bytes()),
                    "hex" | "hexcodec" => decode::hex(&input, max),
                    "base64" | "base64codec" => decode::base64(&input, max),
                    "zlib" | "zlibcodec" => decode::zlib(&input, max),
                    "bz2" => decode::bz2(&input, max),
                    _ => return Some(Value::Str(String::from_utf8_lossy(&input).into_owned())),
                };
                decoded(self, b, &format!("codecs.decode({enc})"))
            }
            _ => None,
        }
    }
}

/// What `base[key]` names when `base` is a namespace: `sys.modules["os"]` is the module
/// `os`, `os.__dict__["system"]` (also `vars(os)`, which evaluates to `os.__dict__`) is
/// `os.system`, and `globals()`/`__builtins__` lookups name builtins. `None` for any
/// other subscript.
fn lookup_by_key(base: &str, key: &str) -> Option<String> {
    if key.is_empty()
        || key.len() > 200
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return None;
    }
    if base == "sys.modules" {
        return Some(key.to_owned());
    }
    if matches!(
        base,
        "globals"
            | "locals"
            | "__builtins__"
            | "builtins"
            | "__builtins__.__dict__"
            | "builtins.__dict__"
            // `builtins.__dict__` after `normalize` stripped the `builtins.` prefix.
            | "__dict__"
            | "__builtin__"
    ) {
        return Some(normalize(key));
    }
    let owner = base.strip_suffix(".__dict__")?;
    Some(normalize(&format!("{owner}.{key}")))
}

fn concat(a: Value, b: Value, max: usize) -> Option<Value> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) if x.len() + y.len() <= max => Some(Value::Str(x + &y)),
        (Value::Bytes(mut x), Value::Bytes(y)) if x.len() + y.len() <= max => {
            x.extend_from_slice(&y);
            Some(Value::Bytes(x))
        }
        (Value::List(mut x), Value::List(y)) if x.len() + y.len() <= MAX_ELEMS => {
            x.extend(y);
            Some(Value::List(x))
        }
        _ => None,
    }
}

fn iter_items(v: Option<Value>) -> Option<Vec<Value>> {
    match v? {
        Value::List(l) => Some(l),
        Value::Bytes(b) => Some(b.into_iter().map(|x| Value::Int(i64::from(x))).collect()),
        Value::Str(s) => Some(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        _ => None,
    }
}

fn parse_int(t: &str) -> Option<i64> {
    let t = t.replace('_', "");
    let t = t.trim_end_matches(['l', 'L']);
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(h, 16).ok();
    }
    if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return i64::from_str_radix(o, 8).ok();
    }
    if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return i64::from_str_radix(b, 2).ok();
    }
    t.parse().ok()
}

/// A bounded decoder: input bytes and an output limit in bytes.
type Decoder = fn(&[u8], usize) -> Option<Vec<u8>>;

/// The bounded decoder behind a decoding call (`base64.b64decode` → [`decode::base64`]).
fn decoder_for(name: &str) -> Option<Decoder> {
    Some(match name {
        "base64.b64decode"
        | "base64.decodebytes"
        | "base64.decodestring"
        | "base64.standard_b64decode"
        | "binascii.a2b_base64"
        | "base64.urlsafe_b64decode" => decode::base64,
        "base64.b32decode" => decode::base32,
        "base64.b16decode" | "binascii.unhexlify" | "binascii.a2b_hex" | "bytes.fromhex" => {
            decode::hex
        }
        "zlib.decompress" => decode::zlib,
        "gzip.decompress" => decode::gzip,
        "bz2.decompress" => decode::bz2,
        "lzma.decompress" => decode::lzma,
        _ => return None,
    })
}

/// A command (string or argv list) as one line of text.
/// The constants of the `string` module (CPython 3), by dotted name.
fn string_module_constant(name: &str) -> Option<&'static str> {
    const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
    const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    Some(match name {
        "string.ascii_lowercase" => LOWER,
        "string.ascii_uppercase" => UPPER,
        "string.ascii_letters" => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "string.digits" => "0123456789",
        "string.hexdigits" => "0123456789abcdefABCDEF",
        "string.octdigits" => "01234567",
        "string.punctuation" => r##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##,
        _ => return None,
    })
}

fn command_text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::List(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| i.as_text().unwrap_or_else(|| "…".to_owned()))
                .collect();
            Some(parts.join(" "))
        }
        Value::Int(_) | Value::Module(_) | Value::Unknown => None,
    }
}

/// A Python index (negative from the end) into a sequence of `len` items.
fn index(i: i64, len: usize) -> Option<usize> {
    let len_i = i64::try_from(len).ok()?;
    let j = if i < 0 { len_i.checked_add(i)? } else { i };
    usize::try_from(j).ok().filter(|j| *j < len)
}

/// `x in y` on constants, as 1 or 0.
fn contains(x: Option<&Value>, y: Option<&Value>) -> Option<Value> {
    let r = match (x?, y?) {
        (Value::Str(a), Value::Str(b)) => b.contains(a.as_str()),
        (v, Value::List(items)) if !matches!(v, Value::Unknown) => items.contains(v),
        (Value::Int(i), Value::Bytes(b)) => u8::try_from(*i).is_ok_and(|i| b.contains(&i)),
        _ => return None,
    };
    Some(Value::Int(i64::from(r)))
}

/// Python's NFKC normalisation of identifiers, for the compatibility characters used to
/// disguise names: mathematical alphanumerics (`𝘪𝗺𝙥𝗼𝗿𝘵`), fullwidth forms and the
/// letterlike symbols that fill the holes of the mathematical alphabets.
fn nfkc_identifier(s: &str) -> String {
    s.chars()
        .map(|c| {
            let u = u32::from(c);
            let ascii = match u {
                // Mathematical alphanumeric letters: runs of A–Z, a–z per style.
                0x1D400..=0x1D6A3 => {
                    let k = (u - 0x1D400) % 52;
                    Some(if k < 26 { 0x41 + k } else { 0x61 + k - 26 })
                }
                // Mathematical digits: runs of 0–9 per style.
                0x1D7CE..=0x1D7FF => Some(0x30 + (u - 0x1D7CE) % 10),
                0xFF21..=0xFF3A => Some(0x41 + u - 0xFF21),
                0xFF41..=0xFF5A => Some(0x61 + u - 0xFF41),
                0xFF10..=0xFF19 => Some(0x30 + u - 0xFF10),
                0xFF3F => Some(0x5F),
                _ => None,
            };
            if let Some(a) = ascii.and_then(char::from_u32) {
                return a;
            }
            match c {
                'ℎ' => 'h',
                'ℊ' => 'g',
                'ℯ' => 'e',
                'ℰ' => 'E',
                'ℴ' => 'o',
                'ℋ' | 'ℌ' | 'ℍ' => 'H',
                'ℐ' | 'ℑ' => 'I',
                'ℒ' => 'L',
                'ℕ' => 'N',
                'ℙ' => 'P',
                'ℚ' => 'Q',
                'ℛ' | 'ℜ' | 'ℝ' => 'R',
                'ℤ' => 'Z',
                'ℬ' => 'B',
                'ℭ' | 'ℂ' => 'C',
                'ℱ' => 'F',
                'ℳ' => 'M',
                other => other,
            }
        })
        .collect()
}

/// Runs of printable ASCII at least `min` long (like `strings(1)`), for code objects.
fn printable_runs(b: &[u8], min: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for &c in b {
        if (0x20..0x7f).contains(&c) {
            cur.push(c);
        } else {
            if cur.len() >= min {
                out.push(String::from_utf8_lossy(&cur).into_owned());
            }
            cur.clear();
        }
    }
    if cur.len() >= min {
        out.push(String::from_utf8_lossy(&cur).into_owned());
    }
    out
}
