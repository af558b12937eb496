//! PKG013 bytecode-without-source.

use crate::context::Cx;
use assay_core::{Capability, ExecutionContext, FileKind, Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Finds compiled Python (`.pyc`) that Python would load although no source is
    /// shipped for it, and reports what its strings name:
    ///
    /// - a *sourceless* module (`pkg/mod.pyc`, or `pkg/__init__.pyc`, with no `mod.py`
    ///   beside it) is imported from the bytecode alone;
    /// - an *unchecked* hash-based `.pyc` in `__pycache__` (PEP 552 flags `0b01`) is
    ///   loaded without ever comparing it with its source, so a harmless `mod.py` can sit
    ///   beside a different program.
    ///
    /// The marshalled code object's names and constants (read as the printable runs of
    /// the file, never unmarshalled) are matched for process, code-execution, decoding
    /// and network names. High by default; critical when the module is imported by a
    /// `.pth` line or is `sitecustomize`/`usercustomize` (it runs at every interpreter
    /// start), when its names show process start or code execution, or when they pair a
    /// network client with a secret source (the environment, `~/.ssh`, `~/.aws`,
    /// `.netrc`, `.pypirc`, `~/.kube`): the shape of an exfiltration flow.
    ///
    /// ## Why it matters
    /// Source analysis cannot see code that is only shipped compiled. A `.pth` line
    /// `import pkg` with `pkg/__init__.pyc` and no `__init__.py` runs a payload at every
    /// start that no source scanner reads.
    ///
    /// ## Example
    /// A wheel with `evil.pth` (`import helper`) and `helper/__init__.pyc` only.
    ///
    /// ## False positives
    /// Bytecode inside an archive the package ships (a PyInstaller binary's
    /// `base_library.zip`) is not on the package's import path and is not reported.
    /// Closed-source packages that ship bytecode only (rare on PyPI; most ship native
    /// extensions instead). `__pycache__` files next to their source that Python checks
    /// (timestamp or checked-hash `.pyc`) are ignored: a stale one is recompiled.
    ///
    /// ## References
    /// - PEP 3147 (`__pycache__`), PEP 552 (deterministic pycs)
    /// - Python docs, `importlib` — `SourcelessFileLoader`
    /// - MITRE ATT&CK T1027 (Obfuscated Files or Information)
    pub static META = BytecodeWithoutSource;
}

/// Names in a code object that start processes or execute code.
const RUN_NAMES: [&str; 11] = [
    "system",
    "popen",
    "Popen",
    "check_output",
    "check_call",
    "spawnv",
    "startfile",
    "exec",
    "eval",
    "execv",
    "run_path",
];
/// Names that decode, load code objects or reach the network.
const OTHER_NAMES: [&str; 9] = [
    "b64decode",
    "decompress",
    "marshal",
    "loads",
    "urlopen",
    "urlretrieve",
    "socket",
    "requests",
    "ctypes",
];

/// Names among [`OTHER_NAMES`] that send data out.
const NETWORK_NAMES: [&str; 4] = ["urlopen", "urlretrieve", "socket", "requests"];
/// Names of secret sources: the environment and credential files (matched as names, or
/// as the last component of a path constant: `~/.ssh`, `/.aws`).
const SECRET_NAMES: [&str; 7] = [
    "environ", "getenv", ".ssh", ".aws", ".netrc", ".pypirc", ".kube",
];

