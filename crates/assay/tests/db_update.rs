//! `assay db update --from URL` against an HTTP server started by the test on
//! 127.0.0.1: a 200 is downloaded and imported, a repeat sends the stored ETag and a 304
//! downloads nothing, an oversized body, a 404 and a refused connection are exit 2 with
//! the URL named. No test reaches the internet.
#![cfg(feature = "net")]
#![allow(clippy::unwrap_used, missing_docs)]

use assert_cmd::Command;
use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod common;

/// path → (ETag, body): a 200 with that ETag, or a 304 when the request's
/// `If-None-Match` is that ETag; every other path is 404.
type Routes = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

struct Server {
    http: common::Server,
    routes: Routes,
}

impl Server {
    fn start() -> Server {
        let routes: Routes = Arc::default();
        let r = routes.clone();
        let http = common::Server::start(move |req| {
            let found = r.lock().unwrap().get(&req.path).cloned();
            match found {
                Some((etag, _)) if req.header("if-none-match") == Some(etag.as_str()) => {
                    common::Response::new(304, "application/zip", Vec::new()).with("ETag", &etag)
                }
                Some((etag, body)) => common::Response::new(200, "application/zip", body)
                    .with("ETag", &etag)
                    .with("Last-Modified", "Tue, 01 Dec 2026 00:00:00 GMT"),
                None => common::Response::not_found(),
            }
        });
        Server { http, routes }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.http.url())
    }

    fn add(&self, path: &str, etag: &str, body: Vec<u8>) {
        let mut r = self.routes.lock().unwrap();
        r.insert(path.to_owned(), (etag.to_owned(), body));
    }

    /// Every request: (path, If-None-Match).
    fn log(&self) -> Vec<(String, Option<String>)> {
        self.http
            .requests()
            .into_iter()
            .map(|r| {
                let inm = r.header("if-none-match").map(str::to_owned);
                (r.path, inm)
            })
            .collect()
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay_deps/fixtures/osv")
}

