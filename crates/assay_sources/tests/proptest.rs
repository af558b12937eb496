//! Property tests: `read_bytes` never panics, and whatever it returns is either readable or
//! explains itself with a finding (fail closed), on arbitrary bytes and on mutations of valid
//! archives.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{Artifact, ArtifactFormat};
use assay_sources::{Limits, read_bytes};
use proptest::prelude::*;
use std::sync::LazyLock;

/// Small limits so that bombs found by mutation stay cheap.
fn limits() -> Limits {
    Limits {
        max_total_bytes: 8 << 20,
        max_entries: 1_000,
        ..Limits::default()
    }
}

fn check(a: &Artifact) {
    assert!(
        a.format != ArtifactFormat::Unreadable || !a.findings.is_empty(),
        "unreadable without a finding"
    );
    for e in &a.entries {
        if e.complete {
            assert!(e.data.len() as u64 <= e.size.max(e.data.len() as u64));
        }
        assert!(e.data.len() as u64 <= limits().max_file_bytes);
    }
}

static ZIP: LazyLock<Vec<u8>> = LazyLock::new(|| {
    common::zip_of(&[
        ("pkg/__init__.py", b"import os\nprint(os.name)\n"),
        ("pkg-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n"),
        ("pkg/data.bin", &[0u8; 3000]),
    ])
});

static TAR_GZ: LazyLock<Vec<u8>> = LazyLock::new(|| {
    common::tar_gz_of(&[
        ("pkg-1.0/PKG-INFO", b"Name: pkg\n"),
        (
            "pkg-1.0/setup.py",
            b"from setuptools import setup\nsetup()\n",
        ),
    ])
});

/// Overwrite, truncate or splice bytes of `base`.
fn mutate(base: &[u8], edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut v = base.to_vec();
    for (at, byte) in edits {
        if !v.is_empty() {
            let i = at % v.len();
            v[i] = *byte;
        }
    }
    if let Some(c) = cut {
        v.truncate(c % (base.len() + 1));
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096), name in "[a-z]{1,8}\\.(whl|tar\\.gz|zip|py|bin)") {
        check(&read_bytes(&name, &bytes, &limits()));
    }

    #[test]
    fn arbitrary_bytes_after_magic(magic in prop::sample::select(vec![&b"PK\x03\x04"[..], b"\x1f\x8b\x08", b"BZh9", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd"]), rest in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut bytes = magic.to_vec();
        bytes.extend(rest);
        check(&read_bytes("x", &bytes, &limits()));
    }

    #[test]
    fn mutated_zip(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in proptest::option::of(any::<usize>())) {
        check(&read_bytes("x.whl", &mutate(&ZIP, &edits, cut), &limits()));
    }

    #[test]
    fn mutated_tar_gz(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in proptest::option::of(any::<usize>())) {
        check(&read_bytes("x.tar.gz", &mutate(&TAR_GZ, &edits, cut), &limits()));
    }
}
