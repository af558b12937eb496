//! JS001 worm-propagation.

use super::texts;
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding};

declare_rule! {
    /// ## What it does
    /// Flags one file that both **takes a publishing credential** — the npm token
    /// (`.npmrc`, `_authToken`, `NPM_TOKEN`) or the GitHub token (`gh auth token`,
    /// `GITHUB_TOKEN`, `GH_TOKEN`) — and **uses it to spread**: `npm publish`, the
    /// registry's `/-/whoami` and maintainer search (`/-/v1/search?text=maintainer:`),
    /// creating repositories or pushing workflows through the GitHub API
    /// (`api.github.com/user/repos`, `.github/workflows/`), or `git push`. Python and
    /// JavaScript are read alike (strings and folded command arguments).
    ///
    /// ## Why it matters
    /// This is how npm worms spread. Shai-Hulud (September and November 2025) ran from a
    /// `postinstall`/`preinstall` script, collected the npm and GitHub tokens of whoever
    /// installed it, listed the packages that token could publish, and republished each
    /// with itself inside; it also pushed a workflow that sent repository secrets out. A
    /// package's install code has no reason to publish anything.
    ///
    /// ## Example
    /// ```js
    /// // package.json: "postinstall": "node bundle.js"
    /// const t = execSync('gh auth token').toString();
    /// execSync('npm publish --access public');
    /// ```
    ///
    /// ## False positives
    /// Release tools (`semantic-release`, `np`, `lerna`, `changesets`) hold exactly this
    /// pair of capabilities, but in functions the user calls: at runtime the finding is
    /// info (listed, never counted).  In install-time or import-time code it is
    /// critical.
    ///
    /// ## References
    /// - CISA alert, "Widespread Supply Chain Compromise Impacting npm Ecosystem" (2025-09-23)
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain), T1528 (Steal Application Access Token)
    /// - CWE-506: Embedded Malicious Code
    pub static META = WormPropagation;
}

const TOKEN: &[&str] = &[
    ".npmrc",
    "_authToken",
    "NPM_TOKEN",
    "NODE_AUTH_TOKEN",
    "gh auth token",
    "GITHUB_TOKEN",
    "GH_TOKEN",
];

const SPREAD: &[&str] = &[
    "npm publish",
    "/-/whoami",
    "/-/v1/search?text=maintainer:",
    "api.github.com/user/repos",
    "/actions/workflows",
    ".github/workflows/",
    "git push",
];

/// Check one code file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    let mut token = None;
    let mut spread: Option<(String, ExecutionContext, assay_core::Location)> = None;
    for (t, ctx, loc) in texts(f) {
        if token.is_none()
            && let Some(k) = TOKEN.iter().find(|k| t.contains(*k))
        {
            token = Some(*k);
        }
        if let Some(k) = SPREAD.iter().find(|k| t.contains(*k)) {
            // The most automatic context wins (install time over runtime).
            let better = spread
                .as_ref()
                .is_none_or(|(_, c, _)| ctx.is_automatic() && !c.is_automatic());
            if better {
                spread = Some(((*k).to_owned(), ctx, loc));
            }
        }
    }
    let (Some(token), Some((how, ctx, loc))) = (token, spread) else {
        return;
    };
    let mut x = cx.finding(
        &META,
        loc,
        format!(
            "takes a publishing token ({token}) and spreads with it ({how}) at {}",
            ctx.as_str()
        ),
    );
    x.severity = META.rule.severity_in(ctx);
    x.context = Some(ctx);
    x.capabilities = vec![Capability::CredentialAccess, Capability::Network];
    out.push(x);
}
