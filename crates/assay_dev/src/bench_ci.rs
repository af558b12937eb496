//! `cargo dev bench-ci [--runs N] [--zizmor] [--diff AUDIT] DIR`: the workflow audit's speed and its
//! findings beside zizmor's (issue #18, acceptance 1 and 3).
//!
//! Collects every `.yml`/`.yaml` under `DIR` that is a workflow or action by its path
//! (`.github/workflows/`, `action.yml`) or its content (top-level `jobs:`/`runs:`), as
//! zizmor's integration inputs are loose files. Files under a `…/.github/` folder are
//! audited together as one repository (so cross-workflow paths are found); other files
//! one at a time.
//!
//! Timing: `--runs` (default 5) runs, each reading every file from disk and auditing all
//! of them on one thread; the median and best are printed. With `--zizmor`, the same
//! files are given to `zizmor --offline --format json` (which must be on `PATH`;
//! install with `pip install zizmor`) the same number of times, and the ratio of the
//! medians is printed; then, per zizmor audit, the number of findings and of files
//! flagged by zizmor and by the assay rule that covers the same weakness. `--diff AUDIT`
//! (implies `--zizmor`) lists the files only one tool flags for that zizmor audit.

use anyhow::Context as _;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// zizmor audit → the assay rule for the same weakness.
const MAP: &[(&str, &str)] = &[
    ("template-injection", "CI002"),
    ("dangerous-triggers", "CI003"),
    ("cache-poisoning", "CI004"),
    ("unpinned-uses", "CI006"),
    ("unpinned-images", "CI007"),
    ("excessive-permissions", "CI008"),
    ("secrets-inherit", "CI009"),
    ("overprovisioned-secrets", "CI010"),
    ("self-hosted-runner", "CI011"),
    ("use-trusted-publishing", "CI013"),
    ("github-env", "CI014"),
    ("unredacted-secrets", "CI017"),
    ("insecure-commands", "CI018"),
    ("hardcoded-container-credentials", "CI019"),
    ("artipacked", "CI020"),
    ("bot-conditions", "CI021"),
    ("unsound-condition", "CI022"),
    ("unsound-contains", "CI023"),
];

