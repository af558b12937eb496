//! Registry specs: `pypi:NAME[==VERSION]` and `npm:NAME[@VERSION]` turned into the files
//! of one release on disk — every file, verified against the digest the registry
//! publishes, cached by content — plus what the registry's metadata says about that
//! release: DEP013 release-burst, DEP014 dormant-release, DEP015 attestation-dropped
//! (and DEP011 yanked-version for a pinned release whose every file is yanked).
//!
//! Sources:
//! - **PyPI**, or any index that speaks the simple repository API: the project page
//!   `GET {index}/{normalized-name}/` (PEP 503 normalisation), asked for the PEP 691 JSON
//!   form (`Accept: application/vnd.pypi.simple.v1+json`, the HTML forms accepted with
//!   lower preference). The answer is read as PEP 691 JSON when its first non-blank byte is
//!   `{` and as a PEP 503 HTML page otherwise, whatever its `Content-Type` says (mirrors
//!   mislabel both). Per file: `filename`, `url` (absolute, or relative to the page),
//!   `hashes.sha256` (HTML: the `#sha256=` fragment), `yanked` (PEP 592; HTML
//!   `data-yanked`), `upload-time` (PEP 700, JSON only), `provenance` (PEP 740; HTML
//!   `data-provenance`), `size`. The page lists every file of every version, so one
//!   request gives both the release's files and the project's history.
//! - **npm**: the packument `GET {registry}/{name}` (scoped names as `@scope%2fname`):
//!   `versions[V].dist.tarball`, `.integrity` (SRI, `sha512-<base64>`), `.shasum` (hex
//!   sha1, used only when `integrity` is absent), `.attestations` (npm provenance);
//!   `dist-tags`; `time[V]` (publish time).
//!
//! **Selection** (PyPI): the files whose filename names the project and parses to the
//! requested version — wheels (PEP 427, `NAME-VER(-BUILD)?-PY-ABI-PLAT.whl`), sdists
//! (PEP 625 and the older `NAME-VER.tar.gz`/`.zip`/`.tar.bz2`/… shapes) and eggs — by PEP
//! 440 equality (`1.0` is `1.0.0`). Without a version: the highest version that is not
//! a pre- or dev-release and has a non-yanked file, and only its non-yanked files. With
//! `==VERSION`: every file of that version, yanked ones too, as `pip install NAME==V`
//! takes them (PEP 592) — a yanked release is exactly what one wants to inspect. Other
//! uploads (`.exe`, `.msi`, `.rpm`, `.dmg` of retired upload types) are never installed
//! by pip and are left out. npm: the named version, else the `dist-tags` entry of that
//! name, else `dist-tags.latest`.
//!
//! **Integrity** (fail closed): a file is used only when the digest the registry
//! publishes matches the download — PyPI `sha256`; npm `integrity` (`sha512`, else
//! `sha256`), else the legacy `shasum` (sha1, with collision detection). A file without
//! a usable digest is refused before anything is downloaded.
//!
//! **Cache** (under [`crate::db::cache_dir`]): `blobs/<algorithm>/<hex>` holds each
//! verified file once, named by its digest; `releases/pypi/<name>/<version>/` and
//! `releases/npm/[@scope/]<name>/<version>/` hold hard links to the blobs (copies where a
//! link fails) under the published file names, so reports name
//! `pkg-1.0-py3-none-any.whl`, not a hash. A blob already present is re-hashed and used
//! without a download when it still matches. A release directory is pruned to the files
//! of the latest resolution. Downloads go to a temporary file beside the blob and are
//! renamed into place only once verified, so two processes never see half a blob.
//!
//! **Bounds** ([`Limits`]): the index document, the files of one release, each file and
//! the release in all; strings and lists read from the documents; the HTML scanner's tags.
//! Malformed documents are errors naming the URL, never panics.

use crate::lock::Ecosystem;
use assay_core::{Finding, Location, Rule, Severity};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Default largest index document (PEP 691 JSON, PEP 503 HTML, npm packument), bytes.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;
/// Default most files of one release.
pub const MAX_RELEASE_FILES: usize = 500;
/// Default largest single file, bytes.
pub const MAX_FILE_BYTES: u64 = 512 << 20;
/// Default largest release (all its files together), bytes.
pub const MAX_RELEASE_BYTES: u64 = 4 << 30;
/// Most files read from one project page, and most versions from one packument.
pub const MAX_INDEX_ENTRIES: usize = 500_000;
/// Longest file name accepted (bytes; common file-system limit).
const MAX_FILENAME: usize = 255;
/// Longest URL accepted.
const MAX_URL: usize = 8192;
/// Longest single HTML tag scanned.
const MAX_TAG: usize = 64 << 10;
/// Most attributes of one HTML tag.
const MAX_ATTRS: usize = 64;
/// Downloads in flight at once.
#[cfg(feature = "net")]
const CONCURRENCY: usize = 4;

/// DEP013: releases less than this far apart (seconds) form one run.
pub const BURST_GAP_SECS: i64 = 12 * 3600;
/// DEP013: a run of at least this many versions is a burst…
pub const BURST_MIN_VERSIONS: usize = 3;
/// DEP013: …when the release before it is at least this many days older.
pub const BURST_QUIET_DAYS: i64 = 30;
/// DEP013: a file uploaded at least this many days after its release's first file.
pub const LATE_FILE_DAYS: i64 = 7;
/// DEP014: a release at least this many days after the previous one.
pub const DORMANT_DAYS: i64 = 365;

const DAY: i64 = 86_400;

/// Why a spec could not be turned into verified files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The spec itself is malformed (bad name, a version range, an unknown prefix).
    #[error("`{spec}`: {why}")]
    Spec {
        /// The argument as given.
        spec: String,
        /// What is wrong with it.
        why: String,
    },
    /// The registry's document could not be read: not JSON/HTML, wrong shape, a bound
    /// passed, an unsupported API version.
    #[error("{url}: {why}")]
    Document {
        /// The document's URL.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The registry answered with a status other than 2xx.
    #[error("{url}: HTTP status {status}{}", if *status == 404 { " (no such project)" } else { "" })]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The document is fine but has no release or no file matching the spec, or the
    /// release passes a [`Limits`] bound.
    #[error("{spec}: {why}")]
    Release {
        /// The spec.
        spec: String,
        /// What is missing or too large.
        why: String,
    },
    /// A download does not match the digest the registry publishes for it.
    #[error(
        "{filename}: {algorithm} mismatch: the registry publishes {expected}, the download from {url} is {actual}"
    )]
    Mismatch {
        /// The file's published name.
        filename: String,
        /// Where it was downloaded from.
        url: String,
        /// `sha256`, `sha512` or `sha1`.
        algorithm: &'static str,
        /// The published digest (hex).
        expected: String,
        /// The download's digest (hex), or why none could be computed.
        actual: String,
    },
    /// The registry publishes no usable digest for a file of the release: it is refused
    /// (fail closed).
    #[error(
        "{filename} ({url}): the registry publishes no {wanted} digest for it; refusing a file that cannot be verified"
    )]
    NoDigest {
        /// The file's published name.
        filename: String,
        /// Its URL.
        url: String,
        /// What was looked for.
        wanted: &'static str,
    },
    /// No cache directory is known.
    #[error("no cache directory: set ASSAY_CACHE_DIR (or XDG_CACHE_HOME or HOME)")]
    NoCache,
    /// A request failed (network, TLS, timeout, size limit).
    #[cfg(feature = "net")]
    #[error(transparent)]
    Net(#[from] crate::net::NetError),
    /// Reading or writing the cache (the `fs-err` message names the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn doc_err(url: &str, why: impl Into<String>) -> RegistryError {
    RegistryError::Document {
        url: url.to_owned(),
        why: why.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------

/// A registry spec as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// [`Ecosystem::PyPI`] or [`Ecosystem::Npm`].
    pub ecosystem: Ecosystem,
    /// The name: PyPI normalised per PEP 503 (`Foo_Bar` → `foo-bar`); npm as written
    /// (`@scope/name` for scoped packages; the registry is case-sensitive for legacy
    /// mixed-case names).
    pub name: String,
    /// PyPI: the PEP 440 version after `==`; npm: the exact version or dist-tag after
    /// `@`. `None`: the latest release.
    pub version: Option<String>,
}

impl std::fmt::Display for Spec {
    /// `pypi:NAME[==VERSION]` / `npm:NAME[@VERSION]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.ecosystem, &self.version) {
            (Ecosystem::Npm, Some(v)) => write!(f, "npm:{}@{v}", self.name),
            (Ecosystem::Npm, None) => write!(f, "npm:{}", self.name),
            (_, Some(v)) => write!(f, "pypi:{}=={v}", self.name),
            (_, None) => write!(f, "pypi:{}", self.name),
        }
    }
}

