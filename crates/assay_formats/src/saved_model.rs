//! TensorFlow SavedModel: the operations a `saved_model.pb` can run, and the Keras
//! metadata of `keras_metadata.pb`.
//!
//! A SavedModel directory holds `saved_model.pb` (a `SavedModel` message:
//! `tensorflow/core/protobuf/saved_model.proto`), whose `MetaGraphDef`s
//! (`meta_graph.proto`) each carry a `GraphDef` (`framework/graph.proto`): the main graph's
//! `NodeDef`s (`framework/node_def.proto`) and a `FunctionDefLibrary`
//! (`framework/function.proto`) of functions with their own `node_def`s. Loading the model
//! (`tf.saved_model.load`, TF Serving) instantiates those graphs; a node's `op` names a
//! kernel, and a few kernels read or write files, reach the network or call back into the
//! loading Python process. Functions are where TF2 puts everything (`tf.function` traces),
//! so a scanner that reads only the main graph sees a few `StatefulPartitionedCall`s.
//!
//! The messages are decoded with `prost` from hand-written structs holding only the fields
//! needed (field numbers from the `.proto` files above; no build-time code generation). The
//! two repeated fields that can hold millions of entries — `GraphDef.node` and
//! `FunctionDef.node_def` — are decoded by visitor messages ([`prost::Message`]
//! implemented by hand) that look at one node at a time and keep only what the analysis
//! needs, so memory does not grow with the node count, and nodes read before a decoding
//! error are still reported (a truncated file is judged on what it holds).
//!
//! Bounds: input size ([`MAX_SAVED_MODEL_BYTES`]), [`MAX_NODES`] nodes in all graphs and
//! functions together, [`MAX_FUNCTIONS`] functions, [`MAX_OPS_KEPT`] notable operations
//! kept, prost's recursion limit (100 nested messages) for depth; decoding is one linear
//! pass, so time is linear in the input.
//!
//! Which operations are notable, and why, is [`classify_op`]'s table.

use crate::FormatError;
use prost::Message;
use prost::bytes::Buf;
use prost::encoding::{DecodeContext, WireType};
use std::collections::{BTreeMap, BTreeSet};

/// Largest `saved_model.pb` decoded (bytes). TF1 graphs with inline constants can be
/// large; the caller's read bound (the kept prefix) is usually smaller.
pub const MAX_SAVED_MODEL_BYTES: usize = 1 << 30;
/// Most nodes decoded across the main graphs and every function.
pub const MAX_NODES: usize = 2_000_000;
/// Most functions in all function libraries together.
pub const MAX_FUNCTIONS: usize = 200_000;
/// Most notable operations kept (the count beyond is still reported).
pub const MAX_OPS_KEPT: usize = 10_000;
/// Most distinct callees remembered per function or main graph (for the saver reachability
/// walk); more is a [`FormatError::TooMany`].
const MAX_CALLEES: usize = 100_000;

/// The prost message structs: the subset of TensorFlow's protos assay reads. Public so
/// tests and fixture generators can build SavedModels by encoding them (no TensorFlow
/// needed); unknown fields are skipped on decode.
pub mod proto {
    use prost::Message;
    use std::collections::BTreeMap;

    /// `tensorflow.SavedModel` (`core/protobuf/saved_model.proto`).
    #[derive(Clone, PartialEq, Message)]
    pub struct SavedModel {
        /// Field 1: `saved_model_schema_version`.
        #[prost(int64, tag = "1")]
        pub saved_model_schema_version: i64,
        /// Field 2: `meta_graphs`.
        #[prost(message, repeated, tag = "2")]
        pub meta_graphs: Vec<MetaGraphDef>,
    }

    /// `tensorflow.MetaGraphDef` (`core/protobuf/meta_graph.proto`).
    #[derive(Clone, PartialEq, Message)]
    pub struct MetaGraphDef {
        /// Field 2: `graph_def`.
        #[prost(message, optional, tag = "2")]
        pub graph_def: Option<GraphDef>,
        /// Field 3: `saver_def`.
        #[prost(message, optional, tag = "3")]
        pub saver_def: Option<SaverDef>,
    }

    /// `tensorflow.SaverDef` (`core/protobuf/saver.proto`): which tensors and ops of the
    /// graph save and restore the variables.
    #[derive(Clone, PartialEq, Message)]
    pub struct SaverDef {
        /// Field 1: `filename_tensor_name` (`node:index`).
        #[prost(string, tag = "1")]
        pub filename_tensor_name: String,
        /// Field 2: `save_tensor_name` (`node:index`).
        #[prost(string, tag = "2")]
        pub save_tensor_name: String,
        /// Field 3: `restore_op_name`.
        #[prost(string, tag = "3")]
        pub restore_op_name: String,
    }

    /// `tensorflow.GraphDef` (`core/framework/graph.proto`).
    #[derive(Clone, PartialEq, Message)]
    pub struct GraphDef {
        /// Field 1: `node`.
        #[prost(message, repeated, tag = "1")]
        pub node: Vec<NodeDef>,
        /// Field 2: `library`.
        #[prost(message, optional, tag = "2")]
        pub library: Option<FunctionDefLibrary>,
    }

    /// `tensorflow.NodeDef` (`core/framework/node_def.proto`).
    #[derive(Clone, PartialEq, Message)]
    pub struct NodeDef {
        /// Field 1: `name`.
        #[prost(string, tag = "1")]
        pub name: String,
        /// Field 2: `op` (a kernel, or a function of the library).
        #[prost(string, tag = "2")]
        pub op: String,
        /// Field 5: `attr`.
        #[prost(btree_map = "string, message", tag = "5")]
        pub attr: BTreeMap<String, AttrValue>,
    }

