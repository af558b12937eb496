#![no_main]
//! The Python analysis of an ordinary module with the pre-parse reduction (unit
//! splitting, hot words, closures, blanking) on arbitrary source bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_lang::analyze_python_reduced(
        data,
        assay_lang::FileRole::Module,
        &assay_lang::Bounds::default(),
        &|t: &[u8]| t.windows(4).any(|w| w == b".ssh"),
    );
});
