//! End-to-end tests of `read_tree` on real repositories built with the `git` CLI in temp dirs:
//! branches, tags, relative revisions, a subfolder as the scanned root, shallow clones, and
//! that neither the work tree nor the index is touched.

use std::path::Path;
use std::process::Command;

use liability_history::{TreeContent, TreeError, TreeFile, read_tree};

/// Runs git in `dir`, isolated from the user's configuration, and returns stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

fn write(root: &Path, path: &str, content: &str) {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(full, content).expect("write");
}

fn commit(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// A repository with two commits on `main` (tag `v1` on the first) and a branch `feature`.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "src/lib.rs", "pub fn one() {}\n");
    write(root, "README.md", "v1\n");
    commit(root, "one");
    git(root, &["tag", "v1"]);
    git(root, &["tag", "-a", "v1-annotated", "-m", "release"]);
    write(root, "src/lib.rs", "pub fn one() {}\npub fn two() {}\n");
    write(root, "src/net/retry.rs", "fn retry() {}\n");
    commit(root, "two");
    git(root, &["checkout", "-q", "-b", "feature"]);
    write(root, "src/feature.rs", "fn feature() {}\n");
    commit(root, "feature");
    git(root, &["checkout", "-q", "main"]);
    dir
}

fn bytes(files: &[TreeFile], path: &str) -> Option<String> {
    files
        .iter()
        .find(|f| f.path == path)
        .and_then(|f| match &f.content {
            TreeContent::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
}

fn paths(files: &[TreeFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

#[test]
fn reads_a_branch_a_tag_and_a_relative_revision() {
    let dir = sample();
    let root = dir.path();

    let feature = read_tree(root, "feature", 1 << 20).expect("feature");
    assert_eq!(
        paths(&feature),
        [
            "README.md",
            "src/feature.rs",
            "src/lib.rs",
            "src/net/retry.rs"
        ]
    );

    let main = read_tree(root, "main", 1 << 20).expect("main");
    assert_eq!(
        paths(&main),
        ["README.md", "src/lib.rs", "src/net/retry.rs"]
    );

    for tag in ["v1", "v1-annotated", "HEAD~1", "main^"] {
        let old = read_tree(root, tag, 1 << 20).expect(tag);
        assert_eq!(paths(&old), ["README.md", "src/lib.rs"], "{tag}");
        assert_eq!(
            bytes(&old, "src/lib.rs").as_deref(),
            Some("pub fn one() {}\n"),
            "{tag}"
        );
    }

    let sha = git(root, &["rev-parse", "HEAD~1"]);
    let by_sha = read_tree(root, sha.trim(), 1 << 20).expect("sha");
    assert_eq!(paths(&by_sha), ["README.md", "src/lib.rs"]);
}

#[test]
fn a_subfolder_as_the_scanned_root() {
    let dir = sample();
    let src = dir.path().join("src");
    let files = read_tree(&src, "feature", 1 << 20).expect("feature");
    assert_eq!(paths(&files), ["feature.rs", "lib.rs", "net/retry.rs"]);
    let net = read_tree(&src.join("net"), "main", 1 << 20).expect("main");
    assert_eq!(paths(&net), ["retry.rs"]);
    // The folder did not exist at v1: nothing to compare with, not an error.
    assert_eq!(read_tree(&src.join("net"), "v1", 1 << 20), Ok(Vec::new()));
}

#[test]
fn large_blobs_symlinks_and_submodules() {
    let dir = sample();
    let root = dir.path();
    write(root, "big.rs", &"x".repeat(100));
    std::os::unix::fs::symlink("src/lib.rs", root.join("link.rs")).expect("symlink");
    let head = git(root, &["rev-parse", "HEAD"]);
    git(
        root,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{},vendored", head.trim()),
        ],
    );
    commit(root, "odd entries");
    let files = read_tree(root, "HEAD", 99).expect("HEAD");
    assert_eq!(
        paths(&files),
        [
            "README.md",
            "big.rs",
            "link.rs",
            "src/lib.rs",
            "src/net/retry.rs"
        ]
    );
    assert_eq!(files[1].content, TreeContent::TooLarge { size: 100 });
    assert_eq!(
        files[2].content,
        TreeContent::Symlink {
            target: "src/lib.rs".to_owned()
        }
    );
}

#[test]
fn missing_revisions_say_how_to_fetch_them() {
    let dir = sample();
    let err = read_tree(dir.path(), "no-such-ref", 1 << 20).expect_err("missing");
    assert!(matches!(err, TreeError::RevisionNotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "revision `no-such-ref` not found; fetch it first (`git fetch origin no-such-ref`, or `git fetch --unshallow` in a shallow clone)"
    );

    // A clone with an `origin` remote: `origin/x` is fetched as branch `x` of `origin`.
    let clones = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", dir.path().display());
    let full = clones.path().join("full");
    git(
        clones.path(),
        &["clone", "-q", &url, full.to_str().expect("utf-8")],
    );
    assert!(read_tree(&full, "origin/feature", 1 << 20).is_ok());
    let err = read_tree(&full, "origin/gone", 1 << 20).expect_err("missing");
    assert_eq!(
        err.to_string(),
        "revision `origin/gone` not found; fetch it first (`git fetch origin gone`, or `git fetch --unshallow` in a shallow clone)"
    );

    // A shallow clone has HEAD but not its parent.
    let shallow = clones.path().join("shallow");
    git(
        clones.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().expect("utf-8"),
        ],
    );
    assert!(read_tree(&shallow, "HEAD", 1 << 20).is_ok());
    let err = read_tree(&shallow, "HEAD~1", 1 << 20).expect_err("beyond the boundary");
    assert!(matches!(err, TreeError::RevisionNotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("git fetch --unshallow"), "{err}");
    // A full sha that is not in the clone.
    let old = git(dir.path(), &["rev-parse", "v1"]);
    let err = read_tree(&shallow, old.trim(), 1 << 20).expect_err("not fetched");
    assert!(matches!(err, TreeError::RevisionNotFound { .. }), "{err:?}");
}

#[test]
fn not_a_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        read_tree(dir.path(), "HEAD", 1 << 20),
        Err(TreeError::NotARepository)
    );
}

#[test]
fn the_work_tree_and_the_index_are_untouched() {
    let dir = sample();
    let root = dir.path();
    write(root, "src/lib.rs", "// edited, not committed\n");
    write(root, "untracked.rs", "fn new() {}\n");
    git(root, &["add", "untracked.rs"]);
    write(root, "untracked.rs", "fn newer() {}\n");
    let status = git(root, &["status", "--porcelain"]);
    let index = std::fs::read(root.join(".git/index")).expect("index");
    let head = std::fs::read(root.join(".git/HEAD")).expect("HEAD");

    let files = read_tree(root, "HEAD~1", 1 << 20).expect("HEAD~1");
    assert_eq!(
        bytes(&files, "src/lib.rs").as_deref(),
        Some("pub fn one() {}\n")
    );
    let files = read_tree(root, "feature", 1 << 20).expect("feature");
    assert!(bytes(&files, "src/feature.rs").is_some());

    assert_eq!(
        std::fs::read_to_string(root.join("src/lib.rs")).expect("lib.rs"),
        "// edited, not committed\n"
    );
    assert!(!root.join("src/feature.rs").exists());
    assert_eq!(
        std::fs::read(root.join(".git/index")).expect("index"),
        index
    );
    assert_eq!(std::fs::read(root.join(".git/HEAD")).expect("HEAD"), head);
    assert_eq!(git(root, &["status", "--porcelain"]), status);
}

#[test]
fn blobs_are_returned_as_stored_without_filters() {
    let dir = sample();
    let root = dir.path();
    // A filter and a checkout conversion the repository asks for: neither may run.
    write(root, ".gitattributes", "*.rs filter=evil eol=crlf\n");
    git(
        root,
        &["config", "filter.evil.smudge", "touch smudge-ran; cat"],
    );
    commit(root, "attributes");
    let files = read_tree(root, "HEAD", 1 << 20).expect("HEAD");
    assert_eq!(
        bytes(&files, "src/lib.rs").as_deref(),
        Some("pub fn one() {}\npub fn two() {}\n")
    );
    assert!(!root.join("smudge-ran").exists());
}
