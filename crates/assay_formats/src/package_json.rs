//! npm's `package.json`: what `npm install` runs and installs.
//!
//! Source: the npm CLI documentation, "package.json" (`name`, `version`, `main`, `bin`,
//! `scripts`, `dependencies`, `optionalDependencies`, `peerDependencies`,
//! `bundleDependencies`) and "scripts" (the lifecycle scripts `preinstall`, `install`,
//! `postinstall` and `prepare` that run on install; a package with a `binding.gyp` and no
//! `install`/`preinstall` script gets an implicit `node-gyp rebuild`).
//!
//! Bounded: the text ([`MAX_BYTES`]), JSON nesting (serde_json's recursion limit of 128),
//! and the entries kept per map ([`MAX_ENTRIES`]). A file over a bound or not valid JSON
//! is an error, which callers report (fail closed); fields of the wrong type are ignored
//! and listed in [`PackageJson::defects`], as npm itself ignores them.

use crate::FormatError;
use std::collections::BTreeMap;

/// Largest `package.json` parsed, in bytes.
pub const MAX_BYTES: usize = 4 << 20;

/// Most entries kept per map (`scripts`, `bin`, each dependency table).
pub const MAX_ENTRIES: usize = 4_096;

/// The lifecycle scripts `npm install` runs for an installed package, in order.
pub const INSTALL_SCRIPTS: &[&str] = &["preinstall", "install", "postinstall"];

/// The parts of a `package.json` that decide what installing the package runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    /// `name` (`@scope/name` or `name`).
    pub name: Option<String>,
    /// `version`.
    pub version: Option<String>,
    /// `main`: the module `require(name)` loads.
    pub main: Option<String>,
    /// `scripts`: name → shell command.
    pub scripts: BTreeMap<String, String>,
    /// `bin`: command name → file (a string `bin` is one command named after the package).
    pub bin: BTreeMap<String, String>,
    /// Every dependency table (`dependencies`, `optionalDependencies`,
    /// `peerDependencies`, `devDependencies`): `(table, name, spec)`.
    pub dependencies: Vec<(String, String, String)>,
    /// Fields present with a type npm would not use (`"scripts": []`).
    pub defects: Vec<String>,
}

impl PackageJson {
    /// The lifecycle scripts `npm install` runs, as `(hook, command)`, in run order.
    pub fn install_scripts(&self) -> Vec<(&str, &str)> {
        INSTALL_SCRIPTS
            .iter()
            .filter_map(|h| self.scripts.get(*h).map(|c| (*h, c.as_str())))
            .collect()
    }

    /// The bare package name (after the scope) for a string `bin`.
    fn bare_name(&self) -> Option<&str> {
        let n = self.name.as_deref()?;
        Some(n.rsplit('/').next().unwrap_or(n))
    }
}

/// Parse a `package.json`.
///
/// # Errors
/// [`FormatError::TooMany`] over [`MAX_BYTES`]; [`FormatError::Invalid`] when the text is
/// not a JSON object.
pub fn parse_package_json(data: &[u8]) -> Result<PackageJson, FormatError> {
    if data.len() > MAX_BYTES {
        return Err(FormatError::TooMany {
            file: "package.json",
            what: "bytes",
            limit: MAX_BYTES,
        });
    }
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let v: serde_json::Value = serde_json::from_slice(data).map_err(|e| FormatError::Invalid {
        file: "package.json",
        message: format!("invalid JSON: {e}"),
    })?;
    let Some(obj) = v.as_object() else {
        return Err(FormatError::Invalid {
            file: "package.json",
            message: "not a JSON object".into(),
        });
    };
    let mut p = PackageJson::default();
    let string = |k: &str| obj.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    p.name = string("name");
    p.version = string("version");
    p.main = string("main");
    let mut defects = Vec::new();
    let map = |key: &str, defects: &mut Vec<String>| -> BTreeMap<String, String> {
        match obj.get(key) {
            None | Some(serde_json::Value::Null) => BTreeMap::new(),
            Some(serde_json::Value::Object(m)) => m
                .iter()
                .take(MAX_ENTRIES)
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect(),
            Some(_) => {
                defects.push(format!("`{key}` is not an object"));
                BTreeMap::new()
            }
        }
    };
    p.scripts = map("scripts", &mut defects);
    for table in [
        "dependencies",
        "optionalDependencies",
        "peerDependencies",
        "devDependencies",
    ] {
        for (name, spec) in map(table, &mut defects) {
            p.dependencies.push((table.to_owned(), name, spec));
        }
    }
    match obj.get("bin") {
        Some(serde_json::Value::String(s)) => {
            if let Some(n) = p.bare_name() {
                p.bin.insert(n.to_owned(), s.clone());
            }
        }
        Some(serde_json::Value::Object(_)) => p.bin = map("bin", &mut defects),
        None | Some(serde_json::Value::Null) => {}
        Some(_) => defects.push("`bin` is neither a string nor an object".into()),
    }
    p.defects = defects;
    Ok(p)
}

