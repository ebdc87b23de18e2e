//! The JSON format: a versioned, explicit representation of the report.
//!
//! These structs are the contract (`docs/json-report.md`); internal types are not
//! serialised directly, so they can change without breaking consumers. Bump `SCHEMA_VERSION`
//! on any incompatible change; adding a field is compatible.

use crate::RenderOptions;
use crate::catalogue::{Catalogue, Suggestion};
use crate::next::NextAction;
use crate::summary::Summary;
use liability_model::{Confidence, Liability, Range, Report};
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
    /// The provider whose services the suggestions name.
    cloud: &'static str,
    summary: JsonSummary,
    /// The finding to replace first, or `null` when nothing was found.
    next_best_action: Option<crate::next::JsonNext<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    liability: Option<JsonRepoLiability<'a>>,
    findings: Vec<JsonFinding<'a>>,
    /// Findings silenced by a suppression: out of the totals, listed with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressed: Vec<JsonSuppressed<'a>>,
    /// Suppressions that matched nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unmatched_suppressions: Vec<JsonUnmatched<'a>>,
    skipped: Vec<JsonSkipped<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    rule: &'static str,
    category: &'static str,
    path: &'a str,
    start_line: u32,
    end_line: u32,
    component: &'a str,
    code_lines: u32,
    reason: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct JsonUnmatched<'a> {
    source: &'a str,
    target: &'a str,
    reason: &'a str,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    confidence: &'static str,
    code_lines: u32,
    complexity: JsonComplexity,
    /// The central yearly cost: the single number consumers (and the corpus scorer) rank by.
    #[serde(skip_serializing_if = "Option::is_none")]
    liability: Option<f64>,
    /// The full price: ranges, factors, history, migration.
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<JsonLiability<'a>>,
    evidence: Vec<JsonEvidence<'a>>,
    /// What replaces it on the chosen cloud.
    suggestion: JsonSuggestion<'a>,
    /// A few source lines from the start of the finding.
    snippet: Vec<JsonSnippetLine<'a>>,
    /// GitHub's `primaryLocationLineHash` of the start line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    line_hash: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSnippetLine<'a> {
    line: u32,
    text: &'a str,
}

/// A suggestion as JSON (also used by `liability next --format json`).
#[derive(Serialize)]
pub(crate) struct JsonSuggestion<'a> {
    cloud: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<&'a str>,
    services: &'a [String],
    why: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tip: Option<&'a str>,
    steps: &'a [String],
    effort: &'a str,
    docs: &'a [String],
    library: &'a str,
}

impl<'a> JsonSuggestion<'a> {
    pub(crate) fn of(s: &'a Suggestion) -> Self {
        JsonSuggestion {
            cloud: s.cloud.id(),
            server: s.server.as_deref(),
            services: &s.services,
            why: &s.why,
            tip: s.tip.as_deref(),
            steps: &s.steps,
            effort: &s.effort,
            docs: &s.docs,
            library: &s.library,
        }
    }
}

#[derive(Serialize)]
struct JsonComplexity {
    functions: u32,
    cyclomatic_sum: u32,
    cyclomatic_max: u32,
    cognitive_sum: u32,
    cognitive_max: u32,
}

#[derive(Serialize)]
struct JsonRange {
    low: f64,
    central: f64,
    high: f64,
}

impl From<Range> for JsonRange {
    fn from(r: Range) -> Self {
        JsonRange {
            low: round2(r.low),
            central: round2(r.central),
            high: round2(r.high),
        }
    }
}

#[derive(Serialize)]
struct JsonHistory {
    window_days: u32,
    commits: u32,
    lines_added: u64,
    lines_removed: u64,
    authors: u32,
    top_author_share: f64,
    top_author_active: bool,
    first_change: i64,
    last_change: i64,
}

#[derive(Serialize)]
struct JsonLiability<'a> {
    /// `null` when unavailable; `history_unavailable` then says why.
    history: Option<JsonHistory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_unavailable: Option<&'a str>,
    build_cost: f64,
    build_hours: f64,
    factors: JsonFactors,
    ops_hours: f64,
    yearly_hours: JsonRange,
    yearly_cost: JsonRange,
    retirable_share: f64,
    retirable_yearly_cost: f64,
    migration_hours: f64,
    migration_points: u8,
}

#[derive(Serialize)]
struct JsonFactors {
    churn: f64,
    complexity: f64,
    concentration: f64,
}

