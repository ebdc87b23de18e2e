//! Diffs each listed commit against its first parent, on several threads: which files changed,
//! renamed from where, how many lines were added and removed, and who the (mailmap-resolved)
//! author is.
//!
//! Policy: blobs are compared as stored in git (`Mode::ToGit`): no filter, textconv or external
//! diff program configured by the repository is ever run. Binary blobs count 0 lines. Rename
//! detection is gix's rewrite tracking at git's default 50 % similarity, copies off.

use std::sync::atomic::{AtomicUsize, Ordering};

use gix::ObjectId;
use gix::bstr::BStr;
use gix::diff::blob::platform::prepare_diff::Operation;
use gix::diff::tree_with_rewrites::ChangeRef;
use gix::object::tree::EntryKind;

use crate::walk::ListedCommit;

/// One file changed by one commit.
pub(crate) struct FileChange {
    /// Repository-relative path after the commit.
    pub path: String,
    /// The path before the commit, if the file was renamed.
    pub renamed_from: Option<String>,
    pub added: u32,
    pub removed: u32,
}

/// What one commit did.
pub(crate) struct CommitDelta {
    /// Mailmap-resolved, lower-cased author email.
    pub author: String,
    pub changes: Vec<FileChange>,
}

/// Delta-base cache per thread. gix's default (a 64-slot LRU) thrashes on long delta chains
/// and doubled the run time on the benchmark repository; a memory-capped map of this size
/// made it faster than `git log` (see bench/history.sh).
const PACK_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Decoded-object cache per thread (trees shared between neighbouring commits).
const OBJECT_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// Commits handed to a worker at a time: large contiguous runs, because neighbouring commits
/// share delta bases in the pack cache, but several per thread so that a slow thread does
/// not hold up the others.
fn chunk_size(commits: usize, threads: usize) -> usize {
    (commits / (threads * 4)).clamp(64, 1024)
}

/// Diffs every commit in `commits` (merges and shallow boundaries yield no changes), using
/// `threads` threads. The result is in the order of `commits`; an unreadable commit yields
/// the reason instead.
pub(crate) fn diff_commits(
    repo: &gix::Repository,
    commits: &[ListedCommit],
    shallow: &[ObjectId],
    mailmap: &gix::mailmap::Snapshot,
    threads: usize,
) -> Vec<Result<CommitDelta, String>> {
    let threads = threads.min(commits.len().div_ceil(64)).max(1);
    let chunk = chunk_size(commits.len(), threads);
    let shared = repo.clone().into_sync();
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, Result<CommitDelta, String>)>> = Vec::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let shared = &shared;
                let next = &next;
                scope.spawn(move || {
                    let mut repo = shared.to_thread_local();
                    repo.object_cache_size(OBJECT_CACHE_BYTES);
                    repo.objects.set_pack_cache(|| {
                        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                            PACK_CACHE_BYTES,
                        ))
                    });
                    let mut worker = Worker::new(&repo, shallow, mailmap);
                    let mut out = Vec::new();
                    loop {
                        let start = next.fetch_add(chunk, Ordering::Relaxed);
                        if start >= commits.len() {
                            break;
                        }
                        let end = (start + chunk).min(commits.len());
                        for (index, commit) in commits.iter().enumerate().take(end).skip(start) {
                            out.push((index, worker.commit(commit)));
                        }
                    }
                    out
                })
            })
            .collect();
        for worker in workers {
            // A worker can only panic on a bug in gix or here; its commits are then reported
            // as unreadable below rather than taking the caller down.
            if let Ok(part) = worker.join() {
                parts.push(part);
            }
        }
    });
    let mut results: Vec<Option<Result<CommitDelta, String>>> = std::iter::repeat_with(|| None)
        .take(commits.len())
        .collect();
    for (index, result) in parts.into_iter().flatten() {
        results[index] = Some(result);
    }
    results
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err("diff worker failed".to_owned())))
        .collect()
}

/// Per-thread state: the repository handle, the two resource caches (one for the tree diff's
/// rename tracking, one for the line counts; gix borrows the first for the whole tree diff) and
/// the reusable tree-diff state.
struct Worker<'a> {
    repo: &'a gix::Repository,
    shallow: &'a [ObjectId],
    mailmap: &'a gix::mailmap::Snapshot,
    caches: Result<(gix::diff::blob::Platform, gix::diff::blob::Platform), String>,
    state: gix::diff::tree::State,
}

impl<'a> Worker<'a> {
    fn new(
        repo: &'a gix::Repository,
        shallow: &'a [ObjectId],
        mailmap: &'a gix::mailmap::Snapshot,
    ) -> Self {
        let cache = || {
            repo.diff_resource_cache(
                gix::diff::blob::pipeline::Mode::ToGit,
                gix::diff::blob::pipeline::WorktreeRoots::default(),
            )
            .map_err(|err| format!("preparing the blob diff: {err}"))
        };
        let caches = cache().and_then(|a| cache().map(|b| (a, b)));
        Worker {
            repo,
            shallow,
            mailmap,
            caches,
            state: Default::default(),
        }
    }

