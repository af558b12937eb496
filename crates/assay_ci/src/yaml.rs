//! A bounded YAML document tree with a position on every node, built from
//! `saphyr-parser` events.
//!
//! Why not a YAML value crate: audits need `path:line:col` for every key and value, and
//! hostile input must not be able to expand. Aliases are kept as references to the
//! anchored node (never copied), so an alias costs one node; the *expanded* size of the
//! document (what a walk that follows aliases would visit) is computed once, saturating,
//! and a document over [`Limits::max_expanded`] is refused — the "billion laughs" shape.
//! Merge keys (`<<: *base`) are followed by [`Doc::get`].
//!
//! Every refusal is a [`YamlError`] naming the limit; callers turn it into a finding.

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Bounds on one YAML document. Defaults fit every real workflow seen (the largest in
/// the calibration corpus is ~60 KiB and ~4,000 nodes) with two orders of magnitude
/// to spare.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input, in bytes. Default 2 MiB.
    pub max_bytes: usize,
    /// Deepest nesting of sequences and mappings. Default 64.
    pub max_depth: usize,
    /// Most nodes as written (scalars, sequences, mappings, aliases). Default 200,000.
    pub max_nodes: usize,
    /// Most nodes a walk that follows every alias would visit. Default 400,000.
    pub max_expanded: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 2 << 20,
            max_depth: 64,
            max_nodes: 200_000,
            max_expanded: 400_000,
        }
    }
}

/// Why a YAML text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// The text is not YAML (the parser's message, with its 1-based line and column).
    #[error("YAML syntax error at {line}:{col}: {message}")]
    Syntax {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
        /// The parser's message.
        message: String,
    },
    /// The text is larger than [`Limits::max_bytes`].
    #[error("{size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Nesting deeper than [`Limits::max_depth`].
    #[error("nesting deeper than {limit} at {line}:{col}")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// 1-based line where the limit was passed.
        line: u32,
        /// 1-based column.
        col: u32,
    },
    /// More nodes than [`Limits::max_nodes`].
    #[error("more than {limit} YAML nodes")]
    TooManyNodes {
        /// The limit.
        limit: usize,
    },
    /// Aliases would expand past [`Limits::max_expanded`] nodes.
    #[error("aliases expand to more than {limit} nodes")]
    AliasExpansion {
        /// The limit.
        limit: u64,
    },
    /// An alias names an anchor that is not defined before it, or refers to a node that
    /// contains the alias itself.
    #[error("alias at {line}:{col} names no complete anchored node")]
    BadAlias {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
    },
    /// The text holds no document.
    #[error("empty document")]
    Empty,
}

/// A position in the text: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// 0-based character index in the text.
    pub index: usize,
}

/// Index of a node in [`Doc::nodes`].
pub type NodeId = usize;

/// One node as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar, with its style (a block scalar's text starts on the line after `pos`).
    Scalar(String, ScalarStyle),
    /// A sequence.
    Seq(Vec<NodeId>),
    /// A mapping, keys in order.
    Map(Vec<(NodeId, NodeId)>),
    /// An alias of an anchored node.
    Alias(NodeId),
}

/// A parsed YAML document (the first of the stream).
#[derive(Debug, Clone)]
pub struct Doc {
    /// Every node; the root is [`Doc::root`].
    pub nodes: Vec<(Node, Pos)>,
    /// The root node.
    pub root: NodeId,
}

fn pos_of(m: saphyr_parser::Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        col: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
        index: m.index(),
    }
}

enum Open {
    Seq(NodeId, Vec<NodeId>, usize),
    Map(NodeId, Vec<NodeId>, usize),
}

/// Parse the first document of `text` under `limits`.
///
/// One leniency, for parity with libyaml (which GitHub's parser follows): a line holding
/// only the closing bracket of a flow collection (`]`, `}`) at its key's indentation is
/// an indentation error to saphyr (pytest's `test.yml` has one). On such an error the
/// text is parsed once more with those lines indented by one space; line numbers and
/// every other column stay as written.
///
/// # Errors
/// [`YamlError`] for a syntax error, an empty stream, or a passed limit.
pub fn parse(text: &str, limits: &Limits) -> Result<Doc, YamlError> {
    match parse_exact(text, limits) {
        Err(e @ YamlError::Syntax { .. }) => {
            let closer = |l: &str| matches!(l.trim(), "]" | "}" | "]," | "},");
            if !text.lines().any(closer) {
                return Err(e);
            }
            let relaxed: String = text
                .split_inclusive('\n')
                .map(|l| {
                    if closer(l) {
                        format!(" {l}")
                    } else {
                        l.to_owned()
                    }
                })
                .collect();
            parse_exact(&relaxed, limits).map_err(|_| e)
        }
        r => r,
    }
}