#[derive(Serialize)]
struct JsonRepoLiability<'a> {
    currency: &'a str,
    hourly_rate: f64,
    code_lines: u64,
    build_effort_months: f64,
    build_cost: f64,
    yearly_hours: JsonRange,
    yearly_cost: JsonRange,
    retirable_yearly_cost: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_note: Option<&'a str>,
}

/// Money and hours are shown to the cent; more digits would be false precision and would
/// make reports differ in the last bit between platforms.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn json_liability(l: &Liability) -> JsonLiability<'_> {
    let (history, history_unavailable) = match &l.history {
        Ok(h) => (
            Some(JsonHistory {
                window_days: h.window_days,
                commits: h.commits,
                lines_added: h.lines_added,
                lines_removed: h.lines_removed,
                authors: h.authors,
                top_author_share: round2(h.top_author_share),
                top_author_active: h.top_author_active,
                first_change: h.first_change,
                last_change: h.last_change,
            }),
            None,
        ),
        Err(reason) => (None, Some(reason.as_str())),
    };
    JsonLiability {
        history,
        history_unavailable,
        build_cost: round2(l.build_cost),
        build_hours: round2(l.build_hours),
        factors: JsonFactors {
            churn: round2(l.factors.churn),
            complexity: round2(l.factors.complexity),
            concentration: round2(l.factors.concentration),
        },
        ops_hours: round2(l.ops_hours),
        yearly_hours: l.yearly_hours.into(),
        yearly_cost: l.yearly_cost.into(),
        retirable_share: round2(l.retirable_share),
        retirable_yearly_cost: round2(l.retirable_yearly_cost),
        migration_hours: round2(l.migration_hours),
        migration_points: l.migration_points,
    }
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
    let catalogue = Catalogue::embedded();
    let suggestions: Vec<Suggestion> = report
        .findings
        .iter()
        .map(|f| catalogue.suggest(f, options.cloud))
        .collect();
    // The next best action among the findings the people-facing formats show.
    let shown = Summary::of(report, options.min_confidence);
    let next = NextAction::of(report, &shown, options);
    let json = JsonReport {
        cloud: options.cloud.id(),
        next_best_action: next.as_ref().map(crate::next::json),
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "liability",
            version: options.tool_version,
        },
        root: &options.root,
        liability: report.liability.as_ref().map(|t| JsonRepoLiability {
            currency: &t.currency,
            hourly_rate: round2(t.hourly_rate),
            code_lines: t.code_lines,
            build_effort_months: round2(t.build_effort_months),
            build_cost: round2(t.build_cost),
            yearly_hours: t.yearly_hours.into(),
            yearly_cost: t.yearly_cost.into(),
            retirable_yearly_cost: round2(t.retirable_yearly_cost),
            history_note: t.history_note.as_deref(),
        }),
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
            .zip(&suggestions)
            .map(|(f, suggestion)| JsonFinding {
                suggestion: JsonSuggestion::of(suggestion),
                snippet: f
                    .snippet
                    .iter()
                    .map(|(line, text)| JsonSnippetLine { line: *line, text })
                    .collect(),
                line_hash: f.line_hash.as_deref(),
                rule: f.rule,
                category: f.category.id(),
                path: &f.path,
                start_line: f.span.start,
                end_line: f.span.end,
                component: &f.component,
                subject: f.subject.as_deref(),
                confidence: f.confidence.id(),
                code_lines: f.code_lines,
                complexity: JsonComplexity {
                    functions: f.complexity.functions,
                    cyclomatic_sum: f.complexity.cyclomatic_sum,
                    cyclomatic_max: f.complexity.cyclomatic_max,
                    cognitive_sum: f.complexity.cognitive_sum,
                    cognitive_max: f.complexity.cognitive_max,
                },
                liability: f.liability.as_ref().map(|l| round2(l.yearly_cost.central)),
                cost: f.liability.as_ref().map(json_liability),
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
        suppressed: report
            .suppressed
            .iter()
            .map(|s| JsonSuppressed {
                rule: s.finding.rule,
                category: s.finding.category.id(),
                path: &s.finding.path,
                start_line: s.finding.span.start,
                end_line: s.finding.span.end,
                component: &s.finding.component,
                code_lines: s.finding.code_lines,
                reason: &s.reason,
                source: &s.source,
            })
            .collect(),
        unmatched_suppressions: report
            .unmatched_suppressions
            .iter()
            .map(|u| JsonUnmatched {
                source: &u.source,
                target: &u.target,
                reason: &u.reason,
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
