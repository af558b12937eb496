//! The pre-parse reduction must not change what the analysis reports: for modules built
//! from snippets that exercise each way a unit can matter (hot calls, aliases, decoders
//! inlined from cold-looking helpers, reachability through skipped code, decorators,
//! docstrings that look like code, continuation lines), the reduced analysis finds the
//! same events (kind, API, line, context) and the same strings as the full parse.
#![allow(clippy::unwrap_used)]

use assay_lang::{Analysis, Bounds, FileRole, analyze_python_reduced, analyze_python_with};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Module-level snippets and definitions; each ends with a newline.
const UNITS: &[&str] = &[
    "import os\n",
    "import subprocess as sp\n",
    "from os import system as run_it\n",
    "import base64, zlib\n",
    "import requests\n",
    "KEY = 'aGVsbG8='\n",
    "runner = os.system\n",
    "def cold(a, b):\n    total = a + b\n    return total * 2\n",
    "def spawn():\n    sp.Popen(['echo', 'x'])\n",
    "def alias_call():\n    run_it('id')\n",
    "def assigned_alias():\n    runner('id')\n",
    "def dec(s):\n    return base64.b64decode(s)\n",
    "def xor(s, k):\n    return ''.join(chr(ord(c) ^ k) for c in s)\n",
    "def via_dec():\n    return dec(KEY)\n",
    "def fetch():\n    return requests.get('https://example.invalid/a').text\n",
    "def relay():\n    data = fetch()\n    return data\n",
    "def chain():\n    relay()\n",
    "@decorator\ndef decorated():\n    os.system('x')\n",
    "@decorator\ndef decorated_cold():\n    return 1\n",
    "def doc():\n    '''\ndef fake():\n    os.system('no')\n'''\n    return 2\n",
    // (A bracket continuation at column 0 is valid Python but sends tree-sitter-python's
    // error recovery astray; the reduction handles it, the full parse does not.)
    "def cont():\n    x = (1 +\n        2)\n    return x \\\n        + 1\n",
    "class Thing:\n    '''A thing.'''\n    size = 3\n\n    def __init__(self):\n        self.n = 0\n\n    def go(self):\n        os.system('go')\n\n    @property\n    def quiet(self):\n        return 'message text'\n",
    "class Plain:\n    def a(self):\n        return self.b()\n\n    def b(self):\n        return 'b'\n",
    "exec(dec(KEY))\n",
    "chain()\n",
    "Thing()\n",
    "if __name__ == '__main__':\n    spawn()\n",
    "def documented():\n    \"\"\"Return nothing at all. This docstring is prose and\n    documents the function for its readers.\"\"\"\n    return None\n",
    "'''Module notes: these words are prose. They document the module for readers.'''\n",
    "BANNER = '''Prose that is data: assigned to a name, so it is kept for rules.\nA second line.'''\n",
    "def big_cold():\n    values = []\n    for i in range(10):\n        values.append(i * i)\n    return values\n",
];

fn facts(a: &Analysis) -> (BTreeSet<String>, BTreeSet<String>) {
    let events = a
        .events
        .iter()
        .map(|e| format!("{:?} {} {} {:?}", e.kind, e.api, e.line, e.context))
        .collect();
    let strings = a
        .strings
        .iter()
        .map(|s| format!("{} {} {:?}", s.value, s.line, s.context))
        .collect();
    (events, strings)
}

fn module(picks: &[usize]) -> String {
    // The imports the snippets use come first: a word such as `requests` in a file that
    // never imports it is taken for a variable by the reduction (by design), while the
    // walker would still name the call `requests.get`.
    let mut src = String::from("import os\nimport requests\n");
    for &p in picks {
        src.push_str(UNITS[p % UNITS.len()]);
        src.push('\n');
    }
    // Past the reduction's size floor.
    for i in 0..40 {
        src.push_str(&format!(
            "def filler_{i}(a):\n    return [a, a + 1, a + 2, a + 3, a + 4]\n\n"
        ));
    }
    src
}

fn never(_: &[u8]) -> bool {
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn reduced_analysis_reports_what_the_full_parse_reports(
        picks in proptest::collection::vec(0usize..UNITS.len(), 1..14)
    ) {
        let src = module(&picks);
        for role in [FileRole::Module, FileRole::PackageInit] {
            let full = analyze_python_with(src.as_bytes(), role, &Bounds::default());
            let reduced = analyze_python_reduced(src.as_bytes(), role, &Bounds::default(), &never);
            let (fe, fs) = facts(&full);
            let (re, rs) = facts(&reduced);
            prop_assert_eq!(&fe, &re, "events differ for\n{}", src);
            prop_assert_eq!(&fs, &rs, "strings differ for\n{}", src);
            prop_assert_eq!(full.lines, reduced.lines);
            prop_assert_eq!(full.max_line_len, reduced.max_line_len);
        }
    }
}

#[test]
fn setup_scripts_and_indicator_files_are_parsed_whole() {
    let src = module(&[0, 7]);
    let r = analyze_python_reduced(
        src.as_bytes(),
        FileRole::SetupScript,
        &Bounds::default(),
        &never,
    );
    let f = analyze_python_with(src.as_bytes(), FileRole::SetupScript, &Bounds::default());
    assert_eq!(facts(&r), facts(&f));
    let with_ioc = format!("{src}\nPATH = '~/.ssh/id_rsa'\n");
    let r = analyze_python_reduced(
        with_ioc.as_bytes(),
        FileRole::Module,
        &Bounds::default(),
        &|t: &[u8]| t.windows(4).any(|w| w == b".ssh"),
    );
    let f = analyze_python_with(with_ioc.as_bytes(), FileRole::Module, &Bounds::default());
    assert_eq!(facts(&r), facts(&f));
}

/// A string that is a whole statement (a docstring) and reads as prose is documentation:
/// not recorded, in the full parse or the reduced one. The same prose assigned to a name,
/// and a short bare string, are data and are recorded.
#[test]
fn prose_docstrings_are_not_recorded() {
    let src = module(&[UNITS.len() - 4, UNITS.len() - 3, UNITS.len() - 2]);
    let src = format!("'''short'''\n{src}");
    for r in [
        analyze_python_with(src.as_bytes(), FileRole::Module, &Bounds::default()),
        analyze_python_reduced(src.as_bytes(), FileRole::Module, &Bounds::default(), &never),
    ] {
        let has = |w: &str| r.strings.iter().any(|s| s.value.contains(w));
        assert!(!has("documents the function"), "{:?}", r.strings);
        assert!(!has("document the module"), "{:?}", r.strings);
        assert!(has("Prose that is data"), "{:?}", r.strings);
        assert!(has("short"), "{:?}", r.strings);
    }
}
