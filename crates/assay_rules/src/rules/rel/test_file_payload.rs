//! REL011 test-file-payload.

use super::build_script_payload::{is_build_script, tr_maps};
use crate::context::{Cx, is_test_or_doc};
use assay_core::{FileKind, Finding, Location};

declare_rule! {
    /// ## What it does
    /// Decompresses the binary files of an artifact's test and data folders (`tests/`,
    /// `testdata/`, `fixtures/`, `data/`), within a 4 MiB output bound: as they are, and
    /// again after each `tr` substitution map found in the artifact's build scripts.
    /// Flags a file that decodes to a native executable, a `#!` script or shell text
    /// (two or more of `/bin/sh`, `eval`, `exec`, `| sh`, `$(`, `sed`).
    ///
    /// ## Why it matters
    /// xz-utils hid both stages of its backdoor in "corrupt" test archives,
    /// `bad-3-corrupt_lzma2.xz` and `good-large_compressed.lzma`: a test file is binary by
    /// nature, so nobody reads it, and the build script that repaired (`tr`) and
    /// decompressed it looked like tooling.
    ///
    /// ## Example
    /// `tests/files/bad-3-corrupt_lzma2.xz` that, after `tr "\t \-_" " \t_\-"`, is a
    /// valid xz stream holding a shell script.
    ///
    /// ## False positives
    /// Test suites of shell tools that compress sample scripts (a decompressor's own
    /// tests). The finding names what the file decodes to; a reviewer can confirm in a
    /// minute.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094)
    /// - MITRE ATT&CK T1027.009 (Embedded Payloads)
    pub static META = TestFilePayload;
}

/// Most decoded bytes per attempt.
const DECODE_LIMIT: usize = 4 << 20;
/// Most files tried per artifact.
const MAX_FILES: usize = 2_000;

fn is_data_dir(path: &str) -> bool {
    is_test_or_doc(path)
        || path
            .to_ascii_lowercase()
            .split('/')
            .any(|c| matches!(c, "fixtures" | "data" | "testdata" | "files" | "samples"))
}

/// What decoded bytes are, when they are code ([`assay_lang::decode::code_kind`]), except
/// that structured data (JSON, XML, HTML) whose prose mentions shell words is not shell
/// text.
fn what_code(out: &[u8]) -> Option<&'static str> {
    let kind = assay_lang::decode::code_kind(out)?;
    let first = out.iter().find(|b| !b.is_ascii_whitespace());
    (kind != "shell text" || !matches!(first, Some(b'{' | b'[' | b'<'))).then_some(kind)
}

/// Check test and data files.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let mut maps: Vec<[u8; 256]> = Vec::new();
    for e in cx.artifact.entries.iter().filter(|e| is_build_script(e)) {
        if !e.data.contains(&0) {
            maps.extend(tr_maps(&String::from_utf8_lossy(&e.data)));
        }
    }
    maps.truncate(8);
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.file_kind,
                FileKind::Binary | FileKind::Archive | FileKind::Text
            ) && e.complete
                && e.data.len() >= 32
                && is_data_dir(&e.path)
        })
        .take(MAX_FILES)
    {
        let mut hit = None;
        if e.file_kind != FileKind::Text
            && let Some((decoded, via)) = assay_lang::decode::decompress_any(&e.data, DECODE_LIMIT)
            && let Some(what) = what_code(&decoded)
        {
            hit = Some(format!("decompresses ({via}) to {what}"));
        }
        if hit.is_none() {
            for m in &maps {
                let fixed: Vec<u8> = e.data.iter().map(|b| m[usize::from(*b)]).collect();
                if fixed == e.data {
                    continue;
                }
                if let Some((decoded, via)) =
                    assay_lang::decode::decompress_any(&fixed, DECODE_LIMIT)
                    && let Some(what) = what_code(&decoded)
                {
                    hit = Some(format!(
                        "after a build script's `tr` byte substitution, decompresses ({via}) to {what}"
                    ));
                    break;
                }
            }
        }
        if let Some(why) = hit {
            out.push(
                assay_core::Rule::TestFilePayload.finding(Location::file(e.path.clone()), why),
            );
        }
    }
}
