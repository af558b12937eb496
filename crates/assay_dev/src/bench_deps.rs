//! `cargo dev bench-deps [--records N] [--runs N] [--write-zip PATH]`: the dependency-audit benchmark of
//! issue #4 (criterion 4).
//!
//! In a temp dir that is removed afterwards it generates
//! - an OSV export `all.zip` of `--records` (default 200,000) records of realistic shape:
//!   PyPI, npm and crates.io packages in proportion 45/40/15, a quarter `MAL-` records
//!   (all versions or a version list, `database_specific` IOCs), the rest `GHSA-` records
//!   with CVE/PYSEC aliases, CVSS vectors and one or two `ECOSYSTEM`/`SEMVER` ranges,
//!   several records per package as in the real data;
//! - a `package-lock.json` (lockfile v3) of 3,000 entries (nested `node_modules`, scoped
//!   names) and a `uv.lock` of 500 packages, about a tenth of them named by advisories.
//!
//! It then times, in-process with the functions `assay db update --from` and
//! `assay deps` use: the import of the zip into a fresh index (`Db::open` +
//! `Db::import_path`, one transaction), a second import of the same zip (incremental:
//! every record unchanged), and `--runs` (default 7) audits of both lockfiles against
//! the index (open the index, read and parse both files, match every dependency,
//! score), printing the first (cold) run and the best and median of the rest (warm).

use anyhow::Context as _;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Distinct package names per ecosystem in the generated advisory data.
const NAMES: [(&str, usize); 3] = [("PyPI", 30_000), ("npm", 30_000), ("crates.io", 8_000)];

fn pkg_name(eco: &str, i: usize) -> String {
    match eco {
        "PyPI" => format!("pypkg-{i}"),
        "npm" if i.is_multiple_of(5) => format!("@scope{}/npm-pkg-{i}", i % 97),
        "npm" => format!("npm-pkg-{i}"),
        _ => format!("rs_crate_{i}"),
    }
}

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn record(i: usize, rng: &mut Rng) -> (String, String) {
    let roll = rng.below(100);
    let (eco, n) = if roll < 45 {
        NAMES[0]
    } else if roll < 85 {
        NAMES[1]
    } else {
        NAMES[2]
    };
    let name = pkg_name(eco, rng.below(n));
    let malicious = rng.below(4) == 0;
    let (major, minor) = (rng.below(5), rng.below(20));
    if malicious {
        let id = format!("MAL-2025-{i}");
        let affected = if rng.below(2) == 0 {
            r#""ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]"#.to_string()
        } else {
            format!(r#""versions": ["{major}.{minor}.0", "{major}.{minor}.1"]"#)
        };
        let json = format!(
            r#"{{"schema_version": "1.5.0", "id": "{id}", "modified": "2025-06-01T00:00:00Z", "published": "2025-05-30T00:00:00Z",
  "summary": "Malicious code in {name} ({eco})",
  "details": "The package runs a install-time script that sends environment variables to a remote host.",
  "affected": [{{"package": {{"ecosystem": "{eco}", "name": "{name}"}}, {affected},
    "database_specific": {{"source": "https://github.com/ossf/malicious-packages"}}}}],
  "database_specific": {{"malicious-packages-origins": [{{"source": "bench", "sha256": "00", "import_time": "2025-06-01T00:00:00Z"}}],
    "iocs": {{"domains": ["c2-{i}.example.invalid"], "urls": ["https://c2-{i}.example.invalid/collect"]}}}}}}"#
        );
        (format!("{id}.json"), json)
    } else {
        let id = format!(
            "GHSA-{:04x}-{:04x}-{:04x}",
            i & 0xffff,
            (i >> 16) & 0xffff,
            rng.below(0xffff)
        );
        let kind = if eco == "PyPI" { "ECOSYSTEM" } else { "SEMVER" };
        let mut ranges = format!(
            r#"{{"type": "{kind}", "events": [{{"introduced": "{major}.0.0"}}, {{"fixed": "{major}.{minor}.3"}}]}}"#
        );
        if rng.below(3) == 0 {
            ranges.push_str(&format!(
                r#", {{"type": "{kind}", "events": [{{"introduced": "{}.0.0"}}, {{"fixed": "{}.2.0"}}]}}"#,
                major + 1,
                major + 1
            ));
        }
        let json = format!(
            r#"{{"schema_version": "1.6.0", "id": "{id}", "modified": "2024-11-01T00:00:00Z", "published": "2024-01-15T00:00:00Z",
  "aliases": ["CVE-2024-{i}", "PYSEC-2024-{i}"],
  "summary": "Denial of service in {name} when parsing crafted input",
  "details": "A crafted input makes the parser allocate without bound. Upgrade to the fixed version.",
  "affected": [{{"package": {{"ecosystem": "{eco}", "name": "{name}", "purl": "pkg:generic/{name}"}}, "ranges": [{ranges}],
    "database_specific": {{"source": "https://github.com/github/advisory-database"}}}}],
  "severity": [{{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}}],
  "references": [{{"type": "ADVISORY", "url": "https://example.invalid/advisories/{id}"}}],
  "database_specific": {{"severity": "HIGH", "github_reviewed": true, "cwe_ids": ["CWE-400"]}}}}"#
        );
        (format!("{id}.json"), json)
    }
}

