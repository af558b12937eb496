//! `cargo dev bench-scan [--runs N] [--top N] DIR…`: whole-scan cost against plain decompression
//! of the same archives, measured in the same process, one archive at a time (one core),
//! so the ratio does not depend on the machine's load pattern.
//!
//! Prints: archives, median and p95 scan time per archive (ms), total scan time, total
//! decompression time, their ratio, and the process's peak RSS (`VmHWM`, MiB).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn archives(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(rd) = fs_err::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if !p.to_string_lossy().ends_with(".md") && !p.to_string_lossy().ends_with(".tsv") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Decompress every member of an archive into a sink; the baseline.
fn decompress(path: &Path) -> u64 {
    let Ok(bytes) = fs_err::read(path) else {
        return 0;
    };
    let mut total = 0u64;
    let mut sink = |r: &mut dyn Read| {
        total += std::io::copy(r, &mut std::io::sink()).unwrap_or(0);
    };
    if bytes.starts_with(b"PK") {
        if let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) {
            for i in 0..z.len() {
                if let Ok(mut f) = z.by_index(i) {
                    sink(&mut f);
                }
            }
        }
        return total;
    }
    let stream: Box<dyn Read> = if bytes.starts_with(b"\x1f\x8b") {
        Box::new(flate2::read::GzDecoder::new(&bytes[..]))
    } else if bytes.starts_with(b"BZh") {
        Box::new(bzip2::read::BzDecoder::new(&bytes[..]))
    } else if bytes.starts_with(b"\xfd7zXZ\0") {
        Box::new(lzma_rust2::XzReader::new(&bytes[..], true))
    } else {
        Box::new(&bytes[..])
    };
    let mut t = tar::Archive::new(stream);
    if let Ok(entries) = t.entries() {
        for mut e in entries.flatten() {
            sink(&mut e);
        }
    }
    total
}

fn scan(path: &Path, display: &str) -> usize {
    let limits = assay_sources::Limits::default();
    let input = match assay_sources::discover(path) {
        Ok(mut v) if v.len() == 1 => v.remove(0),
        _ => return 0,
    };
    match assay_sources::read_input(&input, display, &limits) {
        Ok(a) => assay_rules::analyze_artifact(&a).findings.len(),
        Err(_) => 0,
    }
}

fn peak_rss_mib() -> Option<f64> {
    let s = fs_err::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run the benchmark; always `Ok(true)` unless the arguments are wrong.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut runs = 1usize;
    let mut top = 0usize;
    let mut dirs = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--runs" {
            runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(1).max(1);
        } else if a == "--top" {
            top = it.next().and_then(|n| n.parse().ok()).unwrap_or(10);
        } else {
            dirs.push(PathBuf::from(a));
        }
    }
    anyhow::ensure!(
        !dirs.is_empty(),
        "bench-scan needs at least one directory of archives"
    );
    let files = archives(&dirs);
    anyhow::ensure!(!files.is_empty(), "no archives under {dirs:?}");
    let mut best_scan: Vec<Duration> = vec![Duration::MAX; files.len()];
    let mut best_dec: Vec<Duration> = vec![Duration::MAX; files.len()];
    let mut bytes = 0u64;
    for run in 0..runs {
        for (i, f) in files.iter().enumerate() {
            let t = Instant::now();
            let n = decompress(f);
            best_dec[i] = best_dec[i].min(t.elapsed());
            if run == 0 {
                bytes += n;
            }
            let t = Instant::now();
            std::hint::black_box(scan(f, &f.display().to_string()));
            best_scan[i] = best_scan[i].min(t.elapsed());
        }
    }
    let mut sorted = best_scan.clone();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    let p95 = sorted
        .get(sorted.len() * 95 / 100)
        .copied()
        .unwrap_or_default();
    let total_scan: Duration = best_scan.iter().sum();
    let total_dec: Duration = best_dec.iter().sum();
    println!("archives            {}", files.len());
    println!(
        "uncompressed bytes  {:.1} MiB",
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!("runs (best of)      {runs}");
    println!("scan median         {:.2} ms per archive", ms(median));
    println!("scan p95            {:.2} ms per archive", ms(p95));
    println!("scan total          {:.2} s", total_scan.as_secs_f64());
    println!("decompress total    {:.2} s", total_dec.as_secs_f64());
    println!(
        "ratio scan/decomp   {:.2}",
        total_scan.as_secs_f64() / total_dec.as_secs_f64().max(1e-9)
    );
    let (src, parsed) = assay_lang::STATS.totals();
    println!(
        "python parsed       {:.1} of {:.1} MiB ({:.1} %; the prefilter skipped the rest)",
        parsed as f64 / 1048576.0,
        src as f64 / 1048576.0,
        100.0 * parsed as f64 / (src as f64).max(1.0)
    );
    for why in assay_lang::ParseWhy::ALL {
        let (src, parsed) = assay_lang::STATS.bucket(why);
        println!(
            "  {:<22} {:>7.1} MiB source, {:>7.1} MiB parsed",
            format!("{why:?}"),
            src as f64 / 1048576.0,
            parsed as f64 / 1048576.0
        );
    }
    if top > 0 {
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(best_scan[i]));
        println!("slowest archives (scan ms, decompress ms, ratio)");
        for &i in order.iter().take(top) {
            println!(
                "  {:>9.1} {:>8.1} {:>6.1}  {}",
                ms(best_scan[i]),
                ms(best_dec[i]),
                best_scan[i].as_secs_f64() / best_dec[i].as_secs_f64().max(1e-9),
                files[i].display()
            );
        }
    }
    if let Some(r) = peak_rss_mib() {
        println!("peak RSS            {r:.0} MiB");
    }
    Ok(true)
}
