//! Unit tests of `registry`: spec parsing, the simple-API and npm document parsers,
//! release selection, digests, and the release metadata rules (DEP013 release-burst,
//! DEP014 dormant-release, DEP015 attestation-dropped, DEP011 for a yanked release).
//! No network: the fetch itself is tested against a local server in
//! `crates/assay/tests/registry_specs.rs`.

use super::*;

const NOW: i64 = 1_800_000_000;
const H: i64 = 3600;

fn spec(s: &str) -> Spec {
    Spec::parse(s).unwrap().unwrap()
}

#[test]
fn pypi_specs_normalise_per_pep_503() {
    let s = spec("pypi:Foo_Bar==1.0");
    assert_eq!(
        (s.ecosystem, s.name.as_str(), s.version.as_deref()),
        (Ecosystem::PyPI, "foo-bar", Some("1.0"))
    );
    assert_eq!(spec("pypi:A.B__c-d").name, "a-b-c-d");
    assert_eq!(spec("pypi:requests").version, None);
    assert_eq!(spec("pypi:Foo_Bar==1.0").to_string(), "pypi:foo-bar==1.0");
    for bad in [
        "pypi:",
        "pypi:-x",
        "pypi:x-",
        "pypi:x>=1",
        "pypi:x==",
        "pypi:x==1.*",
        "pypi:x==not a version",
        "pypi:x[extra]==1",
        "pypi:x@1.0",
        "pypi:../x",
    ] {
        let e = Spec::parse(bad).unwrap_err().to_string();
        assert!(e.contains(bad), "{bad}: {e}");
    }
    assert_eq!(Spec::parse("./pypi:x").unwrap(), None);
    assert_eq!(Spec::parse("dist/x.whl").unwrap(), None);
    assert!(is_spec("npm:x") && is_spec("pypi:x") && !is_spec("pip:x"));
}

#[test]
fn npm_specs_with_scopes_versions_and_tags() {
    let s = spec("npm:@scope/name@1.2.3");
    assert_eq!(
        (s.ecosystem, s.name.as_str(), s.version.as_deref()),
        (Ecosystem::Npm, "@scope/name", Some("1.2.3"))
    );
    assert_eq!(spec("npm:@scope/name").version, None);
    assert_eq!(spec("npm:chalk@5.6.1").name, "chalk");
    assert_eq!(spec("npm:typescript@next").version.as_deref(), Some("next"));
    assert_eq!(spec("npm:JSONStream").name, "JSONStream");
    assert_eq!(
        spec("npm:@s/n@1.0.0-rc.1").to_string(),
        "npm:@s/n@1.0.0-rc.1"
    );
    for bad in [
        "npm:",
        "npm:@scope",
        "npm:@scope/",
        "npm:.hidden",
        "npm:a/b",
        "npm:x@^1.0.0",
        "npm:x@>=1",
        "npm:x@1.0",
        "npm:x@",
        "npm:@s/../x",
    ] {
        assert!(Spec::parse(bad).is_err(), "{bad}");
    }
}

fn jfile(name: &str, t: Option<i64>, yanked: bool, prov: bool) -> serde_json::Value {
    let mut f = serde_json::json!({
        "filename": name,
        "url": format!("../../packages/{name}"),
        "hashes": {"sha256": "AB".repeat(32)},
        "yanked": yanked,
    });
    if let Some(t) = t {
        f["upload-time"] = jiff::Timestamp::from_second(t).unwrap().to_string().into();
    }
    if prov {
        f["provenance"] = "https://pypi.example.invalid/prov".into();
    }
    f
}

fn page(files: &[serde_json::Value]) -> Vec<u8> {
    serde_json::to_vec(
        &serde_json::json!({"meta": {"api-version": "1.1"}, "name": "pkg", "files": files}),
    )
    .unwrap()
}

const PAGE: &str = "https://idx.example.invalid/simple/pkg/";

