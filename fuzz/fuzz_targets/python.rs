#![no_main]
//! The Python analysis (tree-sitter walk, folding, decoders) on arbitrary source bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_lang::analyze_python(data, assay_lang::FileRole::SetupScript);
});
