//! GitHub Actions expressions (`${{ … }}`): finding them in text, parsing them, and
//! deciding which of the data they expand comes from someone outside the repository.
//!
//! Grammar, after GitHub's "Evaluate expressions in workflows and actions" reference:
//! literals (`null`, `true`, `false`, numbers including `0x…` and exponents,
//! `'single-quoted'` strings with `''` as the escape), context access (`github.event.x`,
//! `a['b']`, `a.*.b`), calls (`contains`, `startsWith`, `endsWith`, `format`, `join`,
//! `toJSON`, `fromJSON`, `hashFiles`, `success`, `always`, `cancelled`, `failure`, and any
//! other name), and the operators `!`, `<`, `<=`, `>`, `>=`, `==`, `!=`, `&&`, `||` with
//! that precedence (tightest first; comparisons bind tighter than equality), and parentheses.
//! Names are case-insensitive, as in GitHub's evaluator.
//!
//! Bounds: at most [`MAX_EXPR_BYTES`] of text per expression and [`MAX_DEPTH`] levels of
//! nesting; past them the parse fails (an [`ExprError`]), never recursing further.

/// Longest expression parsed, in bytes.
pub const MAX_EXPR_BYTES: usize = 16 * 1024;
/// Deepest nesting of calls, parentheses, indexes and unary operators.
pub const MAX_DEPTH: usize = 64;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number literal.
    Number(f64),
    /// A string literal (quotes removed, `''` unescaped).
    Str(String),
    /// A context name (`github`, `secrets`, …), lower-cased.
    Ident(String),
    /// `base.name` (name lower-cased).
    Prop(Box<Expr>, String),
    /// `base.*` (an object filter).
    Star(Box<Expr>),
    /// `base[index]`.
    Index(Box<Expr>, Box<Expr>),
    /// `name(args…)` (name lower-cased).
    Call(String, Vec<Expr>),
    /// `!operand`.
    Not(Box<Expr>),
    /// A binary operator.
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Why an expression did not parse: the byte offset in the expression and a reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expression error at byte {offset}: {reason}")]
pub struct ExprError {
    /// Byte offset in the expression text.
    pub offset: usize,
    /// What was wrong.
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    Punct(&'static str),
}

fn lex(s: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    let err = |offset, reason| ExprError { offset, reason };
    while let Some(&c) = b.get(i) {
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'\'' => {
                let mut v = String::new();
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(err(start, "unterminated string")),
                        Some(b'\'') if b.get(i + 1) == Some(&b'\'') => {
                            v.push('\'');
                            i += 2;
                        }
                        Some(b'\'') => {
                            i += 1;
                            break;
                        }
                        Some(_) => {
                            let ch = s.get(i..).and_then(|r| r.chars().next()).unwrap_or('\0');
                            v.push(ch);
                            i += ch.len_utf8().max(1);
                        }
                    }
                }
                out.push((Tok::Str(v), start));
            }
            b'0'..=b'9' | b'-' | b'+'
                if c.is_ascii_digit() || b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                i += 1;
                while b
                    .get(i)
                    .is_some_and(|x| x.is_ascii_alphanumeric() || matches!(x, b'.' | b'+' | b'-'))
                {
                    // `1e-3` but not `1-2` (no binary minus in the grammar anyway).
                    if matches!(b.get(i), Some(b'+' | b'-'))
                        && !matches!(b.get(i - 1), Some(b'e' | b'E'))
                    {
                        break;
                    }
                    i += 1;
                }
                let text = s.get(start..i).unwrap_or("");
                let v = if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
                {
                    i64::from_str_radix(h, 16).map(|n| n as f64).ok()
                } else {
                    text.parse::<f64>().ok()
                };
                out.push((Tok::Num(v.ok_or(err(start, "bad number"))?), start));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while b
                    .get(i)
                    .is_some_and(|x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'-'))
                {
                    i += 1;
                }
                out.push((
                    Tok::Ident(s.get(start..i).unwrap_or("").to_ascii_lowercase()),
                    start,
                ));
            }
            _ => {
                let two = s.get(i..i + 2).unwrap_or("");
                let p: &'static str = match two {
                    "&&" => "&&",
                    "||" => "||",
                    "==" => "==",
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ => match c {
                        b'!' => "!",
                        b'<' => "<",
                        b'>' => ">",
                        b'(' => "(",
                        b')' => ")",
                        b'[' => "[",
                        b']' => "]",
                        b'.' => ".",
                        b',' => ",",
                        b'*' => "*",
                        _ => return Err(err(start, "unexpected character")),
                    },
                };
                i += p.len();
                out.push((Tok::Punct(p), start));
            }
        }
    }
    Ok(out)
}

