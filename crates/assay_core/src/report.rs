//! The report contract shared by every command (`scan`, `diff`, `deps`, …) and every
//! output format. JSON output is this structure serialised; its JSON Schema is
//! generated into `docs/report.schema.json`.

use crate::{ArtifactFormat, Finding, Verdict};
use serde::Serialize;

/// Version of the JSON report schema. Bump on any incompatible change.
pub const REPORT_SCHEMA_VERSION: &str = "1.0";

/// The whole report of one command run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// [`REPORT_SCHEMA_VERSION`].
    pub schema_version: String,
    /// Tool name and version.
    pub tool: ToolInfo,
    /// One entry per scanned artifact, in the order the inputs were given.
    pub artifacts: Vec<ArtifactReport>,
    /// Suppressions from `assay.toml` that matched nothing in this run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_suppressions: Vec<UnusedSuppression>,
    /// Counts over all artifacts.
    pub summary: Summary,
    /// The advisory data behind dependency findings (`assay deps`, `assay guard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_data: Option<AdvisoryData>,
    /// The `assay.toml` whose overrides and suppressions were applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// Which advisory data a dependency audit used and how old it is.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdvisoryData {
    /// UTC date (`YYYY-MM-DD`) of the last `assay db update`; absent when no index exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Whole days since that update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_days: Option<u64>,
    /// OSV records in the index.
    pub records: u64,
    /// Whether the data is older than the staleness limit (7 days) or missing.
    pub stale: bool,
    /// Where the last successful `assay db update` took the data from (its `--from`
    /// sources, or the default OSV export URLs), comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// `{"name": "assay", "version": "0.1.0"}`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ToolInfo {
    /// Always `assay`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// The result for one artifact.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ArtifactReport {
    /// As given on the command line, or the file inside a scanned directory. For an
    /// installed environment: the interpreter for the environment-level artifact, and
    /// `<interpreter>!/<name>==<version>` for each installed distribution.
    pub path: String,
    /// How it was read.
    pub format: ArtifactFormat,
    /// Distribution name from its metadata, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Distribution version from its metadata, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The verdict (see `docs/scoring.md`).
    pub verdict: Verdict,
    /// The score behind the verdict (0 = nothing found; see `docs/scoring.md`).
    pub score: f64,
    /// Findings, most severe first. Suppressed findings are not listed here.
    pub findings: Vec<Finding>,
    /// How many findings `assay.toml` suppressed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub suppressed: usize,
    /// Findings a bound left out of `findings` (one entry per rule that hit it), so a
    /// limit is never silent; empty (and omitted) when nothing was left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omitted>,
    /// `assay history`: 1-based rank of this commit by score (1 = most deserving of review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// `assay history`: the commit's author, `Name <email>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// `assay history`: the author date, RFC 3339 in UTC (`2024-02-23T18:04:05Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Per-file sha256 digests, when the command computes them (`assay sign`,
    /// `assay verify`); empty (and omitted) otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileDigest>,
    /// For a lockfile or manifest (`assay deps`): every dependency it names, as a
    /// Package URL (`pkg:pypi/requests@2.32.3`), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
}

impl ArtifactReport {
    /// A report entry for the artifact at `path` with its verdict, score and findings;
    /// everything else (name, version, suppressed and omitted counts, history and
    /// environment fields) empty, for the caller to fill in.
    pub fn new(
        path: impl Into<String>,
        format: ArtifactFormat,
        verdict: Verdict,
        score: f64,
        findings: Vec<Finding>,
    ) -> Self {
        ArtifactReport {
            path: path.into(),
            format,
            name: None,
            version: None,
            verdict,
            score,
            findings,
            suppressed: 0,
            omitted: Vec::new(),
            rank: None,
            author: None,
            date: None,
            files: Vec::new(),
            packages: Vec::new(),
        }
    }
}

/// Findings of one rule that a bound left out of an artifact's `findings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Omitted {
    /// The rule whose findings were cut.
    #[schemars(with = "crate::RuleRef")]
    pub rule: crate::Rule,
    /// How many of its findings are not listed.
    pub count: usize,
    /// The bound: how many findings of one rule an artifact lists.
    pub limit: usize,
}

/// One file (or shard) of a signed model and its sha256 digests (lower-case hex).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileDigest {
    /// Path relative to the model root (`/`-separated; `path:start:end` for shards).
    pub path: String,
    /// `ok`, `modified`, `missing`, `unsigned` (verify) or `signed` (sign).
    pub status: String,
    /// The digest recorded in the signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_sha256: Option<String>,
    /// The digest of the file on disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A suppression that matched no finding.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UnusedSuppression {
    /// Index of the `[[suppress]]` table in the config file, 0-based (messages for
    /// people count from 1: `suppression #1` is the first table).
    pub index: usize,
    /// The rule it names.
    pub rule: String,
    /// Its reason.
    pub reason: String,
}

/// Counts over all artifacts.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Artifacts scanned.
    pub artifacts: usize,
    /// Artifacts per verdict.
    pub clean: usize,
    /// Artifacts judged suspicious.
    pub suspicious: usize,
    /// Artifacts judged malicious.
    pub malicious: usize,
    /// Findings over all artifacts (unsuppressed).
    pub findings: usize,
}

impl Report {
    /// A report over these artifacts, with the summary computed.
    pub fn new(
        artifacts: Vec<ArtifactReport>,
        unused_suppressions: Vec<UnusedSuppression>,
    ) -> Self {
        let mut summary = Summary {
            artifacts: artifacts.len(),
            ..Summary::default()
        };
        for a in &artifacts {
            summary.findings += a.findings.len();
            match a.verdict {
                Verdict::Clean => summary.clean += 1,
                Verdict::Suspicious => summary.suspicious += 1,
                Verdict::Malicious => summary.malicious += 1,
            }
        }
        Report {
            schema_version: REPORT_SCHEMA_VERSION.to_owned(),
            tool: ToolInfo {
                name: "assay".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            artifacts,
            unused_suppressions,
            summary,
            advisory_data: None,
            config: None,
        }
    }
}
