#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_deps::online::parse_npm(data);
});
