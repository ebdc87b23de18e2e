//! End-to-end tests of `read_history` on real repositories built with the `git` CLI in temp
//! dirs, with fixed authors and dates, asserting exact figures (and, for one generated repo,
//! agreement with `git log --numstat --no-renames`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use liability_history::{AuthorActivity, HistoryOptions, Unavailable, read_history};

const T0: i64 = 1_700_000_000; // 2023-11-14
const DAY: i64 = 86_400;

/// A scratch repository driven through the git CLI, isolated from the user's git config.
struct Repo {
    dir: tempfile::TempDir,
}

fn git_in(dir: &Path, args: &[&str], time: i64, name: &str, email: &str) -> String {
    let date = format!("@{time} +0000");
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        git_in(dir.path(), &["init", "-q", "-b", "main"], T0, "x", "x@x");
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, T0, "Tester", "tester@example.com")
    }

    fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let full = self.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, content).expect("write");
    }

    /// Stages everything and commits as `who` (`name <email>`-less: the email's local part is
    /// the name) at `time`.
    fn commit(&self, email: &str, time: i64) {
        let name = email.split('@').next().unwrap_or(email);
        git_in(self.path(), &["add", "-A"], time, name, email);
        git_in(
            self.path(),
            &["commit", "-q", "--allow-empty", "-m", "change"],
            time,
            name,
            email,
        );
    }
}

fn lines(n: std::ops::RangeInclusive<u32>) -> String {
    n.map(|i| format!("line {i}\n")).collect()
}

fn all_time() -> HistoryOptions {
    HistoryOptions {
        window_days: 100_000,
        ..HistoryOptions::default()
    }
}

fn authors(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter().map(|(e, n)| ((*e).to_owned(), *n)).collect()
}

