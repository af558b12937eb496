//! `assay.toml`: per-project severity overrides and suppressions. The user-facing
//! reference, `docs/config.md`, and `docs/assay.toml.schema.json` are generated from the
//! `Raw*` types below ([`config_json_schema`]).
//!
//! The file is found by walking up from the current directory ([`find_config`]) or
//! given with `--config`, and loaded with [`Policy::load`]. Unknown keys are errors, and
//! every error names the file and the key.
//!
//! # Schema
//!
//! ```toml
//! # Severity overrides, by rule code or rule name. A code entry wins over a name
//! # entry for the same rule. Values: info, low, medium, high, critical.
//! [severity]
//! PY004 = "low"
//! "console-script-shadows-command" = "info"
//!
//! # Suppressions: each hides the findings it matches from the report and from the
//! # exit code. A finding is suppressed by the first live suppression that matches it.
//! [[suppress]]
//! rule = "PY004"              # required: rule code or name (ASCII case-insensitive)
//! package = "mypkg@1.2.0"     # optional: `name` or `name@version` of the artifact;
//!                             #   names compare after PEP 503 normalisation, versions
//!                             #   as written (ASCII case-insensitive)
//! path = "mypkg/build.py"     # optional: exact path inside the artifact, or a prefix
//!                             #   ending in `/` (no globs)
//! sha256 = "9f86d0…"          # optional: hex sha256 of the finding's file; the
//!                             #   suppression stops applying when the file changes.
//!                             #   Not allowed with a prefix `path`.
//! reason = "vendored build helper, reviewed 2026-01"   # required, not blank
//! expires = "2027-01-31"      # optional: YYYY-MM-DD (quoted or a TOML date); the
//!                             #   suppression applies through that day, after it it is
//!                             #   expired: it no longer applies and is reported
//!
//! # Where registry specs (`assay scan pypi:NAME==VERSION`, `npm:NAME@VERSION`) are
//! # fetched from when no flag or environment variable says (http(s) URLs).
//! [registry]
//! index-url = "https://pypi.example.com/simple"   # PEP 503/691 simple index
//! npm-registry = "https://npm.example.com"
//!
//! # Pickle imports a project's own models use, allowed like the built-in classic-ML
//! # allowlist (ML002 no longer reports them). Whole dotted paths, or a prefix with `*`
//! # as its whole last segment; never substrings. A pattern that names a denylisted
//! # module or member (`os.*`, `subprocess.Popen`, `builtins.eval`, anything under
//! # `pickle`…) is a config error: those imports are always reported.
//! [models]
//! allow = ["sklearn.*", "mypkg.models.*", "mypkg.layers.Block"]
//! ```
//!
//! `[models] allow` is honoured only from a config the user named (`--config`): like the
//! limit on lowering `critical` findings, a config found by searching upward may have
//! been planted next to the models being scanned, and ML002 is critical there. From a
//! discovered config it is ignored with a warning ([`Policy::ignored_model_allow`]).
//!
//! A suppression with a `package` never matches an artifact whose name is unknown, and
//! one with a `sha256` never matches a file whose hash the caller cannot give: when in
//! doubt a finding is kept (fail closed).
#![cfg_attr(
    not(test),
    warn(clippy::indexing_slicing, clippy::expect_used, clippy::panic)
)]

use assay_core::{Finding, Rule, Severity, UnusedSuppression};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The file name looked for by [`find_config`].
pub const CONFIG_FILE_NAME: &str = "assay.toml";

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read config file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key, a missing required key or a value
    /// of the wrong type. The TOML message names the key and its line and column.
    #[error("invalid config file {}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML error.
        #[source]
        source: toml::de::Error,
    },
    /// A value parsed but is not acceptable.
    #[error("invalid config file {}: `{key}`: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The offending key, e.g. `suppress[2].expires`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A calendar date (proleptic Gregorian), as used by `expires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2027.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 28..=31.
    pub day: u32,
}

