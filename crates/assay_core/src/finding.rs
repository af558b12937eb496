//! The finding model: one rule match, where it is, how bad, and how sure.

use crate::{Confidence, Rule, RuleRef, Severity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// When the code a finding points at runs, relative to the user's action.
/// Earlier contexts need no cooperation from the user and weigh more in scoring.
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
#[serde(rename_all = "kebab-case")]
pub enum ExecutionContext {
    /// `pip install`/build: `setup.py`, `setup(cmdclass=…)`, build-backend hooks.
    InstallTime,
    /// Every interpreter start: executable `.pth` lines, `sitecustomize`/`usercustomize`.
    Startup,
    /// `import pkg`: module top level (above all `__init__.py`) and class bodies.
    ImportTime,
    /// Only when a function is called.
    Runtime,
}

impl ExecutionContext {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionContext::InstallTime => "install-time",
            ExecutionContext::Startup => "startup",
            ExecutionContext::ImportTime => "import-time",
            ExecutionContext::Runtime => "runtime",
        }
    }

    /// Whether code in this context runs without the user calling anything.
    pub fn is_automatic(self) -> bool {
        !matches!(self, ExecutionContext::Runtime)
    }
}

/// What a piece of code can do (the capability list).
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
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// Sockets, HTTP clients, DNS.
    Network,
    /// subprocess, `os.system`, `pty`.
    Process,
    /// exec/eval/compile/`__import__`/importlib/marshal/ctypes.
    CodeExec,
    /// Reads of credential stores: SSH, cloud, browser, wallets, tokens.
    CredentialAccess,
    /// Wholesale environment reads.
    Env,
    /// Writes that survive a reboot: cron, systemd, Run keys, shell rc files.
    Persistence,
    /// Filesystem writes and deletions.
    Filesystem,
    /// Encoded, encrypted or compressed code.
    Obfuscation,
    /// Clipboard, keyboard, screen capture.
    Surveillance,
    /// VM/sandbox/debugger detection.
    Evasion,
    /// Crypto mining.
    Mining,
}

/// Where a finding is. Lines and columns are 1-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Location {
    /// Path inside the artifact (`/`-separated); empty for the artifact itself.
    pub path: String,
    /// First line, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// First column, 1-based, in characters of the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Last line, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// How the code was reached when it was deobfuscated, outermost first, e.g.
    /// `["line 3: base64.b64decode", "zlib.decompress"]`; line/column then refer to the
    /// decoded text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decode_chain: Vec<String>,
}

impl Location {
    /// A location naming only a file inside the artifact.
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            ..Location::default()
        }
    }

    /// `path:line:col` (parts omitted when unknown).
    pub fn display(&self) -> String {
        let mut s = self.path.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

/// One rule match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The rule that matched.
    #[schemars(with = "RuleRef")]
    pub rule: Rule,
    /// Severity after context and policy adjustments.
    pub severity: Severity,
    /// Confidence of the match.
    pub confidence: Confidence,
    /// When the matched code runs, if it is code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<ExecutionContext>,
    /// Capabilities the matched code exercises.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
    /// Where it is.
    pub location: Location,
    /// Further places that make up the finding, in order: every hop of a path across
    /// jobs and workflows (`CI016`). Empty for most findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    /// A short, single-line excerpt or explanation (at most ~200 characters).
    pub evidence: String,
    /// Stable id of this finding: hex sha256 of rule code, path and evidence (first 16 bytes).
    /// Used for SARIF `partialFingerprints` and baselines.
    pub fingerprint: String,
}

/// Sort findings by location (path, line, column), then rule: the order the workflow
/// and agent audits report in.
pub fn sort_by_location(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column, a.rule).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
            b.rule,
        ))
    });
}

impl Finding {
    /// A finding with the rule's default levels; the fingerprint is filled in here.
    pub fn new(
        rule: Rule,
        severity: Severity,
        confidence: Confidence,
        location: Location,
        evidence: impl Into<String>,
    ) -> Self {
        let evidence = clip_evidence(&evidence.into());
        let fingerprint = fingerprint(rule.code(), &location.path, &evidence);
        Finding {
            rule,
            severity,
            confidence,
            context: None,
            capabilities: Vec::new(),
            location,
            related: Vec::new(),
            evidence,
            fingerprint,
        }
    }
}

/// Fingerprint of a finding: hex of the first 16 bytes of
/// sha256(`code` NUL `path` NUL `evidence`). Independent of line numbers so that it
/// survives unrelated edits above the match.
pub fn fingerprint(code: &str, path: &str, evidence: &str) -> String {
    let mut h = Sha256::new();
    h.update(code.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(evidence.as_bytes());
    let d = h.finalize();
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// One line, control characters escaped, at most 200 characters.
fn clip_evidence(s: &str) -> String {
    const MAX: usize = 200;
    let mut out = String::with_capacity(s.len().min(MAX + 3));
    for (n, c) in s.trim().chars().enumerate() {
        if n >= MAX {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push('⏎'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_one_clipped_line() {
        let f = Finding::new(
            Rule::DecodeThenExec,
            Severity::High,
            Confidence::High,
            Location::file("a.py"),
            "a\nb\tc".repeat(100),
        );
        assert!(!f.evidence.contains('\n'));
        assert!(f.evidence.chars().count() <= 201);
        assert_eq!(f.fingerprint.len(), 32);
    }

    #[test]
    fn fingerprint_ignores_lines() {
        let mut a = Location::file("a.py");
        a.line = Some(3);
        let mut b = Location::file("a.py");
        b.line = Some(30);
        let fa = Finding::new(
            Rule::DecodeThenExec,
            Severity::High,
            Confidence::High,
            a,
            "exec(x)",
        );
        let fb = Finding::new(
            Rule::DecodeThenExec,
            Severity::High,
            Confidence::High,
            b,
            "exec(x)",
        );
        assert_eq!(fa.fingerprint, fb.fingerprint);
        assert_eq!(
            Location {
                line: Some(3),
                column: Some(4),
                ..Location::file("p")
            }
            .display(),
            "p:3:4"
        );
    }
}
