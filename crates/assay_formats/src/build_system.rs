//! The `[build-system]` table of a `pyproject.toml` (PEP 517, PEP 518): which backend
//! pip imports to build an sdist, and from where.
//!
//! An *in-tree* backend (`backend-path = ["."]`, PEP 517 "In-tree build backends") is a
//! module shipped inside the sdist itself; pip imports it in the build environment before
//! anything is installed, so its module-level code runs at install time exactly like a
//! `setup.py`.

use crate::FormatError;

/// At most this many `backend-path` or `requires` items are kept; more is an error.
pub const MAX_ITEMS: usize = 256;

/// The `[build-system]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSystem {
    /// `build-backend`: an object reference `module.path[:object]` (PEP 517), if set.
    pub backend: Option<String>,
    /// `backend-path`: directories, relative to the project root, that pip puts first on
    /// `sys.path` before importing the backend. Empty when absent.
    pub backend_path: Vec<String>,
    /// `requires`: PEP 508 requirement strings of the build environment.
    pub requires: Vec<String>,
}

impl BuildSystem {
    /// The backend's module (`build-backend` up to any `:`), when one is named.
    pub fn backend_module(&self) -> Option<&str> {
        let b = self.backend.as_deref()?;
        let m = b.split(':').next().unwrap_or(b).trim();
        (!m.is_empty()).then_some(m)
    }
}

/// Read the `[build-system]` table of a `pyproject.toml`. A file without the table gives
/// the default (no backend, no paths). Non-string items of the arrays are skipped.
///
/// # Errors
/// [`FormatError::Toml`] when the file is not UTF-8 or not TOML;
/// [`FormatError::TooMany`] when `backend-path` or `requires` has more than
/// [`MAX_ITEMS`] items.
pub fn parse_build_system(data: &[u8]) -> Result<BuildSystem, FormatError> {
    let doc = crate::entry_points::parse_pyproject(data)?;
    let mut out = BuildSystem::default();
    let Some(bs) = doc.get("build-system").and_then(toml::Value::as_table) else {
        return Ok(out);
    };
    out.backend = bs
        .get("build-backend")
        .and_then(toml::Value::as_str)
        .map(|s| s.trim().to_owned());
    let strings = |key: &str, what: &'static str| -> Result<Vec<String>, FormatError> {
        let Some(items) = bs.get(key).and_then(toml::Value::as_array) else {
            return Ok(Vec::new());
        };
        if items.len() > MAX_ITEMS {
            return Err(FormatError::TooMany {
                file: "pyproject.toml",
                what,
                limit: MAX_ITEMS,
            });
        }
        Ok(items
            .iter()
            .filter_map(toml::Value::as_str)
            .map(|s| s.trim().to_owned())
            .collect())
    };
    out.backend_path = strings("backend-path", "backend-path items")?;
    out.requires = strings("requires", "build requirements")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn in_tree_backend() {
        let b = parse_build_system(
            b"[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"_build.backend:api\"\nbackend-path = [\".\", 3]\n",
        )
        .unwrap();
        assert_eq!(b.backend_module(), Some("_build.backend"));
        assert_eq!(b.backend_path, vec!["."]);
        assert_eq!(b.requires, vec!["setuptools>=61"]);
    }

    #[test]
    fn absent_table_and_errors() {
        assert_eq!(
            parse_build_system(b"[project]\nname = \"x\"\n").unwrap(),
            BuildSystem::default()
        );
        assert!(parse_build_system(b"[build-system\n").is_err());
        let many = format!(
            "[build-system]\nrequires = [{}]\n",
            vec!["\"x\""; MAX_ITEMS + 1].join(",")
        );
        assert!(matches!(
            parse_build_system(many.as_bytes()),
            Err(FormatError::TooMany { .. })
        ));
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_build_system(&data);
        }
    }
}
