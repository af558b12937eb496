//! `assay tags`: tag integrity (crate `assay_history::tags`, rules CI024–CI026), reported
//! like every other command (`--format`, `--fail-on`, `-o`, exit codes): one artifact,
//! the repository, with a finding per moved, removed or off-branch tag. With `--online`,
//! also the workflow pins of the repository checked against GitHub (CI029, CI030; see
//! [`super::github`]).

use crate::cli::TagsArgs;
use anyhow::Context;
use assay_core::{ArtifactFormat, ArtifactReport, Report};

/// Check the tags and report; `Ok(exit code)`.
pub fn run(args: &TagsArgs) -> anyhow::Result<u8> {
    let lock = args
        .lock
        .clone()
        .unwrap_or_else(|| args.repo.join("assay-tags.lock"));
    let out = assay_history::tags::check(&args.repo, &lock)
        .with_context(|| format!("checking the tags of {}", args.repo.display()))?;
    if out.wrote_lock {
        eprintln!(
            "assay tags: recorded {} tags in {}",
            out.tags.len(),
            lock.display()
        );
    }
    let mut findings = out.findings;
    if args.online {
        findings.extend(online_pin_findings(&args.repo, args.timeout)?);
    }
    let (verdict, score) = assay_rules::score(&findings);
    let report = Report::new(
        vec![ArtifactReport::new(
            args.repo.display().to_string(),
            ArtifactFormat::Directory,
            verdict,
            score,
            findings,
        )],
        Vec::new(),
    );
    super::scan::emit(&report, &args.output)?;
    Ok(super::scan::exit_code(&report, &args.output))
}

/// `--online`: the `uses:` pins of the workflow and action files under `dir` (a
/// repository, a `.github/` or `workflows/` folder), checked against the action
/// repositories (a failed lookup is a low finding naming the error). Used by `assay tags`
/// and `assay scan --online`. Empty for a file or a tree without workflows.
#[cfg(feature = "net")]
pub(crate) fn online_pin_findings(
    dir: &std::path::Path,
    timeout_secs: u64,
) -> anyhow::Result<Vec<assay_core::Finding>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let files = assay_ci::disk::find(dir)
        .with_context(|| format!("reading the workflows of {}", dir.display()))?;
    let pins = assay_ci::pins::pins(&files);
    if pins.len() == assay_ci::pins::MAX_PINS {
        eprintln!(
            "assay: warning: only the first {} action pins of {} were checked",
            assay_ci::pins::MAX_PINS,
            dir.display()
        );
    }
    let gh = super::github::GitHub::from_env(std::time::Duration::from_secs(timeout_secs.max(1)));
    Ok(assay_ci::pins::check(&pins, &gh))
}

/// `--online` without the `net` feature: refused, never a silent offline run.
#[cfg(not(feature = "net"))]
pub(crate) fn online_pin_findings(
    _: &std::path::Path,
    _: u64,
) -> anyhow::Result<Vec<assay_core::Finding>> {
    anyhow::bail!("--online needs assay built with the `net` feature")
}
