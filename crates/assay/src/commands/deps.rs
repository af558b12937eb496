//! `assay deps`: find lockfiles and manifests, audit each against the local OSV index,
//! report one artifact per file (as osv-scanner groups results by source file), with
//! every dependency listed as a PURL in `packages`.

use crate::cli::DepsArgs;
use anyhow::Context;
use assay_core::{AdvisoryData, ArtifactFormat, ArtifactReport, Report};
use assay_deps::db::{self, Db};
use assay_deps::lock::Kind;
use assay_policy::Date;
use std::path::{Path, PathBuf};

/// Most files audited under one directory.
const MAX_FILES: usize = 10_000;
/// Deepest directory searched.
const MAX_DEPTH: usize = 12;
/// The public crates.io API, paced to one request per second (its crawler policy).
#[cfg(feature = "net")]
const CRATES_IO: &str = "https://crates.io";
/// Deepest `-r`/`-c` include chain followed.
const MAX_INCLUDE_DEPTH: usize = 8;

/// Run `assay deps`.
pub fn run(args: &DepsArgs) -> anyhow::Result<u8> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let policy = super::scan::load_policy(&args.output, std::slice::from_ref(&root))?;
    let files = find_files(&root)?;
    let (db, advisory) = open_db(args.db.as_deref())?;
    let today = Date::today_utc();
    let today = (today.year, today.month, today.day);
    let mut audits = Vec::new();
    let mut queue: Vec<(PathBuf, Kind, usize)> =
        files.into_iter().map(|(p, k)| (p, k, 0)).collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while let Some((path, kind, depth)) = queue.get(i).cloned() {
        i += 1;
        let canon = fs_err::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.contains(&canon) {
            continue;
        }
        seen.push(canon);
        let display = path.display().to_string();
        let data = fs_err::read(&path).with_context(|| format!("reading {display}"))?;
        let (audit, lf) = assay_deps::audit::audit_bytes(&display, kind, &data, db.as_ref())?;
        if depth < MAX_INCLUDE_DEPTH {
            for inc in &lf.includes {
                let p = path.parent().unwrap_or(Path::new(".")).join(inc);
                if p.is_file() {
                    queue.push((p, Kind::Requirements, depth + 1));
                }
            }
        }
        audits.push((display, audit, lf));
    }
    if args.online {
        online(args, &mut audits)?;
    }
    let mut used = Vec::new();
    let artifacts: Vec<ArtifactReport> = audits
        .into_iter()
        .map(|(display, audit, _)| audit_report(display, audit, &policy, &mut used, today))
        .collect();
    if artifacts.is_empty() {
        anyhow::bail!("{}: no lockfile or manifest found", root.display());
    }
    used.sort_unstable();
    used.dedup();
    let mut report = Report::new(artifacts, policy.unused(&used));
    report.advisory_data = Some(advisory);
    report.config = policy.source.as_ref().map(|p| p.display().to_string());
    super::scan::emit(&report, &args.output)?;
    Ok(super::scan::exit_code(&report, &args.output))
}

/// The registries and the HTTP client `--online` uses: flags, else `$ASSAY_PYPI_URL`,
/// `$ASSAY_NPM_REGISTRY`, `$ASSAY_CRATES_URL`, else the public registries (crates.io
/// paced to one request per second, its crawler policy).
#[cfg(feature = "net")]
pub(crate) fn registry_client(
    args: &crate::cli::RegistryArgs,
) -> (assay_deps::online::Registries, assay_deps::net::Client) {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut reg = assay_deps::online::Registries {
        pypi: args
            .pypi_url
            .clone()
            .or_else(|| env("ASSAY_PYPI_URL"))
            .unwrap_or_else(|| "https://pypi.org".into()),
        npm: args
            .npm_registry
            .clone()
            .or_else(|| env("ASSAY_NPM_REGISTRY"))
            .unwrap_or_else(|| "https://registry.npmjs.org".into()),
        crates: args
            .crates_url
            .clone()
            .or_else(|| env("ASSAY_CRATES_URL"))
            .unwrap_or_else(|| CRATES_IO.into()),
        crates_interval: std::time::Duration::ZERO,
    };
    if reg.crates.trim_end_matches('/') == CRATES_IO {
        reg.crates_interval = std::time::Duration::from_secs(1);
    }
    let t = std::time::Duration::from_secs(args.timeout.max(1));
    let client = assay_deps::net::Client::new(assay_deps::net::Timeouts {
        connect: t,
        read: t,
        total: Some(t),
    });
    (reg, client)
}

