//! The fixture harness: on every fixture repository, findings and `// expect:` markers match
//! one to one.
//!
//! A fixture file marks each finding it expects with a comment `// expect: <rule-id>` on a line
//! inside the finding's span (`start_line..=end_line` of the JSON report). A finding matches a
//! marker of its own rule (the JSON `rule` field) in its own file. Every finding must cover
//! exactly one marker and every marker must be covered by exactly one finding; anything else is
//! reported as a diff (`-` expected but not found, `+` found but not expected).
//!
//! `// known-false-positive: <rule-id>` marks a finding that is reported today although the
//! code is innocent. It matches like `expect:`, so the suite stays green while the rule is
//! wrong, and it fails as soon as the finding disappears, asking for the marker to go.
//!
//! Fixture repositories are `fixtures/demo-monolith` and every `fixtures/rules/<rule-id>/`
//! (`bad.rs` with positives, `ok.rs` with near misses and no markers), and every
//! `fixtures/lang/<language>/` (the same per language; `# expect:` in Python).

use crate::support::{array, fixtures_dir, rule_ids, scan_json, str_field, u64_field};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Expect,
    KnownFalsePositive,
}

impl Kind {
    /// Markers in the comment syntax of Rust (`//`) and of infrastructure files (`#`).
    const ALL: [(Kind, &'static str); 4] = [
        (Kind::Expect, "// expect: "),
        (Kind::Expect, "# expect: "),
        (Kind::KnownFalsePositive, "// known-false-positive: "),
        (Kind::KnownFalsePositive, "# known-false-positive: "),
    ];

    fn label(self) -> &'static str {
        match self {
            Kind::Expect => "expect",
            Kind::KnownFalsePositive => "known-false-positive",
        }
    }
}

/// A marker comment in a fixture file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Marker {
    /// Relative to the fixture repository, `/`-separated (as the JSON report spells paths).
    path: String,
    line: u64,
    rule: String,
    kind: Kind,
}

/// The part of a JSON finding the harness looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    rule: String,
    path: String,
    start: u64,
    end: u64,
    component: String,
    confidence: String,
    evidence: Vec<String>,
}

impl Found {
    fn from_json(f: &Value) -> Found {
        Found {
            rule: str_field(f, "rule").to_owned(),
            path: str_field(f, "path").to_owned(),
            start: u64_field(f, "start_line"),
            end: u64_field(f, "end_line"),
            component: str_field(f, "component").to_owned(),
            confidence: str_field(f, "confidence").to_owned(),
            evidence: array(f, "evidence")
                .iter()
                .map(|e| {
                    let at = e["path"]
                        .as_str()
                        .map(|p| format!("{p}:"))
                        .unwrap_or_default();
                    format!("{at}{}: {}", u64_field(e, "line"), str_field(e, "message"))
                })
                .collect(),
        }
    }

    fn covers(&self, m: &Marker) -> bool {
        self.rule == m.rule && self.path == m.path && (self.start..=self.end).contains(&m.line)
    }

    fn describe(&self) -> String {
        let mut s = format!(
            "{}:{}-{} [{}] {} ({} confidence)",
            self.path, self.start, self.end, self.rule, self.component, self.confidence
        );
        for e in &self.evidence {
            let _ = write!(s, "\n          evidence {e}");
        }
        s
    }
}

/// The markers on one line of text.
fn markers_on_line(text: &str) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    for (kind, prefix) in Kind::ALL {
        let mut rest = text;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            out.push((kind, id));
        }
    }
    out
}

/// Every marker in the files under `repo` (source and infrastructure files alike).
fn markers_in(repo: &Path) -> Vec<Marker> {
    let mut out = Vec::new();
    for entry in WalkDir::new(repo).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || entry.path().extension().is_some_and(|e| e == "md") {
            continue;
        }
        let rel = entry.path().strip_prefix(repo).unwrap();
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, line) in text.lines().enumerate() {
            for (kind, rule) in markers_on_line(line) {
                out.push(Marker {
                    path: rel.clone(),
                    line: i as u64 + 1,
                    rule,
                    kind,
                });
            }
        }
    }
    out
}