    /// `tensorflow.AttrValue` (`core/framework/attr_value.proto`): the `s`, `list` and
    /// `func` members of its `oneof` (tensors, shapes and numbers are skipped).
    #[derive(Clone, PartialEq, Message)]
    pub struct AttrValue {
        /// Field 1: `list`.
        #[prost(message, optional, tag = "1")]
        pub list: Option<ListValue>,
        /// Field 2: `s` (a string attribute).
        #[prost(bytes = "vec", tag = "2")]
        pub s: Vec<u8>,
        /// Field 10: `func` (a function's name, or a primitive op's).
        #[prost(message, optional, tag = "10")]
        pub func: Option<NameAttrList>,
    }

    /// `tensorflow.AttrValue.ListValue`: its `func` member.
    #[derive(Clone, PartialEq, Message)]
    pub struct ListValue {
        /// Field 9: `func`.
        #[prost(message, repeated, tag = "9")]
        pub func: Vec<NameAttrList>,
    }

    /// `tensorflow.NameAttrList`.
    #[derive(Clone, PartialEq, Message)]
    pub struct NameAttrList {
        /// Field 1: `name`.
        #[prost(string, tag = "1")]
        pub name: String,
        /// Field 2: `attr`.
        #[prost(btree_map = "string, message", tag = "2")]
        pub attr: BTreeMap<String, AttrValue>,
    }

    /// `tensorflow.FunctionDefLibrary` (`core/framework/function.proto`).
    #[derive(Clone, PartialEq, Message)]
    pub struct FunctionDefLibrary {
        /// Field 1: `function`.
        #[prost(message, repeated, tag = "1")]
        pub function: Vec<FunctionDef>,
    }

    /// `tensorflow.FunctionDef`.
    #[derive(Clone, PartialEq, Message)]
    pub struct FunctionDef {
        /// Field 1: `signature` (its `name` is the function's name).
        #[prost(message, optional, tag = "1")]
        pub signature: Option<OpDef>,
        /// Field 3: `node_def` (the body).
        #[prost(message, repeated, tag = "3")]
        pub node_def: Vec<NodeDef>,
    }

    /// `tensorflow.OpDef` (`core/framework/op_def.proto`): its `name`.
    #[derive(Clone, PartialEq, Message)]
    pub struct OpDef {
        /// Field 1: `name`.
        #[prost(string, tag = "1")]
        pub name: String,
    }

    /// `SavedMetadata` of `keras_metadata.pb` (Keras `protobuf/saved_metadata.proto`).
    #[derive(Clone, PartialEq, Message)]
    pub struct SavedMetadata {
        /// Field 1: `nodes`.
        #[prost(message, repeated, tag = "1")]
        pub nodes: Vec<SavedObject>,
    }

    /// `SavedObject`: one Keras object's metadata.
    #[derive(Clone, PartialEq, Message)]
    pub struct SavedObject {
        /// Field 3: `node_path` (`root.layer-1`).
        #[prost(string, tag = "3")]
        pub node_path: String,
        /// Field 4: `identifier` (`_tf_keras_layer`, …).
        #[prost(string, tag = "4")]
        pub identifier: String,
        /// Field 5: `metadata` (JSON: the layer's class and config).
        #[prost(string, tag = "5")]
        pub metadata: String,
    }

    impl NodeDef {
        /// A node running `op`, without attributes (for building SavedModels in tests and
        /// fixture generators).
        pub fn new(name: &str, op: &str) -> Self {
            NodeDef {
                name: name.into(),
                op: op.into(),
                attr: BTreeMap::new(),
            }
        }

        /// A `StatefulPartitionedCall` node calling the library function `f`.
        pub fn call(name: &str, f: &str) -> Self {
            let mut n = NodeDef::new(name, "StatefulPartitionedCall");
            n.attr.insert(
                "f".into(),
                AttrValue {
                    func: Some(NameAttrList {
                        name: f.into(),
                        attr: BTreeMap::new(),
                    }),
                    ..AttrValue::default()
                },
            );
            n
        }
    }

    impl FunctionDef {
        /// A library function `name` with body `nodes`.
        pub fn new(name: &str, nodes: Vec<NodeDef>) -> Self {
            FunctionDef {
                signature: Some(OpDef { name: name.into() }),
                node_def: nodes,
            }
        }
    }
}

/// What a notable operation can do when the graph runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpClass {
    /// Calls a Python function of the loading process (`PyFunc` family).
    PythonCallback,
    /// Writes, moves or deletes files.
    FileWrite,
    /// Reads files or lists directories.
    FileRead,
    /// Connects to a network address.
    Network,
}

impl OpClass {
    /// Short description for evidence text.
    pub fn describe(self) -> &'static str {
        match self {
            OpClass::PythonCallback => "calls back into the loading Python process",
            OpClass::FileWrite => "writes files",
            OpClass::FileRead => "reads files or lists directories",
            OpClass::Network => "connects to a network address",
        }
    }
}

