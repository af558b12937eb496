//! `cargo dev bench-diff [--runs N] --assay BIN OLD NEW`: issue 19's performance figure.
//! Times `assay scan NEW` (the baseline) and `assay diff OLD NEW`, alternating, `--runs`
//! times each (default 5), both `--format json` to a discarded stdout, and prints the
//! medians and their ratio (the acceptance bound is diff ≤ 2× scan). Both are measured in
//! the same run on the same machine, so the ratio is what transfers between machines.

use anyhow::Context as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn time(cmd: &mut Command) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let st = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running assay")?;
    // 0 and 1 are verdicts; anything else is an error.
    anyhow::ensure!(matches!(st.code(), Some(0 | 1)), "assay exited with {st}");
    Ok(t.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Run the command; `Ok(false)` when the ratio is above 2.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut runs = 5usize;
    let mut assay: Option<PathBuf> = None;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().context("--runs N")?.parse()?,
            "--assay" => assay = Some(PathBuf::from(it.next().context("--assay BIN")?)),
            other => paths.push(PathBuf::from(other)),
        }
    }
    let usage = "usage: cargo dev bench-diff [--runs N] --assay BIN OLD NEW";
    let assay = assay.context(usage)?;
    let [old, new] = paths.as_slice() else {
        anyhow::bail!(usage);
    };
    let (mut scans, mut diffs) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        scans.push(time(
            Command::new(&assay)
                .arg("scan")
                .arg(new)
                .args(["-f", "json"]),
        )?);
        diffs.push(time(
            Command::new(&assay)
                .arg("diff")
                .arg(old)
                .arg(new)
                .args(["-f", "json"]),
        )?);
    }
    let (s, d) = (median(scans), median(diffs));
    let ratio = d.as_secs_f64() / s.as_secs_f64().max(1e-9);
    println!(
        "scan NEW: median {:.2} s; diff OLD NEW: median {:.2} s; ratio {ratio:.2} (bound 2.0); {runs} runs",
        s.as_secs_f64(),
        d.as_secs_f64()
    );
    Ok(ratio <= 2.0)
}
