//! ML013 saved-model-system-op.

use crate::context::Cx;
use assay_core::{FileKind, Finding, Location, Severity};
use assay_formats::saved_model::{OpClass, Place, check_fingerprint, parse_saved_model};

declare_rule! {
    /// ## What it does
    /// Decodes a TensorFlow SavedModel's `saved_model.pb` — every meta graph's main graph
    /// **and** every function of its function library — and flags operations that reach
    /// outside the tensor computation: Python callbacks (`PyFunc`, `PyFuncStateless`,
    /// `EagerPyFunc`), file writes (`WriteFile`, `tf.data` and summary writers, checkpoint
    /// writers outside the saver, `PrintV2` to a `file://` stream) and network kernels
    /// (`tf.data` service, RPC) — critical; file reads and directory listing (`ReadFile`,
    /// `MatchingFiles`, `ImmutableConst`, record readers, checkpoint readers outside the
    /// saver) — high. The list and the reason for each entry are in
    /// `assay_formats::saved_model::classify_op`. Also kernels named as a function value
    /// (a `func` attribute).
    ///
    /// `SaveV2`/`RestoreV2`/`MergeV2Checkpoints` in the subgraph the `SaverDef` names — the
    /// `save/` scope of TF1 graphs, the `__inference__traced_save`/`_restore` functions TF2
    /// calls through `StatefulPartitionedCall` — are how every SavedModel writes and reads
    /// its variables, and are not reported.
    ///
    /// A `saved_model.pb` that does not decode is high (judged on what was read before the
    /// error); one larger than the read bound is medium (the rest was not examined); a
    /// damaged `fingerprint.pb` is low. Keras metadata (`keras_metadata.pb`) is read by
    /// ML009.
    ///
    /// TensorFlow Lite models (`.tflite`, by their `TFL3` identifier): custom operators
    /// named `Flex<Op>` are TensorFlow kernels run by the Flex delegate, judged like graph
    /// nodes (`FlexWriteFile` is critical). Other custom operators need the application to
    /// link their native implementation and are not reported; an unreadable `.tflite` is
    /// low.
    ///
    /// ## Why it matters
    /// Loading a SavedModel (`tf.saved_model.load`, TF Serving, `keras.models.load_model`)
    /// builds its graphs, and calling the model — or restoring its variables, which runs
    /// the restore function on load — runs their kernels. A `ReadFile` of `~/.ssh/id_rsa`
    /// feeding an output, or a `WriteFile` into a startup file, hidden in a function that a
    /// serving signature calls, is code running with the loader's rights. TF2 puts every
    /// traced function in the library, so a check of the main graph alone sees only calls.
    ///
    /// ## Example
    /// A function `__inference_helper_99` in the library whose body holds
    /// `ReadFile` and `WriteFile` nodes, called from the serving function.
    ///
    /// ## False positives
    /// Input pipelines exported inside the model (`TFRecordDataset` over a path given at
    /// serving time), preprocessing signatures that read an image file by path
    /// (`tf.io.read_file`). Vocabulary files read by `InitializeTableFromTextFile` from the
    /// model's `assets/` are not flagged.
    ///
    /// ## References
    /// - `tensorflow/core/protobuf/saved_model.proto`, `meta_graph.proto`, `saver.proto`
    /// - `tensorflow/core/framework/graph.proto`, `function.proto`, `node_def.proto`
    /// - TensorFlow security guide, "Using TensorFlow securely" (models are programs)
    /// - CWE-829
    pub static META = SavedModelSystemOp;
}

/// Most findings about operations per file (the count beyond is one more finding).
const MAX_REPORTED: usize = 50;

fn place(p: &Place) -> String {
    match p {
        Place::Graph(0) => "the main graph".to_owned(),
        Place::Graph(n) => format!("the main graph of meta graph {n}"),
        Place::Function(f) => format!("library function `{f}`"),
    }
}

fn is_checkpoint_kernel(op: &str) -> bool {
    matches!(
        op,
        "SaveV2"
            | "Save"
            | "SaveSlices"
            | "RestoreV2"
            | "Restore"
            | "RestoreSlice"
            | "MergeV2Checkpoints"
    )
}

/// Severity of a notable operation.
fn severity_of(class: OpClass) -> Severity {
    match class {
        OpClass::FileRead => Severity::High,
        OpClass::PythonCallback | OpClass::FileWrite | OpClass::Network => Severity::Critical,
    }
}