#[test]
fn exact_figures_per_file_and_author() {
    let repo = Repo::new();
    repo.write("a.txt", "1\n2\n3\n");
    repo.write("b.txt", "x\n");
    repo.commit("alice@example.com", T0);
    repo.write("a.txt", "1\n2\n3\n4\n5\n");
    repo.write("b.txt", "y\n");
    repo.write("bin.dat", b"\x00\x01\x02\n\x00\n");
    repo.commit("bob@example.com", T0 + DAY);
    repo.write("a.txt", "1\ntwo\n3\n4\n5\n");
    repo.commit("Alice@Example.com", T0 + 2 * DAY);

    let history = read_history(repo.path(), &HistoryOptions::default()).expect("history");
    assert_eq!(history.partial, None);
    assert_eq!(history.head_time, T0 + 2 * DAY);
    assert_eq!(history.now, T0 + 2 * DAY);
    assert_eq!(history.commits_read, 3);
    assert_eq!(
        history.files.keys().collect::<Vec<_>>(),
        ["a.txt", "b.txt", "bin.dat"]
    );

    let a = &history.files["a.txt"];
    assert_eq!(a.total_commits, 3);
    assert_eq!(a.commits_in_window, 3);
    assert_eq!((a.lines_added, a.lines_removed), (3 + 2 + 1, 1));
    assert_eq!(
        a.authors,
        authors(&[("alice@example.com", 2), ("bob@example.com", 1)])
    );
    assert!((a.top_author_share - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!((a.first_change, a.last_change), (T0, T0 + 2 * DAY));

    let b = &history.files["b.txt"];
    assert_eq!((b.total_commits, b.lines_added, b.lines_removed), (2, 2, 1));
    assert_eq!(
        b.authors,
        authors(&[("alice@example.com", 1), ("bob@example.com", 1)])
    );
    assert!((b.top_author_share - 0.5).abs() < 1e-12);
    assert_eq!((b.first_change, b.last_change), (T0, T0 + DAY));

    let bin = &history.files["bin.dat"];
    assert_eq!(
        (bin.total_commits, bin.lines_added, bin.lines_removed),
        (1, 0, 0)
    );

    let expected: BTreeMap<String, AuthorActivity> = [
        (
            "alice@example.com".to_owned(),
            AuthorActivity {
                last_commit: T0 + 2 * DAY,
                commits: 2,
            },
        ),
        (
            "bob@example.com".to_owned(),
            AuthorActivity {
                last_commit: T0 + DAY,
                commits: 1,
            },
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(history.authors, expected);

    // One thread gives the same answer as several.
    let single = read_history(
        repo.path(),
        &HistoryOptions {
            threads: Some(1),
            ..HistoryOptions::default()
        },
    )
    .expect("history");
    assert_eq!(single, history);
}

#[test]
fn window_excludes_old_commits() {
    let repo = Repo::new();
    repo.write("a.txt", lines(1..=4));
    repo.commit("old@example.com", T0 - 400 * DAY);
    repo.write("a.txt", lines(1..=6));
    repo.commit("new@example.com", T0);

    let history = read_history(repo.path(), &HistoryOptions::default()).expect("history");
    let a = &history.files["a.txt"];
    assert_eq!((a.total_commits, a.commits_in_window), (2, 1));
    assert_eq!((a.lines_added, a.lines_removed), (2, 0));
    assert_eq!(a.authors, authors(&[("new@example.com", 1)]));
    assert_eq!((a.first_change, a.last_change), (T0 - 400 * DAY, T0));
    assert_eq!(
        history.authors["old@example.com"].last_commit,
        T0 - 400 * DAY
    );

    // An explicit `now` moves the window: 10 days ending just after the old commit.
    let then = read_history(
        repo.path(),
        &HistoryOptions {
            window_days: 10,
            now: Some(T0 - 395 * DAY),
            ..HistoryOptions::default()
        },
    )
    .expect("history");
    let a = &then.files["a.txt"];
    assert_eq!((a.total_commits, a.commits_in_window), (2, 1));
    assert_eq!((a.lines_added, a.lines_removed), (4, 0));
    assert_eq!(a.authors, authors(&[("old@example.com", 1)]));
    assert!((a.top_author_share - 1.0).abs() < 1e-12);

    // A window with no commits at all.
    let none = read_history(
        repo.path(),
        &HistoryOptions {
            window_days: 0,
            now: Some(T0 - 1),
            ..HistoryOptions::default()
        },
    )
    .expect("history");
    let a = &none.files["a.txt"];
    assert_eq!((a.commits_in_window, a.lines_added), (0, 0));
    assert!(a.authors.is_empty());
    assert_eq!(a.top_author_share, 0.0);
}

#[test]
fn rename_carries_history_to_the_new_path() {
    let repo = Repo::new();
    repo.write("lib.rs", lines(1..=10));
    repo.commit("alice@example.com", T0);
    repo.write("lib.rs", lines(1..=10).replace("line 5\n", "line five\n"));
    repo.commit("bob@example.com", T0 + DAY);
    repo.git(&["mv", "lib.rs", "core.rs"]);
    repo.write(
        "core.rs",
        lines(1..=10)
            .replace("line 5\n", "line five\n")
            .replace("line 10\n", "line ten\n"),
    );
    repo.commit("carol@example.com", T0 + 2 * DAY);
    repo.write("lib.rs", "pub mod core;\n");
    repo.commit("dave@example.com", T0 + 3 * DAY);

    let history = read_history(repo.path(), &all_time()).expect("history");
    assert_eq!(
        history.files.keys().collect::<Vec<_>>(),
        ["core.rs", "lib.rs"]
    );
    let core = &history.files["core.rs"];
    assert_eq!(core.total_commits, 3);
    assert_eq!((core.lines_added, core.lines_removed), (10 + 1 + 1, 1 + 1));
    assert_eq!(
        core.authors,
        authors(&[
            ("alice@example.com", 1),
            ("bob@example.com", 1),
            ("carol@example.com", 1)
        ])
    );
    assert_eq!((core.first_change, core.last_change), (T0, T0 + 2 * DAY));

    let lib = &history.files["lib.rs"];
    assert_eq!(
        (lib.total_commits, lib.lines_added, lib.lines_removed),
        (1, 1, 0)
    );
    assert_eq!(lib.authors, authors(&[("dave@example.com", 1)]));
    assert_eq!(lib.first_change, T0 + 3 * DAY);
}

#[test]
fn renames_chain_and_survive_a_move_into_the_scanned_root() {
    let repo = Repo::new();
    repo.write("old/a.txt", lines(1..=8));
    repo.commit("alice@example.com", T0);
    repo.git(&["mv", "old", "mid"]);
    repo.commit("bob@example.com", T0 + DAY);
    std::fs::create_dir(repo.path().join("src")).expect("mkdir");
    repo.git(&["mv", "mid/a.txt", "src/b.txt"]);
    repo.commit("carol@example.com", T0 + 2 * DAY);

    let history = read_history(&repo.path().join("src"), &all_time()).expect("history");
    assert_eq!(history.files.keys().collect::<Vec<_>>(), ["b.txt"]);
    let b = &history.files["b.txt"];
    assert_eq!(b.total_commits, 3);
    assert_eq!((b.lines_added, b.lines_removed), (8, 0));
    assert_eq!(b.first_change, T0);
}

#[test]
fn mailmap_merges_two_emails() {
    let repo = Repo::new();
    repo.write(
        ".mailmap",
        "Alice <alice@new.example> <alice@old.example>\n",
    );
    repo.write("a.txt", lines(1..=2));
    repo.commit("alice@old.example", T0);
    repo.write("a.txt", lines(1..=3));
    repo.commit("alice@new.example", T0 + DAY);
    repo.write("a.txt", lines(1..=4));
    repo.commit("ALICE@OLD.EXAMPLE", T0 + 2 * DAY);

    let history = read_history(repo.path(), &all_time()).expect("history");
    assert_eq!(
        history.authors.keys().collect::<Vec<_>>(),
        ["alice@new.example"]
    );
    assert_eq!(
        history.authors["alice@new.example"],
        AuthorActivity {
            last_commit: T0 + 2 * DAY,
            commits: 3
        }
    );
    let a = &history.files["a.txt"];
    assert_eq!(a.authors, authors(&[("alice@new.example", 3)]));
    assert!((a.top_author_share - 1.0).abs() < 1e-12);
}

/// Three commits: a.txt and b.txt at T0, a.txt at T0+1d, b.txt at T0+2d.
fn three_commit_repo() -> Repo {
    let repo = Repo::new();
    repo.write("a.txt", lines(1..=3));
    repo.write("b.txt", lines(11..=13));
    repo.commit("alice@example.com", T0);
    repo.write("a.txt", lines(1..=5));
    repo.commit("bob@example.com", T0 + DAY);
    repo.write("b.txt", lines(11..=14));
    repo.commit("carol@example.com", T0 + 2 * DAY);
    repo
}

fn shallow_clone(source: &Repo, depth: u32) -> (tempfile::TempDir, PathBuf) {
    let target = tempfile::tempdir().expect("temp dir");
    let clone = target.path().join("clone");
    let url = format!("file://{}", source.path().display());
    git_in(
        target.path(),
        &[
            "clone",
            "-q",
            "--depth",
            &depth.to_string(),
            &url,
            clone.to_str().expect("utf-8 temp path"),
        ],
        T0,
        "x",
        "x@x",
    );
    (target, clone)
}

#[test]
fn shallow_clone_returns_what_is_there() {
    let source = three_commit_repo();

    let (_keep, clone) = shallow_clone(&source, 1);
    let history = read_history(&clone, &all_time()).expect("history");
    assert_eq!(
        history.partial.as_deref(),
        Some("shallow clone: history starts at 2023-11-16")
    );
    assert_eq!(history.commits_read, 1);
    // What the boundary commit changed is unknown: no file is credited with it.
    assert!(history.files.is_empty());
    assert_eq!(
        history.authors.keys().collect::<Vec<_>>(),
        ["carol@example.com"]
    );
    assert_eq!(history.head_time, T0 + 2 * DAY);

    let (_keep, clone) = shallow_clone(&source, 2);
    let history = read_history(&clone, &all_time()).expect("history");
    assert_eq!(
        history.partial.as_deref(),
        Some("shallow clone: history starts at 2023-11-15")
    );
    assert_eq!(history.commits_read, 2);
    assert_eq!(history.files.keys().collect::<Vec<_>>(), ["b.txt"]);
    let b = &history.files["b.txt"];
    assert_eq!((b.total_commits, b.lines_added, b.lines_removed), (1, 1, 0));
    assert_eq!(b.authors, authors(&[("carol@example.com", 1)]));
}

#[test]
fn non_git_folder_is_not_a_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.txt"), "a\n").expect("write");
    assert_eq!(
        read_history(dir.path(), &HistoryOptions::default()),
        Err(Unavailable::NotARepository)
    );
    assert_eq!(
        read_history(&dir.path().join("missing"), &HistoryOptions::default()),
        Err(Unavailable::NotARepository)
    );
    assert_eq!(
        Unavailable::NotARepository.to_string(),
        "not inside a git repository"
    );
}

#[test]
fn empty_repository_has_no_commits() {
    let repo = Repo::new();
    repo.write("a.txt", "staged but never committed\n");
    repo.git(&["add", "a.txt"]);
    assert_eq!(
        read_history(repo.path(), &HistoryOptions::default()),
        Err(Unavailable::NoCommits)
    );
}

#[test]
fn scan_root_in_a_subdirectory_sees_only_its_files() {
    let repo = Repo::new();
    repo.write("README.md", lines(1..=2));
    repo.write("src/a.rs", lines(1..=3));
    repo.write("src/deep/b.rs", lines(1..=4));
    repo.write("docs/x.md", lines(1..=5));
    repo.commit("alice@example.com", T0);
    repo.write("docs/x.md", lines(1..=6));
    repo.commit("bob@example.com", T0 + DAY);
    repo.write("src/gone.rs", lines(1..=1));
    repo.commit("carol@example.com", T0 + 2 * DAY);
    repo.git(&["rm", "-q", "src/gone.rs"]);
    repo.commit("carol@example.com", T0 + 3 * DAY);

    let history = read_history(&repo.path().join("src"), &all_time()).expect("history");
    // Deleted files are not reported; paths are relative to the scanned root.
    assert_eq!(
        history.files.keys().collect::<Vec<_>>(),
        ["a.rs", "deep/b.rs"]
    );
    assert_eq!(history.files["deep/b.rs"].lines_added, 4);
    // Authors cover the whole repository.
    assert_eq!(history.authors.len(), 3);

    let deep = read_history(&repo.path().join("src/deep"), &all_time()).expect("history");
    assert_eq!(deep.files.keys().collect::<Vec<_>>(), ["b.rs"]);
}

#[test]
fn max_commits_keeps_the_newest_and_says_so() {
    let repo = three_commit_repo();
    let history = read_history(
        repo.path(),
        &HistoryOptions {
            max_commits: Some(2),
            ..all_time()
        },
    )
    .expect("history");
    assert_eq!(history.commits_read, 2);
    assert_eq!(
        history.partial.as_deref(),
        Some("commit limit: only the newest 2 commits were read")
    );
    // The oldest commit (which created both files) is not counted.
    assert_eq!(history.files["a.txt"].total_commits, 1);
    assert_eq!(history.files["b.txt"].total_commits, 1);

    // A limit of zero still reads HEAD.
    let head_only = read_history(
        repo.path(),
        &HistoryOptions {
            max_commits: Some(0),
            ..all_time()
        },
    )
    .expect("history");
    assert_eq!(head_only.commits_read, 1);
    assert_eq!(head_only.files.keys().collect::<Vec<_>>(), ["b.txt"]);
}

fn object_path(repo: &Repo, rev: &str) -> PathBuf {
    let id = repo.git(&["rev-parse", rev]);
    let id = id.trim();
    repo.path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..])
}

#[test]
fn missing_blob_degrades_to_partial() {
    let repo = three_commit_repo();
    // The first version of b.txt is needed by the first and the third commit's diffs.
    std::fs::remove_file(object_path(&repo, "HEAD~2:b.txt")).expect("remove blob");
    let history = read_history(repo.path(), &all_time()).expect("history");
    let partial = history.partial.expect("partial");
    assert!(
        partial.starts_with("2 commit(s) could not be read; first: commit "),
        "{partial}"
    );
    // The middle commit is intact.
    assert_eq!(history.files["a.txt"].total_commits, 1);
    assert_eq!(history.files["a.txt"].lines_added, 2);
    assert!(!history.files.contains_key("b.txt"));
}

#[test]
fn missing_head_commit_is_corrupt() {
    let repo = three_commit_repo();
    std::fs::remove_file(object_path(&repo, "HEAD")).expect("remove commit");
    match read_history(repo.path(), &HistoryOptions::default()) {
        Err(Unavailable::Corrupt(reason)) => assert!(!reason.is_empty()),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn configured_programs_never_run() {
    let repo = Repo::new();
    repo.write("a.txt", lines(1..=3));
    repo.commit("alice@example.com", T0);
    repo.write("a.txt", lines(1..=5));
    repo.write("pic.bin", b"\x00\x01\n");
    repo.commit("alice@example.com", T0 + DAY);
    // Configured only now, so that git itself never ran them while building the repo.
    let marker = tempfile::tempdir().expect("temp dir");
    let touch = |name: &str| format!("touch '{}'; cat", marker.path().join(name).display());
    repo.write(
        ".gitattributes",
        "*.txt diff=evil filter=evil\n*.bin diff=evil\n",
    );
    repo.git(&["add", ".gitattributes"]);
    for (key, value) in [
        ("diff.evil.textconv", touch("textconv")),
        ("diff.evil.command", touch("command")),
        ("diff.evil.binary", "false".to_owned()),
        ("filter.evil.smudge", touch("smudge")),
        ("filter.evil.clean", touch("clean")),
        ("filter.evil.process", touch("process")),
        ("core.fsmonitor", touch("fsmonitor")),
        ("core.hooksPath", marker.path().display().to_string()),
    ] {
        repo.git(&["config", key, &value]);
    }

    let history = read_history(repo.path(), &all_time()).expect("history");
    let a = &history.files["a.txt"];
    assert_eq!((a.total_commits, a.lines_added, a.lines_removed), (2, 5, 0));
    let leftovers: Vec<_> = std::fs::read_dir(marker.path())
        .expect("read marker dir")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert!(leftovers.is_empty(), "programs ran: {leftovers:?}");
}

/// A small deterministic pseudo-random generator, so the generated history is the same on
/// every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

#[test]
fn totals_match_git_log_numstat_without_renames() {
    let repo = Repo::new();
    let emails = ["ann@example.com", "ben@example.com", "cy@example.com"];
    let mut files: Vec<Vec<String>> = vec![Vec::new(); 8];
    let mut rng = Lcg(42);
    let mut serial = 0u32;
    let mut time = T0;
    for commit in 0..80 {
        for _ in 0..=rng.next(3) {
            let file = rng.next(files.len() as u64) as usize;
            let content = &mut files[file];
            let edits = 1 + rng.next(4);
            for _ in 0..edits {
                serial += 1;
                let at = rng.next(content.len() as u64 + 1) as usize;
                match rng.next(3) {
                    0 if !content.is_empty() && at < content.len() => {
                        content.remove(at);
                    }
                    1 if at < content.len() => content[at] = format!("changed {serial}"),
                    _ => content.insert(at, format!("added {serial}")),
                }
            }
            let text: String = content.iter().map(|l| format!("{l}\n")).collect();
            repo.write(&format!("dir{}/f{file}.txt", file % 3), text);
        }
        time += DAY / 2 + rng.next(1000) as i64;
        repo.commit(emails[commit % emails.len()], time);
        if commit == 50 {
            // A side branch and a merge: merges are not diffed by either side.
            repo.git(&["checkout", "-q", "-b", "side", "HEAD~3"]);
            repo.write("side.txt", lines(1..=7));
            time += 10;
            repo.commit("ben@example.com", time);
            repo.git(&["checkout", "-q", "main"]);
            time += 10;
            git_in(
                repo.path(),
                &["merge", "-q", "--no-ff", "-m", "merge", "side"],
                time,
                "ann",
                "ann@example.com",
            );
        }
    }

    // git's per-file figures: commits, added, removed.
    let log = repo.git(&["log", "--numstat", "--no-renames", "--format=", "HEAD"]);
    let mut expected: BTreeMap<String, (u32, u64, u64)> = BTreeMap::new();
    for line in log.lines().filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(3, '\t');
        let added: u64 = parts.next().and_then(|n| n.parse().ok()).expect("added");
        let removed: u64 = parts.next().and_then(|n| n.parse().ok()).expect("removed");
        let path = parts.next().expect("path").to_owned();
        let entry = expected.entry(path).or_default();
        entry.0 += 1;
        entry.1 += added;
        entry.2 += removed;
    }
    let history = read_history(
        repo.path(),
        &HistoryOptions {
            threads: Some(2),
            ..all_time()
        },
    )
    .expect("history");
    let actual: BTreeMap<String, (u32, u64, u64)> = history
        .files
        .iter()
        .map(|(path, f)| {
            (
                path.clone(),
                (f.total_commits, f.lines_added, f.lines_removed),
            )
        })
        .collect();
    assert_eq!(actual, expected);
    assert!(expected.values().map(|v| v.1).sum::<u64>() > 100);
    // 80 commits on main, one on the side branch, one merge.
    assert_eq!(history.commits_read, 82);
    assert_eq!(history.partial, None);
    // Two threads (two chunks of 64 and 18 commits) agree with one.
    let single = read_history(
        repo.path(),
        &HistoryOptions {
            threads: Some(1),
            ..all_time()
        },
    )
    .expect("history");
    assert_eq!(single, history);
}
