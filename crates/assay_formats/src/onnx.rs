//! ONNX models: the subset of `ModelProto` a supply-chain check needs, decoded with
//! `prost` from hand-written message structs (field numbers from `onnx/onnx.proto`, IR
//! version 10; no build-time code generation). Everything else in the message (tensor
//! bytes, shapes, docs) is skipped by the decoder without being kept.
//!
//! What is extracted: the opset imports (operator domains the model declares), every
//! node's `domain`/`op_type` — in the main graph, in subgraphs (`If`/`Loop`/`Scan`
//! attributes) and in model-local functions — and every initializer's `data_location` and
//! `external_data` entries (the `location` key names a file relative to the model).
//!
//! Bounds: the input size ([`MAX_ONNX_BYTES`]), prost's decode recursion limit (100 nested
//! messages, so subgraph nesting is bounded), and [`MAX_ITEMS`] nodes and initializers
//! reported.

use crate::FormatError;
use prost::Message;

/// Largest model decoded (bytes). Models with inline weights larger than this are read
/// only as far as the caller's prefix bound and are reported as not fully checked.
pub const MAX_ONNX_BYTES: usize = 1 << 30;
/// Most nodes and external-data initializers collected.
pub const MAX_ITEMS: usize = 1_000_000;

#[derive(Clone, PartialEq, Message)]
struct ModelProto {
    #[prost(int64, tag = "1")]
    ir_version: i64,
    #[prost(message, repeated, tag = "8")]
    opset_import: Vec<OperatorSetIdProto>,
    #[prost(string, tag = "2")]
    producer_name: String,
    #[prost(message, optional, tag = "7")]
    graph: Option<GraphProto>,
    #[prost(message, repeated, tag = "25")]
    functions: Vec<FunctionProto>,
}

#[derive(Clone, PartialEq, Message)]
struct OperatorSetIdProto {
    #[prost(string, tag = "1")]
    domain: String,
    #[prost(int64, tag = "2")]
    version: i64,
}

#[derive(Clone, PartialEq, Message)]
struct GraphProto {
    #[prost(message, repeated, tag = "1")]
    node: Vec<NodeProto>,
    #[prost(message, repeated, tag = "5")]
    initializer: Vec<TensorProto>,
}

#[derive(Clone, PartialEq, Message)]
struct NodeProto {
    #[prost(string, tag = "4")]
    op_type: String,
    #[prost(string, tag = "7")]
    domain: String,
    #[prost(message, repeated, tag = "5")]
    attribute: Vec<AttributeProto>,
}

#[derive(Clone, PartialEq, Message)]
struct AttributeProto {
    #[prost(message, optional, tag = "6")]
    g: Option<GraphProto>,
    #[prost(message, repeated, tag = "11")]
    graphs: Vec<GraphProto>,
    #[prost(message, optional, tag = "5")]
    t: Option<TensorProto>,
    #[prost(message, repeated, tag = "10")]
    tensors: Vec<TensorProto>,
}

#[derive(Clone, PartialEq, Message)]
struct TensorProto {
    #[prost(string, tag = "8")]
    name: String,
    #[prost(message, repeated, tag = "13")]
    external_data: Vec<StringStringEntryProto>,
    /// `DataLocation`: 0 DEFAULT, 1 EXTERNAL.
    #[prost(int32, tag = "14")]
    data_location: i32,
}

#[derive(Clone, PartialEq, Message)]
struct StringStringEntryProto {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(string, tag = "2")]
    value: String,
}

#[derive(Clone, PartialEq, Message)]
struct FunctionProto {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(message, repeated, tag = "7")]
    node: Vec<NodeProto>,
    #[prost(string, tag = "10")]
    domain: String,
    #[prost(message, repeated, tag = "9")]
    opset_import: Vec<OperatorSetIdProto>,
}

/// One operator a model uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnnxNode {
    /// Operator domain (`""` is the default `ai.onnx`).
    pub domain: String,
    /// Operator name.
    pub op_type: String,
    /// Where: `graph`, `graph/If.then_branch`-style nesting depth (0 for the main graph),
    /// or a function name.
    pub depth: u32,
}

/// One tensor stored outside the model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnnxExternal {
    /// Tensor name.
    pub tensor: String,
    /// The `location` value (a path relative to the model's directory), if given.
    pub location: Option<String>,
    /// `data_location` says EXTERNAL.
    pub external: bool,
}

/// What a model declares and uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnnxModel {
    /// `ModelProto.ir_version`.
    pub ir_version: i64,
    /// Declared operator sets: (domain, version), model and functions.
    pub opsets: Vec<(String, i64)>,
    /// Nodes of every graph, subgraph and function.
    pub nodes: Vec<OnnxNode>,
    /// Initializers with `external_data` or `data_location = EXTERNAL`.
    pub external: Vec<OnnxExternal>,
    /// Model-local function domains (`FunctionProto.domain`): operators of these domains are
    /// defined inside the model, not by a runtime library.
    pub function_domains: Vec<String>,
}

