//! One skill folder: a `SKILL.md` (YAML front matter with `name`, `description`,
//! optional `allowed-tools`, then Markdown instructions; the Agent Skills spec,
//! `anthropic-skills/spec/agent-skills-spec.md` of the calibration corpus) and the files
//! beside it — scripts, references, tests.
//!
//! What is checked: the text the model reads (every Markdown/text file of the folder)
//! through [`crate::text`]; the scripts through [`crate::caps`]; and the two together —
//! what the description and `allowed-tools` declare against what the scripts do
//! (`SKILL006`), one finding per script, located at the line of `SKILL.md` that sends
//! the agent to the script when there is one, with the script's lines as related
//! locations.

use crate::caps::{self, Caps, Seen};
use crate::text::{self, Signal};
use crate::{SourceFile, file_text, finding_at};
use assay_core::{Finding, Location, Rule, Severity};

/// The front matter of a `SKILL.md`.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `name`.
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `allowed-tools` (a list or a comma/space separated string).
    pub allowed_tools: Vec<String>,
    /// 1-based line of `description` in the file.
    pub description_line: u32,
}

/// Why a `SKILL.md` front matter could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// No `---` block at the top of the file.
    #[error("no YAML front matter (`---` … `---`) at the top of SKILL.md")]
    Missing,
    /// The front matter is not YAML within bounds.
    #[error("front matter: {0}")]
    Yaml(#[from] assay_ci::yaml::YamlError),
}

/// Split the front matter off a `SKILL.md`: `(front matter text, 1-based line where it
/// starts)`.
fn split_front(text: &str) -> Option<(&str, u32)> {
    let t = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let rest = t
        .strip_prefix("---\n")
        .or_else(|| t.strip_prefix("---\r\n"))?;
    let mut off = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((rest.get(..off)?, 2));
        }
        off += line.len();
    }
    None
}

/// Parse a `SKILL.md`'s front matter with the bounded YAML reader.
///
/// # Errors
/// [`FrontMatterError`] when there is none or it is not YAML within bounds.
pub fn front_matter(text: &str) -> Result<FrontMatter, FrontMatterError> {
    let (fm, first) = split_front(text).ok_or(FrontMatterError::Missing)?;
    let limits = assay_ci::yaml::Limits {
        max_bytes: 256 << 10,
        max_depth: 16,
        max_nodes: 10_000,
        max_expanded: 20_000,
    };
    let doc = assay_ci::yaml::parse(fm, &limits)?;
    let root = doc.root;
    let s = |k: &str| doc.get(root, k).and_then(|n| doc.str(n)).map(str::to_owned);
    let mut allowed = Vec::new();
    if let Some(n) = doc.get(root, "allowed-tools") {
        if let Some(v) = doc.str(n) {
            allowed.extend(
                v.split([',', ' '])
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned),
            );
        } else {
            allowed.extend(
                doc.items(n)
                    .iter()
                    .filter_map(|&i| doc.str(i))
                    .map(str::to_owned),
            );
        }
    }
    let description_line = doc
        .get(root, "description")
        .map_or(first, |n| doc.pos(n).line.saturating_add(first - 1));
    Ok(FrontMatter {
        name: s("name"),
        description: s("description"),
        allowed_tools: allowed,
        description_line,
    })
}

/// Words in a description that declare network use.
const NETWORK_WORDS: &[&str] = &[
    "http", "api", "url", "web", "fetch", "download", "upload", "server", "online", "internet",
    "endpoint", "request", "send", "post", "remote", "cloud", "network", "browser", "slack",
    "github", "email", "webhook", "sync", "publish", "deploy", "search", "crawl", "scrape",
];
/// Words that declare credential handling.
const CREDENTIAL_WORDS: &[&str] = &[
    "ssh",
    "aws",
    "credential",
    "kube",
    "docker",
    "npm",
    "pypi",
    "gpg",
    "wallet",
    "secret",
    "keychain",
    "password",
    "token",
    "auth",
    "login",
    "key",
];

