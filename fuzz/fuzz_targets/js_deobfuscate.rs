#![no_main]
//! The JavaScript deobfuscator: arbitrary bytes as the payload of `atob`, `Buffer.from(…,
//! 'hex')`, a `String.fromCharCode` chain and an obfuscator.io string table, so the decoders
//! and the decoded-child analysis see hostile decoded text.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = assay_lang::js::deobfuscation_harness(data);
});
