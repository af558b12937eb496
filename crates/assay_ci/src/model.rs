//! The workflow and action model the audits read: triggers, permissions, env, jobs and
//! steps, each value with its position, built from a [`yaml::Doc`].
//!
//! Follows GitHub's "Workflow syntax for GitHub Actions" and "Metadata syntax for GitHub
//! Actions" references. The model is forgiving: a key of the wrong shape is left out
//! (GitHub would reject the file; an audit has nothing to say about it), never a panic.

use crate::yaml::{self, Doc, NodeId, Pos};

/// A scalar value with its position. Non-scalar values (a mapping where a string was
/// expected) have empty `text`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Str {
    /// The value.
    pub text: String,
    /// Where the value starts (for a block scalar: the `|`/`>` indicator).
    pub pos: Pos,
}

impl Str {
    fn of(doc: &Doc, id: NodeId) -> Str {
        Str {
            text: doc.str(id).unwrap_or_default().to_owned(),
            pos: doc.pos(id),
        }
    }
}

/// `permissions:` at workflow or job level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permissions {
    /// `write-all`.
    WriteAll(Pos),
    /// `read-all`.
    ReadAll(Pos),
    /// A mapping of scope → `read`/`write`/`none` (`{}` is an empty mapping).
    Scopes(Vec<(Str, Str)>, Pos),
    /// Anything else (an expression, a typo).
    Other(Str),
}

impl Permissions {
    /// The scopes granted `write` (`["contents", "id-token"]`); `["*"]` for `write-all`.
    pub fn writes(&self) -> Vec<&str> {
        match self {
            Permissions::WriteAll(_) => vec!["*"],
            Permissions::Scopes(s, _) => s
                .iter()
                .filter(|(_, v)| v.text == "write")
                .map(|(k, _)| k.text.as_str())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Where it is written.
    pub fn pos(&self) -> Pos {
        match self {
            Permissions::WriteAll(p) | Permissions::ReadAll(p) | Permissions::Scopes(_, p) => *p,
            Permissions::Other(s) => s.pos,
        }
    }
}

/// One event under `on:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Event name (`pull_request_target`).
    pub name: Str,
    /// `branches`/`tags` filters, when given (for `push`: whether it runs on tags only).
    pub tags: Vec<String>,
    /// `branches` filter.
    pub branches: Vec<String>,
    /// `workflows:` of a `workflow_run` trigger.
    pub workflows: Vec<String>,
}

/// A container or service image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The image reference.
    pub image: Str,
    /// `credentials.password`, when given.
    pub password: Option<Str>,
}

/// One step of a job or of a composite action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    /// Position of the step (its first key).
    pub pos: Pos,
    /// `id:`.
    pub id: Option<Str>,
    /// `name:`.
    pub name: Option<Str>,
    /// `uses:`.
    pub uses: Option<Str>,
    /// `run:`.
    pub run: Option<Str>,
    /// `shell:`.
    pub shell: Option<Str>,
    /// `with:` inputs in order.
    pub with: Vec<(Str, Str)>,
    /// `env:` in order.
    pub env: Vec<(Str, Str)>,
    /// `if:`.
    pub if_: Option<Str>,
}

impl Step {
    /// The `with:` input `key`.
    pub fn input(&self, key: &str) -> Option<&Str> {
        self.with
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }

    /// The action's `owner/repo[/path]` (lower-case) without the ref; `None` for `run`
    /// steps, local actions and `docker://` images.
    pub fn action(&self) -> Option<String> {
        let u = self.uses.as_ref()?.text.as_str();
        if u.starts_with("./") || u.starts_with("docker://") {
            return None;
        }
        Some(u.split('@').next().unwrap_or(u).to_ascii_lowercase())
    }

    /// Whether the step uses the action `name` (`actions/cache`, any sub-path and ref).
    pub fn uses_action(&self, name: &str) -> bool {
        self.action()
            .is_some_and(|a| a == name || a.starts_with(&format!("{name}/")))
    }
}

