//! The per-file audits (`CI002`–`CI015`, `CI017`–`CI023`; `CI027` in [`crate::leak`], `CI028` in
//! [`crate::advisories`]): each reads one
//! [`Workflow`] and appends findings. The cross-workflow path (`CI016`) is in
//! [`crate::graph`]; unreadable files (`CI001`) in [`crate::audit_files`].
//!
//! Severity follows who can start the attack: a weakness an outsider can reach on a
//! privileged trigger (one that runs with the base repository's token and secrets) is
//! high; the same pattern on other triggers is medium; hygiene (pins, broad scopes) is
//! low or medium. Only a complete path to publishing ([`crate::graph`]) is critical.

use crate::expr::{self, Control, Expr};
use crate::model::{Job, Kind, Permissions, Step, Str, Workflow, is_full_sha};
use crate::text::SourceText;
use assay_core::{Finding, Location, Rule, Severity};

/// Events an outsider can cause that run with the base repository's token, secrets and
/// cache scope (GitHub's "Events that trigger workflows": `pull_request_target` and
/// `workflow_run` run in the base context; issue and comment events run on the default
/// branch with write tokens).
pub const PRIVILEGED_OUTSIDER: &[&str] = &[
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
    "fork",
];

/// Events an outsider can cause that run with a read-only token and no secrets when
/// they come from a fork.
pub const UNPRIVILEGED_OUTSIDER: &[&str] = &[
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
];

/// Whether the workflow can be started by an outsider with the base repository's
/// privileges.
pub fn privileged(wf: &Workflow) -> bool {
    wf.triggers
        .iter()
        .any(|t| PRIVILEGED_OUTSIDER.contains(&t.name.text.as_str()))
}

/// Whether an outsider can start the workflow at all.
pub fn outsider_triggered(wf: &Workflow) -> bool {
    privileged(wf)
        || wf
            .triggers
            .iter()
            .any(|t| UNPRIVILEGED_OUTSIDER.contains(&t.name.text.as_str()))
}

/// The first privileged outsider trigger's name, for evidence.
fn privileged_name(wf: &Workflow) -> Option<&str> {
    wf.triggers
        .iter()
        .map(|t| t.name.text.as_str())
        .find(|n| PRIVILEGED_OUTSIDER.contains(n))
}

/// One file under audit.
pub(crate) struct Cx<'a> {
    pub(crate) wf: &'a Workflow,
    pub(crate) src: &'a SourceText<'a>,
    pub(crate) out: &'a mut Vec<Finding>,
}

impl Cx<'_> {
    pub(crate) fn loc(&self, pos: crate::yaml::Pos) -> Location {
        location(&self.wf.path, pos)
    }

    fn push(&mut self, rule: Rule, sev: Severity, pos: crate::yaml::Pos, evidence: String) {
        let mut f = rule.finding(self.loc(pos), evidence);
        f.severity = sev;
        self.out.push(f);
    }
}

/// A location in `path` at `pos`.
pub fn location(path: &str, pos: crate::yaml::Pos) -> Location {
    Location {
        path: path.to_owned(),
        line: (pos.line > 0).then_some(pos.line),
        column: (pos.line > 0).then_some(pos.col),
        ..Location::default()
    }
}

/// A parsed `${{ }}` of a value, with its position in the file.
pub(crate) struct Found {
    pub(crate) expr: Expr,
    pub(crate) text: String,
    pub(crate) pos: crate::yaml::Pos,
}

/// Every parseable `${{ }}` in `s`, positioned in the file.
pub(crate) fn exprs(src: &SourceText<'_>, s: &Str) -> Vec<Found> {
    // Each search starts just after the previous match, so two identical expressions
    // get their own positions.
    let mut from = s.pos;
    expr::embedded(&s.text)
        .into_iter()
        .filter_map(|e| {
            let text = s.text.get(e.start..e.end).unwrap_or("").to_owned();
            let found = src.find_from(from, &text);
            if let Some(p) = found {
                from = crate::yaml::Pos {
                    col: p.col.saturating_add(1),
                    ..p
                };
            }
            let expr = expr::parse(e.inner).ok()?;
            Some(Found {
                pos: found.unwrap_or(s.pos),
                expr,
                text,
            })
        })
        .collect()
}

/// The strongest outsider control over the value of `e`, with the path that gives it.
pub(crate) fn strongest(e: &Expr) -> Option<(Control, String)> {
    expr::value_sources(e)
        .into_iter()
        .filter_map(|s| s.control.map(|c| (c, s.path)))
        .min_by_key(|(c, _)| *c)
}

