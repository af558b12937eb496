//! `cargo dev generate-savedmodel-fixtures`: writes the TensorFlow SavedModel fixtures of
//! `assay_rules` (`ML013`, and `ML009` for `keras_metadata.pb`) by encoding the prost
//! structs of `assay_formats::saved_model::proto` — no TensorFlow needed. The graphs have
//! the shape TensorFlow 2 writes: a main graph of `StatefulPartitionedCall` nodes, the real
//! work in library functions, and a `SaverDef` naming the save and restore calls, whose
//! functions hold `SaveV2`/`RestoreV2`/`MergeV2Checkpoints` (every real SavedModel has them).
//! Nothing here is runnable: file names are under `example.invalid`-style placeholders and
//! the graphs have no inputs that would make them do anything if they were loaded.
//!
//! - `ML013/file_ops_in_library_function/`: `ReadFile` + `WriteFile` in a helper function
//!   the serving function calls (the issue-22 case);
//! - `ML013/py_func_in_main_graph/`: a TF1 graph with a `PyFunc` node beside its `save/`
//!   scope;
//! - `ML013/truncated_saved_model/`: the first fixture cut short just after its `WriteFile`;
//! - `ML013/benign/math_with_saver/`, `ML013/benign/tf1_saver_scope/`: only math, constants
//!   and the standard saver;
//! - `ML013/flex_write_file.tflite`, `ML013/benign/detection_postprocess.tflite`: TFLite
//!   models whose custom operator is `FlexWriteFile`, or only `TFLite_Detection_PostProcess`;
//! - `ML009/keras_metadata_lambda/`, `ML009/benign/keras_metadata_dense/`: a Keras
//!   SavedModel whose `keras_metadata.pb` names a `Lambda` layer, or only `Dense`.
//!
//! Output is deterministic, so re-running it leaves the tree unchanged.

use anyhow::{Context, Result};
use assay_formats::saved_model::proto::{
    FunctionDef, FunctionDefLibrary, GraphDef, MetaGraphDef, NodeDef, SavedMetadata, SavedModel,
    SavedObject, SaverDef,
};
use prost::Message;
use std::path::Path;

