//! Reads a repository's history with `read_history` and prints a one-screen summary; used by
//! `bench/history.sh` and for eyeballing a real repository.
//!
//! Usage: `history [PATH] [--window-days N] [--threads N] [--max-commits N] [--top N]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use liability_history::{HistoryOptions, read_history};

fn main() -> ExitCode {
    let mut path = PathBuf::from(".");
    let mut options = HistoryOptions::default();
    let mut top = 10usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Option<usize> {
            let value = args.next().and_then(|v| v.parse().ok());
            if value.is_none() {
                let _ = writeln!(std::io::stderr(), "{name} needs a number");
            }
            value
        };
        match arg.as_str() {
            "--window-days" => match number("--window-days").and_then(|n| u32::try_from(n).ok()) {
                Some(n) => options.window_days = n,
                None => return ExitCode::from(2),
            },
            "--threads" => match number("--threads") {
                Some(n) => options.threads = Some(n),
                None => return ExitCode::from(2),
            },
            "--max-commits" => match number("--max-commits") {
                Some(n) => options.max_commits = Some(n),
                None => return ExitCode::from(2),
            },
            "--top" => match number("--top") {
                Some(n) => top = n,
                None => return ExitCode::from(2),
            },
            _ => path = PathBuf::from(arg),
        }
    }

    let started = Instant::now();
    let history = match read_history(&path, &options) {
        Ok(history) => history,
        Err(reason) => {
            let _ = writeln!(
                std::io::stderr(),
                "no history for {}: {reason}",
                path.display()
            );
            return ExitCode::from(1);
        }
    };
    let elapsed = started.elapsed();

    let added: u64 = history.files.values().map(|f| f.lines_added).sum();
    let removed: u64 = history.files.values().map(|f| f.lines_removed).sum();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} commits read in {:.3} s; {} files, {} authors; window of {} days: +{added} -{removed}",
        history.commits_read,
        elapsed.as_secs_f64(),
        history.files.len(),
        history.authors.len(),
        options.window_days,
    );
    if let Some(partial) = &history.partial {
        let _ = writeln!(out, "partial: {partial}");
    }
    let mut busiest: Vec<_> = history.files.iter().collect();
    busiest.sort_by(|a, b| {
        b.1.commits_in_window
            .cmp(&a.1.commits_in_window)
            .then(a.0.cmp(b.0))
    });
    for (path, file) in busiest.into_iter().take(top) {
        let _ = writeln!(
            out,
            "{:>6} commits {:>8} +{:<7} -{:<7} top {:>3.0}% {}",
            file.commits_in_window,
            file.total_commits,
            file.lines_added,
            file.lines_removed,
            file.top_author_share * 100.0,
            path
        );
    }
    ExitCode::SUCCESS
}
