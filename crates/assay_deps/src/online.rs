//! `assay deps --online`: what the public registries' metadata says about each
//! dependency — its age (DEP008 young-package), who published the pinned version
//! (DEP009 maintainer-change) and whether the name exists at all (DEP010
//! unclaimed-public-name).
//!
//! Sources and what they allow:
//! - **npm** — the packument `GET {registry}/{name}` (scoped names as `@scope%2fname`):
//!   `time[version]` is each version's publish time, `time.created` the project's;
//!   `versions[v]._npmUser` is the account that published `v` and
//!   `versions[v].maintainers` the accounts that could publish at the time. All three
//!   rules apply.
//! - **PyPI** — the JSON API `GET {base}/pypi/{name}/json` (PyPI's "JSON API"
//!   documentation): `releases[v][*].upload_time_iso_8601` dates every file, so age
//!   (DEP008) and existence (DEP010) apply. It has **no uploader or maintainer per
//!   release**: `info.author`/`info.maintainer` are self-declared core-metadata fields
//!   that an uploader writes as they like (an attacker with a stolen token copies them),
//!   and the project's roles are not in the API at all. DEP009 is therefore not raised
//!   for PyPI.
//! - **crates.io** — the API `GET {base}/api/v1/crates/{name}` (the shape of
//!   <https://crates.io/api/v1/crates/serde>): `crate.created_at` dates the project,
//!   `versions[].created_at` each version, `versions[].yanked` marks withdrawn versions
//!   and `versions[].published_by.login` is the account that published each one. The
//!   registry has no per-version maintainer list, so DEP009 for a crate compares the
//!   pinned version's publisher with the publishers of every earlier version. The
//!   crawler policy (<https://crates.io/data-access>) asks for at most one request per
//!   second and a User-Agent with contact information: [`Registries::crates_interval`]
//!   paces the requests to crates.io and `net::user_agent` names a contact.
//!
//! Yanked versions (crates.io, and PyPI releases whose every file is yanked, PEP 592) are
//! DEP011 yanked-version. A dependency whose name imitates a popular one (DEP003) is
//! judged with the registry's facts too: the imitated project's document is fetched as
//! well, and a young, little-downloaded or copying imitation is DEP012
//! registry-confirmed-typosquat (see [`typosquat_evidence`]).
//!
//! This module parses the documents (pure, bounded by the response limit) and turns the
//! facts into findings; with the `net` feature, [`lookup_all`] fetches them with a small
//! worker pool.

use crate::lock::{Dependency, Ecosystem, Lockfile};
use assay_core::{Finding, Rule, Severity};
use serde::Deserialize;
use std::collections::HashMap;

/// Largest registry document read, bytes (the packuments of the largest npm packages
/// are tens of MiB).
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;
/// Most versions read from one document.
pub const MAX_VERSIONS: usize = 100_000;
/// Most distinct packages looked up in one run.
pub const MAX_LOOKUPS: usize = 20_000;
/// Requests in flight at once.
pub const CONCURRENCY: usize = 4;

/// DEP012: a typosquat project first published fewer than this many days ago.
pub const SQUAT_YOUNG_DAYS: i64 = 90;
/// DEP012: a typosquat crate with fewer downloads than this in the last 90 days
/// (crates.io `recent_downloads`).
pub const SQUAT_FEW_DOWNLOADS: u64 = 1000;
/// DEP012: descriptions shorter than this (characters, after trimming) are not compared
/// (too many projects say "A Python library").
pub const MIN_DESCRIPTION: usize = 20;

/// The public registries' base URLs, without a trailing slash.
#[derive(Debug, Clone)]
pub struct Registries {
    /// PyPI JSON API base, e.g. `https://pypi.org`.
    pub pypi: String,
    /// npm registry, e.g. `https://registry.npmjs.org`.
    pub npm: String,
    /// crates.io API base, e.g. `https://crates.io`.
    pub crates: String,
    /// Least time between the starts of two crates.io requests (the crawler policy's one
    /// request per second for `https://crates.io`; zero for a mirror or a test server).
    pub crates_interval: std::time::Duration,
}

impl Registries {
    /// The metadata URL of a package, or `None` for an ecosystem that is not queried.
    pub fn url(&self, eco: Ecosystem, name: &str) -> Option<String> {
        match eco {
            Ecosystem::PyPI => Some(format!(
                "{}/pypi/{}/json",
                self.pypi.trim_end_matches('/'),
                eco.osv_name(name)
            )),
            Ecosystem::Npm => Some(format!(
                "{}/{}",
                self.npm.trim_end_matches('/'),
                name.replacen('/', "%2f", 1)
            )),
            Ecosystem::CratesIo => Some(format!(
                "{}/api/v1/crates/{}",
                self.crates.trim_end_matches('/'),
                name
            )),
        }
    }

    /// The registry's base, for messages.
    pub fn base(&self, eco: Ecosystem) -> &str {
        match eco {
            Ecosystem::PyPI => &self.pypi,
            Ecosystem::Npm => &self.npm,
            Ecosystem::CratesIo => &self.crates,
        }
    }
}

