//! How a comparison is shown: plain text for the log, GitHub workflow annotations, and a
//! Markdown job summary.
//!
//! GitHub keeps at most 10 error annotations per step, so only the first ten failing changes
//! are annotated; the summary and the text list everything.

use crate::compare::{Change, Comparison};
use liability_model::Finding;
use std::fmt::Write as _;

/// Advice for a finding (the replacement), supplied by the caller.
pub type Suggest<'a> = &'a dyn Fn(&Finding) -> String;

fn money(x: f64) -> String {
    let whole = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < -0.5 { format!("-{out}") } else { out }
}

fn signed(x: f64) -> String {
    if x >= 0.5 {
        format!("+{}", money(x))
    } else {
        money(x)
    }
}

fn cost(f: &Finding) -> f64 {
    f.liability.as_ref().map_or(0.0, |l| l.yearly_cost.central)
}

/// The text verdict: what rose and why, what fell, the deltas.
pub fn text(c: &Comparison<'_>, currency: &str, suggest: Suggest<'_>) -> String {
    let mut out = String::new();
    let verdict = if c.failed() {
        "FAILED: liability rose"
    } else {
        "passed: liability did not rise"
    };
    let _ = writeln!(out, "liability check {verdict}");
    for reason in &c.failures {
        let _ = writeln!(out, "  - {reason}");
    }
    let mut rose = String::new();
    let mut fell = String::new();
    for change in &c.changes {
        match change {
            Change::New { finding: f, .. } => {
                let _ = writeln!(
                    rose,
                    "  new    {} [{}] {}:{}-{} {} ({} code lines, {} {currency}/yr)\n         → {}",
                    f.category,
                    f.rule,
                    f.path,
                    f.span.start,
                    f.span.end,
                    f.component,
                    f.code_lines,
                    money(cost(f)),
                    suggest(f)
                );
            }
            Change::Grown {
                old,
                finding: f,
                fails,
            } => {
                let _ = writeln!(
                    rose,
                    "  grown  {} [{}] {}:{}-{} {}: {} → {} code lines, {} → {} {currency}/yr{}",
                    f.category,
                    f.rule,
                    f.path,
                    f.span.start,
                    f.span.end,
                    f.component,
                    old.code_lines,
                    f.code_lines,
                    money(old.yearly_cost),
                    money(cost(f)),
                    if *fails { "" } else { " (within tolerance)" }
                );
            }
            Change::Shrunk { old, finding: f } => {
                let _ = writeln!(
                    fell,
                    "  shrunk {} {}:{} {}: {} → {} code lines",
                    f.category, f.path, f.span.start, f.component, old.code_lines, f.code_lines
                );
            }
            Change::Gone { old } => {
                let _ = writeln!(
                    fell,
                    "  gone   {} {}:{} {} ({} code lines, {} {currency}/yr retired)",
                    old.category,
                    old.path,
                    old.start_line,
                    old.component,
                    old.code_lines,
                    money(old.yearly_cost)
                );
            }
        }
    }
    if !rose.is_empty() {
        let _ = write!(out, "\nWhat rose:\n{rose}");
    }
    if !fell.is_empty() {
        let _ = write!(out, "\nWhat fell:\n{fell}");
    }
    // Adding code anywhere shifts every component's share of the COCOMO figure a little;
    // only moves of at least 1% are worth a line.
    let moved: Vec<_> = c
        .by_category
        .iter()
        .filter(|(_, (b, a))| (a - b).abs() >= 0.5 && (a - b).abs() >= 0.01 * b.abs())
        .collect();
    if !moved.is_empty() {
        let _ = writeln!(out, "\nBy category ({currency}/yr):");
        for (category, (before, after)) in moved {
            let _ = writeln!(
                out,
                "  {category:<20} {:>10} → {:>10}  ({})",
                money(*before),
                money(*after),
                signed(after - before)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nTotal yearly liability: {} → {} {currency} ({})",
        money(c.total_before),
        money(c.total_after),
        signed(c.total_after - c.total_before)
    );
    if c.improved() {
        let _ = writeln!(
            out,
            "Liability fell: run `liability baseline` and commit the file to lock in the improvement."
        );
    }
    out
}

/// Escapes a workflow-command message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error` annotations for the failing changes (at most 10, GitHub's per-step limit).
pub fn github_annotations(c: &Comparison<'_>, suggest: Suggest<'_>) -> String {
    let mut out = String::new();
    let failing = c.changes.iter().filter_map(|change| match change {
        Change::New { finding, .. } => Some((
            finding,
            format!("New home-grown {}: {}", finding.category, suggest(finding)),
        )),
        Change::Grown {
            old,
            finding,
            fails: true,
        } => Some((
            finding,
            format!(
                "Home-grown {} grew from {} to {} code lines: {}",
                finding.category,
                old.code_lines,
                finding.code_lines,
                suggest(finding)
            ),
        )),
        _ => None,
    });
    for (f, message) in failing.take(10) {
        let _ = writeln!(
            out,
            "::error file={},line={},endLine={},title={}::{}",
            escape_property(&f.path),
            f.span.start,
            f.span.end,
            escape_property(&format!("liability: {} ({})", f.component, f.rule)),
            escape_data(&message)
        );
    }
    out
}

/// A Markdown job summary.
pub fn markdown(c: &Comparison<'_>, currency: &str, suggest: Suggest<'_>) -> String {
    let mut out = String::new();
    let verdict = if c.failed() {
        "❌ liability rose"
    } else {
        "✅ liability did not rise"
    };
    let _ = writeln!(out, "## liability check: {verdict}\n");
    let _ = writeln!(
        out,
        "Total yearly liability: **{} → {} {currency}** ({})\n",
        money(c.total_before),
        money(c.total_after),
        signed(c.total_after - c.total_before)
    );
    for reason in &c.failures {
        let _ = writeln!(out, "- {}", reason.replace('|', "\\|"));
    }
    let rows: Vec<String> = c
        .changes
        .iter()
        .map(|change| match change {
            Change::New { finding: f, .. } => format!(
                "| new | {} | `{}:{}` {} | {} | {} |",
                f.category,
                f.path,
                f.span.start,
                f.component,
                f.code_lines,
                suggest(f)
            ),
            Change::Grown {
                old, finding: f, ..
            } => {
                format!(
                    "| grown | {} | `{}:{}` {} | {} → {} | {} |",
                    f.category,
                    f.path,
                    f.span.start,
                    f.component,
                    old.code_lines,
                    f.code_lines,
                    suggest(f)
                )
            }
            Change::Shrunk { old, finding: f } => format!(
                "| shrunk | {} | `{}:{}` {} | {} → {} | |",
                f.category, f.path, f.span.start, f.component, old.code_lines, f.code_lines
            ),
            Change::Gone { old } => format!(
                "| gone | {} | `{}:{}` {} | {} → 0 | |",
                old.category, old.path, old.start_line, old.component, old.code_lines
            ),
        })
        .collect();
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "\n| change | category | where | code lines | what to do |\n|---|---|---|---|---|"
        );
        for row in rows {
            let _ = writeln!(out, "{row}");
        }
    }
    if c.improved() {
        let _ = writeln!(
            out,
            "\nLiability fell: refresh the baseline (`liability baseline`) to lock in the improvement."
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn money_is_grouped_and_signed() {
        assert_eq!(money(1234.4), "1,234");
        assert_eq!(signed(1234.0), "+1,234");
        assert_eq!(signed(-1234.0), "-1,234");
        assert_eq!(signed(0.2), "0");
    }
}
