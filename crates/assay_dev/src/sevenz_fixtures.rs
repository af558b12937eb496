//! `cargo dev generate-7z-fixtures`: writes the 7z fixtures of `assay_rules` with
//! `sevenz-rust2`'s own writer (no Python 7z writer ships with the standard library, and
//! the fixtures must not need `pip install`). Every archive wraps fixtures that already
//! exist (harmless: payload `echo assay-canary`), so the 7z files carry nothing new:
//!
//! - `ML001/pickle_in_7z.7z`: a solid LZMA2 block of a text file and a raw pickle that
//!   calls `os.system` (from `ML001/os_system_proto0.pkl`);
//! - `ML001/torch_zip_in_7z.7z`: a PyTorch zip checkpoint with a payload, non-solid, so the
//!   zip is read as a nested archive;
//! - `ML001/benign/state_dict_in_7z.7z`: the benign state_dict checkpoint and a config;
//! - `ARC007/truncated.7z`: the benign archive cut in half;
//! - `ARC007/corrupt_crc.7z`: the pickle archive with one packed byte changed;
//! - `ARC007/benign/state_dict_in_7z.7z`: a copy of the benign archive.
//!
//! Output is deterministic (no timestamps), so re-running it leaves the tree unchanged.

use anyhow::{Context, Result};
use sevenz_rust2::{
    ArchiveEntry, ArchiveWriter, EncoderConfiguration, EncoderMethod, SourceReader,
};
use std::io::Cursor;
use std::path::Path;

/// Write the fixtures under `crates/assay_rules/fixtures`; `Ok(true)` when done.
pub(crate) fn run() -> Result<bool> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay_rules/fixtures");
    let read = |rel: &str| fs_err::read(root.join(rel)).context(rel.to_owned());
    let pickle = read("ML001/os_system_proto0.pkl")?;
    let torch = read("ML001/torch_zip_payload.pt")?;
    let state_dict = read("ML001/benign/state_dict.pt")?;
    let notes = b"weights exported for evaluation\n".to_vec();
    let config = b"{\"model_type\": \"bert\", \"hidden_size\": 8}\n".to_vec();

    let solid = solid(&[("README.txt", &notes), ("model.pkl", &pickle)])?;
    let torch_7z = separate(&[("checkpoints/model.pt", &torch)])?;
    let benign = separate(&[
        ("model/config.json", &config),
        ("model/pytorch_model.bin", &state_dict),
    ])?;
    let truncated = benign.get(..benign.len() / 2).unwrap_or_default().to_vec();
    let mut corrupt = solid.clone();
    // The packed data starts right after the 32-byte signature header.
    if let Some(b) = corrupt.get_mut(40) {
        *b ^= 0x55;
    }
    for (rel, bytes) in [
        ("ML001/pickle_in_7z.7z", &solid),
        ("ML001/torch_zip_in_7z.7z", &torch_7z),
        ("ML001/benign/state_dict_in_7z.7z", &benign),
        ("ARC007/truncated.7z", &truncated),
        ("ARC007/corrupt_crc.7z", &corrupt),
        ("ARC007/benign/state_dict_in_7z.7z", &benign),
    ] {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs_err::create_dir_all(dir)?;
        }
        fs_err::write(&path, bytes)?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(true)
}

fn writer() -> Result<ArchiveWriter<Cursor<Vec<u8>>>> {
    let mut w = ArchiveWriter::new(Cursor::new(Vec::new()))?;
    w.set_encrypt_header(false);
    w.set_content_methods(vec![EncoderConfiguration::new(EncoderMethod::LZMA2)]);
    Ok(w)
}

/// One solid block holding every member.
fn solid(members: &[(&str, &Vec<u8>)]) -> Result<Vec<u8>> {
    let mut w = writer()?;
    let entries = members
        .iter()
        .map(|(n, _)| ArchiveEntry::new_file(n))
        .collect();
    let readers = members
        .iter()
        .map(|(_, d)| SourceReader::new(Cursor::new(d.as_slice())))
        .collect();
    w.push_archive_entries(entries, readers)?;
    Ok(w.finish()?.into_inner())
}

/// One block per member.
fn separate(members: &[(&str, &Vec<u8>)]) -> Result<Vec<u8>> {
    let mut w = writer()?;
    for (name, data) in members {
        w.push_archive_entry(
            ArchiveEntry::new_file(name),
            Some(Cursor::new(data.as_slice())),
        )?;
    }
    Ok(w.finish()?.into_inner())
}
