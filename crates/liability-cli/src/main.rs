//! The `liability` command: parses arguments, runs the scanner, renders with the reporter.
//!
//! Policy: exit codes are decided in one place (`ExitStatus`): 0 success, 1 a failed gate
//! (`check`), 2 any error — a bad path, an unwritable output, a bad argument (clap exits 2 by
//! itself). Errors are printed as one context chain (`{:#}`), never as a debug dump; a broken
//! pipe on stdout (`liability scan | head`) is not an error.

mod args;
mod gate;
mod settings;

use anyhow::{Context, Result, bail};
use args::{Cli, Command, OutputFormat, OutputTarget, ScanArgs};
use clap::Parser;
use liability_model::Confidence;
use liability_reporter::{Format, NextFormat, RenderOptions};
use liability_scanner::Progress;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// mimalloc instead of the system allocator: parsing allocates and frees millions of small
/// nodes per second, and glibc's malloc/free were a quarter of the scan's cycles (perf, see
/// bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How the process ends.
pub(crate) enum ExitStatus {
    Success,
    /// The CI gate failed: liability rose.
    GateFailed,
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::GateFailed => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitStatus::Success.into();
            }
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "error: {err:#}");
            ExitStatus::Error.into()
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        Command::Scan(args) => scan(&args, false),
        Command::Next(args) => scan(&args, true),
        Command::Baseline(args) => gate::baseline(&args),
        Command::Check(args) => gate::check(&args),
        Command::Init { path, force } => {
            let file = path.join("liability.toml");
            if file.exists() && !force {
                anyhow::bail!("{} exists; pass --force to overwrite it", file.display());
            }
            std::fs::write(&file, liability_config::TEMPLATE)
                .with_context(|| format!("writing {}", file.display()))?;
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "wrote {}", file.display());
            Ok(ExitStatus::Success)
        }
        Command::Rules => {
            let mut out = std::io::stdout().lock();
            for rule in liability_scanner::rules::ALL {
                writeln!(
                    out,
                    "{:<32} {:<16} {}",
                    rule.id,
                    rule.category.id(),
                    rule.summary
                )?;
            }
            Ok(ExitStatus::Success)
        }
        Command::Rule { id } => {
            let rule = liability_scanner::rules::by_id(&id)
                .with_context(|| format!("no rule `{id}`; `liability rules` lists them"))?;
            let mut out = std::io::stdout().lock();
            write!(out, "{}", liability_scanner::rules::docs::page(rule))?;
            Ok(ExitStatus::Success)
        }
    }
}

fn scan(args: &ScanArgs, next: bool) -> Result<ExitStatus> {
    let loaded = settings::load(&args.path, args.config.as_deref())?;
    let mut file = loaded.settings;
    // The command line overrides the file.
    file.include.extend(args.include.iter().cloned());
    file.exclude.extend(args.exclude.iter().cloned());
    file.threads = args.threads.unwrap_or(file.threads);
    file.max_file_size = args.max_file_size.unwrap_or(file.max_file_size);
    file.follow_links |= args.follow_links;
    file.history &= !args.no_history;
    if args.min_confidence.is_some() {
        file.min_confidence = args.min_confidence;
    }
    let params = cost_params(args, file.cost.clone());
    let mut options = settings::scan_options(&file)?;
    options.prepass = !args.no_prepass;
    let progress = Progress::default();
    let mut report = with_progress(&progress, || {
        liability_scanner::scan_with_progress(&args.path, &options, &progress)
    })
    .with_context(|| format!("scanning {}", args.path.display()))?;
    if !report.problems.is_empty() {
        let mut stderr = anstream::stderr();
        for p in &report.problems {
            let _ = writeln!(stderr, "error: {}:{}: {}", p.path, p.line, p.message);
        }
        anyhow::bail!(
            "{} configuration problem(s) in the scanned files",
            report.problems.len()
        );
    }
    // Levels: `allow` drops a finding; `deny` makes the scan fail.
    report
        .findings
        .retain(|f| file.levels.of(f) != liability_config::Level::Allow);
    let denied = report
        .findings
        .iter()
        .filter(|f| file.levels.of(f) == liability_config::Level::Deny)
        .count();
    let history = read_history(args, &params, file.history, file.threads);
    let note = history.note();
    liability_cost::apply(&mut report, &history, &params, note);
    if let Some(selector) = &args.explain_cost {
        return explain_cost(&report, selector, &history, &params);
    }
    let format_choice = args
        .format
        .or_else(|| {
            file.format
                .as_deref()
                .and_then(|f| <OutputFormat as clap::ValueEnum>::from_str(f, true).ok())
        })
        .unwrap_or(OutputFormat::Text);
    let cloud_choice = args
        .cloud
        .or_else(|| {
            file.cloud
                .as_deref()
                .and_then(|c| <args::CloudChoice as clap::ValueEnum>::from_str(c, true).ok())
        })
        .unwrap_or(args::CloudChoice::Aws);
    let color_choice = args
        .color
        .or_else(|| {
            file.color
                .as_deref()
                .and_then(|c| <args::ColorChoice as clap::ValueEnum>::from_str(c, true).ok())
        })
        .unwrap_or(args::ColorChoice::Auto);
    let outputs = if args.output.is_empty() {
        file.outputs
            .iter()
            .map(|o| args::parse_output(o).map_err(|e| anyhow::anyhow!("report.outputs: {e}")))
            .collect::<Result<Vec<_>>>()?
    } else {
        args.output.clone()
    };
    let choices = OutputChoices {
        outputs,
        format: format_choice,
        cloud: cloud_choice,
        color: color_choice,
        markdown_budget: args
            .markdown_budget
            .or(file.markdown_budget)
            .unwrap_or(liability_reporter::DEFAULT_MARKDOWN_BUDGET),
    };
    let status = scan_output(args, next, &report, &choices)?;
    if denied > 0 && matches!(status, ExitStatus::Success) {
        let mut stderr = anstream::stderr();
        let _ = writeln!(stderr, "{denied} finding(s) at level `deny`");
        return Ok(ExitStatus::GateFailed);
    }
    Ok(status)
}

