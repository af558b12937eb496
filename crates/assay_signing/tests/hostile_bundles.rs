//! The `oms_bundle` fuzz target's entry points on stable: every golden bundle (made by
//! the reference `model_signing` and by assay, `crates/assay/tests/fixtures/signing/`),
//! cut at every length and with every byte flipped, goes through `Bundle::parse` and the
//! DSSE payload through `Statement::parse`. Nothing may panic; the intact bundles must
//! parse, and a damaged one either parses or is a named error.
#![allow(clippy::unwrap_used)]

use assay_signing::{Bundle, Statement};
use std::path::Path;

fn golden() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay/tests/fixtures/signing");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sig"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

fn exercise(bytes: &[u8]) {
    if let Ok(b) = Bundle::parse(bytes) {
        let _ = Statement::parse(&b.payload);
    }
    let _ = Statement::parse(bytes);
}

#[test]
fn golden_bundles_parse_and_damaged_ones_never_panic() {
    let bundles = golden();
    assert!(
        bundles.len() >= 6,
        "golden bundles missing: {}",
        bundles.len()
    );
    for (name, bytes) in &bundles {
        let b = Bundle::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        Statement::parse(&b.payload).unwrap_or_else(|e| panic!("{name}: {e}"));
        for cut in 0..bytes.len() {
            exercise(&bytes[..cut]);
        }
        for i in 0..bytes.len() {
            let mut d = bytes.clone();
            d[i] ^= 0xff;
            exercise(&d);
        }
        // The payload itself, damaged the same ways.
        for cut in 0..b.payload.len() {
            let _ = Statement::parse(&b.payload[..cut]);
        }
    }
}
