//! The `*.dist-info/WHEEL` file and wheel file names.
//!
//! Specs: PEP 427 and packaging.python.org "Binary distribution format" (the `WHEEL`
//! file: `Wheel-Version`, `Generator`, `Root-Is-Purelib`, `Tag`, `Build`; the file name
//! `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`),
//! and "Platform compatibility tags" (compressed tag sets such as `py2.py3-none-any`).
//!
//! The `WHEEL` file uses the same RFC 822 layer as core metadata
//! ([`crate::metadata::parse_headers`]).

use crate::FormatError;
use crate::metadata::{Headers, parse_headers};

/// A compressed tag set in a file name expands to at most this many tags; more and
/// [`wheel_filename`] rejects the name.
pub const MAX_EXPANDED_TAGS: usize = 4096;

/// A parsed `WHEEL` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wheel {
    /// `Wheel-Version`, e.g. `1.0`, as written.
    pub wheel_version: Option<String>,
    /// `Generator`, e.g. `bdist_wheel (0.43.0)`.
    pub generator: Option<String>,
    /// `Root-Is-Purelib`: `true`/`false` (case-insensitive); `None` when missing or
    /// neither (the latter is also a defect).
    pub root_is_purelib: Option<bool>,
    /// Every `Tag`, e.g. `py3-none-any`, in order.
    pub tags: Vec<String>,
    /// `Build`, the build number, when present.
    pub build: Option<String>,
    /// All headers and defects (see [`Headers`]).
    pub headers: Headers,
}

impl Wheel {
    /// The major part of `Wheel-Version` (installers must refuse a major version they do
    /// not know; `1` is the only one defined).
    pub fn major_version(&self) -> Option<u32> {
        self.wheel_version
            .as_deref()?
            .split('.')
            .next()?
            .trim()
            .parse()
            .ok()
    }
}

/// Parse a `WHEEL` file.
///
/// # Errors
/// [`FormatError::TooMany`] when there are more than
/// [`MAX_HEADERS`](crate::metadata::MAX_HEADERS) headers.
pub fn parse_wheel(data: &[u8]) -> Result<Wheel, FormatError> {
    let mut headers = parse_headers(data, "WHEEL")?;
    let root_is_purelib = match headers.get("Root-Is-Purelib") {
        None => None,
        Some(v) if v.trim().eq_ignore_ascii_case("true") => Some(true),
        Some(v) if v.trim().eq_ignore_ascii_case("false") => Some(false),
        Some(v) => {
            let what = format!(
                "`Root-Is-Purelib` is `{}`, not true or false",
                v.chars().take(40).collect::<String>()
            );
            let line = header_line(&headers, "Root-Is-Purelib");
            headers.defects.push((line, what));
            None
        }
    };
    Ok(Wheel {
        wheel_version: headers.get("Wheel-Version").map(str::to_owned),
        generator: headers.get("Generator").map(str::to_owned),
        root_is_purelib,
        tags: headers
            .get_all("Tag")
            .map(|t| t.trim().to_owned())
            .collect(),
        build: headers.get("Build").map(str::to_owned),
        headers,
    })
}

fn header_line(headers: &Headers, name: &str) -> usize {
    headers
        .headers
        .iter()
        .zip(&headers.header_lines)
        .find(|((k, _), _)| k.eq_ignore_ascii_case(name))
        .map_or(0, |(_, &l)| l)
}

/// The parts of a wheel file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelName {
    /// Distribution name as written (escaped: `-` replaced by `_`); not normalised.
    pub distribution: String,
    /// Version as written.
    pub version: String,
    /// Optional build tag (starts with a digit).
    pub build: Option<String>,
    /// The expanded tags, e.g. `py2.py3-none-any` → `["py2-none-any", "py3-none-any"]`.
    pub tags: Vec<String>,
}

/// Split a wheel file name (`requests-2.32.3-py3-none-any.whl`) into its parts. A
/// leading directory (`dist/…`, with `/` or `\`) is ignored.
///
/// Returns `None` when the name is not a valid wheel name: no `.whl` extension
/// (case-insensitive), not 5 or 6 `-`-separated parts, an empty part, a build tag that
/// does not start with a digit, or a tag set expanding to more than
/// [`MAX_EXPANDED_TAGS`] tags.
pub fn wheel_filename(name: &str) -> Option<WheelName> {
    let base = name.rsplit(['/', '\\']).next()?;
    let stem = base.len().checked_sub(4).and_then(|at| {
        let (stem, ext) = (base.get(..at)?, base.get(at..)?);
        ext.eq_ignore_ascii_case(".whl").then_some(stem)
    })?;
    let parts: Vec<&str> = stem.splitn(7, '-').collect();
    let (distribution, version, build, python, abi, platform) = match parts.as_slice() {
        [d, v, p, a, pl] => (*d, *v, None, *p, *a, *pl),
        [d, v, b, p, a, pl] => (*d, *v, Some(*b), *p, *a, *pl),
        _ => return None,
    };
    if [distribution, version, python, abi, platform]
        .iter()
        .any(|p| p.is_empty())
    {
        return None;
    }
    if let Some(b) = build
        && !b.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let tags = expand_tags(python, abi, platform)?;
    Some(WheelName {
        distribution: distribution.to_owned(),
        version: version.to_owned(),
        build: build.map(str::to_owned),
        tags,
    })
}

