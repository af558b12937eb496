//! The scoring table: points per rule and the two thresholds. Defaults are in
//! [`default_points`] (an exhaustive match over the `GIT` rules), and `docs/history.md` ("Scoring") gives the reason for each
//! number: change both together. A user overrides any of them with a TOML file
//! (`assay history --weights FILE`):
//!
//! ```toml
//! [weights]
//! GIT003 = 2.5        # points a finding of this rule adds to its commit's score
//! [thresholds]
//! look = 4.0          # score at which a commit is `suspicious` ("look")
//! review-now = 8.0    # score at which it is `malicious` ("review now")
//! ```

use crate::HistoryError;
use assay_core::{GitRule, Rule};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Points per rule and the verdict thresholds. A commit's score is the sum, over the
/// rules that matched it, of the rule's points (a rule counts once per commit however
/// many files it matched), so every point is explained by one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Points per `GIT` rule; every rule of the family has an entry.
    pub points: BTreeMap<GitRule, f64>,
    /// Score at or above which a commit is `suspicious` ("look").
    pub look: f64,
    /// Score at or above which a commit is `malicious` ("review now").
    pub review_now: f64,
}

/// The default points of each `GIT` rule, with the reasons in `docs/history.md`. The match is
/// exhaustive: a new `GIT` rule does not compile until it has a weight here.
pub fn default_points(rule: GitRule) -> f64 {
    match rule {
        GitRule::NewcomerDominance => 1.0,
        GitRule::OpaqueBinaryAdded => 1.5,
        GitRule::UnreferencedBinary => 3.0,
        GitRule::CompressedFixturePayload => 6.0,
        GitRule::BinaryRewrittenVaguely => 2.0,
        GitRule::BrokenFeatureCheck => 6.0,
        GitRule::HardeningSwitchTouched => 1.0,
        GitRule::LoaderTrick => 2.0,
        GitRule::GitignoreHidesSource => 4.0,
        GitRule::MessageDiffMismatch => 1.0,
        GitRule::FreshCommitterChain => 1.5,
        GitRule::NewTagSigner => 2.5,
        GitRule::AuthorHabitDeviation => 0.5,
        GitRule::DirectPushByNewcomer => 2.0,
        GitRule::ContentUnavailable => 0.0,
        GitRule::NewcomerNewDependency => 4.0,
        GitRule::DependencySourceRisk => 3.0,
        GitRule::DependencyRegistryEvidence => 4.0,
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            points: GitRule::ALL
                .iter()
                .map(|&r| (r, default_points(r)))
                .collect(),
            look: 4.0,
            review_now: 8.0,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    weights: BTreeMap<String, f64>,
    #[serde(default)]
    thresholds: Thresholds,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Thresholds {
    look: Option<f64>,
    review_now: Option<f64>,
}

impl Weights {
    /// Points of a rule (0 for a rule outside the `GIT` family).
    pub fn of(&self, rule: Rule) -> f64 {
        GitRule::try_from(rule)
            .ok()
            .and_then(|g| self.points.get(&g))
            .copied()
            .unwrap_or(0.0)
    }

    /// A commit's score: the sum of the points of the distinct rules its findings match.
    pub fn score(&self, findings: &[assay_core::Finding]) -> f64 {
        let mut counted: std::collections::HashSet<Rule> = std::collections::HashSet::new();
        findings
            .iter()
            .filter(|f| counted.insert(f.rule))
            .map(|f| self.of(f.rule))
            // `fold` from +0.0: `sum` of no floats is -0.0, which JSON would show.
            .fold(0.0, |a, b| a + b)
    }

    /// The verdict of a commit with this score (`clean` when it has no finding).
    pub fn verdict(&self, score: f64, no_findings: bool) -> assay_core::Verdict {
        use assay_core::Verdict;
        if no_findings {
            Verdict::Clean
        } else if score >= self.review_now {
            Verdict::Malicious
        } else if score >= self.look {
            Verdict::Suspicious
        } else {
            Verdict::Clean
        }
    }

    /// The defaults overridden by the TOML text `text` (see the module doc).
    ///
    /// # Errors
    /// [`HistoryError::Weights`] on bad TOML, an unknown rule code, a negative or
    /// non-finite number, or `look` above `review-now`.
    pub fn parse(text: &str, origin: &str) -> Result<Self, HistoryError> {
        let bad = |m: String| HistoryError::Weights {
            path: origin.to_owned(),
            message: m,
        };
        let f: File = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut w = Weights::default();
        for (k, v) in f.weights {
            let Some(rule) =
                Rule::from_code(&k.to_ascii_uppercase()).and_then(|r| GitRule::try_from(r).ok())
            else {
                return Err(bad(format!("`{k}` is not a GIT rule code")));
            };
            if !v.is_finite() || v < 0.0 {
                return Err(bad(format!("`{k}` = {v}: points must be a number ≥ 0")));
            }
            w.points.insert(rule, v);
        }
        if let Some(l) = f.thresholds.look {
            w.look = l;
        }
        if let Some(r) = f.thresholds.review_now {
            w.review_now = r;
        }
        if !(w.look.is_finite() && w.review_now.is_finite() && w.look <= w.review_now) {
            return Err(bad("thresholds: need finite look ≤ review-now".to_owned()));
        }
        Ok(w)
    }

    /// [`Weights::parse`] of a file.
    ///
    /// # Errors
    /// [`HistoryError::Io`] when it cannot be read, else as [`Weights::parse`].
    pub fn load(path: &Path) -> Result<Self, HistoryError> {
        let text = fs_err::read_to_string(path).map_err(HistoryError::Io)?;
        Self::parse(&text, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_rejects() {
        let w = Weights::parse("[weights]\ngit003 = 2.5\n[thresholds]\nlook = 3\n", "t").unwrap();
        assert_eq!(w.of(Rule::UnreferencedBinary), 2.5);
        assert_eq!(w.of(Rule::DecodeThenExec), 0.0);
        assert_eq!(w.look, 3.0);
        assert!(Weights::parse("[weights]\nPY001 = 1\n", "t").is_err());
        assert!(Weights::parse("[thresholds]\nlook = 9\n", "t").is_err());
        assert!(Weights::parse("[weights]\nGIT001 = -1\n", "t").is_err());
    }
}
