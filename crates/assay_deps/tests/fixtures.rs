//! Fixture OSV data and one fixture per lockfile format: every format pinning a
//! MAL-listed version yields DEP001 (so a `malicious` verdict); the benign files do not.
#![allow(clippy::unwrap_used, missing_docs)]

use assay_deps::audit::audit_bytes;
use assay_deps::db::Db;
use assay_deps::lock::{self, Kind};
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn db_from_dir(dir: &tempfile::TempDir) -> Db {
    let mut db = Db::open(&dir.path().join("osv.sqlite3")).unwrap();
    let s = db.import_path(&fixtures().join("osv"), 1_000).unwrap();
    assert_eq!(s.written, 8, "{s:?}");
    assert_eq!(s.invalid, 1, "broken.json is reported: {s:?}");
    db
}

fn audit(db: &Db, rel: &str) -> Vec<(String, String)> {
    let p = fixtures().join(rel);
    let name = p.file_name().unwrap().to_str().unwrap();
    let kind = Kind::from_file_name(name).unwrap();
    let data = std::fs::read(&p).unwrap();
    let (a, _) = audit_bytes(rel, kind, &data, Some(db)).unwrap();
    a.findings
        .into_iter()
        .map(|f| (f.rule.code().to_owned(), f.evidence))
        .collect()
}

fn codes(f: &[(String, String)], code: &str) -> usize {
    f.iter().filter(|(c, _)| c == code).count()
}

#[test]
fn every_format_pinning_a_mal_version_is_malicious() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_from_dir(&dir);
    let cases = [
        ("lock/requirements.txt", 1),
        ("lock/pyproject.toml", 1),
        ("lock/poetry.lock", 1),
        ("lock/uv.lock", 1),
        ("lock/pdm.lock", 1),
        ("lock/Pipfile.lock", 1),
        ("lock/npm-v1/package-lock.json", 1),
        ("lock/npm-v3/package-lock.json", 1),
        ("lock/shrinkwrap/npm-shrinkwrap.json", 1),
        ("lock/yarn.lock", 1),
        ("lock/berry/yarn.lock", 1),
        ("lock/pnpm/pnpm-lock.yaml", 1),
        ("lock/Cargo.lock", 1),
    ];
    for (rel, n) in cases {
        let f = audit(&db, rel);
        assert_eq!(codes(&f, "DEP001"), n, "{rel}: {f:#?}");
        // The decisive finding makes the verdict malicious.
        let findings: Vec<_> = f.iter().collect();
        assert!(!findings.is_empty());
    }
}

#[test]
fn vulnerabilities_hygiene_and_typosquats() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_from_dir(&dir);
    let r = audit(&db, "lock/requirements.txt");
    // requests 2.30.0 < 2.31.0 fixed: GHSA-j8r2-6x86-q33q.
    assert!(
        r.iter().any(|(c, e)| c == "DEP002"
            && e.contains("GHSA-j8r2-6x86-q33q")
            && e.contains("fixed in 2.31.0")),
        "{r:#?}"
    );
    assert_eq!(codes(&r, "DEP004"), 1, "numpy>=1.26: {r:#?}");
    assert_eq!(codes(&r, "DEP005"), 1, "git URL: {r:#?}");
    let p = audit(&db, "lock/pyproject.toml");
    assert_eq!(codes(&p, "DEP003"), 1, "reqeusts: {p:#?}");
    let v1 = audit(&db, "lock/npm-v1/package-lock.json");
    assert_eq!(
        codes(&v1, "DEP002"),
        2,
        "event-stream + flatmap-stream: {v1:#?}"
    );
    let v3 = audit(&db, "lock/npm-v3/package-lock.json");
    assert!(
        v3.iter()
            .any(|(c, e)| c == "DEP002" && e.contains("lodash")),
        "{v3:#?}"
    );
}

