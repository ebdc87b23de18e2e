//! Configuration end to end: `init`, errors with locations, keys taking effect, levels,
//! suppressions (inline and configured, with reasons, unmatched ones reported), custom
//! concerns, and the gate honouring the same suppressions.

use crate::support::{fixtures_dir, liability};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A copy of the demo repository in a temp dir (no git: history is not needed here).
struct Demo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shop");
        for entry in walkdir::WalkDir::new(fixtures_dir().join("demo-monolith")) {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(fixtures_dir().join("demo-monolith"))
                .unwrap();
            let target = root.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        Demo { _dir: dir, root }
    }

    fn path(&self) -> &str {
        self.root.to_str().unwrap()
    }

    fn config(&self, text: &str) {
        std::fs::write(self.root.join("liability.toml"), text).unwrap();
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = liability().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self) -> Value {
        let (code, out, err) = self.run(&["scan", self.path(), "--format", "json", "--no-history"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let new = f(text.clone());
        assert_ne!(new, text, "edit of {rel} changed nothing");
        std::fs::write(path, new).unwrap();
    }
}

fn rules_of(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn init_writes_a_template_the_tool_accepts_as_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let out = liability().args(["init", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(Path::new(path).join("liability.toml").is_file());
    let scan = liability().args(["scan", path]).output().unwrap();
    assert_eq!(
        scan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let again = liability().args(["init", path]).output().unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "init must not overwrite without --force"
    );
    assert_eq!(
        liability()
            .args(["init", path, "--force"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn config_errors_exit_2_and_name_file_line_and_key() {
    let demo = Demo::new();
    let cases = [
        ("[scan]\nthreads = 1\nfial_on = true\n", "fial_on"),
        ("[scan]\nthreads = \"two\"\n", "threads"),
        ("[scan]\nexclude = [\"src/[x\"]\n", "bad glob"),
        ("[levels]\nretry = \"loud\"\n", "loud"),
        ("[levels]\ngold-plating = \"deny\"\n", "gold-plating"),
    ];
    for (text, key) in cases {
        demo.config(text);
        let (code, _, err) = demo.run(&["scan", demo.path()]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(err.contains("liability.toml"), "{text}: {err}");
        assert!(
            err.contains("line 2") || err.contains("line 3"),
            "{text}: {err}"
        );
        assert!(err.contains(key), "{text}: {err}");
    }
}

#[test]
fn keys_and_command_line_take_effect_with_precedence() {
    let demo = Demo::new();
    let all = rules_of(&demo.json());
    assert!(all.contains(&"in-memory-eviction-cache".to_owned()));
    demo.config("[scan]\nexclude = [\"src/catalog/**\"]\n");
    assert!(!rules_of(&demo.json()).contains(&"in-memory-eviction-cache".to_owned()));
    demo.config("[scan]\ninclude = [\"src/catalog/**\"]\n");
    assert_eq!(rules_of(&demo.json()), ["in-memory-eviction-cache"]);
    // The file picks the format; the command line wins over it.
    demo.config("[report]\nformat = \"json\"\n[cost]\ncurrency = \"EUR\"\n");
    let (_, out, _) = demo.run(&["scan", demo.path(), "--no-history"]);
    let json: Value = serde_json::from_str(&out).expect("config format = json");
    assert_eq!(json["liability"]["currency"], "EUR");
    let (_, out, _) = demo.run(&[
        "scan",
        demo.path(),
        "--no-history",
        "--format",
        "text",
        "--currency",
        "GBP",
    ]);
    assert!(out.contains("GBP"), "{out}");
    demo.config("[scan]\nlanguages = { rust = false }\n");
    assert!(
        rules_of(&demo.json())
            .iter()
            .all(|r| r.contains("server") || r.contains("terraform")),
        "rust off"
    );
}

#[test]
fn levels_allow_drops_and_deny_fails_the_scan() {
    let demo = Demo::new();
    demo.config("[levels]\ncache = \"allow\"\n");
    assert!(!rules_of(&demo.json()).contains(&"in-memory-eviction-cache".to_owned()));
    demo.config("[levels]\nhand-rolled-retry-loop = \"deny\"\n");
    let (code, _, err) = demo.run(&["scan", demo.path(), "--no-history"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("1 finding(s) at level `deny`"), "{err}");
}

#[test]
fn inline_suppression_moves_the_finding_out_of_the_totals_with_its_reason() {
    let demo = Demo::new();
    let before = demo.json();
    demo.edit("src/catalog/store.rs", |t| {
        t.replacen("pub struct Store", "// liability: allow(cache) — measured: moka is slower for our 12 keys\npub struct Store", 1)
    });
    let after = demo.json();
    assert!(!rules_of(&after).contains(&"in-memory-eviction-cache".to_owned()));
    let s = &after["suppressed"][0];
    assert_eq!(s["rule"], "in-memory-eviction-cache");
    assert_eq!(s["reason"], "measured: moka is slower for our 12 keys");
    assert!(
        s["source"]
            .as_str()
            .unwrap()
            .starts_with("src/catalog/store.rs:")
    );
    let total = |j: &Value| j["liability"]["yearly_cost"]["central"].as_f64().unwrap();
    assert!(
        total(&after) < total(&before),
        "suppressed findings leave the totals"
    );
}

#[test]
fn a_suppression_without_a_reason_exits_2_naming_file_and_line() {
    let demo = Demo::new();
    demo.edit("src/catalog/store.rs", |t| {
        t.replacen(
            "pub struct Store",
            "// liability: allow(cache)\npub struct Store",
            1,
        )
    });
    let (code, out, err) = demo.run(&["scan", demo.path()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("src/catalog/store.rs:7: suppression of `cache` has no reason"),
        "{err}"
    );
}

#[test]
fn configured_ignores_apply_and_unmatched_suppressions_are_reported() {
    let demo = Demo::new();
    demo.config(
        "[[ignore]]\npath = \"src/integrations/**\"\nrule = \"hand-rolled-retry-loop\"\nreason = \"vendor SDK has no retries; TICKET-12\"\n\n[[ignore]]\npath = \"src/nowhere/**\"\nreason = \"stale\"\n",
    );
    let json = demo.json();
    assert!(!rules_of(&json).contains(&"hand-rolled-retry-loop".to_owned()));
    assert_eq!(
        json["suppressed"][0]["source"],
        format!("{}/liability.toml [[ignore]] #1", demo.root.display())
    );
    assert_eq!(json["unmatched_suppressions"][0]["target"], "*");
    let (_, text, _) = demo.run(&["scan", demo.path(), "--no-history", "--format", "text"]);
    assert!(text.contains("suppression(s) matched nothing"), "{text}");
}

#[test]
fn custom_concerns_are_detected_and_priced() {
    let demo = Demo::new();
    demo.config("[[concern]]\nname = \"shop-core\"\ncategory = \"framework\"\npaths = [\"src/orders.rs\"]\nmodules = [\"crate::orders\"]\n");
    let json = demo.json();
    let concern = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "custom-concern")
        .expect("custom concern");
    assert_eq!(concern["category"], "framework");
    assert_eq!(concern["component"], "concern shop-core");
    assert!(concern["liability"].as_f64().unwrap() > 0.0);
    assert!(concern["code_lines"].as_u64().unwrap() > 0);
}

#[test]
fn the_gate_honours_suppressions() {
    let demo = Demo::new();
    let (code, _, err) = demo.run(&["baseline", demo.path()]);
    assert_eq!(code, 0, "{err}");
    let retry = std::fs::read_to_string(fixtures_dir().join("rules/hand-rolled-retry-loop/bad.rs"))
        .unwrap();
    std::fs::write(demo.root.join("src/payments.rs"), retry).unwrap();
    assert_eq!(demo.run(&["check", demo.path()]).0, 1);
    demo.config("[[ignore]]\npath = \"src/payments.rs\"\nreason = \"replaced next sprint\"\n");
    let (code, out, _) = demo.run(&["check", demo.path()]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_gate_reads_its_thresholds_and_baseline_path_from_the_configuration() {
    let demo = Demo::new();
    demo.config(
        "[gate]\nbaseline = \"ci/known.json\"\nfail_on_new = false\ntolerance_ratio = 1.0\n",
    );
    let (code, _, err) = demo.run(&["baseline", demo.path()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        demo.root.join("ci/known.json").is_file(),
        "gate.baseline decides where it goes"
    );
    let retry = std::fs::read_to_string(fixtures_dir().join("rules/hand-rolled-retry-loop/bad.rs"))
        .unwrap();
    std::fs::write(demo.root.join("src/payments.rs"), retry).unwrap();
    let (code, out, _) = demo.run(&["check", demo.path()]);
    assert_eq!(
        code, 0,
        "new findings allowed and the total may double: {out}"
    );
    // The command line wins over the file.
    let (code, out, _) = demo.run(&["check", demo.path(), "--tolerance-ratio", "0"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn report_outputs_in_the_configuration_write_several_formats() {
    let demo = Demo::new();
    let sarif = demo._dir.path().join("out.sarif");
    let html = demo._dir.path().join("out.html");
    demo.config(&format!(
        "[report]\noutputs = [\"sarif={}\", \"html={}\"]\n",
        sarif.display(),
        html.display()
    ));
    let (code, out, err) = demo.run(&["scan", demo.path(), "--no-history"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "every report went to a file: {out}");
    assert!(
        std::fs::read_to_string(&sarif)
            .unwrap()
            .contains("\"version\": \"2.1.0\"")
    );
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<!doctype html>")
    );
}
