//! Checks every rule's `rust_needs` on a tree of Rust files (issue #11) and measures them.
//!
//! For every `.rs` file (at most 1 MB, valid UTF-8) it extracts facts, runs every rule
//! without the pre-pass, and checks that each rule that found something (a finding's evidence
//! or a partial signal) is admitted by `prepass::admits_text`: a file that is not would lose
//! that emission once the pre-pass skips it. It then prints, per rule, the share of the
//! corpus bytes whose text admits the rule, and the share admitted by any rule (the union:
//! the files the pre-pass would still parse), also over the rules that declare words only.
//! The `alone` column is the share of bytes only that rule admits (what it alone costs).
//! With `NEEDS_WORDS=1`, it also prints the share of bytes holding each rule word, to tune
//! the lists; `NEEDS_EXCLUDE=id,id` also prints the union without those rules (what-if).
//!
//! ```sh
//! cargo run --release --example needs_check -p liability-scanner -- <dir>
//! ```

use aho_corasick::AhoCorasick;
use liability_model::Language;
use liability_scanner::prepass::admits_text;
use liability_scanner::rules::{ALL, Rule};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    parsed: u64,
    /// Per rule of `ALL`: bytes of the files admitting it.
    admitted: Vec<u64>,
    /// Per rule of `ALL`: bytes of the files admitting it alone (what dropping it would save).
    sole: Vec<u64>,
    union_all: u64,
    union_declared: u64,
    /// Bytes admitted by a rule not in `NEEDS_EXCLUDE`.
    union_kept: u64,
    /// Per rule: emissions seen without the pre-pass.
    emissions: Vec<u64>,
    violations: Vec<(String, &'static str)>,
    /// Per distinct rule word: bytes of the files holding it.
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
        self.parsed += other.parsed;
        self.union_all += other.union_all;
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
        self
    }
}

fn index_of(rule: &Rule) -> usize {
    ALL.iter()
        .position(|r| std::ptr::eq(*r, rule))
        .unwrap_or_else(|| panic!("rule {} not in ALL", rule.id))
}

fn analyse(
    root: &Path,
    path: &Path,
    words: &[&'static str],
    automaton: &AhoCorasick,
    excluded: &[String],
    tally: &mut Tally,
) {
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
    tally.files += 1;
    tally.bytes += size;
    let mut any_all = false;
    let mut any_declared = false;
    let mut any_kept = false;
    let mut admitting = Vec::new();
    for (i, rule) in ALL.iter().enumerate() {
        if admits_text(rule, &text) {
            admitting.push(i);
            tally.admitted[i] += size;
            any_all = true;
            any_declared |= !rule.rust_needs.is_empty();
            any_kept |= !excluded.iter().any(|x| x == rule.id);
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
    }
    if any_declared {
        tally.union_declared += size;
    }
    if !words.is_empty() {
        let mut seen = vec![false; words.len()];
        for m in automaton.find_overlapping_iter(&text) {
            seen[m.pattern().as_usize()] = true;
        }
        for (i, s) in seen.iter().enumerate() {
            if *s {
                tally.word_bytes[i] += size;
            }
        }
    }
    let Ok(facts) = liability_scanner::frontend::extract(Language::Rust, &rel, &text) else {
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
        if !admits_text(rule, &text) {
            tally.violations.push((rel.clone(), id));
        }
    }
    // Every signal comes from a file its rule admits or supports (`Rule::rust_support`).
    for p in &partials {
        if !admits_text(p.rule, &text) && !liability_scanner::prepass::supports_text(p.rule, &text)
        {
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
    let mut words: Vec<&'static str> = Vec::new();
    if word_stats {
        for rule in ALL {
            for w in rule.rust_needs.iter().flat_map(|c| c.iter()) {
                if !words.contains(w) {
                    words.push(w);
                }
            }
        }
    }
    let automaton = AhoCorasick::new(&words).unwrap_or_else(|e| panic!("words: {e}"));
    let paths: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
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
    let tally = pool.install(|| {
        paths
            .par_iter()
            .fold(
                || Tally::new(ALL.len(), words.len()),
                |mut t, p| {
                    analyse(root, p, &words, &automaton, &excluded, &mut t);
                    t
                },
            )
            .reduce(|| Tally::new(ALL.len(), words.len()), Tally::merge)
    });
    let _ = writeln!(
        out,
        "{}: {} files, {} bytes, {} parsed",
        root.display(),
        tally.files,
        tally.bytes,
        tally.parsed
    );
    let mut violations = tally.violations.clone();
    violations.sort();
    for (path, rule) in &violations {
        let _ = writeln!(out, "VIOLATION {rule} {path}");
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
            rule.rust_needs.len()
        );
    }
    let _ = writeln!(
        out,
        "union, every rule: {:.1}% of bytes",
        pct(tally.union_all, tally.bytes)
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
    if word_stats {
        let mut by_rule: BTreeMap<&str, Vec<(f64, &str)>> = BTreeMap::new();
        for rule in ALL {
            for w in rule.rust_needs.iter().flat_map(|c| c.iter()) {
                let i = words.iter().position(|x| x == w).unwrap_or(0);
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
