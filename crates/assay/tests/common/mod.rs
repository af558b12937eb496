//! Shared by the tests that talk to a package index, a registry or a download URL: a tiny
//! HTTP/1.1 server on 127.0.0.1 that answers each request with a handler the test gives.
//! One thread per connection, `Connection: close`; request headers are read up to a bound.
//! Also the harmless LiteLLM `.pth` reproduction several test binaries scan.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// Most request header lines read.
const MAX_HEADERS: usize = 200;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request target, query included (`/simple/x/`, `/pypi/x/json`).
    pub path: String,
    /// Header lines in order, names as sent.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the handler answers.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// `status` with a `Content-Type` and a body.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// 404 with a short text body.
    pub fn not_found() -> Response {
        Response::new(404, "text/plain", b"not found".to_vec())
    }

    /// Add a header.
    pub fn with(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// The running server; it lives until the test process ends.
pub struct Server {
    port: u16,
    log: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Listen on an ephemeral port of 127.0.0.1 and answer every request with `handler`.
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let l = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (h, l) = (handler.clone(), l.clone());
                std::thread::spawn(move || serve(stream, &*h, &l));
            }
        });
        Server { port, log }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        410 => "Gone",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut headers = Vec::new();
    for _ in 0..MAX_HEADERS {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let req = Request {
        path: line.split_whitespace().nth(1).unwrap_or("/").to_owned(),
        headers,
    };
    log.lock().unwrap().push(req.clone());
    let resp = handler(&req);
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    // A 304 has no body and announces none.
    if resp.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut out = stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&resp.body);
    let _ = out.flush();
    let _ = reader.read(&mut [0u8; 0]);
}

// ------------------------------------------------------------------ package builders

/// A PEP 376 RECORD hash: `sha256=` + urlsafe base64 without padding.
pub fn record_hash(data: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!(
        "sha256={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(data))
    )
}

/// Write a pure-Python wheel `dir/<name>-<version>-py3-none-any.whl` holding `files` plus
/// its `.dist-info` (METADATA, WHEEL and a RECORD with correct hashes).
pub fn write_wheel(
    dir: &std::path::Path,
    name: &str,
    version: &str,
    files: &[(&str, &[u8])],
) -> std::path::PathBuf {
    write_wheel_requiring(dir, name, version, files, &[])
}

/// [`write_wheel`] whose METADATA declares `requires` (`Requires-Dist` values).
pub fn write_wheel_requiring(
    dir: &std::path::Path,
    name: &str,
    version: &str,
    files: &[(&str, &[u8])],
    requires: &[&str],
) -> std::path::PathBuf {
    let info = format!("{name}-{version}.dist-info");
    let mut metadata = format!(
        "Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: assay test fixture\n"
    );
    for r in requires {
        metadata.push_str(&format!("Requires-Dist: {r}\n"));
    }
    let wheel =
        "Wheel-Version: 1.0\nGenerator: assay-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
    let mut all: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, d)| ((*p).to_owned(), d.to_vec()))
        .collect();
    all.push((format!("{info}/METADATA"), metadata.into_bytes()));
    all.push((format!("{info}/WHEEL"), wheel.as_bytes().to_vec()));
    let mut record = String::new();
    for (p, d) in &all {
        record.push_str(&format!("{p},{},{}\n", record_hash(d), d.len()));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    all.push((format!("{info}/RECORD"), record.into_bytes()));

    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (p, d) in &all {
        w.start_file(p.as_str(), opts).unwrap();
        w.write_all(d).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let path = dir.join(format!("{name}-{version}-py3-none-any.whl"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Write an sdist `dir/<name>-<version>.tar.gz` holding `<name>-<version>/PKG-INFO` and
/// `files` (paths relative to that root).
pub fn write_sdist(
    dir: &std::path::Path,
    name: &str,
    version: &str,
    files: &[(&str, &[u8])],
) -> std::path::PathBuf {
    let root = format!("{name}-{version}");
    let pkg_info = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |p: &str, d: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_path(format!("{root}/{p}")).unwrap();
        h.set_size(d.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        b.append(&h, d).unwrap();
    };
    add("PKG-INFO", pkg_info.as_bytes());
    for (p, d) in files {
        add(p, d);
    }
    let tar = b.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    let path = dir.join(format!("{root}.tar.gz"));
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    path
}

/// The harmless stand-in for a second-stage payload.
pub const CANARY: &str = "import os; os.system('echo assay-canary')";

/// The one line of LiteLLM 1.82.8's `litellm_init.pth` (March 2026), with the payload
/// replaced by [`CANARY`]: spawn `python -c` that base64-decodes and `exec`s code, at
/// every interpreter start.
pub fn litellm_pth_line() -> String {
    use base64::Engine as _;
    format!(
        "import os, subprocess, sys; subprocess.Popen([sys.executable, \"-c\", \
         \"import base64; exec(base64.b64decode('{}'))\"])\n",
        base64::engine::general_purpose::STANDARD.encode(CANARY)
    )
}

/// Run `git` in `dir` as a fixed, harmless identity (no system config, `HOME` = `dir`,
/// no signing); panics with git's stderr on failure. Returns stdout, trimmed.
pub fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Dev",
            "-c",
            "user.email=dev@example.invalid",
        ])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap().trim().to_owned()
}

/// Whether the `git` CLI is installed (tests that build repositories skip without it,
/// saying so).
pub fn has_git() -> bool {
    let ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok();
    if !ok {
        eprintln!("git not installed: skipped");
    }
    ok
}
