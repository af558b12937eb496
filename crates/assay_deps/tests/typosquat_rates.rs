//! Typosquat detection rates (issue #4, criterion 3), on the bundled lists.
//!
//! - `fixtures/typosquats.tsv`: real historical PyPI/npm typosquat names with the package
//!   each imitates and a source; the share flagged as imitating that package is measured
//!   (the target is 95 %; the floor asserted here is the level reached so far).
//! - Each popular list against itself: at most 0.5 % of names flagged when each is checked
//!   as if it were not on the list (`squats_ignoring_self`).
//!
//! `cargo run -p assay_dev -- typosquat-rates` prints the same figures.

use assay_rules::typosquat::{self, Ecosystem};

fn eco(s: &str) -> Ecosystem {
    match s {
        "PyPI" => Ecosystem::PyPI,
        "npm" => Ecosystem::Npm,
        "crates.io" => Ecosystem::CratesIo,
        other => panic!("unknown ecosystem {other}"),
    }
}

#[test]
fn historical_typosquats_are_flagged() {
    let text = include_str!("../fixtures/typosquats.tsv");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(rows.len() >= 100, "only {} names", rows.len());
    let mut missed = Vec::new();
    for r in &rows {
        assert_eq!(r.len(), 4, "bad row {r:?}");
        assert!(!r[3].trim().is_empty(), "row without a source: {r:?}");
        let e = eco(r[1]);
        match typosquat::squats_in(e, r[0]) {
            Some((t, _)) if t == typosquat::canonical(e, r[2]) => {}
            other => missed.push(format!("{} ({}): {other:?}", r[0], r[2])),
        }
    }
    let rate = 1.0 - missed.len() as f64 / rows.len() as f64;
    println!(
        "flagged {:.1}% of {} names; missed: {missed:#?}",
        rate * 100.0,
        rows.len()
    );
    // Issue #4 asks for >= 95 %; the rules reach less without breaking the 0.5 %
    // collision bound (see docs/benchmarks.md, "Typosquat detection"). This floor
    // catches regressions; raise it as the rules improve.
    assert!(
        rate >= 0.80,
        "flagged only {:.1}%; missed {missed:#?}",
        rate * 100.0
    );
}
