//! The HTML format: one self-contained page (inline CSS and SVG, no external request, no web
//! font). A header with totals and the next best action; a squarified treemap of yearly
//! liability by folder; a bar chart by category; an evolution map in the spirit of a Wardley
//! map (each home-grown capability at "custom-built", with an arrow to the commodity service
//! that replaces it); and a findings table with code snippets, sortable by a few lines of
//! inline JavaScript but fully readable without it.
//!
//! Every piece of repository content (paths, code, components, evidence, subjects, the root)
//! goes through `escape`, in element content and in attributes, SVG included. Links only ever
//! point at the catalogue's own https documentation URLs.

// Long SVG/HTML format strings read better with their trailing `\n` inline.
#![allow(clippy::write_with_newline)]

use crate::RenderOptions;
use crate::catalogue::Catalogue;
use crate::next::NextAction;
use crate::summary::{Summary, by_folder, weight};
use crate::treemap::{Rect, squarify};
use crate::util::{currency, money, truncate};
use liability_model::{Category, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes text for HTML element content and quoted attribute values (also inside SVG).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// `text` cut to its last `max` characters, starting with `…` when cut: folder labels keep
/// their most specific part.
fn truncate_left(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_owned();
    }
    let mut s = String::from("…");
    s.extend(text.chars().skip(n + 1 - max.max(1)));
    s
}

/// Shorthand.
fn e(text: &str) -> String {
    escape(text)
}

/// A colour per category (stable: by taxonomy position).
fn colour(c: Category) -> &'static str {
    const PALETTE: [&str; 21] = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
        "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#6b6ecf", "#637939",
    ];
    let i = Category::ALL.iter().position(|x| *x == c).unwrap_or(0);
    PALETTE[i % PALETTE.len()]
}

/// How visible a capability is to users (0 = the user, 1 = deep infrastructure): the y axis
/// of the evolution map's value chain.
fn visibility(c: Category) -> f64 {
    match c {
        Category::HttpServer => 0.08,
        Category::Realtime => 0.14,
        Category::Auth => 0.2,
        Category::Notification => 0.26,
        Category::Search => 0.32,
        Category::RateLimit => 0.36,
        Category::Authz => 0.4,
        Category::Framework => 0.44,
        Category::Workflow => 0.48,
        Category::EventBus => 0.52,
        Category::Queue => 0.56,
        Category::Scheduler => 0.6,
        Category::Cache => 0.64,
        Category::Storage => 0.68,
        Category::Config => 0.72,
        Category::Retry => 0.75,
        Category::Observability => 0.78,
        Category::Database => 0.82,
        Category::ConnectionPool => 0.86,
        Category::Crypto => 0.9,
        Category::SelfManagedInfra => 0.94,
    }
}

const CSS: &str = r#"
:root{--fg:#1d2430;--muted:#5b6472;--line:#d9dee5;--bg:#f6f7f9;--card:#fff;--accent:#0b6e4f}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1320px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 12px}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:22px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin:16px 0}
.next{border-left:5px solid var(--accent)}
.next h2{color:var(--accent)}
.grid2{display:grid;grid-template-columns:3fr 2fr;gap:16px}
@media (max-width:1000px){.grid2{grid-template-columns:1fr}}
.grid2 section{margin:0}
svg{display:block;max-width:100%;height:auto}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f5;position:sticky;top:0;cursor:pointer;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{background:#f3f5f8;border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto;margin:6px 0;white-space:pre}
.ln{color:#8a94a3;user-select:none}
.tag{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
details summary{cursor:pointer;color:var(--accent)}
ol{margin:6px 0 6px 20px;padding:0}
.legend{font-size:12px;color:var(--muted)}
td.where{min-width:200px}td.where code{word-break:break-all}
td.fix{min-width:280px}
.scroll{overflow-x:auto}
th{white-space:normal}
td.comp{min-width:180px}
"#;

const SORT_JS: &str = r"
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){
var tb=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(tb.rows),asc=th.dataset.dir!=='asc';
th.dataset.dir=asc?'asc':'desc';
rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,y=b.cells[i].dataset.v||b.cells[i].textContent;
var nx=parseFloat(x),ny=parseFloat(y),c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
rows.forEach(function(r){tb.appendChild(r);});});});
";

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(report, options.min_confidence);
    let cur = currency(report);
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>liability report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        e(&options.root)
    );
    header(&mut h, report, &summary, options, cur);
    if let Some(next) = NextAction::of(report, &summary, options) {
        next_section(&mut h, &next);
    }
    if !summary.ranked.is_empty() {
        h.push_str("<div class=\"grid2\">\n");
        treemap_section(&mut h, report, options, cur, summary.priced);
        bars_section(&mut h, &summary, cur);
        h.push_str("</div>\n");
        evolution_section(&mut h, report, &summary, options, cur);
        table_section(&mut h, report, &summary, options, cur);
    }
    skipped_section(&mut h, report, &summary);
    let _ = write!(
        h,
        "<p class=\"muted\">Generated by liability {}. Figures are estimates; see \
         docs/liability-model.md for the model.</p>\n</main>\n<script>{SORT_JS}</script>\n\
         </body>\n</html>\n",
        e(options.tool_version)
    );
    out.write_all(h.as_bytes())
}