/// An OSV-export-shaped zip (`<ID>.json` members) of fixture records.
fn osv_zip(records: &[&str]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for r in records {
        let p = fixtures().join(r);
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String) {
    let o = Command::cargo_bin("assay")
        .unwrap()
        .current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env_remove("XDG_CACHE_HOME")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn url_is_downloaded_imported_and_then_not_modified() {
    let s = Server::start();
    s.add(
        "/PyPI/all.zip",
        "\"v1\"",
        osv_zip(&[
            "malicious/pypi/litellm/MAL-2026-2144.json",
            "vulns/GHSA-j8r2-6x86-q33q.json",
        ]),
    );
    let t = tempfile::tempdir().unwrap();
    let url = s.url("/PyPI/all.zip");
    let (code, err) = run(t.path(), &["db", "update", "--from", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 records written, 0 unchanged, 0 invalid"),
        "{err}"
    );
    // The download went to a temporary file that is gone again.
    let left: Vec<_> = std::fs::read_dir(t.path().join("cache"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".assay-download-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // The index now knows the advisory: a lockfile pinning litellm 1.82.8 is malicious.
    std::fs::write(t.path().join("requirements.txt"), "litellm==1.82.8\n").unwrap();
    let (code, err) = run(t.path(), &["deps", "requirements.txt"]);
    assert_eq!(code, 1, "{err}");

    let (code, err) = run(t.path(), &["db", "update", "--from", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not modified"), "{err}");
    assert!(!err.contains("records written"), "{err}");
    let log = s.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].1, None);
    assert_eq!(log[1].1.as_deref(), Some("\"v1\""));

    // A changed export (new ETag) is downloaded again; unchanged records are skipped.
    s.add(
        "/PyPI/all.zip",
        "\"v2\"",
        osv_zip(&[
            "malicious/pypi/litellm/MAL-2026-2144.json",
            "vulns/GHSA-j8r2-6x86-q33q.json",
            "malicious/npm/lodahs/MAL-2025-25502.json",
        ]),
    );
    let (code, err) = run(t.path(), &["db", "update", "--from", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 records written, 2 unchanged"), "{err}");
}

#[test]
fn oversize_404_and_refused_connection_are_exit_2_naming_the_url() {
    let s = Server::start();
    s.add(
        "/big/all.zip",
        "\"b\"",
        osv_zip(&["malicious/pypi/litellm/MAL-2026-2144.json"]),
    );
    let t = tempfile::tempdir().unwrap();
    let big = s.url("/big/all.zip");
    let (code, err) = run(
        t.path(),
        &["db", "update", "--from", &big, "--max-download", "1K"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&big) && err.contains("1024-byte limit"),
        "{err}"
    );

    // A 200 that is not a zip (an HTML error page, a captive portal): the URL is named.
    s.add("/html/all.zip", "\"h\"", b"<html>sign in</html>".to_vec());
    let html = s.url("/html/all.zip");
    let (code, err) = run(t.path(), &["db", "update", "--from", &html]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&html), "{err}");

    let missing = s.url("/npm/all.zip");
    let (code, err) = run(t.path(), &["db", "update", "--from", &missing]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&missing) && err.contains("404"), "{err}");

    // A port nobody listens on: bind, note the port, close.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let refused = format!("http://127.0.0.1:{port}/all.zip");
    let (code, err) = run(
        t.path(),
        &["db", "update", "--from", &refused, "--timeout", "5"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&refused), "{err}");
}

/// Issue 21, item 17: a server that keeps the body moving one byte at a time never trips
/// the per-read timeout; the overall `--deadline` cuts it off, exit 2 with the URL named.
#[test]
fn trickling_server_is_cut_off_by_the_deadline() {
    use std::io::Read;
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/all.zip", l.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut c, _)) = l.accept() {
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf);
            let _ = c.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 100000\r\n\r\n",
            );
            // One byte every 200 ms: each read succeeds long before the 5 s read timeout.
            for _ in 0..1000 {
                if c.write_all(b"P").is_err() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    });
    let t = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("assay").unwrap();
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(v);
    }
    // The trickle would take 200 s; a watchdog of 60 s kills a run the deadline did not
    // end (no exit code, so the assertion below fails).
    let out = cmd
        .env("ASSAY_CACHE_DIR", t.path().join("cache"))
        .args([
            "db",
            "update",
            "--from",
            &url,
            "--timeout",
            "5",
            "--deadline",
            "2",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&url), "{err}");
}

/// Issue 17, item 4: every source is tried and reported; when one fails (the second here,
/// a 404) the update is discarded and the previous index is byte-for-byte unchanged; the
/// error says how to update offline. A first update that fails creates no index at all.
#[test]
fn a_failed_source_keeps_the_previous_index_unchanged() {
    let s = Server::start();
    s.add(
        "/PyPI/all.zip",
        "\"p1\"",
        osv_zip(&[
            "malicious/pypi/litellm/MAL-2026-2144.json",
            "vulns/GHSA-j8r2-6x86-q33q.json",
        ]),
    );
    let t = tempfile::tempdir().unwrap();
    let index = t.path().join("cache/osv.sqlite3");
    let pypi = s.url("/PyPI/all.zip");
    let npm = s.url("/npm/all.zip");

    // Offline from the start: nothing is created.
    let (code, err) = run(t.path(), &["db", "update", "--from", &pypi, "--from", &npm]);
    assert_eq!(code, 2, "{err}");
    assert!(
        !index.exists(),
        "a failed first update created {}",
        index.display()
    );
    assert!(err.contains("no advisory index was created"), "{err}");

    // A good index from the fixture records (one lodash typosquat record only).
    let one = t.path().join("one");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::copy(
        fixtures().join("malicious/npm/lodahs/MAL-2025-25502.json"),
        one.join("MAL-2025-25502.json"),
    )
    .unwrap();
    let (code, err) = run(t.path(), &["db", "update", "--from", one.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&index).unwrap();

    // The first source works, the second is a 404: both are reported, nothing changes.
    let (code, err) = run(t.path(), &["db", "update", "--from", &pypi, "--from", &npm]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("assay: {pypi}: 2 records written")),
        "the first source is imported and reported: {err}"
    );
    assert!(
        err.contains(&format!("assay: {npm}: FAILED")) && err.contains("404"),
        "{err}"
    );
    assert!(err.contains("1 of 2 sources failed"), "{err}");
    assert!(err.contains("is unchanged"), "{err}");
    assert!(
        err.contains("--from") && err.contains("ossf/malicious-packages"),
        "the offline way is in the error: {err}"
    );
    assert_eq!(std::fs::read(&index).unwrap(), before, "the index changed");
    let left: Vec<String> = std::fs::read_dir(t.path().join("cache"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "osv.sqlite3")
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    // The index still answers as before: litellm is unknown, lodahs is malicious.
    std::fs::write(t.path().join("requirements.txt"), "litellm==1.82.8\n").unwrap();
    let (code, err) = run(t.path(), &["deps", "requirements.txt"]);
    assert_eq!(code, 0, "{err}");

    // With both sources up, the update replaces the index.
    s.add(
        "/npm/all.zip",
        "\"n1\"",
        osv_zip(&["malicious/npm/lodahs/MAL-2025-25502.json"]),
    );
    let (code, err) = run(t.path(), &["db", "update", "--from", &pypi, "--from", &npm]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = run(t.path(), &["deps", "requirements.txt"]);
    assert_eq!(code, 1, "{err}");
}

/// A local path that does not exist names what `--from` accepts.
#[test]
fn a_missing_local_source_says_what_from_accepts() {
    let t = tempfile::tempdir().unwrap();
    let (code, err) = run(t.path(), &["db", "update", "--from", "PyPI-all.zip"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("PyPI-all.zip: no such file or directory")
            && err.contains("ossf/malicious-packages"),
        "{err}"
    );
}

/// `assay db status` and the advisory line of `deps`: age, size and source.
#[test]
fn status_and_deps_state_the_age_and_source() {
    let t = tempfile::tempdir().unwrap();
    let out = |args: &[&str]| {
        let o = Command::cargo_bin("assay")
            .unwrap()
            .current_dir(t.path())
            .env("ASSAY_CACHE_DIR", t.path().join("cache"))
            .env_remove("XDG_CACHE_HOME")
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, text) = out(&["db", "status"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("does not exist"), "{text}");
    let osv = fixtures();
    let (code, err) = run(t.path(), &["db", "update", "--from", osv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, text) = out(&["db", "status"]);
    assert_eq!(code, 0, "{text}");
    let root = t.path().canonicalize().unwrap();
    let text = text
        .replace(root.to_str().unwrap(), "[TMP]")
        .replace(t.path().to_str().unwrap(), "[TMP]")
        .replace(osv.to_str().unwrap(), "[FIXTURES]/osv");
    let filters = vec![(r"\d{4}-\d\d-\d\d", "[date]")];
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!("db_status", text);
    });
    std::fs::write(t.path().join("requirements.txt"), "requests==2.30.0\n").unwrap();
    let (_, text) = out(&["deps", "requirements.txt"]);
    assert!(
        text.contains("checked 1 package against 8 advisory records (updated ")
            && text.contains(&format!("0 days old; source: {})", osv.display())),
        "{text}"
    );
}

/// An index that exists but holds no completed update (an older assay created the file
/// before downloading) is called empty, not "0 days old".
#[test]
fn an_index_without_data_is_not_called_fresh() {
    let t = tempfile::tempdir().unwrap();
    drop(assay_deps::db::Db::open(&t.path().join("cache/osv.sqlite3")).unwrap());
    std::fs::write(t.path().join("requirements.txt"), "requests==2.30.0\n").unwrap();
    let (code, err) = run(t.path(), &["deps", "requirements.txt"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("holds no data"), "{err}");
    assert!(!err.contains("days old"), "{err}");
}
