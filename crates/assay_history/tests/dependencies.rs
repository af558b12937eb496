//! Dependency changes as a signal (issue 14, item 2): GIT016 (a newcomer adds a
//! third-party dependency the project never named) and GIT017 (a dependency added or
//! re-pointed to a URL/git source, or under a look-alike name), on a synthetic history of
//! the event-stream shape that always runs, and on the real event-stream history when its
//! bundle is present.

#![allow(clippy::unwrap_used)]

use assay_core::Verdict;
use assay_history::synth::{Op, Stream, import};
use assay_history::{History, Options, Weights, review};
use std::path::{Path, PathBuf};

const MAINT: &str = "Dominic Maintainer <dominic@example.invalid>";
const NEW: &str = "Right Newcomer <right@example.invalid>";

fn package_json(deps: &[(&str, &str)], dev: &[(&str, &str)]) -> Vec<u8> {
    let obj = |d: &[(&str, &str)]| {
        d.iter()
            .map(|(n, v)| format!("    \"{n}\": \"{v}\""))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    format!(
        "{{\n  \"name\": \"event-stream\",\n  \"version\": \"3.3.4\",\n  \"dependencies\": {{\n{}\n  }},\n  \"devDependencies\": {{\n{}\n  }}\n}}\n",
        obj(deps),
        obj(dev)
    )
    .into_bytes()
}

const BASE: &[(&str, &str)] = &[
    ("through", "~2.3.1"),
    ("duplexer", "~0.1.1"),
    ("from", "~0"),
    ("map-stream", "~0.1.0"),
];
const DEV: &[(&str, &str)] = &[("asynct", "*"), ("it-is", "1")];

/// Positions (0-based) of the commits the tests look at.
struct Shape {
    maint_adds_split: usize,
    maint_repoints: usize,
    maint_typo: usize,
    newcomer_bumps: usize,
    newcomer_adds_known: usize,
    newcomer_adds_locked: usize,
    newcomer_adds_new: usize,
    newcomer_adds_local: usize,
}

/// 150 maintainer commits (a few touching `package.json`), then a newcomer who takes
/// over: bumps versions, adds a popular test package, promotes a name the lockfile
/// already held, adds a local package, and adds a brand-new package (the event-stream
/// shape).
fn history() -> (Stream, Shape) {
    let mut s = Stream::new(1_300_000_000);
    let mut n = 0usize;
    let mut commit = |s: &mut Stream, who: &str, msg: &str, ops: &[Op<'_>]| {
        s.commit(who, msg, ops);
        n += 1;
        n - 1
    };
    let pj = package_json(BASE, DEV);
    commit(
        &mut s,
        MAINT,
        "initial",
        &[
            Op::Put("package.json", &pj),
            Op::Put("index.js", b"module.exports = {}\n"),
        ],
    );
    let mut deps: Vec<(&str, &str)> = BASE.to_vec();
    let mut maint_adds_split = 0;
    let mut maint_repoints = 0;
    let mut maint_typo = 0;
    for i in 1..150 {
        let body = format!("module.exports = {{ v: {i} }}\n");
        if i == 60 {
            deps.push(("split", "0.3"));
            let pj = package_json(&deps, DEV);
            maint_adds_split = commit(&mut s, MAINT, "use split", &[Op::Put("package.json", &pj)]);
        } else if i == 90 {
            let mut d = deps.clone();
            if let Some(x) = d.iter_mut().find(|x| x.0 == "from") {
                x.1 = "git+https://example.invalid/fork/from.git#fix";
            }
            let pj = package_json(&d, DEV);
            maint_repoints = commit(
                &mut s,
                MAINT,
                "temporarily use a fork of from",
                &[Op::Put("package.json", &pj)],
            );
            // and back to the registry
            let pj = package_json(&deps, DEV);
            commit(
                &mut s,
                MAINT,
                "from is fixed",
                &[Op::Put("package.json", &pj)],
            );
        } else if i == 100 {
            let mut d = deps.clone();
            d.push(("crossenv", "^1.0.0"));
            let pj = package_json(&d, DEV);
            maint_typo = commit(&mut s, MAINT, "env helper", &[Op::Put("package.json", &pj)]);
            let pj = package_json(&deps, DEV);
            commit(
                &mut s,
                MAINT,
                "drop env helper",
                &[Op::Put("package.json", &pj)],
            );
        } else {
            commit(
                &mut s,
                MAINT,
                &format!("change {i}"),
                &[Op::Put("index.js", body.as_bytes())],
            );
        }
    }
    // The newcomer.
    let bumped: Vec<(&str, &str)> = deps.iter().map(|(n, _)| (*n, "^9.9.9")).collect();
    let pj = package_json(&bumped, DEV);
    let lock = br#"{"lockfileVersion":1,"dependencies":{"through":{"version":"9.9.9"},"duplexer":{"version":"9.9.9","dependencies":{"stream-shift":{"version":"1.0.0"}}}}}"#;
    let newcomer_bumps = commit(
        &mut s,
        NEW,
        "upgrade dependencies",
        &[
            Op::Put("package.json", &pj),
            Op::Put("package-lock.json", lock),
        ],
    );
    for i in 0..3 {
        let body = format!("module.exports = {{ n: {i} }}\n");
        commit(
            &mut s,
            NEW,
            "examples",
            &[Op::Put("index.js", body.as_bytes())],
        );
    }
    let mut dev = DEV.to_vec();
    dev.push(("tape", "^4.9.1"));
    let pj = package_json(&bumped, &dev);
    let newcomer_adds_known = commit(&mut s, NEW, "use tape", &[Op::Put("package.json", &pj)]);
    let mut d = bumped.clone();
    d.push(("stream-shift", "^1.0.0"));
    let pj = package_json(&d, &dev);
    let newcomer_adds_locked = commit(
        &mut s,
        NEW,
        "direct stream-shift",
        &[Op::Put("package.json", &pj)],
    );
    d.push(("helpers", "file:./helpers"));
    let pj = package_json(&d, &dev);
    let newcomer_adds_local = commit(&mut s, NEW, "helpers", &[Op::Put("package.json", &pj)]);
    d.push(("flatmap-stream", "^0.1.0"));
    let pj = package_json(&d, &dev);
    let newcomer_adds_new = commit(
        &mut s,
        NEW,
        "add flat map",
        &[
            Op::Put("package.json", &pj),
            Op::Put("index.js", b"es.flatmapSync = require('flatmap-stream')\n"),
        ],
    );
    for i in 0..5 {
        let body = format!("module.exports = {{ m: {i} }}\n");
        commit(
            &mut s,
            NEW,
            "readme",
            &[Op::Put("index.js", body.as_bytes())],
        );
    }
    (
        s,
        Shape {
            maint_adds_split,
            maint_repoints,
            maint_typo,
            newcomer_bumps,
            newcomer_adds_known,
            newcomer_adds_locked,
            newcomer_adds_new,
            newcomer_adds_local,
        },
    )
}

fn opts(repo: &Path) -> Options {
    Options {
        repo: repo.to_path_buf(),
        weights: Weights::default(),
        ..Options::default()
    }
}

fn codes(h: &History, id: &str) -> Vec<String> {
    h.commits
        .iter()
        .find(|c| c.path == id)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.rule.code().to_owned())
        .collect()
}

