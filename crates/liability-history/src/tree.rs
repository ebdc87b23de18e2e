//! Reads the files of one revision straight from the git object store: the tree of a branch,
//! tag or commit under the scanned root, without a checkout.
//!
//! Policy: read only, like the rest of the crate. The work tree and the index are never read
//! or written, nothing the repository configures runs (blobs are returned as stored in git: no
//! clean/smudge filters, no textconv, no line-ending conversion), and nothing is fetched. A
//! revision that is not in the object store — not fetched, or beyond a shallow clone's
//! boundary — is an error that says how to fetch it; a damaged object is an error too, never a
//! panic and never a silently shorter list.

use std::fmt;
use std::path::Path;

use gix::ObjectId;
use gix::object::Kind;

use crate::Unavailable;

/// One file of the revision's tree under the scanned root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Path relative to the scanned root, `/`-separated (converted lossily if not UTF-8).
    pub path: String,
    /// What the file holds.
    pub content: TreeContent,
}

/// The content of a [`TreeFile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeContent {
    /// The blob's bytes, exactly as stored in git.
    Bytes(Vec<u8>),
    /// The blob is larger than the size limit; it was not read.
    TooLarge {
        /// Its size in bytes.
        size: u64,
    },
    /// A symbolic link; the target as stored (converted lossily if not UTF-8).
    Symlink {
        /// Where the link points.
        target: String,
    },
}

/// Why the tree of a revision could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeError {
    /// The scanned root is not inside a git repository.
    NotARepository,
    /// The revision does not name an object in the object store; `hint` says how to fetch it.
    RevisionNotFound {
        /// The revision as given.
        rev: String,
        /// What to run to make it available, e.g. ``(`git fetch origin main`, …)``.
        hint: String,
    },
    /// The repository or one of the revision's objects could not be read.
    Corrupt(String),
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeError::NotARepository => f.write_str("not inside a git repository"),
            TreeError::RevisionNotFound { rev, hint } => {
                write!(f, "revision `{rev}` not found; {hint}")
            }
            TreeError::Corrupt(reason) => write!(f, "the git repository is unreadable: {reason}"),
        }
    }
}

impl std::error::Error for TreeError {}

impl From<Unavailable> for TreeError {
    fn from(value: Unavailable) -> Self {
        match value {
            Unavailable::NotARepository => TreeError::NotARepository,
            Unavailable::NoCommits => TreeError::Corrupt("the repository has no commits".into()),
            Unavailable::Corrupt(reason) => TreeError::Corrupt(reason),
        }
    }
}

/// Reads every file under `scan_root` (a work tree or a folder inside one) as it is at `rev`
/// (anything `git rev-parse` understands that leads to a commit, tag or tree: `origin/main`,
/// `HEAD~1`, `v1.2`, a sha). Blobs over `max_file_size` bytes are listed as
/// [`TreeContent::TooLarge`] without being read; submodules are left out. Sorted by path.
///
/// A scanned root that does not exist at `rev` gives an empty list: everything is new.
pub fn read_tree(
    scan_root: &Path,
    rev: &str,
    max_file_size: u64,
) -> Result<Vec<TreeFile>, TreeError> {
    read_tree_filtered(scan_root, rev, max_file_size, |_| true)
}

