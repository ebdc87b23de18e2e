//! Checks every rule's words (`rules::Words`: `rust_needs`, `python_needs`,
//! `javascript_needs`, ...) on a tree of Rust, Python, JavaScript and TypeScript files (issue
//! #11) and measures them, per language.
//!
//! For every `.rs`, `.py`, `.js`/`.jsx`/`.mjs`/`.cjs` and `.ts`/`.tsx`/`.mts`/`.cts` file
//! (at most 1 MB, valid UTF-8; not a `.d.ts`) it extracts facts, runs every
//! rule without the pre-pass, and checks that each rule that found something (a finding's
//! evidence or an anchored partial signal) is admitted by `prepass::admits_text`, and that
//! every partial signal comes from a file its rule admits or supports
//! (`prepass::supports_text`): a file that is not would lose that emission once the pre-pass
//! skips it. It then prints, per language and rule, the share of the language's bytes whose
//! text admits the rule, and the share admitted by any rule (the union: the files the
//! pre-pass would still parse), also over non-test files only (test files are always read by
//! the light front-ends) and over the rules that declare words only. The `alone` column is
//! the share of bytes only that rule admits (what it alone costs). With `NEEDS_WORDS=1`, it
//! also prints the share of bytes holding each rule word, to tune the lists;
//! `NEEDS_EXCLUDE=id,id` also prints the union without those rules (what-if);
//! `NEEDS_LIST=id` lists the files (not test code) admitting that rule, largest first.
//!
//! ```sh
//! cargo run --release --example needs_check -p liability-scanner -- <dir>
//! ```

use aho_corasick::AhoCorasick;
use liability_model::Language;
use liability_scanner::prepass::{LANGUAGES, admits_text, supports_text};
use liability_scanner::rules::{ALL, Rule, Words};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    /// Bytes of files that are not test code (`is_test_path`).
    code_bytes: u64,
    parsed: u64,
    /// Per rule of `ALL`: bytes of the files admitting it.
    admitted: Vec<u64>,
    /// Per rule of `ALL`: bytes of the files admitting it alone (what dropping it would save).
    sole: Vec<u64>,
    union_all: u64,
    /// The union over files that are not test code.
    union_code: u64,
    union_declared: u64,
    /// Bytes admitted by a rule not in `NEEDS_EXCLUDE`.
    union_kept: u64,
    /// Per rule: emissions seen without the pre-pass.
    emissions: Vec<u64>,
    violations: Vec<(String, &'static str)>,
    /// For `NEEDS_LIST`: (bytes, path) of the files admitting the listed rule.
    listed: Vec<(u64, String)>,
    /// Per distinct rule word of the language: bytes of the files holding it.
    word_bytes: Vec<u64>,
}

