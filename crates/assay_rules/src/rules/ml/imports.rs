//! The import policy for pickles in model files: a versioned **allowlist** of what
//! legitimate checkpoints import (PyTorch rebuild functions and storages, NumPy array
//! reconstruction, `collections.OrderedDict`, joblib's array wrappers, a few builtins) and a
//! **denylist** of callables that run code, touch the system or load further pickles.
//!
//! Both are checked on every dotted component of `module.name`: protocol 4 resolves dotted
//! names attribute by attribute, so `torch.serialization` + `os.system` reaches `os.system`
//! through an allowlisted module (a published picklescan bypass).

use assay_core::model_allow::AllowPattern;
use assay_formats::pickle::Global;

/// Version of the lists below; bump it when they change (it is printed in evidence).
pub const POLICY_VERSION: &str = "2026.12.3";

/// How an import is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// On the allowlist and free of denylisted components.
    Allowed,
    /// A denylisted component (the reason says which).
    Dangerous(&'static str),
    /// Not on the allowlist (or computed at load time).
    Unlisted,
}

/// Exact `module.name` pairs legitimate checkpoints import.
const ALLOWED: &[&str] = &[
    "collections.OrderedDict",
    "collections.defaultdict",
    "collections.Counter",
    "collections.deque",
    "builtins.set",
    "builtins.frozenset",
    "builtins.list",
    "builtins.dict",
    "builtins.tuple",
    "builtins.bytearray",
    "builtins.bytes",
    "builtins.int",
    "builtins.float",
    "builtins.complex",
    "builtins.str",
    "builtins.slice",
    "builtins.range",
    "builtins.bool",
    "builtins.object",
    "__builtin__.set",
    "__builtin__.frozenset",
    "__builtin__.list",
    "__builtin__.dict",
    "__builtin__.tuple",
    "__builtin__.bytearray",
    "__builtin__.int",
    "__builtin__.long",
    "__builtin__.float",
    "__builtin__.complex",
    "__builtin__.unicode",
    "__builtin__.slice",
    "__builtin__.object",
    "copyreg._reconstructor",
    "copy_reg._reconstructor",
    "_codecs.encode",
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor_v3",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._utils._rebuild_sparse_tensor",
    "torch._utils._rebuild_sparse_csr_tensor",
    "torch._utils._rebuild_nested_tensor",
    "torch._utils._rebuild_qtensor",
    "torch._utils._rebuild_device_tensor_from_numpy",
    "torch._utils._rebuild_meta_tensor_no_storage",
    "torch._utils._rebuild_wrapper_subclass",
    "torch._tensor._rebuild_from_type_v2",
    "torch._tensor._rebuild_from_type",
    "torch.nn.parameter.Parameter",
    "torch.nn.parameter.Buffer",
    "torch.serialization._get_layout",
    "torch.Size",
    "torch.device",
    "torch.Tensor",
    "torch.storage.TypedStorage",
    "torch.storage.UntypedStorage",
    "torch.UntypedStorage",
    "numpy.core.multiarray._reconstruct",
    "numpy._core.multiarray._reconstruct",
    "numpy.core.multiarray.scalar",
    "numpy._core.multiarray.scalar",
    "numpy.core.numeric._frombuffer",
    "numpy._core.numeric._frombuffer",
    "numpy.ndarray",
    "numpy.dtype",
    "joblib.numpy_pickle.NumpyArrayWrapper",
    "joblib.numpy_pickle.NDArrayWrapper",
    "joblib.numpy_pickle_compat.NDArrayWrapper",
    "joblib.numpy_pickle_compat.ZNDArrayWrapper",
];

/// `torch.<Kind>Storage` classes and `torch.<dtype>` / layout / memory-format constants.
const TORCH_NAMES: &[&str] = &[
    "FloatStorage",
    "DoubleStorage",
    "HalfStorage",
    "BFloat16Storage",
    "LongStorage",
    "IntStorage",
    "ShortStorage",
    "CharStorage",
    "ByteStorage",
    "BoolStorage",
    "ComplexFloatStorage",
    "ComplexDoubleStorage",
    "QInt8Storage",
    "QUInt8Storage",
    "QInt32Storage",
    "QUInt4x2Storage",
    "QUInt2x4Storage",
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "float8_e4m3fn",
    "float8_e5m2",
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool",
    "complex64",
    "complex128",
    "float",
    "double",
    "half",
    "long",
    "int",
    "short",
    "strided",
    "sparse_coo",
    "sparse_csr",
    "contiguous_format",
    "channels_last",
    "channels_last_3d",
    "preserve_format",
    "per_tensor_affine",
    "per_channel_affine",
];

/// Module prefixes whose classes a whole-model `torch.save(model)` pickles; allowed when no
/// component is denylisted.
///
/// `__torch__.` is the namespace of TorchScript classes (`torch.jit.save`): the
/// TorchScript unpickler resolves such a name to a class compiled from the archive's
/// `code/` folder, never to a Python import, and no Python module of that name exists for
/// `pickle` to import.
const ALLOWED_PREFIXES: &[&str] = &["torch.nn.modules.", "numpy.dtypes.", "__torch__."];

/// Whole paths allowed before the denylist is consulted, because their module's name
/// contains a denylisted word but the members are harmless: the list builders of
/// `torch/jit/_pickle.py`, which every TorchScript archive's `data.pkl`, `constants.pkl`
/// and `.debug_pkl` import (each returns its argument, or tags a value with a type).
const EXACT_BEFORE_DENYLIST: &[&str] = &[
    "torch.jit._pickle.build_intlist",
    "torch.jit._pickle.build_tensorlist",
    "torch.jit._pickle.build_doublelist",
    "torch.jit._pickle.build_boollist",
    "torch.jit._pickle.build_complexlist",
    "torch.jit._pickle.build_intlist_list",
    "torch.jit._pickle.restore_type_tag",
];