/// Whether `arg` is meant as a registry spec (starts with `pypi:` or `npm:`). Such an
/// argument is never read as a path; write `./pypi:x` for a file of that name.
pub fn is_spec(arg: &str) -> bool {
    arg.starts_with("pypi:") || arg.starts_with("npm:")
}

/// PEP 503 normalisation: runs of `-`, `_`, `.` become one `-`, lowercase.
pub fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep {
            out.push('-');
            sep = false;
        }
        out.extend(c.to_lowercase());
    }
    if sep {
        out.push('-');
    }
    out
}

impl Spec {
    /// Parse `pypi:NAME[==VERSION]` or `npm:NAME[@VERSION]` (`npm:@scope/name@1.2.3`).
    /// `Ok(None)` when `arg` is not a spec ([`is_spec`]).
    ///
    /// PyPI names follow PEP 508 (ASCII letters, digits, `.`, `_`, `-`, starting and
    /// ending with a letter or digit) and are normalised per PEP 503; the version must
    /// parse as PEP 440. npm names follow the registry's rules (at most 214 characters,
    /// URL-safe, no leading `.` or `_`, one `@scope/` prefix); the version is an exact
    /// version or a dist-tag name — ranges are refused.
    ///
    /// # Errors
    /// [`RegistryError::Spec`] naming the argument and what is wrong.
    pub fn parse(arg: &str) -> Result<Option<Spec>, RegistryError> {
        let bad = |why: &str| RegistryError::Spec {
            spec: arg.to_owned(),
            why: why.to_owned(),
        };
        if let Some(rest) = arg.strip_prefix("pypi:") {
            let (name, version) = match rest.split_once("==") {
                Some((n, v)) => (n, Some(v)),
                None => (rest, None),
            };
            if name.contains(['@', '<', '>', '~', '!', '=', '[', ' ', ';']) {
                return Err(bad(
                    "expected pypi:NAME or pypi:NAME==VERSION (one exact version; no ranges or extras)",
                ));
            }
            if !valid_pypi_name(name) {
                return Err(bad(
                    "not a valid project name (PEP 508: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit)",
                ));
            }
            let version = match version {
                Some(v) => {
                    if v.is_empty() || v.len() > 128 || v.contains('*') {
                        return Err(bad("expected one exact version after `==`"));
                    }
                    v.parse::<pep440_rs::Version>()
                        .map_err(|e| bad(&format!("`{v}` is not a PEP 440 version: {e}")))?;
                    Some(v.to_owned())
                }
                None => None,
            };
            return Ok(Some(Spec {
                ecosystem: Ecosystem::PyPI,
                name: normalize_pypi(name),
                version,
            }));
        }
        if let Some(rest) = arg.strip_prefix("npm:") {
            // The version separator is the first `@` after the scope's own.
            let from = usize::from(rest.starts_with('@'));
            let (name, version) = match rest.get(from..).and_then(|r| r.find('@')) {
                Some(i) => (
                    rest.get(..from + i).unwrap_or(rest),
                    rest.get(from + i + 1..),
                ),
                None => (rest, None),
            };
            if !valid_npm_name(name) {
                return Err(bad(
                    "not a valid npm package name (`name` or `@scope/name`, at most 214 URL-safe characters)",
                ));
            }
            let version = match version {
                Some(v) => {
                    let exact = semver::Version::parse(v).is_ok();
                    let tag = !v.is_empty()
                        && v.len() <= 128
                        && v.chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                        && !v.starts_with(|c: char| c.is_ascii_digit() || c == 'v');
                    if !exact && !tag {
                        return Err(bad(&format!(
                            "`{v}` is neither an exact version nor a dist-tag (ranges are not accepted)"
                        )));
                    }
                    Some(v.to_owned())
                }
                None => None,
            };
            return Ok(Some(Spec {
                ecosystem: Ecosystem::Npm,
                name: name.to_owned(),
                version,
            }));
        }
        Ok(None)
    }
}

fn valid_pypi_name(name: &str) -> bool {
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && ends_ok(name.chars().next())
        && ends_ok(name.chars().last())
}

fn valid_npm_name(name: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && !p.starts_with(['.', '_'])
            && p.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '-' | '.' | '_' | '~' | '!' | '\'' | '(' | ')' | '*')
            })
            && p != ".."
    };
    if name.is_empty() || name.len() > 214 {
        return false;
    }
    match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, pkg)) => part(scope) && part(pkg),
            None => false,
        },
        None => part(name),
    }
}

// ---------------------------------------------------------------------------------------
// PyPI simple API documents
// ---------------------------------------------------------------------------------------

/// One file of a project page (PEP 503 / PEP 691).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// The published file name (PEP 691 `filename`; PEP 503: the anchor text).
    pub filename: String,
    /// Absolute download URL (relative URLs resolved against the page), fragment removed.
    pub url: String,
    /// Lowercase hex sha256 when published (`hashes.sha256`, PEP 503 `#sha256=`), and
    /// only when it is 64 hex digits.
    pub sha256: Option<String>,
    /// Yanked (PEP 592).
    pub yanked: bool,
    /// Upload time, Unix seconds (PEP 700 `upload-time`; JSON only).
    pub upload_time: Option<i64>,
    /// The file has a PEP 740 provenance object (`provenance` non-null;
    /// `data-provenance`).
    pub provenance: bool,
    /// Size in bytes when published (PEP 700 `size`).
    pub size: Option<u64>,
}

/// Parse a simple-API project page fetched from `url`: PEP 691 JSON when the first
/// non-blank byte is `{`, else PEP 503 HTML. Files with an empty name or a URL that is
/// not http(s) are errors; so are more than [`MAX_INDEX_ENTRIES`] files.
///
/// # Errors
/// [`RegistryError::Document`] naming `url`.
pub fn parse_simple(url: &str, body: &[u8]) -> Result<Vec<IndexFile>, RegistryError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => parse_simple_json(url, body),
        Some(b'<') => parse_simple_html(url, body),
        _ => Err(doc_err(
            url,
            "not a simple-API project page (neither PEP 691 JSON nor PEP 503 HTML)",
        )),
    }
}

