//! Helpers for rule unit tests: run one rule over an inline Rust snippet.

use crate::{frontend, rules};
use liability_model::{Finding, Language};

/// The findings of rule `rule_id` on `src` (as file `t.rs`).
pub fn findings_for(src: &str, rule_id: &str) -> Vec<Finding> {
    let rule = rules::by_id(rule_id).unwrap_or_else(|| panic!("no rule `{rule_id}`"));
    let facts =
        frontend::extract(Language::Rust, "t.rs", src).unwrap_or_else(|e| panic!("parse: {e:?}"));
    rules::run(&facts, &[rule]).0
}
