//! The local advisory index: OSV records in an embedded SQLite file (rusqlite,
//! bundled SQLite), keyed by (ecosystem, canonical package name).
//!
//! Sources for [`Db::import_path`]: an OSV export `all.zip` (one `<ID>.json` per
//! member, as served per ecosystem by the OSV project), or a directory tree of `*.json`
//! records such as `ossf/malicious-packages` (`osv/malicious/<ecosystem>/<name>/MAL-*.json`).
//! Import is incremental: a record whose `modified` equals the stored one is skipped.
//! IOCs in `database_specific` of `MAL-` records are stored for the scanner's IOC set
//! ([`Db::iocs`]).
//!
//! Bounds: a record file ≤ [`MAX_RECORD_BYTES`]; at most [`MAX_RECORDS`] per import.

use crate::lock::Ecosystem;
use crate::osv::Record;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest single OSV record read, in bytes.
pub const MAX_RECORD_BYTES: u64 = 4 << 20;
/// Most records taken from one import source.
pub const MAX_RECORDS: usize = 2_000_000;
/// Age in days after which reports warn that the advisory data is stale.
pub const STALE_DAYS: u64 = 7;

/// Errors of the advisory index.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite failed on the index file.
    #[error("advisory index {path}: {source}")]
    Sqlite {
        /// The index file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// Reading an import source failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The zip archive is unreadable.
    #[error("{path}: {source}")]
    Zip {
        /// The archive.
        path: PathBuf,
        /// The zip error.
        source: zip::result::ZipError,
    },
    /// A source that is neither a zip nor a directory.
    #[error("{0}: not an OSV all.zip or a directory of OSV records")]
    Source(PathBuf),
    /// More than [`MAX_RECORDS`].
    #[error("{0}: more than {MAX_RECORDS} records")]
    TooMany(PathBuf),
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportStats {
    /// Records new or changed and written.
    pub written: usize,
    /// Records whose `modified` was unchanged.
    pub unchanged: usize,
    /// Files that were not valid OSV records (named in `errors`, first 20).
    pub invalid: usize,
    /// The first invalid files with their error.
    pub errors: Vec<String>,
    /// IOCs stored from `database_specific`.
    pub iocs: usize,
}

/// Age of the advisory data, for every report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataAge {
    /// Unix seconds of the last `db update`.
    pub updated_unix: u64,
    /// Records in the index.
    pub records: u64,
}

/// An open advisory index.
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

/// assay's cache directory: `$ASSAY_CACHE_DIR`, else `$XDG_CACHE_HOME/assay`, else
/// `$HOME/.cache/assay` (empty variables count as unset); `None` when none is set. Holds
/// the advisory index ([`default_path`]) and the registry downloads
/// (`crate::registry`: `blobs/`, `releases/`).
pub fn cache_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("ASSAY_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("assay")))
        .or_else(|| env("HOME").map(|h| h.join(".cache").join("assay")))
}

/// The default index file: [`cache_dir`], then `osv.sqlite3`.
pub fn default_path() -> Option<PathBuf> {
    Some(cache_dir()?.join("osv.sqlite3"))
}

fn ecosystem(s: &str) -> Option<Ecosystem> {
    // OSV allows `Ecosystem:suffix` variants (e.g. `Debian:12`); only the base matters here.
    match s.split(':').next().unwrap_or(s) {
        "PyPI" => Some(Ecosystem::PyPI),
        "npm" => Some(Ecosystem::Npm),
        "crates.io" => Some(Ecosystem::CratesIo),
        _ => None,
    }
}

