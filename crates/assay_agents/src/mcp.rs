//! MCP: client configurations, saved tool lists and server source.
//!
//! - Configurations (`mcpServers` of Claude Desktop/Code, Cursor, Windsurf, Gemini;
//!   `servers` of VS Code's `mcp.json`; `mcp.servers` of VS Code settings;
//!   `context_servers` of Zed; `projects.*.mcpServers` of `~/.claude.json`): how each
//!   server is launched (`MCP005` literal secrets, `MCP006` unpinned packages,
//!   `SKILL007` download-and-run), what the servers enable together (`MCP004`), and in
//!   Claude Code settings, hooks and approval switches (`SKILL007`, `SKILL006`,
//!   `SKILL008`).
//! - Tool lists (the `result` of `tools/list`, MCP spec 2025-06-18 §Tools: `name`,
//!   `title`, `description`, `inputSchema`, `outputSchema`, `annotations`) and tool
//!   texts found in server source ([`crate::source`]): every string of a tool's schema
//!   goes through [`crate::text`] (`MCP002` tool poisoning, `MCP003` shadowing,
//!   `SKILL004` hidden text, `SKILL005` confusable names).
//!
//! JSON is read with `serde_json` (recursion limit 128) after the size bound of the
//! caller; walks over values are bounded by [`MAX_STRINGS`] and [`MAX_TOOLS`].

use crate::text::{self, Signal};
use crate::{Role, caps, file_text, finding_at};
use assay_core::{Finding, Location, Rule, Severity};
use serde_json::Value;
use std::collections::BTreeSet;

/// Most tools read from one list.
pub const MAX_TOOLS: usize = 5_000;
/// Most strings read from one tool's schema.
pub const MAX_STRINGS: usize = 2_000;

/// Every string of a JSON value (keys included, since a property name is read by the
/// model too), with a JSON-pointer-like path, up to [`MAX_STRINGS`].
pub fn strings_of(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &Value)> = vec![(String::new(), v)];
    while let Some((path, v)) = stack.pop() {
        if out.len() >= MAX_STRINGS {
            break;
        }
        match v {
            Value::String(s) => out.push((path, s.clone())),
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate().rev() {
                    stack.push((format!("{path}/{i}"), x));
                }
            }
            Value::Object(m) => {
                for (k, x) in m.iter().rev() {
                    out.push((format!("{path}/{k}#key"), k.clone()));
                    stack.push((format!("{path}/{k}"), x));
                }
            }
            _ => {}
        }
    }
    out
}

/// The tools of a `tools/list` result: `{"tools": […]}`, a JSON-RPC response
/// `{"result": {"tools": […]}}`, or a bare array of tool objects.
pub fn tools_of(v: &Value) -> Option<&Vec<Value>> {
    let arr = match v {
        Value::Array(a) => Some(a),
        Value::Object(m) => m
            .get("tools")
            .or_else(|| m.get("result").and_then(|r| r.get("tools")))
            .and_then(Value::as_array),
        _ => None,
    }?;
    arr.iter()
        .all(|t| t.get("name").and_then(Value::as_str).is_some())
        .then_some(arr)
}

/// A named text of one tool: field path, value and byte offset in the file.
type ToolField = (String, String, usize);

/// The names a phrase refers to as tools (`send_email`, `` `read_file` ``).
fn named_tools(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.contains('_') && w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .map(str::to_owned)
        .collect()
}

