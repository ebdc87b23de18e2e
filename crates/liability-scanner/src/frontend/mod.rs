//! Front-ends: source text in, language-neutral `FileFacts` out.
//!
//! Each front-end parses a file once, copies everything the rules may need into owned facts,
//! and drops the syntax tree before returning, so memory stays bounded by one file per thread.
//! Rust goes through `syn`; Python, JavaScript, TypeScript and Go through tree-sitter
//! (`treesitter` holds the shared walker, one module per language maps its node kinds).

mod go;
mod javascript;
pub mod nesting;
mod python;
pub mod rust;
mod treesitter;

use crate::lines;
use crate::source::Rejected;
use liability_model::{FileFacts, Language};
use std::path::Path;

/// What a front-end made of one file: its facts and, for a file parsed only in part, why.
#[derive(Debug)]
pub struct Extracted {
    pub facts: FileFacts,
    /// Set when the facts come from the valid parts of a file with syntax errors (or a parse
    /// cut short): the file is analysed and also listed as skipped with this reason.
    pub problem: Option<Rejected>,
}

/// The language of a file, from its name; `None` for files no front-end reads. TypeScript
/// declaration files (`.d.ts`) hold no behaviour and are not read.
pub fn language_of(path: &Path) -> Option<Language> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
        return None;
    }
    match path.extension()?.to_str()? {
        "rs" => Some(Language::Rust),
        "py" => Some(Language::Python),
        "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
        "ts" | "mts" | "cts" | "tsx" => Some(Language::TypeScript),
        "go" => Some(Language::Go),
        _ => None,
    }
}

/// Parses `text` as `language` into facts. A file that cannot be parsed at all is rejected
/// with the parser's message and location; one parsed in part yields facts and a problem.
pub fn extract(language: Language, rel_path: &str, text: &str) -> Result<Extracted, Rejected> {
    match language {
        Language::Rust => {
            let (counts, prefix) = lines::count(text, &lines::RUST);
            rust::extract(rel_path, text, counts, prefix).map(|facts| Extracted {
                facts,
                problem: None,
            })
        }
        Language::Python => {
            let (counts, prefix) = lines::count(text, &lines::PYTHON);
            treesitter::extract(treesitter::Grammar::Python, rel_path, text, counts, prefix)
        }
        Language::JavaScript => {
            let (counts, prefix) = lines::count(text, &lines::JAVASCRIPT);
            treesitter::extract(
                treesitter::Grammar::JavaScript,
                rel_path,
                text,
                counts,
                prefix,
            )
        }
        Language::TypeScript => {
            let (counts, prefix) = lines::count(text, &lines::JAVASCRIPT);
            let grammar = if rel_path.ends_with(".tsx") {
                treesitter::Grammar::Tsx
            } else {
                treesitter::Grammar::TypeScript
            };
            treesitter::extract(grammar, rel_path, text, counts, prefix)
        }
        Language::Go => {
            let (counts, prefix) = lines::count(text, &lines::GO);
            treesitter::extract(treesitter::Grammar::Go, rel_path, text, counts, prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_extension() {
        let of = |p: &str| language_of(Path::new(p));
        assert_eq!(of("a/b.rs"), Some(Language::Rust));
        assert_eq!(of("q.py"), Some(Language::Python));
        assert_eq!(of("x.mjs"), Some(Language::JavaScript));
        assert_eq!(of("x.jsx"), Some(Language::JavaScript));
        assert_eq!(of("x.tsx"), Some(Language::TypeScript));
        assert_eq!(of("x.cts"), Some(Language::TypeScript));
        assert_eq!(of("types/index.d.ts"), None);
        assert_eq!(of("main.go"), Some(Language::Go));
        assert_eq!(of("README.md"), None);
    }
}
