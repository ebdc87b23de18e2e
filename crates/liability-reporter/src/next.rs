//! The next best action: the finding whose migration pays back most per hour of work, why it
//! comes first, and what to do. The text, Markdown and HTML reports show it first; `liability
//! next` prints it alone. The ranking itself lives in `summary::rank`.

use crate::catalogue::{Catalogue, Suggestion};
use crate::summary::{Summary, payback_per_hour};
use crate::util::{currency, money, wrap};
use crate::{NextFormat, RenderOptions};
use liability_model::{Finding, Report};
use serde::Serialize;
use std::io::{self, Write};

/// The next best action of a report.
#[derive(Debug, Clone)]
pub struct NextAction<'r> {
    /// Index into `report.findings`.
    pub index: usize,
    pub finding: &'r Finding,
    pub suggestion: Suggestion,
    /// One paragraph: why this finding is first.
    pub why_first: String,
    /// One paragraph: what to do.
    pub what_to_do: String,
}

impl<'r> NextAction<'r> {
    /// The next best action of `report` as `summary` ranks it, if any finding is shown.
    pub fn of(report: &'r Report, summary: &Summary, options: &RenderOptions) -> Option<Self> {
        let index = summary.next_best_action()?;
        let finding = report.findings.get(index)?;
        let suggestion = Catalogue::embedded().suggest(finding, options.cloud);
        let cur = currency(report);
        let shown = summary.ranked.len();
        let why_first = match (&finding.liability, payback_per_hour(finding)) {
            (Some(l), Some(per_hour)) => format!(
                "Replacing it retires about {} {cur} of its {} {cur} yearly cost for about {:.0} \
                 hours of migration ({} story points): {} {cur} a year per migration hour, the \
                 best return of the {shown} finding(s) shown.",
                money(l.retirable_yearly_cost),
                money(l.yearly_cost.central),
                l.migration_hours,
                l.migration_points,
                money(per_hour),
            ),
            _ => format!(
                "No costs were computed, so the largest home-grown component comes first: {} code \
                 lines of the {shown} finding(s) shown.",
                finding.code_lines
            ),
        };
        let mut what_to_do = format!(
            "Move the {} `{}` in {} to {} on {}: {}",
            finding.category.title().to_lowercase(),
            crate::util::clean(&finding.component),
            crate::util::clean(&finding.path),
            suggestion.headline(),
            suggestion.cloud.title(),
            suggestion.tip.as_deref().unwrap_or(&suggestion.why)
        );
        if !suggestion.steps.is_empty() {
            what_to_do.push_str(" First steps: ");
            for (i, step) in suggestion.steps.iter().enumerate() {
                if i > 0 {
                    what_to_do.push(' ');
                }
                what_to_do.push_str(&format!("{}. {step}", i + 1));
            }
        }
        if !suggestion.effort.is_empty() {
            what_to_do.push_str(&format!(" Typical effort: {}.", suggestion.effort));
        }
        Some(NextAction {
            index,
            finding,
            suggestion,
            why_first,
            what_to_do,
        })
    }

    /// `category in path:start-end (component)`.
    pub fn title(&self) -> String {
        let f = self.finding;
        format!(
            "{} in {}:{}-{} ({})",
            f.category.title(),
            crate::util::clean(&f.path),
            f.span.start,
            f.span.end,
            crate::util::clean(&f.component)
        )
    }

    /// The plain-text block: a heading line and the two paragraphs wrapped to `width`.
    pub fn text(&self, width: usize) -> String {
        format!(
            "Next best action: {}\n{}{}",
            self.title(),
            wrap(&format!("Why first: {}", self.why_first), width, "  "),
            wrap(&format!("What to do: {}", self.what_to_do), width, "  "),
        )
    }

    /// The Markdown block (untrusted text escaped).
    pub fn markdown(&self) -> String {
        use crate::markdown::md;
        let f = self.finding;
        let mut out = format!(
            "### Next best action: {} in <code>{}:{}-{}</code>\n\n**Why first.** {}\n\n**What to \
             do.** Replace <code>{}</code> with **{}** ({}). {}\n\n",
            f.category.title(),
            md(&f.path),
            f.span.start,
            f.span.end,
            md(&self.why_first),
            md(&f.component),
            md(&self.suggestion.headline()),
            self.suggestion.cloud.title(),
            md(self
                .suggestion
                .tip
                .as_deref()
                .unwrap_or(&self.suggestion.why)),
        );
        for (i, step) in self.suggestion.steps.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, md(step)));
        }
        if !self.suggestion.steps.is_empty() {
            out.push('\n');
        }
        out
    }
}

#[derive(Serialize)]
pub(crate) struct JsonNext<'a> {
    index: usize,
    rule: &'static str,
    category: &'static str,
    path: &'a str,
    start_line: u32,
    end_line: u32,
    component: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payback_per_hour: Option<f64>,
    why_first: &'a str,
    what_to_do: &'a str,
    suggestion: crate::json::JsonSuggestion<'a>,
}

/// The JSON object of the next best action (shared with the full JSON report).
pub(crate) fn json<'a>(next: &'a NextAction<'_>) -> JsonNext<'a> {
    let f = next.finding;
    JsonNext {
        index: next.index,
        rule: f.rule,
        category: f.category.id(),
        path: &f.path,
        start_line: f.span.start,
        end_line: f.span.end,
        component: &f.component,
        payback_per_hour: payback_per_hour(f).map(crate::json::round2),
        why_first: &next.why_first,
        what_to_do: &next.what_to_do,
        suggestion: crate::json::JsonSuggestion::of(&next.suggestion),
    }
}

#[derive(Serialize)]
struct JsonNextReport<'a> {
    schema_version: u32,
    next_best_action: Option<JsonNext<'a>>,
}

pub fn render(
    report: &Report,
    format: NextFormat,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = Summary::of(report, options.min_confidence);
    let next = NextAction::of(report, &summary, options);
    match (format, next) {
        (NextFormat::Text, Some(n)) => out.write_all(n.text(options.width).as_bytes()),
        (NextFormat::Text, None) => {
            writeln!(out, "Nothing to do: no home-grown infrastructure found.")
        }
        (NextFormat::Markdown, Some(n)) => out.write_all(n.markdown().as_bytes()),
        (NextFormat::Markdown, None) => {
            writeln!(out, "Nothing to do: no home-grown infrastructure found.")
        }
        (NextFormat::Json, n) => {
            let value = JsonNextReport {
                schema_version: crate::json::SCHEMA_VERSION,
                next_best_action: n.as_ref().map(json),
            };
            serde_json::to_writer_pretty(&mut *out, &value).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }
    }
}
