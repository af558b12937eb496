//! The history benchmark: generates 3,000- and 50,000-commit repositories in a temp dir
//! (`synth::plain`), reviews each twice, checks that the two JSON renderings are
//! byte-identical, and prints wall time, commits per second and peak RSS. As a baseline
//! measured in the same run it times `git rev-list --all --objects` over the same
//! repository (the cost of merely visiting every commit and tree). Extra arguments are
//! existing repositories to time as well (e.g. clones of the zlib and lz4 histories).
//!
//! `cargo run --release -p assay_history --example bench [-- REPO…]`
#![allow(clippy::unwrap_used, missing_docs)]

use assay_history::{Options, Weights, review, synth};
use std::path::Path;
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn json(h: &assay_history::History) -> String {
    let r = assay_core::Report::new(h.commits.clone(), Vec::new());
    serde_json::to_string(&r).unwrap()
}

fn time(label: &str, repo: &Path) {
    let t = Instant::now();
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-list", "--all", "--objects"])
        .output()
        .unwrap();
    let base = t.elapsed().as_secs_f64();
    assert!(out.status.success());
    let opts = Options {
        repo: repo.to_path_buf(),
        weights: Weights::default(),
        ..Options::default()
    };
    let t = Instant::now();
    let a = review(&opts).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let b = review(&opts).unwrap();
    let same = json(&a) == json(&b);
    let look = a
        .commits
        .iter()
        .filter(|c| c.verdict == assay_core::Verdict::Suspicious)
        .count();
    let now = a
        .commits
        .iter()
        .filter(|c| c.verdict == assay_core::Verdict::Malicious)
        .count();
    println!(
        "| {label} | {} | {secs:.2} s | {:.0} | {base:.2} s | {:.1}× | {look} | {now} | {} | {} MiB |",
        a.walked,
        a.walked as f64 / secs,
        secs / base.max(1e-3),
        if same { "yes" } else { "NO" },
        peak_rss_kib() / 1024
    );
}

fn main() {
    println!(
        "| repository | commits | review | commits/s | git rev-list --all --objects | ratio | look | review now | identical JSON | peak RSS (process) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let tmp = tempfile::tempdir().unwrap();
    for n in [3_000usize, 50_000] {
        let dir = tmp.path().join(format!("plain-{n}"));
        synth::import(&dir, &synth::plain(n, 12)).unwrap();
        time(&format!("synthetic {n}"), &dir);
    }
    for r in std::env::args().skip(1) {
        time(&r, Path::new(&r));
    }
}
