//! Tests over a small hand-built report: snapshots of every format, the next-best-action
//! ranking, SARIF's required GitHub fields, the Markdown budget and HTML escaping.

use crate::{Format, NextFormat, RenderOptions, RuleMeta};
use liability_model::{
    Category, Complexity, Confidence, Evidence, Factors, Finding, Language, LanguageStats,
    Liability, LineSpan, Range, RepoLiability, Report, SkipReason, Skipped,
};

fn priced(yearly: f64, retirable: f64, hours: f64) -> Liability {
    Liability {
        complexity: Complexity::default(),
        history: Err("history disabled (--no-history)".to_owned()),
        build_cost: yearly * 2.0,
        build_hours: hours * 3.0,
        factors: Factors {
            churn: 1.0,
            complexity: 1.1,
            concentration: 1.0,
        },
        ops_hours: 10.0,
        yearly_hours: Range {
            low: yearly / 200.0,
            central: yearly / 100.0,
            high: yearly / 50.0,
        },
        yearly_cost: Range {
            low: yearly / 2.0,
            central: yearly,
            high: yearly * 2.0,
        },
        retirable_share: retirable / yearly,
        retirable_yearly_cost: retirable,
        migration_hours: hours,
        migration_points: 5,
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    rule: &'static str,
    category: Category,
    path: &str,
    span: (u32, u32),
    component: &str,
    code_lines: u32,
    liability: Option<Liability>,
    snippet: &[&str],
) -> Finding {
    Finding {
        rule,
        category,
        path: path.to_owned(),
        span: LineSpan::new(span.0, span.1),
        component: component.to_owned(),
        definition: String::new(),
        subject: None,
        confidence: Confidence::High,
        evidence: vec![
            Evidence {
                path: None,
                line: span.0 + 1,
                rule,
                message: "loops over a fallible call and sleeps before trying again".to_owned(),
            },
            Evidence {
                path: None,
                line: span.0 + 3,
                rule,
                message: "multiplies `delay` between attempts".to_owned(),
            },
        ],
        code_lines,
        file_code_lines: code_lines * 2,
        complexity: Complexity {
            functions: 1,
            cyclomatic_sum: 4,
            cyclomatic_max: 4,
            cognitive_sum: 6,
            cognitive_max: 6,
            ..Complexity::default()
        },
        liability,
        snippet: snippet
            .iter()
            .zip(span.0..)
            .map(|(l, n)| (n, (*l).to_owned()))
            .collect(),
        line_hash: Some(format!("{:x}:1", u64::from(span.0) * 0x9e37_79b9)),
    }
}

/// A small report: three priced findings, one unpriced low-confidence one, one skipped file.
pub(crate) fn sample() -> Report {
    let mut pg = finding(
        "self-managed-server",
        Category::SelfManagedInfra,
        "deploy/docker-compose.yml",
        (3, 9),
        "service db",
        7,
        Some(priced(4_000.0, 3_000.0, 30.0)),
        &[
            "  db:",
            "    image: postgres:16",
            "    volumes: [pg:/var/lib/postgresql]",
        ],
    );
    pg.subject = Some("postgres".to_owned());
    let mut low = finding(
        "in-memory-eviction-cache",
        Category::Cache,
        "src/util/memo.rs",
        (1, 30),
        "struct Memo",
        25,
        None,
        &[],
    );
    low.confidence = Confidence::Low;
    let mut report = Report {
        files_scanned: 12,
        findings: vec![
            pg,
            finding(
                "hand-rolled-http-server",
                Category::HttpServer,
                "src/server/mod.rs",
                (10, 70),
                "struct Server",
                55,
                Some(priced(12_000.0, 9_000.0, 120.0)),
                &[
                    "pub struct Server {",
                    "    listener: TcpListener,",
                    "    routes: Vec<Route>,",
                    "}",
                ],
            ),
            finding(
                "hand-rolled-retry-loop",
                Category::Retry,
                "src/util/backoff.rs",
                (10, 41),
                "fn with_retries",
                27,
                Some(priced(2_500.0, 2_000.0, 8.0)),
                &[
                    "pub fn with_retries<T>(mut op: impl FnMut() -> Result<T>) -> Result<T> {",
                    "\tlet mut delay = 100;",
                    "    for attempt in 0..5 {",
                ],
            ),
            low,
        ],
        skipped: vec![Skipped {
            path: "assets/logo.rs".to_owned(),
            reason: SkipReason::Binary,
            detail: "NUL byte at 12".to_owned(),
        }],
        liability: Some(RepoLiability {
            code_lines: 900,
            build_effort_months: 2.5,
            build_cost: 50_000.0,
            yearly_hours: Range::default(),
            yearly_cost: Range {
                low: 9_250.0,
                central: 18_500.0,
                high: 37_000.0,
            },
            retirable_yearly_cost: 14_000.0,
            currency: "USD".to_owned(),
            hourly_rate: 65.0,
            history_note: Some("history disabled (--no-history)".to_owned()),
        }),
        ..Report::default()
    };
    report.languages.insert(
        Language::Rust,
        LanguageStats {
            files: 12,
            code_lines: 900,
        },
    );
    report.normalise();
    report
}

pub(crate) fn options() -> RenderOptions {
    let mut o = RenderOptions::new("demo", "0.0.0-test");
    o.rules = vec![RuleMeta {
        id: "hand-rolled-retry-loop",
        category: Category::Retry,
        summary: "a loop that retries a fallible call with sleeps",
        doc: "# hand-rolled-retry-loop\n\n## What it does\n\nFinds loops that retry.\n\n\
              ## Why is this a liability?\n\nSDKs retry already.\n\n## Example\n\n```rust\nloop {}\n```\n"
            .to_owned(),
    }];
    o
}

fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    let mut out = Vec::new();
    crate::render(report, format, options, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn render_next(report: &Report, format: NextFormat) -> String {
    let mut out = Vec::new();
    crate::render_next(report, format, &options(), &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn snapshot_text() {
    insta::assert_snapshot!("text", render(&sample(), Format::Text, &options()));
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!("json", render(&sample(), Format::Json, &options()));
}

#[test]
fn snapshot_sarif() {
    insta::assert_snapshot!("sarif", render(&sample(), Format::Sarif, &options()));
}

#[test]
fn snapshot_markdown() {
    insta::assert_snapshot!("markdown", render(&sample(), Format::Markdown, &options()));
}

#[test]
fn snapshot_html() {
    insta::assert_snapshot!("html", render(&sample(), Format::Html, &options()));
}

#[test]
fn snapshot_next() {
    let text = render_next(&sample(), NextFormat::Text);
    let json = render_next(&sample(), NextFormat::Json);
    let md = render_next(&sample(), NextFormat::Markdown);
    insta::assert_snapshot!("next", format!("{text}\n---\n{json}\n---\n{md}"));
}

#[test]
fn next_best_action_is_best_payback_per_hour() {
    let report = sample();
    let summary = crate::Summary::of(&report, Confidence::Medium);
    // retry: 2000/8 = 250/h; postgres: 3000/30 = 100/h; http: 9000/120 = 75/h.
    let order: Vec<&str> = summary
        .ranked
        .iter()
        .map(|&i| report.findings[i].rule)
        .collect();
    assert_eq!(
        order,
        [
            "hand-rolled-retry-loop",
            "self-managed-server",
            "hand-rolled-http-server"
        ]
    );
    // The low-confidence finding is ranked only when shown, after every priced one.
    let all = crate::Summary::of(&report, Confidence::Low);
    assert_eq!(all.ranked.len(), 4);
    assert_eq!(
        report.findings[all.ranked[3]].rule,
        "in-memory-eviction-cache"
    );
    // The text report prints it first, before the table.
    let text = render(&report, Format::Text, &options());
    let next = text
        .find("Next best action: Retry / backoff")
        .expect("next action shown");
    assert!(next < text.find("category").expect("table"));
}

#[test]
fn ranking_is_deterministic_on_ties_and_falls_back_to_size() {
    let mut report = sample();
    for f in &mut report.findings {
        f.liability = None;
        f.confidence = Confidence::High;
    }
    report.findings[1].code_lines = 25; // tie with the cache finding (25 lines)
    let order = crate::rank(&report, Confidence::Low);
    let sizes: Vec<u32> = order
        .iter()
        .map(|&i| report.findings[i].code_lines)
        .collect();
    assert_eq!(sizes, [27, 25, 25, 7]);
    assert!(order[1] < order[2], "ties keep report order");
    assert_eq!(order, crate::rank(&report, Confidence::Low));
}

#[test]
fn sarif_has_every_field_github_requires() {
    let text = render(&sample(), Format::Sarif, &options());
    let log: serde_json::Value = serde_json::from_str(&text).expect("json");
    let nonempty = |v: &serde_json::Value, what: &str| {
        assert!(
            v.as_str().is_some_and(|s| !s.trim().is_empty()),
            "{what} missing or empty: {v}"
        );
    };
    nonempty(&log["$schema"], "$schema");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    nonempty(&driver["name"], "driver.name");
    nonempty(&driver["semanticVersion"], "driver.semanticVersion");
    let rules = driver["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        nonempty(&rule["id"], "rule.id");
        for field in ["shortDescription", "fullDescription"] {
            nonempty(&rule[field]["text"], field);
            assert!(rule[field]["text"].as_str().unwrap().chars().count() <= 1024);
        }
        nonempty(&rule["help"]["text"], "help.text");
        nonempty(&rule["help"]["markdown"], "help.markdown");
        nonempty(&rule["defaultConfiguration"]["level"], "level");
        nonempty(&rule["properties"]["problem.severity"], "problem.severity");
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(!tags.is_empty() && tags.len() <= 20);
        assert!(rule.get("helpUri").is_none());
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        4,
        "SARIF keeps low-confidence findings as notes"
    );
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        nonempty(&r["level"], "level");
        nonempty(&r["message"]["text"], "message");
        assert!(
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("Replace it with")
        );
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.starts_with('/') && !uri.contains("://"));
        assert!(loc["region"]["startLine"].as_u64().expect("startLine") >= 1);
        assert!(loc["region"]["endLine"].as_u64() >= loc["region"]["startLine"].as_u64());
        nonempty(
            &r["partialFingerprints"]["primaryLocationLineHash"],
            "primaryLocationLineHash",
        );
    }
}

#[test]
fn markdown_respects_its_byte_budget() {
    let mut report = sample();
    let template = report.findings[1].clone();
    for i in 0..400 {
        let mut f = template.clone();
        f.path = format!("src/gen/file_{i:03}.rs");
        report.findings.push(f);
    }
    report.normalise();
    let mut options = options();
    options.markdown_budget = 20_000;
    let text = render(&report, Format::Markdown, &options);
    assert!(text.len() <= 20_000, "{} bytes", text.len());
    assert!(text.contains("… and "), "the cut is announced");
    options.markdown_budget = crate::DEFAULT_MARKDOWN_BUDGET;
    let full = render(&report, Format::Markdown, &options);
    assert!(!full.contains("… and "));
}

/// Repository content that tries to break out of HTML or Markdown.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
];

fn hostile_report() -> Report {
    let mut report = sample();
    for (i, f) in report.findings.iter_mut().enumerate() {
        let bad = HOSTILE[i % HOSTILE.len()];
        f.path = format!("src/{bad}/x.rs");
        f.component = format!("fn {bad}");
        f.subject = Some(bad.to_owned());
        f.evidence[0].message = format!("calls {bad}");
        f.snippet = HOSTILE
            .iter()
            .zip(1..)
            .map(|(s, n)| (n, (*s).to_owned()))
            .collect();
    }
    report.skipped[0].path = format!("{}.rs", HOSTILE[1]);
    report.skipped[0].detail = HOSTILE[0].to_owned();
    report
}

#[test]
fn html_escapes_every_piece_of_repository_content() {
    let mut options = options();
    options.min_confidence = Confidence::Low;
    options.root = HOSTILE[0].to_owned();
    let html = render(&hostile_report(), Format::Html, &options);
    for bad in ["<script>alert", "<img", "onerror=alert(1)>", "\"><img"] {
        assert!(!html.contains(bad), "`{bad}` survived unescaped");
    }
    // `javascript:` may appear as text, never as a link or a source.
    for attr in [
        "href=\"javascript:",
        "src=\"javascript:",
        "href='javascript:",
    ] {
        assert!(!html.to_lowercase().contains(attr), "{attr}");
    }
    // The page's own script is the only one.
    assert_eq!(
        html.matches("<script").count(),
        1,
        "exactly the inline sort script"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn markdown_escapes_repository_content() {
    let mut options = options();
    options.min_confidence = Confidence::Low;
    let md = render(&hostile_report(), Format::Markdown, &options);
    for bad in ["<script>", "<img", "\"><"] {
        assert!(!md.contains(bad), "`{bad}` survived unescaped");
    }
}

#[test]
fn every_format_is_deterministic() {
    for format in crate::Format::ALL {
        let a = render(&sample(), format, &options());
        let b = render(&sample(), format, &options());
        assert_eq!(a, b, "{format:?}");
    }
}
