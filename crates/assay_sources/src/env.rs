//! Installed Python environments: finding their directories without running their startup
//! code ([`locate_environment`]) and reading their site-packages as one artifact
//! ([`read_environment`]), with a sha256 of every file so that RECORD files can be verified.

use crate::disk::{self, TreeMode};
use crate::error::SourceError;
use crate::limits::{Budget, Limits};
use crate::names::RawName;
use crate::sink::{Scope, Sink};
use assay_core::{Artifact, ArtifactFormat};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where an installed Python environment keeps things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonEnv {
    /// The interpreter, as given.
    pub python: PathBuf,
    /// `sys.prefix` of the environment (the virtual environment's directory for a venv).
    pub prefix: PathBuf,
    /// Directories whose `.pth` files and packages the interpreter loads, in `sys.path`
    /// order: purelib, platlib (when different), other `site.getsitepackages()` entries,
    /// then the user site (when enabled and present). Only existing directories.
    pub site_packages: Vec<PathBuf>,
    /// The standard library directory, where a `sitecustomize.py` may also live.
    pub stdlib: Option<PathBuf>,
    /// `X.Y.Z` of the interpreter.
    pub version: String,
}

/// How long the interpreter may take to answer.
const LOCATE_TIMEOUT: Duration = Duration::from_secs(20);

/// Printed by the interpreter: its directories as JSON.
///
/// Run as `python -I -S -c SCRIPT [VENV_DIR SYSTEM_SITE]`:
/// - `-S` stops `site` from running at startup. `site.main()` is what executes `import` lines
///   in `.pth` files and imports `sitecustomize`/`usercustomize` — exactly the startup code a
///   scan of a possibly compromised environment must not run. Importing `site` explicitly
///   under `-S` only defines its functions (`main()` runs only when `sys.flags.no_site` is 0).
/// - `-I` (isolated) ignores `PYTHON*` environment variables and keeps the current directory
///   and the user site out of `sys.path`, so a hostile `json.py` next to the user cannot be
///   imported in place of the standard library.
///
/// Without `site`, a venv's `sys.prefix` is the base interpreter's (pyvenv.cfg is applied by
/// `site.venv()`), so the venv directory is found by us (see [`find_venv`]) and passed in;
/// the script then asks `sysconfig` for that prefix's layout.
const LOCATE_SCRIPT: &str = r#"
import sys, sysconfig, json, site
venv = sys.argv[1] if len(sys.argv) > 1 else ""
system = len(sys.argv) > 2 and sys.argv[2] == "1"
if venv:
    names = sysconfig.get_scheme_names()
    scheme = "venv" if "venv" in names else ("nt" if sys.platform == "win32" else "posix_prefix")
    paths = sysconfig.get_paths(scheme=scheme, vars={"base": venv, "platbase": venv})
    sites = list(site.getsitepackages([venv]))
    if system:
        sites += site.getsitepackages([sys.base_prefix, sys.base_exec_prefix])
else:
    paths = sysconfig.get_paths()
    sites = list(site.getsitepackages())
print(json.dumps({
    "prefix": venv or sys.prefix,
    "base_prefix": sys.base_prefix,
    "purelib": paths.get("purelib"),
    "platlib": paths.get("platlib"),
    "stdlib": paths.get("stdlib"),
    "sitepackages": sites,
    "usersite": site.getusersitepackages(),
    "version": "%d.%d.%d" % sys.version_info[:3],
}))
"#;

/// Find the directories of the Python environment of interpreter `python` (a path, or a
/// command name looked up on `PATH`), without running the environment's startup code: the
/// interpreter is run as `python -I -S -c <script>` (see the `LOCATE_SCRIPT` docs for why)
/// with a 20-second timeout, and prints its `sysconfig`/`site` paths as JSON. Virtual
/// environments (PEP 405: a `pyvenv.cfg` beside the interpreter or one level up) are
/// detected here.
///
/// # Errors
/// [`SourceError::PythonSpawn`] when the interpreter cannot be started,
/// [`SourceError::PythonTimeout`], [`SourceError::PythonFailed`] (non-zero exit) and
/// [`SourceError::PythonOutput`] (an answer that is not the expected JSON).
pub fn locate_environment(python: &Path) -> Result<PythonEnv, SourceError> {
    let venv = find_venv(python);
    let mut cmd = Command::new(python);
    cmd.args(["-I", "-S", "-c", LOCATE_SCRIPT]);
    if let Some((dir, system)) = &venv {
        cmd.arg(dir).arg(if *system { "1" } else { "0" });
    }
    let out = run_with_timeout(python, cmd, LOCATE_TIMEOUT)?;
    let bad = |reason: String| SourceError::PythonOutput {
        python: python.to_path_buf(),
        reason,
    };
    let json: serde_json::Value =
        serde_json::from_slice(&out).map_err(|e| bad(format!("not JSON: {e}")))?;
    let text = |key: &str| {
        json.get(key)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
    };
    let prefix = text("prefix").ok_or_else(|| bad("no `prefix`".into()))?;
    let version = json
        .get("version")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    let mut candidates: Vec<PathBuf> = [text("purelib"), text("platlib")]
        .into_iter()
        .flatten()
        .collect();
    if let Some(list) = json.get("sitepackages").and_then(|v| v.as_array()) {
        candidates.extend(list.iter().filter_map(|v| v.as_str()).map(PathBuf::from));
    }
    // The user site is on sys.path unless a venv hides the system site (PEP 370, site.py).
    if venv.as_ref().is_none_or(|(_, system)| *system) {
        candidates.extend(text("usersite"));
    }
    // Deduplicate by canonical path: venvs often have `lib64 -> lib`, which would otherwise
    // read the same directory twice.
    let mut site_packages: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for c in candidates {
        let Ok(real) = fs_err::canonicalize(&c) else {
            continue;
        };
        if real.is_dir() && !seen.contains(&real) {
            seen.push(real);
            site_packages.push(c);
        }
    }
    let stdlib = text("stdlib").filter(|p| p.is_dir());
    Ok(PythonEnv {
        python: python.to_path_buf(),
        prefix,
        site_packages,
        stdlib,
        version,
    })
}

