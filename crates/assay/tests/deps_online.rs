//! `assay deps --online` against PyPI-JSON-API- and npm-registry-shaped servers started
//! by the test on 127.0.0.1: must-match and must-not-match cases of DEP008
//! young-package, DEP009 maintainer-change and DEP010 unclaimed-public-name, and no
//! request at all without `--online`. No test reaches the internet.
#![cfg(feature = "net")]
#![allow(clippy::unwrap_used, missing_docs)]

use assert_cmd::Command;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

mod common;

/// Fixed routes (path → status, JSON body); every other path is a JSON 404.
type Routes = Arc<Mutex<HashMap<String, (u16, Vec<u8>)>>>;

struct Server {
    http: common::Server,
    routes: Routes,
}

impl Server {
    fn start() -> Server {
        let routes: Routes = Arc::default();
        let r = routes.clone();
        let http = common::Server::start(move |req| {
            let (status, body) = r
                .lock()
                .unwrap()
                .get(&req.path)
                .cloned()
                .unwrap_or((404, b"{\"message\": \"Not Found\"}".to_vec()));
            common::Response::new(status, "application/json", body)
        });
        Server { http, routes }
    }

    fn url(&self) -> String {
        self.http.url()
    }

    fn add(&self, path: &str, status: u16, body: &Value) {
        let b = serde_json::to_vec(body).unwrap();
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), (status, b));
    }

    /// The path of every request.
    fn log(&self) -> Vec<String> {
        self.http.requests().into_iter().map(|r| r.path).collect()
    }
}

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn iso(days_ago: i64) -> String {
    let t = jiff::Timestamp::from_second(now() - days_ago * DAY).unwrap();
    t.strftime("%Y-%m-%dT%H:%M:%S.000000Z").to_string()
}

/// A PyPI JSON API document with one file per release, uploaded `days_ago`.
fn pypi(releases: &[(&str, i64)]) -> Value {
    let r: serde_json::Map<String, Value> = releases
        .iter()
        .map(|(v, d)| ((*v).to_owned(), json!([{"upload_time_iso_8601": iso(*d)}])))
        .collect();
    json!({"info": {"author": "someone"}, "releases": r})
}

/// An npm packument: (version, days ago, publisher, maintainers).
fn npm(versions: &[(&str, i64, &str, &[&str])]) -> Value {
    let mut time = json!({"created": iso(versions.iter().map(|v| v.1).max().unwrap())});
    let mut vs = serde_json::Map::new();
    for (v, d, user, maint) in versions {
        time[*v] = iso(*d).into();
        let m: Vec<Value> = maint
            .iter()
            .map(|n| json!({"name": n, "email": "x@example.invalid"}))
            .collect();
        vs.insert(
            (*v).to_owned(),
            json!({"name": "p", "version": v, "_npmUser": {"name": user}, "maintainers": m}),
        );
    }
    json!({"time": time, "versions": vs})
}

fn registry() -> Server {
    let s = Server::start();
    s.add("/pypi/freshpkg/json", 200, &pypi(&[("0.1", 3), ("1.0", 2)]));
    s.add("/pypi/oldpkg/json", 200, &pypi(&[("1.0", 800), ("2.0", 1)]));
    s.add(
        "/pypi/stablepkg/json",
        200,
        &pypi(&[("1.0", 800), ("1.1", 400)]),
    );
    s.add(
        "/event-stream",
        200,
        &npm(&[
            ("3.3.5", 900, "dominictarr", &["dominictarr"]),
            ("3.3.6", 800, "right9ctrl", &["dominictarr", "right9ctrl"]),
        ]),
    );
    s.add(
        "/lodash",
        200,
        &npm(&[
            ("4.17.20", 900, "bnjmnt4n", &["bnjmnt4n", "jdalton"]),
            ("4.17.21", 800, "jdalton", &["bnjmnt4n", "jdalton"]),
        ]),
    );
    s.add("/broken", 500, &json!({}));
    s
}

fn project(dir: &Path) {
    std::fs::write(
        dir.join("requirements.txt"),
        "--extra-index-url https://pkgs.example.invalid/simple\n\
         freshpkg==1.0 --hash=sha256:00\n\
         oldpkg==2.0 --hash=sha256:00\n\
         stablepkg==1.1 --hash=sha256:00\n\
         acme-internal==1.0 --hash=sha256:00\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("web")).unwrap();
    std::fs::write(
        dir.join("web/package-lock.json"),
        r#"{"name": "web", "version": "1.0.0", "lockfileVersion": 3, "packages": {
  "": {"name": "web", "version": "1.0.0"},
  "node_modules/event-stream": {"version": "3.3.6", "integrity": "sha512-00"},
  "node_modules/lodash": {"version": "4.17.21", "integrity": "sha512-00"},
  "node_modules/@corp/private": {"version": "1.0.0", "integrity": "sha512-00"},
  "node_modules/broken": {"version": "1.0.0", "integrity": "sha512-00"}
}}"#,
    )
    .unwrap();
}

