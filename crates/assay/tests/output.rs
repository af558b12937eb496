//! The text output's reading aids (issue 17, item 2): repeated findings grouped per rule
//! and artifact (`--verbose` lists them), `--min-severity`, `-q`, and the per-rule bound
//! said instead of silently applied. None of them changes the JSON.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// `zoneinfo-data.tar.gz`: `links` symbolic links (ARC003 each), one file escaping with
/// `..` (ARC001, high) and an ordinary file.
fn tarball(dir: &Path, links: usize) -> PathBuf {
    let path = dir.join("zoneinfo-data.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    let mut t = tar::Builder::new(gz);
    let add_file = |t: &mut tar::Builder<_>, name: &[u8], data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        // Raw name: `tar` refuses `..` through `set_path`.
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_cksum();
        t.append(&h, data).unwrap();
    };
    add_file(&mut t, b"zoneinfo/README", b"time zones\n");
    add_file(&mut t, b"../escape.txt", b"x\n");
    for i in 0..links {
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_mode(0o777);
        h.set_entry_type(tar::EntryType::Symlink);
        t.append_link(&mut h, format!("zoneinfo/Zone{i:03}"), "../UTC")
            .unwrap();
    }
    t.into_inner().unwrap().finish().unwrap();
    path
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("assay")
        .current_dir(cwd)
        .env("ASSAY_CACHE_DIR", cwd.join("cache"))
        .env_remove("XDG_CACHE_HOME")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scan_text(tmp: &Path, extra: &[&str]) -> String {
    let tgz = tarball(tmp, 60);
    let mut args = vec!["scan", "--no-progress"];
    args.extend_from_slice(extra);
    args.push(tgz.to_str().unwrap());
    let (code, out, err) = run(tmp, &args);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    out.replace(tmp.canonicalize().unwrap().to_str().unwrap(), "[TMP]")
        .replace(tmp.to_str().unwrap(), "[TMP]")
}

#[test]
fn repeated_findings_of_one_rule_print_as_one_line() {
    let tmp = TempDir::new().unwrap();
    let out = scan_text(tmp.path(), &[]);
    insta::assert_snapshot!("grouped", out);
    assert_eq!(
        out.matches("ARC003").count(),
        2,
        "one group line and one bound line: {out}"
    );
    assert!(out.contains("×50 in zoneinfo/"), "{out}");
    // The per-rule bound is said, never silent.
    assert!(
        out.contains(
            "ARC003 link-entry: 10 more findings not listed (an artifact lists at most 50 per rule)"
        ),
        "{out}"
    );
}

#[test]
fn verbose_lists_every_finding() {
    let tmp = TempDir::new().unwrap();
    let out = scan_text(tmp.path(), &["--verbose"]);
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("  ARC003 link-entry  "))
            .count(),
        50,
        "{out}"
    );
    assert!(!out.contains('×'), "{out}");
}

#[test]
fn min_severity_hides_lower_findings_and_says_how_many() {
    let tmp = TempDir::new().unwrap();
    let all = scan_text(tmp.path(), &[]);
    let out = scan_text(tmp.path(), &["--min-severity", "high"]);
    insta::assert_snapshot!("min_severity_high", out);
    assert!(!out.contains("  ARC003 link-entry  "), "{out}");
    assert!(out.contains("ARC001"), "{out}");
    assert!(
        out.contains("50 findings below high not shown (--min-severity)"),
        "{out}"
    );
    // The verdict line and the summary are the same as without the filter.
    assert_eq!(out.lines().next(), all.lines().next());
    assert_eq!(out.lines().last(), all.lines().last());
    // JSON is never filtered.
    let tgz = tmp.path().join("zoneinfo-data.tar.gz");
    let (_, json, _) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--format",
            "json",
            "--min-severity",
            "critical",
            tgz.to_str().unwrap(),
        ],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    let a = &v["artifacts"][0];
    assert_eq!(a["findings"].as_array().unwrap().len(), 51, "{a:#}");
    assert_eq!(a["omitted"][0]["rule"]["code"], "ARC003");
    assert_eq!(a["omitted"][0]["count"], 10);
    assert_eq!(a["omitted"][0]["limit"], 50);
    let (code, _, err) = run(
        tmp.path(),
        &["scan", "--min-severity", "loud", tgz.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(err.contains("loud"), "{err}");
}

#[test]
fn quiet_prints_verdict_lines_only() {
    let tmp = TempDir::new().unwrap();
    let out = scan_text(tmp.path(), &["-q"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("SUSPICIOUS [TMP]/zoneinfo-data.tar.gz"),
        "{out}"
    );
    assert_eq!(lines[1], "");
    assert!(lines[2].starts_with("1 artifact: "), "{out}");
    let (code, _, err) = run(tmp.path(), &["scan", "-q", "-v", "x"]);
    assert_eq!(code, 2, "-q and -v conflict: {err}");
}

/// Fewer than the grouping threshold stay one line each.
#[test]
fn a_few_repeats_are_not_grouped() {
    let tmp = TempDir::new().unwrap();
    let tgz = tarball(tmp.path(), 3);
    let (_, out, _) = run(
        tmp.path(),
        &["scan", "--no-progress", tgz.to_str().unwrap()],
    );
    assert_eq!(out.matches("  ARC003 link-entry  ").count(), 3, "{out}");
    assert!(!out.contains('×'), "{out}");
}
