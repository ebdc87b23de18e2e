//! The command-line contract: subcommands, exit codes (0 success, 2 error), one-line errors,
//! `-o`, and colour (`--color`, `NO_COLOR`).

use crate::support::{fixtures_dir, liability, rule_ids, run_ok, workspace_root};
use std::process::Output;

const DEMO: &str = "fixtures/demo-monolith";

fn run(args: &[&str]) -> Output {
    liability().args(args).output().unwrap()
}

/// Requires exit code 2, nothing on stdout and exactly one line on stderr starting `error: `;
/// returns that line.
fn assert_one_line_error(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: stderr {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout on error");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{args:?}: expected one error line, got:\n{stderr}"
    );
    assert!(lines[0].starts_with("error: "), "{args:?}: {stderr}");
    lines[0].to_owned()
}

#[test]
fn rules_lists_every_rule_with_category_and_summary() {
    let stdout = String::from_utf8(run_ok(&["rules"])).unwrap();
    let ids = rule_ids();
    assert!(ids.len() >= 7, "only {} rules listed:\n{stdout}", ids.len());
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "rules are listed sorted and unique");
    for line in stdout.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert!(fields.len() >= 3, "`{line}` lacks a category or summary");
    }
    // The committed rule pages and the listing agree.
    let mut pages: Vec<String> = std::fs::read_dir(workspace_root().join("docs/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_owned))
        .filter(|n| n != "README")
        .collect();
    pages.sort();
    assert_eq!(ids, pages, "`liability rules` and docs/rules/*.md disagree");
}

#[test]
fn rule_prints_the_documentation_page() {
    for id in rule_ids() {
        let page = String::from_utf8(run_ok(&["rule", &id])).unwrap();
        assert!(page.starts_with(&format!("# {id}\n")), "{id}: {page}");
        for section in [
            "## What it does",
            "## Why is this a liability?",
            "## Use instead",
        ] {
            assert!(page.contains(section), "`rule {id}` lacks `{section}`");
        }
        let committed =
            std::fs::read_to_string(workspace_root().join(format!("docs/rules/{id}.md"))).unwrap();
        assert_eq!(
            page, committed,
            "`rule {id}` differs from docs/rules/{id}.md"
        );
    }
}

#[test]
fn unknown_rule_is_an_error() {
    let line = assert_one_line_error(&["rule", "nope"]);
    assert!(line.contains("`nope`"), "{line}");
}

#[test]
fn missing_scan_path_is_a_one_line_error() {
    let line = assert_one_line_error(&["scan", "/does/not/exist"]);
    assert!(line.contains("/does/not/exist"), "{line}");
}

#[test]
fn unwritable_output_is_a_one_line_error() {
    let line = assert_one_line_error(&[
        "scan",
        DEMO,
        "--format",
        "json",
        "-o",
        "/nonexistent-dir/x.json",
    ]);
    assert!(line.contains("/nonexistent-dir/x.json"), "{line}");
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["scan", DEMO, "--min-confidence", "certain"][..],
        &["scan", DEMO, "--format", "xml"],
        &["scan", DEMO, "--threads", "many"],
        &["frobnicate"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    }
}

#[test]
fn output_file_holds_the_same_bytes_as_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "text"] {
        let path = dir.path().join(format!("report.{format}"));
        let path_str = path.to_str().unwrap();
        let written = run_ok(&["scan", DEMO, "--format", format, "-o", path_str]);
        assert!(written.is_empty(), "-o must leave stdout empty");
        let printed = run_ok(&["scan", DEMO, "--format", format]);
        assert!(!printed.is_empty());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            printed,
            "{format}: -o differs from stdout"
        );
    }
}

#[test]
fn scanning_a_single_file_works() {
    let file = fixtures_dir().join("rules/hand-rolled-retry-loop/bad.rs");
    let json = crate::support::scan_json(&file, &[]);
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "a file given as the root is analysed");
}