fn header(h: &mut String, report: &Report, s: &Summary, options: &RenderOptions, cur: &str) {
    let _ = write!(
        h,
        "<h1>Home-grown infrastructure in {}</h1>\n<div class=\"muted\">{} files, {} code lines \
         scanned · suggestions for {}</div>\n<div class=\"cards\">\n",
        e(&options.root),
        s.files_scanned,
        s.code_lines,
        options.cloud.title()
    );
    let mut card = |value: String, label: &str| {
        let _ = writeln!(h, "<div class=\"card\"><b>{value}</b>{}</div>", e(label));
    };
    card(s.findings.to_string(), "findings");
    card(s.finding_lines.to_string(), "code lines in findings");
    if s.priced {
        card(
            format!("{} {}", money(s.yearly_cost), e(cur)),
            "yearly cost of owning them",
        );
        card(
            format!("{} {}", money(s.retirable_yearly_cost), e(cur)),
            "retirable by managed services",
        );
    }
    if let Some(l) = &report.liability {
        card(
            format!("{} {}", money(l.build_cost), e(cur)),
            "to rebuild the whole repository (COCOMO)",
        );
    }
    h.push_str("</div>\n");
}

fn next_section(h: &mut String, next: &NextAction<'_>) {
    let s = &next.suggestion;
    let _ = write!(
        h,
        "<section class=\"next\"><h2>Next best action: {}</h2>\n<p><b>Why first.</b> {}</p>\n\
         <p><b>What to do.</b> Replace <code>{}</code> with <b>{}</b> on {}: {}</p>\n<ol>",
        e(&next.title()),
        e(&next.why_first),
        e(&next.finding.component),
        e(&s.headline()),
        s.cloud.title(),
        e(s.tip.as_deref().unwrap_or(&s.why))
    );
    for step in &s.steps {
        let _ = write!(h, "<li>{}</li>", e(step));
    }
    h.push_str("</ol>");
    docs_links(h, &s.docs);
    h.push_str("</section>\n");
}

fn docs_links(h: &mut String, docs: &[String]) {
    let safe: Vec<&String> = docs.iter().filter(|d| d.starts_with("https://")).collect();
    if safe.is_empty() {
        return;
    }
    h.push_str("<div class=\"legend\">Docs: ");
    for (i, d) in safe.iter().enumerate() {
        if i > 0 {
            h.push_str(" · ");
        }
        let _ = write!(h, "<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", e(d));
    }
    h.push_str("</div>");
}