#[test]
fn pep691_json_is_parsed_with_relative_urls_yanks_times_and_provenance() {
    let body = page(&[
        jfile("pkg-1.0.tar.gz", Some(NOW), false, false),
        jfile("pkg-1.0-py3-none-any.whl", Some(NOW + 60), true, true),
    ]);
    let f = parse_simple(PAGE, &body).unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(
        f[0].url,
        "https://idx.example.invalid/packages/pkg-1.0.tar.gz"
    );
    assert_eq!(f[0].sha256.as_deref(), Some("ab".repeat(32).as_str()));
    assert_eq!(f[0].upload_time, Some(NOW));
    assert!(!f[0].yanked && !f[0].provenance);
    assert!(f[1].yanked && f[1].provenance);
    // A yank reason string is a yank; a malformed sha256 is no sha256.
    let body = serde_json::to_vec(&serde_json::json!({"files": [
        {"filename": "pkg-1.0.zip", "url": "https://f.example.invalid/pkg-1.0.zip",
         "hashes": {"sha256": "xyz"}, "yanked": "broken build"}]}))
    .unwrap();
    let f = parse_simple(PAGE, &body).unwrap();
    assert!(f[0].yanked);
    assert_eq!(f[0].sha256, None);
}

#[test]
fn malformed_simple_pages_are_errors_naming_the_url() {
    for body in [
        &b""[..],
        b"{not json",
        b"[]",
        b"{\"meta\": {\"api-version\": \"2.0\"}, \"files\": []}",
        b"{\"name\": \"x\"}",
        b"{\"files\": [{\"filename\": \"x.whl\"}]}",
        b"{\"files\": [{\"filename\": \"x.whl\", \"url\": \"file:///etc/passwd\"}]}",
        b"plain text",
        b"<html><a href=\"x.whl\">x.whl",
        b"<a href=\"javascript:alert(1)\">pkg-1.0.zip</a>",
    ] {
        let e = parse_simple(PAGE, body).unwrap_err().to_string();
        assert!(e.starts_with(PAGE), "{e}");
    }
}

#[test]
fn pep503_html_is_parsed() {
    let html = format!(
        r#"<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"></head>
<body><h1>Links for pkg</h1>
<A HREF="../../packages/pkg-1.0.tar.gz#sha256={h}" data-requires-python="&gt;=3.8">pkg-1.0.tar.gz</A><br/>
<a data-yanked="" href='/packages/pkg-1.1-py3-none-any.whl#sha256={h}'>pkg-1.1-py3-none-any.whl</a>
<a href=https://files.example.invalid/pkg-1.2.zip?x=1&amp;y=2#sha256={h} data-provenance="https://p.example.invalid/x">pkg-1.2.zip</a>
<a name="anchor-without-href">nothing</a>
<abbr>not an anchor</abbr>
</body></html>"#,
        h = "0f".repeat(32)
    );
    let f = parse_simple(PAGE, html.as_bytes()).unwrap();
    let got: Vec<(&str, &str, bool, bool)> = f
        .iter()
        .map(|f| (f.filename.as_str(), f.url.as_str(), f.yanked, f.provenance))
        .collect();
    assert_eq!(
        got,
        [
            (
                "pkg-1.0.tar.gz",
                "https://idx.example.invalid/packages/pkg-1.0.tar.gz",
                false,
                false
            ),
            (
                "pkg-1.1-py3-none-any.whl",
                "https://idx.example.invalid/packages/pkg-1.1-py3-none-any.whl",
                true,
                false
            ),
            (
                "pkg-1.2.zip",
                "https://files.example.invalid/pkg-1.2.zip?x=1&y=2",
                false,
                true
            ),
        ]
    );
    assert!(
        f.iter()
            .all(|f| f.sha256.as_deref() == Some("0f".repeat(32).as_str()))
    );
    assert!(f.iter().all(|f| f.upload_time.is_none()));
}

#[test]
fn urls_resolve_like_rfc_3986() {
    let b = "http://h.example.invalid:8080/simple/pkg/";
    for (href, want) in [
        ("x.whl", "http://h.example.invalid:8080/simple/pkg/x.whl"),
        ("./x.whl", "http://h.example.invalid:8080/simple/pkg/x.whl"),
        ("../../p/x.whl", "http://h.example.invalid:8080/p/x.whl"),
        (
            "../../../../p/x.whl",
            "http://h.example.invalid:8080/p/x.whl",
        ),
        ("/p/x.whl?a=b", "http://h.example.invalid:8080/p/x.whl?a=b"),
        (
            "//cdn.example.invalid/x.whl",
            "http://cdn.example.invalid/x.whl",
        ),
        (
            "HTTPS://cdn.example.invalid/x.whl",
            "HTTPS://cdn.example.invalid/x.whl",
        ),
    ] {
        assert_eq!(join_url(b, href).as_deref(), Some(want), "{href}");
    }
    for href in [
        "ftp://x/y",
        "file:///etc/passwd",
        "data:text/plain,x",
        "a\nb",
    ] {
        assert_eq!(join_url(b, href), None, "{href}");
    }
    assert_eq!(join_url("file:///simple/", "x.whl"), None);
}

