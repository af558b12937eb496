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

/// How the C preprocessor treats a line of a snippet (C11 §6.10.1, conditional
/// inclusion), judged without knowing the build's macros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Always compiled: outside every conditional group, or under `#if 1`.
    Always,
    /// Compiled only if a condition holds (`#ifdef X`, `#if defined(X) && …`, `#else`).
    Conditional,
    /// Never compiled (`#if 0`, the `#else` of `#if 1`).
    Dead,
}

/// Most nested conditional groups followed; deeper lines are `Conditional`.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy)]
struct Group {
    /// This branch.
    now: Reach,
    /// An earlier branch was always taken: the rest are dead.
    taken: bool,
    /// An earlier branch depended on a condition.
    cond: bool,
}

/// `#if` / `#elif` expressions that are integer constants: `Some(true)` for a nonzero
/// literal, `Some(false)` for zero, `None` for anything that needs macros.
fn constant(expr: &str) -> Option<bool> {
    let e = expr.split("//").next().unwrap_or("").trim();
    let e = e.trim_start_matches('(').trim_end_matches(')').trim();
    let digits = e.trim_end_matches(['u', 'U', 'l', 'L']);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(digits.bytes().any(|b| b != b'0'));
    }
    None
}

/// The [`Reach`] of every line (0-based) of `code`. A directive line gets the reach of
/// the branch it opens or closes (an error the parser reports on `#endif` belongs to the
/// group it ends). Line continuations (`\`) carry the directive over.
pub fn reach(code: &str) -> Vec<Reach> {
    let mut stack: Vec<Group> = Vec::new();
    let mut out = Vec::new();
    let here = |st: &[Group]| {
        if st.iter().any(|g| g.now == Reach::Dead) {
            Reach::Dead
        } else if st.iter().any(|g| g.now == Reach::Conditional) {
            Reach::Conditional
        } else {
            Reach::Always
        }
    };
    let mut continued = false;
    for line in code.lines() {
        let t = line.trim_start();
        if continued {
            out.push(here(&stack));
            continued = line.trim_end().ends_with('\\');
            continue;
        }
        continued = t.starts_with('#') && line.trim_end().ends_with('\\');
        let Some(d) = t.strip_prefix('#') else {
            out.push(here(&stack));
            continue;
        };
        let d = d.trim_start();
        let (word, rest) = d
            .split_once(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or((d, ""));
        match word {
            "if" | "ifdef" | "ifndef" => {
                let now = match (word, constant(rest)) {
                    ("if", Some(true)) => Reach::Always,
                    ("if", Some(false)) => Reach::Dead,
                    _ => Reach::Conditional,
                };
                if stack.len() < MAX_DEPTH {
                    stack.push(Group {
                        now,
                        taken: now == Reach::Always,
                        cond: now == Reach::Conditional,
                    });
                } else {
                    // Too deep to follow: treat the rest as conditional, never as always.
                    if let Some(g) = stack.last_mut() {
                        g.now = Reach::Conditional;
                    }
                }
                out.push(here(&stack));
            }
            "elif" | "elifdef" | "elifndef" | "else" => {
                out.push(here(&stack));
                if let Some(g) = stack.last_mut() {
                    let c = if word == "elif" { constant(rest) } else { None };
                    g.now = if g.taken {
                        Reach::Dead
                    } else {
                        match (word, c) {
                            (_, Some(false)) => Reach::Dead,
                            ("else", _) | (_, Some(true)) if !g.cond => Reach::Always,
                            _ => Reach::Conditional,
                        }
                    };
                    g.taken |= g.now == Reach::Always;
                    g.cond |= g.now == Reach::Conditional;
                }
            }
            "endif" => {
                out.push(here(&stack));
                stack.pop();
            }
            _ => out.push(here(&stack)),
        }
    }
    out
}

/// A line that is only words (`choke me`, `compile error`, `error: no foo`): the idiom
/// for failing a check on purpose when it sits in a conditional group (autoconf's own
/// tests use `choke me` under `#ifndef __GNUC__`). A stray `.` or other punctuation is
/// not.
fn deliberate(line: &str) -> bool {
    let t = line.trim().trim_end_matches(';').trim();
    t.starts_with('#')
        || (!t.is_empty()
            && t.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
            && t.chars().all(|c| {
                c.is_alphanumeric() || c == '_' || c == ' ' || c == '\t' || c == ':' || c == '!'
            }))
}

/// Where a snippet fails to parse as C in a way a compiler must hit: `Some((1-based line
/// inside the snippet, the text of that line))`, `None` when it parses. Build-tool
/// substitutions (`@VAR@`, `${VAR}`) are replaced by `0` first.
///
/// The snippet's preprocessor structure is read first ([`reach`]): an error in a group
/// that is never compiled (`#if 0`) does not count, nor does a deliberate error in a
/// conditional group (a line of words, see `deliberate`, or an `#error`): that is how a
/// check is made to fail on purpose when a condition holds. An error in code that is
/// always compiled, or punctuation that breaks a conditional group, is reported.
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
    let reach = reach(&code);
    let lines: Vec<&str> = code.lines().collect();
    let counts = |row: usize| {
        let text = lines.get(row).copied().unwrap_or("");
        match reach.get(row).copied().unwrap_or(Reach::Always) {
            Reach::Always => true,
            Reach::Dead => false,
            Reach::Conditional => !deliberate(text),
        }
    };
    // ERROR and MISSING nodes in document order (bounded walk); the first that counts.
    let mut cursor = root.walk();
    let mut budget = 1_000_000u32;
    'walk: loop {
        budget = budget.saturating_sub(1);
        let n = cursor.node();
        let mut descend = n.has_error();
        if n.is_error() || n.is_missing() {
            let row = n.start_position().row;
            if counts(row) {
                let text = lines.get(row).copied().unwrap_or("").trim().to_owned();
                return Some((u32::try_from(row + 1).unwrap_or(u32::MAX), text));
            }
            descend = false;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if budget == 0 {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    None
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

    /// Must not match: deliberate failures under a condition, and anything under `#if 0`.
    #[test]
    fn deliberate_errors_under_a_condition_are_the_idiom() {
        for code in [
            "#ifndef __GNUC__\n       choke me\n#endif\nint main(void) { return 0; }\n",
            "#include <immintrin.h>\n#if !defined(__x86_64__)\ncompile error\n#endif\nint main(void) { return 0; }\n",
            "#if defined(__AVX2__)\nint ok;\n#else\nerror: no AVX2\n#endif\nint main(void) { return 0; }\n",
            "#ifdef X\n#error \"no X\"\n#endif\nint main(void) { return 0; }\n",
            "#if 0\n. garbage (\n#endif\nint main(void) { return 0; }\n",
            "#if 1\nint ok;\n#else\n.\n#endif\nint main(void) { return 0; }\n",
        ] {
            assert_eq!(parse_error(code), None, "{code}");
        }
    }

    /// Must match: a stray token in code that is always compiled, including under
    /// `#if 1` and after a closed group, and punctuation that breaks the only branch.
    #[test]
    fn stray_tokens_that_a_compiler_must_hit() {
        for (code, line) in [
            ("#ifdef X\n#endif\n.\nint main(void) { return 0; }\n", 3),
            ("#if 1\n.\n#endif\nint main(void) { return 0; }\n", 2),
            (
                "#ifdef __linux__\n#include <linux/landlock.h>\n.\n#endif\nint main(void) { return 0; }\n",
                3,
            ),
            ("#if 0\n#else\n.\n#endif\nint main(void) { return 0; }\n", 3),
        ] {
            let (l, t) = parse_error(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!((l, t.as_str()), (line, "."), "{code}");
        }
    }

    #[test]
    fn reach_of_nested_groups() {
        use Reach::*;
        let r = reach(
            "a\n#if 0\nb\n#elif defined(X)\nc\n#else\nd\n#endif\n#if 1\ne\n#ifdef Y\nf\n#endif\n#endif\ng\n",
        );
        assert_eq!(
            r,
            [
                Always,
                Dead,
                Dead,
                Dead,
                Conditional,
                Conditional,
                Conditional,
                Conditional,
                Always,
                Always,
                Conditional,
                Conditional,
                Conditional,
                Always,
                Always
            ]
        );
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
