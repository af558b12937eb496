//! C snippets of build feature checks, and whether they parse.
//!
//! Extracted from CMake (`check_c_source_compiles` / `check_c_source_runs` with a quoted
//! or `[[bracket]]` argument, CMake language manual §"Quoted Argument") and autoconf
//! (`AC_LANG_SOURCE([[…]])`, `AC_LANG_PROGRAM([[prologue]], [[body]])`, Autoconf manual
//! §6.2 "Writing Test Programs"). Snippets are parsed with tree-sitter-c; nothing is
//! compiled or run.

use regex::Regex;
use std::sync::LazyLock;

/// Largest snippet parsed (bytes); longer ones are skipped as not a feature check.
const MAX_SNIPPET: usize = 64 * 1024;
/// Most snippets taken from one file.
const MAX_SNIPPETS: usize = 256;

/// One feature-check snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based line of the build file where the snippet's text starts.
    pub line: u32,
    /// The C source as the build tool passes it to the compiler (quotes unescaped).
    pub code: String,
}

static CMAKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)check_c_source_(?:compiles|runs)\s*\(\s*(?:"((?:[^"\\]|\\.)*)"|\[\[(.*?)\]\])"#,
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});
static AC_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)AC_LANG_SOURCE\(\s*\[\[(.*?)\]\]\s*\)")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static AC_PROGRAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)AC_LANG_PROGRAM\(\s*\[\[(.*?)\]\]\s*,\s*\[\[(.*?)\]\]\s*\)")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static CMAKE_SET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)\bset\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s+(?:"((?:[^"\\]|\\.)*)"|\[\[(.*?)\]\])"#,
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});
static VAR_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*$")
        .unwrap_or_else(|_| unreachable!("static regex"))
});
static SUBST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"@[A-Za-z_][A-Za-z0-9_]*@|\$\{[A-Za-z_][A-Za-z0-9_]*\}")
        .unwrap_or_else(|_| unreachable!("static regex"))
});

fn line_of(text: &str, offset: usize) -> u32 {
    let upto = text.get(..offset).unwrap_or(text);
    u32::try_from(memchr::memchr_iter(b'\n', upto.as_bytes()).count() + 1).unwrap_or(u32::MAX)
}

/// CMake quoted-argument escapes: `\"`, `\\`, `\n`, `\t`, `\;`, `\$`.
fn cmake_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// The feature-check snippets of a build file's text.
///
/// A CMake check whose source argument is only a variable (`"${code}"`) takes the text of
/// that variable's `set(code "…")` / `set(code [[…]])` in the same file: the last one
/// before the check, else the first after it (CMake language manual §"Variable
/// References"); one that cannot be found is skipped.
pub fn extract(text: &str) -> Vec<Snippet> {
    let mut out = Vec::new();
    let sets: Vec<(usize, &str, Snippet)> = CMAKE_SET
        .captures_iter(text)
        .take(MAX_SNIPPETS * 4)
        .filter_map(|c| {
            let name = c.get(1)?.as_str();
            let (m, code) = match (c.get(2), c.get(3)) {
                (Some(m), _) => (m, cmake_unescape(m.as_str())),
                (None, Some(m)) => (m, m.as_str().to_owned()),
                _ => return None,
            };
            let line = line_of(text, m.start());
            Some((m.start(), name, Snippet { line, code }))
        })
        .collect();
    let resolve = |name: &str, at: usize| {
        let defs = || sets.iter().filter(|(_, n, _)| *n == name);
        defs()
            .rfind(|(o, _, _)| *o < at)
            .or_else(|| defs().next())
            .map(|(_, _, s)| s.clone())
    };
    for c in CMAKE.captures_iter(text).take(MAX_SNIPPETS) {
        if let Some(m) = c.get(1) {
            let code = cmake_unescape(m.as_str());
            if let Some(v) = VAR_ONLY.captures(&code).and_then(|v| v.get(1)) {
                out.extend(resolve(v.as_str(), m.start()));
                continue;
            }
            out.push(Snippet {
                line: line_of(text, m.start()),
                code,
            });
        } else if let Some(m) = c.get(2) {
            out.push(Snippet {
                line: line_of(text, m.start()),
                code: m.as_str().to_owned(),
            });
        }
    }
    let mut program_spans = Vec::new();
    for c in AC_PROGRAM.captures_iter(text).take(MAX_SNIPPETS) {
        if let (Some(all), Some(pro), Some(body)) = (c.get(0), c.get(1), c.get(2)) {
            program_spans.push(all.range());
            // AC_LANG_PROGRAM(C): prologue, then `int main (void) { body ; return 0; }`.
            out.push(Snippet {
                line: line_of(text, pro.start()),
                code: format!(
                    "{}\nint main (void)\n{{\n{}\n;\n  return 0;\n}}\n",
                    pro.as_str(),
                    body.as_str()
                ),
            });
        }
    }
    for c in AC_SOURCE.captures_iter(text).take(MAX_SNIPPETS) {
        if let Some(m) = c.get(1) {
            if program_spans.iter().any(|r| r.contains(&m.start())) {
                continue;
            }
            out.push(Snippet {
                line: line_of(text, m.start()),
                code: m.as_str().to_owned(),
            });
        }
    }
    // A snippet that is still only substitutions (`@VAR@`, a variable set in another
    // file) has no C text of its own here.
    out.retain(|s| {
        s.code.len() <= MAX_SNIPPET && !SUBST.replace_all(&s.code, "").trim().is_empty()
    });
    out.truncate(MAX_SNIPPETS);
    out
}