fn treemap_section(
    h: &mut String,
    report: &Report,
    options: &RenderOptions,
    cur: &str,
    priced: bool,
) {
    let folders = by_folder(report, options.min_confidence);
    // The category that weighs most in each folder colours its tile.
    let mut dominant: BTreeMap<&str, BTreeMap<Category, f64>> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.confidence >= options.min_confidence)
    {
        let folder = f.path.rsplit_once('/').map_or("(root)", |(d, _)| d);
        *dominant
            .entry(folder)
            .or_default()
            .entry(f.category)
            .or_default() += weight(f);
    }
    let names: Vec<&String> = folders.keys().collect();
    let values: Vec<f64> = folders.values().copied().collect();
    let (w, ht) = (760.0, 420.0);
    let rects = squarify(
        &values,
        Rect {
            x: 0.0,
            y: 0.0,
            w,
            h: ht,
        },
    );
    let unit = if priced {
        format!("{cur}/yr")
    } else {
        "code lines".to_owned()
    };
    let _ = write!(
        h,
        "<section><h2>Yearly liability by folder</h2>\n<svg viewBox=\"0 0 {w} {ht}\" \
         role=\"img\" aria-label=\"treemap of yearly liability by folder\">\n"
    );
    for ((name, value), r) in names.iter().zip(&values).zip(&rects) {
        if r.w <= 0.0 || r.h <= 0.0 {
            continue;
        }
        let category = dominant
            .get(name.as_str())
            .and_then(|m| {
                m.iter()
                    .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            })
            .map_or(Category::Framework, |(c, _)| *c);
        let label = format!("{name}: {} {unit}", money(*value));
        let _ = write!(
            h,
            "<g><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" \
             fill=\"{}\" stroke=\"#fff\" stroke-width=\"2\"/>",
            e(&label),
            r.x,
            r.y,
            r.w,
            r.h,
            colour(category)
        );
        // Labels only where they fit: about 7 px per character at 12 px.
        let chars = ((r.w - 10.0) / 7.5).floor();
        if r.h >= 34.0 && chars >= 4.0 {
            let max = chars as usize;
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#fff\" font-weight=\"600\">{}</text>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#fff\">{}</text>",
                r.x + 6.0,
                r.y + 16.0,
                e(&truncate_left(name, max)),
                r.x + 6.0,
                r.y + 30.0,
                e(&truncate(&format!("{} {unit}", money(*value)), max))
            );
        }
        h.push_str("</g>\n");
    }
    let _ = write!(
        h,
        "</svg>\n<div class=\"legend\">Area: {} of the findings in each folder; colour: the \
         category that weighs most there.</div></section>\n",
        e(&unit)
    );
}

fn bars_section(h: &mut String, s: &Summary, cur: &str) {
    let rows: Vec<(Category, f64, u64)> = s
        .by_category
        .iter()
        .map(|(c, v)| {
            let value = if s.priced {
                v.yearly_cost
            } else {
                v.code_lines as f64
            };
            (*c, value, v.findings)
        })
        .collect();
    let mut rows = rows;
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let max = rows.iter().map(|r| r.1).fold(0.0f64, f64::max).max(1.0);
    let row_h = 30.0;
    let (w, label_w) = (520.0, 210.0);
    let ht = row_h * rows.len() as f64 + 10.0;
    let unit = if s.priced {
        format!("{cur}/yr")
    } else {
        "code lines".to_owned()
    };
    let _ = write!(
        h,
        "<section><h2>By category</h2>\n<svg viewBox=\"0 0 {w} {ht}\" role=\"img\" \
         aria-label=\"bar chart by category\">\n"
    );
    for (i, (c, value, n)) in rows.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let bar = (w - label_w - 110.0) * value / max;
        let _ = write!(
            h,
            "<g><title>{}: {} finding(s), {} {}</title><text x=\"{:.1}\" y=\"{:.1}\" \
             font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" \
             width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" \
             font-size=\"12\" fill=\"#5b6472\">{} ({n})</text></g>\n",
            c.title(),
            n,
            money(*value),
            e(&unit),
            label_w - 8.0,
            y + 17.0,
            c.title(),
            y + 4.0,
            bar.max(1.0),
            row_h - 10.0,
            colour(*c),
            label_w + bar.max(1.0) + 6.0,
            y + 17.0,
            money(*value)
        );
    }
    let _ = write!(
        h,
        "</svg>\n<div class=\"legend\">{} per category; (n) findings.</div></section>\n",
        e(&unit)
    );
}

