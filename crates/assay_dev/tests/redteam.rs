//! The red-team regression subset (issue 21): every light transform on every seed, scanned
//! in process, must keep its verdict class. Pairs detected today stay detected; the pairs
//! that evade today are exactly `KNOWN_EVASIONS`, so fixing one fails this test until it
//! is removed from the list (the list cannot go stale silently).
//!
//! Left out: the heavy variants (a 16 MiB module, 100,001 members) and `config-injection`,
//! which needs the `assay` binary (its fixture lives in `crates/assay/tests/`). Nothing
//! generated is run; nothing touches the network.

use assay_core::Verdict;
use assay_dev::redteam::{self, Options, Outcome};

#[test]
fn red_team_light_matrix_matches_known_evasions() {
    let opts = Options {
        heavy: false,
        ..Options::default()
    };
    let cells = redteam::evaluate(&opts).expect("variants are generated");
    let cells: Vec<_> = cells
        .into_iter()
        .filter(|c| !matches!(c.outcome, Outcome::Skipped(_)))
        .collect();
    assert!(cells.len() > 100, "only {} variants ran", cells.len());

    // Every seed is malicious as it stands: a seed that is not is a broken seed.
    for c in cells.iter().filter(|c| c.transform == "identity") {
        assert_eq!(
            c.outcome.blocked(Verdict::Malicious),
            Some(true),
            "seed {} is not malicious: {:?}",
            c.family,
            c.outcome
        );
    }
    for c in &cells {
        assert!(
            !matches!(c.outcome, Outcome::Crash(_)),
            "{} × {} crashed the scan: {:?}",
            c.transform,
            c.family,
            c.outcome
        );
    }

    let (fixed, new) = redteam::against_known(&cells);
    let mut msg = String::new();
    for (t, f) in &fixed {
        msg.push_str(&format!(
            "  {t} × {f} is detected now: remove (\"{t}\", \"{f}\") from KNOWN_EVASIONS\n"
        ));
    }
    for (t, f) in &new {
        let o = cells
            .iter()
            .find(|c| c.transform == *t && c.family == *f)
            .map(|c| format!("{:?}", c.outcome))
            .unwrap_or_default();
        msg.push_str(&format!("  {t} × {f} evades (regression?): {o}\n"));
    }
    assert!(
        msg.is_empty(),
        "red-team matrix differs from KNOWN_EVASIONS:\n{msg}"
    );
}
