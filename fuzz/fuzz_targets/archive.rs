#![no_main]
use assay_sources::Limits;
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_sources::read_bytes("fuzz", data, &Limits::default());
});
