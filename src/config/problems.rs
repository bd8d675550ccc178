//! Where a config file's problems are gathered: each one is
//! `file:line: key: problem`, and all of them are reported together (on the
//! one error line), so a user fixes a file in one pass.
//!
//! Lines are found through an index of line starts built once, so naming the
//! line of the 20,000th `[[suppress]]` entry costs a binary search, not a scan
//! of the text before it.

use anyhow::{anyhow, Result};
use std::fmt::Display;
use std::ops::Range;
use toml::Spanned;

pub(crate) struct Problems<'a> {
    origin: &'a str,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    found: Vec<String>,
}

impl<'a> Problems<'a> {
    pub fn new(origin: &'a str, text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Problems {
            origin,
            line_starts,
            found: Vec::new(),
        }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Records a problem of `key` at the start of `span`.
    pub fn at(&mut self, span: Range<usize>, key: &str, problem: impl Display) {
        let line = self.line(span.start);
        self.found
            .push(format!("{}:{line}: {key}: {problem}", self.origin));
    }

    /// The value `check` makes of a spanned one, or `None` with the problem recorded.
    pub fn check<T, V>(
        &mut self,
        value: &Spanned<T>,
        key: &str,
        check: impl FnOnce(&T) -> Result<V, String>,
    ) -> Option<V> {
        match check(value.get_ref()) {
            Ok(v) => Some(v),
            Err(problem) => {
                self.at(value.span(), key, problem);
                None
            }
        }
    }

    /// [`check`](Self::check) for an optional key: `Some(None)` when it is
    /// absent, `None` when it has a problem.
    pub fn check_optional<T, V>(
        &mut self,
        value: Option<&Spanned<T>>,
        key: &str,
        check: impl FnOnce(&T) -> Result<V, String>,
    ) -> Option<Option<V>> {
        match value {
            None => Some(None),
            Some(v) => self.check(v, key, check).map(Some),
        }
    }

    /// Every problem found, or nothing.
    pub fn finish(self) -> Result<()> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(anyhow!(join(&self.found)))
        }
    }
}

/// Problems as one error: errors are one line (`error_line` folds any
/// other), so they are separated by `; `, each still `file:line: key: problem`.
pub fn join(problems: &[String]) -> String {
    problems.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one_at_every_offset() {
        let p = Problems::new("t", "a\nbc\n\nd");
        let lines: Vec<usize> = (0..8).map(|o| p.line(o)).collect();
        // a \n b c \n \n d (and one past the end)
        assert_eq!(lines, vec![1, 1, 2, 2, 2, 3, 4, 4]);
    }
}