#[derive(Deserialize)]
struct SimpleJson {
    #[serde(default)]
    meta: Option<SimpleMeta>,
    #[serde(default)]
    files: Option<Vec<SimpleFile>>,
}

#[derive(Deserialize)]
struct SimpleMeta {
    #[serde(rename = "api-version", default)]
    api_version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct SimpleFile {
    #[serde(default)]
    filename: Option<serde_json::Value>,
    #[serde(default)]
    url: Option<serde_json::Value>,
    #[serde(default)]
    hashes: Option<serde_json::Value>,
    #[serde(default)]
    yanked: Option<serde_json::Value>,
    #[serde(rename = "upload-time", default)]
    upload_time: Option<serde_json::Value>,
    #[serde(default)]
    provenance: Option<serde_json::Value>,
    #[serde(default)]
    size: Option<serde_json::Value>,
}

fn sha256_hex(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
}

fn file_entry(
    page: &str,
    filename: &str,
    href: &str,
    sha256: Option<String>,
) -> Result<IndexFile, RegistryError> {
    let filename = filename.trim();
    if filename.is_empty() || filename.len() > MAX_FILENAME {
        return Err(doc_err(page, "a file has an empty or overlong name"));
    }
    if href.len() > MAX_URL {
        return Err(doc_err(page, format!("`{filename}`: URL too long")));
    }
    let no_fragment = href.split('#').next().unwrap_or_default();
    let url = join_url(page, no_fragment).ok_or_else(|| {
        doc_err(
            page,
            format!("`{filename}`: `{no_fragment}` is not an http(s) URL"),
        )
    })?;
    Ok(IndexFile {
        filename: filename.to_owned(),
        url,
        sha256,
        yanked: false,
        upload_time: None,
        provenance: false,
        size: None,
    })
}

/// Parse a PEP 691 JSON project page (`application/vnd.pypi.simple.v1+json`). The
/// `meta.api-version` major must be 1 (PEP 691: clients fail on an unknown major).
///
/// # Errors
/// [`RegistryError::Document`] naming `url`.
pub fn parse_simple_json(url: &str, body: &[u8]) -> Result<Vec<IndexFile>, RegistryError> {
    let doc: SimpleJson = serde_json::from_slice(body)
        .map_err(|e| doc_err(url, format!("malformed PEP 691 JSON: {e}")))?;
    if let Some(v) = doc.meta.and_then(|m| m.api_version) {
        let major = v.as_str().and_then(|s| s.split('.').next()).unwrap_or("");
        if major != "1" {
            return Err(doc_err(
                url,
                format!("unsupported simple API version {v} (PEP 691 major 1 is supported)"),
            ));
        }
    }
    let files = doc
        .files
        .ok_or_else(|| doc_err(url, "not a PEP 691 project page (no `files` list)"))?;
    if files.len() > MAX_INDEX_ENTRIES {
        return Err(doc_err(url, format!("more than {MAX_INDEX_ENTRIES} files")));
    }
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let (Some(name), Some(href)) = (
            f.filename.as_ref().and_then(|v| v.as_str()),
            f.url.as_ref().and_then(|v| v.as_str()),
        ) else {
            return Err(doc_err(url, "a file has no `filename` or `url` string"));
        };
        let sha = sha256_hex(
            f.hashes
                .as_ref()
                .and_then(|h| h.get("sha256"))
                .and_then(|h| h.as_str()),
        );
        let mut e = file_entry(url, name, href, sha)?;
        e.yanked = match &f.yanked {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(_)) => true,
            _ => false,
        };
        e.upload_time = f
            .upload_time
            .as_ref()
            .and_then(|t| t.as_str())
            .and_then(crate::online::unix);
        e.provenance = f.provenance.as_ref().is_some_and(|p| !p.is_null());
        e.size = f.size.as_ref().and_then(serde_json::Value::as_u64);
        out.push(e);
    }
    Ok(out)
}

/// Parse a PEP 503 HTML project page: every `<a href="…">filename</a>`, the sha256 from
/// the URL's `#sha256=` fragment, `data-yanked` (PEP 592) and `data-provenance` (PEP
/// 740). A hand-written scanner (no HTML library): tags up to 64 KiB, 64 attributes,
/// quoted and unquoted values, character references decoded.
///
/// # Errors
/// [`RegistryError::Document`] naming `url`: an unterminated tag or anchor, a bound
/// passed, a bad file entry.
pub fn parse_simple_html(url: &str, body: &[u8]) -> Result<Vec<IndexFile>, RegistryError> {
    let text = String::from_utf8_lossy(body);
    // ASCII lowercasing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut pos = 0usize;
    while let Some(i) = lower.get(pos..).and_then(|s| s.find("<a")) {
        let after = pos + i + 2;
        pos = after;
        if !lower
            .as_bytes()
            .get(after)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>')
        {
            continue;
        }
        let (attrs, end) = html_attrs(&text, after).ok_or_else(|| {
            doc_err(
                url,
                "malformed PEP 503 HTML: an unterminated or oversized tag",
            )
        })?;
        let close = lower
            .get(end..)
            .and_then(|s| s.find("</a"))
            .map(|j| end + j)
            .ok_or_else(|| doc_err(url, "malformed PEP 503 HTML: an anchor without `</a>`"))?;
        pos = close + 3;
        let Some(href) = attrs.get("href") else {
            continue;
        };
        if out.len() >= MAX_INDEX_ENTRIES {
            return Err(doc_err(url, format!("more than {MAX_INDEX_ENTRIES} files")));
        }
        let inner = text.get(end..close).unwrap_or_default();
        if inner.len() > MAX_FILENAME * 8 {
            return Err(doc_err(url, "an anchor's text is too long"));
        }
        let name = decode_entities(inner);
        let sha = href
            .split_once('#')
            .and_then(|(_, frag)| frag.strip_prefix("sha256="));
        let mut e = file_entry(url, &name, href, sha256_hex(sha))?;
        e.yanked = attrs.contains_key("data-yanked");
        e.provenance = attrs.contains_key("data-provenance");
        out.push(e);
    }
    Ok(out)
}

