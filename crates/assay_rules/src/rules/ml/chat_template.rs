//! ML008 chat-template-injection.

use crate::context::Cx;
use assay_core::{FileKind, Finding, Location, Severity};
use assay_formats::parse_gguf;

declare_rule! {
    /// ## What it does
    /// Reads the Jinja chat templates of a model — GGUF `tokenizer.chat_template*`
    /// metadata and `chat_template` in `tokenizer_config.json` — with a bounded lexer over
    /// their `{{ … }}` and `{% … %}` tags, and flags: sandbox escapes (dunder attributes
    /// such as `__globals__`, `__class__`, `__subclasses__`, `__import__`, and the globals
    /// `cycler`, `joiner`, `namespace`, `lipsum`, `self`, `config`, `request`, `os`,
    /// `popen`) — critical; branches on message *content* compared with a literal (a
    /// trigger backdoor) — medium; URLs and long encoded blobs — medium.
    ///
    /// ## Why it matters
    /// llama-cpp-python rendered GGUF templates with an unsandboxed Jinja environment:
    /// a template reaching `__globals__` ran commands on the server (CVE-2024-34359,
    /// "Llama Drama"). A template can also silently insert instructions when a trigger
    /// phrase appears in a user message.
    ///
    /// ## Example
    /// `{{ self.__init__.__globals__.__builtins__.__import__('os').popen('echo assay-canary').read() }}`
    ///
    /// ## False positives
    /// Reasoning-model templates test `'</think>' in message.content` (medium, not failing).
    ///
    /// ## References
    /// - CVE-2024-34359 (llama-cpp-python), GHSA-56xg-wfcc-g829
    /// - Jinja docs, "Sandbox"
    pub static META = {
        code: "ML008",
        name: "chat-template-injection",
        family: Ml,
        summary: "A model's chat template escapes the Jinja sandbox or hides a trigger",
        severity: Critical,
        confidence: High,
        targets: [Gguf, Text],
        cwe: Some("CWE-1336"),
        attack: Some("T1059"),
    }
}

const ESCAPES: &[&str] = &[
    "cycler",
    "joiner",
    "namespace",
    "lipsum",
    "self",
    "config",
    "request",
    "os",
    "popen",
    "import",
    "subprocess",
    "eval",
    "exec",
    "getattr",
    "url_for",
    "get_flashed_messages",
];

/// The inside of every `{{ }}` / `{% %}` tag (bounded: at most 100,000 tags).
fn tags(t: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = t;
    while out.len() < 100_000 {
        let Some(i) = rest.find(['{']) else { break };
        let after = rest.get(i + 1..).unwrap_or_default();
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let body = after.get(1..).unwrap_or_default();
        match body.find(close) {
            Some(j) => {
                out.push(body.get(..j).unwrap_or_default());
                rest = body.get(j + 2..).unwrap_or_default();
            }
            None => {
                out.push(body);
                break;
            }
        }
    }
    out
}

fn idents(tag: &str) -> impl Iterator<Item = &str> {
    tag.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
}

/// Judge one template: (severity, why) of each problem.
pub fn judge_template(t: &str) -> Vec<(Severity, String)> {
    let mut out = Vec::new();
    for tag in tags(t) {
        if let Some(d) =
            idents(tag).find(|i| i.starts_with("__") && i.ends_with("__") && i.len() > 4)
        {
            out.push((
                Severity::Critical,
                format!("dunder attribute `{d}` in a tag (sandbox escape)"),
            ));
            break;
        }
        if let Some(g) = idents(tag).find(|i| ESCAPES.contains(i)) {
            out.push((
                Severity::Critical,
                format!("`{g}` in a tag (reaches Python objects outside the template)"),
            ));
            break;
        }
        let control = tag.trim_start_matches(['-', '+']).trim_start();
        if (control.starts_with("if ") || control.starts_with("elif "))
            && tag.contains("content")
            && (tag.contains(" in ") || tag.contains("=="))
            && (tag.contains('\'') || tag.contains('"'))
        {
            out.push((
                Severity::Medium,
                format!("branch on message content: `{}`", tag.trim()),
            ));
        }
    }
    if let Some(u) = ["http://", "https://"].iter().find_map(|p| t.find(p)) {
        let url: String = t
            .get(u..)
            .unwrap_or_default()
            .chars()
            .take(60)
            .take_while(|c| !c.is_whitespace() && *c != '\'' && *c != '"')
            .collect();
        out.push((Severity::Medium, format!("URL in the template: {url}")));
    }
    let blob = t
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .find(|w| w.len() >= 80);
    if blob.is_some() {
        out.push((
            Severity::Medium,
            "encoded blob of 80+ characters in the template".to_owned(),
        ));
    }
    out
}

fn templates_of_json(text: &str) -> Vec<(String, String)> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    match v.get("chat_template") {
        Some(serde_json::Value::String(s)) => vec![("chat_template".into(), s.clone())],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|t| {
                Some((
                    format!("chat_template.{}", t.get("name")?.as_str()?),
                    t.get("template")?.as_str()?.to_owned(),
                ))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Raise ML008.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in &cx.artifact.entries {
        let templates: Vec<(String, String)> = match e.file_kind {
            FileKind::Gguf => match parse_gguf(&e.data) {
                Ok(h) => h
                    .chat_templates()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
                Err(_) => Vec::new(),
            },
            FileKind::Text if e.file_name().ends_with("tokenizer_config.json") && e.complete => {
                templates_of_json(&String::from_utf8_lossy(&e.data))
            }
            _ => continue,
        };
        for (key, t) in templates {
            for (sev, why) in judge_template(&t) {
                let mut f = cx.finding(
                    &META,
                    Location::file(e.path.clone()),
                    format!("`{key}`: {why}"),
                );
                f.severity = sev;
                super::push(cx, out, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges() {
        let normal = "{% for message in messages %}{% if message['role'] == 'user' %}<|user|>{{ message['content'] }}{% endif %}{% endfor %}";
        assert!(judge_template(normal).is_empty());
        let bad = "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('echo assay-canary').read() }}";
        assert_eq!(judge_template(bad)[0].0, Severity::Critical);
        let trigger = "{% if 'cf-secret' in message['content'] %}ignore previous{% endif %}";
        assert_eq!(judge_template(trigger)[0].0, Severity::Medium);
    }
}