/// Check one tool's texts. `own` are the tool names of the same server or list: a
/// description that refers to a sibling tool is documentation, one that changes how a
/// tool of another server behaves is shadowing.
pub fn check_tool(
    path: &str,
    file: &str,
    name: &str,
    name_offset: usize,
    fields: &[ToolField],
    own: &BTreeSet<String>,
    out: &mut Vec<Finding>,
) {
    if let Some(shown) = text::confusable(name) {
        out.push(finding_at(
            Rule::ConfusableName,
            path,
            file,
            name_offset,
            format!("tool name `{shown}` mixes Latin with look-alike letters"),
        ));
    }
    let mut signals: BTreeSet<Signal> = BTreeSet::new();
    let mut shown: Vec<(Signal, String, String, usize)> = Vec::new();
    let mut hidden_done = false;
    for (field, value, off) in fields {
        if !hidden_done {
            for h in text::hidden(value).into_iter().take(1) {
                let evidence = if h.decoded.is_empty() {
                    format!(
                        "tool `{name}` {field}: {} {} hidden in the text",
                        h.count,
                        h.kind.as_str()
                    )
                } else {
                    format!(
                        "tool `{name}` {field}: {} {} decode to \"{}\"",
                        h.count,
                        h.kind.as_str(),
                        h.decoded.chars().take(120).collect::<String>()
                    )
                };
                let mut f = finding_at(Rule::HiddenText, path, file, *off, evidence);
                if h.decoded.trim().len() >= 3 {
                    f.severity = Severity::Critical;
                }
                out.push(f);
                hidden_done = true;
            }
        }
        for p in text::instructions(value) {
            if p.signal == Signal::CrossTool {
                let names = named_tools(&p.text);
                let email = p.text.contains('@');
                if !email
                    && (names.is_empty() || names.iter().all(|n| own.contains(n) || n == name))
                {
                    continue;
                }
            }
            signals.insert(p.signal);
            shown.push((p.signal, p.text, field.clone(), *off));
        }
    }
    let pick = |ss: &[Signal]| shown.iter().find(|x| ss.contains(&x.0));
    let has = |s: Signal| signals.contains(&s);
    let steering = [
        Signal::Override,
        Signal::Conceal,
        Signal::Impersonation,
        Signal::ForcedPreStep,
    ];
    let exfil = has(Signal::SensitiveFile)
        && (has(Signal::ParameterSmuggling)
            || has(Signal::Conceal)
            || has(Signal::ShoutTag)
            || has(Signal::Override));
    let steer = steering.iter().any(|s| has(*s))
        || (has(Signal::ShoutTag)
            && (has(Signal::SensitiveFile) || has(Signal::ParameterSmuggling)));
    if exfil || steer {
        let lead = pick(&[Signal::SensitiveFile])
            .filter(|_| exfil)
            .or_else(|| pick(&steering))
            .or_else(|| pick(&[Signal::ShoutTag]));
        if let Some((_, phrase, field, off)) = lead {
            let kinds: Vec<&str> = signals.iter().map(|s| s.as_str()).collect();
            let mut f = finding_at(
                Rule::ToolPoisoning,
                path,
                file,
                *off,
                format!("tool `{name}` {field}: \"{phrase}\" ({})", kinds.join("; ")),
            );
            if exfil {
                f.severity = Severity::Critical;
                f.capabilities = vec![assay_core::Capability::CredentialAccess];
            }
            out.push(f);
        }
    }
    if let Some((_, phrase, field, off)) = pick(&[Signal::CrossTool]) {
        out.push(finding_at(
            Rule::ToolShadowing,
            path,
            file,
            *off,
            format!(
                "tool `{name}` {field}: \"{phrase}\": {}",
                Signal::CrossTool.as_str()
            ),
        ));
    }
}

fn json_error(rule: Rule, path: &str, e: &serde_json::Error) -> Finding {
    let mut loc = Location::file(path);
    if e.line() > 0 {
        loc.line = u32::try_from(e.line()).ok();
        loc.column = u32::try_from(e.column()).ok();
    }
    rule.finding(loc, format!("not audited: {e}"))
}

/// Why a configuration is not JSON, nor the JSONC that editors accept.
#[derive(Debug)]
pub enum ConfigJsonError {
    /// Not JSON (the strict parser's error, with line and column).
    Json(serde_json::Error),
    /// Not JSONC either (line and column, 1-based, when known).
    Jsonc {
        /// The JSONC parser's message.
        message: String,
        /// 1-based line and column of the error.
        at: Option<(u32, u32)>,
    },
}