    fn commit(&mut self, listed: &ListedCommit) -> Result<CommitDelta, String> {
        let repo = self.repo;
        let id = listed.id;
        let commit = repo
            .find_commit(id)
            .map_err(|err| format!("commit {id}: {err}"))?;
        let author = commit
            .author()
            .map_err(|err| format!("commit {id}: reading the author: {err}"))?;
        let author = self
            .mailmap
            .resolve_cow(author)
            .email
            .to_string()
            .to_lowercase();
        let mut delta = CommitDelta {
            author,
            changes: Vec::new(),
        };
        // Merges are not diffed (as `git log --numstat` without `-m`); a shallow boundary's
        // parent is missing, so what it changed is unknown.
        if listed.parents.len() > 1 || self.shallow.binary_search(&id).is_ok() {
            return Ok(delta);
        }
        let new_tree = commit
            .tree()
            .map_err(|err| format!("commit {id}: reading its tree: {err}"))?;
        let old_tree = match listed.parents.first() {
            Some(parent) => Some(
                repo.find_commit(*parent)
                    .and_then(|parent| parent.tree())
                    .map_err(|err| format!("commit {id}: reading its parent's tree: {err}"))?,
            ),
            None => None,
        };
        let (rename_cache, line_cache) = self.caches.as_mut().map_err(|err| err.clone())?;
        let kind = repo.object_hash();
        let old_iter = old_tree
            .as_ref()
            .map_or(gix::objs::TreeRefIter::from_bytes(&[], kind), |tree| {
                gix::objs::TreeRefIter::from_bytes(&tree.data, kind)
            });
        let new_iter = gix::objs::TreeRefIter::from_bytes(&new_tree.data, kind);
        let options = gix::diff::tree_with_rewrites::Options {
            location: Some(gix::diff::tree::recorder::Location::Path),
            rewrites: Some(gix::diff::Rewrites::default()),
        };
        let mut line_error = None;
        let outcome = gix::diff::tree_with_rewrites(
            old_iter,
            new_iter,
            rename_cache,
            &mut self.state,
            &repo.objects,
            |change| {
                if let Some(file) = file_change(change, line_cache, &repo.objects, &mut line_error)
                {
                    delta.changes.push(file);
                }
                line_cache.clear_resource_cache_keep_allocation();
                Ok(std::ops::ControlFlow::Continue(()))
            },
            options,
        );
        rename_cache.clear_resource_cache_keep_allocation();
        outcome.map_err(|err| format!("commit {id}: diffing against its parent: {err}"))?;
        match line_error {
            Some(err) => Err(format!("commit {id}: {err}")),
            None => Ok(delta),
        }
    }
}

fn is_file(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::Blob | EntryKind::BlobExecutable | EntryKind::Link
    )
}

fn path(location: &BStr) -> String {
    location.to_string()
}

/// Turns one tree change into a file change with line counts; `None` for trees and submodules.
/// The first blob that cannot be read is kept in `error`.
fn file_change(
    change: ChangeRef<'_>,
    cache: &mut gix::diff::blob::Platform,
    objects: &gix::OdbHandle,
    error: &mut Option<String>,
) -> Option<FileChange> {
    let (location, renamed_from, kinds_are_files) = match change {
        ChangeRef::Addition {
            location,
            entry_mode,
            ..
        }
        | ChangeRef::Deletion {
            location,
            entry_mode,
            ..
        } => (location, None, is_file(entry_mode.kind())),
        ChangeRef::Modification {
            location,
            previous_entry_mode,
            entry_mode,
            ..
        } => (
            location,
            None,
            is_file(previous_entry_mode.kind()) && is_file(entry_mode.kind()),
        ),
        ChangeRef::Rewrite {
            source_location,
            source_entry_mode,
            location,
            entry_mode,
            diff,
            copy,
            ..
        } => {
            if !(is_file(source_entry_mode.kind()) && is_file(entry_mode.kind())) {
                return None;
            }
            let (added, removed) = diff.map_or((0, 0), |d| (d.insertions, d.removals));
            return Some(FileChange {
                path: path(location),
                // Copies are off; if one shows up, the source keeps its own history.
                renamed_from: (!copy).then(|| path(source_location)),
                added,
                removed,
            });
        }
    };
    if !kinds_are_files {
        // Type changes between file and tree/submodule: count the file side as changed with
        // unknown lines rather than guessing; trees and submodules themselves are skipped.
        return match change {
            ChangeRef::Modification { .. } => Some(FileChange {
                path: path(location),
                renamed_from,
                added: 0,
                removed: 0,
            }),
            _ => None,
        };
    }
    let (added, removed) = match line_counts(change, cache, objects) {
        Ok(counts) => counts,
        Err(err) => {
            error.get_or_insert(format!("diffing {location}: {err}"));
            (0, 0)
        }
    };
    Some(FileChange {
        path: path(location),
        renamed_from,
        added,
        removed,
    })
}

/// Lines added and removed by `change`; binary blobs count 0.
fn line_counts(
    change: ChangeRef<'_>,
    cache: &mut gix::diff::blob::Platform,
    objects: &gix::OdbHandle,
) -> Result<(u32, u32), String> {
    // Modifications whose content did not change (mode changes) need no diff.
    if let ChangeRef::Modification {
        previous_id, id, ..
    } = change
        && previous_id == id
    {
        return Ok((0, 0));
    }
    cache
        .set_resource_by_change(change, objects)
        .map_err(|err| err.to_string())?;
    // Never hand the diff to a configured external program.
    cache.options.skip_internal_diff_if_external_is_configured = false;
    let prepared = cache.prepare_diff().map_err(|err| err.to_string())?;
    match prepared.operation {
        Operation::InternalDiff { algorithm } => {
            let input = prepared.interned_input();
            let diff = gix::diff::blob::Diff::compute(algorithm, &input);
            Ok((diff.count_additions(), diff.count_removals()))
        }
        Operation::ExternalCommand { .. } | Operation::SourceOrDestinationIsBinary => Ok((0, 0)),
    }
}
