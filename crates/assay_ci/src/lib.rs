//! assay's GitHub Actions audit (rule family `CI`).
//!
//! Input: the workflow (`.github/workflows/*.yml`) and action (`action.yml`) files of one
//! repository, as bytes — from a directory, a `.github/` folder, a single file, or the
//! entries of an artifact (an sdist that ships its `.github/`). Nothing is run or fetched.
//!
//! Flow: [`yaml`] builds a bounded tree with positions (unreadable or over-limit input is
//! a `CI001` finding, never a panic) → [`model`] reads triggers, permissions, jobs and
//! steps → [`audit`] runs the per-file audits, using [`expr`] to parse `${{ }}` and to
//! decide who controls each value (`outputs` follows it through step and job
//! outputs) → [`graph`] joins the files of the repository into
//! paths from outsider-triggered jobs to publishing jobs (`CI016`); `leak` finds
//! secrets printed to the log (`CI027`); [`advisories`] matches actions against an
//! embedded list of GitHub Actions advisories (`CI028`). [`pins`] checks `uses:` pins
//! against the action repositories (`CI029`, `CI030`) through a lookup the caller
//! supplies; nothing here fetches.

pub mod advisories;
pub mod audit;
pub mod disk;
pub mod expr;
pub mod graph;
mod leak;
pub mod model;
pub(crate) mod outputs;
pub mod pins;
pub mod text;
pub mod yaml;

use assay_core::{Artifact, Finding, Location, Rule};
use model::Kind;

/// A file to audit: its path as findings should name it, and its bytes.
pub type SourceFile = (String, Vec<u8>);

/// What a path names, by its place in a repository: a workflow under
/// `.github/workflows/`, or an action's `action.yml`/`action.yaml`.
pub fn kind_by_path(path: &str) -> Option<Kind> {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let yaml_ext = name.ends_with(".yml") || name.ends_with(".yaml");
    if !yaml_ext {
        return None;
    }
    if name == "action.yml" || name == "action.yaml" {
        return Some(Kind::Action);
    }
    let in_workflows = lower.starts_with(".github/workflows/")
        || lower.contains("/.github/workflows/")
        || lower.starts_with("workflows/");
    in_workflows.then_some(Kind::Workflow)
}

/// Whether a lone YAML file (named on the command line, outside any `.github/`) is a
/// workflow or an action: its top level has `jobs:` (with `on:`), or `runs:`.
pub fn looks_like_workflow(text: &str) -> bool {
    let has = |k: &str| text.lines().any(|l| l.starts_with(k));
    (has("jobs:") && (has("on:") || has("\"on\":") || has("'on':"))) || has("runs:")
}

/// Audit one repository's workflow and action files (`(path, bytes)`, paths as they
/// should appear in findings). Returns the findings of every file, then the
/// cross-workflow paths, sorted by path, line and rule.
pub fn audit_files(files: &[(String, Vec<u8>)]) -> Vec<Finding> {
    audit_files_with(files, &yaml::Limits::default())
}

/// [`audit_files`] with explicit YAML limits.
pub fn audit_files_with(files: &[(String, Vec<u8>)], limits: &yaml::Limits) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut texts: Vec<(&str, std::borrow::Cow<'_, str>)> = Vec::new();
    for (path, bytes) in files {
        if bytes.len() > limits.max_bytes {
            out.push(Rule::UnparseableWorkflow.finding(
                Location::file(path.as_str()),
                format!(
                    "{} bytes, over the {}-byte limit: not audited",
                    bytes.len(),
                    limits.max_bytes
                ),
            ));
            continue;
        }
        texts.push((path.as_str(), String::from_utf8_lossy(bytes)));
    }
    let mut models: Vec<(model::Workflow, text::SourceText<'_>)> = Vec::new();
    for (path, t) in &texts {
        match yaml::parse(t, limits) {
            Ok(doc) => models.push((model::build(path, &doc), text::SourceText::new(t))),
            Err(e) => {
                let mut loc = Location::file(*path);
                if let yaml::YamlError::Syntax { line, col, .. }
                | yaml::YamlError::TooDeep { line, col, .. }
                | yaml::YamlError::BadAlias { line, col } = &e
                {
                    loc.line = Some(*line);
                    loc.column = Some(*col);
                }
                out.push(Rule::UnparseableWorkflow.finding(loc, format!("not audited: {e}")));
            }
        }
    }
    for (wf, src) in &models {
        let mut cx = audit::Cx {
            wf,
            src,
            out: &mut out,
        };
        audit::run(&mut cx);
    }
    out.extend(graph::paths(&models));
    assay_core::sort_by_location(&mut out);
    out
}

/// The workflow and action files among an artifact's entries: by their path
/// ([`kind_by_path`]); in a single-file artifact, the file when it reads as a workflow
/// or action ([`looks_like_workflow`]). Files the source kept only the head of (over its
/// text limit) come back in the second list, `(path, size)`.
pub fn files_of(art: &Artifact) -> (Vec<SourceFile>, Vec<(String, u64)>) {
    let single = art.format == assay_core::ArtifactFormat::File;
    let mut whole = Vec::new();
    let mut cut = Vec::new();
    for e in art
        .entries
        .iter()
        .filter(|e| e.kind == assay_core::EntryKind::File)
    {
        let wanted = kind_by_path(&e.path).is_some()
            || (single && {
                let lower = e.path.to_ascii_lowercase();
                (lower.ends_with(".yml") || lower.ends_with(".yaml"))
                    && looks_like_workflow(&String::from_utf8_lossy(&e.data))
            });
        if !wanted {
            continue;
        }
        if e.complete {
            whole.push((e.path.clone(), e.data.clone()));
        } else {
            cut.push((e.path.clone(), e.size));
        }
    }
    (whole, cut)
}

/// Audit the workflows and actions an artifact holds (see [`files_of`]).
pub fn audit_artifact(art: &Artifact) -> Vec<Finding> {
    let (files, cut) = files_of(art);
    let mut out: Vec<Finding> = cut
        .into_iter()
        .map(|(path, size)| {
            Rule::UnparseableWorkflow.finding(
                Location::file(path),
                format!("{size} bytes, over the reader's text limit: not audited"),
            )
        })
        .collect();
    if !files.is_empty() {
        out.extend(audit_files(&files));
    }
    out
}