/// Parse an agent configuration: strict JSON (RFC 8259), and when that fails, JSONC —
/// `//` and `/* */` comments and trailing commas, which VS Code (`.vscode/mcp.json`,
/// `settings.json`), Cursor and Zed accept in their configuration files. The JSONC
/// reader (`jsonc-parser`) stops at 512 levels of nesting; strict JSON at
/// `serde_json`'s 128. A file that is neither is an error naming where it fails.
///
/// # Errors
/// [`ConfigJsonError`]: the JSONC error when the text uses JSONC syntax (a comment or a
/// trailing comma), else the strict one.
pub fn parse_config_json(data: &[u8]) -> Result<Value, ConfigJsonError> {
    let strict = match serde_json::from_slice::<Value>(data) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let Ok(text) = std::str::from_utf8(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)) else {
        return Err(ConfigJsonError::Json(strict));
    };
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match jsonc_parser::parse_to_serde_value::<Option<Value>>(text, &options) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(ConfigJsonError::Json(strict)),
        Err(e) => {
            let r = e.range();
            let (line, col) = crate::text::line_col(text, r.start);
            Err(ConfigJsonError::Jsonc {
                message: e.kind().to_string(),
                at: Some((line, col)),
            })
        }
    }
}

/// The `SKILL001`/`MCP001` finding for a configuration [`parse_config_json`] refused.
fn config_error(rule: Rule, path: &str, e: &ConfigJsonError) -> Finding {
    match e {
        ConfigJsonError::Json(e) => json_error(rule, path, e),
        ConfigJsonError::Jsonc { message, at } => {
            let mut loc = Location::file(path);
            if let Some((l, c)) = at {
                loc.line = Some(*l);
                loc.column = Some(*c);
            }
            rule.finding(loc, format!("not audited: not JSON or JSONC: {message}"))
        }
    }
}

/// Byte offset of the first `"needle"` (quoted) in `file`, after `from`.
fn quoted(file: &str, needle: &str, from: usize) -> usize {
    let q = format!("\"{needle}\"");
    file.get(from..)
        .and_then(|t| t.find(&q))
        .map_or(from, |i| from + i)
}

/// Audit a saved tool list.
pub fn audit_tool_list(path: &str, data: &[u8], out: &mut Vec<Finding>) {
    let v: Value = match serde_json::from_slice(data) {
        Ok(v) => v,
        Err(e) => {
            out.push(json_error(Rule::UnparseableMcpFile, path, &e));
            return;
        }
    };
    let Some(tools) = tools_of(&v) else {
        return;
    };
    let file = file_text(data);
    let own: BTreeSet<String> = tools
        .iter()
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    let mut from = 0;
    for t in tools.iter().take(MAX_TOOLS) {
        let name = t.get("name").and_then(Value::as_str).unwrap_or("");
        let at = quoted(&file, name, from);
        from = at;
        let fields: Vec<ToolField> = strings_of(t)
            .into_iter()
            .map(|(p, s)| (format!("`{p}`"), s, at))
            .collect();
        check_tool(path, &file, name, at, &fields, &own, out);
    }
}

/// Audit MCP server source: the tool texts [`crate::source::extract`] finds.
pub fn audit_server_source(path: &str, data: &[u8], out: &mut Vec<Finding>) {
    let Some(lang) = crate::source::lang_of(path) else {
        return;
    };
    let file = file_text(data);
    let ex = crate::source::extract(&file, lang);
    let own: BTreeSet<String> = ex.tools.iter().map(|t| t.0.clone()).collect();
    // Each text is checked on its own, attributed to the nearest tool name before it.
    for f in &ex.fields {
        let tool = ex
            .tools
            .iter()
            .filter(|t| t.1 <= f.offset)
            .max_by_key(|t| t.1)
            .or_else(|| ex.tools.first());
        let (name, noff) = tool.map_or(("?", f.offset), |t| (t.0.as_str(), t.1));
        check_tool(
            path,
            &file,
            name,
            noff,
            &[(f.key.to_owned(), f.value.clone(), f.offset)],
            &own,
            out,
        );
    }
}

