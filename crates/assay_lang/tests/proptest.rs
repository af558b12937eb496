//! Property tests of the Python analysis on hostile input: arbitrary bytes and token soup
//! never panic in any [`FileRole`] and stay within [`Bounds`]; nested decode layers stop
//! at [`Bounds::max_decode_depth`].
#![allow(clippy::unwrap_used)]

use assay_lang::{Analysis, Bounds, EventKind, FileRole, analyze_python, analyze_python_with};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;

const ROLES: [FileRole; 4] = [
    FileRole::SetupScript,
    FileRole::Startup,
    FileRole::PackageInit,
    FileRole::Module,
];

/// Pieces of Python that steer the walker into its interesting paths: decoders, exec,
/// string folding, `chr()` joins, comprehensions, lambdas, scopes, unbalanced brackets
/// and quotes, odd indentation.
const TOKENS: &[&str] = &[
    "exec(",
    "eval(",
    "compile(",
    "base64.b64decode(",
    "base64.b32decode(",
    "bytes.fromhex(",
    "zlib.decompress(",
    "codecs.decode(",
    "'rot13'",
    "marshal.loads(",
    "__import__(",
    "getattr(",
    "os.system(",
    "subprocess.Popen(",
    "[sys.executable, '-c', ",
    "urllib.request.urlopen(",
    "import base64",
    "import os, subprocess, sys",
    "from os import system as s",
    "chr(",
    "ord(",
    "''.join(",
    ".join(",
    "[::-1]",
    "for",
    " x ",
    " in ",
    "range(",
    "lambda",
    " x: ",
    "def f():",
    "class C(install):",
    "return ",
    "if __name__ == '__main__':",
    "with open(",
    "setup(cmdclass={'install': C})",
    "=",
    "+",
    "*",
    "%",
    ",",
    ":",
    ";",
    ".",
    "'",
    "\"",
    "'''",
    "b'",
    "f'",
    "r'",
    "\\",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "\n    ",
    "\n        ",
    "\t",
    "#",
    "0",
    "1",
    "65",
    "0x41",
    "1e309",
    "-1",
    "9999999999999999999999",
    "x",
    "s",
    "'aW1wb3J0IG9z'",
    "'696d706f7274206f73'",
    "'echo assay-canary'",
    "'https://example.invalid/x'",
];

/// Token soup: up to 300 tokens from [`TOKENS`].
fn python_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..300).prop_map(|t| t.concat())
}

/// What must hold for any analysis under `bounds`, whatever the input.
fn check_bounded(a: &Analysis, bounds: &Bounds) {
    for e in &a.events {
        assert!(
            e.chain.len() <= bounds.max_decode_depth as usize,
            "event {} with a decode chain of {}: {:?}",
            e.api,
            e.chain.len(),
            e.chain
        );
        assert!(e.line >= 1 && e.column >= 1, "{e:?}");
    }
    // At the bound, decoded text is no longer parsed but still recorded as a string (so IOC
    // rules see it): one decode step more than the deepest code.
    for s in &a.strings {
        assert!(
            s.chain.len() <= bounds.max_decode_depth as usize + 1,
            "string with a decode chain of {}: {:?}",
            s.chain.len(),
            s.chain
        );
    }
    assert!(a.strings.len() <= bounds.max_strings);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(src in prop::collection::vec(any::<u8>(), 0..4096)) {
        for role in ROLES {
            check_bounded(&analyze_python(&src, role), &Bounds::default());
        }
    }

    #[test]
    fn python_ish_token_soup_never_panics(src in python_ish()) {
        for role in ROLES {
            check_bounded(&analyze_python(src.as_bytes(), role), &Bounds::default());
        }
    }

    /// Valid UTF-8 that is not Python at all (any code point, including controls and
    /// surrogate-adjacent planes).
    #[test]
    fn arbitrary_text_never_panics(src in ".{0,1024}") {
        for role in ROLES {
            check_bounded(&analyze_python(src.as_bytes(), role), &Bounds::default());
        }
    }

    /// Real decode layers (each one valid Python) of any depth, under any depth bound.
    #[test]
    fn nested_layers_respect_any_depth_bound(layers in 0usize..12, max_depth in 0u32..6) {
        let bounds = Bounds { max_decode_depth: max_depth, ..Bounds::default() };
        let a = analyze_python_with(nested_exec(layers).as_bytes(), FileRole::Module, &bounds);
        check_bounded(&a, &bounds);
        let deepest = a.events.iter().map(|e| e.chain.len()).max().unwrap_or(0);
        prop_assert_eq!(deepest, layers.min(max_depth as usize));
    }
}

