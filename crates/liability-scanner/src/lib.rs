//! The scanner: walk a repository, read and parse every source file once into
//! language-neutral facts, and run the detection rules over them.
//!
//! ```no_run
//! let report = liability_scanner::scan(std::path::Path::new("."), &Default::default())?;
//! println!("{} findings", report.findings.len());
//! # Ok::<(), liability_scanner::ScanError>(())
//! ```
//!
//! Policy: the scanner never fails because of a file's content. A file that cannot be read,
//! decoded or parsed becomes a `Skipped` entry with a reason, and the scan goes on; a panic
//! while analysing one file is caught and reported as `internal-error` for that file. Only a
//! root that cannot be walked at all is an error. The result is sorted, so it does not depend
//! on the number of threads. The scanner only reads files under the root, executes nothing and
//! never touches the network.

pub mod frontend;
pub mod linehash;
pub mod lines;
pub mod link;
pub mod memory;
pub mod prepass;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod walk;

#[cfg(test)]
mod test_support;

pub use memory::FileContent;

use liability_model::{Confidence, LanguageStats, Report, SkipReason, Skipped};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Stack size of the parse threads. `syn` recurses once per nesting level (3–8 KiB each);
/// with the nesting guard at `frontend::nesting::MAX_DEPTH` this leaves a wide margin. The
/// memory is reserved, not committed, until used.
pub const PARSE_STACK_SIZE: usize = 256 * 1024 * 1024;

/// Default largest file analysed, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    pub max_file_size: u64,
    pub follow_links: bool,
    /// Extra exclude globs (gitignore syntax).
    pub exclude: Vec<String>,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// Suppressions from the configuration file.
    pub ignores: Vec<suppress::ConfigIgnore>,
    /// When not empty, only files whose relative path matches one of these are analysed.
    pub include: Vec<String>,
    /// Languages not analysed.
    pub languages_off: Vec<liability_model::Language>,
    /// Concerns the team declared in its configuration.
    pub concerns: Vec<rules::custom::custom_concern::Concern>,
    /// The lexical pre-pass (`prepass`): run a rule only on the Rust, Python, JavaScript and
    /// TypeScript files holding its words, and read a file no rule can use with the light
    /// front-end instead of the full parse.
    /// Off, every file is fully parsed and every rule runs: the same report, slower (kept for
    /// the comparison that proves it).
    pub prepass: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_links: false,
            exclude: Vec::new(),
            min_confidence: Confidence::Low,
            ignores: Vec::new(),
            include: Vec::new(),
            languages_off: Vec::new(),
            concerns: Vec::new(),
            prepass: true,
        }
    }
}

/// The scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot scan `{path}`: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid exclude pattern: {0}")]
    Pattern(#[from] ignore::Error),
    #[error("invalid include pattern: {0}")]
    Include(String),
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
}

/// Counters a caller may watch while the scan runs (for a progress bar).
#[derive(Debug, Default)]
pub struct Progress {
    pub files_total: AtomicU64,
    pub files_done: AtomicU64,
}

/// Scans `root` with `options`.
pub fn scan(root: &Path, options: &ScanOptions) -> Result<Report, ScanError> {
    scan_with_progress(root, options, &Progress::default())
}

/// Scans `root`, updating `progress` as files are analysed.
pub fn scan_with_progress(
    root: &Path,
    options: &ScanOptions,
    progress: &Progress,
) -> Result<Report, ScanError> {
    let meta = std::fs::metadata(root).map_err(|source| ScanError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() && !meta.is_file() {
        return Err(ScanError::Root {
            path: root.to_path_buf(),
            source: std::io::Error::other("not a directory or regular file"),
        });
    }
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        options.threads
    };
    let walked = walk::walk(
        root,
        &walk::WalkOptions {
            threads,
            max_file_size: options.max_file_size,
            follow_links: options.follow_links,
            exclude: options.exclude.clone(),
            default_excludes: true,
            wanted,
        },
    )?;
    let jobs = walked
        .files
        .into_iter()
        .map(|file| Job {
            kind_path: file.abs.clone(),
            rel: file.rel,
            size: file.size,
            source: Source::Disk(file.abs),
        })
        .collect();
    analyse_all(jobs, walked.skipped, options, threads, progress)
}