struct P {
    toks: Vec<(Tok, usize)>,
    at: usize,
    depth: usize,
    end: usize,
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.0)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.at).map_or(self.end, |t| t.1)
    }
    fn err(&self, reason: &'static str) -> ExprError {
        ExprError {
            offset: self.offset(),
            reason,
        }
    }
    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(x)) if *x == p) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(self.err("nested too deeply"))
        } else {
            Ok(())
        }
    }
    fn binary(
        &mut self,
        ops: &[(&str, BinOp)],
        next: fn(&mut P) -> Result<Expr, ExprError>,
    ) -> Result<Expr, ExprError> {
        let mut left = next(self)?;
        'outer: loop {
            for (p, op) in ops {
                if self.eat(p) {
                    let right = next(self)?;
                    left = Expr::Binary(*op, Box::new(left), Box::new(right));
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }
    fn or(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("||", BinOp::Or)], P::and)
    }
    fn and(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("&&", BinOp::And)], P::equality)
    }
    fn equality(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("==", BinOp::Eq), ("!=", BinOp::Ne)], P::comparison)
    }
    fn comparison(&mut self) -> Result<Expr, ExprError> {
        self.binary(
            &[
                ("<=", BinOp::Le),
                (">=", BinOp::Ge),
                ("<", BinOp::Lt),
                (">", BinOp::Gt),
            ],
            P::unary,
        )
    }
    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.eat("!") {
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        self.postfix()
    }
    fn postfix(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.primary()?;
        loop {
            if self.eat(".") {
                match self.toks.get(self.at).map(|t| t.0.clone()) {
                    Some(Tok::Ident(n)) => {
                        self.at += 1;
                        e = Expr::Prop(Box::new(e), n);
                    }
                    Some(Tok::Punct("*")) => {
                        self.at += 1;
                        e = Expr::Star(Box::new(e));
                    }
                    // `steps.x.outputs.0`-style numeric names.
                    Some(Tok::Num(n)) => {
                        self.at += 1;
                        e = Expr::Prop(Box::new(e), format!("{n}"));
                    }
                    _ => return Err(self.err("expected a property name after `.`")),
                }
            } else if self.eat("[") {
                self.enter()?;
                let idx = if self.eat("*") {
                    None
                } else {
                    Some(self.or()?)
                };
                self.depth -= 1;
                if !self.eat("]") {
                    return Err(self.err("expected `]`"));
                }
                e = match idx {
                    None => Expr::Star(Box::new(e)),
                    Some(i) => Expr::Index(Box::new(e), Box::new(i)),
                };
            } else {
                return Ok(e);
            }
        }
    }
    fn primary(&mut self) -> Result<Expr, ExprError> {
        let Some((tok, _)) = self.toks.get(self.at).cloned() else {
            return Err(self.err("expected a value"));
        };
        self.at += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Number(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Punct("(") => {
                self.enter()?;
                let e = self.or()?;
                self.depth -= 1;
                if !self.eat(")") {
                    return Err(self.err("expected `)`"));
                }
                Ok(e)
            }
            Tok::Ident(name) => {
                if self.eat("(") {
                    self.enter()?;
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.or()?);
                            if self.eat(")") {
                                break;
                            }
                            if !self.eat(",") {
                                return Err(self.err("expected `,` or `)`"));
                            }
                        }
                    }
                    self.depth -= 1;
                    return Ok(Expr::Call(name, args));
                }
                Ok(match name.as_str() {
                    "null" => Expr::Null,
                    "true" => Expr::Bool(true),
                    "false" => Expr::Bool(false),
                    "nan" => Expr::Number(f64::NAN),
                    "infinity" => Expr::Number(f64::INFINITY),
                    _ => Expr::Ident(name),
                })
            }
            Tok::Punct(_) => {
                self.at -= 1;
                Err(self.err("unexpected operator"))
            }
        }
    }
}

/// Parse one expression (the text between `${{` and `}}`, or a bare `if:` condition).
///
/// # Errors
/// [`ExprError`] for a lexical or syntax error, or a passed bound.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    if text.len() > MAX_EXPR_BYTES {
        return Err(ExprError {
            offset: MAX_EXPR_BYTES,
            reason: "expression too long",
        });
    }
    let toks = lex(text)?;
    let mut p = P {
        toks,
        at: 0,
        depth: 0,
        end: text.len(),
    };
    let e = p.or()?;
    if p.at != p.toks.len() {
        return Err(p.err("unexpected text after the expression"));
    }
    Ok(e)
}

