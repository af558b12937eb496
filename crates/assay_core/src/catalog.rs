//! The rule catalog: every rule's identity and default levels as one typed value,
//! [`Rule`], with one variant per rule.
//!
//! Every crate that raises findings takes its rules from here: the scan rules in
//! `assay_rules`, the archive (`ARC`) findings of `assay_sources`, the history (`GIT`)
//! rules of `assay_history`, the dependency (`DEP`) rules of `assay_deps` and the
//! signature (`ML030`–`ML034`) findings of `assay verify`. A [`Finding`] carries the
//! [`Rule`] itself, so nothing compares rule codes as strings, and code that depends on
//! a rule (scoring, history weights) matches on the type: the per-family enums
//! ([`GitRule`], …) let such a `match` be exhaustive over one family, so adding a rule
//! without deciding its weight does not compile.
//!
//! **Where the documentation lives.** The catalog holds what other crates need without
//! running a rule: code, name, family, one-line summary, default severity and confidence,
//! target file kinds, CWE and ATT&CK. The long Markdown documentation (`## What it does`
//! … `## References`) stays as the doc comment of the rule's `declare_rule!` in
//! `assay_rules::rules::<family>::<rule>`, beside the check it describes, because it is
//! edited together with the check; `declare_rule!` pairs it with the catalog entry in a
//! [`RuleMeta`](crate::RuleMeta), and `assay_rules`' registry test fails when a catalog
//! rule has no registry entry, no doc section or no fixtures.
//!
//! On the wire a rule is the object `{"code": "PY001", "name": "decode-then-exec"}`
//! ([`RuleRef`]); reading one back looks the rule up by its code.
//!
//! Adding a rule: add an entry here (next free code of its family; codes are never
//! reused), then the rule file, its registry line, fixtures and generated docs — see
//! `docs/architecture.md`.

use crate::{Confidence, ExecutionContext, Family, FileKind, Finding, Location, Severity};
use serde::{Deserialize, Serialize};

// [`Rule`] serialises through this shape. Its doc comment is the report schema's
// description of the `rule` object: keep it as it is.
/// Which rule produced a finding (the JSON contract's `rule` object).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleRef {
    /// Stable rule code, e.g. `PY001`.
    pub code: String,
    /// Kebab-case rule name, e.g. `decode-then-exec`.
    pub name: String,
}

/// A rule code that is not in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule code `{}`", self.0)
    }
}

impl std::error::Error for UnknownRule {}

impl From<Rule> for RuleRef {
    fn from(r: Rule) -> Self {
        RuleRef {
            code: r.code().to_owned(),
            name: r.name().to_owned(),
        }
    }
}

impl TryFrom<RuleRef> for Rule {
    type Error = UnknownRule;

    /// The rule with this code. The name is not checked: a renamed rule keeps its code.
    fn try_from(r: RuleRef) -> Result<Self, UnknownRule> {
        Rule::from_code(&r.code).ok_or(UnknownRule(r.code))
    }
}

/// A rule's severity by when the matched code runs: `automatic` at install time and at
/// interpreter startup (no user action needed), `import` at import time, `runtime` inside
/// functions. Declared in the catalog (`by_context: [automatic, import, runtime]`) for
/// rules whose severity follows the context alone; rules that weigh more than the context
/// (test trees, cipher-decoded payloads, the file's role) start from it or keep their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextSeverity {
    /// Install time and startup.
    pub automatic: Severity,
    /// Import time.
    pub import: Severity,
    /// Runtime.
    pub runtime: Severity,
}

impl ContextSeverity {
    /// The severity in `context`.
    pub const fn of(self, context: ExecutionContext) -> Severity {
        match context {
            ExecutionContext::InstallTime | ExecutionContext::Startup => self.automatic,
            ExecutionContext::ImportTime => self.import,
            ExecutionContext::Runtime => self.runtime,
        }
    }
}

/// `Some(ContextSeverity)` from a catalog entry's optional `by_context` table.
macro_rules! context_table {
    () => {
        None
    };
    ($a:ident, $i:ident, $r:ident) => {
        Some(ContextSeverity {
            automatic: Severity::$a,
            import: Severity::$i,
            runtime: Severity::$r,
        })
    };
}

/// Builds [`Rule`], the per-family enums and their lookups from the table below.
macro_rules! catalog {
    (
        $(
            $(#[doc = $fdoc:literal])*
            $fam:ident => $famenum:ident {
                $(
                    $var:ident {
                        code: $code:literal,
                        name: $name:literal,
                        summary: $summary:literal,
                        severity: $sev:ident,
                        confidence: $conf:ident,
                        targets: [$($t:ident),* $(,)?],
                        $(by_context: [$ca:ident, $ci:ident, $cr:ident],)?
                        cwe: $cwe:expr,
                        attack: $attack:expr $(,)?
                    }
                )*
            }
        )*
    ) => {
        /// Every rule assay knows, one variant per rule (see the module doc).
        ///
        /// Ordered, hashed and compared by identity; [`Ord`] follows the code's text
        /// (`ARC001` < `DEP001` < … < `PY016`), the order reports sort by.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(into = "RuleRef", try_from = "RuleRef")]
        pub enum Rule {
            $($(
                #[doc = concat!("`", $code, "` `", $name, "`: ", $summary, ".")]
                $var,
            )*)*
        }

        impl Rule {
            /// Every rule, by family then code.
            pub const ALL: &'static [Rule] = &[$($(Rule::$var,)*)*];

            /// Stable code (`PY001`). Never reused.
            pub const fn code(self) -> &'static str {
                match self { $($(Rule::$var => $code,)*)* }
            }

            /// Kebab-case name of the pattern (`decode-then-exec`).
            pub const fn name(self) -> &'static str {
                match self { $($(Rule::$var => $name,)*)* }
            }

            /// Family (the code's prefix).
            pub const fn family(self) -> Family {
                match self { $($(Rule::$var => Family::$fam,)*)* }
            }

            /// One line: what a match means.
            pub const fn summary(self) -> &'static str {
                match self { $($(Rule::$var => $summary,)*)* }
            }

            /// Default severity (a finding may raise or lower it by context; `assay.toml`
            /// may override).
            pub const fn severity(self) -> Severity {
                match self { $($(Rule::$var => Severity::$sev,)*)* }
            }

            /// Default confidence.
            pub const fn confidence(self) -> Confidence {
                match self { $($(Rule::$var => Confidence::$conf,)*)* }
            }

            /// The file kinds the rule looks at; empty for rules raised outside a scan
            /// (history, dependencies, signatures).
            pub const fn targets(self) -> &'static [FileKind] {
                match self { $($(Rule::$var => &[$(FileKind::$t),*],)*)* }
            }

            /// CWE id (`CWE-506`), where one fits.
            pub const fn cwe(self) -> Option<&'static str> {
                match self { $($(Rule::$var => $cwe,)*)* }
            }

            /// MITRE ATT&CK technique (`T1059.006`), where one fits.
            pub const fn attack(self) -> Option<&'static str> {
                match self { $($(Rule::$var => $attack,)*)* }
            }

            /// The declared severity by execution context, for rules whose severity
            /// follows the context alone.
            pub const fn context_severity(self) -> Option<ContextSeverity> {
                match self { $($(Rule::$var => context_table!($($ca, $ci, $cr)?),)*)* }
            }
        }

        $(
            $(#[doc = $fdoc])*
            ///
            /// The rules of one family, for code that must decide something for each of
            /// them (an exhaustive `match`); convert with `Rule::from` / `try_from`.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum $famenum {
                $(
                    #[doc = concat!("`", $code, "` `", $name, "`.")]
                    $var,
                )*
            }

            impl $famenum {
                /// Every rule of the family, in code order.
                pub const ALL: &'static [$famenum] = &[$($famenum::$var,)*];

                /// The catalog rule.
                pub const fn rule(self) -> Rule {
                    match self { $($famenum::$var => Rule::$var,)* }
                }
            }

            impl From<$famenum> for Rule {
                fn from(r: $famenum) -> Rule {
                    r.rule()
                }
            }

            impl TryFrom<Rule> for $famenum {
                type Error = Rule;

                /// The family rule, or the rule itself back when it is of another family.
                fn try_from(r: Rule) -> Result<Self, Rule> {
                    match r {
                        $(Rule::$var => Ok($famenum::$var),)*
                        other => Err(other),
                    }
                }
            }
        )*
    };
}