/// Who controls a value read in `step` of `job`: the expression's own sources, and one
/// level through `matrix.*` (a matrix built from an expression) and `env.*` (an env
/// variable set from an expression).
pub(crate) fn control_in(
    src: &SourceText<'_>,
    wf: &Workflow,
    job: &Job,
    step: Option<&Step>,
    e: &Expr,
) -> Option<(Control, String)> {
    let mut best = strongest(e);
    for s in expr::value_sources(e) {
        if s.control.is_some() {
            continue;
        }
        let mut values: Vec<&Str> = Vec::new();
        if s.path == "matrix" {
            values.extend(job.matrix.iter().map(|(_, v)| v));
        } else if let Some(key) = s.path.strip_prefix("matrix.") {
            let key = key.split('.').next().unwrap_or(key);
            values.extend(
                job.matrix
                    .iter()
                    .filter(|(k, _)| k.text.is_empty() || k.text.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v),
            );
        } else if let Some(key) = s.path.strip_prefix("env.") {
            let envs = step
                .map(|st| st.env.as_slice())
                .unwrap_or_default()
                .iter()
                .chain(job.env.iter())
                .chain(wf.env.iter());
            values.extend(
                envs.filter(|(k, _)| k.text.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
                    .take(1),
            );
        }
        for v in values {
            for f in exprs(src, v) {
                if let Some((c, p)) = strongest(&f.expr)
                    && best.as_ref().is_none_or(|(b, _)| c < *b)
                {
                    best = Some((c, format!("{} (from `{p}`)", s.path)));
                }
            }
        }
    }
    best
}

/// Run every per-file audit on `wf`.
pub(crate) fn run(cx: &mut Cx<'_>) {
    template_injection(cx);
    dangerous_trigger(cx);
    cache_poisoning(cx);
    artifact_poisoning(cx);
    unpinned(cx);
    permissions(cx);
    secrets(cx);
    self_hosted(cx);
    scripts(cx);
    publish_tokens(cx);
    env_writes(cx);
    ai_agents(cx);
    insecure_commands(cx);
    container_credentials(cx);
    persisted_credentials(cx);
    conditions(cx);
    crate::leak::secret_in_log(cx);
    crate::advisories::known_vulnerable(cx);
}

/// Actions whose named input is code they run (their READMEs): the input and a label.
const CODE_INPUTS: &[(&str, &str, &str)] = &[
    ("actions/github-script", "script", "github-script"),
    ("amadevus/pwsh-script", "script", "pwsh-script"),
    ("mikefarah/yq", "cmd", "yq command"),
    ("addnab/docker-run-action", "run", "docker-run-action"),
    ("azure/powershell", "inlineScript", "azure/powershell"),
    ("azure/cli", "inlineScript", "azure/cli"),
    ("appleboy/ssh-action", "script", "ssh-action script"),
    (
        "cross-platform-actions/action",
        "run",
        "cross-platform-actions",
    ),
    (
        "jannekem/run-python-script-action",
        "script",
        "python script",
    ),
];

/// The input of `step` that its action runs as code, with a label.
pub(crate) fn code_input(step: &Step) -> Option<(&'static str, &'static str)> {
    CODE_INPUTS
        .iter()
        .find(|(a, _, _)| step.uses_action(a))
        .map(|(_, i, what)| (*i, *what))
}

/// Whether a step is `actions/github-script`.
fn is_github_script(s: &Step) -> bool {
    s.uses_action("actions/github-script")
}

/// `CI002`: outsider or caller text expanded into a `run:` script or github-script code.
fn template_injection(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    let privileged = privileged(wf);
    for job in &wf.jobs {
        for step in &job.steps {
            let mut sinks: Vec<(&Str, &str)> = Vec::new();
            if let Some(r) = &step.run {
                sinks.push((r, "run"));
            }
            if let Some((input, what)) = code_input(step)
                && let Some(s) = step.input(input)
            {
                sinks.push((s, what));
            }
            for (sink, what) in sinks {
                for f in exprs(cx.src, sink) {
                    let direct = control_in(cx.src, wf, job, Some(step), &f.expr);
                    // Through a step or job output: weaker sources give way to stronger.
                    let via = expr::value_sources(&f.expr)
                        .iter()
                        .filter_map(|s| crate::outputs::output_control(cx.src, wf, job, &s.path))
                        .min_by_key(|t| t.control)
                        .filter(|t| direct.as_ref().is_none_or(|(c, _)| t.control < *c));
                    let (control, path, hops) = match (direct, via) {
                        (_, Some(t)) => (t.control, t.path, t.hops),
                        (Some((c, p)), None) => (c, p, Vec::new()),
                        (None, None) => continue,
                    };
                    let sev = match control {
                        Control::Outsider if privileged || wf.kind == Kind::Action => {
                            if wf.kind == Kind::Action {
                                Severity::Medium
                            } else {
                                Severity::High
                            }
                        }
                        Control::Outsider => Severity::Medium,
                        Control::Caller => Severity::Low,
                    };
                    let who = match control {
                        Control::Outsider => "outsider-controlled",
                        Control::Caller => "caller-controlled",
                    };
                    let on = if privileged {
                        format!(" on `{}`", privileged_name(wf).unwrap_or_default())
                    } else {
                        String::new()
                    };
                    let mut finding = Rule::TemplateInjection.finding(
                        cx.loc(f.pos),
                        format!(
                            "{who} `{path}` expanded into {what} of job `{}`{on}: {}",
                            job.id.text, f.text
                        ),
                    );
                    finding.severity = sev;
                    finding.related = hops.iter().map(|p| cx.loc(*p)).collect();
                    cx.out.push(finding);
                }
            }
        }
    }
}

/// Context paths that name the head of a pull request or of the triggering run.
const HEAD_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.merge_commit_sha",
    "github.event.pull_request.head.repo.full_name",
    "github.event.pull_request.number",
    "github.event.issue.number",
    "github.event.number",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_repository.full_name",
];