/// Scans an in-memory file list — paths relative to the scanned root, `/`-separated, such as a
/// git revision's tree — with the same rules and the same pipeline as [`scan`]: the default
/// excludes, `options.exclude` and the ignore files in the list apply, hidden files are
/// skipped, links are not followed (see [`memory`]).
pub fn scan_files(
    files: Vec<(String, FileContent)>,
    options: &ScanOptions,
) -> Result<Report, ScanError> {
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        options.threads
    };
    let selection = memory::select(files, options.max_file_size, &options.exclude, wanted)?;
    let jobs = selection
        .files
        .into_iter()
        .map(|file| Job {
            kind_path: PathBuf::from(&file.rel),
            rel: file.rel,
            size: file.bytes.len() as u64,
            source: Source::Memory(file.bytes),
        })
        .collect();
    analyse_all(
        jobs,
        selection.skipped,
        options,
        threads,
        &Progress::default(),
    )
}

/// Whether a file is read: a front-end's, or a package manifest (`Cargo.toml`, `go.mod`,
/// `package.json`) that names a package for the framework graph.
fn wanted(path: &Path) -> bool {
    frontend::kind_of(path).is_some() || rules::framework::manifest_kind(path).is_some()
}

/// One file to analyse.
struct Job {
    /// Relative to the scanned root, `/`-separated.
    rel: String,
    /// The path its kind is decided from (by name).
    kind_path: PathBuf,
    size: u64,
    source: Source,
}

/// Where a file's bytes come from.
enum Source {
    /// Read from the disk when analysed.
    Disk(PathBuf),
    /// Already in memory (a git blob).
    Memory(Vec<u8>),
}

