//! Choosing the files to analyse from an in-memory file list (a git revision's tree), with the
//! disk walk's rules as far as they apply.
//!
//! The rules, in the walk's order of precedence: the default excludes and `--exclude` globs
//! first; then the ignore files found in the list (`.liabilityignore` over `.ignore` over
//! `.gitignore`, the nearest folder's match winning within each); then hidden files and folders
//! are skipped. Every folder on a file's path is checked before the file, as the walk would
//! never enter an excluded folder. Ignore files above the scanned root do not apply (the walk
//! does not read them either), nor does `.git/info/exclude`. Symbolic links are never followed;
//! they are listed as skipped when they look like source files or folders.
//!
//! Policy: nothing here touches the disk; only names and sizes are looked at.

use crate::walk::{DEFAULT_EXCLUDES, is_build_output};
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::{Override, OverrideBuilder};
use liability_model::{SkipReason, Skipped};
use std::collections::BTreeMap;
use std::path::Path;

/// The content of one file of an in-memory list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    /// The file's bytes.
    Bytes(Vec<u8>),
    /// The file was too large to be read; its size in bytes.
    TooLarge(u64),
    /// A symbolic link and its target.
    Symlink(String),
}

/// Ignore files, by precedence (highest first), as the walk reads them.
const IGNORE_FILES: [&str; 3] = [".liabilityignore", ".ignore", ".gitignore"];

/// A file chosen for analysis.
pub(crate) struct Chosen {
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// What the selection produced: the files to analyse and what was skipped.
pub(crate) struct Selection {
    pub files: Vec<Chosen>,
    pub skipped: Vec<Skipped>,
}

/// Applies the walk's rules to `files` (paths relative to the scanned root, `/`-separated).
pub(crate) fn select(
    files: Vec<(String, FileContent)>,
    max_file_size: u64,
    exclude: &[String],
    wanted: fn(&Path) -> bool,
) -> Result<Selection, ignore::Error> {
    let overrides = overrides(exclude)?;
    let ignores = ignore_files(&files);
    let folders = folders(&files);
    let mut out = Selection {
        files: Vec::new(),
        skipped: Vec::new(),
    };
    for (rel, content) in files {
        let rel = rel.trim_start_matches('/').to_owned();
        if rel.is_empty() || !included(&rel, &overrides, &ignores) || beside_sources(&rel, &folders)
        {
            continue;
        }
        let path = Path::new(&rel);
        let is_link = matches!(content, FileContent::Symlink(_));
        let listed_link = is_link && path.extension().is_none();
        if !listed_link && !wanted(path) {
            continue;
        }
        match content {
            FileContent::Symlink(target) => out.skipped.push(Skipped {
                path: rel,
                reason: SkipReason::Symlink,
                detail: format!("symbolic link to {target} (not followed)"),
            }),
            FileContent::TooLarge(size) => out.skipped.push(too_large(rel, size, max_file_size)),
            FileContent::Bytes(bytes) if bytes.len() as u64 > max_file_size => {
                out.skipped
                    .push(too_large(rel, bytes.len() as u64, max_file_size));
            }
            FileContent::Bytes(bytes) => out.files.push(Chosen { rel, bytes }),
        }
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.skipped.sort();
    Ok(out)
}

fn too_large(path: String, size: u64, max: u64) -> Skipped {
    Skipped {
        path,
        reason: SkipReason::TooLarge,
        detail: format!("{size} bytes, over the {max} byte limit"),
    }
}

/// The default excludes and `--exclude` globs, as the walk builds them.
fn overrides(exclude: &[String]) -> Result<Override, ignore::Error> {
    let mut builder = OverrideBuilder::new(".");
    for pattern in DEFAULT_EXCLUDES {
        builder.add(pattern)?;
    }
    for pattern in exclude {
        let negated = match pattern.strip_prefix('!') {
            Some(rest) => rest.to_owned(),
            None => format!("!{pattern}"),
        };
        builder.add(&negated)?;
    }
    builder.build()
}

/// Folders as the walk would see them: each folder's path (`""` for the root) joined with
/// the name of a folder inside it (`"pkg/src"`).
fn folders(files: &[(String, FileContent)]) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for (rel, _) in files {
        let parts: Vec<&str> = rel.trim_start_matches('/').split('/').collect();
        for i in 1..parts.len() {
            out.insert(parts[..i].join("/"));
        }
    }
    out
}

/// Whether a folder on `rel`'s path is build output beside its sources or its twin build
/// (the walk's `is_build_output`).
fn beside_sources(rel: &str, folders: &std::collections::BTreeSet<String>) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    (0..parts.len().saturating_sub(1)).any(|i| {
        let parent = parts[..i].join("/");
        is_build_output(parts[i], |sibling| {
            let path = if parent.is_empty() {
                sibling.to_owned()
            } else {
                format!("{parent}/{sibling}")
            };
            folders.contains(&path)
        })
    })
}

/// The ignore files in the list: folder (`""` for the root, else `a/b`) → matchers by
/// precedence. An unreadable or malformed line is skipped, as the walk does.
fn ignore_files(files: &[(String, FileContent)]) -> BTreeMap<String, [Option<Gitignore>; 3]> {
    let mut out: BTreeMap<String, [Option<Gitignore>; 3]> = BTreeMap::new();
    for (rel, content) in files {
        let FileContent::Bytes(bytes) = content else {
            continue;
        };
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
        let Some(rank) = IGNORE_FILES.iter().position(|f| *f == name) else {
            continue;
        };
        let mut builder = GitignoreBuilder::new(".");
        for line in String::from_utf8_lossy(bytes).lines() {
            let _ = builder.add_line(None, line);
        }
        if let Ok(matcher) = builder.build() {
            out.entry(dir.to_owned()).or_default()[rank] = Some(matcher);
        }
    }
    out
}

