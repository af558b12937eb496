use super::*;

#[test]
fn purls() {
    let d = Dependency::pinned(Ecosystem::Npm, "@types/node", "20.1.0");
    assert_eq!(d.purl(), "pkg:npm/%40types/node@20.1.0");
    let d = Dependency::pinned(Ecosystem::PyPI, "Django_Rest", "1.0");
    assert_eq!(d.purl(), "pkg:pypi/django-rest@1.0");
    let d = Dependency::pinned(Ecosystem::CratesIo, "serde", "1.0.0");
    assert_eq!(d.purl(), "pkg:cargo/serde@1.0.0");
}

#[test]
fn requirement_parse() {
    let r = Requirement::parse("Foo[bar]==1.2 ; python_version>'3'").unwrap();
    assert_eq!((r.name.as_str(), r.pinned.as_deref()), ("Foo", Some("1.2")));
    assert_eq!(Requirement::parse("foo>=1").unwrap().pinned, None);
    assert_eq!(Requirement::parse("foo==1.*").unwrap().pinned, None);
    assert!(
        Requirement::parse("x @ https://example.invalid/x.whl")
            .unwrap()
            .url
            .is_some()
    );
}

#[test]
fn bounds_are_errors() {
    let deep = "{\"lockfileVersion\":1,\"dependencies\":".to_owned()
        + &"{\"a\":{\"version\":\"1.0.0\",\"dependencies\":".repeat(80)
        + "{}"
        + &"}}".repeat(80)
        + "}";
    assert!(parse(Kind::PackageLock, deep.as_bytes()).is_err());
    assert!(matches!(
        parse(Kind::CargoLock, b"\xff\xfe"),
        Err(LockError::NotUtf8)
    ));
    assert!(parse(Kind::PackageLock, b"{\"packages\":").is_err());
}

/// Issue 21 item 14: npm reads a lockfile with a deeply nested value in a field it does not
/// use; so must assay (it was "invalid JSON: recursion limit exceeded" past 128 levels).
#[test]
fn deep_unread_values_are_accepted() {
    for depth in [200, 100_000] {
        let deep = "[".repeat(depth) + &"]".repeat(depth);
        let lock = format!(
            r#"{{"name": "x", "lockfileVersion": 3, "x-deep": {deep}, "packages": {{
                "": {{"name": "x", "dependencies": {{"a": {deep}}}}},
                "node_modules/evil": {{"version": "1.0.0", "integrity": "sha512-00", "funding": {deep}}},
                "node_modules/odd": {{"version": {deep}}}
            }}}}"#
        );
        let lf = parse(Kind::PackageLock, lock.as_bytes()).unwrap();
        let names: Vec<_> = lf.deps.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["evil"], "depth {depth}");
        assert!(lf.deps[0].hashed);
        let pip = format!(
            r#"{{"_meta": {{"deep": {deep}}}, "default": {{"requests": {{"version": "==2.32.3", "hashes": ["sha256:00"], "markers": {deep}}}}}, "develop": {{}}}}"#
        );
        let lf = parse(Kind::PipfileLock, pip.as_bytes()).unwrap();
        assert_eq!(lf.deps[0].version.as_deref(), Some("2.32.3"));
        assert!(lf.deps[0].hashed);
    }
    // Still errors: malformed, and no lockfile shape at all.
    let open = "{\"packages\": {\"a\": ".to_owned() + &"[".repeat(500);
    assert!(parse(Kind::PackageLock, open.as_bytes()).is_err());
    assert!(matches!(
        parse(Kind::PackageLock, b"{\"x\": [[[]]]}"),
        Err(LockError::Shape(_))
    ));
    assert!(matches!(
        parse(Kind::PipfileLock, b"{\"x\": [[[]]]}"),
        Err(LockError::Shape(_))
    ));
}

/// The v1 fixture shape still reads nested dependencies and their hashes and URLs.
#[test]
fn package_lock_v1_and_v3_fields() {
    let v1 = br#"{"lockfileVersion": 1, "dependencies": {
        "a": {"version": "1.0.0", "integrity": "sha512-00", "dependencies": {
            "b": {"version": "git+https://example.invalid/b.git#abc"}}},
        "c": {"version": 3}}}"#;
    let lf = parse(Kind::PackageLock, v1).unwrap();
    let got: Vec<_> = lf
        .deps
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                d.version.as_deref(),
                d.hashed,
                d.direct_url.is_some(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("a", Some("1.0.0"), true, false), ("b", None, false, true)]
    );
    let v3 = br#"{"lockfileVersion": 3, "packages": {
        "node_modules/x": {"version": "1.0.0", "link": true},
        "node_modules/y": {"name": "@s/y", "version": "2.0.0", "resolved": "file:../y"},
        "node_modules/z": {"version": "3.0.0", "link": "yes"}}}"#;
    let lf = parse(Kind::PackageLock, v3).unwrap();
    let got: Vec<_> = lf
        .deps
        .iter()
        .map(|d| (d.name.as_str(), d.direct_url.as_deref()))
        .collect();
    assert_eq!(got, [("@s/y", Some("file:../y")), ("z", None)]);
}
