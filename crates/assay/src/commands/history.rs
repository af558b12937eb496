//! `assay history`: rank a repository's commits for review (crate `assay_history`),
//! then report like every other command (`--format`, `--fail-on`, `-o`, exit codes).

use crate::cli::HistoryArgs;
use anyhow::Context;
use assay_core::Report;
use assay_history::{Options, Weights};

/// Review the history and report; `Ok(exit code)`.
pub fn run(args: &HistoryArgs) -> anyhow::Result<u8> {
    let weights = match &args.weights {
        Some(p) => Weights::load(p)?,
        None => Weights::default(),
    };
    let opts = Options {
        repo: args.repo.clone(),
        refs: args.refs.clone(),
        range: args.range.clone(),
        since: args.since.clone(),
        first_parent: args.first_parent,
        weights,
    };
    let h = assay_history::review(&opts)
        .with_context(|| format!("reviewing the history of {}", args.repo.display()))?;
    if h.missing.any() {
        // A partial or shallow clone: say once what the verdicts could not see.
        eprintln!("assay history: {}", h.missing);
    }
    let report = Report::new(h.commits, Vec::new());
    super::scan::emit(&report, &args.output)?;
    Ok(super::scan::exit_code(&report, &args.output))
}
