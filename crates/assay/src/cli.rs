//! Command-line arguments (clap derive).

use assay_core::FailOn;
use assay_report::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Inspect the AI software supply chain before it runs.
#[derive(Debug, Parser)]
#[command(name = "assay", version, about, long_about = None)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan packages, archives, directories, or the active Python environment.
    Scan(ScanArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// Rule code (`PY001`) or name (`decode-then-exec`).
        rule: String,
    },
    /// Audit lockfiles and manifests: known-malicious and vulnerable versions (OSV),
    /// typosquats, unpinned and direct-URL dependencies.
    Deps(DepsArgs),
    /// Manage the local OSV advisory index.
    Db {
        /// The action.
        #[command(subcommand)]
        action: DbAction,
    },
}

/// `assay deps`.
#[derive(Debug, Args)]
pub struct DepsArgs {
    /// A lockfile or manifest, or a project directory searched for them (default: `.`).
    pub path: Option<PathBuf>,
    /// Advisory index file (default: `$ASSAY_CACHE_DIR`/`$XDG_CACHE_HOME/assay`/`~/.cache/assay` + `osv.sqlite3`).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay db` actions.
#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Import OSV records from an OSV `all.zip` or a directory of OSV JSON records
    /// (e.g. a checkout of ossf/malicious-packages). Incremental.
    Update {
        /// The source: a zip file or a directory.
        #[arg(long)]
        from: PathBuf,
        /// Advisory index file (default as for `assay deps`).
        #[arg(long)]
        db: Option<PathBuf>,
    },
}

/// Output options shared by every command that reports findings.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    pub format: Format,
    /// Exit 1 when an artifact's verdict (suspicious, malicious) or any finding's
    /// severity (info, low, medium, high, critical) reaches this level.
    #[arg(long, default_value = "malicious", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Text output: list only artifacts that are not clean.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Policy file (default: `assay.toml` found upward from the current directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// `assay scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Archives (wheel, sdist, egg, zip), directories, or directories of archives. With
    /// none, the active Python environment is scanned.
    pub paths: Vec<PathBuf>,
    /// Scan the environment of this Python interpreter (default: `python3` on PATH).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse::<FailOn>()
}
