//! Replays the fuzz seed corpus (`fuzz/corpus/archive/`) through `read_bytes` on stable, as
//! CI does; `regenerate` (ignored) rewrites the seeds:
//! `cargo test -p assay_sources --test fuzz_corpus -- --ignored regenerate`.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::ArtifactFormat;
use assay_sources::{Limits, read_bytes};
use common::*;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/archive")
}

#[test]
fn replay_fuzz_corpus() {
    let mut n = 0;
    for item in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = item.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let a = read_bytes(&name, &bytes, &Limits::default());
        assert!(
            a.format != ArtifactFormat::Unreadable || !a.findings.is_empty(),
            "{name}"
        );
        n += 1;
    }
    assert!(n >= 10, "seed corpus missing ({n} files)");
}

/// The seeds: tiny valid archives of each format and tiny hostile ones.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let wheel = zip_of(&[
        ("p/__init__.py", b"import os\n"),
        ("p-1.dist-info/WHEEL", b"Wheel-Version: 1.0\n"),
    ]);
    let sdist = tar_of(&[
        ("p-1/PKG-INFO", b"Name: p\n"),
        ("p-1/setup.py", b"setup()\n"),
    ]);
    let mut links = Vec::new();
    push_raw_member(&mut links, b"p/../x.py", b'0', b"x", b"");
    push_raw_member(&mut links, b"p/l", b'2', b"", b"/etc");
    push_raw_member(&mut links, b"p/h", b'1', b"", b"p/../x.py");
    finish_tar(&mut links);
    let mut dup = RawEntry::new("p/a.py", b"2");
    dup.crc = Some(1);
    let hostile_zip = raw_zip(&[
        RawEntry::new("/abs.py", b"1"),
        RawEntry::new("p/a.py", b"1"),
        dup,
    ]);
    let nested = zip_of(&[("inner.tar.gz", &tar_gz_of(&[("deep.py", b"1")]))]);
    let bz = {
        use std::io::Write;
        let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        e.write_all(&sdist).unwrap();
        e.finish().unwrap()
    };
    let tgz = gzip(&sdist);
    vec![
        ("wheel.whl", wheel.clone()),
        ("sdist.tar", sdist.clone()),
        ("sdist.tar.gz", tgz.clone()),
        ("sdist.tar.bz2", bz),
        ("sdist.tar.zst", zstd::encode_all(&sdist[..], 1).unwrap()),
        ("links.tar", links),
        ("hostile.zip", hostile_zip),
        ("nested.zip", nested),
        ("truncated.tar.gz", tgz[..tgz.len() / 2].to_vec()),
        ("truncated.whl", wheel[..wheel.len() - 30].to_vec()),
        ("zip-named.tar.gz", wheel),
        ("empty.bin", Vec::new()),
        ("plain.py", b"print('hello')\n".to_vec()),
    ]
}

#[test]
#[ignore = "rewrites fuzz/corpus/archive"]
fn regenerate() {
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in seeds() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
