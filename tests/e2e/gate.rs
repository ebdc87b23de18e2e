//! The CI gate end to end: `baseline` then `check` over real git repositories built in a
//! temporary directory from the demo fixture, commit by commit.

use crate::support::{fixtures_dir, liability};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A throw-away git repository holding a copy of the demo monolith, with its baseline.
struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn demo() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shop");
        copy_tree(&fixtures_dir().join("demo-monolith"), &root);
        let repo = Repo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.commit("initial shop");
        let out = liability()
            .args(["baseline", repo.path()])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        repo.commit("baseline");
        repo
    }

    fn path(&self) -> &str {
        self.root.to_str().unwrap()
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args([
                "-c",
                "core.hooksPath=/dev/null",
                "-c",
                "commit.gpgsign=false",
            ])
            .args([
                "-c",
                "user.name=Dev",
                "-c",
                "user.email=dev@example.invalid",
            ])
            .args(args)
            .current_dir(&self.root)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `check` with `extra` arguments and returns (exit code, stdout, stderr).
    fn check(&self, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec!["check", self.path()];
        args.extend_from_slice(extra);
        let out = liability()
            .args(&args)
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn retry_loop_source() -> String {
    std::fs::read_to_string(fixtures_dir().join("rules/hand-rolled-retry-loop/bad.rs")).unwrap()
}

#[test]
fn unchanged_repository_passes() {
    let repo = Repo::demo();
    let (code, out, err) = repo.check(&[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("liability check passed"), "{out}");
}

#[test]
fn a_commit_adding_a_retry_loop_fails_and_names_it() {
    let repo = Repo::demo();
    repo.write("src/integrations/payments.rs", &retry_loop_source());
    repo.commit("add a payments client");
    let (code, out, _) = repo.check(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED: liability rose"), "{out}");
    assert!(
        out.contains("new retry finding src/integrations/payments.rs:"),
        "{out}"
    );
    assert!(out.contains("hand-rolled-retry-loop"), "{out}");
    // The same change passes when new findings are allowed and the total may rise.
    let (code, out, _) = repo.check(&["--allow-new", "--tolerance-ratio", "1"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_commit_deleting_infrastructure_passes_and_suggests_a_refresh() {
    let repo = Repo::demo();
    std::fs::remove_file(repo.root.join("src/catalog/store.rs")).unwrap();
    repo.commit("use moka instead of our own cache");
    let (code, out, _) = repo.check(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("gone   cache src/catalog/store.rs"), "{out}");
    assert!(out.contains("run `liability baseline`"), "{out}");
}

#[test]
fn moving_a_file_or_inserting_lines_above_a_finding_does_not_fail() {
    let repo = Repo::demo();
    std::fs::create_dir_all(repo.root.join("src/storefront")).unwrap();
    repo.git(&["mv", "src/catalog/store.rs", "src/storefront/lru.rs"]);
    let warehouse = repo.root.join("src/integrations/warehouse.rs");
    let text = std::fs::read_to_string(&warehouse).unwrap();
    let header = "// Talks to the warehouse API.\n\nuse std::time::Instant;\n\n".repeat(3);
    std::fs::write(&warehouse, format!("{header}{text}")).unwrap();
    repo.commit("reorganise");
    let (code, out, _) = repo.check(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("new "),
        "a moved finding must not look new:\n{out}"
    );
}

#[test]
fn a_small_bug_fix_inside_a_component_passes_a_rewrite_fails() {
    let repo = Repo::demo();
    let store = repo.root.join("src/catalog/store.rs");
    let text = std::fs::read_to_string(&store).unwrap();
    let anchor = "    pub fn len(&self) -> usize {";
    let fixed = text.replacen(anchor, &format!("    // Fix: a zero capacity used to panic.\n    fn guard(&self) -> bool {{ self.cap > 0 }}\n\n{anchor}"), 1);
    assert_ne!(fixed, text, "fixture shape changed");
    std::fs::write(&store, &fixed).unwrap();
    repo.commit("fix a panic");
    let (code, out, _) = repo.check(&[]);
    assert_eq!(code, 0, "{out}");

    let helpers: String = (0..40)
        .map(|i| format!("    fn helper_{i}(&self) -> usize {{ self.cap + {i} }}\n"))
        .collect();
    std::fs::write(
        &store,
        fixed.replacen(anchor, &format!("{helpers}{anchor}"), 1),
    )
    .unwrap();
    repo.commit("grow the cache");
    let (code, out, _) = repo.check(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("grew from"), "{out}");
}

#[test]
fn every_bad_baseline_exits_2_with_a_one_line_cause() {
    let repo = Repo::demo();
    let good = std::fs::read_to_string(repo.root.join(".liability/baseline.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "is empty"),
        (
            "truncated",
            good[..good.len() / 2].to_owned(),
            "is truncated",
        ),
        ("malformed", good.replacen('{', "{,", 1), "is malformed"),
        (
            "newer",
            good.replacen("\"schema_version\": 1", "\"schema_version\": 7", 1),
            "newer than",
        ),
        (
            "older",
            good.replacen("\"schema_version\": 1", "\"schema_version\": 0", 1),
            "older than",
        ),
        ("not-json", "baseline: yes\n".to_owned(), "is malformed"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, text).unwrap();
        let (code, out, err) = repo.check(&["--baseline", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            out.is_empty(),
            "{name}: nothing on stdout when the gate cannot run: {out}"
        );
    }
    let missing = dir.path().join("missing.json");
    let (code, _, err) = repo.check(&["--baseline", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not found"), "{err}");
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(64 * 1024 * 1024)
        .unwrap();
    let (code, _, err) = repo.check(&["--baseline", huge.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("over the"), "{err}");
}

#[test]
fn github_actions_gets_annotations_and_a_job_summary() {
    let repo = Repo::demo();
    repo.write("src/integrations/payments.rs", &retry_loop_source());
    let summary = repo._dir.path().join("summary.md");
    let out = liability()
        .args(["check", repo.path()])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=src/integrations/payments.rs,line="),
        "{stdout}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("## liability check: ❌ liability rose"),
        "{md}"
    );
    assert!(md.contains("| new | retry |"), "{md}");
}

#[test]
fn baseline_is_deterministic() {
    let repo = Repo::demo();
    let first = std::fs::read(repo.root.join(".liability/baseline.json")).unwrap();
    let out = liability()
        .args(["baseline", repo.path(), "-j", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read(repo.root.join(".liability/baseline.json")).unwrap(),
        first
    );
}

/// `git status --porcelain` of the repository.
fn porcelain(root: &Path) -> String {
    let out = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn base_ref_a_branch_adding_a_retry_loop_fails_and_names_it() {
    let repo = Repo::demo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/integrations/payments.rs", &retry_loop_source());
    repo.commit("add a payments client");
    let (code, out, err) = repo.check(&["--base", "main"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("FAILED: liability rose"), "{out}");
    assert!(
        out.contains("new retry finding src/integrations/payments.rs:"),
        "{out}"
    );
    // Nothing else is new: the base side sees the same files the same way.
    for line in out.lines().filter(|l| l.contains("new ")) {
        assert!(line.contains("src/integrations/payments.rs"), "{out}");
    }
    // The same revision against itself passes.
    let (code, out, _) = repo.check(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn base_ref_a_branch_that_only_moves_a_file_passes() {
    let repo = Repo::demo();
    repo.git(&["checkout", "-q", "-b", "reorganise"]);
    std::fs::create_dir_all(repo.root.join("src/storefront")).unwrap();
    repo.git(&["mv", "src/catalog/store.rs", "src/storefront/lru.rs"]);
    repo.commit("move the cache");
    let (code, out, err) = repo.check(&["--base", "main"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("new "), "{out}");
}

#[test]
fn base_ref_missing_exits_2_with_a_fetch_hint() {
    let repo = Repo::demo();
    let (code, out, err) = repo.check(&["--base", "no-such-ref"]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(
        err.trim_end(),
        "error: revision `no-such-ref` not found; fetch it first (`git fetch origin no-such-ref`, or `git fetch --unshallow` in a shallow clone)"
    );
    assert!(out.is_empty(), "{out}");

    // A shallow clone has no parent commit to compare with.
    let shallow = repo._dir.path().join("shallow");
    let status = Command::new("git")
        .args([
            "-c",
            "protocol.file.allow=always",
            "clone",
            "-q",
            "--depth",
            "1",
        ])
        .arg(format!("file://{}", repo.path()))
        .arg(&shallow)
        .status()
        .unwrap();
    assert!(status.success());
    let out = liability()
        .args(["check", shallow.to_str().unwrap(), "--base", "HEAD~1"])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("revision `HEAD~1` not found"), "{err}");
    assert!(err.contains("git fetch --unshallow"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // --base and --baseline do not mix.
    let (code, _, err) = repo.check(&["--base", "main", "--baseline", "x.json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn base_ref_leaves_the_work_tree_and_index_alone() {
    let repo = Repo::demo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/integrations/payments.rs", &retry_loop_source());
    repo.commit("add a payments client");
    // Uncommitted edits, staged and not: `check` scans them, `--base` must not disturb them.
    let store = repo.root.join("src/catalog/store.rs");
    let edited = format!(
        "{}\n// local edit\n",
        std::fs::read_to_string(&store).unwrap()
    );
    std::fs::write(&store, &edited).unwrap();
    repo.write("notes.rs", "fn notes() {}\n");
    repo.git(&["add", "notes.rs"]);
    let before = porcelain(&repo.root);
    let index = std::fs::read(repo.root.join(".git/index")).unwrap();
    let (code, out, err) = repo.check(&["--base", "main"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(porcelain(&repo.root), before);
    assert_eq!(std::fs::read(repo.root.join(".git/index")).unwrap(), index);
    assert_eq!(std::fs::read_to_string(&store).unwrap(), edited);
    assert!(repo.root.join("src/integrations/payments.rs").exists());
}

#[test]
fn base_ref_in_github_actions_gets_annotations_and_a_job_summary() {
    let repo = Repo::demo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/integrations/payments.rs", &retry_loop_source());
    repo.commit("add a payments client");
    let summary = repo._dir.path().join("summary.md");
    let out = liability()
        .args(["check", repo.path(), "--base", "main"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=src/integrations/payments.rs,line="),
        "{stdout}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| new | retry |"), "{md}");
}
