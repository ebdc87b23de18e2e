//! The lexical pre-pass: decides, from a file's text alone, which rules could find anything in
//! it, so that only those run and a file no rule can use is not fully parsed (issue #11: the
//! full parse is most of a scan's time).
//!
//! Rules are language-agnostic (one `check` reads the facts of every front-end), but what
//! their facts look like in the text depends on the language, so each rule declares its words
//! per language (`Rule::rust`, `Rule::python`, `Rule::javascript` for JavaScript and
//! TypeScript alike, a `rules::Words`): the words a file of that
//! language must contain for the rule to find anything or see an anchor signal (a conjunction
//! of alternatives), an optional lexical test of the whole text, and a looser test for
//! supporting signals. One Aho-Corasick automaton per language over every rule's words, built
//! once, finds in one pass over the text which words occur (one-byte words by `memchr`); a rule
//! is a candidate when each of its clauses has a word present and its test holds. Words are
//! matched as plain substrings of the whole text, comments and strings included, so they err
//! towards parsing. Languages not in `LANGUAGES` (Go, infrastructure files) have no pre-pass:
//! every rule sees every such file.
//!
//! The tests read a `Source`: the text, and for Python what several rules' tests share,
//! computed once when the first asks (`PythonText`: logical lines, string literals told apart
//! from docstrings, a code view with comments and docstrings blanked, functions and classes by
//! indentation). A Python test can so ask for what a rule reads where it reads it: in one
//! function (most anchors read one function's events), in one class, in literals, in code.
//!
//! Soundness is checked, not assumed: `tests::every_fixture_finding_passes_its_rule_words`
//! runs every rule on every Rust, Python, JavaScript and TypeScript fixture without the pre-pass and asserts that each
//! finding's and anchor's file passed the emitting rule's words, the rule tests do the same
//! for every snippet they analyse (`test_support::findings_in`), `python_tests` holds a Python
//! anchor of every rule, `examples/needs_check.rs` checks whole corpora, and
//! `bench/prepass-check.sh` compares whole reports with and without the pre-pass on them.

use crate::rules::{Rule, Words};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use liability_model::Language;
use std::sync::OnceLock;

/// The languages whose files the pre-pass reads: each has its words on every rule, and a
/// light front-end for the files no rule can use (`frontend::rust_light`,
/// `frontend::python_light`, `frontend::js_light` for JavaScript and TypeScript).
pub const LANGUAGES: &[Language] = &[
    Language::Rust,
    Language::Python,
    Language::JavaScript,
    Language::TypeScript,
];

/// Every rule's words for one language, compiled once.
struct Vocabulary {
    /// The words longer than one byte, matched in one pass.
    automaton: AhoCorasick,
    /// Per automaton pattern, its word id.
    automaton_words: Vec<usize>,
    /// The one-byte words (`+`, `/`) with their ids, looked up with `memchr`: in the
    /// automaton they would match at every occurrence, and each match costs.
    bytes: Vec<(u8, usize)>,
    /// Per rule of `rules::ALL`, per clause, the ids of its words.
    clauses: Vec<Vec<Vec<usize>>>,
    patterns: usize,
}

impl Vocabulary {
    fn build(words_of: fn(&Rule) -> &Words) -> Vocabulary {
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
                words_of(rule)
                    .needs
                    .iter()
                    .map(|clause| clause.iter().map(|w| id_of(w)).collect())
                    .collect()
            })
            .collect();
        type Ids<'w> = Vec<(usize, &'w str)>;
        let (long, short): (Ids<'_>, Ids<'_>) = words
            .iter()
            .copied()
            .enumerate()
            .partition(|(_, w)| w.len() > 1);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(long.iter().map(|(_, w)| w))
            .or_else(|_| AhoCorasick::builder().build(long.iter().map(|(_, w)| w)))
            // The words are compile-time constants: building cannot fail but for size.
            .unwrap_or_else(|e| panic!("rule words do not compile: {e}"));
        Vocabulary {
            automaton,
            automaton_words: long.iter().map(|(id, _)| *id).collect(),
            bytes: short
                .iter()
                .filter_map(|(id, w)| Some((*w.as_bytes().first()?, *id)))
                .collect(),
            clauses,
            patterns: words.len(),
        }
    }
}

/// The vocabulary of `language`, if the pre-pass reads it.
fn vocabulary(language: Language) -> Option<&'static Vocabulary> {
    static RUST: OnceLock<Vocabulary> = OnceLock::new();
    static PYTHON: OnceLock<Vocabulary> = OnceLock::new();
    static JAVASCRIPT: OnceLock<Vocabulary> = OnceLock::new();
    match language {
        Language::Rust => Some(RUST.get_or_init(|| Vocabulary::build(|r| &r.rust))),
        Language::Python => Some(PYTHON.get_or_init(|| Vocabulary::build(|r| &r.python))),
        Language::JavaScript | Language::TypeScript => {
            Some(JAVASCRIPT.get_or_init(|| Vocabulary::build(|r| &r.javascript)))
        }
        _ => None,
    }
}

/// Which rule words a text of one language holds.
pub struct WordsPresent {
    language: Language,
    present: Vec<bool>,
}