/// The notable operations, by class. The reason for each entry:
///
/// - **Python callbacks** — `PyFunc`, `PyFuncStateless`, `EagerPyFunc` (`tf.py_function`,
///   `tf.numpy_function`): the kernel calls a Python callable registered in the process
///   that runs the graph; a graph that names one hands control to Python code.
/// - **File writes** — `WriteFile` (`tf.io.write_file`, any path), `Save`, `SaveV2`,
///   `SaveSlices`, `MergeV2Checkpoints` (checkpoint writers; `MergeV2Checkpoints` also
///   deletes its source directories), `DatasetToTFRecord`/`ExperimentalDatasetToTFRecord`,
///   `SaveDataset`/`SaveDatasetV2` (`tf.data` writers), `CreateSummaryFileWriter` (event
///   files under any log directory).
/// - **File reads and listing** — `ReadFile` (`tf.io.read_file`), `MatchingFiles` and
///   `MatchingFilesDataset`/`ExperimentalMatchingFilesDataset` (glob any path),
///   `ImmutableConst` (memory-maps a file), `Restore`, `RestoreV2`, `RestoreSlice`,
///   `LoadAndRemapMatrix` (checkpoint readers), the `*Reader`/`*ReaderV2` queue readers
///   and the `TextLineDataset`/`TFRecordDataset`/`FixedLengthRecordDataset` sources,
///   `LoadDataset`. Not listed: `InitializeTableFromTextFile(V2)`, which every text model
///   uses to read the vocabulary it ships in `assets/`.
/// - **Network** — `DataServiceDataset` (V1–V4) and `RegisterDataset`(V2) (connect to a
///   `tf.data` service address given in the graph), the `tf.distribute.experimental.rpc`
///   kernels `RpcClient`, `RpcServer`, `RpcServerStart`, `RpcServerRegister`, `RpcCall`,
///   and the contrib `Rpc`/`TryRpc` kernels.
///
/// `Save*`/`Restore*`/`MergeV2Checkpoints` are what every SavedModel uses to write and
/// read its variables: [`SavedModelInfo::ops`] marks them `saver` when they sit in the
/// subgraph the `SaverDef` names (see [`parse_saved_model`]).
pub fn classify_op(op: &str) -> Option<OpClass> {
    use OpClass::*;
    Some(match op {
        "PyFunc" | "PyFuncStateless" | "EagerPyFunc" => PythonCallback,
        "WriteFile"
        | "Save"
        | "SaveV2"
        | "SaveSlices"
        | "MergeV2Checkpoints"
        | "DatasetToTFRecord"
        | "ExperimentalDatasetToTFRecord"
        | "SaveDataset"
        | "SaveDatasetV2"
        | "CreateSummaryFileWriter" => FileWrite,
        "ReadFile"
        | "MatchingFiles"
        | "MatchingFilesDataset"
        | "ExperimentalMatchingFilesDataset"
        | "ImmutableConst"
        | "Restore"
        | "RestoreV2"
        | "RestoreSlice"
        | "LoadAndRemapMatrix"
        | "WholeFileReader"
        | "WholeFileReaderV2"
        | "TextLineReader"
        | "TextLineReaderV2"
        | "FixedLengthRecordReader"
        | "FixedLengthRecordReaderV2"
        | "TFRecordReader"
        | "TFRecordReaderV2"
        | "TextLineDataset"
        | "TFRecordDataset"
        | "TFRecordDatasetV2"
        | "FixedLengthRecordDataset"
        | "FixedLengthRecordDatasetV2"
        | "LoadDataset" => FileRead,
        "DataServiceDataset"
        | "DataServiceDatasetV2"
        | "DataServiceDatasetV3"
        | "DataServiceDatasetV4"
        | "RegisterDataset"
        | "RegisterDatasetV2"
        | "RpcClient"
        | "RpcServer"
        | "RpcServerStart"
        | "RpcServerRegister"
        | "RpcCall"
        | "Rpc"
        | "TryRpc" => Network,
        _ => return None,
    })
}

/// Checkpoint kernels that every SavedModel's saver uses.
fn is_saver_kernel(op: &str) -> bool {
    matches!(
        op,
        "Save"
            | "SaveV2"
            | "SaveSlices"
            | "MergeV2Checkpoints"
            | "Restore"
            | "RestoreV2"
            | "RestoreSlice"
    )
}

/// Where a node sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The main graph of meta graph `n`.
    Graph(usize),
    /// A function of a function library.
    Function(String),
}

/// One notable operation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfOp {
    /// The kernel name (`WriteFile`).
    pub op: String,
    /// The node's name.
    pub node: String,
    /// Where the node sits.
    pub place: Place,
    /// What the kernel can do.
    pub class: OpClass,
    /// A checkpoint kernel inside the subgraph the `SaverDef` names (normal).
    pub saver: bool,
    /// Named by a `func` attribute rather than a node's `op` (a primitive op used as a
    /// function value).
    pub via_attr: bool,
}

/// What [`parse_saved_model`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedModelInfo {
    /// `saved_model_schema_version`.
    pub schema_version: i64,
    /// Number of meta graphs.
    pub meta_graphs: usize,
    /// Nodes decoded (main graphs and functions).
    pub nodes: usize,
    /// Functions decoded.
    pub functions: usize,
    /// Notable operations (at most [`MAX_OPS_KEPT`]).
    pub ops: Vec<TfOp>,
    /// Notable operations not kept beyond [`MAX_OPS_KEPT`].
    pub ops_dropped: usize,
    /// `PrintV2` nodes whose `output_stream` is a file (`file://…`): printing appends to
    /// that file.
    pub print_to_file: Vec<String>,
    /// Whether a `SaverDef` was read (without one, checkpoint kernels cannot be told
    /// apart from the saver's).
    pub saver_read: bool,
    /// Why decoding stopped early (a malformed or truncated message, or a bound); what was
    /// read before the error is reported above.
    pub error: Option<String>,
}

