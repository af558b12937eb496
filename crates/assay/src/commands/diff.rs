//! `assay diff` and `assay provenance`: each side is read and scanned as `assay scan`
//! reads and scans it, then `assay_release` compares them; the report has one artifact
//! per compared pair, whose findings are the introduced scan findings and the `REL`
//! findings, and whose `files` list what changed (`added`, `removed`, `changed`,
//! `renamed`; sha256 of the older side in `expected_sha256`, of the newer in `sha256`).

use super::scan::{emit, exit_code, judge, load_policy};
use crate::cli::{DiffArgs, OutputArgs, ProvenanceArgs};
use anyhow::Context;
use assay_core::{Artifact, ArtifactFormat, ArtifactReport, FileDigest, Report, lossy_text};
use assay_policy::{Date, Policy};
use assay_release::{Delta, Manifest, Side};
use assay_sources::{Input, Limits};
use std::collections::BTreeMap;
use std::path::Path;

/// A scanned side: what `assay_release` compares, plus what the report names.
struct Scanned {
    side: Side,
    format: ArtifactFormat,
    name: Option<String>,
    /// The pairing key: `sdist`, the wheel's tags, or the format.
    key: String,
}

fn today() -> (i32, u32, u32) {
    let t = Date::today_utc();
    (t.year, t.month, t.day)
}

/// Read every input `path` holds (as `assay scan` discovers them) and hand each artifact
/// to `each`. An input is named by `path` itself when it is the only one.
fn read_inputs<T>(
    path: &Path,
    limits: &Limits,
    mut each: impl FnMut(Artifact) -> T,
) -> anyhow::Result<Vec<T>> {
    let found =
        assay_sources::discover(path).with_context(|| format!("reading {}", path.display()))?;
    if found.is_empty() {
        anyhow::bail!("{}: nothing assay can read", path.display());
    }
    let single = found.len() == 1;
    let mut out = Vec::new();
    for input in found {
        let display = match &input {
            Input::Archive(f) | Input::Directory(f) | Input::File(f) if !single || f != path => {
                f.display().to_string()
            }
            _ => path.display().to_string(),
        };
        let art = assay_sources::read_input(&input, &display, limits)
            .map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        out.push(each(art));
    }
    Ok(out)
}

/// Read and judge every input `path` holds, keeping each one's manifest.
fn read_side(path: &Path, policy: &Policy, limits: &Limits) -> anyhow::Result<Vec<Scanned>> {
    read_inputs(path, limits, |art| scan_one(art, policy))
}

fn scan_one(art: Artifact, policy: &Policy) -> Scanned {
    let manifest = Manifest::of(&art);
    let key = pairing_key(&art);
    let (report, _) = judge(art, policy, today());
    let npm = manifest.npm_package.clone();
    let name = report
        .name
        .clone()
        .or_else(|| npm.as_ref().map(|p| p.0.clone()));
    let version = report.version.or_else(|| npm.map(|p| p.1));
    Scanned {
        format: report.format,
        name,
        key,
        side: Side::new(report.path, version, manifest, report.findings),
    }
}

/// `sdist`, `wheel:<python>-<abi>-<platform>`, or the format's name.
fn pairing_key(art: &Artifact) -> String {
    let base = art.path.rsplit(['/', '\\']).next().unwrap_or(&art.path);
    match art.format {
        ArtifactFormat::Sdist => "sdist".to_owned(),
        ArtifactFormat::Wheel => {
            let stem = base.strip_suffix(".whl").unwrap_or(base);
            let parts: Vec<&str> = stem.rsplitn(4, '-').collect();
            match parts.as_slice() {
                [plat, abi, py, _] => format!("wheel:{py}-{abi}-{plat}"),
                _ => "wheel".to_owned(),
            }
        }
        f => format!("{f:?}"),
    }
}