#[test]
fn file_names_parse_to_versions_of_their_project() {
    let v = |f: &str, p: &str| dist_version(f, p).map(|v| v.to_string());
    assert_eq!(v("pkg-1.0-py3-none-any.whl", "pkg").as_deref(), Some("1.0"));
    assert_eq!(
        v(
            "Foo_Bar-2.0rc1-1-cp312-cp312-manylinux_2_17_x86_64.whl",
            "foo-bar"
        )
        .as_deref(),
        Some("2.0rc1")
    );
    assert_eq!(v("foo_bar-2.0.tar.gz", "foo-bar").as_deref(), Some("2.0"));
    assert_eq!(v("foo-bar-2.0.tar.gz", "foo-bar").as_deref(), Some("2.0"));
    assert_eq!(v("Foo.Bar-2.0.zip", "foo-bar").as_deref(), Some("2.0"));
    assert_eq!(v("pkg-1.0-py2.7.egg", "pkg").as_deref(), Some("1.0"));
    // Another project's file, a wheel with the wrong shape, other upload types.
    assert_eq!(v("pkg-extra-1.0-py3-none-any.whl", "pkg"), None);
    assert_eq!(v("pkg-1.0.whl", "pkg"), None);
    assert_eq!(v("pkg-1.0.win32.exe", "pkg"), None);
    assert_eq!(v("pkg-1.0.tar.gz.asc", "pkg"), None);
    assert_eq!(v("pkgx-1.0.tar.gz", "pkg"), None);
}

fn files(list: &[(&str, Option<i64>, bool, bool)]) -> Vec<IndexFile> {
    let v: Vec<_> = list
        .iter()
        .map(|(n, t, y, p)| jfile(n, *t, *y, *p))
        .collect();
    parse_simple(PAGE, &page(&v)).unwrap()
}

#[test]
fn latest_release_skips_prereleases_and_yanked_files() {
    let fs = files(&[
        ("pkg-1.0.tar.gz", None, false, false),
        ("pkg-1.1-py3-none-any.whl", None, false, false),
        ("pkg-1.1.tar.gz", None, true, false),
        ("pkg-1.2-py3-none-any.whl", None, true, false),
        ("pkg-2.0b1.tar.gz", None, false, false),
        ("pkg-1.10.dev3.tar.gz", None, false, false),
    ]);
    let s = select_pypi(&spec("pypi:pkg"), &fs).unwrap();
    assert_eq!(s.version, "1.1");
    let names: Vec<&str> = s.files.iter().map(|f| f.filename.as_str()).collect();
    assert_eq!(names, ["pkg-1.1-py3-none-any.whl"]);
    // An exact version takes every file, yanked ones too, and says when all are.
    let s = select_pypi(&spec("pypi:pkg==1.1.0"), &fs).unwrap();
    assert_eq!(s.files.len(), 2);
    assert!(!s.yanked);
    let s = select_pypi(&spec("pypi:pkg==1.2"), &fs).unwrap();
    assert!(s.yanked);
    assert_eq!(s.files.len(), 1);
    let s = select_pypi(&spec("pypi:pkg==2.0b1"), &fs).unwrap();
    assert_eq!(s.files.len(), 1);
    let e = select_pypi(&spec("pypi:pkg==9.9"), &fs)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no file of version 9.9") && e.contains("2.0b1"),
        "{e}"
    );
    let only_pre = files(&[("pkg-1.0a1.tar.gz", None, false, false)]);
    assert!(select_pypi(&spec("pypi:pkg"), &only_pre).is_err());
    assert!(select_pypi(&spec("pypi:pkg"), &[]).is_err());
}

