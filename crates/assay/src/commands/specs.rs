//! Registry specs on the command line — `pypi:NAME[==VERSION]`, `npm:NAME[@VERSION]` —
//! accepted wherever a path is: where they are fetched from ([`SpecOptions`]: flags,
//! then environment, then `assay.toml`, then the public registries) and their
//! resolution ([`resolve`]) into the release's files, verified and cached on disk, plus
//! the release metadata findings (DEP011, DEP013–DEP015). The fetching, verification
//! and the rules live in `assay_deps::registry`; this module only wires them to the CLI.
//!
//! The metadata findings belong to one artifact named after the resolved spec
//! (`pypi:litellm==1.82.8`, format `directory`), reported beside the artifacts of the
//! release's files ([`Resolved::metadata_artifact`]): they describe the release, not one
//! file, except where a finding names a file (a late upload, an unattested wheel) in its
//! location.

use crate::cli::SpecArgs;
use assay_core::{Artifact, ArtifactFormat, Finding};
use assay_policy::Policy;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The simple index used when nothing else is configured.
pub const DEFAULT_INDEX_URL: &str = "https://pypi.org/simple";
/// The npm registry used when nothing else is configured.
pub const DEFAULT_NPM_REGISTRY: &str = "https://registry.npmjs.org";

/// Where and how specs are fetched.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "net"), allow(dead_code))] // only `fetch` reads them
pub struct SpecOptions {
    /// The PEP 503/691 simple index (`--index-url`, `$ASSAY_INDEX_URL`,
    /// `[registry] index-url`, [`DEFAULT_INDEX_URL`]).
    pub index_url: String,
    /// The npm registry (`--npm-registry`, `$ASSAY_NPM_REGISTRY`,
    /// `[registry] npm-registry`, [`DEFAULT_NPM_REGISTRY`]).
    pub npm_registry: String,
    /// The cache directory (`assay_deps::db::cache_dir`: `$ASSAY_CACHE_DIR`,
    /// `$XDG_CACHE_HOME/assay`, `~/.cache/assay`); `None` makes a spec an error.
    pub cache_dir: Option<PathBuf>,
    /// Connecting and waiting for a response; also the longest pause in a body (a slow
    /// download that keeps moving is not cut off).
    pub timeout: Duration,
    /// Bounds of one release (documents, files, bytes).
    pub limits: assay_deps::registry::Limits,
    /// Print one line per resolved spec on standard error.
    pub announce: bool,
}

impl SpecOptions {
    /// Flags first, then `$ASSAY_INDEX_URL` / `$ASSAY_NPM_REGISTRY` (empty counts as
    /// unset), then `policy`'s `[registry]` table, then the public registries; the
    /// default cache directory, a 60-second timeout, the default limits.
    pub fn new(args: &SpecArgs, policy: &Policy) -> SpecOptions {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        SpecOptions {
            index_url: args
                .index_url
                .clone()
                .or_else(|| env("ASSAY_INDEX_URL"))
                .or_else(|| policy.index_url().map(str::to_owned))
                .unwrap_or_else(|| DEFAULT_INDEX_URL.to_owned()),
            npm_registry: args
                .npm_registry
                .clone()
                .or_else(|| env("ASSAY_NPM_REGISTRY"))
                .or_else(|| policy.npm_registry().map(str::to_owned))
                .unwrap_or_else(|| DEFAULT_NPM_REGISTRY.to_owned()),
            cache_dir: assay_deps::db::cache_dir(),
            timeout: Duration::from_secs(60),
            limits: assay_deps::registry::Limits::default(),
            announce: true,
        }
    }
}

/// A spec resolved to files on disk.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The release as an exact spec: `pypi:NAME==VERSION` / `npm:NAME@VERSION`.
    pub label: String,
    /// The release directory in the cache: exactly the release's files, under their
    /// published names (scan it like any directory of archives).
    pub dir: PathBuf,
    /// The release's files (inside `dir`), in the registry's order.
    // `assay scan` reads `dir`; `assay diff` and `assay provenance` read the files.
    #[allow(dead_code)]
    pub files: Vec<PathBuf>,
    /// The release metadata findings (DEP011, DEP013–DEP015); their location path is a
    /// file name of the release or empty.
    pub findings: Vec<Finding>,
}

impl Resolved {
    /// The artifact the metadata findings are reported on: named [`Resolved::label`],
    /// format `directory`, no entries. `None` when there are no findings.
    pub fn metadata_artifact(&self) -> Option<Artifact> {
        if self.findings.is_empty() {
            return None;
        }
        let mut art = Artifact::new(self.label.clone(), ArtifactFormat::Directory);
        art.findings = self.findings.clone();
        Some(art)
    }
}

/// Whether a command-line path is a registry spec (`pypi:…`, `npm:…`); such an argument
/// is never read from disk (write `./pypi:x` for a file of that name).
pub fn is_spec(arg: &Path) -> bool {
    arg.to_str().is_some_and(assay_deps::registry::is_spec)
}

/// [`resolve`] for a command-line path: `Ok(None)` when it is not a spec.
pub fn resolve_path(arg: &Path, opts: &SpecOptions) -> anyhow::Result<Option<Resolved>> {
    match arg.to_str() {
        Some(s) if assay_deps::registry::is_spec(s) => resolve(s, opts),
        _ => Ok(None),
    }
}

/// Turn a registry spec into the release's verified files (downloading what the cache
/// lacks) and its metadata findings. `Ok(None)` when `arg` is not a spec.
///
/// # Errors
/// A malformed spec; an index, registry or download failure (naming the URL); no
/// matching release; a file without a published digest or whose download does not
/// match it (naming the file); a passed bound; no cache directory; a build without the
/// `net` feature.
pub fn resolve(arg: &str, opts: &SpecOptions) -> anyhow::Result<Option<Resolved>> {
    let Some(spec) = assay_deps::registry::Spec::parse(arg)? else {
        return Ok(None);
    };
    fetch(&spec, opts).map(Some)
}

#[cfg(feature = "net")]
fn fetch(spec: &assay_deps::registry::Spec, opts: &SpecOptions) -> anyhow::Result<Resolved> {
    use anyhow::Context as _;
    let cache_dir = opts
        .cache_dir
        .clone()
        .ok_or(assay_deps::registry::RegistryError::NoCache)?;
    let client = assay_deps::net::Client::new(assay_deps::net::Timeouts {
        connect: opts.timeout,
        read: opts.timeout,
        total: None,
    });
    let fetch_opts = assay_deps::registry::FetchOptions {
        index_url: opts.index_url.clone(),
        npm_registry: opts.npm_registry.clone(),
        cache_dir,
        limits: opts.limits,
    };
    let f = assay_deps::registry::fetch(&client, spec, &fetch_opts)
        .with_context(|| format!("fetching {spec}"))?;
    if opts.announce {
        let bytes: u64 = f.files.iter().map(|x| x.size).sum();
        let cached = f.files.iter().filter(|x| x.cached).count();
        eprintln!(
            "assay: {}: {} file(s), {:.1} MB ({} from the cache), verified, in {}",
            f.label,
            f.files.len(),
            bytes as f64 / 1e6,
            cached,
            f.dir.display()
        );
    }
    Ok(Resolved {
        label: f.label,
        dir: f.dir,
        files: f.files.into_iter().map(|x| x.path).collect(),
        findings: f.findings,
    })
}

#[cfg(not(feature = "net"))]
fn fetch(spec: &assay_deps::registry::Spec, _: &SpecOptions) -> anyhow::Result<Resolved> {
    anyhow::bail!(
        "{spec}: registry specs need network access; this assay was built without the `net` feature"
    )
}
