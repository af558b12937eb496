//! The parts of the OSV schema (<https://ossf.github.io/osv-schema/>, 1.6) that the
//! audit reads. Unknown fields are ignored; `database_specific` is kept as raw JSON for
//! IOC extraction (ossf/malicious-packages puts indicators there).

use serde::Deserialize;

/// One OSV record (`MAL-…`, `GHSA-…`, `PYSEC-…`, `RUSTSEC-…`).
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    /// The record id.
    pub id: String,
    /// RFC 3339 time of the last change.
    #[serde(default)]
    pub modified: String,
    /// One-line summary.
    #[serde(default)]
    pub summary: String,
    /// Other ids of the same issue (CVE, GHSA).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Set when the record was withdrawn.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// Affected packages.
    #[serde(default)]
    pub affected: Vec<Affected>,
    /// Severity vectors (`CVSS_V3`, `CVSS_V4`, …).
    #[serde(default)]
    pub severity: Vec<SeverityEntry>,
    /// Database-specific data (IOCs for `MAL-` records).
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// `affected[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct Affected {
    /// The package.
    pub package: Package,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Explicit affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Per-package severity (GHSA puts it here in some exports).
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// `affected[].package`.
#[derive(Debug, Clone, Deserialize)]
pub struct Package {
    /// `PyPI`, `npm`, `crates.io`, …
    pub ecosystem: String,
    /// Package name as the ecosystem spells it.
    pub name: String,
}

/// `affected[].ranges[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct Range {
    /// `ECOSYSTEM`, `SEMVER` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Events in order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One range event.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// First affected version (`"0"` = all before).
    Introduced(String),
    /// First unaffected version.
    Fixed(String),
    /// Last affected version (inclusive).
    LastAffected(String),
    /// Upper limit (exclusive).
    Limit(String),
}

impl Event {
    /// The version the event names.
    pub fn point(&self) -> &str {
        match self {
            Event::Introduced(s) | Event::Fixed(s) | Event::LastAffected(s) | Event::Limit(s) => s,
        }
    }
}

/// `severity[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SeverityEntry {
    /// `CVSS_V3`, `CVSS_V4`, `Ubuntu`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector or score.
    pub score: String,
}

impl Record {
    /// Whether this is a malicious-package report (OSV `MAL-` prefix).
    pub fn is_malicious(&self) -> bool {
        self.id.starts_with("MAL-")
    }

    /// Fixed versions named by any range, for the finding's advice.
    pub fn fixed_versions(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .affected
            .iter()
            .flat_map(|a| a.ranges.iter())
            .flat_map(|r| r.events.iter())
            .filter_map(|e| match e {
                Event::Fixed(s) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The GitHub-reviewed severity word (`LOW`…`CRITICAL`) if present, else one derived
    /// from a CVSS v3 base-score-free vector's impact letters (coarse, documented).
    pub fn severity_word(&self) -> Option<String> {
        let from_db = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(|d| d.get("severity"))
                .and_then(|s| s.as_str())
                .map(|s| s.to_ascii_uppercase())
        };
        from_db(&self.database_specific).or_else(|| {
            self.affected
                .iter()
                .find_map(|a| from_db(&a.database_specific))
        })
    }

    /// Indicators of compromise (URLs, domains, IPs) in `database_specific`: every string
    /// under a key whose name contains `ioc`, `domain`, `url` or `ip`. Bounded to 256.
    pub fn iocs(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(d) = &self.database_specific {
            collect_iocs(d, false, 0, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }
}

fn collect_iocs(v: &serde_json::Value, hot: bool, depth: usize, out: &mut Vec<String>) {
    if depth > 16 || out.len() >= 256 {
        return;
    }
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let k = k.to_ascii_lowercase();
                let h = hot
                    || k.contains("ioc")
                    || k.contains("domain")
                    || k.contains("url")
                    || k == "ip"
                    || k == "ips";
                collect_iocs(v, h, depth + 1, out);
            }
        }
        serde_json::Value::Array(a) => {
            for v in a.iter().take(256) {
                collect_iocs(v, hot, depth + 1, out);
            }
        }
        serde_json::Value::String(s) if hot && !s.is_empty() && s.len() < 512 => {
            out.push(s.clone());
        }
        _ => {}
    }
}
