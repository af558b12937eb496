//! Keyless Sigstore verification of OMS bundles: a Fulcio-issued certificate for an OIDC
//! identity, a Rekor transparency-log entry and its inclusion proof, all checked offline
//! against a Sigstore trusted root (the `trusted_root.json` of the Sigstore TUF
//! repository; the public-good root shipped with `sigstore-trust-root` by default).
//!
//! The bundle's signature, certificate chain at signing time, SCT, identity (SAN) and
//! issuer, and log entry are verified by `sigstore-verify` (sigstore/sigstore-rust) with
//! the in-toto statement's subject digest as the artifact; that digest is the sha256 over
//! the resource digests, which [`Statement::parse`](crate::bundle::Statement::parse)
//! checks against the resources, and the per-file comparison then works as for the other
//! methods.

use crate::{Error, PAYLOAD_TYPE};
use sigstore_verify::VerificationPolicy;
use sigstore_verify::trust_root::{SIGSTORE_PRODUCTION_TRUSTED_ROOT, TrustedRoot};
use sigstore_verify::types::{Artifact, ArtifactDigest, Bundle, HashAlgorithm, SignatureContent};

/// Who must have signed, and the trust root to check it against.
#[derive(Debug, Clone)]
pub struct Keyless {
    /// The certificate's subject alternative name: an e-mail address or a URI (e.g. a
    /// CI workflow identity), compared exactly.
    pub identity: String,
    /// The OIDC issuer recorded in the certificate (`https://accounts.google.com`,
    /// `https://token.actions.githubusercontent.com`, …), compared exactly.
    pub issuer: String,
    /// `trusted_root.json` text; `None` for the Sigstore public-good root bundled with
    /// `sigstore-trust-root`.
    pub trusted_root: Option<String>,
}

/// Verify a keyless bundle; returns the DSSE payload (the in-toto statement).
///
/// # Errors
/// [`Error::Malformed`] when the bundle, its statement or the trusted root do not parse;
/// [`Error::BadSignature`] when any Sigstore check fails (the message says which).
pub(crate) fn verify(bundle_bytes: &[u8], k: &Keyless) -> Result<Vec<u8>, Error> {
    let text = std::str::from_utf8(bundle_bytes)
        .map_err(|e| Error::Malformed(format!("bundle is not UTF-8: {e}")))?;
    let bundle =
        Bundle::from_json(text).map_err(|e| Error::Malformed(format!("Sigstore bundle: {e}")))?;
    let SignatureContent::DsseEnvelope(env) = &bundle.content else {
        return Err(Error::Malformed(
            "the bundle holds a message signature, not a DSSE envelope".into(),
        ));
    };
    if env.payload_type != PAYLOAD_TYPE {
        return Err(Error::Malformed(format!(
            "payloadType `{}` is not `{PAYLOAD_TYPE}`",
            env.payload_type
        )));
    }
    let payload = env.payload.as_bytes().to_vec();
    let st = crate::bundle::Statement::parse(&payload)?;
    let subject = crate::manifest::root_digest(&st.resources);
    let root = TrustedRoot::from_json(
        k.trusted_root
            .as_deref()
            .unwrap_or(SIGSTORE_PRODUCTION_TRUSTED_ROOT),
    )
    .map_err(|e| Error::Malformed(format!("trusted root: {e}")))?;
    let digest = ArtifactDigest::new(HashAlgorithm::Sha2256, subject.to_vec())
        .map_err(|e| Error::Malformed(e.to_string()))?;
    let policy = VerificationPolicy::new(k.identity.as_str(), k.issuer.clone());
    sigstore_verify::verify(Artifact::Digest(digest), &bundle, &policy, &root)
        .map_err(|e| Error::BadSignature(format!("Sigstore: {e}")))?;
    Ok(payload)
}
