//! ML012 onnx-custom-operator.

use crate::context::Cx;
use assay_core::{FileKind, Finding, Location};
use assay_formats::onnx::parse_onnx;

declare_rule! {
    /// ## What it does
    /// Flags ONNX models whose nodes (in the main graph, in `If`/`Loop`/`Scan` subgraphs or
    /// in model-local functions) or opset imports use an operator domain that neither the
    /// ONNX standard nor ONNX Runtime's built-in kernels define: not `""`/`ai.onnx`,
    /// `ai.onnx.ml`, `ai.onnx.training`, `ai.onnx.preview.training`, `com.microsoft` (and
    /// its `.nchwc`/`.experimental` variants), `com.ms.internal.nhwc`, `org.pytorch.aten`.
    /// Domains of functions defined inside the model itself are not custom.
    ///
    /// ## Why it matters
    /// A custom domain is implemented by a native shared library the user must register
    /// (`SessionOptions.register_custom_ops_library`) before the model loads: the model
    /// comes with instructions to load someone's native code.
    ///
    /// ## Example
    /// A node `{ op_type: "Exec", domain: "ai.assay.canary" }` inside an `If` branch.
    ///
    /// ## False positives
    /// Models built for a vendor runtime with its own kernels (TensorRT plugins, OpenVINO
    /// extensions); those need the vendor library anyway.
    ///
    /// ## References
    /// - ONNX `docs/IR.md` (operator sets and domains)
    /// - ONNX Runtime docs, "Custom operators"
    /// - CWE-829
    pub static META = OnnxCustomOperator;
}

/// Domains of the ONNX standard and of ONNX Runtime's built-in kernels.
const KNOWN_DOMAINS: &[&str] = &[
    "",
    "ai.onnx",
    "ai.onnx.ml",
    "ai.onnx.training",
    "ai.onnx.preview.training",
    "com.microsoft",
    "com.microsoft.nchwc",
    "com.microsoft.experimental",
    "com.ms.internal.nhwc",
    "org.pytorch.aten",
];

/// Raise ML012, once per custom domain.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::Onnx)
    {
        let Ok(m) = parse_onnx(&e.data) else {
            continue; // ML011 reports undecodable files
        };
        let local = |d: &str| m.function_domains.iter().any(|f| f == d);
        let mut seen: Vec<&str> = Vec::new();
        let used = m
            .nodes
            .iter()
            .map(|n| (n.domain.as_str(), Some(n)))
            .chain(m.opsets.iter().map(|(d, _)| (d.as_str(), None)));
        for (domain, node) in used {
            if KNOWN_DOMAINS.contains(&domain) || local(domain) || seen.contains(&domain) {
                continue;
            }
            seen.push(domain);
            let what = match node {
                Some(n) if n.depth > 0 => format!(
                    "operator `{domain}::{}` (in a subgraph or function, depth {})",
                    n.op_type, n.depth
                ),
                Some(n) => format!("operator `{domain}::{}`", n.op_type),
                None => format!("opset import of domain `{domain}`"),
            };
            super::push(
                cx,
                out,
                cx.finding(
                    &META,
                    Location::file(e.path.clone()),
                    format!("{what}: a custom domain, implemented by a native library the user must load"),
                ),
            );
            if seen.len() >= 20 {
                break;
            }
        }
    }
}
