//! `assay scan`: read each input into an artifact, run the rules, apply the policy,
//! score, report.

use crate::cli::{OutputArgs, ScanArgs};
use anyhow::Context;
use assay_core::{Artifact, ArtifactFormat, ArtifactReport, Report};
use assay_policy::{Date, Policy};
use assay_report::RenderOptions;
use assay_sources::{Input, Limits};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Scan the given paths (or the active environment) and report.
pub fn run(args: ScanArgs) -> anyhow::Result<u8> {
    // Registry specs (`pypi:…`, `npm:…`) are not paths on disk: no config lies inside them.
    let local: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| !super::specs::is_spec(p))
        .cloned()
        .collect();
    let policy = load_policy(&args.output, &local)?;
    let db_path = args.db.clone().or_else(assay_deps::db::default_path);
    match &db_path {
        Some(p) if p.is_file() => {
            super::deps::install_iocs(&assay_deps::db::Db::open(p)?)?;
        }
        _ if args.db.is_some() => {
            anyhow::bail!(
                "advisory index {} does not exist",
                db_path.unwrap_or_default().display()
            )
        }
        _ => {}
    }
    let limits = Limits::default();
    let mut inputs: Vec<(Input, String)> = Vec::new();
    // Workflow-only and agent-only artifacts: the `.github/`, skill folders and agent
    // configurations of a directory that is not read whole as one package (see
    // [`workflow_artifact`], [`agent_artifacts`]).
    let mut ci_artifacts: Vec<Artifact> = Vec::new();
    let mut env: Option<assay_sources::PythonEnv> = None;
    // With no argument inside a Node project (a `package.json` and a `node_modules/`
    // here) and no `--python`, its installed packages are what runs: scan
    // `node_modules`, one artifact per package, as an environment is scanned.
    let node_project = args.paths.is_empty()
        && args.python.is_none()
        && std::path::Path::new("package.json").is_file()
        && std::path::Path::new("node_modules").is_dir();
    let paths: Vec<PathBuf> = if node_project {
        vec![PathBuf::from("node_modules")]
    } else {
        args.paths.clone()
    };
    if paths.is_empty() {
        let python = args
            .python
            .clone()
            .unwrap_or_else(|| PathBuf::from("python3"));
        env = Some(
            assay_sources::locate_environment(&python)
                .with_context(|| format!("locating the environment of {}", python.display()))?,
        );
    } else {
        let mut spec_opts = super::specs::SpecOptions::new(&args.registry, &policy);
        spec_opts.announce = !args.output.quiet;
        for p in &paths {
            let ci_count_at_start = ci_artifacts.len();
            // A registry spec is the directory of its release's files in the cache; the
            // release metadata findings are an artifact of their own (see specs.rs).
            let resolved = super::specs::resolve_path(p, &spec_opts)?;
            ci_artifacts.extend(resolved.as_ref().and_then(|r| r.metadata_artifact()));
            let p = resolved.as_ref().map_or(p, |r| &r.dir);
            let found =
                assay_sources::discover(p).with_context(|| format!("reading {}", p.display()))?;
            let mut pins = if args.online {
                super::tags::online_pin_findings(p, args.timeout)?
            } else {
                Vec::new()
            };
            if let Some(mut art) = workflow_artifact(p, &found)? {
                art.findings.append(&mut pins);
                ci_artifacts.push(art);
            }
            if !pins.is_empty() {
                // The workflows are judged inside the project's own artifact: the pin
                // findings are an artifact of their own, named after the workflow folder.
                let mut art = Artifact::new(
                    p.join(".github/workflows").display().to_string(),
                    ArtifactFormat::Directory,
                );
                art.findings = pins;
                ci_artifacts.push(art);
            }
            let agents = agent_artifacts(p, &found, &limits)?;
            // A skill folder is one artifact, read whole: its scripts, archives and
            // binaries are not inputs of their own as well.
            let skills: Vec<PathBuf> = agents
                .iter()
                .filter(|a| a.format == ArtifactFormat::Skill)
                .map(|a| PathBuf::from(&a.path))
                .collect();
            ci_artifacts.extend(agents);
            let found: Vec<Input> = found
                .into_iter()
                .filter(|i| !skills.iter().any(|s| i.path().starts_with(s)))
                .collect();
            // A directory in which nothing was found to scan (loose JavaScript, data)
            // is read whole: a path the user named is never "0 artifacts".
            let before = ci_artifacts.len();
            let found = if found.is_empty() && before == ci_count_at_start && p.is_dir() {
                vec![Input::Directory(p.clone())]
            } else {
                found
            };
            let single = found.len() == 1;
            for i in found {
                // The path the user named, unless discovery found something else inside
                // it (a directory holding one file): then that file's own path, so its
                // name (`model.pkl`) still tells what it is.
                let display = match (&i, single) {
                    (Input::Archive(f) | Input::Directory(f) | Input::File(f), true) if f != p => {
                        f.display().to_string()
                    }
                    (_, true) => p.display().to_string(),
                    (Input::Archive(f) | Input::Directory(f) | Input::File(f), false) => {
                        f.display().to_string()
                    }
                };
                inputs.push((i, display));
            }
        }
    }

    let bar = progress(&args.output, inputs.len());
    let today = Date::today_utc();
    let today = (today.year, today.month, today.day);
    let mut errors: Vec<String> = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    let mut artifacts: Vec<ArtifactReport> = Vec::new();

    if let Some(env) = env {
        let art =
            assay_sources::read_environment(&env, &limits).context("reading the environment")?;
        // One artifact per installed distribution plus the environment-level one
        // (analysis still sees the whole environment; see `environment.rs`).
        let (rs, u) = judge_environment(art, &policy, today);
        artifacts.extend(rs);
        used.extend(u);
    }
    let one = |(input, display): &(Input, String)| {
        let r = assay_sources::read_input(input, display, &limits)
            .map(|art| judge_tree(art, &policy, today))
            .map_err(|e| format!("{display}: {e}"));
        if let Some(b) = &bar {
            b.inc(1);
        }
        r
    };
    // Small inputs are judged in parallel; large ones (and directories) one at a time,
    // each with the whole thread pool inside it, so that two large artifacts are never
    // held in memory at once (the per-process bound in docs/benchmarks.md).
    let (large, small): (Vec<usize>, Vec<usize>) =
        (0..inputs.len()).partition(|&i| inputs.get(i).is_some_and(|(x, _)| is_large(x)));
    let mut results: Vec<Option<Judged>> = (0..inputs.len()).map(|_| None).collect();
    let parallel: Vec<(usize, Judged)> = small
        .par_iter()
        .filter_map(|&i| inputs.get(i).map(|x| (i, one(x))))
        .collect();
    for (i, r) in parallel {
        if let Some(slot) = results.get_mut(i) {
            *slot = Some(r);
        }
    }
    for i in large {
        if let (Some(x), Some(slot)) = (inputs.get(i), results.get_mut(i)) {
            *slot = Some(one(x));
        }
    }
    let mut results: Vec<Judged> = results.into_iter().flatten().collect();
    results.extend(ci_artifacts.into_iter().map(|art| {
        let (r, u) = judge(art, &policy, today);
        Ok((vec![r], u))
    }));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for r in results {
        match r {
            Ok((a, u)) => {
                artifacts.extend(a);
                used.extend(u);
            }
            Err(e) => errors.push(e),
        }
    }
    used.sort_unstable();
    used.dedup();
    let mut report = Report::new(artifacts, policy.unused(&used));
    report.config = policy.source.as_ref().map(|p| p.display().to_string());
    for e in policy.expired(today) {
        eprintln!(
            "assay: warning: suppression #{} ({}) expired on {}: {}",
            e.index + 1,
            e.rule,
            e.expires,
            e.reason
        );
    }
    emit(&report, &args.output)?;
    for e in &errors {
        eprintln!("assay: error: {e}");
    }
    if !errors.is_empty() {
        return Ok(crate::EXIT_ERROR);
    }
    Ok(exit_code(&report, &args.output))
}