/// The attributes of the tag whose name ends at `from` (lowercase names, decoded
/// values) and the offset just after its `>`; `None` when the tag is unterminated or
/// passes the bounds.
fn html_attrs(text: &str, from: usize) -> Option<(HashMap<String, String>, usize)> {
    let tag = text.get(from..)?;
    let limit = tag.len().min(MAX_TAG);
    let b = tag.as_bytes();
    let mut attrs = HashMap::new();
    let mut i = 0usize;
    let at = |i: usize| b.get(i).copied();
    loop {
        while at(i).is_some_and(|c| c.is_ascii_whitespace() || c == b'/') {
            i += 1;
        }
        if i >= limit {
            return None;
        }
        if at(i) == Some(b'>') {
            return Some((attrs, from + i + 1));
        }
        let start = i;
        while at(i).is_some_and(|c| !c.is_ascii_whitespace() && c != b'=' && c != b'>') {
            i += 1;
        }
        let name = tag.get(start..i)?.to_ascii_lowercase();
        while at(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let mut value = String::new();
        if at(i) == Some(b'=') {
            i += 1;
            while at(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            match at(i) {
                Some(q @ (b'"' | b'\'')) => {
                    let vstart = i + 1;
                    let len = tag.get(vstart..)?.bytes().position(|c| c == q)?;
                    value = decode_entities(tag.get(vstart..vstart + len)?);
                    i = vstart + len + 1;
                }
                _ => {
                    let vstart = i;
                    while at(i).is_some_and(|c| !c.is_ascii_whitespace() && c != b'>') {
                        i += 1;
                    }
                    value = decode_entities(tag.get(vstart..i)?);
                }
            }
        }
        if i > limit || attrs.len() >= MAX_ATTRS {
            return None;
        }
        attrs.insert(name, value);
    }
}

/// HTML character references: the five named ones PEP 503 pages use and numeric ones.
/// Anything else is kept as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let tail = rest.get(i..).unwrap_or_default();
        let semi = tail.get(..tail.len().min(12)).and_then(|t| t.find(';'));
        let decoded = semi.and_then(|j| {
            let ent = tail.get(1..j)?;
            let c = match ent {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(n)?
                }
            };
            Some((c, j + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = tail.get(used..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// Resolve `href` against the page `base` (RFC 3986 reference resolution for the
/// shapes indexes use: absolute, scheme-relative `//host/…`, absolute-path `/…`,
/// relative with `.`/`..` segments). `None` unless the result is http or https.
pub fn join_url(base: &str, href: &str) -> Option<String> {
    // RFC 3986: a reference that starts with `scheme:` is absolute (a relative path
    // whose first segment holds a `:` must be written `./a:b`).
    fn scheme_len(s: &str) -> Option<usize> {
        let i = s.find(':')?;
        let scheme = s.get(..i)?;
        (!scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then_some(i)
    }
    let web = |s: &str, i: usize| {
        s.get(..i)
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "http" | "https"))
            && s.get(i..).is_some_and(|r| r.starts_with("://"))
    };
    let href = href.trim();
    if href.chars().any(char::is_control) {
        return None;
    }
    if let Some(i) = scheme_len(href) {
        return web(href, i).then(|| href.to_owned());
    }
    let base = base.split(['#', '?']).next()?;
    let i = scheme_len(base)?;
    if !web(base, i) {
        return None;
    }
    let scheme = base.get(..i)?;
    let rest = base.get(i + 3..)?;
    let (authority, path) = match rest.find('/') {
        Some(j) => (rest.get(..j)?, rest.get(j..)?),
        None => (rest, "/"),
    };
    if let Some(h) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{h}"));
    }
    let split = href.find(['?', '#']).unwrap_or(href.len());
    let (hpath, suffix) = (href.get(..split)?, href.get(split..)?);
    let merged = if hpath.starts_with('/') {
        hpath.to_owned()
    } else if hpath.is_empty() {
        path.to_owned()
    } else {
        let dir = path.get(..=path.rfind('/')?)?;
        format!("{dir}{hpath}")
    };
    Some(format!(
        "{scheme}://{authority}{}{suffix}",
        remove_dot_segments(&merged)
    ))
}

fn remove_dot_segments(path: &str) -> String {
    let mut stack: Vec<&str> = Vec::new();
    let mut trailing = false;
    for seg in path.split('/').skip(1) {
        trailing = false;
        match seg {
            "." => trailing = true,
            ".." => {
                stack.pop();
                trailing = true;
            }
            s => stack.push(s),
        }
    }
    let mut out = format!("/{}", stack.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out
}

// ---------------------------------------------------------------------------------------
// File names and release selection (PyPI)
// ---------------------------------------------------------------------------------------

/// The version a distribution file name carries when it belongs to `project`
/// (PEP 503-normalised): wheels `NAME-VER(-BUILD)?-PY-ABI-PLAT.whl`, eggs
/// `NAME-VER(-PY(-PLAT)?)?.egg`, sdists `NAME-VER.{tar.gz,zip,tar.bz2,tar.xz,tgz,tar}`
/// (a name with dashes is matched against `project`). `None` for other file types, for
/// another project's file, and for a version that is not PEP 440.
pub fn dist_version(filename: &str, project: &str) -> Option<pep440_rs::Version> {
    let lower = filename.to_ascii_lowercase();
    let parse = |v: &str| v.parse::<pep440_rs::Version>().ok();
    for ext in [".whl", ".egg"] {
        if let Some(stem) = lower.strip_suffix(ext) {
            let stem = filename.get(..stem.len())?;
            let parts: Vec<&str> = stem.split('-').collect();
            let ok = match ext {
                ".whl" => matches!(parts.len(), 5 | 6),
                _ => (2..=4).contains(&parts.len()),
            };
            let (name, ver) = (parts.first()?, parts.get(1)?);
            return (ok && normalize_pypi(name) == project)
                .then(|| parse(ver))
                .flatten();
        }
    }
    let ext = [
        ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tgz", ".tbz", ".txz", ".tar", ".zip",
    ]
    .into_iter()
    .find(|e| lower.ends_with(e))?;
    let stem = filename.get(..filename.len() - ext.len())?;
    stem.match_indices('-').find_map(|(i, _)| {
        let (name, ver) = (stem.get(..i)?, stem.get(i + 1..)?);
        (normalize_pypi(name) == project)
            .then(|| parse(ver))
            .flatten()
    })
}

/// The files of a project page grouped by version (PEP 440 order), each file once.
/// Files that are not distributions of `project` are left out.
pub fn by_version<'a>(
    project: &str,
    files: &'a [IndexFile],
) -> BTreeMap<pep440_rs::Version, Vec<&'a IndexFile>> {
    let mut map: BTreeMap<pep440_rs::Version, Vec<&IndexFile>> = BTreeMap::new();
    for f in files {
        if let Some(v) = dist_version(&f.filename, project) {
            let files = map.entry(v).or_default();
            if !files.iter().any(|g| g.filename == f.filename) {
                files.push(f);
            }
        }
    }
    map
}

/// The release a PyPI spec names, from its project page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    /// The version, PEP 440-normalised as `pep440_rs` prints it (the key of
    /// [`pypi_history`]).
    pub version: String,
    /// The files to fetch.
    pub files: Vec<IndexFile>,
    /// Every file of the release is yanked (only possible with an exact version).
    pub yanked: bool,
}

/// Pick the release of `spec` (a PyPI spec) from its project page: see the module doc
/// for the rules.
///
/// # Errors
/// [`RegistryError::Release`] when no version or no file matches.
pub fn select_pypi(spec: &Spec, files: &[IndexFile]) -> Result<Selected, RegistryError> {
    let err = |why: String| RegistryError::Release {
        spec: spec.to_string(),
        why,
    };
    let groups = by_version(&spec.name, files);
    match &spec.version {
        Some(want) => {
            let want: pep440_rs::Version = want
                .parse()
                .map_err(|e| err(format!("`{want}` is not a PEP 440 version: {e}")))?;
            let (v, fs) = groups.get_key_value(&want).ok_or_else(|| {
                let latest: Vec<String> = groups
                    .keys()
                    .rev()
                    .take(5)
                    .map(ToString::to_string)
                    .collect();
                err(format!(
                    "no file of version {want} on the index (latest versions: {})",
                    if latest.is_empty() {
                        "none".to_owned()
                    } else {
                        latest.join(", ")
                    }
                ))
            })?;
            Ok(Selected {
                version: v.to_string(),
                files: fs.iter().map(|f| (*f).clone()).collect(),
                yanked: fs.iter().all(|f| f.yanked),
            })
        }
        None => {
            let (v, fs) = groups
                .iter()
                .rev()
                .find(|(v, fs)| !v.any_prerelease() && fs.iter().any(|f| !f.yanked))
                .ok_or_else(|| {
                    err("no release that is neither yanked nor a pre-release".to_owned())
                })?;
            let live: Vec<&IndexFile> = fs.iter().copied().filter(|f| !f.yanked).collect();
            Ok(Selected {
                version: v.to_string(),
                files: live.into_iter().cloned().collect(),
                yanked: false,
            })
        }
    }
}

/// The project's release history from its page: one [`ReleaseFacts`] per version, in
/// PEP 440 order.
pub fn pypi_history(project: &str, files: &[IndexFile]) -> Vec<ReleaseFacts> {
    by_version(project, files)
        .into_iter()
        .map(|(v, fs)| ReleaseFacts {
            version: v.to_string(),
            files: fs
                .iter()
                .map(|f| FileFacts {
                    filename: f.filename.clone(),
                    uploaded: f.upload_time,
                    attested: f.provenance,
                })
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// npm
// ---------------------------------------------------------------------------------------

/// A digest a registry publishes for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Digest {
    /// SHA-256, lowercase hex.
    Sha256(String),
    /// SHA-512, lowercase hex.
    Sha512(String),
    /// SHA-1, lowercase hex (npm's legacy `shasum`).
    Sha1(String),
}

impl Digest {
    /// `sha256`, `sha512` or `sha1` (also the cache's blob directory).
    pub fn algorithm(&self) -> &'static str {
        match self {
            Digest::Sha256(_) => "sha256",
            Digest::Sha512(_) => "sha512",
            Digest::Sha1(_) => "sha1",
        }
    }

    /// The lowercase hex digest.
    pub fn hex(&self) -> &str {
        match self {
            Digest::Sha256(h) | Digest::Sha512(h) | Digest::Sha1(h) => h,
        }
    }
}

/// The digest to verify an npm tarball with: the strongest `sha512-`/`sha256-` entry of
/// the SRI `integrity` string (W3C Subresource Integrity: space-separated
/// `ALGO-BASE64`), else — only when `integrity` is absent — the hex sha1 `shasum`.
/// `None` when neither gives a well-formed digest.
pub fn npm_digest(integrity: Option<&str>, shasum: Option<&str>) -> Option<Digest> {
    use base64::Engine as _;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    if let Some(sri) = integrity.filter(|s| !s.trim().is_empty()) {
        let mut best: Option<Digest> = None;
        for item in sri.split_whitespace().take(16) {
            let Some((algo, b64)) = item.split_once('-') else {
                continue;
            };
            // An option suffix (`?opt`) is allowed by SRI and ignored.
            let b64 = b64.split('?').next().unwrap_or_default();
            let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64) else {
                continue;
            };
            match (algo, raw.len()) {
                ("sha512", 64) => best = Some(Digest::Sha512(hex(&raw))),
                ("sha256", 32) if !matches!(best, Some(Digest::Sha512(_))) => {
                    best = Some(Digest::Sha256(hex(&raw)));
                }
                ("sha1", 20) if best.is_none() => best = Some(Digest::Sha1(hex(&raw))),
                _ => {}
            }
        }
        return best;
    }
    shasum
        .map(str::trim)
        .filter(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|h| Digest::Sha1(h.to_ascii_lowercase()))
}

/// One version of an npm packument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmVersion {
    /// The version string (the `versions` key).
    pub version: String,
    /// `dist.tarball`.
    pub tarball: Option<String>,
    /// `dist.integrity`.
    pub integrity: Option<String>,
    /// `dist.shasum`.
    pub shasum: Option<String>,
    /// `dist.attestations` present (npm provenance).
    pub attested: bool,
    /// `time[version]`, Unix seconds.
    pub published: Option<i64>,
}

/// The parts of an npm packument a spec needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packument {
    /// Versions in SemVer order (unparseable ones last, by text).
    pub versions: Vec<NpmVersion>,
    /// `dist-tags` (tag → version).
    pub dist_tags: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct NpmDoc {
    #[serde(default)]
    versions: Option<HashMap<String, NpmVersionDoc>>,
    #[serde(rename = "dist-tags", default)]
    dist_tags: Option<HashMap<String, serde_json::Value>>,
    #[serde(default)]
    time: Option<HashMap<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct NpmVersionDoc {
    #[serde(default)]
    dist: Option<serde_json::Value>,
}

/// Parse an npm packument (`GET {registry}/{name}`).
///
/// # Errors
/// [`RegistryError::Document`] naming `url`: not JSON, no `versions` object, more than
/// [`MAX_INDEX_ENTRIES`] versions.
pub fn parse_packument(url: &str, body: &[u8]) -> Result<Packument, RegistryError> {
    let doc: NpmDoc = serde_json::from_slice(body)
        .map_err(|e| doc_err(url, format!("malformed npm packument: {e}")))?;
    let versions = doc
        .versions
        .ok_or_else(|| doc_err(url, "not an npm packument (no `versions` object)"))?;
    if versions.len() > MAX_INDEX_ENTRIES {
        return Err(doc_err(
            url,
            format!("more than {MAX_INDEX_ENTRIES} versions"),
        ));
    }
    let time = doc.time.unwrap_or_default();
    let s = |v: Option<&serde_json::Value>| {
        v.and_then(|x| x.as_str())
            .filter(|x| x.len() <= MAX_URL)
            .map(str::to_owned)
    };
    let mut out: Vec<NpmVersion> = versions
        .into_iter()
        .map(|(version, v)| {
            let dist = v.dist.as_ref();
            NpmVersion {
                tarball: s(dist.and_then(|d| d.get("tarball"))),
                integrity: s(dist.and_then(|d| d.get("integrity"))),
                shasum: s(dist.and_then(|d| d.get("shasum"))),
                attested: dist
                    .and_then(|d| d.get("attestations"))
                    .is_some_and(|a| !a.is_null()),
                published: time
                    .get(&version)
                    .and_then(|t| t.as_str())
                    .and_then(crate::online::unix),
                version,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        match (
            semver::Version::parse(&a.version),
            semver::Version::parse(&b.version),
        ) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
            (Err(_), Err(_)) => a.version.cmp(&b.version),
        }
    });
    let dist_tags = doc
        .dist_tags
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned())))
        .take(10_000)
        .collect();
    Ok(Packument {
        versions: out,
        dist_tags,
    })
}