/// Whether `step` checks out the untrusted head: `actions/checkout` with a `ref` or
/// `repository` naming it, or a shell `gh pr checkout` / `git fetch … pull/…`.
pub(crate) fn checks_out_head(src: &SourceText<'_>, step: &Step) -> bool {
    if step.uses_action("actions/checkout") {
        return ["ref", "repository"].iter().any(|k| {
            step.input(k).is_some_and(|v| {
                v.text.contains("refs/pull/")
                    || exprs(src, v).iter().any(|f| {
                        expr::all_paths(&f.expr)
                            .iter()
                            .any(|p| HEAD_REFS.contains(&p.as_str()))
                    })
            })
        });
    }
    step.run.as_ref().is_some_and(|r| {
        let t = &r.text;
        t.contains("gh pr checkout")
            || (t.contains("git fetch") && t.contains("pull/"))
            || (t.contains("git checkout")
                && exprs(src, r).iter().any(|f| {
                    expr::all_paths(&f.expr)
                        .iter()
                        .any(|p| HEAD_REFS.contains(&p.as_str()))
                }))
    })
}

/// Whether a step runs code from the workspace: any `run:` script, or a local action.
fn runs_workspace_code(step: &Step) -> bool {
    step.run.is_some() || step.uses.as_ref().is_some_and(|u| u.text.starts_with("./"))
}

/// `CI003`: privileged triggers; high when a job checks out the head and then runs code.
fn dangerous_trigger(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    let Some(trigger) = wf.triggers.iter().find(|t| {
        matches!(
            t.name.text.as_str(),
            "pull_request_target" | "workflow_run" | "issue_comment"
        )
    }) else {
        return;
    };
    let mut any = false;
    for job in &wf.jobs {
        let Some(i) = job.steps.iter().position(|s| checks_out_head(cx.src, s)) else {
            continue;
        };
        any = true;
        let Some(step) = job.steps.get(i) else {
            continue;
        };
        let runs = job
            .steps
            .iter()
            .skip(i + 1)
            .find(|s| runs_workspace_code(s));
        let (sev, what) = match runs {
            Some(r) => (
                Severity::High,
                format!(
                    "then runs it (line {})",
                    r.run.as_ref().map_or(r.pos.line, |x| x.pos.line)
                ),
            ),
            None => (Severity::Medium, "no later step seen running it".to_owned()),
        };
        cx.push(
            Rule::DangerousTrigger,
            sev,
            step.pos,
            format!(
                "`{}` job `{}` checks out the untrusted head and {what}",
                trigger.name.text, job.id.text
            ),
        );
    }
    if !any && trigger.name.text != "issue_comment" {
        cx.push(
            Rule::DangerousTrigger,
            Severity::Low,
            trigger.name.pos,
            format!(
                "`{}` runs with the base repository's secrets on events outsiders cause; no untrusted checkout seen",
                trigger.name.text
            ),
        );
    }
}

/// A cache a step restores or writes, as a comparable id: `setup-python:pip`,
/// `rust-cache`, `actions/cache:<literal key prefix>`.
pub(crate) fn cache_id(step: &Step) -> Option<String> {
    let a = step.action()?;
    let off = |v: Option<&Str>| v.is_none_or(|v| v.text.is_empty() || v.text == "false");
    match a.as_str() {
        "actions/cache" | "actions/cache/restore" | "actions/cache/save" => {
            let key = step.input("key").map(|k| k.text.as_str()).unwrap_or("");
            let prefix = key.split("${{").next().unwrap_or("").trim();
            Some(format!("actions/cache:{prefix}"))
        }
        "actions/setup-python"
        | "actions/setup-node"
        | "actions/setup-java"
        | "actions/setup-dotnet" => {
            let c = step.input("cache");
            (!off(c)).then(|| {
                format!(
                    "{}:{}",
                    a.trim_start_matches("actions/"),
                    c.map(|c| c.text.as_str()).unwrap_or("")
                )
            })
        }
        // setup-go caches by default since v4.
        "actions/setup-go" => {
            (step.input("cache").is_none_or(|c| c.text != "false")).then(|| "setup-go".to_owned())
        }
        // `lookup-only: true` checks for a hit without restoring anything.
        "swatinem/rust-cache" => (step.input("lookup-only").is_none_or(|v| v.text != "true"))
            .then(|| "rust-cache".to_owned()),
        // maturin-action's `sccache:` input restores a compiler cache.
        "pyo3/maturin-action" => (!off(step.input("sccache"))).then(|| "sccache".to_owned()),
        "astral-sh/setup-uv" => step
            .input("enable-cache")
            .filter(|v| v.text == "true" || v.text == "auto")
            .map(|_| "setup-uv".to_owned()),
        "mozilla-actions/sccache-action" => Some("sccache".to_owned()),
        _ => None,
    }
}

/// Whether a step only writes a cache (`actions/cache/save`).
pub(crate) fn cache_save_only(step: &Step) -> bool {
    step.uses_action("actions/cache/save")
}

