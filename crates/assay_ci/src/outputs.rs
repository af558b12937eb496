//! Taint through step and job outputs: who controls `steps.<id>.outputs.<name>` and
//! `needs.<job>.outputs.<name>`.
//!
//! A step output is what a `run:` script writes to `$GITHUB_OUTPUT` (`name=value`, or
//! `name<<DELIM` … `DELIM` for several lines; the deprecated `::set-output name=…::`
//! too). Its value is outsider-controlled when the written text expands an outsider's
//! expression or names an env variable set from one. A job output (`jobs.<id>.outputs`)
//! is the expression it is declared as, usually a step output of that job. Outputs of
//! `uses:` steps are the action's business and are not followed. Every hop is returned
//! as a position, so a finding can name the whole chain.

use crate::audit::{control_in, exprs};
use crate::expr::Control;
use crate::model::{Job, Step, Str, Workflow};
use crate::text::SourceText;
use crate::yaml::Pos;

/// How deep `needs.*.outputs` → `steps.*.outputs` → `env.*` chains are followed.
const MAX_HOPS: usize = 4;

/// An output's controller: who, the path it comes from, and the hops (positions of
/// the `$GITHUB_OUTPUT` writes and `outputs:` declarations), nearest first.
#[derive(Debug, Clone)]
pub(crate) struct Tainted {
    /// Who controls the value.
    pub(crate) control: Control,
    /// The chain, nearest first (`steps.meta.outputs.title ← $TITLE ← github.event…`).
    pub(crate) path: String,
    /// Where each hop is written.
    pub(crate) hops: Vec<Pos>,
}

/// Who controls the output at context `path` read in `job` of `wf`, if anyone outside
/// the repository; `None` for other paths and for outputs computed from trusted data.
pub(crate) fn output_control(
    src: &SourceText<'_>,
    wf: &Workflow,
    job: &Job,
    path: &str,
) -> Option<Tainted> {
    follow(src, wf, job, path, 0)
}

fn follow(
    src: &SourceText<'_>,
    wf: &Workflow,
    job: &Job,
    path: &str,
    depth: usize,
) -> Option<Tainted> {
    if depth >= MAX_HOPS {
        return None;
    }
    let mut parts = path.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("steps"), Some(id), Some("outputs"), Some(name)) => {
            let step = job.steps.iter().find(|s| {
                s.id.as_ref()
                    .is_some_and(|i| i.text.eq_ignore_ascii_case(id))
            })?;
            step_output(src, wf, job, step, name, depth)
                .map(|t| with_path(t, &format!("steps.{id}.outputs.{name}")))
        }
        (Some("needs"), Some(jid), Some("outputs"), Some(name)) => {
            let other = wf
                .jobs
                .iter()
                .find(|j| j.id.text.eq_ignore_ascii_case(jid))?;
            let (_, value) = other
                .outputs
                .iter()
                .find(|(k, _)| k.text.eq_ignore_ascii_case(name))?;
            let mut best: Option<Tainted> = None;
            for f in exprs(src, value) {
                let found = control_in(src, wf, other, None, &f.expr)
                    .map(|(control, path)| Tainted {
                        control,
                        path,
                        hops: Vec::new(),
                    })
                    .or_else(|| {
                        crate::expr::value_sources(&f.expr)
                            .iter()
                            .find_map(|s| follow(src, wf, other, &s.path, depth + 1))
                    });
                if let Some(mut t) = found {
                    t.hops.push(value.pos);
                    if best.as_ref().is_none_or(|b| t.control < b.control) {
                        best = Some(t);
                    }
                }
            }
            best.map(|t| with_path(t, &format!("needs.{jid}.outputs.{name}")))
        }
        _ => None,
    }
}

fn with_path(mut t: Tainted, here: &str) -> Tainted {
    t.path = format!("{here} ← {}", t.path);
    t
}

/// The lines of `run` that set output `name`, with the line's text.
fn output_lines<'r>(run: &'r str, name: &str) -> Vec<&'r str> {
    let mut out = Vec::new();
    let mut lines = run.lines();
    let set = format!("{name}=");
    let heredoc = format!("{name}<<");
    let legacy = format!("::set-output name={name}::");
    while let Some(line) = lines.next() {
        let l = line.trim();
        if l.contains(&legacy) {
            out.push(l);
            continue;
        }
        if !l.contains("GITHUB_OUTPUT") {
            continue;
        }
        if let Some(i) = l.find(&heredoc) {
            // `name<<DELIM`: the value is every line up to DELIM.
            let delim: String = l
                .get(i + heredoc.len()..)
                .unwrap_or("")
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(l);
            for next in lines.by_ref() {
                if !delim.is_empty() && next.contains(&delim) {
                    break;
                }
                out.push(next.trim());
            }
            continue;
        }
        let starts = l.find(&set).is_some_and(|i| {
            i == 0
                || !l
                    .get(..i)
                    .unwrap_or("")
                    .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        if starts {
            out.push(l);
        }
    }
    out
}

fn step_output(
    src: &SourceText<'_>,
    wf: &Workflow,
    job: &Job,
    step: &Step,
    name: &str,
    depth: usize,
) -> Option<Tainted> {
    let run = step.run.as_ref()?;
    let mut best: Option<Tainted> = None;
    let mut consider = |t: Tainted| {
        if best.as_ref().is_none_or(|b| t.control < b.control) {
            best = Some(t);
        }
    };
    for line in output_lines(&run.text, name) {
        let pos = src.find_from(run.pos, line).unwrap_or(run.pos);
        let as_str = Str {
            text: line.to_owned(),
            pos,
        };
        for f in exprs(src, &as_str) {
            if let Some((control, path)) = control_in(src, wf, job, Some(step), &f.expr) {
                consider(Tainted {
                    control,
                    path,
                    hops: vec![pos],
                });
            }
            for s in crate::expr::value_sources(&f.expr) {
                if let Some(mut t) = follow(src, wf, job, &s.path, depth + 1) {
                    t.hops.insert(0, pos);
                    consider(t);
                }
            }
        }
        // `$VAR` / `${VAR}` of an env variable set from an outsider's expression.
        let envs = step.env.iter().chain(job.env.iter()).chain(wf.env.iter());
        for (k, v) in envs {
            let named = line.contains(&format!("${{{}}}", k.text))
                || line.match_indices(&format!("${}", k.text)).any(|(i, _)| {
                    !line
                        .get(i + 1 + k.text.len()..)
                        .and_then(|r| r.chars().next())
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !named {
                continue;
            }
            for f in exprs(src, v) {
                if let Some((control, path)) = control_in(src, wf, job, Some(step), &f.expr) {
                    consider(Tainted {
                        control,
                        path: format!("${} ← {path}", k.text),
                        hops: vec![pos],
                    });
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::output_lines;

    #[test]
    fn finds_output_writes() {
        let run = "echo \"title=$T\" >> \"$GITHUB_OUTPUT\"\necho \"subtitle=x\" >> $GITHUB_OUTPUT\n\
                   echo \"body<<EOF\" >> $GITHUB_OUTPUT\necho \"$B\" >> $GITHUB_OUTPUT\necho EOF >> $GITHUB_OUTPUT\n";
        assert_eq!(output_lines(run, "title").len(), 1);
        assert_eq!(output_lines(run, "body").len(), 2);
        assert!(output_lines(run, "none").is_empty());
    }
}
