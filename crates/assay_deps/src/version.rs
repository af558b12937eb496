//! Version comparison and OSV range evaluation per ecosystem.
//!
//! OSV (<https://ossf.github.io/osv-schema/#affectedranges-field>) lists affected
//! versions as explicit `versions` and as `ranges` of `events` (`introduced`, `fixed`,
//! `last_affected`, `limit`) sorted in the ecosystem's order. PyPI uses PEP 440 order
//! (`pep440_rs`); npm and crates.io use SemVer 2.0 order (`semver`). `GIT` ranges are
//! skipped: a lockfile pin is not a commit.

use crate::lock::Ecosystem;
use crate::osv::{Affected, Range};
use std::cmp::Ordering;
use std::str::FromStr;

/// A parsed version of one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// PEP 440.
    Pep440(pep440_rs::Version),
    /// SemVer 2.0 (npm, crates.io).
    Semver(semver::Version),
}

impl Version {
    /// Parse `s` in the ecosystem's scheme; `None` when it is not a valid version there.
    pub fn parse(eco: Ecosystem, s: &str) -> Option<Version> {
        let s = s.trim();
        match eco {
            Ecosystem::PyPI => pep440_rs::Version::from_str(s).ok().map(Version::Pep440),
            Ecosystem::Npm | Ecosystem::CratesIo => {
                let s = s.strip_prefix('v').unwrap_or(s);
                semver::Version::parse(s).ok().map(Version::Semver)
            }
        }
    }

    /// Ecosystem order; `None` across schemes.
    pub fn cmp_same(&self, other: &Version) -> Option<Ordering> {
        match (self, other) {
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            // SemVer precedence ignores build metadata (SemVer 2.0 §10).
            (Version::Semver(a), Version::Semver(b)) => Some(a.cmp_precedence(b)),
            _ => None,
        }
    }
}

/// Whether `version` (a string in `eco`'s scheme) is affected per this OSV entry.
/// An explicit `versions` listing matches by string equality first (as OSV specifies),
/// then by version equality.
pub fn is_affected(eco: Ecosystem, version: &str, affected: &Affected) -> bool {
    let parsed = Version::parse(eco, version);
    for v in &affected.versions {
        if v == version {
            return true;
        }
        if let (Some(a), Some(b)) = (&parsed, Version::parse(eco, v))
            && a.cmp_same(&b) == Some(Ordering::Equal)
        {
            return true;
        }
    }
    let Some(parsed) = parsed else { return false };
    affected
        .ranges
        .iter()
        .filter(|r| r.kind != "GIT")
        .any(|r| in_range(eco, &parsed, r))
}

