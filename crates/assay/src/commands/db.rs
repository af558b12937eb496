//! `assay db update`: import OSV data into the local advisory index, from local zips or
//! directories, or downloaded from http(s) URLs (cargo feature `net`); `assay db status`.
//!
//! An update is atomic (issue 17, item 4): every source is imported into a copy of the
//! index (`VACUUM INTO` a temporary file beside it), each source's outcome is reported,
//! and the copy replaces the index (one `rename`) only when every source succeeded. A
//! failed update — offline, a 404, a captive portal's HTML page — leaves the previous
//! index exactly as it was, and never creates an empty one.

use crate::cli::DbAction;
use anyhow::Context;
use assay_deps::db::{self, Db};
use std::path::{Path, PathBuf};

/// The sources of `assay db update` without `--from`: the OSV project's per-ecosystem
/// exports (<https://google.github.io/osv.dev/data/#data-dumps>) for the three
/// ecosystems assay reads. Each holds every advisory of that ecosystem, `MAL-` records
/// included.
pub const DEFAULT_SOURCES: &[&str] = &[
    "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
    "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
    "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
];

/// The `meta` key holding the sources of the last successful update (newline-separated).
pub const SOURCES_KEY: &str = "sources";

/// What to do without network access, printed whenever a source fails.
const OFFLINE_HINT: &str = "\
without network access, import local copies instead (repeat --from for each):
  assay db update --from PyPI-all.zip --from npm-all.zip      # OSV exports, downloaded elsewhere from
                                                              # https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip
  assay db update --from malicious-packages/osv               # a checkout of https://github.com/ossf/malicious-packages";

/// Run an `assay db` action.
pub fn run(action: DbAction) -> anyhow::Result<u8> {
    match action {
        DbAction::Update {
            from,
            db,
            max_download,
            timeout,
            deadline,
        } => {
            let path = db
                .or_else(db::default_path)
                .context("no cache directory: set ASSAY_CACHE_DIR or pass --db")?;
            let sources: Vec<String> = if from.is_empty() {
                DEFAULT_SOURCES.iter().map(|s| (*s).to_owned()).collect()
            } else {
                from
            };
            update(&path, &sources, max_download, (timeout, deadline))
        }
        DbAction::Status { db } => {
            let path = db
                .or_else(db::default_path)
                .context("no cache directory: set ASSAY_CACHE_DIR or pass --db")?;
            status(&path)
        }
    }
}

/// Import every source into a copy of the index at `path`, reporting each; replace the
/// index with the copy only when all succeeded (see the module doc).
fn update(
    path: &Path,
    sources: &[String],
    max_download: u64,
    timeouts: (u64, u64),
) -> anyhow::Result<u8> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs_err::create_dir_all(&dir)?;
    // A unique name beside the index (same filesystem, so the final rename is atomic);
    // the guard removes it on every path that does not rename it.
    let tmp = tempfile::Builder::new()
        .prefix(".assay-db-update-")
        .suffix(".sqlite3")
        .tempfile_in(&dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?
        .into_temp_path();
    let work = tmp.to_path_buf();
    if path.is_file() {
        // `VACUUM INTO` wants a target that does not exist.
        fs_err::remove_file(&work)?;
        // Read-only: the index itself is not touched until the final rename.
        Db::open_read_only(path)?
            .copy_to(&work)
            .with_context(|| format!("copying {} before the update", path.display()))?;
    }
    let mut index = Db::open(&work)?;
    let mut failed: Vec<(String, String)> = Vec::new();
    for src in sources {
        let r = if src.starts_with("http://") || src.starts_with("https://") {
            download(&mut index, &work, src, max_download, timeouts)
        } else {
            import(&mut index, Path::new(src), src)
        };
        if let Err(e) = r {
            let e = format!("{e:#}");
            eprintln!("assay: {src}: FAILED: {e}");
            failed.push((src.clone(), e));
        }
    }
    if !failed.is_empty() {
        drop(index);
        let kept = if path.is_file() {
            format!("the advisory index {} is unchanged", path.display())
        } else {
            format!("no advisory index was created at {}", path.display())
        };
        anyhow::bail!(
            "db update: {} of {} {} failed; {kept} (an update is all or nothing)\n{OFFLINE_HINT}",
            failed.len(),
            sources.len(),
            if sources.len() == 1 {
                "source"
            } else {
                "sources"
            },
        );
    }
    index.set_meta(SOURCES_KEY, Some(&sources.join("\n")))?;
    let total = index.age()?.map(|a| a.records).unwrap_or(0);
    let closed = index.close_for_rename()?;
    // A stale WAL beside the old index would be applied to the new file on next open.
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", path.display()));
        if side.exists() {
            fs_err::remove_file(&side)?;
        }
    }
    fs_err::rename(&closed, path)?;
    // Renamed away: nothing left for the guard to remove.
    let _ = tmp.keep();
    eprintln!(
        "assay: advisory index {}: {total} records from {} {}",
        path.display(),
        sources.len(),
        if sources.len() == 1 {
            "source"
        } else {
            "sources"
        }
    );
    Ok(crate::EXIT_OK)
}

