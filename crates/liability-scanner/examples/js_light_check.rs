//! Compares the light JavaScript and TypeScript front-end with the full one on every
//! `.js`/`.mjs`/`.cjs`/`.jsx`/`.ts`/`.mts`/`.cts`/`.tsx` file under a folder (declaration
//! files aside, as the scanner reads none): where the light one answers, the framework
//! summaries (complexity aside) and the import lists (paths and lines, which
//! `link::clients_of` reads) must be equal, and the full front-end must read the whole file
//! (a file it parses only in part is listed as skipped, which a light read would not be).
//! Prints the differences, how many files (and bytes) each path took, why files were left to
//! the parse, and both front-ends' times on the files the light one read.
#![allow(clippy::print_stdout, clippy::unwrap_used)]
use liability_scanner::frontend::{self, js_light};
use liability_scanner::rules::framework::summarise;
use liability_scanner::{lines, rules};
use std::time::{Duration, Instant};

fn main() {
    let root = std::env::args().nth(1).expect("usage: js_light_check DIR");
    // SHOW_REFUSED=1: list the files the light front-end leaves to the full parse.
    let show_refused = std::env::var_os("SHOW_REFUSED").is_some();
    // MUTATE=1: compare on broken variants of each file too (its first half of lines, and
    // every seventh line dropped), where the full front-end recovers from syntax errors.
    let mutate = std::env::var_os("MUTATE").is_some();
    let (mut light, mut light_bytes, mut full, mut full_bytes, mut differ) = (0, 0, 0, 0, 0);
    let (mut partial, mut rejected) = (0, 0);
    let (mut light_time, mut full_time, mut light_ok_time) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    // Why files are left to the parse: files and bytes per reason.
    let mut reasons = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let Some(language) = frontend::language_of(path) else {
            continue;
        };
        if !matches!(
            language,
            liability_model::Language::JavaScript | liability_model::Language::TypeScript
        ) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if text.len() > 1 << 20 {
            continue;
        }
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let variants = if mutate {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            vec![
                lines[..lines.len() / 2].concat(),
                lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % 7 != 3)
                    .map(|(_, l)| *l)
                    .collect::<String>(),
            ]
        } else {
            vec![text]
        };
        for text in variants {
            let (counts, prefix) = lines::count(&text, &lines::JAVASCRIPT);
            let started = Instant::now();
            let light_result = js_light::extract(&rel, &text, counts, prefix);
            let elapsed = started.elapsed();
            light_time += elapsed;
            let Ok(facts) = light_result else {
                full += 1;
                full_bytes += text.len();
                let (reason, line) = js_light::refusal(&rel, &text).unwrap_or(("?", 0));
                let entry = reasons.entry(reason).or_insert((0, 0));
                entry.0 += 1;
                entry.1 += text.len();
                if show_refused {
                    let at = text
                        .lines()
                        .nth(line.saturating_sub(1) as usize)
                        .unwrap_or("");
                    println!("REFUSED {reason} {rel}:{line}: {}", at.trim());
                }
                continue;
            };
            light += 1;
            light_bytes += text.len();
            light_ok_time += elapsed;
            // Timed as the pipeline calls it: line counting, parse and walk.
            let started = Instant::now();
            let extracted =
                frontend::extract_file(frontend::FileKind::Source(language), &rel, &text);
            full_time += started.elapsed();
            let Ok(extracted) = extracted else {
                rejected += 1;
                println!("DIFF REJECTED-BY-FULL {rel}");
                continue;
            };
            if let Some(problem) = &extracted.problem {
                partial += 1;
                println!("DIFF PARTIAL-IN-FULL {rel}: {}", problem.detail);
            }
            let full_facts = extracted.facts;
            let mut a = summarise(&facts, rules::package_of(&rel));
            let mut b = summarise(&full_facts, rules::package_of(&rel));
            a.complexity = None;
            b.complexity = None;
            if a != b || facts.imports != full_facts.imports {
                differ += 1;
                if differ <= 30 {
                    println!("DIFF {rel}");
                    if facts.imports != full_facts.imports {
                        println!("  light imports: {:?}", facts.imports);
                        println!("  full imports:  {:?}", full_facts.imports);
                    }
                    if a != b {
                        println!("  light: {a:?}\n  full:  {b:?}");
                    }
                    if std::env::var_os("DUMP").is_some() {
                        let types = |f: &liability_model::FileFacts| {
                            f.types
                                .iter()
                                .map(|t| (t.name.clone(), t.kind, t.span.start))
                                .collect::<Vec<_>>()
                        };
                        println!(
                            "  light types: {:?}\n  full types:  {:?}",
                            types(&facts),
                            types(&full_facts)
                        );
                    }
                }
            }
        }
    }
    let total = (light_bytes + full_bytes).max(1) as f64;
    println!(
        "light {light} files {:.1} MB ({:.1}% of bytes), needs parse {full} files {:.1} MB, \
         differing {differ}, partial in full {partial}, rejected by full {rejected}",
        light_bytes as f64 / 1e6,
        100.0 * light_bytes as f64 / total,
        full_bytes as f64 / 1e6,
    );
    let mut by_bytes: Vec<_> = reasons.into_iter().collect();
    by_bytes.sort_by_key(|(_, (_, bytes))| std::cmp::Reverse(*bytes));
    for (reason, (files, bytes)) in &by_bytes {
        println!(
            "  needs parse for {reason}: {files} files {:.1} MB",
            *bytes as f64 / 1e6
        );
    }
    println!(
        "light front-end time (one thread): {light_time:?} on all files, {light_ok_time:?} on \
         the files it read"
    );
    println!(
        "full front-end time on the files the light one read: {full_time:?} (light is {:.1}% \
         of it)",
        100.0 * light_ok_time.as_secs_f64() / full_time.as_secs_f64().max(1e-9)
    );
}