/// The version an npm spec names: the exact version, else a dist-tag of that name, else
/// `dist-tags.latest`.
///
/// # Errors
/// [`RegistryError::Release`] when the version or tag does not exist.
pub fn select_npm<'a>(spec: &Spec, doc: &'a Packument) -> Result<&'a NpmVersion, RegistryError> {
    let err = |why: String| RegistryError::Release {
        spec: spec.to_string(),
        why,
    };
    let find = |v: &str| doc.versions.iter().find(|x| x.version == v);
    let tag = spec.version.as_deref().unwrap_or("latest");
    if let Some(v) = spec.version.as_deref().and_then(find) {
        return Ok(v);
    }
    match doc.dist_tags.get(tag) {
        Some(v) => find(v).ok_or_else(|| {
            err(format!(
                "dist-tag `{tag}` names {v}, which the packument does not list"
            ))
        }),
        None => {
            let latest: Vec<&str> = doc
                .versions
                .iter()
                .rev()
                .take(5)
                .map(|v| v.version.as_str())
                .collect();
            Err(err(format!(
                "no version or dist-tag `{tag}` (latest versions: {})",
                if latest.is_empty() {
                    "none".to_owned()
                } else {
                    latest.join(", ")
                }
            )))
        }
    }
}

/// The file name of an npm tarball: the last path segment of its URL when it is a safe
/// plain name ending in `.tgz`, else `NAME-VERSION.tgz` (the unscoped name).
pub fn npm_filename(name: &str, version: &str, tarball: &str) -> String {
    let last = tarball
        .split(['?', '#'])
        .next()
        .and_then(|u| u.rsplit('/').next())
        .unwrap_or_default();
    if last.ends_with(".tgz") && safe_filename(last) {
        return last.to_owned();
    }
    let unscoped = name.rsplit('/').next().unwrap_or(name);
    format!("{unscoped}-{version}.tgz")
}

