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
            files,
            ..ArtifactReport::new(
                args.path.display().to_string(),
                super::sign::format_of(&args.path),
                verdict,
                score,
                findings,
            )
        }],
        Vec::new(),
    );
    if args.output.format == assay_report::Format::Text {
        let how = match &trust {
            Trust::Key(k) => format!("{} key", k.algorithm()),
            Trust::Certificates(_) => "certificate chain".to_owned(),
            Trust::Keyless(k) => format!("Sigstore identity {} ({})", k.identity, k.issuer),
        };
        write_text(
            &verify_text(&report, &how, &sig_display, &args.output),
            &args.output,
        )?;
    } else {
        super::scan::emit(&report, &args.output)?;
    }
    Ok(super::scan::exit_code(&report, &args.output))
}

/// The file a resource name is about: `path` for a shard `path:start:end`.
pub fn file_of(resource: &str) -> &str {
    let mut it = resource.rsplitn(3, ':');
    match (it.next(), it.next(), it.next()) {
        (Some(end), Some(start), Some(file))
            if !file.is_empty()
                && end.bytes().all(|b| b.is_ascii_digit())
                && start.bytes().all(|b| b.is_ascii_digit()) =>
        {
            file
        }
        _ => resource,
    }
}

/// `verify`'s text output (the JSON/SARIF report is the same as ever). Success:
///
/// ```text
/// verified 3 files of model against model/model.sig (sha256, ECDSA P-256 / SHA-256 key)
/// ```
///
/// Failure, one line per reason, then what still matched:
///
/// ```text
/// verification FAILED: model against model/model.sig (ECDSA P-256 / SHA-256 key)
///   sub/weights.bin: changed (sha256 9f86… on disk, 2c26… signed)
///   extra.txt: not covered by the signature
/// 2 of 3 signed files verified
/// ```
///
/// `--quiet` keeps the first line; `--verbose` also lists the verified files and whole
/// digests.
pub fn verify_text(report: &Report, how: &str, bundle: &str, o: &crate::cli::OutputArgs) -> String {
    use assay_report::terminal::escape;
    use std::fmt::Write as _;
    let Some(a) = report.artifacts.first() else {
        return String::new();
    };
    let path = escape(&a.path);
    let bundle = escape(bundle);
    let mut files: Vec<&str> = a
        .files
        .iter()
        .filter(|f| f.status != "unsigned")
        .map(|f| file_of(&f.path))
        .collect();
    files.dedup();
    let mut ok: Vec<&str> = a
        .files
        .iter()
        .filter(|f| f.status == "ok")
        .map(|f| file_of(&f.path))
        .collect();
    ok.dedup();
    // A file with one bad shard is not verified.
    let bad: Vec<&str> = a
        .files
        .iter()
        .filter(|f| f.status != "ok")
        .map(|f| file_of(&f.path))
        .collect();
    ok.retain(|f| !bad.contains(f));
    let plural = |n: usize| if n == 1 { "file" } else { "files" };
    if a.findings.is_empty() {
        let mut out = format!(
            "verified {} {} of {path} against {bundle} (sha256, {how})\n",
            ok.len(),
            plural(ok.len())
        );
        if o.verbose {
            for f in &ok {
                let _ = writeln!(out, "  {}: ok", escape(f));
            }
        }
        return out;
    }
    let mut out = format!("verification FAILED: {path} against {bundle} ({how})\n");
    if o.quiet {
        return out;
    }
    let short = |d: Option<&str>| {
        let d = d.unwrap_or_default();
        if o.verbose {
            d.to_owned()
        } else {
            format!("{}…", d.get(..12).unwrap_or(d))
        }
    };
    for f in &a.findings {
        let p = escape(&f.location.path);
        let reason = match f.rule {
            Rule::SignedFileModified => {
                let row = a.files.iter().find(|x| x.path == f.location.path);
                format!(
                    "{p}: changed (sha256 {} on disk, {} signed)",
                    short(row.and_then(|r| r.sha256.as_deref())),
                    short(row.and_then(|r| r.expected_sha256.as_deref()))
                )
            }
            Rule::SignedFileMissing => format!("{p}: missing (signed, not on disk)"),
            Rule::UnsignedFile => format!("{p}: not covered by the signature"),
            // The evidence already says what failed ("signature does not verify: …",
            // "malformed bundle: …").
            Rule::SignatureInvalid | Rule::SignatureBundleMalformed => escape(&f.evidence),
            _ => format!("{p}: {}", escape(&f.evidence)),
        };
        let _ = writeln!(out, "  {reason}  [{}]", f.rule.code());
    }
    if !files.is_empty() {
        let _ = writeln!(
            out,
            "{} of {} signed {} verified",
            ok.len(),
            files.len(),
            plural(files.len())
        );
    }
    out
}

/// Write a command's text output to `--output` or stdout.
pub fn write_text(text: &str, o: &crate::cli::OutputArgs) -> anyhow::Result<()> {
    use std::io::Write as _;
    match &o.output {
        Some(p) => fs_err::write(p, text)?,
        None => {
            let mut lock = std::io::stdout().lock();
            lock.write_all(text.as_bytes())?;
            lock.flush()?;
        }
    }
    Ok(())
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
