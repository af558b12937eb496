//! `CI027` secret-in-log: a `run:` script that prints a secret into the job log.
//!
//! GitHub's runner masks the exact value of every registered secret (and, per
//! "Security hardening for GitHub Actions", some common encodings of it) in the log. It
//! does not mask values derived from a secret: a slice (`${T:0:8}`), a reversed or
//! re-encoded copy (`| rev`, `| base64 | base64`, `| xxd`), characters spaced out
//! (`| sed 's/./& /g'`). Those are how secrets leak through public logs — the
//! tj-actions/changed-files payload printed the runner's secrets base64-encoded twice.
//! So a transformed value printed is high; the plain value printed (masked today, one
//! edit away from a leak, and printed in clear by any step that re-encodes it) is low.
//!
//! The script is read line by line, each line split into commands (`;`, `&&`, `||`)
//! and each command into pipeline stages. A secret is an expression reading `secrets.*`
//! or `github.token`, or a variable whose `env:` value (step, job or workflow) is one.
//! Not printing: `::add-mask::`, a pipe into a command that consumes its stdin
//! (`docker login --password-stdin`), a redirect into a file (`>> "$GITHUB_ENV"`).

use crate::audit::{Cx, exprs};
use crate::expr;
use crate::model::{Job, Step, Str, Workflow};
use assay_core::{Rule, Severity};

/// Commands that pass their input on to their output changed: a secret piped through
/// them and on to the log is a value the runner does not mask.
const TRANSFORMS: &[&str] = &[
    "base64", "base32", "basenc", "rev", "xxd", "od", "hexdump", "cut", "sed", "awk", "tr", "fold",
    "head", "tail", "openssl", "gzip", "iconv", "jq",
];

/// Commands that pass their input on unchanged (or filtered): what reaches them still
/// reaches the log.
const PASS_THROUGH: &[&str] = &[
    "tee", "cat", "sort", "uniq", "grep", "column", "less", "more",
];

/// How a command prints a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Leak {
    /// The exact value: the runner masks it.
    Plain,
    /// A derived value: not masked.
    Transformed,
}

/// Whether the expression text reads a secret's value.
fn reads_secret(src: &crate::text::SourceText<'_>, s: &Str) -> bool {
    exprs(src, s).iter().any(|f| {
        expr::value_sources(&f.expr)
            .iter()
            .any(|p| p.path.starts_with("secrets.") || p.path == "github.token")
    })
}

/// Env names visible to `step` whose value is a secret.
fn secret_env(cx: &Cx<'_>, wf: &Workflow, job: &Job, step: &Step) -> Vec<String> {
    step.env
        .iter()
        .chain(job.env.iter())
        .chain(wf.env.iter())
        .filter(|(_, v)| reads_secret(cx.src, v))
        .map(|(k, _)| k.text.clone())
        .collect()
}

/// How `cmd` names one of `vars` or an inline secret expression: `Transformed` for
/// shell parameter expansions that change the value (`${T:0:4}`, `${T/a/b}`, `${T^^}`,
/// `${T#x}`), else `Plain`; `None` when it names none.
fn secret_ref(cmd: &str, vars: &[String]) -> Option<Leak> {
    let mut best: Option<Leak> = None;
    let lower = cmd.to_ascii_lowercase();
    if (lower.contains("secrets.") && lower.contains("${{")) || lower.contains("github.token") {
        best = Some(Leak::Plain);
    }
    for v in vars {
        for (i, _) in cmd.match_indices(&format!("${v}")) {
            let next = cmd.get(i + 1 + v.len()..).and_then(|r| r.chars().next());
            if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                best = best.max(Some(Leak::Plain));
            }
        }
        for (i, _) in cmd.match_indices(&format!("${{{v}")) {
            let next = cmd.get(i + 2 + v.len()..).and_then(|r| r.chars().next());
            match next {
                Some('}') => best = best.max(Some(Leak::Plain)),
                Some(':' | '/' | '^' | ',' | '#' | '%') => best = Some(Leak::Transformed),
                _ => {}
            }
        }
        // `${#T}` is the length: nothing of the value.
    }
    best
}

