//! Broken, hostile and special files: each is listed under `skipped` with the right reason, the
//! scan exits 0 in a moment, never opens a FIFO, never follows a link loop, and still analyses
//! the good file beside them.

use crate::support::{array, liability, str_field, u64_field};
use serde_json::Value;
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

/// Generous for a debug build on a slow machine; a hang (an opened FIFO, a followed loop)
/// blocks forever, so any finite limit tells the two apart.
const LIMIT: Duration = Duration::from_secs(20);

/// The size limit passed to the scan: above the nested and minified files, below `big.rs`.
const MAX_FILE_SIZE: &str = "200000";

/// What each broken entry must be reported as.
const EXPECTED: &[(&str, &str)] = &[
    ("again", "symlink"),
    ("big.rs", "too-large"),
    ("binary.rs", "binary"),
    ("broken.rs", "parse-error"),
    ("deep.rs", "too-deeply-nested"),
    ("latin1.rs", "non-utf8"),
    ("loop.rs", "symlink"),
    ("minified.rs", "generated"),
    ("pipe.rs", "not-a-regular-file"),
];

const GOOD: &str = "\
use std::collections::{HashMap, VecDeque};

pub struct Recent {
    map: HashMap<String, String>,
    order: VecDeque<String>,
    cap: usize,
}

impl Recent {
    pub fn put(&mut self, k: String, v: String) {
        if self.map.len() >= self.cap {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
        self.order.push_back(k.clone());
        self.map.insert(k, v);
    }
}
";

/// Fills `dir` with one file of each kind of trouble, plus `good.rs`.
fn populate(dir: &Path) {
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write("good.rs", GOOD.as_bytes());
    write("binary.rs", b"fn main() {}\n\0\0\x01\x02\x7fELF\0");
    write("latin1.rs", b"// caf\xe9 cr\xe8me\nfn main() {}\n");
    write("broken.rs", b"fn main( {\n    let x = ;\n");
    // 50,000 nested parentheses, 100 to a line so that no line looks minified.
    let mut deep = String::from("fn f() -> u32 {\n");
    for _ in 0..500 {
        deep.push_str(&"(".repeat(100));
        deep.push('\n');
    }
    deep.push_str("1\n");
    for _ in 0..500 {
        deep.push_str(&")".repeat(100));
        deep.push('\n');
    }
    deep.push_str("}\n");
    write("deep.rs", deep.as_bytes());
    // Valid Rust, just too big.
    write(
        "big.rs",
        "// filler comment line\n".repeat(15_000).as_bytes(),
    );
    // One 30,000-character line: a generated table.
    let table = format!(
        "pub static TABLE: [u8; 10000] = [{}];\n",
        "7, ".repeat(10_000).trim_end_matches([',', ' '])
    );
    assert!(table.len() > 30_000);
    write("minified.rs", table.as_bytes());
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.rs"))
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo failed");
    symlink("loop.rs", dir.join("loop.rs")).unwrap();
    symlink(".", dir.join("again")).unwrap();
}

/// Scans `dir` in JSON, requiring exit 0 within `LIMIT`.
fn scan(dir: &Path, extra: &[&str]) -> Value {
    let started = Instant::now();
    let output = liability()
        .timeout(LIMIT)
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--min-confidence", "low"])
        .args(["--max-file-size", MAX_FILE_SIZE])
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("scan {extra:?} did not finish within {LIMIT:?}: {e}"));
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "scan {extra:?} exited with {:?}:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(elapsed < LIMIT, "scan {extra:?} took {elapsed:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn skipped(json: &Value) -> BTreeMap<String, (String, String)> {
    array(json, "skipped")
        .iter()
        .map(|s| {
            (
                str_field(s, "path").to_owned(),
                (
                    str_field(s, "reason").to_owned(),
                    str_field(s, "detail").to_owned(),
                ),
            )
        })
        .collect()
}

/// The good file is analysed: its two findings are there and it is the one Rust file counted.
fn assert_good_file_analysed(json: &Value) {
    let findings: Vec<(&str, &str)> = array(json, "findings")
        .iter()
        .map(|f| (str_field(f, "path"), str_field(f, "rule")))
        .collect();
    assert_eq!(
        findings,
        [("good.rs", "in-memory-eviction-cache")],
        "the good file must be analysed, and nothing else found"
    );
    assert_eq!(u64_field(&json["summary"]["languages"]["rust"], "files"), 1);
    assert_eq!(
        u64_field(&json["summary"], "files_skipped"),
        EXPECTED.len() as u64
    );
}

#[test]
fn every_broken_file_is_skipped_with_its_reason_and_the_good_file_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    populate(dir.path());
    let json = scan(dir.path(), &[]);
    let got = skipped(&json);
    let reasons: Vec<(&str, &str)> = got
        .iter()
        .map(|(p, (r, _))| (p.as_str(), r.as_str()))
        .collect();
    assert_eq!(reasons, EXPECTED, "skipped entries (path, reason)");
    for (path, (_, detail)) in &got {
        assert!(!detail.is_empty(), "{path} is skipped without a detail");
    }
    assert!(got["deep.rs"].1.contains("50001"), "{:?}", got["deep.rs"]);
    assert!(
        got["big.rs"].1.contains(MAX_FILE_SIZE),
        "{:?}",
        got["big.rs"]
    );
    assert_good_file_analysed(&json);
    crate::schema::assert_valid_report(&json);
}

#[test]
fn following_links_detects_the_loops_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    populate(dir.path());
    let json = scan(dir.path(), &["--follow-links"]);
    let got = skipped(&json);
    // Followed, the links are loops: both are listed as unreadable, never walked into.
    for link in ["again", "loop.rs"] {
        assert_eq!(
            got.get(link).map(|(r, _)| r.as_str()),
            Some("unreadable"),
            "{link} with --follow-links: {got:?}"
        );
    }
    assert!(
        got["again"].1.contains("loop"),
        "detail should name the loop: {:?}",
        got["again"]
    );
    assert_eq!(got["pipe.rs"].0, "not-a-regular-file");
    assert_good_file_analysed(&json);
}

