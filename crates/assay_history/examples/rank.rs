//! Prints the top of `assay history`'s ranking for one repository, the rank of chosen
//! commits and the look / review-now counts: the figures quoted in `docs/benchmarks.md`.
//!
//! `cargo run -p assay_history --example rank -- REPO [TOP] [COMMIT-PREFIX…]`
#![allow(clippy::unwrap_used, missing_docs)]

use assay_core::Verdict;
use assay_history::{Options, Weights, review};

fn main() {
    let mut args = std::env::args().skip(1);
    let repo = args.next().expect("REPO");
    let top: usize = args.next().and_then(|t| t.parse().ok()).unwrap_or(10);
    let want: Vec<String> = args.collect();
    let h = review(&Options {
        repo: repo.into(),
        weights: Weights::default(),
        ..Options::default()
    })
    .unwrap();
    let line = |c: &assay_core::ArtifactReport| {
        let mut codes: Vec<&str> = c.findings.iter().map(|f| f.rule.code()).collect();
        codes.dedup();
        format!(
            "{:>4} {:>5.2} {:<10} {} {} | {} | {}",
            c.rank.unwrap_or(0),
            c.score,
            format!("{:?}", c.verdict),
            &c.path[..10],
            c.date.as_deref().unwrap_or("").get(..10).unwrap_or(""),
            c.name.as_deref().unwrap_or(""),
            codes.join(",")
        )
    };
    for c in h.commits.iter().take(top) {
        println!("{}", line(c));
    }
    for w in &want {
        if let Some(c) = h.commits.iter().find(|c| c.path.starts_with(w.as_str())) {
            println!("want {}", line(c));
            for f in &c.findings {
                println!("     {} {}", f.rule.code(), f.evidence);
            }
        }
    }
    let n = |v: Verdict| h.commits.iter().filter(|c| c.verdict == v).count();
    println!(
        "walked {} reported {} look {} review-now {} missing {}",
        h.walked,
        h.commits.len(),
        n(Verdict::Suspicious),
        n(Verdict::Malicious),
        h.commits
            .iter()
            .filter(|c| {
                c.findings
                    .iter()
                    .any(|f| f.rule == assay_core::Rule::ContentUnavailable)
            })
            .count()
    );
}
