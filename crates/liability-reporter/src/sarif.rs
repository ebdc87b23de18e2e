//! The SARIF 2.1.0 format, as GitHub code scanning reads it.
//!
//! Hand-written structs for GitHub's subset (`docs/output-formats.md`): every property GitHub
//! requires is a non-`Option` field, so an incomplete upload cannot be built. Each result
//! carries the finding's `primaryLocationLineHash` (computed by the scanner exactly as the
//! codeql-action does), a message that includes the replacement suggestion, and the liability
//! figures under `properties`. Rule descriptors come from `RenderOptions::rules` (the scanner's
//! rule pages), so the reporter does not depend on the scanner. `helpUri` is omitted: the rule
//! pages live in the repository (`docs/rules/<id>.md`), which is not a stable absolute URI, and
//! GitHub shows `help.markdown` instead.

use crate::catalogue::{Catalogue, Suggestion};
use crate::util::{currency, money, truncate};
use crate::{RenderOptions, RuleMeta};
use liability_model::{Confidence, Finding, Report};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub's limit on descriptions.
const MAX_DESCRIPTION: usize = 1024;

#[derive(Serialize)]
pub(crate) struct SarifLog {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Run {
    pub tool: Tool,
    pub results: Vec<SarifResult>,
    pub column_kind: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Driver {
    pub name: &'static str,
    pub semantic_version: String,
    pub rules: Vec<Descriptor>,
}

#[derive(Serialize)]
pub(crate) struct Text {
    pub text: String,
}

#[derive(Serialize)]
pub(crate) struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
pub(crate) struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
pub(crate) struct RuleProperties {
    pub tags: Vec<String>,
    pub precision: &'static str,
    #[serde(rename = "problem.severity")]
    pub problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Descriptor {
    pub id: String,
    pub name: String,
    pub short_description: Text,
    pub full_description: Text,
    pub help: Help,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<Location>,
    pub partial_fingerprints: BTreeMap<&'static str, String>,
    pub properties: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Serialize)]
pub(crate) struct ArtifactLocation {
    pub uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Region {
    pub start_line: u32,
    pub end_line: u32,
}

/// Percent-encodes a relative path for a URI reference (RFC 3986): unreserved characters and
/// `/` stay, everything else is `%XX` per UTF-8 byte.
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `hand-rolled-retry-loop` → `HandRolledRetryLoop`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The text of one `## Section` of a rule page, without the heading.
fn section<'d>(doc: &'d str, heading: &str) -> Option<&'d str> {
    let start = doc.find(heading)? + heading.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|s| !s.is_empty())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn descriptor(rule: &RuleMeta, options: &RenderOptions) -> Descriptor {
    let what =
        section(&rule.doc, "## What it does").map_or_else(|| rule.summary.to_owned(), one_line);
    let why = section(&rule.doc, "## Why is this a liability?").map(one_line);
    let full = match why {
        Some(why) => format!("{what} {why}"),
        None => what,
    };
    let mut short = rule.summary.to_owned();
    if let Some(first) = short.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    // The category's replacement on the chosen cloud, as a help footer.
    let probe = probe_finding(rule);
    let s = Catalogue::embedded().suggest(&probe, options.cloud);
    let doc = if rule.doc.trim().is_empty() {
        format!("# {}\n\n{}\n", rule.id, rule.summary)
    } else {
        rule.doc.clone()
    };
    let mut markdown = doc.clone();
    markdown.push_str(&format!(
        "\n## Replacement on {}\n\n**{}**: {}\n\n",
        s.cloud.title(),
        s.headline(),
        s.why
    ));
    for (i, step) in s.steps.iter().enumerate() {
        markdown.push_str(&format!("{}. {step}\n", i + 1));
    }
    for d in &s.docs {
        markdown.push_str(&format!("\n- <{d}>"));
    }
    markdown.push('\n');
    let text = format!(
        "{doc}\nReplacement on {}: {} — {}\n",
        s.cloud.title(),
        s.headline(),
        s.why
    );
    Descriptor {
        id: rule.id.to_owned(),
        name: pascal(rule.id),
        short_description: Text {
            text: truncate(&short, MAX_DESCRIPTION),
        },
        full_description: Text {
            text: truncate(&full, MAX_DESCRIPTION),
        },
        help: Help { text, markdown },
        default_configuration: Configuration { level: "warning" },
        properties: RuleProperties {
            tags: vec![
                "maintainability".to_owned(),
                "liability".to_owned(),
                rule.category.id().to_owned(),
            ],
            precision: "medium",
            problem_severity: "warning",
        },
    }
}

/// A finding that only carries a rule and category, to ask the catalogue for the category's
/// general advice.
fn probe_finding(rule: &RuleMeta) -> Finding {
    Finding {
        rule: rule.id,
        category: rule.category,
        path: String::new(),
        span: liability_model::LineSpan::new(1, 1),
        component: String::new(),
        definition: String::new(),
        subject: None,
        confidence: Confidence::Low,
        evidence: Vec::new(),
        code_lines: 0,
        file_code_lines: 0,
        complexity: liability_model::Complexity::default(),
        liability: None,
        snippet: Vec::new(),
        line_hash: None,
    }
}

fn message(f: &Finding, s: &Suggestion, cur: &str) -> String {
    let mut text = format!(
        "{} built in-house: {} ({} code lines",
        f.category.title(),
        f.component,
        f.code_lines
    );
    if let Some(l) = &f.liability {
        text.push_str(&format!(
            ", about {} {cur} a year to own",
            money(l.yearly_cost.central)
        ));
    }
    text.push_str(&format!(
        "). Replace it with {} ({}): {}",
        s.headline(),
        s.cloud.title(),
        s.tip.as_deref().unwrap_or(&s.why)
    ));
    if let Some(step) = s.steps.first() {
        text.push_str(&format!(" First step: {step}"));
    }
    text
}

fn result_properties(f: &Finding, s: &Suggestion, cur: &str) -> serde_json::Value {
    let r = crate::json::round2;
    let mut props = serde_json::json!({
        "category": f.category.id(),
        "component": f.component,
        "confidence": f.confidence.id(),
        "codeLines": f.code_lines,
        "suggestion": {
            "cloud": s.cloud.id(),
            "services": s.services,
            "steps": s.steps,
            "docs": s.docs,
        },
    });
    if let (Some(l), Some(map)) = (&f.liability, props.as_object_mut()) {
        map.insert(
            "liability".to_owned(),
            serde_json::json!({
                "currency": cur,
                "yearlyCost": { "low": r(l.yearly_cost.low), "central": r(l.yearly_cost.central), "high": r(l.yearly_cost.high) },
                "retirableYearlyCost": r(l.retirable_yearly_cost),
                "migrationHours": r(l.migration_hours),
                "migrationPoints": l.migration_points,
            }),
        );
    }
    props
}

/// The SARIF log of `report` (all findings, whatever `min_confidence`: low ones are notes).
pub(crate) fn log(report: &Report, options: &RenderOptions) -> SarifLog {
    let mut metas: BTreeMap<&str, RuleMeta> =
        options.rules.iter().map(|r| (r.id, r.clone())).collect();
    for f in &report.findings {
        metas.entry(f.rule).or_insert_with(|| RuleMeta {
            id: f.rule,
            category: f.category,
            summary: f.category.title(),
            doc: String::new(),
        });
    }
    let index: BTreeMap<&str, usize> = metas.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Descriptor> = metas.values().map(|m| descriptor(m, options)).collect();
    let cur = currency(report);
    let catalogue = Catalogue::embedded();
    let results = report
        .findings
        .iter()
        .map(|f| {
            let s = catalogue.suggest(f, options.cloud);
            let mut fingerprints = BTreeMap::new();
            if let Some(hash) = &f.line_hash {
                fingerprints.insert("primaryLocationLineHash", hash.clone());
            }
            SarifResult {
                rule_id: f.rule.to_owned(),
                rule_index: index.get(f.rule).copied().unwrap_or(0),
                level: match f.confidence {
                    Confidence::Low => "note",
                    Confidence::Medium | Confidence::High => "warning",
                },
                message: Text {
                    text: message(f, &s, cur),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: uri_path(&f.path),
                        },
                        region: Region {
                            start_line: f.span.start.max(1),
                            end_line: f.span.end.max(f.span.start).max(1),
                        },
                    },
                }],
                partial_fingerprints: fingerprints,
                properties: result_properties(f, &s, cur),
            }
        })
        .collect();
    SarifLog {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "liability",
                    semantic_version: options.tool_version.to_owned(),
                    rules,
                },
            },
            results,
            column_kind: "utf16CodeUnits",
        }],
    }
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, options)).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