/// What a step publishes to, if it publishes (`PyPI`, `npm`, …).
pub(crate) fn publishes(step: &Step) -> Option<&'static str> {
    if let Some(a) = step.action() {
        let kind = match a.as_str() {
            "pypa/gh-action-pypi-publish" => Some("PyPI"),
            "js-devtools/npm-publish" => Some("npm"),
            "softprops/action-gh-release"
            | "ncipollo/release-action"
            | "actions/create-release"
            | "marvinpinto/action-automatic-releases"
            | "svenstaro/upload-release-action" => Some("a GitHub release"),
            "docker/build-push-action" if step.input("push").is_some_and(|p| p.text == "true") => {
                Some("a container registry")
            }
            "goreleaser/goreleaser-action" => Some("a GitHub release"),
            _ => None,
        };
        if kind.is_some() {
            return kind;
        }
    }
    let run = step.run.as_ref()?.text.as_str();
    const CMDS: &[(&str, &str)] = &[
        ("twine upload", "PyPI"),
        ("uv publish", "PyPI"),
        ("poetry publish", "PyPI"),
        ("flit publish", "PyPI"),
        ("hatch publish", "PyPI"),
        ("maturin publish", "PyPI"),
        ("npm publish", "npm"),
        ("pnpm publish", "npm"),
        ("yarn npm publish", "npm"),
        ("yarn publish", "npm"),
        ("cargo publish", "crates.io"),
        ("docker push", "a container registry"),
        ("gh release create", "a GitHub release"),
        ("gh release upload", "a GitHub release"),
        ("gem push", "RubyGems"),
        ("publishToMavenCentral", "Maven Central"),
        ("mvn deploy", "Maven Central"),
    ];
    // `cargo publish --dry-run` and friends publish nothing.
    run.lines()
        .filter(|l| !l.contains("--dry-run"))
        .find_map(|l| CMDS.iter().find(|(c, _)| l.contains(c)).map(|(_, k)| *k))
}

/// Whether the workflow runs only for releases (a `release` event or tag pushes): its
/// jobs are publishing jobs whatever their steps say.
pub(crate) fn release_workflow(wf: &Workflow) -> bool {
    !wf.triggers.is_empty()
        && wf.triggers.iter().all(|t| {
            t.name.text == "release"
                || t.name.text == "workflow_dispatch"
                || (t.name.text == "push" && !t.tags.is_empty() && t.branches.is_empty())
        })
        && wf
            .triggers
            .iter()
            .any(|t| t.name.text != "workflow_dispatch")
}

/// Whether a job publishes (a publish step, or any job of a release-only workflow).
pub(crate) fn job_publishes(wf: &Workflow, job: &Job) -> Option<&'static str> {
    job.steps
        .iter()
        .find_map(publishes)
        .or_else(|| release_workflow(wf).then_some("a release"))
}

/// `CI004`: a publishing job restores a cache.
fn cache_poisoning(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        let Some(target) = job_publishes(wf, job) else {
            continue;
        };
        for step in &job.steps {
            let Some(id) = cache_id(step) else { continue };
            if cache_save_only(step) {
                continue;
            }
            cx.push(
                Rule::CachePoisoning,
                Severity::Medium,
                step.pos,
                format!(
                    "job `{}` publishes to {target} after restoring cache `{id}`, which runs of other workflows can write",
                    job.id.text
                ),
            );
        }
    }
}

/// Whether a step downloads artifacts of another run.
pub(crate) fn downloads_foreign_artifact(step: &Step) -> bool {
    (step.uses_action("actions/download-artifact")
        && (step.input("run-id").is_some() || step.input("github-token").is_some()))
        || step.uses_action("dawidd6/action-download-artifact")
        || step
            .run
            .as_ref()
            .is_some_and(|r| r.text.contains("gh run download"))
        || (is_github_script(step)
            && step.input("script").is_some_and(|s| {
                s.text.contains("downloadArtifact") || s.text.contains("listWorkflowRunArtifacts")
            }))
}

/// `CI005`: a `workflow_run` workflow downloads the triggering run's artifacts.
fn artifact_poisoning(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    if !wf.has_trigger("workflow_run") {
        return;
    }
    for job in &wf.jobs {
        let publishing = job_publishes(wf, job);
        for step in job.steps.iter().filter(|s| downloads_foreign_artifact(s)) {
            let (sev, tail) = match publishing {
                Some(t) => (Severity::High, format!(" and publishes to {t}")),
                None => (Severity::Medium, String::new()),
            };
            cx.push(
                Rule::ArtifactPoisoning,
                sev,
                step.pos,
                format!(
                    "`workflow_run` job `{}` downloads artifacts of the triggering run{tail}",
                    job.id.text
                ),
            );
        }
    }
}

/// `CI006`/`CI007`: actions, reusable workflows and images not pinned by hash.
fn unpinned(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for u in wf.uses() {
        let t = u.text.trim();
        if t.starts_with("./") || t.contains("${{") {
            continue;
        }
        if let Some(img) = t.strip_prefix("docker://") {
            image(cx, img, u.pos, "step image");
            continue;
        }
        let (name, r) = t.split_once('@').unwrap_or((t, ""));
        if is_full_sha(r) {
            continue;
        }
        let owner = name.split('/').next().unwrap_or("").to_ascii_lowercase();
        let first_party = owner == "actions" || owner == "github";
        let sev = if first_party && !r.is_empty() {
            Severity::Low
        } else {
            Severity::Medium
        };
        let what = if r.is_empty() {
            "no ref at all".to_owned()
        } else {
            format!("mutable ref `{r}`")
        };
        cx.push(
            Rule::UnpinnedAction,
            sev,
            u.pos,
            format!("`{name}` used by {what}, not a commit SHA"),
        );
    }
    for job in &wf.jobs {
        for img in job.container.iter().chain(job.services.iter()) {
            let t = img.image.text.clone();
            image(cx, &t, img.image.pos, "container image");
        }
    }
    if let Some(i) = &wf.action_image
        && let Some(img) = i.text.strip_prefix("docker://")
    {
        image(cx, img, i.pos, "action image");
    }
}

