//! REL010 build-script-payload.

use crate::context::Cx;
use assay_core::{Confidence, Entry, Finding, Location, Severity};
use regex::Regex;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Reads the build scripts an artifact ships — shell scripts, `configure`,
    /// `configure.ac`, m4 macros, Makefiles (`Makefile`, `*.am`, `*.in`, `*.mk`), CMake
    /// files — for the moves that turn data into code at build time:
    /// 1. a decode or decompress step (`xz -d`, `base64 -d`, `gzip -dc`, `$var -d`)
    ///    piped into `sh`, `bash` or `eval`, or any pipeline into `eval`;
    /// 2. a `tr` substitution map of symbols (`tr "\t \-_" " \t_\-"`), which "repairs" a
    ///    deliberately corrupted file;
    /// 3. carving bytes out of a file with `head -c`/`tail -c`/`dd skip=`, twice or more;
    /// 4. a binary marker search over the tree (`grep -a…` with a pattern), the way the
    ///    xz macro found its payload;
    /// 5. reading a file under `tests/` from the build.
    ///
    /// A pipeline into a shell after a decode (1) is enough; otherwise two of the others
    /// must meet in one file. Confidence is high with three signals or more.
    ///
    /// ## Why it matters
    /// The xz-utils backdoor (2024) lived in `m4/build-to-host.m4`, present only in the
    /// release tarball: it found a "corrupt" test file with `grep -aErls`, repaired it
    /// with `tr "\t \-_" " \t_\-"`, decompressed it with `xz -d` and piped the result to
    /// `eval`; the second stage carved the object file out with `head -c`/`tail -c`
    /// chains. None of it is code a reviewer reads in the repository.
    ///
    /// ## Example
    /// `gl_path_map='tr "\t \-_" " \t_\-"'` and `sed "r\n" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d | eval` in an m4 macro.
    ///
    /// ## False positives
    /// Self-extracting installers (`tail -n +N "$0" | tar x`) carve their own script, and
    /// some `configure` scripts pipe generated text into `eval`; one signal alone is not
    /// reported, so these stay quiet unless they also decode and run.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094), `build-to-host.m4` and the stage-2 script
    /// - MITRE ATT&CK T1027.009 (Embedded Payloads)
    pub static META = BuildScriptPayload;
}

/// Whether a path names a build script (by name; shell scripts by kind too).
pub(crate) fn is_build_script(e: &Entry) -> bool {
    let lower = e.path.to_ascii_lowercase();
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    e.file_kind == assay_core::FileKind::Script
        || matches!(
            base,
            "configure"
                | "configure.ac"
                | "configure.in"
                | "makefile"
                | "gnumakefile"
                | "cmakelists.txt"
                | "meson.build"
                | "bootstrap"
                | "autogen.sh"
        )
        || [".m4", ".am", ".mk", ".cmake", ".ac", ".sh"]
            .iter()
            .any(|x| base.ends_with(x))
        || (base.starts_with("makefile") && base.ends_with(".in"))
}

/// Longest text read per build script (bytes); `configure` scripts are ~1 MB.
const MAX_TEXT: usize = 8 << 20;

static DECODE_TO_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:\bxz|\bunxz|\blzma|\bunlzma|\bgzip|\bgunzip|\bzcat|\bxzcat|\bbzip2|\bzstd|\bbase64|\bopenssl|\$\{?[A-Za-z_\[\]$0-9]+\}?)
        [^|\n]{0,40}?
        (?:\s-[a-zA-Z]*d[a-zA-Z]*\b|\s--decode\b|\s--decompress\b|\s-D\b)
        [^|\n]{0,80}
        \|\s*(?:/bin/|/usr/bin/)?(?:ba)?sh\b",
    )
    .expect("static regex")
});

static PIPE_EVAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\|\s*eval\b").expect("static regex"));

static TR_MAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\btr\s+(?:-[a-z]+\s+)?["']([^"'\n]{3,40})["']\s+["']([^"'\n]{3,40})["']"#)
        .expect("static regex")
});

static CARVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:head|tail)\s+-c\s*\+?\$?\w|\bdd\b[^\n|]*\bskip=").expect("static regex")
});

static GREP_BINARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgrep\s+-[a-zA-Z]*a[a-zA-Z]*[lrsE][a-zA-Z]*\s|\bgrep\s+-[a-zA-Z]*[lrsE][a-zA-Z]*a[a-zA-Z]*\s")
        .expect("static regex")
});

static TESTS_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\$\{?(?:srcdir|top_srcdir|abs_srcdir)\}?/|\s|^|['\x22])tests?/(?:files/)?[\w./-]*\.(?:xz|lzma|gz|bz2|zst|bin|dat)\b")
        .expect("static regex")
});

