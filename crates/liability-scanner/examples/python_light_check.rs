//! Compares the light Python front-end with the full one on every `.py` file under a folder:
//! where the light one answers, the framework summaries (complexity aside) and the import
//! lists (paths and lines, which `link::clients_of` reads) must be equal, and where it also
//! claims the complexity, the whole-file complexity and each function's cyclomatic and
//! cognitive complexity must be equal too. Prints the differences, how many files (and
//! bytes) each path took, and both front-ends' times on the files the light one read.
#![allow(clippy::print_stdout, clippy::unwrap_used)]
use liability_model::Language;
use liability_scanner::frontend::{self, python_light};
use liability_scanner::rules::framework::summarise;
use liability_scanner::{lines, rules};
use std::time::{Duration, Instant};

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: python_light_check DIR");
    // LIGHT_ONLY=1: time the light front-end alone (for profiling), no comparison.
    let light_only = std::env::var_os("LIGHT_ONLY").is_some();
    // SHOW_REFUSED=1: list the files the light front-end leaves to the full parse.
    let show_refused = std::env::var_os("SHOW_REFUSED").is_some();
    // MUTATE=1: compare on broken variants of each file too (its first half of lines, and
    // every seventh line dropped), where the full front-end recovers from syntax errors.
    let mutate = std::env::var_os("MUTATE").is_some();
    let (mut light, mut light_bytes, mut full, mut full_bytes, mut differ) = (0, 0, 0, 0, 0);
    let (mut partial, mut rejected) = (0, 0);
    // Files whose complexity the light front-end gives (and their bytes), leaves to the
    // parse, and gives differently.
    let (mut with_cx, mut with_cx_bytes, mut without_cx, mut cx_differ) = (0, 0, 0, 0);
    let (mut light_time, mut full_time) = (Duration::ZERO, Duration::ZERO);
    let mut light_ok_time = Duration::ZERO;
    // Why files are left to the parse: files and bytes per reason.
    let mut reasons = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "py") {
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
            let (counts, prefix) = lines::count(&text, &lines::PYTHON);
            let started = Instant::now();
            let light_result = python_light::extract(&rel, &text, counts, prefix);
            let elapsed = started.elapsed();
            light_time += elapsed;
            let (facts, light_cx) = match light_result {
                Ok(read) => (read.facts, read.complexity),
                Err(_) => {
                    full += 1;
                    full_bytes += text.len();
                    let (reason, line) = python_light::refusal(&text).unwrap_or(("?", 0));
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
                }
            };
            light += 1;
            light_bytes += text.len();
            light_ok_time += elapsed;
            if light_only {
                continue;
            }
            // Timed as the pipeline calls it: line counting, parse and walk.
            let started = Instant::now();
            let extracted =
                frontend::extract_file(frontend::FileKind::Source(Language::Python), &rel, &text);
            full_time += started.elapsed();
            let Ok(extracted) = extracted else {
                rejected += 1;
                println!("REJECTED-BY-FULL {rel}");
                continue;
            };
            if let Some(problem) = &extracted.problem {
                partial += 1;
                println!("PARTIAL-IN-FULL {rel}: {}", problem.detail);
            }
            let full_facts = extracted.facts;
            let mut a = summarise(&facts, rules::package_of(&rel));
            let mut b = summarise(&full_facts, rules::package_of(&rel));
            if light_cx {
                with_cx += 1;
                with_cx_bytes += text.len();
                let per_function = |f: &liability_model::FileFacts| {
                    let mut v: Vec<_> = f
                        .functions
                        .iter()
                        .map(|f| (f.span.start, f.name.clone(), f.cyclomatic, f.cognitive))
                        .collect();
                    v.sort();
                    v
                };
                let (fa, fb) = (per_function(&facts), per_function(&full_facts));
                if a.complexity != b.complexity || fa != fb {
                    cx_differ += 1;
                    if cx_differ <= 30 {
                        println!("CX-DIFF {rel}");
                        println!("  light: {:?}\n  full:  {:?}", a.complexity, b.complexity);
                        for (x, y) in fa.iter().zip(&fb).filter(|(x, y)| x != y).take(5) {
                            println!("  light {x:?} full {y:?}");
                        }
                    }
                }
            } else {
                without_cx += 1;
                if show_refused {
                    println!("NO-COMPLEXITY {rel}");
                }
            }
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
    for (reason, (files, bytes)) in &reasons {
        println!(
            "  needs parse for {reason}: {files} files {:.1} MB",
            *bytes as f64 / 1e6
        );
    }
    println!(
        "complexity given by the light front-end for {with_cx} files {:.1} MB, left to the \
         parse for {without_cx}, differing complexity {cx_differ}",
        with_cx_bytes as f64 / 1e6,
    );
    println!(
        "light front-end time (one thread): {light_time:?} on all files, {light_ok_time:?} on \
         the files it read"
    );
    if !light_only {
        println!(
            "full front-end time on the files the light one read: {full_time:?} (light is \
             {:.1}% of it)",
            100.0 * light_ok_time.as_secs_f64() / full_time.as_secs_f64().max(1e-9)
        );
    }
}
