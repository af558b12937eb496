//! Package ecosystems and package names as each registry compares them.
//!
//! One place for the rules, because two copies disagreed (one PEP 503 normaliser dropped
//! separators at the ends of a name, so `_foo_` became `foo` instead of `-foo-`):
//!
//! - **PyPI** — [PEP 503](https://peps.python.org/pep-0503/#normalized-names):
//!   `re.sub(r"[-_.]+", "-", name).lower()`. Runs of `-`, `_` and `.` become one `-`,
//!   everywhere in the name, ends included; nothing is trimmed. (PEP 508 forbids a name
//!   that starts or ends with a separator, so on real names the ends never matter.)
//! - **npm** — the registry compares names in lowercase: new names must be lowercase
//!   (`validate-npm-package-name`), and a new name may not differ from an existing one
//!   only by case. Legacy mixed-case names (`JSONStream`) still exist, so a name is kept
//!   as published for display and advisory lookups, and compared lowercase. Scopes
//!   (`@scope/name`) are part of the name. Separators are significant (`lodash.get` and
//!   `lodash-get` are different packages).
//! - **crates.io** — case-insensitive, and `-` and `_` are the same character
//!   (`serde_json` is `serde-json`); the key here spells them `-`.
//!
//! [`Ecosystem::normalize`] gives the registry's comparison key; [`PackageName`] keeps
//! the spelling and the key together and compares by the key. Heuristics that need a
//! different key (the typosquat lists) derive it from these and say why.

/// A package registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    /// The Python Package Index.
    PyPI,
    /// The npm registry.
    Npm,
    /// crates.io.
    CratesIo,
}

impl Ecosystem {
    /// Every ecosystem.
    pub const ALL: [Ecosystem; 3] = [Ecosystem::PyPI, Ecosystem::Npm, Ecosystem::CratesIo];

    /// The OSV `ecosystem` string (`PyPI`, `npm`, `crates.io`), also the label used in
    /// evidence.
    pub fn osv(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "crates.io",
        }
    }

    /// The PURL type (<https://github.com/package-url/purl-spec>).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "cargo",
        }
    }

    /// The name as the registry compares names (see the module doc): PEP 503 for PyPI,
    /// lowercase for npm, lowercase with `_` as `-` for crates.io. Nothing is trimmed;
    /// callers trim input they read from files.
    pub fn normalize(self, name: &str) -> String {
        match self {
            Ecosystem::PyPI => pep503(name),
            Ecosystem::Npm => name.to_lowercase(),
            Ecosystem::CratesIo => name.to_lowercase().replace('_', "-"),
        }
    }

    /// The name as OSV records spell it, for advisory lookups: PEP 503 for PyPI (OSV
    /// PyPI names are matched normalised); as published for npm and crates.io, whose
    /// records use the published spelling.
    pub fn osv_name(self, name: &str) -> String {
        match self {
            Ecosystem::PyPI => pep503(name),
            Ecosystem::Npm | Ecosystem::CratesIo => name.to_owned(),
        }
    }
}

/// PEP 503: `re.sub(r"[-_.]+", "-", name).lower()`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

/// A package name of one ecosystem: the spelling as written and the registry's
/// comparison key. Equality, ordering and hashing use the ecosystem and the key, so
/// `PackageName::new(PyPI, "Foo_Bar") == PackageName::new(PyPI, "foo-bar")`.
#[derive(Debug, Clone)]
pub struct PackageName {
    ecosystem: Ecosystem,
    spelling: String,
    key: String,
}

impl PackageName {
    /// `name` (surrounding whitespace removed) in `ecosystem`.
    pub fn new(ecosystem: Ecosystem, name: &str) -> Self {
        let spelling = name.trim().to_owned();
        let key = ecosystem.normalize(&spelling);
        PackageName {
            ecosystem,
            spelling,
            key,
        }
    }

    /// The ecosystem.
    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    /// The name as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.spelling
    }

    /// The registry's comparison key ([`Ecosystem::normalize`]).
    pub fn normalized(&self) -> &str {
        &self.key
    }
}

impl PartialEq for PackageName {
    fn eq(&self, other: &Self) -> bool {
        self.ecosystem == other.ecosystem && self.key == other.key
    }
}

impl Eq for PackageName {}

impl std::hash::Hash for PackageName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.ecosystem.hash(state);
        self.key.hash(state);
    }
}

impl PartialOrd for PackageName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PackageName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.ecosystem, &self.key).cmp(&(other.ecosystem, &other.key))
    }
}

impl std::fmt::Display for PackageName {
    /// The name as written.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.spelling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of PEP 503 and the packaging guide's "Name normalization"
    /// (<https://packaging.python.org/en/latest/specifications/name-normalization/>):
    /// all of these are `friendly-bar`.
    #[test]
    fn pypi_is_pep_503() {
        for n in [
            "friendly-bar",
            "Friendly-Bar",
            "FRIENDLY-BAR",
            "friendly.bar",
            "friendly_bar",
            "friendly--bar",
            "FrIeNdLy-._.-bAr",
        ] {
            assert_eq!(Ecosystem::PyPI.normalize(n), "friendly-bar", "{n}");
        }
        // Ends are not trimmed: `re.sub(r"[-_.]+", "-", "_foo_").lower()` is `-foo-`.
        assert_eq!(Ecosystem::PyPI.normalize("_foo_"), "-foo-");
        assert_eq!(Ecosystem::PyPI.normalize("..Foo"), "-foo");
        assert_eq!(
            Ecosystem::PyPI.normalize("Foo.Bar__baz-_-Qux"),
            "foo-bar-baz-qux"
        );
    }

    #[test]
    fn npm_compares_lowercase_and_keeps_separators() {
        assert_eq!(Ecosystem::Npm.normalize("JSONStream"), "jsonstream");
        assert_eq!(Ecosystem::Npm.normalize("@Babel/Core"), "@babel/core");
        assert_ne!(
            Ecosystem::Npm.normalize("lodash.get"),
            Ecosystem::Npm.normalize("lodash-get")
        );
        assert_eq!(Ecosystem::Npm.osv_name("JSONStream"), "JSONStream");
    }

    #[test]
    fn crates_io_folds_case_and_underscore() {
        assert_eq!(Ecosystem::CratesIo.normalize("Serde_JSON"), "serde-json");
        assert_eq!(
            PackageName::new(Ecosystem::CratesIo, "serde_json"),
            PackageName::new(Ecosystem::CratesIo, "serde-json")
        );
        assert_eq!(Ecosystem::CratesIo.osv_name("serde_json"), "serde_json");
    }

    #[test]
    fn package_names_compare_by_key_within_an_ecosystem() {
        let a = PackageName::new(Ecosystem::PyPI, " Foo_Bar ");
        assert_eq!(a.as_str(), "Foo_Bar");
        assert_eq!(a.normalized(), "foo-bar");
        assert_eq!(a, PackageName::new(Ecosystem::PyPI, "foo.bar"));
        assert_ne!(a, PackageName::new(Ecosystem::Npm, "foo-bar"));
        assert_eq!(a.to_string(), "Foo_Bar");
    }
}
