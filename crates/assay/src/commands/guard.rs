//! `assay guard -- <installer command>`: download what the installer would install into a
//! fresh directory without installing it, check it (the dependency audit on the resolved
//! set plus `scan` on every downloaded file), and install from exactly those files only
//! when nothing reaches `--fail-on`.
//!
//! Security decisions (also in `docs/guard.md`):
//! - pip resolves with `pip download --only-binary=:all:`: preparing an sdist (or a
//!   local/VCS/URL requirement) makes pip run the package's build backend, i.e. its own
//!   code, before anything was scanned. Such requirements are refused unless the user
//!   passes `--allow-sdist-build`.
//! - pip installs with `--no-index --find-links DIR --require-hashes -r LOCK`, where LOCK
//!   pins every downloaded file by name, version and the SHA-256 of the bytes assay read,
//!   so the installer can take nothing but the scanned files.
//! - npm resolves with `npm install --package-lock-only --ignore-scripts` in a temporary
//!   copy of the project, fetches each tarball with `npm pack --ignore-scripts` into a
//!   private cache, checks each tarball against the lockfile's `integrity`, and installs
//!   from that lockfile with `--offline` and the private cache: npm verifies every tarball
//!   against the same `integrity`, so only scanned tarballs can be installed. npm then
//!   runs the packages' install scripts as usual (unless the user asked otherwise):
//!   gating them on the scan is the point.

use crate::cli::GuardArgs;
use anyhow::{Context, bail};
use assay_core::{ArtifactReport, Report};
use assay_deps::lock::{Dependency, Ecosystem, Kind, Lockfile};
use assay_policy::{Date, Policy};
use assay_sources::{Input, Limits};
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha512};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Most files taken from one download directory.
const MAX_DOWNLOADS: usize = 10_000;
/// Deepest `-r`/`-c` include chain read when vetting requirement files.
const MAX_INCLUDE_DEPTH: usize = 8;
/// Largest requirement file read when vetting it, in bytes.
const MAX_REQ_BYTES: u64 = 8 << 20;
/// Most `npm pack` specs per `npm pack` run.
const PACK_BATCH: usize = 64;

/// Run `assay guard`.
pub fn run(args: &GuardArgs) -> anyhow::Result<u8> {
    let inst = parse_command(&args.command, args.python.as_deref())?;
    let policy = super::scan::load_policy(&args.output, &[])?;
    let (db, advisory) = super::deps::open_db(args.db.as_deref())?;
    if let Some(db) = &db {
        super::deps::install_iocs(db)?;
    }
    let work = tempfile::Builder::new()
        .prefix("assay-guard-")
        .tempdir()
        .context("creating a temporary directory")?;
    let dl = match &args.keep {
        Some(k) => {
            fs_err::create_dir_all(k)?;
            if fs_err::read_dir(k)?.next().is_some() {
                bail!("--keep {}: directory is not empty", k.display());
            }
            k.clone()
        }
        None => {
            let d = work.path().join("download");
            fs_err::create_dir(&d)?;
            d
        }
    };
    let checked = match &inst {
        Installer::Pip(p) => {
            p.vet(args.allow_sdist_build)?;
            if let Some(code) = p.download(&dl, args.allow_sdist_build)? {
                return Ok(code);
            }
            check_pip(&dl, args.keep.is_some(), &policy, db.as_ref())?
        }
        Installer::Npm(n) => {
            let project = work.path().join("project");
            let cache = work.path().join("npm-cache");
            fs_err::create_dir(&project)?;
            match n.resolve(&project, &cache, &dl)? {
                Err(code) => return Ok(code),
                Ok(lock) => check_npm(
                    &dl,
                    args.keep.is_some(),
                    &project,
                    &lock,
                    &policy,
                    db.as_ref(),
                )?,
            }
        }
    };
    let (mut report, resolved) = checked;
    report.advisory_data = Some(advisory);
    report.config = policy.source.as_ref().map(|p| p.display().to_string());
    super::scan::emit(&report, &args.output)?;
    let code = super::scan::exit_code(&report, &args.output);
    if code != crate::EXIT_OK {
        eprintln!(
            "assay: guard: not installing: findings reached --fail-on {}",
            args.output.fail_on
        );
        return Ok(code);
    }
    eprintln!("assay: guard: {resolved} checked; installing");
    let ok = match &inst {
        Installer::Pip(p) => p.install(&dl, work.path(), args.allow_sdist_build)?,
        Installer::Npm(n) => n.install(work.path())?,
    };
    if ok {
        Ok(crate::EXIT_OK)
    } else {
        eprintln!("assay: error: the installer failed after the check");
        Ok(crate::EXIT_ERROR)
    }
}