fn run(cwd: &Path, reg: &Server, args: &[&str]) -> (i32, Value, String) {
    let o = Command::cargo_bin("assay")
        .unwrap()
        .current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env_remove("XDG_CACHE_HOME")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("ASSAY_PYPI_URL", reg.url())
        .env("ASSAY_NPM_REGISTRY", reg.url())
        .env("NO_COLOR", "1")
        .args(["deps", ".", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (
        o.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// (file name, rule code, severity, evidence) of every DEP008–DEP010 finding.
fn online_findings(v: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for a in v["artifacts"].as_array().unwrap() {
        let file = Path::new(a["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for f in a["findings"].as_array().unwrap() {
            let code = f["rule"]["code"].as_str().unwrap().to_owned();
            if ["DEP008", "DEP009", "DEP010"].contains(&code.as_str()) {
                out.push((
                    file.clone(),
                    code,
                    f["severity"].as_str().unwrap().to_owned(),
                    f["evidence"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn offline_by_default_nothing_is_requested() {
    let reg = registry();
    let t = tempfile::tempdir().unwrap();
    project(t.path());
    let (code, v, err) = run(t.path(), &reg, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(online_findings(&v).is_empty());
    assert!(reg.log().is_empty(), "{:?}", reg.log());
}

#[test]
fn online_findings_match_and_do_not_match() {
    let reg = registry();
    let t = tempfile::tempdir().unwrap();
    project(t.path());
    let (code, v, err) = run(t.path(), &reg, &["--online"]);
    assert_eq!(code, 0, "{err}");
    let f = online_findings(&v);
    let short: Vec<(&str, &str, &str)> = f
        .iter()
        .map(|(a, b, c, _)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        short,
        [
            ("package-lock.json", "DEP009", "medium"),
            ("requirements.txt", "DEP008", "low"),
            ("requirements.txt", "DEP008", "medium"),
            ("requirements.txt", "DEP010", "medium"),
        ],
        "{f:#?}"
    );
    let ev = |code: &str, needle: &str| {
        assert!(
            f.iter().any(|x| x.1 == code && x.3.contains(needle)),
            "{code} {needle}: {f:#?}"
        )
    };
    ev("DEP009", "`right9ctrl`");
    ev("DEP008", "`freshpkg` was first published");
    ev("DEP008", "`oldpkg` 2.0 was published 1 day(s) ago");
    ev("DEP010", "pkgs.example.invalid");
    // One request per distinct package; the scoped name is asked too (and not flagged).
    let mut log = reg.log();
    log.sort();
    assert_eq!(
        log,
        [
            "/@corp%2fprivate",
            "/broken",
            "/event-stream",
            "/lodash",
            "/pypi/acme-internal/json",
            "/pypi/freshpkg/json",
            "/pypi/oldpkg/json",
            "/pypi/stablepkg/json",
        ]
    );
    // The failed lookup is reported, not silently clean.
    assert!(
        err.contains("npm broken") && err.contains("HTTP status 500"),
        "{err}"
    );
    assert!(err.contains("1 of 8 lookups failed"), "{err}");

    // A zero-day minimum: no young packages; the other rules stay.
    let (_, v, _) = run(t.path(), &reg, &["--online", "--min-age-days", "0"]);
    let codes: Vec<String> = online_findings(&v).into_iter().map(|x| x.1).collect();
    assert_eq!(codes, ["DEP009", "DEP010"]);
}

#[test]
fn unreachable_registry_is_a_warning_not_an_error() {
    let t = tempfile::tempdir().unwrap();
    project(t.path());
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let o = Command::cargo_bin("assay")
        .unwrap()
        .current_dir(t.path())
        .env("ASSAY_CACHE_DIR", t.path().join("cache"))
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .args(["deps", ".", "--online", "--timeout", "5"])
        .args(["--pypi-url", &format!("http://127.0.0.1:{port}")])
        .args(["--npm-registry", &format!("http://127.0.0.1:{port}")])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("8 of 8 lookups failed"), "{err}");
    assert!(
        err.contains(&format!("127.0.0.1:{port}/pypi/freshpkg/json")),
        "{err}"
    );
}
