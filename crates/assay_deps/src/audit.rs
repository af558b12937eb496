//! The audit: one lockfile's dependencies plus the advisory index → findings of the
//! DEP rules (catalog entries `assay_core::DepRule`; docs in `assay_rules::rules::dep`).
//!
//! Severity bands: a `MAL-` match is DEP001 critical (decisive: the verdict is
//! `malicious`); a vulnerability is DEP002 with the record's reviewed severity mapped
//! to low/medium/high, capped at high so a vulnerability alone makes a lockfile at most
//! `suspicious`; hygiene findings (DEP004, DEP005) are low. Three findings are high, so
//! that the file is at least `suspicious` (the calibration in `docs/scoring.md`): a file
//! that could not be read (DEP006: a gate must not pass what it did not audit), a name
//! imitating one of the [`TYPOSQUAT_HIGH_RANK`] most popular names of its ecosystem
//! other than by an affix (DEP003), and an `--extra-index-url` with unpinned, unhashed
//! requirements (DEP007).

use crate::db::{Db, DbError};
use crate::lock::{self, Dependency, Kind, Lockfile};
use crate::version;
use assay_core::{Confidence, Finding, Location, Rule, Severity};
use assay_rules::typosquat;

/// The result of auditing one file.
#[derive(Debug, Clone, Default)]
pub struct FileAudit {
    /// Findings, in dependency order.
    pub findings: Vec<Finding>,
    /// PURLs of every dependency read.
    pub purls: Vec<String>,
}

/// DEP003 is high when the imitated name is among this many of the most popular of its
/// ecosystem (and the kind of imitation is not an affix, `python-x`/`x-rs`, which is as
/// often a real wrapper): squatters aim at the top, where few legitimate look-alikes
/// remain once the known projects are excluded.
pub const TYPOSQUAT_HIGH_RANK: usize = 1000;

/// Names listed in a finding's evidence before "and N more".
const NAMES_SHOWN: usize = 5;

pub(crate) fn finding(rule: Rule, path: &str, line: Option<u32>, evidence: String) -> Finding {
    let mut loc = Location::file(path);
    loc.line = line;
    rule.finding(loc, evidence)
}

/// Parse `data` as `kind` and audit it. `path` is the file as reported. A parse error is
/// a DEP006 finding, never an empty clean result.
pub fn audit_bytes(
    path: &str,
    kind: Kind,
    data: &[u8],
    db: Option<&Db>,
) -> Result<(FileAudit, Lockfile), DbError> {
    match lock::parse(kind, data) {
        Ok(lf) => {
            let a = audit_lockfile(path, &lf, db)?;
            Ok((a, lf))
        }
        Err(e) => Ok((
            FileAudit {
                findings: vec![finding(
                    Rule::UnparseableLockfile,
                    path,
                    None,
                    format!("{path}: {e}; its dependencies were not audited"),
                )],
                purls: Vec::new(),
            },
            Lockfile::default(),
        )),
    }
}

