//! ML rules: model files. Pickle streams (raw, legacy PyTorch, PyTorch zip members, object
//! `.npy`) are walked once per artifact by the symbolic pickle VM of `assay_formats`
//! ([`scan_pickles`], kept in [`crate::Cx::pickles`]); each import is judged by the
//! versioned policy in [`imports`] (joblib files too: the VM skips the NumPy array bytes
//! joblib writes after each `NumpyArrayWrapper`). safetensors headers, GGUF/tokenizer chat
//! templates, Keras configs (`.keras` and `.h5`), Hugging Face `auto_map` model code
//! ([`auto_map_refs`], analysed as Python with the `ModelCode` role) and ONNX models have
//! their own rules. ML030–ML039 are model signature verification, raised by `assay verify`.

pub mod chat_template;
pub mod discarded_call;
pub mod format_mismatch;
pub mod imports;
pub mod malformed_pickle;
pub mod model_code_capability;
pub mod model_config_code;
pub mod onnx_custom_operator;
pub mod onnx_external_data;
pub mod pickle_dangerous_import;
pub mod pickle_stream_trick;
pub mod pickle_unlisted_import;
pub mod safetensors_header;
pub mod saved_model_system_op;
pub mod signature_bundle_malformed;
pub mod signature_invalid;
pub mod signed_file_missing;
pub mod signed_file_modified;
pub mod unsigned_file;

use assay_core::{Artifact, Entry, FileKind};
use assay_formats::pickle::{PickleScan, scan_pickle};

/// One pickle stream of the artifact and what the VM found in it.
#[derive(Debug)]
pub struct PickleFile<'a> {
    /// The entry that holds it.
    pub entry: &'a Entry,
    /// Where the pickle starts inside the entry (after a `.npy` header).
    pub offset: usize,
    /// The walk.
    pub scan: PickleScan,
}

/// Walk every pickle of the artifact: entries classified as [`FileKind::Pickle`] (by
/// content, whatever their name) and object-dtype `.npy` arrays.
pub fn scan_pickles(artifact: &Artifact) -> Vec<PickleFile<'_>> {
    artifact
        .entries
        .iter()
        .filter_map(|e| {
            let offset = match e.file_kind {
                FileKind::Pickle => 0,
                FileKind::NumPy => npy_object_pickle(&e.data)?,
                _ => return None,
            };
            let scan = scan_pickle(e.data.get(offset..)?);
            Some(PickleFile {
                entry: e,
                offset,
                scan,
            })
        })
        .collect()
}

/// Offset of the pickle inside an object-dtype `.npy` (NumPy format spec: 6-byte magic,
/// 2-byte version, 2-byte (v1) or 4-byte (v2, v3) little-endian header length, header).
fn npy_object_pickle(data: &[u8]) -> Option<usize> {
    let major = *data.get(6)?;
    let (len, start): (usize, usize) = match major {
        1 => (
            usize::from(u16::from_le_bytes([*data.get(8)?, *data.get(9)?])),
            10,
        ),
        _ => (
            usize::try_from(u32::from_le_bytes([
                *data.get(8)?,
                *data.get(9)?,
                *data.get(10)?,
                *data.get(11)?,
            ]))
            .ok()?,
            12,
        ),
    };
    let header = data.get(start..start.checked_add(len)?)?;
    let text = String::from_utf8_lossy(header);
    let object = text.contains("'descr': '|O'") || text.contains("'descr': 'O'");
    object.then_some(start + len)
}

/// One class a Hugging Face `config.json` (or `tokenizer_config.json`) `auto_map` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoMapRef {
    /// The config file that names it.
    pub config: String,
    /// The `auto_map` key (`AutoModel`, `AutoTokenizer`, …).
    pub key: String,
    /// `module.Class` as written (without a `repo--` prefix).
    pub target: String,
    /// Another Hub repository the code is fetched from (`org/repo--module.Class`).
    pub repo: Option<String>,
    /// Path of the module file (`<config dir>/<module as path>.py`) when the artifact has it.
    pub module_path: Option<String>,
}

/// Most `auto_map` references read per config file.
const MAX_AUTO_MAP: usize = 64;

/// Every class an `auto_map` names, resolved to the module files of the artifact (Hugging
/// Face `dynamic_module_utils`: `module.Class` is `module.py` beside the config; `a.b.C` is
/// `a/b.py`; a `repo--` prefix fetches it from another repository).
pub fn auto_map_refs(artifact: &Artifact) -> Vec<AutoMapRef> {
    let mut out = Vec::new();
    for e in &artifact.entries {
        let name = e.file_name();
        if !e.complete || !name.ends_with("config.json") || e.data.len() > 4 << 20 {
            continue;
        }
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&e.data) else {
            continue;
        };
        let Some(map) = v.get("auto_map").and_then(|m| m.as_object()) else {
            continue;
        };
        let dir = e.path.rsplit_once('/').map_or("", |(d, _)| d);
        let mut n = 0;
        for (key, val) in map {
            let items: Vec<&str> = match val {
                serde_json::Value::String(s) => vec![s.as_str()],
                serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
                _ => Vec::new(),
            };
            for raw in items {
                n += 1;
                if n > MAX_AUTO_MAP {
                    break;
                }
                let (repo, target) = match raw.split_once("--") {
                    Some((r, t)) => (Some(r.to_owned()), t),
                    None => (None, raw),
                };
                let module = target.rsplit_once('.').map_or("", |(m, _)| m);
                let rel = format!("{}.py", module.replace('.', "/"));
                let want = if dir.is_empty() {
                    rel
                } else {
                    format!("{dir}/{rel}")
                };
                let module_path = (!module.is_empty() && !module.contains(".."))
                    .then(|| artifact.entries.iter().find(|x| x.path == want))
                    .flatten()
                    .map(|x| x.path.clone());
                out.push(AutoMapRef {
                    config: e.path.clone(),
                    key: key.clone(),
                    target: target.to_owned(),
                    repo,
                    module_path,
                });
            }
        }
    }
    out
}

/// A tensor storage member of a PyTorch zip (`archive/data/0`): raw bytes that may start
/// like a pickle by chance; failures to parse them are not findings.
pub(crate) fn is_tensor_storage(path: &str) -> bool {
    let inner = path.rsplit("!/").next().unwrap_or(path);
    let mut parts = inner.rsplit('/');
    matches!(
        (parts.next(), parts.next()),
        (Some(n), Some("data")) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
    )
}

/// Record an ML finding. Model files inside a package or environment (test data, bundled
/// assets) are reported but do not fail closed: confidence low, at most high (medium under
/// tests/docs, where pickle libraries and scanners keep hostile samples), so the package
/// is `suspicious`, not `malicious` (`docs/scoring.md`). Model files scanned directly
/// keep their levels.
pub(crate) fn push(cx: &crate::Cx, out: &mut Vec<assay_core::Finding>, mut f: assay_core::Finding) {
    use assay_core::{ArtifactFormat, Confidence, Severity};
    let in_package = matches!(
        cx.artifact.format,
        ArtifactFormat::Wheel
            | ArtifactFormat::Sdist
            | ArtifactFormat::Egg
            | ArtifactFormat::Environment
    );
    if in_package {
        f.confidence = Confidence::Low;
        f.severity = if crate::context::is_test_or_doc(&f.location.path) {
            f.severity.min(Severity::Medium)
        } else {
            f.severity.min(Severity::High)
        };
    }
    out.push(f);
}
