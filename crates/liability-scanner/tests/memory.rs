//! `scan_files` against `scan`: the same files give the same report whether they are read from
//! the disk or handed over in memory (as a git revision's tree is).

#![allow(clippy::unwrap_used)] // helpers of a test binary: a failed unwrap is a failed test

use liability_scanner::{FileContent, ScanOptions, scan, scan_files};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every file under `root` (hidden ones included: the selection must skip them), in memory.
fn load(root: &Path, dir: &Path, out: &mut Vec<(String, FileContent)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            load(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap().to_str().unwrap();
            out.push((
                rel.replace('\\', "/"),
                FileContent::Bytes(std::fs::read(&path).unwrap()),
            ));
        }
    }
}

#[test]
fn memory_and_disk_give_the_same_report() {
    for fixture in ["demo-monolith", "lang", "infra"] {
        let root = fixtures().join(fixture);
        let mut files = Vec::new();
        load(&root, &root, &mut files);
        // The order of the list does not matter.
        files.reverse();
        let options = ScanOptions {
            threads: 2,
            ..ScanOptions::default()
        };
        let disk = scan(&root, &options).unwrap();
        let memory = scan_files(files, &options).unwrap();
        assert!(!disk.findings.is_empty(), "{fixture}");
        assert_eq!(memory, disk, "{fixture}");
    }
}

#[test]
fn excludes_and_ignore_files_apply_in_memory() {
    let retry = std::fs::read(fixtures().join("rules/hand-rolled-retry-loop/bad.rs")).unwrap();
    let files = |extra: &[(&str, &[u8])]| {
        let mut files = vec![
            ("src/a.rs".to_owned(), FileContent::Bytes(retry.clone())),
            ("gen/b.rs".to_owned(), FileContent::Bytes(retry.clone())),
            ("vendor/c.rs".to_owned(), FileContent::Bytes(retry.clone())),
            (".hidden/d.rs".to_owned(), FileContent::Bytes(retry.clone())),
        ];
        for (path, bytes) in extra {
            files.push(((*path).to_owned(), FileContent::Bytes(bytes.to_vec())));
        }
        files
    };
    let paths = |report: liability_model::Report| {
        let mut paths: Vec<String> = report.findings.into_iter().map(|f| f.path).collect();
        paths.dedup();
        paths
    };
    let all = scan_files(files(&[]), &ScanOptions::default()).unwrap();
    assert_eq!(paths(all), ["gen/b.rs", "src/a.rs"]);
    let ignored = scan_files(
        files(&[(".liabilityignore", b"gen/\n")]),
        &ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(paths(ignored), ["src/a.rs"]);
    let excluded = scan_files(
        files(&[]),
        &ScanOptions {
            exclude: vec!["src/".to_owned()],
            ..ScanOptions::default()
        },
    )
    .unwrap();
    assert_eq!(paths(excluded), ["gen/b.rs"]);
}