fn collect(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs_err::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                let rel = rel(dir, &p);
                let text = String::from_utf8_lossy(&fs_err::read(&p)?).into_owned();
                if assay_ci::kind_by_path(&rel).is_some() || assay_ci::looks_like_workflow(&text) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn rel(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// One audit of every file: read, group by repository, audit. Findings as
/// `(file, code)`.
fn audit_all(dir: &Path, files: &[PathBuf]) -> anyhow::Result<Vec<(String, String, String)>> {
    let mut groups: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for p in files {
        let r = rel(dir, p);
        let key = match r.find(".github/") {
            Some(i) => r.get(..i).unwrap_or("").to_owned(),
            None => r.clone(),
        };
        groups.entry(key.clone()).or_default().push((
            r.get(key.len()..).unwrap_or(&r).to_owned(),
            fs_err::read(p)?,
        ));
    }
    let mut out = Vec::new();
    for (key, files) in groups {
        let is_repo = files.iter().any(|(p, _)| p.starts_with(".github/"));
        for f in assay_ci::audit_files(&files) {
            let file = if is_repo {
                format!("{key}{}", f.location.path)
            } else {
                key.clone()
            };
            out.push((
                file,
                f.rule.code().to_owned(),
                f.severity.as_str().to_owned(),
            ));
        }
    }
    Ok(out)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Run the benchmark; `Ok(true)` on success.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut runs = 5usize;
    let mut zizmor = false;
    let mut diff: Option<String> = None;
    let mut dir: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().context("--runs N")?.parse()?,
            "--zizmor" => zizmor = true,
            "--diff" => {
                diff = Some(it.next().context("--diff ZIZMOR-AUDIT")?.clone());
                zizmor = true;
            }
            d => dir = Some(PathBuf::from(d)),
        }
    }
    let dir = dir.context("usage: cargo dev bench-ci [--runs N] [--zizmor] DIR")?;
    let files = collect(&dir)?;
    let bytes: u64 = files
        .iter()
        .map(|p| fs_err::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "{} workflow/action files, {} KiB",
        files.len(),
        bytes / 1024
    );
    let mut times = Vec::new();
    let mut findings = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        findings = audit_all(&dir, &files)?;
        times.push(t.elapsed());
    }
    let best = times.iter().min().copied().unwrap_or_default();
    let assay_median = median(times);
    println!(
        "assay: median {:.1} ms, best {:.1} ms over {runs} runs (one thread, reading included); {} findings",
        assay_median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        findings.len()
    );
    if !zizmor {
        return Ok(true);
    }
    let mut ztimes = Vec::new();
    let mut zout = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let o = std::process::Command::new("zizmor")
            .args([
                "--offline",
                "--format",
                "json",
                "--no-progress",
                "--no-exit-codes",
            ])
            .args(&files)
            .output()
            .context("running zizmor (pip install zizmor)")?;
        ztimes.push(t.elapsed());
        zout = o.stdout;
    }
    let z_median = median(ztimes);
    println!(
        "zizmor: median {:.1} ms over {runs} runs; ratio zizmor/assay = {:.1}",
        z_median.as_secs_f64() * 1e3,
        z_median.as_secs_f64() / assay_median.as_secs_f64().max(1e-9)
    );
    let z: serde_json::Value = serde_json::from_slice(&zout).context("zizmor's JSON")?;
    // zizmor: ident → (findings, files).
    let mut zs: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for f in z.as_array().map(Vec::as_slice).unwrap_or_default() {
        let ident = f["ident"].as_str().unwrap_or("?").to_owned();
        let path = f["locations"][0]["symbolic"]["key"]["Local"]["given_path"]
            .as_str()
            .or_else(|| f["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"].as_str())
            .unwrap_or("?");
        let path = rel(&dir, Path::new(path));
        let e = zs.entry(ident).or_default();
        e.0 += 1;
        e.1.insert(path);
    }
    let mut ours: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for (file, code, _) in &findings {
        let e = ours.entry(code.clone()).or_default();
        e.0 += 1;
        e.1.insert(file.clone());
    }
    println!();
    println!(
        "| zizmor audit | zizmor findings (files) | assay rule | assay findings (files) | files both / zizmor only / assay only |"
    );
    println!("|---|---|---|---|---|");
    let mut mapped = BTreeSet::new();
    for (ident, (n, zf)) in &zs {
        let code = MAP.iter().find(|(i, _)| i == ident).map(|(_, c)| *c);
        match code.and_then(|c| ours.get(c).map(|o| (c, o))) {
            Some((c, (an, af))) => {
                mapped.insert(c);
                let both = zf.intersection(af).count();
                if diff.as_deref() == Some(ident.as_str()) {
                    for f in zf.difference(af) {
                        eprintln!("zizmor only: {f}");
                    }
                    for f in af.difference(zf) {
                        eprintln!("assay only: {f}");
                    }
                }
                println!(
                    "| {ident} | {n} ({}) | {c} | {an} ({}) | {both} / {} / {} |",
                    zf.len(),
                    af.len(),
                    zf.len() - both,
                    af.len() - both
                );
            }
            None => {
                if let Some(c) = code {
                    mapped.insert(c);
                }
                println!(
                    "| {ident} | {n} ({}) | {} | 0 | 0 / {} / 0 |",
                    zf.len(),
                    code.unwrap_or("—"),
                    zf.len()
                );
            }
        }
    }
    for (code, (an, af)) in &ours {
        if !mapped.contains(code.as_str()) {
            let zident = MAP.iter().find(|(_, c)| c == code).map_or("—", |(i, _)| *i);
            println!(
                "| {zident} | 0 | {code} | {an} ({}) | 0 / 0 / {} |",
                af.len(),
                af.len()
            );
        }
    }
    Ok(true)
}
