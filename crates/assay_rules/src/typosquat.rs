//! Typosquat detection against a bundled list of popular PyPI names.
//!
//! The list (`data/pypi-top.txt`) holds the 5,000 most downloaded projects, PEP 503
//! normalised, most popular first; its header names the source and date. It was made
//! by taking the `rank_among_15000_most_downloaded` column of the workplace's PyPI
//! package index, sorting by rank and keeping the first 5,000 distinct normalised names.
//!
//! A name squats a popular one when it is not itself on the list and, against one of the
//! [`TARGETS`] most popular names (length ≥ 5), it is one edit away (insert, delete,
//! substitute, or swap of neighbours), differs only by separators, by a `py`/`python`
//! prefix or suffix, or by look-alike characters (`1`/`l`, `0`/`o`, `rn`/`m`).

use std::collections::HashSet;
use std::sync::LazyLock;

/// How many of the most popular names are protected targets.
pub const TARGETS: usize = 1000;

static TOP: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../data/pypi-top.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});
static TOP_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| TOP.iter().copied().collect());

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether the (normalised) name is on the bundled popular list.
pub fn is_popular(name: &str) -> bool {
    TOP_SET.contains(normalize(name).as_str())
}

/// The popular project `name` imitates, and how, if any.
pub fn squats(name: &str) -> Option<(&'static str, &'static str)> {
    let n = normalize(name);
    if n.len() < 4 || TOP_SET.contains(n.as_str()) {
        return None;
    }
    let squashed = n.replace('-', "");
    let deglyph = n.replace('1', "l").replace('0', "o").replace("rn", "m");
    let stripped = ["python-", "py-", "py"]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .or_else(|| {
            ["-python", "-py", "py"]
                .iter()
                .find_map(|s| n.strip_suffix(s))
        });
    for &t in TOP.iter().take(TARGETS) {
        if t.len() < 5 {
            continue;
        }
        if squashed == t.replace('-', "") {
            return Some((t, "separators"));
        }
        if deglyph != n && deglyph == t {
            return Some((t, "look-alike characters"));
        }
        if stripped == Some(t) {
            return Some((t, "py/python affix"));
        }
        if n.len().abs_diff(t.len()) <= 1 && one_edit(&n, t) {
            return Some((t, "one edit"));
        }
    }
    None
}

/// Damerau-Levenshtein distance exactly 1 (bounded work: O(len)).
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    match ra.len() as isize - rb.len() as isize {
        0 => {
            ra.get(1..) == rb.get(1..)
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 => ra.get(1..) == Some(rb),
        -1 => rb.get(1..) == Some(ra),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_squats() {
        assert_eq!(squats("reqeusts").map(|x| x.0), Some("requests"));
        assert_eq!(squats("requestss").map(|x| x.0), Some("requests"));
        assert_eq!(squats("python-requests").map(|x| x.0), Some("requests"));
        assert_eq!(squats("urllib7").map(|x| x.0), Some("urllib3"));
        assert_eq!(squats("Requests"), None);
        assert_eq!(squats("numpy"), None);
        assert_eq!(squats("zzzqqq-unrelated"), None);
        assert_eq!(normalize("Foo__Bar.baz"), "foo-bar-baz");
    }

    #[test]
    fn popular_names_rarely_collide() {
        let flagged = TOP.iter().filter(|n| squats(n).is_some()).count();
        assert_eq!(flagged, 0);
    }
}
