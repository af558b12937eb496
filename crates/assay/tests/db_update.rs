//! `assay db update --from URL` against an HTTP server started by the test on
//! 127.0.0.1: a 200 is downloaded and imported, a repeat sends the stored ETag and a 304
//! downloads nothing, an oversized body, a 404 and a refused connection are exit 2 with
//! the URL named. No test reaches the internet.
#![cfg(feature = "net")]
#![allow(clippy::unwrap_used, missing_docs)]

use assert_cmd::Command;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// path → (ETag, body); every request's (path, If-None-Match) is logged.
#[derive(Default)]
struct State {
    routes: HashMap<String, (String, Vec<u8>)>,
    log: Vec<(String, Option<String>)>,
}

struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state: Arc<Mutex<State>> = Arc::default();
        let s = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || serve(stream, &s));
            }
        });
        Server { port, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn add(&self, path: &str, etag: &str, body: Vec<u8>) {
        let mut s = self.state.lock().unwrap();
        s.routes.insert(path.to_owned(), (etag.to_owned(), body));
    }

    fn log(&self) -> Vec<(String, Option<String>)> {
        self.state.lock().unwrap().log.clone()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut inm = None;
    for _ in 0..200 {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("if-none-match")
        {
            inm = Some(v.trim().to_owned());
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let found = {
        let mut s = state.lock().unwrap();
        s.log.push((path.clone(), inm.clone()));
        s.routes.get(&path).cloned()
    };
    let (head, body) = match found {
        Some((etag, _)) if inm.as_deref() == Some(etag.as_str()) => (
            format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"),
            Vec::new(),
        ),
        Some((etag, body)) => (
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nETag: {etag}\r\nLast-Modified: Tue, 01 Dec 2026 00:00:00 GMT\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ),
            body,
        ),
        None => (
            "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\n".to_owned(),
            b"not found".to_vec(),
        ),
    };
    let mut out = stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&body);
    let _ = out.flush();
    let _ = reader.read(&mut [0u8; 0]);
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
