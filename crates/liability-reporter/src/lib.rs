//! The reporter: renders a `Report` as text for people or JSON for machines.
//!
//! Every format renders the same `Report`, and every aggregate (counts per category, totals)
//! comes from `summary`, so two formats can never disagree. Renderers write to an injected
//! writer; they never print.

mod json;
mod summary;
mod text;

pub use json::SCHEMA_VERSION;
pub use summary::{CategorySummary, Summary};

use liability_model::{Confidence, Report};
use std::io::{self, Write};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// ANSI colours (text only); the caller decides from the terminal and `NO_COLOR`.
    pub color: bool,
    /// The text format hides findings below this confidence (JSON keeps all).
    pub min_confidence: Confidence,
    /// How the scanned root is shown.
    pub root: String,
    pub tool_version: &'static str,
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
    }
}
