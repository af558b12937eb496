//! Issue 21, acceptance 2: the crash and memory fixtures of the attack review, read and
//! judged in this process with their peak resident memory checked against the documented
//! bounds (256 MiB for one file in flight, 500 MiB for a whole artifact). Linux only: the
//! peak is the kernel's `VmHWM`, reset before each fixture through `/proc/self/clear_refs`.
//! This file holds one test so that nothing else runs in the process while it measures.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use assay_core::Verdict;
use assay_sources::{Limits, read_bytes};
use std::io::Write;

const MIB: u64 = 1 << 20;

/// Peak resident set since the last reset, bytes.
fn peak() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb * 1024
}

/// Scan `bytes` as `name`; the verdict and the peak resident set the scan reached.
fn measure(name: &str, bytes: &[u8]) -> (Verdict, u64) {
    // Reset the high-water mark to the current resident set (Linux ≥ 4.0).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let a = read_bytes(name, bytes, &Limits::default());
    let r = assay_rules::analyze_artifact(&a);
    (r.verdict, peak())
}

/// A deterministic stream of bytes that does not compress well (xorshift).
fn noise(n: usize, seed: &mut u64) -> String {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            char::from(b'a' + (*seed % 26) as u8)
        })
        .collect()
}

/// At most `size` bytes of Python: a repeated statement with a random comment every
/// 32 KiB, so that the zip ratio bound does not trip (the attack review's fixture),
/// and `tail` at the end.
fn padded_python(size: usize, line: &str, tail: &str, seed: &mut u64) -> Vec<u8> {
    let mut s = String::with_capacity(size + 64);
    while s.len() + tail.len() + (33 << 10) < size {
        for _ in 0..(32 << 10) / line.len() {
            s.push_str(line);
        }
        s.push_str("# ");
        s.push_str(&noise(40, seed));
        s.push('\n');
    }
    s.push_str(tail);
    s.into_bytes()
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn crash_and_memory_fixtures_stay_within_bounds() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut report = Vec::new();

    // Crash: 300,000 nested one-element tuples (`\x80\x02N` + `\x85`×300000 + `.`) once
    // overflowed the stack. Now a finding, no crash.
    let mut pickle = b"\x80\x02N".to_vec();
    pickle.extend(std::iter::repeat_n(0x85u8, 300_000));
    pickle.push(b'.');
    let (v, p) = measure("model.pkl", &pickle);
    assert_ne!(v, Verdict::Clean, "an unreadable pickle is never clean");
    report.push(("nested-pickle", p));
    assert!(p <= 256 * MIB, "nested pickle: {} MiB", p / MIB);

    // One 16 MiB `.py` (just under the bound on code files) of one-line statements in a
    // 50 KB zip, payload last.
    // The payload decodes and runs `import os; os.system('echo assay-canary')`; a file
    // holding an indicator literal (a URL) is parsed whole instead, and 16 MiB of it stop
    // at the node budget (PKG014, also malicious, but slow in a debug build).
    let payload = "import base64\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2VjaG8gYXNzYXktY2FuYXJ5Jyk='))\n";
    let big = padded_python(16 * MIB as usize - 4096, "x = 1 + 2\n", payload, &mut seed);
    assert!(big.len() as u64 > 15 * MIB);
    let z = zip_of(&[("pkg/__init__.py".into(), big)]);
    let (v, p) = measure("pkg-1.0-py3-none-any.whl", &z);
    assert_eq!(
        v,
        Verdict::Malicious,
        "the payload after the padding is found"
    );
    report.push(("one-16MiB-py", p));
    assert!(p <= 256 * MIB, "one 16 MiB .py: {} MiB", p / MIB);

    // 15 MiB of `exec(b64decode(…))` lines.
    let line = "exec(base64.b64decode('eCA9IDEgKyAyCg=='))\n";
    let execs = padded_python(15 * MIB as usize, line, "", &mut seed);
    let mut src = b"import base64\n".to_vec();
    src.extend_from_slice(&execs);
    let (v, p) = measure("execs.py", &src);
    assert_eq!(v, Verdict::Malicious);
    report.push(("exec-b64-15MiB", p));
    assert!(p <= 256 * MIB, "exec lines: {} MiB", p / MIB);

    // 24 members of 16 MiB (384 MiB, over the 256 MiB kept-bytes bound): what is not
    // kept whole is not inspected, so the package fails closed; memory stays bounded.
    // Each member is one comment line (cheap to analyse, so the test is quick in a debug
    // build; the memory is in what is kept).
    let mut filler = b"#".to_vec();
    while filler.len() + (33 << 10) < 16 * MIB as usize {
        for _ in 0..4096 {
            filler.extend_from_slice(b"abcdefgh");
        }
        filler.extend_from_slice(noise(40, &mut seed).as_bytes());
    }
    filler.push(b'\n');
    let files: Vec<(String, Vec<u8>)> = (0..24)
        .map(|i| (format!("pkg/m{i}.py"), filler.clone()))
        .collect();
    let z = zip_of(&files);
    drop(files);
    let (v, p) = measure("pkg-1.0-py3-none-any.whl", &z);
    assert_eq!(
        v,
        Verdict::Malicious,
        "members past the bound are not inspected"
    );
    report.push(("24x16MiB-py", p));
    assert!(p <= 500 * MIB, "24 × 16 MiB: {} MiB", p / MIB);

    for (what, p) in report {
        eprintln!("memory: {what:<16} peak {} MiB", p / MIB);
    }
}
