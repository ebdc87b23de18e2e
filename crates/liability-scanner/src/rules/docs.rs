//! Rule documentation pages, rendered from each rule's doc comment.
//!
//! The same text serves `liability rule ID` and the committed `docs/rules/*.md` pages; a test
//! fails when the committed pages are stale (regenerate with
//! `UPDATE_DOCS=1 cargo test -p liability-scanner rule_docs`), and another when a rule's doc
//! lacks one of the fixed sections.

use super::{ALL, Rule};
use std::fmt::Write as _;

/// The sections every rule doc has, in order.
pub const SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this a liability?",
    "## Example",
    "## Use instead",
    "## Known limits",
];

/// A rule's doc comment without the one-space indent of `/// ` lines.
fn body(rule: &Rule) -> String {
    let mut out = String::new();
    for line in rule.doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}

/// The Markdown page of one rule.
pub fn page(rule: &Rule) -> String {
    let mut out = format!(
        "# {}\n\n- category: `{}`\n- summary: {}\n- source: `{}`\n\n",
        rule.id,
        rule.category.id(),
        rule.summary,
        rule.source.replace('\\', "/")
    );
    out.push_str(&body(rule));
    out
}

/// The index table of every rule.
pub fn index() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rules' doc comments; do not edit by hand \
         (`UPDATE_DOCS=1 cargo test -p liability-scanner rule_docs`).\n\n\
         | id | category | summary |\n|---|---|---|\n",
    );
    for rule in ALL {
        let _ = writeln!(
            out,
            "| [`{id}`]({id}.md) | `{}` | {} |",
            rule.category.id(),
            rule.summary,
            id = rule.id
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn docs_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
    }

    #[test]
    fn rule_docs_have_the_fixed_sections_in_order() {
        for rule in ALL {
            let body = body(rule);
            let mut at = 0;
            for section in SECTIONS {
                let found = body[at..].find(&format!("{section}\n"));
                assert!(
                    found.is_some(),
                    "rule {} lacks `{section}` (or it is out of order)",
                    rule.id
                );
                at += found.unwrap_or(0) + section.len();
            }
        }
    }

    #[test]
    fn rule_ids_are_sorted_unique_kebab_case() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "ALL is not sorted at {} / {}",
                pair[0].id,
                pair[1].id
            );
        }
        for rule in ALL {
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "rule id `{}` is not kebab-case",
                rule.id
            );
            assert!(
                !rule.summary.ends_with('.'),
                "summary of {} ends with a period",
                rule.id
            );
        }
    }

    #[test]
    fn rule_docs_are_up_to_date() {
        let dir = docs_dir();
        let mut expected: Vec<(String, String)> = ALL
            .iter()
            .map(|r| (format!("{}.md", r.id), page(r)))
            .collect();
        expected.push(("README.md".to_owned(), index()));
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(&dir).expect("create docs/rules");
            for entry in std::fs::read_dir(&dir).expect("read docs/rules").flatten() {
                std::fs::remove_file(entry.path()).expect("remove stale page");
            }
            for (name, text) in &expected {
                std::fs::write(dir.join(name), text).expect("write page");
            }
        }
        let mut stale = Vec::new();
        for (name, text) in &expected {
            if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
                stale.push(name.clone());
            }
        }
        let on_disk = std::fs::read_dir(&dir)
            .map(|d| d.flatten().count())
            .unwrap_or(0);
        assert!(
            stale.is_empty() && on_disk == expected.len(),
            "docs/rules is stale ({stale:?}, {on_disk} files on disk for {} expected); \
             run `UPDATE_DOCS=1 cargo test -p liability-scanner rule_docs`",
            expected.len()
        );
    }
}