/// One version's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The version string as the registry spells it.
    pub version: String,
    /// Publish time, Unix seconds (PyPI: the earliest file's upload).
    pub published: Option<i64>,
    /// npm `_npmUser.name`: the account that published it.
    pub publisher: Option<String>,
    /// npm `maintainers[].name` at the time of publishing (crates.io and PyPI: empty).
    pub maintainers: Vec<String>,
    /// Yanked (crates.io `yanked`; PyPI: every file of the release yanked).
    pub yanked: bool,
}

/// What a project says about itself, for comparing an imitation with its target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    /// The one-line description (PyPI `info.summary`, npm and crates.io `description`).
    pub description: Option<String>,
    /// Home page and repository URLs (PyPI `home_page` and `project_urls`, npm
    /// `homepage` and `repository`, crates.io `homepage`, `repository`, `documentation`).
    pub urls: Vec<String>,
    /// Downloads in the last 90 days, where the document has them (crates.io
    /// `recent_downloads`).
    pub recent_downloads: Option<u64>,
}

/// What a registry knows about a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The registry answered 404 (or npm: every version unpublished).
    Missing,
    /// The package exists.
    Found {
        /// First publication of the project, Unix seconds.
        created: Option<i64>,
        /// Versions, oldest publication first (unknown times first).
        versions: Vec<VersionInfo>,
        /// Description, URLs, downloads.
        about: About,
    },
}

/// Most URLs kept from one document.
const MAX_URLS: usize = 32;

/// A URL as compared: no scheme, no `www.`, no trailing `/` or `.git`, lowercase;
/// `None` for an empty or non-URL string.
fn norm_url(u: &str) -> Option<String> {
    let u = u.trim().to_lowercase();
    let u = u.strip_prefix("git+").unwrap_or(&u);
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    (rest.contains('.') && rest.len() > 3).then(|| rest.to_owned())
}

fn urls_of<'a>(vals: impl Iterator<Item = &'a serde_json::Value>) -> Vec<String> {
    let mut out: Vec<String> = vals
        .filter_map(|v| match v {
            serde_json::Value::String(s) => Some(s.as_str()),
            serde_json::Value::Object(o) => o.get("url").and_then(|u| u.as_str()),
            _ => None,
        })
        .filter_map(norm_url)
        .take(MAX_URLS)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn text(v: Option<&serde_json::Value>) -> Option<String> {
    v.and_then(|v| v.as_str())
        .map(|s| s.trim().chars().take(1000).collect::<String>())
        .filter(|s| !s.is_empty())
}

/// An RFC 3339 timestamp (or PyPI's zone-less `upload_time`, UTC) as Unix seconds.
pub(crate) fn unix(s: &str) -> Option<i64> {
    let t: Result<jiff::Timestamp, _> = s.parse();
    match t {
        Ok(t) => Some(t.as_second()),
        // PyPI's older `upload_time` has no zone; it is UTC.
        Err(_) => format!("{s}Z")
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.as_second()),
    }
}

fn sorted(mut versions: Vec<VersionInfo>) -> Vec<VersionInfo> {
    versions.sort_by(|a, b| {
        a.published
            .cmp(&b.published)
            .then(a.version.cmp(&b.version))
    });
    versions
}

#[derive(Deserialize)]
struct PypiDoc {
    #[serde(default)]
    info: Option<serde_json::Value>,
    releases: Option<HashMap<String, Vec<PypiFile>>>,
}

#[derive(Deserialize)]
struct PypiFile {
    #[serde(default)]
    upload_time_iso_8601: Option<String>,
    #[serde(default)]
    upload_time: Option<String>,
    #[serde(default)]
    yanked: Option<bool>,
}

/// Parse a PyPI JSON API project document (`/pypi/{name}/json`).
pub fn parse_pypi(body: &[u8]) -> Result<Lookup, String> {
    let doc: PypiDoc = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let releases = doc
        .releases
        .ok_or("not a PyPI JSON API project document (no `releases`)")?;
    if releases.len() > MAX_VERSIONS {
        return Err(format!("more than {MAX_VERSIONS} releases"));
    }
    let mut created: Option<i64> = None;
    let mut versions = Vec::with_capacity(releases.len());
    for (v, files) in releases {
        let published = files
            .iter()
            .filter_map(|f| {
                f.upload_time_iso_8601
                    .as_deref()
                    .or(f.upload_time.as_deref())
                    .and_then(unix)
            })
            .min();
        if let Some(p) = published {
            created = Some(created.map_or(p, |c| c.min(p)));
        }
        let yanked = !files.is_empty() && files.iter().all(|f| f.yanked == Some(true));
        versions.push(VersionInfo {
            version: v,
            published,
            publisher: None,
            maintainers: Vec::new(),
            yanked,
        });
    }
    let empty = serde_json::Map::new();
    let info = doc
        .info
        .as_ref()
        .and_then(|i| i.as_object())
        .unwrap_or(&empty);
    let project_urls = info.get("project_urls").and_then(|u| u.as_object());
    let about = About {
        description: text(info.get("summary")),
        urls: urls_of(
            info.get("home_page")
                .into_iter()
                .chain(project_urls.into_iter().flat_map(|m| m.values())),
        ),
        recent_downloads: None,
    };
    Ok(Lookup::Found {
        created,
        versions: sorted(versions),
        about,
    })
}