fn image(cx: &mut Cx<'_>, img: &str, pos: crate::yaml::Pos, what: &str) {
    if img.is_empty() || img.contains("@sha256:") || img.contains("${{") {
        return;
    }
    cx.push(
        Rule::UnpinnedImage,
        Severity::Low,
        pos,
        format!("{what} `{img}` is not pinned by digest"),
    );
}

/// `CI008`: `write-all`, workflow-wide write scopes, default permissions on privileged
/// triggers.
fn permissions(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    if wf.kind == Kind::Action {
        return;
    }
    let mut perms: Vec<(&Permissions, String)> = Vec::new();
    perms.extend(
        wf.permissions
            .iter()
            .map(|p| (p, "the workflow".to_owned())),
    );
    for job in &wf.jobs {
        perms.extend(
            job.permissions
                .iter()
                .map(|p| (p, format!("job `{}`", job.id.text))),
        );
    }
    for (p, whose) in &perms {
        if let Permissions::WriteAll(pos) = p {
            cx.push(
                Rule::ExcessivePermissions,
                Severity::Medium,
                *pos,
                format!("{whose} grants `write-all` to the GITHUB_TOKEN"),
            );
        }
    }
    if let Some(p @ Permissions::Scopes(..)) = &wf.permissions {
        let writes = p.writes();
        let inheriting = wf.jobs.iter().filter(|j| j.permissions.is_none()).count();
        if !writes.is_empty() && inheriting >= 1 && wf.jobs.len() > 1 {
            cx.push(
                Rule::ExcessivePermissions,
                Severity::Low,
                p.pos(),
                format!(
                    "workflow-level write scopes ({}) reach every job that sets none ({inheriting} of them); grant them per job",
                    writes.join(", ")
                ),
            );
        }
    }
    if privileged(wf)
        && wf.permissions.is_none()
        && wf
            .jobs
            .iter()
            .any(|j| j.permissions.is_none() && j.uses.is_none())
    {
        cx.push(
            Rule::ExcessivePermissions,
            Severity::Medium,
            wf.on_pos,
            format!(
                "no `permissions:` on a workflow outsiders trigger (`{}`): jobs get the repository's default token scopes",
                privileged_name(wf).unwrap_or_default()
            ),
        );
    }
}

/// Every value of the workflow that can hold an expression: env at all levels, `with:`,
/// `run:`, `if:`.
fn all_values(wf: &Workflow) -> Vec<&Str> {
    let mut v: Vec<&Str> = wf.env.iter().map(|(_, x)| x).collect();
    for job in &wf.jobs {
        v.extend(job.env.iter().map(|(_, x)| x));
        v.extend(job.with.iter().map(|(_, x)| x));
        v.extend(job.if_.iter());
        for s in &job.steps {
            v.extend(s.env.iter().map(|(_, x)| x));
            v.extend(s.with.iter().map(|(_, x)| x));
            v.extend(s.run.iter());
            v.extend(s.if_.iter());
        }
    }
    v
}

/// `CI009`, `CI010`, `CI017`: secrets handed over or serialised whole, or parsed.
fn secrets(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        if let Some(pos) = job.secrets_inherit {
            // A workflow of the same repository (`./…`, no `@ref`) is the repository's own
            // code: low. Another repository's gets every secret: medium.
            let local = job.uses.as_ref().is_none_or(|u| !u.text.contains('@'));
            cx.push(
                Rule::SecretsInherit,
                if local {
                    Severity::Low
                } else {
                    Severity::Medium
                },
                pos,
                format!(
                    "job `{}` calls `{}` with every secret of the repository",
                    job.id.text,
                    job.uses.as_ref().map_or("", |u| u.text.as_str())
                ),
            );
        }
    }
    for v in all_values(wf) {
        for f in exprs(cx.src, v) {
            let mut whole = false;
            let mut parsed = false;
            expr::walk(&f.expr, &mut |e| {
                match e {
                    Expr::Call(n, args) if n == "tojson" => {
                        whole |= matches!(args.first(), Some(Expr::Ident(i)) if i == "secrets");
                    }
                    Expr::Call(n, args) if n == "fromjson" => {
                        parsed |= args
                            .first()
                            .and_then(expr::context_path)
                            .is_some_and(|p| p.starts_with("secrets."));
                    }
                    Expr::Index(b, i) => {
                        whole |= matches!(&**b, Expr::Ident(x) if x == "secrets")
                            && !matches!(&**i, Expr::Str(_));
                    }
                    _ => {}
                }
                true
            });
            if whole {
                cx.push(
                    Rule::WholeSecretsContext,
                    Severity::Medium,
                    f.pos,
                    format!("every secret reaches the runner: {}", f.text),
                );
            }
            if parsed {
                cx.push(
                    Rule::UnredactedSecretField,
                    Severity::Low,
                    f.pos,
                    format!("a field parsed out of a secret is not masked: {}", f.text),
                );
            }
        }
    }
}