/// Per-node view kept while streaming: the node's notable ops and call edges.
#[derive(Debug, Default)]
struct Collector {
    nodes: usize,
    functions: usize,
    ops: Vec<TfOp>,
    ops_dropped: usize,
    print_to_file: Vec<String>,
    /// Function name → callees (func attribute names and op names).
    calls: BTreeMap<String, BTreeSet<String>>,
    /// Main-graph node name → callees, for nodes with `func` attributes (meta graph, name).
    graph_calls: BTreeMap<(usize, String), BTreeSet<String>>,
    /// The current meta graph.
    meta: usize,
    savers: Vec<(usize, proto::SaverDef)>,
    callee_count: usize,
    /// A message's declared length ran past the end of the input.
    truncated: bool,
    /// A bound that was reached: nodes after it are skipped (still decoded as wire data,
    /// so the pass stays linear, but not looked at).
    bound: Option<&'static str>,
}

impl Collector {
    fn keep(&mut self, op: TfOp) {
        if self.ops.len() < MAX_OPS_KEPT {
            self.ops.push(op);
        } else {
            self.ops_dropped += 1;
        }
    }

    /// Look at one node: record notable ops (also ones a `func` attribute names) and call
    /// edges. `place` is where the node sits.
    fn node(&mut self, n: &proto::NodeDef, place: &Place) -> Result<(), prost::DecodeError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.bound =
                Some("more nodes than the SavedModel node bound; the rest were not examined");
            return Ok(());
        }
        if let Some(class) = classify_op(&n.op) {
            self.keep(TfOp {
                op: n.op.clone(),
                node: n.name.clone(),
                place: place.clone(),
                class,
                saver: false,
                via_attr: false,
            });
        }
        if n.op == "PrintV2"
            && let Some(stream) = n.attr.get("output_stream")
            && stream.s.starts_with(b"file://")
            && self.print_to_file.len() < MAX_OPS_KEPT
        {
            self.print_to_file
                .push(String::from_utf8_lossy(&stream.s).into_owned());
        }
        let mut callees = BTreeSet::new();
        // Bounded: prost's recursion limit bounds the nesting, the input size the count.
        let mut stack: Vec<&proto::AttrValue> = n.attr.values().collect();
        while let Some(v) = stack.pop() {
            let funcs = v
                .func
                .iter()
                .chain(v.list.iter().flat_map(|l| l.func.iter()));
            for f in funcs {
                callees.insert(f.name.clone());
                stack.extend(f.attr.values());
            }
        }
        for c in &callees {
            if let Some(class) = classify_op(c) {
                self.keep(TfOp {
                    op: c.clone(),
                    node: n.name.clone(),
                    place: place.clone(),
                    class,
                    saver: false,
                    via_attr: true,
                });
            }
        }
        let key = match place {
            Place::Function(f) => {
                callees.insert(n.op.clone());
                Some(self.calls.entry(f.clone()).or_default())
            }
            Place::Graph(g) if !callees.is_empty() => {
                callees.insert(n.op.clone());
                Some(self.graph_calls.entry((*g, n.name.clone())).or_default())
            }
            Place::Graph(_) => None,
        };
        if let Some(set) = key {
            let before = set.len();
            set.extend(callees);
            self.callee_count += set.len() - before;
            if self.callee_count > MAX_CALLEES * 20 {
                self.bound =
                    Some("more call edges than the SavedModel bound; the rest were not examined");
            }
        }
        Ok(())
    }
}

/// Visitor for `SavedModel`.
#[derive(Debug, Default)]
struct SavedModelV {
    schema_version: i64,
    meta_graphs: usize,
    c: Collector,
}

/// Visitor for `MetaGraphDef` (borrows nothing: the collector is moved in and out).
#[derive(Debug, Default)]
struct MetaGraphV {
    c: Collector,
}

/// Visitor for `GraphDef`.
#[derive(Debug, Default)]
struct GraphV {
    c: Collector,
}

/// Visitor for `FunctionDefLibrary`.
#[derive(Debug, Default)]
struct LibraryV {
    c: Collector,
}

/// Visitor for `FunctionDef`: nodes are seen before or after the signature that names the
/// function, so they are collected under a placeholder and renamed at the end.
#[derive(Debug, Default)]
struct FunctionV {
    name: Option<String>,
    c: Collector,
}

/// Decode a length-delimited sub-message into a visitor; when its declared length runs
/// past the end of the input (a truncated file), decode the bytes that are there, so the
/// nodes before the cut are still looked at (the inner decode then fails where the data
/// stops, and that error is returned). The visitor levels are a fixed chain (SavedModel →
/// MetaGraphDef → GraphDef → FunctionDefLibrary → FunctionDef), so starting each with a
/// fresh recursion budget keeps depth bounded.
fn merge_salvage<M: Message>(
    wt: WireType,
    msg: &mut M,
    buf: &mut impl Buf,
    truncated: &mut bool,
) -> Result<(), prost::DecodeError> {
    prost::encoding::check_wire_type(WireType::LengthDelimited, wt)?;
    let len = prost::encoding::decode_varint(buf)?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > buf.remaining() {
        *truncated = true;
    }
    let take = len.min(buf.remaining());
    let mut sub = (&mut *buf).take(take);
    let r = msg.merge(&mut sub);
    let rest = sub.remaining();
    sub.advance(rest);
    r
}

