//! Command-line arguments (clap derive).

use assay_core::{FailOn, Severity};
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
    /// Rank a git repository's commits by how much they deserve a human review.
    History(HistoryArgs),
    /// Check a repository's tags against a tag lockfile: moved, removed, or on no branch.
    Tags(TagsArgs),
    /// Audit this machine's and project's AI agent setup (skills, hooks, instruction
    /// files, MCP configurations and local servers), offline; pin and check MCP tool
    /// definitions against rug pulls.
    Agents(AgentsArgs),
    /// Compare two releases of a package (archives, directories): files added, removed
    /// and changed, and the behaviour the newer one gained, judged for its version bump.
    Diff(DiffArgs),
    /// Compare a published artifact with the git tree it claims to come from.
    Provenance(ProvenanceArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// Rule code (`PY001`) or name (`decode-then-exec`).
        rule: String,
    },
    /// Sign a model directory or file (OpenSSF Model Signing v1.0 Sigstore bundle).
    Sign(SignArgs),
    /// Verify a model against its OMS v1.0 signature.
    Verify(VerifyArgs),
    /// Audit lockfiles and manifests: known-malicious and vulnerable versions (OSV),
    /// typosquats, unpinned and direct-URL dependencies.
    Deps(DepsArgs),
    /// Download what an installer command would install, check it (deps audit + scan),
    /// and install exactly those files only if nothing reaches `--fail-on`.
    Guard(GuardArgs),
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
    /// Also query the public registries' metadata for every dependency (PyPI JSON API,
    /// npm registry, crates.io API): young packages (DEP008), a version published by
    /// someone outside the previous version's maintainers or publishers (DEP009, npm and
    /// crates.io), names that do not exist on the public registry (DEP010), yanked
    /// versions (DEP011, crates.io and PyPI) and typosquats the registry confirms
    /// (DEP012). Without it nothing goes to the network.
    #[arg(long)]
    pub online: bool,
    /// `--online`: a version (or a whole project) published fewer than this many days
    /// ago is young (DEP008).
    #[arg(long, default_value_t = 7)]
    pub min_age_days: u64,
    /// Where `--online` looks packages up.
    #[command(flatten)]
    pub registries: RegistryArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The registries `--online` queries (`assay deps`, `assay history`).
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// `--online`: the PyPI JSON API base, queried as `{base}/pypi/{name}/json` (else
    /// `$ASSAY_PYPI_URL`, else https://pypi.org).
    #[arg(long)]
    pub pypi_url: Option<String>,
    /// `--online`: the npm registry, queried as `{registry}/{name}` (else
    /// `$ASSAY_NPM_REGISTRY`, else https://registry.npmjs.org).
    #[arg(long)]
    pub npm_registry: Option<String>,
    /// `--online`: the crates.io API base, queried as `{base}/api/v1/crates/{name}` (else
    /// `$ASSAY_CRATES_URL`, else https://crates.io, at most one request per second).
    #[arg(long)]
    pub crates_url: Option<String>,
    /// `--online`: network timeout per request, seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

/// `assay guard`.
#[derive(Debug, Args)]
#[command(after_help = "\
Installer commands: `pip install …`, `pipN install …`, `PYTHON -m pip install …`,
`uv pip install …`, `npm install …` / `npm i …`. See docs/guard.md.

Exit codes: 0 checked and installed, 1 findings reached --fail-on (nothing installed),
2 operational error (installer missing, resolution or installation failed).")]
pub struct GuardArgs {
    /// Advisory index file (default as for `assay deps`).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Download into this directory (created; must be empty) and keep it, instead of a
    /// temporary directory that is removed afterwards.
    #[arg(long)]
    pub keep: Option<PathBuf>,
    /// pip/uv: let pip resolve source distributions and direct references. RISK: pip
    /// runs an sdist's build backend (its `setup.py`) to read its metadata, i.e. the
    /// package's own code runs during the download, before assay has scanned it.
    #[arg(long)]
    pub allow_sdist_build: bool,
    /// pip/uv: the Python whose pip downloads (default: the interpreter of
    /// `PYTHON -m pip`, the `pip` program itself, `python3` for `uv pip`).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The installer command, after `--`.
    #[arg(last = true, required = true, value_name = "INSTALLER COMMAND")]
    pub command: Vec<String>,
}

/// `assay db` actions.
#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Import OSV records into the local index, incrementally: from an OSV `all.zip`, a
    /// directory of OSV JSON records (e.g. a checkout of ossf/malicious-packages), or an
    /// http(s) URL of an OSV zip. Without `--from`: the OSV project's PyPI, npm and
    /// crates.io exports (https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip).
    #[command(after_help = "\