impl Date {
    /// A validated date, or `None` when the month or day does not exist.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parse `YYYY-MM-DD` (exactly four, two and two digits).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        Date::new(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
    }

    /// `(year, month, day)`, the shape [`Policy::apply`] and [`Policy::expired`] take.
    pub fn as_tuple(self) -> (i32, u32, u32) {
        (self.year, self.month, self.day)
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` days after 1970-01-01, clamped to the years jiff represents
    /// (-9999–9999).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let epoch = jiff::civil::date(1970, 1, 1);
        let d = jiff::Span::new()
            .try_days(days)
            .ok()
            .and_then(|span| epoch.checked_add(span).ok())
            .unwrap_or(if days < 0 {
                jiff::civil::Date::MIN
            } else {
                jiff::civil::Date::MAX
            });
        Date {
            year: i32::from(d.year()),
            month: u32::from(d.month().unsigned_abs()),
            day: u32::from(d.day().unsigned_abs()),
        }
    }
}

impl From<(i32, u32, u32)> for Date {
    /// `(year, month, day)`, taken as is (not validated: it only serves comparisons).
    fn from((year, month, day): (i32, u32, u32)) -> Self {
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The `package` of a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSpec {
    /// PEP 503-normalised name (lowercase, runs of `-`, `_`, `.` replaced by one `-`).
    pub name: String,
    /// Version as written, when the spec was `name@version`.
    pub version: Option<String>,
}

impl PackageSpec {
    fn matches(&self, name: Option<&str>, version: Option<&str>) -> bool {
        let Some(name) = name else { return false };
        if normalize_name(name) != self.name {
            return false;
        }
        match &self.version {
            None => true,
            Some(want) => version.is_some_and(|v| v.trim().eq_ignore_ascii_case(want)),
        }
    }
}

/// PEP 503 name normalisation of the trimmed name ([`assay_core::Ecosystem::normalize`]):
/// lowercase, and every run of `-`, `_` and `.` becomes `-`.
pub fn normalize_name(name: &str) -> String {
    assay_core::Ecosystem::PyPI.normalize(name.trim())
}

/// One `[[suppress]]` table, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule code or name.
    pub rule: String,
    /// Artifact the suppression is limited to.
    pub package: Option<PackageSpec>,
    /// Exact path, or a prefix ending in `/`, inside the artifact.
    pub path: Option<String>,
    /// Lowercase hex sha256 the finding's file must have.
    pub sha256: Option<String>,
    /// Why the finding is acceptable.
    pub reason: String,
    /// Last day the suppression applies.
    pub expires: Option<Date>,
}

impl Suppression {
    /// Whether the suppression is past its `expires` date on `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|e| today > e)
    }

    fn matches(
        &self,
        artifact_name: Option<&str>,
        artifact_version: Option<&str>,
        finding: &Finding,
        file_sha256: &dyn Fn(&str) -> Option<String>,
    ) -> bool {
        if !(self.rule.eq_ignore_ascii_case(finding.rule.code())
            || self.rule.eq_ignore_ascii_case(finding.rule.name()))
        {
            return false;
        }
        if let Some(package) = &self.package
            && !package.matches(artifact_name, artifact_version)
        {
            return false;
        }
        if let Some(path) = &self.path {
            let file = finding.location.path.as_str();
            let hit = if path.ends_with('/') {
                file.starts_with(path.as_str())
            } else {
                file == path
            };
            if !hit {
                return false;
            }
        }
        if let Some(want) = &self.sha256 {
            match file_sha256(&finding.location.path) {
                Some(got) if got.eq_ignore_ascii_case(want) => {}
                _ => return false,
            }
        }
        true
    }
}

/// An expired suppression, for the CLI to warn about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredSuppression {
    /// Index of the `[[suppress]]` table, 0-based.
    pub index: usize,
    /// The rule it names.
    pub rule: String,
    /// Its reason.
    pub reason: String,
    /// The last day it applied.
    pub expires: Date,
}

/// The result of [`Policy::apply`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// Findings to report, with severity overrides applied, in input order.
    pub kept: Vec<Finding>,
    /// Findings hidden, each with the index of the suppression that matched it.
    pub suppressed: Vec<(Finding, usize)>,
}