/// `py2.py3`, `none`, `any` → `py2-none-any`, `py3-none-any`; `None` when a component
/// is empty or the product exceeds [`MAX_EXPANDED_TAGS`].
fn expand_tags(python: &str, abi: &str, platform: &str) -> Option<Vec<String>> {
    let count = |s: &str| s.split('.').count();
    let total = count(python)
        .checked_mul(count(abi))?
        .checked_mul(count(platform))?;
    if total > MAX_EXPANDED_TAGS {
        return None;
    }
    let mut tags = Vec::with_capacity(total);
    for p in python.split('.') {
        for a in abi.split('.') {
            for pl in platform.split('.') {
                if p.is_empty() || a.is_empty() || pl.is_empty() {
                    return None;
                }
                tags.push(format!("{p}-{a}-{pl}"));
            }
        }
    }
    Some(tags)
}

/// Whether a tag (`py3-none-any`, possibly compressed like `py2.py3-none-any`) says
/// the wheel holds no compiled code: every ABI part is `none` and every platform part is
/// `any`. The Python tag is not looked at (`py3`, `py312` and `cp312` are all fine).
pub fn is_pure_tag(tag: &str) -> bool {
    let mut parts = tag.trim().split('-');
    let (Some(_python), Some(abi), Some(platform), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    abi.split('.').all(|a| a == "none") && platform.split('.').all(|p| p == "any")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_wheel_file() {
        let w = parse_wheel(b"Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\n\n").unwrap();
        assert_eq!(w.wheel_version.as_deref(), Some("1.0"));
        assert_eq!(w.major_version(), Some(1));
        assert_eq!(w.generator.as_deref(), Some("bdist_wheel (0.43.0)"));
        assert_eq!(w.root_is_purelib, Some(true));
        assert_eq!(w.tags, ["py2-none-any", "py3-none-any"]);
        assert!(w.tags.iter().all(|t| is_pure_tag(t)));
        assert!(w.headers.defects.is_empty());
    }

    #[test]
    fn platform_wheel_and_bad_values() {
        let w = parse_wheel(b"Wheel-Version: 2.0\nRoot-Is-Purelib: maybe\nTag: cp312-cp312-manylinux_2_17_x86_64\nBuild: 1\n").unwrap();
        assert_eq!(w.major_version(), Some(2));
        assert_eq!(w.root_is_purelib, None);
        assert_eq!(w.headers.defects.len(), 1);
        assert_eq!(w.headers.defects[0].0, 2);
        assert_eq!(w.build.as_deref(), Some("1"));
        assert!(!is_pure_tag(&w.tags[0]));
        let w = parse_wheel(b"").unwrap();
        assert_eq!(
            (
                w.wheel_version.as_deref(),
                w.root_is_purelib,
                w.major_version()
            ),
            (None, None, None)
        );
    }

    #[test]
    fn file_names() {
        let n = wheel_filename("dist/requests-2.32.3-py3-none-any.whl").unwrap();
        assert_eq!(
            (n.distribution.as_str(), n.version.as_str(), n.build),
            ("requests", "2.32.3", None)
        );
        assert_eq!(n.tags, ["py3-none-any"]);
        let n = wheel_filename("C:\\x\\six-1.16.0-1-py2.py3-none-any.WHL").unwrap();
        assert_eq!(n.build.as_deref(), Some("1"));
        assert_eq!(n.tags, ["py2-none-any", "py3-none-any"]);
        let n = wheel_filename(
            "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        )
        .unwrap();
        assert_eq!(n.tags.len(), 2);
        for bad in [
            "requests-2.32.3.tar.gz",
            "requests-py3-none-any.whl",
            "a-1-x-py3-none-any.whl",
            "a-1-2-3-py3-none-any.whl",
            "a--py3-none-any.whl",
            "a-1-py3..-none-any.whl",
            ".whl",
            "é.whl",
            "",
        ] {
            assert_eq!(wheel_filename(bad), None, "{bad}");
        }
        let huge = format!(
            "a-1-{}-{}-{}.whl",
            "p.".repeat(20) + "p",
            "a.".repeat(20) + "a",
            "x.".repeat(20) + "x"
        );
        assert_eq!(wheel_filename(&huge), None);
    }

    #[test]
    fn pure_tags() {
        assert!(is_pure_tag("py3-none-any"));
        assert!(is_pure_tag("py2.py3-none-any"));
        assert!(!is_pure_tag("cp312-abi3-any"));
        assert!(!is_pure_tag("py3-none-win_amd64"));
        assert!(!is_pure_tag("py3-none"));
        assert!(!is_pure_tag("py3-none-any-extra"));
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..1024), name in "\\PC{0,64}") {
            let _ = parse_wheel(&data);
            let _ = wheel_filename(&name);
            let _ = is_pure_tag(&name);
        }

        #[test]
        fn roundtrips_simple_names(d in "[A-Za-z0-9_]{1,10}", v in "[0-9][0-9.]{0,6}", t in "py[23]") {
            let n = wheel_filename(&format!("{d}-{v}-{t}-none-any.whl")).unwrap();
            prop_assert_eq!(n.distribution, d);
            prop_assert_eq!(n.version, v);
            prop_assert!(is_pure_tag(&n.tags[0]));
        }
    }
}
