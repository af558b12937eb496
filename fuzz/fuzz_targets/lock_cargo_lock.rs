#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_deps::lock::parse(assay_deps::lock::Kind::CargoLock, data);
});