/// The output settings after the configuration and the command line are combined.
struct OutputChoices {
    /// Where the reports go: `-o`, else `report.outputs` of the configuration, else stdout.
    outputs: Vec<OutputTarget>,
    format: OutputFormat,
    cloud: args::CloudChoice,
    color: args::ColorChoice,
    markdown_budget: usize,
}

fn scan_output(
    args: &ScanArgs,
    next: bool,
    report: &liability_model::Report,
    choices: &OutputChoices,
) -> Result<ExitStatus> {
    let (format_choice, cloud_choice, color_choice, markdown_budget) = (
        choices.format,
        choices.cloud,
        choices.color,
        choices.markdown_budget,
    );
    let to_stdout = choices.outputs.is_empty() || choices.outputs.iter().any(|o| o.path.is_none());
    let to_terminal = to_stdout && std::io::stdout().is_terminal();
    let color = match color_choice {
        args::ColorChoice::Always => true,
        args::ColorChoice::Never => false,
        args::ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut render_options =
        RenderOptions::new(args.path.display().to_string(), env!("CARGO_PKG_VERSION"));
    render_options.color = color;
    render_options.min_confidence = args.min_confidence.unwrap_or(Confidence::Medium);
    render_options.cloud = cloud_choice.reporter();
    render_options.width = terminal_width();
    render_options.markdown_budget = markdown_budget;
    render_options.rules = rule_metas();

    if next {
        let format = match format_choice {
            OutputFormat::Text => NextFormat::Text,
            OutputFormat::Json => NextFormat::Json,
            OutputFormat::Markdown => NextFormat::Markdown,
            other => bail!(
                "`liability next` prints text, json or markdown, not {}",
                other.reporter().id()
            ),
        };
        let mut buffer = Vec::new();
        liability_reporter::render_next(report, format, &render_options, &mut buffer)
            .context("rendering the next best action")?;
        return emit(
            &buffer,
            choices.outputs.first().and_then(|o| o.path.as_deref()),
        );
    }

    // Every requested output; a plain `-o FILE` (or none) takes `--format`.
    let targets: Vec<OutputTarget> = if choices.outputs.is_empty() {
        vec![OutputTarget {
            format: None,
            path: None,
        }]
    } else {
        choices.outputs.clone()
    };
    for target in &targets {
        let format = target.format.unwrap_or(format_choice).reporter();
        let mut options = render_options.clone();
        // Colour only ever goes to the terminal.
        options.color = render_options.color && target.path.is_none() && format == Format::Text;
        let mut buffer = Vec::new();
        liability_reporter::render(report, format, &options, &mut buffer)
            .with_context(|| format!("rendering the {} report", format.id()))?;
        emit(&buffer, target.path.as_deref())?;
    }
    Ok(ExitStatus::Success)
}

/// Writes `bytes` to `path`, or to standard output when `path` is `None`.
fn emit(bytes: &[u8], path: Option<&std::path::Path>) -> Result<ExitStatus> {
    match path {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes).context("writing to stdout")?;
            stdout.flush().context("writing to stdout")?;
        }
    }
    Ok(ExitStatus::Success)
}

/// The repository's history as the cost model sees it: per-file figures, or why there are none.
enum HistoryFigures {
    Read {
        history: liability_history::History,
        window_days: u32,
        active_days: u32,
    },
    Unavailable(String),
}

impl HistoryFigures {
    /// A line for the report when figures are missing or partial.
    fn note(&self) -> Option<String> {
        match self {
            HistoryFigures::Read { history, .. } => history.partial.clone(),
            HistoryFigures::Unavailable(reason) => Some(reason.clone()),
        }
    }
}

