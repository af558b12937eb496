//! The JavaScript analysis and deobfuscator on hostile input (the stable side of the
//! `javascript` and `js_deobfuscate` fuzz targets): arbitrary bytes and token soup never
//! panic, stay within [`Bounds`], and deep or huge input is reported as not walked.
#![allow(clippy::unwrap_used)]

use assay_lang::{Bounds, FileRole, analyze_javascript};
use proptest::prelude::*;

/// Pieces of JavaScript that steer the walk into its interesting paths.
const TOKENS: &[&str] = &[
    "require(",
    "'child_process'",
    ").exec(",
    "eval(",
    "new Function(",
    "Buffer.from(",
    ", 'hex')",
    ", 'base64')",
    "atob(",
    "String.fromCharCode(",
    "process.env",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "`${",
    "}`",
    "=>",
    "function f(a){return ",
    ";",
    ",",
    "+",
    "'",
    "\"",
    "var _0x1a2b = [",
    "module._compile(",
    "new module.constructor",
    "window.fetch = ",
    "import x from 'fs';",
    "export * from './a';",
    "/0x[a-f0-9]{40}/g",
    "\n",
];

fn roles() -> [(FileRole, &'static str); 3] {
    [
        (FileRole::Module, "index.js"),
        (FileRole::SetupScript, "install.js"),
        (FileRole::Module, "index.tsx"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let b = Bounds::default();
        for (role, path) in roles() {
            let a = analyze_javascript(&data, path, role, &b);
            prop_assert!(a.strings.len() <= b.max_strings);
        }
        let _ = assay_lang::js::deobfuscation_harness(&data);
    }

    #[test]
    fn token_soup_never_panics(picks in proptest::collection::vec(0..TOKENS.len(), 0..200)) {
        let src: String = picks.iter().map(|&i| TOKENS[i]).collect();
        let b = Bounds::default();
        for (role, path) in roles() {
            let _ = analyze_javascript(src.as_bytes(), path, role, &b);
        }
        let _ = assay_lang::js::deobfuscation_harness(src.as_bytes());
    }
}

#[test]
fn huge_nesting_and_long_chains_are_bounded() {
    let deep = "[".repeat(100_000);
    let a = analyze_javascript(
        deep.as_bytes(),
        "x.js",
        FileRole::Module,
        &Bounds::default(),
    );
    assert!(a.unwalked);
    let chain = format!("eval({});", vec!["'a'"; 300_000].join("+"));
    let b = analyze_javascript(
        chain.as_bytes(),
        "x.js",
        FileRole::Module,
        &Bounds::default(),
    );
    assert!(!b.unwalked);
}