fn write_zip(to: &Path, records: usize) -> anyhow::Result<()> {
    let mut w = zip::ZipWriter::new(std::io::BufWriter::new(fs_err::File::create(to)?));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..records {
        let (name, json) = record(i, &mut rng);
        w.start_file(name, opts)?;
        w.write_all(json.as_bytes())?;
    }
    w.finish()?.flush()?;
    Ok(())
}

/// A lockfile v3 of `n` entries; every tenth names a package that advisories cover.
fn package_lock(n: usize) -> String {
    let mut out = String::from(
        "{\n  \"name\": \"bench\", \"version\": \"1.0.0\", \"lockfileVersion\": 3, \"requires\": true,\n  \"packages\": {\n    \"\": {\"name\": \"bench\", \"version\": \"1.0.0\"}",
    );
    for i in 0..n {
        let name = if i.is_multiple_of(10) {
            pkg_name("npm", i * 7 % NAMES[1].1)
        } else {
            format!("bench-dep-{i}")
        };
        let path = if i.is_multiple_of(4) {
            format!("node_modules/bench-parent-{}/node_modules/{name}", i % 50)
        } else {
            format!("node_modules/{name}")
        };
        out.push_str(&format!(
            ",\n    \"{path}\": {{\"version\": \"{}.{}.{}\", \"resolved\": \"https://registry.npmjs.org/{name}/-/x-1.0.0.tgz\", \"integrity\": \"sha512-AAAA\", \"dependencies\": {{\"bench-dep-{}\": \"^1.0.0\"}}}}",
            i % 5,
            i % 20,
            i % 4,
            (i + 1) % n
        ));
    }
    out.push_str("\n  }\n}\n");
    out
}

/// A `uv.lock` of `n` registry packages; every tenth is covered by advisories.
fn uv_lock(n: usize) -> String {
    let mut out = String::from(
        "version = 1\nrequires-python = \">=3.11\"\n\n[[package]]\nname = \"bench\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n",
    );
    for i in 0..n {
        let name = if i.is_multiple_of(10) {
            pkg_name("PyPI", i * 13 % NAMES[0].1)
        } else {
            format!("bench-py-{i}")
        };
        out.push_str(&format!(
            "\n[[package]]\nname = \"{name}\"\nversion = \"{}.{}.{}\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\nsdist = {{ url = \"https://files.example.invalid/{name}.tar.gz\", hash = \"sha256:00\", size = 1 }}\n",
            i % 5,
            i % 20,
            i % 4
        ));
    }
    out
}

