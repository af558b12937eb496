//! `assay verify`: check an OMS v1.0 Sigstore bundle against a model. Every problem is a
//! finding (ML030–ML034), so `--format`, `--fail-on` and `-o` work as for `scan`.

use crate::cli::VerifyArgs;
use anyhow::Context;
use assay_core::{ArtifactReport, FileDigest, Location, Report, Rule};
use assay_signing::{Error, FileStatus, PublicKey, Trust};

/// Verify `args.path` against its signature.
pub fn run(args: VerifyArgs) -> anyhow::Result<u8> {
    let trust = if let Some(k) = &args.key {
        Trust::Key(
            PublicKey::from_pem(&fs_err::read_to_string(k)?)
                .with_context(|| format!("reading {}", k.display()))?,
        )
    } else if !args.certificate_chain.is_empty() {
        let mut anchors = Vec::new();
        for p in &args.certificate_chain {
            anchors.extend(read_certs(p)?);
        }
        Trust::Certificates(anchors)
    } else if let (Some(identity), Some(issuer)) = (&args.identity, &args.issuer) {
        let trusted_root = match &args.trusted_root {
            Some(p) => Some(fs_err::read_to_string(p)?),
            None => None,
        };
        Trust::Keyless(assay_signing::keyless::Keyless {
            identity: identity.clone(),
            issuer: issuer.clone(),
            trusted_root,
        })
    } else {
        anyhow::bail!(
            "give --key PUBLIC.pem, --certificate-chain ROOTS.pem, or --identity ID --issuer URL (keyless)"
        );
    };
    let signature = args
        .signature
        .clone()
        .unwrap_or_else(|| args.path.join("model.sig"));
    let opts = super::sign::options(
        &args.path,
        &signature,
        &args.ignore_paths,
        args.no_ignore_git_paths,
        args.allow_symlinks,
        None,
    );
    let sig_display = signature.display().to_string();
    let bytes = fs_err::read(&signature)?;
    let mut findings = Vec::new();
    let mut files = Vec::new();
    let meta = |rule: Rule, path: &str, ev: String| rule.finding(Location::file(path), ev);
    match assay_signing::verify(
        &args.path,
        &bytes,
        &trust,
        &opts,
        !args.ignore_unsigned_files,
    ) {
        Ok(rows) => {
            for r in rows {
                let (m, st) = match r.status {
                    FileStatus::Ok => (None, "ok"),
                    FileStatus::Modified => (
                        Some((
                            Rule::SignedFileModified,
                            format!(
                                "sha256 {} on disk, {} signed",
                                r.actual.as_deref().unwrap_or(""),
                                r.expected.as_deref().unwrap_or("")
                            ),
                        )),
                        "modified",
                    ),
                    FileStatus::Missing => (
                        Some((Rule::SignedFileMissing, "signed file is missing".to_owned())),
                        "missing",
                    ),
                    FileStatus::Unsigned => (
                        Some((
                            Rule::UnsignedFile,
                            "file is not covered by the signature".to_owned(),
                        )),
                        "unsigned",
                    ),
                };
                if let Some((m, ev)) = m {
                    findings.push(meta(m, &r.name, ev));
                }
                files.push(FileDigest {
                    path: r.name,
                    status: st.into(),
                    expected_sha256: r.expected,
                    sha256: r.actual,
                });
            }
        }
        Err(e @ Error::BadSignature(_)) => {
            findings.push(meta(Rule::SignatureInvalid, &sig_display, e.to_string()))
        }
        Err(e @ (Error::Malformed(_) | Error::Statement(_))) => findings.push(meta(
            Rule::SignatureBundleMalformed,
            &sig_display,
            e.to_string(),
        )),
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("verifying {}", args.path.display())));
        }
    }
    let (verdict, score) = assay_rules::score(&findings);
    let report = Report::new(
        vec![ArtifactReport {
            path: args.path.display().to_string(),
            format: super::sign::format_of(&args.path),
            name: None,
            version: None,
            verdict,
            score,
            findings,
            suppressed: 0,
            omitted: Vec::new(),
            rank: None,
            author: None,
            date: None,
            files,
            packages: Vec::new(),
        }],
        Vec::new(),
    );
    super::scan::emit(&report, &args.output)?;
    Ok(super::scan::exit_code(&report, &args.output))
}

/// Every certificate in a PEM file, as DER.
pub fn read_certs(p: &std::path::Path) -> anyhow::Result<Vec<Vec<u8>>> {
    use x509_cert::der::Encode;
    let pem = fs_err::read(p)?;
    let certs = x509_cert::Certificate::load_pem_chain(&pem)
        .map_err(|e| anyhow::anyhow!("{}: not a PEM certificate chain: {e}", p.display()))?;
    certs
        .iter()
        .map(|c| {
            c.to_der()
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        })
        .collect()
}
