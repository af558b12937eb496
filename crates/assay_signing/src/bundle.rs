//! Sigstore bundle v0.3 JSON, the DSSE envelope and the OMS in-toto statement: writing,
//! bounded parsing and checking. Field names follow sigstore protobuf-specs
//! (`Bundle`, `VerificationMaterial`, `dsse.Envelope`) in their JSON (camelCase) form.

use crate::manifest::{Method, Options, Resource, root_digest};
use crate::{Error, PAYLOAD_TYPE, PREDICATE_TYPE, PrivateKey, PublicKey, STATEMENT_TYPE, Trust};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::der::{Decode, Encode};

/// Most resources accepted in one statement.
pub const MAX_RESOURCES: usize = 1_000_000;
/// Longest certificate chain accepted.
pub const MAX_CHAIN: usize = 10;

/// DSSE v1 pre-authentication encoding: `DSSEv1 SP len(type) SP type SP len(body) SP body`.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(body.len() + payload_type.len() + 32);
    v.extend_from_slice(
        format!(
            "DSSEv1 {} {} {} ",
            payload_type.len(),
            payload_type,
            body.len()
        )
        .as_bytes(),
    );
    v.extend_from_slice(body);
    v
}

/// The OMS v1.0 in-toto statement for `resources` (pretty JSON, as the reference writes).
///
/// # Errors
/// Never in practice (JSON encoding).
pub fn statement_json(name: &str, resources: &[Resource], opts: &Options) -> Result<String, Error> {
    let mut ser = json!({
        "method": match opts.method { Method::Files => "files", Method::Shards { .. } => "shards" },
        "hash_type": "sha256",
        "allow_symlinks": opts.allow_symlinks,
        "ignore_paths": opts.ignore_paths,
    });
    if let (Method::Shards { shard_size }, Some(o)) = (&opts.method, ser.as_object_mut()) {
        o.insert("shard_size".into(), json!(shard_size));
    }
    let st = json!({
        "_type": STATEMENT_TYPE,
        "subject": [{ "name": name, "digest": { "sha256": crate::hex(&root_digest(resources)) } }],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "serialization": ser,
            "resources": resources.iter().map(|r| json!({
                "name": r.name, "digest": crate::hex(&r.digest), "algorithm": "sha256"
            })).collect::<Vec<_>>(),
        }
    });
    serde_json::to_string_pretty(&st).map_err(|e| Error::Malformed(e.to_string()))
}

/// The bundle JSON around `statement` and its DSSE signature.
///
/// # Errors
/// Key encoding failures.
pub fn bundle_json(
    statement: &str,
    sig: &[u8],
    key: &PrivateKey,
    chain: Option<&[Vec<u8>]>,
) -> Result<String, Error> {
    let material = match chain {
        Some(c) => json!({
            "x509CertificateChain": { "certificates": c.iter().map(|d| json!({"rawBytes": B64.encode(d)})).collect::<Vec<_>>() },
            "tlogEntries": [],
        }),
        None => json!({ "publicKey": { "hint": key.public().hint()? }, "tlogEntries": [] }),
    };
    let b = json!({
        "mediaType": crate::BUNDLE_MEDIA_TYPE,
        "verificationMaterial": material,
        "dsseEnvelope": {
            "payload": B64.encode(statement.as_bytes()),
            "payloadType": PAYLOAD_TYPE,
            "signatures": [{ "sig": B64.encode(sig), "keyid": "" }],
        }
    });
    serde_json::to_string_pretty(&b).map_err(|e| Error::Malformed(e.to_string()))
}

/// A parsed bundle: what verification needs from it.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// `verificationMaterial.publicKey.hint`, if any.
    pub hint: Option<String>,
    /// Certificate chain, leaf first (DER), if any.
    pub chain: Vec<Vec<u8>>,
    /// Decoded DSSE payload.
    pub payload: Vec<u8>,
    /// `dsseEnvelope.payloadType`.
    pub payload_type: String,
    /// Decoded DSSE signatures.
    pub signatures: Vec<Vec<u8>>,
}

fn field<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Result<&'a str, Error> {
    field(v, path)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Malformed(format!("missing string `{}`", path.join("."))))
}

fn b64(s: &str, what: &str) -> Result<Vec<u8>, Error> {
    B64.decode(s.trim())
        .map_err(|e| Error::Malformed(format!("{what}: bad base64: {e}")))
}

