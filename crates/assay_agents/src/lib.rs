//! assay's agent audit (rule families `SKILL` and `MCP`): what an AI agent is given to
//! read and run, checked offline and deterministically.
//!
//! Inputs, recognised by path and content ([`classify`]):
//! - skill folders: a `SKILL.md` (YAML front matter + instructions) and every file
//!   beside it, scripts and tests included ([`skill`]);
//! - instruction files an agent loads on its own: `CLAUDE.md`, `AGENTS.md`, `GEMINI.md`,
//!   `.cursorrules`, `.windsurfrules`, `.github/copilot-instructions.md`, `.cursor/rules/*.mdc`,
//!   Claude Code sub-agents and commands (`.claude/agents/*.md`, `.claude/commands/*.md`);
//! - Claude Code plugin manifests (`.claude-plugin/plugin.json`) and plugin hooks
//!   (`hooks/hooks.json`);
//! - agent configurations: `mcp.json`, `.mcp.json`, `.cursor/mcp.json`,
//!   `.vscode/mcp.json`, `claude_desktop_config.json`, `.claude.json`, Claude Code
//!   `settings.json` (hooks, permissions), Gemini/Windsurf settings ([`mcp`]);
//!   Configurations are read as JSON, or as JSONC (comments, trailing commas) when that
//!   is what they are ([`mcp::parse_config_json`]);
//! - saved `tools/list` results (MCP spec 2025-06-18, `Tool`: `name`, `title`,
//!   `description`, `inputSchema`, `outputSchema`, `annotations`) ([`mcp`]);
//! - MCP server source: Python (FastMCP `@mcp.tool()` docstrings, official SDK
//!   `Tool(name=…, description=…)`) and TypeScript/JavaScript (`server.tool(…)`,
//!   `server.registerTool(…)`, tool objects with `name`/`description`/`inputSchema`),
//!   read statically ([`source`]).
//!
//! Across all of them: `pip`/`uv`/`npm`/`npx` installs of look-alikes of popular packages
//! or of known-malicious releases ([`caps::installs`], `SKILL007`), and what a skill
//! ships compiled or packed (`SKILL010`: native executables, bytecode it runs, archives
//! whose members leave the folder).
//!
//! Nothing is run, fetched or connected to. Every file is bounded ([`MAX_FILE_BYTES`]);
//! a relevant file that is over the bound, not UTF-8 JSON or not YAML is a finding
//! (`SKILL001`/`MCP001`), never clean. [`pin`] records and checks tool definitions
//! (rug pulls, `MCP007`); [`disk`] finds agent files on disk for `assay scan` and
//! `assay agents`.

pub mod caps;
pub mod disk;
pub mod mcp;
pub mod pin;
pub mod skill;
pub mod source;
pub mod text;

use assay_core::{Artifact, ArtifactFormat, EntryKind, Finding, Location, Rule, Severity};
use std::borrow::Cow;
use text::Signal;

/// A file to audit: its path as findings should name it, and its bytes.
pub type SourceFile = (String, Vec<u8>);

/// Largest agent file read, in bytes (1 MiB). The largest file of the calibration
/// corpus that this crate reads is ~60 KiB.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Most skill folders, configurations and tool lists audited in one artifact.
pub const MAX_UNITS: usize = 10_000;

/// What an agent file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A skill's `SKILL.md` (its folder is the skill).
    SkillMd,
    /// An instruction file an agent loads by itself (`CLAUDE.md`, `AGENTS.md`, …).
    Instructions,
    /// An MCP client configuration (`mcp.json` and kin).
    McpConfig,
    /// Claude Code `settings.json` / `settings.local.json` (hooks, permissions).
    AgentSettings,
    /// A saved `tools/list` result (recognised by content).
    ToolList,
    /// MCP server source (recognised by content: it imports an MCP SDK).
    ServerSource,
}

fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What `path` is by its name and place alone (no content): `None` for files that need
/// their content to tell ([`Role::ToolList`], [`Role::ServerSource`]) or are not agent
/// files.
pub fn role_by_path(path: &str) -> Option<Role> {
    let lower = path.to_ascii_lowercase();
    let name = name_of(&lower);
    if name_of(path) == "SKILL.md" {
        return Some(Role::SkillMd);
    }
    if matches!(
        name,
        "claude.md"
            | "claude.local.md"
            | "agents.md"
            | "gemini.md"
            | ".cursorrules"
            | ".windsurfrules"
            | "copilot-instructions.md"
    ) || (lower.contains(".cursor/rules/") && name.ends_with(".mdc"))
        || ((lower.contains(".claude/commands/") || lower.contains(".claude/agents/"))
            && name.ends_with(".md"))
    {
        return Some(Role::Instructions);
    }
    // Claude Code plugins: the manifest (inline `mcpServers`, `hooks`) and the plugin's
    // `hooks/hooks.json`.
    if lower.ends_with(".claude-plugin/plugin.json") || lower.ends_with("hooks/hooks.json") {
        return Some(Role::McpConfig);
    }
    if matches!(
        name,
        "mcp.json"
            | ".mcp.json"
            | "claude_desktop_config.json"
            | ".claude.json"
            | "mcp_config.json"
    ) || lower.ends_with(".gemini/settings.json")
    {
        return Some(Role::McpConfig);
    }
    if (lower.ends_with(".claude/settings.json") || lower.ends_with(".claude/settings.local.json"))
        || lower == "settings.local.json"
    {
        return Some(Role::AgentSettings);
    }
    None
}

/// What a file is, by path and then content: a `.json` holding a tool list, or a
/// Python/TypeScript/JavaScript file importing an MCP SDK.
pub fn classify(path: &str, data: &[u8]) -> Option<Role> {
    if let Some(r) = role_by_path(path) {
        return Some(r);
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".json") {
        let head = data.get(..data.len().min(MAX_FILE_BYTES)).unwrap_or(data);
        if contains(head, b"\"tools\"") && contains(head, b"\"inputSchema\"") {
            return Some(Role::ToolList);
        }
        return None;
    }
    if source::lang_of(path).is_some() && source::is_mcp_server(data) {
        return Some(Role::ServerSource);
    }
    None
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// A file's text: UTF-8 (lossy), without a leading BOM.
pub(crate) fn file_text(data: &[u8]) -> Cow<'_, str> {
    let d = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    String::from_utf8_lossy(d)
}

/// A finding at byte `offset` of `text` (line and column computed).
pub(crate) fn finding_at(
    rule: Rule,
    path: &str,
    text: &str,
    offset: usize,
    evidence: impl Into<String>,
) -> Finding {
    let (line, col) = text::line_col(text, offset);
    let mut loc = Location::file(path);
    loc.line = Some(line);
    loc.column = Some(col);
    rule.finding(loc, evidence)
}

/// The rule for an unreadable file of this role.
fn unparseable_rule(role: Role) -> Rule {
    match role {
        Role::SkillMd | Role::Instructions | Role::AgentSettings => Rule::UnparseableAgentFile,
        Role::McpConfig | Role::ToolList | Role::ServerSource => Rule::UnparseableMcpFile,
    }
}

/// Check text an agent reads as instructions (a `SKILL.md`, a reference file of a skill,
/// a `CLAUDE.md`): model-directed phrases (`SKILL002`), over-broad triggers (`SKILL003`,
/// skills only), hidden text and instructions in HTML comments (`SKILL004`).
pub(crate) fn instruction_text(path: &str, text: &str, is_skill: bool, out: &mut Vec<Finding>) {
    hidden_text(path, text, out);
    let comments = text::html_comments(text);
    let in_comment = |off: usize| {
        comments
            .iter()
            .any(|(s, b)| off >= *s && off <= s + b.len())
    };
    for (start, body) in &comments {
        let ps = text::instructions(body);
        if let Some(p) = ps.iter().find(|p| {
            skill::STEERING.contains(&p.signal)
                || matches!(
                    p.signal,
                    Signal::SensitiveFile | Signal::ShoutTag | Signal::OverBroad
                )
        }) {
            out.push(finding_at(
                Rule::HiddenText,
                path,
                text,
                *start,
                format!(
                    "an HTML comment (not shown when rendered) {}: \"{}\"",
                    p.signal.as_str(),
                    p.text
                ),
            ));
        }
    }
    let phrases: Vec<text::Phrase> = text::instructions(text)
        .into_iter()
        .filter(|p| !in_comment(p.offset))
        .collect();
    let sensitive = phrases.iter().any(|p| p.signal == Signal::SensitiveFile);
    let mut seen_lines = std::collections::BTreeSet::new();
    // A forced pre-step is how a third-party skill gets its script run first; in a
    // project's own CLAUDE.md/AGENTS.md ("before any change, run the tests") it is the
    // project's workflow, and download-and-run there is reported on its own (SKILL007).
    let steering = |p: &&text::Phrase| {
        skill::STEERING.contains(&p.signal) && (is_skill || p.signal != Signal::ForcedPreStep)
    };
    for p in phrases.iter().filter(steering) {
        let line = text::line_col(text, p.offset).0;
        if !seen_lines.insert(line) || seen_lines.len() > 8 {
            continue;
        }
        let mut f = finding_at(
            Rule::ModelDirectedInstruction,
            path,
            text,
            p.offset,
            format!("\"{}\": {}", p.text, p.signal.as_str()),
        );
        if p.signal == Signal::Conceal && sensitive {
            f.severity = Severity::Critical;
            f.evidence = format!("{}, in a text that names credential files", f.evidence);
        }
        out.push(f);
    }
    if is_skill && let Some(p) = phrases.iter().find(|p| p.signal == Signal::OverBroad) {
        out.push(finding_at(
            Rule::OverBroadTrigger,
            path,
            text,
            p.offset,
            format!("\"{}\": {}", p.text, p.signal.as_str()),
        ));
    }
    for (line, what, shown) in caps::download_run_lines(text).into_iter().take(5) {
        let mut loc = Location::file(path);
        loc.line = Some(line);
        out.push(Rule::DownloadAndRun.finding(loc, format!("{what}: {shown}")));
    }
    install_findings(path, text, true, UnpinnedRuns::LatestTag, out);
    let lower = text.to_ascii_lowercase();
    for pat in [
        "--dangerously-skip-permissions",
        "bypasspermissions",
        "enableallprojectmcpservers",
    ] {
        if let Some(off) = lower.find(pat) {
            out.push(finding_at(
                Rule::AgentConfigWrite,
                path,
                text,
                off,
                format!("tells the agent to turn approval off (`{pat}`)"),
            ));
            break;
        }
    }
}