fn audit_once(
    db_path: &Path,
    files: &[(std::path::PathBuf, assay_deps::lock::Kind)],
) -> anyhow::Result<(Duration, usize, usize)> {
    let t = Instant::now();
    let db = assay_deps::db::Db::open(db_path)?;
    let (mut deps, mut findings) = (0, 0);
    for (path, kind) in files {
        let data = fs_err::read(path)?;
        let (audit, _) =
            assay_deps::audit::audit_bytes(&path.display().to_string(), *kind, &data, Some(&db))?;
        let _ = assay_rules::score(&audit.findings);
        deps += audit.purls.len();
        findings += audit.findings.len();
    }
    Ok((t.elapsed(), deps, findings))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Run the benchmark; `Ok(false)` when a target (60 s import, 1 s warm audit) is missed.
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut records = 200_000usize;
    let mut runs = 7usize;
    let mut keep: Option<std::path::PathBuf> = None;
    let mut it = args.iter();
    let usage = "usage: cargo dev bench-deps [--records N] [--runs N] [--write-zip PATH]";
    while let Some(a) = it.next() {
        let raw = it.next();
        let v = raw.and_then(|v| v.parse().ok());
        match (a.as_str(), v) {
            ("--records", Some(v)) => records = v,
            ("--runs", Some(v)) => runs = v,
            ("--write-zip", _) => keep = Some(raw.context(usage)?.into()),
            _ => anyhow::bail!("{usage}"),
        }
    }
    let runs = runs.max(2);
    let dir = tempfile::tempdir()?;
    let zip = dir.path().join("all.zip");
    let t = Instant::now();
    write_zip(&zip, records)?;
    let zip_mib = fs_err::metadata(&zip)?.len() as f64 / (1 << 20) as f64;
    println!(
        "generated {records} OSV records: all.zip {zip_mib:.1} MiB in {}",
        ms(t.elapsed())
    );
    // `--write-zip`: only generate the export (e.g. to serve it for `db update --from URL`).
    if let Some(out) = keep {
        fs_err::copy(&zip, &out)?;
        println!("wrote {}", out.display());
        return Ok(true);
    }

    let db_path = dir.path().join("osv.sqlite3");
    let t = Instant::now();
    let stats = assay_deps::db::Db::open(&db_path)?.import_path(&zip, 1_764_633_600)?;
    let import = t.elapsed();
    let db_mib = fs_err::metadata(&db_path)?.len() as f64 / (1 << 20) as f64;
    println!(
        "db update (fresh index): {} — {} written, {} invalid, {} IOCs; index {db_mib:.1} MiB",
        ms(import),
        stats.written,
        stats.invalid,
        stats.iocs
    );
    let t = Instant::now();
    let again = assay_deps::db::Db::open(&db_path)?.import_path(&zip, 1_764_633_600)?;
    println!(
        "db update (same data again, incremental): {} — {} unchanged",
        ms(t.elapsed()),
        again.unchanged
    );

    let proj = dir.path().join("project");
    fs_err::create_dir_all(&proj)?;
    fs_err::write(proj.join("package-lock.json"), package_lock(3_000))?;
    fs_err::write(proj.join("uv.lock"), uv_lock(500))?;
    let files = vec![
        (
            proj.join("package-lock.json"),
            assay_deps::lock::Kind::PackageLock,
        ),
        (proj.join("uv.lock"), assay_deps::lock::Kind::UvLock),
    ];
    let mut times = Vec::new();
    let mut shape = (0, 0);
    for _ in 0..runs {
        let (d, deps, findings) = audit_once(&db_path, &files)?;
        times.push(d);
        shape = (deps, findings);
    }
    let cold = times.remove(0);
    times.sort();
    let best = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!(
        "deps (package-lock.json 3,000 + uv.lock 500 → {} dependencies, {} findings): first {}, warm best {} / median {} over {} runs",
        shape.0,
        shape.1,
        ms(cold),
        ms(best),
        ms(median),
        times.len()
    );
    let ok = import <= Duration::from_secs(60) && median <= Duration::from_secs(1);
    println!(
        "targets (db update ≤ 60 s, warm deps ≤ 1 s): {}",
        if ok { "met" } else { "MISSED" }
    );
    Ok(ok)
}
