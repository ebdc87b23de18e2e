//! Finds the repository for a scanned root, lists the commits reachable from `HEAD` (newest
//! first, by committer time) and the files present in `HEAD`.
//!
//! Policy: read only. Discovery does not honour `GIT_DIR` and friends; nothing is written.

use std::collections::HashSet;
use std::path::Path;

use gix::ObjectId;
use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

use crate::Unavailable;

/// A repository opened for a scanned root.
pub(crate) struct Opened {
    pub repo: gix::Repository,
    /// The scanned root relative to the work tree, `/`-separated, with a trailing `/`; empty
    /// when the root is the work tree itself (or the repository is bare).
    pub prefix: String,
}

/// Opens the repository containing `scan_root`.
pub(crate) fn open(scan_root: &Path) -> Result<Opened, Unavailable> {
    let root = scan_root
        .canonicalize()
        .map_err(|_| Unavailable::NotARepository)?;
    let repo = match gix::discover(&root) {
        Ok(repo) => repo,
        Err(err) => {
            // A `.git` on the way up means a repository we failed to open, not a plain folder.
            return Err(if root.ancestors().any(|dir| dir.join(".git").exists()) {
                Unavailable::Corrupt(format!("opening the repository: {err}"))
            } else {
                Unavailable::NotARepository
            });
        }
    };
    let prefix = match repo.workdir() {
        None => String::new(),
        Some(workdir) => {
            let workdir = workdir
                .canonicalize()
                .map_err(|err| Unavailable::Corrupt(format!("resolving the work tree: {err}")))?;
            // A root inside `.git` (or otherwise outside the work tree) has no tracked files.
            let relative = root
                .strip_prefix(&workdir)
                .map_err(|_| Unavailable::NotARepository)?;
            let mut prefix = String::new();
            for part in relative.components() {
                prefix.push_str(&part.as_os_str().to_string_lossy());
                prefix.push('/');
            }
            prefix
        }
    };
    let mut repo = repo;
    repo.object_cache_size_if_unset(4 * 1024 * 1024);
    Ok(Opened { repo, prefix })
}

/// One commit as listed by the walk.
pub(crate) struct ListedCommit {
    pub id: ObjectId,
    /// Committer time, unix seconds.
    pub time: i64,
    pub parents: Vec<ObjectId>,
}

/// The commits to read, newest first.
pub(crate) struct Listing {
    pub commits: Vec<ListedCommit>,
    /// Boundary commits of a shallow clone (sorted): their parents are missing.
    pub shallow: Vec<ObjectId>,
    pub head_time: i64,
    /// Reasons the listing is incomplete.
    pub notes: Vec<String>,
}

/// Lists the commits reachable from `HEAD`, newest first, at most `max_commits` of them.
pub(crate) fn list_commits(
    repo: &gix::Repository,
    max_commits: Option<usize>,
) -> Result<Listing, Unavailable> {
    let head = repo
        .head()
        .map_err(|err| Unavailable::Corrupt(format!("reading HEAD: {err}")))?;
    if head.is_unborn() {
        return Err(Unavailable::NoCommits);
    }
    let head_id = repo
        .head_id()
        .map_err(|err| Unavailable::Corrupt(format!("resolving HEAD: {err}")))?
        .detach();
    let shallow: Vec<ObjectId> = match repo.shallow_commits() {
        Ok(Some(commits)) => {
            let mut ids = commits.iter().copied().collect::<Vec<_>>();
            ids.sort();
            ids
        }
        Ok(None) => Vec::new(),
        Err(err) => return Err(Unavailable::Corrupt(format!("reading .git/shallow: {err}"))),
    };
    let max_commits = max_commits.map(|max| max.max(1));
    let walk = repo
        .rev_walk([head_id])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .all()
        .map_err(|err| Unavailable::Corrupt(format!("starting the history walk: {err}")))?;

    let mut commits = Vec::new();
    let mut notes = Vec::new();
    for info in walk {
        if max_commits.is_some_and(|max| commits.len() >= max) {
            notes.push(format!(
                "commit limit: only the newest {} commits were read",
                commits.len()
            ));
            break;
        }
        match info {
            Ok(info) => {
                let time = match info.commit_time {
                    Some(time) => time,
                    None => match info.object().and_then(|commit| commit.time()) {
                        Ok(time) => time.seconds,
                        Err(err) => {
                            notes.push(format!("commit {} unreadable: {err}", info.id));
                            continue;
                        }
                    },
                };
                commits.push(ListedCommit {
                    id: info.id,
                    time,
                    parents: info.parent_ids.iter().copied().collect(),
                });
            }
            Err(err) => {
                notes.push(format!(
                    "history walk stopped after {} commits: {err}",
                    commits.len()
                ));
                break;
            }
        }
    }
    if commits.is_empty() {
        return Err(Unavailable::Corrupt(
            notes
                .pop()
                .unwrap_or_else(|| "HEAD leads to no readable commit".to_owned()),
        ));
    }
    let head_time = commits
        .iter()
        .find(|commit| commit.id == head_id)
        .map_or(commits[0].time, |commit| commit.time);
    Ok(Listing {
        commits,
        shallow,
        head_time,
        notes,
    })
}

/// Paths of the files (blobs and symlinks, not submodules) in `HEAD` under `prefix`, relative
/// to the repository root.
pub(crate) fn head_paths(repo: &gix::Repository, prefix: &str) -> Result<HashSet<String>, String> {
    let tree = repo
        .head_commit()
        .and_then(|commit| commit.tree())
        .map_err(|err| format!("reading the HEAD tree: {err}"))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|err| format!("listing the HEAD tree: {err}"))?;
    Ok(recorder
        .records
        .into_iter()
        .filter(|entry| entry.mode.is_blob_or_symlink())
        .map(|entry| entry.filepath.to_string())
        .filter(|path| path.starts_with(prefix))
        .collect())
}