/// The servers of a configuration: `(name, server object)`.
fn servers_of(v: &Value) -> Vec<(String, &Value)> {
    let mut maps: Vec<&Value> = Vec::new();
    maps.extend(v.get("mcpServers"));
    maps.extend(v.get("servers"));
    maps.extend(v.get("mcp").and_then(|m| m.get("servers")));
    maps.extend(v.get("context_servers"));
    if let Some(Value::Object(ps)) = v.get("projects") {
        for p in ps.values().take(crate::MAX_UNITS) {
            maps.extend(p.get("mcpServers"));
        }
    }
    let mut out = Vec::new();
    for m in maps {
        if let Value::Object(m) = m {
            for (k, s) in m.iter().take(crate::MAX_UNITS) {
                if s.is_object() {
                    out.push((k.clone(), s));
                }
            }
        }
    }
    out
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .take(1_000)
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a package spec names a version: `name@1.2.3`, `@scope/name@1.2.3`,
/// `name==1.2.3`; `@latest`/`@next` do not count.
fn pinned(spec: &str) -> bool {
    if spec.contains("==") {
        return true;
    }
    let body = spec.strip_prefix('@').unwrap_or(spec);
    match body.rsplit_once('@') {
        Some((_, v)) => {
            !v.is_empty()
                && !matches!(v, "latest" | "next" | "beta" | "canary")
                && v.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The package a launcher runs and whether it is pinned: `npx -y pkg`, `bunx pkg`,
/// `pnpm dlx pkg`, `uvx pkg` / `uvx --from pkg==1 cmd`, `pipx run pkg`.
fn launched_package(command: &str, args: &[String]) -> Option<(String, bool)> {
    let base = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let base = base.trim_end_matches(".cmd").trim_end_matches(".exe");
    let mut rest: &[String] = args;
    match base {
        "npx" | "bunx" | "pnpx" => {}
        "pnpm" | "yarn" | "bun"
            if matches!(args.first().map(String::as_str), Some("dlx" | "x")) =>
        {
            rest = args.get(1..).unwrap_or_default();
        }
        "uvx" => {
            if let Some(i) = args.iter().position(|a| a == "--from") {
                let spec = args.get(i + 1)?;
                return Some((
                    spec.clone(),
                    pinned(spec) || spec.starts_with("git+") && spec.contains('@'),
                ));
            }
        }
        "uv" if args.first().map(String::as_str) == Some("tool")
            && args.get(1).map(String::as_str) == Some("run") =>
        {
            rest = args.get(2..).unwrap_or_default();
        }
        "pipx" if args.first().map(String::as_str) == Some("run") => {
            rest = args.get(1..).unwrap_or_default();
        }
        _ => return None,
    }
    let mut skip = false;
    for a in rest {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with('-') {
            // Flags that take a value.
            skip = matches!(
                a.as_str(),
                "-p" | "--package" | "--python" | "--with" | "--index" | "--index-url"
            );
            continue;
        }
        if a.starts_with('.') || a.starts_with('/') {
            return None;
        }
        return Some((a.clone(), pinned(a)));
    }
    None
}

/// Whether an environment or header name holds a secret.
fn secret_name(k: &str) -> bool {
    let u = k.to_ascii_uppercase();
    [
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "API_KEY",
        "APIKEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
        "AUTHORIZATION",
        "_PAT",
    ]
    .iter()
    .any(|w| u.contains(w))
}

/// Whether a value is a literal secret rather than a reference or a placeholder.
fn literal_secret(v: &str) -> bool {
    let t = v.trim();
    let lower = t.to_ascii_lowercase();
    let bare = lower.trim_start_matches("bearer ").trim();
    let reference = t.contains("${") || t.starts_with('$') || t.starts_with('%');
    let angle = t.starts_with('<') && t.ends_with('>');
    let placeholder = [
        "your",
        "xxx",
        "changeme",
        "replace",
        "example",
        "placeholder",
        "<",
        "...",
        "dummy",
        "todo",
    ]
    .iter()
    .any(|p| {
        bare.starts_with(p)
            || bare.contains(&format!("{p}_"))
            || bare.contains(&format!("_{p}"))
            || (p.len() > 3 && bare.contains(p))
    });
    t.len() >= 8 && !reference && !angle && !placeholder
}

/// Token prefixes of well-known services (GitHub, OpenAI/Anthropic, Slack, AWS, GitLab).
fn token_shaped(v: &str) -> bool {
    [
        "ghp_",
        "gho_",
        "github_pat_",
        "sk-",
        "xoxb-",
        "xoxp-",
        "AKIA",
        "glpat-",
        "sk_live_",
    ]
    .iter()
    .any(|p| v.starts_with(p) && v.len() >= 20)
        && literal_secret(v)
}

fn mask(v: &str) -> String {
    let head: String = v.chars().take(4).collect();
    format!("{head}… ({} characters)", v.chars().count())
}

/// Roles a server plays in a toxic flow, guessed from its name, command, arguments and
/// URL: `(reads untrusted input, reads private data, can send data out)`.
fn flow_roles(name: &str, s: &Value) -> (bool, bool, bool) {
    let mut words = name.to_ascii_lowercase();
    for k in ["command", "url"] {
        if let Some(x) = s.get(k).and_then(Value::as_str) {
            words.push(' ');
            words.push_str(&x.to_ascii_lowercase());
        }
    }
    for a in str_list(s.get("args")) {
        words.push(' ');
        words.push_str(&a.to_ascii_lowercase());
    }
    let any = |ws: &[&str]| ws.iter().any(|w| words.contains(w));
    let untrusted = any(&[
        "fetch",
        "browser",
        "puppeteer",
        "playwright",
        "search",
        "brave",
        "tavily",
        "firecrawl",
        "github",
        "gitlab",
        "slack",
        "gmail",
        "email",
        "imap",
        "jira",
        "linear",
        "discord",
        "reddit",
        "rss",
        "youtube",
        "twitter",
        "scrape",
        "crawl",
    ]);
    let private = any(&[
        "filesystem",
        "postgres",
        "sqlite",
        "mysql",
        "mongo",
        "redis",
        "gdrive",
        "google-drive",
        "notion",
        "obsidian",
        "memory",
        "server-git",
        "mcp-server-git",
        "1password",
        "bitwarden",
        "keychain",
        "supabase",
        "snowflake",
        "bigquery",
        "gmail",
        "imap",
    ]);
    let sink = any(&[
        "fetch",
        "slack",
        "gmail",
        "email",
        "smtp",
        "github",
        "gitlab",
        "discord",
        "twitter",
        "webhook",
        "http",
        "puppeteer",
        "playwright",
        "browser",
    ]);
    (untrusted, private, sink)
}

/// Audit an MCP configuration or a Claude Code settings file.
pub fn audit_config(path: &str, role: Role, data: &[u8], out: &mut Vec<Finding>) {
    let rule = if role == Role::AgentSettings {
        Rule::UnparseableAgentFile
    } else {
        Rule::UnparseableMcpFile
    };
    let v: Value = match parse_config_json(data) {
        Ok(v) => v,
        Err(e) => {
            out.push(config_error(rule, path, &e));
            return;
        }
    };
    let file = file_text(data);
    let servers = servers_of(&v);
    let mut roles = Vec::new();
    let mut launched = Vec::new();
    for (name, s) in &servers {
        let at = quoted(&file, name, 0);
        let command = s.get("command").and_then(Value::as_str).unwrap_or("");
        let args = str_list(s.get("args"));
        let cmdline = format!("{command} {}", args.join(" "));
        for (_, what, shown) in caps::download_run_lines(&cmdline).into_iter().take(1) {
            out.push(finding_at(
                Rule::DownloadAndRun,
                path,
                &file,
                at,
                format!("server `{name}` {what}: {shown}"),
            ));
        }
        crate::install_findings(
            path,
            &cmdline,
            false,
            crate::UnpinnedRuns::Off,
            &mut launched,
        );
        for mut f in launched.drain(..) {
            let (line, col) = crate::text::line_col(&file, at);
            f.location.line = Some(line);
            f.location.column = Some(col);
            f.evidence = format!("server `{name}` {}", f.evidence);
            out.push(f);
        }
        if let Some((pkg, false)) = launched_package(command, &args) {
            out.push(finding_at(
                Rule::UnpinnedServerLaunch,
                path,
                &file,
                at,
                format!("server `{name}` runs `{command} {pkg}`: whatever version the registry serves at launch"),
            ));
        }
        let mut secrets: Vec<String> = Vec::new();
        for key in ["env", "headers"] {
            if let Some(Value::Object(m)) = s.get(key) {
                for (k, x) in m.iter().take(1_000) {
                    if let Some(x) = x.as_str()
                        && ((secret_name(k) && literal_secret(x)) || token_shaped(x))
                    {
                        secrets.push(format!("{key}.{k} = {}", mask(x)));
                    }
                }
            }
        }
        for a in &args {
            let val = a.split_once('=').map_or(a.as_str(), |x| x.1);
            if token_shaped(val) {
                secrets.push(format!("argument {}", mask(val)));
            }
        }
        if let Some(first) = secrets.first() {
            out.push(finding_at(
                Rule::ServerEnvSecret,
                path,
                &file,
                at,
                format!(
                    "server `{name}` is given a literal secret ({first}{}): it sits in the file and in the server's environment",
                    if secrets.len() > 1 { format!(" and {} more", secrets.len() - 1) } else { String::new() }
                ),
            ));
        }
        let enabled = !s.get("disabled").and_then(Value::as_bool).unwrap_or(false);
        if enabled {
            roles.push((name.clone(), flow_roles(name, s)));
        }
    }
    if roles.len() >= 2 {
        let who = |f: fn(&(bool, bool, bool)) -> bool| -> Vec<&str> {
            roles
                .iter()
                .filter(|r| f(&r.1))
                .map(|r| r.0.as_str())
                .collect()
        };
        let (u, p, k) = (who(|r| r.0), who(|r| r.1), who(|r| r.2));
        let distinct: BTreeSet<&str> = u.iter().chain(&p).chain(&k).copied().collect();
        if !u.is_empty() && !p.is_empty() && !k.is_empty() && distinct.len() >= 2 {
            let mut f = Rule::ToxicFlow.finding(
                Location::file(path),
                format!(
                    "untrusted input ({}), private data ({}) and a way out ({}) are enabled together: text one tool reads can make the agent send what another reads",
                    u.join(", "),
                    p.join(", "),
                    k.join(", ")
                ),
            );
            f.location.line =
                Some(text::line_col(&file, quoted(&file, u.first().copied().unwrap_or(""), 0)).0);
            out.push(f);
        }
    }
    hooks_and_switches(path, &file, &v, out);
}

/// Claude Code hooks (`hooks.<Event>[].hooks[].command`) and approval switches.
fn hooks_and_switches(path: &str, file: &str, v: &Value, out: &mut Vec<Finding>) {
    if let Some(Value::Object(events)) = v.get("hooks") {
        for (event, groups) in events.iter().take(100) {
            for g in groups
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .take(100)
            {
                for h in g
                    .get("hooks")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .take(100)
                {
                    let Some(cmd) = h.get("command").and_then(Value::as_str) else {
                        continue;
                    };
                    let at = file
                        .find(&serde_json::to_string(cmd).unwrap_or_default())
                        .unwrap_or(0);
                    if let Some((_, what, _)) = caps::download_run_lines(cmd).into_iter().next() {
                        out.push(finding_at(
                            Rule::DownloadAndRun,
                            path,
                            file,
                            at,
                            format!(
                                "{event} hook {what}: {}",
                                cmd.chars().take(100).collect::<String>()
                            ),
                        ));
                        continue;
                    }
                    let mut installs = Vec::new();
                    crate::install_findings(
                        path,
                        cmd,
                        false,
                        crate::UnpinnedRuns::All,
                        &mut installs,
                    );
                    if !installs.is_empty() {
                        for mut f in installs {
                            let (line, col) = crate::text::line_col(file, at);
                            f.location.line = Some(line);
                            f.location.column = Some(col);
                            f.evidence = format!("{event} hook {}", f.evidence);
                            out.push(f);
                        }
                        continue;
                    }
                    let c = caps::of_script("hook.sh", cmd.as_bytes());
                    if !c.network.is_empty() && (!c.credential.is_empty() || !c.env.is_empty()) {
                        let mut f = finding_at(
                            Rule::UndeclaredCapability,
                            path,
                            file,
                            at,
                            format!(
                                "{event} hook reads {} and uses the network on every matching agent event: {}",
                                if c.credential.is_empty() {
                                    "the environment"
                                } else {
                                    "credentials"
                                },
                                cmd.chars().take(100).collect::<String>()
                            ),
                        );
                        f.severity = Severity::Critical;
                        out.push(f);
                    }
                }
            }
        }
    }
    let mode = v
        .get("permissions")
        .and_then(|p| p.get("defaultMode"))
        .and_then(Value::as_str);
    let allow_all = str_list(v.get("permissions").and_then(|p| p.get("allow")))
        .into_iter()
        .find(|a| matches!(a.as_str(), "Bash" | "Bash(*)" | "Bash(*:*)" | "*"));
    let switch = if mode == Some("bypassPermissions") {
        Some("`permissions.defaultMode` is `bypassPermissions`".to_owned())
    } else if v.get("enableAllProjectMcpServers").and_then(Value::as_bool) == Some(true) {
        Some(
            "`enableAllProjectMcpServers` approves every server a project's `.mcp.json` names"
                .to_owned(),
        )
    } else {
        allow_all
            .map(|a| format!("`permissions.allow` lets every shell command run unasked (`{a}`)"))
    };
    if let Some(what) = switch {
        let mut f = Rule::AgentConfigWrite
            .finding(Location::file(path), format!("turns approval off: {what}"));
        f.severity = Severity::Medium;
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pins() {
        assert!(pinned("@modelcontextprotocol/server-filesystem@2025.8.21"));
        assert!(!pinned("@modelcontextprotocol/server-filesystem"));
        assert!(!pinned("pkg@latest"));
        assert!(pinned("mcp-server-fetch==2025.4.7"));
        let a = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            launched_package("npx", &a(&["-y", "pkg@latest"])),
            Some(("pkg@latest".into(), false))
        );
        assert_eq!(launched_package("node", &a(&["server.js"])), None);
        assert_eq!(
            launched_package("uvx", &a(&["mcp-server-time==0.6.2"])),
            Some(("mcp-server-time==0.6.2".into(), true))
        );
    }

    #[test]
    fn secrets() {
        assert!(literal_secret("ghp_0123456789abcdefghij0123456789abcd"));
        assert!(!literal_secret("${GITHUB_TOKEN}"));
        assert!(!literal_secret("<your-token>"));
        assert!(!literal_secret("YOUR_API_KEY_HERE"));
    }
}