#[test]
fn npm_packuments_digests_and_selection() {
    use base64::Engine as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let doc = serde_json::json!({
        "name": "@s/n",
        "dist-tags": {"latest": "1.1.0", "next": "2.0.0-rc.1"},
        "time": {"created": "2020-01-01T00:00:00Z", "1.0.0": "2020-01-01T00:00:00Z",
                 "1.1.0": "2021-01-01T00:00:00.000Z"},
        "versions": {
            "1.0.0": {"dist": {"tarball": "https://r.example.invalid/@s/n/-/n-1.0.0.tgz",
                               "shasum": "AA".repeat(20), "attestations": {"url": "x"}}},
            "1.1.0": {"dist": {"tarball": "https://r.example.invalid/@s/n/-/n-1.1.0.tgz",
                               "integrity": format!("sha1-{} sha512-{}", b64(&[1; 20]), b64(&[2; 64]))}},
            "2.0.0-rc.1": {"dist": {"tarball": "https://r.example.invalid/x/../evil/..%2f.tgz"}},
        }
    });
    let url = "https://r.example.invalid/@s%2fn";
    let p = parse_packument(url, &serde_json::to_vec(&doc).unwrap()).unwrap();
    let vs: Vec<&str> = p.versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(vs, ["1.0.0", "1.1.0", "2.0.0-rc.1"]);
    let latest = select_npm(&spec("npm:@s/n"), &p).unwrap();
    assert_eq!(latest.version, "1.1.0");
    assert_eq!(latest.published, Some(1_609_459_200));
    assert_eq!(
        npm_digest(latest.integrity.as_deref(), latest.shasum.as_deref()),
        Some(Digest::Sha512("02".repeat(64)))
    );
    let old = select_npm(&spec("npm:@s/n@1.0.0"), &p).unwrap();
    assert!(old.attested);
    assert_eq!(
        npm_digest(old.integrity.as_deref(), old.shasum.as_deref()),
        Some(Digest::Sha1("aa".repeat(20)))
    );
    assert_eq!(
        npm_filename("@s/n", "1.0.0", old.tarball.as_deref().unwrap()),
        "n-1.0.0.tgz"
    );
    let rc = select_npm(&spec("npm:@s/n@next"), &p).unwrap();
    assert_eq!(rc.version, "2.0.0-rc.1");
    assert_eq!(npm_digest(None, None), None);
    assert_eq!(
        npm_filename("@s/n", "2.0.0-rc.1", rc.tarball.as_deref().unwrap()),
        "n-2.0.0-rc.1.tgz"
    );
    let e = select_npm(&spec("npm:@s/n@3.0.0"), &p)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("npm:@s/n@3.0.0") && e.contains("2.0.0-rc.1"),
        "{e}"
    );
    // Integrity present but unusable: no fallback to the sha1 shasum.
    assert_eq!(npm_digest(Some("md5-AAAA"), Some(&"aa".repeat(20))), None);
    assert_eq!(
        npm_digest(Some(&format!("sha256-{}", b64(&[3; 32]))), None),
        Some(Digest::Sha256("03".repeat(32)))
    );
    for bad in [&b"{}"[..], b"[]", b"{\"versions\": 3}", b"nope"] {
        let e = parse_packument(url, bad).unwrap_err().to_string();
        assert!(e.starts_with(url), "{e}");
    }
}

#[test]
fn hashes_and_file_names() {
    let dir = tempfile::TempDir::new().unwrap();
    let p = dir.path().join("f");
    std::fs::write(&p, b"abc").unwrap();
    let (h, n) = hash_file(&p, &Digest::Sha256(String::new())).unwrap();
    assert_eq!(
        (h.as_str(), n),
        (
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            3
        )
    );
    let (h, _) = hash_file(&p, &Digest::Sha1(String::new())).unwrap();
    assert_eq!(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    let (h, _) = hash_file(&p, &Digest::Sha512(String::new())).unwrap();
    assert!(h.starts_with("ddaf35a193617aba"), "{h}");
    for bad in ["", ".x", "../x", "a/b", "a\\b", "c:x", "a\nb"] {
        assert!(!safe_filename(bad), "{bad:?}");
    }
    assert!(safe_filename("pkg-1.0-py3-none-any.whl"));
    // Placing links prunes files the release no longer lists.
    let blob = dir.path().join("blob");
    std::fs::write(&blob, b"x").unwrap();
    let rel = dir.path().join("rel");
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::write(rel.join("stale.whl"), b"old").unwrap();
    let placed = place(&rel, &[(blob.clone(), "pkg-1.0.tar.gz".into())]).unwrap();
    assert_eq!(placed, [rel.join("pkg-1.0.tar.gz")]);
    assert!(!rel.join("stale.whl").exists());
    assert_eq!(std::fs::read(&placed[0]).unwrap(), b"x");
}

// --- Release metadata rules -------------------------------------------------------------

fn rel(v: &str, files: &[(i64, bool)]) -> ReleaseFacts {
    ReleaseFacts {
        version: v.to_owned(),
        files: files
            .iter()
            .enumerate()
            .map(|(i, (t, a))| FileFacts {
                filename: format!("pkg-{v}-{i}.whl"),
                uploaded: Some(*t),
                attested: *a,
            })
            .collect(),
    }
}

fn codes(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.rule.code()).collect()
}