A URL is downloaded to a temporary file in the cache directory and then imported; the
ETag/Last-Modified of each URL are kept in the index, so a repeated update sends
If-None-Match/If-Modified-Since and a 304 (not modified) downloads nothing.

Every source is tried and reported. The update is all or nothing: it is made on a copy
of the index, which replaces the index only when every source succeeded; otherwise the
previous index is kept unchanged (exit 2).

Offline: download the OSV exports elsewhere (or clone ossf/malicious-packages) and pass
them with --from, e.g. `--from PyPI-all.zip --from malicious-packages/osv`.")]
    Update {
        /// The source: a zip file, a directory, or an http(s) URL of a zip (repeatable).
        #[arg(long)]
        from: Vec<String>,
        /// Advisory index file (default as for `assay deps`).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Largest download accepted, bytes with an optional K/M/G suffix (powers of 1024).
        #[arg(long, default_value = "2G", value_parser = parse_bytes)]
        max_download: u64,
        /// Network timeout in seconds: connecting, waiting for the response, and any
        /// single read of the body (a slow but moving download is not cut off).
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// Overall deadline for each download, seconds: a server that keeps a download
        /// moving one byte at a time is cut off here (exit 2, the URL named).
        #[arg(long, default_value_t = 1800)]
        deadline: u64,
    },
    /// Show the local advisory index: its file, when it was last updated (and whether
    /// that is over 7 days ago), how many records and IOCs it holds, and the sources of
    /// the last update. Exit 0 when current, 1 when stale, 2 when there is none.
    Status {
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
    /// Text output: print only the verdict lines of artifacts that are not clean, then
    /// the summary.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
    /// Text output: list every finding (repeated findings of one rule are otherwise
    /// grouped into one line) and every clean artifact.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Text output: hide findings below this severity (info, low, medium, high,
    /// critical). Display only: verdicts, scores, exit codes and JSON/SARIF are unchanged.
    #[arg(long, value_parser = parse_severity)]
    pub min_severity: Option<Severity>,
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

/// Where registry specs (`pypi:NAME[==VERSION]`, `npm:NAME[@VERSION]`) are fetched
/// from. Flatten it into every command that accepts specs (`assay scan`), and resolve
/// the specs with `commands::specs::resolve`.
#[derive(Debug, Clone, Default, Args)]
pub struct SpecArgs {
    /// Registry specs `pypi:…`: the simple index (PEP 503/691), queried as
    /// `{URL}/{name}/` (else `$ASSAY_INDEX_URL`, else `[registry] index-url` of
    /// assay.toml, else https://pypi.org/simple).
    #[arg(long, value_name = "URL")]
    pub index_url: Option<String>,
    /// Registry specs `npm:…`: the npm registry, queried as `{URL}/{name}` (else
    /// `$ASSAY_NPM_REGISTRY`, else `[registry] npm-registry` of assay.toml, else
    /// https://registry.npmjs.org).
    #[arg(long, value_name = "URL")]
    pub npm_registry: Option<String>,
}

/// `assay scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Archives (wheel, sdist, egg, zip), directories, or directories of archives, or
    /// registry specs: `pypi:NAME[==VERSION]` (every wheel and the sdist of the release)
    /// and `npm:NAME[@VERSION]` (the tarball), downloaded, checked against the published
    /// digest and cached (see docs/release-integrity.md). With none, the active Python
    /// environment is scanned; inside a Node project (`package.json` and `node_modules/`
    /// in the current directory, no `--python`), its `node_modules`, one artifact per
    /// package.
    pub paths: Vec<PathBuf>,
    /// Scan the environment of this Python interpreter (default: `python3` on PATH).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Advisory index whose malicious-package IOCs (hosts, URLs) rule IOC006 looks for
    /// (default as for `assay deps`; without one, IOC006 is off).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Also check the `uses: owner/repo@ref` pins of the workflows and actions of each
    /// directory named against the action repositories on GitHub, as `assay tags
    /// --online` does: commit SHAs no branch or tag reaches (CI029), refs that are both a
    /// branch and a tag (CI030). API base `$ASSAY_GITHUB_API`, else api.github.com;
    /// `$GITHUB_TOKEN` is sent when set. Without it nothing goes to the network.
    #[arg(long)]
    pub online: bool,
    /// `--online`: network timeout per request, seconds.
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
    /// Where registry specs are fetched from.
    #[command(flatten)]
    pub registry: SpecArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older release: a wheel, sdist, npm tarball, other archive or directory, a
    /// registry spec (`pypi:NAME==VERSION`, `npm:NAME@VERSION`: every file of that
    /// release, fetched and verified), or a directory of a release's files (each is paired with the newer release's file of
    /// the same kind: the sdist with the sdist, a wheel with the wheel of the same tag).
    /// With `--against-upstream`: the package suspected of being a trojanised copy.
    pub old: PathBuf,
    /// The newer release, as `OLD` (absent with `--against-upstream`).
    #[arg(required_unless_present = "against_upstream")]
    pub new: Option<PathBuf>,
    /// Compare the one package given with the popular project it imitates — by its name
    /// (the typosquat model) or by the repository its metadata claims — fetched from the
    /// registry at the same version, else its latest (`REL013` trojanised-clone). Needs
    /// the network (or `--index-url`/`--npm-registry`).
    #[arg(long, conflicts_with = "new")]
    pub against_upstream: bool,
    /// Report only what makes the newer release riskier: the files that carry an
    /// introduced finding, not every changed file, and no resolved findings.
    #[arg(long)]
    pub only_risk_increase: bool,
    /// Where registry specs are fetched from.
    #[command(flatten)]
    pub registry: SpecArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay provenance`.
#[derive(Debug, Args)]
pub struct ProvenanceArgs {
    /// The published artifact: a wheel, sdist, npm tarball or other archive, a directory
    /// of a release's files, or a registry spec (`pypi:NAME==VERSION`,
    /// `npm:NAME@VERSION`).
    pub artifact: PathBuf,
    /// The git repository it claims to come from (work tree or `.git` directory).
    /// Without it only the release's wheels are compared with its sdist (`REL012`).
    #[arg(long)]
    pub repo: Option<PathBuf>,
    /// The tag or commit to compare with (default: the tag matching the artifact's
    /// version: `v1.2.3`, `1.2.3`, `NAME-1.2.3`, `NAME@1.2.3`, `release-1.2.3`).
    #[arg(long)]
    pub rev: Option<String>,
    /// Where registry specs are fetched from.
    #[command(flatten)]
    pub registry: SpecArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The repository (work tree or `.git` directory); default: the current directory.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Report only commits authored on or after this day (YYYY-MM-DD, UTC); their past
    /// is still read.
    #[arg(long)]
    pub since: Option<String>,
    /// Report only commits in `A..B` (reachable from B, not from A).
    #[arg(long)]
    pub range: Option<String>,
    /// Walk from these references or commit ids (default: every branch, tag and HEAD).
    #[arg(long = "ref")]
    pub refs: Vec<String>,
    /// Follow only first parents (merges are then judged by their first-parent diff).
    #[arg(long)]
    pub first_parent: bool,
    /// Also ask the package registries (npm registry, PyPI JSON API, crates.io API) about
    /// every third-party dependency a commit added under a new name: created days before
    /// the commit, first published by the committer, or since removed (GIT018). Without
    /// it nothing goes to the network.
    #[arg(long)]
    pub online: bool,
    /// Where `--online` looks packages up.
    #[command(flatten)]
    pub registries: RegistryArgs,
    /// Report only the N highest-ranked commits (every format; the summary still counts
    /// every reviewed commit). Without it, the text output lists the commits that are
    /// not clean and says how many clean ones it left out (`--verbose` lists them).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// TOML file overriding the points per rule and the thresholds (see
    /// `docs/history.md`).
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay tags`.
#[derive(Debug, Args)]
pub struct TagsArgs {
    /// The repository (work tree or `.git` directory); default: the current directory.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// The tag lockfile (tag → commit, TOML); written on the first run when missing.
    /// Default: `assay-tags.lock` at the repository root.
    #[arg(long)]
    pub lock: Option<PathBuf>,
    /// Also check the `uses: owner/repo@ref` pins of the repository's workflows and
    /// actions against the action repositories on GitHub: commit SHAs that no branch or
    /// tag reaches (CI029), refs that are both a branch and a tag (CI030). API base:
    /// `$ASSAY_GITHUB_API`, else api.github.com; `$GITHUB_TOKEN` is sent when set.
    #[arg(long)]
    pub online: bool,
    /// `--online`: network timeout per request, seconds.
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay agents`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AgentsArgs {
    /// `pin` or `check`; without one, discover and audit the agent setup.
    #[command(subcommand)]
    pub action: Option<AgentsAction>,
    /// Home directory whose per-user agent configuration is read (default: `$HOME`).
    #[arg(long)]
    pub home: Option<PathBuf>,
    /// Project directory whose per-project agent configuration is read (default: the
    /// current directory).
    #[arg(long)]
    pub project: Option<PathBuf>,
    /// Also start each configured stdio MCP server (minimal environment: `PATH`, a
    /// temporary `HOME`, none of the configured `env`), call `tools/list`,
    /// `prompts/list` and `resources/list`, stop it, and audit what it served. Without
    /// it nothing is started.
    #[arg(long)]
    pub connect: bool,
    /// With `--connect`: compare the served tools with this lock file (MCP007 for every
    /// change), or record them in it when it does not exist yet.
    #[arg(long, requires = "connect")]
    pub lock: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay agents pin|check`.
#[derive(Debug, Subcommand)]
pub enum AgentsAction {
    /// Record a hash of each tool's full definition (name, description, every
    /// parameter's name/description/default/enum, annotations) from saved `tools/list`
    /// results in the lock file.
    Pin {
        /// Saved `tools/list` results (JSON).
        #[arg(required = true)]
        tools: Vec<PathBuf>,
        /// The lock file (default: `assay-agents.lock` in the current directory).
        #[arg(long)]
        lock: Option<PathBuf>,
    },
    /// Compare saved `tools/list` results with the lock file: every changed, added or
    /// removed tool is an MCP007 finding (schema-only changes included); exit 1 when
    /// anything changed.
    Check {
        /// Saved `tools/list` results (JSON).
        #[arg(required = true)]
        tools: Vec<PathBuf>,
        /// The lock file (default: `assay-agents.lock` in the current directory).
        #[arg(long)]
        lock: Option<PathBuf>,
        /// Output options.
        #[command(flatten)]
        output: OutputArgs,
    },
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

/// `2G`, `512M`, `100K`, `1000` → bytes (powers of 1024).
fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("{s}: unknown size suffix (use K, M or G)")),
            };
            (t.get(..i).unwrap_or(""), m)
        }
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("{s}: not a size in bytes"))
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse::<Severity>()
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse::<FailOn>()
}

