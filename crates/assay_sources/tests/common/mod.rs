//! Builders for test archives, made in memory. The zip and tar writers of the `zip` and `tar`
//! crates refuse hostile names, duplicates and wrong sizes, so [`RawZip`] and [`raw_tar_header`]
//! write those bytes by hand.
#![allow(dead_code, clippy::unwrap_used)]

use assay_core::Artifact;
use std::io::{Cursor, Write};

/// A zip written with the `zip` crate (deflate).
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A tar written with the `tar` crate.
pub fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_path(name).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn tar_gz_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    gzip(&tar_of(files))
}

/// A tar header written field by field, for names and links the `tar` crate refuses.
/// `kind` is the type flag (`b'0'` file, `b'1'` hard link, `b'2'` symlink, `b'5'` directory).
pub fn raw_tar_header(name: &[u8], kind: u8, size: u64, link: &[u8]) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = kind;
    h[157..157 + link.len()].copy_from_slice(link);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// Append a raw member (header + padded data) to a tar being built by hand.
pub fn push_raw_member(tar: &mut Vec<u8>, name: &[u8], kind: u8, data: &[u8], link: &[u8]) {
    tar.extend_from_slice(&raw_tar_header(name, kind, data.len() as u64, link));
    tar.extend_from_slice(data);
    tar.resize(tar.len().div_ceil(512) * 512, 0);
}

/// End-of-archive marker.
pub fn finish_tar(tar: &mut Vec<u8>) {
    tar.extend_from_slice(&[0u8; 1024]);
}

/// One member of a hand-written (stored) zip.
#[derive(Clone, Default)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    /// Declared uncompressed size (default: the data length).
    pub declared: Option<u32>,
    /// Stored CRC (default: the real one).
    pub crc: Option<u32>,
    pub flags: u16,
    /// Unix mode (file type bits included) in the external attributes.
    pub unix_mode: Option<u32>,
    /// Point the central directory at this earlier entry's local header (overlap).
    pub same_data_as: Option<usize>,
}

impl RawEntry {
    pub fn new(name: impl AsRef<[u8]>, data: impl AsRef<[u8]>) -> Self {
        RawEntry {
            name: name.as_ref().to_vec(),
            data: data.as_ref().to_vec(),
            ..RawEntry::default()
        }
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

/// A stored (uncompressed) zip written byte by byte.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        offsets.push(offset);
        if e.same_data_as.is_some() {
            continue;
        }
        let crc = e.crc.unwrap_or_else(|| crc32(&e.data));
        let size = e.data.len() as u32;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&[0u8; 4]); // time, date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&e.declared.unwrap_or(size).to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);
    }
    let cd_start = out.len() as u32;
    for (i, e) in entries.iter().enumerate() {
        let src = e.same_data_as.map_or(e, |j| &entries[j]);
        let offset = e.same_data_as.map_or(offsets[i], |j| offsets[j]);
        let crc = src.crc.unwrap_or_else(|| crc32(&src.data));
        let size = src.data.len() as u32;
        let made_by: u16 = if e.unix_mode.is_some() {
            (3 << 8) | 20
        } else {
            20
        };
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&made_by.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&[0u8; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&src.declared.unwrap_or(size).to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0u8; 8]); // extra len, comment len, disk, internal attrs
        out.extend_from_slice(&(e.unix_mode.unwrap_or(0) << 16).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&e.name);
    }
    let cd_size = out.len() as u32 - cd_start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Rule codes of an artifact's findings.
pub fn codes(a: &Artifact) -> Vec<&str> {
    a.findings.iter().map(|f| f.rule.code()).collect()
}

pub fn has(a: &Artifact, code: &str) -> bool {
    a.findings.iter().any(|f| f.rule.code() == code)
}

pub fn paths(a: &Artifact) -> Vec<&str> {
    a.entries.iter().map(|e| e.path.as_str()).collect()
}

/// Findings as `CODE path: evidence` lines, for assertion messages.
pub fn describe(a: &Artifact) -> String {
    a.findings
        .iter()
        .map(|f| format!("{} {}: {}", f.rule.code(), f.location.path, f.evidence))
        .collect::<Vec<_>>()
        .join("\n")
}