impl WordsPresent {
    /// Scans `text`, a file of `language`, once for every rule's words in that language. For a
    /// language without a pre-pass, every rule is admitted.
    pub fn of(language: Language, text: &str) -> WordsPresent {
        let Some(vocabulary) = vocabulary(language) else {
            return WordsPresent {
                language,
                present: Vec::new(),
            };
        };
        let mut present = vec![false; vocabulary.patterns];
        for &(byte, id) in &vocabulary.bytes {
            present[id] = memchr::memchr(byte, text.as_bytes()).is_some();
        }
        let mut missing = vocabulary.automaton_words.len();
        for m in vocabulary.automaton.find_overlapping_iter(text) {
            let seen = &mut present[vocabulary.automaton_words[m.pattern().as_usize()]];
            if !*seen {
                *seen = true;
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        WordsPresent { language, present }
    }

    /// Whether `rule` may find anything in a file with these words.
    pub fn admits(&self, rule: &Rule) -> bool {
        let Some(vocabulary) = vocabulary(self.language) else {
            return true;
        };
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

    /// Whether `rule` may find anything in the file `source` with these words: its words
    /// admit it and its lexical test (`Words::text`) holds, run only when they do.
    pub fn admits_file(&self, rule: &Rule, source: &Source<'_>) -> bool {
        self.admits(rule) && rule.words(self.language).is_none_or(|w| (w.text)(source))
    }

    /// The rules to run on the file `source` and the ones to skip. Until one rule is
    /// admitted (`admits_file`), each must pass its lexical test; once one is, the file is
    /// parsed anyway, and the later rules whose words it holds run without their tests: a rule
    /// costs less on the facts than its test on the text, and finds just what it would find
    /// without the pre-pass, so results do not change (and their supporting signals need no
    /// second parse).
    pub fn rules_to_run(
        &self,
        rules: &[&'static Rule],
        source: &Source<'_>,
    ) -> (Vec<&'static Rule>, Vec<&'static Rule>) {
        let mut parsed = false;
        rules.iter().copied().partition(|rule| {
            if parsed {
                return self.admits(rule);
            }
            parsed = self.admits_file(rule, source);
            parsed
        })
    }
}

/// The rules whose words (`Words::needs`) a file must hold, given what analysing it found:
/// the rules of its findings' evidence and of its partial signals holding an anchor
/// (supporting signals alone need only `Words::support`), sorted, once each.
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

/// Whether `text`, a file of `language`, passes the lexical test any signal of `rule` needs
/// (`Words::support`); always for a language without a pre-pass.
pub fn supports_text(rule: &Rule, language: Language, text: &str) -> bool {
    supports(rule, language, &Source::new(text))
}

/// `supports_text` on a `Source`, which several rules' support tests share.
pub fn supports(rule: &Rule, language: Language, source: &Source<'_>) -> bool {
    rule.words(language)
        .is_none_or(|words| (words.support)(source))
}

/// Whether `rule` admits `text`, a file of `language`: its words occur in it (each clause has
/// one) and its lexical test holds; always for a language without a pre-pass. The slow,
/// obvious form of `WordsPresent::admits_file`, for tests.
pub fn admits_text(rule: &Rule, language: Language, text: &str) -> bool {
    rule.words(language).is_none_or(|words| {
        crate::rules::has_words(text, words.needs) && (words.text)(&Source::new(text))
    })
}

/// A file's text as the lexical tests (`Words::text`) read it, with what several tests of one
/// language share computed once, when the first asks: the Python logical lines, strings and
/// functions (`PythonText`).
pub struct Source<'t> {
    text: &'t str,
    python: std::cell::OnceCell<PythonText<'t>>,
    functions: std::cell::OnceCell<Vec<PythonBlock<'t>>>,
    classes: std::cell::OnceCell<Vec<PythonBlock<'t>>>,
}

impl<'t> Source<'t> {
    pub fn new(text: &'t str) -> Source<'t> {
        Source {
            text,
            python: std::cell::OnceCell::new(),
            functions: std::cell::OnceCell::new(),
            classes: std::cell::OnceCell::new(),
        }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The text lexed as Python.
    pub fn python(&self) -> &PythonText<'t> {
        self.python.get_or_init(|| PythonText::of(self.text))
    }

    /// The text as Python code: comments and docstrings blanked (`PythonText::code`).
    pub fn python_code(&self) -> &str {
        self.python().code()
    }

    /// The Python functions of the text (`PythonText::functions`).
    pub fn python_functions(&self) -> &[PythonBlock<'t>] {
        self.functions.get_or_init(|| self.python().functions())
    }

    /// The Python classes of the text (`PythonText::classes`).
    pub fn python_classes(&self) -> &[PythonBlock<'t>] {
        self.classes.get_or_init(|| self.python().classes())
    }
}

/// The names quoted whole in `text`: a quote (`'` or `"`), a name (letters, digits, `_`),
/// a quote; as a literal whose value is the name is written.
pub fn quoted_names(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'"', b'\'', bytes).filter_map(move |q| {
        let start = q + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| !is_name_byte(b))
            .map_or(bytes.len(), |p| start + p);
        (end > start && matches!(bytes.get(end), Some(b'"' | b'\''))).then(|| &text[start..end])
    })
}

/// Whether `hay` holds one of `words` (the lexical tests' `contains`, with `memchr`'s SIMD
/// substring search: they search whole texts and functions many times).
pub fn has_any(hay: &str, words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| memchr::memmem::find(hay.as_bytes(), w.as_bytes()).is_some())
}

/// Whether `hay` holds `needle` in any ASCII casing, without a lower-cased copy.
pub fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    let Some(&first) = needle.first() else {
        return true;
    };
    let hay = hay.as_bytes();
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(|i| {
        hay.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// What the Python lexical tests read of a text: its logical lines and its string literals,
/// told apart from comments, brackets and line continuations the way Python's tokenizer does.
pub struct PythonText<'t> {
    text: &'t str,
    /// The logical lines (statements), as byte ranges: a line break ends one unless brackets
    /// are open or a backslash continues the line, and a `;` ends one too; comments stay in
    /// their line. A `case` or `if` header and a body on the same line are one.
    pub statements: Vec<std::ops::Range<usize>>,
    /// The bodies of the string literals (between the quotes, escapes as written).
    pub strings: Vec<std::ops::Range<usize>>,
    /// Per string, whether it stands alone as a statement (a docstring): the front-end keeps
    /// no literal of it and renders it in no operand.
    alone: Vec<bool>,
    /// The text with the comments and the strings standing alone (docstrings) blanked (line
    /// breaks kept, so byte offsets are the text's): what the front-end reads. Calls,
    /// operators, numbers and names in docstrings, doctests and comments make no facts;
    /// string literals stay, as operands render them.
    code: String,
}

impl<'t> PythonText<'t> {
    /// One pass over `text`. Brackets and line breaks inside strings and comments do not
    /// count; an unterminated one-line string ends at its line break. (Python 3.12 f-strings
    /// nesting their own quote are read as two strings: the brackets between them still
    /// balance.)
    pub fn of(text: &'t str) -> PythonText<'t> {
        let b = text.as_bytes();
        let mut statements = Vec::new();
        let mut strings = Vec::new();
        let mut comments = Vec::new();
        let mut alone = Vec::new();
        let mut start = 0;
        let mut depth = 0usize;
        // The strings of the logical line being read, and whether it holds anything else
        // (blanks, comments, line continuations and string prefixes aside).
        let mut line_strings = 0;
        let mut line_code = false;
        // At the end of a logical line: its one string alone is a docstring.
        fn end_line(alone: &mut [bool], line_strings: &mut usize, line_code: &mut bool) {
            if *line_strings == 1
                && !*line_code
                && let Some(last) = alone.last_mut()
            {
                *last = true;
            }
            *line_strings = 0;
            *line_code = false;
        }
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'#' => {
                    let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                    comments.push(i..end);
                    i = end;
                    continue;
                }
                quote @ (b'"' | b'\'') => {
                    let triple = b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote);
                    let open = if triple { 3 } else { 1 };
                    let body = i + open;
                    let mut j = body;
                    let end = loop {
                        match b.get(j) {
                            None => break b.len(),
                            Some(b'\\') => j += 2,
                            Some(b'\n') if !triple => break j,
                            Some(&c)
                                if c == quote
                                    && (!triple
                                        || (b.get(j + 1) == Some(&quote)
                                            && b.get(j + 2) == Some(&quote))) =>
                            {
                                break j;
                            }
                            Some(_) => j += 1,
                        }
                    };
                    let end = end.min(b.len());
                    strings.push(body.min(end)..end);
                    alone.push(false);
                    line_strings += 1;
                    i = if b.get(end) == Some(&quote) {
                        end + open
                    } else {
                        end
                    };
                    continue;
                }
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    line_code = true;
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    line_code = true;
                }
                b'\\' => {
                    // A continuation: the line break after it does not end the statement.
                    i += if b.get(i + 1) == Some(&b'\r') { 3 } else { 2 };
                    continue;
                }
                b'\n' if depth == 0 => {
                    statements.push(start..i);
                    start = i + 1;
                    end_line(&mut alone, &mut line_strings, &mut line_code);
                }
                b';' => {
                    statements.push(start..i);
                    start = i + 1;
                    end_line(&mut alone, &mut line_strings, &mut line_code);
                }
                c if c.is_ascii_whitespace() => {}
                _ => {
                    // A string prefix (`r`, `b`, `f`, `u`, up to two) is part of its string.
                    let prefix = b[i..]
                        .iter()
                        .take(3)
                        .position(|p| {
                            !matches!(p, b'r' | b'R' | b'b' | b'B' | b'f' | b'F' | b'u' | b'U')
                        })
                        .filter(|&n| n > 0 && (i == 0 || !is_name_byte(b[i - 1])))
                        .is_some_and(|n| matches!(b.get(i + n), Some(b'"' | b'\'')));
                    if !prefix {
                        line_code = true;
                    }
                }
            }
            i += 1;
        }
        if start < b.len() {
            statements.push(start..b.len());
        }
        end_line(&mut alone, &mut line_strings, &mut line_code);
        let mut code = text.as_bytes().to_vec();
        let docstrings = strings
            .iter()
            .zip(&alone)
            .filter(|(_, a)| **a)
            .map(|(r, _)| r);
        for r in docstrings.chain(&comments) {
            for c in &mut code[r.clone()] {
                if *c != b'\n' {
                    *c = b' ';
                }
            }
        }
        // The ranges start and end at ASCII bytes, so this stays UTF-8; were it not, the text
        // itself serves (reading more as code only admits more).
        let code = String::from_utf8(code).unwrap_or_else(|_| text.to_owned());
        PythonText {
            text,
            statements,
            strings,
            alone,
            code,
        }
    }

    /// The names the logical lines assign or annotate first (`NAME = ..`, `NAME: T = ..`, each
    /// target of `A = B = ..`): class attributes, as an enum's members are written. (Module and
    /// function variables too: a superset.)
    pub fn assigned_names(&self) -> Vec<&str> {
        let name = |c: char| c.is_alphanumeric() || c == '_';
        let mut out = Vec::new();
        for line in self.code_statement_texts() {
            let mut rest = line.trim_start();
            loop {
                let end = rest.find(|c: char| !name(c)).unwrap_or(rest.len());
                if end == 0 {
                    break;
                }
                let (target, after) = rest.split_at(end);
                let after = after.trim_start_matches(|c: char| c.is_whitespace() || c == '\\');
                if after.starts_with(':') && !after.starts_with(":=") {
                    out.push(target);
                    break;
                }
                match after.strip_prefix('=') {
                    Some(value) if !value.starts_with('=') => {
                        out.push(target);
                        rest = value.trim_start_matches(|c: char| c.is_whitespace() || c == '\\');
                    }
                    _ => break,
                }
            }
        }
        out
    }

    /// The code view (`code`) of each logical line.
    pub fn code_statement_texts(&self) -> impl Iterator<Item = &str> + '_ {
        self.statements
            .iter()
            .filter_map(|r| self.code.get(r.clone()))
    }

    /// The code view of the logical lines `range` (indices into `statements`).
    pub fn code_statements_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = &str> + '_ {
        self.statements[range]
            .iter()
            .filter_map(|r| self.code.get(r.clone()))
    }

    /// The code view of the whole text.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The code view of a block (`functions`, `classes`).
    pub fn code_of(&self, block: &PythonBlock<'_>) -> &str {
        self.code.get(block.span.clone()).unwrap_or("")
    }

    /// The text of each logical line.
    pub fn statement_texts(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.statements
            .iter()
            .filter_map(|r| self.text.get(r.clone()))
    }

    /// The body of each string literal, escapes as written.
    pub fn string_bodies(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.strings.iter().filter_map(|r| self.text.get(r.clone()))
    }

    /// The body of each string that is a value in code (not a string standing alone as a
    /// statement, as docstrings do: `frontend::python` keeps no literal of those), escapes as
    /// written.
    pub fn literal_bodies(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.strings
            .iter()
            .zip(&self.alone)
            .filter(|(_, alone)| !**alone)
            .filter_map(|(r, _)| self.text.get(r.clone()))
    }

    /// The values of the strings `literal_bodies` reads (`python_string_value`): what the
    /// front-end's literals hold, as far as the lexical tests need it.
    pub fn literal_values(&self) -> impl Iterator<Item = std::borrow::Cow<'t, str>> + '_ {
        self.literal_bodies().map(python_string_value)
    }

    /// `literal_values` of the strings inside `block` (a function's literals).
    pub fn literal_values_in(
        &self,
        block: &PythonBlock<'_>,
    ) -> impl Iterator<Item = std::borrow::Cow<'t, str>> + '_ {
        let span = block.span.clone();
        let first = self.strings.partition_point(|r| r.start < span.start);
        self.strings[first..]
            .iter()
            .zip(&self.alone[first..])
            .take_while(move |(r, _)| r.end <= span.end)
            .filter(|(_, alone)| !**alone)
            .filter_map(|(r, _)| self.text.get(r.clone()))
            .map(python_string_value)
    }

    /// Every function (`def`, also nested and in classes), as `blocks` reads them. A
    /// function's facts (`Function::events`, its literals by line) all come from its text, so
    /// a test that needs them in one function can read one of these.
    pub fn functions(&self) -> Vec<PythonBlock<'t>> {
        self.blocks("def")
    }

    /// Every class, as `blocks` reads them: its methods are the functions inside its text.
    pub fn classes(&self) -> Vec<PythonBlock<'t>> {
        self.blocks("class")
    }

    /// Every block a logical line opens with `keyword` (`def`, also after `async`, or
    /// `class`): its name, its text from the keyword's line to the last logical line indented
    /// deeper than it (blank and comment-only lines end no block), and those logical lines.
    /// Indentation is counted in columns, a tab to the next multiple of 8, as Python does.
    fn blocks(&self, keyword: &str) -> Vec<PythonBlock<'t>> {
        let b = self.text.as_bytes();
        // The column of the first code on the line holding `at`; `None` for a blank or
        // comment-only line.
        let indent = |at: usize| -> Option<usize> {
            let line = b[..at]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |n| n + 1);
            let mut col = 0;
            for &c in &b[line..] {
                match c {
                    b' ' => col += 1,
                    b'\t' => col = (col / 8 + 1) * 8,
                    b'\x0c' => col = 0,
                    b'\r' | b'\n' | b'#' => return None,
                    _ => return Some(col),
                }
            }
            None
        };
        let mut out = Vec::new();
        for (k, r) in self.statements.iter().enumerate() {
            let Some(line) = self.text.get(r.clone()) else {
                continue;
            };
            let head = line.trim_start();
            let head = head
                .strip_prefix("async")
                .filter(|h| h.starts_with(char::is_whitespace))
                .map_or(head, str::trim_start);
            let Some(rest) = head.strip_prefix(keyword) else {
                continue;
            };
            let name = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\\');
            if name.len() == rest.len() {
                continue;
            }
            let name = &name[..name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(name.len())];
            let Some(level) = indent(r.start) else {
                continue;
            };
            let mut last = k;
            for (j, next) in self.statements.iter().enumerate().skip(k + 1) {
                match indent(next.start) {
                    Some(col) if col <= level => break,
                    Some(_) => last = j,
                    None => {}
                }
            }
            let span = r.start..self.statements[last].end;
            if let Some(text) = self.text.get(span.clone()) {
                out.push(PythonBlock {
                    name,
                    text,
                    span,
                    statements: k..last + 1,
                });
            }
        }
        out
    }

    /// The text of the logical lines `range` (indices into `statements`).
    pub fn statements_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = &'t str> + '_ {
        self.statements[range]
            .iter()
            .filter_map(|r| self.text.get(r.clone()))
    }
}

