//! The Markdown format: a pull-request comment or `$GITHUB_STEP_SUMMARY` body. Totals, the
//! next best action, a table of the top findings, then one collapsible `<details>` per
//! finding. The output never exceeds `RenderOptions::markdown_budget` bytes: findings that do
//! not fit are cut with "… and N more".
//!
//! Repository content (paths, components, evidence, code) is untrusted: `md` turns every
//! character that Markdown or HTML would interpret into an entity, and it is never put in a
//! code span (where entities would show literally) but in `<code>`/`<pre>`.

use crate::RenderOptions;
use crate::catalogue::Catalogue;
use crate::next::NextAction;
use crate::summary::Summary;
use crate::util::{currency, money, truncate};
use liability_model::{Finding, Report};
use std::fmt::Write as _;
use std::io::{self, Write};

/// GitHub's step summary limit is 1 MiB; keep a margin for other steps' appends.
pub const DEFAULT_BUDGET: usize = 1024 * 1024 - 16 * 1024;

/// How many findings the top table lists.
const TOP: usize = 10;

/// Escapes untrusted text for Markdown and inline HTML, on one line.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '|' => out.push_str("&#124;"),
            '`' => out.push_str("&#96;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '\\' => out.push_str("&#92;"),
            '@' => out.push_str("&#64;"),
            '#' => out.push_str("&#35;"),
            '~' => out.push_str("&#126;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn code(text: &str) -> String {
    format!("<code>{}</code>", md(text))
}

fn location(f: &Finding) -> String {
    code(&format!("{}:{}-{}", f.path, f.span.start, f.span.end))
}

fn details(f: &Finding, options: &RenderOptions, cur: &str) -> String {
    let s = Catalogue::embedded().suggest(f, options.cloud);
    let mut out = String::new();
    let cost = f
        .liability
        .as_ref()
        .map(|l| format!(" — {} {cur}/yr", money(l.yearly_cost.central)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<details><summary>{} {} {}{cost}</summary>\n",
        md(f.category.title()),
        location(f),
        md(&f.component)
    );
    let _ = writeln!(
        out,
        "Rule {} · {} confidence · {} code lines",
        code(f.rule),
        f.confidence,
        f.code_lines
    );
    if let Some(l) = &f.liability {
        let _ = writeln!(
            out,
            "· retirable {} {cur}/yr · migration {:.0} h ({} points)",
            money(l.retirable_yearly_cost),
            l.migration_hours,
            l.migration_points
        );
    }
    let _ = writeln!(
        out,
        "\n**Replace with {}** ({}): {}\n",
        md(&s.headline()),
        s.cloud.title(),
        md(s.tip.as_deref().unwrap_or(&s.why))
    );
    for (i, step) in s.steps.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, md(step));
    }
    if !s.docs.is_empty() {
        let links: Vec<String> = s.docs.iter().map(|d| format!("<{d}>")).collect();
        let _ = writeln!(out, "\nDocs: {}", links.join(" · "));
    }
    if !f.evidence.is_empty() {
        out.push_str("\nEvidence:\n");
        for e in &f.evidence {
            let at = match &e.path {
                Some(p) => format!("{}:{}", p, e.line),
                None => format!("line {}", e.line),
            };
            let _ = writeln!(out, "- {} {}", code(&at), md(&e.message));
        }
    }
    if !f.snippet.is_empty() {
        out.push_str("\n<pre>");
        for (n, line) in &f.snippet {
            let _ = writeln!(out, "{n:>5} │ {}", md(line));
        }
        out.push_str("</pre>\n");
    }
    out.push_str("\n</details>\n\n");
    out
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(report, options.min_confidence);
    let cur = currency(report);
    let mut head = String::new();
    let _ = writeln!(head, "## liability: home-grown infrastructure report\n");
    let _ = write!(
        head,
        "**{}** finding(s) in {} files ({} code lines scanned, {} in findings)",
        summary.findings, summary.files_scanned, summary.code_lines, summary.finding_lines
    );
    if summary.priced {
        let _ = write!(
            head,
            " · owning them costs about **{} {cur}/yr**, {} {cur}/yr retirable",
            money(summary.yearly_cost),
            money(summary.retirable_yearly_cost)
        );
    }
    let _ = writeln!(head, " · suggestions for {}.\n", options.cloud.title());
    if let Some(next) = NextAction::of(report, &summary, options) {
        head.push_str(&next.markdown());
    } else {
        head.push_str("No home-grown infrastructure found.\n");
    }
    if !summary.ranked.is_empty() {
        let _ = writeln!(
            head,
            "### Top findings (by yearly cost retired per migration hour)\n\n\
             | # | category | where | component | {cur}/yr | migration h | replace with |\n\
             |---:|---|---|---|---:|---:|---|"
        );
        for (rank, &i) in summary.ranked.iter().take(TOP).enumerate() {
            let Some(f) = report.findings.get(i) else {
                continue;
            };
            let s = Catalogue::embedded().suggest(f, options.cloud);
            let (cost, hours) =
                f.liability
                    .as_ref()
                    .map_or(("–".to_owned(), "–".to_owned()), |l| {
                        (
                            money(l.yearly_cost.central),
                            format!("{:.0}", l.migration_hours),
                        )
                    });
            let _ = writeln!(
                head,
                "| {} | {} | {} | {} | {cost} | {hours} | {} |",
                rank + 1,
                md(f.category.id()),
                location(f),
                md(&truncate(&f.component, 60)),
                md(&s.headline())
            );
        }
        if summary.ranked.len() > TOP {
            let _ = writeln!(head, "\n_{} more below._", summary.ranked.len() - TOP);
        }
        head.push_str("\n### Findings\n\n");
    }
    let budget = options.markdown_budget;
    let tail_reserve = 200;
    let mut body = String::new();
    if head.len() + tail_reserve > budget {
        // Not even the header fits: keep what fits on a char boundary.
        let mut cut = budget.saturating_sub(tail_reserve).min(head.len());
        while !head.is_char_boundary(cut) {
            cut -= 1;
        }
        head.truncate(cut);
    }
    let mut written = 0;
    for &i in &summary.ranked {
        let Some(f) = report.findings.get(i) else {
            continue;
        };
        let piece = details(f, options, cur);
        if head.len() + body.len() + piece.len() + tail_reserve > budget {
            break;
        }
        body.push_str(&piece);
        written += 1;
    }
    let left = summary.ranked.len() - written;
    if left > 0 {
        let _ = writeln!(
            body,
            "… and {left} more (the output budget of {budget} bytes is spent); see the SARIF or \
             HTML report."
        );
    }
    if summary.hidden > 0 {
        let _ = writeln!(
            body,
            "\n{} low-confidence finding(s) not shown.",
            summary.hidden
        );
    }
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())
}
