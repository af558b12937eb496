//! Pure, bounded parsers for Python packaging metadata.
//!
//! Every parser takes the bytes of one file (`&[u8]`) and returns a model or a
//! [`FormatError`]. None does I/O, none panics on any input (each has a proptest and a
//! fuzz target in `fuzz/fuzz_targets/`), and every loop over input is bounded by a
//! documented limit; going over a limit is an error, never a silent truncation, so that a
//! caller can turn it into a finding and fail closed.
//!
//! Problems that leave the rest of the file usable (a malformed RECORD row, a header
//! line without a colon) are reported inside the model (`malformed_rows`, `defects`)
//! rather than as an error: the rules decide what they mean.
//!
//! | module | file | spec |
//! |---|---|---|
//! | [`record`] | `*.dist-info/RECORD` | PEP 376, PEP 627, binary distribution format |
//! | [`metadata`] | `METADATA`, `PKG-INFO` | core metadata spec (RFC 822 style headers) |
//! | [`build_system`] | `pyproject.toml` `[build-system]` | PEP 517, PEP 518 |
//! | [`entry_points`] | `entry_points.txt`, `pyproject.toml` scripts | entry points spec, PEP 621 |
//! | [`wheel`] | `*.dist-info/WHEEL`, wheel file names | PEP 427, platform compatibility tags |
//! | [`pth`] | `*.pth` | the `site` module's `addpackage` |
//! | [`pickle`] | pickle streams (protocols 0–5), PyTorch/joblib/NumPy payloads | CPython `pickletools`, PEP 307, PEP 3154, PEP 574 |
//! | [`safetensors`] | `*.safetensors` header | huggingface/safetensors format |
//! | [`gguf`] | `*.gguf` header and metadata | ggml `docs/gguf.md` (v2, v3) |
//! | [`keras_h5`] | Keras `.h5` `model_config` attribute | HDF5 File Format Specification 3.0 |
//! | [`onnx`] | ONNX `ModelProto` (opsets, nodes, external data) | `onnx/onnx.proto` |
//! | [`saved_model`] | TensorFlow `saved_model.pb` (graph and function-library ops), `keras_metadata.pb`, `fingerprint.pb` | `tensorflow/core/protobuf/saved_model.proto`, `meta_graph.proto`, `framework/graph.proto`, `function.proto`, `node_def.proto` |
//! | [`tflite`] | TensorFlow Lite `.tflite` operator codes (custom and Flex operators) | `tensorflow/compiler/mlir/lite/schema/schema.fbs` |
//! | [`top_level`] | `top_level.txt` | setuptools/egg-info convention |
//! | [`package_json`] | npm `package.json` (scripts, bin, dependencies) | npm docs: package.json, scripts |
#![cfg_attr(
    not(test),
    warn(clippy::indexing_slicing, clippy::expect_used, clippy::panic)
)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod build_system;
pub mod entry_points;
mod error;
pub mod gguf;
mod hdf5_attrs;
pub mod keras_h5;
mod lines;
pub mod metadata;
pub mod onnx;
pub mod package_json;
pub mod pickle;
pub mod pth;
pub mod record;
pub mod safetensors;
pub mod saved_model;
pub mod tflite;
pub mod top_level;
pub mod wheel;

pub use entry_points::{EntryPoint, EntryPoints, parse_entry_points, parse_pyproject_scripts};
pub use error::FormatError;
pub use gguf::{GgufHeader, parse_gguf};
pub use keras_h5::{KerasH5, parse_keras_h5};
pub use metadata::{CoreMetadata, Headers, parse_headers, parse_metadata};
pub use onnx::{OnnxModel, parse_onnx};
pub use package_json::{PackageJson, files_run_by, parse_package_json};
pub use pickle::{PickleScan, looks_like_pickle, scan_pickle};
pub use pth::{Pth, PthKind, PthLine, parse_pth};
pub use record::{Record, RecordEntry, parse_record};
pub use safetensors::{SafetensorsHeader, parse_safetensors};
pub use top_level::parse_top_level;
pub use wheel::{Wheel, WheelName, is_pure_tag, parse_wheel, wheel_filename};
