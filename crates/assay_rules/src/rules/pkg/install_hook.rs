//! PKG010 install-hook-override.

use crate::context::Cx;
use assay_core::{ExecutionContext, Finding, Location};
use assay_lang::FileRole;

declare_rule! {
    /// ## What it does
    /// Flags `setup.py` files that replace the `install`, `develop`, `egg_info` or
    /// `bdist_egg` commands (through `setup(cmdclass=…)` or subclasses of those commands).
    ///
    /// ## Why it matters
    /// Overriding these commands is how code is made to run during `pip install` without
    /// anything looking unusual in `setup()`; most install-time malware uses it. Alone it
    /// is only context (low severity) — many packages customise their build — but it adds
    /// weight to what the overriding code does.
    ///
    /// ## Example
    /// ```python
    /// class PostInstall(install):
    ///     def run(self):
    ///         install.run(self); os.system("…")
    /// setup(cmdclass={"install": PostInstall})
    /// ```
    ///
    /// ## False positives
    /// Build customisation (`build_ext`, `build_py`) is not flagged.
    ///
    /// ## References
    /// - setuptools: "Extending or Customizing Setuptools" (command classes)
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain)
    pub static META = InstallHookOverride;
}

/// Check setup scripts.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for f in cx
        .code
        .iter()
        .filter(|f| f.role == FileRole::SetupScript && f.language == assay_lang::Language::Python)
    {
        let hooks: Vec<&String> = f
            .analysis
            .command_subclasses
            .iter()
            .filter(|c| {
                matches!(
                    c.as_str(),
                    "install" | "develop" | "egg_info" | "bdist_egg" | "easy_install"
                )
            })
            .collect();
        if hooks.is_empty() {
            continue;
        }
        let mut x = cx.finding(
            &META,
            Location::file(f.entry.path.clone()),
            format!(
                "overrides setuptools command(s): {}",
                hooks
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        x.context = Some(ExecutionContext::InstallTime);
        out.push(x);
    }
}