// ------------------------------------------------------------------ decode depth

/// The harmless stand-in for a payload.
const CANARY: &str = "import os; os.system('echo assay-canary')";

/// [`CANARY`] wrapped in `layers` layers of `import base64; exec(base64.b64decode('…'))`:
/// every layer is a Python program that decodes and runs the next.
fn nested_exec(layers: usize) -> String {
    let mut code = CANARY.to_owned();
    for _ in 0..layers {
        code = format!(
            "import base64\nexec(base64.b64decode('{}'))\n",
            STANDARD.encode(&code)
        );
    }
    code
}

#[test]
fn a_literal_encoded_ten_times_is_decoded_within_bounds() {
    // Base64 of base64 of … (10 times) of the payload, decoded once by the code.
    let mut blob = CANARY.to_owned();
    for _ in 0..10 {
        blob = STANDARD.encode(&blob);
    }
    let src = format!("import base64\nexec(base64.b64decode('{blob}'))\n");
    let bounds = Bounds::default();
    for role in ROLES {
        let a = analyze_python(src.as_bytes(), role);
        check_bounded(&a, &bounds);
        assert!(
            a.events.iter().any(|e| e.kind == EventKind::Exec),
            "the exec itself is reported: {:?}",
            a.events
        );
        assert!(
            !a.events.iter().any(|e| e.api == "os.system"),
            "nine encodings deep is not code: {:?}",
            a.events
        );
    }
}

#[test]
fn ten_nested_exec_layers_stop_at_max_decode_depth() {
    let bounds = Bounds::default();
    let max = bounds.max_decode_depth as usize;
    assert!(max < 10, "the test needs more layers than the bound");
    let a = analyze_python(nested_exec(10).as_bytes(), FileRole::SetupScript);
    check_bounded(&a, &bounds);
    // Followed down to the bound: the exec of each layer up to it is reported, once.
    let mut depths: Vec<usize> = a
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Exec)
        .map(|e| e.chain.len())
        .collect();
    depths.sort_unstable();
    assert_eq!(depths, (0..=max).collect::<Vec<_>>());
    // The payload at layer 10 is out of reach.
    assert!(!a.events.iter().any(|e| e.api == "os.system"));
}

#[test]
fn nested_exec_layers_within_the_bound_reach_the_payload() {
    let bounds = Bounds::default();
    let layers = bounds.max_decode_depth as usize;
    let a = analyze_python(nested_exec(layers).as_bytes(), FileRole::SetupScript);
    let system = a
        .events
        .iter()
        .find(|e| e.api == "os.system")
        .unwrap_or_else(|| panic!("payload not reached: {:?}", a.events));
    assert_eq!(system.chain.len(), layers, "{:?}", system.chain);
    assert!(!a.truncated);
}

/// `Analysis::truncated` is documented as "true when a bound stopped the analysis early
/// (the result is partial)". Ten layers against a depth bound of four leave six layers —
/// and the payload — unanalysed, so the flag should be set.
#[test]
fn hitting_the_decode_depth_bound_marks_the_analysis_truncated() {
    let a = analyze_python(nested_exec(10).as_bytes(), FileRole::SetupScript);
    assert!(
        a.truncated,
        "six decode layers were skipped but the analysis does not say it is partial"
    );
}
