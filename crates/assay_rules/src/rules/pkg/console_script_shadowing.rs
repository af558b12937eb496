//! PKG002 console-script-shadows-command.

use crate::context::Cx;
use assay_core::{Finding, Location};

declare_rule! {
    /// ## What it does
    /// Flags console or GUI scripts (entry points that installers put on `PATH`) named
    /// like common system or developer commands: `ls`, `cd`, `sudo`, `ssh`, `git`, `pip`,
    /// `python`, `curl`, `docker`, `kubectl`, `aws`, … The same holds for an npm package's
    /// `bin` entries, which `npm install -g` links into the global `bin` folder and
    /// `npx`/npm scripts put first on `PATH` (`node_modules/.bin`).
    ///
    /// ## Why it matters
    /// Installed into a virtualenv or `~/.local/bin` that comes first on `PATH`, such a
    /// script runs instead of the real command, seeing its arguments and secrets
    /// (e.g. `sudo` passwords, `git` credentials).
    ///
    /// ## Example
    /// ```ini
    /// [console_scripts]
    /// git = evilpkg.wrap:main
    /// ```
    ///
    /// ## False positives
    /// The real projects behind these commands (pip's `pip`, the AWS CLI's `aws`, npm's
    /// `npm` and `npx`) are exempt by name.
    ///
    /// ## References
    /// - MITRE ATT&CK T1574 (Hijack Execution Flow), T1036.005 (Match Legitimate Name)
    pub static META = ConsoleScriptShadowsCommand;
}

/// Command → projects allowed to install it.
const COMMANDS: &[(&str, &[&str])] = &[
    ("ls", &[]),
    ("cd", &[]),
    ("cp", &[]),
    ("mv", &[]),
    ("rm", &[]),
    ("cat", &[]),
    ("sudo", &[]),
    ("su", &[]),
    ("ssh", &[]),
    ("scp", &[]),
    ("sh", &[]),
    ("bash", &[]),
    ("zsh", &[]),
    ("env", &[]),
    ("id", &[]),
    ("ps", &[]),
    ("kill", &[]),
    ("curl", &[]),
    ("wget", &[]),
    ("git", &[]),
    ("gpg", &[]),
    ("openssl", &[]),
    ("make", &[]),
    ("gcc", &[]),
    ("docker", &[]),
    ("kubectl", &[]),
    ("node", &[]),
    ("npm", &["npm"]),
    ("npx", &["npm", "npx"]),
    ("apt", &[]),
    ("apt-get", &[]),
    ("brew", &[]),
    ("pip", &["pip"]),
    ("pip3", &["pip"]),
    ("python", &[]),
    ("python3", &[]),
    ("aws", &["awscli"]),
    ("gcloud", &[]),
    ("az", &["azure-cli"]),
    ("terraform", &[]),
    ("ping", &[]),
    ("passwd", &[]),
    ("chmod", &[]),
    ("chown", &[]),
    ("find", &[]),
    ("grep", &[]),
    ("tar", &[]),
    ("unzip", &[]),
    ("vim", &[]),
    ("nano", &[]),
];

/// Check script entry points.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    check_npm(cx, out);
    let project = cx
        .name()
        .map(|n| crate::typosquat::canonical(crate::typosquat::Ecosystem::PyPI, n))
        .unwrap_or_default();
    for (file, ep) in &cx.entry_points {
        if !ep.is_script() {
            continue;
        }
        // A distribution vendored inside another (a wheel inside a package, virtualenv's
        // seed wheels) is data: its scripts are not installed.
        if file.contains("!/") {
            continue;
        }
        // Only a distribution's own metadata declares scripts an installer creates: the
        // top-level `*.dist-info`/`*.egg-info` of a wheel, sdist (also under `src/`) or
        // environment. A `pip-20.3.4.dist-info` vendored deep in a package's tree
        // (`pex/vendor/_vendored/pip/…`) is installed as plain files: no script.
        if !is_own_metadata(cx.rel(file)) {
            continue;
        }
        // The distribution that declares the script: in an environment every
        // distribution has its own `*.dist-info` (pip's own `pip` script is pip's).
        // (In a wheel or sdist only the artifact's own name counts: an installer reads
        // only its own `.dist-info`.)
        let owner = (cx.artifact.format == assay_core::ArtifactFormat::Environment)
            .then(|| dist_of(file))
            .flatten()
            .map(|n| crate::typosquat::canonical(crate::typosquat::Ecosystem::PyPI, &n));
        let project = owner.unwrap_or_else(|| project.clone());
        let Some((cmd, allowed)) = COMMANDS.iter().find(|(c, _)| *c == ep.name.trim()) else {
            continue;
        };
        if allowed.contains(&project.as_str()) {
            continue;
        }
        let loc = Location {
            line: ep.line_no.map(|l| l as u32),
            ..Location::file(file.clone())
        };
        out.push(cx.finding(&META, loc, format!("script `{cmd}` = {}", ep.value)));
    }
}

/// npm `bin` entries named like a common command (the package's own `package.json`, and
/// every package of a `node_modules` tree).
fn check_npm(cx: &Cx, out: &mut Vec<Finding>) {
    for p in &cx.npm {
        let Ok(m) = &p.manifest else { continue };
        let project = m.name.as_deref().unwrap_or_default();
        for (name, file) in &m.bin {
            let Some((cmd, allowed)) = COMMANDS.iter().find(|(c, _)| *c == name.trim()) else {
                continue;
            };
            if allowed.contains(&project) {
                continue;
            }
            out.push(cx.finding(
                &META,
                Location::file(p.manifest_entry.path.clone()),
                format!("npm bin `{cmd}` = {file} (package {project})"),
            ));
        }
    }
}

/// Whether `rel` (a path below the artifact's root) is `X.dist-info/…` or `X.egg-info/…`
/// at the top level (or under `src/`, where setuptools writes an sdist's egg-info).
fn is_own_metadata(rel: &str) -> bool {
    let rel = rel.strip_prefix("src/").unwrap_or(rel);
    rel.split_once('/').is_some_and(|(dir, rest)| {
        !rest.contains('/')
            && (dir.ends_with(".dist-info") || dir.ends_with(".egg-info") || dir == "EGG-INFO")
    })
}

/// The project name of the `*.dist-info`/`*.egg-info` folder a file is in
/// (`pip-24.0.dist-info/entry_points.txt` → `pip`; PEP 427 escapes `-` in names as `_`).
fn dist_of(file: &str) -> Option<String> {
    let dir = file
        .split('/')
        .find(|c| c.ends_with(".dist-info") || c.ends_with(".egg-info"))?;
    let stem = dir.rsplit_once('.').map(|(s, _)| s)?;
    let name = stem.split('-').next().unwrap_or(stem);
    (!name.is_empty()).then(|| name.to_owned())
}