impl liability_cost::HistorySource for HistoryFigures {
    fn file(&self, path: &str) -> Result<liability_model::HistoryFigures, String> {
        let (history, window_days, active_days) = match self {
            HistoryFigures::Read {
                history,
                window_days,
                active_days,
            } => (history, *window_days, *active_days),
            HistoryFigures::Unavailable(reason) => return Err(reason.clone()),
        };
        let Some(f) = history.files.get(path) else {
            return Err("the file is not in the committed history".to_owned());
        };
        let top_active = f.authors.first().is_some_and(|(email, _)| {
            history
                .authors
                .get(email)
                .is_some_and(|a| history.now - a.last_commit <= i64::from(active_days) * 86_400)
        });
        Ok(liability_model::HistoryFigures {
            window_days,
            commits: f.commits_in_window,
            lines_added: f.lines_added,
            lines_removed: f.lines_removed,
            authors: u32::try_from(f.authors.len()).unwrap_or(u32::MAX),
            top_author_share: f.top_author_share,
            top_author_active: top_active,
            first_change: f.first_change,
            last_change: f.last_change,
        })
    }
}

/// Reads git history in-process (gix; nothing the repository configures runs), unless
/// disabled. A repository without usable history degrades to figures marked unavailable.
fn read_history(
    args: &ScanArgs,
    params: &liability_cost::Params,
    enabled: bool,
    threads: usize,
) -> HistoryFigures {
    if !enabled {
        let why = if args.no_history {
            "--no-history"
        } else {
            "scan.history = false"
        };
        return HistoryFigures::Unavailable(format!("history disabled ({why})"));
    }
    let options = liability_history::HistoryOptions {
        window_days: params.window_days,
        threads: (threads > 0).then_some(threads),
        ..liability_history::HistoryOptions::default()
    };
    match liability_history::read_history(&args.path, &options) {
        Ok(history) => HistoryFigures::Read {
            history,
            window_days: params.window_days,
            active_days: params.active_days,
        },
        Err(unavailable) => {
            HistoryFigures::Unavailable(format!("history unavailable: {unavailable}"))
        }
    }
}

/// The text format's width: `COLUMNS` when it is a sensible number, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| (40..=1000).contains(&w))
        .unwrap_or(100)
}

/// The rule registry as the reporter sees it (for SARIF rule descriptors).
fn rule_metas() -> Vec<liability_reporter::RuleMeta> {
    liability_scanner::rules::ALL
        .iter()
        .map(|rule| liability_reporter::RuleMeta {
            id: rule.id,
            category: rule.category,
            summary: rule.summary,
            doc: liability_scanner::rules::docs::page(rule),
        })
        .collect()
}

/// The cost parameters: the file's, with the command line's overrides.
fn cost_params(args: &ScanArgs, mut params: liability_cost::Params) -> liability_cost::Params {
    params.window_days = args.window_days.unwrap_or(params.window_days);
    params.average_wage = args.avg_wage.unwrap_or(params.average_wage);
    params.overhead = args.overhead.unwrap_or(params.overhead);
    if let Some(currency) = &args.currency {
        params.currency.clone_from(currency);
    }
    params
}

/// Prints the derivation of one finding's liability.
fn explain_cost(
    report: &liability_model::Report,
    selector: &str,
    history: &dyn liability_cost::HistorySource,
    params: &liability_cost::Params,
) -> Result<ExitStatus> {
    let finding = if let Ok(n) = selector.parse::<usize>() {
        n.checked_sub(1).and_then(|i| report.findings.get(i))
    } else {
        let (path, line) = selector
            .rsplit_once(':')
            .and_then(|(p, l)| Some((p, l.parse::<u32>().ok()?)))
            .with_context(|| {
                format!("--explain-cost takes PATH:LINE or a number, not `{selector}`")
            })?;
        report
            .findings
            .iter()
            .find(|f| f.path == path && f.span.contains(line))
    }
    .with_context(|| {
        format!(
            "no finding matches `{selector}` ({} findings in the report)",
            report.findings.len()
        )
    })?;
    let derivation = liability_cost::derive(
        &liability_cost::inputs_of(finding, history),
        report.code_lines(),
        params,
    );
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} [{}] {}:{}-{} {} ({} code lines)",
        finding.category,
        finding.rule,
        finding.path,
        finding.span.start,
        finding.span.end,
        finding.component,
        finding.code_lines
    )?;
    for step in &derivation.steps {
        writeln!(out, "  {step}")?;
    }
    writeln!(
        out,
        "  (all money in {}; rate {:.2}/h)",
        params.currency,
        params.hourly_rate()
    )?;
    Ok(ExitStatus::Success)
}

/// Runs `work`, drawing a progress bar on stderr when it is a terminal and the work takes more
/// than a moment.
fn with_progress<T>(progress: &Progress, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let start = std::time::Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if start.elapsed() < Duration::from_millis(700) {
                    continue;
                }
                let total = progress.files_total.load(Ordering::Relaxed);
                let bar = bar.get_or_insert_with(|| {
                    let b = indicatif::ProgressBar::new(total);
                    b.set_style(
                        indicatif::ProgressStyle::with_template(
                            "{spinner} scanning {pos}/{len} files {wide_bar} {eta}",
                        )
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    b
                });
                bar.set_length(total);
                bar.set_position(progress.files_done.load(Ordering::Relaxed));
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        });
        let result = work();
        done.store(true, Ordering::Relaxed);
        result
    })
}