/// Placeholder function name until the signature is read (not a valid TF op name).
const PENDING: &str = "\u{0}pending";

/// The methods a decode-only [`Message`] needs: encoding is never used (these visitors are
/// never encoded; they encode as empty).
macro_rules! decode_only {
    ($t:ty, |$s:ident, $tag:ident, $wt:ident, $buf:ident, $ctx:ident| $body:block) => {
        impl Message for $t {
            fn encode_raw(&self, _buf: &mut impl prost::bytes::BufMut) {}
            fn merge_field(
                &mut self,
                $tag: u32,
                $wt: WireType,
                $buf: &mut impl Buf,
                $ctx: DecodeContext,
            ) -> Result<(), prost::DecodeError> {
                let $s = self;
                $body
            }
            fn encoded_len(&self) -> usize {
                0
            }
            fn clear(&mut self) {
                *self = Self::default();
            }
        }
    };
}

decode_only!(SavedModelV, |s, tag, wt, buf, ctx| {
    match tag {
        1 => prost::encoding::int64::merge(wt, &mut s.schema_version, buf, ctx),
        2 => {
            let mut m = MetaGraphV {
                c: std::mem::take(&mut s.c),
            };
            m.c.meta = s.meta_graphs;
            s.meta_graphs += 1;
            let mut cut = false;
            let r = merge_salvage(wt, &mut m, buf, &mut cut);
            m.c.truncated |= cut;
            s.c = m.c;
            r
        }
        _ => prost::encoding::skip_field(wt, tag, buf, ctx),
    }
});

decode_only!(MetaGraphV, |s, tag, wt, buf, ctx| {
    match tag {
        2 => {
            let mut g = GraphV {
                c: std::mem::take(&mut s.c),
            };
            let mut cut = false;
            let r = merge_salvage(wt, &mut g, buf, &mut cut);
            g.c.truncated |= cut;
            s.c = g.c;
            r
        }
        3 => {
            let mut d = proto::SaverDef::default();
            prost::encoding::message::merge(wt, &mut d, buf, ctx)?;
            let meta = s.c.meta;
            s.c.savers.push((meta, d));
            Ok(())
        }
        _ => prost::encoding::skip_field(wt, tag, buf, ctx),
    }
});

decode_only!(GraphV, |s, tag, wt, buf, ctx| {
    match tag {
        1 if s.c.bound.is_some() => prost::encoding::skip_field(wt, tag, buf, ctx),
        1 => {
            let mut n = proto::NodeDef::default();
            prost::encoding::message::merge(wt, &mut n, buf, ctx)?;
            let place = Place::Graph(s.c.meta);
            s.c.node(&n, &place)
        }
        2 => {
            let mut l = LibraryV {
                c: std::mem::take(&mut s.c),
            };
            let mut cut = false;
            let r = merge_salvage(wt, &mut l, buf, &mut cut);
            l.c.truncated |= cut;
            s.c = l.c;
            r
        }
        _ => prost::encoding::skip_field(wt, tag, buf, ctx),
    }
});

decode_only!(LibraryV, |s, tag, wt, buf, ctx| {
    match tag {
        1 => {
            s.c.functions += 1;
            if s.c.functions > MAX_FUNCTIONS {
                s.c.bound =
                    Some("more functions than the SavedModel bound; the rest were not examined");
            }
            if s.c.bound.is_some() {
                return prost::encoding::skip_field(wt, tag, buf, ctx);
            }
            let mut f = FunctionV {
                name: None,
                c: std::mem::take(&mut s.c),
            };
            let first_op = f.c.ops.len();
            let mut cut = false;
            let r = merge_salvage(wt, &mut f, buf, &mut cut);
            f.c.truncated |= cut;
            // Name what was collected under the placeholder (also after an error).
            let name = f.name.unwrap_or_else(|| "(unnamed function)".to_owned());
            for op in f.c.ops.iter_mut().skip(first_op) {
                if op.place == Place::Function(PENDING.to_owned()) {
                    op.place = Place::Function(name.clone());
                }
            }
            if let Some(calls) = f.c.calls.remove(PENDING) {
                f.c.calls.entry(name).or_default().extend(calls);
            }
            s.c = f.c;
            r
        }
        _ => prost::encoding::skip_field(wt, tag, buf, ctx),
    }
});

decode_only!(FunctionV, |s, tag, wt, buf, ctx| {
    match tag {
        1 => {
            let mut sig = proto::OpDef::default();
            prost::encoding::message::merge(wt, &mut sig, buf, ctx)?;
            s.name = Some(sig.name);
            Ok(())
        }
        3 if s.c.bound.is_some() => prost::encoding::skip_field(wt, tag, buf, ctx),
        3 => {
            let mut n = proto::NodeDef::default();
            prost::encoding::message::merge(wt, &mut n, buf, ctx)?;
            s.c.node(&n, &Place::Function(PENDING.to_owned()))
        }
        _ => prost::encoding::skip_field(wt, tag, buf, ctx),
    }
});

