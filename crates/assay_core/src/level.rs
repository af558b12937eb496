//! Ordered levels: [`Severity`], [`Confidence`], [`Verdict`] and the `--fail-on`
//! threshold that compares against either.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad a finding is if it is a true positive (SARIF `level` is derived from it).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context only; never changes a verdict on its own.
    Info,
    /// Weak evidence: common in benign code.
    Low,
    /// Worth a look in the context it appears in.
    Medium,
    /// Rarely benign.
    High,
    /// Seen almost only in malware.
    Critical,
}

/// How sure the rule is that the pattern it matched is the behaviour it names.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A heuristic that often matches benign code.
    Low,
    /// Usually right.
    Medium,
    /// The matched construct is the behaviour.
    High,
}

/// The judgement on one artifact, from its findings (see `docs/scoring.md`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing that needs a human.
    Clean,
    /// Worth a human review before use.
    Suspicious,
    /// Behaviour seen in malware; do not install.
    Malicious,
}

macro_rules! level_text {
    ($ty:ty { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            /// All values, lowest first.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),*];
            /// The lowercase name used in reports, config and the CLI.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.to_ascii_lowercase().as_str() {
                    $($text => Ok(<$ty>::$variant),)*
                    other => Err(format!("unknown {} `{other}` (expected one of: {})",
                        stringify!($ty).to_lowercase(), [$($text),*].join(", "))),
                }
            }
        }
    };
}

level_text!(Severity { Info => "info", Low => "low", Medium => "medium", High => "high", Critical => "critical" });
level_text!(Confidence { Low => "low", Medium => "medium", High => "high" });
level_text!(Verdict { Clean => "clean", Suspicious => "suspicious", Malicious => "malicious" });

/// The `--fail-on` threshold: a verdict or a finding severity. The command exits 1
/// when any artifact's verdict, or any finding's severity, reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Fail when an artifact's verdict is at least this.
    Verdict(Verdict),
    /// Fail when any (unsuppressed) finding has at least this severity.
    Severity(Severity),
}

impl Default for FailOn {
    fn default() -> Self {
        FailOn::Verdict(Verdict::Malicious)
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(v) = s.parse::<Verdict>()
            && v != Verdict::Clean
        {
            return Ok(FailOn::Verdict(v));
        }
        s.parse::<Severity>().map(FailOn::Severity).map_err(|_| {
            format!("unknown --fail-on level `{s}` (expected suspicious, malicious, info, low, medium, high or critical)")
        })
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailOn::Verdict(v) => v.fmt(f),
            FailOn::Severity(s) => s.fmt(f),
        }
    }
}

impl FailOn {
    /// Whether an artifact with this verdict and these finding severities trips the threshold.
    pub fn tripped(self, verdict: Verdict, severities: impl IntoIterator<Item = Severity>) -> bool {
        match self {
            FailOn::Verdict(v) => verdict >= v,
            FailOn::Severity(s) => severities.into_iter().any(|x| x >= s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_parses_verdicts_and_severities() {
        assert_eq!(
            "malicious".parse::<FailOn>(),
            Ok(FailOn::Verdict(Verdict::Malicious))
        );
        assert_eq!(
            "High".parse::<FailOn>(),
            Ok(FailOn::Severity(Severity::High))
        );
        assert!("clean".parse::<FailOn>().is_err());
        assert!("nope".parse::<FailOn>().is_err());
    }

    #[test]
    fn fail_on_thresholds() {
        let f = FailOn::Verdict(Verdict::Suspicious);
        assert!(f.tripped(Verdict::Malicious, []));
        assert!(!f.tripped(Verdict::Clean, [Severity::Critical]));
        let s = FailOn::Severity(Severity::High);
        assert!(s.tripped(Verdict::Clean, [Severity::Low, Severity::High]));
        assert!(!s.tripped(Verdict::Malicious, [Severity::Medium]));
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
        assert!(Verdict::Malicious > Verdict::Suspicious);
    }
}
