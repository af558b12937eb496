//! ML009 model-config-code.

use crate::context::Cx;
use assay_core::{Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Reads model `config.json` files — the one inside a Keras `.keras` zip, and a Hugging
    /// Face directory's — and flags configuration that makes loading run code: a Keras
    /// `Lambda` layer at any depth (its `function` is serialized Python bytecode) — critical;
    /// a layer whose `module` or `registered_name` points outside Keras/TensorFlow (any
    /// callable can be named) — high; a Hugging Face `auto_map` (loading with
    /// `trust_remote_code=True` imports the named Python files, which assay scans as
    /// Python) — medium.
    ///
    /// ## Why it matters
    /// `keras.models.load_model` deserializes `Lambda` bytecode and imports the named
    /// modules (CVE-2024-3660 bypassed `safe_mode`); `auto_map` is how a hub model ships
    /// its own Python.
    ///
    /// ## Example
    /// `{"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", ...}}}`
    ///
    /// ## False positives
    /// Models that legitimately use custom layers or remote code (many research models).
    ///
    /// ## References
    /// - CVE-2024-3660 (Keras `safe_mode` bypass)
    /// - Hugging Face docs, "Custom models" (`auto_map`, `trust_remote_code`)
    pub static META = {
        code: "ML009",
        name: "model-config-code",
        family: Ml,
        summary: "A model config makes loading run code (Keras Lambda, custom module, auto_map)",
        severity: High,
        confidence: Medium,
        targets: [Text],
        cwe: Some("CWE-94"),
        attack: Some("T1059"),
    }
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
            for key in ["module", "registered_name"] {
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
    for e in &cx.artifact.entries {
        if !e.complete
            || !e.file_name().ends_with("config.json")
            || e.file_name().ends_with("tokenizer_config.json")
        {
            continue;
        }
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&e.data) else {
            continue;
        };
        let mut hits = Vec::new();
        walk(&v, 0, &mut hits);
        if let Some(map) = v.get("auto_map").and_then(|m| m.as_object()) {
            let files: Vec<&str> = map.values().filter_map(|x| x.as_str()).take(5).collect();
            hits.push((
                Severity::Medium,
                format!("`auto_map` loads remote code ({})", files.join(", ")),
            ));
        }
        for (sev, why) in hits {
            let mut f = cx.finding(&META, Location::file(e.path.clone()), why);
            f.severity = sev;
            super::push(cx, out, f);
        }
    }
}
