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