impl Db {
    /// Open (creating if needed) the index at `path`.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        if let Some(dir) = path.parent() {
            fs_err::create_dir_all(dir)?;
        }
        let conn = Connection::open(path).map_err(|e| sql(path, e))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS advisory(id TEXT PRIMARY KEY, modified TEXT NOT NULL, json TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS affected(ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS affected_pkg ON affected(ecosystem, name);
             CREATE INDEX IF NOT EXISTS affected_id ON affected(id);
             CREATE TABLE IF NOT EXISTS ioc(value TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(value, id));",
        )
        .map_err(|e| sql(path, e))?;
        Ok(Db {
            conn,
            path: path.to_owned(),
        })
    }

    /// Open an existing index read-only: nothing about the file changes (not even its
    /// journal mode), e.g. to copy it with [`Db::copy_to`].
    ///
    /// # Errors
    /// [`DbError::Sqlite`] when it cannot be opened.
    pub fn open_read_only(path: &Path) -> Result<Db, DbError> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sql(path, e))?;
        Ok(Db {
            conn,
            path: path.to_owned(),
        })
    }

    /// Import OSV records from an `all.zip` or a directory (see the module docs).
    ///
    /// One transaction with prepared statements; records are parsed and written as they
    /// are read, so memory stays at one record (≤ [`MAX_RECORD_BYTES`]) plus the map of
    /// stored ids, whatever the size of the source.
    pub fn import_path(&mut self, src: &Path, now_unix: u64) -> Result<ImportStats, DbError> {
        if !src.is_dir() && !src.is_file() {
            return Err(DbError::Source(src.to_owned()));
        }
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| sql(&path, e))?;
        let known: HashMap<String, String> = {
            let mut st = tx
                .prepare("SELECT id, modified FROM advisory")
                .map_err(|e| sql(&path, e))?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| sql(&path, e))?
                .collect::<Result<_, _>>()
                .map_err(|e| sql(&path, e))?
        };
        let mut stats = ImportStats::default();
        {
            let mut w = Writer {
                path: &path,
                known: &known,
                put: tx
                    .prepare_cached(
                        "INSERT OR REPLACE INTO advisory(id, modified, json) VALUES (?1, ?2, ?3)",
                    )
                    .map_err(|e| sql(&path, e))?,
                del: tx
                    .prepare_cached("DELETE FROM affected WHERE id = ?1")
                    .map_err(|e| sql(&path, e))?,
                aff: tx
                    .prepare_cached("INSERT INTO affected(ecosystem, name, id) VALUES (?1, ?2, ?3)")
                    .map_err(|e| sql(&path, e))?,
                ioc: tx
                    .prepare_cached("INSERT OR IGNORE INTO ioc(value, id) VALUES (?1, ?2)")
                    .map_err(|e| sql(&path, e))?,
                stats: &mut stats,
            };
            let mut count = 0usize;
            if src.is_dir() {
                for e in walkdir::WalkDir::new(src)
                    .follow_links(false)
                    .sort_by_file_name()
                {
                    let e = e.map_err(|e| std::io::Error::other(e.to_string()))?;
                    if !e.file_type().is_file()
                        || e.path().extension().and_then(|x| x.to_str()) != Some("json")
                    {
                        continue;
                    }
                    count += 1;
                    if count > MAX_RECORDS {
                        return Err(DbError::TooMany(src.to_owned()));
                    }
                    let name = e.path().display().to_string();
                    if e.metadata().map(|m| m.len()).unwrap_or(0) > MAX_RECORD_BYTES {
                        w.bad(name, "over the record size limit".into());
                        continue;
                    }
                    let bytes = fs_err::read(e.path())?;
                    w.record(name, &bytes)?;
                }
            } else {
                let f = fs_err::File::open(src)?;
                let zerr = |e| DbError::Zip {
                    path: src.to_owned(),
                    source: e,
                };
                let mut z = zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(zerr)?;
                if z.len() > MAX_RECORDS {
                    return Err(DbError::TooMany(src.to_owned()));
                }
                let mut buf = Vec::new();
                for i in 0..z.len() {
                    let mut m = z.by_index(i).map_err(zerr)?;
                    let member = m.name().map(|n| n.into_owned()).unwrap_or_default();
                    if !m.is_file() || !member.ends_with(".json") {
                        continue;
                    }
                    let name = format!("{}!{member}", src.display());
                    buf.clear();
                    // Bound by bytes actually read, not the declared size.
                    (&mut m).take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf)?;
                    if buf.len() as u64 > MAX_RECORD_BYTES {
                        w.bad(name, "over the record size limit".into());
                        continue;
                    }
                    w.record(name, &buf)?;
                }
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('updated_unix', ?1)",
            params![now_unix.to_string()],
        )
        .map_err(|e| sql(&path, e))?;
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok(stats)
    }

    /// Records affecting any version of `name` in `eco` (withdrawn ones excluded).
    /// A stored record that no longer parses is skipped: it was valid when imported.
    pub fn advisories(&self, eco: Ecosystem, name: &str) -> Result<Vec<Record>, DbError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.json FROM affected f JOIN advisory a ON a.id = f.id
                 WHERE f.ecosystem = ?1 AND f.name = ?2",
            )
            .map_err(|e| sql(&self.path, e))?;
        let rows = st
            .query_map(params![eco.osv(), eco.osv_name(name)], |r| {
                r.get::<_, String>(0)
            })
            .map_err(|e| sql(&self.path, e))?;
        let mut out = Vec::new();
        for r in rows {
            let json = r.map_err(|e| sql(&self.path, e))?;
            if let Ok(rec) = serde_json::from_str::<Record>(&json)
                && rec.withdrawn.is_none()
            {
                out.push(rec);
            }
        }
        Ok(out)
    }

    /// Every IOC (domain, URL, IP) stored from malicious-package records.
    pub fn iocs(&self) -> Result<Vec<String>, DbError> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT value FROM ioc ORDER BY value")
            .map_err(|e| sql(&self.path, e))?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| sql(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| sql(&self.path, e))
    }

    /// Every IOC with the advisory that lists it, `(value, id)`, one row per value (the
    /// smallest id when several records list it).
    pub fn ioc_records(&self) -> Result<Vec<(String, String)>, DbError> {
        let mut st = self
            .conn
            .prepare("SELECT value, MIN(id) FROM ioc GROUP BY value ORDER BY value")
            .map_err(|e| sql(&self.path, e))?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| sql(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| sql(&self.path, e))
    }

    /// A value of the index's `meta` table (e.g. `etag:<url>` of a download).
    pub fn meta(&self, key: &str) -> Result<Option<String>, DbError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| sql(&self.path, e))
    }

    /// Set (or, with `None`, remove) a value of the `meta` table.
    pub fn set_meta(&self, key: &str, value: Option<&str>) -> Result<(), DbError> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                params![key, v],
            ),
            None => self
                .conn
                .execute("DELETE FROM meta WHERE key = ?1", params![key]),
        }
        .map(|_| ())
        .map_err(|e| sql(&self.path, e))
    }

    /// Record that the data was checked as current at `now_unix` (a 304 from every
    /// source), so reports do not call it stale.
    pub fn touch(&self, now_unix: u64) -> Result<(), DbError> {
        self.set_meta("updated_unix", Some(&now_unix.to_string()))
    }

    /// The index file this was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write a consistent copy of the whole index (committed WAL content included) to
    /// `dest`, which must not exist (SQLite `VACUUM INTO`).
    ///
    /// # Errors
    /// [`DbError::Sqlite`] naming this index.
    pub fn copy_to(&self, dest: &Path) -> Result<(), DbError> {
        self.conn
            .execute("VACUUM INTO ?1", params![dest.to_string_lossy()])
            .map(|_| ())
            .map_err(|e| sql(&self.path, e))
    }

    /// Close the index so that its file alone holds everything (rollback journal instead
    /// of WAL, so no `-wal`/`-shm` file belongs with it) and can be renamed into place.
    ///
    /// # Errors
    /// [`DbError::Sqlite`] naming this index.
    pub fn close_for_rename(self) -> Result<PathBuf, DbError> {
        let path = self.path.clone();
        self.conn
            .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0))
            .map_err(|e| sql(&path, e))?;
        self.conn.close().map_err(|(_, e)| sql(&path, e))?;
        Ok(path)
    }

    /// Number of distinct IOCs stored.
    ///
    /// # Errors
    /// [`DbError::Sqlite`] naming this index.
    pub fn ioc_count(&self) -> Result<u64, DbError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(DISTINCT value) FROM ioc", [], |r| r.get(0))
            .map_err(|e| sql(&self.path, e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every `meta` row whose key starts with `prefix`, sorted by key.
    ///
    /// # Errors
    /// [`DbError::Sqlite`] naming this index.
    pub fn meta_prefixed(&self, prefix: &str) -> Result<Vec<(String, String)>, DbError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
            )
            .map_err(|e| sql(&self.path, e))?;
        let rows = st
            .query_map(params![prefix], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| sql(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| sql(&self.path, e))
    }

    /// When the data was last updated and how many records it holds; `None` when never.
    pub fn age(&self) -> Result<Option<DataAge>, DbError> {
        let updated: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'updated_unix'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| sql(&self.path, e))?;
        let Some(updated) = updated.and_then(|u| u.parse::<u64>().ok()) else {
            return Ok(None);
        };
        let records: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM advisory", [], |r| r.get(0))
            .map_err(|e| sql(&self.path, e))?;
        let records = u64::try_from(records).unwrap_or(0);
        Ok(Some(DataAge {
            updated_unix: updated,
            records,
        }))
    }
}

