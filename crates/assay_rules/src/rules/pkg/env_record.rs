//! Shared reading of installed distributions' RECORD files for the PKG006–PKG008 rules.

use crate::context::Cx;
use assay_core::{ArtifactFormat, Entry, FileKind};
use assay_formats::Record;
use std::collections::{HashMap, HashSet};

/// The RECORD files of an environment, parsed, with a path index of its entries.
pub(crate) struct Installed<'a> {
    /// `(RECORD entry, parsed RECORD)`.
    pub records: Vec<(&'a Entry, Record)>,
    /// Entry path → entry.
    pub by_path: HashMap<&'a str, &'a Entry>,
}

impl<'a> Installed<'a> {
    /// `None` unless the artifact is an installed environment.
    pub fn read(cx: &Cx<'a>) -> Option<Self> {
        if cx.artifact.format != ArtifactFormat::Environment {
            return None;
        }
        let mut records = Vec::new();
        for e in &cx.artifact.entries {
            if e.file_kind == FileKind::Record
                && e.complete
                && is_installed_record(&e.path)
                && let Ok(r) = assay_formats::parse_record(&e.data)
            {
                records.push((e, r));
            }
        }
        let by_path = cx
            .artifact
            .entries
            .iter()
            .map(|e| (e.path.as_str(), e))
            .collect();
        Some(Installed { records, by_path })
    }

    /// The path of a RECORD row as an entry path: rows are relative to the directory
    /// holding the `.dist-info`, which is the entry path's directory prefix.
    pub fn resolve(record: &Entry, row: &str) -> Option<String> {
        let base = record
            .path
            .split(".dist-info/")
            .next()?
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        let joined = format!("{base}{row}");
        let mut parts: Vec<&str> = Vec::new();
        for c in joined.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                c => parts.push(c),
            }
        }
        Some(parts.join("/"))
    }

    /// Every path some RECORD lists (resolved), and the top-level names they own.
    pub fn recorded(&self) -> (HashSet<String>, HashSet<String>) {
        let mut paths = HashSet::new();
        let mut owned = HashSet::new();
        for (rec, r) in &self.records {
            for row in &r.entries {
                if let Some(p) = Self::resolve(rec, &row.path) {
                    if let Some(top) = p.split('/').next()
                        && p.contains('/')
                        && !top.ends_with(".dist-info")
                        && !top.ends_with(".data")
                    {
                        owned.insert(top.to_owned());
                    }
                    paths.insert(p);
                }
            }
        }
        (paths, owned)
    }
}

/// Whether a RECORD is an installed distribution's: `<name>-<version>.dist-info/RECORD`
/// at the top of a site-packages directory (entry paths of a second directory carry a
/// `<dir>!/` prefix). A RECORD nested inside a package (`setuptools/_vendor/
/// packaging-24.2.dist-info/RECORD`) describes the vendoring package's copy, which it may
/// patch on purpose; the vendoring package's own RECORD covers those files.
fn is_installed_record(path: &str) -> bool {
    let rel = path.rsplit("!/").next().unwrap_or(path);
    let mut parts = rel.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(dir), Some("RECORD"), None) if dir.ends_with(".dist-info")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_top_level_records_are_installs() {
        assert!(super::is_installed_record("pip-24.0.dist-info/RECORD"));
        assert!(super::is_installed_record(
            "/usr/lib/python3/dist-packages!/six-1.16.0.dist-info/RECORD"
        ));
        assert!(!super::is_installed_record(
            "setuptools/_vendor/packaging-24.2.dist-info/RECORD"
        ));
    }
}
