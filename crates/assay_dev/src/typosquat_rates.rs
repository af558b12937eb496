//! `cargo dev typosquat-rates`: the typosquat figures of issue #4 (criterion 3).
//!
//! Prints, per ecosystem, the share of the real historical typosquat names in
//! `crates/assay_deps/fixtures/typosquats.tsv` flagged as imitating the package they
//! imitate, the missed names, and the share of each bundled popular list flagged when
//! every name is checked as if it were on neither the popular nor the known list, with
//! the pairs flagged. The same figures are asserted by
//! `assay_deps`'s `typosquat_rates` test and `assay_rules`'s `popular_names_rarely_collide`.

use assay_rules::typosquat::{self, Ecosystem};

const TSV: &str = include_str!("../../assay_deps/fixtures/typosquats.tsv");

/// Print the rates; `Ok(false)` when a bound of the issue is missed.
pub fn run() -> anyhow::Result<bool> {
    let mut ok = true;
    let mut total = (0usize, 0usize);
    for (label, eco) in [("PyPI", Ecosystem::PyPI), ("npm", Ecosystem::Npm)] {
        let rows: Vec<Vec<&str>> = TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').collect())
            .filter(|r: &Vec<&str>| r.get(1) == Some(&label))
            .collect();
        let mut missed = Vec::new();
        for r in &rows {
            let (name, target) = (
                r.first().copied().unwrap_or(""),
                r.get(2).copied().unwrap_or(""),
            );
            match typosquat::squats_in(eco, name) {
                Some((t, _)) if t == typosquat::canonical(eco, target) => {}
                _ => missed.push(name),
            }
        }
        let hit = rows.len() - missed.len();
        total = (total.0 + hit, total.1 + rows.len());
        println!(
            "{label}: {hit}/{} historical typosquats flagged ({:.1}%); missed: {}",
            rows.len(),
            100.0 * hit as f64 / rows.len().max(1) as f64,
            missed.join(" ")
        );
    }
    let rate = total.0 as f64 / total.1.max(1) as f64;
    println!(
        "all: {}/{} flagged ({:.1}%; issue #4 asks ≥ 95%)",
        total.0,
        total.1,
        100.0 * rate
    );
    ok &= rate >= 0.95;
    for eco in Ecosystem::ALL {
        let names = typosquat::popular(eco);
        let pairs: Vec<String> = names
            .iter()
            .filter_map(|n| {
                typosquat::squats_ignoring_self(eco, n).map(|(t, how)| format!("{n}->{t} ({how})"))
            })
            .collect();
        let flagged = pairs.len();
        let r = flagged as f64 / names.len().max(1) as f64;
        println!(
            "{eco:?}: {flagged}/{} popular names flagged against the rest of the list ({:.2}%; bound 0.5%): {}",
            names.len(),
            100.0 * r,
            pairs.join(", ")
        );
        ok &= r <= 0.005;
        // The known-projects tail is not reported in production (a known name is never a
        // squat); this is how many of its real projects it keeps from being flagged.
        let tail = typosquat::known_tail(eco);
        if !tail.is_empty() {
            let hidden = tail
                .iter()
                .filter(|n| typosquat::squats_ignoring_self(eco, n).is_some())
                .count();
            println!(
                "{eco:?}: {hidden}/{} known projects ranked after the popular list would be flagged without the known list ({:.2}%)",
                tail.len(),
                100.0 * hidden as f64 / tail.len() as f64
            );
        }
    }
    Ok(ok)
}