/// The recognised installer command.
#[derive(Debug)]
enum Installer {
    Pip(Pip),
    Npm(Npm),
}

fn base(s: &str) -> &str {
    Path::new(s)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(s)
}

fn is_pip_name(n: &str) -> bool {
    n == "pip"
        || n.strip_prefix("pip")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Recognise `argv` as one of the supported installer commands.
fn parse_command(argv: &[String], python: Option<&Path>) -> anyhow::Result<Installer> {
    let s: Vec<&str> = argv.iter().map(String::as_str).collect();
    let py = |default: &str| {
        python
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| default.to_owned())
    };
    match s.as_slice() {
        [prog, "-m", "pip", "install", rest @ ..] => {
            let p = py(prog);
            Pip::parse(
                vec![p, "-m".into(), "pip".into()],
                vec![(*prog).into(), "-m".into(), "pip".into()],
                rest,
                false,
            )
            .map(Installer::Pip)
        }
        [prog, "pip", "install", rest @ ..] if base(prog) == "uv" => Pip::parse(
            vec![py("python3"), "-m".into(), "pip".into()],
            vec![(*prog).into(), "pip".into()],
            rest,
            true,
        )
        .map(Installer::Pip),
        [prog, "install", rest @ ..] if is_pip_name(base(prog)) => {
            let dl = match python {
                Some(p) => vec![p.display().to_string(), "-m".into(), "pip".into()],
                None => vec![(*prog).into()],
            };
            Pip::parse(dl, vec![(*prog).into()], rest, false).map(Installer::Pip)
        }
        [prog, "install" | "i" | "add", rest @ ..] if base(prog) == "npm" => {
            Npm::parse(prog, rest).map(Installer::Npm)
        }
        _ => bail!(
            "not a supported installer command: `{}` (expected `pip install …`, `python -m pip install …`, `uv pip install …` or `npm install …`)",
            argv.join(" ")
        ),
    }
}

// ------------------------------------------------------------------------------ pip

/// A parsed `pip install` / `uv pip install`.
#[derive(Debug)]
struct Pip {
    /// Program and leading arguments that reach `pip` for the download.
    downloader: Vec<String>,
    /// Program and leading arguments before `install` for the installation.
    installer: Vec<String>,
    /// `uv pip install` rather than pip.
    uv: bool,
    /// Arguments that shape resolution, passed to `pip download` only.
    resolve: Vec<String>,
    /// Arguments passed to the installation only.
    install: Vec<String>,
    /// Requirement specifiers given on the command line.
    specs: Vec<String>,
    /// `-r` / `-c` files.
    req_files: Vec<PathBuf>,
    /// `--no-deps`.
    no_deps: bool,
    /// Options that make pip build or prepare source (refused without
    /// `--allow-sdist-build`).
    builds: Vec<String>,
}

/// pip options taking a value that shape resolution (given to `pip download`).
const PIP_RESOLVE_VALUE: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--proxy",
    "--timeout",
    "--retries",
];
/// pip flags that shape resolution.
const PIP_RESOLVE_FLAG: &[&str] = &[
    "--pre",
    "--no-index",
    "--require-hashes",
    "--prefer-binary",
    "--isolated",
    "--no-cache-dir",
];
/// Flags given to both steps.
const PIP_BOTH_FLAG: &[&str] = &[
    "-q",
    "--quiet",
    "-v",
    "--verbose",
    "--disable-pip-version-check",
];
/// Options taking a value given to the installation only.
const PIP_INSTALL_VALUE: &[&str] = &[
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--upgrade-strategy",
    "--python",
    "-p",
];
/// Flags given to the installation only.
const PIP_INSTALL_FLAG: &[&str] = &[
    "-U",
    "--upgrade",
    "--force-reinstall",
    "-I",
    "--ignore-installed",
    "--user",
    "--no-warn-script-location",
    "--no-warn-conflicts",
    "--break-system-packages",
    "--no-compile",
    "--compile",
    "--system",
];
/// Options that let pip build from source or change how it builds.
const PIP_BUILD_OPTS: &[&str] = &[
    "-e",
    "--editable",
    "--no-binary",
    "--only-binary",
    "--no-build-isolation",
    "--use-pep517",
    "--config-settings",
    "-C",
    "--global-option",
    "--install-option",
];
const PIP_BUILD_VALUE: &[&str] = &[
    "-e",
    "--editable",
    "--no-binary",
    "--only-binary",
    "--config-settings",
    "-C",
    "--global-option",
    "--install-option",
];