#[test]
fn newcomer_adding_a_brand_new_dependency_ranks_first() {
    let (s, p) = history();
    let dir = tempfile::tempdir().unwrap();
    let ids = import(dir.path(), &s.finish()).unwrap();
    let h = review(&opts(dir.path())).unwrap();

    // Must match: the event-stream shape.
    let top = &h.commits[0];
    assert_eq!(top.path, ids[p.newcomer_adds_new], "{top:#?}");
    assert!(top.verdict >= Verdict::Suspicious, "{top:#?}");
    let f = top
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT016")
        .unwrap();
    assert_eq!(f.location.path, "package.json");
    assert!(
        f.evidence.contains("flatmap-stream")
            && f.evidence.contains("Right Newcomer")
            && f.evidence.contains("no earlier manifest"),
        "{}",
        f.evidence
    );

    // Must not match: version bumps, a popular package, a name the lockfile held, a local
    // package (all by the newcomer), and the maintainer adding a new dependency.
    for (what, i) in [
        ("bumps", p.newcomer_bumps),
        ("known", p.newcomer_adds_known),
        ("locked", p.newcomer_adds_locked),
        ("local", p.newcomer_adds_local),
        ("maintainer", p.maint_adds_split),
    ] {
        let c = codes(&h, &ids[i]);
        assert!(
            !c.iter().any(|c| c == "GIT016" || c == "GIT017"),
            "{what}: {c:?}"
        );
    }
    // GIT017: the maintainer's re-pointing to a git fork, and a look-alike name.
    let c = codes(&h, &ids[p.maint_repoints]);
    assert_eq!(c, ["GIT017"], "re-point");
    let c = h
        .commits
        .iter()
        .find(|c| c.path == ids[p.maint_typo])
        .unwrap();
    let f = c
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT017")
        .unwrap();
    assert!(
        f.evidence
            .contains("imitates the popular package cross-env"),
        "{}",
        f.evidence
    );
    // Going back from the fork to the registry is not flagged.
    assert!(codes(&h, &ids[p.maint_repoints + 1]).is_empty());
    // No commit reaches "review now".
    assert!(h.commits.iter().all(|c| c.verdict < Verdict::Malicious));
}