/// Like [`read_tree`], but only reads the files whose path (relative to the scanned root) is
/// `wanted`; the others are left out, so large unrelated blobs are never decompressed.
pub fn read_tree_filtered(
    scan_root: &Path,
    rev: &str,
    max_file_size: u64,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<TreeFile>, TreeError> {
    let opened = crate::walk::open(scan_root)?;
    let repo = &opened.repo;
    let not_found = || TreeError::RevisionNotFound {
        rev: rev.to_owned(),
        hint: fetch_hint(repo, rev),
    };
    let id = repo
        .rev_parse_single(rev)
        .map_err(|_| not_found())?
        .detach();
    // `HEAD~1` at a shallow boundary, or a full sha, parses to an id whose object is missing.
    if !repo.has_object(id) {
        return Err(not_found());
    }
    let root_tree = peel_to_tree(repo, id)?;
    let prefix = opened.prefix.trim_end_matches('/');
    let tree = if prefix.is_empty() {
        Some(root_tree)
    } else {
        find_subtree(repo, root_tree, prefix)?
    };
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };

    let mut recorder = gix::traverse::tree::Recorder::default();
    repo.find_object(tree)
        .map_err(|err| TreeError::Corrupt(format!("reading tree {tree}: {err}")))?
        .try_into_tree()
        .map_err(|err| TreeError::Corrupt(format!("reading tree {tree}: {err}")))?
        .traverse()
        .breadthfirst(&mut recorder)
        .map_err(|err| TreeError::Corrupt(format!("listing the tree of `{rev}`: {err}")))?;

    let mut files = Vec::new();
    for entry in recorder.records {
        if !entry.mode.is_blob_or_symlink() {
            continue; // trees are recursed into; submodules (commits) are not ours to read
        }
        let path = entry.filepath.to_string();
        if !wanted(&path) && !entry.mode.is_link() {
            continue;
        }
        let content = if entry.mode.is_link() {
            let target = read_blob(repo, entry.oid, &path)?;
            TreeContent::Symlink {
                target: String::from_utf8_lossy(&target).into_owned(),
            }
        } else {
            let header = repo
                .find_header(entry.oid)
                .map_err(|err| TreeError::Corrupt(format!("reading `{path}`: {err}")))?;
            let size = header.size();
            if size > max_file_size {
                TreeContent::TooLarge { size }
            } else {
                TreeContent::Bytes(read_blob(repo, entry.oid, &path)?)
            }
        };
        files.push(TreeFile { path, content });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn read_blob(repo: &gix::Repository, id: ObjectId, path: &str) -> Result<Vec<u8>, TreeError> {
    let object = repo
        .find_object(id)
        .map_err(|err| TreeError::Corrupt(format!("reading `{path}`: {err}")))?;
    if object.kind != Kind::Blob {
        return Err(TreeError::Corrupt(format!(
            "`{path}` is a {} where a blob was expected",
            object.kind
        )));
    }
    Ok(object.detach().data)
}

/// Follows tags and commits to a tree, without trusting the objects to be well formed.
fn peel_to_tree(repo: &gix::Repository, mut id: ObjectId) -> Result<ObjectId, TreeError> {
    // Tags may point at tags; a chain this long is a loop or an attack, not a repository.
    for _ in 0..64 {
        let object = repo
            .find_object(id)
            .map_err(|err| TreeError::Corrupt(format!("reading object {id}: {err}")))?;
        id = match object.kind {
            Kind::Tree => return Ok(id),
            Kind::Blob => {
                return Err(TreeError::Corrupt(format!(
                    "object {id} is a file, not a commit, tag or tree"
                )));
            }
            Kind::Commit => object
                .try_into_commit()
                .and_then(|commit| commit.tree_id().map(gix::Id::detach))
                .map_err(|err| TreeError::Corrupt(format!("reading commit {id}: {err}")))?,
            Kind::Tag => object
                .try_into_tag()
                .and_then(|tag| tag.target_id().map(gix::Id::detach))
                .map_err(|err| TreeError::Corrupt(format!("reading tag {id}: {err}")))?,
        };
    }
    Err(TreeError::Corrupt(format!(
        "object {id}: too many tags in a chain"
    )))
}

/// The tree at `prefix` (`a/b`) below `root`, `None` if there is none (the folder did not
/// exist at that revision, or was a file then).
fn find_subtree(
    repo: &gix::Repository,
    root: ObjectId,
    prefix: &str,
) -> Result<Option<ObjectId>, TreeError> {
    let mut current = root;
    for part in prefix.split('/').filter(|part| !part.is_empty()) {
        let object = repo
            .find_object(current)
            .map_err(|err| TreeError::Corrupt(format!("reading tree {current}: {err}")))?;
        let tree = object
            .try_into_tree()
            .map_err(|err| TreeError::Corrupt(format!("reading tree {current}: {err}")))?;
        let mut next = None;
        for entry in tree.iter() {
            let entry = entry
                .map_err(|err| TreeError::Corrupt(format!("reading tree {current}: {err}")))?;
            if entry.inner.filename == part.as_bytes() {
                next = entry
                    .inner
                    .mode
                    .is_tree()
                    .then(|| entry.inner.oid.to_owned());
                break;
            }
        }
        match next {
            Some(id) => current = id,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// What to run to make `rev` available: fetch its branch from its remote, or deepen a
/// shallow clone.
fn fetch_hint(repo: &gix::Repository, rev: &str) -> String {
    // The name part of `origin/main~2`, `v1.0^{commit}`, `main@{1}`.
    let name = rev
        .split(['~', '^', '@', ':'])
        .next()
        .unwrap_or(rev)
        .trim_start_matches("refs/remotes/");
    let remotes: Vec<String> = repo
        .remote_names()
        .into_iter()
        .map(|name| name.to_string())
        .collect();
    let remote_branch = name.split_once('/').filter(|(remote, branch)| {
        !branch.is_empty() && remotes.iter().any(|known| known == remote)
    });
    let fetch = match remote_branch {
        Some((remote, branch)) => Some(format!("git fetch {remote} {branch}")),
        None if name.is_empty() || name == "HEAD" || name.contains('/') => None,
        None => {
            let has_origin = remotes.iter().any(|r| r == "origin");
            let remote = remotes
                .first()
                .filter(|_| !has_origin)
                .map_or("origin", String::as_str);
            Some(format!("git fetch {remote} {name}"))
        }
    };
    match fetch {
        Some(fetch) => {
            format!("fetch it first (`{fetch}`, or `git fetch --unshallow` in a shallow clone)")
        }
        None => "fetch it first (`git fetch --unshallow` in a shallow clone)".to_owned(),
    }
}
