//! The HTML format (placeholder while the full page is written).

use crate::RenderOptions;
use liability_model::Report;
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
            _ => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let _ = (report, options);
    out.write_all(b"<!doctype html>\n")
}
