//! `cargo dev bench-js [--runs N] FILE|DIR…`: JavaScript throughput (issue 15,
//! acceptance 4). For every `.js`/`.mjs`/`.cjs` file given (directories walked), in the same
//! run and on one thread: the time of `oxc_parser` alone (the baseline: what oxc's own
//! parser benchmark measures) and of `assay_lang::analyze_javascript` (parse, walk, folding,
//! decoding), best of N runs each; prints MB/s for both and their ratio, per file and in
//! total.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(p: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if p.is_dir() {
        let mut v: Vec<PathBuf> = fs_err::read_dir(p)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        v.sort();
        for x in v {
            files(&x, out)?;
        }
    } else if p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "js" | "mjs" | "cjs"))
    {
        out.push(p.to_path_buf());
    }
    Ok(())
}

fn best(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Run the benchmark.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut runs = 5;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--runs" {
            runs = it.next().context("--runs N")?.parse()?;
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    let mut all = Vec::new();
    for p in &paths {
        files(p, &mut all)?;
    }
    anyhow::ensure!(
        !all.is_empty(),
        "usage: cargo dev bench-js [--runs N] FILE|DIR…"
    );
    let (mut bytes, mut t_parse, mut t_assay) = (0usize, 0f64, 0f64);
    println!(
        "| file | bytes | oxc parse MB/s | assay analysis MB/s | ratio |\n|---|---|---|---|---|"
    );
    for f in &all {
        let data = fs_err::read(f)?;
        let text = String::from_utf8_lossy(&data).into_owned();
        let path = f.to_string_lossy().into_owned();
        let parse = best(runs, || {
            let alloc = oxc_allocator::Allocator::default();
            let ty = oxc_span::SourceType::from_path(&path).unwrap_or_default();
            let r = oxc_parser::Parser::new(&alloc, &text, ty).parse();
            std::hint::black_box(&r.program);
        });
        let assay = best(runs, || {
            let a = assay_lang::analyze_javascript(
                &data,
                &path,
                assay_lang::FileRole::Module,
                &assay_lang::Bounds::default(),
            );
            std::hint::black_box(&a);
        });
        let mb = data.len() as f64 / 1e6;
        if data.len() > 100_000 {
            println!(
                "| {} | {} | {:.1} | {:.1} | {:.2} |",
                f.display(),
                data.len(),
                mb / parse,
                mb / assay,
                assay / parse
            );
        }
        bytes += data.len();
        t_parse += parse;
        t_assay += assay;
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "| **all {} files** | {} | {:.1} | {:.1} | {:.2} |",
        all.len(),
        bytes,
        mb / t_parse,
        mb / t_assay,
        t_assay / t_parse
    );
    Ok(true)
}