impl Pip {
    fn parse(
        downloader: Vec<String>,
        installer: Vec<String>,
        args: &[&str],
        uv: bool,
    ) -> anyhow::Result<Pip> {
        let mut p = Pip {
            downloader,
            installer,
            uv,
            resolve: Vec::new(),
            install: Vec::new(),
            specs: Vec::new(),
            req_files: Vec::new(),
            no_deps: false,
            builds: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(&a) = it.next() {
            if !a.starts_with('-') || a == "-" {
                if is_direct_reference(a) && !a.ends_with(".whl") {
                    p.builds.push(a.to_owned());
                }
                p.specs.push(a.to_owned());
                continue;
            }
            let (opt, inline) = match a.split_once('=') {
                Some((o, v)) if o.starts_with("--") => (o, Some(v.to_owned())),
                _ => (a, None),
            };
            let mut value = || -> anyhow::Result<String> {
                match &inline {
                    Some(v) => Ok(v.clone()),
                    None => it
                        .next()
                        .map(|v| (*v).to_owned())
                        .with_context(|| format!("pip option {opt} needs a value")),
                }
            };
            if PIP_RESOLVE_VALUE.contains(&opt) {
                let v = value()?;
                if matches!(opt, "-r" | "--requirement" | "-c" | "--constraint") {
                    p.req_files.push(PathBuf::from(&v));
                }
                p.resolve.push(opt.to_owned());
                p.resolve.push(v);
            } else if PIP_RESOLVE_FLAG.contains(&opt) {
                p.resolve.push(opt.to_owned());
            } else if opt == "--no-deps" {
                p.no_deps = true;
            } else if PIP_BOTH_FLAG.contains(&opt) {
                p.resolve.push(opt.to_owned());
                p.install.push(opt.to_owned());
            } else if PIP_INSTALL_VALUE.contains(&opt) {
                let v = value()?;
                p.install.push(opt.to_owned());
                p.install.push(v);
            } else if PIP_INSTALL_FLAG.contains(&opt) {
                p.install.push(opt.to_owned());
            } else if PIP_BUILD_OPTS.contains(&opt) {
                if PIP_BUILD_VALUE.contains(&opt) {
                    let v = value()?;
                    p.builds.push(format!("{opt} {v}"));
                    p.resolve.push(opt.to_owned());
                    p.resolve.push(v);
                } else {
                    p.builds.push(opt.to_owned());
                    p.resolve.push(opt.to_owned());
                }
            } else {
                bail!(
                    "assay guard does not know the pip option `{a}`; refusing rather than guessing whether it changes what gets installed"
                );
            }
        }
        if p.specs.is_empty() && !has_requirement(&p.resolve) {
            bail!("nothing to install: give requirement specifiers or -r FILE");
        }
        Ok(p)
    }

    /// Refuse build-enabling options and direct references, on the command line or in
    /// requirement files, unless the user opted in.
    fn vet(&self, allow_build: bool) -> anyhow::Result<()> {
        let mut found = self.builds.clone();
        let mut queue: Vec<(PathBuf, usize)> =
            self.req_files.iter().map(|f| (f.clone(), 0)).collect();
        let mut n = 0;
        while let Some((f, depth)) = queue.pop() {
            n += 1;
            if n > 1_000 {
                bail!("more than 1000 requirement files included");
            }
            let meta = fs_err::metadata(&f)?;
            if meta.len() > MAX_REQ_BYTES {
                bail!("{}: over {MAX_REQ_BYTES} bytes", f.display());
            }
            let text = fs_err::read_to_string(&f)?;
            for (i, line) in text.lines().enumerate() {
                let line = line.split(" #").next().unwrap_or("").trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let first = line.split_whitespace().next().unwrap_or("");
                let opt = first.split('=').next().unwrap_or(first);
                let at = format!("{}:{}", f.display(), i + 1);
                if PIP_BUILD_OPTS.contains(&opt) {
                    found.push(format!("{at}: {line}"));
                } else if matches!(opt, "-r" | "--requirement" | "-c" | "--constraint") {
                    let target = line[first.len()..].trim();
                    let target = if target.is_empty() {
                        first.split_once('=').map(|x| x.1).unwrap_or("")
                    } else {
                        target
                    };
                    if depth < MAX_INCLUDE_DEPTH && !target.is_empty() {
                        let base = f.parent().unwrap_or(Path::new("."));
                        queue.push((base.join(target), depth + 1));
                    }
                } else if !line.starts_with('-') {
                    let req = line.split(';').next().unwrap_or("").trim();
                    let req = req.split(" --hash").next().unwrap_or(req).trim();
                    if is_direct_reference(req) && !req.ends_with(".whl") {
                        found.push(format!("{at}: {req}"));
                    }
                }
            }
        }
        if found.is_empty() || allow_build {
            return Ok(());
        }
        bail!(
            "refusing to resolve requirements that make pip build from source (it would run the package's own build code before assay has scanned it): {}; pass --allow-sdist-build to accept that risk",
            found.join(", ")
        )
    }

    /// `pip download --dest DL`; `Ok(Some(exit code))` when it failed.
    fn download(&self, dl: &Path, allow_build: bool) -> anyhow::Result<Option<u8>> {
        let (prog, lead) = split_prog(&self.downloader)?;
        let mut c = Command::new(prog);
        crate::memory::clean_env(&mut c);
        c.args(lead).arg("download").arg("--dest").arg(dl);
        if !allow_build {
            c.arg("--only-binary=:all:");
        }
        if self.no_deps {
            c.arg("--no-deps");
        }
        c.args(&self.resolve).args(&self.specs);
        // Config and environment cannot re-enable source builds behind our back:
        // `--only-binary=:all:` on the command line overrides `no-binary` from pip.conf.
        c.env_remove("PIP_NO_BINARY")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .stdin(Stdio::null());
        eprintln!("assay: guard: resolving: {}", show(&c));
        let out = c
            .output()
            .with_context(|| format!("running {} (is pip installed?)", prog))?;
        if out.status.success() {
            return Ok(None);
        }
        let err = String::from_utf8_lossy(&out.stderr);
        eprint!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{err}");
        let missing: Vec<&str> = err
            .lines()
            .filter_map(|l| l.split("No matching distribution found for ").nth(1))
            .map(str::trim)
            .collect();
        if !missing.is_empty() && !allow_build {
            eprintln!(
                "assay: error: no wheel found for {}: it may exist only as an sdist, and resolving an sdist makes pip run its build code (setup.py) before assay can scan it. Pass --allow-sdist-build to accept that risk.",
                missing.join(", ")
            );
        } else {
            eprintln!("assay: error: pip download failed ({})", out.status);
        }
        Ok(Some(crate::EXIT_ERROR))
    }

    /// Install from exactly the downloaded files, pinned by their SHA-256.
    fn install(&self, dl: &Path, work: &Path, allow_build: bool) -> anyhow::Result<bool> {
        let lock = work.join("guard-requirements.txt");
        let mut text = String::from("# written by assay guard: the checked files, pinned\n");
        for f in downloads(dl)? {
            let Some((name, version)) = dist_name_version(&f) else {
                bail!("{}: cannot tell the package name and version", f.display());
            };
            let sha = hex(&Sha256::digest(fs_err::read(&f)?));
            text.push_str(&format!("{name}=={version} --hash=sha256:{sha}\n"));
        }
        fs_err::write(&lock, text)?;
        let (prog, lead) = split_prog(&self.installer)?;
        let mut c = Command::new(prog);
        crate::memory::clean_env(&mut c);
        c.args(lead)
            .arg("install")
            .arg("--no-index")
            .arg("--find-links")
            .arg(dl)
            .arg("--require-hashes")
            .arg("-r")
            .arg(&lock);
        if !allow_build && !self.uv {
            c.arg("--only-binary=:all:");
        }
        if self.no_deps {
            c.arg("--no-deps");
        }
        c.args(&self.install)
            .env_remove("PIP_NO_BINARY")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::io::stderr()));
        eprintln!("assay: guard: installing: {}", show(&c));
        let st = c.status().with_context(|| format!("running {prog}"))?;
        Ok(st.success())
    }
}