/// Analyses `files` in parallel, then runs the cross-file passes; one code path for the disk
/// and for memory.
fn analyse_all(
    mut files: Vec<Job>,
    skipped: Vec<Skipped>,
    options: &ScanOptions,
    threads: usize,
    progress: &Progress,
) -> Result<Report, ScanError> {
    if !options.include.is_empty() {
        let mut set = globset::GlobSetBuilder::new();
        for pattern in &options.include {
            set.add(globset::Glob::new(pattern).map_err(|e| ScanError::Include(e.to_string()))?);
        }
        let set = set.build().map_err(|e| ScanError::Include(e.to_string()))?;
        files.retain(|f| set.is_match(&f.rel));
    }
    if !options.languages_off.is_empty() {
        files.retain(|f| {
            frontend::language_of(&f.kind_path).is_none_or(|l| !options.languages_off.contains(&l))
        });
    }
    progress
        .files_total
        .store(files.len() as u64, Ordering::Relaxed);
    // Largest first, so both cores stay busy to the end.
    files.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.rel.cmp(&b.rel)));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(PARSE_STACK_SIZE)
        .thread_name(|i| format!("liability-parse-{i}"))
        .build()?;
    let rules: Vec<&'static rules::Rule> = rules::ALL.to_vec();
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        files
            .into_par_iter()
            // One file per task. Rayon otherwise hands each thread whole index ranges that it
            // walks sequentially; with the largest files first, one thread was left parsing a
            // range of big files for seconds while the other had nothing it could steal
            // (perf: one core idle for 12 of a Python scan's 17 seconds).
            .with_max_len(1)
            .map(|file| {
                let outcome = analyse_guarded(file, options, &rules);
                progress.files_done.fetch_add(1, Ordering::Relaxed);
                outcome
            })
            .collect()
    });

    let mut report = Report {
        skipped,
        ..Report::default()
    };
    let mut partials = Vec::new();
    let mut clients = Vec::new();
    let mut summaries = Vec::new();
    let mut manifests = Vec::new();
    let mut heads = std::collections::BTreeMap::new();
    let mut inline = Vec::new();
    // The files the pre-pass did not fully analyse, by path: the framework pass may need
    // their complexity, and a package's pooled signals their supporting signals.
    let mut deferred = std::collections::BTreeMap::new();
    for outcome in outcomes {
        if let Some(d) = outcome.deferred {
            deferred.insert(d.rel.clone(), d);
        }
        partials.extend(outcome.partials);
        inline.extend(outcome.suppressions);
        report.problems.extend(outcome.problems);
        clients.extend(outcome.clients);
        summaries.extend(outcome.summary);
        manifests.extend(outcome.manifest);
        if let Some(head) = outcome.head {
            heads.insert(head.path.clone(), head);
        }
        if outcome.read {
            report.files_scanned += 1;
        }
        if let Some((language, code)) = outcome.stats {
            let stats: &mut LanguageStats = report.languages.entry(language).or_default();
            stats.files += 1;
            stats.code_lines += u64::from(code);
        }
        report.findings.extend(
            outcome
                .findings
                .into_iter()
                .filter(|f| f.confidence >= options.min_confidence),
        );
        report.skipped.extend(outcome.skipped);
    }
    // Files parsed again for the pools keep their complexity for the framework pass.
    let (pooled, mut complexities) =
        pool.install(|| complete_pools(&partials, &report.findings, &deferred, options));
    partials.extend(pooled);
    let mut module_wide = rules::pool_partials(partials, &report.findings);
    manifests.sort();
    summaries.sort_by(|a, b| a.path.cmp(&b.path));
    // Which lightly read files without a complexity (Rust's first pass does not follow it,
    // `python_light` only leaves a few shapes out) the frameworks and concerns include (a
    // first, cheap pass that only notes them), their complexity read again in parallel
    // (`complexity_again`), then the passes for real.
    let needed = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let note = |summary: &rules::framework::FileSummary| {
        if let Ok(mut needed) = needed.lock() {
            needed.insert(summary.path.clone());
        }
        liability_model::Complexity::default()
    };
    rules::framework::detect(&summaries, &manifests, &note);
    rules::custom::custom_concern::detect(&options.concerns, &summaries, &note);
    let needed: Vec<&Deferred> = needed
        .into_inner()
        .unwrap_or_default()
        .iter()
        .filter(|rel| !complexities.contains_key(*rel))
        .filter_map(|rel| deferred.get(rel))
        .collect();
    complexities.extend(pool.install(|| {
        needed
            .par_iter()
            .with_max_len(1)
            .map(|d| {
                let complexity = complexity_again(d, options);
                (d.rel.clone(), complexity.unwrap_or_default())
            })
            .collect::<Vec<_>>()
    }));
    let complexity_of = |summary: &rules::framework::FileSummary| {
        complexities.get(&summary.path).copied().unwrap_or_default()
    };
    module_wide.extend(rules::framework::detect(
        &summaries,
        &manifests,
        &complexity_of,
    ));
    module_wide.extend(rules::custom::custom_concern::detect(
        &options.concerns,
        &summaries,
        &complexity_of,
    ));
    // Module-wide findings span their home file from line 1; its head was kept for them.
    for finding in &mut module_wide {
        if let Some(head) = heads.get(&finding.path) {
            finding.snippet.clone_from(&head.snippet);
            finding.line_hash.clone_from(&head.line_hash);
        }
    }
    report.findings.extend(
        module_wide
            .into_iter()
            .filter(|f| f.confidence >= options.min_confidence),
    );
    link::link_clients(&mut report.findings, clients);
    let (kept, suppressed, unmatched) = suppress::apply(
        std::mem::take(&mut report.findings),
        &inline,
        &options.ignores,
    );
    report.findings = kept;
    report.suppressed = suppressed;
    report.unmatched_suppressions = unmatched;
    report.normalise();
    Ok(report)
}

/// A rule's words (`Words::needs`) are those of its findings and anchor signals; a file
/// without them can still hold supporting signals, which only matter when they pool with an
/// anchor elsewhere in the package. So for each (rule, package) with a pooled anchor and no
/// finding yet, the package's files the pre-pass skipped that rule on are parsed now and the
/// rule run on them: the partial signals the full analysis would have had. (Few packages have
/// such a pool; the files are read and parsed again.) Also returns the complexity of each
/// file parsed, so the framework pass need not parse it once more.
fn complete_pools(
    partials: &[rules::Partial],
    findings: &[liability_model::Finding],
    deferred: &std::collections::BTreeMap<String, Deferred>,
    options: &ScanOptions,
) -> (
    Vec<rules::Partial>,
    std::collections::BTreeMap<String, liability_model::Complexity>,
) {
    let open: std::collections::BTreeSet<(&str, &str)> = partials
        .iter()
        .filter(|p| p.signals.iter().any(|s| s.anchor))
        .map(|p| (p.rule.id, rules::package_of(&p.path)))
        .filter(|(rule, package)| {
            !findings
                .iter()
                .any(|f| f.rule == *rule && rules::package_of(&f.path) == *package)
        })
        .collect();
    if open.is_empty() {
        return Default::default();
    }
    // In parallel (inside the scan's pool); `collect` keeps the map's order.
    let parsed: Vec<(&String, liability_model::Complexity, Vec<rules::Partial>)> = deferred
        .par_iter()
        .filter_map(|(rel, d)| {
            let package = rules::package_of(rel);
            let wanted: Vec<&'static rules::Rule> = d
                .skipped_rules
                .iter()
                .copied()
                .filter(|r| open.contains(&(r.id, package)))
                .collect();
            if wanted.is_empty() {
                return None;
            }
            // Only files that may hold a signal of the rule at all are parsed again.
            let text = source::read_text(&d.path, 0, options.max_file_size).ok()?;
            let language = frontend::language_of(&d.path)?;
            let source = prepass::Source::new(&text);
            let wanted: Vec<&'static rules::Rule> = wanted
                .into_iter()
                .filter(|r| prepass::supports(r, language, &source))
                .collect();
            if wanted.is_empty() {
                return None;
            }
            let facts = extract(&d.path, rel, &text)?;
            Some((
                rel,
                whole_file_complexity(&facts),
                rules::run(&facts, &wanted).1,
            ))
        })
        .collect();
    let mut partials = Vec::new();
    let mut complexities = std::collections::BTreeMap::new();
    for (rel, complexity, found) in parsed {
        complexities.insert(rel.clone(), complexity);
        partials.extend(found);
    }
    (partials, complexities)
}