/// One function or class of a Python text (`PythonText::functions`, `PythonText::classes`).
pub struct PythonBlock<'t> {
    pub name: &'t str,
    /// From its `def` or `class` to the end of its body.
    pub text: &'t str,
    /// Where `text` lies in the whole text.
    pub span: std::ops::Range<usize>,
    /// Its logical lines, as indices into `PythonText::statements`.
    pub statements: std::ops::Range<usize>,
}

impl PythonBlock<'_> {
    /// Whether `other` lies inside this block (a method inside its class).
    pub fn holds(&self, other: &PythonBlock<'_>) -> bool {
        self.statements.start <= other.statements.start
            && other.statements.end <= self.statements.end
    }
}

/// The value of a Python string literal's `body` as far as the lexical tests need it: a
/// backslash before a line break continues the string (both go), any other escape reads as
/// one space (its character may be white space: `\n`, `\t`).
pub fn python_string_value(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains('\\') {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {}
            Some('\r') => {
                // `\` CR LF continues the line too.
                let rest = chars.as_str();
                if let Some(after) = rest.strip_prefix('\n') {
                    chars = after.chars();
                }
            }
            _ => value.push(' '),
        }
    }
    std::borrow::Cow::Owned(value)
}

/// Whether one bracketed region of `text` (from a `[` at the outermost level to its `]`: an
/// array and the arrays nested in it) holds at least `needed` tokens that look like integer
/// literals whose value could be 2^24 or more: hexadecimal with 7 digits or more, octal with 9
/// or more, binary with 25 or more, decimal with 8 or more (`_` separators not counted; a
/// suffix such as `u32` may follow). Leading zeros are counted, so the test errs towards
/// admitting. A token starts at a digit that does not continue a name or a number. One pass
/// over the bytes.
pub fn wide_int_literals(text: &str, needed: usize) -> bool {
    static CLASSES: [u8; 256] = byte_classes(b"[", b"]");
    wide_int_literals_within(text, needed, &CLASSES, b"[", false)
}