/// One job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Job {
    /// The job id (the key under `jobs:`).
    pub id: Str,
    /// `name:`.
    pub name: Option<Str>,
    /// `runs-on:` labels (a string, a list, or `group`/`labels` of a mapping).
    pub runs_on: Vec<Str>,
    /// `permissions:`.
    pub permissions: Option<Permissions>,
    /// `needs:`.
    pub needs: Vec<String>,
    /// `if:`.
    pub if_: Option<Str>,
    /// `uses:` of a reusable-workflow call.
    pub uses: Option<Str>,
    /// Position of `secrets: inherit`.
    pub secrets_inherit: Option<Pos>,
    /// `environment:` (its name).
    pub environment: Option<Str>,
    /// `container:` image.
    pub container: Option<Image>,
    /// `services:` images.
    pub services: Vec<Image>,
    /// `env:`.
    pub env: Vec<(Str, Str)>,
    /// `steps:`.
    pub steps: Vec<Step>,
    /// `with:` of a reusable-workflow call.
    pub with: Vec<(Str, Str)>,
    /// `outputs:`: name → value (usually `${{ steps.<id>.outputs.<name> }}`).
    pub outputs: Vec<(Str, Str)>,
    /// `strategy.matrix`: its keys and values (a list value as its items joined), or
    /// one pair with an empty key when the whole matrix is an expression.
    pub matrix: Vec<(Str, Str)>,
}

/// What a YAML file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A workflow (`.github/workflows/*.yml`).
    Workflow,
    /// An action's metadata (`action.yml`).
    Action,
}

/// A workflow, or an action's metadata (composite steps as one pseudo-job `runs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// Path of the file inside the scanned tree.
    pub path: String,
    /// Workflow or action.
    pub kind: Kind,
    /// `name:`.
    pub name: Option<Str>,
    /// Events under `on:`.
    pub triggers: Vec<Trigger>,
    /// Position of `on:` (the key), for findings about the triggers as a whole.
    pub on_pos: Pos,
    /// Workflow-level `permissions:`.
    pub permissions: Option<Permissions>,
    /// Workflow-level `env:`.
    pub env: Vec<(Str, Str)>,
    /// Jobs in order (an action has one, with id `runs`).
    pub jobs: Vec<Job>,
    /// For an action: `runs.using` (`composite`, `node20`, `docker`).
    pub using: Option<Str>,
    /// For a Docker action: `runs.image`.
    pub action_image: Option<Str>,
}

impl Workflow {
    /// Whether the workflow has a trigger named `name`.
    pub fn has_trigger(&self, name: &str) -> bool {
        self.triggers.iter().any(|t| t.name.text == name)
    }

    /// Every `uses:` of the workflow, job by job: a job's reusable workflow, then its
    /// steps' actions, in file order.
    pub fn uses(&self) -> impl Iterator<Item = &Str> {
        self.jobs.iter().flat_map(|job| {
            job.uses
                .iter()
                .chain(job.steps.iter().filter_map(|s| s.uses.as_ref()))
        })
    }
}

/// Whether a `uses:` ref is a full 40-hex-digit commit SHA (a pin; a short SHA is not).
pub fn is_full_sha(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit())
}

fn strings(doc: &Doc, id: NodeId) -> Vec<Str> {
    match doc.resolve(id) {
        Some((yaml::Node::Seq(items), _)) => items.iter().map(|i| Str::of(doc, *i)).collect(),
        Some((yaml::Node::Scalar(..), _)) => vec![Str::of(doc, id)],
        _ => Vec::new(),
    }
}

fn pairs(doc: &Doc, id: Option<NodeId>) -> Vec<(Str, Str)> {
    id.map(|id| {
        doc.pairs(id)
            .into_iter()
            .map(|(k, v)| (Str::of(doc, k), Str::of(doc, v)))
            .collect()
    })
    .unwrap_or_default()
}

fn opt(doc: &Doc, map: NodeId, key: &str) -> Option<Str> {
    doc.get(map, key).map(|v| Str::of(doc, v))
}

