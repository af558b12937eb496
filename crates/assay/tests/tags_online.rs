//! `assay tags --online` (CI029 impostor-commit, CI030 ref-confusion) against a local
//! server standing in for the GitHub REST API (`$ASSAY_GITHUB_API`), on a git repository
//! built by the test whose workflows have the shapes of gha-hazmat's
//! `impostor-commit.yml` and `ref-confusion.yml`, plus must-not-match pins (a SHA on the
//! default branch, a tag whose name only prefixes a branch) and a repository whose API
//! fails. Nothing here touches the internet.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Response, Server, git};
use serde_json::{Value, json};
use std::path::Path;

const IMPOSTOR: &str = "c7d749a2d57b4b375d1ebcd17cfbfb60c676f18e";
const ON_MAIN: &str = "11bd71901bbe5b1630ceea73d27597364c9af683";
const MAIN_HEAD: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const V4_HEAD: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn json(v: Value) -> Response {
    Response::new(200, "application/json", v.to_string().into_bytes())
}

/// The stand-in API: actions/checkout has `main` and tag `v4`; the impostor commit is
/// `diverged` from both, `ON_MAIN` is `behind` main. `confusable` is a branch and a tag
/// of woodruffw/gha-hazmat; `v1` is only a tag (the branch `v1-fix` merely shares its
/// prefix). Everything under /repos/down/ fails.
fn api(req: &common::Request) -> Response {
    let p = req.path.as_str();
    if p.starts_with("/repos/down/") {
        return Response::new(500, "text/plain", b"boom".to_vec());
    }
    match p {
        "/repos/actions/checkout" => json(json!({"default_branch": "main"})),
        "/repos/actions/checkout/branches?per_page=100" => {
            json(json!([{"name": "main", "commit": {"sha": MAIN_HEAD}}]))
        }
        "/repos/actions/checkout/tags?per_page=100" => {
            json(json!([{"name": "v4", "commit": {"sha": V4_HEAD}}]))
        }
        _ if p.starts_with("/repos/actions/checkout/compare/") => {
            let status = if p.ends_with(ON_MAIN) && p.contains("/main...") {
                "behind"
            } else {
                "diverged"
            };
            json(json!({"status": status}))
        }
        "/repos/woodruffw/gha-hazmat/git/matching-refs/heads/confusable" => {
            json(json!([{"ref": "refs/heads/confusable"}]))
        }
        "/repos/woodruffw/gha-hazmat/git/matching-refs/tags/confusable" => {
            json(json!([{"ref": "refs/tags/confusable"}]))
        }
        "/repos/woodruffw/gha-hazmat/git/matching-refs/heads/v1" => {
            json(json!([{"ref": "refs/heads/v1-fix"}]))
        }
        "/repos/woodruffw/gha-hazmat/git/matching-refs/tags/v1" => {
            json(json!([{"ref": "refs/tags/v1"}]))
        }
        _ => Response::not_found(),
    }
}

fn repo(dir: &Path) {
    let wf = dir.join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    std::fs::write(
        wf.join("impostor-commit.yml"),
        format!(
            "on: [push]\njobs:\n  commit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{IMPOSTOR}\n      - uses: actions/checkout@{ON_MAIN}\n      - uses: actions/checkout@{V4_HEAD}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        wf.join("ref-confusion.yml"),
        "on: [push]\njobs:\n  commit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: woodruffw/gha-hazmat/ref-confusion@confusable\n      - uses: woodruffw/gha-hazmat/other@v1\n      - uses: down/action@v2\n",
    )
    .unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "workflows"]);
}

fn run(dir: &Path, api: &str, extra: &[&str]) -> (i32, Value) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("assay")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ASSAY_GITHUB_API", api)
        .env("GITHUB_TOKEN", "test-token")
        .args(["tags", "--format", "json", "--lock"])
        .arg(dir.join("tags.lock"))
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stdout}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"]["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn impostor_commits_and_ref_confusion_against_a_local_api() {
    if !common::has_git() {
        return;
    }
    let tmp = tempfile::TempDir::new().unwrap();
    repo(tmp.path());
    let server = Server::start(api);

    // Without --online nothing is fetched and no pin is judged.
    let (code, report) = run(tmp.path(), &server.url(), &[]);
    assert_eq!(code, 0);
    assert!(findings(&report).is_empty(), "{report}");
    assert!(server.requests().is_empty());

    let (code, report) = run(
        tmp.path(),
        &server.url(),
        &["--online", "--fail-on", "high"],
    );
    assert_eq!(code, 1, "{report}");
    let mut got = findings(&report);
    got.sort();
    let wf = |f: &str| format!(".github/workflows/{f}");
    assert_eq!(
        got,
        [
            ("CI029".into(), "high".into(), wf("impostor-commit.yml")),
            ("CI030".into(), "low".into(), wf("ref-confusion.yml")),
            ("CI030".into(), "medium".into(), wf("ref-confusion.yml")),
        ],
        "{report}"
    );
    let all = report["artifacts"][0]["findings"].as_array().unwrap();
    let impostor = all.iter().find(|f| f["rule"]["code"] == "CI029").unwrap();
    assert!(impostor["evidence"].as_str().unwrap().contains(IMPOSTOR));
    assert_eq!(impostor["location"]["line"], 6);
    let failed = all
        .iter()
        .find(|f| f["rule"]["code"] == "CI030" && f["severity"] == "low")
        .unwrap();
    assert!(
        failed["evidence"]
            .as_str()
            .unwrap()
            .contains("not verified"),
        "{failed}"
    );
    // The token is sent; every request stays on the local server's API paths.
    let reqs = server.requests();
    assert!(!reqs.is_empty());
    assert!(reqs.iter().all(|r| r.path.starts_with("/repos/")));
    assert!(
        reqs.iter()
            .all(|r| r.header("authorization") == Some("Bearer test-token"))
    );
}

/// `assay scan --online REPO` checks the same pins (one place for the workflow audit and
/// the pin check); without `--online` it sends nothing.
#[test]
fn scan_online_checks_the_pins_too() {
    let tmp = tempfile::TempDir::new().unwrap();
    repo(tmp.path());
    let server = Server::start(api);
    let scan = |extra: &[&str]| {
        let out = assert_cmd::cargo::cargo_bin_cmd!("assay")
            .current_dir(tmp.path())
            .env("NO_COLOR", "1")
            .env("ASSAY_GITHUB_API", server.url())
            .args(["scan", "--format", "json", "--no-progress"])
            .args(extra)
            .arg(tmp.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let r: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{stdout}", String::from_utf8_lossy(&out.stderr)));
        let mut codes: Vec<String> = r["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["findings"].as_array().unwrap().iter())
            .map(|f| f["rule"]["code"].as_str().unwrap().to_owned())
            .filter(|c| c == "CI029" || c == "CI030")
            .collect();
        codes.sort();
        codes
    };
    assert!(scan(&[]).is_empty());
    assert!(server.requests().is_empty());
    assert_eq!(scan(&["--online"]), ["CI029", "CI030", "CI030"]);
}
