//! Classic ML pickles load clean (issue 22, item 5): real pickles and joblib files of
//! scikit-learn, pandas, NumPy (random generators included), SciPy sparse matrices,
//! NetworkX graphs and XGBoost/LightGBM models, written by
//! `fixtures/ml/generate_classic_ml.py`, are `clean`; the same bytes with one injected
//! `posix.system` call are `malicious`.
#![allow(clippy::unwrap_used)]

use assay_core::{Artifact, ArtifactFormat, Verdict};
use std::path::{Path, PathBuf};

mod common;

fn dir(which: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/classic_ml")
        .join(which)
}

fn scan(path: &Path) -> assay_rules::ArtifactAnalysis {
    let name = path.file_name().unwrap().to_str().unwrap();
    let data = std::fs::read(path).unwrap();
    let mut a = Artifact::new(name, ArtifactFormat::File);
    a.entries.push(common::entry(name, &data));
    assay_rules::analyze_artifact(&a)
}

fn files(which: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir(which))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn classic_ml_pickles_are_clean() {
    let clean = files("clean");
    let kinds: std::collections::BTreeSet<String> = clean
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_str().unwrap();
            stem.trim_end_matches("_p2").to_owned()
        })
        .collect();
    assert!(kinds.len() >= 30, "only {} kinds", kinds.len());
    let mut bad = Vec::new();
    for p in &clean {
        let a = scan(p);
        if a.verdict != Verdict::Clean || !a.findings.is_empty() {
            let f: Vec<String> = a
                .findings
                .iter()
                .map(|f| format!("{} {}", f.rule.code(), f.evidence))
                .collect();
            bad.push(format!("{}: {:?} {f:?}", p.display(), a.verdict));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_same_files_with_one_injected_call_are_malicious() {
    let injected = files("injected");
    assert_eq!(injected.len(), files("clean").len());
    for p in &injected {
        let a = scan(p);
        assert_eq!(a.verdict, Verdict::Malicious, "{}", p.display());
        assert!(
            a.findings.iter().any(|f| f.rule.code() == "ML001"),
            "{}",
            p.display()
        );
    }
}
