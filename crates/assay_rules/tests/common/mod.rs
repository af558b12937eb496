//! Helpers shared by the integration tests that build artifacts in memory.

use assay_core::{Entry, EntryKind, classify};

/// A complete file entry, classified like the sources classify it.
pub fn entry(path: &str, data: &[u8]) -> Entry {
    Entry {
        file_kind: classify(path, data),
        path: path.to_owned(),
        kind: EntryKind::File,
        size: data.len() as u64,
        data: data.to_vec(),
        complete: true,
        sha256: None,
    }
}
