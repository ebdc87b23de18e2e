//! Folds the per-commit diffs into per-file and per-author figures, following renames.
//!
//! Commits are folded newest first. A rename `old -> new` makes every older change to `old`
//! count for whatever `new` is called in `HEAD` (an alias map from old paths to their final
//! names), so a file's history survives any number of renames. Only files present in `HEAD`
//! under the scanned root are reported.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diff::CommitDelta;
use crate::walk::Listing;
use crate::{AuthorActivity, FileHistory, History, HistoryOptions};

/// Running figures for one final path.
#[derive(Default)]
struct Acc {
    /// 1 + index of the last commit counted, so a commit counts once per file.
    stamp: usize,
    total_commits: u32,
    first_change: i64,
    last_change: i64,
    commits_in_window: u32,
    added: u64,
    removed: u64,
    /// (author index, commits in window).
    authors: Vec<(usize, u32)>,
}

pub(crate) fn fold(
    prefix: &str,
    listing: &Listing,
    deltas: Vec<Result<CommitDelta, String>>,
    head_paths: Result<HashSet<String>, String>,
    options: &HistoryOptions,
) -> History {
    let newest = listing
        .commits
        .iter()
        .map(|commit| commit.time)
        .max()
        .unwrap_or(listing.head_time);
    let now = options.now.unwrap_or(newest);
    let window_start = now.saturating_sub(i64::from(options.window_days) * 86_400);
    let in_window = |time: i64| window_start <= time && time <= now;

    let mut notes = Vec::new();
    if !listing.shallow.is_empty() {
        let oldest = listing
            .commits
            .iter()
            .map(|commit| commit.time)
            .min()
            .unwrap_or(newest);
        notes.push(format!(
            "shallow clone: history starts at {}",
            crate::date::ymd(oldest)
        ));
    }
    notes.extend(listing.notes.iter().cloned());

    let mut author_names: Vec<String> = Vec::new();
    let mut author_index: HashMap<String, usize> = HashMap::new();
    let mut author_activity: Vec<AuthorActivity> = Vec::new();
    let mut file_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut accs: Vec<Acc> = Vec::new();
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut new_aliases: Vec<(String, String)> = Vec::new();
    let mut unreadable = 0usize;
    let mut first_error = None;

    for (index, (listed, delta)) in listing.commits.iter().zip(deltas).enumerate() {
        let delta = match delta {
            Ok(delta) => delta,
            Err(err) => {
                unreadable += 1;
                first_error.get_or_insert(err);
                continue;
            }
        };
        let time = listed.time;
        let author = *author_index
            .entry(delta.author)
            .or_insert_with_key(|email| {
                author_names.push(email.clone());
                author_activity.push(AuthorActivity {
                    last_commit: time,
                    commits: 0,
                });
                author_names.len() - 1
            });
        let activity = &mut author_activity[author];
        activity.commits += 1;
        activity.last_commit = activity.last_commit.max(time);

        for change in delta.changes {
            let name = alias.get(&change.path).cloned().unwrap_or(change.path);
            let slot = match file_index.get(&name) {
                Some(&slot) => slot,
                None => {
                    accs.push(Acc {
                        first_change: time,
                        last_change: time,
                        ..Acc::default()
                    });
                    file_index.insert(name.clone(), accs.len() - 1);
                    accs.len() - 1
                }
            };
            let acc = &mut accs[slot];
            if acc.stamp != index + 1 {
                acc.stamp = index + 1;
                acc.total_commits += 1;
                acc.first_change = acc.first_change.min(time);
                acc.last_change = acc.last_change.max(time);
                if in_window(time) {
                    acc.commits_in_window += 1;
                    match acc.authors.iter_mut().find(|(who, _)| *who == author) {
                        Some((_, count)) => *count += 1,
                        None => acc.authors.push((author, 1)),
                    }
                }
            }
            if in_window(time) {
                acc.added += u64::from(change.added);
                acc.removed += u64::from(change.removed);
            }
            if let Some(old) = change.renamed_from {
                new_aliases.push((old, name));
            }
        }
        // Applied after the commit: a path renamed away and re-created in the same commit
        // belongs to the new file there, and to the renamed one only before.
        alias.extend(new_aliases.drain(..));
    }

    if unreadable > 0 {
        notes.push(format!(
            "{unreadable} commit(s) could not be read; first: {}",
            first_error.unwrap_or_default()
        ));
    }
    let head_paths = match head_paths {
        Ok(paths) => Some(paths),
        Err(err) => {
            notes.push(format!("{err}; deleted files may be listed"));
            None
        }
    };

    let mut files = BTreeMap::new();
    for (name, slot) in file_index {
        let Some(relative) = name.strip_prefix(prefix) else {
            continue;
        };
        if head_paths
            .as_ref()
            .is_some_and(|paths| !paths.contains(&name))
        {
            continue;
        }
        let acc = &accs[slot];
        let mut authors: Vec<(String, u32)> = acc
            .authors
            .iter()
            .map(|&(who, count)| (author_names[who].clone(), count))
            .collect();
        authors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let top_author_share = match (authors.first(), acc.commits_in_window) {
            (Some((_, top)), total) if total > 0 => f64::from(*top) / f64::from(total),
            _ => 0.0,
        };
        files.insert(
            relative.to_owned(),
            FileHistory {
                commits_in_window: acc.commits_in_window,
                lines_added: acc.added,
                lines_removed: acc.removed,
                authors,
                top_author_share,
                first_change: acc.first_change,
                last_change: acc.last_change,
                total_commits: acc.total_commits,
            },
        );
    }

    History {
        files,
        authors: author_names.into_iter().zip(author_activity).collect(),
        head_time: listing.head_time,
        now,
        commits_read: listing.commits.len(),
        partial: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}