/// The packument's history: one [`ReleaseFacts`] per version (one file each).
pub fn npm_history(name: &str, doc: &Packument) -> Vec<ReleaseFacts> {
    doc.versions
        .iter()
        .map(|v| ReleaseFacts {
            version: v.version.clone(),
            files: vec![FileFacts {
                filename: npm_filename(name, &v.version, v.tarball.as_deref().unwrap_or("")),
                uploaded: v.published,
                attested: v.attested,
            }],
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Release metadata rules (DEP013–DEP015)
// ---------------------------------------------------------------------------------------

/// One file of a release, as the metadata rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// Published file name.
    pub filename: String,
    /// Upload time, Unix seconds.
    pub uploaded: Option<i64>,
    /// Has a provenance attestation (PEP 740 / npm provenance).
    pub attested: bool,
}

/// One version of a project, as the metadata rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseFacts {
    /// The version (the same spelling the caller passes to [`release_findings`]).
    pub version: String,
    /// Its files.
    pub files: Vec<FileFacts>,
}

impl ReleaseFacts {
    /// The release time: its earliest file upload.
    pub fn time(&self) -> Option<i64> {
        self.files.iter().filter_map(|f| f.uploaded).min()
    }
}

fn date(t: i64) -> String {
    crate::db::date_of(u64::try_from(t).unwrap_or(0))
}

/// DEP013, DEP014 and DEP015 for `version` of a project whose history (every version,
/// in version order) is `history`. Findings are located at the file they name, or at
/// the artifact itself (empty path); `label` names the release in the evidence
/// (`pypi:pkg==1.0`). Versions without upload times are ordered by version and take no
/// part in the time rules.
pub fn release_findings(label: &str, history: &[ReleaseFacts], version: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(ci) = history.iter().position(|r| r.version == version) else {
        return out;
    };
    let Some(cur) = history.get(ci) else {
        return out;
    };
    // Every release with a time, oldest first.
    let mut timeline: Vec<(i64, &ReleaseFacts)> = history
        .iter()
        .filter_map(|r| Some((r.time()?, r)))
        .collect();
    timeline.sort_by_key(|a| a.0);
    let pos = timeline.iter().position(|(_, r)| r.version == version);
    let at = |i: usize| timeline.get(i).map(|(t, r)| (*t, *r));
    let previous: Option<&ReleaseFacts> = match pos {
        Some(p) => p.checked_sub(1).and_then(at).map(|(_, r)| r),
        None => ci.checked_sub(1).and_then(|i| history.get(i)),
    };
    if let Some(p) = pos
        && let Some((t, _)) = at(p)
    {
        // DEP014: the previous release is a year or more older.
        if let Some((tp, prev)) = p.checked_sub(1).and_then(at)
            && t - tp >= DORMANT_DAYS * DAY
        {
            out.push(Rule::DormantRelease.finding(
                Location::file(""),
                format!(
                    "{label} was uploaded on {}, {} days after the previous release ({} on {})",
                    date(t),
                    (t - tp) / DAY,
                    prev.version,
                    date(tp)
                ),
            ));
        }
        // DEP013: a run of releases less than BURST_GAP apart, after a quiet period.
        let gap = |i: usize| -> Option<i64> { Some(at(i + 1)?.0 - at(i)?.0) };
        let mut lo = p;
        while lo > 0 && gap(lo - 1).is_some_and(|g| g < BURST_GAP_SECS) {
            lo -= 1;
        }
        let mut hi = p;
        while gap(hi).is_some_and(|g| g < BURST_GAP_SECS) {
            hi += 1;
        }
        let quiet = lo.checked_sub(1).and_then(gap);
        if hi - lo + 1 >= BURST_MIN_VERSIONS
            && let Some(q) = quiet.filter(|q| *q >= BURST_QUIET_DAYS * DAY)
            && let (Some((t0, _)), Some((t1, _))) = (at(lo), at(hi))
        {
            let names: Vec<&str> = (lo..=hi)
                .filter_map(at)
                .take(10)
                .map(|(_, r)| r.version.as_str())
                .collect();
            out.push(Rule::ReleaseBurst.finding(
                Location::file(""),
                format!(
                    "{label} is one of {} versions ({}{}) uploaded within {} hour(s) from {}, after {} days without a release",
                    hi - lo + 1,
                    names.join(", "),
                    if hi - lo + 1 > 10 { ", …" } else { "" },
                    (t1 - t0 + 3599) / 3600,
                    date(t0),
                    q / DAY
                ),
            ));
        }
        // DEP013: a file added long after the release's first.
        for f in cur
            .files
            .iter()
            .filter(|f| f.uploaded.is_some_and(|u| u - t >= LATE_FILE_DAYS * DAY))
            .take(20)
        {
            let u = f.uploaded.unwrap_or(t);
            out.push(Rule::ReleaseBurst.finding(
                Location::file(f.filename.clone()),
                format!(
                    "{} was added to {label} on {}, {} days after the release's first file ({})",
                    f.filename,
                    date(u),
                    (u - t) / DAY,
                    date(t)
                ),
            ));
        }
    }
    // DEP015: attestations the previous release had and this one lacks.
    let attested = cur.files.iter().filter(|f| f.attested).count();
    if attested == 0 && !cur.files.is_empty() {
        if let Some(prev) = previous.filter(|p| p.files.iter().any(|f| f.attested)) {
            out.push(Rule::AttestationDropped.finding(
                Location::file(""),
                format!(
                    "no file of {label} has a provenance attestation; the previous release {} had one ({} of {} files)",
                    prev.version,
                    prev.files.iter().filter(|f| f.attested).count(),
                    prev.files.len()
                ),
            ));
        }
    } else if attested < cur.files.len() {
        for f in cur.files.iter().filter(|f| !f.attested).take(20) {
            out.push(Rule::AttestationDropped.finding(
                Location::file(f.filename.clone()),
                format!(
                    "{} has no provenance attestation, while {attested} of the {} files of {label} have one",
                    f.filename,
                    cur.files.len()
                ),
            ));
        }
    }
    out
}

/// DEP011 for a release fetched by an exact spec whose every file is yanked.
pub fn yanked_finding(label: &str) -> Finding {
    let mut f = Rule::YankedVersion.finding(
        Location::file(""),
        format!("every file of {label} is yanked on the index: its publisher withdrew it"),
    );
    f.severity = Severity::Medium;
    f
}

// ---------------------------------------------------------------------------------------
// Fetching and the cache
// ---------------------------------------------------------------------------------------

/// Bounds of one fetch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest index document, bytes.
    pub document_bytes: u64,
    /// Most files of one release.
    pub release_files: usize,
    /// Largest single file, bytes.
    pub file_bytes: u64,
    /// Largest release (files together), bytes.
    pub release_bytes: u64,
}

