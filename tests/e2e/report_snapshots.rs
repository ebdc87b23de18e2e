//! Snapshots of the demo repository's reports in every format, run from the workspace root with
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

/// The other formats of the same scan, with the tool version redacted.
fn demo_in(format: &str) -> String {
    let args = [&["scan", DEMO, "--format", format][..], STABLE].concat();
    let out = String::from_utf8(run_ok(&args)).unwrap();
    out.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn demo_sarif_report() {
    insta::assert_snapshot!("demo_sarif", demo_in("sarif"));
}

#[test]
fn demo_markdown_report() {
    insta::assert_snapshot!("demo_markdown", demo_in("markdown"));
}

#[test]
fn demo_html_report() {
    let html = demo_in("html");
    // Self-contained: no external scripts, stylesheets, fonts or images (links are fine).
    for external in ["<script src", "<link ", "@import", "<img src=\"http"] {
        assert!(
            !html.contains(external),
            "the HTML report loads `{external}`"
        );
    }
    insta::assert_snapshot!("demo_html", html);
}
