//! Replays the fuzz seed corpora (`fuzz/corpus/ci_workflow/`, `fuzz/corpus/ci_expression/`)
//! through the same entry points as the fuzz targets, and runs random input through them
//! (proptest): on stable, this is how CI exercises the targets.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use std::path::Path;

fn expression_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for e in assay_ci::expr::embedded(&text) {
        if let Ok(x) = assay_ci::expr::parse(e.inner) {
            let _ = assay_ci::expr::value_sources(&x);
        }
    }
    let _ = assay_ci::expr::parse(&text);
}

fn workflow_target(data: &[u8]) {
    let _ = assay_ci::audit_files(&[(".github/workflows/fuzz.yml".to_owned(), data.to_vec())]);
}

fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(name);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

#[test]
fn replay_ci_corpora() {
    for d in corpus("ci_workflow") {
        workflow_target(&d);
    }
    for d in corpus("ci_expression") {
        expression_target(&d);
    }
}

proptest! {
    #[test]
    fn expressions_never_panic(s in "[a-z.()\\[\\]'*!=<>&|, 0-9x${}-]{0,80}") {
        expression_target(s.as_bytes());
        expression_target(format!("${{{{ {s} }}}}").as_bytes());
    }

    #[test]
    fn workflows_never_panic(s in "(on: |jobs:|  a:|    steps:|      - run: |\\$\\{\\{ github.head_ref \\}\\}|&x |\\*x|\\[|\\]|\\{|\\}|\n|  |uses: a/b@v1|<<: )*") {
        workflow_target(s.as_bytes());
    }
}