fn declares(text: &str, words: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| words.iter().any(|d| w.starts_with(d)))
}

/// Whether a path inside a skill is part of its tests (never run by the agent for the
/// user's task; run by whoever runs the skill's tests, and by CI).
fn is_test_path(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    name == "conftest.py"
        || lower.starts_with("tests/")
        || lower.starts_with("test/")
        || lower.contains("/tests/")
        || lower.contains("/test/")
        || name.starts_with("test_")
}

/// Audit one skill. `root` is the folder holding `SKILL.md` as it appears in paths
/// (`""` for the artifact root, else ending in `/`); `files` are the folder's files with
/// full paths.
pub fn audit(root: &str, files: &[&SourceFile], out: &mut Vec<Finding>) {
    let skill_md_path = format!("{root}SKILL.md");
    let Some(skill_md) = files.iter().find(|(p, _)| *p == skill_md_path) else {
        return;
    };
    let md = file_text(&skill_md.1);
    let fm = match front_matter(&md) {
        Ok(fm) => fm,
        Err(e) => {
            out.push(
                Rule::UnparseableAgentFile.finding(Location::file(&skill_md_path), e.to_string()),
            );
            FrontMatter::default()
        }
    };
    let description = fm.description.clone().unwrap_or_default();
    // The declared purpose: description, allowed tools and the name.
    let declared = format!(
        "{} {} {}",
        fm.name.as_deref().unwrap_or(""),
        description,
        fm.allowed_tools.join(" ")
    );
    if let Some(name) = fm.name.as_deref()
        && let Some(shown) = text::confusable(name)
    {
        out.push(finding_at(
            Rule::ConfusableName,
            &skill_md_path,
            &md,
            0,
            format!("skill name `{shown}` mixes Latin with look-alike letters"),
        ));
    }
    keyword_stuffing(&skill_md_path, &md, &description, fm.description_line, out);
    // Text the model reads: SKILL.md and every Markdown/text file of the folder.
    for (path, data) in files {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".txt") || lower.ends_with(".mdc") {
            let t = file_text(data);
            crate::instruction_text(path, &t, true, out);
        }
    }
    // npm lifecycle scripts of a skill that ships a package.json: they run on install.
    for (path, data) in files {
        if name_is(path, "package.json") {
            lifecycle(path, data, out);
        }
    }
    opaque_payloads(root, files, out);
    // Scripts, and how SKILL.md sends the agent to them.
    for (path, data) in files {
        let Some(rel) = path.strip_prefix(root) else {
            continue;
        };
        if caps::script_lang(path).is_none() {
            continue;
        }
        let c = caps::of_script(path, data);
        crate::install_findings(
            path,
            &file_text(data),
            false,
            crate::UnpinnedRuns::LatestTag,
            out,
        );
        if is_test_path(rel) {
            test_payload(path, &c, out);
            continue;
        }
        script_findings(&skill_md_path, &md, &fm, &declared, path, rel, &c, out);
    }
}

/// Whether a file of the skill is text the agent reads or a script it runs: where a
/// reference to another file of the skill sends the agent there.
fn reads_or_runs(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md")
        || lower.ends_with(".txt")
        || lower.ends_with(".mdc")
        || lower.ends_with(".json")
        || caps::script_lang(path).is_some()
}

