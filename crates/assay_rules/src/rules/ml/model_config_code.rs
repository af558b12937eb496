//! ML009 model-config-code.

use crate::context::Cx;
use assay_core::{Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Reads model `config.json` files — the one inside a Keras `.keras` zip, and a Hugging
    /// Face directory's — and the `model_config` attribute of Keras `.h5` (HDF5) files, and
    /// flags configuration that makes loading run code: a Keras
    /// `Lambda` layer at any depth (its `function` is serialized Python bytecode) — critical;
    /// a layer whose `module` or `registered_name` points outside Keras/TensorFlow (any
    /// callable can be named) — high; a Hugging Face `auto_map` (loading with
    /// `trust_remote_code=True` imports the named Python files) — medium. Each `auto_map`
    /// class is resolved to its module file beside the config (`modeling_x.XModel` →
    /// `modeling_x.py`); those files are scanned as Python with every function counted as
    /// running on load, so a hostile `modeling_x.py` is reported by the Python rules at
    /// its own path. Keras SavedModels keep each layer's config in `keras_metadata.pb`
    /// (a `SavedMetadata` protobuf): it is decoded and walked the same way.
    ///
    /// ## Why it matters
    /// `keras.models.load_model` deserializes `Lambda` bytecode and imports the named
    /// modules (CVE-2024-3660 bypassed `safe_mode`); `auto_map` is how a hub model ships
    /// its own Python.
    ///
    /// ## Example
    /// `{"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", ...}}}`
    ///
    /// A Keras `.h5` whose `model_config` cannot be read (dense attribute storage, a
    /// damaged value) is critical: what was not read could hold a `Lambda`.
    ///
    /// ## False positives
    /// Models that legitimately use custom layers or remote code (many research models).
    ///
    /// ## References
    /// - CVE-2024-3660 (Keras `safe_mode` bypass)
    /// - Hugging Face docs, "Custom models" (`auto_map`, `trust_remote_code`)
    pub static META = ModelConfigCode;
}

const TRUSTED: &[&str] = &["keras", "tensorflow", "tf_keras", "builtins"];

fn walk(v: &serde_json::Value, depth: u32, hits: &mut Vec<(Severity, String)>) {
    if depth > 64 || hits.len() > 20 {
        return;
    }
    match v {
        serde_json::Value::Object(m) => {
            if m.get("class_name").and_then(|c| c.as_str()) == Some("Lambda") {
                hits.push((
                    Severity::Critical,
                    "Keras `Lambda` layer (serialized Python bytecode)".into(),
                ));
            }
            // `module`/`registered_name` name a callable only in Keras' serialized-object
            // shape (`{"module", "class_name", "config", "registered_name"}`): the same key
            // elsewhere is another tool's setting (a `tsconfig.json`'s `"module":
            // "commonjs"` in a web app a package bundles), not something `load_model` imports.
            let keras_object = m.get("class_name").is_some_and(|c| c.is_string());
            for key in ["module", "registered_name"]
                .into_iter()
                .filter(|_| keras_object)
            {
                if let Some(s) = m.get(key).and_then(|c| c.as_str()) {
                    let root = s.split(['.', '>']).next().unwrap_or(s);
                    let plain = key == "registered_name" && !s.contains('.') && !s.contains('>');
                    if !plain && !TRUSTED.contains(&root) {
                        hits.push((
                            Severity::High,
                            format!("`{key}` names `{s}`, outside Keras/TensorFlow"),
                        ));
                    }
                }
            }
            for x in m.values() {
                walk(x, depth + 1, hits);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                walk(x, depth + 1, hits);
            }
        }
        _ => {}
    }
}