impl Rule {
    /// The rule with this code, exactly as spelled (`PY001`).
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// The rule with this code or name, ASCII case-insensitive (`py001`,
    /// `decode-then-exec`): how users name rules on the command line and in `assay.toml`.
    pub fn find(code_or_name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| {
            r.code().eq_ignore_ascii_case(code_or_name)
                || r.name().eq_ignore_ascii_case(code_or_name)
        })
    }

    /// The severity of a match in `context`: the declared [`ContextSeverity`] where the
    /// rule has one, else the default severity.
    pub const fn severity_in(self, context: ExecutionContext) -> Severity {
        match self.context_severity() {
            Some(table) => table.of(context),
            None => self.severity(),
        }
    }

    /// `"PY001 decode-then-exec"`.
    pub fn label(self) -> String {
        format!("{} {}", self.code(), self.name())
    }

    /// A finding of this rule at `location` with its default severity and confidence.
    pub fn finding(self, location: Location, evidence: impl Into<String>) -> Finding {
        Finding::new(self, self.severity(), self.confidence(), location, evidence)
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rule {
    /// By code text, so sorted findings and per-rule maps keep the order they had when
    /// rules were strings.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl std::fmt::Display for Rule {
    /// The code (`PY001`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

catalog! {
    /// Python source behaviour.
    Py => PyRule {
        DecodeThenExec {
            code: "PY001",
            name: "decode-then-exec",
            summary: "Executes code that was decoded, decompressed or decrypted at run time",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth, JavaScript],
            by_context: [Critical, Critical, High],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
        DownloadThenExec {
            code: "PY002",
            name: "download-then-exec",
            summary: "Executes code or programs fetched from the network",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth, JavaScript],
            by_context: [Critical, Critical, High],
            cwe: Some("CWE-494"),
            attack: Some("T1105"),
        }
        SuspiciousShellCommand {
            code: "PY003",
            name: "suspicious-shell-command",
            summary: "Starts a process whose command line has a known-malicious shape",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth, JavaScript],
            by_context: [Critical, Critical, High],
            cwe: Some("CWE-78"),
            attack: Some("T1059"),
        }
        ProcessSpawnOnInstall {
            code: "PY004",
            name: "process-spawn-on-install",
            summary: "Starts a process at install time, interpreter startup or import",
            severity: Medium,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: None,
            attack: Some("T1059.006"),
        }
        NetworkOnInstall {
            code: "PY005",
            name: "network-on-install",
            summary: "Uses the network at install time, interpreter startup or import",
            severity: High,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: None,
            attack: Some("T1071"),
        }
        CredentialAccess {
            code: "PY006",
            name: "credential-access",
            summary: "Names credential stores: browser secrets, wallets, SSH/cloud/registry tokens",
            severity: High,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: Some("CWE-522"),
            attack: Some("T1555"),
        }
        EnvironmentHarvest {
            code: "PY007",
            name: "environment-harvest",
            summary: "Reads the whole environment (all variables, incl. secrets) as data",
            severity: Low,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: Some("CWE-526"),
            attack: Some("T1552"),
        }
        ExfiltrationFlow {
            code: "PY008",
            name: "exfiltration-flow",
            summary: "Collects secrets or system identity and sends data over the network",
            severity: High,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: Some("CWE-200"),
            attack: Some("T1041"),
        }
        PersistenceMechanism {
            code: "PY009",
            name: "persistence-mechanism",
            summary: "Installs itself to survive reboots (Run keys, Startup, cron, systemd, launchd)",
            severity: High,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            by_context: [High, High, Medium],
            cwe: None,
            attack: Some("T1547"),
        }
        KeyloggingOrScreenCapture {
            code: "PY010",
            name: "keylogging-or-screen-capture",
            summary: "Captures keystrokes, clipboard, screen or camera",
            severity: High,
            confidence: Medium,
            targets: [Python, Pth],
            by_context: [High, High, Info],
            cwe: None,
            attack: Some("T1056.001"),
        }
        SandboxEvasion {
            code: "PY011",
            name: "sandbox-evasion",
            summary: "Looks for virtual machines, sandboxes, debuggers or analysis tools",
            severity: High,
            confidence: Medium,
            targets: [Python, Pth],
            cwe: None,
            attack: Some("T1497"),
        }
        ObfuscatedCode {
            code: "PY012",
            name: "obfuscated-code",
            summary: "The code is deliberately obfuscated",
            severity: Medium,
            confidence: Medium,
            targets: [Python, Pth],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
        DynamicCodeExec {
            code: "PY013",
            name: "dynamic-code-exec",
            summary: "Executes code built at run time, on install, startup or import",
            severity: Low,
            confidence: Low,
            targets: [Python, Pth, JavaScript],
            cwe: Some("CWE-95"),
            attack: Some("T1059.006"),
        }
        ShellcodeLoader {
            code: "PY014",
            name: "shellcode-loader",
            summary: "Allocates executable memory, copies bytes into it and runs them",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth],
            cwe: Some("CWE-506"),
            attack: Some("T1055"),
        }
        EmbeddedExecutable {
            code: "PY015",
            name: "embedded-executable",
            summary: "A literal in the code decodes to a native executable",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth, JavaScript],
            by_context: [Critical, Critical, High],
            cwe: Some("CWE-506"),
            attack: Some("T1027.009"),
        }
        HiddenNetworkEndpoint {
            code: "PY016",
            name: "hidden-network-endpoint",
            summary: "A network request goes to an address the code holds only encoded",
            severity: High,
            confidence: High,
            targets: [Python, Pth],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
    }
    /// Package metadata and layout.
    Pkg => PkgRule {
        ExecutablePthLine {
            code: "PKG001",
            name: "executable-pth-line",
            summary: "A .pth line that Python executes at every interpreter start",
            severity: Critical,
            confidence: High,
            targets: [Pth],
            cwe: Some("CWE-506"),
            attack: Some("T1546.018"),
        }
        ConsoleScriptShadowsCommand {
            code: "PKG002",
            name: "console-script-shadows-command",
            summary: "An installed script shadows a common system or developer command",
            severity: High,
            confidence: Medium,
            targets: [EntryPoints],
            cwe: None,
            attack: Some("T1036.005"),
        }
        ModuleShadowsStdlib {
            code: "PKG003",
            name: "module-shadows-stdlib",
            summary: "Installs a top-level module named like a standard-library module",
            severity: High,
            confidence: Medium,
            targets: [Python],
            cwe: None,
            attack: Some("T1036.005"),
        }
        NativeBinaryInPurePackage {
            code: "PKG004",
            name: "native-binary-in-pure-package",
            summary: "Machine code inside a pure-Python wheel or a source distribution",
            severity: Medium,
            confidence: Medium,
            targets: [Elf, Pe, MachO],
            cwe: Some("CWE-506"),
            attack: Some("T1036.008"),
        }
        TyposquatName {
            code: "PKG005",
            name: "typosquat-name",
            summary: "The distribution's name imitates a popular project",
            severity: Low,
            confidence: Low,
            targets: [CoreMetadata],
            cwe: None,
            attack: Some("T1195.002"),
        }
        InstalledFileModified {
            code: "PKG006",
            name: "installed-file-modified",
            summary: "An installed file no longer matches its RECORD hash",
            severity: High,
            confidence: High,
            targets: [Record],
            cwe: Some("CWE-494"),
            attack: Some("T1554"),
        }
        UnrecordedFile {
            code: "PKG007",
            name: "unrecorded-file",
            summary: "An installed code file that no distribution's RECORD lists",
            severity: Medium,
            confidence: Medium,
            targets: [Python, Pth],
            cwe: None,
            attack: Some("T1546.018"),
        }
        RecordPathEscape {
            code: "PKG008",
            name: "record-path-escape",
            summary: "RECORD lists a file installed outside the environment",
            severity: High,
            confidence: High,
            targets: [Record],
            cwe: Some("CWE-22"),
            attack: None,
        }
        StartupHookFile {
            code: "PKG009",
            name: "startup-hook-file",
            summary: "Ships sitecustomize.py or usercustomize.py (runs at every Python start)",
            severity: High,
            confidence: High,
            targets: [Python],
            cwe: None,
            attack: Some("T1546.018"),
        }
        InstallHookOverride {
            code: "PKG010",
            name: "install-hook-override",
            summary: "setup.py replaces the install/develop/egg_info command",
            severity: Low,
            confidence: Medium,
            targets: [Python],
            cwe: None,
            attack: Some("T1195.002"),
        }
        XorEncryptedExecutable {
            code: "PKG011",
            name: "xor-encrypted-executable",
            summary: "A file is a native executable encrypted with a one-byte XOR key",
            severity: Critical,
            confidence: High,
            targets: [Python, Text, Binary],
            cwe: Some("CWE-506"),
            attack: Some("T1027.013"),
        }
        NpmInstallScriptShellCommand {
            code: "PKG012",
            name: "npm-install-script-shell-command",
            summary: "An npm install script runs a download-and-execute or hostile shell command",
            severity: Critical,
            confidence: High,
            targets: [Text],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        BytecodeWithoutSource {
            code: "PKG013",
            name: "bytecode-without-source",
            summary: "Compiled Python that is loaded without its source",
            severity: High,
            confidence: Medium,
            targets: [Bytecode],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
        CodeNotInspected {
            code: "PKG014",
            name: "code-not-inspected",
            summary: "Python code too large to inspect whole",
            severity: Critical,
            confidence: Medium,
            targets: [Python],
            cwe: Some("CWE-506"),
            attack: Some("T1027.001"),
        }
        KnownMaliciousDependency {
            code: "PKG015",
            name: "known-malicious-dependency",
            summary: "Declares or installs a dependency that an advisory reports as malicious",
            severity: Critical,
            confidence: High,
            targets: [CoreMetadata, PyProject, SetupCfg, Python],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
    }
    /// Archive structure and hostile-input bounds (raised by `assay_sources` while reading).
    Arc => ArcRule {
        PathTraversalEntry {
            code: "ARC001",
            name: "path-traversal-entry",
            summary: "An archive entry name climbs out of the extraction directory (`..`)",
            severity: High,
            confidence: High,
            targets: [Archive],
            cwe: Some("CWE-22"),
            attack: Some("T1036"),
        }
        AbsolutePathEntry {
            code: "ARC002",
            name: "absolute-path-entry",
            summary: "An archive entry has an absolute path or drive letter",
            severity: High,
            confidence: High,
            targets: [Archive],
            cwe: Some("CWE-22"),
            attack: Some("T1036"),
        }
        LinkEntry {
            code: "ARC003",
            name: "link-entry",
            summary: "An archive holds a symbolic or hard link",
            severity: Medium,
            confidence: High,
            targets: [Archive],
            cwe: Some("CWE-59"),
            attack: None,
        }
        DuplicateEntry {
            code: "ARC004",
            name: "duplicate-entry",
            summary: "An archive holds two entries with the same name",
            severity: Medium,
            confidence: High,
            targets: [Archive],
            cwe: Some("CWE-436"),
            attack: None,
        }
        NonUtf8EntryName {
            code: "ARC005",
            name: "non-utf8-entry-name",
            summary: "An archive entry name is not valid UTF-8",
            severity: Low,
            confidence: High,
            targets: [Archive],
            cwe: None,
            attack: None,
        }
        ArchiveBomb {
            code: "ARC006",
            name: "archive-bomb",
            summary: "An archive exceeds a size, count or compression-ratio bound",
            severity: High,
            confidence: High,
            targets: [Archive],
            cwe: Some("CWE-409"),
            attack: None,
        }
        UnreadableArchive {
            code: "ARC007",
            name: "unreadable-archive",
            summary: "An archive is truncated, corrupt or empty",
            severity: Medium,
            confidence: High,
            targets: [Archive],
            cwe: None,
            attack: None,
        }
        FormatMismatch {
            code: "ARC008",
            name: "format-mismatch",
            summary: "A file's content contradicts its extension",
            severity: Low,
            confidence: Medium,
            targets: [Archive],
            cwe: None,
            attack: Some("T1036.008"),
        }
        NestingTooDeep {
            code: "ARC009",
            name: "nesting-too-deep",
            summary: "Archives are nested deeper than assay reads",
            severity: Medium,
            confidence: High,
            targets: [Archive],
            cwe: Some("CWE-409"),
            attack: None,
        }
        PathTooLong {
            code: "ARC010",
            name: "path-too-long",
            summary: "An archive entry name exceeds the path-length bound",
            severity: Low,
            confidence: High,
            targets: [Archive],
            cwe: None,
            attack: None,
        }
        ZipReaderDisagreement {
            code: "ARC011",
            name: "zip-reader-disagreement",
            summary: "Zip readers that trust the central directory and ones that trust local headers see different archives",
            severity: High,
            confidence: Medium,
            targets: [Archive],
            cwe: Some("CWE-436"),
            attack: Some("T1027"),
        }
    }
    /// Indicators of compromise found as data.
    Ioc => IocRule {
        ExfiltrationServiceUrl {
            code: "IOC001",
            name: "exfiltration-service-url",
            summary: "Hard-coded webhook, paste, tunnel or OAST endpoint",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth, JavaScript],
            cwe: None,
            attack: Some("T1567"),
        }
        RawIpUrl {
            code: "IOC002",
            name: "raw-ip-url",
            summary: "URL with a literal public IP address as host",
            severity: Medium,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            by_context: [High, Medium, Low],
            cwe: None,
            attack: Some("T1071.001"),
        }
        CryptoMining {
            code: "IOC003",
            name: "crypto-mining",
            summary: "Mining pool, protocol or miner",
            severity: High,
            confidence: High,
            targets: [Python, Pth, JavaScript],
            cwe: None,
            attack: Some("T1496"),
        }
        CloudMetadataAccess {
            code: "IOC004",
            name: "cloud-metadata-access",
            summary: "Cloud instance-metadata endpoint (IAM credentials)",
            severity: Medium,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: Some("CWE-522"),
            attack: Some("T1552.005"),
        }
        KubernetesTokenAccess {
            code: "IOC005",
            name: "kubernetes-token-access",
            summary: "Kubernetes service-account token path",
            severity: Medium,
            confidence: Medium,
            targets: [Python, Pth, JavaScript],
            cwe: Some("CWE-522"),
            attack: Some("T1528"),
        }
        KnownMaliciousIndicator {
            code: "IOC006",
            name: "known-malicious-indicator",
            summary: "A host or URL that a known-malicious-package advisory lists as an indicator",
            severity: Critical,
            confidence: High,
            targets: [Python, Pth],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
    }
    /// Model files and model signing (`ML030`–`ML034` raised by `assay verify`).
    Ml => MlRule {
        PickleDangerousImport {
            code: "ML001",
            name: "pickle-dangerous-import",
            summary: "A pickle imports a callable that runs code or touches the system",
            severity: Critical,
            confidence: High,
            targets: [Pickle, NumPy],
            cwe: Some("CWE-502"),
            attack: Some("T1059"),
        }
        PickleUnlistedImport {
            code: "ML002",
            name: "pickle-unlisted-import",
            summary: "A model pickle imports something outside the checkpoint allowlist",
            severity: Critical,
            confidence: Medium,
            targets: [Pickle, NumPy],
            cwe: Some("CWE-502"),
            attack: Some("T1059"),
        }
        PickleDiscardedCall {
            code: "ML003",
            name: "pickle-discarded-call",
            summary: "A pickle calls something and throws the result away",
            severity: Medium,
            confidence: Medium,
            targets: [Pickle, NumPy],
            cwe: Some("CWE-502"),
            attack: None,
        }
        UnparseablePickle {
            code: "ML004",
            name: "unparseable-pickle",
            summary: "A model pickle could not be walked to its end",
            severity: Critical,
            confidence: Medium,
            targets: [Pickle, NumPy],
            cwe: Some("CWE-502"),
            attack: None,
        }
        PickleStreamTrick {
            code: "ML005",
            name: "pickle-stream-trick",
            summary: "A pickle stream is nested, re-framed or stacked to confuse scanners",
            severity: Low,
            confidence: Medium,
            targets: [Pickle, NumPy],
            cwe: Some("CWE-502"),
            attack: Some("T1027"),
        }
        ModelFormatMismatch {
            code: "ML006",
            name: "model-format-mismatch",
            summary: "A model file's content contradicts its extension",
            severity: High,
            confidence: High,
            targets: [Pickle, NumPy, Safetensors, Gguf],
            cwe: None,
            attack: Some("T1036.008"),
        }
        InvalidSafetensorsHeader {
            code: "ML007",
            name: "invalid-safetensors-header",
            summary: "A safetensors header breaks the format's rules",
            severity: High,
            confidence: High,
            targets: [Safetensors],
            cwe: Some("CWE-20"),
            attack: None,
        }
        ChatTemplateInjection {
            code: "ML008",
            name: "chat-template-injection",
            summary: "A model's chat template escapes the Jinja sandbox or hides a trigger",
            severity: Critical,
            confidence: High,
            targets: [Gguf, Text],
            cwe: Some("CWE-1336"),
            attack: Some("T1059"),
        }
        ModelConfigCode {
            code: "ML009",
            name: "model-config-code",
            summary: "A model config makes loading run code (Keras Lambda, custom module, auto_map)",
            severity: High,
            confidence: Medium,
            targets: [Text, Hdf5, TfSavedModel],
            cwe: Some("CWE-94"),
            attack: Some("T1059"),
        }
        ModelCodeCapability {
            code: "ML010",
            name: "model-code-capability",
            summary: "Remote model code named by auto_map spawns processes, executes code or reaches the network",
            severity: Critical,
            confidence: High,
            targets: [Python],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        OnnxExternalDataEscape {
            code: "ML011",
            name: "onnx-external-data-escape",
            summary: "An ONNX initializer's external data path leaves the model directory",
            severity: High,
            confidence: High,
            targets: [Onnx],
            cwe: Some("CWE-22"),
            attack: Some("T1005"),
        }
        OnnxCustomOperator {
            code: "ML012",
            name: "onnx-custom-operator",
            summary: "An ONNX model uses an operator domain no standard runtime defines",
            severity: High,
            confidence: Medium,
            targets: [Onnx],
            cwe: Some("CWE-829"),
            attack: Some("T1129"),
        }
        SavedModelSystemOp {
            code: "ML013",
            name: "saved-model-system-op",
            summary: "A TensorFlow SavedModel graph or function (or a TFLite Flex op) touches files, the network or Python callbacks",
            severity: Critical,
            confidence: High,
            targets: [TfSavedModel, TfLite],
            cwe: Some("CWE-829"),
            attack: Some("T1059"),
        }
        SignatureBundleMalformed {
            code: "ML030",
            name: "signature-bundle-malformed",
            summary: "A model signature bundle or its statement cannot be read",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.001"),
        }
        SignatureInvalid {
            code: "ML031",
            name: "signature-invalid",
            summary: "A model signature does not verify with the trusted key or certificate",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.001"),
        }
        SignedFileModified {
            code: "ML032",
            name: "signed-file-modified",
            summary: "A model file's sha256 differs from the signed digest",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.001"),
        }
        SignedFileMissing {
            code: "ML033",
            name: "signed-file-missing",
            summary: "A file listed in the model signature is absent",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.001"),
        }
        UnsignedFile {
            code: "ML034",
            name: "unsigned-file",
            summary: "A model file is not covered by the signature",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.001"),
        }
    }
    /// Dependencies (raised by `assay deps`, and by registry specs: `DEP013`–`DEP015`).
    Dep => DepRule {
        KnownMaliciousPackage {
            code: "DEP001",
            name: "known-malicious-package",
            summary: "A dependency pins a version named by a malicious-package (MAL-) advisory",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        KnownVulnerablePackage {
            code: "DEP002",
            name: "known-vulnerable-package",
            summary: "A dependency pins a version with a known vulnerability (GHSA/PYSEC/RUSTSEC/CVE)",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-1395"),
            attack: Some("T1195.001"),
        }
        TyposquatDependency {
            code: "DEP003",
            name: "typosquat-dependency",
            summary: "A dependency's name imitates a popular package",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        UnpinnedRequirement {
            code: "DEP004",
            name: "unpinned-requirement",
            summary: "A manifest requirement is not pinned to an exact version or has no hash",
            severity: Low,
            confidence: High,
            targets: [],
            cwe: Some("CWE-1357"),
            attack: None,
        }
        DirectUrlDependency {
            code: "DEP005",
            name: "direct-url-dependency",
            summary: "A dependency comes from a URL, git repository or path instead of a registry",
            severity: Low,
            confidence: High,
            targets: [],
            cwe: Some("CWE-829"),
            attack: None,
        }
        UnparseableLockfile {
            code: "DEP006",
            name: "unparseable-lockfile",
            summary: "A lockfile or manifest could not be read",
            severity: High,
            confidence: High,
            targets: [],
            cwe: None,
            attack: None,
        }
        ExtraIndexConfusion {
            code: "DEP007",
            name: "extra-index-confusion",
            summary: "An --extra-index-url lets a public upload replace a package meant to come from another index",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-427"),
            attack: Some("T1195.001"),
        }
        YoungPackage {
            code: "DEP008",
            name: "young-package",
            summary: "The project or the pinned version was published only days ago",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-1357"),
            attack: Some("T1195.001"),
        }
        MaintainerChange {
            code: "DEP009",
            name: "maintainer-change",
            summary: "The pinned version was published by someone who did not maintain the previous one",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-1357"),
            attack: Some("T1195.002"),
        }
        UnclaimedPublicName {
            code: "DEP010",
            name: "unclaimed-public-name",
            summary: "The dependency's name does not exist on the public registry, so anyone can claim it",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-427"),
            attack: Some("T1195.001"),
        }
        YankedVersion {
            code: "DEP011",
            name: "yanked-version",
            summary: "The pinned version was yanked by its publisher",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-1104"),
            attack: None,
        }
        RegistryConfirmedTyposquat {
            code: "DEP012",
            name: "registry-confirmed-typosquat",
            summary: "A typosquat name whose registry entry is new, unused or copies the imitated project",
            severity: Critical,
            confidence: Medium,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        ReleaseBurst {
            code: "DEP013",
            name: "release-burst",
            summary: "A release is one of several versions uploaded within hours after a quiet period, or one of its files was uploaded long after the others",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-1357"),
            attack: Some("T1195.002"),
        }
        DormantRelease {
            code: "DEP014",
            name: "dormant-release",
            summary: "A release uploaded after a year or more without any release",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-1357"),
            attack: Some("T1195.002"),
        }
        AttestationDropped {
            code: "DEP015",
            name: "attestation-dropped",
            summary: "A release (or some of its files) lacks the provenance attestation that the previous release had",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.002"),
        }
    }
    /// Repository history (raised by `assay history`).
    Git => GitRule {
        NewcomerDominance {
            code: "GIT001",
            name: "newcomer-dominance",
            summary: "A commit by an identity that is new to the project yet already writes a large share of its recent commits",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: None,
        }
        OpaqueBinaryAdded {
            code: "GIT002",
            name: "opaque-binary-added",
            summary: "A commit adds or rewrites a binary file whose bytes look compressed or encrypted",
            severity: Low,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
        UnreferencedBinary {
            code: "GIT003",
            name: "unreferenced-binary",
            summary: "An added or rewritten binary file that no script, test or build file in the tree names",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
        CompressedFixturePayload {
            code: "GIT004",
            name: "compressed-fixture-payload",
            summary: "A compressed file in the commit decodes to shell, ELF or script text",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1027.002"),
        }
        BinaryRewrittenVaguely {
            code: "GIT005",
            name: "binary-rewritten-vaguely",
            summary: "An existing opaque binary is replaced by a commit whose message gives no concrete reason",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-506"),
            attack: None,
        }
        BrokenFeatureCheck {
            code: "GIT006",
            name: "broken-feature-check",
            summary: "A build feature-check snippet written by the commit cannot parse as C",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-693"),
            attack: Some("T1562.001"),
        }
        HardeningSwitchTouched {
            code: "GIT007",
            name: "hardening-switch-touched",
            summary: "A commit changes lines of a build file that mention a hardening or sandbox switch",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-693"),
            attack: Some("T1562.001"),
        }
        LoaderTrick {
            code: "GIT008",
            name: "loader-trick",
            summary: "A commit adds code that runs before main or redirects symbol resolution",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1574.006"),
        }
        GitignoreHidesSource {
            code: "GIT009",
            name: "gitignore-hides-source",
            summary: "A `.gitignore` line added by the commit hides a source-like file that is not tracked",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1564"),
        }
        MessageDiffMismatch {
            code: "GIT010",
            name: "message-diff-mismatch",
            summary: "The message prefix habitually maps to other directories, but the commit changes top-level build files",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: None,
        }
        FreshCommitterChain {
            code: "GIT011",
            name: "fresh-committer-chain",
            summary: "A new author who reaches the history only through a committer who is also new",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: None,
        }
        NewTagSigner {
            code: "GIT012",
            name: "new-tag-signer",
            summary: "The first signed release tag by a new identity, after earlier tags were signed by others",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: None,
        }
        AuthorHabitDeviation {
            code: "GIT013",
            name: "author-habit-deviation",
            summary: "A commit that departs from its author's own habits (time zone, hours, areas, size)",
            severity: Info,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: None,
        }
        DirectPushByNewcomer {
            code: "GIT014",
            name: "direct-push-by-newcomer",
            summary: "A newcomer's first change to the main line that did not come through a merge, in a project that merges",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: None,
        }
        ContentUnavailable {
            code: "GIT015",
            name: "content-unavailable",
            summary: "Some of the commit's objects are not in this (partial or shallow) clone; it was judged on what is present",
            severity: Info,
            confidence: High,
            targets: [],
            cwe: None,
            attack: None,
        }
        NewcomerNewDependency {
            code: "GIT016",
            name: "newcomer-new-dependency",
            summary: "A newcomer adds a third-party dependency the project never used before",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.001"),
        }
        DependencySourceRisk {
            code: "GIT017",
            name: "dependency-source-risk",
            summary: "A dependency is added or re-pointed to a URL/git source, or under a name that imitates a popular package",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.001"),
        }
        DependencyRegistryEvidence {
            code: "GIT018",
            name: "dependency-registry-evidence",
            summary: "With --online: a dependency a commit added was created on its registry days before the commit, by the committer, or has since been removed",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.001"),
        }
    }
    /// GitHub Actions workflows and actions (`assay scan` of a repository, `.github/`, a
    /// workflow or `action.yml`; crate `assay_ci`).
    Ci => CiRule {
        UnparseableWorkflow {
            code: "CI001",
            name: "unparseable-workflow",
            summary: "A workflow or action file that cannot be read as YAML within assay's bounds (syntax, size, depth, alias expansion)",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        TemplateInjection {
            code: "CI002",
            name: "template-injection",
            summary: "An expression expands text that someone outside the repository controls into a shell script or github-script code",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-94"),
            attack: Some("T1195.002"),
        }
        DangerousTrigger {
            code: "CI003",
            name: "dangerous-trigger",
            summary: "A workflow runs on a privileged trigger (`pull_request_target`, `workflow_run`) or checks out and runs an untrusted head on one",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        CachePoisoning {
            code: "CI004",
            name: "cache-poisoning",
            summary: "A job that publishes restores a GitHub Actions cache that other runs can write",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-349"),
            attack: Some("T1195.002"),
        }
        ArtifactPoisoning {
            code: "CI005",
            name: "artifact-poisoning",
            summary: "A `workflow_run` workflow downloads artifacts produced by the run that triggered it",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        UnpinnedAction {
            code: "CI006",
            name: "unpinned-action",
            summary: "An action or reusable workflow is used by tag or branch instead of a full commit SHA",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        UnpinnedImage {
            code: "CI007",
            name: "unpinned-image",
            summary: "A container, service or `docker://` image is used by tag instead of a digest",
            severity: Low,
            confidence: High,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        ExcessivePermissions {
            code: "CI008",
            name: "excessive-permissions",
            summary: "`write-all`, write scopes granted to every job, or no `permissions` on a privileged trigger",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-250"),
            attack: Some("T1195.002"),
        }
        SecretsInherit {
            code: "CI009",
            name: "secrets-inherit",
            summary: "A reusable workflow is called with `secrets: inherit`, handing it every secret",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: Some("CWE-200"),
            attack: Some("T1195.002"),
        }
        WholeSecretsContext {
            code: "CI010",
            name: "whole-secrets-context",
            summary: "The whole `secrets` context is serialised or indexed dynamically (`toJSON(secrets)`)",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: Some("CWE-200"),
            attack: Some("T1195.002"),
        }
        SelfHostedRunner {
            code: "CI011",
            name: "self-hosted-runner",
            summary: "A job runs on a self-hosted runner; high when outsiders can trigger it",
            severity: Low,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        CurlPipeShell {
            code: "CI012",
            name: "curl-pipe-shell",
            summary: "A `run:` script pipes a download straight into a shell or interpreter",
            severity: Low,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-494"),
            attack: Some("T1195.002"),
        }
        LongLivedPublishToken {
            code: "CI013",
            name: "long-lived-publish-token",
            summary: "A package is published with a stored token where the registry offers trusted publishing",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-798"),
            attack: Some("T1195.002"),
        }
        UntrustedEnvWrite {
            code: "CI014",
            name: "untrusted-env-write",
            summary: "A privileged workflow writes to `GITHUB_ENV` or `GITHUB_PATH`, from untrusted data when high",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-94"),
            attack: Some("T1195.002"),
        }
        AiAgentUntrustedInput {
            code: "CI015",
            name: "ai-agent-untrusted-input",
            summary: "An AI coding-agent action runs on events outsiders trigger, with their text as input",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-77"),
            attack: Some("T1195.002"),
        }
        OutsiderToPublishPath {
            code: "CI016",
            name: "outsider-to-publish-path",
            summary: "A path across jobs and workflows from code an outsider controls, through a cache or artifact, to a job that publishes",
            severity: Critical,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        UnredactedSecretField {
            code: "CI017",
            name: "unredacted-secret-field",
            summary: "A field parsed out of a secret (`fromJSON(secrets.x).y`) is not masked in logs",
            severity: Low,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-532"),
            attack: Some("T1195.002"),
        }
        InsecureCommands {
            code: "CI018",
            name: "insecure-commands",
            summary: "`ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables the deprecated `set-env`/`add-path` log commands",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: Some("CWE-94"),
            attack: Some("T1195.002"),
        }
        HardcodedContainerCredentials {
            code: "CI019",
            name: "hardcoded-container-credentials",
            summary: "A container or service registry password is written in the workflow",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: Some("CWE-798"),
            attack: Some("T1195.002"),
        }
        PersistedCheckoutCredentials {
            code: "CI020",
            name: "persisted-checkout-credentials",
            summary: "A checkout keeps its token in `.git/config` and the job uploads the workspace as an artifact",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-522"),
            attack: Some("T1195.002"),
        }
        SpoofableBotCondition {
            code: "CI021",
            name: "spoofable-bot-condition",
            summary: "A condition trusts `github.actor` being a bot, which the last actor, not the author, decides",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-290"),
            attack: Some("T1195.002"),
        }
        UnsoundCondition {
            code: "CI022",
            name: "unsound-condition",
            summary: "An `if:` mixes `${{ }}` with other text, so it is a non-empty string and always true",
            severity: Low,
            confidence: High,
            targets: [],
            cwe: Some("CWE-670"),
            attack: Some("T1195.002"),
        }
        UnsoundContains {
            code: "CI023",
            name: "unsound-contains",
            summary: "`contains()` tests a context against a string literal, a substring match an attacker can satisfy",
            severity: Low,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-697"),
            attack: Some("T1195.002"),
        }
        TagMoved {
            code: "CI024",
            name: "tag-moved",
            summary: "A tag points at another commit than the one recorded in the tag lockfile",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-494"),
            attack: Some("T1195.002"),
        }
        TagOffBranch {
            code: "CI025",
            name: "tag-off-branch",
            summary: "A tag points at a commit that no branch of the repository reaches",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-494"),
            attack: Some("T1195.002"),
        }
        TagRemoved {
            code: "CI026",
            name: "tag-removed",
            summary: "A tag recorded in the tag lockfile no longer exists",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        SecretInLog {
            code: "CI027",
            name: "secret-in-log",
            summary: "A `run:` script prints a secret to the job log: high when it prints a transformed value the runner cannot mask",
            severity: Low,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-532"),
            attack: Some("T1552.001"),
        }
        KnownVulnerableAction {
            code: "CI028",
            name: "known-vulnerable-action",
            summary: "An action is used at a version, tag or commit that a GitHub Actions advisory lists as vulnerable or compromised",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-1395"),
            attack: Some("T1195.001"),
        }
        ImpostorCommit {
            code: "CI029",
            name: "impostor-commit",
            summary: "An action pinned by commit SHA whose commit no branch or tag of the action repository reaches (`--online`)",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.001"),
        }
        RefConfusion {
            code: "CI030",
            name: "ref-confusion",
            summary: "An action used by a ref that is both a branch and a tag of the action repository (`--online`)",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: Some("CWE-706"),
            attack: Some("T1195.001"),
        }
        TagUnfamiliarAuthor {
            code: "CI031",
            name: "tag-unfamiliar-author",
            summary: "A tag's commit was authored or committed by someone new to the repository, or under a bot-like name",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-345"),
            attack: Some("T1195.002"),
        }
    }
    /// Agent skills and instruction files (`SKILL.md` folders, `CLAUDE.md`, `AGENTS.md`,
    /// agent hooks; crate `assay_agents`).
    Skill => SkillRule {
        UnparseableAgentFile {
            code: "SKILL001",
            name: "unparseable-agent-file",
            summary: "A skill, agent instruction or agent configuration file that cannot be read within assay's bounds (front matter, JSON, size, depth)",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        ModelDirectedInstruction {
            code: "SKILL002",
            name: "model-directed-instruction",
            summary: "Text the agent reads tells the model to ignore its instructions, hide something from the user, run a script before any task, or speaks as a vendor",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-77"),
            attack: Some("T1059"),
        }
        OverBroadTrigger {
            code: "SKILL003",
            name: "over-broad-trigger",
            summary: "A skill claims every request (`use this skill for ALL requests`) or stuffs its description with keywords",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: None,
            attack: None,
        }
        HiddenText {
            code: "SKILL004",
            name: "hidden-text",
            summary: "Text the model reads but a reviewer does not see: Unicode tag characters, zero-width or bidi controls, instructions in HTML comments",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-451"),
            attack: Some("T1027"),
        }
        ConfusableName {
            code: "SKILL005",
            name: "confusable-name",
            summary: "A skill or tool name mixes Latin with look-alike letters of another script",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-1007"),
            attack: Some("T1036"),
        }
        UndeclaredCapability {
            code: "SKILL006",
            name: "undeclared-capability",
            summary: "A skill's scripts do what its description does not declare: read credentials, send data out, harvest the environment",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1552.001"),
        }
        DownloadAndRun {
            code: "SKILL007",
            name: "download-and-run",
            summary: "A skill, hook or agent configuration runs code fetched at that moment: `curl | sh`, `npx -y pkg@latest`, a password-protected archive",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-494"),
            attack: Some("T1105"),
        }
        AgentConfigWrite {
            code: "SKILL008",
            name: "agent-config-write",
            summary: "A skill writes agent settings, hooks, auto-approve lists or shell start-up files, or turns approval off",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-284"),
            attack: Some("T1546.004"),
        }
        PayloadInSkillTests {
            code: "SKILL009",
            name: "payload-in-skill-tests",
            summary: "A skill's tests or `conftest.py` reach the network, read credentials or start processes: code an agent or CI runs that no reviewer reads",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        OpaqueSkillPayload {
            code: "SKILL010",
            name: "opaque-skill-payload",
            summary: "A skill ships what a reviewer cannot read in place: a native executable, bytecode the agent is told to run, or an archive whose members land outside the folder when unpacked",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
    }
    /// MCP servers: configurations, saved `tools/list` results, server source and pinned
    /// tool definitions (crate `assay_agents`).
    Mcp => McpRule {
        UnparseableMcpFile {
            code: "MCP001",
            name: "unparseable-mcp-file",
            summary: "An MCP configuration or saved tool list that cannot be read within assay's bounds",
            severity: Medium,
            confidence: High,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        ToolPoisoning {
            code: "MCP002",
            name: "tool-poisoning",
            summary: "A tool's description or schema addresses the model: reading key files, passing them as a parameter, hiding it from the user",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-77"),
            attack: Some("T1059"),
        }
        ToolShadowing {
            code: "MCP003",
            name: "tool-shadowing",
            summary: "A tool's description changes how another tool behaves (`when send_email is used, BCC …`)",
            severity: High,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-77"),
            attack: Some("T1557"),
        }
        ToxicFlow {
            code: "MCP004",
            name: "toxic-flow",
            summary: "One configuration enables a server that reads untrusted input, one that reads private data and one that can send data out",
            severity: Medium,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-200"),
            attack: None,
        }
        ServerEnvSecret {
            code: "MCP005",
            name: "server-env-secret",
            summary: "An MCP server is configured with a literal secret in its environment or arguments",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-798"),
            attack: None,
        }
        UnpinnedServerLaunch {
            code: "MCP006",
            name: "unpinned-server-launch",
            summary: "An MCP server is launched from a package spec without a pinned version (`npx -y pkg`, `uvx pkg`, `@latest`)",
            severity: Low,
            confidence: High,
            targets: [],
            cwe: Some("CWE-829"),
            attack: Some("T1195.002"),
        }
        ToolDefinitionChanged {
            code: "MCP007",
            name: "tool-definition-changed",
            summary: "A tool's definition differs from the one pinned in `assay-agents.lock` (a rug pull): description, schema, added or removed",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-494"),
            attack: Some("T1195.002"),
        }
    }
    /// Release integrity: what a release changed against the one before it (`assay diff`),
    /// what it ships that its source does not (`assay provenance`), and build scripts
    /// that unpack hidden payloads (crate `assay_release`; `REL010`, `REL011` are scan
    /// rules).
    Rel => RelRule {
        StartupHookAdded {
            code: "REL001",
            name: "startup-hook-added",
            summary: "A release adds code that runs without being called: a `.pth` line, `sitecustomize`, a `setup.py` command class, an npm lifecycle script",
            severity: High,
            confidence: High,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1546"),
        }
        NativeBinaryAdded {
            code: "REL002",
            name: "native-binary-added",
            summary: "A release of a package that shipped no native code adds an executable or shared library",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        OpaqueBlobAdded {
            code: "REL003",
            name: "opaque-blob-added",
            summary: "A release adds a high-entropy or minified file of no known format that the previous release did not have",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1027"),
        }
        EndpointAdded {
            code: "REL004",
            name: "endpoint-added",
            summary: "A release's code names a network host that the previous release's code did not",
            severity: Low,
            confidence: Low,
            targets: [],
            cwe: None,
            attack: Some("T1071"),
        }
        DependencyAdded {
            code: "REL005",
            name: "dependency-added",
            summary: "A release declares a dependency the previous release did not (high when the name imitates a popular package)",
            severity: Info,
            confidence: High,
            targets: [],
            cwe: None,
            attack: Some("T1195.001"),
        }
        NoMatchingTag {
            code: "REL006",
            name: "no-matching-tag",
            summary: "No tag of the source repository matches the published version",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: None,
            attack: Some("T1195.002"),
        }
        FileNotInSource {
            code: "REL007",
            name: "file-not-in-source",
            summary: "A published file that the tagged source tree does not have and no build step is known to generate",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        FileDiffersFromSource {
            code: "REL008",
            name: "file-differs-from-source",
            summary: "A published code file whose content differs from the same file in the tagged source tree",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        IgnoredFileShipped {
            code: "REL009",
            name: "ignored-file-shipped",
            summary: "A published file that the repository's own `.gitignore` excludes: it never went through review",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        BuildScriptPayload {
            code: "REL010",
            name: "build-script-payload",
            summary: "A build script (shell, m4, autoconf, Makefile, CMake) that carves, translates or decompresses data files into code it runs",
            severity: High,
            confidence: Medium,
            targets: [Script, Text],
            cwe: Some("CWE-506"),
            attack: Some("T1027.009"),
        }
        TestFilePayload {
            code: "REL011",
            name: "test-file-payload",
            summary: "A binary test or data file that decompresses, as it is or after a byte substitution a build script applies, to a script or an executable",
            severity: High,
            confidence: High,
            targets: [Binary, Archive, Text],
            cwe: Some("CWE-506"),
            attack: Some("T1027.009"),
        }
        WheelDiffersFromSdist {
            code: "REL012",
            name: "wheel-differs-from-sdist",
            summary: "A wheel's code file that the release's own sdist does not have, or has with other content",
            severity: Medium,
            confidence: Medium,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        TrojanisedClone {
            code: "REL013",
            name: "trojanised-clone",
            summary: "A package that imitates a popular project (its name, or its claimed repository) and adds a network or process sink to that project's code",
            severity: Critical,
            confidence: High,
            targets: [],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
    }
    /// JavaScript and npm behaviour with no Python counterpart.
    Js => JsRule {
        WormPropagation {
            code: "JS001",
            name: "worm-propagation",
            summary: "Code that takes the user's registry or GitHub token and publishes packages or pushes to repositories with it",
            severity: Critical,
            confidence: High,
            targets: [JavaScript, Python, Pth],
            by_context: [Critical, Critical, Info],
            cwe: Some("CWE-506"),
            attack: Some("T1195.002"),
        }
        AiCliAbuse {
            code: "JS002",
            name: "ai-cli-permission-bypass",
            summary: "Runs an AI coding CLI with its permission checks turned off (`--dangerously-skip-permissions`, `--yolo`, `--trust-all-tools`)",
            severity: Critical,
            confidence: High,
            targets: [JavaScript, Python, Pth],
            by_context: [Critical, Critical, Low],
            cwe: Some("CWE-506"),
            attack: Some("T1059"),
        }
        WalletAddressSwap {
            code: "JS003",
            name: "wallet-address-swap",
            summary: "Browser code that hooks `fetch`/`XMLHttpRequest`/`window.ethereum` and matches cryptocurrency addresses of several chains: a clipper that swaps the recipient",
            severity: Critical,
            confidence: High,
            targets: [JavaScript],
            cwe: Some("CWE-506"),
            attack: Some("T1565.002"),
        }
        UnparsedJavascript {
            code: "JS004",
            name: "javascript-not-inspected",
            summary: "A JavaScript file npm runs was not analysed: over the size or nesting bound, or it does not parse",
            severity: High,
            confidence: Medium,
            targets: [JavaScript],
            cwe: Some("CWE-1284"),
            attack: None,
        }
        RemoteDependency {
            code: "JS005",
            name: "remote-dependency",
            summary: "An npm package depends on a URL, git repository or local path instead of a registry version; what installs is whatever that address serves",
            severity: Medium,
            confidence: Medium,
            targets: [JavaScript],
            cwe: Some("CWE-829"),
            attack: Some("T1195.001"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_in_their_family() {
        let codes: HashSet<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        let names: HashSet<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
        for r in Rule::ALL {
            let digits = r.code().strip_prefix(r.family().prefix()).unwrap();
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{r}"
            );
            assert_eq!(Rule::from_code(r.code()), Some(*r));
            assert_eq!(Rule::find(&r.name().to_uppercase()), Some(*r));
        }
        assert_eq!(
            Rule::ALL.len(),
            PyRule::ALL.len()
                + PkgRule::ALL.len()
                + ArcRule::ALL.len()
                + IocRule::ALL.len()
                + MlRule::ALL.len()
                + DepRule::ALL.len()
                + GitRule::ALL.len()
                + CiRule::ALL.len()
                + SkillRule::ALL.len()
                + McpRule::ALL.len()
                + RelRule::ALL.len()
                + JsRule::ALL.len()
        );
        assert_eq!(
            GitRule::try_from(Rule::DecodeThenExec),
            Err(Rule::DecodeThenExec)
        );
        assert_eq!(Rule::from(GitRule::LoaderTrick), Rule::LoaderTrick);
    }

    #[test]
    fn serialises_as_code_and_name() {
        let j = serde_json::to_string(&Rule::DecodeThenExec).unwrap();
        assert_eq!(j, r#"{"code":"PY001","name":"decode-then-exec"}"#);
        let back: Rule = serde_json::from_str(&j).unwrap();
        assert_eq!(back, Rule::DecodeThenExec);
        assert!(serde_json::from_str::<Rule>(r#"{"code":"PY999","name":"x"}"#).is_err());
    }

    #[test]
    fn severity_by_context_is_declared() {
        use ExecutionContext::*;
        let r = Rule::DecodeThenExec;
        assert_eq!(r.severity_in(InstallTime), Severity::Critical);
        assert_eq!(r.severity_in(Startup), Severity::Critical);
        assert_eq!(r.severity_in(ImportTime), Severity::Critical);
        assert_eq!(r.severity_in(Runtime), Severity::High);
        assert_eq!(Rule::RawIpUrl.severity_in(ImportTime), Severity::Medium);
        // No table: the default severity in every context.
        assert_eq!(Rule::ArchiveBomb.context_severity(), None);
        assert_eq!(Rule::ArchiveBomb.severity_in(Runtime), Severity::High);
    }

    #[test]
    fn order_is_code_order() {
        let mut v = Rule::ALL.to_vec();
        v.sort();
        let codes: Vec<_> = v.iter().map(|r| r.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
    }
}
