//! The lexical pre-pass changes how much is parsed, never what is found: reports with and
//! without it are byte-identical (issue #11). `bench/prepass-check.sh` runs the same
//! comparison on the corpora.

use crate::support::run_ok;

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
        let a = String::from_utf8_lossy(&with);
        let b = String::from_utf8_lossy(&without);
        let diff = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .find(|(_, (x, y))| x != y)
            .map_or_else(
                || format!("lengths differ: {} vs {} bytes", with.len(), without.len()),
                |(i, (x, y))| format!("first difference at line {}:\n  {x}\n  {y}", i + 1),
            );
        panic!("{path}: the report with the pre-pass differs from the full parse: {diff}");
    }
}

#[test]
fn fixture_reports_are_the_same_with_and_without_the_prepass() {
    assert_same_with_and_without_prepass("fixtures");
    assert_same_with_and_without_prepass("fixtures/demo-monolith");
}
