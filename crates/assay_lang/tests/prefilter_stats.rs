//! The reduction skips most of a large module of cold functions (measured by the
//! process-wide [`assay_lang::STATS`]; alone in its test binary so no other test adds to
//! the counters).
#![allow(clippy::unwrap_used)]

use assay_lang::{Bounds, FileRole, analyze_python_reduced};

#[test]
fn large_cold_module_is_mostly_skipped() {
    let mut src = String::from("import os\n\nprint(os.sep)\n\n");
    for i in 0..60 {
        src.push_str(&format!(
            "def helper_{i}(a):\n    '''Return a few numbers.'''\n    return [a, a + 1, a + 2]\n\n"
        ));
    }
    src.push_str("def spawn():\n    os.system('echo')\n");
    let a = analyze_python_reduced(
        src.as_bytes(),
        FileRole::Module,
        &Bounds::default(),
        &|_| false,
    );
    let (source, parsed) = assay_lang::STATS.totals();
    assert_eq!(source, src.len() as u64);
    assert!(parsed * 4 < source, "{parsed} of {source}");
    // What was kept is still analysed, and the skipped docstrings are still recorded.
    let line = src.lines().position(|l| l.contains("os.system")).unwrap() as u32 + 1;
    assert!(
        a.events
            .iter()
            .any(|e| e.api == "os.system" && e.line == line)
    );
    assert_eq!(
        a.strings
            .iter()
            .filter(|s| &*s.value == "Return a few numbers.")
            .count(),
        60
    );
}
