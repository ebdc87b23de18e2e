//! Helpers for rule unit tests: run one rule over an inline snippet.

use crate::{frontend, rules};
use liability_model::{EventKind, Finding, Function, Language};

/// The findings of rule `rule_id` on Rust `src` (as file `t.rs`).
pub fn findings_for(src: &str, rule_id: &str) -> Vec<Finding> {
    findings_in(Language::Rust, "t.rs", src, rule_id)
}

/// The findings of rule `rule_id` on `src` in `language`, as file `name`.
pub fn findings_in(language: Language, name: &str, src: &str, rule_id: &str) -> Vec<Finding> {
    let rule = rules::by_id(rule_id).unwrap_or_else(|| panic!("no rule `{rule_id}`"));
    let facts = frontend::extract(language, name, src).unwrap_or_else(|e| panic!("parse: {e:?}"));
    let (findings, partials) = rules::run(&facts, &[rule]);
    // The lexical pre-pass runs a rule only on the files of its languages (Rust, Python,
    // JavaScript, TypeScript) holding its words: every rule test that finds something (or sees
    // an anchor) checks that those words are there, and every signal that it passes its
    // support test.
    if let Some(words) = rule.words(language) {
        if !(findings.is_empty() && partials.is_empty()) {
            assert!(
                crate::prepass::admits_text(rule, language, src)
                    || crate::prepass::supports_text(rule, language, src),
                "rule `{rule_id}` saw signals in a {language:?} text that fails its support test"
            );
        }
        if !crate::prepass::rules_needing_words(&findings, &partials).is_empty() {
            assert!(
                crate::prepass::admits_text(rule, language, src),
                "rule `{rule_id}` found something in a {language:?} text without its words {:?}",
                words.needs
            );
        }
    }
    findings
}

/// The `(target, value)` of every plain assignment a function's facts recorded, in order.
pub fn assignments(function: &Function) -> Vec<(&str, &str)> {
    function
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Assign { target, value } => Some((target.as_str(), value.as_str())),
            _ => None,
        })
        .collect()
}

/// Every file under `fixtures/` whose name ends in `.{extension}`, as (path relative to
/// `fixtures/`, text), in path order.
pub fn fixture_files(extension: &str) -> Vec<(String, String)> {
    let out = fixture_files_or_none(extension);
    assert!(
        out.len() > 20,
        "fixtures ending in .{extension} not found under fixtures/"
    );
    out
}

/// Every file under `fixtures/` whose name ends in `.{extension}`, as `fixture_files` gives
/// them, for extensions few fixtures (or none) use.
pub fn fixture_files_or_none(extension: &str) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap_or_else(|e| panic!("walk fixtures: {e}"));
        if entry.path().extension().is_some_and(|e| e == extension)
            && let Ok(text) = std::fs::read_to_string(entry.path())
        {
            let rel = entry
                .path()
                .strip_prefix(&root)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, text));
        }
    }
    out
}

/// The framework summaries of `text` from a light front-end's facts and from the full
/// front-end's, complexity left out (only the full parse knows it).
pub fn light_and_full_summaries(
    language: Language,
    rel: &str,
    light: &liability_model::FileFacts,
    text: &str,
) -> Option<(rules::framework::FileSummary, rules::framework::FileSummary)> {
    let full = frontend::extract(language, rel, text).ok()?;
    let package = rules::package_of(rel);
    let mut a = rules::framework::summarise(light, package);
    let mut b = rules::framework::summarise(&full, package);
    a.complexity = None;
    b.complexity = None;
    Some((a, b))
}
