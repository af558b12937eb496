//! `cargo dev bench-agents [--runs N] [--assay BIN] DIR`: the agent audit (issue 20) over
//! a tree of skills and MCP servers — what it read, what it found, the verdicts, and how
//! long it took.
//!
//! In process: the agent files of `DIR` are collected as `assay scan` does
//! (`assay_agents::disk::artifacts`, plus every MCP server source file), audited, and
//! scored; the figures are the number of skills, server files, tools and texts checked,
//! every SKILL/MCP finding, and the verdict counts. With `--assay BIN` (a release build,
//! `cargo build --release -p assay`), the whole `assay scan DIR --format json` is timed
//! `--runs` times (default 5; median and best), and its verdicts are counted: the
//! acceptance figure for the benign corpus (no `malicious`, ≤ 2 s). Exit status 1 when
//! any artifact is `malicious`.

use anyhow::Context as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn server_files(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs_err::read_dir(&d)? {
            let p = e?.path();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if p.is_dir() {
                if name != "node_modules" && name != ".git" {
                    stack.push(p);
                }
            } else if assay_agents::source::lang_of(&name).is_some() {
                let data = fs_err::read(&p)?;
                if assay_agents::source::is_mcp_server(&data) {
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .into_owned();
                    out.push((rel, data));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Run the command; `Ok(false)` when an artifact is malicious.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut runs = 5usize;
    let mut assay: Option<PathBuf> = None;
    let mut dir: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().context("--runs N")?.parse()?,
            "--assay" => assay = Some(PathBuf::from(it.next().context("--assay BIN")?)),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.context("usage: cargo dev bench-agents [--runs N] [--assay BIN] DIR")?;
    let t = Instant::now();
    let arts = assay_agents::disk::artifacts(&dir, &[])?;
    let servers = server_files(&dir)?;
    let read = t.elapsed();
    let t = Instant::now();
    let mut verdicts: BTreeMap<String, usize> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut skills = 0;
    for a in &arts {
        skills += usize::from(a.format == assay_core::ArtifactFormat::Skill);
        let f = assay_agents::audit_artifact(a);
        let (v, s) = assay_rules::score(&f);
        *verdicts.entry(v.to_string()).or_default() += 1;
        findings.extend(f.into_iter().map(|x| (a.path.clone(), v, s, x)));
    }
    let (mut tools, mut texts) = (0, 0);
    for (path, data) in &servers {
        let Some(lang) = assay_agents::source::lang_of(path) else {
            continue;
        };
        let ex = assay_agents::source::extract(&String::from_utf8_lossy(data), lang);
        tools += ex.tools.len();
        texts += ex.fields.len();
        let f = assay_agents::audit_files(&[(path.clone(), data.clone())]);
        let (v, s) = assay_rules::score(&f);
        *verdicts.entry(v.to_string()).or_default() += 1;
        findings.extend(f.into_iter().map(|x| (path.clone(), v, s, x)));
    }
    let audit = t.elapsed();
    println!(
        "agent audit of {}: {} skill folder(s), {} other agent artifact(s), {} MCP server source file(s) with {} tool name(s) and {} tool text(s)",
        dir.display(),
        skills,
        arts.len() - skills,
        servers.len(),
        tools,
        texts
    );
    println!(
        "  read {:.1} ms, audit {:.1} ms (one thread, in process)",
        read.as_secs_f64() * 1e3,
        audit.as_secs_f64() * 1e3
    );
    println!("  verdicts (agent rules alone): {verdicts:?}");
    for (path, v, s, f) in &findings {
        println!(
            "  {v} ({s}) {path}: {} {} {} — {}",
            f.rule.code(),
            f.severity,
            f.location.display(),
            f.evidence
        );
    }
    let mut ok = !verdicts.contains_key("malicious");
    if let Some(bin) = assay {
        let mut times: Vec<Duration> = Vec::new();
        let mut last = Vec::new();
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let out = std::process::Command::new(&bin)
                .args(["scan", "--format", "json", "--no-progress"])
                .arg(&dir)
                .output()
                .with_context(|| format!("running {}", bin.display()))?;
            times.push(t.elapsed());
            last = out.stdout;
        }
        times.sort();
        let v: serde_json::Value = serde_json::from_slice(&last).context("assay's JSON report")?;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for a in v["artifacts"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let verdict = a["verdict"].as_str().unwrap_or("?").to_owned();
            if verdict != "clean" {
                println!("  whole scan: {verdict} {}", a["path"]);
            }
            *counts.entry(verdict).or_default() += 1;
        }
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        let best = times.first().copied().unwrap_or_default();
        println!(
            "whole `assay scan` ({}): {} artifacts {counts:?}; median {:.2} s, best {:.2} s over {} run(s)",
            bin.display(),
            v["artifacts"].as_array().map_or(0, Vec::len),
            median.as_secs_f64(),
            best.as_secs_f64(),
            times.len()
        );
        ok &= !counts.contains_key("malicious");
    }
    Ok(ok)
}
