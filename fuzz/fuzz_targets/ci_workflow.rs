#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_ci::audit_files(&[(".github/workflows/fuzz.yml".to_owned(), data.to_vec())]);
});