/// TFLite: Flex custom operators run TensorFlow kernels.
fn check_tflite(cx: &Cx, e: &assay_core::Entry, out: &mut Vec<Finding>) {
    let emit = |out: &mut Vec<Finding>, sev: Severity, why: String| {
        let mut f = cx.finding(&META, Location::file(e.path.clone()), why);
        f.severity = sev;
        super::push(cx, out, f);
    };
    match assay_formats::tflite::parse_tflite_ops(&e.data) {
        Ok(ops) => {
            let mut seen: Vec<&str> = Vec::new();
            for op in ops.iter().filter_map(|o| o.custom.as_deref()) {
                let Some(tf) = op.strip_prefix("Flex") else {
                    continue;
                };
                let Some(class) = assay_formats::saved_model::classify_op(tf) else {
                    continue;
                };
                if seen.contains(&op) || seen.len() >= MAX_REPORTED {
                    continue;
                }
                seen.push(op);
                emit(
                    out,
                    severity_of(class),
                    format!(
                        "TFLite Flex operator `{op}` runs the TensorFlow kernel `{tf}`: {}",
                        class.describe()
                    ),
                );
            }
        }
        Err(err) if e.complete => emit(
            out,
            Severity::Low,
            format!("not a readable TFLite model: {err}"),
        ),
        Err(_) => {}
    }
}

/// Raise ML013.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::TfLite)
    {
        check_tflite(cx, e, out);
    }
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::TfSavedModel)
    {
        let emit = |out: &mut Vec<Finding>, sev: Severity, why: String| {
            let mut f = cx.finding(&META, Location::file(e.path.clone()), why);
            f.severity = sev;
            super::push(cx, out, f);
        };
        let cut = (!e.complete).then(|| {
            format!(
                "only the first {} of {} bytes were read; operations after that were not examined",
                e.data.len(),
                e.size
            )
        });
        match e.file_name() {
            "fingerprint.pb" => {
                if e.complete
                    && let Err(err) = check_fingerprint(&e.data)
                {
                    emit(out, Severity::Low, format!("damaged fingerprint: {err}"));
                }
                continue;
            }
            "saved_model.pb" => {}
            _ => continue, // keras_metadata.pb: ML009
        }
        let info = match parse_saved_model(&e.data) {
            Ok(i) => i,
            Err(err) => {
                emit(out, Severity::Medium, format!("not examined: {err}"));
                continue;
            }
        };
        if let Some(c) = &cut {
            emit(
                out,
                Severity::Medium,
                format!("SavedModel larger than the read bound: {c}"),
            );
        } else if let Some(err) = &info.error {
            emit(
                out,
                Severity::High,
                format!(
                    "not a decodable SavedModel ({err}); TensorFlow refuses it or reads it differently — judged on the {} nodes and {} functions read before the error",
                    info.nodes, info.functions
                ),
            );
        } else if info.meta_graphs == 0 {
            emit(
                out,
                Severity::Medium,
                "a `saved_model.pb` with no meta graph: not a SavedModel TensorFlow loads"
                    .to_owned(),
            );
        }
        // A damaged file whose `SaverDef` was not reached: checkpoint kernels cannot be
        // told from the saver's, so they are counted in the damage finding, not each
        // reported as abnormal.
        let unjudged_saver = info.error.is_some() && !info.saver_read;
        let mut reported = 0usize;
        let mut extra = 0usize;
        let mut extra_sev = Severity::High;
        for op in info
            .ops
            .iter()
            .filter(|o| !(o.saver || (unjudged_saver && is_checkpoint_kernel(&o.op))))
        {
            let sev = severity_of(op.class);
            if reported >= MAX_REPORTED {
                extra += 1;
                extra_sev = extra_sev.max(sev);
                continue;
            }
            reported += 1;
            let how = if op.via_attr {
                format!("named as a function value by node `{}`", op.node)
            } else {
                format!("node `{}`", op.node)
            };
            let saver_note = if is_checkpoint_kernel(&op.op) {
                " — a checkpoint kernel outside the subgraph the SaverDef names"
            } else {
                ""
            };
            emit(
                out,
                sev,
                format!(
                    "`{}` ({how}) in {}: {}{saver_note}",
                    op.op,
                    place(&op.place),
                    op.class.describe()
                ),
            );
        }
        if info.ops_dropped > 0 {
            // Not kept, so not classified: the worst case.
            extra += info.ops_dropped;
            extra_sev = Severity::Critical;
        }
        for stream in info.print_to_file.iter().take(5) {
            emit(
                out,
                Severity::Critical,
                format!(
                    "`PrintV2` writes to `{stream}`: printing appends to a file the model chose"
                ),
            );
        }
        if extra > 0 {
            emit(
                out,
                extra_sev,
                format!("{extra} more file, network or Python-callback operations not listed"),
            );
        }
    }
}