impl Bundle {
    /// Parse bundle JSON (at most [`crate::MAX_BUNDLE_BYTES`]).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the missing or bad field.
    pub fn parse(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() as u64 > crate::MAX_BUNDLE_BYTES {
            return Err(Error::Malformed("bundle larger than 64 MiB".into()));
        }
        let v: Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::Malformed(format!("not JSON: {e}")))?;
        let media = str_at(&v, &["mediaType"])?;
        if !media.starts_with("application/vnd.dev.sigstore.bundle") {
            return Err(Error::Malformed(format!("unexpected mediaType `{media}`")));
        }
        let payload = b64(
            str_at(&v, &["dsseEnvelope", "payload"])?,
            "dsseEnvelope.payload",
        )?;
        let payload_type = str_at(&v, &["dsseEnvelope", "payloadType"])?.to_owned();
        let sigs = field(&v, &["dsseEnvelope", "signatures"])
            .and_then(Value::as_array)
            .ok_or_else(|| Error::Malformed("missing `dsseEnvelope.signatures`".into()))?;
        let signatures = sigs
            .iter()
            .take(16)
            .map(|s| str_at(s, &["sig"]).and_then(|x| b64(x, "signature")))
            .collect::<Result<Vec<_>, _>>()?;
        if signatures.is_empty() {
            return Err(Error::Malformed("no DSSE signature".into()));
        }
        let hint = field(&v, &["verificationMaterial", "publicKey", "hint"])
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut chain = Vec::new();
        if let Some(certs) = field(
            &v,
            &[
                "verificationMaterial",
                "x509CertificateChain",
                "certificates",
            ],
        )
        .and_then(Value::as_array)
        {
            for c in certs.iter().take(MAX_CHAIN) {
                chain.push(b64(str_at(c, &["rawBytes"])?, "certificate")?);
            }
        } else if let Some(c) =
            field(&v, &["verificationMaterial", "certificate", "rawBytes"]).and_then(Value::as_str)
        {
            chain.push(b64(c, "certificate")?);
        }
        Ok(Bundle {
            hint,
            chain,
            payload,
            payload_type,
            signatures,
        })
    }

    /// Check the DSSE signature against `trust` and return the signed payload.
    ///
    /// # Errors
    /// [`Error::BadSignature`] for a wrong key, hint mismatch, untrusted chain or bad
    /// signature; [`Error::Malformed`] for a wrong payload type.
    pub fn verify_signature(&self, trust: &Trust) -> Result<Vec<u8>, Error> {
        if self.payload_type != PAYLOAD_TYPE {
            return Err(Error::Malformed(format!(
                "payloadType `{}` is not `{PAYLOAD_TYPE}`",
                self.payload_type
            )));
        }
        let key = match trust {
            Trust::Key(k) => {
                if let Some(h) = &self.hint
                    && !h.eq_ignore_ascii_case(&k.hint()?)
                {
                    return Err(Error::BadSignature(
                        "the bundle names a different public key (publicKey.hint)".into(),
                    ));
                }
                k.clone()
            }
            Trust::Certificates(anchors) => verify_chain(&self.chain, anchors)?,
            #[cfg(feature = "sigstore")]
            Trust::Keyless(_) => {
                return Err(Error::Malformed(
                    "keyless bundles are verified by `keyless::verify`".into(),
                ));
            }
        };
        let msg = pae(&self.payload_type, &self.payload);
        if self.signatures.first().is_some_and(|s| key.verify(&msg, s)) {
            Ok(self.payload.clone())
        } else {
            Err(Error::BadSignature(
                "the DSSE signature does not match the statement and key".into(),
            ))
        }
    }
}

const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";

fn cert_key(c: &x509_cert::Certificate) -> Result<PublicKey, Error> {
    let spki = c
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| Error::Malformed(e.to_string()))?;
    PublicKey::from_spki_der(&spki)
}

/// True when `issuer`'s key made `c`'s signature.
fn signed_by(c: &x509_cert::Certificate, issuer: &PublicKey) -> bool {
    let Ok(tbs) = c.tbs_certificate().to_der() else {
        return false;
    };
    let Some(sig) = c.signature().as_bytes() else {
        return false;
    };
    let digest: Vec<u8> = match c.signature_algorithm().oid.to_string().as_str() {
        ECDSA_SHA256 => Sha256::digest(&tbs).to_vec(),
        ECDSA_SHA384 => Sha384::digest(&tbs).to_vec(),
        ECDSA_SHA512 => Sha512::digest(&tbs).to_vec(),
        _ => return false,
    };
    issuer.verify_prehash(&digest, sig)
}