/// `--online`: look every distinct (ecosystem, name) up once on its public registry and
/// add the DEP008–DEP012 findings to each file's audit; the popular project a DEP003 name
/// imitates is looked up too, for DEP012. A failed lookup is a warning naming the
/// package and URL (the offline findings stand); it never counts as clean silently.
#[cfg(feature = "net")]
fn online(
    args: &DepsArgs,
    audits: &mut [(String, assay_deps::audit::FileAudit, assay_deps::Lockfile)],
) -> anyhow::Result<()> {
    use assay_deps::online::{self, Lookup, Options};
    use std::collections::HashMap;
    let (reg, client) = registry_client(&args.registries);
    let mut keys: Vec<(assay_deps::Ecosystem, String)> = Vec::new();
    for (_, _, lf) in audits.iter() {
        for d in &lf.deps {
            if d.direct_url.is_some() || reg.url(d.ecosystem, &d.name).is_none() {
                continue;
            }
            keys.push((d.ecosystem, d.ecosystem.osv_name(&d.name)));
            if let Some(t) = online::squat_target(d) {
                keys.push((d.ecosystem, d.ecosystem.osv_name(t)));
            }
        }
    }
    keys.sort();
    keys.dedup();
    if keys.len() > online::MAX_LOOKUPS {
        anyhow::bail!(
            "--online: {} distinct packages, more than the {} looked up in one run",
            keys.len(),
            online::MAX_LOOKUPS
        );
    }
    let results = online::lookup_all(&client, &reg, &keys);
    let mut found: HashMap<&(assay_deps::Ecosystem, String), Lookup> = HashMap::new();
    let mut failed = 0usize;
    for (k, r) in keys.iter().zip(results) {
        match r {
            Ok(l) => {
                found.insert(k, l);
            }
            Err(e) => {
                failed += 1;
                eprintln!("assay: warning: --online: {} {}: {e}", k.0.osv(), k.1);
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "assay: warning: --online: {failed} of {} lookups failed; their packages were checked offline only",
            keys.len()
        );
    }
    let opt = Options {
        min_age_days: args.min_age_days,
        now_unix: i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        )
        .unwrap_or(i64::MAX),
    };
    for (path, audit, lf) in audits.iter_mut() {
        for d in &lf.deps {
            let key = (d.ecosystem, d.ecosystem.osv_name(&d.name));
            if d.direct_url.is_some() {
                continue;
            }
            if let Some(l) = found.get(&key) {
                audit
                    .findings
                    .extend(online::findings(path, lf, d, l, &reg, opt));
                if let Some(t) = online::squat_target(d) {
                    let theirs = found.get(&(d.ecosystem, d.ecosystem.osv_name(t)));
                    audit.findings.extend(online::typosquat_evidence(
                        path,
                        d,
                        l,
                        t,
                        theirs,
                        opt.now_unix,
                    ));
                }
            }
        }
        audit.findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.location.line.cmp(&b.location.line))
        });
    }
    Ok(())
}

#[cfg(not(feature = "net"))]
fn online(
    _: &DepsArgs,
    _: &mut [(String, assay_deps::audit::FileAudit, assay_deps::Lockfile)],
) -> anyhow::Result<()> {
    anyhow::bail!("--online: this assay was built without the `net` feature")
}

/// One lockfile's audit as a report artifact (`format: file`, the dependencies' PURLs
/// in `packages`), after the policy's overrides and suppressions; the suppressions used
/// are added to `used`.
pub(crate) fn audit_report(
    path: String,
    audit: assay_deps::audit::FileAudit,
    policy: &assay_policy::Policy,
    used: &mut Vec<usize>,
    today: (i32, u32, u32),
) -> ArtifactReport {
    let applied = policy.apply(None, None, audit.findings, &|_| None, today);
    used.extend(applied.used_indices());
    let (verdict, score) = assay_rules::score(&applied.kept);
    ArtifactReport {
        path,
        format: ArtifactFormat::File,
        name: None,
        version: None,
        verdict,
        score,
        findings: applied.kept,
        suppressed: applied.suppressed.len(),
        omitted: Vec::new(),
        packages: audit.purls,
        rank: None,
        author: None,
        date: None,
        files: Vec::new(),
    }
}

/// Open the advisory index at `path` (default [`db::default_path`]) when it exists, and
/// describe its data; warns on stderr when there is none or it is stale.
pub(crate) fn open_db(path: Option<&Path>) -> anyhow::Result<(Option<Db>, AdvisoryData)> {
    let db_path = path.map(Path::to_path_buf).or_else(db::default_path);
    let db = match &db_path {
        Some(p) if p.is_file() => Some(Db::open(p)?),
        _ => None,
    };
    let advisory = advisory_data(db.as_ref())?;
    if db.is_none() {
        eprintln!(
            "assay: warning: no advisory index; run `assay db update --from <all.zip|dir>` (known-malicious and vulnerable versions are not checked)"
        );
    } else if advisory.updated.is_none() {
        // An index no update ever completed (made by an older assay that created the
        // file before downloading): it holds nothing, whatever its age.
        eprintln!(
            "assay: warning: the advisory index {} holds no data (no `assay db update` completed); known-malicious and vulnerable versions are not checked",
            db_path.as_deref().unwrap_or(Path::new("?")).display()
        );
    } else if advisory.stale {
        eprintln!(
            "assay: warning: advisory data is {} days old; run `assay db update`",
            advisory.age_days.unwrap_or(0)
        );
    }
    Ok((db, advisory))
}

