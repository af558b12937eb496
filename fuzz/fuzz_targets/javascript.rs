#![no_main]
//! The JavaScript/TypeScript analysis (oxc parse, walk, folding, taint) on arbitrary
//! source bytes, as a module, as an install-time file and as TypeScript.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let b = assay_lang::Bounds::default();
    let _ = assay_lang::analyze_javascript(data, "index.js", assay_lang::FileRole::Module, &b);
    let _ = assay_lang::analyze_javascript(data, "setup.js", assay_lang::FileRole::SetupScript, &b);
    let _ = assay_lang::analyze_javascript(data, "index.ts", assay_lang::FileRole::Module, &b);
});
