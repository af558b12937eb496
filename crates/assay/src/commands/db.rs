//! `assay db update`: import OSV data into the local advisory index.

use crate::cli::DbAction;
use anyhow::Context;
use assay_deps::db::{self, Db};

/// Run an `assay db` action.
pub fn run(action: DbAction) -> anyhow::Result<u8> {
    match action {
        DbAction::Update { from, db } => {
            let from_s = from.display().to_string();
            if from_s.starts_with("http://") || from_s.starts_with("https://") {
                anyhow::bail!(
                    "{from_s}: downloading is not built in yet; fetch the file and pass its path"
                );
            }
            let path = db
                .or_else(db::default_path)
                .context("no cache directory: set ASSAY_CACHE_DIR or pass --db")?;
            let mut index = Db::open(&path)?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let s = index.import_path(&from, now)?;
            let total = index.age()?.map(|a| a.records).unwrap_or(0);
            eprintln!(
                "assay: {}: {} records written, {} unchanged, {} invalid, {} IOCs; {} records in {}",
                from.display(),
                s.written,
                s.unchanged,
                s.invalid,
                s.iocs,
                total,
                path.display()
            );
            for e in &s.errors {
                eprintln!("assay: warning: skipped {e}");
            }
            Ok(crate::EXIT_OK)
        }
    }
}
