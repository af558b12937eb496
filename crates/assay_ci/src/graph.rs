//! `CI016`: paths across the jobs and workflows of one repository from code an outsider
//! controls to a job that publishes.
//!
//! Nodes are jobs. An **entry** is a job where an outsider's text or code runs with the
//! base repository's privileges: an expression an outsider controls expanded into a
//! script on a privileged trigger, or a checkout of the untrusted head followed by a
//! script; for artifacts also any job of a `pull_request` workflow (it runs the fork's
//! code by design) that uploads one. A **publisher** is a job that publishes (see
//! [`crate::audit::publishes`]) or any job of a release-only workflow. Edges:
//!
//! - *same job*: the entry job publishes itself (its secrets are the attacker's);
//! - *cache*: the entry job writes a cache (actions/cache, `setup-*` with `cache:`,
//!   rust-cache …) that the publisher restores (same cache id or key prefix) — the
//!   Ultralytics shape. Without a matching cache step the path is still there, one step
//!   less certain: code in a base-branch run holds the runtime token that writes any
//!   cache key, so a publisher that restores any cache is reported as high;
//! - *artifact*: the entry job uploads an artifact that the publisher downloads, in the
//!   same workflow or in a `workflow_run` workflow that the entry's workflow triggers.
//!
//! A path with all its hops named is critical; the unmatched-cache path is high.

use crate::audit::{
    self, cache_id, cache_save_only, checks_out_head, downloads_foreign_artifact, exprs,
    job_publishes, privileged, publishes, strongest,
};
use crate::expr::Control;
use crate::model::{Job, Workflow};
use crate::text::SourceText;
use crate::yaml::Pos;
use assay_core::{Finding, Location, Rule, Severity};

/// Where outsider code runs in a job.
struct Entry<'a> {
    wf: &'a Workflow,
    job: &'a Job,
    pos: Pos,
    what: String,
    /// Runs with base-repository privileges (cache scope, secrets).
    privileged: bool,
}

fn entries<'a>(wf: &'a Workflow, src: &SourceText<'_>) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    let priv_ = privileged(wf);
    let pr = wf.has_trigger("pull_request");
    for job in &wf.jobs {
        let mut found: Option<(Pos, String)> = None;
        if priv_ {
            'steps: for (i, step) in job.steps.iter().enumerate() {
                let mut sinks = Vec::new();
                sinks.extend(step.run.iter());
                if let Some((input, _)) = audit::code_input(step) {
                    sinks.extend(step.input(input));
                }
                for s in sinks {
                    for f in exprs(src, s) {
                        if let Some((Control::Outsider, path)) = strongest(&f.expr) {
                            found = Some((f.pos, format!("`{path}` expanded into a script")));
                            break 'steps;
                        }
                    }
                }
                if checks_out_head(src, step)
                    && job.steps.iter().skip(i + 1).any(|s| {
                        s.run.is_some() || s.uses.as_ref().is_some_and(|u| u.text.starts_with("./"))
                    })
                {
                    found = Some((
                        step.pos,
                        "checks out and runs the untrusted head".to_owned(),
                    ));
                    break;
                }
            }
        }
        if let Some((pos, what)) = found {
            out.push(Entry {
                wf,
                job,
                pos,
                what,
                privileged: true,
            });
        } else if pr
            && let Some(up) = job
                .steps
                .iter()
                .find(|s| s.uses_action("actions/upload-artifact"))
        {
            out.push(Entry {
                wf,
                job,
                pos: up.pos,
                what: "runs the pull request's code (`pull_request`)".to_owned(),
                privileged: false,
            });
        }
    }
    out
}

fn workflow_name(wf: &Workflow) -> String {
    wf.name.as_ref().map_or_else(
        || wf.path.rsplit('/').next().unwrap_or(&wf.path).to_owned(),
        |n| n.text.clone(),
    )
}

fn same_cache(a: &str, b: &str) -> bool {
    match (
        a.strip_prefix("actions/cache:"),
        b.strip_prefix("actions/cache:"),
    ) {
        (Some(x), Some(y)) => {
            !x.is_empty() && !y.is_empty() && (x.starts_with(y) || y.starts_with(x))
        }
        (None, None) => a == b,
        _ => false,
    }
}

