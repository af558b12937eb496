//! Indicators of compromise named by known-malicious-package advisories (the
//! `database_specific` IOCs of OpenSSF `MAL-` records that `assay db update` stores), as a
//! process-wide set the IOC006 rule matches against.
//!
//! The set is installed once, by the command line before a scan ([`install`]); without
//! it IOC006 finds nothing. Values that would match ordinary packages are left out:
//! bare domains of general-purpose services (code hosting, paste sites, chat, package
//! registries, clouds — a URL with a path on them is kept), and values shorter than 6
//! characters. Matching is ASCII case-insensitive, leftmost-longest, on whole values.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// Most indicators kept.
pub const MAX_IOCS: usize = 500_000;

/// The installed set: the automaton and, per pattern, `(value, advisory id)`.
pub struct KnownIocs {
    ac: AhoCorasick,
    values: Vec<(String, String)>,
}

static KNOWN: OnceLock<KnownIocs> = OnceLock::new();

/// Bare hosts that are shared infrastructure, not indicators by themselves.
const SHARED_HOSTS: &[&str] = &[
    "github.com",
    "raw.githubusercontent.com",
    "gist.github.com",
    "gist.githubusercontent.com",
    "objects.githubusercontent.com",
    "gitlab.com",
    "bitbucket.org",
    "pastebin.com",
    "discord.com",
    "discordapp.com",
    "cdn.discordapp.com",
    "t.me",
    "telegram.org",
    "api.telegram.org",
    "google.com",
    "drive.google.com",
    "docs.google.com",
    "dropbox.com",
    "pypi.org",
    "files.pythonhosted.org",
    "registry.npmjs.org",
    "npmjs.com",
    "crates.io",
    "amazonaws.com",
    "s3.amazonaws.com",
    "cloudfront.net",
    "azurewebsites.net",
    "herokuapp.com",
    "ngrok.io",
    "ngrok-free.app",
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
];

/// Whether a stored value is specific enough to be an indicator.
fn specific(v: &str) -> bool {
    let v = v.trim();
    if v.len() < 6 {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let host = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, r)| r)
        .trim_end_matches('/');
    !SHARED_HOSTS
        .iter()
        .any(|h| host == *h || host == format!("www.{h}"))
}

/// Install the indicator set (`(value, advisory id)` pairs). Returns how many were kept,
/// or `None` when a set was installed already (the first one stays).
pub fn install(iocs: Vec<(String, String)>) -> Option<usize> {
    let mut values: Vec<(String, String)> = iocs
        .into_iter()
        .filter(|(v, _)| specific(v))
        .map(|(v, id)| (v.trim().to_owned(), id))
        .collect();
    values.sort();
    values.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
    values.truncate(MAX_IOCS);
    let n = values.len();
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(values.iter().map(|(v, _)| v.as_str()))
        .ok()?;
    KNOWN.set(KnownIocs { ac, values }).ok().map(|()| n)
}

/// The installed set, if any.
pub fn get() -> Option<&'static KnownIocs> {
    KNOWN.get()
}

impl KnownIocs {
    /// Every `(offset, value, advisory id)` found in `text`. Hosts and addresses match
    /// only as whole names (`evil.example` matches `x.evil.example`, not
    /// `notevil.example` or `evil.example.org`; `192.0.2.7` does not match
    /// `192.0.2.77`); URLs match as prefixes.
    pub fn find<'s>(&'s self, text: &[u8]) -> impl Iterator<Item = (usize, &'s str, &'s str)> + 's {
        let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let hits: Vec<(usize, usize)> = self
            .ac
            .find_iter(text)
            .filter(|m| {
                let url = self
                    .values
                    .get(m.pattern().as_usize())
                    .is_some_and(|(v, _)| v.contains("://"));
                if url {
                    return true;
                }
                let before = m.start().checked_sub(1).and_then(|i| text.get(i)).copied();
                let after = text.get(m.end()).copied();
                let after2 = text.get(m.end() + 1).copied();
                let glued = before.is_some_and(name_byte)
                    || after.is_some_and(name_byte)
                    || (after == Some(b'.') && after2.is_some_and(name_byte));
                !glued
            })
            .map(|m| (m.start(), m.pattern().as_usize()))
            .collect();
        hits.into_iter().filter_map(|(at, p)| {
            self.values
                .get(p)
                .map(|(v, id)| (at, v.as_str(), id.as_str()))
        })
    }

    /// Number of indicators.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::specific;

    #[test]
    fn shared_hosts_and_short_values_are_not_indicators() {
        for v in [
            "github.com",
            "https://pastebin.com/",
            "www.google.com",
            "1.2.3",
        ] {
            assert!(!specific(v), "{v}");
        }
        for v in [
            "litellm.cloud",
            "https://pastebin.com/raw/FAKEabcd",
            "http://203.0.113.9:8080/x",
        ] {
            assert!(specific(v), "{v}");
        }
    }
}