/// Where a snippet fails to parse as C: `Some((1-based line inside the snippet, the
/// text of that line))`, `None` when it parses. Build-tool substitutions (`@VAR@`,
/// `${VAR}`) are replaced by `0` first.
pub fn parse_error(code: &str) -> Option<(u32, String)> {
    let code = SUBST.replace_all(code, "0");
    let mut parser = tree_sitter::Parser::new();
    if parser
        .set_language(&tree_sitter_c::LANGUAGE.into())
        .is_err()
    {
        // The grammar is compiled in; failing to load it is a build defect, and a
        // snippet we cannot check is reported rather than passed.
        return Some((1, "tree-sitter-c grammar could not be loaded".to_owned()));
    }
    let tree = parser.parse(code.as_bytes(), None)?;
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    // First ERROR or MISSING node in document order, bounded walk.
    let mut cursor = root.walk();
    let mut budget = 1_000_000u32;
    let mut row = 0usize;
    'walk: loop {
        budget = budget.saturating_sub(1);
        let n = cursor.node();
        if n.is_error() || n.is_missing() {
            row = n.start_position().row;
            break;
        }
        if n.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() || budget == 0 {
                break 'walk;
            }
        }
    }
    let text = code.lines().nth(row).unwrap_or("").trim().to_owned();
    Some((u32::try_from(row + 1).unwrap_or(u32::MAX), text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LANDLOCK_OK: &str = "check_c_source_compiles(\"\n#include <linux/landlock.h>\n#include <sys/syscall.h>\nvoid my_sandbox(void)\n{\n    (void)SYS_landlock_create_ruleset;\n}\nint main(void) { return 0; }\n\" HAVE_LINUX_LANDLOCK)\n";

    #[test]
    fn good_cmake_snippet_parses() {
        let s = extract(LANDLOCK_OK);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].line, 1);
        assert_eq!(parse_error(&s[0].code), None);
    }

    #[test]
    fn stray_dot_is_found_with_its_line() {
        let bad = LANDLOCK_OK.replace(
            "#include <sys/syscall.h>\n",
            "#include <sys/syscall.h>\n.\n",
        );
        let s = extract(&bad);
        let (line, text) = parse_error(&s[0].code).expect("must not parse");
        assert_eq!(text, ".");
        assert_eq!(line, 4);
    }

    #[test]
    fn autoconf_program_and_escapes() {
        let ac = "AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <stdio.h>]], [[puts(\"x\");]])], [ok=yes])";
        let s = extract(ac);
        assert_eq!(s.len(), 1);
        assert_eq!(parse_error(&s[0].code), None);
        let s = extract(
            "check_c_source_compiles(\"int main(void){ const char *s = \\\"@X@\\\"; return 0; }\" HAVE_X)",
        );
        assert_eq!(parse_error(&s[0].code), None, "{:?}", s);
    }

    #[test]
    fn variable_defined_elsewhere_is_skipped() {
        assert!(extract("check_c_source_compiles(\"${mmap_test_code}\" USE_MMAP)").is_empty());
    }

    #[test]
    fn variable_snippet_resolves_to_its_set() {
        let good = "set(test_code \"\n#include <sys/mman.h>\nint main(void) { return 0; }\n\")\ncheck_c_source_compiles(\"${test_code}\" HAVE_MMAN)\n";
        let s = extract(good);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].line, 1);
        assert!(s[0].code.contains("#include <sys/mman.h>"));
        assert_eq!(parse_error(&s[0].code), None);
        // The stray `.` hidden in the variable is found at its line in the set().
        let bad = good.replace("#include <sys/mman.h>\n", "#include <sys/mman.h>\n.\n");
        let s = extract(&bad);
        let (l, _) = parse_error(&s[0].code).expect("broken");
        assert_eq!(s[0].line + l - 1, 3);
        // The definition before the check wins over a later one.
        let two = format!("{good}set(test_code [[int broken(]])\n");
        assert_eq!(parse_error(&extract(&two)[0].code), None);
    }

    proptest! {
        // Extraction and parsing are total on arbitrary text.
        #[test]
        fn total(text in "(check_c_source_compiles\\(\"|AC_LANG_SOURCE\\(\\[\\[|\\]\\]\\)|\"|[ -~\\n])*") {
            for s in extract(&text) {
                let _ = parse_error(&s.code);
            }
            let _ = parse_error(&text);
        }
    }
}
