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
    let mut h = assay_history::review(&opts)
        .with_context(|| format!("reviewing the history of {}", args.repo.display()))?;
    if args.online {
        online(args, &mut h, &opts.weights)?;
    }
    if h.missing.any() {
        // A partial or shallow clone: say once what the verdicts could not see.
        eprintln!("assay history: {}", h.missing);
    }
    let mut report = Report::new(h.commits, Vec::new());
    // The exit code is decided on every reviewed commit, not only the ones shown.
    let code = super::scan::exit_code(&report, &args.output);
    match args.top {
        Some(n) => {
            report
                .artifacts
                .sort_by_key(|a| (a.rank.is_none(), a.rank.unwrap_or(u32::MAX)));
            report.artifacts.truncate(n);
            super::scan::emit_with(&report, &args.output, false)?;
        }
        // A 10,000-commit history is mostly clean commits: list the others, count these.
        None => super::scan::emit_with(&report, &args.output, true)?,
    }
    Ok(code)
}

/// `--online`: look up every dependency the history added under a new name (each once)
/// and add the GIT018 findings ([`assay_history::online::apply`]). A failed lookup is a
/// warning naming the package; its commits keep their offline verdicts.
#[cfg(feature = "net")]
fn online(
    args: &HistoryArgs,
    h: &mut assay_history::History,
    weights: &Weights,
) -> anyhow::Result<()> {
    use assay_deps::online::{self, Lookup};
    use assay_history::online::RegistryFacts;
    use std::collections::HashMap;
    let (reg, client) = super::deps::registry_client(&args.registries);
    // Only the reported commits' dependencies (`--range`/`--since` narrow them).
    let reported: std::collections::HashSet<&str> =
        h.commits.iter().map(|c| c.path.as_str()).collect();
    let mut keys: Vec<(assay_core::Ecosystem, String)> = h
        .added
        .iter()
        .filter(|d| reported.contains(d.commit.as_str()))
        .map(|d| (d.ecosystem, d.name.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    let results = online::lookup_all(&client, &reg, &keys);
    let mut facts = HashMap::new();
    let mut failed = 0usize;
    for (k, r) in keys.iter().zip(results) {
        let f = match r {
            Ok(Lookup::Missing) => RegistryFacts::Missing,
            Ok(Lookup::Found {
                created, versions, ..
            }) => {
                if !versions.is_empty() && versions.iter().all(|v| v.version.ends_with("-security"))
                {
                    RegistryFacts::SecurityPlaceholder
                } else {
                    RegistryFacts::Found {
                        created,
                        first_publisher: versions.iter().find_map(|v| v.publisher.clone()),
                    }
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("assay: warning: --online: {} {}: {e}", k.0.osv(), k.1);
                continue;
            }
        };
        facts.insert(k.clone(), f);
    }
    if failed > 0 {
        eprintln!(
            "assay: warning: --online: {failed} of {} lookups failed; their commits were judged offline only",
            keys.len()
        );
    }
    assay_history::online::apply(h, weights, &facts);
    Ok(())
}

#[cfg(not(feature = "net"))]
fn online(_: &HistoryArgs, _: &mut assay_history::History, _: &Weights) -> anyhow::Result<()> {
    anyhow::bail!("--online: this assay was built without the `net` feature")
}