/// `assay db status`: where the index is, how old, how big, and from which sources.
fn status(path: &Path) -> anyhow::Result<u8> {
    if !path.is_file() {
        println!("advisory index: {} (does not exist)", path.display());
        println!("run `assay db update` (or `assay db update --from <all.zip|dir>` offline)");
        return Ok(crate::EXIT_ERROR);
    }
    let index = Db::open(path)?;
    let data = super::deps::advisory_data(Some(&index))?;
    println!("advisory index: {}", path.display());
    match (&data.updated, data.age_days) {
        (Some(d), Some(age)) => println!(
            "updated: {d} ({age} {} ago{})",
            if age == 1 { "day" } else { "days" },
            if data.stale {
                ", STALE: over 7 days"
            } else {
                ""
            }
        ),
        _ => println!("updated: never (no successful `assay db update`)"),
    }
    println!("records: {}", data.records);
    println!("IOCs: {}", index.ioc_count()?);
    let sources = index.meta(SOURCES_KEY)?.unwrap_or_default();
    if sources.is_empty() {
        println!("sources: unknown (updated before assay recorded them)");
    } else {
        println!("sources:");
        for s in sources.lines() {
            let etag = index.meta(&format!("etag:{s}"))?;
            let lm = index.meta(&format!("last-modified:{s}"))?;
            let extra: Vec<String> = [etag.map(|e| format!("ETag {e}")), lm]
                .into_iter()
                .flatten()
                .collect();
            if extra.is_empty() {
                println!("  {s}");
            } else {
                println!("  {s}  ({})", extra.join(", "));
            }
        }
    }
    Ok(if data.stale {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    })
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Import a local zip or directory; `label` names it in the summary line.
fn import(index: &mut Db, from: &Path, label: &str) -> anyhow::Result<()> {
    if !from.exists() {
        anyhow::bail!(
            "{}: no such file or directory (expected an OSV all.zip, a directory of OSV records such as an ossf/malicious-packages checkout, or an http(s) URL)",
            from.display()
        );
    }
    let s = index.import_path(from, now_unix())?;
    let total = index.age()?.map(|a| a.records).unwrap_or(0);
    eprintln!(
        "assay: {label}: {} records written, {} unchanged, {} invalid, {} IOCs; {} records in the index",
        s.written, s.unchanged, s.invalid, s.iocs, total,
    );
    for e in &s.errors {
        eprintln!("assay: warning: skipped {e}");
    }
    Ok(())
}

/// Download `url` into a temporary file beside the index (removed afterwards), at most
/// `max` bytes, and import it. Sends `If-None-Match`/`If-Modified-Since` from the
/// previous download of the same URL; a 304 is "up to date". Any other non-2xx status,
/// a connection error, a timeout or an oversized body is an error naming the URL.
/// `(timeout, deadline)`: seconds per connect/read, and for the whole download.
#[cfg(feature = "net")]
fn download(
    index: &mut Db,
    db_path: &Path,
    url: &str,
    max: u64,
    (timeout, deadline): (u64, u64),
) -> anyhow::Result<()> {
    use assay_deps::net::{Client, Timeouts};
    use std::io::Write as _;
    use std::time::Duration;
    let (etag_key, lm_key) = (format!("etag:{url}"), format!("last-modified:{url}"));
    let etag = index.meta(&etag_key)?;
    let last_modified = index.meta(&lm_key)?;
    let mut headers = Vec::new();
    if let Some(e) = &etag {
        headers.push(("If-None-Match", e.as_str()));
    }
    if let Some(m) = &last_modified {
        headers.push(("If-Modified-Since", m.as_str()));
    }
    let dir = db_path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".assay-download-")
        .suffix(".zip")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    let t = Duration::from_secs(timeout.max(1));
    let client = Client::new(Timeouts {
        connect: t,
        read: t,
        total: Some(Duration::from_secs(deadline.max(1))),
    });
    let resp = {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        let r = client.get_to(url, &headers, max, &mut w)?;
        w.flush()
            .with_context(|| format!("{url}: writing the download"))?;
        r
    };
    match resp.status {
        304 => {
            index.touch(now_unix())?;
            eprintln!("assay: {url}: not modified since the last update; nothing downloaded");
        }
        200..=299 => {
            eprintln!("assay: {url}: downloaded {} bytes", resp.len);
            import(index, tmp.path(), url)
                .with_context(|| format!("{url}: importing the download"))?;
            index.set_meta(&etag_key, resp.etag.as_deref())?;
            index.set_meta(&lm_key, resp.last_modified.as_deref())?;
        }
        s => anyhow::bail!("{url}: HTTP status {s}"),
    }
    Ok(())
}

#[cfg(not(feature = "net"))]
fn download(_: &mut Db, _: &Path, url: &str, _: u64, _: (u64, u64)) -> anyhow::Result<()> {
    anyhow::bail!(
        "{url}: this assay was built without the `net` feature; download the file and pass its path"
    )
}
