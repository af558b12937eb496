//! The scoring table: points per rule and the two thresholds. Defaults are in
//! [`Weights::default`], and `docs/history.md` ("Scoring") gives the reason for each
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
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Points per rule code and the verdict thresholds. A commit's score is the sum, over the
/// rules that matched it, of the rule's points (a rule counts once per commit however
/// many files it matched), so every point is explained by one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Points per rule code (`GIT001` …).
    pub points: BTreeMap<String, f64>,
    /// Score at or above which a commit is `suspicious` ("look").
    pub look: f64,
    /// Score at or above which a commit is `malicious` ("review now").
    pub review_now: f64,
}

impl Default for Weights {
    fn default() -> Self {
        let points = [
            ("GIT001", 1.0),
            ("GIT002", 1.5),
            ("GIT003", 3.0),
            ("GIT004", 6.0),
            ("GIT005", 2.0),
            ("GIT006", 6.0),
            ("GIT007", 1.0),
            ("GIT008", 2.0),
            ("GIT009", 4.0),
            ("GIT010", 1.0),
            ("GIT011", 1.5),
            ("GIT012", 2.5),
            ("GIT013", 0.5),
            ("GIT014", 2.0),
            ("GIT015", 0.0),
            ("GIT016", 4.0),
            ("GIT017", 3.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Weights {
            points,
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
    /// Points of a rule (0 for an unknown code).
    pub fn of(&self, code: &str) -> f64 {
        self.points.get(code).copied().unwrap_or(0.0)
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
            let code = k.to_ascii_uppercase();
            if !w.points.contains_key(&code) {
                return Err(bad(format!("`{k}` is not a GIT rule code")));
            }
            if !v.is_finite() || v < 0.0 {
                return Err(bad(format!("`{k}` = {v}: points must be a number ≥ 0")));
            }
            w.points.insert(code, v);
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
        assert_eq!(w.of("GIT003"), 2.5);
        assert_eq!(w.look, 3.0);
        assert!(Weights::parse("[weights]\nPY001 = 1\n", "t").is_err());
        assert!(Weights::parse("[thresholds]\nlook = 9\n", "t").is_err());
        assert!(Weights::parse("[weights]\nGIT001 = -1\n", "t").is_err());
    }
}
