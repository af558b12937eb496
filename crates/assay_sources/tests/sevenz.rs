//! 7z archives: members read like any other archive's (pickles by content, nested zips),
//! bounds checked before decoding, damage reported as findings naming the archive.
//! Fixtures are the 7z files of `assay_rules` (written by `cargo dev generate-7z-fixtures`);
//! bombs are built here with the crate's writer.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{ArtifactFormat, FileKind};
use assay_sources::{Limits, read_bytes};
use common::*;
use sevenz_rust2::{ArchiveEntry, ArchiveWriter, SourceReader};
use std::io::Cursor;
use std::path::Path;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../assay_rules/fixtures")
            .join(rel),
    )
    .unwrap()
}

fn read(name: &str, bytes: &[u8]) -> assay_core::Artifact {
    read_bytes(name, bytes, &Limits::default())
}

fn solid_7z(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
    w.set_encrypt_header(false);
    let entries = members
        .iter()
        .map(|(n, _)| ArchiveEntry::new_file(n))
        .collect();
    let readers = members
        .iter()
        .map(|(_, d)| SourceReader::new(Cursor::new(d.clone())))
        .collect();
    w.push_archive_entries(entries, readers).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn solid_7z_members_are_read_whole() {
    let a = read("weights.7z", &fixture("ML001/pickle_in_7z.7z"));
    assert_eq!(a.format, ArtifactFormat::SevenZ, "{}", describe(&a));
    assert!(a.findings.is_empty(), "{}", describe(&a));
    let pkl = a.entry("model.pkl").unwrap();
    assert!(pkl.complete);
    assert_eq!(pkl.data, fixture("ML001/os_system_proto0.pkl"));
    assert_eq!(pkl.file_kind, FileKind::Pickle);
    assert!(a.entry("README.txt").unwrap().complete);
}

#[test]
fn zip_inside_7z_is_opened() {
    let a = read("ckpt.7z", &fixture("ML001/torch_zip_in_7z.7z"));
    assert!(a.findings.is_empty(), "{}", describe(&a));
    assert!(
        paths(&a)
            .iter()
            .any(|p| p.starts_with("checkpoints/model.pt!/") && p.ends_with("data.pkl")),
        "{}",
        describe(&a)
    );
}

#[test]
fn truncated_and_corrupt_7z_are_findings() {
    for f in ["ARC007/truncated.7z", "ARC007/corrupt_crc.7z"] {
        let a = read("x.7z", &fixture(f));
        assert!(has(&a, "ARC007"), "{f}: {}", describe(&a));
        // Nothing of the damaged block is passed off as complete.
        assert!(
            a.entries
                .iter()
                .all(|e| e.path != "model.pkl" || !e.complete),
            "{f}: {}",
            describe(&a)
        );
    }
    let a = read("x.7z", &fixture("ARC007/benign/state_dict_in_7z.7z"));
    assert!(a.findings.is_empty(), "{}", describe(&a));
}

#[test]
fn declared_sizes_are_bounded_before_decoding() {
    // 8 MiB of zeros packs to a few hundred bytes: over the 1000:1 ratio bound.
    let bomb = solid_7z(&[("zeros.bin", vec![0u8; 8 << 20])]);
    assert!(bomb.len() < 8 << 10, "{}", bomb.len());
    let a = read("bomb.7z", &bomb);
    assert!(has(&a, "ARC006"), "{}", describe(&a));
    assert!(a.entries.is_empty(), "{}", describe(&a));
    // The total-bytes bound, on the declared size.
    let data: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let big = solid_7z(&[("a.bin", data)]);
    let limits = Limits {
        max_total_bytes: 100_000,
        ..Limits::default()
    };
    let a = read_bytes("big.7z", &big, &limits);
    assert!(has(&a, "ARC006"), "{}", describe(&a));
    assert!(a.entries.is_empty(), "{}", describe(&a));
    // The entry-count bound, on the member list.
    let many = solid_7z(&[
        ("a.txt", b"a".to_vec()),
        ("b.txt", b"b".to_vec()),
        ("c.txt", b"c".to_vec()),
    ]);
    let limits = Limits {
        max_entries: 2,
        ..Limits::default()
    };
    let a = read_bytes("many.7z", &many, &limits);
    assert!(has(&a, "ARC006"), "{}", describe(&a));
    assert!(a.entries.is_empty(), "{}", describe(&a));
}

#[test]
fn seven_z_inside_a_zip_is_opened() {
    let z = zip_of(&[("release/weights.7z", &fixture("ML001/pickle_in_7z.7z"))]);
    let a = read("bundle.zip", &z);
    let e = a.entry("release/weights.7z!/model.pkl").unwrap();
    assert!(e.complete, "{}", describe(&a));
}

/// Encrypted content is never guessed at: an encrypted block keeps its member names (as
/// entries without content) and an encrypted header hides everything; both are high
/// `ARC007` findings, so the artifact is never clean.
#[test]
fn encrypted_7z_is_a_finding_not_clean() {
    use assay_core::Severity;
    use sevenz_rust2::encoder_options::AesEncoderOptions;
    use sevenz_rust2::{EncoderMethod, Password};
    for encrypt_header in [false, true] {
        let mut w = ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
        w.set_encrypt_header(encrypt_header);
        w.set_content_methods(vec![
            AesEncoderOptions::new(Password::new("FAKE-password")).into(),
            EncoderMethod::LZMA2.into(),
        ]);
        w.push_archive_entry(
            ArchiveEntry::new_file("model.pkl"),
            Some(Cursor::new(fixture("ML001/os_system_proto0.pkl"))),
        )
        .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let a = read("secret.7z", &bytes);
        assert!(
            a.findings
                .iter()
                .any(|f| f.rule.code() == "ARC007" && f.severity == Severity::High),
            "header encrypted: {encrypt_header}: {}",
            describe(&a)
        );
        assert!(
            a.entries.iter().all(|e| e.data.is_empty() && !e.complete),
            "{}",
            describe(&a)
        );
        if !encrypt_header {
            assert!(a.entry("model.pkl").is_some(), "{}", describe(&a));
        }
    }
}
