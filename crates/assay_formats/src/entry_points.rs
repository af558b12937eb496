//! Entry points: `entry_points.txt` in `*.dist-info`/`*.egg-info`, and the
//! `[project.scripts]`, `[project.gui-scripts]` and `[project.entry-points.*]` tables of
//! `pyproject.toml`.
//!
//! Specs: packaging.python.org "Entry points specification" and PEP 621. The
//! `console_scripts` and `gui_scripts` groups matter most: installers turn each entry
//! into an executable on `PATH` that imports `module` and calls `attr`.
//!
//! `entry_points.txt` is read the way `importlib.metadata` reads it (its `Sectioned`
//! reader), since that is what decides which code runs:
//!
//! * lines are split as `str.splitlines()` splits them, then stripped;
//! * blank lines and lines starting with `#` are skipped;
//! * `[group]` starts a group (all `[` and `]` at either end are stripped from the name);
//! * any other line is `name = value`, split at the first `=`, both sides stripped;
//! * lines before the first group are ignored by `importlib.metadata` (here: a defect),
//!   and a line without `=` makes it raise (here: a defect).

use crate::FormatError;
use crate::lines::{Newlines, lines};

/// At most this many lines (`entry_points.txt`) or entries (`pyproject.toml`) are read;
/// more is [`FormatError::TooMany`].
pub const MAX_ENTRY_POINTS: usize = 100_000;

/// Defects are recorded up to this many.
const MAX_DEFECTS: usize = 100;

/// One entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPoint {
    /// The group, e.g. `console_scripts`.
    pub group: String,
    /// The entry's name (for scripts: the command installed on `PATH`).
    pub name: String,
    /// The object reference, `module.path:attr.path [extra1, extra2]`, as written.
    pub value: String,
    /// 1-based line in `entry_points.txt`; `None` when read from `pyproject.toml`.
    pub line_no: Option<usize>,
}

impl EntryPoint {
    /// Whether installers make this entry an executable (`console_scripts`, `gui_scripts`).
    pub fn is_script(&self) -> bool {
        self.group == "console_scripts" || self.group == "gui_scripts"
    }

    /// The module part of [`EntryPoint::value`] (before `:`), trimmed.
    pub fn module(&self) -> &str {
        let reference = self.value.split('[').next().unwrap_or_default();
        reference.split(':').next().unwrap_or_default().trim()
    }

    /// The attribute part of [`EntryPoint::value`] (after `:`), trimmed, if any.
    pub fn attr(&self) -> Option<&str> {
        let reference = self.value.split('[').next().unwrap_or_default();
        reference.split_once(':').map(|(_, attr)| attr.trim())
    }
}

/// The entry points of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryPoints {
    /// Entries in file order (`pyproject.toml`: scripts, gui-scripts, then entry-points
    /// groups in key order).
    pub entries: Vec<EntryPoint>,
    /// `(1-based line number, what is wrong)`; line 0 for `pyproject.toml`. At most 100.
    pub defects: Vec<(usize, String)>,
}

impl EntryPoints {
    /// Entries of the `console_scripts` and `gui_scripts` groups.
    pub fn scripts(&self) -> impl Iterator<Item = &EntryPoint> {
        self.entries.iter().filter(|e| e.is_script())
    }

    fn defect(&mut self, line_no: usize, what: String) {
        if self.defects.len() < MAX_DEFECTS {
            self.defects.push((line_no, what));
        }
    }
}

/// Parse an `entry_points.txt` file (invalid UTF-8 is replaced by U+FFFD).
///
/// # Errors
/// [`FormatError::TooMany`] when the file has more than [`MAX_ENTRY_POINTS`] lines.
pub fn parse_entry_points(data: &[u8]) -> Result<EntryPoints, FormatError> {
    let text = String::from_utf8_lossy(data);
    let mut out = EntryPoints::default();
    let mut group: Option<String> = None;
    for (n, raw) in lines(&text, Newlines::Python).enumerate() {
        let line_no = n + 1;
        if line_no > MAX_ENTRY_POINTS {
            return Err(FormatError::TooMany {
                file: "entry_points.txt",
                what: "lines",
                limit: MAX_ENTRY_POINTS,
            });
        }
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            group = Some(line.trim_matches(['[', ']']).to_owned());
            continue;
        }
        let Some(group) = &group else {
            out.defect(
                line_no,
                "entry outside any [group]; ignored by importlib.metadata".to_owned(),
            );
            continue;
        };
        match line.split_once('=') {
            Some((name, value)) => out.entries.push(EntryPoint {
                group: group.clone(),
                name: name.trim().to_owned(),
                value: value.trim().to_owned(),
                line_no: Some(line_no),
            }),
            None => out.defect(
                line_no,
                "line has no `=`; importlib.metadata fails on it".to_owned(),
            ),
        }
    }
    Ok(out)
}

