//! Replays the lockfile fuzz seed corpus (`fuzz/corpus/lockfile/`) through every parser
//! on stable (the `lock_*` cargo-fuzz targets need nightly), plus truncations and byte
//! flips of each seed: every parser returns `Ok` or `Err`, never panics.
#![allow(clippy::unwrap_used, missing_docs)]

use assay_deps::lock::{Kind, parse};

const KINDS: [Kind; 10] = [
    Kind::Requirements,
    Kind::Pyproject,
    Kind::PoetryLock,
    Kind::UvLock,
    Kind::PdmLock,
    Kind::PipfileLock,
    Kind::PackageLock,
    Kind::PnpmLock,
    Kind::YarnLock,
    Kind::CargoLock,
];

#[test]
fn replay_lockfile_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/lockfile");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        for k in KINDS {
            let _ = parse(k, &data);
            for cut in (0..data.len()).step_by(17) {
                let _ = parse(k, &data[..cut]);
            }
            let mut flipped = data.clone();
            for i in (0..flipped.len()).step_by(13) {
                flipped[i] ^= 0x20;
            }
            let _ = parse(k, &flipped);
        }
        n += 1;
    }
    assert!(n >= 13);
}
