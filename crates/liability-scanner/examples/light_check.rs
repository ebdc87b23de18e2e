//! Compares the light Rust front-end with the full one on every `.rs` file under a folder:
//! where the light one answers, the framework summaries must be equal (complexity aside).
//! Prints the differences and how many files (and bytes) each path took.
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
        let (counts, prefix) = lines::count(&text, &lines::RUST);
        let started = std::time::Instant::now();
        let light_result = rust_light::extract(&rel, &text, counts, prefix);
        light_time += started.elapsed();
        match light_result {
            Ok(_) if light_only => {
                light += 1;
                light_bytes += text.len();
            }
            Ok(facts) => {
                light += 1;
                light_bytes += text.len();
                let Ok(full_facts) = frontend::extract(Language::Rust, &rel, &text) else {
                    println!("PARSE-ERROR-ONLY-IN-FULL {rel}");
                    continue;
                };
                let mut a = summarise(&facts, rules::package_of(&rel));
                let mut b = summarise(&full_facts, rules::package_of(&rel));
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
            }
        }
    }
    println!("light front-end time (all files, one thread): {light_time:?}");
    println!(
        "light {light} files {:.1} MB, needs parse {full} files {:.1} MB, differing {differ}",
        light_bytes as f64 / 1e6,
        full_bytes as f64 / 1e6
    );
}
