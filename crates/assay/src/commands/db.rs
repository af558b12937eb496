//! `assay db update`: import OSV data into the local advisory index, from a local zip or
//! directory, or downloaded from an http(s) URL (cargo feature `net`).

use crate::cli::DbAction;
use anyhow::Context;
use assay_deps::db::{self, Db};
use std::path::Path;

/// The sources of `assay db update` without `--from`: the OSV project's per-ecosystem
/// exports (<https://google.github.io/osv.dev/data/#data-dumps>) for the three
/// ecosystems assay reads. Each holds every advisory of that ecosystem, `MAL-` records
/// included.
pub const DEFAULT_SOURCES: &[&str] = &[
    "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
    "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
    "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
];

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
            let mut index = Db::open(&path)?;
            let sources: Vec<String> = if from.is_empty() {
                DEFAULT_SOURCES.iter().map(|s| (*s).to_owned()).collect()
            } else {
                from
            };
            for src in &sources {
                if src.starts_with("http://") || src.starts_with("https://") {
                    download(&mut index, &path, src, max_download, (timeout, deadline))?;
                } else {
                    import(&mut index, &path, Path::new(src), src)?;
                }
            }
            Ok(crate::EXIT_OK)
        }
    }
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Import a local zip or directory; `label` names it in the summary line.
fn import(index: &mut Db, db_path: &Path, from: &Path, label: &str) -> anyhow::Result<()> {
    let s = index.import_path(from, now_unix())?;
    let total = index.age()?.map(|a| a.records).unwrap_or(0);
    eprintln!(
        "assay: {label}: {} records written, {} unchanged, {} invalid, {} IOCs; {} records in {}",
        s.written,
        s.unchanged,
        s.invalid,
        s.iocs,
        total,
        db_path.display()
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
            import(index, db_path, tmp.path(), url)
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