/// `CI011`: self-hosted runners.
fn self_hosted(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    let outsider = outsider_triggered(wf);
    for job in &wf.jobs {
        if let Some(l) = job
            .runs_on
            .iter()
            .find(|l| l.text.eq_ignore_ascii_case("self-hosted"))
        {
            let sev = if outsider {
                Severity::High
            } else {
                Severity::Low
            };
            let why = if outsider {
                "on events outsiders trigger: their code runs on your machine"
            } else {
                "keep it off public-repository triggers"
            };
            cx.push(
                Rule::SelfHostedRunner,
                sev,
                l.pos,
                format!("job `{}` runs on a self-hosted runner, {why}", job.id.text),
            );
        }
    }
}

/// Whether a shell line pipes a download into an interpreter.
pub fn pipes_download_to_shell(line: &str) -> bool {
    let l = line.trim();
    let fetch = ["curl ", "wget ", "iwr ", "Invoke-WebRequest"];
    let Some(at) = fetch.iter().filter_map(|f| l.find(f)).min() else {
        return false;
    };
    let rest = l.get(at..).unwrap_or("");
    let interp = |s: &str| {
        let s = s.trim_start();
        let s = s.strip_prefix("sudo ").map_or(s, str::trim_start);
        let s = s.strip_prefix("-E ").map_or(s, str::trim_start);
        [
            "sh", "bash", "zsh", "dash", "python", "python3", "node", "perl", "ruby", "iex",
        ]
        .iter()
        .any(|i| {
            s == *i
                || s.starts_with(&format!("{i} "))
                || s.starts_with(&format!("{i};"))
                || s.starts_with(&format!("{i})"))
        })
    };
    if rest.split('|').skip(1).any(interp) {
        return true;
    }
    // `sh -c "$(curl …)"`, `bash <(curl …)`.
    let before = l.get(..at).unwrap_or("");
    (before.ends_with("<(") || before.ends_with("\"$(") || before.ends_with("$("))
        && ["sh ", "bash ", "zsh "].iter().any(|s| before.contains(s))
}

/// `CI012`: download piped into a shell.
fn scripts(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        for step in &job.steps {
            let Some(r) = &step.run else { continue };
            for line in r.text.lines() {
                if pipes_download_to_shell(line) {
                    let pos = cx.src.find_from(r.pos, line.trim()).unwrap_or(r.pos);
                    cx.push(
                        Rule::CurlPipeShell,
                        Severity::Low,
                        pos,
                        format!("runs a download unverified: {}", line.trim()),
                    );
                }
            }
        }
    }
}

/// Env names (step, job, workflow) visible to a step.
fn env_of<'a>(wf: &'a Workflow, job: &'a Job, step: &'a Step) -> Vec<&'a (Str, Str)> {
    step.env
        .iter()
        .chain(job.env.iter())
        .chain(wf.env.iter())
        .collect()
}

/// `CI013`: stored publish tokens where the registry has trusted publishing.
fn publish_tokens(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        for step in &job.steps {
            let env = env_of(wf, job, step);
            let has_env = |names: &[&str]| {
                env.iter()
                    .any(|(k, v)| names.contains(&k.text.as_str()) && v.text.contains("secrets."))
            };
            let mut hit: Option<(&str, crate::yaml::Pos)> = None;
            if step.uses_action("pypa/gh-action-pypi-publish")
                && let Some(p) = step.input("password")
                && p.text.contains("secrets.")
            {
                hit = Some(("PyPI (pypa/gh-action-pypi-publish `password:`)", p.pos));
            }
            if let Some(r) = &step.run {
                let t = r.text.as_str();
                let py = [
                    "twine upload",
                    "uv publish",
                    "poetry publish",
                    "hatch publish",
                ]
                .iter()
                .any(|c| t.contains(c));
                if py
                    && (has_env(&[
                        "TWINE_PASSWORD",
                        "UV_PUBLISH_TOKEN",
                        "UV_PUBLISH_PASSWORD",
                        "POETRY_PYPI_TOKEN_PYPI",
                        "HATCH_INDEX_AUTH",
                    ]) || (t.contains("secrets.")
                        && (t.contains("--password")
                            || t.contains(" -p ")
                            || t.contains("--token"))))
                {
                    hit = Some(("PyPI", r.pos));
                }
                if [
                    "npm publish",
                    "pnpm publish",
                    "yarn npm publish",
                    "yarn publish",
                ]
                .iter()
                .any(|c| t.contains(c))
                    && has_env(&["NODE_AUTH_TOKEN", "NPM_TOKEN", "NPM_AUTH_TOKEN"])
                {
                    hit = Some(("npm", r.pos));
                }
                if t.contains("cargo publish")
                    && (has_env(&["CARGO_REGISTRY_TOKEN"])
                        || (t.contains("--token") && t.contains("secrets.")))
                {
                    hit = Some(("crates.io", r.pos));
                }
            }
            if let Some((what, pos)) = hit {
                cx.push(
                    Rule::LongLivedPublishToken,
                    Severity::Medium,
                    pos,
                    format!(
                        "job `{}` publishes to {what} with a stored token; the registry supports trusted publishing (OIDC)",
                        job.id.text
                    ),
                );
            }
        }
    }
}