/// Decode `data` as an ONNX `ModelProto`.
///
/// # Errors
/// [`FormatError::Invalid`] when the bytes are not a decodable `ModelProto` (truncated,
/// malformed, nested deeper than prost's recursion limit) or larger than
/// [`MAX_ONNX_BYTES`].
pub fn parse_onnx(data: &[u8]) -> Result<OnnxModel, FormatError> {
    if data.len() > MAX_ONNX_BYTES {
        return Err(FormatError::TooMany {
            file: "ONNX",
            what: "bytes",
            limit: MAX_ONNX_BYTES,
        });
    }
    let m = ModelProto::decode(data).map_err(|e| FormatError::Invalid {
        file: "ONNX",
        message: format!("not a decodable ModelProto: {e}"),
    })?;
    let mut out = OnnxModel {
        ir_version: m.ir_version,
        ..OnnxModel::default()
    };
    for o in &m.opset_import {
        out.opsets.push((o.domain.clone(), o.version));
    }
    if let Some(g) = &m.graph {
        graph(g, 0, &mut out);
    }
    for f in &m.functions {
        out.function_domains.push(f.domain.clone());
        for o in &f.opset_import {
            out.opsets.push((o.domain.clone(), o.version));
        }
        for n in &f.node {
            node(n, 1, &mut out);
        }
    }
    Ok(out)
}

fn tensor(t: &TensorProto, out: &mut OnnxModel) {
    if (t.data_location == 1 || !t.external_data.is_empty()) && out.external.len() < MAX_ITEMS {
        out.external.push(OnnxExternal {
            tensor: t.name.clone(),
            location: t
                .external_data
                .iter()
                .find(|e| e.key == "location")
                .map(|e| e.value.clone()),
            external: t.data_location == 1,
        });
    }
}

// Recursion is bounded by prost's decode limit: the decoded tree is at most 100 deep.
fn graph(g: &GraphProto, depth: u32, out: &mut OnnxModel) {
    for t in &g.initializer {
        tensor(t, out);
    }
    for n in &g.node {
        node(n, depth, out);
    }
}

fn node(n: &NodeProto, depth: u32, out: &mut OnnxModel) {
    if out.nodes.len() < MAX_ITEMS {
        out.nodes.push(OnnxNode {
            domain: n.domain.clone(),
            op_type: n.op_type.clone(),
            depth,
        });
    }
    for a in &n.attribute {
        if let Some(t) = &a.t {
            tensor(t, out);
        }
        for t in &a.tensors {
            tensor(t, out);
        }
        if let Some(g) = &a.g {
            graph(g, depth + 1, out);
        }
        for g in &a.graphs {
            graph(g, depth + 1, out);
        }
    }
}

/// Whether an external-data `location` escapes the model's directory: absolute (`/x`,
/// `\\x`, `C:`), a URL-ish scheme, or a `..` component (the ONNX checker's rule since
/// onnx 1.16, CVE-2024-27318 and CVE-2024-5187).
pub fn location_escapes(loc: &str) -> bool {
    let l = loc.replace('\\', "/");
    l.starts_with('/')
        || l.as_bytes().get(1) == Some(&b':')
        || l.contains("://")
        || l.split('/').any(|c| c == "..")
        || l.contains('\0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_bytes() -> Vec<u8> {
        let t = TensorProto {
            name: "w".into(),
            external_data: vec![StringStringEntryProto {
                key: "location".into(),
                value: "../secret".into(),
            }],
            data_location: 1,
        };
        let sub = GraphProto {
            node: vec![NodeProto {
                op_type: "Exec".into(),
                domain: "x.custom".into(),
                attribute: vec![],
            }],
            initializer: vec![],
        };
        let m = ModelProto {
            ir_version: 8,
            opset_import: vec![OperatorSetIdProto {
                domain: String::new(),
                version: 17,
            }],
            producer_name: "t".into(),
            graph: Some(GraphProto {
                node: vec![NodeProto {
                    op_type: "If".into(),
                    domain: String::new(),
                    attribute: vec![AttributeProto {
                        g: Some(sub),
                        graphs: vec![],
                        t: None,
                        tensors: vec![],
                    }],
                }],
                initializer: vec![t],
            }),
            functions: vec![],
        };
        m.encode_to_vec()
    }

    #[test]
    fn nodes_subgraphs_and_external_data() {
        let m = parse_onnx(&model_bytes()).unwrap();
        assert_eq!(m.ir_version, 8);
        assert!(
            m.nodes
                .iter()
                .any(|n| n.domain == "x.custom" && n.depth == 1)
        );
        assert_eq!(m.external[0].location.as_deref(), Some("../secret"));
        assert!(location_escapes("../secret"));
        assert!(location_escapes("/etc/passwd"));
        assert!(location_escapes("C:\\x"));
        assert!(!location_escapes("weights.bin"));
        assert!(!location_escapes("data/w..bin"));
    }

    #[test]
    fn truncated_is_an_error() {
        let b = model_bytes();
        assert!(parse_onnx(&b[..b.len() - 3]).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        // 10,000 nested `graph { node { attribute { g { ... } } } }` length prefixes.
        let mut inner: Vec<u8> = Vec::new();
        for _ in 0..2_000 {
            let mut attr = vec![0x32];
            prost::encoding::encode_varint(inner.len() as u64, &mut attr);
            attr.extend(&inner);
            let mut node = vec![0x2a];
            prost::encoding::encode_varint(attr.len() as u64, &mut node);
            node.extend(&attr);
            let mut graph = vec![0x0a];
            prost::encoding::encode_varint(node.len() as u64, &mut graph);
            graph.extend(&node);
            inner = graph;
        }
        let mut m = vec![0x3a];
        prost::encoding::encode_varint(inner.len() as u64, &mut m);
        m.extend(&inner);
        assert!(parse_onnx(&m).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = parse_onnx(&data);
        }
    }
}