/// A file the pre-pass did not fully analyse: where to read it again, and the rules it did
/// not run on it.
struct Deferred {
    rel: String,
    path: PathBuf,
    skipped_rules: Vec<&'static rules::Rule>,
}

/// The complexity of a file read lightly without it: read again, from its light front-end when
/// that follows the whole file (`frontend::light_facts_with_complexity`), else parsed again.
fn complexity_again(d: &Deferred, options: &ScanOptions) -> Option<liability_model::Complexity> {
    let text = source::read_text(&d.path, 0, options.max_file_size).ok()?;
    let light = frontend::language_of(&d.path)
        .and_then(|language| frontend::light_facts_with_complexity(language, &d.rel, &text));
    light
        .or_else(|| extract(&d.path, &d.rel, &text))
        .map(|facts| whole_file_complexity(&facts))
}

/// The full facts of `text`, read from `path`.
fn extract(path: &Path, rel: &str, text: &str) -> Option<liability_model::FileFacts> {
    let kind = frontend::kind_of(path)?;
    frontend::extract_file(kind, rel, text)
        .ok()
        .map(|e| e.facts)
}

/// What a framework or a declared concern sums of one file.
fn whole_file_complexity(facts: &liability_model::FileFacts) -> liability_model::Complexity {
    facts.complexity_in(liability_model::LineSpan::new(1, facts.last_line()))
}

/// What analysing one file produced.
#[derive(Default)]
struct FileOutcome {
    read: bool,
    /// Set when the pre-pass did not fully analyse the file: read by a light front-end (no
    /// complexity in its summary unless the front-end follows it, as Python's does) or with
    /// rules not run on it (its text lacks their words).
    deferred: Option<Deferred>,
    stats: Option<(liability_model::Language, u32)>,
    findings: Vec<liability_model::Finding>,
    partials: Vec<rules::Partial>,
    /// What the cross-file framework pass keeps of the file.
    summary: Option<rules::framework::FileSummary>,
    /// The package name a manifest declares (manifests are read for nothing else).
    manifest: Option<rules::framework::Manifest>,
    /// The first lines and line-1 hash of an analysed file, for module-wide findings placed on it.
    head: Option<FileHead>,
    suppressions: Vec<suppress::Inline>,
    problems: Vec<liability_model::Problem>,
    skipped: Option<Skipped>,
    /// Imports of server clients (for linking infrastructure findings to the code).
    clients: Vec<link::ClientUse>,
}

/// What a pooled finding placed on a file (from line 1) needs of its text.
struct FileHead {
    path: String,
    snippet: Vec<(u32, String)>,
    line_hash: Option<String>,
}

fn analyse_guarded(
    file: Job,
    options: &ScanOptions,
    rules: &[&'static rules::Rule],
) -> FileOutcome {
    let rel = file.rel.clone();
    let run = std::panic::AssertUnwindSafe(|| analyse(file, options, rules));
    std::panic::catch_unwind(run).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        FileOutcome {
            read: true,
            skipped: Some(Skipped {
                path: rel,
                reason: SkipReason::InternalError,
                detail: format!("analysis panicked: {message}"),
            }),
            ..FileOutcome::default()
        }
    })
}