/// Check every `.pyc` of the artifact.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let has = |p: &str| cx.artifact.entries.iter().any(|e| e.path == p);
    // Modules the `.pth` lines import, as paths without extension (`pkg/mod`).
    let startup: Vec<String> = cx
        .code
        .iter()
        .filter(|f| f.pth_line.is_some())
        .flat_map(|f| f.analysis.imports.iter().map(|(m, _)| m.clone()))
        .map(|m| m.trim_start_matches('.').replace('.', "/"))
        .collect();
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::Bytecode)
    {
        let Some(stem) = e.path.strip_suffix(".pyc").or(e.path.strip_suffix(".pyo")) else {
            continue;
        };
        // Bytecode inside an archive the package ships (a PyInstaller binary's
        // `base_library.zip`) belongs to that program, not to the package's import path.
        if e.path.contains("!/") {
            continue;
        }
        // A top-level module's cache (`__pycache__/six.cpython-311.pyc` in site-packages)
        // is a `__pycache__` file like any other, with the source at the root.
        let cached = stem
            .rsplit_once("/__pycache__/")
            .map(|(dir, file)| (format!("{dir}/"), file))
            .or_else(|| {
                stem.strip_prefix("__pycache__/")
                    .map(|file| (String::new(), file))
            });
        let (loaded, how) = match cached {
            // `pkg/__pycache__/mod.cpython-312.pyc`: loaded only with `pkg/mod.py`, and
            // then compared with it unless the file is an unchecked hash-based pyc.
            Some((dir, file)) => {
                let module = file.split('.').next().unwrap_or(file);
                let unchecked = e.data.get(4..8) == Some(&[1, 0, 0, 0][..]);
                (
                    unchecked && has(&format!("{dir}{module}.py")),
                    "an unchecked hash-based .pyc, loaded without comparing it with its source",
                )
            }
            // `pkg/mod.pyc`: imported from the bytecode when there is no `pkg/mod.py`.
            None => (
                !has(&format!("{stem}.py")),
                "no source beside it: Python imports the bytecode",
            ),
        };
        if !loaded {
            continue;
        }
        let module = stem.strip_suffix("/__init__").unwrap_or(stem);
        let rel = cx.rel(module);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let at_start = startup
            .iter()
            .any(|m| rel == m || rel.ends_with(&format!("/{m}")))
            || matches!(name, "sitecustomize" | "usercustomize");
        let strings = printable_runs(&e.data);
        let found: Vec<&str> = RUN_NAMES
            .iter()
            .chain(OTHER_NAMES.iter())
            .copied()
            .filter(|n| strings.iter().any(|s| names(s, n)))
            .collect();
        let runs = found.iter().any(|n| RUN_NAMES.contains(n));
        // Exfiltration shape: a network client beside a read of secrets (the environment,
        // credential files). The same pair in source is an exfiltration flow (PY009).
        let secrets: Vec<&str> = SECRET_NAMES
            .iter()
            .copied()
            .filter(|n| {
                strings
                    .iter()
                    .any(|s| names(s, n) || s.contains(&format!("/{n}")))
            })
            .collect();
        let network = found.iter().any(|n| NETWORK_NAMES.contains(n));
        let exfil = network && !secrets.is_empty();
        let found: Vec<&str> = found.into_iter().chain(secrets).collect();
        let mut x = cx.finding(
            &META,
            Location::file(e.path.clone()),
            format!(
                "{how}{}{}",
                if at_start {
                    "; imported at every interpreter start"
                } else {
                    ""
                },
                if found.is_empty() {
                    String::new()
                } else {
                    format!("; names {}", found.join(", "))
                }
            ),
        );
        if at_start || runs || exfil {
            x.severity = Severity::Critical;
            x.capabilities = vec![Capability::CodeExec];
        }
        if at_start {
            x.context = Some(ExecutionContext::Startup);
        }
        out.push(x);
    }
}

/// Printable ASCII runs of at least 2 bytes (marshalled names are short interned
/// strings, each preceded by a type and a length byte), bounded in count.
fn printable_runs(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for &b in data.iter().take(16 << 20) {
        if b.is_ascii_graphic() || b == b' ' {
            cur.push(b);
        } else {
            if cur.len() >= 2 && out.len() < 100_000 {
                out.push(String::from_utf8_lossy(&cur).into_owned());
            }
            cur.clear();
        }
    }
    if cur.len() >= 2 {
        out.push(String::from_utf8_lossy(&cur).into_owned());
    }
    out
}

/// Whether a printable run is the name `n`, possibly followed by the next object's
/// marshal type byte (`Z`, `z`, `a`, `u`, `s`, `)` … when its reference flag is clear).
fn names(run: &str, n: &str) -> bool {
    run == n
        || run.strip_prefix(n).is_some_and(|rest| {
            rest.len() == 1 && rest.bytes().all(|b| b"ZzAasuNTF)(r".contains(&b))
        })
}
