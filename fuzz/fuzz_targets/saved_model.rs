#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_formats::saved_model::parse_saved_model(data);
    let _ = assay_formats::saved_model::parse_keras_metadata(data);
    let _ = assay_formats::saved_model::check_fingerprint(data);
    let _ = assay_formats::tflite::parse_tflite_ops(data);
});