impl Default for Limits {
    /// [`MAX_DOCUMENT_BYTES`], [`MAX_RELEASE_FILES`], [`MAX_FILE_BYTES`],
    /// [`MAX_RELEASE_BYTES`].
    fn default() -> Self {
        Limits {
            document_bytes: MAX_DOCUMENT_BYTES,
            release_files: MAX_RELEASE_FILES,
            file_bytes: MAX_FILE_BYTES,
            release_bytes: MAX_RELEASE_BYTES,
        }
    }
}

/// Where and how to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The simple index, e.g. `https://pypi.org/simple` (trailing `/` optional).
    pub index_url: String,
    /// The npm registry, e.g. `https://registry.npmjs.org`.
    pub npm_registry: String,
    /// The cache directory ([`crate::db::cache_dir`]).
    pub cache_dir: PathBuf,
    /// Bounds.
    pub limits: Limits,
}

/// One verified file of a fetched release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedFile {
    /// Its published name.
    pub filename: String,
    /// Its path in the release directory (a hard link to, or copy of, the blob).
    pub path: PathBuf,
    /// Where it came from.
    pub url: String,
    /// The verified digest.
    pub digest: Digest,
    /// Size, bytes.
    pub size: u64,
    /// Served from the cache (nothing downloaded).
    pub cached: bool,
}

/// A fetched release.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The release as an exact spec, `pypi:NAME==VERSION` / `npm:NAME@VERSION` (names
    /// the artifact the metadata findings belong to).
    pub label: String,
    /// The resolved version.
    pub version: String,
    /// The release directory: exactly the release's files, under their published names.
    pub dir: PathBuf,
    /// The files, in the registry's order.
    pub files: Vec<FetchedFile>,
    /// DEP011, DEP013–DEP015 findings about the release (see [`release_findings`]).
    pub findings: Vec<Finding>,
}

/// Whether `name` is a plain file name: no separators, no `..`, no control characters,
/// no leading `.`, at most 255 bytes.
pub fn safe_filename(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FILENAME
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

/// Incremental hashing for one [`Digest`] algorithm.
#[cfg_attr(not(feature = "net"), allow(dead_code))] // used by `fetch` and the tests
enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
    Sha1(Box<sha1dc::Hasher>),
}

#[cfg_attr(not(feature = "net"), allow(dead_code))] // used by `fetch` and the tests
impl Hasher {
    fn new(d: &Digest) -> Hasher {
        use sha2::Digest as _;
        match d {
            Digest::Sha256(_) => Hasher::Sha256(sha2::Sha256::new()),
            Digest::Sha512(_) => Hasher::Sha512(sha2::Sha512::new()),
            Digest::Sha1(_) => Hasher::Sha1(Box::default()),
        }
    }

    fn update(&mut self, b: &[u8]) {
        use sha2::Digest as _;
        match self {
            Hasher::Sha256(h) => h.update(b),
            Hasher::Sha512(h) => h.update(b),
            Hasher::Sha1(h) => h.update(b),
        }
    }

    /// Lowercase hex; an error for a SHA-1 collision attack.
    fn finish(self) -> Result<String, String> {
        use sha2::Digest as _;
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        match self {
            Hasher::Sha256(h) => Ok(hex(&h.finalize())),
            Hasher::Sha512(h) => Ok(hex(&h.finalize())),
            Hasher::Sha1(h) => h
                .finalize()
                .map(|d| hex(d.as_ref()))
                .map_err(|e| format!("SHA-1 collision attack detected ({e})")),
        }
    }
}

/// Hash a file already on disk.
#[cfg_attr(not(feature = "net"), allow(dead_code))] // used by `fetch` and the tests
fn hash_file(path: &Path, d: &Digest) -> Result<(String, u64), std::io::Error> {
    use std::io::Read;
    let mut f = fs_err::File::open(path)?;
    let mut h = Hasher::new(d);
    let mut buf = vec![0u8; 256 << 10];
    let mut n = 0u64;
    loop {
        let k = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        h.update(buf.get(..k).unwrap_or_default());
        n += k as u64;
    }
    h.finish().map(|x| (x, n)).map_err(std::io::Error::other)
}

/// A planned download.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "net"), allow(dead_code))] // used by `fetch` and the tests
struct Planned {
    filename: String,
    url: String,
    digest: Digest,
}

