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
                && e.path.contains(".dist-info/")
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
