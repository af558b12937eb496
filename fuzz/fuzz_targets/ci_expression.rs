#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for e in assay_ci::expr::embedded(&text) {
        if let Ok(x) = assay_ci::expr::parse(e.inner) {
            let _ = assay_ci::expr::value_sources(&x);
        }
    }
    let _ = assay_ci::expr::parse(&text);
});
