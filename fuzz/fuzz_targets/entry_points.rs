#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_formats::parse_entry_points(data);
    let _ = assay_formats::parse_pyproject_scripts(data);
});
