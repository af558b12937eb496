//! The pickle-import denylist shared by the model rules and the `[models] allow` policy,
//! and the user's allow patterns.
//!
//! The denylist names components that, anywhere in a pickle import's dotted
//! `module.name`, mean code execution, process, network, filesystem or a further loader.
//! It lives here because two crates need it: `assay_rules` judges imports with it, and
//! `assay_policy` refuses `[models] allow` patterns that would name a denylisted module or
//! member (such a pattern could never take effect, and writing one is a mistake worth an
//! error).

/// Components that, anywhere in `module.name`, mean code execution, process, network,
/// filesystem or a further loader.
pub const DANGEROUS: &[(&str, &str)] = &[
    ("os", "operating-system access"),
    ("posix", "operating-system access"),
    ("nt", "operating-system access"),
    ("subprocess", "process execution"),
    ("pty", "process execution"),
    ("popen2", "process execution"),
    ("commands", "process execution"),
    ("multiprocessing", "process execution"),
    ("system", "process execution"),
    ("popen", "process execution"),
    ("spawnl", "process execution"),
    ("spawnv", "process execution"),
    ("execv", "process execution"),
    ("execl", "process execution"),
    ("fork", "process execution"),
    ("socket", "network access"),
    ("urllib", "network access"),
    ("urllib2", "network access"),
    ("http", "network access"),
    ("httplib", "network access"),
    ("requests", "network access"),
    ("ftplib", "network access"),
    ("smtplib", "network access"),
    ("telnetlib", "network access"),
    ("webbrowser", "network access"),
    ("asyncio", "process and network access"),
    ("runpy", "code execution"),
    ("importlib", "code execution (imports)"),
    ("__import__", "code execution (imports)"),
    ("imp", "code execution (imports)"),
    ("pkgutil", "code execution (imports)"),
    ("zipimport", "code execution (imports)"),
    ("marshal", "code objects"),
    ("types", "code objects"),
    ("CodeType", "code objects"),
    ("FunctionType", "code objects"),
    ("ctypes", "native code"),
    ("_ctypes", "native code"),
    ("cffi", "native code"),
    ("exec", "code execution"),
    ("eval", "code execution"),
    ("compile", "code execution"),
    ("execfile", "code execution"),
    ("code", "code execution"),
    ("codeop", "code execution"),
    ("pdb", "code execution"),
    ("bdb", "code execution"),
    ("timeit", "code execution"),
    ("trace", "code execution"),
    ("cProfile", "code execution"),
    ("profile", "code execution"),
    ("doctest", "code execution"),
    ("getattr", "attribute access (reaches any callable)"),
    ("setattr", "attribute access"),
    ("delattr", "attribute access"),
    ("globals", "interpreter state"),
    ("locals", "interpreter state"),
    ("vars", "interpreter state"),
    ("breakpoint", "code execution"),
    ("input", "interpreter state"),
    ("apply", "code execution"),
    ("sys", "interpreter state"),
    ("builtins.open", "filesystem access"),
    ("open", "filesystem access"),
    ("shutil", "filesystem access"),
    ("tempfile", "filesystem access"),
    ("pathlib", "filesystem access"),
    ("io", "filesystem access"),
    ("_io", "filesystem access"),
    ("signal", "process control"),
    ("_thread", "threads"),
    ("threading", "threads"),
    ("pickle", "nested pickle loader"),
    ("_pickle", "nested pickle loader"),
    ("cPickle", "nested pickle loader"),
    ("dill", "nested pickle loader"),
    ("cloudpickle", "nested pickle loader"),
    ("shelve", "nested pickle loader"),
    ("jsonpickle", "nested pickle loader"),
    ("load", "nested loader"),
    ("loads", "nested loader"),
    ("__builtins__", "interpreter state"),
    ("__globals__", "interpreter state"),
    ("__subclasses__", "interpreter state"),
    ("__reduce__", "interpreter state"),
    ("__reduce_ex__", "interpreter state"),
    ("__code__", "code objects"),
    ("__class__", "interpreter state"),
    ("__dict__", "interpreter state"),
    ("__getattribute__", "attribute access"),
    ("operator", "attribute access (attrgetter/methodcaller)"),
    ("_operator", "attribute access (attrgetter/methodcaller)"),
    ("functools", "call composition"),
    (
        "numpy.testing",
        "process execution (numpy.testing runs commands)",
    ),
    ("distutils", "process execution"),
    ("setuptools", "process execution"),
    ("pip", "package installation"),
    ("venv", "process execution"),
    ("platform", "process execution (platform.popen)"),
];

