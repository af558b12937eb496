//! Replays the fuzz seed corpora (`fuzz/corpus/{pickle,safetensors,gguf,keras_h5,onnx}/`, copies of the
//! harmless ML fixtures) through the pickle VM and the header parsers on stable, whole and
//! cut at every length, so the no-panic guarantee is checked in CI without cargo-fuzz.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

#[test]
fn corpus_never_panics_and_truncations_are_reported() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/pickle");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        for cut in 0..data.len() {
            let s = assay_formats::scan_pickle(&data[..cut]);
            // A cut stream is never reported as complete.
            assert!(!s.complete() || s.streams > 0);
        }
        let _ = assay_formats::scan_pickle(&data);
        n += 1;
    }
    assert!(n >= 20, "only {n} corpus files");
}

/// The safetensors and GGUF seed corpora, whole and cut at every length.
#[test]
fn header_corpora_never_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    for (dir, min) in [("safetensors", 5), ("gguf", 3)] {
        let mut n = 0;
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let data = std::fs::read(e.unwrap().path()).unwrap();
            for cut in 0..=data.len() {
                let d = &data[..cut];
                let _ = assay_formats::parse_safetensors(d, d.len() as u64);
                let _ = assay_formats::parse_gguf(d);
            }
            n += 1;
        }
        assert!(n >= min, "{dir}: only {n} corpus files");
    }
}

/// The Keras HDF5 and ONNX seed corpora, whole and cut at every length: never a panic, and
/// a cut file never yields more configs than the whole one.
#[test]
fn keras_h5_and_onnx_corpora_never_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut n = 0;
    for e in std::fs::read_dir(root.join("keras_h5")).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        let whole = assay_formats::parse_keras_h5(&data).unwrap();
        for cut in 0..data.len() {
            if let Ok(k) = assay_formats::parse_keras_h5(&data[..cut]) {
                assert!(k.configs.len() <= whole.configs.len());
            }
        }
        n += 1;
    }
    assert!(n >= 5, "keras_h5: only {n} corpus files");
    let mut n = 0;
    for e in std::fs::read_dir(root.join("onnx")).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        assert!(assay_formats::parse_onnx(&data).is_ok());
        for cut in 0..data.len() {
            let _ = assay_formats::parse_onnx(&data[..cut]);
        }
        n += 1;
    }
    assert!(n >= 5, "onnx: only {n} corpus files");
}