fn has_requirement(resolve: &[String]) -> bool {
    resolve
        .iter()
        .any(|a| matches!(a.as_str(), "-r" | "--requirement" | "-e" | "--editable"))
}

/// A requirement naming a URL, a path or an archive file rather than a name on an index.
fn is_direct_reference(req: &str) -> bool {
    let r = req.trim();
    r.contains("://")
        || r.contains(" @ ")
        || r.contains('@')
            && !r.contains("==")
            && r.split('@').nth(1).is_some_and(|x| x.contains(':'))
        || r.starts_with('.')
        || r.starts_with('/')
        || r.starts_with('~')
        || r.contains(std::path::MAIN_SEPARATOR)
        || r.ends_with(".zip")
        || r.ends_with(".tar.gz")
        || r.ends_with(".tgz")
        || r.ends_with(".whl")
}

fn split_prog(v: &[String]) -> anyhow::Result<(&str, &[String])> {
    match v.split_first() {
        Some((p, rest)) => Ok((p.as_str(), rest)),
        None => bail!("empty installer command"),
    }
}

fn show(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The files in the download directory, sorted.
fn downloads(dl: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in fs_err::read_dir(dl)? {
        let e = e?;
        if e.file_type()?.is_file() {
            if out.len() >= MAX_DOWNLOADS {
                bail!("{}: more than {MAX_DOWNLOADS} files", dl.display());
            }
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Name and version from a wheel (PEP 427) or sdist (PEP 625) file name.
fn dist_name_version(f: &Path) -> Option<(String, String)> {
    let n = f.file_name()?.to_str()?;
    if let Some(stem) = n.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        return Some((parts.next()?.to_owned(), parts.next()?.to_owned()));
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz"]
        .iter()
        .find_map(|s| n.strip_suffix(s))?;
    let (name, version) = stem.rsplit_once('-')?;
    Some((name.to_owned(), version.to_owned()))
}

/// Scan every file of `dl` and report each; `(artifact reports, used suppressions)`.
fn scan_downloads(
    dl: &Path,
    keep: bool,
    policy: &Policy,
) -> anyhow::Result<(Vec<ArtifactReport>, Vec<usize>)> {
    let limits = Limits::default();
    let today = Date::today_utc();
    let today = (today.year, today.month, today.day);
    let mut arts = Vec::new();
    let mut used = Vec::new();
    for f in downloads(dl)? {
        // The file name: the temporary directory means nothing once it is gone.
        let display = match keep {
            true => f.display().to_string(),
            false => f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        };
        let art = assay_sources::read_input(&Input::Archive(f.clone()), &display, &limits)
            .with_context(|| format!("reading {display}"))?;
        let (r, u) = super::scan::judge(art, policy, today);
        arts.push(r);
        used.extend(u);
    }
    Ok((arts, used))
}

/// The dependency audit of a resolved set as one artifact named `label`.
fn audit_artifact(
    label: &str,
    lf: &Lockfile,
    policy: &Policy,
    db: Option<&assay_deps::db::Db>,
    used: &mut Vec<usize>,
) -> anyhow::Result<ArtifactReport> {
    let today = Date::today_utc();
    let today = (today.year, today.month, today.day);
    let audit = assay_deps::audit::audit_lockfile(label, lf, db)?;
    Ok(super::deps::audit_report(
        label.to_owned(),
        audit,
        policy,
        used,
        today,
    ))
}

fn finish(mut arts: Vec<ArtifactReport>, policy: &Policy, mut used: Vec<usize>) -> Report {
    used.sort_unstable();
    used.dedup();
    let unused = policy.unused(&used);
    arts.rotate_right(1); // the resolved set first, then the files
    Report::new(arts, unused)
}

/// Scan the downloads and audit the resolved set; `(report, "N packages")`.
fn check_pip(
    dl: &Path,
    keep: bool,
    policy: &Policy,
    db: Option<&assay_deps::db::Db>,
) -> anyhow::Result<(Report, String)> {
    let (mut arts, mut used) = scan_downloads(dl, keep, policy)?;
    let mut lf = Lockfile::default();
    for (f, a) in downloads(dl)?.iter().zip(&arts) {
        let nv = match (&a.name, &a.version) {
            (Some(n), Some(v)) => Some((n.clone(), v.clone())),
            _ => dist_name_version(f),
        };
        if let Some((n, v)) = nv {
            lf.deps.push(Dependency::pinned(Ecosystem::PyPI, &n, &v));
        }
    }
    let n = lf.deps.len();
    let resolved = audit_artifact("resolved packages (pip)", &lf, policy, db, &mut used)?;
    arts.push(resolved);
    Ok((finish(arts, policy, used), format!("{n} packages")))
}

// ------------------------------------------------------------------------------ npm

/// A parsed `npm install`.
#[derive(Debug)]
struct Npm {
    /// The npm program.
    prog: String,
    /// Package specs.
    specs: Vec<String>,
    /// Options passed to every npm step (`--registry`, `--userconfig`, …).
    common: Vec<String>,
    /// Options passed to the resolution and the installation (`--save-dev`, …).
    install: Vec<String>,
}

/// npm options with a value passed to every step.
const NPM_COMMON_VALUE: &[&str] = &["--registry", "--userconfig", "--globalconfig"];
/// npm flags that shape what is saved and installed.
const NPM_INSTALL_FLAG: &[&str] = &[
    "-D",
    "--save-dev",
    "-O",
    "--save-optional",
    "-P",
    "--save-prod",
    "-E",
    "--save-exact",
    "--ignore-scripts",
    "--legacy-peer-deps",
    "--strict-peer-deps",
    "--no-audit",
    "--no-fund",
    "--omit=dev",
    "--include=dev",
    "-q",
    "--quiet",
    "--silent",
];

/// The flags of [`NPM_INSTALL_FLAG`] that matter to the final installation (the `--save-*`
/// ones were applied to `package.json` during resolution).
const NPM_INSTALL_STEP: &[&str] = &[
    "--ignore-scripts",
    "--legacy-peer-deps",
    "--strict-peer-deps",
    "--omit=dev",
    "--include=dev",
    "-q",
    "--quiet",
    "--silent",
];

impl Npm {
    fn parse(prog: &str, args: &[&str]) -> anyhow::Result<Npm> {
        let mut n = Npm {
            prog: prog.to_owned(),
            specs: Vec::new(),
            common: Vec::new(),
            install: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(&a) = it.next() {
            if !a.starts_with('-') {
                n.specs.push(a.to_owned());
                continue;
            }
            let (opt, inline) = match a.split_once('=') {
                Some((o, v)) => (o, Some(v.to_owned())),
                None => (a, None),
            };
            if NPM_COMMON_VALUE.contains(&opt) {
                let v = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .map(|v| (*v).to_owned())
                        .with_context(|| format!("npm option {opt} needs a value"))?,
                };
                n.common.push(format!("{opt}={v}"));
            } else if NPM_INSTALL_FLAG.contains(&a) {
                n.install.push(a.to_owned());
            } else if matches!(a, "-g" | "--global") {
                bail!("assay guard does not support global npm installs (-g)");
            } else {
                bail!(
                    "assay guard does not know the npm option `{a}`; refusing rather than guessing whether it changes what gets installed"
                );
            }
        }
        Ok(n)
    }

    fn cmd(&self, dir: &Path, cache: &Path) -> Command {
        let mut c = Command::new(&self.prog);
        crate::memory::clean_env(&mut c);
        c.current_dir(dir)
            .arg("--cache")
            .arg(cache)
            .args(&self.common)
            .env("npm_config_update_notifier", "false")
            .stdin(Stdio::null());
        c
    }

    /// Resolve in a copy of the project, then fetch every tarball into `dl`. Returns the
    /// lockfile's bytes, or the exit code on failure.
    fn resolve(
        &self,
        project: &Path,
        cache: &Path,
        dl: &Path,
    ) -> anyhow::Result<Result<Vec<u8>, u8>> {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        for f in [
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            ".npmrc",
        ] {
            let src = cwd.join(f);
            if src.is_file() {
                fs_err::copy(&src, project.join(f))?;
            }
        }
        if !project.join("package.json").is_file() {
            fs_err::write(project.join("package.json"), "{}\n")?;
        }
        let mut c = self.cmd(project, cache);
        c.arg("install")
            .arg("--package-lock-only")
            .arg("--ignore-scripts")
            .arg("--no-audit")
            .arg("--no-fund")
            .args(&self.install)
            .args(&self.specs);
        eprintln!("assay: guard: resolving: {}", show(&c));
        let out = c
            .output()
            .with_context(|| format!("running {} (is npm installed?)", self.prog))?;
        if !out.status.success() {
            eprint!("{}", String::from_utf8_lossy(&out.stdout));
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
            eprintln!("assay: error: npm resolution failed ({})", out.status);
            return Ok(Err(crate::EXIT_ERROR));
        }
        let lock_path = if project.join("npm-shrinkwrap.json").is_file() {
            project.join("npm-shrinkwrap.json")
        } else {
            project.join("package-lock.json")
        };
        let lock = fs_err::read(&lock_path)?;
        let entries = lock_entries(&lock)?;
        for chunk in entries.chunks(PACK_BATCH) {
            let mut c = self.cmd(project, cache);
            c.arg("pack")
                .arg("--ignore-scripts")
                .arg("--json")
                .arg("--pack-destination")
                .arg(dl);
            for e in chunk {
                c.arg(format!("{}@{}", e.name, e.version));
            }
            let out = c
                .output()
                .with_context(|| format!("running {}", self.prog))?;
            if !out.status.success() {
                eprint!("{}", String::from_utf8_lossy(&out.stderr));
                eprintln!("assay: error: npm pack failed ({})", out.status);
                return Ok(Err(crate::EXIT_ERROR));
            }
            let packed: serde_json::Value = serde_json::from_slice(&out.stdout)
                .context("reading the output of npm pack --json")?;
            let packed = packed.as_array().cloned().unwrap_or_default();
            for e in chunk {
                let file = packed
                    .iter()
                    .find(|p| p["name"] == e.name.as_str() && p["version"] == e.version.as_str())
                    .and_then(|p| p["filename"].as_str())
                    .with_context(|| format!("npm pack did not report {}@{}", e.name, e.version))?;
                let path = dl.join(base(file));
                let data = fs_err::read(&path)?;
                // Without a sha512/sha256 integrity nothing ties the installed bytes to
                // the scanned ones: fail closed.
                let Some(want) = &e.integrity else {
                    bail!(
                        "{}@{}: the resolved lockfile records no integrity",
                        e.name,
                        e.version
                    );
                };
                if !integrity_matches(want, &data) {
                    bail!(
                        "{}: does not match the lockfile's integrity {want} for {}@{}",
                        path.display(),
                        e.name,
                        e.version
                    );
                }
            }
        }
        Ok(Ok(lock))
    }

    /// Copy the checked manifest and lockfile into the project and install from them,
    /// offline, from the cache the checked tarballs came from.
    fn install(&self, work: &Path) -> anyhow::Result<bool> {
        let project = work.join("project");
        let cache = work.join("npm-cache");
        let cwd = std::env::current_dir().context("reading the current directory")?;
        for f in ["package.json", "package-lock.json", "npm-shrinkwrap.json"] {
            let src = project.join(f);
            if src.is_file() {
                fs_err::copy(&src, cwd.join(f))?;
            }
        }
        let mut c = self.cmd(&cwd, &cache);
        c.arg("install")
            .arg("--offline")
            .arg("--no-audit")
            .arg("--no-fund")
            .args(
                self.install
                    .iter()
                    .filter(|a| NPM_INSTALL_STEP.contains(&a.as_str())),
            )
            .stdout(Stdio::from(std::io::stderr()));
        eprintln!("assay: guard: installing: {}", show(&c));
        Ok(c.status()
            .with_context(|| format!("running {}", self.prog))?
            .success())
    }
}

/// One registry package of a `package-lock.json`.
#[derive(Debug)]
struct LockEntry {
    name: String,
    version: String,
    integrity: Option<String>,
}

/// The registry packages of a lockfileVersion 2/3 `package-lock.json` (`packages` map).
fn lock_entries(lock: &[u8]) -> anyhow::Result<Vec<LockEntry>> {
    let v: serde_json::Value =
        serde_json::from_slice(lock).context("reading the resolved package-lock.json")?;
    let Some(pkgs) = v["packages"].as_object() else {
        bail!("the resolved package-lock.json has no `packages` (lockfileVersion < 2)");
    };
    let mut out = Vec::new();
    for (key, p) in pkgs {
        if key.is_empty() || p["link"].as_bool() == Some(true) {
            continue;
        }
        let name = match p["name"].as_str() {
            Some(n) => n.to_owned(),
            None => key.rsplit("node_modules/").next().unwrap_or(key).to_owned(),
        };
        let Some(version) = p["version"].as_str() else {
            bail!("{key}: no version in the resolved lockfile");
        };
        let resolved = p["resolved"].as_str().unwrap_or("");
        if !(resolved.starts_with("https://") || resolved.starts_with("http://")) {
            bail!(
                "{key}: resolved from `{resolved}`, not a registry tarball; assay guard only installs registry packages"
            );
        }
        out.push(LockEntry {
            name,
            version: version.to_owned(),
            integrity: p["integrity"].as_str().map(str::to_owned),
        });
    }
    Ok(out)
}

/// Whether `data` matches an SRI string (`sha512-<base64>`, several separated by spaces;
/// npm writes sha512, older locks sha1 — only sha512 and sha256 are checked, the others
/// fail closed).
fn integrity_matches(sri: &str, data: &[u8]) -> bool {
    let b64 = base64::engine::general_purpose::STANDARD;
    sri.split_whitespace().any(|one| match one.split_once('-') {
        Some(("sha512", h)) => b64.encode(Sha512::digest(data)) == h,
        Some(("sha256", h)) => b64.encode(Sha256::digest(data)) == h,
        _ => false,
    })
}

fn check_npm(
    dl: &Path,
    keep: bool,
    project: &Path,
    lock: &[u8],
    policy: &Policy,
    db: Option<&assay_deps::db::Db>,
) -> anyhow::Result<(Report, String)> {
    let (mut arts, mut used) = scan_downloads(dl, keep, policy)?;
    let label = "resolved packages (npm)";
    let lf = assay_deps::lock::parse(Kind::PackageLock, lock)
        .with_context(|| format!("{}: reading the resolved lockfile", project.display()))?;
    let n = lf.deps.len();
    arts.push(audit_artifact(label, &lf, policy, db, &mut used)?);
    Ok((finish(arts, policy, used), format!("{n} packages")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(argv: &str) -> anyhow::Result<Installer> {
        let v: Vec<String> = argv.split_whitespace().map(str::to_owned).collect();
        parse_command(&v, None)
    }

    fn pip(argv: &str) -> Pip {
        match parse(argv).unwrap() {
            Installer::Pip(p) => p,
            Installer::Npm(_) => panic!("not pip: {argv}"),
        }
    }

    #[test]
    fn recognises_every_installer_form() {
        let p = pip("/v/bin/python -m pip install requests");
        assert_eq!(p.downloader, ["/v/bin/python", "-m", "pip"]);
        assert_eq!(p.installer, ["/v/bin/python", "-m", "pip"]);
        let p = pip("pip3.12 install requests");
        assert_eq!(p.downloader, ["pip3.12"]);
        let p = pip("uv pip install requests");
        assert!(p.uv);
        assert_eq!(p.downloader, ["python3", "-m", "pip"]);
        assert_eq!(p.installer, ["uv", "pip"]);
        assert!(matches!(
            parse("npm i left-pad").unwrap(),
            Installer::Npm(_)
        ));
        assert!(parse("pipx install black").is_err());
        assert!(parse("npm run build").is_err());
        assert!(parse("pip download x").is_err());
    }

    #[test]
    fn routes_pip_options_to_the_right_step() {
        let p = pip(
            "pip install -i https://example.invalid/simple --extra-index-url=https://example.invalid/x -r req.txt --pre -U --user --no-deps a==1 b",
        );
        assert_eq!(
            p.resolve,
            [
                "-i",
                "https://example.invalid/simple",
                "--extra-index-url",
                "https://example.invalid/x",
                "-r",
                "req.txt",
                "--pre"
            ]
        );
        assert_eq!(p.install, ["-U", "--user"]);
        assert_eq!(p.specs, ["a==1", "b"]);
        assert!(p.no_deps);
        assert_eq!(p.req_files, [PathBuf::from("req.txt")]);
        assert!(p.builds.is_empty());
    }

    #[test]
    fn build_enabling_requirements_are_refused_unless_allowed() {
        for argv in [
            "pip install -e .",
            "pip install --no-binary :all: x",
            "pip install ./src",
            "pip install https://example.invalid/x-1.0.tar.gz",
            "pip install git+https://example.invalid/x.git",
            "pip install x@git+https://example.invalid/x.git",
        ] {
            let p = pip(argv);
            let e = p.vet(false).unwrap_err().to_string();
            assert!(e.contains("--allow-sdist-build"), "{argv}: {e}");
            assert!(p.vet(true).is_ok(), "{argv}");
        }
        assert!(
            pip("pip install ./dist/x-1.0-py3-none-any.whl")
                .vet(false)
                .is_ok()
        );
        assert!(pip("pip install 'x>=1,<2'").vet(false).is_ok());
        assert!(parse("pip install --frobnicate x").is_err());
        assert!(parse("pip install").is_err());
        assert!(parse("npm install -g x").is_err());
    }

    #[test]
    fn requirement_files_are_vetted_through_includes() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("a.txt"), "x==1\n-r sub/b.txt\n").unwrap();
        std::fs::create_dir(t.path().join("sub")).unwrap();
        std::fs::write(t.path().join("sub/b.txt"), "# note\n--no-binary=:all:\n").unwrap();
        let a = t.path().join("a.txt");
        let p = pip(&format!("pip install -r {}", a.display()));
        let e = p.vet(false).unwrap_err().to_string();
        assert!(e.contains("b.txt:2"), "{e}");
    }

    #[test]
    fn names_versions_and_integrity() {
        assert_eq!(
            dist_name_version(Path::new("/d/clean_pkg-1.0.0-py3-none-any.whl")),
            Some(("clean_pkg".into(), "1.0.0".into()))
        );
        assert_eq!(
            dist_name_version(Path::new("sdist-only-1.0.tar.gz")),
            Some(("sdist-only".into(), "1.0".into()))
        );
        let b64 = base64::engine::general_purpose::STANDARD;
        let sri = format!("sha512-{}", b64.encode(Sha512::digest(b"abc")));
        assert!(integrity_matches(&sri, b"abc"));
        assert!(!integrity_matches(&sri, b"abd"));
        assert!(!integrity_matches(
            "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=",
            b"abc"
        ));
    }
}
