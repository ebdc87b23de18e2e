//! Helpers for rule unit tests: run one rule over an inline snippet.

use crate::{frontend, rules};
use liability_model::{Finding, Language};

/// The findings of rule `rule_id` on Rust `src` (as file `t.rs`).
pub fn findings_for(src: &str, rule_id: &str) -> Vec<Finding> {
    findings_in(Language::Rust, "t.rs", src, rule_id)
}

/// The findings of rule `rule_id` on `src` in `language`, as file `name`.
pub fn findings_in(language: Language, name: &str, src: &str, rule_id: &str) -> Vec<Finding> {
    let rule = rules::by_id(rule_id).unwrap_or_else(|| panic!("no rule `{rule_id}`"));
    let facts = frontend::extract(language, name, src).unwrap_or_else(|e| panic!("parse: {e:?}"));
    rules::run(&facts, &[rule]).0
}
