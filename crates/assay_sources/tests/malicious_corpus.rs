//! Robustness run over a directory of real-world (malicious) packages, read in memory only:
//! nothing is extracted, installed or executed. Ignored by default because the corpus is not
//! part of the repository:
//! `ASSAY_CORPUS=/path/to/corpus cargo test -p assay_sources --test malicious_corpus -- --ignored --nocapture`
//! (default path: `/work/shared/corpus/pypi-malicious-dev`). It must not panic on any file;
//! it prints the formats and findings seen, and scan time against plain decompression time.
#![allow(clippy::unwrap_used)]

use assay_sources::{Input, Limits, discover, read_input};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Decompress everything in the file once, discarding it (the baseline for the time ratio).
fn plain_decompression(bytes: &[u8]) {
    if bytes.starts_with(b"\x1f\x8b") {
        let _ = std::io::copy(
            &mut flate2::read::MultiGzDecoder::new(bytes),
            &mut std::io::sink(),
        );
    } else if bytes.starts_with(b"PK")
        && let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes))
    {
        for i in 0..z.len() {
            if let Ok(mut f) = z.by_index(i) {
                let _ = std::io::copy(&mut f, &mut std::io::sink());
            }
        }
    }
}

#[test]
#[ignore = "needs a local corpus of real packages"]
fn malicious_corpus_robustness() {
    let root = std::env::var_os("ASSAY_CORPUS").map_or_else(
        || PathBuf::from("/work/shared/corpus/pypi-malicious-dev"),
        PathBuf::from,
    );
    if !root.is_dir() {
        eprintln!("{} not found; skipped", root.display());
        return;
    }
    let inputs = discover(&root).unwrap();
    let limits = Limits::default();
    let verbose = std::env::var_os("ASSAY_CORPUS_VERBOSE").is_some();
    let mut formats: BTreeMap<&str, usize> = BTreeMap::new();
    let mut findings: BTreeMap<String, usize> = BTreeMap::new();
    let mut with_findings = 0;
    let (mut entries, mut scan, mut base) = (0usize, Duration::ZERO, Duration::ZERO);
    for input in &inputs {
        let display = input
            .path()
            .strip_prefix(&root)
            .unwrap_or(input.path())
            .to_string_lossy()
            .into_owned();
        if let Input::Archive(p) = input {
            let bytes = std::fs::read(p).unwrap();
            let t = Instant::now();
            plain_decompression(&bytes);
            base += t.elapsed();
        }
        let t = Instant::now();
        let a = read_input(input, &display, &limits).unwrap();
        scan += t.elapsed();
        *formats.entry(a.format.as_str()).or_default() += 1;
        entries += a.entries.len();
        if !a.findings.is_empty() {
            with_findings += 1;
        }
        if verbose && (!a.findings.is_empty() || a.format.as_str() == "tar") {
            println!(
                "{display}: {} {:?}",
                a.format.as_str(),
                a.findings
                    .iter()
                    .map(|f| (f.rule.code(), &f.evidence))
                    .collect::<Vec<_>>()
            );
        }
        for f in &a.findings {
            *findings
                .entry(format!("{} {}", f.rule.code(), f.rule.name()))
                .or_default() += 1;
        }
    }
    println!("inputs: {} ({} entries)", inputs.len(), entries);
    println!("formats: {formats:?}");
    println!("artifacts with findings: {with_findings}");
    for (rule, n) in &findings {
        println!("  {rule}: {n}");
    }
    println!(
        "scan {:.2}s, plain decompression {:.2}s, ratio {:.2}",
        scan.as_secs_f64(),
        base.as_secs_f64(),
        scan.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
}