fn permissions(doc: &Doc, id: NodeId) -> Permissions {
    let pos = doc.pos(id);
    match doc.str(id) {
        Some("write-all") => Permissions::WriteAll(pos),
        Some("read-all") => Permissions::ReadAll(pos),
        Some(_) => Permissions::Other(Str::of(doc, id)),
        None if doc.is_map(id) => Permissions::Scopes(pairs(doc, Some(id)), pos),
        // `permissions:` with no value is null (a scalar), handled above.
        None => Permissions::Other(Str::of(doc, id)),
    }
}

fn image(doc: &Doc, id: NodeId) -> Option<Image> {
    if let Some(s) = doc.str(id) {
        return Some(Image {
            image: Str {
                text: s.to_owned(),
                pos: doc.pos(id),
            },
            password: None,
        });
    }
    let img = doc.get(id, "image")?;
    Some(Image {
        image: Str::of(doc, img),
        password: doc
            .get(id, "credentials")
            .and_then(|c| opt(doc, c, "password")),
    })
}

fn step(doc: &Doc, id: NodeId) -> Step {
    Step {
        pos: doc.pos(id),
        id: opt(doc, id, "id"),
        name: opt(doc, id, "name"),
        uses: opt(doc, id, "uses"),
        run: opt(doc, id, "run"),
        shell: opt(doc, id, "shell"),
        with: pairs(doc, doc.get(id, "with")),
        env: pairs(doc, doc.get(id, "env")),
        if_: opt(doc, id, "if"),
    }
}

/// The steps of a `steps:` list; a `parallel:` group's steps are taken in its place (they
/// run in the same job, with the same token).
fn steps(doc: &Doc, list: NodeId) -> Vec<Step> {
    let mut out = Vec::new();
    for &i in doc.items(list) {
        match doc.get(i, "parallel") {
            Some(group) => out.extend(doc.items(group).iter().map(|g| step(doc, *g))),
            None => out.push(step(doc, i)),
        }
    }
    out
}

fn filters(doc: &Doc, cfg: NodeId, key: &str) -> Vec<String> {
    doc.get(cfg, key)
        .map(|v| strings(doc, v).into_iter().map(|s| s.text).collect())
        .unwrap_or_default()
}

fn triggers(doc: &Doc, on: NodeId) -> Vec<Trigger> {
    let bare = |s: Str| Trigger {
        name: s,
        tags: Vec::new(),
        branches: Vec::new(),
        workflows: Vec::new(),
    };
    if doc.is_map(on) {
        doc.pairs(on)
            .into_iter()
            .map(|(k, v)| Trigger {
                name: Str::of(doc, k),
                tags: filters(doc, v, "tags"),
                branches: filters(doc, v, "branches"),
                workflows: filters(doc, v, "workflows"),
            })
            .collect()
    } else {
        strings(doc, on).into_iter().map(bare).collect()
    }
}