#[derive(Deserialize)]
struct NpmDoc {
    time: Option<HashMap<String, serde_json::Value>>,
    versions: Option<HashMap<String, NpmVersion>>,
    #[serde(default)]
    description: Option<serde_json::Value>,
    #[serde(default)]
    homepage: Option<serde_json::Value>,
    #[serde(default)]
    repository: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct NpmVersion {
    #[serde(default, rename = "_npmUser")]
    npm_user: Option<serde_json::Value>,
    #[serde(default)]
    maintainers: Option<serde_json::Value>,
}

/// An npm person: `{"name": …}` or the legacy `"name <email>"` string.
fn person(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Object(o) => o.get("name")?.as_str().map(str::to_owned),
        serde_json::Value::String(s) => s
            .split('<')
            .next()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        _ => None,
    }
}

/// Parse an npm packument (`/{name}`, the full document, not the abbreviated one).
pub fn parse_npm(body: &[u8]) -> Result<Lookup, String> {
    let doc: NpmDoc = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let times = doc.time.unwrap_or_default();
    let listed = doc.versions.is_some();
    let Some(all) = doc.versions.filter(|v| !v.is_empty()) else {
        // An unpublished package keeps a stub: `time.unpublished`, no versions; a
        // package whose every version was removed lists an empty `versions` object
        // (what mirrors serve for packages npm took down). Nothing can be installed.
        if times.contains_key("unpublished") || listed {
            return Ok(Lookup::Missing);
        }
        return Err("not an npm packument (no `versions`)".into());
    };
    if all.len() > MAX_VERSIONS {
        return Err(format!("more than {MAX_VERSIONS} versions"));
    }
    let time = |k: &str| times.get(k).and_then(|v| v.as_str()).and_then(unix);
    let created = time("created");
    let mut versions = Vec::with_capacity(all.len());
    for (v, d) in &all {
        let maintainers = match &d.maintainers {
            Some(serde_json::Value::Array(a)) => a.iter().take(1000).filter_map(person).collect(),
            Some(other) => person(other).into_iter().collect(),
            None => Vec::new(),
        };
        versions.push(VersionInfo {
            version: v.clone(),
            published: time(v),
            publisher: d.npm_user.as_ref().and_then(person),
            maintainers,
            yanked: false,
        });
    }
    let about = About {
        description: text(doc.description.as_ref()),
        urls: urls_of(doc.homepage.iter().chain(doc.repository.iter())),
        recent_downloads: None,
    };
    Ok(Lookup::Found {
        created,
        versions: sorted(versions),
        about,
    })
}

#[derive(Deserialize)]
struct CratesDoc {
    #[serde(rename = "crate")]
    krate: Option<serde_json::Value>,
    versions: Option<Vec<CrateVersion>>,
}

#[derive(Deserialize)]
struct CrateVersion {
    num: String,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    yanked: Option<bool>,
    #[serde(default)]
    published_by: Option<serde_json::Value>,
}

/// Parse a crates.io API crate document (`/api/v1/crates/{name}`).
pub fn parse_crates(body: &[u8]) -> Result<Lookup, String> {
    let doc: CratesDoc = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let (Some(serde_json::Value::Object(krate)), Some(all)) = (doc.krate, doc.versions) else {
        return Err("not a crates.io crate document (no `crate` and `versions`)".into());
    };
    if all.len() > MAX_VERSIONS {
        return Err(format!("more than {MAX_VERSIONS} versions"));
    }
    let versions = all
        .into_iter()
        .map(|v| VersionInfo {
            published: v.created_at.as_deref().and_then(unix),
            publisher: v
                .published_by
                .as_ref()
                .and_then(|p| p.get("login"))
                .and_then(|l| l.as_str())
                .map(str::to_owned),
            maintainers: Vec::new(),
            yanked: v.yanked == Some(true),
            version: v.num,
        })
        .collect();
    let about = About {
        description: text(krate.get("description")),
        urls: urls_of(
            ["homepage", "repository", "documentation"]
                .iter()
                .filter_map(|k| krate.get(*k)),
        ),
        recent_downloads: krate.get("recent_downloads").and_then(|d| d.as_u64()),
    };
    Ok(Lookup::Found {
        created: krate
            .get("created_at")
            .and_then(|c| c.as_str())
            .and_then(unix),
        versions: sorted(versions),
        about,
    })
}

/// Parse a registry's answer: `status` 404 is [`Lookup::Missing`], 200 is parsed per
/// ecosystem, anything else is an error.
pub fn parse_response(eco: Ecosystem, status: u16, body: &[u8]) -> Result<Lookup, String> {
    match (status, eco) {
        (404 | 410, _) => Ok(Lookup::Missing),
        (200, Ecosystem::PyPI) => parse_pypi(body),
        (200, Ecosystem::Npm) => parse_npm(body),
        (200, Ecosystem::CratesIo) => parse_crates(body),
        (s, _) => Err(format!("HTTP status {s}")),
    }
}

/// Thresholds of the online rules.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// DEP008: younger than this many days.
    pub min_age_days: u64,
    /// The current time, Unix seconds.
    pub now_unix: i64,
}