/// Whether a script writes to `$GITHUB_ENV` or `$GITHUB_PATH`.
fn writes_env_file(run: &str) -> bool {
    ["GITHUB_ENV", "GITHUB_PATH"].iter().any(|f| {
        run.lines().any(|l| {
            l.contains(f)
                && (l.contains(">>")
                    || l.contains("Out-File")
                    || l.contains("Add-Content")
                    || l.contains("tee"))
        })
    })
}

/// Env variables of the step whose value an outsider controls, and are named in `run`.
fn tainted_env_in<'a>(cx: &Cx<'_>, env: &[&'a (Str, Str)], run: &str) -> Option<&'a str> {
    env.iter().find_map(|(k, v)| {
        let used = run.contains(&format!("${}", k.text))
            || run.contains(&format!("${{{}}}", k.text))
            || run.contains(&format!("env:{}", k.text));
        (used
            && exprs(cx.src, v)
                .iter()
                .any(|f| matches!(strongest(&f.expr), Some((Control::Outsider, _)))))
        .then_some(k.text.as_str())
    })
}

/// `CI014`: writes to `GITHUB_ENV`/`GITHUB_PATH` in privileged workflows.
fn env_writes(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    if !privileged(wf) {
        return;
    }
    for job in &wf.jobs {
        for step in &job.steps {
            let Some(r) = &step.run else { continue };
            if !writes_env_file(&r.text) {
                continue;
            }
            let env = env_of(wf, job, step);
            let direct = exprs(cx.src, r)
                .iter()
                .any(|f| matches!(strongest(&f.expr), Some((Control::Outsider, _))));
            let via = tainted_env_in(cx, &env, &r.text);
            let (sev, why) = match (direct, via) {
                (true, _) => (
                    Severity::High,
                    "with outsider text expanded in the script".to_owned(),
                ),
                (_, Some(v)) => (
                    Severity::High,
                    format!("from `${v}`, which an outsider controls"),
                ),
                _ => (Severity::Medium, "on a privileged trigger".to_owned()),
            };
            cx.push(
                Rule::UntrustedEnvWrite,
                sev,
                r.pos,
                format!(
                    "job `{}` writes GITHUB_ENV/GITHUB_PATH {why} (`{}`)",
                    job.id.text,
                    privileged_name(wf).unwrap_or_default()
                ),
            );
        }
    }
}

/// AI coding-agent actions (their own READMEs: each reads issue, PR or comment text and
/// can run tools in the runner).
const AI_AGENTS: &[&str] = &[
    "anthropics/claude-code-action",
    "anthropics/claude-code-base-action",
    "google-github-actions/run-gemini-cli",
    "google-gemini/gemini-cli-action",
    "openai/codex-action",
    "qodo-ai/pr-agent",
    "codium-ai/pr-agent",
    "coderabbitai/ai-pr-reviewer",
];

/// Whether an `if:` restricts the job to members (`author_association`, a fixed actor).
fn gated(s: Option<&Str>) -> bool {
    s.is_some_and(|s| {
        s.text.contains("author_association")
            || s.text.contains("github.actor ==")
            || s.text.contains("github.event.sender.login ==")
    })
}

/// `CI015`: AI agents on events outsiders cause.
fn ai_agents(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    if !outsider_triggered(wf) && wf.kind != Kind::Action {
        return;
    }
    let privileged = privileged(wf);
    for job in &wf.jobs {
        for step in &job.steps {
            let Some(a) = step.action() else { continue };
            if !AI_AGENTS.iter().any(|x| a == *x) {
                continue;
            }
            let prompt_tainted = step.with.iter().any(|(_, v)| {
                exprs(cx.src, v)
                    .iter()
                    .any(|f| matches!(strongest(&f.expr), Some((Control::Outsider, _))))
            });
            let is_gated = gated(job.if_.as_ref()) || gated(step.if_.as_ref());
            // Write tools: write scopes, or no `permissions:` at all (the repository
            // default may be write).
            let writes = match (&job.permissions, &wf.permissions) {
                (Some(p), _) | (None, Some(p)) => !p.writes().is_empty(),
                (None, None) => true,
            };
            let sev = match (privileged, is_gated, prompt_tainted, writes) {
                (true, false, _, true) | (true, _, true, true) => Severity::High,
                (true, false, _, false) | (true, _, true, false) | (false, _, true, _) => {
                    Severity::Medium
                }
                _ => Severity::Low,
            };
            let mut why = Vec::new();
            if prompt_tainted {
                why.push("its inputs expand outsider text");
            }
            if privileged && !is_gated {
                why.push("any outsider can start it");
            }
            if is_gated {
                why.push("limited by an author/actor condition");
            }
            why.push(if writes {
                "its token can write"
            } else {
                "its token is read-only"
            });
            cx.push(
                Rule::AiAgentUntrustedInput,
                sev,
                step.uses.as_ref().map_or(step.pos, |u| u.pos),
                format!(
                    "`{a}` in job `{}` on events outsiders cause: {}",
                    job.id.text,
                    why.join("; ")
                ),
            );
        }
    }
}

/// `CI018`: `ACTIONS_ALLOW_UNSECURE_COMMANDS`.
fn insecure_commands(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    let mut envs: Vec<&(Str, Str)> = wf.env.iter().collect();
    for job in &wf.jobs {
        envs.extend(job.env.iter());
        for s in &job.steps {
            envs.extend(s.env.iter());
        }
    }
    for (k, v) in envs {
        if k.text == "ACTIONS_ALLOW_UNSECURE_COMMANDS"
            && !matches!(v.text.to_ascii_lowercase().as_str(), "" | "false" | "0")
        {
            cx.push(
                Rule::InsecureCommands,
                Severity::Medium,
                k.pos,
                "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables `set-env`/`add-path` from log output"
                    .to_owned(),
            );
        }
    }
}

/// `CI019`: registry passwords written in the file.
fn container_credentials(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        for img in job.container.iter().chain(job.services.iter()) {
            if let Some(p) = &img.password
                && !p.text.is_empty()
                && !p.text.contains("${{")
            {
                cx.push(
                    Rule::HardcodedContainerCredentials,
                    Severity::Medium,
                    p.pos,
                    format!(
                        "registry password for `{}` is written in the workflow",
                        img.image.text
                    ),
                );
            }
        }
    }
}

