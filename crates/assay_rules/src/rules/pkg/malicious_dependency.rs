//! PKG015 known-malicious-dependency.

use crate::context::{Cx, is_test_or_doc};
use assay_core::{Finding, Location, Severity};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Looks up every dependency the package declares or installs in the advisory index
    /// (`assay db update`; OSV `MAL-` records of PyPI) and flags one that is a
    /// known-malicious release: a name every version of which is malicious, or a pin
    /// (`==`) to a malicious version. Dependencies are read from the package's own
    /// metadata (`Requires-Dist` in a wheel's `METADATA` or an sdist's `PKG-INFO`, an
    /// `.egg-info/requires.txt`), from `setup.py`'s `install_requires` list, `setup.cfg`
    /// and `pyproject.toml`'s `[project] dependencies`, an sdist's top-level
    /// `requirements.txt`, and from `pip install …` commands in code that runs at install,
    /// startup or import time (strings and process arguments, also decoded ones). Without
    /// an advisory index this rule finds nothing.
    ///
    /// ## Why it matters
    /// A dropper need not carry its payload: it declares, or `pip install`s on import, a
    /// second package that does (`pip install pystob` in an otherwise empty package). The
    /// second package is often reported first; the index then names the first as its
    /// carrier.
    ///
    /// ## Example
    /// `Requires-Dist: stillrequestsa` where `MAL-…` reports every version of
    /// `stillrequestsa`; `os.system("pip install pystob")` in `__init__.py`.
    ///
    /// ## False positives
    /// A legitimate package whose dependency was later compromised under one version is
    /// flagged only when it pins that version. Under tests and docs the finding is medium.
    ///
    /// ## References
    /// - OpenSSF malicious-packages (OSV `MAL-` records)
    /// - PEP 508 (dependency specifiers), PEP 621 (`[project] dependencies`)
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain)
    pub static META = KnownMaliciousDependency;
}

/// Most PKG015 findings per artifact.
const MAX_FINDINGS: usize = 20;
/// Most dependency names looked up per artifact.
const MAX_NAMES: usize = 2_000;
/// Longest `install_requires` / `dependencies` list read, in bytes.
const MAX_LIST: usize = 64 << 10;

/// A requirement's project name (PEP 508: letters, digits, `.`, `_`, `-`, starting and
/// ending alphanumeric) and the version it is pinned to with `==`, if any.
pub(crate) fn requirement(s: &str) -> Option<(&str, Option<&str>)> {
    let s = s.trim();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(s.len());
    let name = s.get(..end)?.trim_end_matches(['.', '_', '-']);
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    // The version part, before any environment marker (`; extra == "x"`).
    let rest = s.get(end..).unwrap_or("").split(';').next().unwrap_or("");
    let pinned = rest.split_once("==").and_then(|(_, v)| {
        let v = v.trim_start();
        let end = v
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '_' | '-'))
            })
            .unwrap_or(v.len());
        let v = v.get(..end)?;
        (!v.is_empty() && !v.starts_with('=')).then_some(v)
    });
    Some((name, pinned))
}

/// The quoted strings of the bracketed list after `key` (`install_requires=[…]`,
/// `"install_requires": […]`, `dependencies = […]`), within [`MAX_LIST`] bytes.
fn quoted_list<'t>(text: &'t str, key: &str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find(key)) {
        let after = from + at + key.len();
        from = after;
        let rest = text.get(after..).unwrap_or("");
        let lead = rest.trim_start_matches(['"', '\'', ' ', '\t']);
        let Some(lead) = lead.strip_prefix(['=', ':']) else {
            continue;
        };
        let Some(body) = lead.trim_start().strip_prefix('[') else {
            continue;
        };
        let body = body.get(..body.len().min(MAX_LIST)).unwrap_or(body);
        let body = body.split(']').next().unwrap_or(body);
        let mut parts = body.split(['"', '\'']);
        // Every second piece is inside quotes.
        parts.next();
        for (i, p) in parts.enumerate() {
            if i % 2 == 0 {
                out.push(p);
            }
        }
    }
    out
}

