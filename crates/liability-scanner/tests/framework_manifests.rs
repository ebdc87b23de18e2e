//! Crate names come from `Cargo.toml`: a workspace whose core crate lives in `crates/core` but
//! is named `acme-kernel` is imported as `acme_kernel::`, and those imports count as fan-in.

#![allow(clippy::unwrap_used)] // helpers of a test binary: a failed unwrap is a failed test

use liability_scanner::{FileContent, ScanOptions, scan, scan_files};
use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/rules/in-house-framework/kernel_ws")
}

fn framework(report: &liability_model::Report) -> &liability_model::Finding {
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "in-house-framework")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    found[0]
}

#[test]
fn imports_of_a_crate_named_by_its_manifest_are_fan_in() {
    let report = scan(&workspace(), &ScanOptions::default()).unwrap();
    let f = framework(&report);
    assert_eq!(f.path, "crates/core/src/lib.rs");
    assert_eq!(f.complexity.dependents, 3);
    assert!(f.complexity.dependent_code_lines > 0);
    // Manifests are read for names only: they are not counted as scanned files.
    assert_eq!(report.files_scanned, 4);
}

#[test]
fn without_the_manifests_the_folder_name_does_not_match() {
    let root = workspace();
    let mut files = Vec::new();
    for krate in ["core", "billing", "mail", "search"] {
        let rel = format!("crates/{krate}/src/lib.rs");
        let bytes = std::fs::read(root.join(&rel)).unwrap();
        files.push((rel, FileContent::Bytes(bytes)));
    }
    let report = scan_files(files, &ScanOptions::default()).unwrap();
    assert_eq!(framework(&report).complexity.dependents, 0);
}