/// The mismatches between markers and findings, one line (or block) each, diff-style.
///
/// Each finding must take one marker of its rule inside its span, and each marker must be
/// taken by one finding. Findings are matched smallest span first, so nested components take
/// their own markers; two findings with the same span (two servers in one image) need two
/// markers, which may share a line.
fn compare(markers: &[Marker], findings: &[Found], known_rules: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut valid = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        if known_rules.contains(&m.rule) {
            valid.push(i);
        } else {
            problems.push(format!(
                "? {}:{}  {}: `{}` is not a rule id (see `liability rules`)",
                m.path,
                m.line,
                m.kind.label(),
                m.rule
            ));
        }
    }
    let mut taken = vec![false; markers.len()];
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (findings[i].end - findings[i].start, i));
    let mut unmatched_findings = Vec::new();
    for i in order {
        let f = &findings[i];
        match valid
            .iter()
            .copied()
            .find(|&m| !taken[m] && f.covers(&markers[m]))
        {
            Some(m) => taken[m] = true,
            None => unmatched_findings.push(i),
        }
    }
    for &m in &valid {
        if taken[m] {
            continue;
        }
        let m = &markers[m];
        let spanning = findings.iter().filter(|f| f.covers(m)).count();
        problems.push(match (m.kind, spanning) {
            (Kind::Expect, 0) => format!(
                "- {}:{}  expect: {}  (no finding of this rule spans the line)",
                m.path, m.line, m.rule
            ),
            (Kind::Expect, n) => format!(
                "- {}:{}  expect: {}  (the {n} finding(s) spanning it took other markers; \
                 each expected finding must be reported separately)",
                m.path, m.line, m.rule
            ),
            (Kind::KnownFalsePositive, _) => format!(
                "- {}:{}  known-false-positive: {}  (no longer reported: the rule was fixed, so \
                 remove the marker and keep the code as a near miss)",
                m.path, m.line, m.rule
            ),
        });
    }
    unmatched_findings.sort_unstable();
    for i in unmatched_findings {
        let f = &findings[i];
        problems.push(format!(
            "+ {}\n        (no free `expect: {}` marker inside the span)",
            f.describe(),
            f.rule
        ));
    }
    problems
}

/// `fixtures/demo-monolith`, every `fixtures/rules/<rule-id>` and every
/// `fixtures/infra/<kind>` and `fixtures/lang/<language>`, sorted.
fn fixture_repos() -> Vec<PathBuf> {
    let mut repos = vec![fixtures_dir().join("demo-monolith")];
    repos.extend(rule_fixture_dirs());
    repos.extend(subdirs(&fixtures_dir().join("infra")));
    repos.extend(subdirs(&fixtures_dir().join("lang")));
    repos
}