/// Raise ML009.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let refs = super::auto_map_refs(cx.artifact);
    for e in &cx.artifact.entries {
        if e.file_kind == assay_core::FileKind::Hdf5 {
            check_h5(cx, e, out);
            continue;
        }
        if e.file_kind == assay_core::FileKind::TfSavedModel && e.file_name() == "keras_metadata.pb"
        {
            check_keras_metadata(cx, e, out);
            continue;
        }
        if !e.complete || !is_model_config_name(e.file_name()) {
            continue;
        }
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&e.data) else {
            continue;
        };
        let mut hits = Vec::new();
        walk(&v, 0, &mut hits);
        let refs: Vec<_> = refs.iter().filter(|r| r.config == e.path).collect();
        if !refs.is_empty() {
            let shown: Vec<String> = refs
                .iter()
                .take(5)
                .map(|r| match (&r.repo, &r.module_path) {
                    (Some(repo), _) => format!("{} from repository `{repo}`", r.target),
                    (None, Some(p)) => format!("{} → {} (scanned as Python)", r.target, cx.rel(p)),
                    (None, None) => format!("{} (module file not in the scanned tree)", r.target),
                })
                .collect();
            hits.push((
                Severity::Medium,
                format!(
                    "`auto_map` loads remote code with trust_remote_code=True: {}",
                    shown.join("; ")
                ),
            ));
        }
        for (sev, why) in hits {
            let mut f = cx.finding(&META, Location::file(e.path.clone()), why);
            f.severity = sev;
            super::push(cx, out, f);
        }
    }
}

/// A model configuration by name: `config.json`, or `<x>.config.json`, `<x>_config.json`,
/// `<x>-config.json` — not a tokenizer's, and not a word ending in `config` such as
/// TypeScript's `tsconfig.json` or `jsconfig.json` (whose `"module": "es2022"` is a
/// compiler option: the notion MCP server's npm package was `malicious` for it).
fn is_model_config_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix("config.json") else {
        return false;
    };
    !name.ends_with("tokenizer_config.json") && (stem.is_empty() || stem.ends_with(['.', '_', '-']))
}

/// A Keras SavedModel's `keras_metadata.pb`: each object's metadata JSON (its class and
/// config) walked like a `.keras` config; a file that does not decode is high (what was
/// not read could hold a `Lambda`).
fn check_keras_metadata(cx: &Cx, e: &assay_core::Entry, out: &mut Vec<Finding>) {
    let mut hits = Vec::new();
    match assay_formats::saved_model::parse_keras_metadata(&e.data) {
        Ok(objects) => {
            for o in &objects {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&o.metadata) {
                    walk(&v, 0, &mut hits);
                }
            }
        }
        Err(err) => {
            let cut = read_cut(e);
            hits.push((
                Severity::High,
                format!("Keras metadata unreadable{cut}: {err}"),
            ));
        }
    }
    for (sev, why) in hits {
        let mut f = cx.finding(&META, Location::file(e.path.clone()), why);
        f.severity = sev;
        super::push(cx, out, f);
    }
}

/// ` (only the first N of M bytes were read)` for a member kept only in part, else empty.
fn read_cut(e: &assay_core::Entry) -> String {
    if e.complete {
        String::new()
    } else {
        format!(
            " (only the first {} of {} bytes were read)",
            e.data.len(),
            e.size
        )
    }
}

/// A Keras `.h5`: the root group's `model_config` attribute, walked like a `.keras`
/// config; fail closed (critical) when the file is a Keras model whose config cannot be read.
fn check_h5(cx: &Cx, e: &assay_core::Entry, out: &mut Vec<Finding>) {
    let mut hits = Vec::new();
    match assay_formats::parse_keras_h5(&e.data) {
        Ok(k) => {
            for (_, v) in &k.configs {
                walk(v, 0, &mut hits);
            }
            for why in k.unreadable.into_iter().take(3) {
                let cut = read_cut(e);
                hits.push((
                    Severity::Critical,
                    format!("Keras HDF5 config not readable, so not checked: {why}{cut}"),
                ));
            }
        }
        // Not a readable HDF5 file: only a Keras model's config matters here (weights-only
        // and other HDF5 files hold no code).
        Err(err) => {
            let keras = |n: &[u8]| e.data.windows(n.len()).any(|w| w == n);
            if keras(b"model_config") || keras(b"keras_version") {
                hits.push((Severity::Critical, format!("{err}")));
            }
        }
    }
    for (sev, why) in hits {
        let mut f = cx.finding(&META, Location::file(e.path.clone()), why);
        f.severity = sev;
        super::push(cx, out, f);
    }
}