/// The texts and scripts of a skill, decoded once, `SKILL.md` first (it is what the
/// agent reads first): where a reference to another file of the skill sends the agent.
fn readable<'a>(files: &'a [&SourceFile], root: &str) -> Vec<(&'a str, std::borrow::Cow<'a, str>)> {
    let skill_md = format!("{root}SKILL.md");
    let mut refs: Vec<(&str, std::borrow::Cow<'_, str>)> = files
        .iter()
        .filter(|(p, _)| reads_or_runs(p))
        .map(|(p, d)| (p.as_str(), file_text(d)))
        .collect();
    refs.sort_by_key(|(p, _)| *p != skill_md);
    refs
}

/// The first of `texts` (other than `except`) that names `rel` (the path inside the
/// skill, or for names of five or more characters the file name): `(path, text, byte
/// offset)`.
fn named_by<'t, 'a>(
    texts: &'t [(&'a str, std::borrow::Cow<'a, str>)],
    rel: &str,
    except: &str,
) -> Option<(&'a str, &'t str, usize)> {
    texts
        .iter()
        .filter(|(p, _)| *p != except)
        .find_map(|(p, t)| Some((*p, t.as_ref(), reference_to(t, rel)?)))
}

/// `SKILL010`: native executables (medium, high when a text or script names them) and
/// bytecode a text or script names (high), recognised by magic bytes
/// ([`assay_core::classify`]).
fn opaque_payloads(root: &str, files: &[&SourceFile], out: &mut Vec<Finding>) {
    let mut n = 0;
    let mut texts = None;
    for (path, data) in files {
        let Some(rel) = path.strip_prefix(root) else {
            continue;
        };
        let head = data.get(..data.len().min(256)).unwrap_or(data);
        let kind = assay_core::classify(path, head);
        let what = if kind.is_native() {
            "a native executable"
        } else if kind == assay_core::FileKind::Bytecode {
            "compiled Python bytecode"
        } else {
            continue;
        };
        let texts = texts.get_or_insert_with(|| readable(files, root));
        let named = named_by(texts, rel, path);
        let mut f = match &named {
            Some((by, text, at)) => {
                let mut f = finding_at(
                    Rule::OpaqueSkillPayload,
                    by,
                    text,
                    *at,
                    format!("{by} sends the agent to {rel}, {what} no reviewer can read"),
                );
                f.related = vec![Location::file(path.as_str())];
                f
            }
            // Bytecode nobody names is Python's business (PKG013 reports sourceless
            // modules); an executable sits there to be run by something.
            None if kind == assay_core::FileKind::Bytecode => continue,
            None => {
                let mut f = Rule::OpaqueSkillPayload.finding(
                    Location::file(path.as_str()),
                    format!("the skill ships {what} ({rel}) that no text or script names"),
                );
                f.severity = Severity::Medium;
                f
            }
        };
        f.capabilities = vec![assay_core::Capability::CodeExec];
        out.push(f);
        n += 1;
        if n >= 10 {
            break;
        }
    }
}

/// `SKILL003` for a description that is a list of keywords rather than a sentence:
/// 25 or more comma-separated items of at most three words, or one word making up more
/// than a quarter of 40 or more words.
fn keyword_stuffing(path: &str, md: &str, description: &str, line: u32, out: &mut Vec<Finding>) {
    let items: Vec<&str> = description.split(',').map(str::trim).collect();
    let short = items
        .iter()
        .filter(|i| !i.is_empty() && i.split_whitespace().count() <= 3)
        .count();
    let words: Vec<String> = description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect();
    let mut top = 0;
    let mut counts = std::collections::HashMap::new();
    for w in &words {
        let n = counts.entry(w.as_str()).or_insert(0usize);
        *n += 1;
        top = top.max(*n);
    }
    let stuffed = short >= 25 || (words.len() >= 40 && top * 4 > words.len());
    if stuffed {
        let mut f = Rule::OverBroadTrigger.finding(
            Location::file(path),
            format!(
                "description is a keyword list ({} comma-separated items, most frequent word {top} of {} words): it competes for every request",
                items.len(),
                words.len()
            ),
        );
        f.location.line = Some(line);
        let _ = md;
        out.push(f);
    }
}

/// The first line of `SKILL.md` that names the script (`scripts/x.py` or, for names of
/// five or more characters, `x.py`), as a byte offset.
fn reference_to(md: &str, rel: &str) -> Option<usize> {
    if let Some(i) = md.find(rel) {
        return Some(i);
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    (name.len() >= 5).then(|| md.find(name)).flatten()
}

fn lines_of(path: &str, seen: &[Seen]) -> Vec<Location> {
    seen.iter()
        .take(3)
        .map(|s| {
            let mut l = Location::file(path);
            l.line = Some(s.line);
            l
        })
        .collect()
}

fn first(seen: &[Seen]) -> String {
    seen.first()
        .map(|s| format!("line {}: {}", s.line, s.what))
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn script_findings(
    skill_md_path: &str,
    md: &str,
    fm: &FrontMatter,
    declared: &str,
    path: &str,
    rel: &str,
    c: &Caps,
    out: &mut Vec<Finding>,
) {
    let reference = reference_to(md, rel);
    let purpose = {
        let d = fm.description.as_deref().unwrap_or("");
        let short: String = d.chars().take(60).collect();
        if d.chars().count() > 60 {
            format!("\"{short}...\"")
        } else {
            format!("\"{short}\"")
        }
    };
    // Where the finding is: the line of SKILL.md that sends the agent to the script,
    // with the script's lines related; or the script itself, with SKILL.md related.
    let place = |f: &mut Finding, seen: &[Seen]| {
        if let Some(off) = reference {
            let (line, col) = text::line_col(md, off);
            f.location = Location::file(skill_md_path);
            f.location.line = Some(line);
            f.location.column = Some(col);
            f.related = lines_of(path, seen);
        } else {
            f.location = lines_of(path, seen)
                .into_iter()
                .next()
                .unwrap_or_else(|| Location::file(path));
            let mut l = Location::file(skill_md_path);
            l.line = Some(fm.description_line);
            f.related = vec![l];
        }
    };
    let net_declared = declares(declared, NETWORK_WORDS);
    let cred_declared = declares(declared, CREDENTIAL_WORDS);
    let via = if reference.is_some() {
        format!("SKILL.md runs {rel}, which")
    } else {
        rel.to_owned()
    };
    if !c.credential.is_empty() {
        let (sev, what) = match (c.network.is_empty(), cred_declared) {
            (false, false) => (
                Severity::Critical,
                format!(
                    "{purpose} declares neither, but {via} reads credentials ({}) and uses the network ({})",
                    first(&c.credential),
                    first(&c.network)
                ),
            ),
            (true, false) => (
                Severity::High,
                format!(
                    "{purpose} declares no credential use, but {via} reads credentials ({})",
                    first(&c.credential)
                ),
            ),
            (false, true) => (
                Severity::Medium,
                format!(
                    "{via} reads credentials ({}) and uses the network ({}); the description mentions credentials: review",
                    first(&c.credential),
                    first(&c.network)
                ),
            ),
            (true, true) => (Severity::Info, String::new()),
        };
        if sev > Severity::Info {
            let mut f = Rule::UndeclaredCapability.finding(Location::file(path), what);
            f.severity = sev;
            let mut seen = c.credential.clone();
            seen.extend(c.network.iter().cloned());
            place(&mut f, &seen);
            f.capabilities = vec![assay_core::Capability::CredentialAccess];
            if !c.network.is_empty() {
                f.capabilities.push(assay_core::Capability::Network);
            }
            out.push(f);
        }
    } else if !c.env.is_empty() && !c.network.is_empty() && !cred_declared {
        let mut f = Rule::UndeclaredCapability.finding(
            Location::file(path),
            format!(
                "{purpose}: {via} reads the whole environment ({}) and uses the network ({})",
                first(&c.env),
                first(&c.network)
            ),
        );
        let mut seen = c.env.clone();
        seen.extend(c.network.iter().cloned());
        place(&mut f, &seen);
        f.capabilities = vec![assay_core::Capability::Env, assay_core::Capability::Network];
        out.push(f);
    } else if !c.network.is_empty() && !net_declared {
        let mut f = Rule::UndeclaredCapability.finding(
            Location::file(path),
            format!(
                "{purpose} declares no network use, but {via} uses the network ({})",
                first(&c.network)
            ),
        );
        f.severity = Severity::Medium;
        f.confidence = assay_core::Confidence::Low;
        place(&mut f, &c.network);
        f.capabilities = vec![assay_core::Capability::Network];
        out.push(f);
    }
    if !c.download_run.is_empty() {
        let mut f = Rule::DownloadAndRun.finding(
            Location::file(path),
            format!(
                "{via} runs fetched or decoded code ({})",
                first(&c.download_run)
            ),
        );
        place(&mut f, &c.download_run);
        f.capabilities = vec![assay_core::Capability::CodeExec];
        out.push(f);
    }
    if !c.config_write.is_empty() {
        let mut f = Rule::AgentConfigWrite.finding(
            Location::file(path),
            format!(
                "{via} writes agent settings or shell start-up files ({})",
                first(&c.config_write)
            ),
        );
        place(&mut f, &c.config_write);
        f.capabilities = vec![assay_core::Capability::Persistence];
        out.push(f);
    }
}

/// `SKILL009`: a test file of the skill that reaches the network together with
/// credentials or the environment, runs fetched code, or writes agent settings.
fn test_payload(path: &str, c: &Caps, out: &mut Vec<Finding>) {
    let what = if !c.download_run.is_empty() {
        Some(format!(
            "runs fetched or decoded code ({})",
            first(&c.download_run)
        ))
    } else if !c.credential.is_empty() {
        Some(format!("reads credentials ({})", first(&c.credential)))
    } else if !c.network.is_empty() && !c.env.is_empty() {
        Some(format!(
            "reads the environment ({}) and uses the network ({})",
            first(&c.env),
            first(&c.network)
        ))
    } else if !c.config_write.is_empty() {
        Some(format!(
            "writes agent settings or shell start-up files ({})",
            first(&c.config_write)
        ))
    } else {
        None
    };
    if let Some(what) = what {
        let mut seen = c.download_run.clone();
        seen.extend(c.credential.iter().cloned());
        seen.extend(c.env.iter().cloned());
        seen.extend(c.network.iter().cloned());
        seen.extend(c.config_write.iter().cloned());
        let mut locs = lines_of(path, &seen).into_iter();
        let mut f = Rule::PayloadInSkillTests.finding(
            locs.next().unwrap_or_else(|| Location::file(path)),
            format!("test file {what}"),
        );
        f.related = locs.collect();
        out.push(f);
    }
}

fn name_is(path: &str, name: &str) -> bool {
    path.rsplit('/').next() == Some(name)
}

/// `preinstall`/`install`/`postinstall`/`prepare` scripts of a skill's `package.json`:
/// download-and-run is `SKILL007`; credentials or the environment sent over the network,
/// `SKILL006` (critical: nothing declares what an install step does).
fn lifecycle(path: &str, data: &[u8], out: &mut Vec<Finding>) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Some(scripts) = v.get("scripts").and_then(serde_json::Value::as_object) else {
        return;
    };
    let text = file_text(data);
    for hook in ["preinstall", "install", "postinstall", "prepare"] {
        let Some(cmd) = scripts.get(hook).and_then(serde_json::Value::as_str) else {
            continue;
        };
        let at = text.find(&format!("\"{hook}\"")).unwrap_or(0);
        if let Some((_, what, _)) = caps::download_run_lines(cmd).into_iter().next() {
            out.push(finding_at(
                Rule::DownloadAndRun,
                path,
                &text,
                at,
                format!("npm `{hook}` script {what}: {cmd}"),
            ));
            continue;
        }
        let c = caps::of_script("lifecycle.sh", cmd.as_bytes());
        if !c.network.is_empty() && (!c.credential.is_empty() || !c.env.is_empty()) {
            let mut f = finding_at(
                Rule::UndeclaredCapability,
                path,
                &text,
                at,
                format!(
                    "npm `{hook}` script sends credentials or the environment over the network: {cmd}"
                ),
            );
            f.severity = Severity::Critical;
            out.push(f);
        }
    }
}

/// Signals that make a skill's text an instruction to the model (`SKILL002`).
pub(crate) const STEERING: &[Signal] = &[
    Signal::Override,
    Signal::Conceal,
    Signal::ForcedPreStep,
    Signal::Impersonation,
];
