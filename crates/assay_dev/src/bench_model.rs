//! `cargo dev bench-model [--runs N] [--max-mib M]`: scanning PyTorch zip checkpoints of
//! growing size must cost the same, because only the pickle members are read (tensor
//! members cost one 4 KiB head read each).
//!
//! Generates, in a temp dir that is removed afterwards, checkpoints whose `archive/data.pkl`
//! is the benign state_dict fixture and whose tensor data (`archive/data/N`, stored, 256 MiB
//! per member like sharded real checkpoints) grows from 1 MiB to `--max-mib` (default 2048).
//! For each it prints the file size, the best and median scan time (discover + read +
//! analyse, ms) over `--runs` (default 5), the bytes the scan kept, the verdict, and as
//! the baseline measured in the same run the time to read the file once sequentially.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const MEMBER: u64 = 256 << 20;

fn write_checkpoint(pkl: &[u8], to: &Path, tensor_bytes: u64) -> anyhow::Result<()> {
    let mut w = zip::ZipWriter::new(std::io::BufWriter::new(fs_err::File::create(to)?));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    w.start_file("archive/data.pkl", opts)?;
    w.write_all(pkl)?;
    w.start_file("archive/byteorder", opts)?;
    w.write_all(b"little")?;
    // float32 1.0 repeated: binary tensor data, as a real checkpoint holds.
    let chunk: Vec<u8> = [0u8, 0, 0x80, 0x3f].repeat(1 << 18);
    let mut left = tensor_bytes;
    let mut n = 0;
    while left > 0 {
        w.start_file(format!("archive/data/{n}"), opts)?;
        let mut m = left.min(MEMBER);
        left -= m;
        while m > 0 {
            let k = m.min(chunk.len() as u64);
            w.write_all(chunk.get(..k as usize).unwrap_or_default())?;
            m -= k;
        }
        n += 1;
    }
    w.start_file("archive/version", opts)?;
    w.write_all(b"3\n")?;
    w.finish()?.flush()?;
    Ok(())
}

fn scan(path: &Path) -> anyhow::Result<(usize, String)> {
    let limits = assay_sources::Limits::default();
    let mut inputs = assay_sources::discover(path)?;
    anyhow::ensure!(inputs.len() == 1, "one input expected");
    let input = inputs.remove(0);
    let a = assay_sources::read_input(&input, &path.display().to_string(), &limits)?;
    let kept = a.entries.iter().map(|e| e.data.len()).sum();
    let r = assay_rules::analyze_artifact(&a);
    Ok((kept, format!("{:?}", r.verdict).to_lowercase()))
}

fn read_all(path: &Path) -> anyhow::Result<u64> {
    let mut f = fs_err::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Run the benchmark; prints a Markdown table.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut runs = 5usize;
    let mut max_mib = 2048u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(5).max(1),
            "--max-mib" => max_mib = it.next().and_then(|n| n.parse().ok()).unwrap_or(2048),
            _ => anyhow::bail!("unknown argument {a}"),
        }
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assay_rules/fixtures/ML001/benign/state_dict.pt");
    let mut src = zip::ZipArchive::new(fs_err::File::open(&fixture)?)?;
    let mut pkl = Vec::new();
    src.by_name("archive/data.pkl")?.read_to_end(&mut pkl)?;
    let dir = tempfile::tempdir()?;
    println!(
        "| tensor bytes | file bytes | scan best (ms) | scan median (ms) | bytes kept | verdict | sequential read (ms) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut all_clean = true;
    let mut sizes: Vec<u64> = vec![16, 64, 256, 1024, 2048];
    sizes.retain(|s| *s <= max_mib);
    for mib in sizes {
        let path = dir.path().join(format!("ckpt-{mib}.pt"));
        write_checkpoint(&pkl, &path, mib << 20)?;
        let file_bytes = fs_err::metadata(&path)?.len();
        let t = Instant::now();
        read_all(&path)?;
        let read = t.elapsed();
        let mut times = Vec::new();
        let mut last = (0, String::new());
        for _ in 0..runs {
            let t = Instant::now();
            last = scan(&path)?;
            times.push(t.elapsed());
        }
        times.sort();
        let best = times.first().copied().unwrap_or_default();
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        all_clean &= last.1 == "clean";
        println!(
            "| {} | {file_bytes} | {:.2} | {:.2} | {} | {} | {:.1} |",
            mib << 20,
            ms(best),
            ms(median),
            last.0,
            last.1,
            ms(read)
        );
        fs_err::remove_file(&path)?;
    }
    Ok(all_clean)
}
