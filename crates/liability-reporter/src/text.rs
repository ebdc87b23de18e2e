//! The terminal format: a summary by category, then each finding with its evidence, then
//! what was skipped. Colour is applied only when the caller asks for it.

use crate::RenderOptions;
use crate::summary::Summary;
use anstyle::{AnsiColor, Style};
use liability_model::{Confidence, Report};
use std::io::{self, Write};

struct Palette {
    heading: Style,
    path: Style,
    dim: Style,
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
                high: plain,
                medium: plain,
                low: plain,
            };
        }
        Palette {
            heading: Style::new().bold(),
            path: AnsiColor::Cyan.on_default(),
            dim: Style::new().dimmed(),
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
    let summary = Summary::of(report, options.min_confidence);
    let h = p.heading;
    writeln!(
        out,
        "{h}liability{h:#} scanned {} ({} files, {} code lines)",
        options.root, summary.files_scanned, summary.code_lines
    )?;
    writeln!(out)?;
    if summary.by_category.is_empty() {
        writeln!(out, "No home-grown infrastructure found.")?;
    } else {
        writeln!(
            out,
            "{h}{:<30} {:>8} {:>11}{h:#}",
            "category", "findings", "code lines"
        )?;
        for (category, s) in &summary.by_category {
            writeln!(
                out,
                "{:<30} {:>8} {:>11}",
                category.id(),
                s.findings,
                s.code_lines
            )?;
        }
        writeln!(
            out,
            "{:<30} {:>8} {:>11}",
            "total", summary.findings, summary.finding_lines
        )?;
    }
    for f in report
        .findings
        .iter()
        .filter(|f| f.confidence >= options.min_confidence)
    {
        let (path, c) = (p.path, p.confidence(f.confidence));
        writeln!(out)?;
        writeln!(
            out,
            "{c}{}{c:#} [{}] {path}{}:{}-{}{path:#} {} ({} code lines, {} confidence)",
            f.category.id(),
            f.rule,
            f.path,
            f.span.start,
            f.span.end,
            f.component,
            f.code_lines,
            f.confidence
        )?;
        if let Some(l) = &f.liability {
            let d = p.dim;
            writeln!(
                out,
                "    {d}owning it: {}/yr (range {}–{}), {:.0} h/yr; migration {:.0} h ({} points){d:#}",
                money(l.yearly_cost.central),
                money(l.yearly_cost.low),
                money(l.yearly_cost.high),
                l.yearly_hours.central,
                l.migration_hours,
                l.migration_points
            )?;
        }
        for e in &f.evidence {
            let d = p.dim;
            match &e.path {
                Some(path) => writeln!(out, "    {d}{path}:{}{d:#}  {}", e.line, e.message)?,
                None => writeln!(out, "    {d}line {:>5}{d:#}  {}", e.line, e.message)?,
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
    if !report.skipped.is_empty() {
        writeln!(out)?;
        writeln!(out, "{h}skipped {} file(s){h:#}", report.skipped.len())?;
        for s in &report.skipped {
            let d = p.dim;
            writeln!(
                out,
                "    {:<20} {}  {d}{}{d:#}",
                s.reason.id(),
                s.path,
                s.detail
            )?;
        }
    }
    Ok(())
}

/// A whole amount with thousands separators: `12,345`.
fn money(x: f64) -> String {
    let whole = format!("{:.0}", x.max(0.0));
    let mut out = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_groups_thousands() {
        assert_eq!(super::money(0.4), "0");
        assert_eq!(super::money(999.5), "1,000");
        assert_eq!(super::money(1_234_567.0), "1,234,567");
    }
}