fn evolution_section(
    h: &mut String,
    report: &Report,
    s: &Summary,
    options: &RenderOptions,
    cur: &str,
) {
    let catalogue = Catalogue::embedded();
    // One node per category found: its largest finding names the replacement.
    let mut nodes: Vec<(Category, f64, u64, String)> = Vec::new();
    for (c, v) in &s.by_category {
        let biggest = report
            .findings
            .iter()
            .filter(|f| f.category == *c && f.confidence >= options.min_confidence)
            .max_by(|a, b| weight(a).total_cmp(&weight(b)));
        let service = biggest.map_or_else(String::new, |f| {
            catalogue
                .suggest(f, options.cloud)
                .services
                .first()
                .cloned()
                .unwrap_or_default()
        });
        let value = if s.priced {
            v.yearly_cost
        } else {
            v.code_lines as f64
        };
        nodes.push((*c, value, v.findings, service));
    }
    nodes.sort_by(|a, b| visibility(a.0).total_cmp(&visibility(b.0)));
    let (w, top, bottom) = (1240.0, 60.0, 40.0);
    let gap = 34.0;
    let inner = (gap * nodes.len() as f64).max(300.0);
    let ht = top + inner + bottom;
    let max = nodes.iter().map(|n| n.1).fold(0.0f64, f64::max).max(1.0);
    let stages = [
        "Genesis",
        "Custom-built",
        "Product (+rental)",
        "Commodity (+utility)",
    ];
    let stage_x = |i: f64| 40.0 + (w - 80.0) * i / 4.0;
    let _ = write!(
        h,
        "<section><h2>Evolution map</h2>\n<p class=\"muted\">In the spirit of a Wardley map: \
         each capability the team built itself sits at <i>custom-built</i>; the arrow points to \
         the commodity service that replaces it on {}. Higher is closer to the user.</p>\n\
         <svg viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"evolution map\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#0b6e4f\"/></marker></defs>\n",
        options.cloud.title()
    );
    for (i, name) in stages.iter().enumerate() {
        let x0 = stage_x(i as f64);
        let fill = if i % 2 == 0 { "#fafbfc" } else { "#f1f4f7" };
        let _ = write!(
            h,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{inner:.1}\" fill=\"{fill}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\" \
             fill=\"#5b6472\" font-weight=\"600\">{name}</text>\n",
            top,
            (w - 80.0) / 4.0,
            x0 + (w - 80.0) / 8.0,
            top - 12.0
        );
    }
    let _ = write!(
        h,
        "<text x=\"14\" y=\"{:.1}\" font-size=\"12\" fill=\"#5b6472\" \
         transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">value chain: visible ↑ · \
         invisible ↓</text>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#5b6472\" \
         text-anchor=\"middle\">evolution →</text>\n",
        top + inner / 2.0,
        top + inner / 2.0,
        w / 2.0,
        ht - 12.0
    );
    for (i, (c, value, n, service)) in nodes.iter().enumerate() {
        let y = top + gap * (i as f64 + 0.5);
        let x_from = stage_x(1.0) + (w - 80.0) / 8.0 - 60.0;
        let x_to = stage_x(3.0) + 30.0;
        let r = 6.0 + 12.0 * (value / max).sqrt();
        let _ = write!(
            h,
            "<g><title>{}: {n} finding(s), {} {} → {}</title>\
             <line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#0b6e4f\" \
             stroke-width=\"1.6\" stroke-dasharray=\"6 4\" marker-end=\"url(#arrow)\"/>\
             <circle cx=\"{x_from:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{}\" fill-opacity=\"0.9\" \
             stroke=\"#fff\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" \
             text-anchor=\"end\">{} ({n})</text>\
             <circle cx=\"{x_to:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#0b6e4f\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#0b6e4f\">{}</text></g>\n",
            c.title(),
            money(*value),
            if s.priced {
                e(&format!("{cur}/yr"))
            } else {
                "code lines".to_owned()
            },
            e(service),
            x_from + r + 4.0,
            x_to - 10.0,
            colour(*c),
            x_from - r - 6.0,
            y + 4.0,
            c.title(),
            x_to + 10.0,
            y + 4.0,
            e(&truncate(service, 42))
        );
    }
    h.push_str("</svg></section>\n");
}

