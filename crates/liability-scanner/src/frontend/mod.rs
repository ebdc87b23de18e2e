//! Front-ends: source text in, language-neutral `FileFacts` out.
//!
//! Each front-end parses a file once, copies everything the rules may need into owned facts,
//! and drops the syntax tree before returning, so memory stays bounded by one file per thread.
//! Rust goes through `syn`; Python, JavaScript, TypeScript and Go through tree-sitter
//! (`treesitter` holds the shared walker, one module per language maps its node kinds);
//! infrastructure files (Dockerfiles, YAML, Terraform, systemd units, crontabs) to `infra`.

mod go;
pub mod infra;
mod javascript;
pub mod js_light;
pub mod nesting;
mod python;
pub mod python_light;
pub mod rust;
pub mod rust_light;
mod treesitter;

use crate::lines;
use crate::source::Rejected;
use liability_model::{FileFacts, Language, LineCounts, SkipReason};
use std::path::Path;

/// The file needs the full parse: a light front-end (`rust_light`, `python_light`,
/// `js_light`) met a shape whose facts it does not reproduce exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedsParse;

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

/// The source language of a file, from its name; `None` for files no source front-end reads.
/// TypeScript declaration files (`.d.ts`) hold no behaviour and are not read.
fn source_language_of(path: &Path) -> Option<Language> {
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

/// The kind of a file, from its name; `None` for files no front-end reads.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    source_language_of(path)
        .map(FileKind::Source)
        .or_else(|| infra::kind_of(path).map(FileKind::Infra))
}

/// The language of a file, from its name; `None` for files no front-end reads.
pub fn language_of(path: &Path) -> Option<Language> {
    kind_of(path).map(FileKind::language)
}

/// What a front-end made of one file.
#[derive(Debug)]
pub struct Extracted {
    pub facts: FileFacts,
    /// Set when the facts come from the valid parts of a file (syntax errors, a parse cut
    /// short, a YAML alias budget spent): the file is analysed and also listed as skipped with
    /// this reason.
    pub problem: Option<Rejected>,
    /// Whether the file counts in the language statistics (a YAML file that is no
    /// infrastructure kind does not).
    pub counted: bool,
}

impl Extracted {
    /// Facts of a whole file, counted in its language's statistics.
    pub fn whole(facts: FileFacts) -> Extracted {
        Extracted {
            facts,
            problem: None,
            counted: true,
        }
    }
}

/// The line syntax of a source language (comments and strings, for the line counts).
fn syntax_of(language: Language) -> Option<&'static lines::Syntax> {
    match language {
        Language::Rust => Some(&lines::RUST),
        Language::Python => Some(&lines::PYTHON),
        Language::JavaScript | Language::TypeScript => Some(&lines::JAVASCRIPT),
        Language::Go => Some(&lines::GO),
        Language::Infrastructure => None,
    }
}

/// The line counts of `text` in `language` (see `lines::count`); `None` for infrastructure
/// files, which their readers count.
pub fn count_lines(language: Language, text: &str) -> Option<(LineCounts, Vec<u32>)> {
    syntax_of(language).map(|syntax| lines::count(text, syntax))
}

/// Parses `text` as `kind` into facts. A file that cannot be parsed at all is rejected with
/// the parser's message and location; one parsed in part yields facts and a problem.
pub fn extract_file(kind: FileKind, rel_path: &str, text: &str) -> Result<Extracted, Rejected> {
    match kind {
        FileKind::Source(language) => match count_lines(language, text) {
            Some((counts, prefix)) => extract_counted(language, rel_path, text, counts, prefix),
            None => Err(no_front_end()),
        },
        FileKind::Infra(kind) => infra::extract(kind, rel_path, text).map(|read| Extracted {
            facts: read.facts,
            problem: read.partial.map(|detail| Rejected {
                reason: SkipReason::ParseError,
                detail,
            }),
            counted: read.counted,
        }),
    }
}

fn no_front_end() -> Rejected {
    Rejected {
        reason: SkipReason::InternalError,
        detail: "no front-end for this file kind".to_owned(),
    }
}

