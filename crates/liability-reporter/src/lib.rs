//! The reporter: renders a `Report` for people (text, Markdown, HTML) and machines (JSON,
//! SARIF), with a replacement suggestion per finding and the next best action.
//!
//! Every format renders the same `Report`, and every aggregate (counts per category, totals,
//! the next-best-action ranking) comes from `summary`, so two formats can never disagree.
//! Suggestions come from the embedded catalogue (`catalogue`). Renderers write to an injected
//! writer; they never print. The reporter does not depend on the scanner: rule metadata for
//! SARIF arrives in `RenderOptions::rules`.

pub mod catalogue;
mod html;
mod json;
mod markdown;
mod next;
mod sarif;
mod summary;
mod text;
mod treemap;
mod util;

#[cfg(test)]
mod tests;

pub use catalogue::{Catalogue, Cloud, Suggestion};
pub use html::escape as html_escape;
pub use json::SCHEMA_VERSION;
pub use markdown::DEFAULT_BUDGET as DEFAULT_MARKDOWN_BUDGET;
pub use next::NextAction;
pub use summary::{CategorySummary, Summary, by_folder, payback_per_hour, rank};

use liability_model::{Category, Confidence, Report};
use std::io::{self, Write};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
    Html,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Html,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// What the reporter knows about a rule (from the scanner's registry, passed in by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: &'static str,
    pub category: Category,
    /// One line, lowercase, no trailing period.
    pub summary: &'static str,
    /// The rule's documentation page, Markdown.
    pub doc: String,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// ANSI colours (text only); the caller decides from the terminal and `NO_COLOR`.
    pub color: bool,
    /// Text, Markdown and HTML hide findings below this confidence (JSON and SARIF keep all).
    pub min_confidence: Confidence,
    /// How the scanned root is shown.
    pub root: String,
    pub tool_version: &'static str,
    /// The provider whose services are suggested.
    pub cloud: Cloud,
    /// Terminal width for the text format.
    pub width: usize,
    /// The most bytes the Markdown format writes (GitHub's step summary takes 1 MiB).
    pub markdown_budget: usize,
    /// Every rule, for SARIF's rule descriptors. Rules missing here get a generic descriptor.
    pub rules: Vec<RuleMeta>,
}

impl RenderOptions {
    /// Options with the defaults: no colour, medium confidence, AWS, 100 columns.
    pub fn new(root: impl Into<String>, tool_version: &'static str) -> RenderOptions {
        RenderOptions {
            color: false,
            min_confidence: Confidence::Medium,
            root: root.into(),
            tool_version,
            cloud: Cloud::Aws,
            width: 100,
            markdown_budget: DEFAULT_MARKDOWN_BUDGET,
            rules: Vec::new(),
        }
    }
}

/// Renders `report` in `format` to `out`.
pub fn render(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, options, out),
        Format::Json => json::render(report, options, out),
        Format::Sarif => sarif::render(report, options, out),
        Format::Markdown => markdown::render(report, options, out),
        Format::Html => html::render(report, options, out),
    }
}

/// The formats `liability next` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextFormat {
    Text,
    Json,
    Markdown,
}

/// Renders the next best action alone (for scripts and PR comments).
pub fn render_next(
    report: &Report,
    format: NextFormat,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    next::render(report, format, options, out)
}