/// Read the PEP 621 entry point tables of a `pyproject.toml`: `[project.scripts]` (as
/// group `console_scripts`), `[project.gui-scripts]` (as `gui_scripts`) and
/// `[project.entry-points.<group>]`. Non-string values are defects.
///
/// # Errors
/// [`FormatError::Toml`] when the file is not UTF-8 or not TOML;
/// [`FormatError::TooMany`] when there are more than [`MAX_ENTRY_POINTS`] entries.
pub fn parse_pyproject_scripts(data: &[u8]) -> Result<EntryPoints, FormatError> {
    let doc = parse_pyproject(data)?;
    let mut out = EntryPoints::default();
    let Some(project) = doc.get("project").and_then(toml::Value::as_table) else {
        return Ok(out);
    };
    let mut tables: Vec<(String, &toml::Value)> = Vec::new();
    if let Some(t) = project.get("scripts") {
        tables.push(("console_scripts".to_owned(), t));
    }
    if let Some(t) = project.get("gui-scripts") {
        tables.push(("gui_scripts".to_owned(), t));
    }
    match project.get("entry-points") {
        Some(toml::Value::Table(groups)) => {
            tables.extend(groups.iter().map(|(g, t)| (g.clone(), t)))
        }
        Some(_) => out.defect(0, "`project.entry-points` is not a table".to_owned()),
        None => {}
    }
    for (group, table) in tables {
        let Some(table) = table.as_table() else {
            out.defect(0, format!("entry point group `{group}` is not a table"));
            continue;
        };
        for (name, value) in table {
            if out.entries.len() >= MAX_ENTRY_POINTS {
                return Err(FormatError::TooMany {
                    file: "pyproject.toml",
                    what: "entry points",
                    limit: MAX_ENTRY_POINTS,
                });
            }
            match value.as_str() {
                Some(value) => out.entries.push(EntryPoint {
                    group: group.clone(),
                    name: name.clone(),
                    value: value.trim().to_owned(),
                    line_no: None,
                }),
                None => out.defect(0, format!("entry point `{group}.{name}` is not a string")),
            }
        }
    }
    Ok(out)
}

/// A `pyproject.toml` as a TOML table.
///
/// # Errors
/// [`FormatError::Toml`] when the file is not UTF-8 or not TOML.
pub(crate) fn parse_pyproject(data: &[u8]) -> Result<toml::Table, FormatError> {
    let text = std::str::from_utf8(data).map_err(|e| FormatError::Toml {
        file: "pyproject.toml",
        message: format!("not UTF-8: {e}"),
    })?;
    text.parse()
        .map_err(|e: toml::de::Error| FormatError::Toml {
            file: "pyproject.toml",
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_entry_points() {
        let data = b"[console_scripts]\n\
black = black:patched_main\n\
blackd = blackd:patched_main [d]\n\
\n\
# comment\n\
[gui_scripts]\n\
  viewer=pkg.ui.main : run  \n\
\n\
[pytest11]\n\
myplugin = pkg.plugin\n";
        let ep = parse_entry_points(data).unwrap();
        assert!(ep.defects.is_empty(), "{:?}", ep.defects);
        assert_eq!(ep.entries.len(), 4);
        let black = &ep.entries[0];
        assert_eq!(
            (black.group.as_str(), black.name.as_str()),
            ("console_scripts", "black")
        );
        assert_eq!(
            (black.module(), black.attr()),
            ("black", Some("patched_main"))
        );
        assert_eq!(ep.entries[1].attr(), Some("patched_main"));
        assert_eq!(ep.entries[1].value, "blackd:patched_main [d]");
        assert_eq!(ep.entries[2].module(), "pkg.ui.main");
        assert_eq!(ep.entries[2].attr(), Some("run"));
        assert_eq!(ep.entries[2].line_no, Some(7));
        assert_eq!(ep.entries[3].attr(), None);
        assert_eq!(ep.scripts().count(), 3);
    }

    #[test]
    fn hostile_entry_points() {
        // A form feed is a line break to importlib.metadata (str.splitlines).
        let data = "stray = x:y\n[console_scripts]\nls = evil:run\x0cpip = evil:run\nno-equals-sign\n[[weird]]\na=b:c\n";
        let ep = parse_entry_points(data.as_bytes()).unwrap();
        let names: Vec<_> = ep
            .entries
            .iter()
            .map(|e| (e.group.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("console_scripts", "ls"),
                ("console_scripts", "pip"),
                ("weird", "a")
            ]
        );
        let lines: Vec<_> = ep.defects.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 5]);
    }

    #[test]
    fn line_limit() {
        let data = "\n".repeat(MAX_ENTRY_POINTS + 1);
        assert!(matches!(
            parse_entry_points(data.as_bytes()),
            Err(FormatError::TooMany { .. })
        ));
    }

    #[test]
    fn pyproject_tables() {
        let data = br#"
[project]
name = "x"
[project.scripts]
x-cli = "x.cli:main"
[project.gui-scripts]
x-gui = "x.gui:main"
[project.entry-points."x.plugins"]
a = "x.a:plugin"
bad = 3
"#;
        let ep = parse_pyproject_scripts(data).unwrap();
        let got: Vec<_> = ep
            .entries
            .iter()
            .map(|e| (e.group.as_str(), e.name.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("console_scripts", "x-cli", "x.cli:main"),
                ("gui_scripts", "x-gui", "x.gui:main"),
                ("x.plugins", "a", "x.a:plugin"),
            ]
        );
        assert_eq!(ep.defects.len(), 1);
        assert!(
            parse_pyproject_scripts(b"[tool.x]\n")
                .unwrap()
                .entries
                .is_empty()
        );
        assert!(matches!(
            parse_pyproject_scripts(b"[project\n"),
            Err(FormatError::Toml { .. })
        ));
        assert!(matches!(
            parse_pyproject_scripts(b"\xff"),
            Err(FormatError::Toml { .. })
        ));
    }

    #[test]
    fn deeply_nested_toml_does_not_overflow() {
        let data = format!("x = {}", "[".repeat(100_000));
        assert!(parse_pyproject_scripts(data.as_bytes()).is_err());
        let data = format!("x = {}", "{a=".repeat(100_000));
        assert!(parse_pyproject_scripts(data.as_bytes()).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_entry_points(&data);
            let _ = parse_pyproject_scripts(&data);
        }

        #[test]
        fn never_panics_on_ini_like_text(s in "(\\[?[a-z_ ]{0,8}\\]?|[a-z ]{0,6}=[a-z.: \\[\\]]{0,12}|#.*)(\n|\r|\x0c)") {
            let _ = parse_entry_points(s.as_bytes());
        }
    }
}
