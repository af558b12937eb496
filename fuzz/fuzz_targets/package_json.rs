#![no_main]
//! npm `package.json` parsing and the lifecycle-command reader (`files_run_by`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(p) = assay_formats::parse_package_json(data) {
        for (_, cmd) in p.install_scripts() {
            let _ = assay_formats::files_run_by(cmd, &p.scripts);
        }
    }
});