/// Audit parsed dependencies.
pub fn audit_lockfile(path: &str, lf: &Lockfile, db: Option<&Db>) -> Result<FileAudit, DbError> {
    let mut out = FileAudit::default();
    let any_hashed = lf.manifest && lf.deps.iter().any(|d| d.hashed);
    let exposed = lf
        .deps
        .iter()
        .filter(|d| !d.hashed && d.direct_url.is_none())
        .count();
    if exposed > 0 {
        // Unpinned and unhashed: any higher version uploaded anywhere wins. Pinned but
        // unhashed: a public upload of the same version can still be chosen.
        let unpinned: Vec<&str> = lf
            .deps
            .iter()
            .filter(|d| !d.hashed && d.direct_url.is_none() && d.version.is_none())
            .map(|d| d.name.as_str())
            .collect();
        for (line, url) in &lf.extra_indexes {
            let mut f = finding(
                Rule::ExtraIndexConfusion,
                path,
                Some(*line),
                format!(
                    "--extra-index-url {url}: pip installs the highest version from any index, so {exposed} requirement(s) without --hash can be replaced by a public upload of the same name"
                ),
            );
            if !unpinned.is_empty() {
                f.severity = Severity::High;
                f.evidence
                    .push_str(&format!("; unpinned: {}", names_shown(&unpinned)));
            }
            out.findings.push(f);
        }
    }
    for d in &lf.deps {
        out.purls.push(d.purl());
        if let Some(url) = &d.direct_url {
            out.findings.push(finding(
                Rule::DirectUrlDependency,
                path,
                d.line,
                format!("{} from {url}", d.name),
            ));
            continue;
        }
        if lf.manifest && d.version.is_none() {
            let spec = if d.spec.is_empty() { &d.name } else { &d.spec };
            out.findings.push(finding(
                Rule::UnpinnedRequirement,
                path,
                d.line,
                format!("`{spec}` is not pinned to one version"),
            ));
        } else if any_hashed && !d.hashed {
            out.findings.push(finding(
                Rule::UnpinnedRequirement,
                path,
                d.line,
                format!("`{}` has no --hash while other entries do", d.name),
            ));
        }
        let eco = d.ecosystem;
        if let Some((target, how)) = typosquat::squats_in(eco, &d.name) {
            let rank = typosquat::rank_in(eco, target);
            let mut f = finding(
                Rule::TyposquatDependency,
                path,
                d.line,
                format!("`{}` imitates `{target}` ({how})", d.name),
            );
            if rank.is_some_and(|r| r < TYPOSQUAT_HIGH_RANK) && !how.ends_with("affix") {
                f.severity = Severity::High;
                if let Some(r) = rank {
                    f.evidence.push_str(&format!(
                        ", #{} of the popular {} names",
                        r + 1,
                        d.ecosystem.osv()
                    ));
                }
            }
            out.findings.push(f);
        }
        if let Some(db) = db {
            advisories(path, d, db, &mut out.findings)?;
        }
    }
    out.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.location.line.cmp(&b.location.line))
    });
    Ok(out)
}

/// `a, b, c and 2 more`.
fn names_shown(names: &[&str]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).copied().collect();
    let mut s = shown.join(", ");
    if names.len() > NAMES_SHOWN {
        s.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    s
}

fn advisories(path: &str, d: &Dependency, db: &Db, out: &mut Vec<Finding>) -> Result<(), DbError> {
    let Some(v) = d.version.as_deref() else {
        return Ok(());
    };
    let canon = d.ecosystem.osv_name(&d.name);
    for rec in db.advisories(d.ecosystem, &d.name)? {
        let hit = rec.affected.iter().any(|a| {
            a.package.ecosystem.split(':').next() == Some(d.ecosystem.osv())
                && d.ecosystem.osv_name(&a.package.name) == canon
                && version::is_affected(d.ecosystem, v, a)
        });
        if !hit {
            continue;
        }
        let purl = d.purl();
        if rec.is_malicious() {
            out.push(finding(
                Rule::KnownMaliciousPackage,
                path,
                d.line,
                format!("{purl} is malicious per {}: {}", rec.id, rec.summary),
            ));
        } else {
            let fixed = rec.fixed_versions();
            let aliases = if rec.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", rec.aliases.join(", "))
            };
            let fix = if fixed.is_empty() {
                "no fixed version".to_owned()
            } else {
                format!("fixed in {}", fixed.join(", "))
            };
            let mut f = finding(
                Rule::KnownVulnerablePackage,
                path,
                d.line,
                format!("{purl}: {}{aliases} {}; {fix}", rec.id, rec.summary),
            );
            f.severity = match rec.severity_word().as_deref() {
                Some("LOW") => Severity::Low,
                Some("MODERATE" | "MEDIUM") | None => Severity::Medium,
                Some(_) => Severity::High,
            };
            f.confidence = Confidence::High;
            out.push(f);
        }
    }
    Ok(())
}
