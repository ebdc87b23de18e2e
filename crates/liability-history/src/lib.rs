//! Reads a repository's git history in-process (with gix) and summarises it per file: churn,
//! authors and recency, the inputs for pricing what a piece of code costs to own.
//!
//! Policy: reading history must be harmless and reproducible. This crate never shells out to
//! `git`, never runs anything the repository configures (no hooks, no clean/smudge filters, no
//! textconv, no external diff drivers: blobs are diffed as stored in git, with gix's built-in
//! line diff), never touches the network and never writes to the repository. A repository it
//! cannot fully read degrades to what it could read, flagged in [`History::partial`]; it never
//! panics on repository data.
//!
//! One pass over the history: every commit reachable from `HEAD` is listed newest first (by
//! committer time); each non-merge commit is diffed against its first parent (a root commit
//! against the empty tree), like `git log --numstat`, with gix's rename tracking (git's default
//! 50 % similarity, no copy detection). Renames are followed: the history of the old path is
//! carried over to the new one. Commits are diffed on several threads; the fold that follows
//! renames is sequential and deterministic.
//!
//! [`read_tree`] reads the files of one revision (a branch, tag or commit) under the scanned
//! root straight from the object store, for comparing a scan with the scan of another
//! revision without a checkout.

mod date;
mod diff;
mod fold;
mod tree;
mod walk;

pub use tree::{TreeContent, TreeError, TreeFile, read_tree, read_tree_filtered};

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// How to read the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryOptions {
    /// Length of the recent-activity window, in days, ending at `now`.
    pub window_days: u32,
    /// The end of the window, in unix seconds. `None` means the newest commit time in the
    /// repository, so that results depend only on the repository, not on the clock.
    pub now: Option<i64>,
    /// Read at most this many commits (the newest, by committer time; at least one). `None`
    /// reads them all.
    pub max_commits: Option<usize>,
    /// Threads used to diff commits. `None` means the available parallelism.
    pub threads: Option<usize>,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            window_days: 365,
            now: None,
            max_commits: None,
            threads: None,
        }
    }
}

/// The history of one file, following renames.
#[derive(Debug, Clone, PartialEq)]
pub struct FileHistory {
    /// Commits that changed the file within the window.
    pub commits_in_window: u32,
    /// Lines added within the window (binary changes count 0).
    pub lines_added: u64,
    /// Lines removed within the window (binary changes count 0).
    pub lines_removed: u64,
    /// Authors of the commits within the window: mailmap-resolved, lower-cased email and
    /// number of commits, sorted by count (descending), then email.
    pub authors: Vec<(String, u32)>,
    /// Share of the window's commits made by the first author in `authors`; 0 if none.
    pub top_author_share: f64,
    /// Committer time of the oldest commit that changed the file (all history, unix seconds).
    pub first_change: i64,
    /// Committer time of the newest commit that changed the file (all history, unix seconds).
    pub last_change: i64,
    /// Commits that changed the file, over all history read.
    pub total_commits: u32,
}

/// What one author did anywhere in the repository (not only under the scanned root).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorActivity {
    /// Committer time of the author's newest commit (unix seconds).
    pub last_commit: i64,
    /// Commits authored, over all history read (merges included).
    pub commits: u32,
}

/// The history of the files under a scanned root.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Files present in `HEAD` under the scanned root that history has touched, keyed by their
    /// path relative to the scanned root, `/`-separated. Paths that are not UTF-8 are converted
    /// lossily.
    pub files: BTreeMap<String, FileHistory>,
    /// Every author of a commit read (keyed by mailmap-resolved, lower-cased email).
    pub authors: BTreeMap<String, AuthorActivity>,
    /// Committer time of the commit `HEAD` points to (unix seconds).
    pub head_time: i64,
    /// The end of the window actually used (unix seconds).
    pub now: i64,
    /// Commits read (merges included).
    pub commits_read: usize,
    /// Why the figures cover less than the whole history, if they do: a shallow clone, a
    /// commit limit, unreadable objects.
    pub partial: Option<String>,
}

/// Why no history could be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The scanned root is not inside a git work tree.
    NotARepository,
    /// The repository has no commits yet.
    NoCommits,
    /// The repository could not be read; the reason says what failed.
    Corrupt(String),
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::NotARepository => f.write_str("not inside a git repository"),
            Unavailable::NoCommits => f.write_str("the git repository has no commits"),
            Unavailable::Corrupt(reason) => write!(f, "the git repository is unreadable: {reason}"),
        }
    }
}

impl std::error::Error for Unavailable {}

/// Reads the history of the repository containing `scan_root` and summarises it for the files
/// under `scan_root` (which may be a subdirectory of the work tree).
///
/// Returns [`Unavailable`] only when nothing at all could be read; anything less than complete
/// history is reported through [`History::partial`].
pub fn read_history(scan_root: &Path, options: &HistoryOptions) -> Result<History, Unavailable> {
    let repo = walk::open(scan_root)?;
    let listing = walk::list_commits(&repo.repo, options.max_commits)?;
    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .clamp(1, 64);
    let mailmap = repo.repo.open_mailmap();
    let deltas = diff::diff_commits(
        &repo.repo,
        &listing.commits,
        &listing.shallow,
        &mailmap,
        threads,
    );
    let head_paths = walk::head_paths(&repo.repo, &repo.prefix);
    Ok(fold::fold(
        &repo.prefix,
        &listing,
        deltas,
        head_paths,
        options,
    ))
}