/// A `tr SET1 SET2` byte map whose sets hold symbols (not a case change such as
/// `tr a-z A-Z` or `tr '[:upper:]' '[:lower:]'`), as 256 bytes.
pub(crate) fn tr_maps(text: &str) -> Vec<[u8; 256]> {
    let mut out = Vec::new();
    for c in TR_MAP.captures_iter(text).take(32) {
        let (Some(a), Some(b)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let (a, b) = (unescape(a.as_str()), unescape(b.as_str()));
        if a.len() != b.len() || a.len() < 2 || a.contains(&b'[') {
            continue;
        }
        let symbols = a.iter().filter(|x| !x.is_ascii_alphanumeric()).count();
        if symbols * 2 < a.len() || a == b {
            continue;
        }
        let mut map = [0u8; 256];
        for (i, m) in map.iter_mut().enumerate() {
            *m = u8::try_from(i).unwrap_or(0);
        }
        for (x, y) in a.iter().zip(&b) {
            if let Some(slot) = map.get_mut(usize::from(*x)) {
                *slot = *y;
            }
        }
        out.push(map);
    }
    out
}

/// `tr`'s escapes: `\t`, `\n`, `\\`, `\-`, octal `\NNN`.
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            match b.get(i + 1) {
                Some(b't') => out.push(b'\t'),
                Some(b'n') => out.push(b'\n'),
                Some(b'r') => out.push(b'\r'),
                Some(&d) if d.is_ascii_digit() => {
                    let digits: Vec<u8> = b
                        .iter()
                        .skip(i + 1)
                        .take(3)
                        .take_while(|x| (b'0'..=b'7').contains(*x))
                        .copied()
                        .collect();
                    let v = digits
                        .iter()
                        .fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'));
                    out.push(u8::try_from(v & 0xff).unwrap_or(0));
                    i += 1 + digits.len();
                    continue;
                }
                Some(&other) => out.push(other),
                None => out.push(b'\\'),
            }
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Check the build scripts.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx.artifact.entries.iter().filter(|e| is_build_script(e)) {
        let data = e.data.get(..e.data.len().min(MAX_TEXT)).unwrap_or_default();
        if data.contains(&0) {
            continue;
        }
        let text = String::from_utf8_lossy(data);
        let mut signals: Vec<(&str, usize)> = Vec::new();
        let line_of = |off: usize| text.get(..off).map_or(0, |t| t.matches('\n').count()) + 1;
        if let Some(m) = DECODE_TO_SHELL.find(&text) {
            signals.push(("decoded data piped into a shell", m.start()));
        }
        let evals: Vec<usize> = PIPE_EVAL.find_iter(&text).map(|m| m.start()).collect();
        if let Some(&first) = evals.first() {
            signals.push(("a pipeline into eval", first));
        }
        if let Some(m) = TR_MAP.find(&text).filter(|_| !tr_maps(&text).is_empty()) {
            signals.push(("a tr substitution map of symbols", m.start()));
        }
        let carves: Vec<usize> = CARVE.find_iter(&text).map(|m| m.start()).collect();
        if carves.len() >= 2 {
            signals.push(("byte carving (head -c / tail -c / dd skip=)", carves[0]));
        }
        if let Some(m) = GREP_BINARY.find(&text) {
            signals.push(("a binary marker search (grep -a)", m.start()));
        }
        if let Some(m) = TESTS_READ.find(&text) {
            signals.push(("a test data file read by the build", m.start()));
        }
        let strong = signals
            .iter()
            .any(|(s, _)| *s == "decoded data piped into a shell");
        // A pipeline into eval counts only beside another signal: configure scripts
        // use it for generated assignments.
        let weak = signals.len() - usize::from(strong);
        if !(strong || weak >= 2) {
            continue;
        }
        let confidence = if signals.len() >= 3 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        let first = signals.iter().map(|(_, o)| *o).min().unwrap_or(0);
        let mut loc = Location::file(e.path.clone());
        loc.line = u32::try_from(line_of(first)).ok();
        let names: Vec<&str> = signals.iter().map(|(s, _)| *s).collect();
        out.push(Finding::new(
            assay_core::Rule::BuildScriptPayload,
            Severity::High,
            confidence,
            loc,
            format!("build script with {}", names.join(", ")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr_map_of_the_xz_macro() {
        let maps = tr_maps(r#"gl_path_map='tr "\t \-_" " \t_\-"'"#);
        assert_eq!(maps.len(), 1);
        let m = maps[0];
        assert_eq!(m[usize::from(b'\t')], b' ');
        assert_eq!(m[usize::from(b' ')], b'\t');
        assert_eq!(m[usize::from(b'-')], b'_');
        assert_eq!(m[usize::from(b'_')], b'-');
        assert_eq!(m[usize::from(b'a')], b'a');
        assert!(tr_maps("tr a-z A-Z").is_empty());
        assert!(tr_maps("tr '[:upper:]' '[:lower:]'").is_empty());
        assert!(tr_maps("tr 'abc' 'xyz'").is_empty());
    }

    #[test]
    fn decode_to_shell() {
        assert!(DECODE_TO_SHELL.is_match("xz -dc payload.xz | sh"));
        assert!(DECODE_TO_SHELL.is_match("cat x | base64 --decode | bash"));
        assert!(DECODE_TO_SHELL.is_match("$gl_prefix -d 2>/dev/null | /bin/sh"));
        assert!(!DECODE_TO_SHELL.is_match("xz -dc data.xz | tar x"));
        assert!(!DECODE_TO_SHELL.is_match("curl -fsSL https://x | sh"));
    }
}