#[test]
fn broken_tree_reports_are_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    populate(dir.path());
    let run = |threads: &str| {
        let output = liability()
            .timeout(LIMIT)
            .arg("scan")
            .arg(dir.path())
            .args(["--format", "json", "--max-file-size", MAX_FILE_SIZE])
            .args(["--threads", threads])
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"), "--threads 1 and --threads 2 disagree");
    assert_eq!(one, run("2"), "two runs with --threads 2 disagree");
}

#[test]
fn tree_sitter_files_with_errors_are_analysed_in_part_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    // A valid cache class, then a broken function.
    write(
        "partial.py",
        "class Store:\n    def __init__(self, cap):\n        self.entries = {}\n        self.cap = cap\n\n    def put(self, k, v):\n        if len(self.entries) >= self.cap:\n            self.entries.popitem()\n        self.entries[k] = v\n\ndef broken(:\n    pass\n",
    );
    // 50,000 nested parentheses: tree-sitter parses iteratively and the walk never recurses.
    let mut deep = String::from("const x = ");
    for _ in 0..500 {
        deep.push_str(&"(".repeat(100));
        deep.push('\n');
    }
    deep.push_str("1\n");
    for _ in 0..500 {
        deep.push_str(&")".repeat(100));
        deep.push('\n');
    }
    write("deep.js", &deep);
    let json = scan(dir.path(), &[]);
    let got = skipped(&json);
    let (reason, detail) = &got["partial.py"];
    assert_eq!(reason, "parse-error");
    assert!(detail.starts_with("partial: "), "{detail}");
    assert!(detail.contains("first at 11:"), "{detail}");
    assert!(!got.contains_key("deep.js"), "{got:?}");
    let rules: Vec<&str> = array(&json, "findings")
        .iter()
        .map(|f| str_field(f, "rule"))
        .collect();
    assert_eq!(rules, ["in-memory-eviction-cache"]);
    crate::schema::assert_valid_report(&json);
}
