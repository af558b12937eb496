//! Finding agent files on disk.
//!
//! - [`artifacts`]: for `assay scan DIR` of a directory that the package sources do not
//!   read whole — one artifact per skill folder (format `skill`), and one for the other
//!   agent files of the tree (configurations, instruction files, tool lists, MCP server
//!   source), format `directory`.
//! - [`user_locations`]: for `assay agents` — the per-user and per-project places agents
//!   read their configuration, skills and instructions from (Claude Code, Claude
//!   Desktop, Cursor, VS Code, Windsurf, Gemini CLI), under a given home and project
//!   directory. Only paths that exist are returned; nothing is started or fetched.
//!
//! Bounds: [`MAX_DEPTH`] folder levels, [`MAX_WALK`] entries visited, [`MAX_FILES`]
//! files per artifact, files over [`crate::MAX_FILE_BYTES`] read as their head (the
//! audit reports them as not audited). Symlinks are not followed; `node_modules`,
//! `.git`, virtual environments and build folders are not entered.

use crate::{Role, SourceFile};
use std::path::{Path, PathBuf};

/// Deepest folder level walked.
pub const MAX_DEPTH: usize = 16;
/// Most directory entries visited in one walk.
pub const MAX_WALK: usize = 200_000;
/// Most files in one artifact.
pub const MAX_FILES: usize = 5_000;

/// Folders never entered.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".hg",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    "dist",
    "build",
    ".tox",
    ".mypy_cache",
];

fn read_head(p: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut v = Vec::new();
    fs_err::File::open(p)?
        .take(crate::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut v)?;
    Ok(v)
}