/// `wide_int_literals` for Python, whose tables are lists, tuples and sets (`int_table`
/// counts all three): a region opens at a `(`, `[` or `{` that starts a value, not at a
/// call's `(` or an index's `[` (after a name, `)` or `]`, a keyword aside), when no region
/// is open. A region holds every table inside it, calls' arguments too, so counting over it
/// errs towards admitting.
pub fn wide_int_literals_in_python_tables(text: &str, needed: usize) -> bool {
    static CLASSES: [u8; 256] = byte_classes(b"([{", b")]}");
    wide_int_literals_within(text, needed, &CLASSES, b"([{", true)
}

const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const OPEN: u8 = 2;
const CLOSE: u8 = 3;

/// What `wide_int_literals_within` makes of each byte: a digit, a bracket of `opens` or
/// `closes`, or nothing (one table lookup per byte instead of comparisons).
const fn byte_classes(opens: &[u8], closes: &[u8]) -> [u8; 256] {
    let mut classes = [OTHER; 256];
    let mut b = b'0';
    while b <= b'9' {
        classes[b as usize] = DIGIT;
        b += 1;
    }
    let mut i = 0;
    while i < opens.len() {
        classes[opens[i] as usize] = OPEN;
        i += 1;
    }
    let mut i = 0;
    while i < closes.len() {
        classes[closes[i] as usize] = CLOSE;
        i += 1;
    }
    classes
}

