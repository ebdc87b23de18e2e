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
    rules::run(&facts, &[rule]).0
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
