//! Infrastructure scanning end to end: serverless silence, hostile files and the link from a
//! server to the code that uses it. (Fixture markers are checked by the e2e marker harness,
//! `tests/e2e/markers.rs`, with every other fixture.)

#![allow(clippy::unwrap_used)] // helpers of a test binary: a failed unwrap is a failed test

use liability_model::{Report, SkipReason};
use liability_scanner::{ScanOptions, scan};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn scan_dir(root: &Path) -> Report {
    scan(root, &ScanOptions::default()).expect("scan")
}

#[test]
fn serverless_setups_stay_silent() {
    let report = scan_dir(&fixtures().join("infra/serverless"));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
}

#[test]
fn infra_files_have_their_own_language_line_and_no_code_lines() {
    let report = scan_dir(&fixtures().join("infra"));
    let infra = report.languages[&liability_model::Language::Infrastructure];
    assert!(infra.files >= 10 && infra.code_lines > 0);
    assert_eq!(report.code_lines(), 0);
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn bomb() -> String {
    let mut text = String::from(
        "x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("x-{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    text
}

#[test]
fn hostile_and_broken_files_are_skipped_never_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Billion laughs (9^9 nodes if expanded) in a compose file and in Helm values.
    let compose = bomb() + "services:\n  db:\n    image: postgres:16\n    labels: *i\n";
    write(root, "bomb/docker-compose.yml", &compose);
    write(root, "chart/values.yaml", &(bomb() + "app:\n  extra: *i\n"));
    write(root, "bad/compose.yaml", "services:\n  db: [\n");
    write(
        root,
        "bad/main.tf",
        "resource \"aws_instance\" \"x\" {\n  ami = \n",
    );
    let deep = format!("x = {}1{}\n", "[".repeat(2000), "]".repeat(2000));
    write(root, "deep/main.tf", &deep);
    write(
        root,
        "chart/templates/pod.yaml",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n{{ range .Values.sidecars }}\n  - image: memcached:1.6\n   bad: [\n{{ end }}\n",
    );
    let huge = "apiVersion: v1\nkind: ConfigMap\ndata:\n".to_owned() + &"  k: v\n".repeat(300_000);
    write(root, "k8s/huge.yaml", &huge);
    let started = Instant::now();
    let report = scan_dir(root);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let reason = |p: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.path == p)
            .map(|s| (s.reason, s.detail.clone()))
    };
    assert_eq!(
        reason("k8s/huge.yaml").map(|r| r.0),
        Some(SkipReason::TooLarge)
    );
    assert_eq!(
        reason("bad/compose.yaml").map(|r| r.0),
        Some(SkipReason::ParseError)
    );
    assert_eq!(
        reason("bad/main.tf").map(|r| r.0),
        Some(SkipReason::ParseError)
    );
    assert_eq!(
        reason("deep/main.tf").map(|r| r.0),
        Some(SkipReason::ParseError)
    );
    let template = reason("chart/templates/pod.yaml").expect("partial template entry");
    assert!(template.1.contains("partly read"), "{}", template.1);
    let values = reason("chart/values.yaml").expect("partial values entry");
    assert!(values.1.contains("alias"), "{}", values.1);
    let found = |path: &str, subject: &str| {
        report
            .findings
            .iter()
            .any(|f| f.path == path && f.subject.as_deref() == Some(subject))
    };
    assert!(found("bomb/docker-compose.yml", "postgres"));
    assert!(found("chart/templates/pod.yaml", "memcached"));
}

#[test]
fn server_is_linked_to_the_code_that_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "docker-compose.yml",
        "services:\n  cache:\n    image: redis:7\n  db:\n    image: postgres:16\n",
    );
    write(
        root,
        "src/cache.rs",
        "use redis::AsyncCommands;\npub fn f() {}\n",
    );
    write(
        root,
        "src/db.rs",
        "use sqlx::postgres::PgPoolOptions;\npub fn g() {}\n",
    );
    write(root, "src/other.rs", "use std::fmt;\n");
    let report = scan_dir(root);
    let evidence_of = |subject: &str| {
        report
            .findings
            .iter()
            .find(|f| f.subject.as_deref() == Some(subject))
            .map(|f| f.evidence.clone())
            .unwrap()
    };
    let redis = evidence_of("redis");
    assert!(
        redis
            .iter()
            .any(|e| e.path.as_deref() == Some("src/cache.rs")
                && e.message.contains("redis::AsyncCommands"))
    );
    assert_eq!(redis[0].path, None, "own file first");
    let pg = evidence_of("postgres");
    assert!(pg.iter().any(|e| e.path.as_deref() == Some("src/db.rs")));
    assert!(!pg.iter().any(|e| e.path.as_deref() == Some("src/cache.rs")));
}