/// `wide_int_literals` with the regions opened and closed by the brackets of `classes` (the
/// opening ones also in `opens`, one or three); with `calls`, a bracket after a name (not a
/// keyword), `)` or `]` opens no region (Python's calls and indexes).
fn wide_int_literals_within(
    text: &str,
    needed: usize,
    classes: &[u8; 256],
    opens: &[u8],
    calls: bool,
) -> bool {
    const KEYWORDS: &[&[u8]] = &[
        b"and", b"assert", b"await", b"del", b"elif", b"else", b"for", b"if", b"in", b"is",
        b"lambda", b"not", b"or", b"print", b"return", b"while", b"yield",
    ];
    let bytes = text.as_bytes();
    let mut found = 0;
    // Per open bracket, whether it opened a region (a table).
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // Outside every bracket only the next opening one matters: `memchr` finds it.
        if open.is_empty() {
            let next = match *opens {
                [a] => memchr::memchr(a, &bytes[i..]),
                [a, b, c] => memchr::memchr3(a, b, c, &bytes[i..]),
                _ => Some(0),
            };
            match next {
                Some(at) => i += at,
                None => return false,
            }
        }
        let b = bytes[i];
        match classes[usize::from(b)] {
            DIGIT => {}
            OPEN => {
                let call = calls && {
                    let before = text[..i].trim_end().as_bytes();
                    match before.last() {
                        Some(b')' | b']') => true,
                        Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => {
                            let start = before
                                .iter()
                                .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                                .map_or(0, |p| p + 1);
                            !KEYWORDS.contains(&&before[start..])
                        }
                        _ => false,
                    }
                };
                if !call {
                    if depth == 0 {
                        found = 0;
                    }
                    depth += 1;
                }
                open.push(!call);
                i += 1;
                continue;
            }
            CLOSE => {
                if open.pop().unwrap_or(true) {
                    depth = depth.saturating_sub(1);
                }
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
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
        // In Python (`calls`), `int_table` counts the integers that are elements (`[1, 2]`),
        // not operands (`[3 * x]`, `[-1]`): the literal stands between a bracket or `,` and a
        // `,` or bracket.
        let element = !calls || {
            let before = text[..i].trim_end().as_bytes().last().copied();
            let token_end = j + bytes[j..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.'))
                .unwrap_or(bytes.len() - j);
            let after = text[token_end..].trim_start().as_bytes().first().copied();
            matches!(before, Some(b'(' | b'[' | b'{' | b','))
                && matches!(after, Some(b',' | b')' | b']' | b'}'))
        };
        if digits >= min_digits && depth > 0 && element {
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

    /// Runs every rule on every fixture of `language` (files ending in `.{extension}`)
    /// without the pre-pass, asserts that each signal, finding and anchor comes from a file its
    /// rule's words admit (or, for supporting signals, support), and returns how many
    /// findings and anchors were checked.
    fn fixture_emissions_pass_their_words(extension: &str, language: Language) -> usize {
        let mut emissions = 0;
        for (rel, text) in crate::test_support::fixture_files(extension) {
            let Ok(facts) = crate::frontend::extract(language, &rel, &text) else {
                continue;
            };
            let (findings, partials) = crate::rules::run(&facts, crate::rules::ALL);
            let words = WordsPresent::of(language, &text);
            // Every signal comes from a file its rule admits or supports.
            for p in &partials {
                assert!(
                    admits_text(p.rule, language, &text) || supports_text(p.rule, language, &text),
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
                    admits_text(rule, language, &text),
                    "{rel}: rule `{id}` found something, but the text lacks its words {:?}",
                    rule.words(language).map(|w| w.needs)
                );
                assert!(
                    words.admits_file(rule, &Source::new(&text)),
                    "{rel}: automaton and text disagree on `{id}`"
                );
            }
        }
        emissions
    }

    #[test]
    fn every_pre_pass_language_has_a_light_front_end() {
        // A scan runs the lexical tests (`WordsPresent::rules_to_run`) for these languages:
        // they pay only where a file they leave out is read lightly.
        for language in LANGUAGES {
            assert!(
                crate::frontend::has_light_front_end(*language),
                "{language:?}"
            );
        }
    }

    #[test]
    fn every_fixture_finding_passes_its_rule_words() {
        let rust = fixture_emissions_pass_their_words("rs", Language::Rust);
        assert!(
            rust > 20,
            "only {rust} Rust emissions: fixtures not analysed?"
        );
        let python = fixture_emissions_pass_their_words("py", Language::Python);
        assert!(
            python > 20,
            "only {python} Python emissions: fixtures not analysed?"
        );
        let javascript = fixture_emissions_pass_their_words("js", Language::JavaScript);
        let typescript = fixture_emissions_pass_their_words("ts", Language::TypeScript);
        assert!(
            javascript > 10 && typescript > 10,
            "only {javascript} JavaScript and {typescript} TypeScript emissions: fixtures not analysed?"
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
        assert!(admits_text(rule, Language::Rust, SHA256_K_HEX));
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
        assert!(!admits_text(rule, Language::Rust, code));
    }

    #[test]
    fn automaton_agrees_with_substring_search() {
        let texts = [
            (
                Language::Rust,
                "fn f() { std::thread::sleep(d); let m: HashMap<String, u8>; }",
            ),
            (
                Language::Python,
                "import time\nclass C:\n    def f(self):\n        time.sleep(1)\n        self.d = {}\n        self.d.pop(k)\n",
            ),
        ];
        for (language, text) in texts {
            let words = WordsPresent::of(language, text);
            let source = Source::new(text);
            for rule in crate::rules::ALL {
                assert_eq!(
                    words.admits_file(rule, &source),
                    admits_text(rule, language, text),
                    "{language:?} {}",
                    rule.id
                );
            }
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

/// Runs `rule_id` on `src` (a file named `name`, its language by extension) without the
/// pre-pass and asserts that it found something or saw an anchor, and that the rule's
/// words for that language admit `src`, the automaton agreeing with the text.
#[cfg(test)]
fn anchored_and_admitted(rule_id: &str, name: &str, src: &str) {
    let language = crate::frontend::language_of(std::path::Path::new(name))
        .unwrap_or_else(|| panic!("{name}: no language"));
    let rule = crate::rules::by_id(rule_id).unwrap_or_else(|| panic!("rule {rule_id}"));
    let facts = crate::frontend::extract(language, name, src)
        .unwrap_or_else(|e| panic!("{rule_id}: parse: {e:?}"));
    let (findings, partials) = crate::rules::run(&facts, &[rule]);
    assert!(
        !rules_needing_words(&findings, &partials).is_empty(),
        "{rule_id}: no finding or anchor in\n{src}"
    );
    assert!(
        admits_text(rule, language, src),
        "{rule_id}: the words do not admit\n{src}"
    );
    assert!(
        WordsPresent::of(language, src).admits_file(rule, &Source::new(src)),
        "{rule_id}: automaton and text disagree"
    );
}

/// The Python lexical reading (`PythonText`) and the Python words of each rule on the shapes
/// that make their anchors: every case must produce a finding or an anchor (so a rule that
/// stops seeing it fails here too) from a text its words admit.
#[cfg(test)]
mod python_tests {
    use super::*;
    use liability_model::Language;

    #[test]
    fn logical_lines_strings_docstrings_and_code() {
        let src = "\"\"\"Module doc: x = len(a) > 5 # not code\"\"\"\nimport os  # a comment (\nx = (1,\n     2); y = 'it''s'\nz = \\\n    3\nclass C:\n\tdef f(self):\n\t\t\"doc\"\n\t\treturn {\"k\": r'\\d'}\n\n\tdef g(self): pass\n";
        let py = PythonText::of(src);
        let lines: Vec<&str> = py.statement_texts().map(str::trim).collect();
        assert!(lines.contains(&"x = (1,\n     2)"), "{lines:?}");
        assert!(lines.contains(&"y = 'it''s'"), "{lines:?}");
        assert!(lines.contains(&"z = \\\n    3"), "{lines:?}");
        let values: Vec<String> = py.literal_values().map(|v| v.into_owned()).collect();
        // Two strings side by side are literals; a string alone on its line is a docstring.
        // (An escape reads as one space: `\d` may stand for white space as `\n` does.)
        assert_eq!(values, ["it", "s", "k", " "]);
        assert_eq!(py.string_bodies().count(), 6);
        // The code view blanks comments and docstrings, keeps literals, keeps the offsets.
        let code = py.code();
        assert_eq!(code.len(), src.len());
        assert!(!code.contains("len(a)") && !code.contains("a comment") && !code.contains("doc"));
        assert!(code.contains("'it''s'") && code.contains("import os"));
        let functions = py.functions();
        let names: Vec<&str> = functions.iter().map(|f| f.name).collect();
        assert_eq!(names, ["f", "g"]);
        assert!(functions[0].text.contains("return") && !functions[0].text.contains("def g"));
        let classes = py.classes();
        assert_eq!(classes.len(), 1);
        assert!(classes[0].holds(&functions[0]) && classes[0].holds(&functions[1]));
        assert_eq!(py.literal_values_in(&functions[0]).count(), 2);
        assert_eq!(py.assigned_names(), ["x", "y", "z"]);
    }

    #[test]
    fn string_values_and_quoted_names() {
        assert_eq!(python_string_value("a\\nb\\\ncd"), "a bcd");
        let names: Vec<&str> = quoted_names("f('GET', \"POST\") # 'x y'").collect();
        assert_eq!(names, ["GET", "POST"]);
        assert!(contains_ignore_ascii_case("a NeXt b", "next"));
        assert!(!contains_ignore_ascii_case("a nex b", "next"));
        assert!(has_any("abc", &["x", "bc"]) && !has_any("abc", &["cb"]));
    }

    #[test]
    fn python_tables_count_element_literals_outside_calls() {
        let row = "0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, ";
        let tuple = format!("K = ({})\n", row.repeat(4));
        assert!(wide_int_literals_in_python_tables(&tuple, 12));
        let set = format!("K = {{{}}}\n", row.repeat(4));
        assert!(wide_int_literals_in_python_tables(&set, 12));
        // Returned from a function: a keyword before the bracket.
        let returned = format!("def k():\n    return [{}]\n", row.repeat(4));
        assert!(wide_int_literals_in_python_tables(&returned, 12));
        // Operands of products and arguments of a call are not a table's elements.
        let products = format!("E = [{}]\n", "2789545*x + 411400*y, ".repeat(12));
        assert!(!wide_int_literals_in_python_tables(&products, 12));
        let call = format!("f({})\n", row.repeat(4));
        assert!(!wide_int_literals_in_python_tables(&call, 12));
    }

    #[test]
    fn python_anchors_pass_their_words() {
        let cases: &[(&str, &str)] = &[
            (
                "layered-config-loader",
                // Read and written in one loop (flask's `load_dotenv`, where a keyword follows
                // the mapping).
                "import os\n\ndef load(data):\n    for key, value in data.items():\n        if key in os.environ or value is None:\n            continue\n        os.environ[key] = value\n",
            ),
            (
                "layered-config-loader",
                "import os\n\ndef env(prefix):\n    out = {}\n    for key in os.environ:\n        if key.startswith(prefix):\n            out[key.replace('__', '.')] = os.environ[key]\n    return out\n",
            ),
            (
                "in-memory-eviction-cache",
                // The field on the left of the comparison.
                "class Store:\n    def __init__(self, maxsize):\n        self.data = {}\n        self.maxsize = maxsize\n\n    def put(self, k, v):\n        if self.maxsize <= len(self.data):\n            self.data.popitem()\n        self.data[k] = v\n",
            ),
            (
                "in-memory-eviction-cache",
                "import time\n\nclass Ttl:\n    def __init__(self):\n        self.entries = dict()\n\n    def get(self, k):\n        now = time.monotonic()\n        if self.entries[k][1] < now:\n            del self.entries[k]\n",
            ),
            (
                "event-bus-by-hand",
                "class Bus:\n    def __init__(self):\n        self._subs = {}\n\n    def on(self, topic, fn):\n        self._subs.setdefault(topic, []).append(fn)\n\n    def emit(self, topic, msg):\n        for fn in self._subs.get(topic, []):\n            fn(msg)\n",
            ),
            (
                "blocking-object-pool",
                // Taken by reslicing, put back, waited for.
                "class Pool:\n    def get(self):\n        with self._cond:\n            while not self._idle:\n                self._cond.wait()\n            conn = self._idle[-1]\n            self._idle = self._idle[:-1]\n            return conn\n\n    def put(self, conn):\n        self._idle.append(conn)\n",
            ),
            (
                "relevance-scoring-by-hand",
                "def score(tf, dl, avgdl, k1=1.2, b=0.75):\n    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))\n",
            ),
            (
                "relevance-scoring-by-hand",
                "def score(tf, dl, avgdl, k1, b):\n    norm = 1 - b + b * dl / avgdl\n    return tf / (tf + k1 * norm)\n",
            ),
            (
                "hand-rolled-http-server",
                "def handle(self, method, path):\n    if method == \"GET\":\n        return self.get(path)\n    elif method == 'POST':\n        return self.post(path)\n",
            ),
            (
                "hand-rolled-http-server",
                "import socket\n\ndef serve(port):\n    s = socket.create_server(('', port))\n    while True:\n        conn, _ = s.accept()\n        conn.sendall(b'HTTP/1.1 200 OK\\r\\n\\r\\n')\n",
            ),
            (
                "logger-by-hand",
                "from enum import IntEnum\n\nclass Level(IntEnum):\n    DEBUG = 10\n    INFO: int = 20\n    WARNING = 30\n    ERROR = 40\n",
            ),
            (
                "logger-by-hand",
                "def histogram(values, bounds):\n    counts = [0] * len(bounds)\n    for v in values:\n        for i, bound in enumerate(bounds):\n            if v <= bound:\n                counts[i] = counts[i] + 1\n                break\n    return counts\n",
            ),
            (
                "hash-or-cipher-by-hand",
                &format!(
                    "K = ({})\n",
                    "0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, ".repeat(4)
                ),
            ),
            (
                "state-machine-by-hand",
                "class Machine:\n    def go(self, new):\n        self.state.on_exit()\n        self.state = new\n        self.state.on_enter()\n",
            ),
            (
                "rate-limiter-by-hand",
                "import time\n\nclass Bucket:\n    def take(self):\n        now = time.monotonic()\n        elapsed = now - self.last\n        self.last = now\n        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)\n",
            ),
            (
                "cron-expression-parser",
                "def parse(expr):\n    parts = expr.split()\n    if len(parts) != 5:\n        raise ValueError(expr)\n    return parts\n",
            ),
            (
                "cron-expression-parser",
                "def advance(schedule, now):\n    next_run = schedule.start\n    while next_run <= now:\n        next_run = next_run + schedule.period\n    return next_run\n",
            ),
            (
                "polling-job-queue",
                "import time\n\ndef work(queue):\n    while True:\n        job = queue.claim()\n        if job is None:\n            time.sleep(1)\n            continue\n        job.run()\n",
            ),
            (
                "polling-job-queue",
                "def claim(cur):\n    cur.execute(\"SELECT id FROM jobs FOR UPDATE SKIP LOCKED LIMIT 1\")\n",
            ),
            (
                "hand-rolled-retry-loop",
                "import time\n\ndef fetch(get):\n    delay = 1\n    for attempt in range(5):\n        try:\n            return get()\n        except IOError:\n            time.sleep(delay)\n            delay = delay * 2\n",
            ),
            (
                "jwt-by-hand",
                "def check(claims):\n    for name in ('exp', 'iat', 'nbf'):\n        if name not in claims:\n            return False\n    return True\n",
            ),
            (
                "migrations-runner",
                "def init(cur):\n    cur.execute('CREATE TABLE IF NOT EXISTS history (version INT, applied_at TEXT)')\n",
            ),
            (
                "query-builder-by-hand",
                "def build(cols, table, where, order):\n    q = 'SELECT ' + cols + ' FROM ' + table\n    q += ' WHERE ' + where\n    return q + ' ORDER BY ' + order\n",
            ),
            (
                "websocket-protocol-by-hand",
                "def length(h):\n    n = h[1] & 0x7f\n    if n == 126:\n        return 2\n    elif n == 127:\n        return 8\n    return n\n",
            ),
            (
                "circuit-breaker-state-machine",
                "from enum import Enum\n\nclass State(Enum):\n    CLOSED = 1\n    OPEN = 2\n    HALF_OPEN = 3\n",
            ),
            (
                "multipart-parser-by-hand",
                "def part(headers):\n    name = param(headers, 'name')\n    filename = param(headers, \"filename\")\n    return name, filename\n",
            ),
            (
                "smtp-client-by-hand",
                "def send(s, a, b):\n    s.write('EHLO example.org\\r\\n')\n    s.write('MAIL FROM:<%s>\\r\\n' % a)\n",
            ),
            (
                "exponential-backoff-policy",
                "import random\n\nclass Backoff:\n    def __init__(self):\n        self.current: Duration = Duration(1)\n        self.max_delay: Duration = Duration(60)\n\n    def next(self):\n        nxt = self.current * self.factor\n        if nxt > self.max_delay:\n            nxt = self.max_delay\n        return nxt\n",
            ),
            (
                "filesystem-by-hand",
                "import os\n\nclass Disk:\n    def open(self, p): return os.open(p)\n    def stat(self, p): return os.stat(p)\n    def remove(self, p): os.remove(p)\n    def rename(self, a, b): os.rename(a, b)\n\nclass Memory:\n    def __init__(self): self.files = {}\n    def open(self, p): return self.files[p]\n    def stat(self, p): return len(self.files[p])\n    def _remove(self, p): del self.files[p]\n    def rename(self, a, b): self.files[b] = self.files.pop(a)\n",
            ),
            (
                "auth-middleware-by-hand",
                "def guard(request):\n    if request.headers.get('Authorization') is None:\n        response = Response('denied')\n        response.status_code = 401\n        response.headers['WWW-Authenticate'] = 'Basic realm=app'\n        return response\n",
            ),
        ];
        for (rule, src) in cases {
            anchored_and_admitted(rule, "pkg/m.py", src);
        }
    }

    #[test]
    fn python_words_leave_out_near_misses() {
        let not_admitted = |rule_id: &str, src: &str| {
            let rule = crate::rules::by_id(rule_id).unwrap_or_else(|| panic!("rule {rule_id}"));
            assert!(
                !admits_text(rule, Language::Python, src),
                "{rule_id} admits\n{src}"
            );
        };
        // A bounded stack compared with a number, no map field.
        not_admitted(
            "in-memory-eviction-cache",
            "class T:\n    def __init__(self):\n        self.stack = []\n    def pop(self):\n        if len(self.stack) > 1:\n            self.stack.pop()\n",
        );
        // Routing in a Flask app: the framework is the well-kept choice.
        not_admitted(
            "hand-rolled-http-server",
            "from flask import request\n\ndef view():\n    if request.method == 'GET':\n        return 1\n    if request.method == 'POST':\n        return 2\n",
        );
        // A 1 - b outside any divisor, and in a docstring.
        not_admitted(
            "relevance-scoring-by-hand",
            "def f(a, b, k):\n    \"\"\"x / (k * (1 - b + b * a / k))\"\"\"\n    return a / k * (1 - b) + b * a / k\n",
        );
        // `await` holds `wait`; a pool waits with `.wait(`.
        not_admitted(
            "blocking-object-pool",
            "async def f(q):\n    item = q.pop()\n    await g(item)\n    q.append(item)\n",
        );
    }
}

/// The JavaScript and TypeScript words of the rules on the shapes that make their anchors,
/// where the fixtures (`fixtures/lang/javascript`, `fixtures/lang/typescript`, checked by
/// `tests::every_fixture_finding_passes_its_rule_words`) have none or one spelling only: every
/// case must produce a finding or an anchor from a text its words admit.
#[cfg(test)]
mod javascript_tests {
    use super::*;
    use liability_model::Language;

    #[test]
    fn javascript_anchors_pass_their_words() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "hand-rolled-retry-loop",
                "r.js",
                // The sleep is a `setTimeout` in a promise: no `sleep` in the text.
                "async function fetchIt(get) {\n  let delay = 100;\n  for (let i = 0; i < 5; i++) {\n    try {\n      return await get();\n    } catch (err) {\n      await new Promise((r) => setTimeout(r, delay));\n      delay *= 2;\n    }\n  }\n}\n",
            ),
            (
                "hand-rolled-retry-loop",
                "r.ts",
                // `setTimeout` awaited from `timers/promises`.
                "import { setTimeout } from 'timers/promises';\nexport async function fetchIt(get: () => Promise<string>) {\n  for (let i = 0; i < 5; i++) {\n    try {\n      return await get();\n    } catch (err) {\n      await setTimeout(100 * 2 ** i);\n    }\n  }\n}\n",
            ),
            (
                "hand-rolled-retry-loop",
                "r2.ts",
                // A typed promise.
                "export async function fetchIt(get: () => Promise<string>) {\n  let delay = 100;\n  while (true) {\n    try {\n      return await get();\n    } catch (err) {\n      await new Promise<void>((r) => setTimeout(r, delay));\n      delay = delay * 2;\n    }\n  }\n}\n",
            ),
            (
                "polling-job-queue",
                "q.js",
                "async function work(queue) {\n  while (true) {\n    const job = await queue.claim();\n    if (!job) {\n      await new Promise((r) => setTimeout(r, 1000));\n      continue;\n    }\n    await job.run();\n  }\n}\n",
            ),
            (
                "jwt-by-hand",
                "j.js",
                "function verify(header) {\n  if (header.alg === `HS256` || header.alg === 'RS256' || header.alg === \"ES256\") {\n    return true;\n  }\n  return false;\n}\n",
            ),
            (
                "circuit-breaker-state-machine",
                "b.ts",
                "export enum BreakerState {\n  Closed,\n  Open,\n  HalfOpen,\n}\n",
            ),
            (
                "migrations-runner",
                "m.js",
                "async function init(db) {\n  await db.query(`CREATE TABLE IF NOT EXISTS schema_history (version INT, applied_at TEXT)`);\n}\n",
            ),
            (
                "multipart-parser-by-hand",
                "p.js",
                "function part(headers) {\n  const name = param(headers, 'name');\n  const filename = param(headers, `filename`);\n  return [name, filename];\n}\n",
            ),
            (
                "websocket-protocol-by-hand",
                "w.js",
                "function length(h) {\n  const n = h[1] & 0x7f;\n  if (n === 126) {\n    return 2;\n  } else if (n === 127) {\n    return 8;\n  }\n  return n;\n}\n",
            ),
            (
                "cron-expression-parser",
                "c.js",
                "function parse(expr) {\n  const parts = expr.split(' ');\n  if (parts.length !== 5) {\n    throw new Error(expr);\n  }\n  return parts;\n}\n",
            ),
            (
                "in-memory-eviction-cache",
                "e.js",
                // A constructor function, a `{}` map field, `delete` as the removal.
                "function Store(max) {\n  this.items = {};\n  this.max = max;\n}\nStore.prototype.put = function (k, v) {\n  if (this.count >= this.max) {\n    delete this.items[this.oldest];\n  }\n  this.items[k] = v;\n};\n",
            ),
            (
                "filesystem-by-hand",
                "f.ts",
                // The interface's operations in the casings code writes.
                "export interface Fs {\n  open(p: string): number;\n  stat(p: string): Stat;\n  readFile(p: string): string;\n  write_file(p: string, d: string): void;\n  unlink(p: string): void;\n}\n",
            ),
            (
                "relevance-scoring-by-hand",
                "s.ts",
                // No semicolons: the statement runs on to the next brace.
                "export function score(tf: number, dl: number, avgdl: number, k1 = 1.2, b = 0.75) {\n  const norm = 1 - b + b * dl / avgdl\n  return tf / (tf + k1 * norm)\n}\n",
            ),
            (
                "event-bus-by-hand",
                "b.js",
                // The keyed list made on first use: the receiver's text ends in `)`.
                "class Bus {\n  constructor() { this.handlers = {}; }\n  on(e, fn) {\n    (this.handlers[e] || (this.handlers[e] = [])).push(fn);\n  }\n  emit(e, x) {\n    for (const fn of this.handlers[e] || []) {\n      fn(x);\n    }\n  }\n}\n",
            ),
            (
                "event-bus-by-hand",
                "b.ts",
                // An optional call on an index.
                "class Bus {\n  private subs: Record<string, Handler[]> = {};\n  on(e: string, h: Handler) {\n    this.subs[e]?.push(h);\n  }\n  emit(e: string, x: unknown) {\n    for (const h of this.subs[e]) {\n      h(x);\n    }\n  }\n}\n",
            ),
            (
                "cron-expression-parser",
                "n.js",
                // An interval schedule advanced past `now`, without semicolons.
                "function nextRun(s, now) {\n  let next = s.start\n  while (next <= now) {\n    next = next + s.period\n  }\n  return next\n}\n",
            ),
            (
                "hand-rolled-http-server",
                "h.js",
                "function route(req, res) {\n  if (req.method === `GET`) {\n    return get(req, res);\n  }\n  if (req.method === 'POST') {\n    return post(req, res);\n  }\n}\n",
            ),
        ];
        for (rule, name, src) in cases {
            anchored_and_admitted(rule, name, src);
        }
    }

    #[test]
    fn javascript_words_leave_out_near_misses() {
        let not_admitted = |rule_id: &str, src: &str| {
            let rule = crate::rules::by_id(rule_id).unwrap_or_else(|| panic!("rule {rule_id}"));
            assert!(
                !admits_text(rule, Language::JavaScript, src),
                "{rule_id} admits\n{src}"
            );
            assert!(
                !WordsPresent::of(Language::JavaScript, src).admits_file(rule, &Source::new(src)),
                "{rule_id}: the automaton admits\n{src}"
            );
        };
        // A retry without any wait: nothing sleeps.
        not_admitted(
            "hand-rolled-retry-loop",
            "async function f(get) {\n  for (let i = 0; i < 3; i++) {\n    try { return await get(); } catch (e) {}\n  }\n}\n",
        );
        // A timer scheduled, not awaited; `sleep` in a comment.
        not_admitted(
            "hand-rolled-retry-loop",
            "// sleep a little between attempts\nfunction f(get) {\n  for (let i = 0; i < 3; i++) {\n    try { return get(); } catch (e) { setTimeout(() => log(e), 10); }\n  }\n}\n",
        );
        // Infrastructure rules never read a JavaScript file.
        not_admitted("compose-service-runs-server", "const image = 'redis:7';\n");
        // Three file operations (and `close`, which is none) are no filesystem interface.
        not_admitted(
            "filesystem-by-hand",
            "interface Fs {\n  open(p: string): number;\n  stat(p: string): Stat;\n  read_file(p: string): string;\n  close(fd: number): void;\n}\nclass Disk implements Fs {}\n",
        );
        // A division by a product with no `1 - b` term.
        not_admitted(
            "relevance-scoring-by-hand",
            "function avg(a, b, k) {\n  return a / (k * (b - 1)) + a / b;\n}\n",
        );
        // Appends to a plain list, and a length compared with 4.
        not_admitted(
            "event-bus-by-hand",
            "class Q {\n  add(x) { this.items.push(x); this.seen.add(x); }\n}\n",
        );
        not_admitted(
            "cron-expression-parser",
            "function parse(expr, now) {\n  const parts = expr.split(' ');\n  if (parts.length !== 4) { throw new Error(expr); }\n  const next = now;\n  return parts;\n}\n",
        );
        // A plain object with no removal.
        not_admitted(
            "in-memory-eviction-cache",
            "class A {\n  constructor() { this.m = new Map(); }\n  get(k) { return this.m.get(k); }\n}\n",
        );
    }
}
