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

    /// Whether `rule` may find anything in the Rust file `text` with these words: its words
    /// admit it and its lexical test (`Rule::rust_text`) holds, run only when they do.
    pub fn admits_file(&self, rule: &Rule, text: &str) -> bool {
        self.admits(rule) && (rule.rust_text)(text)
    }
}

/// The rules whose words (`Rule::rust_needs`) a file must hold, given what analysing it
/// found: the rules of its findings' evidence and of its partial signals holding an anchor
/// (supporting signals alone need only `Rule::rust_support`), sorted, once each.
pub fn rules_needing_words(
    findings: &[liability_model::Finding],
    partials: &[crate::rules::Partial],
) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| e.rule))
        .chain(
            partials
                .iter()
                .filter(|p| p.signals.iter().any(|s| s.anchor))
                .map(|p| p.rule.id),
        )
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether `text` passes the lexical test any signal of `rule` needs (`Rule::rust_support`).
pub fn supports_text(rule: &Rule, text: &str) -> bool {
    (rule.rust_support)(text)
}

/// Whether `rule` admits `text`: its words occur in it (each clause has one) and its lexical
/// test holds. The slow, obvious form of `WordsPresent::admits_file`, for tests.
pub fn admits_text(rule: &Rule, text: &str) -> bool {
    crate::rules::has_words(text, rule.rust_needs) && (rule.rust_text)(text)
}

