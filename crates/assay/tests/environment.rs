//! `assay scan --python …` on an installed environment (issue 17, item 1): one artifact
//! per installed distribution, the environment-level findings in their own artifact, the
//! whole environment still analysed together, and the closing table.
//!
//! The environment is built in a temp dir and "located" by a stand-in interpreter: a
//! shell script that prints the JSON `locate_environment` asks the real interpreter for,
//! so the test needs no Python and its output is the same on every machine. Payloads only
//! `echo assay-canary`.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The harmless stand-in for a second-stage payload.
const CANARY: &str = "import os; os.system('echo assay-canary')";

fn record_hash(data: &[u8]) -> String {
    format!("sha256={}", URL_SAFE_NO_PAD.encode(Sha256::digest(data)))
}

/// Install `name==version` into `site`: its files, METADATA and a RECORD listing them
/// all with correct hashes.
fn install(site: &Path, name: &str, version: &str, files: &[(&str, &[u8])]) {
    let info = format!("{}-{version}.dist-info", name.replace('-', "_"));
    let metadata = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    let mut all: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, d)| ((*p).to_owned(), d.to_vec()))
        .collect();
    all.push((format!("{info}/METADATA"), metadata.into_bytes()));
    all.push((format!("{info}/INSTALLER"), b"pip\n".to_vec()));
    let mut record = String::new();
    for (p, d) in &all {
        write(&site.join(p), d);
        record.push_str(&format!("{p},{},{}\n", record_hash(d), d.len()));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    write(&site.join(format!("{info}/RECORD")), record.as_bytes());
}

