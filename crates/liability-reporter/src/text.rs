//! The terminal format: the next best action first, a summary table by category, then each
//! finding with its price, suggestion, evidence and a short code frame, then what was skipped.
//! Paragraphs wrap to `RenderOptions::width`; colour is applied only when the caller asks.

use crate::RenderOptions;
use crate::catalogue::Catalogue;
use crate::next::NextAction;
use crate::summary::Summary;
use crate::util::{clean, currency, money, truncate, wrap};
use anstyle::{AnsiColor, Style};
use liability_model::{Confidence, Report};
use std::io::{self, Write};

struct Palette {
    heading: Style,
    path: Style,
    dim: Style,
    accent: Style,
    high: Style,
    medium: Style,
    low: Style,
}

impl Palette {
    fn new(color: bool) -> Palette {
        if !color {
            let plain = Style::new();
            return Palette {
                heading: plain,
                path: plain,
                dim: plain,
                accent: plain,
                high: plain,
                medium: plain,
                low: plain,
            };
        }
        Palette {
            heading: Style::new().bold(),
            path: AnsiColor::Cyan.on_default(),
            dim: Style::new().dimmed(),
            accent: AnsiColor::Green.on_default(),
            high: AnsiColor::Red.on_default().bold(),
            medium: AnsiColor::Yellow.on_default(),
            low: Style::new().dimmed(),
        }
    }

    fn confidence(&self, c: Confidence) -> Style {
        match c {
            Confidence::High => self.high,
            Confidence::Medium => self.medium,
            Confidence::Low => self.low,
        }
    }
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let p = Palette::new(options.color);
    let width = options.width.max(40);
    let summary = Summary::of(report, options.min_confidence);
    let cur = currency(report);
    let h = p.heading;
    writeln!(
        out,
        "{h}liability{h:#} scanned {} ({} files, {} code lines)",
        options.root, summary.files_scanned, summary.code_lines
    )?;
    if summary.priced {
        writeln!(
            out,
            "Owning the home-grown infrastructure found costs about {} {cur} a year; {} {cur} of it \
             is retirable.",
            money(summary.yearly_cost),
            money(summary.retirable_yearly_cost)
        )?;
    }
    writeln!(out)?;
    if let Some(next) = NextAction::of(report, &summary, options) {
        let text = next.text(width);
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let a = p.accent;
        writeln!(out, "{a}{h}{first}{h:#}{a:#}")?;
        write!(out, "{rest}")?;
        writeln!(out)?;
    }
    if summary.by_category.is_empty() {
        writeln!(out, "No home-grown infrastructure found.")?;
    } else {
        writeln!(
            out,
            "{h}{:<30} {:>8} {:>11} {:>14}{h:#}",
            "category",
            "findings",
            "code lines",
            format!("{cur}/yr")
        )?;
        for (category, s) in &summary.by_category {
            writeln!(
                out,
                "{:<30} {:>8} {:>11} {:>14}",
                category.id(),
                s.findings,
                s.code_lines,
                money(s.yearly_cost)
            )?;
        }
        writeln!(
            out,
            "{:<30} {:>8} {:>11} {:>14}",
            "total",
            summary.findings,
            summary.finding_lines,
            money(summary.yearly_cost)
        )?;
    }
    let catalogue = Catalogue::embedded();
    for f in report
        .findings
        .iter()
        .filter(|f| f.confidence >= options.min_confidence)
    {
        let (path, c, d) = (p.path, p.confidence(f.confidence), p.dim);
        writeln!(out)?;
        writeln!(
            out,
            "{c}{}{c:#} [{}] {path}{}:{}-{}{path:#} {} ({} code lines, {} confidence)",
            f.category.id(),
            f.rule,
            clean(&f.path),
            f.span.start,
            f.span.end,
            clean(&f.component),
            f.code_lines,
            f.confidence
        )?;
        if let Some(l) = &f.liability {
            writeln!(
                out,
                "    {d}owning it: {} {cur}/yr (range {}–{}), {:.0} h/yr; migration {:.0} h ({} points){d:#}",
                money(l.yearly_cost.central),
                money(l.yearly_cost.low),
                money(l.yearly_cost.high),
                l.yearly_hours.central,
                l.migration_hours,
                l.migration_points
            )?;
        }
        let s = catalogue.suggest(f, options.cloud);
        let a = p.accent;
        let line = format!("replace with: {}", s.one_line());
        let wrapped = wrap(&line, width, "    ");
        write!(out, "{a}{wrapped}{a:#}")?;
        if let Some(step) = s.steps.first() {
            write!(
                out,
                "{}",
                wrap(&format!("first step: {step}"), width, "    ")
            )?;
        }
        for e in &f.evidence {
            match &e.path {
                Some(path) => writeln!(
                    out,
                    "    {d}{}:{}{d:#}  {}",
                    clean(path),
                    e.line,
                    clean(&e.message)
                )?,
                None => writeln!(out, "    {d}line {:>5}{d:#}  {}", e.line, clean(&e.message))?,
            }
        }
        if !f.snippet.is_empty() {
            let gutter = f
                .snippet
                .iter()
                .map(|(n, _)| n.to_string().len())
                .max()
                .unwrap_or(1);
            let room = width.saturating_sub(gutter + 9).max(20);
            for (n, code) in &f.snippet {
                writeln!(
                    out,
                    "    {d}{n:>gutter$} │{d:#} {}",
                    truncate(&clean(code), room)
                )?;
            }
        }
    }
    if summary.hidden > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{} low-confidence finding(s) hidden; show them with --min-confidence low",
            summary.hidden
        )?;
    }
    if !report.suppressed.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{h}suppressed {} finding(s){h:#} (not in the totals)",
            report.suppressed.len()
        )?;
        for s in &report.suppressed {
            let f = &s.finding;
            writeln!(
                out,
                "    {} [{}] {}:{}-{} {} — {} ({})",
                f.category.id(),
                f.rule,
                clean(&f.path),
                f.span.start,
                f.span.end,
                clean(&f.component),
                clean(&s.reason),
                clean(&s.source)
            )?;
        }
    }
    if !report.unmatched_suppressions.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{h}{} suppression(s) matched nothing{h:#} (delete them)",
            report.unmatched_suppressions.len()
        )?;
        for u in &report.unmatched_suppressions {
            writeln!(
                out,
                "    {} allow({}) {}",
                clean(&u.source),
                clean(&u.target),
                clean(&u.reason)
            )?;
        }
    }
    if !report.skipped.is_empty() {
        writeln!(out)?;
        writeln!(out, "{h}skipped {} file(s){h:#}", report.skipped.len())?;
        for s in &report.skipped {
            let d = p.dim;
            writeln!(
                out,
                "    {:<20} {}  {d}{}{d:#}",
                s.reason.id(),
                clean(&s.path),
                clean(&s.detail)
            )?;
        }
    }
    Ok(())
}
