#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_signing::Bundle::parse(data).map(|b| assay_signing::Statement::parse(&b.payload));
    let _ = assay_signing::Statement::parse(data);
});
