//! The lexical pre-pass changes how much is parsed, never what is found: reports with and
//! without it are byte-identical (issue #11). `bench/prepass-check.sh` runs the same
//! comparison on the corpora.

use crate::support::{first_difference, run_ok};

fn assert_same_with_and_without_prepass(path: &str) {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            path,
            "--format",
            "json",
            "--no-history",
            "--min-confidence",
            "low",
        ];
        args.extend_from_slice(extra);
        run_ok(&args)
    };
    let with = run(&[]);
    let without = run(&["--no-prepass"]);
    assert!(with.len() > 200, "suspiciously short report for {path}");
    if with != without {
        let diff = first_difference(&with, &without);
        panic!("{path}: the report with the pre-pass differs from the full parse: {diff}");
    }
}

#[test]
fn fixture_reports_are_the_same_with_and_without_the_prepass() {
    assert_same_with_and_without_prepass("fixtures");
    assert_same_with_and_without_prepass("fixtures/demo-monolith");
}
