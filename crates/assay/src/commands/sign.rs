//! `assay sign`: write an OMS v1.0 Sigstore bundle for a model (key or certificate method).

use crate::cli::SignArgs;
use anyhow::Context;
use assay_core::{ArtifactFormat, ArtifactReport, FileDigest, Report, Verdict};
use assay_signing::{Method, Options, PrivateKey};

/// Sign `args.path`; prints the report (one artifact listing every signed digest).
pub fn run(args: SignArgs) -> anyhow::Result<u8> {
    let pem = fs_err::read_to_string(&args.key)?;
    let key =
        PrivateKey::from_pem(&pem).with_context(|| format!("reading {}", args.key.display()))?;
    let chain = match &args.signing_certificate {
        Some(leaf) => {
            let mut c = super::verify::read_certs(leaf)?;
            for p in &args.certificate_chain {
                c.extend(super::verify::read_certs(p)?);
            }
            Some(c)
        }
        None => None,
    };
    let signature = args
        .signature
        .clone()
        .unwrap_or_else(|| args.path.join("model.sig"));
    let opts = options(
        &args.path,
        &signature,
        &args.ignore_paths,
        args.no_ignore_git_paths,
        args.allow_symlinks,
        args.shard_size,
    );
    let bundle = assay_signing::sign(&args.path, &key, chain.as_deref(), &opts)
        .with_context(|| format!("signing {}", args.path.display()))?;
    fs_err::write(&signature, bundle)?;
    let st = assay_signing::Bundle::parse(&fs_err::read(&signature)?)
        .and_then(|b| assay_signing::Statement::parse(&b.payload))
        .context("re-reading the written bundle")?;
    let files = st
        .resources
        .iter()
        .map(|r| FileDigest {
            path: r.name.clone(),
            status: "signed".into(),
            expected_sha256: None,
            sha256: Some(assay_signing::hex(&r.digest)),
        })
        .collect();
    let report = Report::new(
        vec![ArtifactReport {
            name: Some(st.name),
            files,
            ..ArtifactReport::new(
                args.path.display().to_string(),
                format_of(&args.path),
                Verdict::Clean,
                0.0,
                Vec::new(),
            )
        }],
        Vec::new(),
    );
    if args.output.format == assay_report::Format::Text {
        let method = match st.method {
            Method::Files => "files".to_owned(),
            Method::Shards { shard_size } => format!("shards of {shard_size} bytes"),
        };
        let text = sign_text(
            &report,
            &SignSummary {
                signer: key.algorithm(),
                method: &method,
                bundle: &signature.display().to_string(),
                certificate: chain.is_some(),
            },
            &args.output,
        );
        super::verify::write_text(&text, &args.output)?;
    } else {
        super::scan::emit(&report, &args.output)?;
    }
    Ok(crate::EXIT_OK)
}

/// What `sign`'s text output says besides the files.
pub struct SignSummary<'a> {
    /// [`PrivateKey::algorithm`].
    pub signer: &'a str,
    /// `files`, or `shards of N bytes`.
    pub method: &'a str,
    /// Where the bundle was written.
    pub bundle: &'a str,
    /// Certificate method (else key method).
    pub certificate: bool,
}

/// `sign`'s text output (the JSON/SARIF report is the same as ever):
///
/// ```text
/// signed 3 files of model: sha256 digests (serialization: files), ECDSA P-256 / SHA-256 key
///   README.md        sha256 0a1b…
/// bundle: model/model.sig
/// ```
///
/// `--quiet` keeps the first line; `--verbose` shows whole digests.
pub fn sign_text(report: &Report, s: &SignSummary<'_>, o: &crate::cli::OutputArgs) -> String {
    use std::fmt::Write as _;
    let Some(a) = report.artifacts.first() else {
        return String::new();
    };
    let mut names: Vec<&str> = a
        .files
        .iter()
        .map(|f| super::verify::file_of(&f.path))
        .collect();
    names.dedup();
    let n = names.len();
    let mut out = format!(
        "signed {n} {} of {}: sha256 digests (serialization: {}), {} {}\n",
        if n == 1 { "file" } else { "files" },
        assay_report::terminal::escape(&a.path),
        s.method,
        s.signer,
        if s.certificate { "certificate" } else { "key" },
    );
    if o.quiet {
        return out;
    }
    let width = a
        .files
        .iter()
        .map(|f| f.path.chars().count())
        .max()
        .unwrap_or(0);
    for f in &a.files {
        let digest = f.sha256.as_deref().unwrap_or_default();
        let shown = if o.verbose {
            digest
        } else {
            digest.get(..16).unwrap_or(digest)
        };
        let _ = writeln!(
            out,
            "  {:<width$}  sha256 {shown}{}",
            assay_report::terminal::escape(&f.path),
            if o.verbose { "" } else { "…" },
        );
    }
    let _ = writeln!(out, "bundle: {}", assay_report::terminal::escape(s.bundle));
    out
}

/// `directory` or `file`.
pub fn format_of(p: &std::path::Path) -> ArtifactFormat {
    if p.is_dir() {
        ArtifactFormat::Directory
    } else {
        ArtifactFormat::File
    }
}

/// Hashing options: the reference's default git ignores, `--ignore-paths` and the
/// signature file itself, all relative to the model root.
pub fn options(
    model: &std::path::Path,
    signature: &std::path::Path,
    ignore: &[std::path::PathBuf],
    no_git: bool,
    allow_symlinks: bool,
    shard_size: Option<u64>,
) -> Options {
    let mut opts = Options::default();
    if no_git {
        opts.ignore_paths.clear();
    }
    let root = std::path::absolute(model).unwrap_or_else(|_| model.to_path_buf());
    for p in ignore
        .iter()
        .map(|p| p.as_path())
        .chain(std::iter::once(signature))
    {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        if let Ok(rel) = abs.strip_prefix(&root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if !rel.is_empty() && !opts.ignore_paths.contains(&rel) {
                opts.ignore_paths.push(rel);
            }
        }
    }
    opts.allow_symlinks = allow_symlinks;
    if let Some(s) = shard_size {
        opts.method = Method::Shards {
            shard_size: s.max(1),
        };
    }
    opts
}