fn has_escape(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn color_never_and_no_color_leave_text_plain() {
    let low = ["--min-confidence", "low"];
    let never = run_ok(&[&["scan", DEMO, "--color", "never"][..], &low].concat());
    assert!(!has_escape(&never), "--color never printed escape codes");
    // The control: the same report does carry colour when forced.
    let always = run_ok(&[&["scan", DEMO, "--color", "always"][..], &low].concat());
    assert!(
        has_escape(&always),
        "--color always printed no escape codes"
    );
    let json = run_ok(&["scan", DEMO, "--format", "json", "--color", "always"]);
    assert!(!has_escape(&json), "JSON must never be coloured");

    let out = liability()
        .env("NO_COLOR", "1")
        .args(["scan", DEMO, "--color", "auto", "--min-confidence", "low"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!has_escape(&out.stdout), "NO_COLOR=1 printed escape codes");
    assert_eq!(out.stdout, never, "NO_COLOR and --color never must agree");
}

/// `--color auto` on a terminal: coloured, unless `NO_COLOR` is set. Runs the binary under a
/// pseudo-terminal with util-linux `script`.
#[test]
fn color_auto_on_a_terminal_honours_no_color() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("`script` (util-linux) is not installed; terminal colour check skipped");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("liability");
    let under_tty = |no_color: Option<&str>| {
        // stderr off the terminal: a progress bar there would add escape codes of its own.
        let command = format!(
            "{} scan {DEMO} --color auto --min-confidence low 2>/dev/null",
            bin.display()
        );
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"])
            .current_dir(workspace_root())
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let plain_tty = under_tty(None);
    assert!(
        has_escape(&plain_tty),
        "--color auto on a terminal printed no colour:\n{}",
        String::from_utf8_lossy(&plain_tty)
    );
    assert!(
        !has_escape(&under_tty(Some("1"))),
        "NO_COLOR=1 on a terminal printed colour"
    );
    // An empty NO_COLOR does not count (no-color.org).
    assert!(
        has_escape(&under_tty(Some(""))),
        "an empty NO_COLOR disabled colour"
    );
}

#[test]
fn one_scan_writes_several_formats() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name).display().to_string();
    let (sarif, html, md, json) = (
        file("r.sarif"),
        file("r.html"),
        file("r.md"),
        file("r.json"),
    );
    let stdout = run_ok(&[
        "scan",
        "fixtures/demo-monolith",
        "--no-history",
        "--format",
        "json",
        "-o",
        &format!("sarif={sarif}"),
        "-o",
        &format!("html={html}"),
        "-o",
        &format!("markdown={md}"),
        "-o",
        &json,
    ]);
    assert!(stdout.is_empty(), "every output went to a file");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<!doctype html>")
    );
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("Next best action")
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(json["next_best_action"].is_object());
}

#[test]
fn next_prints_the_next_best_action_alone() {
    let out = run_ok(&[
        "next",
        "fixtures/demo-monolith",
        "--no-history",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let full = run_ok(&[
        "scan",
        "fixtures/demo-monolith",
        "--no-history",
        "--format",
        "json",
    ]);
    let full: serde_json::Value = serde_json::from_slice(&full).unwrap();
    assert_eq!(value["next_best_action"], full["next_best_action"]);
    let text =
        String::from_utf8(run_ok(&["next", "fixtures/demo-monolith", "--no-history"])).unwrap();
    assert!(text.starts_with("Next best action: "), "{text}");
    let err = run(&["next", "fixtures/demo-monolith", "--format", "sarif"]);
    assert_eq!(err.status.code(), Some(2));
}

#[test]
fn the_worked_example_in_the_model_docs_is_the_commands_output() {
    let out = crate::support::run_ok(&[
        "scan",
        "fixtures/demo-monolith",
        "--no-history",
        "--explain-cost",
        "src/integrations/warehouse.rs:25",
    ]);
    let out = String::from_utf8(out).unwrap();
    let docs =
        std::fs::read_to_string(crate::support::workspace_root().join("docs/liability-model.md"))
            .unwrap();
    assert!(
        docs.contains(&format!("```text\n{out}```")),
        "docs/liability-model.md's worked example is stale; it should read:\n{out}"
    );
}