impl Applied {
    /// Indices of the suppressions that matched something, sorted, without repeats.
    pub fn used_indices(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.suppressed.iter().map(|(_, i)| *i).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// A loaded `assay.toml` (or the empty default: no overrides, no suppressions).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    /// The file it was loaded from.
    pub source: Option<PathBuf>,
    /// Whether the user named the file (`--config`). A config found by searching upward
    /// from the working directory may have been planted by the code being scanned, so it
    /// cannot lower or suppress a `critical` finding; see [`Policy::apply`].
    pub named: bool,
    /// Severity overrides: ASCII-lowercased rule code or name → (key as written, level).
    severity: BTreeMap<String, (String, Severity)>,
    suppressions: Vec<Suppression>,
    model_allow: Vec<assay_core::model_allow::AllowPattern>,
    index_url: Option<String>,
    npm_registry: Option<String>,
}

/// `assay.toml`: per-project severity overrides, suppressions and model allowlist.
/// Every key is optional; unknown keys are errors. Found by searching upward from the
/// current directory for `assay.toml`, or named with `--config` (only a named config
/// can lower or suppress a `critical` finding or use `[models] allow`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "assay.toml")]
struct RawConfig {
    /// Severity overrides: rule code or kebab-case rule name → `info`, `low`, `medium`,
    /// `high` or `critical`. A code entry wins over a name entry for the same rule; keys
    /// ignore case; a key that names no rule is warned about. Lowering a `critical`
    /// finding needs a config named with `--config`.
    #[serde(default)]
    #[schemars(example = severity_example())]
    severity: BTreeMap<String, Severity>,
    /// Suppressions (`[[suppress]]` tables): each hides the findings it matches from the
    /// report and from the exit code. A finding is suppressed by the first live
    /// suppression that matches it; suppressions that match nothing are reported.
    #[serde(default)]
    suppress: Vec<RawSuppression>,
    /// Model files: pickle imports the project's own models use.
    #[serde(default)]
    models: RawModels,
    /// Where registry specs (`assay scan pypi:NAME==VERSION`, `npm:NAME@VERSION`) are
    /// fetched from, when neither a flag nor an environment variable says.
    #[serde(default)]
    registry: RawRegistry,
}

/// `[registry]`.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRegistry {
    /// The Python package index for `pypi:` specs: a simple repository (PEP 503 / PEP
    /// 691), queried as `{index-url}/{name}/`. `--index-url` and `$ASSAY_INDEX_URL` take
    /// precedence; default `https://pypi.org/simple`. An http(s) URL.
    #[schemars(example = &"https://pypi.example.com/simple")]
    index_url: Option<String>,
    /// The npm registry for `npm:` specs, queried as `{npm-registry}/{name}`.
    /// `--npm-registry` and `$ASSAY_NPM_REGISTRY` take precedence; default
    /// `https://registry.npmjs.org`. An http(s) URL.
    #[schemars(example = &"https://npm.example.com")]
    npm_registry: Option<String>,
}

/// `[models]`.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawModels {
    /// Pickle imports allowed like the built-in classic-ML allowlist (ML002 no longer
    /// reports them): whole dotted paths, or a prefix with `*` as its whole last segment;
    /// never substrings. A pattern naming a denylisted module or member (`os.*`,
    /// `subprocess.Popen`, `builtins.eval`, anything under `pickle`…) is a config error.
    /// Honoured only from a config named with `--config` (ignored, with a warning, from
    /// one found by searching upward).
    #[serde(default)]
    #[schemars(example = allow_example())]
    allow: Vec<String>,
}