fn parse_exact(text: &str, limits: &Limits) -> Result<Doc, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    let mut nodes: Vec<(Node, Pos)> = Vec::new();
    // anchor id → node id, filled when the anchored node is complete.
    let mut anchors: Vec<Option<NodeId>> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<NodeId> = None;
    let set_anchor = |anchors: &mut Vec<Option<NodeId>>, aid: usize, id: NodeId| {
        if aid == 0 {
            return;
        }
        if anchors.len() <= aid {
            anchors.resize(aid + 1, None);
        }
        if let Some(slot) = anchors.get_mut(aid) {
            *slot = Some(id);
        }
    };
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| YamlError::Syntax {
            line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
            col: u32::try_from(e.marker().col().saturating_add(1)).unwrap_or(u32::MAX),
            message: e.info().to_owned(),
        })?;
        let pos = pos_of(span.start);
        if nodes.len() >= limits.max_nodes {
            return Err(YamlError::TooManyNodes {
                limit: limits.max_nodes,
            });
        }
        // A finished node: attach it to its parent.
        let done: Option<NodeId> = match ev {
            Event::DocumentEnd if root.is_some() => break,
            Event::StreamEnd => break,
            Event::Scalar(v, style, aid, _) => {
                nodes.push((Node::Scalar(v.into_owned(), style), pos));
                let id = nodes.len() - 1;
                set_anchor(&mut anchors, aid, id);
                Some(id)
            }
            Event::Alias(aid) => {
                let target = anchors
                    .get(aid)
                    .copied()
                    .flatten()
                    .ok_or(YamlError::BadAlias {
                        line: pos.line,
                        col: pos.col,
                    })?;
                nodes.push((Node::Alias(target), pos));
                Some(nodes.len() - 1)
            }
            Event::SequenceStart(aid, _) | Event::MappingStart(aid, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(YamlError::TooDeep {
                        limit: limits.max_depth,
                        line: pos.line,
                        col: pos.col,
                    });
                }
                let is_seq = matches!(ev, Event::SequenceStart(..));
                nodes.push((
                    if is_seq {
                        Node::Seq(Vec::new())
                    } else {
                        Node::Map(Vec::new())
                    },
                    pos,
                ));
                let id = nodes.len() - 1;
                stack.push(if is_seq {
                    Open::Seq(id, Vec::new(), aid)
                } else {
                    Open::Map(id, Vec::new(), aid)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(id, items, aid)) => {
                    if let Some(n) = nodes.get_mut(id) {
                        n.0 = Node::Seq(items);
                    }
                    set_anchor(&mut anchors, aid, id);
                    Some(id)
                }
                Some(Open::Map(id, items, aid)) => {
                    let pairs = items
                        .chunks(2)
                        .filter_map(|c| match c {
                            [k, v] => Some((*k, *v)),
                            _ => None,
                        })
                        .collect();
                    if let Some(n) = nodes.get_mut(id) {
                        n.0 = Node::Map(pairs);
                    }
                    set_anchor(&mut anchors, aid, id);
                    Some(id)
                }
                None => None,
            },
            _ => None,
        };
        if let Some(id) = done {
            match stack.last_mut() {
                Some(Open::Seq(_, items, _) | Open::Map(_, items, _)) => items.push(id),
                None => {
                    if root.is_none() {
                        root = Some(id);
                    }
                }
            }
        }
    }
    let root = root.ok_or(YamlError::Empty)?;
    let doc = Doc { nodes, root };
    doc.check_expansion(limits.max_expanded)?;
    Ok(doc)
}

impl Doc {
    /// Expanded sizes bottom-up: children always have smaller ids than their parent
    /// except aliases, whose target is complete (so earlier) when the alias is read.
    fn check_expansion(&self, limit: u64) -> Result<(), YamlError> {
        let mut size: Vec<u64> = vec![0; self.nodes.len()];
        // Containers are pushed before their children: visit in an order where every
        // child is done first — by ascending end, i.e. a post-order. Node ids of a
        // container's children are all greater than the container's id, aliases point
        // to smaller ids; so process ids in descending order, resolving aliases lazily.
        let mut order: Vec<NodeId> = (0..self.nodes.len()).collect();
        order.reverse();
        // Pass 1 (descending): containers and scalars, aliases counted 1 for now.
        // Aliases point backwards to nodes processed *later* in this order, so do the
        // exact computation with a memoised recursion bounded by the node count instead.
        let mut state: Vec<u8> = vec![0; self.nodes.len()]; // 0 new, 1 on stack, 2 done
        for &start in &order {
            if state.get(start).copied() == Some(2) {
                continue;
            }
            let mut stack: Vec<(NodeId, bool)> = vec![(start, false)];
            while let Some((id, expanded)) = stack.pop() {
                let Some((node, pos)) = self.nodes.get(id) else {
                    continue;
                };
                let kids: Vec<NodeId> = match node {
                    Node::Scalar(..) => Vec::new(),
                    Node::Alias(t) => vec![*t],
                    Node::Seq(items) => items.clone(),
                    Node::Map(pairs) => pairs.iter().flat_map(|(k, v)| [*k, *v]).collect(),
                };
                if expanded {
                    let total = kids.iter().fold(1u64, |acc, k| {
                        acc.saturating_add(size.get(*k).copied().unwrap_or(0))
                    });
                    if let Some(s) = size.get_mut(id) {
                        *s = total;
                    }
                    if let Some(s) = state.get_mut(id) {
                        *s = 2;
                    }
                    if total > limit {
                        return Err(YamlError::AliasExpansion { limit });
                    }
                    continue;
                }
                match state.get(id).copied() {
                    Some(2) => continue,
                    Some(1) => {
                        return Err(YamlError::BadAlias {
                            line: pos.line,
                            col: pos.col,
                        });
                    }
                    _ => {}
                }
                if let Some(s) = state.get_mut(id) {
                    *s = 1;
                }
                stack.push((id, true));
                for k in kids {
                    if state.get(k).copied() != Some(2) {
                        stack.push((k, false));
                    }
                }
            }
        }
        Ok(())
    }