/// Give the scanner the index's malicious-package IOCs (rule IOC006) and its lookup of
/// known-malicious PyPI releases (rule PKG015, over a second read-only connection); once
/// per process.
pub(crate) fn install_iocs(db: &Db) -> anyhow::Result<()> {
    assay_rules::known_iocs::install(db.ioc_records()?);
    if let Ok(conn) = Db::open_read_only(db.path()) {
        let conn = std::sync::Mutex::new(conn);
        assay_rules::known_packages::install(Box::new(move |name, pinned| {
            let db = conn.lock().ok()?;
            malicious_release(&db, name, pinned)
        }));
    }
    Ok(())
}

/// The `MAL-` record (as `ID (summary)`) that makes a PyPI dependency malicious: one that
/// covers every version of `name` (a range introduced at 0 and never fixed, or no ranges
/// and no version list), or that lists the version it is `pinned` to.
fn malicious_release(db: &Db, name: &str, pinned: Option<&str>) -> Option<String> {
    use assay_core::Ecosystem;
    use assay_deps::osv::Event;
    let wanted = Ecosystem::PyPI.osv_name(name);
    for rec in db.advisories(Ecosystem::PyPI, name).ok()? {
        if !rec.is_malicious() {
            continue;
        }
        for aff in &rec.affected {
            if aff.package.ecosystem != "PyPI"
                || Ecosystem::PyPI.osv_name(&aff.package.name) != wanted
            {
                continue;
            }
            let every_version = (aff.ranges.is_empty() && aff.versions.is_empty())
                || (!aff.ranges.is_empty()
                    && aff.ranges.iter().all(|r| {
                        r.events
                            .iter()
                            .all(|e| matches!(e, Event::Introduced(v) if v == "0"))
                    }));
            let pinned_bad =
                pinned.is_some_and(|v| assay_deps::version::is_affected(Ecosystem::PyPI, v, aff));
            if every_version || pinned_bad {
                let summary = rec.summary.trim();
                return Some(if summary.is_empty() {
                    rec.id.clone()
                } else {
                    format!("{} ({summary})", rec.id)
                });
            }
        }
    }
    None
}

/// The advisory data's age and size, for the report.
pub(crate) fn advisory_data(db: Option<&Db>) -> anyhow::Result<AdvisoryData> {
    let age = match db {
        Some(db) => db.age()?,
        None => None,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let source = match db {
        Some(db) => db
            .meta(super::db::SOURCES_KEY)?
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.lines().collect::<Vec<_>>().join(", ")),
        None => None,
    };
    Ok(match age {
        Some(a) => {
            let days = now.saturating_sub(a.updated_unix) / 86_400;
            AdvisoryData {
                updated: Some(db::date_of(a.updated_unix)),
                age_days: Some(days),
                records: a.records,
                stale: days > db::STALE_DAYS,
                source,
            }
        }
        None => AdvisoryData {
            updated: None,
            age_days: None,
            records: 0,
            stale: true,
            source,
        },
    })
}

/// The lockfiles/manifests at `root` (a file or a directory), sorted by path. Skips
/// `node_modules`, `.git`, `target`, virtual environments and hidden directories.
fn find_files(root: &Path) -> anyhow::Result<Vec<(PathBuf, Kind)>> {
    if root.is_file() {
        let name = root.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kind = Kind::from_file_name(name)
            .with_context(|| format!("{}: not a known lockfile or manifest", root.display()))?;
        return Ok(vec![(root.to_owned(), kind)]);
    }
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_str().unwrap_or("");
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (n.starts_with('.')
                        || matches!(
                            n,
                            "node_modules" | "target" | "venv" | "site-packages" | "__pycache__"
                        )))
        });
    for e in walk {
        let e = e.with_context(|| format!("walking {}", root.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        if let Some(kind) = e.file_name().to_str().and_then(Kind::from_file_name) {
            if out.len() >= MAX_FILES {
                anyhow::bail!("{}: more than {MAX_FILES} lockfiles", root.display());
            }
            out.push((e.into_path(), kind));
        }
    }
    Ok(out)
}
