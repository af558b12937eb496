//! Every CI rule's must-match and must-not-match fixtures (`fixtures/<CODE>/`).
//!
//! An entry of `fixtures/<CODE>/` is a workflow file (audited as
//! `.github/workflows/<name>`) or a directory holding a repository's files (audited
//! together, so cross-workflow paths are seen); `benign/` holds the must-not-match ones.
#![allow(clippy::unwrap_used)]

use assay_core::{CiRule, Finding, Rule, Severity};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Audit one fixture entry.
pub fn audit(entry: &Path) -> Vec<Finding> {
    let files = if entry.is_dir() {
        files_under(entry)
    } else {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        vec![(
            format!(".github/workflows/{name}"),
            std::fs::read(entry).unwrap(),
        )]
    };
    assay_ci::audit_files(&files)
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("benign"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_ci_rule_has_fixtures_that_behave() {
    for r in CiRule::ALL {
        // Raised by `assay tags` on a git repository: crates/assay/tests/tags.rs (the
        // `--online` pin checks against a local server: crates/assay/tests/tags_online.rs,
        // decisions in `assay_ci::pins`' unit tests).
        if matches!(
            r,
            CiRule::TagMoved
                | CiRule::TagOffBranch
                | CiRule::TagRemoved
                | CiRule::TagUnfamiliarAuthor
                | CiRule::ImpostorCommit
                | CiRule::RefConfusion
        ) {
            continue;
        }
        let rule = Rule::from(*r);
        let dir = root().join(rule.code());
        let matching = entries(&dir);
        let benign = entries(&dir.join("benign"));
        assert!(
            !matching.is_empty() && !benign.is_empty(),
            "{} needs fixtures/{0}/ and fixtures/{0}/benign/",
            rule.code()
        );
        for m in &matching {
            let f = audit(m);
            assert!(
                f.iter().any(|x| x.rule == rule),
                "{} did not match {}: {:#?}",
                rule.code(),
                m.display(),
                f.iter()
                    .map(|x| (x.rule.code(), &x.evidence))
                    .collect::<Vec<_>>()
            );
        }
        for b in &benign {
            let f = audit(b);
            assert!(
                !f.iter().any(|x| x.rule == rule),
                "{} matched benign {}: {:#?}",
                rule.code(),
                b.display(),
                f.iter()
                    .filter(|x| x.rule == rule)
                    .map(|x| &x.evidence)
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// The Ultralytics chain is one critical CI016 finding with every hop as a location.
#[test]
fn ultralytics_chain_is_one_critical_path() {
    let f = audit(&root().join("CI016/ultralytics"));
    let paths: Vec<&Finding> = f
        .iter()
        .filter(|x| x.rule == Rule::OutsiderToPublishPath)
        .collect();
    assert_eq!(paths.len(), 1, "{paths:#?}");
    let p = paths[0];
    assert_eq!(p.severity, Severity::Critical);
    assert_eq!(p.location.path, ".github/workflows/format.yml");
    let hops: Vec<String> = p.related.iter().map(|l| l.display()).collect();
    assert_eq!(
        hops,
        [
            ".github/workflows/format.yml:14:9",
            ".github/workflows/publish.yml:14:9",
            ".github/workflows/publish.yml:19:9",
        ],
        "{}",
        p.evidence
    );
    // The injection itself is high, at the expression.
    let inj = f
        .iter()
        .find(|x| x.rule == Rule::TemplateInjection)
        .unwrap();
    assert_eq!(inj.severity, Severity::High);
    assert_eq!(inj.location.display(), ".github/workflows/format.yml:20:35");
}

/// nx "s1ngularity": the PR title in a pull_request_target shell is high, twice.
#[test]
fn nx_pr_title_injection_is_high() {
    let f = audit(&root().join("CI002/nx-pr-title.yml"));
    let inj: Vec<&Finding> = f
        .iter()
        .filter(|x| x.rule == Rule::TemplateInjection)
        .collect();
    assert_eq!(inj.len(), 2);
    assert!(inj.iter().all(|x| x.severity == Severity::High));
    assert_eq!(
        inj[0].location.display(),
        ".github/workflows/nx-pr-title.yml:14:38"
    );
}

/// Hostile YAML is a CI001 finding naming the file, never a panic.
#[test]
fn hostile_yaml_is_a_finding() {
    let cases: Vec<Vec<u8>> = vec![
        b"a: [".to_vec(),
        vec![0xff, 0xfe, 0x00],
        b"a:\n".to_vec(),
        (0..200)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>()
            .into_bytes(),
        b"*x".to_vec(),
        b"--- !tag\n? [a, b]\n: c\n".to_vec(),
    ];
    for c in cases {
        let _ = assay_ci::audit_files(&[(".github/workflows/x.yml".into(), c)]);
    }
    let big = vec![b' '; 3 << 20];
    let f = assay_ci::audit_files(&[(".github/workflows/big.yml".into(), big)]);
    assert_eq!(f[0].rule, Rule::UnparseableWorkflow);
    assert_eq!(f[0].location.path, ".github/workflows/big.yml");
}

/// Workflows an sdist ships (`<name>-<version>/.github/workflows/…`) are audited as one
/// repository; other YAML in the archive is not read as a workflow.
#[test]
fn workflows_inside_an_artifact_are_found() {
    let mut art = assay_core::Artifact::new("demo-1.0.tar.gz", assay_core::ArtifactFormat::Sdist);
    let entry = |path: &str, data: Vec<u8>| assay_core::Entry {
        path: path.to_owned(),
        kind: assay_core::EntryKind::File,
        size: data.len() as u64,
        file_kind: assay_core::classify(path, &data),
        complete: true,
        data,
        sha256: None,
    };
    let wf = root().join("CI016/ultralytics/.github/workflows");
    art.entries = vec![
        entry(
            "demo-1.0/.github/workflows/format.yml",
            std::fs::read(wf.join("format.yml")).unwrap(),
        ),
        entry(
            "demo-1.0/.github/workflows/publish.yml",
            std::fs::read(wf.join("publish.yml")).unwrap(),
        ),
        entry(
            "demo-1.0/config/settings.yml",
            b"jobs: 3\non: true\n".to_vec(),
        ),
    ];
    let f = assay_ci::audit_artifact(&art);
    assert!(f.iter().any(|x| x.rule == Rule::OutsiderToPublishPath
        && x.severity == Severity::Critical
        && x.location.path == "demo-1.0/.github/workflows/format.yml"));
    assert!(f.iter().all(|x| !x.location.path.contains("settings.yml")));
}

/// CI027: a derived value of a secret (re-encoded, sliced) printed is high, the exact
/// value (masked by the runner) low.
#[test]
fn secret_in_log_severity_follows_masking() {
    let sev = |name: &str| -> Vec<Severity> {
        audit(&root().join("CI027").join(name))
            .into_iter()
            .filter(|x| x.rule == Rule::SecretInLog)
            .map(|x| x.severity)
            .collect()
    };
    assert_eq!(
        sev("echo-transformed.yml"),
        [Severity::High, Severity::High]
    );
    assert_eq!(sev("echo-plain.yml"), [Severity::Low]);
    assert_eq!(sev("xtrace.yml"), [Severity::Low]);
    let cat = audit(&root().join("CI027/cat-file.yml"));
    let f = cat.iter().find(|x| x.rule == Rule::SecretInLog).unwrap();
    assert_eq!(f.location.display(), ".github/workflows/cat-file.yml:10:14");
}

/// CI002 through outputs: the use is reported at the expansion, with the hops
/// (`$GITHUB_OUTPUT` write, job `outputs:` declaration) as related locations.
#[test]
fn injection_through_outputs_names_the_chain() {
    let f = audit(&root().join("CI002/step-output.yml"));
    let inj: Vec<&Finding> = f
        .iter()
        .filter(|x| x.rule == Rule::TemplateInjection)
        .collect();
    assert_eq!(inj.len(), 1, "{inj:#?}");
    assert_eq!(inj[0].severity, Severity::High);
    assert_eq!(
        inj[0].location.display(),
        ".github/workflows/step-output.yml:14:30"
    );
    assert!(
        inj[0]
            .evidence
            .contains("steps.meta.outputs.title ← $TITLE ← github.event.pull_request.title"),
        "{}",
        inj[0].evidence
    );
    let hops: Vec<String> = inj[0].related.iter().map(|l| l.display()).collect();
    assert_eq!(hops, [".github/workflows/step-output.yml:13:11"]);

    let f = audit(&root().join("CI002/job-output.yml"));
    let inj: Vec<&Finding> = f
        .iter()
        .filter(|x| x.rule == Rule::TemplateInjection)
        .collect();
    // The write itself (`github.head_ref` in the script) and the use in `report`.
    assert_eq!(inj.len(), 2, "{inj:#?}");
    let used = inj
        .iter()
        .find(|x| x.evidence.contains("needs.meta"))
        .unwrap();
    assert_eq!(used.severity, Severity::High);
    let hops: Vec<String> = used.related.iter().map(|l| l.display()).collect();
    assert_eq!(
        hops,
        [
            ".github/workflows/job-output.yml:12:14",
            ".github/workflows/job-output.yml:9:15"
        ]
    );
}

/// CI028: a malicious commit is critical, a compromised action's tag high, a vulnerable
/// version medium; each names its GHSA.
#[test]
fn known_vulnerable_actions_by_kind() {
    let f = audit(&root().join("CI028/compromised.yml"));
    let hits: Vec<(Severity, &str)> = f
        .iter()
        .filter(|x| x.rule == Rule::KnownVulnerableAction)
        .map(|x| (x.severity, x.evidence.as_str()))
        .collect();
    assert_eq!(hits.len(), 2, "{hits:#?}");
    assert_eq!(hits[0].0, Severity::Critical);
    assert!(hits[0].1.contains("GHSA-mrrh-fwg8-r2c3"));
    assert_eq!(hits[1].0, Severity::High);
    assert!(hits[1].1.contains("GHSA-qmg3-hpqr-gqvc"));
    let f = audit(&root().join("CI028/vulnerable-versions.yml"));
    assert_eq!(
        f.iter()
            .filter(|x| x.rule == Rule::KnownVulnerableAction && x.severity == Severity::Medium)
            .count(),
        3
    );
}