/// Pair each newer file with the older file of the same key; else, for a wheel, the
/// older wheel with the same Python and ABI tags (`cp312-cp312`, whatever the
/// manylinux level), else the same ABI (`abi3`, `none`); else the first older file of the
/// same format. A newer file is compared with nothing (all of it new) only when the older
/// release has no file of its format.
fn pair(old: &[Scanned], new: Vec<Scanned>) -> Vec<(Option<usize>, Scanned)> {
    let tags = |k: &str| -> (String, String) {
        let mut it = k.trim_start_matches("wheel:").splitn(3, '-');
        let py = it.next().unwrap_or("").to_owned();
        let abi = it.next().unwrap_or("").to_owned();
        (py, abi)
    };
    new.into_iter()
        .map(|n| {
            let find = |f: &dyn Fn(&Scanned) -> bool| old.iter().position(f);
            let (py, abi) = tags(&n.key);
            let i = find(&|o| o.key == n.key)
                .or_else(|| {
                    find(&|o| {
                        o.format == n.format
                            && o.format == ArtifactFormat::Wheel
                            && tags(&o.key) == (py.clone(), abi.clone())
                    })
                })
                .or_else(|| {
                    find(&|o| {
                        o.format == n.format
                            && o.format == ArtifactFormat::Wheel
                            && tags(&o.key).1 == abi
                    })
                })
                .or_else(|| find(&|o| o.format == n.format))
                .or_else(|| (old.len() == 1).then_some(0));
            (i, n)
        })
        .collect()
}

fn digests(d: &Delta, only_risk: bool, introduced_paths: &[String]) -> Vec<FileDigest> {
    d.files
        .iter()
        .filter(|c| !only_risk || introduced_paths.iter().any(|p| p == &c.path))
        .map(|c| FileDigest {
            path: match &c.status {
                assay_release::diff::FileStatus::Renamed(from) => format!("{from} -> {}", c.path),
                _ => c.path.clone(),
            },
            status: c.status.as_str().to_owned(),
            expected_sha256: c.old_sha256.clone(),
            sha256: c.new_sha256.clone(),
        })
        .collect()
}

fn report_of(
    label: String,
    n: &Scanned,
    delta: &Delta,
    extra: Vec<assay_core::Finding>,
    only_risk: bool,
) -> ArtifactReport {
    let mut findings = delta.verdict_findings();
    findings.extend(extra);
    findings.sort_by(|a, b| {
        (b.severity, b.confidence, a.rule).cmp(&(a.severity, a.confidence, b.rule))
    });
    let (verdict, score) = assay_rules::score_with(&findings, &assay_rules::ScoreModel::default());
    let touched: Vec<String> = findings
        .iter()
        .map(|f| n.side.normal(&f.location.path))
        .collect();
    let mut r = ArtifactReport::new(label, n.format, verdict, score, findings);
    r.name = n.name.clone();
    r.version = n.side.version.clone();
    r.files = digests(delta, only_risk, &touched);
    r
}

fn print_summary(o: &OutputArgs, what: &str, d: &Delta) {
    if o.quiet || o.output.is_some() || !matches!(o.format, assay_report::Format::Text) {
        return;
    }
    let count = |s: &str| d.files.iter().filter(|c| c.status.as_str() == s).count();
    eprintln!(
        "assay: {what}: {} added, {} removed, {} changed, {} renamed, {} unchanged files; {} findings introduced, {} resolved",
        count("added"),
        count("removed"),
        count("changed"),
        count("renamed"),
        d.unchanged,
        d.introduced.len(),
        d.resolved.len()
    );
    if o.verbose {
        for c in &d.files {
            eprintln!("  {:<8} {}", c.status.as_str(), c.path);
        }
    }
}

/// A path, or the cache directory of a registry spec's release with the spec's metadata
/// findings (DEP013–DEP015).
fn local(
    p: &Path,
    opts: &super::specs::SpecOptions,
) -> anyhow::Result<(std::path::PathBuf, Vec<assay_core::Finding>)> {
    Ok(match super::specs::resolve_path(p, opts)? {
        Some(r) => (r.dir, r.findings),
        None => (p.to_path_buf(), Vec::new()),
    })
}

