//! Determinism: the same tree gives byte-identical reports whatever `--threads` says, and from
//! one run to the next, in both formats.

use crate::support::{first_difference, run_ok};

/// Runs every variant of `scan <path>` in `format` and requires identical bytes.
fn assert_stable(path: &str, format: &str) {
    let run = |threads: &str| {
        run_ok(&[
            "scan",
            path,
            "--format",
            format,
            "--threads",
            threads,
            "--min-confidence",
            "low",
            "--color",
            "never",
        ])
    };
    let first = run("1");
    assert!(
        first.len() > 200,
        "suspiciously short {format} report for {path}: {}",
        String::from_utf8_lossy(&first)
    );
    for (label, other) in [
        ("--threads 2", run("2")),
        ("--threads 1, second run", run("1")),
        ("--threads 2, second run", run("2")),
    ] {
        if other != first {
            let diff = first_difference(&first, &other);
            panic!("{format} report of {path} differs with {label} from --threads 1: {diff}");
        }
    }
}

#[test]
fn demo_reports_are_identical_across_thread_counts_and_runs() {
    assert_stable("fixtures/demo-monolith", "json");
    assert_stable("fixtures/demo-monolith", "text");
}

#[test]
fn whole_fixture_tree_reports_are_identical_across_thread_counts_and_runs() {
    assert_stable("fixtures", "json");
    assert_stable("fixtures", "text");
}
