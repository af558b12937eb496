//! JS: JavaScript and npm behaviour with no Python counterpart. Behaviour both languages
//! share (decode-then-exec, download-then-exec, credential access, exfiltration…) is
//! judged by the `PY` rules, whose targets include [`assay_core::FileKind::JavaScript`];
//! the JavaScript analysis is `assay_lang::js`.

pub mod ai_cli_abuse;
pub mod not_inspected;
pub mod remote_dependency;
pub mod wallet_swap;
pub mod worm_propagation;

use crate::context::CodeFile;

/// The texts of a code file that show what it *does*: the folded arguments and source
/// snippets of its calls (commands, URLs, paths, argument lists), with each call's
/// context, and the string literals of code that runs by itself (install time,
/// startup). String literals elsewhere are left out: a module-level table of API routes
/// or CLI options (`@octokit`'s endpoint list, an agent SDK's flag names) is data, not
/// behaviour, and it sits at the top level, which would read as import time.
pub(crate) fn texts<'f>(
    f: &'f CodeFile<'_>,
) -> impl Iterator<Item = (&'f str, assay_core::ExecutionContext, assay_core::Location)> + 'f {
    let strings = f
        .analysis
        .strings
        .iter()
        .filter(|s| {
            s.value.len() <= 8192
                && matches!(
                    s.context,
                    assay_core::ExecutionContext::InstallTime
                        | assay_core::ExecutionContext::Startup
                )
        })
        .map(|s| (&*s.value, s.context, f.string_location(s)));
    let calls = f.analysis.events.iter().flat_map(move |e| {
        e.arg
            .as_deref()
            .into_iter()
            .chain(std::iter::once(e.snippet.as_str()))
            .map(move |t| (t, e.context, f.event_location(e)))
    });
    strings.chain(calls)
}