/// Which packages fetched and run without asking at no exact version a text reports
/// ([`install_findings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnpinnedRuns {
    /// None: a server launch, which `MCP006` reports.
    Off,
    /// Those tagged `@latest` (`npx -y pkg@latest`), low: instructions and scripts, where
    /// `uvx ruff check` is how tools are documented.
    LatestTag,
    /// Every one, medium: hooks, which run on every agent event with no one watching.
    All,
}

/// `SKILL007` for each package a text installs or runs from a registry that is a
/// known-malicious release or a look-alike of a popular package ([`caps::installs`],
/// [`caps::install_threat`]); at most five per text. Packages fetched and run without
/// asking at no exact version are reported as `unpinned` says, low confidence: a weakness
/// that decides no verdict alone.
pub(crate) fn install_findings(
    path: &str,
    text: &str,
    markdown: bool,
    unpinned: UnpinnedRuns,
    out: &mut Vec<Finding>,
) {
    let mut n = 0;
    for i in caps::installs(text, markdown) {
        let weak = i.runs_unattended
            && !i.pinned()
            && match unpinned {
                UnpinnedRuns::Off => false,
                UnpinnedRuns::LatestTag => i.version.as_deref() == Some("latest"),
                UnpinnedRuns::All => true,
            };
        let Some((severity, what)) = caps::install_threat(&i).or_else(|| {
            weak.then(|| {
                (
                    if unpinned == UnpinnedRuns::All {
                        Severity::Medium
                    } else {
                        Severity::Low
                    },
                    format!(
                        "fetches and runs `{}{}` without asking: whatever version the registry serves then",
                        i.name,
                        i.version.as_deref().map(|v| format!("@{v}")).unwrap_or_default()
                    ),
                )
            })
        }) else {
            continue;
        };
        let mut loc = Location::file(path);
        loc.line = Some(i.line);
        let mut f = Rule::DownloadAndRun.finding(loc, format!("{what}: {}", i.shown));
        if severity < Severity::High {
            f.confidence = assay_core::Confidence::Low;
        }
        f.severity = severity;
        out.push(f);
        n += 1;
        if n >= 5 {
            break;
        }
    }
}

/// `SKILL004` for every run of tag, zero-width or bidi characters: critical for tag
/// characters that decode to text (hidden ASCII a model reads), high otherwise.
pub(crate) fn hidden_text(path: &str, text: &str, out: &mut Vec<Finding>) {
    for h in text::hidden(text).into_iter().take(8) {
        let evidence = if h.decoded.is_empty() {
            format!("{} {} hidden in the text", h.count, h.kind.as_str())
        } else {
            format!(
                "{} {} decode to \"{}\"",
                h.count,
                h.kind.as_str(),
                h.decoded.chars().take(120).collect::<String>()
            )
        };
        let mut f = finding_at(Rule::HiddenText, path, text, h.offset, evidence);
        if h.decoded.trim().len() >= 3 {
            f.severity = Severity::Critical;
        }
        out.push(f);
    }
}