/// Parses source `text` in `language` whose lines are already counted (`count_lines`): the
/// full front-end, as `extract_file` runs it.
pub fn extract_counted(
    language: Language,
    rel_path: &str,
    text: &str,
    counts: LineCounts,
    prefix: Vec<u32>,
) -> Result<Extracted, Rejected> {
    let grammar = match language {
        Language::Rust => {
            return rust::extract(rel_path, text, counts, prefix).map(Extracted::whole);
        }
        Language::Python => treesitter::Grammar::Python,
        Language::JavaScript => treesitter::Grammar::JavaScript,
        Language::TypeScript if rel_path.ends_with(".tsx") => treesitter::Grammar::Tsx,
        Language::TypeScript => treesitter::Grammar::TypeScript,
        Language::Go => treesitter::Grammar::Go,
        Language::Infrastructure => return Err(no_front_end()),
    };
    treesitter::extract(grammar, rel_path, text, counts, prefix)
}

/// What a light front-end read of a file.
#[derive(Debug)]
pub struct LightFacts {
    pub facts: FileFacts,
    /// Its functions carry the complexity the full front-end gives them (`python_light`
    /// follows it but for shapes it leaves to the parse; `rust_light` only on demand,
    /// `rust_light::extract_with_complexity`; `js_light` does not).
    pub complexity: bool,
}

/// Whether `language` has a light front-end (`extract_light` may answer for its files).
pub fn has_light_front_end(language: Language) -> bool {
    matches!(
        language,
        Language::Rust | Language::Python | Language::JavaScript | Language::TypeScript
    )
}

/// What the framework summary needs of a source file in `language`, from its light
/// front-end (`rust_light`, `python_light`, `js_light`) whose lines are already counted, or
/// `NeedsParse` (also for a language without one).
pub fn extract_light(
    language: Language,
    rel_path: &str,
    text: &str,
    counts: LineCounts,
    prefix: Vec<u32>,
) -> Result<LightFacts, NeedsParse> {
    match language {
        Language::Rust => rust_light::extract(rel_path, text, counts, prefix),
        Language::Python => python_light::extract(rel_path, text, counts, prefix),
        Language::JavaScript | Language::TypeScript => {
            js_light::extract(rel_path, text, counts, prefix).map(|facts| LightFacts {
                facts,
                complexity: false,
            })
        }
        Language::Go | Language::Infrastructure => Err(NeedsParse),
    }
}

/// The facts of a source file with its functions' complexity, from a light front-end that
/// follows the whole file (`rust_light::extract_with_complexity`), or `None` (the full parse
/// gives it then). For the framework pass, which needs the complexity of files the first pass
/// read lightly without it. (`python_light` gives it in the first pass already.)
pub fn light_facts_with_complexity(
    language: Language,
    rel_path: &str,
    text: &str,
) -> Option<FileFacts> {
    if language != Language::Rust {
        return None;
    }
    let (counts, prefix) = count_lines(language, text)?;
    rust_light::extract_with_complexity(rel_path, text, counts, prefix)
        .ok()
        .filter(|read| read.complexity)
        .map(|read| read.facts)
}

/// Parses `text` as `language` source code into facts (the valid parts of a partly broken
/// file included).
pub fn extract(language: Language, rel_path: &str, text: &str) -> Result<FileFacts, Rejected> {
    extract_file(FileKind::Source(language), rel_path, text).map(|e| e.facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light_front_ends_are_the_languages_extract_light_answers_for() {
        // One import each language's light reader reads (Go has none).
        for (language, path, text) in [
            (Language::Rust, "m.rs", "use std::io;\n"),
            (Language::Python, "m.py", "import os\n"),
            (Language::JavaScript, "m.js", "import os from 'os';\n"),
            (Language::TypeScript, "m.ts", "import os from 'os';\n"),
            (Language::Go, "m.go", "import \"os\"\n"),
        ] {
            let Some((counts, prefix)) = count_lines(language, text) else {
                panic!("{language:?}: no line syntax");
            };
            let answered = extract_light(language, path, text, counts, prefix).is_ok();
            assert_eq!(has_light_front_end(language), answered, "{language:?}");
        }
    }

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
        assert_eq!(of("Dockerfile"), Some(Language::Infrastructure));
    }
}
