//! One module per command.

mod agents;
mod agents_connect;
mod db;
mod deps;
mod diff;
mod environment;
mod explain;
#[cfg(feature = "net")]
mod github;
mod guard;
mod history;
mod rules;
mod scan;
mod sign;
pub(crate) mod specs;
mod tags;
mod verify;

use crate::cli::{Cli, Command};

/// Run the parsed command; `Ok(exit code)`.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::History(args) => history::run(&args),
        Command::Tags(args) => tags::run(&args),
        Command::Agents(args) => agents::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Provenance(args) => diff::provenance(args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain { rule } => explain::run(&rule),
        Command::Sign(args) => sign::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Deps(args) => deps::run(&args),
        Command::Guard(args) => guard::run(&args),
        Command::Db { action } => db::run(action),
    }
}

/// Every rule's metadata, for reporters.
pub fn all_meta() -> Vec<&'static assay_core::RuleMeta> {
    assay_rules::REGISTRY.iter().map(|r| r.meta).collect()
}