/// Decode `saved_model.pb` and list its notable operations, in the main graphs and in
/// every function of the function libraries.
///
/// Checkpoint kernels (`SaveV2`, `RestoreV2`, `MergeV2Checkpoints`, …) are marked
/// [`TfOp::saver`] when they belong to the subgraph a meta graph's `SaverDef` names: in
/// TF1 graphs, nodes in the name scope of `restore_op_name` (`save/…`) or named by the
/// `SaverDef`; in TF2 graphs, the functions those nodes call through `func` attributes
/// (`StatefulPartitionedCall` → `__inference__traced_save_…`), followed transitively
/// through the call graph. Anywhere else a checkpoint kernel writes or reads a file the
/// model chose.
///
/// A malformed or truncated message is not an `Err`: decoding stops, what was read is
/// returned, and [`SavedModelInfo::error`] says why.
///
/// # Errors
/// [`FormatError::TooMany`] when `data` is larger than [`MAX_SAVED_MODEL_BYTES`].
pub fn parse_saved_model(data: &[u8]) -> Result<SavedModelInfo, FormatError> {
    if data.len() > MAX_SAVED_MODEL_BYTES {
        return Err(FormatError::TooMany {
            file: "SavedModel",
            what: "bytes",
            limit: MAX_SAVED_MODEL_BYTES,
        });
    }
    let mut v = SavedModelV::default();
    let decode_error = v.merge(data).err().map(|e| e.to_string());
    let SavedModelV {
        schema_version,
        meta_graphs,
        mut c,
    } = v;
    let error = decode_error
        .or_else(|| {
            c.truncated.then(|| {
                "truncated: a message's declared length runs past the end of the file".to_owned()
            })
        })
        .or_else(|| c.bound.map(str::to_owned));
    let saver_funcs: BTreeSet<String> =
        saver_functions(&c).into_iter().map(str::to_owned).collect();
    let mut ops = std::mem::take(&mut c.ops);
    for op in &mut ops {
        if !is_saver_kernel(&op.op) || op.via_attr {
            continue;
        }
        op.saver = match &op.place {
            Place::Function(f) => saver_funcs.contains(f.as_str()),
            Place::Graph(g) => c
                .savers
                .iter()
                .any(|(m, s)| m == g && in_saver_scope(s, &op.node)),
        };
    }
    Ok(SavedModelInfo {
        schema_version,
        meta_graphs,
        nodes: c.nodes,
        functions: c.functions,
        ops,
        ops_dropped: c.ops_dropped,
        print_to_file: c.print_to_file,
        saver_read: !c.savers.is_empty(),
        error,
    })
}

/// The node part of a tensor name (`save/Const:0` → `save/Const`).
fn node_of(tensor: &str) -> &str {
    tensor.split(':').next().unwrap_or(tensor)
}

/// A TF1 saver node: named by the `SaverDef`, or inside the name scope of its restore op.
fn in_saver_scope(s: &proto::SaverDef, node: &str) -> bool {
    let named = [
        node_of(&s.filename_tensor_name),
        node_of(&s.save_tensor_name),
        node_of(&s.restore_op_name),
    ];
    if named.iter().any(|n| !n.is_empty() && *n == node) {
        return true;
    }
    match s.restore_op_name.rsplit_once('/') {
        Some((scope, _)) if !scope.is_empty() => node
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/')),
        _ => false,
    }
}

/// Functions reachable from the nodes a `SaverDef` names (TF2 savers call
/// `__inference__traced_save_N` / `__inference__traced_restore_N` through
/// `StatefulPartitionedCall`).
fn saver_functions(c: &Collector) -> BTreeSet<&str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = Vec::new();
    for (meta, s) in &c.savers {
        for n in [node_of(&s.save_tensor_name), node_of(&s.restore_op_name)] {
            if let Some(callees) = c.graph_calls.get(&(*meta, n.to_owned())) {
                todo.extend(callees.iter().map(String::as_str));
            }
        }
    }
    // Bounded: each function is expanded once.
    while let Some(f) = todo.pop() {
        if !c.calls.contains_key(f) || !seen.insert(f) {
            continue;
        }
        if let Some(callees) = c.calls.get(f) {
            todo.extend(callees.iter().map(String::as_str));
        }
    }
    seen
}

/// One Keras object of `keras_metadata.pb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KerasObject {
    /// `node_path` (`root.layer-1`).
    pub path: String,
    /// `identifier` (`_tf_keras_layer`).
    pub identifier: String,
    /// The JSON metadata (class name and config).
    pub metadata: String,
}

/// Most Keras objects read from `keras_metadata.pb`.
pub const MAX_KERAS_OBJECTS: usize = 1_000_000;

/// Decode `keras_metadata.pb` (Keras `SavedMetadata`): the metadata JSON of every Keras
/// object of a Keras SavedModel, which `keras.models.load_model` uses to rebuild layers —
/// including `Lambda` layers' serialized Python bytecode.
///
/// # Errors
/// [`FormatError::Invalid`] when the bytes are not a decodable `SavedMetadata`;
/// [`FormatError::TooMany`] over [`MAX_SAVED_MODEL_BYTES`] or [`MAX_KERAS_OBJECTS`].
pub fn parse_keras_metadata(data: &[u8]) -> Result<Vec<KerasObject>, FormatError> {
    if data.len() > MAX_SAVED_MODEL_BYTES {
        return Err(FormatError::TooMany {
            file: "keras_metadata.pb",
            what: "bytes",
            limit: MAX_SAVED_MODEL_BYTES,
        });
    }
    let m = proto::SavedMetadata::decode(data).map_err(|e| FormatError::Invalid {
        file: "keras_metadata.pb",
        message: format!("not a decodable SavedMetadata: {e}"),
    })?;
    if m.nodes.len() > MAX_KERAS_OBJECTS {
        return Err(FormatError::TooMany {
            file: "keras_metadata.pb",
            what: "objects",
            limit: MAX_KERAS_OBJECTS,
        });
    }
    Ok(m.nodes
        .into_iter()
        .map(|o| KerasObject {
            path: o.node_path,
            identifier: o.identifier,
            metadata: o.metadata,
        })
        .collect())
}