/// The package names a `pip install` command line names (`pip install -q a b==1`,
/// `python -m pip install --upgrade x`): the words after `install` that are not options,
/// option values, files, URLs or paths.
fn pip_installs(words: &[&str]) -> Vec<String> {
    let Some(i) = words.windows(2).position(|w| {
        w.first().is_some_and(|p| {
            let p = p.rsplit(['/', '\\']).next().unwrap_or(p);
            p == "pip" || p == "pip3" || p == "pip.exe" || p == "pip3.exe"
        }) && w.get(1) == Some(&"install")
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut skip_value = false;
    for w in words.iter().skip(i + 2) {
        if skip_value {
            skip_value = false;
            continue;
        }
        if w.starts_with('-') {
            // Options that take a value as the next word.
            skip_value = matches!(
                *w,
                "-r" | "-c"
                    | "-e"
                    | "-i"
                    | "-t"
                    | "--requirement"
                    | "--constraint"
                    | "--index-url"
                    | "--extra-index-url"
                    | "--target"
                    | "--prefix"
                    | "--root"
                    | "-f"
                    | "--find-links"
            );
            continue;
        }
        if matches!(*w, ">" | ">>" | "&&" | "||" | ";" | "|" | "2>" | "2>&1") {
            break;
        }
        if w.contains("://") || w.contains('/') || w.contains('\\') || w.ends_with(".txt") {
            continue;
        }
        out.push((*w).to_owned());
    }
    out
}

/// Words of a shell command string, or of a Python list of arguments
/// (`[sys.executable, "-m", "pip", "install", "x"]`: its quoted items).
fn words(s: &str) -> Vec<&str> {
    if s.trim_start().starts_with('[') {
        s.split(['"', '\''])
            .skip(1)
            .step_by(2)
            .map(str::trim)
            .collect()
    } else {
        s.split_whitespace()
            .map(|w| w.trim_matches(['"', '\'', ',']))
            .collect()
    }
}

/// Raise PKG015.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let Some(lookup) = crate::known_packages::get() else {
        return;
    };
    // (requirement text, where, how it is named)
    let mut deps: Vec<(String, Location, &'static str)> = Vec::new();
    for e in &cx.artifact.entries {
        // The package's own files, not those of archives it carries.
        if !e.complete || e.path.contains("!/") || e.data.len() > (16 << 20) {
            continue;
        }
        let name = e.file_name();
        let text = || String::from_utf8_lossy(&e.data);
        let depth = e.path.matches('/').count();
        match name {
            "METADATA" | "PKG-INFO" => {
                for (i, l) in text().lines().enumerate() {
                    if let Some(r) = l.strip_prefix("Requires-Dist:") {
                        let mut loc = Location::file(&e.path);
                        loc.line = u32::try_from(i + 1).ok();
                        deps.push((r.to_owned(), loc, "Requires-Dist"));
                    }
                }
            }
            "requires.txt" if e.path.contains(".egg-info/") => {
                for (i, l) in text().lines().enumerate() {
                    if l.starts_with('[') {
                        break; // extras sections follow the plain requirements
                    }
                    let mut loc = Location::file(&e.path);
                    loc.line = u32::try_from(i + 1).ok();
                    deps.push((l.to_owned(), loc, "requires.txt"));
                }
            }
            "requirements.txt" if depth <= 1 => {
                for (i, l) in text().lines().enumerate() {
                    let mut loc = Location::file(&e.path);
                    loc.line = u32::try_from(i + 1).ok();
                    deps.push((l.to_owned(), loc, "requirements.txt"));
                }
            }
            "setup.py" | "pyproject.toml" | "setup.cfg" if depth <= 1 => {
                let t = text();
                let key = if name == "pyproject.toml" {
                    "dependencies"
                } else {
                    "install_requires"
                };
                for r in quoted_list(&t, key) {
                    deps.push((r.to_owned(), Location::file(&e.path), key));
                }
                if name == "setup.cfg"
                    && let Some((_, rest)) = t.split_once("install_requires")
                {
                    // `install_requires =` followed by indented lines.
                    for l in rest
                        .lines()
                        .skip(1)
                        .take_while(|l| l.starts_with([' ', '\t']))
                    {
                        deps.push((l.to_owned(), Location::file(&e.path), key));
                    }
                }
            }
            _ => {}
        }
    }
    // `pip install …` run by code that runs without the user: command strings and process
    // arguments (decoded ones included).
    for f in &cx.code {
        for s in &f.analysis.strings {
            if s.context.is_automatic() && s.value.len() < 4096 && s.value.contains("install") {
                for n in pip_installs(&words(&s.value)) {
                    deps.push((n, f.string_location(s), "pip install"));
                }
            }
        }
        for ev in &f.analysis.events {
            if let Some(arg) = &ev.arg
                && ev.context.is_automatic()
                && arg.contains("install")
            {
                for n in pip_installs(&words(arg)) {
                    deps.push((n, f.event_location(ev), "pip install"));
                }
            }
        }
    }
    let mut seen: HashSet<(String, Option<String>)> = HashSet::new();
    let mut found = 0;
    for (req, loc, how) in deps {
        let Some((name, pinned)) = requirement(&req) else {
            continue;
        };
        let key = (name.to_ascii_lowercase(), pinned.map(str::to_owned));
        if seen.len() >= MAX_NAMES || !seen.insert(key) {
            continue;
        }
        let Some(advisory) = lookup(name, pinned) else {
            continue;
        };
        let what = match pinned {
            Some(v) => format!("`{name}=={v}`"),
            None => format!("`{name}`"),
        };
        let mut x = cx.finding(
            &META,
            loc,
            format!("{how} names {what}, a known-malicious release: {advisory}"),
        );
        if is_test_or_doc(&x.location.path) {
            x.severity = Severity::Medium;
        }
        out.push(x);
        found += 1;
        if found >= MAX_FINDINGS {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names_and_pins() {
        assert_eq!(requirement("requests (>=2.0)"), Some(("requests", None)));
        assert_eq!(
            requirement(" pystob==0.1.2 ; python_version>'3'"),
            Some(("pystob", Some("0.1.2")))
        );
        assert_eq!(requirement("a.b_c-d[extra]>=1"), Some(("a.b_c-d", None)));
        assert_eq!(
            requirement("x===1.0"),
            Some(("x", None)),
            "arbitrary equality is no pin"
        );
        assert_eq!(requirement("# comment"), None);
        assert_eq!(requirement(""), None);
    }

    #[test]
    fn pip_install_words() {
        let w = words(
            "pip install -q --upgrade pystob==1.0 -r req.txt -i https://x.invalid/simple evil > nul 2>&1",
        );
        assert_eq!(pip_installs(&w), ["pystob==1.0", "evil"]);
        let w = words("[sys.executable, \"-m\", \"pip\", \"install\", \"secrevtwo\"]");
        assert_eq!(pip_installs(&w), ["secrevtwo"]);
        assert!(pip_installs(&words("pip list")).is_empty());
        assert!(pip_installs(&words("apt-get install curl")).is_empty());
        assert!(pip_installs(&words("pip install ./local https://x.invalid/a.whl")).is_empty());
    }

    #[test]
    fn lists_after_keys() {
        let t = "setup(name='x',\n  install_requires=[\"requests>=2\", 'pystob'],\n)";
        assert_eq!(
            quoted_list(t, "install_requires"),
            ["requests>=2", "pystob"]
        );
        let t = "[project]\ndependencies = [\n  \"httpx\",\n  \"evil==1.0\",\n]\n";
        assert_eq!(quoted_list(t, "dependencies"), ["httpx", "evil==1.0"]);
        assert!(quoted_list("install_requires = reqs", "install_requires").is_empty());
    }
}