/// Every regular file under `dir` (sorted, bounded, skipping [`SKIP_DIRS`]), as
/// absolute paths.
fn walk(dir: &Path, skip: &std::collections::HashSet<&Path>) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    let mut visited = 0usize;
    while let Some((d, depth)) = stack.pop() {
        let mut entries: Vec<PathBuf> = fs_err::read_dir(&d)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries.into_iter().rev() {
            visited += 1;
            if visited > MAX_WALK {
                return Ok(out);
            }
            let Ok(m) = p.symlink_metadata() else {
                continue;
            };
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if m.is_dir() {
                // Folders the caller judges whole are not walked (a `node_modules` tree
                // of 1,400 packages: each is an input of its own).
                if depth < MAX_DEPTH
                    && !SKIP_DIRS.contains(&name.as_str())
                    && !skip.contains(p.as_path())
                {
                    stack.push((p, depth + 1));
                }
            } else if m.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn rel(p: &Path, base: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn artifact_of(
    display: String,
    format: assay_core::ArtifactFormat,
    files: Vec<SourceFile>,
) -> assay_core::Artifact {
    let mut art = assay_core::Artifact::new(display, format);
    art.entries = files
        .into_iter()
        .map(|(path, data)| assay_core::Entry::file(path, data, crate::MAX_FILE_BYTES as u64))
        .collect();
    art
}

/// The agent files of `dir` as artifacts: one per skill folder (a folder holding
/// `SKILL.md`; its files with paths relative to it), then one for the other agent
/// files (paths relative to `dir`). Files under `skip` (directories the caller judges
/// whole) are left out. Empty when the tree holds no agent file.
///
/// # Errors
/// An I/O error naming the path, when a folder or file that exists cannot be read.
pub fn artifacts(dir: &Path, skip: &[PathBuf]) -> std::io::Result<Vec<assay_core::Artifact>> {
    let skipped: std::collections::HashSet<&Path> = skip.iter().map(PathBuf::as_path).collect();
    let files: Vec<PathBuf> = walk(dir, &skipped)?
        .into_iter()
        .filter(|p| !p.ancestors().any(|a| skipped.contains(a)))
        .collect();
    let mut skill_dirs: Vec<PathBuf> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "SKILL.md"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    skill_dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    let mut per_skill: Vec<Vec<SourceFile>> = vec![Vec::new(); skill_dirs.len()];
    let mut rest: Vec<SourceFile> = Vec::new();
    for p in &files {
        if let Some(i) = skill_dirs.iter().position(|d| p.starts_with(d)) {
            if let (Some(v), Some(d)) = (per_skill.get_mut(i), skill_dirs.get(i))
                && v.len() < MAX_FILES
            {
                let r = rel(p, d);
                let lower = r.to_ascii_lowercase();
                // What a skill folder holds that the audit reads: text and scripts.
                if lower.ends_with(".md")
                    || lower.ends_with(".txt")
                    || lower.ends_with(".mdc")
                    || crate::caps::script_lang(&r).is_some()
                    || lower.ends_with(".json")
                {
                    v.push((r, read_head(p)?));
                }
            }
            continue;
        }
        let r = rel(p, dir);
        let by_path = crate::role_by_path(&r);
        let maybe = by_path.is_some()
            || (r.to_ascii_lowercase().ends_with(".json"))
            || crate::source::lang_of(&r).is_some();
        if !maybe || rest.len() >= MAX_FILES {
            continue;
        }
        // Loose Python files are inputs of their own (`assay scan` reads them; their
        // artifact gets the agent audit too): only the other kinds are collected here.
        if by_path.is_none() && r.to_ascii_lowercase().ends_with(".py") {
            continue;
        }
        let data = read_head(p)?;
        if by_path.is_some()
            || matches!(
                crate::classify(&r, &data),
                Some(Role::ToolList | Role::ServerSource)
            )
        {
            rest.push((r, data));
        }
    }
    let mut out = Vec::new();
    let mut skills: Vec<(PathBuf, Vec<SourceFile>)> =
        skill_dirs.into_iter().zip(per_skill).collect();
    skills.sort_by(|a, b| a.0.cmp(&b.0));
    for (d, fs) in skills {
        out.push(artifact_of(
            d.display().to_string(),
            assay_core::ArtifactFormat::Skill,
            fs,
        ));
    }
    if !rest.is_empty() {
        out.push(artifact_of(
            dir.display().to_string(),
            assay_core::ArtifactFormat::Directory,
            rest,
        ));
    }
    Ok(out)
}

/// Where agents look for configuration, skills and instructions, relative to a home
/// directory (per user) and to a project directory (per project). Files and folders;
/// the caller keeps those that exist.
pub fn candidate_locations(home: &Path, project: &Path) -> Vec<PathBuf> {
    let h = |s: &str| home.join(s);
    let p = |s: &str| project.join(s);
    vec![
        // Claude Code (user).
        h(".claude/settings.json"),
        h(".claude/settings.local.json"),
        h(".claude.json"),
        h(".claude/CLAUDE.md"),
        h(".claude/skills"),
        h(".claude/plugins"),
        h(".claude/agents"),
        h(".claude/commands"),
        // Claude Desktop (Linux, macOS).
        h(".config/Claude/claude_desktop_config.json"),
        h("Library/Application Support/Claude/claude_desktop_config.json"),
        // Cursor, Windsurf, Gemini CLI, VS Code (user).
        h(".cursor/mcp.json"),
        h(".cursor/rules"),
        h(".codeium/windsurf/mcp_config.json"),
        h(".gemini/settings.json"),
        h(".gemini/GEMINI.md"),
        h(".config/Code/User/mcp.json"),
        h("Library/Application Support/Code/User/mcp.json"),
        // Shared skill folders.
        h(".agents/skills"),
        // The project.
        p(".mcp.json"),
        p("mcp.json"),
        p(".cursor/mcp.json"),
        p(".cursor/rules"),
        p(".vscode/mcp.json"),
        p(".claude/settings.json"),
        p(".claude/settings.local.json"),
        p(".claude/skills"),
        p(".claude/agents"),
        p(".claude/commands"),
        p(".gemini/settings.json"),
        p("CLAUDE.md"),
        p("CLAUDE.local.md"),
        p("AGENTS.md"),
        p("GEMINI.md"),
        p(".cursorrules"),
        p(".windsurfrules"),
        p(".github/copilot-instructions.md"),
    ]
}

/// The [`candidate_locations`] that exist (symlinks not followed), deduplicated.
pub fn user_locations(home: &Path, project: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = candidate_locations(home, project)
        .into_iter()
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    out.dedup();
    out
}

/// The agent files at the located paths, as artifacts: a folder is walked like
/// [`artifacts`] does (skills are artifacts of their own), a file is an artifact named
/// by its path whose entry keeps the name an agent knows it by (`.mcp.json`,
/// `.claude/settings.json`), so the audit recognises it.
///
/// # Errors
/// An I/O error naming the path.
pub fn located_artifacts(paths: &[PathBuf]) -> std::io::Result<Vec<assay_core::Artifact>> {
    let mut out = Vec::new();
    for p in paths {
        let m = p.symlink_metadata()?;
        if m.is_dir() {
            out.extend(artifacts(p, &[])?);
        } else if m.is_file() {
            // Keep the last two components (`.claude/settings.json`), enough for the
            // path rules of [`crate::role_by_path`].
            let comps: Vec<String> = p
                .components()
                .rev()
                .take(2)
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name = comps.iter().rev().cloned().collect::<Vec<_>>().join("/");
            out.push(artifact_of(
                p.display().to_string(),
                assay_core::ArtifactFormat::File,
                vec![(name, read_head(p)?)],
            ));
        }
    }
    Ok(out)
}

/// Local files an MCP configuration launches: arguments of a server's command that are
/// existing script files (`node /srv/x/index.js`, `python server.py`) or the command
/// itself when it is a path. `config` is the configuration's path, for relative
/// arguments. Never started; returned for the caller to scan.
pub fn local_server_files(config: &Path, data: &[u8]) -> Vec<PathBuf> {
    let Ok(v) = crate::mcp::parse_config_json(data) else {
        return Vec::new();
    };
    let base = config.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    let mut servers: Vec<&serde_json::Value> = Vec::new();
    for key in ["mcpServers", "servers"] {
        if let Some(serde_json::Value::Object(m)) = v.get(key) {
            servers.extend(m.values().take(crate::MAX_UNITS));
        }
    }
    for s in servers {
        let mut words: Vec<&str> = Vec::new();
        if let Some(c) = s.get("command").and_then(serde_json::Value::as_str) {
            words.push(c);
        }
        if let Some(a) = s.get("args").and_then(serde_json::Value::as_array) {
            words.extend(a.iter().take(100).filter_map(serde_json::Value::as_str));
        }
        for w in words {
            if crate::source::lang_of(w).is_none() && crate::caps::script_lang(w).is_none() {
                continue;
            }
            let p = if Path::new(w).is_absolute() {
                PathBuf::from(w)
            } else {
                base.join(w)
            };
            if p.symlink_metadata().is_ok_and(|m| m.is_file()) && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}