/// The denylist reason for `dotted`, checking every component and every two-component
/// prefix (`builtins.open`, `numpy.testing`).
pub fn dangerous(dotted: &str) -> Option<&'static str> {
    let parts: Vec<&str> = dotted.split('.').collect();
    for (i, p) in parts.iter().enumerate() {
        let p = p.trim();
        if let Some((_, why)) = DANGEROUS.iter().find(|(d, _)| *d == p) {
            return Some(why);
        }
        if let Some(next) = parts.get(i + 1) {
            let pair = format!("{p}.{next}");
            if let Some((_, why)) = DANGEROUS.iter().find(|(d, _)| *d == pair) {
                return Some(why);
            }
        }
    }
    None
}

/// One `[models] allow` pattern of `assay.toml`: a whole dotted path (`mypkg.models.Net`),
/// or a dotted prefix with `*` as its whole last segment (`sklearn.*`, `mypkg.models.*`),
/// matched against a pickle import's `module.name`. Never a substring: `sklearn.*` matches
/// `sklearn.linear_model._logistic.LogisticRegression` but not `sklearnx.evil`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowPattern {
    /// The path without the wildcard (`sklearn` for `sklearn.*`).
    path: String,
    /// Whether the pattern ended in `.*` (anything below `path`).
    wildcard: bool,
}

impl AllowPattern {
    /// Parse and check a pattern.
    ///
    /// # Errors
    /// A message when the pattern is not dotted identifiers with an optional final `.*`
    /// (`*` alone, `*` inside a segment or not last, empty segments), or when any segment
    /// is on the denylist ([`dangerous`]): `os.*`, `subprocess.Popen`, `builtins.eval`,
    /// `mypkg.pickle.*` can never be allowed.
    pub fn parse(s: &str) -> Result<AllowPattern, String> {
        let s = s.trim();
        let (path, wildcard) = match s.strip_suffix(".*") {
            Some(p) => (p, true),
            None => (s, false),
        };
        if path.is_empty() {
            return Err(format!(
                "`{s}` allows everything: name a module (`mypkg.*`) or a class (`mypkg.models.Net`)"
            ));
        }
        for seg in path.split('.') {
            let mut chars = seg.chars();
            let ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(format!(
                    "`{s}`: `{seg}` is not a Python identifier (patterns are dotted names; `*` only as the whole last segment)"
                ));
            }
        }
        if let Some(why) = dangerous(path) {
            return Err(format!(
                "`{s}` names a module or member that can never be allowed ({why}): the denylist always wins"
            ));
        }
        Ok(AllowPattern {
            path: path.to_owned(),
            wildcard,
        })
    }

    /// Whether the dotted `module.name` of an import is allowed by this pattern: equal to
    /// the path, or (with `.*`) below it at a segment boundary.
    pub fn matches(&self, dotted: &str) -> bool {
        if self.wildcard {
            dotted
                .strip_prefix(self.path.as_str())
                .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
        } else {
            dotted == self.path
        }
    }
}

impl std::fmt::Display for AllowPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.wildcard {
            write!(f, "{}.*", self.path)
        } else {
            f.write_str(&self.path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_paths_only() {
        let p = AllowPattern::parse("sklearn.*").unwrap();
        assert!(p.matches("sklearn.linear_model._logistic.LogisticRegression"));
        assert!(!p.matches("sklearnx.evil"));
        assert!(!p.matches("sklearn"));
        let e = AllowPattern::parse("mypkg.models.Net").unwrap();
        assert!(e.matches("mypkg.models.Net"));
        assert!(!e.matches("mypkg.models.NetX"));
        assert!(!e.matches("mypkg.models.Net.sub"));
        assert_eq!(e.to_string(), "mypkg.models.Net");
        assert_eq!(p.to_string(), "sklearn.*");
    }

    #[test]
    fn bad_and_dangerous_patterns_are_refused() {
        for bad in [
            "*", ".*", "", "sk*", "a.*.b", "a..b", "a.b*", "1abc.x", "a-b.*",
        ] {
            assert!(AllowPattern::parse(bad).is_err(), "{bad}");
        }
        for bad in [
            "os.*",
            "os",
            "subprocess.Popen",
            "builtins.eval",
            "builtins.exec",
            "mypkg.pickle.*",
            "posix.system",
            "numpy.testing.*",
        ] {
            let e = AllowPattern::parse(bad).unwrap_err();
            assert!(e.contains("never be allowed"), "{bad}: {e}");
        }
    }
}