    /// The node behind `id`, following aliases (at most as many hops as there are nodes).
    pub fn resolve(&self, mut id: NodeId) -> Option<(&Node, Pos)> {
        for _ in 0..=self.nodes.len() {
            match self.nodes.get(id)? {
                (Node::Alias(t), _) => id = *t,
                (n, p) => return Some((n, *p)),
            }
        }
        None
    }

    /// The resolved id behind `id` (aliases followed).
    pub fn target(&self, mut id: NodeId) -> NodeId {
        for _ in 0..=self.nodes.len() {
            match self.nodes.get(id) {
                Some((Node::Alias(t), _)) => id = *t,
                _ => return id,
            }
        }
        id
    }

    /// Position of `id` as written (an alias's own position, not its target's).
    pub fn pos(&self, id: NodeId) -> Pos {
        self.nodes.get(id).map(|n| n.1).unwrap_or_default()
    }

    /// The scalar text of `id`, aliases followed.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match self.resolve(id)? {
            (Node::Scalar(s, _), _) => Some(s.as_str()),
            _ => None,
        }
    }

    /// Whether `id` is a block scalar (`|` or `>`).
    pub fn is_block(&self, id: NodeId) -> bool {
        matches!(
            self.resolve(id),
            Some((
                Node::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded),
                _
            ))
        )
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.resolve(id) {
            Some((Node::Seq(items), _)) => items,
            _ => &[],
        }
    }

    /// The key/value pairs of a mapping, merge keys (`<<`) expanded one level deep
    /// (explicit keys first, as YAML 1.1 merge semantics want); empty for anything else.
    pub fn pairs(&self, id: NodeId) -> Vec<(NodeId, NodeId)> {
        let Some((Node::Map(pairs), _)) = self.resolve(id) else {
            return Vec::new();
        };
        let mut out: Vec<(NodeId, NodeId)> = Vec::with_capacity(pairs.len());
        let mut merged: Vec<(NodeId, NodeId)> = Vec::new();
        for &(k, v) in pairs {
            if self.str(k) == Some("<<") {
                let sources: Vec<NodeId> = match self.resolve(v) {
                    Some((Node::Seq(items), _)) => items.clone(),
                    _ => vec![v],
                };
                for s in sources {
                    if let Some((Node::Map(inner), _)) = self.resolve(s) {
                        merged.extend(inner.iter().copied());
                    }
                }
            } else {
                out.push((k, v));
            }
        }
        for (k, v) in merged {
            let name = self.str(k);
            if !out.iter().any(|(ok, _)| self.str(*ok) == name) {
                out.push((k, v));
            }
        }
        out
    }

    /// The value under `key` in mapping `id`.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.pairs(id)
            .into_iter()
            .find(|(k, _)| self.str(*k) == Some(key))
            .map(|(_, v)| v)
    }

    /// Whether `id` is a mapping.
    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.resolve(id), Some((Node::Map(_), _)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn positions_and_merge_keys() {
        let d = parse(
            "base: &b\n  x: 1\njob:\n  <<: *b\n  y: two\n",
            &Limits::default(),
        )
        .unwrap();
        let job = d.get(d.root, "job").unwrap();
        assert_eq!(d.str(d.get(job, "y").unwrap()), Some("two"));
        assert_eq!(d.str(d.get(job, "x").unwrap()), Some("1"));
        let y = d.get(job, "y").unwrap();
        assert_eq!((d.pos(y).line, d.pos(y).col), (5, 6));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(
            parse(&s, &Limits::default()),
            Err(YamlError::AliasExpansion { .. })
        ));
    }

    #[test]
    fn depth_and_size_are_bounded() {
        let deep: String = (0..100).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(matches!(
            parse(&deep, &Limits::default()),
            Err(YamlError::TooDeep { .. })
        ));
        // saphyr bounds flow nesting itself (a syntax error).
        let flow = "[".repeat(5000) + &"]".repeat(5000);
        assert!(parse(&flow, &Limits::default()).is_err());
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            parse("a: 1\nb: 2\nc: 3\n", &limits),
            Err(YamlError::TooLarge { .. })
        ));
        assert!(matches!(
            parse("a: [\n", &Limits::default()),
            Err(YamlError::Syntax { .. })
        ));
        assert!(parse("b: *nope\n", &Limits::default()).is_err());
    }
}
