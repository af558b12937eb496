#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_rules::rules::ml::chat_template::judge_template(&String::from_utf8_lossy(data));
});