/// OSV range evaluation: walk the events in order; `introduced` opens, `fixed`/`limit`
/// close before, `last_affected` closes after. `introduced: "0"` is the lowest version.
///
/// Fail closed on odd points: an `introduced` that does not parse counts as the lowest
/// version, and a closing event that does not parse is ignored. GitHub's advisory data
/// writes `"fixed": ""` for "no fix yet" (GHSA-mh6f-8j2x-4483, flatmap-stream); taking
/// it for `"0"` would clear every version.
pub fn in_range(eco: Ecosystem, v: &Version, r: &Range) -> bool {
    let mut events: Vec<(Option<Version>, &crate::osv::Event)> = r
        .events
        .iter()
        .filter_map(|e| {
            let s = e.point();
            if s == "0" {
                return Some((None, e));
            }
            match (Version::parse(eco, s), e) {
                (Some(ver), _) => Some((Some(ver), e)),
                (None, crate::osv::Event::Introduced(_)) => Some((None, e)),
                (None, _) => None,
            }
        })
        .collect();
    // Events are not guaranteed sorted; sort by version with "0" first.
    events.sort_by(|a, b| match (&a.0, &b.0) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp_same(y).unwrap_or(Ordering::Equal),
    });
    let mut affected = false;
    for (ev, e) in &events {
        let cmp = match ev {
            None => Ordering::Greater, // every version is above "0"
            Some(ev) => match v.cmp_same(ev) {
                Some(c) => c,
                None => continue,
            },
        };
        match e {
            crate::osv::Event::Introduced(s) => {
                if cmp != Ordering::Less || s == "0" {
                    affected = true;
                }
            }
            crate::osv::Event::Fixed(_) | crate::osv::Event::Limit(_) => {
                if cmp != Ordering::Less {
                    affected = false;
                }
            }
            crate::osv::Event::LastAffected(_) => {
                if cmp == Ordering::Greater {
                    affected = false;
                }
            }
        }
    }
    affected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::Event;
    use proptest::prelude::*;

    fn range(events: Vec<Event>) -> Range {
        Range {
            kind: "ECOSYSTEM".into(),
            events,
        }
    }

    #[test]
    fn pep440_ranges() {
        let r = range(vec![
            Event::Introduced("1.0".into()),
            Event::Fixed("1.2.post1".into()),
        ]);
        let v = |s| Version::parse(Ecosystem::PyPI, s).unwrap();
        assert!(in_range(Ecosystem::PyPI, &v("1.0.0"), &r));
        assert!(in_range(Ecosystem::PyPI, &v("1.2"), &r));
        assert!(in_range(Ecosystem::PyPI, &v("1.2rc1"), &r));
        assert!(!in_range(Ecosystem::PyPI, &v("1.2.post1"), &r));
        assert!(!in_range(Ecosystem::PyPI, &v("0.9"), &r));
        let last = range(vec![
            Event::Introduced("0".into()),
            Event::LastAffected("2.0".into()),
        ]);
        assert!(in_range(Ecosystem::PyPI, &v("2.0"), &last));
        assert!(!in_range(Ecosystem::PyPI, &v("2.0.1"), &last));
    }

    #[test]
    fn semver_ranges() {
        let r = range(vec![
            Event::Introduced("0".into()),
            Event::Fixed("4.17.21".into()),
        ]);
        let v = |s| Version::parse(Ecosystem::Npm, s).unwrap();
        assert!(in_range(Ecosystem::Npm, &v("4.17.20"), &r));
        assert!(in_range(Ecosystem::Npm, &v("4.17.21-beta.1"), &r));
        assert!(!in_range(Ecosystem::Npm, &v("4.17.21"), &r));
        assert!(!in_range(Ecosystem::Npm, &v("5.0.0"), &r));
    }

    fn pep440_str() -> impl Strategy<Value = String> {
        (
            0u32..5,
            0u32..5,
            0u32..5,
            prop::option::of(0u32..3),
            any::<bool>(),
        )
            .prop_map(|(a, b, c, pre, post)| {
                let mut s = format!("{a}.{b}.{c}");
                if let Some(p) = pre {
                    s.push_str(&format!("rc{p}"));
                }
                if post {
                    s.push_str(".post1");
                }
                s
            })
    }

    fn semver_str() -> impl Strategy<Value = String> {
        (0u64..5, 0u64..5, 0u64..5, prop::option::of(0u32..3)).prop_map(
            |(a, b, c, pre)| match pre {
                Some(p) => format!("{a}.{b}.{c}-beta.{p}"),
                None => format!("{a}.{b}.{c}"),
            },
        )
    }

    proptest! {
        // [introduced, fixed) agrees with the version crate's own ordering.
        #[test]
        fn pep440_matches_crate(v in pep440_str(), lo in pep440_str(), hi in pep440_str()) {
            let p = |s: &str| pep440_rs::Version::from_str(s).unwrap();
            let expect = p(&v) >= p(&lo) && p(&v) < p(&hi);
            let r = range(vec![Event::Introduced(lo.clone()), Event::Fixed(hi.clone())]);
            // Only well-formed ranges (introduced below fixed) are meaningful.
            prop_assume!(p(&lo) < p(&hi));
            let got = in_range(Ecosystem::PyPI, &Version::parse(Ecosystem::PyPI, &v).unwrap(), &r);
            prop_assert_eq!(got, expect);
        }

        #[test]
        fn semver_matches_crate(v in semver_str(), lo in semver_str(), hi in semver_str(), eco in prop::sample::select(vec![Ecosystem::Npm, Ecosystem::CratesIo])) {
            let p = |s: &str| semver::Version::parse(s).unwrap();
            prop_assume!(p(&lo) < p(&hi));
            let expect = p(&v) >= p(&lo) && p(&v) < p(&hi);
            let r = range(vec![Event::Introduced(lo.clone()), Event::Fixed(hi.clone())]);
            let got = in_range(eco, &Version::parse(eco, &v).unwrap(), &r);
            prop_assert_eq!(got, expect);
            // last_affected is inclusive.
            let r = range(vec![Event::Introduced(lo.clone()), Event::LastAffected(hi.clone())]);
            let got = in_range(eco, &Version::parse(eco, &v).unwrap(), &r);
            prop_assert_eq!(got, p(&v) >= p(&lo) && p(&v) <= p(&hi));
        }
    }
}
