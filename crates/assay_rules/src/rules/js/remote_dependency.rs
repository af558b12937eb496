//! JS005 remote-dependency.

use crate::context::Cx;
use assay_core::{Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Reads the `dependencies` and `optionalDependencies` of each npm package's
    /// `package.json` and flags those that name an address rather than a registry version:
    /// an `http://` or `https://` tarball URL (high: fetched from that server at install,
    /// outside the registry, its lockfile integrity, and every advisory database), a git
    /// repository (`git+https://`, `git://`, `github:user/repo`, `user/repo`; medium),
    /// or a local path (`file:`, `link:`; low in a published package, where it cannot
    /// resolve).
    ///
    /// ## Why it matters
    /// The PhantomRaven campaign (2025) published 126 npm packages whose code was clean:
    /// their `dependencies` pointed at `http://` URLs that served the stealer to
    /// installers only, so registry scanners never saw it. A git dependency can change
    /// under the same name at any push.
    ///
    /// ## Example
    /// ```json
    /// {"dependencies": {"ui-styles-pkg": "http://example.invalid/npm/ui-styles-pkg.tgz"}}
    /// ```
    ///
    /// ## False positives
    /// Forks pinned to a commit (`github:user/repo#<40-hex sha>`) are lower risk and
    /// reported low. `devDependencies` and `peerDependencies` are not installed for a
    /// consumer and are not read.
    ///
    /// ## References
    /// - Koi Security, "PhantomRaven: npm malware hidden in invisible dependencies" (2025-10)
    /// - npm docs, package.json "URLs as Dependencies", "Git URLs as Dependencies"
    /// - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
    pub static META = RemoteDependency;
}

/// The risk of one dependency spec, or `None` for a registry range or tag.
pub fn classify(spec: &str) -> Option<(Severity, &'static str)> {
    let s = spec.trim();
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some((Severity::High, "a tarball URL"));
    }
    let pinned = |s: &str| {
        s.rsplit_once('#')
            .is_some_and(|(_, r)| r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit()))
    };
    if lower.starts_with("git+")
        || lower.starts_with("git://")
        || lower.starts_with("github:")
        || lower.starts_with("gitlab:")
        || lower.starts_with("bitbucket:")
        || (!s.starts_with('@')
            && s.contains('/')
            && !s.contains(' ')
            && !s.starts_with('.')
            && !lower.starts_with("npm:")
            && !lower.starts_with("file:")
            && !lower.starts_with("link:")
            && !lower.starts_with("workspace:"))
    {
        return Some(if pinned(s) {
            (Severity::Low, "a git repository pinned to a commit")
        } else {
            (Severity::Medium, "a git repository")
        });
    }
    if lower.starts_with("file:") || lower.starts_with("link:") {
        return Some((Severity::Low, "a local path"));
    }
    None
}

/// Check every npm package's runtime dependencies.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.npm {
        let Ok(m) = &p.manifest else { continue };
        for (table, name, spec) in &m.dependencies {
            if !matches!(table.as_str(), "dependencies" | "optionalDependencies") {
                continue;
            }
            let Some((sev, what)) = classify(spec) else {
                continue;
            };
            let mut x = cx.finding(
                &META,
                Location::file(&p.manifest_entry.path),
                format!(
                    "`{name}` is installed from {what}: {}",
                    spec.chars().take(200).collect::<String>()
                ),
            );
            x.severity = sev;
            out.push(x);
        }
    }
}
