//! ML011 onnx-external-data-escape.

use crate::context::Cx;
use assay_core::{FileKind, Finding, Location, Severity};
use assay_formats::onnx::{location_escapes, parse_onnx};

declare_rule! {
    /// ## What it does
    /// Decodes ONNX models (`ModelProto`) and flags initializers whose `external_data`
    /// `location` leaves the model's directory: an absolute path, a drive letter, a URL or
    /// a `..` component. Also reports, fail-closed, an ONNX file that does not decode
    /// (critical) or was only partly read because it is larger than the prefix bound
    /// (medium: its operators and external data were not all checked).
    ///
    /// ## Why it matters
    /// ONNX runtimes read external tensor data from `location` relative to the model file;
    /// a traversal makes loading the model read any file the user can (SSH keys, cloud
    /// credentials) into a tensor, whose values the model's outputs can leak
    /// (CVE-2024-27318, CVE-2024-5187 in `onnx`'s own loader).
    ///
    /// ## Example
    /// An initializer with `data_location: EXTERNAL` and
    /// `external_data { key: "location" value: "../../../../etc/passwd" }`.
    ///
    /// ## False positives
    /// None known: `onnx.checker` rejects these paths too.
    ///
    /// ## References
    /// - ONNX `docs/ExternalData.md`
    /// - CVE-2024-27318, CVE-2024-5187
    /// - CWE-22
    pub static META = OnnxExternalDataEscape;
}

/// Raise ML011.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::Onnx)
    {
        let loc = || Location::file(e.path.clone());
        match parse_onnx(&e.data) {
            Ok(m) => {
                for x in m.external.iter().take(50) {
                    let Some(l) = x.location.as_deref().filter(|l| location_escapes(l)) else {
                        continue;
                    };
                    super::push(
                        cx,
                        out,
                        cx.finding(
                            &META,
                            loc(),
                            format!("tensor `{}` reads its data from `{l}`, outside the model directory", x.tensor),
                        ),
                    );
                }
            }
            Err(err) => {
                let (sev, why) = if e.complete {
                    (
                        Severity::Critical,
                        format!("{err}: nothing in it was checked"),
                    )
                } else {
                    (
                        Severity::Medium,
                        format!(
                            "only the first {} of {} bytes were read (the prefix bound); external data and operators were not all checked",
                            e.data.len(),
                            e.size
                        ),
                    )
                };
                let mut f = cx.finding(&META, loc(), why);
                f.severity = sev;
                super::push(cx, out, f);
            }
        }
    }
}
