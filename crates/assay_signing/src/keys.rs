//! ECDSA keys (P-256 / SHA-256, P-384 / SHA-384, P-521 / SHA-512) read from PEM, as the reference accepts:
//! PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`, and SPKI `PUBLIC KEY`. Signatures are
//! DER-encoded (what the reference writes into the DSSE envelope).

use crate::Error;
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding};
use sha2::{Digest, Sha256};
use signature_traits::{Signer, Verifier};

mod signature_traits {
    pub use p256::ecdsa::signature::{Signer, Verifier};
}

/// A signing key.
#[derive(Clone)]
pub enum PrivateKey {
    /// NIST P-256.
    P256(p256::ecdsa::SigningKey),
    /// NIST P-384.
    P384(p384::ecdsa::SigningKey),
    /// NIST P-521 (signatures over SHA-512, as the reference signs with `secp521r1`).
    P521(p521::ecdsa::SigningKey),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

/// A verifying key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// NIST P-256.
    P256(p256::ecdsa::VerifyingKey),
    /// NIST P-384.
    P384(p384::ecdsa::VerifyingKey),
    /// NIST P-521.
    P521(p521::ecdsa::VerifyingKey),
}

impl PrivateKey {
    /// Parse a PEM private key (PKCS#8 or SEC1), P-256, P-384 or P-521.
    ///
    /// # Errors
    /// [`Error::Key`] when it is neither.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(PrivateKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(PrivateKey::P384(k));
        }
        if let Ok(k) = p521::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(PrivateKey::P521(k));
        }
        if let Ok(k) = p256::SecretKey::from_sec1_pem(pem) {
            return Ok(PrivateKey::P256(k.into()));
        }
        if let Ok(k) = p384::SecretKey::from_sec1_pem(pem) {
            return Ok(PrivateKey::P384(k.into()));
        }
        if let Ok(k) = p521::SecretKey::from_sec1_pem(pem) {
            return Ok(PrivateKey::P521(k.into()));
        }
        Err(Error::Key(
            "not an unencrypted PEM ECDSA P-256, P-384 or P-521 private key (PKCS#8 or SEC1)"
                .into(),
        ))
    }

    /// `ECDSA P-256 / SHA-256` (etc.): the curve and the hash its signatures use.
    pub fn algorithm(&self) -> &'static str {
        self.public().algorithm()
    }

    /// The matching public key.
    pub fn public(&self) -> PublicKey {
        match self {
            PrivateKey::P256(k) => PublicKey::P256(*k.verifying_key()),
            PrivateKey::P384(k) => PublicKey::P384(*k.verifying_key()),
            PrivateKey::P521(k) => PublicKey::P521(*k.verifying_key()),
        }
    }

    /// DER ECDSA signature over `msg` (hashed with the curve's hash).
    ///
    /// # Errors
    /// [`Error::Key`] when the signer fails.
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(match self {
            PrivateKey::P256(k) => {
                let s: p256::ecdsa::DerSignature =
                    k.try_sign(msg).map_err(|e| Error::Key(e.to_string()))?;
                s.as_bytes().to_vec()
            }
            PrivateKey::P384(k) => {
                let s: p384::ecdsa::DerSignature =
                    k.try_sign(msg).map_err(|e| Error::Key(e.to_string()))?;
                s.as_bytes().to_vec()
            }
            PrivateKey::P521(k) => {
                let s: p521::ecdsa::DerSignature =
                    k.try_sign(msg).map_err(|e| Error::Key(e.to_string()))?;
                s.as_bytes().to_vec()
            }
        })
    }
}

impl PublicKey {
    /// `ECDSA P-256 / SHA-256` (etc.): the curve and the hash its signatures use.
    pub fn algorithm(&self) -> &'static str {
        match self {
            PublicKey::P256(_) => "ECDSA P-256 / SHA-256",
            PublicKey::P384(_) => "ECDSA P-384 / SHA-384",
            PublicKey::P521(_) => "ECDSA P-521 / SHA-512",
        }
    }

    /// Parse a PEM SPKI public key, P-256, P-384 or P-521.
    ///
    /// # Errors
    /// [`Error::Key`] when it is neither.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::P384(k));
        }
        if let Ok(k) = p521::ecdsa::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::P521(k));
        }
        Err(Error::Key(
            "not a PEM ECDSA P-256, P-384 or P-521 public key (SPKI)".into(),
        ))
    }

    /// Parse a DER SubjectPublicKeyInfo, P-256, P-384 or P-521.
    ///
    /// # Errors
    /// [`Error::Key`] when it is neither.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(der) {
            return Ok(PublicKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(der) {
            return Ok(PublicKey::P384(k));
        }
        if let Ok(k) = p521::ecdsa::VerifyingKey::from_public_key_der(der) {
            return Ok(PublicKey::P521(k));
        }
        Err(Error::Key(
            "certificate key is not ECDSA P-256, P-384 or P-521".into(),
        ))
    }

    /// SPKI PEM with LF line endings, as Python `cryptography` writes it.
    ///
    /// # Errors
    /// [`Error::Key`] on encoder failure.
    pub fn to_pem(&self) -> Result<String, Error> {
        match self {
            PublicKey::P256(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::P384(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::P521(k) => k.to_public_key_pem(LineEnding::LF),
        }
        .map_err(|e| Error::Key(e.to_string()))
    }

    /// The OMS key hint: hex sha256 of [`PublicKey::to_pem`].
    ///
    /// # Errors
    /// As [`PublicKey::to_pem`].
    pub fn hint(&self) -> Result<String, Error> {
        Ok(crate::hex(&Sha256::digest(self.to_pem()?.as_bytes())))
    }

    /// Check a DER ECDSA signature over `msg`.
    pub fn verify(&self, msg: &[u8], der_sig: &[u8]) -> bool {
        match self {
            PublicKey::P256(k) => p256::ecdsa::DerSignature::try_from(der_sig)
                .is_ok_and(|s| k.verify(msg, &s).is_ok()),
            PublicKey::P384(k) => p384::ecdsa::DerSignature::try_from(der_sig)
                .is_ok_and(|s| k.verify(msg, &s).is_ok()),
            PublicKey::P521(k) => p521::ecdsa::DerSignature::try_from(der_sig)
                .is_ok_and(|s| k.verify(msg, &s).is_ok()),
        }
    }
}

impl PublicKey {
    /// Check a DER ECDSA signature over a precomputed digest (X.509 chains, where the
    /// hash is named by the signature algorithm rather than the curve).
    pub fn verify_prehash(&self, digest: &[u8], der_sig: &[u8]) -> bool {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        match self {
            PublicKey::P256(k) => p256::ecdsa::DerSignature::try_from(der_sig)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            PublicKey::P384(k) => p384::ecdsa::DerSignature::try_from(der_sig)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            PublicKey::P521(k) => p521::ecdsa::DerSignature::try_from(der_sig)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
        }
    }
}
