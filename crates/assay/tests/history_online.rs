//! `assay history --online` (issue 14, item 2; rule GIT018) against an npm-registry-shaped
//! server started by the test on 127.0.0.1: a newcomer adding a package created days
//! before the commit by the committer, or one the registry no longer has, is flagged and
//! ranked first; an old package by someone else, and the maintainer's own new package,
//! are not; without `--online` nothing is requested. No test reaches the internet.
#![cfg(feature = "net")]
#![allow(clippy::unwrap_used, missing_docs)]

use assay_history::synth::{Op, Stream, import};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;

const MAINT: &str = "Dominic Maintainer <dominic@example.invalid>";
const NEW: &str = "Right Newcomer <right9ctrl@example.invalid>";
const START: i64 = 1_500_000_000;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

fn package_json(deps: &[&str]) -> Vec<u8> {
    let d: Vec<String> = deps
        .iter()
        .map(|n| format!("\"{n}\": \"^1.0.0\""))
        .collect();
    format!(
        "{{\"name\": \"streamy\", \"version\": \"1.0.0\", \"dependencies\": {{{}}}}}\n",
        d.join(", ")
    )
    .into_bytes()
}

/// Commit positions (0-based) of the cases.
struct Shape {
    maint_adds_own: usize,
    newcomer_adds_fresh: usize,
    newcomer_adds_seasoned: usize,
    newcomer_adds_gone: usize,
}

/// 130 maintainer commits (one adds the maintainer's own new package), then a newcomer
/// adds three new dependencies, one commit each.
fn history() -> (Vec<u8>, Shape) {
    let mut s = Stream::new(START);
    let mut deps = vec!["through"];
    let pj = package_json(&deps);
    s.commit(MAINT, "initial", &[Op::Put("package.json", &pj)]);
    let mut maint_adds_own = 0;
    for i in 1..130 {
        if i == 100 {
            deps.push("dominic-own-helper");
            let pj = package_json(&deps);
            s.commit(MAINT, "use my new helper", &[Op::Put("package.json", &pj)]);
            maint_adds_own = i;
        } else {
            let body = format!("module.exports = {{ v: {i} }}\n");
            s.commit(
                MAINT,
                &format!("change {i}"),
                &[Op::Put("index.js", body.as_bytes())],
            );
        }
    }
    let mut at = 130;
    let mut add = |s: &mut Stream, name: &'static str| {
        deps.push(name);
        let pj = package_json(&deps);
        s.commit(NEW, &format!("add {name}"), &[Op::Put("package.json", &pj)]);
        at += 1;
        at - 1
    };
    let newcomer_adds_fresh = add(&mut s, "fresh-flat-stream");
    let newcomer_adds_seasoned = add(&mut s, "seasoned-lib");
    let newcomer_adds_gone = add(&mut s, "gone-stream");
    (
        s.finish(),
        Shape {
            maint_adds_own,
            newcomer_adds_fresh,
            newcomer_adds_seasoned,
            newcomer_adds_gone,
        },
    )
}

fn iso(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S.000Z")
        .to_string()
}

/// An npm packument whose one version `1.0.0` was published at `created` by `user`.
fn packument(created: i64, user: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "time": {"created": iso(created), "1.0.0": iso(created)},
        "versions": {"1.0.0": {"version": "1.0.0", "_npmUser": {"name": user}, "maintainers": [{"name": user}]}}
    }))
    .unwrap()
}

fn registry(shape: &Shape) -> common::Server {
    let at = |i: usize| START + HOUR * i as i64;
    let mut routes: HashMap<String, Vec<u8>> = HashMap::new();
    routes.insert(
        "/fresh-flat-stream".into(),
        packument(at(shape.newcomer_adds_fresh) - 3 * DAY, "right9ctrl"),
    );
    routes.insert(
        "/seasoned-lib".into(),
        packument(at(shape.newcomer_adds_seasoned) - 900 * DAY, "someone-else"),
    );
    routes.insert(
        "/dominic-own-helper".into(),
        packument(at(shape.maint_adds_own) - DAY, "dominic"),
    );
    let routes = Arc::new(Mutex::new(routes));
    common::Server::start(move |req| match routes.lock().unwrap().get(&req.path) {
        Some(b) => common::Response::new(200, "application/json", b.clone()),
        None => common::Response::new(
            404,
            "application/json",
            b"{\"error\":\"Not found\"}".to_vec(),
        ),
    })
}

fn run(dir: &std::path::Path, extra: &[&str], npm: &str) -> (i32, Value) {
    let mut c: assert_cmd::Command = assert_cmd::cargo::cargo_bin_cmd!("assay");
    let out = c
        .current_dir(dir)
        .env("ASSAY_NPM_REGISTRY", npm)
        .args(["history", ".", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn codes(v: &Value, id: &str) -> (Vec<String>, String, u64) {
    let a = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == id)
        .unwrap();
    let codes = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["code"].as_str().unwrap().to_owned())
        .collect();
    (
        codes,
        a["verdict"].as_str().unwrap().to_owned(),
        a["rank"].as_u64().unwrap(),
    )
}

#[test]
fn online_registry_evidence_ranks_the_newcomers_own_fresh_package_first() {
    let (stream, shape) = history();
    let dir = tempfile::tempdir().unwrap();
    let ids = import(dir.path(), &stream).unwrap();
    let server = registry(&shape);

    // Offline: no request, no GIT018.
    let (_, off) = run(dir.path(), &[], &server.url());
    assert!(
        server.requests().is_empty(),
        "{:?}",
        server.requests().len()
    );
    let (c, _, _) = codes(&off, &ids[shape.newcomer_adds_fresh]);
    assert!(
        c.contains(&"GIT016".to_owned()) && !c.contains(&"GIT018".to_owned()),
        "{c:?}"
    );

    let (code, on) = run(dir.path(), &["--online"], &server.url());
    assert_eq!(code, 1, "a commit reaches review now → exit 1");
    // Must match: created 3 days before by the committer; gone from the registry.
    let (c, verdict, rank) = codes(&on, &ids[shape.newcomer_adds_fresh]);
    assert!(c.contains(&"GIT018".to_owned()), "{c:?}");
    assert_eq!((verdict.as_str(), rank), ("malicious", 1));
    let ev = on["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["code"] == "GIT018")
        .unwrap()["evidence"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        ev.contains("3 days before") && ev.contains("`right9ctrl`"),
        "{ev}"
    );
    let (c, _, _) = codes(&on, &ids[shape.newcomer_adds_gone]);
    assert!(c.contains(&"GIT018".to_owned()), "{c:?}");
    // Must not match: an old package by someone else; the maintainer's own new package.
    for i in [shape.newcomer_adds_seasoned, shape.maint_adds_own] {
        let (c, _, _) = codes(&on, &ids[i]);
        assert!(!c.contains(&"GIT018".to_owned()), "{i}: {c:?}");
    }
    // Each new name was asked for once; popular and earlier names were not.
    let mut asked: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            "/dominic-own-helper",
            "/fresh-flat-stream",
            "/gone-stream",
            "/seasoned-lib"
        ]
    );
}
