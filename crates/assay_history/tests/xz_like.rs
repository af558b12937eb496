//! Acceptance 1: the xz-like synthetic history. Each planted commit must rank above every
//! maintainer commit, with evidence naming the file, the line and the reason; the same
//! binary added with its generator and a test that names it must rank low.

#![allow(clippy::unwrap_used)]

use assay_core::Verdict;
use assay_history::{Options, Weights, review, synth};

fn build(with_generator: bool) -> (tempfile::TempDir, Vec<String>, Vec<usize>, synth::Planted) {
    let dir = tempfile::tempdir().unwrap();
    let (stream, maint, planted) = synth::xz_like(with_generator);
    let ids = synth::import(dir.path(), &stream).unwrap();
    (dir, ids, maint, planted)
}

fn opts(dir: &std::path::Path) -> Options {
    Options {
        repo: dir.to_path_buf(),
        weights: Weights::default(),
        ..Options::default()
    }
}

#[test]
fn planted_commits_outrank_every_maintainer_commit() {
    let (dir, ids, maint, p) = build(false);
    let h = review(&opts(dir.path())).unwrap();
    assert_eq!(h.walked, ids.len());
    let by_id = |i: usize| h.commits.iter().find(|c| c.path == ids[i]).unwrap();
    let max_maint = maint.iter().map(|&i| by_id(i).score).fold(0.0, f64::max);
    for (what, i) in [
        ("add", p.add_binary),
        ("rewrite", p.rewrite_binary),
        ("cmake", p.break_check),
        ("gitignore", p.ignore_macro),
    ] {
        let c = by_id(i);
        assert!(
            c.score > max_maint,
            "{what}: {} ≤ maintainer {max_maint}: {:#?}",
            c.score,
            c.findings
        );
        assert!(c.verdict >= Verdict::Suspicious, "{what}: {:#?}", c);
        assert!(c.rank.unwrap() <= 10, "{what} rank {:?}", c.rank);
    }
    let codes = |i: usize| {
        by_id(i)
            .findings
            .iter()
            .map(|f| f.rule.code().to_owned())
            .collect::<Vec<_>>()
    };
    let add = by_id(p.add_binary);
    let f = add
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT003")
        .unwrap();
    assert_eq!(f.location.path, "tests/files/bad-3-corrupt_lzma2.xz");
    assert!(
        f.evidence.contains("names `bad-3-corrupt_lzma2.xz`"),
        "{}",
        f.evidence
    );
    assert!(codes(p.add_binary).contains(&"GIT002".to_owned()));
    assert!(
        codes(p.add_binary).contains(&"GIT001".to_owned()),
        "newcomer dominance"
    );
    assert!(
        codes(p.rewrite_binary).contains(&"GIT005".to_owned()),
        "{:?}",
        codes(p.rewrite_binary)
    );

    let cm = by_id(p.break_check);
    assert_eq!(cm.verdict, Verdict::Malicious, "{cm:#?}");
    let f = cm
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT006")
        .unwrap();
    assert_eq!(f.location.path, "CMakeLists.txt");
    // Line 7 of CMakeLists.txt holds the stray `.`.
    assert_eq!(f.location.line, Some(7), "{f:?}");
    assert!(f.evidence.contains("`.`") && f.evidence.contains("silently disabled"));

    let gi = by_id(p.ignore_macro);
    let f = gi
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT009")
        .unwrap();
    assert_eq!(
        (f.location.path.as_str(), f.location.line),
        ("m4/.gitignore", Some(2))
    );
    assert!(f.evidence.contains("build-to-host.m4"));

    // Maintainer commits raise nothing at all.
    assert!(maint.iter().all(|&i| by_id(i).findings.is_empty()));
}

#[test]
fn binary_with_generator_and_test_ranks_low() {
    let (dir, ids, _, p) = build(true);
    let h = review(&opts(dir.path())).unwrap();
    let c = h
        .commits
        .iter()
        .find(|c| c.path == ids[p.add_binary])
        .unwrap();
    assert_eq!(c.verdict, Verdict::Clean, "{c:#?}");
    assert!(c.score < Weights::default().look);
    assert!(
        !c.findings.iter().any(|f| f.rule.code() == "GIT003"),
        "{:#?}",
        c.findings
    );
}

#[test]
fn output_is_deterministic_and_range_since_first_parent_work() {
    let (dir, ids, _, p) = build(false);
    let a = format!("{:?}", review(&opts(dir.path())).unwrap().commits);
    let b = format!("{:?}", review(&opts(dir.path())).unwrap().commits);
    assert_eq!(a, b);
    let mut o = opts(dir.path());
    o.range = Some(format!("{}..main", ids[p.break_check - 1]));
    let h = review(&o).unwrap();
    assert_eq!(h.commits.len(), ids.len() - p.break_check);
    assert_eq!(h.commits[0].path, ids[p.break_check]);
    let mut o = opts(dir.path());
    o.since = Some("2100-01-01".into());
    assert!(review(&o).unwrap().commits.is_empty());
    let mut o = opts(dir.path());
    o.first_parent = true;
    o.refs = vec!["main".into()];
    assert_eq!(review(&o).unwrap().commits.len(), ids.len());
}

#[test]
fn weights_override_changes_the_verdict() {
    let (dir, ids, _, p) = build(false);
    let mut o = opts(dir.path());
    o.weights = Weights::parse("[weights]\nGIT006 = 0\nGIT007 = 0\nGIT001 = 0\n", "t").unwrap();
    let h = review(&o).unwrap();
    let c = h
        .commits
        .iter()
        .find(|c| c.path == ids[p.break_check])
        .unwrap();
    assert_eq!(c.verdict, Verdict::Clean);
    assert_eq!(c.score, 0.0);
}

#[test]
fn not_a_repository_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let e = review(&opts(dir.path())).unwrap_err().to_string();
    assert!(e.contains(&dir.path().display().to_string()), "{e}");
}
