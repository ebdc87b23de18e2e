//! Front-ends: source text in, language-neutral `FileFacts` out.
//!
//! Each front-end parses a file once, copies everything the rules may need into owned facts,
//! and drops the syntax tree before returning, so memory stays bounded by one file per thread.

pub mod nesting;
pub mod rust;

use crate::lines;
use crate::source::Rejected;
use liability_model::{FileFacts, Language};
use std::path::Path;

/// The language of a file, from its name; `None` for files no front-end reads.
pub fn language_of(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "rs" => Some(Language::Rust),
        _ => None,
    }
}

/// Parses `text` as `language` into facts. A file that cannot be parsed is rejected with the
/// parser's message and location.
pub fn extract(language: Language, rel_path: &str, text: &str) -> Result<FileFacts, Rejected> {
    match language {
        Language::Rust => {
            let (counts, prefix) = lines::count(text, &lines::RUST);
            rust::extract(rel_path, text, counts, prefix)
        }
    }
}
