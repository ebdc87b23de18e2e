//! The JSON format: a versioned, explicit representation of the report.
//!
//! These structs are the contract (`docs/json-schema.md`); internal types are not
//! serialised directly, so they can change without breaking consumers. Bump `SCHEMA_VERSION`
//! on any incompatible change; adding a field is compatible.

use crate::RenderOptions;
use crate::summary::Summary;
use liability_model::{Confidence, Report};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The version of the JSON report's shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    root: &'a str,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
    skipped: Vec<JsonSkipped<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonSummary {
    files_scanned: u64,
    files_skipped: u64,
    code_lines: u64,
    findings: u64,
    findings_by_category: BTreeMap<&'static str, JsonCategory>,
    languages: BTreeMap<&'static str, JsonLanguage>,
}

#[derive(Serialize)]
struct JsonCategory {
    findings: u64,
    code_lines: u64,
}

#[derive(Serialize)]
struct JsonLanguage {
    files: u64,
    code_lines: u64,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    category: &'static str,
    path: &'a str,
    start_line: u32,
    end_line: u32,
    component: &'a str,
    confidence: &'static str,
    code_lines: u32,
    evidence: Vec<JsonEvidence<'a>>,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    line: u32,
    rule: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSkipped<'a> {
    path: &'a str,
    reason: &'static str,
    detail: &'a str,
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(report, Confidence::Low);
    let json = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "liability",
            version: options.tool_version,
        },
        root: &options.root,
        summary: JsonSummary {
            files_scanned: summary.files_scanned,
            files_skipped: summary.files_skipped,
            code_lines: summary.code_lines,
            findings: summary.findings,
            findings_by_category: summary
                .by_category
                .iter()
                .map(|(c, s)| {
                    (
                        c.id(),
                        JsonCategory {
                            findings: s.findings,
                            code_lines: s.code_lines,
                        },
                    )
                })
                .collect(),
            languages: report
                .languages
                .iter()
                .map(|(l, s)| {
                    (
                        l.id(),
                        JsonLanguage {
                            files: s.files,
                            code_lines: s.code_lines,
                        },
                    )
                })
                .collect(),
        },
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding {
                rule: f.rule,
                category: f.category.id(),
                path: &f.path,
                start_line: f.span.start,
                end_line: f.span.end,
                component: &f.component,
                confidence: f.confidence.id(),
                code_lines: f.code_lines,
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| JsonEvidence {
                        path: e.path.as_deref(),
                        line: e.line,
                        rule: e.rule,
                        message: &e.message,
                    })
                    .collect(),
            })
            .collect(),
        skipped: report
            .skipped
            .iter()
            .map(|s| JsonSkipped {
                path: &s.path,
                reason: s.reason.id(),
                detail: &s.detail,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
