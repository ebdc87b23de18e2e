//! Snapshots of the demo repository's text and JSON reports, run from the workspace root with
//! a relative path so the output is the same on every machine. Review changes with
//! `INSTA_UPDATE=always cargo test --test e2e report_snapshots` and `git diff`.

use crate::support::run_ok;

const DEMO: &str = "fixtures/demo-monolith";

/// `--no-history`: history figures change with every commit; the snapshot is about the scan.
const STABLE: &[&str] = &["--no-history"];

#[test]
fn demo_text_report() {
    let args = [&["scan", DEMO, "--color", "never"][..], STABLE].concat();
    let text = String::from_utf8(run_ok(&args)).unwrap();
    insta::assert_snapshot!("demo_text", text);
}

#[test]
fn demo_json_report() {
    let args = [&["scan", DEMO, "--format", "json"][..], STABLE].concat();
    let json = String::from_utf8(run_ok(&args)).unwrap();
    // The version changes with every release; everything else must not change unnoticed.
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(json.contains(&version), "{json}");
    let json = json.replacen(&version, "\"version\": \"[version]\"", 1);
    insta::assert_snapshot!("demo_json", json);
}