/// The prepared statements of one import transaction.
struct Writer<'a> {
    path: &'a Path,
    known: &'a HashMap<String, String>,
    put: rusqlite::CachedStatement<'a>,
    del: rusqlite::CachedStatement<'a>,
    aff: rusqlite::CachedStatement<'a>,
    ioc: rusqlite::CachedStatement<'a>,
    stats: &'a mut ImportStats,
}

impl Writer<'_> {
    fn bad(&mut self, name: String, e: String) {
        self.stats.invalid += 1;
        if self.stats.errors.len() < 20 {
            self.stats.errors.push(format!("{name}: {e}"));
        }
    }

    /// Parse one record file and store it unless unchanged; invalid files are counted.
    fn record(&mut self, name: String, bytes: &[u8]) -> Result<(), DbError> {
        let path = self.path;
        let rec: Record = match serde_json::from_slice(bytes) {
            Ok(r) => r,
            Err(e) => {
                self.bad(name, e.to_string());
                return Ok(());
            }
        };
        if self.known.get(&rec.id) == Some(&rec.modified) {
            self.stats.unchanged += 1;
            return Ok(());
        }
        let json = String::from_utf8_lossy(bytes);
        self.put
            .execute(params![rec.id, rec.modified, json])
            .map_err(|e| sql(path, e))?;
        if self.known.contains_key(&rec.id) {
            self.del
                .execute(params![rec.id])
                .map_err(|e| sql(path, e))?;
        }
        let mut seen: Vec<(Ecosystem, String)> = Vec::new();
        for a in &rec.affected {
            let Some(eco) = ecosystem(&a.package.ecosystem) else {
                continue;
            };
            let key = (eco, eco.osv_name(&a.package.name));
            if seen.contains(&key) {
                continue;
            }
            self.aff
                .execute(params![eco.osv(), key.1, rec.id])
                .map_err(|e| sql(path, e))?;
            seen.push(key);
        }
        if rec.is_malicious() {
            for v in rec.iocs() {
                self.stats.iocs += self
                    .ioc
                    .execute(params![v, rec.id])
                    .map_err(|e| sql(path, e))?;
            }
        }
        self.stats.written += 1;
        Ok(())
    }
}

fn sql(path: &Path, source: rusqlite::Error) -> DbError {
    DbError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC), clamped to the years jiff represents (-9999–9999).
pub fn date_of(unix: u64) -> String {
    jiff_timestamp(i64::try_from(unix).unwrap_or(i64::MAX))
        .strftime("%Y-%m-%d")
        .to_string()
}

/// The instant `secs` Unix seconds, clamped to jiff's range.
fn jiff_timestamp(secs: i64) -> jiff::Timestamp {
    let (lo, hi) = (
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    jiff::Timestamp::from_second(secs.clamp(lo, hi)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
