//! The signing benchmark (issue #3): `assay sign` and `assay verify` hash every file of a
//! model; this measures them against `sha256sum` over the same files in the same run.
//! It writes a generated model (8 files × 128 MiB of pseudo-random bytes, 1 GiB) into a
//! temp dir, warms the page cache, then times (best of 3) `sha256sum` over all files
//! (one process, the coreutils baseline), `assay_signing::sign` and
//! `assay_signing::verify` with the test-only P-256 key, and prints MiB/s and the ratios.
//!
//! `cargo run --release -p assay_signing --example bench_hash`
#![allow(clippy::unwrap_used, missing_docs)]

use assay_signing::{Options, PrivateKey, Trust};
use std::path::Path;
use std::time::Instant;

const FILES: usize = 8;
const FILE_BYTES: usize = 128 << 20;

fn best_of<F: FnMut()>(mut f: F) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut files = Vec::new();
    for i in 0..FILES {
        let mut buf = vec![0u8; FILE_BYTES];
        for chunk in buf.chunks_mut(8) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let b = s.to_le_bytes();
            chunk.copy_from_slice(&b[..chunk.len()]);
        }
        let p = model.join(format!("model-{i:05}-of-{FILES:05}.safetensors"));
        std::fs::write(&p, &buf).unwrap();
        files.push(p);
    }
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay/tests/fixtures/signing/keys");
    let pem = std::fs::read_to_string(keys.join("test-only-p256.key.pem")).unwrap();
    let key = PrivateKey::from_pem(&pem).unwrap();
    let trust = Trust::Key(key.public());
    let opts = Options::default();
    let mib = (FILES * FILE_BYTES) as f64 / f64::from(1u32 << 20);

    // The first run also warms the page cache, so every contestant reads from memory.
    let sha = || {
        let out = std::process::Command::new("sha256sum")
            .args(&files)
            .output()
            .unwrap();
        assert!(out.status.success());
    };
    sha();
    let t_sha = best_of(sha);
    let mut bundle = String::new();
    let t_sign = best_of(|| bundle = assay_signing::sign(&model, &key, None, &opts).unwrap());
    let t_verify = best_of(|| {
        let rows = assay_signing::verify(&model, bundle.as_bytes(), &trust, &opts, true).unwrap();
        assert_eq!(rows.len(), FILES);
    });
    println!("model         {FILES} files, {mib:.0} MiB (page cache warm)");
    println!("sha256sum     {t_sha:.3} s  {:.0} MiB/s", mib / t_sha);
    println!(
        "assay sign    {t_sign:.3} s  {:.0} MiB/s  ({:.2}x sha256sum speed)",
        mib / t_sign,
        t_sha / t_sign
    );
    println!(
        "assay verify  {t_verify:.3} s  {:.0} MiB/s  ({:.2}x sha256sum speed)",
        mib / t_verify,
        t_sha / t_verify
    );
}