/// `fingerprint.pb` (`core/protobuf/fingerprint.proto`, `FingerprintDef`): five `uint64`
/// hashes and a `VersionDef`. Nothing in it runs; it is decoded only to tell a damaged file.
#[derive(Clone, PartialEq, Message)]
struct FingerprintDef {
    #[prost(uint64, tag = "1")]
    saved_model_checksum: u64,
    #[prost(uint64, tag = "2")]
    graph_def_program_hash: u64,
}

/// Whether `fingerprint.pb` decodes as a `FingerprintDef`.
///
/// # Errors
/// [`FormatError::Invalid`] when it does not.
pub fn check_fingerprint(data: &[u8]) -> Result<(), FormatError> {
    FingerprintDef::decode(data)
        .map(|_| ())
        .map_err(|e| FormatError::Invalid {
            file: "fingerprint.pb",
            message: format!("not a decodable FingerprintDef: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::proto::*;
    use super::*;

    /// A TF2-shaped SavedModel: math in the serving function, the saver calling
    /// `__inference__traced_save_1` / `_restore_2`, plus `extra` functions.
    pub(crate) fn tf2_model(extra: Vec<FunctionDef>) -> Vec<u8> {
        let mut functions = vec![
            FunctionDef::new(
                "__inference_serving_10",
                vec![
                    NodeDef::new("MatMul", "MatMul"),
                    NodeDef::new("Relu", "Relu"),
                ],
            ),
            FunctionDef::new(
                "__inference__traced_save_1",
                vec![
                    NodeDef::new("ShardedFilename", "ShardedFilename"),
                    NodeDef::new("SaveV2", "SaveV2"),
                    NodeDef::new("MergeV2Checkpoints", "MergeV2Checkpoints"),
                ],
            ),
            FunctionDef::new(
                "__inference__traced_restore_2",
                vec![
                    NodeDef::new("RestoreV2", "RestoreV2"),
                    NodeDef::new("Identity", "Identity"),
                ],
            ),
        ];
        functions.extend(extra);
        SavedModel {
            saved_model_schema_version: 1,
            meta_graphs: vec![MetaGraphDef {
                graph_def: Some(GraphDef {
                    node: vec![
                        NodeDef::new("saver_filename", "Placeholder"),
                        NodeDef::call("StatefulPartitionedCall", "__inference_serving_10"),
                        NodeDef::call("StatefulPartitionedCall_1", "__inference__traced_save_1"),
                        NodeDef::call("StatefulPartitionedCall_2", "__inference__traced_restore_2"),
                    ],
                    library: Some(FunctionDefLibrary {
                        function: functions,
                    }),
                }),
                saver_def: Some(SaverDef {
                    filename_tensor_name: "saver_filename:0".into(),
                    save_tensor_name: "StatefulPartitionedCall_1:0".into(),
                    restore_op_name: "StatefulPartitionedCall_2".into(),
                }),
            }],
        }
        .encode_to_vec()
    }

    fn unexpected(info: &SavedModelInfo) -> Vec<&str> {
        info.ops
            .iter()
            .filter(|o| !o.saver)
            .map(|o| o.op.as_str())
            .collect()
    }

    #[test]
    fn benign_tf2_model_has_only_saver_ops() {
        let info = parse_saved_model(&tf2_model(vec![])).unwrap();
        assert_eq!(info.error, None);
        assert_eq!(info.functions, 3);
        assert_eq!(info.ops.len(), 3, "{info:?}");
        assert!(unexpected(&info).is_empty(), "{info:?}");
    }

    #[test]
    fn file_ops_hidden_in_a_library_function_are_found() {
        let evil = FunctionDef::new(
            "__inference_helper_99",
            vec![
                NodeDef::new("r", "ReadFile"),
                NodeDef::new("w", "WriteFile"),
            ],
        );
        let info = parse_saved_model(&tf2_model(vec![evil])).unwrap();
        assert_eq!(unexpected(&info), ["ReadFile", "WriteFile"]);
        let w = info.ops.iter().find(|o| o.op == "WriteFile").unwrap();
        assert_eq!(w.place, Place::Function("__inference_helper_99".into()));
        assert_eq!(w.class, OpClass::FileWrite);
    }

    #[test]
    fn save_outside_the_saver_is_not_normal() {
        let evil = FunctionDef::new("__inference_other_5", vec![NodeDef::new("s", "SaveV2")]);
        let info = parse_saved_model(&tf2_model(vec![evil])).unwrap();
        assert_eq!(unexpected(&info), ["SaveV2"]);
    }

    #[test]
    fn tf1_saver_scope_and_py_func_in_main_graph() {
        let m = SavedModel {
            saved_model_schema_version: 1,
            meta_graphs: vec![MetaGraphDef {
                graph_def: Some(GraphDef {
                    node: vec![
                        NodeDef::new("save/SaveV2", "SaveV2"),
                        NodeDef::new("save/RestoreV2", "RestoreV2"),
                        NodeDef::new("saveX/RestoreV2", "RestoreV2"),
                        NodeDef::new("callback", "PyFunc"),
                    ],
                    library: None,
                }),
                saver_def: Some(SaverDef {
                    filename_tensor_name: "save/Const:0".into(),
                    save_tensor_name: "save/control_dependency:0".into(),
                    restore_op_name: "save/restore_all".into(),
                }),
            }],
        };
        let info = parse_saved_model(&m.encode_to_vec()).unwrap();
        assert_eq!(unexpected(&info), ["RestoreV2", "PyFunc"]);
    }

    #[test]
    fn func_attr_naming_a_primitive_op_is_found() {
        let mut n = NodeDef::call("m", "MatchingFiles");
        n.op = "MapDataset".into();
        let m = SavedModel {
            saved_model_schema_version: 1,
            meta_graphs: vec![MetaGraphDef {
                graph_def: Some(GraphDef {
                    node: vec![n],
                    library: None,
                }),
                saver_def: None,
            }],
        };
        let info = parse_saved_model(&m.encode_to_vec()).unwrap();
        assert_eq!(unexpected(&info), ["MatchingFiles"]);
        assert!(info.ops[0].via_attr);
    }

    #[test]
    fn truncated_model_reports_what_came_before() {
        let evil = FunctionDef::new(
            "__inference_helper_99",
            vec![NodeDef::new("w", "WriteFile")],
        );
        let mut bytes = tf2_model(vec![evil]);
        bytes.extend_from_slice(b"\x12\xff\xff\x03garbage");
        let info = parse_saved_model(&bytes).unwrap();
        assert!(info.error.is_some());
        assert!(unexpected(&info).contains(&"WriteFile"), "{info:?}");
    }

    #[test]
    fn cut_model_is_judged_on_the_nodes_before_the_cut() {
        let evil = FunctionDef::new(
            "__inference_helper_99",
            vec![NodeDef::new("w", "WriteFile")],
        );
        let bytes = tf2_model(vec![evil]);
        // Cut inside the last function (the evil one is last): every enclosing message's
        // length now runs past the end.
        let info = parse_saved_model(&bytes[..bytes.len() - 2]).unwrap();
        assert!(info.error.is_some(), "{info:?}");
        assert!(info.nodes > 5, "{info:?}");
        assert!(unexpected(&info).contains(&"WriteFile"), "{info:?}");
    }

    #[test]
    fn keras_metadata_is_read() {
        let m = SavedMetadata {
            nodes: vec![SavedObject {
                node_path: "root.layer-1".into(),
                identifier: "_tf_keras_layer".into(),
                metadata: r#"{"class_name": "Lambda"}"#.into(),
            }],
        };
        let objs = parse_keras_metadata(&m.encode_to_vec()).unwrap();
        assert_eq!(objs.len(), 1);
        assert!(objs[0].metadata.contains("Lambda"));
        assert!(parse_keras_metadata(b"\x0a\xff\xff").is_err());
        assert!(check_fingerprint(&[0x08, 0x01, 0x10, 0x02]).is_ok());
        assert!(check_fingerprint(b"\x0a\xff\xff").is_err());
    }

    #[test]
    fn node_bound_stops_decoding() {
        // 2 bytes per empty node: MAX_NODES + 1 of them inside one GraphDef.
        let mut graph = Vec::new();
        for _ in 0..=MAX_NODES {
            graph.extend_from_slice(&[0x0a, 0x00]);
        }
        let mut meta = vec![0x12];
        prost::encoding::encode_varint(graph.len() as u64, &mut meta);
        meta.extend(graph);
        let mut sm = vec![0x12];
        prost::encoding::encode_varint(meta.len() as u64, &mut sm);
        sm.extend(meta);
        let info = parse_saved_model(&sm).unwrap();
        assert!(info.error.unwrap().contains("node bound"));
        assert_eq!(info.nodes, MAX_NODES + 1);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..800)) {
            let _ = parse_saved_model(&data);
            let _ = parse_keras_metadata(&data);
        }
    }

    /// Fuzz smoke test on stable (the libFuzzer target is `fuzz/fuzz_targets/saved_model.rs`,
    /// which needs nightly + cargo-fuzz): 5,000 deterministic mutations of a valid TF2
    /// SavedModel (bytes flipped, inserted, deleted, the file cut) must decode or fail
    /// without a panic, and a cut file never reads as a whole model.
    #[test]
    fn mutated_saved_models_never_panic() {
        let evil = FunctionDef::new(
            "__inference_helper_99",
            vec![NodeDef::new("w", "WriteFile")],
        );
        let seed = tf2_model(vec![evil]);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5_000 {
            let mut b = seed.clone();
            for _ in 0..(next() % 6 + 1) {
                let at = (next() as usize) % (b.len() + 1);
                match next() % 4 {
                    0 if at < b.len() => b[at] ^= 1 << (next() % 8),
                    1 => b.insert(at, next() as u8),
                    2 if at < b.len() => {
                        b.remove(at);
                    }
                    _ => b.truncate(at),
                }
            }
            let _ = parse_saved_model(&b);
            let _ = parse_keras_metadata(&b);
            let _ = check_fingerprint(&b);
        }
        // Protobuf has no end marker: a cut is seen either as a length running past the end
        // or, at the top-level field boundary, as a SavedModel without a meta graph (ML013
        // reports both).
        for cut in 1..seed.len() {
            let info = parse_saved_model(&seed[..cut]).unwrap();
            assert!(
                info.error.is_some() || info.meta_graphs == 0,
                "cut at {cut} read as whole: {info:?}"
            );
        }
    }
}
