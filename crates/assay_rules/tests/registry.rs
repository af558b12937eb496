//! The registry's invariants: unique codes and names, complete docs, fixtures.
#![allow(clippy::unwrap_used)]

use assay_core::{Family, FileKind, Rule};
use assay_rules::Check;
use std::collections::HashSet;
use std::path::Path;

/// Rules whose fixtures are built in Rust (package structure, environments) or, for
/// ARC rules, by `assay_sources`' hostile-archive tests.
const FIXTURES_IN_CODE: &[&str] = &[
    "PKG002", "PKG003", "PKG004", "PKG005", "PKG006", "PKG007", "PKG008", "PKG011",
    // Bytecode built in the test: tests/evasions.rs.
    "PKG013", "PKG014",
    // Needs an installed IOC set: tests/known_iocs.rs, in a process of its own.
    "IOC006",
    // Needs an installed advisory lookup: tests/known_packages.rs, likewise.
    "PKG015", // Sdists with build scripts and test archives: tests/release_rules.rs.
    "REL010", "REL011",
];

/// The catalog (`assay_core::catalog`) and the registry describe the same rules: every
/// catalog rule has exactly one registry entry (so a docs page, `assay explain` and SARIF
/// help), and nothing is registered twice.
#[test]
fn every_catalog_rule_is_registered_once() {
    let mut seen = HashSet::new();
    for r in assay_rules::REGISTRY {
        assert!(seen.insert(r.meta.rule), "{} registered twice", r.meta.rule);
    }
    for rule in Rule::ALL {
        assert!(
            seen.contains(rule),
            "{} is in the catalog but has no registry entry (rules/mod.rs)",
            rule.label()
        );
    }
    assert_eq!(seen.len(), Rule::ALL.len());
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in assay_rules::REGISTRY {
        let m = r.meta.rule;
        assert!(codes.insert(m.code()), "duplicate code {}", m.code());
        assert!(names.insert(m.name()), "duplicate name {}", m.name());
        assert!(
            m.code().starts_with(m.family().prefix()),
            "{} not in family {:?}",
            m.code(),
            m.family()
        );
        assert!(
            m.name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{} not kebab-case",
            m.name()
        );
        assert!(!m.name().starts_with("bad-"), "{}", m.name());
        assert!(!m.summary().is_empty(), "{} has no summary", m.code());
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## False positives",
            "## References",
        ] {
            assert!(r.meta.doc.contains(section), "{} lacks {section}", m.code());
        }
        // Scan rules declare the file kinds they look at (per-file rules are dispatched
        // by them); rules raised by other commands have none, archive rules `Archive`.
        match (r.check, m.family()) {
            (Check::Elsewhere, Family::Arc) => {
                assert_eq!(m.targets(), [FileKind::Archive], "{}", m.code());
            }
            (Check::Elsewhere, _) => {
                assert!(m.targets().is_empty(), "{} declares targets", m.code());
            }
            (Check::CodeFile(_), _) => assert!(
                m.targets()
                    .iter()
                    .all(|k| matches!(k, FileKind::Python | FileKind::Pth | FileKind::JavaScript))
                    && !m.targets().is_empty(),
                "{}: a per-code-file rule targets Python, Pth and/or JavaScript",
                m.code()
            ),
            (Check::Artifact(_), _) => {
                assert!(!m.targets().is_empty(), "{} declares no targets", m.code());
            }
        }
    }
}

/// Every rule has a generated docs page, and the page is its own (`cargo dev
/// generate-all --check` checks the content).
#[test]
fn every_rule_has_a_docs_page() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    for rule in Rule::ALL {
        let page = docs.join(format!("{}-{}.md", rule.code(), rule.name()));
        assert!(
            page.is_file(),
            "{} needs docs/rules/{}-{}.md (run `cargo dev generate-all`)",
            rule.code(),
            rule.code(),
            rule.name()
        );
    }
}

#[test]
fn every_rule_has_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for r in assay_rules::REGISTRY {
        let code = r.meta.rule.code();
        // Rules raised by other commands (`check: None`) keep their fixtures in the
        // crate that raises them.
        if code.starts_with("ARC") || FIXTURES_IN_CODE.contains(&code) || !r.check.is_scan() {
            continue;
        }
        let dir = root.join(code);
        let has_match = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok).any(|e| {
                    e.path().is_file() || e.path().is_dir() && !e.path().ends_with("benign")
                })
            })
            .unwrap_or(false);
        let has_benign = std::fs::read_dir(dir.join("benign"))
            .map(|d| d.count() > 0)
            .unwrap_or(false);
        assert!(
            has_match && has_benign,
            "{code} needs fixtures/{code}/ and fixtures/{code}/benign/"
        );
    }
}

#[test]
fn rule_list_snapshot() {
    let list: Vec<String> = assay_rules::REGISTRY
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.meta.rule.code(),
                r.meta.rule.name(),
                r.meta.rule.severity(),
                r.meta.rule.confidence()
            )
        })
        .collect();
    insta::assert_snapshot!(list.join("\n"));
}

/// Rules raised outside `assay scan` have their fixtures in the crate that raises them;
/// there, some test must name the rule's code: a test file, a fixture, or a unit-test
/// module (the text after `#[cfg(test)]`, or a `tests.rs` module file) of that crate or of
/// the CLI tests.
#[test]
fn rules_raised_elsewhere_are_tested_where_they_are_raised() {
    // Known gaps when this test was written: raised, but no test asserts them by code.
    // Add a test that names each, then remove it from this list.
    const NOT_YET_NAMED: &[&str] = &["GIT004", "GIT008", "GIT010", "DEP006"];
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut texts: Vec<(Family, String)> = Vec::new();
    let mut read = |family: Family, dir: &Path, tests_only: bool| {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.filter_map(Result::ok) {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(t) = std::fs::read_to_string(&p) {
                    // A unit-test module in a file of its own (`mod tests;` → `tests.rs`)
                    // is test code whole.
                    let t = if tests_only && p.file_name().is_none_or(|n| n != "tests.rs") {
                        t.split_once("#[cfg(test)]").map(|x| x.1.to_owned())
                    } else {
                        Some(t)
                    };
                    texts.extend(t.map(|t| (family, t)));
                }
            }
        }
    };
    for (family, krate) in [
        (Family::Arc, "assay_sources"),
        (Family::Git, "assay_history"),
        (Family::Dep, "assay_deps"),
        (Family::Ml, "assay"),
        (Family::Ci, "assay_ci"),
        // `assay tags` (CI024–CI026): tested end to end in crates/assay/tests/tags.rs.
        (Family::Ci, "assay"),
        (Family::Skill, "assay_agents"),
        (Family::Mcp, "assay_agents"),
        (Family::Rel, "assay_release"),
        (Family::Rel, "assay"),
    ] {
        read(family, &crates.join(krate).join("tests"), false);
        read(family, &crates.join(krate).join("fixtures"), false);
        read(family, &crates.join(krate).join("src"), true);
    }
    for r in assay_rules::REGISTRY
        .iter()
        .filter(|r| !r.check.is_scan() && !NOT_YET_NAMED.contains(&r.meta.rule.code()))
    {
        let rule = r.meta.rule;
        assert!(
            texts
                .iter()
                .any(|(f, t)| *f == rule.family() && t.contains(rule.code())),
            "{} is raised outside `assay scan` but no test of the crate raising it names it",
            rule.label()
        );
    }
}