fn artifact_name(step: &crate::model::Step) -> String {
    step.input("name")
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

/// One hop of a path: where, and what happens there.
struct Hop {
    loc: Location,
    what: String,
}

/// The file name of a workflow, for evidence (the locations carry the full paths).
fn short(wf: &Workflow) -> &str {
    wf.path.rsplit('/').next().unwrap_or(&wf.path)
}

fn hop(wf: &Workflow, pos: Pos, what: String) -> Hop {
    Hop {
        loc: audit::location(&wf.path, pos),
        what,
    }
}

/// Find the paths across `files` (one repository's workflows and actions).
pub fn paths(files: &[(Workflow, SourceText<'_>)]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut entries_all = Vec::new();
    for (wf, src) in files {
        entries_all.extend(entries(wf, src));
    }
    for e in &entries_all {
        let mut best: Option<(Severity, Vec<Hop>)> = None;
        let mut consider = |sev: Severity, hops: Vec<Hop>| {
            if best
                .as_ref()
                .is_none_or(|(s, h)| sev > *s || (sev == *s && hops.len() > h.len()))
            {
                best = Some((sev, hops));
            }
        };
        let start = hop(
            e.wf,
            e.pos,
            format!("`{}` job `{}`: {}", short(e.wf), e.job.id.text, e.what),
        );
        let again = || hop(e.wf, e.pos, start.what.clone());
        // Same job.
        if e.privileged
            && let Some(step) = e.job.steps.iter().find(|s| publishes(s).is_some())
        {
            consider(
                Severity::Critical,
                vec![
                    again(),
                    hop(
                        e.wf,
                        step.pos,
                        format!(
                            "the same job publishes to {}",
                            publishes(step).unwrap_or("")
                        ),
                    ),
                ],
            );
        }
        let writes: Vec<(&crate::model::Step, String)> = e
            .job
            .steps
            .iter()
            .filter_map(|s| cache_id(s).map(|c| (s, c)))
            .collect();
        let uploads: Vec<&crate::model::Step> = e
            .job
            .steps
            .iter()
            .filter(|s| s.uses_action("actions/upload-artifact"))
            .collect();
        for (wf, _) in files {
            for job in &wf.jobs {
                if std::ptr::eq(job, e.job) {
                    continue;
                }
                let Some(target) = job_publishes(wf, job) else {
                    continue;
                };
                let publish_hop = || {
                    let step = job.steps.iter().find(|s| publishes(s).is_some());
                    hop(
                        wf,
                        step.map_or(job.id.pos, |s| s.pos),
                        format!(
                            "`{}` job `{}` publishes to {target}",
                            short(wf),
                            job.id.text
                        ),
                    )
                };
                // Cache.
                if e.privileged {
                    for restore in job.steps.iter().filter(|s| !cache_save_only(s)) {
                        let Some(rid) = cache_id(restore) else {
                            continue;
                        };
                        if let Some((w, wid)) = writes.iter().find(|(_, w)| same_cache(w, &rid)) {
                            consider(
                                Severity::Critical,
                                vec![
                                    again(),
                                    hop(e.wf, w.pos, format!("writes cache `{wid}`")),
                                    hop(
                                        wf,
                                        restore.pos,
                                        format!(
                                            "`{}` job `{}` restores it",
                                            short(wf),
                                            job.id.text
                                        ),
                                    ),
                                    publish_hop(),
                                ],
                            );
                        } else {
                            consider(
                                Severity::High,
                                vec![
                                    again(),
                                    hop(
                                        wf,
                                        restore.pos,
                                        format!(
                                            "`{}` job `{}` restores cache `{rid}` (a base-branch run can write any key)",
                                            short(wf),
                                            job.id.text
                                        ),
                                    ),
                                    publish_hop(),
                                ],
                            );
                        }
                    }
                }
                // Artifacts.
                let same_wf = std::ptr::eq(wf, e.wf);
                let triggered = wf.triggers.iter().any(|t| {
                    t.name.text == "workflow_run"
                        && (t.workflows.is_empty() || t.workflows.contains(&workflow_name(e.wf)))
                });
                for up in &uploads {
                    let name = artifact_name(up);
                    let dl = job.steps.iter().find(|s| {
                        (same_wf
                            && e.privileged
                            && s.uses_action("actions/download-artifact")
                            && (artifact_name(s).is_empty() || artifact_name(s) == name))
                            || (triggered && downloads_foreign_artifact(s))
                    });
                    if let Some(dl) = dl {
                        consider(
                            Severity::Critical,
                            vec![
                                again(),
                                hop(e.wf, up.pos, format!("uploads artifact `{name}`")),
                                hop(
                                    wf,
                                    dl.pos,
                                    format!("`{}` job `{}` downloads it", short(wf), job.id.text),
                                ),
                                publish_hop(),
                            ],
                        );
                    }
                }
            }
        }
        if let Some((sev, hops)) = best {
            let evidence = hops
                .iter()
                .map(|h| h.what.as_str())
                .collect::<Vec<_>>()
                .join(" → ");
            let mut locs = hops.into_iter().map(|h| h.loc);
            let Some(first) = locs.next() else { continue };
            let mut f = Rule::OutsiderToPublishPath.finding(first, evidence);
            f.severity = sev;
            f.related = locs.collect();
            out.push(f);
        }
    }
    out
}