fn write(path: &Path, data: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

/// An environment of four distributions and two files no RECORD owns; returns the
/// stand-in interpreter.
///
/// - `litellm 1.82.8` ships `litellm_init.pth` with LiteLLM 1.82.8's spawning line;
/// - `tidyhelpers 2.4.1` is clean;
/// - `helperpkg 1.0` has a `_boot` module that runs a command at module level — harmless
///   when imported by a program, but the unrecorded `zz_boot.pth` imports it at every
///   start: only the whole environment shows that (`startup` context);
/// - `modpkg 0.1` had `modpkg/__init__.py` changed after installation (RECORD mismatch);
/// - `stdlib/sitecustomize.py` and `zz_boot.pth` belong to no distribution.
fn environment(tmp: &Path) -> PathBuf {
    let root = tmp.join("env");
    let site = root.join("lib/python3.12/site-packages");
    let stdlib = root.join("lib/python3.12");
    let pth = format!(
        "import os, subprocess, sys; subprocess.Popen([sys.executable, \"-c\", \
         \"import base64; exec(base64.b64decode('{}'))\"])\n",
        STANDARD.encode(CANARY)
    );
    install(
        &site,
        "litellm",
        "1.82.8",
        &[
            ("litellm/__init__.py", b"__version__ = \"1.82.8\"\n"),
            ("litellm_init.pth", pth.as_bytes()),
        ],
    );
    install(
        &site,
        "tidyhelpers",
        "2.4.1",
        &[(
            "tidyhelpers/__init__.py",
            b"def tidy(s):\n    return s.strip()\n",
        )],
    );
    install(
        &site,
        "helperpkg",
        "1.0",
        &[
            ("helperpkg/__init__.py", b""),
            (
                "helperpkg/_boot.py",
                b"import subprocess\nsubprocess.run(['sh', '-c', 'echo assay-canary'])\n",
            ),
        ],
    );
    install(
        &site,
        "modpkg",
        "0.1",
        &[("modpkg/__init__.py", b"VALUE = 1\n")],
    );
    write(&site.join("modpkg/__init__.py"), b"VALUE = 2\n");
    write(&site.join("zz_boot.pth"), b"import helperpkg._boot\n");
    write(
        &stdlib.join("sitecustomize.py"),
        b"import sys\nsys.dont_write_bytecode = True\n",
    );
    let python = root.join("bin/python3");
    let answer = serde_json::json!({
        "prefix": root,
        "base_prefix": root,
        "purelib": site,
        "platlib": site,
        "stdlib": stdlib,
        "sitepackages": [site],
        "usersite": "",
        "version": "3.12.0",
    });
    write(
        &python,
        format!("#!/bin/sh\ncat <<'EOF'\n{answer}\nEOF\n").as_bytes(),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    python
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

fn redact(tmp: &Path, s: &str) -> String {
    let real = tmp.canonicalize().unwrap();
    s.replace(real.to_str().unwrap(), "[TMP]")
        .replace(tmp.to_str().unwrap(), "[TMP]")
}

/// `(code, path)` of every finding of an artifact.
fn findings(a: &Value) -> Vec<(String, String)> {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"]["code"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn scan_json(tmp: &Path, python: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "scan",
        "--no-progress",
        "--format",
        "json",
        "--python",
        python.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(tmp, &args);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}); exit {code}; stderr:\n{err}\n{out}"));
    (code, v)
}

#[test]
fn an_environment_reports_one_artifact_per_distribution() {
    let tmp = TempDir::new().unwrap();
    let python = environment(tmp.path());
    let (code, v) = scan_json(tmp.path(), &python, &[]);
    assert_eq!(code, 1, "{v:#}");
    let arts = v["artifacts"].as_array().unwrap();
    let env = python.to_str().unwrap();
    let paths: Vec<&str> = arts.iter().map(|a| a["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            env.to_owned(),
            format!("{env}!/helperpkg==1.0"),
            format!("{env}!/litellm==1.82.8"),
            format!("{env}!/modpkg==0.1"),
            format!("{env}!/tidyhelpers==2.4.1"),
        ],
        "the environment first, then its distributions by name"
    );
    assert!(arts.iter().all(|a| a["format"] == "environment"));
    let by = |name: &str| {
        arts.iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no {name}: {v:#}"))
    };
    // The malicious .pth is litellm's: its RECORD lists it.
    let litellm = by("litellm");
    assert_eq!(litellm["version"], "1.82.8");
    assert_eq!(litellm["verdict"], "malicious", "{litellm:#}");
    assert!(
        findings(litellm)
            .iter()
            .any(|(c, p)| c == "PKG001" && p == "litellm_init.pth"),
        "{litellm:#}"
    );
    assert_eq!(by("tidyhelpers")["verdict"], "clean");
    assert!(findings(by("tidyhelpers")).is_empty());
    // A file changed after installation is reported on its distribution.
    assert!(
        findings(by("modpkg"))
            .iter()
            .any(|(c, p)| c == "PKG006" && p == "modpkg/__init__.py"),
        "{:#}",
        by("modpkg")
    );
    // Cross-file: the unrecorded .pth makes helperpkg's module run at startup, which
    // only analysing the environment as a whole can see; the finding is helperpkg's.
    let helper = by("helperpkg");
    let boot: Vec<&Value> = helper["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["path"] == "helperpkg/_boot.py")
        .collect();
    assert!(
        boot.iter().any(|f| f["context"] == "startup"),
        "helperpkg/_boot.py judged in startup context: {helper:#}"
    );
    // What no RECORD owns stays with the environment.
    let whole = &arts[0];
    assert!(whole["name"].is_null());
    let own = findings(whole);
    assert!(
        own.iter().any(|(c, p)| c == "PKG007" && p == "zz_boot.pth"),
        "{own:?}"
    );
    assert!(
        own.iter()
            .any(|(c, p)| c == "PKG009" && p == "stdlib/sitecustomize.py"),
        "{own:?}"
    );
    assert!(
        !own.iter().any(|(_, p)| p.starts_with("litellm")
            || p.starts_with("modpkg")
            || p.starts_with("helperpkg")),
        "owned files are not environment-level: {own:?}"
    );
    // The environment-level verdict is the whole environment's: never lower than a part.
    assert_eq!(whole["verdict"], "malicious");
    // Every finding is reported exactly once.
    let total: usize = arts
        .iter()
        .map(|a| a["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["summary"]["findings"], total);
}

#[test]
fn environment_text_output_ends_with_the_distribution_table() {
    let tmp = TempDir::new().unwrap();
    let python = environment(tmp.path());
    let (code, out, err) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--python",
            python.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("environment_text", redact(tmp.path(), &out));
    // --verbose lists the clean distributions too.
    let (_, out, _) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--verbose",
            "--python",
            python.to_str().unwrap(),
        ],
    );
    let out = redact(tmp.path(), &out);
    assert!(
        out.contains("CLEAN      [TMP]/env/bin/python3!/tidyhelpers==2.4.1"),
        "{out}"
    );
    // -q: the verdict lines of what is not clean, and the summary; no table.
    let (_, out, _) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "-q",
            "--python",
            python.to_str().unwrap(),
        ],
    );
    insta::assert_snapshot!("environment_text_quiet", redact(tmp.path(), &out));
}

#[test]
fn suppressions_name_a_distribution_of_the_environment() {
    let tmp = TempDir::new().unwrap();
    let python = environment(tmp.path());
    let config = tmp.path().join("policy.toml");
    std::fs::write(
        &config,
        "[[suppress]]\nrule = \"PKG006\"\npackage = \"modpkg\"\nreason = \"patched on purpose\"\n",
    )
    .unwrap();
    let (_, v) = scan_json(tmp.path(), &python, &["--config", config.to_str().unwrap()]);
    let modpkg = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "modpkg")
        .unwrap();
    assert!(
        !findings(modpkg).iter().any(|(c, _)| c == "PKG006"),
        "{modpkg:#}"
    );
    assert_eq!(modpkg["suppressed"], 1);
    assert!(v.get("unused_suppressions").is_none(), "{v:#}");
}