/// Put each blob under its published name in `dir` (hard link, else copy) and remove
/// every other file of `dir` (a file the release no longer lists).
#[cfg_attr(not(feature = "net"), allow(dead_code))] // used by `fetch` and the tests
fn place(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, std::io::Error> {
    fs_err::create_dir_all(dir)?;
    let mut out = Vec::with_capacity(files.len());
    for (blob, name) in files {
        let dest = dir.join(name);
        match fs_err::remove_file(&dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if fs_err::hard_link(blob, &dest).is_err() {
            fs_err::copy(blob, &dest)?;
        }
        out.push(dest);
    }
    for e in fs_err::read_dir(dir)?.take(100_000) {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !files.iter().any(|(_, n)| *n == name) && e.file_type()?.is_file() {
            fs_err::remove_file(e.path())?;
        }
    }
    Ok(out)
}

/// The directory of a release in the cache: `releases/pypi/<name>/<version>` or
/// `releases/npm/[@scope/]<name>/<version>`. The name was validated by [`Spec::parse`];
/// the version is checked here to be a plain path component.
#[cfg_attr(not(feature = "net"), allow(dead_code))] // used by `fetch` and the tests
fn release_dir(cache: &Path, spec: &Spec, version: &str) -> Result<PathBuf, RegistryError> {
    if !safe_filename(version) || version.len() > 128 {
        return Err(RegistryError::Release {
            spec: spec.to_string(),
            why: format!("version `{version}` cannot name a directory"),
        });
    }
    let mut d = cache.join("releases");
    match spec.ecosystem {
        Ecosystem::Npm => {
            d.push("npm");
            for part in spec.name.split('/') {
                d.push(part);
            }
        }
        _ => {
            d.push("pypi");
            d.push(&spec.name);
        }
    }
    Ok(d.join(version))
}

/// Fetch the release a spec names: read the index, select the files, check the digests
/// are published, download what the cache lacks (four at a time), verify, place the
/// files in the release directory, and judge the release metadata.
///
/// # Errors
/// [`RegistryError`]: the index or a download failed (naming the URL), the document is
/// malformed, no release matches, a bound is passed, a file has no published digest or
/// does not match it (naming the file), the cache cannot be written.
#[cfg(feature = "net")]
pub fn fetch(
    client: &crate::net::Client,
    spec: &Spec,
    opts: &FetchOptions,
) -> Result<Fetched, RegistryError> {
    let lim = opts.limits;
    let (label, version, planned, findings) = match spec.ecosystem {
        Ecosystem::Npm => {
            let url = format!(
                "{}/{}",
                opts.npm_registry.trim_end_matches('/'),
                spec.name.replacen('/', "%2f", 1)
            );
            let r = client.get(&url, &[("Accept", "application/json")], lim.document_bytes)?;
            if !(200..300).contains(&r.status) {
                return Err(RegistryError::Status {
                    url,
                    status: r.status,
                });
            }
            let doc = parse_packument(&url, &r.body)?;
            let v = select_npm(spec, &doc)?;
            let label = format!("npm:{}@{}", spec.name, v.version);
            let tarball = v.tarball.as_deref().unwrap_or_default();
            let filename = npm_filename(&spec.name, &v.version, tarball);
            let tarball = join_url(&url, tarball).ok_or_else(|| {
                doc_err(
                    &url,
                    format!("{label}: `dist.tarball` `{tarball}` is not an http(s) URL"),
                )
            })?;
            let digest =
                npm_digest(v.integrity.as_deref(), v.shasum.as_deref()).ok_or_else(|| {
                    RegistryError::NoDigest {
                        filename: filename.clone(),
                        url: tarball.clone(),
                        wanted: "`dist.integrity` (sha512/sha256) or `dist.shasum`",
                    }
                })?;
            let findings = release_findings(&label, &npm_history(&spec.name, &doc), &v.version);
            let planned = vec![Planned {
                filename,
                url: tarball,
                digest,
            }];
            (label, v.version.clone(), planned, findings)
        }
        _ => {
            let url = format!("{}/{}/", opts.index_url.trim_end_matches('/'), spec.name);
            let r = client.get(
                &url,
                &[(
                    "Accept",
                    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01",
                )],
                lim.document_bytes,
            )?;
            if !(200..300).contains(&r.status) {
                return Err(RegistryError::Status {
                    url,
                    status: r.status,
                });
            }
            let files = parse_simple(&url, &r.body)?;
            let sel = select_pypi(spec, &files)?;
            let label = format!("pypi:{}=={}", spec.name, sel.version);
            let history = pypi_history(&spec.name, &files);
            let mut findings = release_findings(&label, &history, &sel.version);
            if sel.yanked {
                findings.push(yanked_finding(&label));
            }
            if sel.files.len() > lim.release_files {
                return Err(RegistryError::Release {
                    spec: label,
                    why: format!(
                        "{} files, more than the {}-file limit",
                        sel.files.len(),
                        lim.release_files
                    ),
                });
            }
            let declared: u64 = sel.files.iter().filter_map(|f| f.size).sum();
            if declared > lim.release_bytes {
                return Err(RegistryError::Release {
                    spec: label,
                    why: format!(
                        "the index lists {declared} bytes of files, more than the {}-byte limit",
                        lim.release_bytes
                    ),
                });
            }
            let mut planned = Vec::with_capacity(sel.files.len());
            for f in &sel.files {
                let Some(h) = &f.sha256 else {
                    return Err(RegistryError::NoDigest {
                        filename: f.filename.clone(),
                        url: f.url.clone(),
                        wanted: "sha256",
                    });
                };
                planned.push(Planned {
                    filename: f.filename.clone(),
                    url: f.url.clone(),
                    digest: Digest::Sha256(h.clone()),
                });
            }
            (label, sel.version, planned, findings)
        }
    };
    for p in &planned {
        if !safe_filename(&p.filename) {
            return Err(RegistryError::Release {
                spec: label,
                why: format!("`{}` is not a plain file name", p.filename),
            });
        }
    }
    let dir = release_dir(&opts.cache_dir, spec, &version)?;
    let got = download_all(client, &opts.cache_dir, &planned, lim.file_bytes)?;
    let total: u64 = got.iter().map(|(_, n, _)| n).sum();
    if total > lim.release_bytes {
        return Err(RegistryError::Release {
            spec: label,
            why: format!(
                "{total} bytes of files, more than the {}-byte limit",
                lim.release_bytes
            ),
        });
    }
    let placed = place(
        &dir,
        &got.iter()
            .zip(&planned)
            .map(|((blob, _, _), p)| (blob.clone(), p.filename.clone()))
            .collect::<Vec<_>>(),
    )?;
    let files = planned
        .into_iter()
        .zip(got)
        .zip(placed)
        .map(|((p, (_, size, cached)), path)| FetchedFile {
            filename: p.filename,
            path,
            url: p.url,
            digest: p.digest,
            size,
            cached,
        })
        .collect();
    Ok(Fetched {
        label,
        version,
        dir,
        files,
        findings,
    })
}

/// Download every planned file (at most [`CONCURRENCY`] at once); `(blob, size,
/// cached)` per file, in order, or the first error in order.
#[cfg(feature = "net")]
fn download_all(
    client: &crate::net::Client,
    cache: &Path,
    planned: &[Planned],
    limit: u64,
) -> Result<Vec<(PathBuf, u64, bool)>, RegistryError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    type Slot = Option<Result<(PathBuf, u64, bool), RegistryError>>;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Slot>> = Mutex::new((0..planned.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..CONCURRENCY.min(planned.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = planned.get(i) else {
                        break;
                    };
                    let r = download_one(client, cache, p, limit);
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
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(RegistryError::Io(std::io::Error::other(
                    "a download worker stopped",
                )))
            })
        })
        .collect()
}

/// A writer that hashes what passes through it.
#[cfg(feature = "net")]
struct HashingWriter<W> {
    inner: W,
    hasher: Hasher,
}

#[cfg(feature = "net")]
impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One file: a cache hit when its blob exists and still hashes right; otherwise a
/// download to a temporary file beside the blob, verified, then renamed into place.
#[cfg(feature = "net")]
fn download_one(
    client: &crate::net::Client,
    cache: &Path,
    p: &Planned,
    limit: u64,
) -> Result<(PathBuf, u64, bool), RegistryError> {
    use std::io::Write as _;
    let blobs = cache.join("blobs").join(p.digest.algorithm());
    let blob = blobs.join(p.digest.hex());
    if blob.is_file() {
        if let Ok((h, n)) = hash_file(&blob, &p.digest)
            && h == p.digest.hex()
        {
            return Ok((blob, n, true));
        }
        // A damaged or altered blob: fetch it again.
        fs_err::remove_file(&blob)?;
    }
    fs_err::create_dir_all(&blobs)?;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let tmp = blobs.join(format!(
        ".{}.{}.{}.part",
        p.digest.hex(),
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let file = fs_err::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let mut w = HashingWriter {
        inner: std::io::BufWriter::new(file),
        hasher: Hasher::new(&p.digest),
    };
    let cleanup = |e: RegistryError| {
        let _ = fs_err::remove_file(&tmp);
        e
    };
    let r = client
        .get_to(&p.url, &[], limit, &mut w)
        .map_err(|e| cleanup(e.into()))?;
    if !(200..300).contains(&r.status) {
        return Err(cleanup(RegistryError::Status {
            url: p.url.clone(),
            status: r.status,
        }));
    }
    w.flush().map_err(|e| cleanup(e.into()))?;
    let HashingWriter { inner, hasher } = w;
    drop(inner);
    let actual = hasher.finish().unwrap_or_else(|e| e);
    if actual != p.digest.hex() {
        return Err(cleanup(RegistryError::Mismatch {
            filename: p.filename.clone(),
            url: p.url.clone(),
            algorithm: p.digest.algorithm(),
            expected: p.digest.hex().to_owned(),
            actual,
        }));
    }
    fs_err::rename(&tmp, &blob).map_err(|e| cleanup(e.into()))?;
    Ok((blob, r.len, false))
}

#[cfg(test)]
mod tests;