/// One `${{ … }}` in a text: its byte range (delimiters included) and inner text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded<'a> {
    /// Byte offset of `${{` in the text.
    pub start: usize,
    /// Byte offset just past `}}`.
    pub end: usize,
    /// The text between the delimiters.
    pub inner: &'a str,
}

/// Every `${{ … }}` in `text`, in order. A `}}` inside a quoted string does not end the
/// expression; an unterminated one ends the search.
pub fn embedded(text: &str) -> Vec<Embedded<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|t| t.find("${{")) {
        let start = from + rel;
        let mut i = start + 3;
        let mut in_str = false;
        let mut end = None;
        while let Some(&c) = b.get(i) {
            if c == b'\'' {
                in_str = !in_str;
            } else if !in_str && c == b'}' && b.get(i + 1) == Some(&b'}') {
                end = Some(i);
                break;
            }
            i += 1;
        }
        let Some(close) = end else { break };
        out.push(Embedded {
            start,
            end: close + 2,
            inner: text.get(start + 3..close).unwrap_or(""),
        });
        from = close + 2;
    }
    out
}

/// Who controls a context's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Control {
    /// Anyone who can open a pull request, an issue or a comment, or push a branch to a
    /// fork: titles, bodies, branch names, commit messages, author names.
    Outsider,
    /// Whoever triggers the workflow with a token: `inputs`, `github.event.inputs`,
    /// `github.event.client_payload`.
    Caller,
}

/// The dotted path of a context access (`github.event.pull_request.title`), lower-case,
/// with `*` for object filters and non-literal indexes; `None` when `e` is not one.
pub fn context_path(e: &Expr) -> Option<String> {
    match e {
        Expr::Ident(n) => Some(n.clone()),
        Expr::Prop(b, n) => Some(format!("{}.{n}", context_path(b)?)),
        Expr::Star(b) => Some(format!("{}.*", context_path(b)?)),
        Expr::Index(b, i) => {
            let base = context_path(b)?;
            Some(match &**i {
                Expr::Str(s) => format!("{base}.{}", s.to_ascii_lowercase()),
                Expr::Number(n) => format!("{base}.{n}"),
                _ => format!("{base}.*"),
            })
        }
        _ => None,
    }
}

/// Fields of webhook payloads whose text an outsider writes (GitHub's "Security hardening
/// for GitHub Actions", "Understanding the risk of script injections", and the webhook
/// payload docs for each event).
const OUTSIDER_SUFFIXES: &[&str] = &[
    ".title",
    ".body",
    ".message",
    ".head_ref",
    ".head.ref",
    ".head.label",
    ".head.repo.default_branch",
    ".head.repo.description",
    ".head.repo.homepage",
    ".head_branch",
    ".display_title",
    ".page_name",
    ".author.name",
    ".author.email",
    ".committer.name",
    ".committer.email",
    ".label.name",
];

/// Who controls the context at `path` (see [`context_path`]); `None` for values the
/// repository or GitHub decide (`github.sha`, `secrets.*`, `matrix.*`, step outputs…).
pub fn control(path: &str) -> Option<Control> {
    if path == "github.head_ref" {
        return Some(Control::Outsider);
    }
    if let Some(rest) = path.strip_prefix("github.event.") {
        if rest.starts_with("inputs") || rest.starts_with("client_payload") {
            return Some(Control::Caller);
        }
        let with_dot = format!(".{rest}");
        if OUTSIDER_SUFFIXES.iter().any(|s| with_dot.ends_with(s))
            // `head_commit` / `commits.*` / `workflow_run.head_commit` subtrees: every
            // text field is written by the commit's author.
            || rest.starts_with("head_commit.")
            // Edits: the previous text of a title or body (`changes.title.from`).
            || rest.starts_with("changes.")
            || rest.starts_with("commits.")
            || rest.starts_with("workflow_run.head_commit.")
        {
            return Some(Control::Outsider);
        }
        // Whole objects serialised (`toJSON(github.event.pull_request)`) carry the
        // outsider's fields.
        if matches!(
            rest,
            "pull_request"
                | "issue"
                | "comment"
                | "review"
                | "review_comment"
                | "discussion"
                | "head_commit"
                | "commits"
                | "workflow_run"
                | "pull_request.head"
        ) {
            return Some(Control::Outsider);
        }
        return None;
    }
    if path == "github.event" {
        return Some(Control::Outsider);
    }
    if path.starts_with("inputs.") || path == "inputs" {
        return Some(Control::Caller);
    }
    None
}

/// A context whose value can reach an expression's result (not merely a condition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its dotted path (see [`context_path`]).
    pub path: String,
    /// Who controls it, if anyone outside the repository.
    pub control: Option<Control>,
}

