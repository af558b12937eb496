//! Member names: decoding, normalisation and the checks on them (traversal, absolute
//! names, link targets). Pure functions, shared by the zip, tar and directory readers.

use std::borrow::Cow;

/// A member name as the container stored it, decoded for display.
#[derive(Debug, Clone)]
pub(crate) struct RawName {
    /// The name as stored, decoded (lossy if it was not UTF-8), for findings.
    pub(crate) stored: String,
    /// Why the name is odd, when it is (for the `ARC005` evidence).
    pub(crate) oddity: Option<&'static str>,
}

impl RawName {
    /// Decode raw name bytes (tar names, file names on disk): lossy UTF-8.
    pub(crate) fn from_bytes(raw: &[u8]) -> Self {
        match std::str::from_utf8(raw) {
            Ok(s) => RawName {
                stored: s.to_owned(),
                oddity: None,
            },
            Err(_) => RawName {
                stored: String::from_utf8_lossy(raw).into_owned(),
                oddity: Some("is not valid UTF-8 (decoded lossily)"),
            },
        }
    }
}

/// Whether the name is absolute: a leading `/` or `\`, or a drive letter (`C:`).
pub(crate) fn is_absolute(name: &str) -> bool {
    has_drive(name) || matches!(name.as_bytes().first(), Some(b'/' | b'\\'))
}

/// Whether the name starts with a drive letter (`C:`).
fn has_drive(name: &str) -> bool {
    matches!(name.as_bytes(), [d, b':', ..] if d.is_ascii_alphabetic())
}

/// Whether any `/`- or `\`-separated component is `..`.
pub(crate) fn has_parent_component(name: &str) -> bool {
    name.split(['/', '\\']).any(|c| c == "..")
}

/// The normalised form of a member name: `/`-separated, without a root (`/`, `\`, `C:`),
/// without empty and `.` components. `..` components are kept (and reported elsewhere):
/// resolving them would hide where the member claims to go.
pub(crate) fn normalise(name: &str) -> String {
    let rest = if has_drive(name) {
        name.get(2..).unwrap_or_default()
    } else {
        name
    };
    let mut out = String::with_capacity(rest.len());
    for comp in rest.split(['/', '\\']) {
        if comp.is_empty() || comp == "." {
            continue;
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(comp);
    }
    out
}

/// Whether a link target leaves the archive root. `link` is the normalised path of the link
/// member; symlink targets are relative to the link's directory, hard-link targets to the
/// archive root (tar semantics).
pub(crate) fn link_escapes(link: &str, target: &str, symlink: bool) -> bool {
    if is_absolute(target) {
        return true;
    }
    let mut depth: usize = if symlink {
        link.matches('/').count()
    } else {
        0
    };
    for comp in target.split(['/', '\\']) {
        match comp {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// The last component of a display path (for the single entry of a plain file).
pub(crate) fn file_name(display: &str) -> Cow<'_, str> {
    let name = display
        .rsplit(['/', '\\'])
        .find(|c| !c.is_empty())
        .unwrap_or("");
    if name.is_empty() {
        Cow::Borrowed("file")
    } else {
        Cow::Borrowed(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_separators_and_roots() {
        assert_eq!(normalise("a\\b//./c"), "a/b/c");
        assert_eq!(normalise("/etc/passwd"), "etc/passwd");
        assert_eq!(normalise("C:\\Windows\\x.dll"), "Windows/x.dll");
        assert_eq!(normalise("../../x"), "../../x");
        assert_eq!(normalise("./"), "");
    }

    #[test]
    fn detects_hostile_names() {
        assert!(is_absolute("/x") && is_absolute("\\\\srv\\x") && is_absolute("c:x"));
        assert!(!is_absolute("pkg/x.py"));
        assert!(has_parent_component("a/../../b") && has_parent_component("..\\x"));
        assert!(!has_parent_component("a/..b/c.."));
    }

    #[test]
    fn link_targets() {
        assert!(!link_escapes("pkg/a/link", "../b", true));
        assert!(link_escapes("pkg/link", "../../etc", true));
        assert!(link_escapes("pkg/link", "/etc/passwd", true));
        assert!(link_escapes("pkg/link", "../x", false));
        assert!(!link_escapes("pkg/link", "pkg/x", false));
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name("a/b/c.tar.gz"), "c.tar.gz");
        assert_eq!(file_name("x\\y.py"), "y.py");
        assert_eq!(file_name(""), "file");
    }
}