/// `assay sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The model directory or file.
    pub path: PathBuf,
    /// PEM ECDSA P-256, P-384 or P-521 private key (PKCS#8 or SEC1).
    #[arg(long)]
    pub key: PathBuf,
    /// Where to write the bundle (default `PATH/model.sig`).
    #[arg(long)]
    pub signature: Option<PathBuf>,
    /// Certificate method: the PEM signing certificate for `--key`.
    #[arg(long)]
    pub signing_certificate: Option<PathBuf>,
    /// Certificate method: PEM intermediate/root certificates to embed after the leaf.
    #[arg(long, num_args = 1..)]
    pub certificate_chain: Vec<PathBuf>,
    /// Use the `shards` serialization with this shard size in bytes.
    #[arg(long)]
    pub shard_size: Option<u64>,
    #[arg(long = "ignore-paths", num_args = 1..)]
    /// Paths to leave out (only those inside the model count).
    pub ignore_paths: Vec<PathBuf>,
    /// Do not ignore `.git`, `.github`, `.gitignore`, `.gitattributes`.
    #[arg(long)]
    pub no_ignore_git_paths: bool,
    /// Follow symlinks instead of refusing them.
    #[arg(long)]
    pub allow_symlinks: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `assay verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The model directory or file.
    pub path: PathBuf,
    /// Key method: the signer's PEM public key.
    #[arg(long, conflicts_with = "certificate_chain")]
    pub key: Option<PathBuf>,
    /// Certificate method: PEM trust anchors the bundle's chain must lead to.
    #[arg(long, num_args = 1..)]
    pub certificate_chain: Vec<PathBuf>,
    /// Keyless Sigstore: the signer's certificate identity (e-mail or URI SAN), exact.
    #[arg(long, requires = "issuer", conflicts_with_all = ["key", "certificate_chain"])]
    pub identity: Option<String>,
    /// Keyless Sigstore: the OIDC issuer in the certificate, exact.
    #[arg(long, requires = "identity")]
    pub issuer: Option<String>,
    /// Keyless Sigstore: a `trusted_root.json` (default: the Sigstore public-good root
    /// bundled with assay). Verification is offline.
    #[arg(long, requires = "identity")]
    pub trusted_root: Option<PathBuf>,
    /// The bundle (default `PATH/model.sig`).
    #[arg(long)]
    pub signature: Option<PathBuf>,
    /// Do not report files that the signature does not list.
    #[arg(long)]
    pub ignore_unsigned_files: bool,
    /// Paths to leave out (only those inside the model count).
    #[arg(long = "ignore-paths", num_args = 1..)]
    pub ignore_paths: Vec<PathBuf>,
    /// Do not ignore `.git`, `.github`, `.gitignore`, `.gitattributes`.
    #[arg(long)]
    pub no_ignore_git_paths: bool,
    /// Follow symlinks instead of refusing them.
    #[arg(long)]
    pub allow_symlinks: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}