/// The contexts whose text can appear in the value of `e`. Comparisons, `!`,
/// `contains`/`startsWith`/`endsWith` and `hashFiles` yield booleans or digests and pass
/// nothing on; `format`, `join`, `toJSON`, `fromJSON` and `&&`/`||` pass on their operands.
pub fn value_sources(e: &Expr) -> Vec<Source> {
    let mut out = Vec::new();
    collect(e, &mut out, 0);
    out
}

fn collect(e: &Expr, out: &mut Vec<Source>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(path) = context_path(e) {
        out.push(Source {
            control: control(&path),
            path,
        });
        return;
    }
    match e {
        Expr::Prop(b, _) | Expr::Star(b) | Expr::Index(b, _) => collect(b, out, depth + 1),
        Expr::Call(name, args) => match name.as_str() {
            "contains" | "startswith" | "endswith" | "hashfiles" | "success" | "failure"
            | "always" | "cancelled" => {}
            _ => {
                for a in args {
                    collect(a, out, depth + 1);
                }
            }
        },
        Expr::Binary(BinOp::And | BinOp::Or, l, r) => {
            collect(l, out, depth + 1);
            collect(r, out, depth + 1);
        }
        _ => {}
    }
}

/// Every context path read anywhere in `e` (values and conditions alike).
pub fn all_paths(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(e, &mut |x| {
        if let Some(p) = context_path(x) {
            out.push(p);
            false
        } else {
            true
        }
    });
    out
}

/// Calls of `name` (lower-case) anywhere in `e`, with their arguments.
pub fn calls<'e>(e: &'e Expr, name: &str) -> Vec<&'e [Expr]> {
    let mut out = Vec::new();
    walk(e, &mut |x| {
        if let Expr::Call(n, args) = x
            && n == name
        {
            out.push(args.as_slice());
        }
        true
    });
    out
}

/// Pre-order walk; `f` returns whether to descend into the node's children.
pub fn walk<'e>(e: &'e Expr, f: &mut impl FnMut(&'e Expr) -> bool) {
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        if !f(x) {
            continue;
        }
        match x {
            Expr::Prop(b, _) | Expr::Star(b) | Expr::Not(b) => stack.push(b),
            Expr::Index(b, i) => {
                stack.push(b);
                stack.push(i);
            }
            Expr::Call(_, args) => stack.extend(args.iter()),
            Expr::Binary(_, l, r) => {
                stack.push(l);
                stack.push(r);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_operators_and_calls() {
        let e = parse("!contains(github.event.pull_request.labels.*.name, 'x') && a == 'b' || fromJSON(x)['y']").unwrap();
        assert!(matches!(e, Expr::Binary(BinOp::Or, _, _)));
        assert_eq!(
            parse("github.event['pull_request'].title")
                .ok()
                .as_ref()
                .and_then(context_path),
            Some("github.event.pull_request.title".into())
        );
        assert_eq!(parse("0x1F").unwrap(), Expr::Number(31.0));
        assert_eq!(parse("-1.5e2").unwrap(), Expr::Number(-150.0));
        assert_eq!(parse("'it''s'").unwrap(), Expr::Str("it's".into()));
        assert!(parse("a ==").is_err());
        assert!(parse("(".repeat(200).as_str()).is_err());
        assert!(parse("a b").is_err());
    }

    #[test]
    fn taint_follows_values_not_conditions() {
        let srcs = |s: &str| -> Vec<Option<Control>> {
            value_sources(&parse(s).unwrap())
                .into_iter()
                .map(|x| x.control)
                .collect()
        };
        assert_eq!(
            srcs("github.event.pull_request.title"),
            [Some(Control::Outsider)]
        );
        assert_eq!(srcs("github.head_ref"), [Some(Control::Outsider)]);
        assert_eq!(
            srcs("format('{0}', github.event.issue.body)"),
            [Some(Control::Outsider)]
        );
        assert!(srcs("contains(github.event.issue.body, 'x')").is_empty());
        assert!(srcs("github.event.issue.body == 'x'").is_empty());
        assert_eq!(srcs("inputs.name"), [Some(Control::Caller)]);
        assert_eq!(srcs("github.sha"), [None]);
        assert_eq!(
            srcs("toJSON(github.event.commits.*.message)"),
            [Some(Control::Outsider)]
        );
        assert_eq!(
            srcs("github.event.workflow_run.head_branch"),
            [Some(Control::Outsider)]
        );
    }

    #[test]
    fn finds_embedded_expressions() {
        let t = "echo ${{ github.head_ref }} and ${{ format('}}', x) }} ${{ open";
        let e = embedded(t);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].inner.trim(), "github.head_ref");
        assert_eq!(e[1].inner.trim(), "format('}}', x)");
    }
}
