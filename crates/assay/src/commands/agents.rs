//! `assay agents`: the AI agent setup of this machine and project (crate
//! `assay_agents`, rules SKILL and MCP), reported like `assay scan` (`--format`,
//! `--fail-on`, `-o`, exit codes); and `assay agents pin|check`, tool definitions
//! pinned against rug pulls (`MCP007`).
//!
//! Offline by construction: nothing here starts a server, opens a socket or fetches.
//! Local MCP server files that a configuration launches (`node /srv/x/index.js`) are
//! read and scanned, never run.

use crate::cli::{AgentsAction, AgentsArgs, OutputArgs};
use anyhow::Context;
use assay_core::{ArtifactFormat, ArtifactReport, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Run `assay agents`; `Ok(exit code)`.
pub fn run(args: AgentsArgs) -> anyhow::Result<u8> {
    match args.action {
        None => discover(&args),
        Some(AgentsAction::Pin { tools, lock }) => pin(&tools, lock),
        Some(AgentsAction::Check {
            tools,
            lock,
            output,
        }) => check(&tools, lock, &output),
    }
}

/// Most tools, prompts or resources kept from one server's list.
pub const MAX_LISTED: usize = 5_000;

fn discover(args: &AgentsArgs) -> anyhow::Result<u8> {
    let output = &args.output;
    let home = match args
        .home
        .clone()
        .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
    {
        Some(h) => h,
        None => anyhow::bail!("no home directory: set $HOME or pass --home"),
    };
    let project = match args.project.clone() {
        Some(p) => p,
        None => std::env::current_dir().context("reading the current directory")?,
    };
    let located = assay_agents::disk::user_locations(&home, &project);
    if !output.quiet {
        eprintln!(
            "assay agents: {} agent location(s) under {} and {}",
            located.len(),
            home.display(),
            project.display()
        );
    }
    let mut arts = assay_agents::disk::located_artifacts(&located)
        .context("reading the agent configuration")?;
    // Local server files the configurations launch: scanned as ordinary inputs.
    let mut servers: Vec<PathBuf> = Vec::new();
    let mut configs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for p in &located {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if p.is_file()
            && name.is_some_and(|n| {
                assay_agents::role_by_path(&n) == Some(assay_agents::Role::McpConfig)
                    || n.ends_with(".json")
            })
        {
            let data = fs_err::read(p)?;
            for s in assay_agents::disk::local_server_files(p, &data) {
                if !servers.contains(&s) {
                    servers.push(s);
                }
            }
            configs.push((p.clone(), data));
        }
    }
    let limits = assay_sources::Limits::default();
    for s in &servers {
        let input = assay_sources::Input::File(s.clone());
        arts.push(
            assay_sources::read_input(&input, &s.display().to_string(), &limits)
                .with_context(|| format!("reading {}", s.display()))?,
        );
    }
    let policy = super::scan::load_policy(output, std::slice::from_ref(&project))?;
    let today = assay_policy::Date::today_utc();
    let today = (today.year, today.month, today.day);
    let mut reports = Vec::new();
    let mut used = Vec::new();
    for art in arts {
        let (r, u) = super::scan::judge(art, &policy, today);
        reports.push(r);
        used.extend(u);
    }
    if args.connect {
        reports.extend(connect(&configs, args.lock.as_deref())?);
    }
    used.sort_unstable();
    used.dedup();
    let report = Report::new(reports, policy.unused(&used));
    super::scan::emit(&report, output)?;
    Ok(super::scan::exit_code(&report, output))
}

/// The stdio servers of a configuration: `(name, command, args)`.
fn stdio_servers(data: &[u8]) -> Vec<(String, String, Vec<String>)> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["mcpServers", "servers"] {
        let Some(m) = v.get(key).and_then(serde_json::Value::as_object) else {
            continue;
        };
        for (name, s) in m.iter().take(assay_agents::MAX_UNITS) {
            let Some(cmd) = s.get("command").and_then(serde_json::Value::as_str) else {
                continue;
            };
            if s.get("disabled").and_then(serde_json::Value::as_bool) == Some(true) {
                continue;
            }
            let a = s
                .get("args")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(serde_json::Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            out.push((name.clone(), cmd.to_owned(), a));
        }
    }
    out
}

/// `--connect`: list every configured stdio server and audit what it serves, one
/// artifact per server; with `lock`, compare its tools with the lock (MCP007), or
/// record them when the lock does not exist.
fn connect(
    configs: &[(PathBuf, Vec<u8>)],
    lock: Option<&Path>,
) -> anyhow::Result<Vec<ArtifactReport>> {
    let existing = match lock {
        Some(l) if l.is_file() => Some(assay_agents::pin::read_lock(
            &l.display().to_string(),
            &fs_err::read_to_string(l)?,
        )?),
        _ => None,
    };
    let mut all_pins = BTreeMap::new();
    let mut reports = Vec::new();
    for (config, data) in configs {
        let cwd = config.parent().unwrap_or(Path::new("."));
        for (name, cmd, a) in stdio_servers(data) {
            let mut findings = Vec::new();
            match super::agents_connect::list_server(&cmd, &a, cwd) {
                Ok(listing) => {
                    let tools = serde_json::to_vec(&serde_json::json!({"tools": listing.tools}))?;
                    assay_agents::mcp::audit_tool_list("tools/list", &tools, &mut findings);
                    // Prompts and resources are read by the model too: their names,
                    // descriptions and arguments go through the same checks.
                    for (what, items) in [
                        ("prompts/list", &listing.prompts),
                        ("resources/list", &listing.resources),
                    ] {
                        let as_tools: Vec<serde_json::Value> = items
                            .iter()
                            .filter(|x| x.get("name").and_then(serde_json::Value::as_str).is_some())
                            .cloned()
                            .collect();
                        let bytes = serde_json::to_vec(&serde_json::json!({"tools": as_tools}))?;
                        assay_agents::mcp::audit_tool_list(what, &bytes, &mut findings);
                    }
                    let pins = assay_agents::pin::pins(&name, &tools)?;
                    if let Some(l) = &existing {
                        findings.extend(
                            assay_agents::pin::compare(l, &pins)
                                .into_iter()
                                .map(|(k, kind)| assay_agents::pin::finding(&k, kind)),
                        );
                    }
                    all_pins.extend(pins);
                }
                Err(e) => findings.push(assay_core::Rule::UnparseableMcpFile.finding(
                    assay_core::Location::file(config.display().to_string()),
                    format!("--connect: server `{name}` could not be listed: {e:#}"),
                )),
            }
            let (verdict, score) = assay_rules::score(&findings);
            reports.push(ArtifactReport::new(
                format!("{} [{name}]", config.display()),
                ArtifactFormat::File,
                verdict,
                score,
                findings,
            ));
        }
    }
    if let (Some(l), None) = (lock, &existing) {
        let new = assay_agents::pin::Lock {
            tools: all_pins,
            ..Default::default()
        };
        fs_err::write(l, assay_agents::pin::write_lock(&new))?;
        eprintln!(
            "assay agents: recorded {} served tool(s) in {}",
            new.tools.len(),
            l.display()
        );
    }
    Ok(reports)
}

fn lock_path(lock: Option<PathBuf>) -> PathBuf {
    lock.unwrap_or_else(|| PathBuf::from(assay_agents::pin::LOCK_NAME))
}

/// The pins of every tool list, keyed by `<path as given>#<tool>`.
fn pins_of(tools: &[PathBuf]) -> anyhow::Result<BTreeMap<String, assay_agents::pin::ToolPin>> {
    let mut now = BTreeMap::new();
    for t in tools {
        let data = fs_err::read(t)?;
        anyhow::ensure!(
            data.len() <= assay_agents::MAX_FILE_BYTES,
            "{}: {} bytes, over the {}-byte limit",
            t.display(),
            data.len(),
            assay_agents::MAX_FILE_BYTES
        );
        now.extend(assay_agents::pin::pins(&source_name(t), &data)?);
    }
    Ok(now)
}

/// A tool list's name in the lock: its path as given, `/`-separated.
fn source_name(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn pin(tools: &[PathBuf], lock: Option<PathBuf>) -> anyhow::Result<u8> {
    let path = lock_path(lock);
    let mut l = if path.is_file() {
        let text = fs_err::read_to_string(&path)?;
        assay_agents::pin::read_lock(&path.display().to_string(), &text)?
    } else {
        assay_agents::pin::Lock::default()
    };
    let now = pins_of(tools)?;
    // Re-pinning a list replaces its tools (removed ones included).
    let sources: Vec<String> = tools.iter().map(|t| source_name(t)).collect();
    l.tools.retain(|k, _| {
        let src = k.rsplit_once('#').map_or(k.as_str(), |x| x.0);
        !sources.iter().any(|s| s == src)
    });
    let n = now.len();
    l.tools.extend(now);
    fs_err::write(&path, assay_agents::pin::write_lock(&l))?;
    eprintln!(
        "assay agents: pinned {n} tool(s) from {} file(s) in {}",
        tools.len(),
        path.display()
    );
    Ok(crate::EXIT_OK)
}

fn check(tools: &[PathBuf], lock: Option<PathBuf>, output: &OutputArgs) -> anyhow::Result<u8> {
    let path = lock_path(lock);
    let text = fs_err::read_to_string(&path)
        .context("no lock file to check against (run `assay agents pin` first)")?;
    let l = assay_agents::pin::read_lock(&path.display().to_string(), &text)?;
    let now = pins_of(tools)?;
    let changes = assay_agents::pin::compare(&l, &now);
    let mut reports = Vec::new();
    for t in tools {
        let src = source_name(t);
        let findings: Vec<assay_core::Finding> = changes
            .iter()
            .filter(|(k, _)| k.rsplit_once('#').map_or(k.as_str(), |x| x.0) == src)
            .map(|(k, kind)| assay_agents::pin::finding(k, *kind))
            .collect();
        let (verdict, score) = assay_rules::score(&findings);
        reports.push(ArtifactReport::new(
            src,
            ArtifactFormat::File,
            verdict,
            score,
            findings,
        ));
    }
    let report = Report::new(reports, Vec::new());
    super::scan::emit(&report, output)?;
    // A changed tool fails the check whatever `--fail-on` says: that is what it is for.
    if changes.is_empty() {
        Ok(super::scan::exit_code(&report, output))
    } else {
        Ok(crate::EXIT_FINDINGS)
    }
}