/// Audit a set of files of one artifact or folder (paths as they should appear in
/// findings). Skill folders are the folders holding a `SKILL.md`; every other file is
/// audited by its [`classify`] role. Findings are sorted by path, line and rule.
pub fn audit_files(files: &[SourceFile]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut roots: Vec<String> = files
        .iter()
        .filter(|(p, _)| name_of(p) == "SKILL.md")
        .map(|(p, _)| p.get(..p.len() - "SKILL.md".len()).unwrap_or("").to_owned())
        .take(MAX_UNITS)
        .collect();
    // Deepest first, so a file belongs to the nearest skill.
    roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let mut by_skill: Vec<Vec<&SourceFile>> = vec![Vec::new(); roots.len()];
    let mut rest: Vec<&SourceFile> = Vec::new();
    for f in files {
        match roots.iter().position(|r| f.0.starts_with(r.as_str())) {
            Some(i) => {
                if let Some(v) = by_skill.get_mut(i) {
                    v.push(f);
                }
            }
            None => rest.push(f),
        }
    }
    for (root, fs) in roots.iter().zip(&by_skill) {
        let oversized: Vec<&&SourceFile> = fs
            .iter()
            .filter(|(_, d)| d.len() > MAX_FILE_BYTES)
            .collect();
        for (p, d) in &oversized {
            if name_of(p) == "SKILL.md" || caps::script_lang(p).is_some() {
                out.push(Rule::UnparseableAgentFile.finding(
                    Location::file(p.as_str()),
                    format!(
                        "{} bytes, over the {MAX_FILE_BYTES}-byte limit: not audited",
                        d.len()
                    ),
                ));
            }
        }
        let fit: Vec<&SourceFile> = fs
            .iter()
            .copied()
            .filter(|(_, d)| d.len() <= MAX_FILE_BYTES)
            .collect();
        skill::audit(root, &fit, &mut out);
    }
    let mut configs = Vec::new();
    for (path, data) in rest {
        let Some(role) = classify(path, data) else {
            continue;
        };
        if data.len() > MAX_FILE_BYTES {
            out.push(unparseable_rule(role).finding(
                Location::file(path.as_str()),
                format!(
                    "{} bytes, over the {MAX_FILE_BYTES}-byte limit: not audited",
                    data.len()
                ),
            ));
            continue;
        }
        match role {
            Role::SkillMd => {}
            Role::Instructions => instruction_text(path, &file_text(data), false, &mut out),
            Role::McpConfig | Role::AgentSettings => {
                configs.push((path.as_str(), role, data.as_slice()));
            }
            Role::ToolList => mcp::audit_tool_list(path, data, &mut out),
            Role::ServerSource => mcp::audit_server_source(path, data, &mut out),
        }
    }
    for (path, role, data) in configs.into_iter().take(MAX_UNITS) {
        mcp::audit_config(path, role, data, &mut out);
    }
    assay_core::sort_by_location(&mut out);
    out
}

/// Whether an artifact entry is worth reading for the agent audit: a file a skill folder
/// may hold, or one [`classify`] may recognise.
fn wanted(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    role_by_path(path).is_some()
        || lower.ends_with(".json")
        || lower.ends_with(".md")
        || lower.ends_with(".txt")
        || caps::script_lang(path).is_some()
        || source::lang_of(path).is_some()
}