fn analyse(file: Job, options: &ScanOptions, rules: &[&'static rules::Rule]) -> FileOutcome {
    let Some(kind) = frontend::kind_of(&file.kind_path) else {
        // A manifest: only its package name is kept; it is neither counted nor reported.
        if rules::framework::manifest_kind(&file.kind_path).is_some() {
            let read = match file.source {
                Source::Disk(path) => source::read_text(&path, file.size, options.max_file_size),
                Source::Memory(bytes) => source::text_from_bytes(bytes),
            };
            return FileOutcome {
                manifest: read
                    .ok()
                    .and_then(|text| rules::framework::read_manifest(&file.rel, &text)),
                ..FileOutcome::default()
            };
        }
        return FileOutcome::default();
    };
    // Only a file on disk can be read again if a post-pass needs its full facts.
    let (read, disk_path) = match file.source {
        Source::Disk(path) => (
            source::read_text(&path, file.size, options.max_file_size),
            Some(path),
        ),
        Source::Memory(bytes) => (source::text_from_bytes(bytes), None),
    };
    let on_disk = disk_path.is_some();
    let text = match read {
        Ok(text) => text,
        Err(rejected) => {
            return FileOutcome {
                skipped: Some(Skipped {
                    path: file.rel.clone(),
                    reason: rejected.reason,
                    detail: rejected.detail,
                }),
                ..FileOutcome::default()
            };
        }
    };
    let (suppressions, problems) = suppress::find_inline(&file.rel, &text);
    let test_code = is_test_path(&file.rel);
    // The pre-pass, for the languages it reads: the rules whose words the text holds, and
    // when none (or test code, which no rule reports on) the light front-end, which only falls
    // back to the full parse for shapes the framework summary reads from function bodies.
    let candidates: Vec<&'static rules::Rule>;
    let mut light = None;
    // Line counts taken for the light front-end serve the full one when it falls back.
    let mut counted_lines = None;
    let mut skipped_rules = Vec::new();
    let prepass_language = match kind {
        frontend::FileKind::Source(language)
            if options.prepass && on_disk && prepass::LANGUAGES.contains(&language) =>
        {
            Some(language)
        }
        _ => None,
    };
    let rules: &[&'static rules::Rule] = if let Some(language) = prepass_language {
        candidates = if test_code {
            Vec::new()
        } else {
            let words = prepass::WordsPresent::of(language, &text);
            let source = prepass::Source::new(&text);
            // The rules' lexical tests (`Words::text`) pay when they let a file skip the full
            // parse: every pre-pass language has a light front-end (checked by `prepass`'s
            // tests), and once one rule admits the file the others run on their words alone.
            let (run, skip) = words.rules_to_run(rules, &source);
            skipped_rules = skip;
            run
        };
        if candidates.is_empty()
            && let Some((counts, prefix)) = frontend::count_lines(language, &text)
        {
            match frontend::extract_light(language, &file.rel, &text, counts, prefix.clone()) {
                Ok(read) => light = Some(read),
                Err(_) => counted_lines = Some((language, counts, prefix)),
            }
        }
        &candidates
    } else {
        rules
    };
    let is_light = light.is_some();
    // A light front-end that follows complexity (Python's) spares the framework pass a
    // re-parse.
    let light_complexity = light.as_ref().is_some_and(|l| l.complexity);
    let extracted = match (light, counted_lines) {
        (Some(read), _) => Ok(frontend::Extracted::whole(read.facts)),
        (None, Some((language, counts, prefix))) => {
            frontend::extract_counted(language, &file.rel, &text, counts, prefix)
        }
        (None, None) => frontend::extract_file(kind, &file.rel, &text),
    };
    let mut outcome = match extracted {
        Ok(extracted) => {
            let facts = extracted.facts;
            // A file parsed in part is analysed from its valid parts and listed as skipped.
            let skipped = extracted.problem.map(|p| Skipped {
                path: file.rel.clone(),
                reason: p.reason,
                detail: p.detail,
            });
            // Test code is counted but not reported: tests exercise infrastructure without
            // being it.
            let (mut findings, partials) = if test_code || is_light {
                (Vec::new(), Vec::new())
            } else {
                rules::run(&facts, rules)
            };
            for finding in &mut findings {
                finding.definition = definition_line(&text, finding.span.start, finding.span.end);
            }
            let mut summary = rules::framework::summarise(&facts, rules::package_of(&facts.path));
            if is_light && !light_complexity {
                summary.complexity = None;
            }
            let mut wanted: std::collections::BTreeSet<u32> =
                findings.iter().map(|f| f.span.start).collect();
            // Every analysed file has a framework summary, so a module-wide finding (pooled
            // signals, a framework) may land on any of them, spanning it from line 1.
            wanted.insert(1);
            let hashes = linehash::line_hashes(&text, &wanted);
            for finding in &mut findings {
                finding.snippet = linehash::snippet(&text, finding.span.start, finding.span.end);
                finding.line_hash = hashes.get(&finding.span.start).cloned();
            }
            let head = Some(FileHead {
                path: file.rel.clone(),
                snippet: linehash::snippet(&text, 1, u32::MAX),
                line_hash: hashes.get(&1).cloned(),
            });
            FileOutcome {
                read: true,
                deferred: if is_light || !skipped_rules.is_empty() {
                    disk_path.map(|path| Deferred {
                        rel: file.rel.clone(),
                        path,
                        skipped_rules,
                    })
                } else {
                    None
                },
                stats: extracted
                    .counted
                    .then_some((kind.language(), facts.lines.code)),
                clients: link::clients_of(&facts),
                findings,
                partials,
                summary: Some(summary),
                head,
                skipped,
                ..FileOutcome::default()
            }
        }
        Err(rejected) => FileOutcome {
            read: true,
            skipped: Some(Skipped {
                path: file.rel.clone(),
                reason: rejected.reason,
                detail: rejected.detail,
            }),
            ..FileOutcome::default()
        },
    };
    outcome.suppressions = suppressions;
    outcome.problems = problems;
    outcome
}

/// The first line of `start..=end` that is code rather than an attribute or a comment, with
/// white space removed: the component's header (`pubstructStore{`), or empty when the span
/// is the whole file.
fn definition_line(text: &str, start: u32, end: u32) -> String {
    if start <= 1 && text.lines().count() as u32 <= end {
        return String::new();
    }
    text.lines()
        .skip(start.saturating_sub(1) as usize)
        .take((end.saturating_sub(start) + 1) as usize)
        .map(str::trim)
        .find(|l| {
            !l.is_empty()
                && !l.starts_with("#[")
                && !l.starts_with("//")
                && !l.starts_with("/*")
                && !l.starts_with('*')
        })
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .unwrap_or_default()
}

/// Whether a file is test code by its place (`tests/`, `benches/`, `__tests__/`) or name
/// (`*_test.rs`, `*_test.go`, `test_*.py`, `*.test.js`, `*.spec.ts`): it is counted, but no
/// rule reports on it — tests exercise infrastructure without being it. (Public for the
/// tools that measure the pre-pass, `examples/needs_check.rs`.)
pub fn is_test_path(rel: &str) -> bool {
    let mut parts = rel.split('/');
    let file = parts.next_back().unwrap_or(rel);
    let stem = file.split('.').next().unwrap_or(file);
    parts.any(|p| matches!(p, "tests" | "test" | "benches" | "testdata" | "__tests__"))
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || (stem.starts_with("test_") && file.ends_with(".py"))
        || stem == "conftest"
        || file.contains(".test.")
        || file.contains(".spec.")
}

#[cfg(test)]
mod tests {
    use super::definition_line;

    #[test]
    fn definition_skips_attributes_and_docs() {
        let text = "use x;\n/// A store.\n#[derive(Debug)]\npub struct Store {\n    map: M,\n}\n";
        assert_eq!(definition_line(text, 2, 6), "pubstructStore{");
        assert_eq!(definition_line(text, 1, 6), "");
    }

    #[test]
    fn test_paths_are_recognised() {
        assert!(super::is_test_path("tests/e2e/main.rs"));
        assert!(super::is_test_path("crates/x/benches/b.rs"));
        assert!(super::is_test_path("src/net_test.rs"));
        assert!(!super::is_test_path("src/testing_utils.rs"));
        assert!(!super::is_test_path("src/contest/mod.rs"));
        assert!(super::is_test_path("pkg/queue_test.go"));
        assert!(super::is_test_path("rq/test_queue.py"));
        assert!(super::is_test_path("lib/queue.spec.ts"));
        assert!(!super::is_test_path("lib/attest.py"));
    }
}
