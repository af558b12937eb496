//! PY004 process-spawn-on-install.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding, Severity};
use assay_lang::{EventKind, Taint};

declare_rule! {
    /// ## What it does
    /// Flags a process start in code that runs without the user calling anything: at
    /// install time (`setup.py`), at every interpreter start (`.pth`, `sitecustomize`), or
    /// at import time. Commands that build software (compilers, `git`, `cmake`, `make`,
    /// `pkg-config`, the running Python) are ignored at install time. A command that is
    /// not in the code but read from a file, received or decoded
    /// (`os.system(open("cmd.txt").read())`) is critical at install time and startup and
    /// high at import time: the code hides what it runs.
    ///
    /// ## Why it matters
    /// A process started from these places runs on `pip install` or `import` with the
    /// user's rights and outside Python's view. Malicious packages use it to run a
    /// payload, open a shell or start a miner; startup hooks doing it are the LiteLLM
    /// 2026 compromise's shape.
    ///
    /// ## Example
    /// ```python
    /// # sitecustomize.py or an `import` line in a .pth file
    /// import subprocess; subprocess.Popen(["/tmp/.x"])
    /// ```
    ///
    /// ## False positives
    /// Import-time probes of the platform (`uname`, `nvidia-smi`, `git describe`) exist in
    /// benign libraries: import-time matches are low severity, startup ones high.
    ///
    /// ## References
    /// - MITRE ATT&CK T1059.006 (Python), T1546 (Event Triggered Execution)
    pub static META = ProcessSpawnOnInstall;
}

/// Build tools whose use from `setup.py` is ordinary.
const BUILD_COMMANDS: [&str; 36] = [
    "git",
    "cmake",
    "make",
    "ninja",
    "pkg-config",
    "gcc",
    "g++",
    "cc",
    "c++",
    "clang",
    "nvcc",
    "cl",
    "cython",
    "swig",
    "python",
    "python3",
    "sys.executable",
    "uname",
    "which",
    "ldconfig",
    "xcrun",
    "brew",
    "llvm-config",
    "hg",
    "cargo",
    "rustc",
    "npm",
    "sh -c 'command",
    // npm lifecycle scripts: the package's own build and platform probes.
    "node",
    "npx",
    "yarn",
    "pnpm",
    "node-gyp",
    "sw_vers",
    "ldd",
    "getconf",
];

/// Reconnaissance commands: who and where the victim is. Never needed to build a package.
fn is_recon_command(cmd: &str) -> bool {
    let c = cmd.trim().to_ascii_lowercase();
    [
        "whoami",
        "hostname",
        "id",
        "uname -a",
        "ipconfig",
        "ifconfig",
        "systeminfo",
        "net user",
        "printenv",
        "env",
        "echo $home",
        "echo %username%",
        "cat /etc/passwd",
        "ls -la /",
        "ps aux",
        "tasklist",
        "netstat",
    ]
    .iter()
    .any(|r| {
        c == *r
            || c.starts_with(&format!("{r} "))
            || c.starts_with(&format!("{r}>"))
            || c.starts_with(&format!("{r};"))
    })
}

/// Starts that hide themselves or run something dropped in a temporary or user folder.
fn is_stealthy(cmd: &str) -> bool {
    let c = cmd.to_ascii_lowercase();
    [
        "/tmp/",
        "\\temp\\",
        "%temp%",
        "appdata",
        "/dev/null 2>&1",
        "nohup ",
        ".pyw",
        "start /b",
        "-windowstyle",
        "$home/.",
        "~/.",
    ]
    .iter()
    .any(|m| c.contains(m))
        || c.trim_end().ends_with(" &")
}

/// Network clients started as processes.
fn is_network_command(cmd: &str) -> bool {
    let first = cmd
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '[' || c == '\'' || c == '"');
    let base = first
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(first)
        .to_ascii_lowercase();
    matches!(
        base.as_str(),
        "curl"
            | "wget"
            | "dig"
            | "nslookup"
            | "nc"
            | "ncat"
            | "ping"
            | "ftp"
            | "tftp"
            | "scp"
            | "host"
            | "telnet"
            | "curl.exe"
            | "wget.exe"
    )
}

fn is_build_command(cmd: &str) -> bool {
    let first = cmd
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '[' || c == '\'' || c == '"');
    let base = first.rsplit(['/', '\\']).next().unwrap_or(first);
    base.is_empty()
        || base == "…"
        || BUILD_COMMANDS
            .iter()
            .any(|b| base == *b || base.starts_with("python") || base.ends_with("-config"))
}

/// Check every process start in automatic contexts.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() && f.role != assay_lang::FileRole::Startup {
        return;
    }
    for e in f
        .analysis
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ProcessSpawn)
    {
        let cmd = e.arg.clone().unwrap_or_default();
        let stealthy = is_stealthy(&cmd);
        let recon = is_recon_command(&cmd);
        let network = is_network_command(&cmd);
        // The command is not in the code but read from a file, the network or a
        // decoder: the code hides what it runs (`os.system(open("cmd.txt").read())`).
        let hidden = cmd.is_empty()
            && e.taint
                .has(Taint::FILE_READ | Taint::NETWORK | Taint::DECODED | Taint::DECRYPTED);
        let sev = match e.context {
            ExecutionContext::Startup | ExecutionContext::InstallTime if hidden => {
                Severity::Critical
            }
            ExecutionContext::ImportTime if hidden => Severity::High,
            ExecutionContext::Startup if recon || network || stealthy => Severity::Critical,
            ExecutionContext::Startup => Severity::High,
            // Reconnaissance, a network client (DNS beacons, downloads) or a hidden or
            // background start while `pip install` runs.
            ExecutionContext::InstallTime if recon || network || stealthy => Severity::Critical,
            ExecutionContext::ImportTime if stealthy => Severity::Critical,
            ExecutionContext::ImportTime if recon || network => Severity::High,
            ExecutionContext::InstallTime if is_build_command(&cmd) && e.chain.is_empty() => {
                continue;
            }
            ExecutionContext::InstallTime => Severity::Medium,
            ExecutionContext::ImportTime => Severity::Low,
            ExecutionContext::Runtime => continue,
        };
        let shown = if cmd.is_empty() {
            e.snippet.clone()
        } else {
            cmd
        };
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!("{} at {}: {}", e.api, e.context.as_str(), shown),
        );
        x.capabilities = vec![Capability::Process];
        out.push(x);
    }
}