/// `/work/shared/corpus/git-history/NAME.bundle`, or `../shared/corpus/…` beside the
/// repository root.
fn bundle(name: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        PathBuf::from("/work/shared/corpus/git-history"),
        root.join("../shared/corpus/git-history"),
    ]
    .into_iter()
    .map(|d| d.join(format!("{name}.bundle")))
    .find(|p| p.is_file())
}

fn clone_bundle(name: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let Some(b) = bundle(name) else {
        eprintln!(
            "skipped: {name}.bundle not found in /work/shared/corpus/git-history or ../shared/corpus/git-history"
        );
        return None;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join(name);
    let ok = std::process::Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(&b)
        .arg(&dst)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "skipped: `git clone` of {} failed (is git installed?)",
            b.display()
        );
        return None;
    }
    Some((tmp, dst))
}

/// Acceptance 1–2 on the real incident: the September 2018 commit that adds
/// `flatmap-stream` is in the top 3 and at least `suspicious`; nothing is "review now".
#[test]
fn event_stream_flatmap_commit_ranks_top_3() {
    let Some((_tmp, repo)) = clone_bundle("event-stream") else {
        return;
    };
    let h = review(&opts(&repo)).unwrap();
    let c = h
        .commits
        .iter()
        .find(|c| c.path == "e3163361fed01384c986b9b4c18feb1fc42b8285")
        .unwrap();
    assert!(c.rank.unwrap() <= 3, "rank {:?}: {c:#?}", c.rank);
    assert!(c.verdict >= Verdict::Suspicious, "{c:#?}");
    let look = h
        .commits
        .iter()
        .filter(|c| c.verdict == Verdict::Suspicious)
        .count();
    eprintln!(
        "event-stream: flatmap commit rank {:?}, look {look}",
        c.rank
    );
    assert!(h.commits.iter().all(|c| c.verdict < Verdict::Malicious));
}

/// `--online` (GIT018), with the registry's answers given directly (the CLI test
/// `crates/assay/tests/history_online.rs` fetches them from a local server): the
/// newcomer's brand-new package that the registry no longer has makes its commit
/// "review now" and first; the maintainer's new package (`crossenv`), young and their
/// own, does not (popular names such as `split` are never looked up).
#[test]
fn registry_evidence_confirms_the_newcomers_package_only() {
    use assay_core::Ecosystem;
    use assay_history::online::{RegistryFacts, apply};
    let (s, p) = history();
    let dir = tempfile::tempdir().unwrap();
    let ids = import(dir.path(), &s.finish()).unwrap();
    let mut h = review(&opts(dir.path())).unwrap();
    let names: Vec<&str> = h.added.iter().map(|d| d.name.as_str()).collect();
    assert!(
        names.contains(&"flatmap-stream") && names.contains(&"crossenv"),
        "{names:?}"
    );
    let mut facts = std::collections::HashMap::new();
    facts.insert(
        (Ecosystem::Npm, "flatmap-stream".to_owned()),
        RegistryFacts::Missing,
    );
    let crossenv = h.added.iter().find(|d| d.name == "crossenv").unwrap();
    facts.insert(
        (Ecosystem::Npm, "crossenv".to_owned()),
        RegistryFacts::Found {
            created: Some(crossenv.seconds - 86_400),
            first_publisher: Some("dominic".to_owned()),
        },
    );
    assert_eq!(apply(&mut h, &Weights::default(), &facts), 1);
    let top = &h.commits[0];
    assert_eq!(top.path, ids[p.newcomer_adds_new]);
    assert_eq!(top.verdict, Verdict::Malicious, "GIT016 + GIT018 = 8.0");
    assert_eq!(top.rank, Some(1));
    assert!(codes(&h, &ids[p.newcomer_adds_new]).contains(&"GIT018".to_owned()));
    assert!(!codes(&h, &ids[p.maint_typo]).contains(&"GIT018".to_owned()));
}
