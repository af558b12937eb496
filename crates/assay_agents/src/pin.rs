//! Pinning MCP tool definitions against rug pulls (`assay agents pin` / `check`).
//!
//! A server can change a tool after the user approved it. The lock file
//! (`assay-agents.lock`, JSON) records, per tool, two SHA-256 digests of canonical JSON
//! (object keys sorted, no whitespace):
//! - `schema`: the **whole** tool object as served — name, title, description, every
//!   parameter's name, description, default and enum in `inputSchema`, `outputSchema`,
//!   `annotations` — so a change anywhere, description untouched, is still a change;
//! - `description`: the description alone, so a report can say which kind of change it
//!   is (description vs schema only).
//!
//! Tools are keyed `<source>#<tool name>`, the source being the tool list's path as
//! given (or a server's name). Lock format version 1:
//! `{"version": 1, "tools": {"<source>#<name>": {"schema": "<hex>", "description": "<hex>"}}}`.

use assay_core::{Finding, Location, Rule};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The lock file's default name.
pub const LOCK_NAME: &str = "assay-agents.lock";

/// Errors of pinning and checking.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// A tool list that is not JSON.
    #[error("{path}: not JSON: {source}")]
    Json {
        /// The file.
        path: String,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// JSON that is not a `tools/list` result.
    #[error("{path}: not a tools/list result (no `tools` array of objects with a `name`)")]
    NotToolList {
        /// The file.
        path: String,
    },
    /// A lock file that is not version-1 JSON.
    #[error("lock file {path}: {message}")]
    Lock {
        /// The lock file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// One tool's digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolPin {
    /// SHA-256 (hex) of the canonical JSON of the whole tool object.
    pub schema: String,
    /// SHA-256 (hex) of the description (empty string when there is none).
    pub description: String,
}

/// The lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// Format version, 1.
    pub version: u32,
    /// `<source>#<tool>` → digests.
    pub tools: BTreeMap<String, ToolPin>,
}

impl Default for Lock {
    fn default() -> Self {
        Lock {
            version: 1,
            tools: BTreeMap::new(),
        }
    }
}

/// Canonical JSON: object keys sorted, no whitespace.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let body: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        Value::String(k.clone()),
                        m.get(k).map_or_else(String::new, canonical)
                    )
                })
                .collect();
            format!("{{{}}}", body.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn sha(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The pins of a tool list's tools, keyed `<source>#<name>`.
///
/// # Errors
/// [`PinError`] when the bytes are not JSON or not a tool list.
pub fn pins(source: &str, data: &[u8]) -> Result<BTreeMap<String, ToolPin>, PinError> {
    let v: Value = serde_json::from_slice(data).map_err(|e| PinError::Json {
        path: source.to_owned(),
        source: e,
    })?;
    let tools = crate::mcp::tools_of(&v).ok_or_else(|| PinError::NotToolList {
        path: source.to_owned(),
    })?;
    let mut out = BTreeMap::new();
    for t in tools.iter().take(crate::mcp::MAX_TOOLS) {
        let name = t.get("name").and_then(Value::as_str).unwrap_or("");
        let desc = t.get("description").and_then(Value::as_str).unwrap_or("");
        out.insert(
            format!("{source}#{name}"),
            ToolPin {
                schema: sha(&canonical(t)),
                description: sha(desc),
            },
        );
    }
    Ok(out)
}

/// Read a lock file's text.
///
/// # Errors
/// [`PinError::Lock`] when it is not a version-1 lock.
pub fn read_lock(path: &str, text: &str) -> Result<Lock, PinError> {
    let lock: Lock = serde_json::from_str(text).map_err(|e| PinError::Lock {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    if lock.version != 1 {
        return Err(PinError::Lock {
            path: path.to_owned(),
            message: format!("version {} (this assay reads version 1)", lock.version),
        });
    }
    Ok(lock)
}

/// The lock as written: pretty JSON with a trailing newline.
pub fn write_lock(lock: &Lock) -> String {
    let mut s = serde_json::to_string_pretty(lock).unwrap_or_default();
    s.push('\n');
    s
}

/// How a tool changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Its description changed (and maybe more).
    Description,
    /// Its schema changed, description untouched (parameters, defaults, enums,
    /// annotations, title).
    SchemaOnly,
    /// A tool that was not pinned.
    Added,
    /// A pinned tool is gone.
    Removed,
}

impl ChangeKind {
    /// Words for evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Description => "description changed",
            ChangeKind::SchemaOnly => "schema changed, description unchanged",
            ChangeKind::Added => "tool added since pinning",
            ChangeKind::Removed => "pinned tool removed",
        }
    }
}

/// Compare the pins of the current tool lists (`now`, for the sources checked) with the
/// lock. Only sources present in `now` are compared, so checking one server does not
/// report the others as removed. Sorted by key.
pub fn compare(lock: &Lock, now: &BTreeMap<String, ToolPin>) -> Vec<(String, ChangeKind)> {
    let source_of = |k: &str| k.rsplit_once('#').map_or(k, |x| x.0).to_owned();
    let sources: std::collections::BTreeSet<String> = now.keys().map(|k| source_of(k)).collect();
    let mut out = Vec::new();
    for (k, p) in now {
        match lock.tools.get(k) {
            None => out.push((k.clone(), ChangeKind::Added)),
            Some(old) if old.description != p.description => {
                out.push((k.clone(), ChangeKind::Description));
            }
            Some(old) if old.schema != p.schema => out.push((k.clone(), ChangeKind::SchemaOnly)),
            Some(_) => {}
        }
    }
    for k in lock.tools.keys() {
        if sources.contains(&source_of(k)) && !now.contains_key(k) {
            out.push((k.clone(), ChangeKind::Removed));
        }
    }
    out.sort();
    out
}

/// An `MCP007` finding for a change, located at the source (the tool list's path).
pub fn finding(key: &str, kind: ChangeKind) -> Finding {
    let (source, tool) = key.rsplit_once('#').unwrap_or((key, ""));
    let mut f = Rule::ToolDefinitionChanged.finding(
        Location::file(source),
        format!("tool `{tool}`: {}", kind.as_str()),
    );
    if kind == ChangeKind::Removed {
        f.severity = assay_core::Severity::Medium;
    }
    f
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn canonical_sorts_keys() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,2],"c":"x"}}"#).unwrap();
        assert_eq!(canonical(&a), r#"{"a":{"c":"x","d":[1,2]},"b":1}"#);
    }
}