/// One `[[suppress]]` table.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    /// Required: the rule, by code or name (ASCII case-insensitive).
    #[schemars(example = &"PY004")]
    rule: String,
    /// Only findings of the artifact with this name (`name`) or name and version
    /// (`name@version`): names compare after PEP 503 normalisation, versions as written
    /// (ASCII case-insensitive). Inside an installed environment the artifact is the
    /// distribution that owns the file. Never matches an artifact whose name is unknown.
    #[schemars(example = &"mypkg@1.2.0")]
    package: Option<String>,
    /// Only findings on this exact path inside the artifact, or under this prefix when
    /// it ends in `/` (no globs).
    #[schemars(example = &"mypkg/build.py")]
    path: Option<String>,
    /// Only while the finding's file has this sha256 (64 hex digits): the suppression
    /// stops applying when the file changes. Not allowed with a prefix `path`.
    #[schemars(example = &"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    sha256: Option<String>,
    /// Required, not blank: why the finding is acceptable (shown when the suppression
    /// is unused or expired).
    #[schemars(example = &"vendored build helper, reviewed 2026-01")]
    reason: String,
    /// `YYYY-MM-DD` (a quoted string or a TOML date): the suppression applies through
    /// that day; after it, it no longer applies and is reported as expired.
    #[schemars(with = "Option<String>", example = &"2027-01-31")]
    expires: Option<toml::Value>,
}

fn severity_example() -> serde_json::Value {
    serde_json::json!({"PY004": "low", "console-script-shadows-command": "info"})
}

fn allow_example() -> Vec<&'static str> {
    vec!["sklearn.*", "mypkg.models.*", "mypkg.layers.Block"]
}

/// The JSON Schema (draft 2020-12) of `assay.toml`, generated from the types the loader
/// deserialises (`cargo dev generate-all` writes it to `docs/assay.toml.schema.json`
/// and renders `docs/config.md` from it).
pub fn config_json_schema() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<RawConfig>()
        .to_value()
}

/// A complete `assay.toml` using every key (checked by a test to load as it is).
pub const EXAMPLE_CONFIG: &str = r#"# Severity overrides, by rule code or rule name.
[severity]
PY004 = "low"
"console-script-shadows-command" = "info"

# A suppression: rule and reason are required.
[[suppress]]
rule = "PY004"
package = "mypkg@1.2.0"
path = "mypkg/build.py"
sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
reason = "vendored build helper, reviewed 2026-01"
expires = "2027-01-31"

# A broader one: every PKG007 under a directory, until the end of January.
[[suppress]]
rule = "unrecorded-file"
path = "mypkg/_generated/"
reason = "written by our post-install step"
expires = 2027-01-31

# Pickle imports of the project's own models (honoured only with --config).
[models]
allow = ["sklearn.*", "mypkg.models.*", "mypkg.layers.Block"]

# Where `assay scan pypi:NAME==VERSION` / `npm:NAME@VERSION` fetch from.
[registry]
index-url = "https://pypi.example.com/simple"
npm-registry = "https://npm.example.com"
"#;