#[test]
fn dep013_release_burst_after_a_quiet_period() {
    let h = [
        rel("1.0", &[(NOW - 400 * DAY, false)]),
        rel("1.1", &[(NOW - 200 * DAY, false)]),
        rel("1.2", &[(NOW, false)]),
        rel("1.3", &[(NOW + 4 * H, false)]),
        rel("1.4", &[(NOW + 9 * H, false)]),
    ];
    for v in ["1.2", "1.3", "1.4"] {
        let f = release_findings("pypi:pkg==X", &h, v);
        assert_eq!(codes(&f), ["DEP013"], "{v}");
        assert!(
            f[0].evidence
                .contains("one of 3 versions (1.2, 1.3, 1.4) uploaded within 9 hour(s)"),
            "{}",
            f[0].evidence
        );
        assert!(f[0].evidence.contains("after 200 days without a release"));
        assert_eq!(f[0].severity, Severity::Low);
    }
    // Must not match: the releases before the burst, a busy project releasing daily,
    // two quick releases only, a burst with no release before it.
    assert!(release_findings("l", &h, "1.1").is_empty());
    let busy: Vec<ReleaseFacts> = (0..20)
        .map(|i| rel(&format!("1.{i}"), &[(NOW + i * 5 * H, false)]))
        .collect();
    assert!(release_findings("l", &busy, "1.10").is_empty());
    let two = [
        rel("1.0", &[(NOW - 400 * DAY, false)]),
        rel("1.1", &[(NOW, false)]),
        rel("1.2", &[(NOW + H, false)]),
    ];
    assert!(release_findings("l", &two, "1.2").is_empty());
    let fresh = [
        rel("0.1", &[(NOW, false)]),
        rel("0.2", &[(NOW + H, false)]),
        rel("0.3", &[(NOW + 2 * H, false)]),
    ];
    assert!(release_findings("l", &fresh, "0.3").is_empty());
}

#[test]
fn dep013_file_added_long_after_its_release() {
    let h = [
        rel("1.0", &[(NOW - 100 * DAY, false)]),
        rel(
            "1.1",
            &[
                (NOW - 50 * DAY, false),
                (NOW - 50 * DAY + H, false),
                (NOW - 20 * DAY, false),
            ],
        ),
    ];
    let f = release_findings("pypi:pkg==1.1", &h, "1.1");
    assert_eq!(codes(&f), ["DEP013"]);
    assert_eq!(f[0].location.path, "pkg-1.1-2.whl");
    assert!(f[0].evidence.contains("30 days after"), "{}", f[0].evidence);
    // Files a few days apart are not flagged.
    let h = [rel("1.0", &[(NOW, false), (NOW + 6 * DAY, false)])];
    assert!(release_findings("l", &h, "1.0").is_empty());
}

#[test]
fn dep014_dormant_release() {
    let h = [
        rel("0.1.2", &[(NOW - 2703 * DAY, false)]),
        rel("0.2.2", &[(NOW, false)]),
    ];
    let f = release_findings("pypi:ctx==0.2.2", &h, "0.2.2");
    assert_eq!(codes(&f), ["DEP014"]);
    assert!(
        f[0].evidence
            .contains("2703 days after the previous release (0.1.2")
    );
    // Must not match: 364 days, the first release, a backport uploaded after a newer
    // release (the previous one is by upload time, not by version).
    let h = [
        rel("1.0", &[(NOW - 364 * DAY, false)]),
        rel("1.1", &[(NOW, false)]),
    ];
    assert!(release_findings("l", &h, "1.1").is_empty());
    assert!(release_findings("l", &h, "1.0").is_empty());
    let h = [
        rel("1.0.1", &[(NOW, false)]),
        rel("1.0", &[(NOW - 900 * DAY, false)]),
        rel("2.0", &[(NOW - 10 * DAY, false)]),
    ];
    assert!(release_findings("l", &h, "1.0.1").is_empty());
    // Unknown times (a PEP 503 HTML page): no time rule.
    let h = [
        ReleaseFacts {
            version: "1.0".into(),
            files: vec![],
        },
        rel("1.1", &[(NOW, false)]),
    ];
    assert!(release_findings("l", &h, "1.1").is_empty());
}