/// Whether the walk would reach `rel`: every folder on its way, then the file itself.
fn included(
    rel: &str,
    overrides: &Override,
    ignores: &BTreeMap<String, [Option<Gitignore>; 3]>,
) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    (1..=parts.len()).all(|end| {
        let is_dir = end < parts.len();
        let path = parts[..end].join("/");
        match overrides.matched(&path, is_dir) {
            Match::Ignore(_) => return false,
            Match::Whitelist(_) => return true,
            Match::None => {}
        }
        match ignored_by_files(&parts[..end], is_dir, ignores) {
            Match::Ignore(()) => false,
            Match::Whitelist(()) => true,
            Match::None => !parts[end - 1].starts_with('.'),
        }
    })
}

/// The verdict of the ignore files on `parts` (a path split in components): per kind of
/// ignore file, the nearest folder with a match decides; kinds are tried by precedence.
fn ignored_by_files(
    parts: &[&str],
    is_dir: bool,
    ignores: &BTreeMap<String, [Option<Gitignore>; 3]>,
) -> Match<()> {
    for rank in 0..IGNORE_FILES.len() {
        // Folders holding the path, nearest first: `a/b`, `a`, the root.
        for depth in (0..parts.len()).rev() {
            let dir = parts[..depth].join("/");
            let Some(matcher) = ignores.get(&dir).and_then(|m| m[rank].as_ref()) else {
                continue;
            };
            let below = parts[depth..].join("/");
            match matcher.matched(&below, is_dir) {
                Match::Ignore(_) => return Match::Ignore(()),
                Match::Whitelist(_) => return Match::Whitelist(()),
                Match::None => {}
            }
        }
    }
    Match::None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select_paths(files: &[(&str, &str)], exclude: &[&str]) -> (Vec<String>, Vec<String>) {
        let files = files
            .iter()
            .map(|(p, c)| ((*p).to_owned(), FileContent::Bytes(c.as_bytes().to_vec())))
            .collect();
        let exclude: Vec<String> = exclude.iter().map(|s| (*s).to_owned()).collect();
        let out = select(files, 1 << 20, &exclude, |p| {
            crate::frontend::kind_of(p).is_some()
        })
        .unwrap();
        (
            out.files.into_iter().map(|f| f.rel).collect(),
            out.skipped.into_iter().map(|s| s.path).collect(),
        )
    }

    #[test]
    fn walk_rules_apply_to_a_file_list() {
        let (files, skipped) = select_paths(
            &[
                ("src/lib.rs", ""),
                ("src/gen/out.rs", ""),
                ("src/gen/keep.rs", ""),
                ("src/gen/.liabilityignore", "!keep.rs\n"),
                (".liabilityignore", "src/gen/\nlegacy/*.py\n"),
                ("legacy/old.py", ""),
                ("legacy/sub/deeper.py", ""),
                ("target/debug/build.rs", ""),
                ("web/node_modules/x/index.js", ""),
                ("web/app.min.js", ""),
                ("web/app.js", ""),
                ("web/dist/app.js", ""),
                ("web/src/app.ts", ""),
                ("pkg/dist/esm/mail.js", ""),
                ("exit/dist/cjs/index.js", ""),
                ("exit/dist/mjs/index.js", ""),
                ("client/lib/http.js", ""),
                ("client/dist/client.cjs", ""),
                (".github/workflows/ci.yml", ""),
                ("tools/.hidden.rs", ""),
                ("scratch/a.rs", ""),
                ("README.md", ""),
            ],
            &["scratch/"],
        );
        // `src/gen/` is excluded as a folder: the whitelist inside it is never reached.
        // `web/dist/` is the build of `web/src/`, `client/dist/` the bundle of `client/lib/`;
        // `pkg/dist/` has no sources beside it; `exit/dist/mjs/` is the twin of `cjs/`.
        assert_eq!(
            files,
            [
                "client/lib/http.js",
                "exit/dist/cjs/index.js",
                "legacy/sub/deeper.py",
                "pkg/dist/esm/mail.js",
                "src/lib.rs",
                "web/app.js",
                "web/src/app.ts"
            ]
        );
        assert!(skipped.is_empty());
    }

    #[test]
    fn large_files_and_links_are_listed_as_skipped() {
        let files = vec![
            ("a.rs".to_owned(), FileContent::TooLarge(5000)),
            ("b.rs".to_owned(), FileContent::Bytes(vec![b'x'; 11])),
            ("c.rs".to_owned(), FileContent::Symlink("a.rs".to_owned())),
            ("d".to_owned(), FileContent::Symlink("src".to_owned())),
            ("e.txt".to_owned(), FileContent::Symlink("x".to_owned())),
        ];
        let out = select(files, 10, &[], |p| crate::frontend::kind_of(p).is_some()).unwrap();
        assert!(out.files.is_empty());
        let skipped: Vec<(String, SkipReason, String)> = out
            .skipped
            .into_iter()
            .map(|s| (s.path, s.reason, s.detail))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    "a.rs".to_owned(),
                    SkipReason::TooLarge,
                    "5000 bytes, over the 10 byte limit".to_owned()
                ),
                (
                    "b.rs".to_owned(),
                    SkipReason::TooLarge,
                    "11 bytes, over the 10 byte limit".to_owned()
                ),
                (
                    "c.rs".to_owned(),
                    SkipReason::Symlink,
                    "symbolic link to a.rs (not followed)".to_owned()
                ),
                (
                    "d".to_owned(),
                    SkipReason::Symlink,
                    "symbolic link to src (not followed)".to_owned()
                ),
            ]
        );
    }
}
