//! Front-ends: source text in, language-neutral `FileFacts` out.
//!
//! Each front-end parses a file once, copies everything the rules may need into owned facts,
//! and drops the syntax tree before returning, so memory stays bounded by one file per thread.
//! Source code goes to a language front-end (`rust`); infrastructure files (Dockerfiles, YAML,
//! Terraform, systemd units, crontabs) to `infra`.

pub mod infra;
pub mod nesting;
pub mod rust;

use crate::lines;
use crate::source::Rejected;
use liability_model::{FileFacts, Language};
use std::path::Path;

/// What kind of file a front-end reads, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Source(Language),
    Infra(infra::InfraKind),
}

impl FileKind {
    /// The language line the file counts on.
    pub fn language(self) -> Language {
        match self {
            FileKind::Source(language) => language,
            FileKind::Infra(_) => Language::Infrastructure,
        }
    }
}

/// The kind of a file, from its name; `None` for files no front-end reads.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    if path.extension().and_then(|e| e.to_str()) == Some("rs") {
        return Some(FileKind::Source(Language::Rust));
    }
    infra::kind_of(path).map(FileKind::Infra)
}

/// The language of a file, from its name; `None` for files no front-end reads.
pub fn language_of(path: &Path) -> Option<Language> {
    kind_of(path).map(FileKind::language)
}

/// What a front-end made of one file.
pub struct Extracted {
    pub facts: FileFacts,
    /// Set when only part of the file could be read, with the reason.
    pub partial: Option<String>,
    /// Whether the file counts in the language statistics (a YAML file that is no
    /// infrastructure kind does not).
    pub counted: bool,
}

/// Parses `text` as `kind` into facts. A file that cannot be parsed is rejected with the
/// parser's message and location.
pub fn extract_file(kind: FileKind, rel_path: &str, text: &str) -> Result<Extracted, Rejected> {
    match kind {
        FileKind::Source(Language::Rust) => {
            let (counts, prefix) = lines::count(text, &lines::RUST);
            rust::extract(rel_path, text, counts, prefix).map(|facts| Extracted {
                facts,
                partial: None,
                counted: true,
            })
        }
        FileKind::Source(Language::Infrastructure) => Err(Rejected {
            reason: liability_model::SkipReason::InternalError,
            detail: "no front-end for this file kind".to_owned(),
        }),
        FileKind::Infra(kind) => infra::extract(kind, rel_path, text).map(|read| Extracted {
            facts: read.facts,
            partial: read.partial,
            counted: read.counted,
        }),
    }
}

/// Parses `text` as `language` source code into facts.
pub fn extract(language: Language, rel_path: &str, text: &str) -> Result<FileFacts, Rejected> {
    extract_file(FileKind::Source(language), rel_path, text).map(|e| e.facts)
}
