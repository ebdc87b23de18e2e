//! Findings: a piece of home-grown infrastructure, where it is, and why the rule thinks so.

use crate::Category;

use std::fmt;
use std::str::FromStr;

/// An inclusive range of 1-based lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineSpan {
    pub start: u32,
    pub end: u32,
}

impl LineSpan {
    /// A span from `start` to `end`; the two are swapped if given backwards.
    pub fn new(start: u32, end: u32) -> Self {
        LineSpan {
            start: start.min(end),
            end: start.max(end),
        }
    }

    pub fn contains(self, line: u32) -> bool {
        self.start <= line && line <= self.end
    }

    pub fn overlaps(self, other: LineSpan) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The smallest span covering both.
    pub fn union(self, other: LineSpan) -> LineSpan {
        LineSpan::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// How sure a rule is, from how many independent signals fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub const fn id(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// The confidence that `signals` independent signals earn: one is low, two medium,
    /// three or more high.
    pub fn from_signals(signals: usize) -> Confidence {
        match signals {
            0 | 1 => Confidence::Low,
            2 => Confidence::Medium,
            _ => Confidence::High,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Confidence {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            other => Err(format!(
                "unknown confidence `{other}` (expected low, medium or high)"
            )),
        }
    }
}

/// One signal that fired, at a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Evidence {
    /// The file, when it is not the finding's own (module-wide findings).
    pub path: Option<String>,
    pub line: u32,
    /// The rule that saw it.
    pub rule: &'static str,
    /// What was seen, lowercase, no trailing period: "binds a TCP listener".
    pub message: String,
}

/// A home-grown implementation of a concern.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The id of the rule that reported it (the first, when several rules merged).
    pub rule: &'static str,
    pub category: Category,
    /// Relative to the scanned root, `/`-separated.
    pub path: String,
    /// The component the finding spans (a type with its impls, a function, a file).
    pub span: LineSpan,
    /// A human name for the component: `struct LruCache`, `fn fetch_with_retry`.
    pub component: String,
    /// The component's defining line (its `struct`/`fn`/`impl` header) with all white space
    /// removed, or empty for file- and module-wide findings. Part of the finding's identity in
    /// baselines: it survives edits of the body, moved lines and renamed files.
    pub definition: String,
    /// The concrete thing found, when a rule knows it: the server a container runs
    /// (`postgres`, `redis`), the protocol spoken (`smtp`). Replacement advice keys on it.
    pub subject: Option<String>,
    pub confidence: Confidence,
    /// Sorted by file (own file first), line, rule and message.
    pub evidence: Vec<Evidence>,
    /// Code lines (not blank, not comment) within `span`.
    pub code_lines: u32,
    /// Code lines of the whole file (history figures are per file).
    pub file_code_lines: u32,
    /// Size and complexity of the functions within `span`.
    pub complexity: crate::Complexity,
    /// The price, once the liability model has run.
    pub liability: Option<crate::Liability>,
    /// A few source lines from the start of `span` (1-based line, text truncated), captured
    /// while the file was in memory, for code frames in reports. At most `SNIPPET_LINES`.
    pub snippet: Vec<(u32, String)>,
    /// GitHub code scanning's `primaryLocationLineHash` of `span.start` (`hex:n`), computed
    /// from the file text as the codeql-action does. `None` when the text was not at hand.
    pub line_hash: Option<String>,
}

/// The most lines a finding's `snippet` holds.
pub const SNIPPET_LINES: usize = 6;
/// The most characters a snippet line keeps (longer lines end in `…`).
pub const SNIPPET_WIDTH: usize = 120;

impl Finding {
    /// The ordering every output uses: path, start line, category, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, Category, &'static str) {
        (
            &self.path,
            self.span.start,
            self.span.end,
            self.category,
            self.rule,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_is_normalised_and_unions() {
        let s = LineSpan::new(9, 3);
        assert_eq!((s.start, s.end), (3, 9));
        assert!(s.contains(3) && s.contains(9) && !s.contains(10));
        assert_eq!(s.union(LineSpan::new(12, 14)), LineSpan::new(3, 14));
        assert!(s.overlaps(LineSpan::new(9, 20)));
        assert!(!s.overlaps(LineSpan::new(10, 20)));
    }

    #[test]
    fn confidence_grows_with_signals() {
        assert_eq!(Confidence::from_signals(1), Confidence::Low);
        assert_eq!(Confidence::from_signals(2), Confidence::Medium);
        assert_eq!(Confidence::from_signals(5), Confidence::High);
        assert!(Confidence::Low < Confidence::High);
        assert_eq!("medium".parse(), Ok(Confidence::Medium));
        assert!("certain".parse::<Confidence>().is_err());
    }
}
