//! The lexical pre-pass: decides, from a file's text alone, which rules could find anything in
//! it, so that only those run and a file no rule can use is not fully parsed (issue #11: the
//! full parse is most of a scan's time).
//!
//! Each rule declares the words a Rust file must contain for it to find anything or see an
//! anchor signal (`Rule::rust_needs`, a conjunction of alternatives). One Aho-Corasick automaton over every
//! rule's words finds, in one pass over the text, which words occur; a rule is a candidate when
//! each of its clauses has a word present. Words are matched as plain substrings of the whole
//! text, comments and strings included, so the test errs towards parsing.
//!
//! Soundness is checked, not assumed: `tests::every_fixture_finding_passes_its_rule_words`
//! runs every rule on every fixture without the pre-pass and asserts that each finding's and
//! anchor's file passed the emitting rule's words, and `bench/prepass-check.sh` compares whole reports with
//! and without the pre-pass on the corpora.

use crate::rules::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// Every rule's words, compiled once.
struct Vocabulary {
    automaton: AhoCorasick,
    /// Per rule of `rules::ALL`, per clause, the pattern ids of its words.
    clauses: Vec<Vec<Vec<usize>>>,
    patterns: usize,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut words: Vec<&'static str> = Vec::new();
        let mut id_of = |w: &'static str| match words.iter().position(|x| *x == w) {
            Some(i) => i,
            None => {
                words.push(w);
                words.len() - 1
            }
        };
        let clauses = crate::rules::ALL
            .iter()
            .map(|rule| {
                rule.rust_needs
                    .iter()
                    .map(|clause| clause.iter().map(|w| id_of(w)).collect())
                    .collect()
            })
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .or_else(|_| AhoCorasick::builder().build(&words))
            // The words are compile-time constants: building cannot fail but for size.
            .unwrap_or_else(|e| panic!("rule words do not compile: {e}"));
        Vocabulary {
            automaton,
            clauses,
            patterns: words.len(),
        }
    })
}

/// Which rule words a text holds.
pub struct WordsPresent {
    present: Vec<bool>,
}

impl WordsPresent {
    /// Scans `text` once for every rule's words.
    pub fn of(text: &str) -> WordsPresent {
        let vocabulary = vocabulary();
        let mut present = vec![false; vocabulary.patterns];
        let mut missing = vocabulary.patterns;
        for m in vocabulary.automaton.find_overlapping_iter(text) {
            let seen = &mut present[m.pattern().as_usize()];
            if !*seen {
                *seen = true;
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        WordsPresent { present }
    }

    /// Whether `rule` may find anything in a Rust file with these words.
    pub fn admits(&self, rule: &Rule) -> bool {
        let vocabulary = vocabulary();
        let Some(index) = crate::rules::ALL
            .iter()
            .position(|r| std::ptr::eq(*r, rule))
        else {
            return true;
        };
        vocabulary.clauses[index]
            .iter()
            .all(|clause| clause.iter().any(|&w| self.present[w]))
    }
}

/// Whether the words of `rule` occur in `text` (each clause has one): the slow, obvious form
/// of `WordsPresent::admits`, for tests.
pub fn admits_text(rule: &Rule, text: &str) -> bool {
    rule.rust_needs
        .iter()
        .all(|clause| clause.iter().any(|w| text.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use liability_model::Language;

    /// Every Rust file under `fixtures/`, with its path relative to that folder.
    fn rust_fixtures() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap_or_else(|e| panic!("walk fixtures: {e}"));
            if entry.path().extension().is_some_and(|e| e == "rs")
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
        assert!(
            out.len() > 20,
            "fixtures not found under {}",
            root.display()
        );
        out
    }

    #[test]
    fn every_fixture_finding_passes_its_rule_words() {
        let mut emissions = 0;
        for (rel, text) in rust_fixtures() {
            let Ok(facts) = crate::frontend::extract(Language::Rust, &rel, &text) else {
                continue;
            };
            let (findings, partials) = crate::rules::run(&facts, crate::rules::ALL);
            let words = WordsPresent::of(&text);
            // Findings and anchor signals need the words; supporting signals alone do not
            // (they are recovered when their package pools an anchor).
            let emitting = findings
                .iter()
                .flat_map(|f| f.evidence.iter().map(|e| e.rule))
                .chain(
                    partials
                        .iter()
                        .filter(|p| p.signals.iter().any(|s| s.anchor))
                        .map(|p| p.rule.id),
                );
            for id in emitting {
                emissions += 1;
                let rule = crate::rules::by_id(id).unwrap_or_else(|| panic!("rule {id}"));
                assert!(
                    admits_text(rule, &text),
                    "{rel}: rule `{id}` found something, but the text lacks its words {:?}",
                    rule.rust_needs
                );
                assert!(
                    words.admits(rule),
                    "{rel}: automaton and text disagree on `{id}`"
                );
            }
        }
        assert!(
            emissions > 20,
            "only {emissions} emissions: fixtures not analysed?"
        );
    }

    #[test]
    fn automaton_agrees_with_substring_search() {
        let text = "fn f() { std::thread::sleep(d); let m: HashMap<String, u8>; }";
        let words = WordsPresent::of(text);
        for rule in crate::rules::ALL {
            assert_eq!(words.admits(rule), admits_text(rule, text), "{}", rule.id);
        }
    }
}