/// Walk the chain (leaf first): each certificate must be signed by the next one, and
/// some certificate must be a trust anchor or be signed by one. The leaf must allow
/// digital signatures or code signing (as the reference requires). Returns the leaf key.
///
/// Validity periods are not checked: the reference verifies at the leaf's `notBefore`,
/// which accepts expired certificates too.
fn verify_chain(chain: &[Vec<u8>], anchors: &[Vec<u8>]) -> Result<PublicKey, Error> {
    let bad = |m: &str| Error::BadSignature(m.to_owned());
    let certs = chain
        .iter()
        .map(|d| {
            x509_cert::Certificate::from_der(d)
                .map_err(|e| Error::Malformed(format!("certificate: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let leaf = certs
        .first()
        .ok_or_else(|| bad("the bundle carries no certificate (was it signed with a key?)"))?;
    let anchor_certs = anchors
        .iter()
        .filter_map(|d| x509_cert::Certificate::from_der(d).ok())
        .collect::<Vec<_>>();
    let mut trusted = false;
    for (i, c) in certs.iter().enumerate() {
        if anchors.iter().any(|a| Some(a) == chain.get(i)) {
            trusted = true;
            break;
        }
        if anchor_certs.iter().any(|a| {
            a.tbs_certificate().subject() == c.tbs_certificate().issuer()
                && cert_key(a).is_ok_and(|k| signed_by(c, &k))
        }) {
            trusted = true;
            break;
        }
        match certs.get(i + 1) {
            Some(next) if cert_key(next).is_ok_and(|k| signed_by(c, &k)) => {}
            Some(_) => {
                return Err(bad(
                    "certificate chain is broken: a certificate is not signed by the next one",
                ));
            }
            None => break,
        }
    }
    if !trusted {
        return Err(bad(
            "certificate chain does not lead to a trusted certificate (--certificate-chain)",
        ));
    }
    if !can_sign(leaf) {
        return Err(bad(
            "signing certificate is not allowed to sign (KeyUsage/ExtendedKeyUsage)",
        ));
    }
    cert_key(leaf)
}

fn can_sign(c: &x509_cert::Certificate) -> bool {
    use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
    if let Ok(Some((_, ku))) = c.tbs_certificate().get_extension::<KeyUsage>()
        && ku.0.contains(KeyUsages::DigitalSignature)
    {
        return true;
    }
    const CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
    if let Ok(Some((_, eku))) = c.tbs_certificate().get_extension::<ExtendedKeyUsage>() {
        return eku.0.iter().any(|o| o.to_string() == CODE_SIGNING);
    }
    false
}

/// The parts of an OMS v1.0 statement verification needs.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Subject name (the model name).
    pub name: String,
    /// Serialization method.
    pub method: Method,
    /// Recorded ignore paths.
    pub ignore_paths: Vec<String>,
    /// Signed resources, in statement order.
    pub resources: Vec<Resource>,
}

impl Statement {
    /// Parse and check a statement: types, one subject, sha256 everywhere, and the
    /// subject digest equal to the sha256 over the resource digests.
    ///
    /// # Errors
    /// [`Error::Statement`] naming what is wrong.
    pub fn parse(bytes: &[u8]) -> Result<Self, Error> {
        let bad = |m: String| Error::Statement(m);
        let v: Value =
            serde_json::from_slice(bytes).map_err(|e| bad(format!("payload is not JSON: {e}")))?;
        let s = |p: &[&str]| str_at(&v, p).map_err(|e| bad(e.to_string()));
        if s(&["_type"])? != STATEMENT_TYPE {
            return Err(bad(format!("_type is not {STATEMENT_TYPE}")));
        }
        let pt = s(&["predicateType"])?;
        if pt != PREDICATE_TYPE {
            return Err(bad(format!("predicateType `{pt}` is not {PREDICATE_TYPE}")));
        }
        let subjects = v
            .get("subject")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("missing subject".into()))?;
        let [subject] = subjects.as_slice() else {
            return Err(bad(format!("expected one subject, got {}", subjects.len())));
        };
        let name = str_at(subject, &["name"])
            .map_err(|e| bad(e.to_string()))?
            .to_owned();
        let root = str_at(subject, &["digest", "sha256"])
            .map_err(|e| bad(e.to_string()))?
            .to_ascii_lowercase();
        let ser = field(&v, &["predicate", "serialization"])
            .ok_or_else(|| bad("missing predicate.serialization".into()))?;
        if str_at(ser, &["hash_type"]).map_err(|e| bad(e.to_string()))? != "sha256" {
            return Err(bad("only hash_type sha256 is supported".into()));
        }
        let method = match str_at(ser, &["method"]).map_err(|e| bad(e.to_string()))? {
            "files" => Method::Files,
            "shards" => Method::Shards {
                shard_size: ser
                    .get("shard_size")
                    .and_then(Value::as_u64)
                    .filter(|n| *n > 0)
                    .ok_or_else(|| bad("shards without a positive shard_size".into()))?,
            },
            m => return Err(bad(format!("unsupported serialization method `{m}`"))),
        };
        let ignore_paths = ser
            .get("ignore_paths")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let res = field(&v, &["predicate", "resources"])
            .and_then(Value::as_array)
            .ok_or_else(|| bad("missing predicate.resources".into()))?;
        if res.len() > MAX_RESOURCES {
            return Err(bad("too many resources".into()));
        }
        let mut resources = Vec::with_capacity(res.len());
        for r in res {
            let n = str_at(r, &["name"]).map_err(|e| bad(e.to_string()))?;
            if str_at(r, &["algorithm"]).map_err(|e| bad(e.to_string()))? != "sha256" {
                return Err(bad(format!("{n}: algorithm is not sha256")));
            }
            let d = str_at(r, &["digest"]).map_err(|e| bad(e.to_string()))?;
            let digest =
                unhex32(d).ok_or_else(|| bad(format!("{n}: digest is not 64 hex digits")))?;
            resources.push(Resource {
                name: n.to_owned(),
                digest,
            });
        }
        if crate::hex(&root_digest(&resources)) != root {
            return Err(bad(
                "subject digest does not match the resource digests".into()
            ));
        }
        Ok(Statement {
            name,
            method,
            ignore_paths,
            resources,
        })
    }
}

fn unhex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let hi = (*pair.first()? as char).to_digit(16)?;
        let lo = (*pair.get(1)? as char).to_digit(16)?;
        *o = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}