/// The venv directory and its `include-system-site-packages` flag, when `python` lives in a
/// virtual environment (PEP 405: `pyvenv.cfg` in the interpreter's directory or its parent).
fn find_venv(python: &Path) -> Option<(PathBuf, bool)> {
    let bin = python.parent().filter(|p| !p.as_os_str().is_empty())?;
    for dir in [Some(bin), bin.parent()].into_iter().flatten() {
        let cfg = dir.join("pyvenv.cfg");
        let Ok(text) = fs_err::read_to_string(&cfg) else {
            continue;
        };
        let system = text.lines().take(1000).any(|line| {
            let mut kv = line.splitn(2, '=');
            let key = kv.next().unwrap_or_default().trim();
            let value = kv.next().unwrap_or_default().trim();
            key.eq_ignore_ascii_case("include-system-site-packages")
                && value.eq_ignore_ascii_case("true")
        });
        return Some((dir.to_path_buf(), system));
    }
    None
}

/// Run `cmd`, collecting at most 1 MiB of stdout; kill it after `timeout`.
fn run_with_timeout(
    python: &Path,
    mut cmd: Command,
    timeout: Duration,
) -> Result<Vec<u8>, SourceError> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| SourceError::PythonSpawn {
            python: python.to_path_buf(),
            source,
        })?;
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let stdout = child
        .stdout
        .take()
        .map(|s| std::thread::spawn(move || drain(s, 1 << 20)));
    let stderr = child
        .stderr
        .take()
        .map(|s| std::thread::spawn(move || drain(s, 64 << 10)));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                // Our own child, by its handle: kill and reap it.
                let _ = child.kill();
                let _ = child.wait();
                return Err(SourceError::PythonTimeout {
                    python: python.to_path_buf(),
                    seconds: timeout.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(source) => {
                return Err(SourceError::PythonSpawn {
                    python: python.to_path_buf(),
                    source,
                });
            }
        }
    };
    let out = stdout.and_then(|h| h.join().ok()).unwrap_or_default();
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    if !status.success() {
        let text = String::from_utf8_lossy(&err);
        let tail: String = text
            .trim()
            .lines()
            .last()
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        return Err(SourceError::PythonFailed {
            python: python.to_path_buf(),
            status: status.to_string(),
            stderr: tail,
        });
    }
    Ok(out)
}

/// Read up to `max` bytes, then discard the rest until the writer closes.
fn drain(mut r: impl Read, max: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = r.by_ref().take(max).read_to_end(&mut buf);
    let _ = std::io::copy(&mut r, &mut std::io::sink());
    buf
}

/// Read an installed environment as one [`Artifact`] of format `Environment`.
///
/// Entries are every entry under each of `env.site_packages`, with paths relative to that
/// directory (so `foo-1.0.dist-info/RECORD` lines up with the paths it lists); entries of the
/// second and later directories are prefixed `<directory>!/`. `sitecustomize.py` and
/// `usercustomize.py` in the stdlib directory are added as `stdlib/<name>`. Every regular file
/// gets a streamed sha256 (for PEP 376/627 RECORD verification) while content is kept under
/// the usual policy; files under `__pycache__/` keep only their head. Symlinks are recorded
/// as [`assay_core::EntryKind::Symlink`] without being followed. The artifact's `path` is the
/// interpreter as given and `env_prefix` is `env.prefix`.
///
/// # Errors
/// [`SourceError`] when a site-packages directory cannot be listed.
pub fn read_environment(env: &PythonEnv, limits: &Limits) -> Result<Artifact, SourceError> {
    let budget = Budget::new(limits.max_total_bytes);
    let mut sink = Sink::new(limits, &budget);
    sink.pycache_head_only = true;
    let mode = TreeMode {
        report_links: false,
        hash: true,
        skip_node_modules: false,
    };
    for (i, dir) in env.site_packages.iter().enumerate() {
        let scope = if i == 0 {
            Scope::root("")
        } else {
            Scope::labelled(&dir.to_string_lossy().replace('\\', "/"))
        };
        disk::read_tree(&mut sink, dir, &scope, mode)?;
    }
    if let Some(stdlib) = &env.stdlib {
        for name in ["sitecustomize.py", "usercustomize.py"] {
            let path = stdlib.join(name);
            if !path.is_file() {
                continue;
            }
            let root = Scope::root("");
            if let Some(adm) = sink.admit(
                &root,
                &RawName::from_bytes(format!("stdlib/{name}").as_bytes()),
            ) {
                disk::read_path(&mut sink, &root, adm, &path, true);
            }
        }
    }
    let python = env.python.to_string_lossy().into_owned();
    let mut artifact = Artifact::new(python, ArtifactFormat::Environment);
    artifact.env_prefix = Some(env.prefix.to_string_lossy().into_owned());
    artifact.entries = sink.entries;
    artifact.findings = sink.findings;
    Ok(artifact)
}