impl Tally {
    fn new(rules: usize, words: usize) -> Tally {
        Tally {
            admitted: vec![0; rules],
            sole: vec![0; rules],
            emissions: vec![0; rules],
            word_bytes: vec![0; words],
            ..Tally::default()
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.files += other.files;
        self.bytes += other.bytes;
        self.code_bytes += other.code_bytes;
        self.parsed += other.parsed;
        self.union_all += other.union_all;
        self.union_code += other.union_code;
        self.union_declared += other.union_declared;
        self.union_kept += other.union_kept;
        for (a, b) in self.admitted.iter_mut().zip(other.admitted) {
            *a += b;
        }
        for (a, b) in self.sole.iter_mut().zip(other.sole) {
            *a += b;
        }
        for (a, b) in self.emissions.iter_mut().zip(other.emissions) {
            *a += b;
        }
        for (a, b) in self.word_bytes.iter_mut().zip(other.word_bytes) {
            *a += b;
        }
        self.violations.extend(other.violations);
        self.listed.extend(other.listed);
        self
    }
}

/// One language's rule words: the distinct words (for `NEEDS_WORDS`) and their automaton.
struct Lexicon {
    language: Language,
    words: Vec<&'static str>,
    automaton: AhoCorasick,
}

impl Lexicon {
    fn new(language: Language, word_stats: bool) -> Lexicon {
        let mut words: Vec<&'static str> = Vec::new();
        if word_stats {
            for rule in ALL {
                for w in words_of(rule, language).needs.iter().flat_map(|c| c.iter()) {
                    if !words.contains(w) {
                        words.push(w);
                    }
                }
            }
        }
        let automaton = AhoCorasick::new(&words).unwrap_or_else(|e| panic!("words: {e}"));
        Lexicon {
            language,
            words,
            automaton,
        }
    }
}

fn words_of(rule: &Rule, language: Language) -> &Words {
    rule.words(language)
        .unwrap_or_else(|| panic!("no pre-pass for {language:?}"))
}

fn index_of(rule: &Rule) -> usize {
    ALL.iter()
        .position(|r| std::ptr::eq(*r, rule))
        .unwrap_or_else(|| panic!("rule {} not in ALL", rule.id))
}

fn analyse(
    root: &Path,
    path: &Path,
    lexicon: &Lexicon,
    excluded: &[String],
    listed: Option<&str>,
    tally: &mut Tally,
) {
    let language = lexicon.language;
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.len() > 1024 * 1024 {
        return;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let size = text.len() as u64;
    let test_code = liability_scanner::is_test_path(&rel);
    tally.files += 1;
    tally.bytes += size;
    if !test_code {
        tally.code_bytes += size;
    }
    let mut any_all = false;
    let mut any_declared = false;
    let mut any_kept = false;
    let mut admitting = Vec::new();
    for (i, rule) in ALL.iter().enumerate() {
        if admits_text(rule, language, &text) {
            admitting.push(i);
            tally.admitted[i] += size;
            any_all = true;
            any_declared |= !words_of(rule, language).needs.is_empty();
            any_kept |= !excluded.iter().any(|x| x == rule.id);
            if listed == Some(rule.id) && !test_code {
                tally.listed.push((size, rel.clone()));
            }
        }
    }
    if let [only] = admitting[..] {
        tally.sole[only] += size;
    }
    if any_kept {
        tally.union_kept += size;
    }
    if any_all {
        tally.union_all += size;
        if !test_code {
            tally.union_code += size;
        }
    }
    if any_declared {
        tally.union_declared += size;
    }
    if !lexicon.words.is_empty() {
        let mut seen = vec![false; lexicon.words.len()];
        for m in lexicon.automaton.find_overlapping_iter(&text) {
            seen[m.pattern().as_usize()] = true;
        }
        for (i, s) in seen.iter().enumerate() {
            if *s {
                tally.word_bytes[i] += size;
            }
        }
    }
    let Ok(facts) = liability_scanner::frontend::extract(language, &rel, &text) else {
        return;
    };
    tally.parsed += 1;
    let (findings, partials) = liability_scanner::rules::run(&facts, ALL);
    // Findings and anchored partials need the rule's words; supporting signals alone do not
    // (the scanner recovers them when their package pools an anchor).
    for id in liability_scanner::prepass::rules_needing_words(&findings, &partials) {
        let Some(rule) = liability_scanner::rules::by_id(id) else {
            continue;
        };
        tally.emissions[index_of(rule)] += 1;
        if !admits_text(rule, language, &text) {
            tally.violations.push((rel.clone(), id));
        }
    }
    // Every signal comes from a file its rule admits or supports (`Words::support`).
    for p in &partials {
        if !admits_text(p.rule, language, &text) && !supports_text(p.rule, language, &text) {
            tally.violations.push((rel.clone(), p.rule.id));
        }
    }
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The language whose words a file is checked against, by name as the scanner reads it (a
/// TypeScript declaration file, `.d.ts`, is not read), for the languages of the pre-pass.
fn language_of(path: &Path) -> Option<Language> {
    liability_scanner::frontend::language_of(path).filter(|l| LANGUAGES.contains(l))
}

fn report(
    out: &mut impl Write,
    root: &Path,
    lexicon: &Lexicon,
    tally: &Tally,
    excluded: &[String],
) {
    let language = lexicon.language;
    let _ = writeln!(
        out,
        "== {language:?}: {}: {} files, {} bytes ({} not test code), {} parsed",
        root.display(),
        tally.files,
        tally.bytes,
        tally.code_bytes,
        tally.parsed
    );
    let mut violations = tally.violations.clone();
    violations.sort();
    for (path, rule) in &violations {
        let _ = writeln!(out, "VIOLATION {language:?} {rule} {path}");
    }
    let _ = writeln!(out, "violations: {}", violations.len());
    let _ = writeln!(
        out,
        "{:<32} {:>9} {:>9} {:>10}  clauses",
        "rule", "bytes %", "alone %", "emitting"
    );
    for (i, rule) in ALL.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:<32} {:>8.1}% {:>8.1}% {:>10}  {}",
            rule.id,
            pct(tally.admitted[i], tally.bytes),
            pct(tally.sole[i], tally.bytes),
            tally.emissions[i],
            words_of(rule, language).needs.len()
        );
    }
    let _ = writeln!(
        out,
        "union, every rule: {:.1}% of bytes",
        pct(tally.union_all, tally.bytes)
    );
    let _ = writeln!(
        out,
        "union, every rule, files not test code: {:.1}% of their bytes",
        pct(tally.union_code, tally.code_bytes)
    );
    let _ = writeln!(
        out,
        "union, rules declaring words: {:.1}% of bytes",
        pct(tally.union_declared, tally.bytes)
    );
    if !excluded.is_empty() {
        let _ = writeln!(
            out,
            "union without {}: {:.1}% of bytes",
            excluded.join(", "),
            pct(tally.union_kept, tally.bytes)
        );
    }
    let mut listed = tally.listed.clone();
    listed.sort_by(|a, b| b.cmp(a));
    for (size, path) in listed.iter().take(60) {
        let _ = writeln!(out, "ADMITS {size:>9} {path}");
    }
    if !lexicon.words.is_empty() {
        let mut by_rule: BTreeMap<&str, Vec<(f64, &str)>> = BTreeMap::new();
        for rule in ALL {
            for w in words_of(rule, language).needs.iter().flat_map(|c| c.iter()) {
                let i = lexicon.words.iter().position(|x| x == w).unwrap_or(0);
                by_rule
                    .entry(rule.id)
                    .or_default()
                    .push((pct(tally.word_bytes[i], tally.bytes), w));
            }
        }
        for (rule, mut ws) in by_rule {
            ws.sort_by(|a, b| b.0.total_cmp(&a.0));
            let list: Vec<String> = ws.iter().map(|(p, w)| format!("{w:?} {p:.1}")).collect();
            let _ = writeln!(out, "words {rule}: {}", list.join(", "));
        }
    }
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| panic!("usage: needs_check <dir>"));
    let root = Path::new(&root);
    let word_stats = std::env::var_os("NEEDS_WORDS").is_some();
    let excluded: Vec<String> = std::env::var("NEEDS_EXCLUDE")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let listed = std::env::var("NEEDS_LIST").ok();
    let files: Vec<(Language, std::path::PathBuf)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some((language_of(e.path())?, e.into_path())))
        .collect();
    let threads = std::env::var("NEEDS_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(2);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(liability_scanner::PARSE_STACK_SIZE)
        .build()
        .unwrap_or_else(|e| panic!("threads: {e}"));
    let mut out = std::io::stdout().lock();
    for &language in LANGUAGES {
        let paths: Vec<&std::path::PathBuf> = files
            .iter()
            .filter(|(l, _)| *l == language)
            .map(|(_, p)| p)
            .collect();
        if paths.is_empty() {
            continue;
        }
        let lexicon = Lexicon::new(language, word_stats);
        let words = lexicon.words.len();
        let tally = pool.install(|| {
            paths
                .par_iter()
                .fold(
                    || Tally::new(ALL.len(), words),
                    |mut t, p| {
                        analyse(root, p, &lexicon, &excluded, listed.as_deref(), &mut t);
                        t
                    },
                )
                .reduce(|| Tally::new(ALL.len(), words), Tally::merge)
        });
        report(&mut out, root, &lexicon, &tally, &excluded);
    }
}
