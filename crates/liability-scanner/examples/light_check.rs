//! Compares the light Rust front-end with the full one on every `.rs` file under a folder:
//! where the light one answers, the framework summaries must be equal, and so must their
//! complexity where the light one follows it (`CX-DIFF` otherwise; `LIGHT_CX_LIST=1` lists
//! the files whose complexity it leaves to the parse).
//! Prints the differences and how many files (and bytes) each path took. Also checks, on
//! every file, that `rust_light::doc_comments_bare` (the text the full parse reads) has the
//! same tokens on the same lines as the file, doc comments aside. `LIGHT_LIST=1` lists the
//! files the light front-end refuses that no rule admits (parsed only for the refusal).
#![allow(clippy::print_stdout, clippy::unwrap_used)]
use liability_model::Language;
use liability_scanner::frontend::{self, rust_light};
use liability_scanner::rules::framework::summarise;
use liability_scanner::{lines, rules};

fn main() {
    let root = std::env::args().nth(1).expect("usage: light_check DIR");
    // LIGHT_ONLY=1: time the light front-end alone (for profiling), no comparison.
    let light_only = std::env::var_os("LIGHT_ONLY").is_some();
    let (mut light, mut light_bytes, mut full, mut full_bytes, mut differ) = (0, 0, 0, 0, 0);
    let (mut bare_files, mut bare_differ) = (0, 0);
    let (mut refused_alone, mut refused_alone_bytes) = (0, 0);
    let (mut cx_given, mut cx_given_bytes, mut cx_left, mut cx_differ) = (0, 0, 0, 0);
    let mut light_time = std::time::Duration::ZERO;
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if text.len() > 1 << 20 {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !light_only && let Some(bare) = rust_light::doc_comments_bare(&text) {
            bare_files += 1;
            let (a, b) = (tokens_but_docs(&text), tokens_but_docs(&bare));
            if a != b {
                bare_differ += 1;
                let first = a
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .zip(b.as_deref().unwrap_or_default())
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| format!("{x:?} became {y:?}"));
                println!(
                    "BARE-DOCS-DIFFER {rel}: {}",
                    first.unwrap_or_else(|| "tokenizes only one way".into())
                );
            }
        }
        let (counts, prefix) = lines::count(&text, &lines::RUST);
        let started = std::time::Instant::now();
        let light_result = rust_light::extract_with_complexity(&rel, &text, counts, prefix);
        light_time += started.elapsed();
        match light_result {
            Ok(_) if light_only => {
                light += 1;
                light_bytes += text.len();
            }
            Ok(read) => {
                light += 1;
                light_bytes += text.len();
                let Ok(full_facts) = frontend::extract(Language::Rust, &rel, &text) else {
                    println!("PARSE-ERROR-ONLY-IN-FULL {rel}");
                    continue;
                };
                let mut a = summarise(&read.facts, rules::package_of(&rel));
                let mut b = summarise(&full_facts, rules::package_of(&rel));
                if read.complexity {
                    cx_given += 1;
                    cx_given_bytes += text.len();
                    if a.complexity != b.complexity {
                        cx_differ += 1;
                        if cx_differ <= 30 {
                            println!(
                                "CX-DIFF {rel}\n  light: {:?}\n  full:  {:?}",
                                a.complexity, b.complexity
                            );
                        }
                    }
                } else {
                    cx_left += 1;
                    if std::env::var_os("LIGHT_CX_LIST").is_some() {
                        println!("CX-LEFT {rel} {}", text.len());
                    }
                }
                a.complexity = None;
                b.complexity = None;
                if a != b {
                    differ += 1;
                    if differ <= 30 {
                        println!("DIFF {rel}\n  light: {a:?}\n  full:  {b:?}");
                    }
                }
            }
            Err(_) => {
                full += 1;
                full_bytes += text.len();
                // Refused files no rule admits are parsed only because of the refusal.
                if !rules::ALL
                    .iter()
                    .any(|r| liability_scanner::prepass::admits_text(r, Language::Rust, &text))
                {
                    refused_alone += 1;
                    refused_alone_bytes += text.len();
                    if std::env::var_os("LIGHT_LIST").is_some() {
                        println!("REFUSED-ALONE {rel} {}", text.len());
                    }
                }
            }
        }
    }
    println!("doc comments made bare: {bare_files} files, differing tokens {bare_differ}");
    println!(
        "needing the parse and admitted by no rule: {refused_alone} files {:.1} MB",
        refused_alone_bytes as f64 / 1e6
    );
    println!(
        "complexity given by the light front-end for {cx_given} files {:.1} MB, left to the parse for {cx_left}, differing complexity {cx_differ}",
        cx_given_bytes as f64 / 1e6
    );
    println!("light front-end time (all files, one thread): {light_time:?}");
    println!(
        "light {light} files {:.1} MB, needs parse {full} files {:.1} MB, differing {differ}",
        light_bytes as f64 / 1e6,
        full_bytes as f64 / 1e6
    );
}

/// Every token of `text` with its line, a doc attribute (`#[doc = ".."]`, the bare `#[d]`)
/// as one `#doc` token; `None` when `text` does not tokenize.
fn tokens_but_docs(text: &str) -> Option<Vec<(String, usize)>> {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};
    fn walk(stream: TokenStream, out: &mut Vec<(String, usize)>) {
        let mut iter = stream.into_iter().peekable();
        while let Some(tree) = iter.next() {
            let line = tree.span().start().line;
            match tree {
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    let inner =
                        matches!(iter.peek(), Some(TokenTree::Punct(b)) if b.as_char() == '!');
                    let mut ahead = iter.clone();
                    if inner {
                        ahead.next();
                    }
                    let doc = matches!(ahead.peek(), Some(TokenTree::Group(g))
                        if g.delimiter() == Delimiter::Bracket
                            && matches!(g.stream().into_iter().next(),
                                Some(TokenTree::Ident(i)) if i == "doc" || i == "d"));
                    if doc {
                        iter = ahead;
                        iter.next();
                        out.push((if inner { "#!doc" } else { "#doc" }.to_string(), line));
                    } else {
                        out.push(("#".to_string(), line));
                    }
                }
                TokenTree::Group(g) => {
                    out.push((format!("{:?}", g.delimiter()), line));
                    walk(g.stream(), out);
                    out.push(("end".to_string(), g.span_close().end().line));
                }
                other => out.push((other.to_string(), line)),
            }
        }
    }
    let stream: TokenStream = text.parse().ok()?;
    let mut out = Vec::new();
    walk(stream, &mut out);
    Some(out)
}
