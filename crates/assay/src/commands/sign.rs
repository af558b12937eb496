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
            path: args.path.display().to_string(),
            format: format_of(&args.path),
            name: Some(st.name),
            version: None,
            verdict: Verdict::Clean,
            score: 0.0,
            findings: Vec::new(),
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
    if !args.output.quiet && matches!(args.output.format, assay_report::Format::Text) {
        eprintln!("assay: wrote {}", signature.display());
    }
    Ok(crate::EXIT_OK)
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