fn rule_fixture_dirs() -> Vec<PathBuf> {
    subdirs(&fixtures_dir().join("rules"))
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn dir_name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

fn display(repo: &Path) -> String {
    repo.strip_prefix(crate::support::workspace_root())
        .unwrap_or(repo)
        .display()
        .to_string()
}

#[test]
fn fixture_findings_match_markers() {
    let rules = rule_ids();
    let mut report = String::new();
    let repos = fixture_repos();
    assert!(repos.len() > 1, "no fixture repositories under fixtures/");
    for repo in &repos {
        let json = scan_json(repo, &[]);
        let mut problems = Vec::new();
        for s in array(&json, "skipped") {
            problems.push(format!(
                "? {} was skipped ({}: {}); fixtures must be analysed",
                str_field(s, "path"),
                str_field(s, "reason"),
                str_field(s, "detail")
            ));
        }
        let findings: Vec<Found> = array(&json, "findings")
            .iter()
            .map(Found::from_json)
            .collect();
        problems.extend(compare(&markers_in(repo), &findings, &rules));
        if !problems.is_empty() {
            let _ = writeln!(report, "\n{}:", display(repo));
            for p in problems {
                let _ = writeln!(report, "    {p}");
            }
        }
    }
    assert!(
        report.is_empty(),
        "findings and markers disagree (- expected, not found; + found, not expected; \
         ! ambiguous; ? invalid):\n{report}\nSee the spans with \
         `cargo run -q -- scan <fixture> --format json --min-confidence low`."
    );
}

#[test]
fn every_rule_has_a_positive_fixture_and_every_fixture_dir_is_a_rule() {
    let rules: BTreeSet<String> = rule_ids().into_iter().collect();
    let dirs: BTreeSet<String> = rule_fixture_dirs().iter().map(|d| dir_name(d)).collect();
    assert!(!rules.is_empty(), "`liability rules` listed nothing");
    // Source rules have `fixtures/rules/<id>/`; infrastructure rules mark their positives in
    // `fixtures/infra/<kind>/`. Either way each rule needs a marked positive somewhere.
    let marked: BTreeSet<String> = fixture_repos()
        .iter()
        .flat_map(|r| markers_in(r))
        .filter(|m| m.kind == Kind::Expect)
        .map(|m| m.rule)
        .collect();
    let missing: Vec<_> = rules
        .iter()
        .filter(|r| !dirs.contains(*r) && !marked.contains(*r))
        .collect();
    let stray: Vec<_> = dirs.difference(&rules).collect();
    assert!(
        missing.is_empty() && stray.is_empty(),
        "rules without a marked positive fixture: {missing:?}; fixture dirs that are not rule \
         ids: {stray:?}"
    );
}

#[test]
fn rule_fixtures_mark_positives_in_bad_and_nothing_in_ok() {
    for dir in rule_fixture_dirs() {
        let id = dir_name(&dir);
        for file in ["bad.rs", "ok.rs"] {
            assert!(
                dir.join(file).is_file(),
                "fixtures/rules/{id}/{file} is missing"
            );
        }
        let markers = markers_in(&dir);
        assert!(
            markers
                .iter()
                .any(|m| m.path == "bad.rs" && m.kind == Kind::Expect && m.rule == id),
            "fixtures/rules/{id}/bad.rs has no `// expect: {id}` marker"
        );
        let in_ok: Vec<_> = markers.iter().filter(|m| m.path == "ok.rs").collect();
        assert!(
            in_ok.is_empty(),
            "fixtures/rules/{id}/ok.rs holds near misses and must carry no markers: {in_ok:?}"
        );
    }
}

#[test]
fn demo_monolith_shows_every_category_of_the_brief() {
    let json = scan_json(&fixtures_dir().join("demo-monolith"), &[]);
    let categories: BTreeSet<&str> = array(&json, "findings")
        .iter()
        .map(|f| str_field(f, "category"))
        .collect();
    for wanted in ["cache", "http-server", "queue", "retry", "scheduler"] {
        assert!(
            categories.contains(wanted),
            "the demo has no `{wanted}` finding: {categories:?}"
        );
    }
}

#[test]
fn marker_parsing_and_matching_catch_every_kind_of_mismatch() {
    assert_eq!(
        markers_on_line("    loop { // expect: hand-rolled-retry-loop"),
        vec![(Kind::Expect, "hand-rolled-retry-loop".to_owned())]
    );
    assert_eq!(
        markers_on_line("x // known-false-positive: polling-job-queue (why)"),
        vec![(Kind::KnownFalsePositive, "polling-job-queue".to_owned())]
    );
    assert!(markers_on_line("let expect = 1; // expects: nothing").is_empty());
    assert_eq!(
        markers_on_line("image: redis # expect: compose-service-runs-server # expect: x"),
        vec![
            (Kind::Expect, "compose-service-runs-server".to_owned()),
            (Kind::Expect, "x".to_owned())
        ]
    );

    let rules = vec!["a".to_owned(), "b".to_owned()];
    let marker = |line, rule: &str, kind| Marker {
        path: "f.rs".into(),
        line,
        rule: rule.into(),
        kind,
    };
    let found = |rule: &str, start, end| Found {
        rule: rule.into(),
        path: "f.rs".into(),
        start,
        end,
        component: "fn f".into(),
        confidence: "high".into(),
        evidence: vec![],
    };
    let exact = [marker(5, "a", Kind::Expect)];
    assert!(compare(&exact, &[found("a", 1, 9)], &rules).is_empty());
    // Wrong rule, outside the span, nothing found, unknown rule, two in one span.
    let first = |m: &[Marker], f: &[Found]| compare(m, f, &rules).join("\n");
    assert!(first(&exact, &[found("b", 1, 9)]).contains("- f.rs:5  expect: a"));
    assert!(first(&exact, &[found("a", 6, 9)]).contains("+ f.rs:6-9 [a]"));
    assert!(first(&exact, &[]).starts_with("- f.rs:5"));
    assert!(first(&[marker(5, "zz", Kind::Expect)], &[]).starts_with("? f.rs:5"));
    let two = [marker(2, "a", Kind::Expect), marker(3, "a", Kind::Expect)];
    assert!(first(&two, &[found("a", 1, 9)]).contains("took other markers"));
    assert!(first(&exact, &[found("a", 1, 9), found("a", 4, 6)]).contains("+ f.rs:1-9 [a]"));
    // Two findings on one span take two markers, even on one line; nested spans take their own.
    let twice = [marker(5, "a", Kind::Expect), marker(5, "a", Kind::Expect)];
    assert!(compare(&twice, &[found("a", 1, 9), found("a", 1, 9)], &rules).is_empty());
    let nested = [marker(2, "a", Kind::Expect), marker(5, "a", Kind::Expect)];
    assert!(compare(&nested, &[found("a", 1, 9), found("a", 4, 6)], &rules).is_empty());
    // A known false positive that disappears asks for its marker to go.
    let fp = [marker(5, "a", Kind::KnownFalsePositive)];
    assert!(compare(&fp, &[found("a", 1, 9)], &rules).is_empty());
    assert!(first(&fp, &[]).contains("no longer reported"));
}