/// Audit the agent files an artifact holds (skills, configurations, tool lists, MCP
/// server source). Entries the source kept only the head of are findings when they are
/// agent files (`SKILL001`/`MCP001`), never silently skipped. Without any skill folder,
/// configuration, tool list or MCP server file, the result is empty.
pub fn audit_artifact(art: &Artifact) -> Vec<Finding> {
    let mut files: Vec<SourceFile> = Vec::new();
    let mut out = Vec::new();
    // The folders holding a `SKILL.md` (`""` for the root), as path prefixes.
    let skill_roots: Vec<&str> = art
        .entries
        .iter()
        .filter_map(|e| e.path.strip_suffix("SKILL.md"))
        .filter(|r| r.is_empty() || r.ends_with('/'))
        .collect();
    let has_skill = !skill_roots.is_empty();
    // When the source already reports the archive bound that cut members short (ARC006),
    // an agent file it cut is listed low: the bound is the fail-closed finding, and
    // counting it again per file made ansible's wheel `malicious` on the wide benign set.
    let bound_reported = art.findings.iter().any(|f| f.rule == Rule::ArchiveBomb);
    // A file named on its own (`assay scan .claude/settings.json`) is read as one entry
    // named after the file; what it is may depend on the folders above it, so it is
    // audited under the path the user gave.
    let whole_path = (art.format == ArtifactFormat::File && art.entries.len() == 1)
        .then(|| art.path.replace('\\', "/"))
        .filter(|p| role_by_path(p).is_some());
    for e in art.entries.iter().filter(|e| e.kind == EntryKind::File) {
        let path = whole_path.as_deref().unwrap_or(&e.path);
        // What a skill ships compiled (SKILL010): the head tells what it is, whatever the
        // source kept of the rest; members of archives are the archive's business.
        if (e.file_kind.is_native() || e.file_kind == assay_core::FileKind::Bytecode)
            && !path.contains("!/")
            && skill_roots.iter().any(|r| path.starts_with(r))
        {
            files.push((path.to_owned(), opaque_head(e)));
            continue;
        }
        let skill_file = has_skill && wanted(path);
        let role = classify(path, &e.data);
        if !(skill_file || role.is_some()) {
            continue;
        }
        if !e.complete {
            if let Some(r) = role {
                let mut f = unparseable_rule(r).finding(
                    Location::file(path),
                    format!(
                        "{} bytes, over the reader's text limit: not audited",
                        e.size
                    ),
                );
                if bound_reported {
                    f.severity = Severity::Low;
                    f.evidence = format!(
                        "{} bytes, cut short by the archive bound ARC006 reports: not audited",
                        e.size
                    );
                }
                out.push(f);
            }
            continue;
        }
        files.push((path.to_owned(), e.data.clone()));
    }
    if !files.is_empty() {
        out.extend(audit_files(&files));
    }
    if has_skill {
        escaping_archives(art, &mut out);
    }
    out
}

/// The first bytes of a compiled entry, enough for [`assay_core::classify`] to tell its
/// kind again; the kind's magic when the source kept fewer.
fn opaque_head(e: &assay_core::Entry) -> Vec<u8> {
    if e.data.len() >= 64 || e.file_kind == assay_core::FileKind::Bytecode {
        return e
            .data
            .get(..e.data.len().min(256))
            .unwrap_or(&e.data)
            .to_vec();
    }
    let magic: &[u8] = match e.file_kind {
        assay_core::FileKind::Elf => b"\x7fELF",
        assay_core::FileKind::MachO => &[0xcf, 0xfa, 0xed, 0xfe],
        _ => b"MZ",
    };
    let mut v = magic.to_vec();
    v.resize(64, 0);
    v
}

/// `SKILL010` for each archive of a skill holding a member whose path leaves the folder
/// when unpacked (`..`, an absolute path): the source reports the member (`ARC001`,
/// `ARC002`, medium inside a carried archive); for a skill the agent is the one told to
/// unpack it. Located at the archive, the member's finding related; at most ten.
fn escaping_archives(art: &Artifact, out: &mut Vec<Finding>) {
    let mut seen = std::collections::BTreeSet::new();
    for f in &art.findings {
        if !matches!(f.rule, Rule::PathTraversalEntry | Rule::AbsolutePathEntry) {
            continue;
        }
        let Some((archive, member)) = f.location.path.split_once("!/") else {
            continue;
        };
        if seen.len() >= 10 || !seen.insert(archive.to_owned()) {
            continue;
        }
        let mut g = Rule::OpaqueSkillPayload.finding(
            Location::file(archive),
            format!("{archive} holds `{member}`: unpacked, it writes outside the skill folder"),
        );
        g.related = vec![f.location.clone()];
        g.capabilities = vec![assay_core::Capability::Filesystem];
        out.push(g);
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;
    use assay_core::{Entry, FileKind};

    /// An `AGENTS.md` the source kept only the head of: medium on its own (fail closed),
    /// low when the archive bound that cut it is already reported (ARC006).
    #[test]
    fn a_cut_agent_file_is_low_when_the_bound_is_reported() {
        let mut art = Artifact::new("pkg-1.0-py3-none-any.whl", ArtifactFormat::Wheel);
        art.entries.push(Entry {
            path: "pkg/AGENTS.md".into(),
            kind: EntryKind::File,
            size: 20_000,
            data: b"# Agents\n".to_vec(),
            complete: false,
            file_kind: FileKind::Text,
            sha256: None,
        });
        let sev = |art: &Artifact| {
            audit_artifact(art)
                .iter()
                .find(|f| f.rule == Rule::UnparseableAgentFile)
                .map(|f| f.severity)
        };
        assert_eq!(sev(&art), Some(Severity::Medium));
        art.findings.push(Rule::ArchiveBomb.finding(
            Location::file("pkg/CHANGELOG.rst"),
            "the kept-bytes bound is reached here",
        ));
        assert_eq!(sev(&art), Some(Severity::Low));
    }
}
