//! `assay tags`: tag integrity (crate `assay_history::tags`, rules CI024–CI026), reported
//! like every other command (`--format`, `--fail-on`, `-o`, exit codes): one artifact,
//! the repository, with a finding per moved, removed or off-branch tag.

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
    let (verdict, score) = assay_rules::score(&out.findings);
    let report = Report::new(
        vec![ArtifactReport::new(
            args.repo.display().to_string(),
            ArtifactFormat::Directory,
            verdict,
            score,
            out.findings,
        )],
        Vec::new(),
    );
    super::scan::emit(&report, &args.output)?;
    Ok(super::scan::exit_code(&report, &args.output))
}