/// The package files a lifecycle command runs with Node (or Bun/Deno): `node x.js`,
/// `node ./scripts/install`, `bun run setup.ts`, each part of a `&&`/`||`/`;` chain, and
/// `npm run <name>` followed once into `scripts`. Paths are relative to the package
/// directory, `./` removed. Flags (`--max-old-space-size=…`) are skipped; `node -e …`
/// (inline code) names no file.
pub fn files_run_by(command: &str, scripts: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    collect_run(command, scripts, &mut out, 0);
    out
}

fn collect_run(
    command: &str,
    scripts: &BTreeMap<String, String>,
    out: &mut Vec<String>,
    depth: u32,
) {
    if depth > 2 || out.len() > 16 {
        return;
    }
    for part in command.split(['&', '|', ';']).take(32) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let Some((first, rest)) = words.split_first() else {
            continue;
        };
        let runner = first.rsplit('/').next().unwrap_or(first);
        match runner {
            "node" | "nodejs" | "bun" | "deno" | "tsx" | "ts-node" => {
                let mut it = rest.iter().copied();
                while let Some(w) = it.next() {
                    if matches!(w, "-e" | "--eval" | "-p" | "--print") {
                        break;
                    }
                    if w.starts_with('-') || matches!(w, "run" | "x") {
                        if matches!(w, "-r" | "--require" | "--import")
                            && let Some(m) = it.next()
                        {
                            push_path(m, out);
                        }
                        continue;
                    }
                    push_path(w, out);
                    break;
                }
            }
            "npm" | "yarn" | "pnpm" if rest.first() == Some(&"run") => {
                if let Some(cmd) = rest.get(1).and_then(|n| scripts.get(*n)) {
                    collect_run(cmd, scripts, out, depth + 1);
                }
            }
            _ if first.starts_with("./")
                && (first.ends_with(".js")
                    || first.ends_with(".cjs")
                    || first.ends_with(".mjs")) =>
            {
                push_path(first, out);
            }
            _ => {}
        }
    }
}

fn push_path(w: &str, out: &mut Vec<String>) {
    let w = w.trim_matches(['"', '\'']);
    if w.is_empty() || w.contains("://") || w.starts_with('/') {
        return;
    }
    let w = w.strip_prefix("./").unwrap_or(w);
    if !out.iter().any(|o| o == w) {
        out.push(w.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scripts_bin_and_dependencies() {
        let p = parse_package_json(
            br#"{"name":"@s/tool","version":"1.0.0","bin":"cli.js",
                "scripts":{"postinstall":"node ./setup.js && npm run build","build":"tsc","preinstall":"node --max-old-space-size=4096 pre.js"},
                "dependencies":{"a":"^1","b":"git+https://example.invalid/b.git"}}"#,
        )
        .unwrap();
        assert_eq!(p.bin.get("tool").map(String::as_str), Some("cli.js"));
        assert_eq!(p.install_scripts().len(), 2);
        assert_eq!(p.dependencies.len(), 2);
        assert_eq!(
            files_run_by(p.scripts.get("postinstall").unwrap(), &p.scripts),
            vec!["setup.js"]
        );
        assert_eq!(
            files_run_by(p.scripts.get("preinstall").unwrap(), &p.scripts),
            vec!["pre.js"]
        );
    }

    #[test]
    fn npm_run_is_followed_and_inline_code_names_no_file() {
        let mut s = BTreeMap::new();
        s.insert("setup".to_owned(), "bun run setup_bun.js".to_owned());
        assert_eq!(files_run_by("npm run setup", &s), vec!["setup_bun.js"]);
        assert!(files_run_by("node -e \"require('./x')\"", &s).is_empty());
        // A loop of scripts ends.
        s.insert("a".to_owned(), "npm run a".to_owned());
        assert!(files_run_by("npm run a", &s).is_empty());
    }

    /// The `package_json` fuzz target's stable smoke test: 5,000 deterministic mutations
    /// of a real-shaped manifest through the same entry points, none panics.
    #[test]
    fn mutations_never_panic() {
        let seed = br#"{"name":"a","version":"1.0.0","bin":{"a":"cli.js"},"scripts":{"postinstall":"node ./x.js && npm run b","b":"bun run y.ts"},"dependencies":{"c":"^1","d":"git+https://example.invalid/d.git"}}"#;
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5_000 {
            let mut m = seed.to_vec();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % m.len();
                m[at] = (state >> 32) as u8;
            }
            if let Ok(p) = parse_package_json(&m) {
                for (_, cmd) in p.install_scripts() {
                    let _ = files_run_by(cmd, &p.scripts);
                }
            }
        }
    }

    #[test]
    fn wrong_types_are_defects_and_bad_json_an_error() {
        let p = parse_package_json(br#"{"scripts":[],"bin":3}"#).unwrap();
        assert_eq!(p.defects.len(), 2);
        assert!(parse_package_json(b"{").is_err());
        assert!(parse_package_json(b"[1]").is_err());
        assert!(parse_package_json(&vec![b' '; MAX_BYTES + 1]).is_err());
    }
}