#[test]
fn sarif_locations_of_a_distribution_are_the_environment_files() {
    let tmp = TempDir::new().unwrap();
    let python = environment(tmp.path());
    let (_, out, _) = run(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--format",
            "sarif",
            "--python",
            python.to_str().unwrap(),
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.iter()
            .any(|u| u.ends_with("/bin/python3/litellm_init.pth")),
        "{uris:?}"
    );
    assert!(
        !uris.iter().any(|u| u.contains("%21") || u.contains("==")),
        "{uris:?}"
    );
}

/// `n` symbolic-link members in a tar.gz (one ARC003 each, as zoneinfo tarballs give).
fn links_tgz(n: usize) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut t = tar::Builder::new(gz);
    for i in 0..n {
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_mode(0o777);
        h.set_entry_type(tar::EntryType::Symlink);
        t.append_link(&mut h, format!("zoneinfo/Zone{i:02}"), "../UTC")
            .unwrap();
    }
    t.into_inner().unwrap().finish().unwrap()
}

/// The per-rule bound (50 listed findings per rule) applies per reported artifact: a
/// distribution whose tarball holds 60 symbolic links lists 50 and says 10 more, and
/// neither the other distributions nor the environment level lose anything to it.
#[test]
fn the_per_rule_bound_applies_per_distribution() {
    let tmp = TempDir::new().unwrap();
    let python = environment(tmp.path());
    let site = tmp.path().join("env/lib/python3.12/site-packages");
    let tgz = links_tgz(60);
    install(
        &site,
        "zonepkg",
        "1.0",
        &[
            ("zonepkg/__init__.py", b""),
            ("zonepkg/zoneinfo.tar.gz", tgz.as_slice()),
        ],
    );
    // An unowned tarball with 3 links: environment-level, not cut.
    write(&site.join("stray-zones.tar.gz"), &links_tgz(3));
    let (_, v) = scan_json(tmp.path(), &python, &[]);
    let arts = v["artifacts"].as_array().unwrap();
    let zonepkg = arts.iter().find(|a| a["name"] == "zonepkg").unwrap();
    let listed = findings(zonepkg)
        .iter()
        .filter(|(c, p)| c == "ARC003" && p.starts_with("zonepkg/zoneinfo.tar.gz!/"))
        .count();
    assert_eq!(listed, 50, "{zonepkg:#}");
    assert_eq!(
        zonepkg["omitted"][0]["rule"]["code"], "ARC003",
        "{zonepkg:#}"
    );
    assert_eq!(zonepkg["omitted"][0]["count"], 10);
    let env = &arts[0];
    assert!(env.get("omitted").is_none(), "{env:#}");
    let stray = findings(env)
        .iter()
        .filter(|(c, p)| c == "ARC003" && p.starts_with("stray-zones.tar.gz!/"))
        .count();
    assert_eq!(stray, 3, "{env:#}");
    for a in arts.iter().filter(|a| a["name"] != "zonepkg") {
        assert!(a.get("omitted").is_none(), "{a:#}");
    }
}