#[test]
fn benign_files_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_from_dir(&dir);
    for rel in [
        "benign/requirements.txt",
        "benign/Cargo.lock",
        "benign/package-lock.json",
    ] {
        let f = audit(&db, rel);
        assert!(f.is_empty(), "{rel}: {f:#?}");
    }
}

#[test]
fn purls_and_includes() {
    let data = std::fs::read(fixtures().join("lock/requirements.txt")).unwrap();
    let lf = lock::parse(Kind::Requirements, &data).unwrap();
    assert_eq!(lf.includes, ["requirements-dev.txt"]);
    assert_eq!(lf.index_urls, ["https://pypi.example.invalid/simple"]);
    assert_eq!(lf.deps[0].purl(), "pkg:pypi/requests@2.30.0");
    assert!(lf.deps[0].hashed);
    let data = std::fs::read(fixtures().join("lock/pnpm/pnpm-lock.yaml")).unwrap();
    let lf = lock::parse(Kind::PnpmLock, &data).unwrap();
    let purls: Vec<_> = lf.deps.iter().map(|d| d.purl()).collect();
    assert_eq!(
        purls,
        [
            "pkg:npm/%40types/node@20.1.0",
            "pkg:npm/assay-canary-evil@1.0.0",
            "pkg:npm/react-dom@18.2.0"
        ]
    );
}

#[test]
fn import_is_incremental_and_reads_zip_and_iocs() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = db_from_dir(&dir);
    let again = db.import_path(&fixtures().join("osv"), 2_000).unwrap();
    assert_eq!((again.written, again.unchanged), (0, 8));
    let age = db.age().unwrap().unwrap();
    assert_eq!((age.updated_unix, age.records), (2_000, 8));
    let iocs = db.iocs().unwrap();
    assert!(
        // From the verbatim MAL-2026-2144 record (data only; never contacted).
        iocs.contains(&"litellm.cloud".to_owned()),
        "{iocs:?}"
    );
    assert!(iocs.contains(&"192.0.2.7".to_owned()), "{iocs:?}");

    // An OSV all.zip: one record changed, one new.
    let zpath = dir.path().join("all.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zpath).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    z.start_file("GHSA-35jh-r3h4-6jhm.json", opts).unwrap();
    let rec = std::fs::read_to_string(fixtures().join("osv/vulns/GHSA-35jh-r3h4-6jhm.json"))
        .unwrap()
        .replace("2024-04-17T18:39:19Z", "2025-01-01T00:00:00Z");
    z.write_all(rec.as_bytes()).unwrap();
    z.start_file("MAL-0000-0009.json", opts).unwrap();
    z.write_all(br#"{"id":"MAL-0000-0009","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"Assay_Canary"},"versions":["0.1"]}]}"#).unwrap();
    z.finish().unwrap();
    let s = db.import_path(&zpath, 3_000).unwrap();
    assert_eq!((s.written, s.unchanged, s.invalid), (2, 0, 0));
    // PEP 503 normalisation on both sides.
    let recs = db
        .advisories(assay_deps::Ecosystem::PyPI, "assay.canary")
        .unwrap();
    assert_eq!(recs.len(), 1);
    // A withdrawn record is ignored.
    assert!(
        db.advisories(assay_deps::Ecosystem::PyPI, "numpy")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn extra_index_with_unhashed_requirements_is_confusion() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_from_dir(&dir);
    let r = audit(&db, "confusion/requirements.txt");
    let hits: Vec<_> = r.iter().filter(|(c, _)| c == "DEP007").collect();
    assert_eq!(hits.len(), 1, "{r:#?}");
    assert!(
        hits[0].1.contains("download.example.invalid") && hits[0].1.contains("2 requirement"),
        "{hits:#?}"
    );
    // Hash-pinned files and a single --index-url are not confusion.
    for rel in [
        "benign/requirements-hashed-extra-index.txt",
        "benign/requirements-index-url.txt",
    ] {
        assert_eq!(codes(&audit(&db, rel), "DEP007"), 0, "{rel}");
    }
}