fn table_section(h: &mut String, report: &Report, s: &Summary, options: &RenderOptions, cur: &str) {
    let catalogue = Catalogue::embedded();
    let _ = write!(
        h,
        "<section><h2>Findings</h2>\n<p class=\"muted\">Ranked by yearly cost retired per \
         migration hour; click a column heading to sort.</p>\n<div class=\"scroll\"><table class=\"sortable\">\n\
         <thead><tr><th class=\"n\">#</th><th>category</th><th>where</th><th>component</th>\
         <th>confidence</th><th class=\"n\">{0}/yr</th><th class=\"n\">retirable {0}/yr</th>\
         <th class=\"n\">migration h</th><th>replace with</th></tr></thead>\n<tbody>\n",
        e(cur)
    );
    for (rank, &i) in s.ranked.iter().enumerate() {
        let Some(f) = report.findings.get(i) else {
            continue;
        };
        let sug = catalogue.suggest(f, options.cloud);
        let (cost, retirable, hours) = f.liability.as_ref().map_or((-1.0, -1.0, -1.0), |l| {
            (
                l.yearly_cost.central,
                l.retirable_yearly_cost,
                l.migration_hours,
            )
        });
        let show = |x: f64, whole: bool| {
            if x < 0.0 {
                "–".to_owned()
            } else if whole {
                money(x)
            } else {
                format!("{x:.0}")
            }
        };
        let confidence_rank = f.confidence as u8;
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td data-v=\"{}\"><span class=\"tag\" \
             style=\"background:{}\">{}</span></td><td class=\"where\"><code>{}:{}-{}</code></td><td class=\"comp\">{}",
            rank + 1,
            f.category.id(),
            colour(f.category),
            f.category.id(),
            e(&f.path),
            f.span.start,
            f.span.end,
            e(&f.component)
        );
        if !f.evidence.is_empty() || !f.snippet.is_empty() {
            h.push_str("<details><summary>evidence and code</summary><ul>");
            for ev in &f.evidence {
                let at = ev.path.as_ref().map_or_else(
                    || format!("line {}", ev.line),
                    |p| format!("{p}:{}", ev.line),
                );
                let _ = write!(h, "<li><code>{}</code> {}</li>", e(&at), e(&ev.message));
            }
            h.push_str("</ul>");
            if !f.snippet.is_empty() {
                h.push_str("<pre>");
                for (n, line) in &f.snippet {
                    let _ = writeln!(h, "<span class=\"ln\">{n:>5} │</span> {}", e(line));
                }
                h.push_str("</pre>");
            }
            h.push_str("</details>");
        }
        let _ = write!(
            h,
            "</td><td data-v=\"{confidence_rank}\">{}</td><td class=\"n\" data-v=\"{cost:.2}\">{}</td>\
             <td class=\"n\" data-v=\"{retirable:.2}\">{}</td><td class=\"n\" \
             data-v=\"{hours:.2}\">{}</td><td class=\"fix\"><b>{}</b><br><span class=\"muted\">{}</span>",
            f.confidence,
            show(cost, true),
            show(retirable, true),
            show(hours, false),
            e(&sug.headline()),
            e(sug.tip.as_deref().unwrap_or(&sug.why))
        );
        if let Some(step) = sug.steps.first() {
            let _ = write!(h, "<br><span class=\"muted\">First: {}</span>", e(step));
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if s.hidden > 0 {
        let _ = write!(
            h,
            "<p class=\"muted\">{} low-confidence finding(s) not shown (--min-confidence low \
             shows them).</p>\n",
            s.hidden
        );
    }
    h.push_str("</section>\n");
}

fn skipped_section(h: &mut String, report: &Report, s: &Summary) {
    if report.skipped.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section><details><summary>{} file(s) skipped</summary><table><tbody>\n",
        s.files_skipped
    );
    for sk in &report.skipped {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"muted\">{}</td></tr>",
            sk.reason.id(),
            e(&sk.path),
            e(&sk.detail)
        );
    }
    h.push_str("</tbody></table></details></section>\n");
}