/// The policy (`assay.toml` found from the arguments that are paths on disk; a registry
/// spec holds none) and the options that resolve registry specs.
fn policy_and_specs<'a>(
    output: &OutputArgs,
    registry: &crate::cli::SpecArgs,
    args: impl Iterator<Item = &'a std::path::PathBuf>,
) -> anyhow::Result<(Policy, super::specs::SpecOptions)> {
    let named: Vec<std::path::PathBuf> = args
        .filter(|p| !super::specs::is_spec(p))
        .cloned()
        .collect();
    let policy = load_policy(output, &named)?;
    let mut opts = super::specs::SpecOptions::new(registry, &policy);
    opts.announce = !output.quiet;
    Ok((policy, opts))
}

/// `assay diff OLD NEW`.
pub fn run(args: DiffArgs) -> anyhow::Result<u8> {
    let (policy, opts) = policy_and_specs(
        &args.output,
        &args.registry,
        std::iter::once(&args.old).chain(&args.new),
    )?;
    let limits = Limits::default();
    let (old, new, new_meta, upstream) = match &args.new {
        Some(new) => {
            let (old_path, _) = local(&args.old, &opts)?;
            let (new_path, new_meta) = local(new, &opts)?;
            // Both sides at once: reading an archive is mostly one thread (inflate), so
            // the two reads overlap; the rules share the thread pool.
            let (old, new) = rayon::join(
                || read_side(&old_path, &policy, &limits),
                || read_side(&new_path, &policy, &limits),
            );
            (old?, new?, new_meta, None)
        }
        None => {
            // --against-upstream: the package given is the newer side; the project it
            // imitates, fetched from the registry, the older.
            let (path, meta) = local(&args.old, &opts)?;
            let suspect = read_side(&path, &policy, &limits)?;
            let (spec, why) = upstream_spec(&suspect)?;
            let resolved = super::specs::resolve(&spec, &opts)?
                .with_context(|| format!("{spec}: not a registry spec"))?;
            (
                read_side(&resolved.dir, &policy, &limits)?,
                suspect,
                meta,
                Some((spec, why)),
            )
        }
    };
    let empty = assay_release::provenance::empty_side("(nothing)");
    let mut artifacts = Vec::new();
    for (o, n) in pair(&old, new) {
        let o_side = o.and_then(|i| old.get(i)).map_or(&empty, |s| &s.side);
        let delta = assay_release::compare(o_side, &n.side);
        let label = format!("{} -> {}", o_side.label, n.side.label);
        print_summary(&args.output, &label, &delta);
        let mut new_meta = new_meta.clone();
        if let Some((spec, why)) = &upstream {
            new_meta.extend(clone_finding(spec, why, &delta));
        }
        artifacts.push(report_of(
            label,
            &n,
            &delta,
            // The newer release's metadata (upload burst, dormancy, attestation
            // dropped) belongs to each of its files.
            new_meta,
            args.only_risk_increase,
        ));
    }
    finish(artifacts, &args.output)
}

/// The registry spec of the project a package imitates, and why it is that project:
/// the typosquat model on its name, else a popular project's repository in its metadata.
///
/// # Errors
/// When the package's name is unknown or imitates nothing.
fn upstream_spec(sides: &[Scanned]) -> anyhow::Result<(String, String)> {
    use assay_core::Ecosystem;
    let s = sides
        .first()
        .context("--against-upstream: nothing to compare")?;
    let npm = s.side.manifest.npm_package.is_some();
    let eco = if npm { Ecosystem::Npm } else { Ecosystem::PyPI };
    let name = s
        .name
        .clone()
        .context("--against-upstream: the package's name is unknown (no metadata)")?;
    let own = assay_rules::typosquat::canonical(eco, &name);
    let (target, why) = if let Some((target, how)) = assay_rules::typosquat::squats_in(eco, &name) {
        (
            target.to_owned(),
            format!("its name imitates `{target}` ({how})"),
        )
    } else if let Some(p) = sides
        .iter()
        .find_map(|s| s.side.manifest.claimed_project.clone())
        && assay_rules::typosquat::canonical(eco, &p) != own
        && assay_rules::typosquat::is_popular_in(eco, &p)
    {
        let why = format!("its metadata claims the repository of `{p}`");
        (p, why)
    } else {
        anyhow::bail!(
            "--against-upstream: `{name}` imitates no popular project by its name or its metadata; name the original with `assay diff ORIGINAL {}`",
            s.side.label
        );
    };
    let version = s.side.version.clone();
    let spec = match (npm, version) {
        (false, Some(v)) => format!("pypi:{target}=={v}"),
        (false, None) => format!("pypi:{target}"),
        (true, Some(v)) => format!("npm:{target}@{v}"),
        (true, None) => format!("npm:{target}"),
    };
    Ok((spec, why))
}