/// A TF2-shaped SavedModel; `serving` is the body of the serving function, `extra` more
/// library functions.
fn tf2_model(serving: Vec<NodeDef>, extra: Vec<FunctionDef>) -> Vec<u8> {
    let mut functions = vec![
        FunctionDef::new("__inference_serving_default_10", serving),
        FunctionDef::new(
            "__inference__traced_save_20",
            vec![
                NodeDef::new("StaticRegexFullMatch", "StaticRegexFullMatch"),
                NodeDef::new("StringJoin", "StringJoin"),
                NodeDef::new("ShardedFilename", "ShardedFilename"),
                NodeDef::new("SaveV2", "SaveV2"),
                NodeDef::new("MergeV2Checkpoints", "MergeV2Checkpoints"),
                NodeDef::new("Identity", "Identity"),
            ],
        ),
        FunctionDef::new(
            "__inference__traced_restore_30",
            vec![
                NodeDef::new("RestoreV2", "RestoreV2"),
                NodeDef::new("AssignVariableOp", "AssignVariableOp"),
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
                    NodeDef::new("serving_default_x", "Placeholder"),
                    NodeDef::new("dense/kernel", "VarHandleOp"),
                    NodeDef::call("StatefulPartitionedCall", "__inference_serving_default_10"),
                    NodeDef::new("saver_filename", "Placeholder"),
                    NodeDef::call("StatefulPartitionedCall_1", "__inference__traced_save_20"),
                    NodeDef::call(
                        "StatefulPartitionedCall_2",
                        "__inference__traced_restore_30",
                    ),
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

fn math() -> Vec<NodeDef> {
    vec![
        NodeDef::new("x", "Identity"),
        NodeDef::new("MatMul/ReadVariableOp", "ReadVariableOp"),
        NodeDef::new("MatMul", "MatMul"),
        NodeDef::new("BiasAdd", "BiasAdd"),
        NodeDef::new("Relu", "Relu"),
        NodeDef::new("Const", "Const"),
    ]
}

fn tf1_model(extra: Vec<NodeDef>) -> Vec<u8> {
    let mut nodes = vec![
        NodeDef::new("x", "Placeholder"),
        NodeDef::new("w", "VariableV2"),
        NodeDef::new("MatMul", "MatMul"),
        NodeDef::new("save/Const", "Const"),
        NodeDef::new("save/SaveV2", "SaveV2"),
        NodeDef::new("save/control_dependency", "Identity"),
        NodeDef::new("save/RestoreV2", "RestoreV2"),
        NodeDef::new("save/Assign", "Assign"),
        NodeDef::new("save/restore_all", "NoOp"),
    ];
    nodes.extend(extra);
    SavedModel {
        saved_model_schema_version: 1,
        meta_graphs: vec![MetaGraphDef {
            graph_def: Some(GraphDef {
                node: nodes,
                library: None,
            }),
            saver_def: Some(SaverDef {
                filename_tensor_name: "save/Const:0".into(),
                save_tensor_name: "save/control_dependency:0".into(),
                restore_op_name: "save/restore_all".into(),
            }),
        }],
    }
    .encode_to_vec()
}

fn keras_metadata(classes: &[&str]) -> Vec<u8> {
    SavedMetadata {
        nodes: classes
            .iter()
            .enumerate()
            .map(|(i, c)| SavedObject {
                node_path: format!("root.layer-{i}"),
                identifier: "_tf_keras_layer".into(),
                metadata: format!(
                    r#"{{"name": "layer_{i}", "class_name": "{c}", "config": {{"name": "layer_{i}"}}}}"#
                ),
            })
            .collect(),
    }
    .encode_to_vec()
}

/// `FingerprintDef` with two hashes (fields 1 and 2, varints).
const FINGERPRINT: &[u8] = &[0x08, 0x96, 0x01, 0x10, 0x2a];

/// Write the fixtures under `crates/assay_rules/fixtures`; `Ok(true)` when done.
pub(crate) fn run() -> Result<bool> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay_rules/fixtures");
    let write = |rel: &str, data: &[u8]| -> Result<()> {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            fs_err::create_dir_all(d)?;
        }
        fs_err::write(&p, data).context(rel.to_owned())
    };
    let mut serving = math();
    serving.push(NodeDef::call("helper", "__inference_helper_99"));
    let evil = tf2_model(
        serving,
        vec![FunctionDef::new(
            "__inference_helper_99",
            vec![
                NodeDef::new("path", "Const"),
                NodeDef::new("ReadFile", "ReadFile"),
                NodeDef::new("WriteFile", "WriteFile"),
                NodeDef::new("Identity", "Identity"),
            ],
        )],
    );
    let dir = "ML013/file_ops_in_library_function";
    write(&format!("{dir}/saved_model.pb"), &evil)?;
    write(&format!("{dir}/fingerprint.pb"), FINGERPRINT)?;
    write(&format!("{dir}/variables/variables.index"), b"\0\0\0\0")?;
    // Cut just after the `WriteFile` node, before the `SaverDef`: every enclosing
    // message's length runs past the end.
    let cut = evil
        .windows(9)
        .rposition(|w| w == b"WriteFile")
        .map_or(evil.len() / 2, |at| at + 9);
    write(
        "ML013/truncated_saved_model/saved_model.pb",
        evil.get(..cut).unwrap_or_default(),
    )?;
    write(
        "ML013/py_func_in_main_graph/saved_model.pb",
        &tf1_model(vec![NodeDef::new("callback", "PyFunc")]),
    )?;
    let dir = "ML013/benign/math_with_saver";
    write(&format!("{dir}/saved_model.pb"), &tf2_model(math(), vec![]))?;
    write(&format!("{dir}/fingerprint.pb"), FINGERPRINT)?;
    write(&format!("{dir}/variables/variables.index"), b"\0\0\0\0")?;
    write(
        "ML013/benign/tf1_saver_scope/saved_model.pb",
        &tf1_model(vec![]),
    )?;
    for (dir, classes) in [
        (
            "ML009/keras_metadata_lambda",
            &["InputLayer", "Dense", "Lambda"][..],
        ),
        (
            "ML009/benign/keras_metadata_dense",
            &["InputLayer", "Dense", "Dense"][..],
        ),
    ] {
        write(&format!("{dir}/saved_model.pb"), &tf2_model(math(), vec![]))?;
        write(
            &format!("{dir}/keras_metadata.pb"),
            &keras_metadata(classes),
        )?;
    }
    // TFLite: a Flex operator running `WriteFile`, and a model whose only custom operator
    // is the standard detection post-processing kernel.
    write(
        "ML013/flex_write_file.tflite",
        &assay_formats::tflite::build_tflite_with_custom_ops(&["FlexWriteFile"]),
    )?;
    write(
        "ML013/benign/detection_postprocess.tflite",
        &assay_formats::tflite::build_tflite_with_custom_ops(&["TFLite_Detection_PostProcess"]),
    )?;
    println!("wrote SavedModel fixtures under {}", root.display());
    Ok(true)
}
