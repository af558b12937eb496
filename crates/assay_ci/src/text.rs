//! Positions inside the raw text of a file: a value's position is where its YAML node
//! starts, and an expression inside a block scalar is found by searching the raw text
//! from there (block scalars keep their text verbatim, so the search finds it).

use crate::yaml::Pos;

/// A file's text with the byte offset of every line start.
#[derive(Debug)]
pub struct SourceText<'a> {
    text: &'a str,
    lines: Vec<usize>,
}

impl<'a> SourceText<'a> {
    /// Index `text`.
    pub fn new(text: &'a str) -> Self {
        let mut lines = vec![0];
        lines.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceText { text, lines }
    }

    /// Byte offset of a 1-based line and column (columns in characters).
    fn offset(&self, pos: Pos) -> Option<usize> {
        let start = *self
            .lines
            .get(usize::try_from(pos.line).ok()?.checked_sub(1)?)?;
        let line = self.text.get(start..)?;
        let col = usize::try_from(pos.col.saturating_sub(1)).ok()?;
        let within = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
        Some(start + within)
    }

    /// Position of a byte offset.
    fn pos_of(&self, off: usize) -> Pos {
        let line = self.lines.partition_point(|&s| s <= off);
        let start = self.lines.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let col = self.text.get(start..off).map_or(0, |s| s.chars().count());
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col + 1).unwrap_or(u32::MAX),
            index: off,
        }
    }

    /// Position of the first `needle` at or after `from` (a node's start), searching at
    /// most 1 MiB; `None` when not found (a quoted scalar whose escapes changed the text).
    pub fn find_from(&self, from: Pos, needle: &str) -> Option<Pos> {
        if needle.is_empty() {
            return None;
        }
        let start = self.offset(from)?;
        let end = (start + (1 << 20)).min(self.text.len());
        let hay = self
            .text
            .get(start..end)
            .or_else(|| self.text.get(start..))?;
        hay.find(needle).map(|i| self.pos_of(start + i))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn finds_positions() {
        let t = SourceText::new("a: 1\nrun: |\n  echo é ${{ x }}\n");
        let p = t
            .find_from(
                Pos {
                    line: 2,
                    col: 6,
                    index: 0,
                },
                "${{ x }}",
            )
            .unwrap();
        assert_eq!((p.line, p.col), (3, 10));
    }
}
