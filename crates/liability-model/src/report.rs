//! The result of one scan: what was read, what was found, what was skipped and why.

use crate::{Finding, Language};
use std::collections::BTreeMap;
use std::fmt;

/// Why a file was not analysed (or only partly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Not valid UTF-8.
    NonUtf8,
    /// Larger than the maximum file size.
    TooLarge,
    /// The parser rejected the file.
    ParseError,
    /// Nesting deeper than the parser can safely follow.
    TooDeep,
    /// Minified or machine-generated (very long lines).
    Generated,
    /// A symbolic link, not followed.
    Symlink,
    /// A FIFO, socket or device: never opened.
    NotRegularFile,
    /// The file or directory could not be read (permissions, vanished, loop).
    Unreadable,
    /// A rule or the front-end panicked on this file; the scan went on.
    InternalError,
}

impl SkipReason {
    /// The stable kebab-case id used in every output.
    pub const fn id(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::NonUtf8 => "non-utf8",
            SkipReason::TooLarge => "too-large",
            SkipReason::ParseError => "parse-error",
            SkipReason::TooDeep => "too-deeply-nested",
            SkipReason::Generated => "generated",
            SkipReason::Symlink => "symlink",
            SkipReason::NotRegularFile => "not-a-regular-file",
            SkipReason::Unreadable => "unreadable",
            SkipReason::InternalError => "internal-error",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A file (or directory) that was not analysed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// Relative to the scanned root, `/`-separated.
    pub path: String,
    pub reason: SkipReason,
    /// Human detail: the parser's message with its location, the size, ...
    pub detail: String,
}

/// Per-language totals of the analysed files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LanguageStats {
    pub files: u64,
    pub code_lines: u64,
}

/// Everything one scan produced. Findings and skipped entries are sorted, so a report is the
/// same whatever the number of threads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Files read and analysed (parse errors included: they were read).
    pub files_scanned: u64,
    pub languages: BTreeMap<Language, LanguageStats>,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    /// The repository's totals, once the liability model has run.
    pub liability: Option<crate::RepoLiability>,
    /// Findings a suppression silenced: out of the totals, still listed with the reason.
    pub suppressed: Vec<Suppressed>,
    /// Suppressions that matched no finding (so they can be deleted).
    pub unmatched_suppressions: Vec<UnmatchedSuppression>,
    /// Configuration mistakes in the scanned files (a suppression without a reason, ...); the
    /// command line exits 2 when there are any.
    pub problems: Vec<Problem>,
}

/// A finding silenced by a suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: String,
    /// `path:line` of an inline comment, or the configuration entry.
    pub source: String,
}

/// A suppression that matched nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnmatchedSuppression {
    pub source: String,
    pub target: String,
    pub reason: String,
}

/// A mistake in a scanned file or the configuration, with its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: String,
    pub line: u32,
    pub message: String,
}

impl Report {
    /// Sorts findings and skipped entries into their canonical order.
    pub fn normalise(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.skipped.sort();
    }

    /// Total code lines over every analysed source file. Infrastructure files (Dockerfiles,
    /// manifests, Terraform, ...) are not the team's code and are left out: their lines are
    /// listed on their own language line only.
    pub fn code_lines(&self) -> u64 {
        self.languages
            .iter()
            .filter(|(l, _)| **l != Language::Infrastructure)
            .map(|(_, s)| s.code_lines)
            .sum()
    }
}