/// `REL013` when the copy's introduced findings reach the network or start processes.
fn clone_finding(spec: &str, why: &str, delta: &Delta) -> Option<assay_core::Finding> {
    use assay_core::Capability;
    let sinks: Vec<&assay_core::Finding> = delta
        .introduced
        .iter()
        .filter(|f| {
            f.capabilities
                .iter()
                .any(|c| matches!(c, Capability::Network | Capability::Process))
        })
        .collect();
    let first = sinks.first()?;
    Some(assay_core::Rule::TrojanisedClone.finding(
        first.location.clone(),
        format!(
            "{why}; compared with {spec}, the copy adds {} finding(s) that reach the network or start processes, first {} in {}",
            sinks.len(),
            first.rule.label(),
            first.location.path
        ),
    ))
}

fn finish(artifacts: Vec<ArtifactReport>, o: &OutputArgs) -> anyhow::Result<u8> {
    let report = Report::new(artifacts, Vec::new());
    emit(&report, o)?;
    Ok(exit_code(&report, o))
}

/// `assay provenance ARTIFACT --repo PATH [--rev TAG]`.
pub fn provenance(args: ProvenanceArgs) -> anyhow::Result<u8> {
    let (policy, opts) = policy_and_specs(
        &args.output,
        &args.registry,
        std::iter::once(&args.artifact),
    )?;
    let (artifact, _) = local(&args.artifact, &opts)?;
    let limits = Limits::default();
    let mut artifacts = Vec::new();
    let read: Vec<(Scanned, BTreeMap<String, String>)> = read_inputs(&artifact, &limits, |art| {
        // Published texts by raw path, for the content checks (judging releases them).
        let texts: BTreeMap<String, String> = art
            .entries
            .iter()
            .filter(|e| e.complete && !e.data.is_empty() && assay_lang_text(e.file_kind))
            .map(|e| (e.path.clone(), lossy_text(&e.data).into_owned()))
            .collect();
        (scan_one(art, &policy), texts)
    })?;
    // A release's files together (what `pypi:NAME==VERSION` fetches): each wheel against
    // the sdist too (REL012).
    let sdists: Vec<usize> = (0..read.len())
        .filter(|&i| {
            read.get(i)
                .is_some_and(|(s, _)| s.format == ArtifactFormat::Sdist)
        })
        .collect();
    let sdist = match sdists.as_slice() {
        [i] => read.get(*i),
        _ => None,
    };
    let against_sdist: Vec<Vec<assay_core::Finding>> = read
        .iter()
        .map(|(n, texts)| match sdist {
            Some((s, s_texts)) if n.format == ArtifactFormat::Wheel => {
                assay_release::provenance::wheel_vs_sdist(
                    &n.side,
                    &|p| texts.get(p).cloned(),
                    &s.side,
                    &|p| s_texts.get(p).cloned(),
                )
            }
            _ => Vec::new(),
        })
        .collect();
    for ((n, texts), wheel_vs_sdist) in read.into_iter().zip(against_sdist) {
        let Some(repo) = &args.repo else {
            // No source tree: the artifact's own findings and the wheel against the sdist.
            let empty = assay_release::provenance::empty_side("(no repository)");
            let mut delta = assay_release::compare(&empty, &n.side);
            keep_for_provenance(&mut delta, true);
            let label = n.side.label.clone();
            artifacts.push(report_of(label, &n, &delta, wheel_vs_sdist, true));
            continue;
        };
        let rev = match &args.rev {
            Some(r) => Some(r.clone()),
            None => match n.side.version.as_deref() {
                Some(v) => assay_history::tree::tags_for_version(repo, n.name.as_deref(), v)?
                    .into_iter()
                    .next(),
                None => None,
            },
        };
        let Some(rev) = rev else {
            // Nothing to compare with: every finding of the artifact stands, and the
            // missing tag is one more.
            let tag = assay_release::provenance::no_tag(
                n.side.version.as_deref(),
                "v<version>, <version>, <name>-<version>, <name>@<version>, release-<version>",
            );
            let empty = assay_release::provenance::empty_side("(no tag)");
            let mut delta = assay_release::compare(&empty, &n.side);
            keep_for_provenance(&mut delta, true);
            let label = format!("{} (no tag in {})", n.side.label, repo.display());
            let mut extra = vec![tag];
            extra.extend(wheel_vs_sdist);
            artifacts.push(report_of(label, &n, &delta, extra, true));
            continue;
        };
        let tree =
            assay_history::tree::read_tree(repo, &rev, assay_history::tree::TreeLimits::default())?;
        let mut src = Artifact::new(
            format!("{}@{rev}", repo.display()),
            ArtifactFormat::Directory,
        );
        let mut files = BTreeMap::new();
        for f in &tree.files {
            files.insert(f.path.clone(), f.data.clone());
            let mut e = assay_core::Entry::file(f.path.clone(), f.data.clone(), u64::MAX);
            e.complete = f.complete;
            e.size = f.size;
            src.entries.push(e);
        }
        let ignores = assay_release::provenance::Ignores::new(
            tree.files
                .iter()
                .filter(|f| f.path == ".gitignore" || f.path.ends_with("/.gitignore"))
                .map(|f| (f.path.as_str(), f.data.as_slice())),
        );
        let s = scan_one(src, &policy);
        // The source side is compared by repository path, under the published layout.
        let published: Vec<String> = n
            .side
            .manifest
            .files
            .iter()
            .map(|f| n.side.normal(&f.path))
            .collect();
        let paths: std::collections::HashSet<&str> = files.keys().map(String::as_str).collect();
        let prefix =
            assay_release::provenance::layout_prefix(published.iter().map(String::as_str), &paths);
        let source_side = Side::new(
            s.side.label.clone(),
            n.side.version.clone(),
            s.side.manifest.clone(),
            s.side.findings.clone(),
        )
        .with_root((!prefix.is_empty()).then(|| prefix.trim_end_matches('/').to_owned()));
        let mut extra = assay_release::provenance::findings(&n.side, &files, &ignores, &|p| {
            texts.get(p).cloned()
        });
        extra.extend(wheel_vs_sdist);
        if tree.truncated {
            extra.push(assay_core::Rule::FileNotInSource.finding(
                assay_core::Location::file(""),
                format!("the tree of {rev} is larger than assay's bounds; files past them were not compared"),
            ));
        }
        let mut delta = assay_release::compare(&source_side, &n.side);
        keep_for_provenance(&mut delta, false);
        let label = format!(
            "{} vs {}@{rev} ({})",
            n.side.label,
            repo.display(),
            &tree.commit.get(..12).unwrap_or("")
        );
        print_summary(&args.output, &label, &delta);
        artifacts.push(report_of(label, &n, &delta, extra, true));
    }
    finish(artifacts, &args.output)
}

/// The `REL` findings that mean something against a source tree (`nothing` false) or
/// against nothing at all (no tag, no repository). A build turns sources into native
/// code, minified bundles and metadata, so against a tree every extension module would
/// be "new native code" and every declared dependency "new": those stay out (what is
/// only in the artifact is `REL007`'s to say), as does, against nothing, every host.
/// A dependency whose name imitates another stays.
fn keep_for_provenance(delta: &mut Delta, nothing: bool) {
    use assay_core::Rule;
    delta.findings.retain(|f| match f.rule {
        Rule::NativeBinaryAdded | Rule::OpaqueBlobAdded => false,
        Rule::EndpointAdded => !nothing,
        Rule::DependencyAdded => f.severity >= assay_core::Severity::High,
        _ => true,
    });
}

fn assay_lang_text(k: assay_core::FileKind) -> bool {
    use assay_core::FileKind::*;
    matches!(
        k,
        Python | Pth | JavaScript | Script | Text | SetupCfg | CoreMetadata
    )
}
