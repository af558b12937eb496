//! The real public OSV records quoted verbatim in `fixtures/osv` (see
//! `fixtures/README.md`) matched against a lockfile naming their packages.
#![allow(clippy::unwrap_used, missing_docs)]

use assay_deps::audit::audit_bytes;
use assay_deps::db::Db;
use assay_deps::lock::Kind;
use std::path::Path;

const LOCK: &str = r#"{
  "name": "real-records", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": {"name": "real-records", "version": "1.0.0"},
    "node_modules/lodash": {"version": "4.17.20"},
    "node_modules/lodahs": {"version": "1.0.0"},
    "node_modules/event-stream": {"version": "3.3.6"},
    "node_modules/flatmap-stream": {"version": "0.1.1"},
    "node_modules/lodash.template": {"version": "4.5.0"},
    "node_modules/lodash-es": {"version": "4.17.21"}
  }
}"#;

#[test]
fn verbatim_records_match_their_packages() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("osv.sqlite3")).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/osv");
    db.import_path(&fixtures, 1_000).unwrap();
    let (a, _) = audit_bytes(
        "package-lock.json",
        Kind::PackageLock,
        LOCK.as_bytes(),
        Some(&db),
    )
    .unwrap();
    let has = |code: &str, needle: &str| {
        a.findings
            .iter()
            .any(|f| f.rule.code() == code && f.evidence.contains(needle))
    };
    let all: Vec<_> = a
        .findings
        .iter()
        .map(|f| (f.rule.code().to_owned(), f.evidence.clone()))
        .collect();
    // MAL-2025-25502: every version of lodahs (SEMVER introduced 0) is malicious, and the
    // name imitates lodash.
    assert!(has("DEP001", "MAL-2025-25502"), "{all:#?}");
    assert!(has("DEP003", "`lodahs` imitates `lodash`"), "{all:#?}");
    // GHSA-35jh-r3h4-6jhm: lodash < 4.17.21; lodash.template up to last_affected 4.5.0.
    assert!(has("DEP002", "pkg:npm/lodash@4.17.20"), "{all:#?}");
    assert!(has("DEP002", "pkg:npm/lodash.template@4.5.0"), "{all:#?}");
    assert!(
        !has("DEP002", "pkg:npm/lodash-es@4.17.21"),
        "fixed version: {all:#?}"
    );
    // GHSA-mh6f-8j2x-4483: event-stream 3.3.6; flatmap-stream with an empty `fixed`.
    assert!(has("DEP002", "pkg:npm/event-stream@3.3.6"), "{all:#?}");
    assert!(has("DEP002", "pkg:npm/flatmap-stream@0.1.1"), "{all:#?}");
}
