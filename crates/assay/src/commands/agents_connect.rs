//! `assay agents --connect`: start each configured **stdio** MCP server, ask it what it
//! offers, stop it. The only code of `assay agents` that starts a process; reached only
//! with `--connect` (the no-network test of `tests/agents.rs` names this file as the
//! one allowed to).
//!
//! Per server: the configured `command` and `args` are started with a minimal
//! environment — `PATH` and, when set, `LANG`, `SYSTEMROOT` (Windows) — and a fresh
//! temporary `HOME`, so neither the user's secrets nor the server's configured `env`
//! (where the secrets of a configuration live) reach it; standard error is discarded.
//! JSON-RPC 2.0 over newline-delimited standard input/output (MCP spec 2025-06-18,
//! stdio transport): `initialize`, `notifications/initialized`, `tools/list`,
//! `prompts/list`, `resources/list` (each paged by `nextCursor`, at most
//! [`MAX_PAGES`] pages), then the server's stdin is closed and the process killed.
//! Every wait is bounded by [`TIMEOUT`]; a line over [`MAX_LINE`] bytes ends the
//! session. Servers reached over HTTP (`url`) are not contacted.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// Longest wait for one response.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// Longest JSON-RPC message read, in bytes.
pub const MAX_LINE: usize = 4 << 20;
/// Most pages read per list method.
pub const MAX_PAGES: usize = 20;

/// What one server said: its tools, prompts and resources, each as a list of objects as
/// served.
#[derive(Debug, Default)]
pub struct Listing {
    /// `tools/list` results.
    pub tools: Vec<Value>,
    /// `prompts/list` results.
    pub prompts: Vec<Value>,
    /// `resources/list` results.
    pub resources: Vec<Value>,
}

struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Result<String, String>>,
    next_id: u64,
}

impl Session {
    fn start(command: &str, args: &[String], cwd: &Path, home: &Path) -> anyhow::Result<Self> {
        let mut c = Command::new(command);
        c.args(args)
            .current_dir(cwd)
            .env_clear()
            .env("HOME", home)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for k in ["PATH", "LANG", "SYSTEMROOT"] {
            if let Some(v) = std::env::var_os(k) {
                c.env(k, v);
            }
        }
        let mut child = c
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting `{command}`: {e}"))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut buf = Vec::new();
                let n = (&mut r)
                    .take(MAX_LINE as u64 + 1)
                    .read_until(b'\n', &mut buf);
                match n {
                    Ok(0) => break,
                    Ok(_) if buf.len() > MAX_LINE => {
                        let _ = tx.send(Err(format!("a message over {MAX_LINE} bytes")));
                        break;
                    }
                    Ok(_) => {
                        if tx
                            .send(Ok(String::from_utf8_lossy(&buf).into_owned()))
                            .is_err()
                        {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                        break;
                    }
                }
            }
        });
        Ok(Session {
            child,
            stdin,
            lines: rx,
            next_id: 1,
        })
    }

    fn send(&mut self, msg: &Value) -> anyhow::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("stdin closed"))?;
        let mut line = serde_json::to_vec(msg)?;
        line.push(b'\n');
        stdin.write_all(&line)?;
        stdin.flush()?;
        Ok(())
    }

    /// Send a request and wait for the response with its id (other messages —
    /// notifications, logs — are skipped). `Ok(Err(message))` for a JSON-RPC error.
    fn request(&mut self, method: &str, params: Value) -> anyhow::Result<Result<Value, String>> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let line = match self.lines.recv_timeout(TIMEOUT) {
                Ok(Ok(l)) => l,
                Ok(Err(e)) => anyhow::bail!("{method}: {e}"),
                Err(RecvTimeoutError::Timeout) => {
                    anyhow::bail!("{method}: no answer in {} s", TIMEOUT.as_secs())
                }
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("{method}: the server exited"),
            };
            let Ok(v) = serde_json::from_str::<Value>(line.trim()) else {
                continue;
            };
            if v.get("id").and_then(Value::as_u64) != Some(id) {
                continue;
            }
            if let Some(e) = v.get("error") {
                return Ok(Err(e.to_string()));
            }
            return Ok(Ok(v.get("result").cloned().unwrap_or(Value::Null)));
        }
    }

    /// Every page of a `*/list` method; an error response (the server offers no such
    /// list) is an empty list.
    fn list(&mut self, method: &str, key: &str) -> anyhow::Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let params = match &cursor {
                Some(c) => json!({"cursor": c}),
                None => json!({}),
            };
            let Ok(r) = self.request(method, params)? else {
                break;
            };
            if let Some(a) = r.get(key).and_then(Value::as_array) {
                out.extend(a.iter().take(crate::commands::agents::MAX_LISTED).cloned());
            }
            cursor = r
                .get("nextCursor")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        Ok(out)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start a stdio server, list what it offers, stop it.
///
/// # Errors
/// When the server cannot be started, does not answer `initialize` within [`TIMEOUT`],
/// or sends a message over [`MAX_LINE`].
pub fn list_server(command: &str, args: &[String], cwd: &Path) -> anyhow::Result<Listing> {
    let home = tempfile::TempDir::new()?;
    let mut s = Session::start(command, args, cwd, home.path())?;
    let init = s.request(
        "initialize",
        json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "assay", "version": env!("CARGO_PKG_VERSION")}
        }),
    )?;
    if let Err(e) = init {
        anyhow::bail!("initialize: {e}");
    }
    s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))?;
    Ok(Listing {
        tools: s.list("tools/list", "tools")?,
        prompts: s.list("prompts/list", "prompts")?,
        resources: s.list("resources/list", "resources")?,
    })
}