/// `CI020`: a checkout that keeps its token, and an upload of the workspace.
fn persisted_credentials(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        let Some(co) = job.steps.iter().position(|s| {
            s.uses_action("actions/checkout")
                && s.input("persist-credentials")
                    .is_none_or(|v| v.text != "false")
        }) else {
            continue;
        };
        let mut archived = false;
        for step in job.steps.iter().skip(co + 1) {
            if let Some(r) = &step.run {
                archived |= r.text.lines().any(|l| {
                    let l = l.trim();
                    (l.starts_with("tar ") || l.starts_with("zip ") || l.contains(" zip -r"))
                        && (l.ends_with(" .") || l.contains(" . ") || l.contains(".git"))
                });
            }
            if !step.uses_action("actions/upload-artifact") {
                continue;
            }
            let path = step.input("path").map(|p| p.text.trim()).unwrap_or("");
            let whole = path.lines().any(|p| {
                matches!(
                    p.trim(),
                    "." | "./" | "${{ github.workspace }}" | "${{github.workspace}}"
                ) || p.trim().ends_with(".git")
            });
            if whole || archived {
                cx.push(
                    Rule::PersistedCheckoutCredentials,
                    Severity::Medium,
                    step.pos,
                    format!(
                        "job `{}` uploads the workspace (`{}`) after a checkout that keeps the token in .git/config (set `persist-credentials: false`)",
                        job.id.text,
                        if whole { path } else { "an archive of it" }
                    ),
                );
                break;
            }
        }
    }
}

/// `CI021`–`CI023`: conditions that do not test what they seem to.
fn conditions(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    let risky = privileged(wf) || outsider_triggered(wf);
    let mut ifs: Vec<&Str> = Vec::new();
    for job in &wf.jobs {
        ifs.extend(job.if_.iter());
        ifs.extend(job.steps.iter().filter_map(|s| s.if_.as_ref()));
    }
    for s in ifs {
        let t = &s.text;
        let emb = expr::embedded(t);
        // A condition is one expression, with or without `${{ }}`. Anything else around
        // the delimiters makes it a non-empty string.
        let exact = emb.len() == 1
            && emb
                .first()
                .is_some_and(|e| e.start == 0 && e.end == t.len());
        if !emb.is_empty() && !exact {
            cx.push(
                Rule::UnsoundCondition,
                Severity::Low,
                s.pos,
                format!(
                    "`if:` is `{}`: text around `${{{{ }}}}` makes it a non-empty string, always true",
                    t.replace('\n', "\\n")
                ),
            );
            continue;
        }
        let inner = emb.first().map_or(t.as_str(), |e| e.inner);
        let Ok(e) = expr::parse(inner) else { continue };
        let mut bot = false;
        let mut literal_contains: Option<String> = None;
        expr::walk(&e, &mut |x| {
            match x {
                Expr::Binary(expr::BinOp::Eq, l, r) => {
                    let actor = |x: &Expr| {
                        expr::context_path(x)
                            .is_some_and(|p| p == "github.actor" || p == "github.triggering_actor")
                    };
                    let bot_name = |x: &Expr| matches!(x, Expr::Str(s) if s.to_ascii_lowercase().ends_with("[bot]"));
                    bot |= (actor(l) && bot_name(r)) || (actor(r) && bot_name(l));
                }
                Expr::Call(n, args) if n == "contains" => {
                    if let [Expr::Str(hay), needle] = args.as_slice()
                        && let Some(p) = expr::context_path(needle)
                    {
                        literal_contains = Some(format!("contains('{hay}', {p})"));
                    }
                }
                _ => {}
            }
            true
        });
        if bot {
            cx.push(
                Rule::SpoofableBotCondition,
                if risky {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                s.pos,
                format!("condition trusts the last actor being a bot: {}", t.trim()),
            );
        }
        if let Some(c) = literal_contains {
            cx.push(
                Rule::UnsoundContains,
                Severity::Low,
                s.pos,
                format!("substring test against a string literal: {c}"),
            );
        }
    }
}