fn job(doc: &Doc, key: NodeId, id: NodeId) -> Job {
    let runs_on = doc
        .get(id, "runs-on")
        .map(|r| {
            if doc.is_map(r) {
                let mut v: Vec<Str> = doc
                    .get(r, "labels")
                    .map(|l| strings(doc, l))
                    .unwrap_or_default();
                v.extend(doc.get(r, "group").map(|g| Str::of(doc, g)));
                v
            } else {
                strings(doc, r)
            }
        })
        .unwrap_or_default();
    let secrets = doc.get(id, "secrets");
    Job {
        id: Str::of(doc, key),
        name: opt(doc, id, "name"),
        runs_on,
        permissions: doc.get(id, "permissions").map(|p| permissions(doc, p)),
        needs: doc
            .get(id, "needs")
            .map(|n| strings(doc, n).into_iter().map(|s| s.text).collect())
            .unwrap_or_default(),
        if_: opt(doc, id, "if"),
        uses: opt(doc, id, "uses"),
        secrets_inherit: secrets
            .filter(|s| doc.str(*s) == Some("inherit"))
            .map(|s| doc.pos(s)),
        environment: doc.get(id, "environment").map(|e| {
            if doc.is_map(e) {
                doc.get(e, "name")
                    .map(|n| Str::of(doc, n))
                    .unwrap_or_default()
            } else {
                Str::of(doc, e)
            }
        }),
        container: doc.get(id, "container").and_then(|c| image(doc, c)),
        services: doc
            .get(id, "services")
            .map(|s| {
                doc.pairs(s)
                    .into_iter()
                    .filter_map(|(_, v)| image(doc, v))
                    .collect()
            })
            .unwrap_or_default(),
        env: pairs(doc, doc.get(id, "env")),
        steps: doc
            .get(id, "steps")
            .map(|s| steps(doc, s))
            .unwrap_or_default(),
        with: pairs(doc, doc.get(id, "with")),
        outputs: pairs(doc, doc.get(id, "outputs")),
        matrix: doc
            .get(id, "strategy")
            .and_then(|s| doc.get(s, "matrix"))
            .map(|m| matrix(doc, m))
            .unwrap_or_default(),
    }
}

fn matrix(doc: &Doc, m: NodeId) -> Vec<(Str, Str)> {
    if !doc.is_map(m) {
        return vec![(Str::default(), Str::of(doc, m))];
    }
    doc.pairs(m)
        .into_iter()
        .map(|(k, v)| {
            let value = match doc.resolve(v) {
                Some((yaml::Node::Scalar(..), _)) => Str::of(doc, v),
                _ => Str {
                    text: doc
                        .items(v)
                        .iter()
                        .filter_map(|i| doc.str(*i))
                        .collect::<Vec<_>>()
                        .join(" "),
                    pos: doc.pos(v),
                },
            };
            (Str::of(doc, k), value)
        })
        .collect()
}

/// Build the model of `doc`, read from `path`. The kind is an action when the root
/// has `runs:` and no `jobs:`, else a workflow.
pub fn build(path: &str, doc: &Doc) -> Workflow {
    let root = doc.root;
    let is_action = doc.get(root, "runs").is_some() && doc.get(root, "jobs").is_none();
    if is_action {
        let runs = doc.get(root, "runs");
        let steps = runs
            .and_then(|r| doc.get(r, "steps"))
            .map(|s| steps(doc, s))
            .unwrap_or_default();
        return Workflow {
            path: path.to_owned(),
            kind: Kind::Action,
            name: opt(doc, root, "name"),
            triggers: Vec::new(),
            on_pos: Pos::default(),
            permissions: None,
            env: Vec::new(),
            jobs: vec![Job {
                id: Str {
                    text: "runs".into(),
                    pos: runs.map(|r| doc.pos(r)).unwrap_or_default(),
                },
                steps,
                ..Job::default()
            }],
            using: runs.and_then(|r| opt(doc, r, "using")),
            action_image: runs.and_then(|r| opt(doc, r, "image")),
        };
    }
    // `on` is a boolean in YAML 1.1 readers; saphyr (1.2) keeps it a string key, and
    // some files quote it. Either spelling is accepted.
    let on = doc
        .pairs(root)
        .into_iter()
        .find(|(k, _)| matches!(doc.str(*k), Some("on" | "true" | "On" | "ON")));
    Workflow {
        path: path.to_owned(),
        kind: Kind::Workflow,
        name: opt(doc, root, "name"),
        triggers: on.map(|(_, v)| triggers(doc, v)).unwrap_or_default(),
        on_pos: on.map(|(k, _)| doc.pos(k)).unwrap_or_default(),
        permissions: doc.get(root, "permissions").map(|p| permissions(doc, p)),
        env: pairs(doc, doc.get(root, "env")),
        jobs: doc
            .get(root, "jobs")
            .map(|j| {
                doc.pairs(j)
                    .into_iter()
                    .map(|(k, v)| job(doc, k, v))
                    .collect()
            })
            .unwrap_or_default(),
        using: None,
        action_image: None,
    }
}