fn finding(rule: Rule, path: &str, d: &Dependency, evidence: String) -> Finding {
    crate::audit::finding(rule, path, d.line, evidence)
}

/// The online findings for one dependency of the file `path` (parsed as `lf`).
pub fn findings(
    path: &str,
    lf: &Lockfile,
    d: &Dependency,
    lookup: &Lookup,
    reg: &Registries,
    opt: Options,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let base = reg.base(d.ecosystem);
    let (created, versions) = match lookup {
        Lookup::Missing => {
            // A scope belongs to an npm user or organisation; whether it is registered
            // is not visible from a 404, so a scoped name is not called claimable.
            if d.ecosystem == Ecosystem::Npm && d.name.starts_with('@') {
                return out;
            }
            let evidence = if lf.index_urls.is_empty() {
                format!(
                    "`{}` does not exist on {base}: it was removed there (registries remove malicious uploads) or it comes from a private index this file does not name; anyone can register the name",
                    d.name
                )
            } else {
                format!(
                    "`{}` does not exist on {base} but is resolved from {}: anyone can register the name on {base}, and an installer that also consults it may take that upload",
                    d.name,
                    lf.index_urls.join(", ")
                )
            };
            out.push(finding(Rule::UnclaimedPublicName, path, d, evidence));
            return out;
        }
        Lookup::Found {
            created, versions, ..
        } => (*created, versions),
    };
    let days = |t: i64| opt.now_unix.saturating_sub(t).max(0) / 86_400;
    let young = |t: i64| (days(t) as u64) < opt.min_age_days;
    let project_young = created.is_some_and(young);
    let pinned = d
        .version
        .as_deref()
        .and_then(|v| versions.iter().position(|x| x.version == v));
    if project_young {
        let c = created.unwrap_or_default();
        let mut f = finding(
            Rule::YoungPackage,
            path,
            d,
            format!(
                "`{}` was first published on {base} {} day(s) ago ({}), under the {}-day minimum",
                d.name,
                days(c),
                crate::db::date_of(u64::try_from(c).unwrap_or(0)),
                opt.min_age_days
            ),
        );
        f.severity = Severity::Medium;
        out.push(f);
    } else if let Some(v) = pinned.and_then(|i| versions.get(i))
        && let Some(p) = v.published.filter(|p| young(*p))
    {
        let mut f = finding(
            Rule::YoungPackage,
            path,
            d,
            format!(
                "`{}` {} was published {} day(s) ago ({}), under the {}-day minimum; the project is older",
                d.name,
                v.version,
                days(p),
                crate::db::date_of(u64::try_from(p).unwrap_or(0)),
                opt.min_age_days
            ),
        );
        f.severity = Severity::Low;
        out.push(f);
    }
    if let Some(v) = pinned.and_then(|i| versions.get(i))
        && v.yanked
    {
        out.push(finding(
            Rule::YankedVersion,
            path,
            d,
            format!(
                "`{}` {} is yanked on {base}: its publisher withdrew it",
                d.name, v.version
            ),
        ));
    }
    if d.ecosystem == Ecosystem::CratesIo {
        // No maintainer list per version: compare with everyone who published before.
        if let Some(i) = pinned
            && let (Some(cur), Some(before)) = (versions.get(i), versions.get(..i))
            && let Some(p) = &cur.publisher
        {
            let mut prev: Vec<&str> = before
                .iter()
                .filter_map(|v| v.publisher.as_deref())
                .collect();
            prev.sort_unstable();
            prev.dedup();
            if !prev.is_empty() && !prev.contains(&p.as_str()) {
                out.push(finding(
                    Rule::MaintainerChange,
                    path,
                    d,
                    format!(
                        "`{}` {} was published by `{p}`, who published none of the {} earlier version(s) ({})",
                        d.name,
                        cur.version,
                        i,
                        prev.iter().take(10).copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        return out;
    }
    if let Some(i) = pinned
        && i > 0
        && let (Some(cur), Some(prev)) = (versions.get(i), versions.get(i - 1))
        && cur.published.is_some()
        && !prev.maintainers.is_empty()
    {
        let outsider = cur
            .publisher
            .as_ref()
            .filter(|p| !prev.maintainers.contains(p));
        let disjoint = !cur.maintainers.is_empty()
            && cur
                .maintainers
                .iter()
                .all(|m| !prev.maintainers.contains(m));
        if outsider.is_some() || disjoint {
            let who = match outsider {
                Some(p) => format!("was published by `{p}`, who"),
                None => format!(
                    "lists maintainers {}, none of whom",
                    cur.maintainers.join(", ")
                ),
            };
            out.push(finding(
                Rule::MaintainerChange,
                path,
                d,
                format!(
                    "`{}` {} {who} maintained the previous version {} ({})",
                    d.name,
                    cur.version,
                    prev.version,
                    prev.maintainers.join(", ")
                ),
            ));
        }
    }
    out
}

/// The popular name `d` imitates (DEP003's model), whose registry document
/// [`typosquat_evidence`] compares with `d`'s.
pub fn squat_target(d: &Dependency) -> Option<&'static str> {
    assay_rules::typosquat::squats_in(d.ecosystem, &d.name).map(|(t, _)| t)
}

/// DEP012: `d` imitates `target` (see [`squat_target`]) and its registry entry (`lookup`)
/// is young, little downloaded, or copies the description or a URL of the imitated
/// project's (`target_lookup`, when it was fetched). `None` when no fact confirms it.
pub fn typosquat_evidence(
    path: &str,
    d: &Dependency,
    lookup: &Lookup,
    target: &str,
    target_lookup: Option<&Lookup>,
    now_unix: i64,
) -> Option<Finding> {
    let Lookup::Found { created, about, .. } = lookup else {
        return None;
    };
    let mut facts = Vec::new();
    if let Some(c) = created {
        let days = now_unix.saturating_sub(*c).max(0) / 86_400;
        if days < SQUAT_YOUNG_DAYS {
            facts.push(format!("first published {days} day(s) ago"));
        }
    }
    if let Some(n) = about.recent_downloads.filter(|n| *n < SQUAT_FEW_DOWNLOADS) {
        facts.push(format!("{n} download(s) in 90 days"));
    }
    if let Some(Lookup::Found { about: theirs, .. }) = target_lookup {
        if let (Some(a), Some(b)) = (&about.description, &theirs.description)
            && a.chars().count() >= MIN_DESCRIPTION
            && a.to_lowercase() == b.to_lowercase()
        {
            facts.push(format!("description copied from `{target}` (\"{a}\")"));
        }
        if let Some(u) = about.urls.iter().find(|u| theirs.urls.contains(u)) {
            facts.push(format!("links to `{target}`'s {u}"));
        }
    }
    if facts.is_empty() {
        return None;
    }
    Some(finding(
        Rule::RegistryConfirmedTyposquat,
        path,
        d,
        format!(
            "`{}` imitates `{target}` and its registry entry confirms it: {}",
            d.name,
            facts.join("; ")
        ),
    ))
}

/// Fetch the metadata of each `(ecosystem, name)` with [`CONCURRENCY`] workers; one
/// result per input, in order. Errors (network, status, size, JSON) name the URL.
#[cfg(feature = "net")]
pub fn lookup_all(
    client: &crate::net::Client,
    reg: &Registries,
    packages: &[(Ecosystem, String)],
) -> Vec<Result<Lookup, String>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Lookup, String>>>> =
        Mutex::new((0..packages.len()).map(|_| None).collect());
    // The start time of the last crates.io request: workers wait their turn so requests
    // start at least `crates_interval` apart (the crawler policy's rate).
    let crates_gate: Mutex<Option<std::time::Instant>> = Mutex::new(None);
    let pace = || {
        if reg.crates_interval.is_zero() {
            return;
        }
        if let Ok(mut last) = crates_gate.lock() {
            let now = std::time::Instant::now();
            if let Some(t) = *last {
                let next = t + reg.crates_interval;
                if next > now {
                    std::thread::sleep(next - now);
                }
            }
            *last = Some(std::time::Instant::now());
        }
    };
    let one = |eco: Ecosystem, name: &str| -> Result<Lookup, String> {
        let url = reg
            .url(eco, name)
            .ok_or_else(|| format!("{}: not queried", eco.osv()))?;
        if eco == Ecosystem::CratesIo {
            pace();
        }
        let r = client
            .get(&url, &[("Accept", "application/json")], MAX_DOCUMENT_BYTES)
            .map_err(|e| e.to_string())?;
        parse_response(eco, r.status, &r.body).map_err(|e| format!("{url}: {e}"))
    };
    std::thread::scope(|s| {
        for _ in 0..CONCURRENCY.min(packages.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((eco, name)) = packages.get(i) else {
                        break;
                    };
                    let r = one(*eco, name);
                    if let Ok(mut all) = results.lock()
                        && let Some(slot) = all.get_mut(i)
                    {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not looked up".into())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const NOW: i64 = 1_800_000_000;

    fn iso(t: i64) -> String {
        jiff::Timestamp::from_second(t).unwrap().to_string()
    }

    fn reg() -> Registries {
        Registries {
            pypi: "http://pypi.example.invalid".into(),
            npm: "http://npm.example.invalid".into(),
            crates: "http://crates.example.invalid".into(),
            crates_interval: std::time::Duration::ZERO,
        }
    }

    /// A crates.io crate document: (num, days ago, yanked, publisher login).
    fn crates_doc(
        created: i64,
        about: serde_json::Value,
        versions: &[(&str, i64, bool, Option<&str>)],
    ) -> Vec<u8> {
        let mut krate = serde_json::json!({"name": "c", "created_at": iso(created)});
        if let (Some(k), Some(a)) = (krate.as_object_mut(), about.as_object()) {
            k.extend(a.clone());
        }
        // crates.io lists the newest first.
        let vs: Vec<_> = versions
            .iter()
            .rev()
            .map(|(n, t, y, p)| {
                serde_json::json!({"num": n, "created_at": iso(*t), "yanked": y,
                    "published_by": p.map(|l| serde_json::json!({"id": 1, "login": l, "name": null}))})
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({"crate": krate, "versions": vs})).unwrap()
    }

    #[test]
    fn crates_yanked_young_and_new_publisher() {
        let doc = crates_doc(
            NOW - 900 * DAY,
            serde_json::json!({"recent_downloads": 50_000}),
            &[
                ("1.0.0", NOW - 900 * DAY, false, Some("alice")),
                ("1.1.0", NOW - 500 * DAY, true, Some("bob")),
                ("1.2.0", NOW - 400 * DAY, false, None),
                ("1.3.0", NOW - 2 * DAY, false, Some("mallory")),
            ],
        );
        let l = parse_response(Ecosystem::CratesIo, 200, &doc).unwrap();
        // 1.1.0: yanked, and bob had published nothing before it.
        assert_eq!(
            codes(&run(Ecosystem::CratesIo, "c", Some("1.1.0"), &l)),
            [("DEP011", Severity::Medium), ("DEP009", Severity::Medium)]
        );
        let f = run(Ecosystem::CratesIo, "c", Some("1.3.0"), &l);
        assert_eq!(
            codes(&f),
            [("DEP008", Severity::Low), ("DEP009", Severity::Medium)]
        );
        assert!(
            f[1].evidence
                .contains("`mallory`, who published none of the 3 earlier version(s) (alice, bob)"),
            "{}",
            f[1].evidence
        );
        // The first version, an old unyanked one, one published by an earlier publisher,
        // and one with no recorded publisher: nothing.
        for v in ["1.0.0", "1.2.0"] {
            assert!(run(Ecosystem::CratesIo, "c", Some(v), &l).is_empty(), "{v}");
        }
        let doc = crates_doc(
            NOW - 900 * DAY,
            serde_json::json!({}),
            &[
                ("1.0.0", NOW - 900 * DAY, false, Some("alice")),
                ("1.1.0", NOW - 500 * DAY, false, Some("bob")),
                ("1.2.0", NOW - 400 * DAY, false, Some("alice")),
            ],
        );
        let l = parse_crates(&doc).unwrap();
        assert!(run(Ecosystem::CratesIo, "c", Some("1.2.0"), &l).is_empty());
        assert_eq!(
            reg().url(Ecosystem::CratesIo, "serde_json").unwrap(),
            "http://crates.example.invalid/api/v1/crates/serde_json"
        );
        assert!(parse_crates(br#"{"crate": {}}"#).is_err());
        assert!(parse_crates(br#"{"errors": [{"detail": "Not Found"}]}"#).is_err());
        assert_eq!(
            parse_response(Ecosystem::CratesIo, 404, b"{}").unwrap(),
            Lookup::Missing
        );
    }

    #[test]
    fn pypi_release_is_yanked_when_every_file_is() {
        let doc = serde_json::json!({"releases": {
            "1.0": [{"upload_time_iso_8601": iso(NOW - 100 * DAY), "yanked": true},
                    {"upload_time_iso_8601": iso(NOW - 100 * DAY), "yanked": true}],
            "1.1": [{"upload_time_iso_8601": iso(NOW - 90 * DAY), "yanked": true},
                    {"upload_time_iso_8601": iso(NOW - 90 * DAY), "yanked": false}]
        }});
        let l = parse_pypi(&serde_json::to_vec(&doc).unwrap()).unwrap();
        assert_eq!(
            codes(&run(Ecosystem::PyPI, "p", Some("1.0"), &l)),
            [("DEP011", Severity::Medium)]
        );
        assert!(run(Ecosystem::PyPI, "p", Some("1.1"), &l).is_empty());
    }

    #[test]
    fn typosquat_confirmed_by_age_downloads_or_copying() {
        let target = serde_json::json!({"info": {"summary": "Python HTTP for Humans.",
            "home_page": "https://requests.readthedocs.io",
            "project_urls": {"Source": "https://github.com/psf/requests"}},
            "releases": {"2.32.3": [{"upload_time_iso_8601": iso(NOW - 3000 * DAY)}]}});
        let target = parse_pypi(&serde_json::to_vec(&target).unwrap()).unwrap();
        let squat = |age: i64, summary: &str, url: &str| {
            let d = serde_json::json!({"info": {"summary": summary, "project_urls": {"Homepage": url}},
                "releases": {"2.32.3": [{"upload_time_iso_8601": iso(NOW - age * DAY)}]}});
            parse_pypi(&serde_json::to_vec(&d).unwrap()).unwrap()
        };
        let d = Dependency::pinned(Ecosystem::PyPI, "reqeusts", "2.32.3");
        assert_eq!(squat_target(&d), Some("requests"));
        let ev = |l: &Lookup| {
            typosquat_evidence("r.txt", &d, l, "requests", Some(&target), NOW)
                .map(|f| (f.rule.code().to_owned(), f.severity, f.evidence))
        };
        // Young: confirmed.
        let (code, sev, e) = ev(&squat(
            3,
            "my own thing, nothing else",
            "https://x.example.invalid",
        ))
        .unwrap();
        assert_eq!((code.as_str(), sev), ("DEP012", Severity::Critical));
        assert!(e.contains("first published 3 day(s) ago"), "{e}");
        // Old but copying the summary, or linking to the target's repository.
        let e = ev(&squat(
            400,
            "Python HTTP for humans.",
            "https://x.example.invalid",
        ))
        .unwrap()
        .2;
        assert!(e.contains("description copied from `requests`"), "{e}");
        let e = ev(&squat(
            400,
            "mine",
            "http://www.github.com/psf/requests.git/",
        ))
        .unwrap()
        .2;
        assert!(
            e.contains("links to `requests`'s github.com/psf/requests"),
            "{e}"
        );
        // Old, its own description and URL: not confirmed (DEP003 stands alone).
        assert!(
            ev(&squat(
                400,
                "A different project altogether",
                "https://x.example.invalid"
            ))
            .is_none()
        );
        // Short descriptions are not compared; a missing target document compares nothing.
        let short = squat(400, "HTTP", "https://x.example.invalid");
        assert!(ev(&short).is_none());
        assert!(
            typosquat_evidence(
                "r.txt",
                &d,
                &squat(400, "Python HTTP for Humans.", ""),
                "requests",
                None,
                NOW
            )
            .is_none()
        );
        assert!(
            typosquat_evidence(
                "r.txt",
                &d,
                &Lookup::Missing,
                "requests",
                Some(&target),
                NOW
            )
            .is_none()
        );
        // crates.io: few downloads.
        let c = crates_doc(
            NOW - 400 * DAY,
            serde_json::json!({"recent_downloads": 12}),
            &[("0.1.0", NOW - 400 * DAY, false, Some("x"))],
        );
        let c = parse_crates(&c).unwrap();
        let dc = Dependency::pinned(Ecosystem::CratesIo, "c", "0.1.0");
        let f = typosquat_evidence("Cargo.lock", &dc, &c, "t", None, NOW).unwrap();
        assert!(
            f.evidence.contains("12 download(s) in 90 days"),
            "{}",
            f.evidence
        );
        // A popular name imitates nothing.
        assert_eq!(
            squat_target(&Dependency::pinned(Ecosystem::PyPI, "requests", "1")),
            None
        );
    }

    fn opt() -> Options {
        Options {
            min_age_days: 7,
            now_unix: NOW,
        }
    }

    fn codes(f: &[Finding]) -> Vec<(&str, Severity)> {
        f.iter().map(|f| (f.rule.code(), f.severity)).collect()
    }

    fn npm_doc(created: i64, versions: &[(&str, i64, &str, &[&str])]) -> Vec<u8> {
        let mut time = serde_json::json!({"created": iso(created)});
        let mut vs = serde_json::Map::new();
        for (v, t, user, maint) in versions {
            time[*v] = iso(*t).into();
            let m: Vec<_> = maint
                .iter()
                .map(|n| serde_json::json!({"name": n, "email": "x@example.invalid"}))
                .collect();
            vs.insert(
                (*v).into(),
                serde_json::json!({"_npmUser": {"name": user}, "maintainers": m}),
            );
        }
        serde_json::to_vec(&serde_json::json!({"time": time, "versions": vs})).unwrap()
    }

    fn run(eco: Ecosystem, name: &str, v: Option<&str>, l: &Lookup) -> Vec<Finding> {
        let mut d = Dependency::pinned(eco, name, v.unwrap_or(""));
        d.version = v.map(str::to_owned);
        findings("lock", &Lockfile::default(), &d, l, &reg(), opt())
    }

    #[test]
    fn npm_publisher_outside_previous_maintainers_is_dep009() {
        let doc = npm_doc(
            NOW - 900 * DAY,
            &[
                ("3.3.5", NOW - 400 * DAY, "dominic", &["dominic"]),
                (
                    "3.3.6",
                    NOW - 300 * DAY,
                    "newcomer",
                    &["dominic", "newcomer"],
                ),
            ],
        );
        let l = parse_npm(&doc).unwrap();
        let f = run(Ecosystem::Npm, "event-stream", Some("3.3.6"), &l);
        assert_eq!(codes(&f), [("DEP009", Severity::Medium)]);
        assert!(f[0].evidence.contains("`newcomer`"), "{}", f[0].evidence);
        // The same publisher as before, or the first version: nothing.
        assert!(run(Ecosystem::Npm, "event-stream", Some("3.3.5"), &l).is_empty());
        let same = npm_doc(
            NOW - 900 * DAY,
            &[
                ("1.0.0", NOW - 400 * DAY, "a", &["a", "b"]),
                ("1.0.1", NOW - 300 * DAY, "b", &["a", "b"]),
            ],
        );
        let l = parse_npm(&same).unwrap();
        assert!(run(Ecosystem::Npm, "x", Some("1.0.1"), &l).is_empty());
    }

    #[test]
    fn young_project_is_medium_young_version_is_low() {
        let doc = npm_doc(NOW - 2 * DAY, &[("1.0.0", NOW - 2 * DAY, "a", &["a"])]);
        let l = parse_npm(&doc).unwrap();
        assert_eq!(
            codes(&run(Ecosystem::Npm, "fresh", Some("1.0.0"), &l)),
            [("DEP008", Severity::Medium)]
        );
        assert_eq!(
            codes(&run(Ecosystem::Npm, "fresh", None, &l)),
            [("DEP008", Severity::Medium)]
        );
        let doc = npm_doc(
            NOW - 500 * DAY,
            &[
                ("1.0.0", NOW - 500 * DAY, "a", &["a"]),
                ("1.0.1", NOW - DAY, "a", &["a"]),
            ],
        );
        let l = parse_npm(&doc).unwrap();
        assert_eq!(
            codes(&run(Ecosystem::Npm, "old", Some("1.0.1"), &l)),
            [("DEP008", Severity::Low)]
        );
        assert!(run(Ecosystem::Npm, "old", Some("1.0.0"), &l).is_empty());
        assert!(run(Ecosystem::Npm, "old", None, &l).is_empty());
    }

    #[test]
    fn pypi_dates_come_from_files_and_there_is_no_maintainer_rule() {
        let doc = serde_json::json!({"info": {"author": "someone"}, "releases": {
            "1.0": [{"upload_time_iso_8601": iso(NOW - 100 * DAY)}],
            "1.1": [{"upload_time": iso(NOW - 3 * DAY).trim_end_matches('Z')},
                    {"upload_time_iso_8601": iso(NOW - 2 * DAY)}],
            "2.0": []
        }});
        let l = parse_pypi(&serde_json::to_vec(&doc).unwrap()).unwrap();
        let Lookup::Found {
            created, versions, ..
        } = &l
        else {
            panic!()
        };
        assert_eq!(*created, Some(NOW - 100 * DAY));
        assert_eq!(versions.len(), 3);
        let f = run(Ecosystem::PyPI, "Some_Pkg", Some("1.1"), &l);
        assert_eq!(codes(&f), [("DEP008", Severity::Low)]);
        assert!(f[0].evidence.contains("3 day(s) ago"), "{}", f[0].evidence);
        assert!(run(Ecosystem::PyPI, "some-pkg", Some("1.0"), &l).is_empty());
    }

    #[test]
    fn missing_names_are_dep010_except_npm_scopes() {
        assert_eq!(
            codes(&run(
                Ecosystem::PyPI,
                "internal-tool",
                None,
                &Lookup::Missing
            )),
            [("DEP010", Severity::Medium)]
        );
        assert!(run(Ecosystem::Npm, "@corp/tool", None, &Lookup::Missing).is_empty());
        let lf = Lockfile {
            index_urls: vec!["https://pkgs.example.invalid/simple".into()],
            ..Lockfile::default()
        };
        let d = Dependency::pinned(Ecosystem::PyPI, "internal-tool", "1.0");
        let f = findings("r.txt", &lf, &d, &Lookup::Missing, &reg(), opt());
        assert!(
            f[0].evidence.contains("pkgs.example.invalid"),
            "{}",
            f[0].evidence
        );
        // npm: an unpublished package is claimable too.
        let doc =
            br#"{"time": {"created": "2020-01-01T00:00:00Z", "unpublished": {}}, "versions": {}}"#;
        assert_eq!(parse_npm(doc).unwrap(), Lookup::Missing);
        // Every version removed (an empty `versions` object): nothing to install.
        let doc = br#"{"_id": "x", "name": "x", "dist-tags": {}, "versions": {}, "time": {}}"#;
        assert_eq!(parse_npm(doc).unwrap(), Lookup::Missing);
        // No `versions` at all: not a packument.
        assert!(parse_npm(br#"{"error": "x"}"#).is_err());
    }

    /// Truncations and byte flips of valid documents: `Ok` or `Err`, never a panic (the
    /// `registry_npm`/`registry_pypi` cargo-fuzz targets do this at scale on nightly).
    #[test]
    fn mangled_documents_never_panic() {
        let npm = npm_doc(NOW - DAY, &[("1.0.0", NOW - DAY, "a", &["a", "b"])]);
        let pypi = serde_json::to_vec(&serde_json::json!({"releases": {
            "1.0": [{"upload_time_iso_8601": iso(NOW)}, {"upload_time": "2020-01-01T00:00:00"}]
        }}))
        .unwrap();
        for doc in [&npm, &pypi] {
            for cut in 0..doc.len() {
                let _ = parse_npm(&doc[..cut]);
                let _ = parse_pypi(&doc[..cut]);
            }
            for i in 0..doc.len() {
                let mut d = doc.clone();
                d[i] ^= 0x5a;
                let _ = parse_npm(&d);
                let _ = parse_pypi(&d);
            }
        }
    }

    #[test]
    fn malformed_documents_and_statuses_are_errors() {
        assert!(parse_response(Ecosystem::PyPI, 200, b"{not json").is_err());
        assert!(parse_response(Ecosystem::Npm, 200, b"[]").is_err());
        assert!(parse_response(Ecosystem::Npm, 200, b"{}").is_err());
        assert!(parse_response(Ecosystem::PyPI, 200, b"{\"info\": {}}").is_err());
        assert!(parse_response(Ecosystem::Npm, 500, b"").is_err());
        assert_eq!(
            parse_response(Ecosystem::Npm, 404, b"").unwrap(),
            Lookup::Missing
        );
        assert_eq!(
            reg().url(Ecosystem::Npm, "@s/p").unwrap(),
            "http://npm.example.invalid/@s%2fp"
        );
        assert_eq!(
            reg().url(Ecosystem::PyPI, "Foo_Bar").unwrap(),
            "http://pypi.example.invalid/pypi/foo-bar/json"
        );
    }
}