/// Split a line into commands at `;`, `&&` and `||` outside quotes.
fn commands(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quote) = (0usize, None::<char>);
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = char::from(*b.get(i).unwrap_or(&b' '));
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ';') => {
                out.push(line.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            (None, '&' | '|') if b.get(i + 1) == Some(&(c as u8)) => {
                out.push(line.get(start..i).unwrap_or(""));
                start = i + 2;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(line.get(start..).unwrap_or(""));
    out
}

/// Split a command into pipeline stages at `|` outside quotes.
fn stages(cmd: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quote) = (0usize, None::<char>);
    for (i, c) in cmd.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                out.push(cmd.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(cmd.get(start..).unwrap_or(""));
    out
}

/// The program a stage runs (`sudo`, `env`-style prefixes are not unwrapped).
fn program(stage: &str) -> &str {
    let w = stage.split_whitespace().next().unwrap_or("");
    w.rsplit('/').next().unwrap_or(w)
}

/// The file a stage redirects its stdout to (`> f`, `>> f`, `| tee f` is not one), or
/// `None`. `>&2` and `2>&1` are streams, not files.
fn redirect(stage: &str) -> Option<String> {
    let mut rest = stage;
    while let Some(i) = rest.find('>') {
        let before = rest.get(..i).unwrap_or("");
        let after = rest.get(i + 1..).unwrap_or("").trim_start_matches('>');
        rest = after;
        if before.ends_with('2') || after.starts_with('&') {
            continue;
        }
        let target: String = after
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ';')
            .collect();
        if !target.is_empty() {
            return Some(target.trim_matches('"').to_owned());
        }
    }
    None
}

/// Whether `stage` runs `printenv` or `env` with no command, listing the environment.
fn dumps_env(stage: &str) -> bool {
    let words: Vec<&str> = stage.split_whitespace().collect();
    match words.as_slice() {
        ["printenv"] | ["env"] | ["export", "-p"] | ["declare", "-p"] | ["set"] => true,
        ["env" | "printenv", rest @ ..] => rest.iter().all(|w| w.starts_with('-')),
        _ => false,
    }
}

/// Whether a line turns on shell tracing (`set -x`, `set -ex`, `set -o xtrace`).
fn enables_xtrace(line: &str) -> bool {
    commands(line).iter().any(|c| {
        let w: Vec<&str> = c.split_whitespace().collect();
        matches!(w.first(), Some(&"set"))
            && w.iter().skip(1).any(|a| {
                (a.starts_with('-') && !a.starts_with("--") && a.contains('x')) || *a == "xtrace"
            })
    })
}

/// What a command does with a secret: `(leak, what)`, or `None` when it does not print
/// one. `files` are files written from a secret earlier in the job; a command writing
/// one adds it.
fn command_leak(cmd: &str, vars: &[String], files: &mut Vec<String>) -> Option<(Leak, String)> {
    let parts = stages(cmd);
    let first = parts.first().copied().unwrap_or("").trim();
    let prog = program(first);
    let last = parts.last().copied().unwrap_or("");
    let out_file = redirect(last);
    let later: Vec<&str> = parts.iter().skip(1).map(|s| program(s.trim())).collect();
    // Where the first stage's output ends up: the log (possibly transformed), a file, or
    // another command's input.
    let piped_to_consumer = later
        .iter()
        .any(|p| !TRANSFORMS.contains(p) && !PASS_THROUGH.contains(p));
    let transformed = later.iter().any(|p| TRANSFORMS.contains(p));
    if cmd.contains("::add-mask::") {
        return None;
    }
    let source: Option<(Leak, String)> = match prog {
        "echo" | "printf" => secret_ref(first, vars).map(|l| (l, format!("`{prog}` of a secret"))),
        "cat" => {
            let args: Vec<&str> = first.split_whitespace().skip(1).collect();
            files
                .iter()
                .find(|f| args.iter().any(|a| a.trim_matches('"') == f.as_str()))
                .map(|f| {
                    (
                        Leak::Plain,
                        format!("`cat` of `{f}`, written from a secret"),
                    )
                })
        }
        _ if dumps_env(first) && !vars.is_empty() => Some((
            Leak::Plain,
            format!(
                "`{}` lists the environment, which holds `{}`",
                first,
                vars.join("`, `")
            ),
        )),
        "printenv"
            if first
                .split_whitespace()
                .skip(1)
                .any(|a| vars.iter().any(|v| v == a)) =>
        {
            Some((Leak::Plain, "`printenv` of a secret".to_owned()))
        }
        _ => None,
    };
    let (mut leak, what) = source?;
    if let Some(f) = out_file {
        // Written to a file: the file now holds the secret (a later `cat` prints it).
        if !f.contains("GITHUB_") && !f.starts_with("/dev/") && !files.contains(&f) {
            files.push(f.clone());
        }
        if f.starts_with("/dev/stdout") || f.starts_with("/dev/stderr") {
            return Some((leak, what));
        }
        return None;
    }
    if piped_to_consumer {
        return None;
    }
    if transformed {
        leak = Leak::Transformed;
    }
    Some((leak, what))
}

/// `CI027`: secrets printed to the log.
pub(crate) fn secret_in_log(cx: &mut Cx<'_>) {
    let wf = cx.wf;
    for job in &wf.jobs {
        // Files written from a secret, across the job's steps (they share a workspace).
        let mut files: Vec<String> = Vec::new();
        for step in &job.steps {
            let Some(r) = &step.run else { continue };
            let vars = secret_env(cx, wf, job, step);
            let shell_x = step
                .shell
                .as_ref()
                .is_some_and(|s| s.text.split_whitespace().any(|w| w == "-x"));
            let mut xtrace: Option<&str> = shell_x.then_some("shell: … -x");
            let mut reported_xtrace = false;
            for line in r.text.lines() {
                let t = line.trim();
                if t.starts_with('#') {
                    continue;
                }
                if enables_xtrace(t) {
                    xtrace = Some(t);
                }
                if t.starts_with("set +x") {
                    xtrace = None;
                }
                let mut hit: Option<(Leak, String)> = None;
                for c in commands(t) {
                    if let Some(h) = command_leak(c.trim(), &vars, &mut files)
                        && hit.as_ref().is_none_or(|(l, _)| h.0 > *l)
                    {
                        hit = Some(h);
                    }
                }
                if hit.is_none()
                    && !reported_xtrace
                    && let Some(x) = xtrace
                    && !enables_xtrace(t)
                    && !t.contains("::add-mask::")
                    && secret_ref(t, &vars).is_some()
                {
                    reported_xtrace = true;
                    hit = Some((
                        Leak::Plain,
                        format!("shell tracing (`{x}`) prints the expanded command"),
                    ));
                }
                let Some((leak, what)) = hit else { continue };
                let sev = match leak {
                    Leak::Plain => Severity::Low,
                    Leak::Transformed => Severity::High,
                };
                let how = match leak {
                    Leak::Plain => "the runner masks the exact value only",
                    Leak::Transformed => "a derived value, which the runner does not mask",
                };
                let pos = cx.src.find_from(r.pos, t).unwrap_or(r.pos);
                let mut f = Rule::SecretInLog.finding(
                    cx.loc(pos),
                    format!(
                        "job `{}` prints a secret to the log: {what}; {how}: {t}",
                        job.id.text
                    ),
                );
                f.severity = sev;
                cx.out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak(cmd: &str) -> Option<Leak> {
        let vars = vec!["TOKEN".to_owned()];
        let mut files = Vec::new();
        commands(cmd)
            .iter()
            .filter_map(|c| command_leak(c.trim(), &vars, &mut files))
            .map(|(l, _)| l)
            .max()
    }

    #[test]
    fn printing_kinds() {
        assert_eq!(leak("echo $TOKEN"), Some(Leak::Plain));
        assert_eq!(leak("echo \"token: ${TOKEN}\""), Some(Leak::Plain));
        assert_eq!(leak("echo ${TOKEN:0:6}"), Some(Leak::Transformed));
        assert_eq!(
            leak("echo $TOKEN | base64 | base64"),
            Some(Leak::Transformed)
        );
        assert_eq!(leak("echo \"$TOKEN\" | rev"), Some(Leak::Transformed));
        assert_eq!(
            leak("printf '%s' \"$TOKEN\" | xxd -p"),
            Some(Leak::Transformed)
        );
        assert_eq!(leak("env | sort"), Some(Leak::Plain));
        assert_eq!(leak("printenv"), Some(Leak::Plain));
        assert_eq!(leak("echo ${{ secrets.NPM_TOKEN }}"), Some(Leak::Plain));
        assert_eq!(
            leak("echo \"$TOKEN\" > t.txt; cat t.txt"),
            Some(Leak::Plain)
        );
    }

    #[test]
    fn not_printing() {
        assert_eq!(leak("echo \"::add-mask::$TOKEN\""), None);
        assert_eq!(
            leak("echo \"$TOKEN\" | docker login -u x --password-stdin"),
            None
        );
        assert_eq!(leak("echo \"TOKEN=$TOKEN\" >> \"$GITHUB_ENV\""), None);
        assert_eq!(leak("echo \"$TOKEN\" > ~/.npmrc"), None);
        assert_eq!(leak("echo $TOKEN_FILE"), None);
        assert_eq!(leak("echo ${#TOKEN}"), None);
        assert_eq!(leak("env FOO=1 make"), None);
        assert_eq!(leak("echo hello | base64"), None);
        assert_eq!(leak("cat README.md"), None);
    }

    #[test]
    fn xtrace_lines() {
        assert!(enables_xtrace("set -ex"));
        assert!(enables_xtrace("set -o xtrace"));
        assert!(!enables_xtrace("set -e"));
        assert!(!enables_xtrace("set +x"));
    }
}