/// The classic-ML allowlist (`data/ml-allowlist.txt`: `module name` per line), derived
/// from numpy, pandas, scikit-learn, SciPy, joblib, NetworkX, XGBoost and LightGBM by
/// `fixtures/ml/derive_allowlist.py` (how, and how to update it: `docs/model-allowlist.md`).
const CLASSIC_ML: &str = include_str!("../../../data/ml-allowlist.txt");

/// Whether `module.name` is on the classic-ML allowlist: the whole path, exactly.
fn classic_ml(module: &str, name: &str) -> bool {
    static SET: std::sync::LazyLock<std::collections::HashSet<(&'static str, &'static str)>> =
        std::sync::LazyLock::new(|| {
            CLASSIC_ML
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.trim().split_once(' '))
                .collect()
        });
    SET.contains(&(module, name))
}

/// Judge one import.
///
/// The whole path is compared with the allowlists first — exactly, so a library module
/// whose name happens to contain a denylisted word (`numpy.random._pickle`'s generator
/// constructors) is allowed by name, while anything else in it is not — then every dotted
/// component with the denylist.
pub fn judge(g: &Global) -> Judgement {
    judge_with(g, &[])
}

/// [`judge`], with the user's `[models] allow` patterns of `assay.toml` treated like the
/// classic-ML allowlist — except that they can never allow a denylisted component (the
/// denylist is checked first; `assay_policy` also refuses such patterns when loading).
pub fn judge_with(g: &Global, user: &[AllowPattern]) -> Judgement {
    if g.computed {
        return Judgement::Unlisted;
    }
    if classic_ml(&g.module, &g.name) {
        return Judgement::Allowed;
    }
    let dotted = format!("{}.{}", g.module, g.name);
    if EXACT_BEFORE_DENYLIST.contains(&dotted.as_str()) {
        return Judgement::Allowed;
    }
    if let Some(why) = dangerous(&dotted) {
        return Judgement::Dangerous(why);
    }
    if user.iter().any(|p| p.matches(&dotted)) {
        return Judgement::Allowed;
    }
    let torch_name = g.module == "torch" && TORCH_NAMES.contains(&g.name.as_str());
    if ALLOWED.contains(&dotted.as_str())
        || torch_name
        || (ALLOWED_PREFIXES.iter().any(|p| dotted.starts_with(p)) && !g.name.starts_with('_'))
    {
        Judgement::Allowed
    } else {
        Judgement::Unlisted
    }
}

/// The denylist reason for `dotted` ([`assay_core::model_allow::dangerous`]).
pub fn dangerous(dotted: &str) -> Option<&'static str> {
    assay_core::model_allow::dangerous(dotted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_formats::pickle::ImportOp;

    fn g(m: &str, n: &str) -> Global {
        Global {
            module: m.into(),
            name: n.into(),
            op: ImportOp::Global,
            computed: false,
            offset: 0,
            depth: 0,
            unreached: false,
        }
    }

    #[test]
    fn torchscript_names_are_allowed_by_whole_path() {
        assert_eq!(
            judge(&g("torch.jit._pickle", "build_intlist")),
            Judgement::Allowed
        );
        assert!(matches!(
            judge(&g("torch.jit._pickle", "loads")),
            Judgement::Dangerous(_)
        ));
        assert_eq!(
            judge(&g("__torch__.torch.nn.modules.conv", "Conv1d")),
            Judgement::Allowed
        );
        assert!(matches!(
            judge(&g("__torch__.x", "os.system")),
            Judgement::Dangerous(_)
        ));
        assert_eq!(judge(&g("torchx__.y", "Z")), Judgement::Unlisted);
    }

    #[test]
    fn policy() {
        assert_eq!(
            judge(&g("torch._utils", "_rebuild_tensor_v2")),
            Judgement::Allowed
        );
        assert_eq!(judge(&g("torch", "FloatStorage")), Judgement::Allowed);
        assert_eq!(judge(&g("collections", "OrderedDict")), Judgement::Allowed);
        assert!(matches!(
            judge(&g("posix", "system")),
            Judgement::Dangerous(_)
        ));
        assert!(matches!(
            judge(&g("torch.serialization", "os.system")),
            Judgement::Dangerous(_)
        ));
        assert!(matches!(
            judge(&g("builtins", "getattr")),
            Judgement::Dangerous(_)
        ));
        // Whole-path matching: the classic-ML allowlist names real reconstructors…
        assert_eq!(
            judge(&g("sklearn.linear_model._logistic", "LogisticRegression")),
            Judgement::Allowed
        );
        assert_eq!(
            judge(&g("numpy.random._pickle", "__randomstate_ctor")),
            Judgement::Allowed
        );
        // …and nothing else of those modules, nor a prefix or a substring of them.
        assert!(matches!(
            judge(&g("numpy.random._pickle", "loads")),
            Judgement::Dangerous(_)
        ));
        assert_eq!(
            judge(&g("sklearn.linear_model", "LogisticRegression")),
            Judgement::Unlisted
        );
        assert_eq!(
            judge(&g("sklearn.linear_model._logistic", "LogisticRegressionX")),
            Judgement::Unlisted
        );
        assert!(matches!(
            judge(&g(
                "sklearn.linear_model._logistic",
                "LogisticRegression.os.system"
            )),
            Judgement::Dangerous(_)
        ));
        assert_eq!(judge(&g("torch", "load_anything")), Judgement::Unlisted);
    }
}