/// Whether one bracketed region of `text` (from a `[` at the outermost level to its `]`: an
/// array and the arrays nested in it) holds at least `needed` tokens that look like integer
/// literals whose value could be 2^24 or more: hexadecimal with 7 digits or more, octal with 9
/// or more, binary with 25 or more, decimal with 8 or more (`_` separators not counted; a
/// suffix such as `u32` may follow). Leading zeros are counted, so the test errs towards
/// admitting. A token starts at a digit that does not continue a name or a number. One pass
/// over the bytes inside brackets.
pub fn wide_int_literals(text: &str, needed: usize) -> bool {
    let bytes = text.as_bytes();
    let mut found = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // Outside brackets only the next `[` matters: `memchr` finds it.
        if depth == 0 {
            match memchr::memchr(b'[', &bytes[i..]) {
                Some(open) => i += open,
                None => return false,
            }
        }
        let b = bytes[i];
        if !b.is_ascii_digit() {
            match b {
                b'[' => {
                    if depth == 0 {
                        found = 0;
                    }
                    depth += 1;
                }
                b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
            continue;
        }
        // A digit inside a name (`u32`, `sha256`) or after a dot (`1.5`, `t.0`) starts no
        // literal of its own.
        if i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b'.')
        {
            i += 1;
            continue;
        }
        let (radix_digit, min_digits, start): (fn(u8) -> bool, usize, usize) =
            match (b, bytes.get(i + 1).copied()) {
                (b'0', Some(b'x' | b'X')) => (|c: u8| c.is_ascii_hexdigit(), 7, i + 2),
                (b'0', Some(b'o' | b'O')) => (|c: u8| (b'0'..=b'7').contains(&c), 9, i + 2),
                (b'0', Some(b'b' | b'B')) => (|c: u8| c == b'0' || c == b'1', 25, i + 2),
                _ => (|c: u8| c.is_ascii_digit(), 8, i),
            };
        let mut j = start;
        let mut digits = 0;
        while j < bytes.len() && (radix_digit(bytes[j]) || bytes[j] == b'_') {
            if bytes[j] != b'_' {
                digits += 1;
            }
            j += 1;
        }
        if digits >= min_digits && depth > 0 {
            found += 1;
            if found >= needed {
                return true;
            }
        }
        // Skip the rest of the token (a suffix, a float's fraction).
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        i = j.max(i + 1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use liability_model::Language;

    #[test]
    fn every_fixture_finding_passes_its_rule_words() {
        let mut emissions = 0;
        for (rel, text) in crate::test_support::fixture_files("rs") {
            let Ok(facts) = crate::frontend::extract(Language::Rust, &rel, &text) else {
                continue;
            };
            let (findings, partials) = crate::rules::run(&facts, crate::rules::ALL);
            let words = WordsPresent::of(&text);
            // Every signal comes from a file its rule admits or supports.
            for p in &partials {
                assert!(
                    admits_text(p.rule, &text) || supports_text(p.rule, &text),
                    "{rel}: rule `{}` saw a signal, but the text fails its support test",
                    p.rule.id,
                );
            }
            // Findings and anchor signals need the words; supporting signals alone do not
            // (they are recovered when their package pools an anchor).
            for id in rules_needing_words(&findings, &partials) {
                emissions += 1;
                let rule = crate::rules::by_id(id).unwrap_or_else(|| panic!("rule {id}"));
                assert!(
                    admits_text(rule, &text),
                    "{rel}: rule `{id}` found something, but the text lacks its words {:?}",
                    rule.rust_needs
                );
                assert!(
                    words.admits_file(rule, &text),
                    "{rel}: automaton and text disagree on `{id}`"
                );
            }
        }
        assert!(
            emissions > 20,
            "only {emissions} emissions: fixtures not analysed?"
        );
    }

    /// The SHA-256 round constants, first 16.
    const SHA256_K_HEX: &str = "const K: [u32; 16] = [\n    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,\n    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,\n    0x9bdc06a7, 0xc19bf174,\n];\n";

    #[test]
    fn wide_constant_tables_pass_the_crypto_test() {
        assert!(wide_int_literals(SHA256_K_HEX, 12));
        // The same constants in decimal, with suffixes and separators.
        let decimal = "const K: [u32; 16] = [1116352408u32, 1899447441, 3049323471, 3921009573, 961987163, 1508970993, 2453635748, 2870763221, 3624381080, 310598401, 607225278, 1426881987, 1925078388, 2162078206, 2614888103, 3_248_222_580_u32];";
        assert!(wide_int_literals(decimal, 12));
        let octal_binary = format!(
            "[{}]",
            "0o1234567012, 0b1010101010101010101010101010, ".repeat(6)
        );
        assert!(wide_int_literals(&octal_binary, 12));
        // Twelve wide literals, but in no one array.
        assert!(!wide_int_literals(
            &"[0x12345678, 0x23456789] ".repeat(6),
            12
        ));
        let rule = crate::rules::by_id("hash-or-cipher-by-hand").unwrap_or_else(|| panic!("rule"));
        assert!(admits_text(rule, SHA256_K_HEX));
    }

    #[test]
    fn ordinary_code_fails_the_crypto_test() {
        let code = "fn f(v: &[u8]) -> u64 {\n    let mut h = 0xcbf2_9ce4_8422_2325u64; // FNV offset\n    for b in v { h ^= u64::from(*b); h = h.wrapping_mul(0x100000001b3); }\n    let t = [1, 2, 3, 65535, 0xffff, 1_000_000, 1234567, 0x0ff_ffff];\n    let x = sha256(v); let y = v.0 + 1.5e10 + u128::MAX as f64; h + 12345678\n}\n";
        assert!(!wide_int_literals(code, 12));
        // The FNV constants and 12345678 look wide, but in no array; `0x0ff_ffff` may be.
        assert!(wide_int_literals(code, 1));
        assert!(!wide_int_literals(code, 2));
        // Names and fractions holding digits are not literals.
        let names = format!("[{}]", "x12345678, y.12345678, 1.12345678, ".repeat(20));
        assert!(!wide_int_literals(&names, 1));
        let rule = crate::rules::by_id("hash-or-cipher-by-hand").unwrap_or_else(|| panic!("rule"));
        assert!(!admits_text(rule, code));
    }

    #[test]
    fn automaton_agrees_with_substring_search() {
        let text = "fn f() { std::thread::sleep(d); let m: HashMap<String, u8>; }";
        let words = WordsPresent::of(text);
        for rule in crate::rules::ALL {
            assert_eq!(
                words.admits_file(rule, text),
                admits_text(rule, text),
                "{}",
                rule.id
            );
        }
    }
}

/// Rust forms of anchors first written for other languages: the rule tests check the words
/// of what they find (`test_support`), so these keep the Rust words honest for them.
#[cfg(test)]
mod rust_anchor_tests {
    use crate::test_support::findings_for;

    #[test]
    fn a_websocket_frame_reader_without_the_handshake() {
        let src = "pub fn read_frame(h: &[u8]) -> u64 {\n    let fin = h[0] & 0x80 != 0;\n    let mut n = u64::from(h[1] & 0x7f);\n    if n == 126 {\n        n = 2;\n    } else if n == 127 {\n        n = 8;\n    }\n    let _ = fin;\n    n\n}\n";
        assert_eq!(findings_for(src, "websocket-protocol-by-hand").len(), 1);
    }

    #[test]
    fn a_role_hierarchy_walked_by_recursion() {
        let src = "pub struct Acl { roles: HashMap<String, Role> }\nimpl Acl {\n    pub fn can(&self, role: &str, perm: &str) -> bool {\n        let Some(r) = self.roles.get(role) else { return false };\n        if r.grants.contains(perm) { return true; }\n        r.parents.iter().any(|p| self.can(p, perm))\n    }\n}\n";
        assert_eq!(findings_for(src, "policy-evaluation-by-hand").len(), 1);
    }
}