#[test]
fn dep015_attestation_dropped() {
    let h = [
        rel("1.0", &[(NOW - 20 * DAY, true), (NOW - 20 * DAY, true)]),
        rel("1.1", &[(NOW, false), (NOW, false)]),
    ];
    let f = release_findings("pypi:pkg==1.1", &h, "1.1");
    assert_eq!(codes(&f), ["DEP015"]);
    assert_eq!(f[0].severity, Severity::Medium);
    assert!(
        f[0].evidence
            .contains("no file of pypi:pkg==1.1 has a provenance attestation; the previous release 1.0 had one (2 of 2 files)"),
        "{}",
        f[0].evidence
    );
    // Some files attested, one not: the one without is named.
    let h = [rel("1.0", &[(NOW, true), (NOW, false), (NOW, true)])];
    let f = release_findings("l", &h, "1.0");
    assert_eq!(codes(&f), ["DEP015"]);
    assert_eq!(f[0].location.path, "pkg-1.0-1.whl");
    // Must not match: never attested, attested throughout, attestation added, the
    // first release.
    let never = [
        rel("1.0", &[(NOW - DAY, false)]),
        rel("1.1", &[(NOW, false)]),
    ];
    assert!(release_findings("l", &never, "1.1").is_empty());
    let always = [rel("1.0", &[(NOW - DAY, true)]), rel("1.1", &[(NOW, true)])];
    assert!(release_findings("l", &always, "1.1").is_empty());
    let added = [
        rel("1.0", &[(NOW - DAY, false)]),
        rel("1.1", &[(NOW, true)]),
    ];
    assert!(release_findings("l", &added, "1.1").is_empty());
    assert!(release_findings("l", &h[..0], "1.0").is_empty());
    // Without upload times the previous release is the previous version.
    let untimed = |a: bool| ReleaseFacts {
        version: "x".into(),
        files: vec![FileFacts {
            filename: "f".into(),
            uploaded: None,
            attested: a,
        }],
    };
    let mut h = vec![untimed(true), untimed(false)];
    h[1].version = "y".into();
    assert_eq!(codes(&release_findings("l", &h, "y")), ["DEP015"]);
}

#[test]
fn history_groups_pep440_equal_versions() {
    let fs = files(&[
        ("pkg-1.0.tar.gz", Some(NOW - 10 * DAY), false, true),
        (
            "pkg-1.0.0-py3-none-any.whl",
            Some(NOW - 10 * DAY),
            false,
            true,
        ),
        ("pkg-1.1.tar.gz", Some(NOW), false, false),
        ("unrelated-1.0.tar.gz", Some(NOW), false, false),
    ]);
    let h = pypi_history("pkg", &fs);
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].files.len(), 2);
    let s = select_pypi(&spec("pypi:pkg"), &fs).unwrap();
    assert_eq!(codes(&release_findings("l", &h, &s.version)), ["DEP015"]);
    assert_eq!(yanked_finding("pypi:pkg==1.0").rule.code(), "DEP011");
}

/// Truncations and byte flips of valid documents: `Ok` or `Err`, never a panic.
#[test]
fn mangled_documents_never_panic() {
    let json = page(&[
        jfile("pkg-1.0.tar.gz", Some(NOW), false, true),
        jfile("pkg-1.0-py3-none-any.whl", Some(NOW), true, false),
    ]);
    let html = format!(
        "<html><a href=\"../x/pkg-1.0.tar.gz#sha256={}\" data-yanked=\"&#x41;&amp;\">pkg-1.0.tar.gz</a><a href=y>&#99999999;</a></html>",
        "ab".repeat(32)
    )
    .into_bytes();
    let npm = br#"{"dist-tags":{"latest":"1.0.0"},"time":{"1.0.0":"2020-01-01T00:00:00Z"},"versions":{"1.0.0":{"dist":{"tarball":"https://r/x/-/x-1.0.0.tgz","integrity":"sha512-AAAA"}}}}"#.to_vec();
    for doc in [&json, &html, &npm] {
        for cut in 0..doc.len() {
            let _ = parse_simple(PAGE, &doc[..cut]);
            let _ = parse_packument(PAGE, &doc[..cut]);
        }
        for i in 0..doc.len() {
            let mut d = doc.clone();
            d[i] ^= 0x5a;
            if let Ok(fs) = parse_simple(PAGE, &d) {
                let _ = select_pypi(&spec("pypi:pkg"), &fs);
                let _ = pypi_history("pkg", &fs);
            }
            let _ = parse_packument(PAGE, &d);
        }
    }
    for s in [
        "&",
        "&#",
        "&#x;",
        "&#xffffffff;",
        "&amp",
        "&&&;",
        "&#1114112;",
    ] {
        let _ = decode_entities(s);
    }
}