impl Policy {
    /// Read and validate a config file.
    ///
    /// # Errors
    /// [`PolicyError::Read`] when the file cannot be read, [`PolicyError::Parse`] for
    /// TOML syntax, unknown keys, missing `rule`/`reason` and wrong types, and
    /// [`PolicyError::Invalid`] for values that parse but are not acceptable (blank
    /// reason, bad date, bad sha256, …).
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let text = fs_err::read_to_string(path).map_err(|source| PolicyError::Read {
            path: path.to_owned(),
            source,
        })?;
        Policy::parse(&text, path)
    }

    /// Validate config text; `path` is only used in errors and [`Policy::source`].
    ///
    /// # Errors
    /// As [`Policy::load`], except [`PolicyError::Read`].
    pub fn parse(text: &str, path: &Path) -> Result<Policy, PolicyError> {
        let raw: RawConfig = toml::from_str(text).map_err(|source| PolicyError::Parse {
            path: path.to_owned(),
            source,
        })?;
        let invalid = |key: String, message: &str| PolicyError::Invalid {
            path: path.to_owned(),
            key,
            message: message.to_owned(),
        };
        let mut severity = BTreeMap::new();
        for (key, level) in raw.severity {
            let written = key.trim();
            if written.is_empty() {
                return Err(invalid(
                    "severity".to_owned(),
                    "a rule code or name must not be empty",
                ));
            }
            if severity
                .insert(written.to_ascii_lowercase(), (written.to_owned(), level))
                .is_some()
            {
                return Err(invalid(
                    format!("severity.{written}"),
                    "the same rule is given twice (keys ignore case)",
                ));
            }
        }
        let mut suppressions = Vec::with_capacity(raw.suppress.len());
        for (i, s) in raw.suppress.into_iter().enumerate() {
            let key = |field: &str| format!("suppress[{i}].{field}");
            let rule = s.rule.trim().to_owned();
            if rule.is_empty() {
                return Err(invalid(key("rule"), "must name a rule code or name"));
            }
            if s.reason.trim().is_empty() {
                return Err(invalid(
                    key("reason"),
                    "must say why the finding is acceptable",
                ));
            }
            let package = match s.package {
                None => None,
                Some(p) => {
                    let (name, version) = match p.split_once('@') {
                        Some((n, v)) => (n, Some(v.trim())),
                        None => (p.as_str(), None),
                    };
                    if name.trim().is_empty() || version.is_some_and(str::is_empty) {
                        return Err(invalid(key("package"), "expected `name` or `name@version`"));
                    }
                    Some(PackageSpec {
                        name: normalize_name(name),
                        version: version.map(str::to_owned),
                    })
                }
            };
            if let Some(p) = &s.path
                && (p.is_empty() || p.contains(['*', '?', '[']))
            {
                return Err(invalid(
                    key("path"),
                    "expected an exact path or a prefix ending in `/` (no globs)",
                ));
            }
            let sha256 = match s.sha256 {
                None => None,
                Some(h) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    Some(h.to_ascii_lowercase())
                }
                Some(_) => return Err(invalid(key("sha256"), "expected 64 hexadecimal digits")),
            };
            if sha256.is_some() && s.path.as_deref().is_some_and(|p| p.ends_with('/')) {
                return Err(invalid(
                    key("sha256"),
                    "a hash needs an exact `path`, not a prefix",
                ));
            }
            let expires = match s.expires {
                None => None,
                Some(v) => Some(
                    parse_expires(&v)
                        .ok_or_else(|| invalid(key("expires"), "expected a date YYYY-MM-DD"))?,
                ),
            };
            suppressions.push(Suppression {
                rule,
                package,
                path: s.path,
                sha256,
                reason: s.reason,
                expires,
            });
        }
        let mut model_allow = Vec::with_capacity(raw.models.allow.len());
        for (i, p) in raw.models.allow.iter().enumerate() {
            let pattern = assay_core::model_allow::AllowPattern::parse(p)
                .map_err(|m| invalid(format!("models.allow[{i}]"), &m))?;
            model_allow.push(pattern);
        }
        let url = |key: &str, v: Option<String>| -> Result<Option<String>, PolicyError> {
            match v {
                Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => Err(
                    invalid(format!("registry.{key}"), "expected an http(s) URL"),
                ),
                v => Ok(v),
            }
        };
        let index_url = url("index-url", raw.registry.index_url)?;
        let npm_registry = url("npm-registry", raw.registry.npm_registry)?;
        Ok(Policy {
            source: Some(path.to_owned()),
            named: false,
            severity,
            suppressions,
            model_allow,
            index_url,
            npm_registry,
        })
    }

    /// `[registry] index-url`: the simple index for `pypi:` specs, if the config sets it.
    pub fn index_url(&self) -> Option<&str> {
        self.index_url.as_deref()
    }

    /// `[registry] npm-registry`: the npm registry for `npm:` specs, if the config sets
    /// it.
    pub fn npm_registry(&self) -> Option<&str> {
        self.npm_registry.as_deref()
    }

    /// The `[models] allow` patterns to use: all of them when the config was named
    /// (`--config`), none when it was found by searching upward (see the module docs).
    pub fn model_allow(&self) -> &[assay_core::model_allow::AllowPattern] {
        if self.named { &self.model_allow } else { &[] }
    }

    /// `[models] allow` patterns written in a config that was found, not named: they are
    /// not used, and the CLI says so.
    pub fn ignored_model_allow(&self) -> &[assay_core::model_allow::AllowPattern] {
        if self.named { &[] } else { &self.model_allow }
    }

    /// The validated `[[suppress]]` tables, in file order (indices are positions here).
    pub fn suppressions(&self) -> &[Suppression] {
        &self.suppressions
    }

    /// The severity for a rule: the override for its code, else for its name, else
    /// `default`. Codes and names match ASCII case-insensitively.
    pub fn severity_for(&self, code: &str, name: &str, default: Severity) -> Severity {
        self.severity
            .get(&code.to_ascii_lowercase())
            .or_else(|| self.severity.get(&name.to_ascii_lowercase()))
            .map_or(default, |(_, level)| *level)
    }

    /// Apply the policy to one artifact's findings: (1) severity overrides, then (2) drop
    /// every finding matched by a suppression that is not expired on `today`.
    ///
    /// `artifact_name`/`artifact_version` come from the artifact's metadata (`None` when
    /// unknown: then suppressions with a `package` do not match). `file_sha256` returns
    /// the lowercase hex sha256 of a file inside the artifact by path, or `None` when it
    /// is unknown (then suppressions with a `sha256` do not match). `today` is
    /// `(year, month, day)`.
    pub fn apply(
        &self,
        artifact_name: Option<&str>,
        artifact_version: Option<&str>,
        findings: Vec<Finding>,
        file_sha256: &dyn Fn(&str) -> Option<String>,
        today: (i32, u32, u32),
    ) -> Applied {
        let today = Date::from(today);
        let mut out = Applied::default();
        for mut finding in findings {
            // A critical finding is decided only by a config the user named: one found
            // by searching upward may come from the scanned tree itself.
            if !self.named && finding.severity == Severity::Critical {
                out.kept.push(finding);
                continue;
            }
            finding.severity =
                self.severity_for(finding.rule.code(), finding.rule.name(), finding.severity);
            let hit = self.suppressions.iter().enumerate().find(|(_, s)| {
                !s.is_expired(today)
                    && s.matches(artifact_name, artifact_version, &finding, file_sha256)
            });
            match hit {
                Some((index, _)) => out.suppressed.push((finding, index)),
                None => out.kept.push(finding),
            }
        }
        out
    }

    /// Suppressions whose index is not in `used` (collect [`Applied::used_indices`] over
    /// every artifact of the run). Expired suppressions are listed too, since they can
    /// match nothing; [`Policy::expired`] says which of them expired.
    pub fn unused(&self, used: &[usize]) -> Vec<UnusedSuppression> {
        self.suppressions
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .map(|(index, s)| UnusedSuppression {
                index,
                rule: s.rule.clone(),
                reason: s.reason.clone(),
            })
            .collect()
    }

    /// Suppressions past their `expires` date on `today` (`(year, month, day)`).
    pub fn expired(&self, today: (i32, u32, u32)) -> Vec<ExpiredSuppression> {
        let today = Date::from(today);
        self.suppressions
            .iter()
            .enumerate()
            .filter_map(|(index, s)| {
                let expires = s.expires.filter(|_| s.is_expired(today))?;
                Some(ExpiredSuppression {
                    index,
                    rule: s.rule.clone(),
                    reason: s.reason.clone(),
                    expires,
                })
            })
            .collect()
    }

    /// Severity keys and suppression rules that name no rule of the catalog (by code or
    /// name), as `(config key, value)`, e.g. `("suppress[0].rule", "PY999")`, so the CLI
    /// can warn about typos.
    pub fn unknown_rules(&self) -> Vec<(String, String)> {
        let known = |r: &str| Rule::find(r).is_some();
        let mut out: Vec<(String, String)> = self
            .severity
            .values()
            .filter(|(k, _)| !known(k))
            .map(|(k, _)| (format!("severity.{k}"), k.clone()))
            .collect();
        out.extend(
            self.suppressions
                .iter()
                .enumerate()
                .filter(|(_, s)| !known(&s.rule))
                .map(|(i, s)| (format!("suppress[{i}].rule"), s.rule.clone())),
        );
        out
    }
}

/// `expires` as a quoted `"YYYY-MM-DD"` or a bare TOML local date.
fn parse_expires(v: &toml::Value) -> Option<Date> {
    match v {
        toml::Value::String(s) => Date::parse(s.trim()),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

/// The nearest `assay.toml` in `start` or one of its ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    // `ancestors()` ends at the root, so this is bounded by the path's depth.
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests;
