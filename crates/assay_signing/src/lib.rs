//! OpenSSF Model Signing (OMS) v1.0: sign a model directory or file into a Sigstore
//! bundle and verify such bundles, interoperable with the reference Python
//! implementation (`model_signing` 1.x).
//!
//! A bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`) carries a DSSE envelope
//! (<https://github.com/secure-systems-lab/dsse/blob/v1.0.0/protocol.md>) whose payload is
//! an in-toto Statement v1 with predicate type [`PREDICATE_TYPE`]: one subject (the model
//! name and the sha256 over all resource digests) and a predicate listing the
//! serialization and every resource (file or shard) with its sha256 digest. The DSSE
//! signature is ECDSA (P-256 with SHA-256, P-384 with SHA-384), DER-encoded. With the
//! key method the bundle names the key by `publicKey.hint` = hex sha256 of its SPKI PEM;
//! with the certificate method it carries the X.509 chain, leaf first.
//!
//! Keyless Sigstore (Fulcio certificate + Rekor entry) is not verified here: see
//! `docs/signing.md`.

pub mod bundle;
#[cfg(feature = "sigstore")]
pub mod keyless;
pub mod keys;
pub mod manifest;

pub use bundle::{Bundle, Statement};
pub use keys::{PrivateKey, PublicKey};
pub use manifest::{Method, Options, Resource};

/// The OMS v1.0 predicate type.
pub const PREDICATE_TYPE: &str = "https://model_signing/signature/v1.0";
/// The in-toto Statement v1 type.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// DSSE payload type of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// Sigstore bundle media type written by signing.
pub const BUNDLE_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// Largest bundle file read (bytes).
pub const MAX_BUNDLE_BYTES: u64 = 64 << 20;

/// What went wrong while signing or verifying.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed (the message names the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Walking the model directory failed.
    #[error("walking the model: {0}")]
    Walk(String),
    /// A symlink was found and symlinks are not allowed.
    #[error("{0}: is a symlink (symlinks are not allowed)")]
    Symlink(String),
    /// Something that is neither a file nor a directory.
    #[error("{0}: not a regular file")]
    NotRegular(String),
    /// More files than [`manifest::MAX_FILES`].
    #[error("model has more than {0} files")]
    TooManyFiles(usize),
    /// A file changed size while it was hashed.
    #[error("{0}: file changed while being hashed")]
    Changed(String),
    /// A key or certificate could not be read.
    #[error("{0}")]
    Key(String),
    /// The bundle is not a well-formed OMS Sigstore bundle.
    #[error("malformed signature bundle: {0}")]
    Malformed(String),
    /// The DSSE signature does not verify with the given key or certificate.
    #[error("signature does not verify: {0}")]
    BadSignature(String),
    /// The statement is not a consistent OMS v1.0 statement.
    #[error("statement rejected: {0}")]
    Statement(String),
}

/// How one resource compares with the signed manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Present with the signed digest.
    Ok,
    /// Present with a different digest.
    Modified,
    /// Signed but absent.
    Missing,
    /// Present but not in the signature.
    Unsigned,
}

/// One row of a verification: a resource, its status and digests (hex).
#[derive(Debug, Clone)]
pub struct FileCheck {
    /// Resource name (`path` or `path:start:end`).
    pub name: String,
    /// Outcome.
    pub status: FileStatus,
    /// Signed digest, hex; `None` for unsigned files.
    pub expected: Option<String>,
    /// Digest on disk, hex; `None` for missing files.
    pub actual: Option<String>,
}

/// The key or certificate material a verification trusts.
#[derive(Debug, Clone)]
pub enum Trust {
    /// Key method: the signer's public key.
    Key(PublicKey),
    /// Certificate method: trust anchors (DER certificates) the chain must end at.
    Certificates(Vec<Vec<u8>>),
    /// Keyless Sigstore: certificate identity and issuer, checked offline against a
    /// trusted root (feature `sigstore`).
    #[cfg(feature = "sigstore")]
    Keyless(keyless::Keyless),
}

/// Lower-case hex.
pub fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

/// Model name recorded as the subject: the last component of the model path.
pub fn model_name(path: &std::path::Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Sign the model at `model` with `key`; returns the bundle JSON. When `chain` is given
/// (certificate method) the bundle carries it (leaf first, DER) instead of a key hint.
///
/// # Errors
/// Hashing errors ([`manifest::hash_model`]) and signing failures.
pub fn sign(
    model: &std::path::Path,
    key: &PrivateKey,
    chain: Option<&[Vec<u8>]>,
    opts: &Options,
) -> Result<String, Error> {
    let resources = manifest::hash_model(model, opts)?;
    let statement = bundle::statement_json(&model_name(model), &resources, opts)?;
    let sig = key.sign(&bundle::pae(PAYLOAD_TYPE, statement.as_bytes()))?;
    bundle::bundle_json(&statement, &sig, key, chain)
}

/// Verify the bundle `bundle_bytes` for the model at `model`: signature, statement, every
/// digest. `opts.ignore_paths` is extended with the ignore paths the statement records.
/// Returns one row per resource (unsigned rows only when `report_unsigned`).
///
/// # Errors
/// [`Error::Malformed`], [`Error::BadSignature`], [`Error::Statement`] and hashing errors;
/// digest differences are rows, not errors.
pub fn verify(
    model: &std::path::Path,
    bundle_bytes: &[u8],
    trust: &Trust,
    opts: &Options,
    report_unsigned: bool,
) -> Result<Vec<FileCheck>, Error> {
    let payload = match trust {
        #[cfg(feature = "sigstore")]
        Trust::Keyless(k) => keyless::verify(bundle_bytes, k)?,
        _ => Bundle::parse(bundle_bytes)?.verify_signature(trust)?,
    };
    let st = Statement::parse(&payload)?;
    let mut opts = opts.clone();
    for p in &st.ignore_paths {
        if !opts.ignore_paths.contains(p) {
            opts.ignore_paths.push(p.clone());
        }
    }
    opts.method = st.method.clone();
    let actual = manifest::hash_model(model, &opts)?;
    Ok(compare(&st.resources, &actual, report_unsigned))
}

/// Compare signed and actual resources, sorted by name.
pub fn compare(
    expected: &[Resource],
    actual: &[Resource],
    report_unsigned: bool,
) -> Vec<FileCheck> {
    use std::collections::BTreeMap;
    let exp: BTreeMap<&str, &[u8; 32]> = expected
        .iter()
        .map(|r| (r.name.as_str(), &r.digest))
        .collect();
    let act: BTreeMap<&str, &[u8; 32]> = actual
        .iter()
        .map(|r| (r.name.as_str(), &r.digest))
        .collect();
    let mut out = Vec::new();
    for (name, e) in &exp {
        let (status, actual) = match act.get(name) {
            Some(a) if a == e => (FileStatus::Ok, Some(hex(*a))),
            Some(a) => (FileStatus::Modified, Some(hex(*a))),
            None => (FileStatus::Missing, None),
        };
        out.push(FileCheck {
            name: (*name).to_owned(),
            status,
            expected: Some(hex(*e)),
            actual,
        });
    }
    if report_unsigned {
        for (name, a) in &act {
            if !exp.contains_key(name) {
                out.push(FileCheck {
                    name: (*name).to_owned(),
                    status: FileStatus::Unsigned,
                    expected: None,
                    actual: Some(hex(*a)),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