/// The workflow files of a directory named on the command line, as an artifact of their
/// own, when discovery does not read that directory whole (a package or model directory
/// is one artifact, whose workflows [`judge`] audits with the rest): a repository that
/// is not a Python project, a `.github/` folder, a `workflows/` folder. `None` for files
/// (a single workflow file is an ordinary input) and directories without workflows.
fn workflow_artifact(p: &std::path::Path, found: &[Input]) -> anyhow::Result<Option<Artifact>> {
    if !p.is_dir()
        || found
            .iter()
            .any(|i| matches!(i, Input::Directory(d) if d == p))
    {
        return Ok(None);
    }
    assay_ci::disk::artifact(p, &p.display().to_string())
        .with_context(|| format!("reading the workflows of {}", p.display()))
}

/// The agent files of a directory named on the command line that discovery does not
/// read whole (crate `assay_agents`): one artifact per skill folder (format `skill`),
/// one for the other agent files (configurations, instruction files, tool lists, MCP
/// server source other than loose `.py` files, which are inputs of their own). Package
/// directories that discovery yields are left out: [`judge`] audits their agent files
/// with the rest. Empty for files.
///
/// A skill folder is read whole by the directory source (every file, nested archives
/// opened, the source's bounds and `ARC` findings), so the package rules see what the
/// skill ships besides text and scripts: bytecode (`PKG013`), native executables,
/// archives with traversal (`ARC001`).
fn agent_artifacts(
    p: &std::path::Path,
    found: &[Input],
    limits: &Limits,
) -> anyhow::Result<Vec<Artifact>> {
    if !p.is_dir() {
        return Ok(Vec::new());
    }
    let whole: Vec<PathBuf> = found
        .iter()
        .filter_map(|i| match i {
            Input::Directory(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    if whole.iter().any(|d| d == p) {
        return Ok(Vec::new());
    }
    let arts = assay_agents::disk::artifacts(p, &whole)
        .with_context(|| format!("reading the agent files of {}", p.display()))?;
    arts.into_iter()
        .map(|a| {
            if a.format != ArtifactFormat::Skill {
                return Ok(a);
            }
            let dir = PathBuf::from(&a.path);
            let mut whole = assay_sources::read_input(&Input::Directory(dir), &a.path, limits)
                .with_context(|| format!("reading the skill folder {}", a.path))?;
            whole.format = ArtifactFormat::Skill;
            Ok(whole)
        })
        .collect()
}

/// One input's report entry and the policy entries it used, or the error naming it.
type Judged = Result<(Vec<ArtifactReport>, Vec<usize>), String>;

/// Inputs larger than this (bytes on disk) are judged one at a time (see [`is_large`]).
pub const LARGE_INPUT_BYTES: u64 = 8 << 20;

/// Whether an input may need hundreds of MiB to judge: a directory (an environment or a
/// model directory), or a file over [`LARGE_INPUT_BYTES`]. Archives expand (aws-cdk-lib's
/// 60 MB wheel holds 237 MB that the rules read), so two of them at once can pass the
/// process bound that one stays under.
fn is_large(input: &Input) -> bool {
    match input {
        // A package of a `node_modules` tree is large only when its files are (a Node
        // project has hundreds of small ones, judged in parallel).
        Input::Directory(p) if p.components().any(|c| c.as_os_str() == "node_modules") => {
            dir_bytes_over(p, LARGE_PACKAGE_DIR_BYTES)
        }
        Input::Directory(_) => true,
        Input::Archive(p) | Input::File(p) => {
            std::fs::metadata(p).map_or(true, |m| m.len() > LARGE_INPUT_BYTES)
        }
    }
}

/// A package folder of a `node_modules` tree over this many bytes is judged alone (two
/// at once stay well under the 500 MB bound; most packages are a few hundred KiB).
const LARGE_PACKAGE_DIR_BYTES: u64 = 48 << 20;

/// Whether the regular files under `dir` (its own `node_modules` left out, as the reader
/// leaves it out) add up to more than `limit` bytes; stops counting once they do. An
/// unreadable tree counts as large (judged alone, the safe side for memory).
fn dir_bytes_over(dir: &std::path::Path, limit: u64) -> bool {
    let mut total = 0u64;
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && e.file_name() == "node_modules"))
    {
        let Ok(e) = e else { return true };
        if e.file_type().is_file() {
            total += e.metadata().map_or(limit, |m| m.len());
            if total > limit {
                return true;
            }
        }
    }
    false
}

/// The exit code of a reporting command: [`crate::EXIT_FINDINGS`] when any artifact's
/// verdict or any finding's severity reaches `--fail-on`, else [`crate::EXIT_OK`].
pub fn exit_code(report: &Report, output: &crate::cli::OutputArgs) -> u8 {
    let tripped = report.artifacts.iter().any(|a| {
        output
            .fail_on
            .tripped(a.verdict, a.findings.iter().map(|f| f.severity))
    });
    if tripped {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    }
}

/// Rules → policy → score for one artifact; returns the report entry and the indices of
/// the suppressions it used. The artifact is consumed: the texts of analysed Python files
/// are released as the analysis goes ([`assay_rules::analyze_artifact_releasing`]).
pub(crate) fn judge(
    mut art: Artifact,
    policy: &Policy,
    today: (i32, u32, u32),
) -> (ArtifactReport, Vec<usize>) {
    let options = assay_rules::Options {
        model_allow: policy.model_allow().to_vec(),
        ..assay_rules::Options::default()
    };
    let a = analyze_all(&mut art, &options);
    // Released entries keep their sha256 (see `analyze_artifact_releasing`).
    let sha = |path: &str| file_sha256(&art, path);
    let applied = policy.apply(
        a.name.as_deref(),
        a.version.as_deref(),
        a.findings,
        &sha,
        today,
    );
    let used = applied.used_indices();
    // Workflows a package ships describe its project's CI, not the package: they are
    // reported but decide nothing about its verdict (scoring step 6).
    let model = assay_rules::ScoreModel {
        pipeline_verdicts: !matches!(
            art.format,
            ArtifactFormat::Wheel | ArtifactFormat::Sdist | ArtifactFormat::Egg
        ),
        ..assay_rules::ScoreModel::default()
    };
    let (verdict, score) = assay_rules::score_with(&applied.kept, &model);
    let report = ArtifactReport {
        name: a.name,
        version: a.version,
        suppressed: applied.suppressed.len(),
        omitted: a.omitted,
        ..ArtifactReport::new(art.path.clone(), art.format, verdict, score, applied.kept)
    };
    (report, used)
}

/// Every scan finding of one artifact: the rules (texts released as they are analysed),
/// plus the workflows and actions it holds (rules CI) and its skills, agent
/// configurations, tool lists and MCP server source (rules SKILL, MCP), both audited
/// before the analysis releases any text.
fn analyze_all(
    art: &mut Artifact,
    options: &assay_rules::Options,
) -> assay_rules::ArtifactAnalysis {
    let ci = assay_ci::audit_artifact(art);
    let agents = assay_agents::audit_artifact(art);
    let mut a = assay_rules::analyze_artifact_releasing(art, options);
    a.findings.extend(ci);
    a.findings.extend(agents);
    a
}

/// [`judge`] for any input: a tree holding npm packages under `node_modules/` (a Node
/// project, a `node_modules` folder, a global prefix) is analysed whole and reported per
/// package like an environment ([`super::environment::Owners::read_npm`]); anything else
/// is one artifact.
pub(crate) fn judge_tree(
    mut art: Artifact,
    policy: &Policy,
    today: (i32, u32, u32),
) -> (Vec<ArtifactReport>, Vec<usize>) {
    let owners = super::environment::Owners::read_npm(&art);
    if owners.dists.is_empty() {
        let (r, u) = judge(art, policy, today);
        return (vec![r], u);
    }
    let options = assay_rules::Options {
        model_allow: policy.model_allow().to_vec(),
        uncapped: true,
    };
    let a = analyze_all(&mut art, &options);
    let sha = |path: &str| file_sha256(&art, path);
    super::environment::split_with(&art, &owners, a.findings, policy, &sha, today)
}

/// [`judge`] for an installed environment: the rules run over the whole environment
/// once, then the findings are split per installed distribution
/// ([`super::environment::split`]).
pub(crate) fn judge_environment(
    mut art: Artifact,
    policy: &Policy,
    today: (i32, u32, u32),
) -> (Vec<ArtifactReport>, Vec<usize>) {
    // Every finding, unbounded: the per-rule bound is applied to each reported part
    // (each distribution, the environment level), not to the environment as a whole.
    let options = assay_rules::Options {
        model_allow: policy.model_allow().to_vec(),
        uncapped: true,
    };
    // Releasing analysed Python texts keeps what the split reads: RECORD and METADATA
    // are not Python, and released entries keep their sha256.
    let a = assay_rules::analyze_artifact_releasing(&mut art, &options);
    let sha = |path: &str| file_sha256(&art, path);
    super::environment::split(&art, a.findings, policy, &sha, today)
}

/// Lower-case hex sha256 of an entry (the source's digest when it computed one).
fn file_sha256(art: &Artifact, path: &str) -> Option<String> {
    let e = art.entry(path)?;
    if let Some(h) = e.sha256 {
        return Some(hex(&h));
    }
    e.complete.then(|| hex(&Sha256::digest(&e.data)))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Load `--config`, or the `assay.toml` found upward from the current directory.
///
/// A config is never taken from the input (issue 21, item 15): one found by searching
/// upward that lies inside a path being scanned (`cd repo && assay scan .`) is the
/// scanned code's own and is ignored, with a warning. A config found upward elsewhere
/// is used, but only a named one (`--config`) can lower or suppress a critical finding
/// ([`Policy::named`]).
pub fn load_policy(o: &OutputArgs, scanned: &[PathBuf]) -> anyhow::Result<Policy> {
    let (path, named) = match &o.config {
        Some(p) => (Some(p.clone()), true),
        None => (
            std::env::current_dir()
                .ok()
                .and_then(|d| assay_policy::find_config(&d)),
            false,
        ),
    };
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    if !named && let Some(inside) = scanned.iter().find(|s| contains(s, &path)) {
        eprintln!(
            "assay: warning: ignoring {}: it is inside the scanned path {} (a scanned tree cannot configure its own scan; name a config with --config)",
            path.display(),
            inside.display()
        );
        return Ok(Policy::default());
    }
    let mut policy = Policy::load(&path)?;
    policy.named = named;
    if !policy.ignored_model_allow().is_empty() {
        let shown: Vec<String> = policy
            .ignored_model_allow()
            .iter()
            .map(ToString::to_string)
            .collect();
        eprintln!(
            "assay: warning: {}: `[models] allow` ({}) is used only from a config named with --config",
            path.display(),
            shown.join(", ")
        );
    }
    for (key, value) in policy.unknown_rules() {
        eprintln!(
            "assay: warning: {}: `{key}` names no rule: {value}",
            path.display()
        );
    }
    Ok(policy)
}

/// Whether `file` lies inside the directory (or is the file) `scanned`, after resolving
/// both (symlinks and `..` included); a path that cannot be resolved counts as inside,
/// so the check fails closed.
fn contains(scanned: &std::path::Path, file: &std::path::Path) -> bool {
    let (Ok(s), Ok(f)) = (fs_err::canonicalize(scanned), fs_err::canonicalize(file)) else {
        return true;
    };
    f.starts_with(&s)
}

fn progress(o: &OutputArgs, n: usize) -> Option<ProgressBar> {
    if o.no_progress || n < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(n as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} scanning {pos}/{len} [{elapsed}] {wide_bar}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Render the report in the chosen format to stdout or `--output`.
pub fn emit(report: &Report, o: &OutputArgs) -> anyhow::Result<()> {
    emit_with(report, o, false)
}

/// [`emit`]; `hide_clean`: the text output leaves clean artifacts out, saying how many.
pub fn emit_with(report: &Report, o: &OutputArgs, hide_clean: bool) -> anyhow::Result<()> {
    let opts = RenderOptions {
        color: o.output.is_none() && assay_report::color_for_stdout(),
        quiet: o.quiet,
        verbose: o.verbose,
        min_severity: o.min_severity,
        hide_clean,
        information_uri: None,
        // The HTML page's title: the subcommand (`assay scan`, `assay history`).
        title: std::env::args()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .map_or_else(|| "assay".to_owned(), |c| format!("assay {c}")),
    };
    let reporter = o.format.reporter(&opts);
    let metas = super::all_meta();
    match &o.output {
        Some(path) => {
            let mut f = std::io::BufWriter::new(fs_err::File::create(path)?);
            reporter.render(report, &metas, &mut f)?;
            f.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            reporter.render(report, &metas, &mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}
