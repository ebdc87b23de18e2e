//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use liability_model::Confidence;
use std::path::PathBuf;

/// Finds the code a team should not own — home-grown HTTP servers, queues, schedulers, retry
/// loops, caches, frameworks — and says which managed service replaces it.
#[derive(Debug, Parser)]
#[command(name = "liability", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a repository and report home-grown infrastructure.
    Scan(ScanArgs),
    /// Scan, then print only the next best action: the finding whose replacement retires the
    /// most yearly cost per migration hour (`--format text|json|markdown`).
    Next(ScanArgs),
    /// Write a baseline of the current findings for `check` (the CI gate).
    Baseline(crate::gate::BaselineArgs),
    /// Compare the current scan with a baseline; exit 1 when liability rose.
    Check(crate::gate::CheckArgs),
    /// List every rule: id, category and summary.
    Rules,
    /// Print the documentation of one rule.
    /// Write a fully commented `liability.toml` with every key and its default.
    Init {
        /// The folder to write it in.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    Rule {
        /// The rule id, e.g. `hand-rolled-retry-loop`.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The repository (or folder) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The configuration file (default: `liability.toml`, `.liability.toml` or
    /// `pyproject.toml` `[tool.liability]`, from PATH up to the repository root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only analyse paths matching GLOB; repeatable (adds to `scan.include`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Output format (of standard output and of a plain `-o FILE`).
    #[arg(long, short, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write the report to FILE instead of standard output. Repeatable, with a format prefix,
    /// to write several formats from one scan: `-o sarif=liability.sarif -o html=report.html`.
    /// A plain FILE uses `--format`; `-` is standard output.
    #[arg(long, short, value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    pub output: Vec<OutputTarget>,
    /// The cloud whose managed services are suggested.
    #[arg(long, value_enum)]
    pub cloud: Option<CloudChoice>,
    /// The most bytes the Markdown report writes (GitHub's step summary takes 1 MiB).
    #[arg(long, value_name = "BYTES")]
    pub markdown_budget: Option<usize>,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Lowest confidence reported. Default: text shows medium and up, JSON shows all.
    #[arg(long, value_parser = parse_confidence, value_name = "low|medium|high")]
    pub min_confidence: Option<Confidence>,
    /// Files larger than this many bytes are skipped and listed.
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Follow symbolic links (loops are detected and listed).
    #[arg(long)]
    pub follow_links: bool,
    /// Exclude paths matching GLOB (gitignore syntax); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// When to colour text output.
    #[arg(long, value_enum)]
    pub color: Option<ColorChoice>,
    /// Print how the liability of one finding was computed, instead of the report. SELECTOR is
    /// `PATH:LINE` (a line inside the finding) or the finding's 1-based position in the report.
    #[arg(long, value_name = "SELECTOR")]
    pub explain_cost: Option<String>,
    /// Do not read git history (churn and ownership figures become unavailable).
    #[arg(long)]
    pub no_history: bool,
    /// Fully parse every file and run every rule on it, without the lexical pre-pass that
    /// skips what no rule can use. The report is the same; this is for checking that.
    #[arg(long, hide = true)]
    pub no_prepass: bool,
    /// History window in days for churn and ownership.
    #[arg(long, value_name = "DAYS")]
    pub window_days: Option<u32>,
    /// Average yearly wage used by the cost model (scc's default).
    #[arg(long, value_name = "AMOUNT")]
    pub avg_wage: Option<f64>,
    /// Overhead multiplier on wages (scc's default).
    #[arg(long, value_name = "FACTOR")]
    pub overhead: Option<f64>,
    /// Currency code shown with money figures.
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
    Markdown,
    Html,
}

impl OutputFormat {
    pub fn reporter(self) -> liability_reporter::Format {
        match self {
            OutputFormat::Text => liability_reporter::Format::Text,
            OutputFormat::Json => liability_reporter::Format::Json,
            OutputFormat::Sarif => liability_reporter::Format::Sarif,
            OutputFormat::Markdown => liability_reporter::Format::Markdown,
            OutputFormat::Html => liability_reporter::Format::Html,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CloudChoice {
    Aws,
    Azure,
    Gcp,
}

impl CloudChoice {
    pub fn reporter(self) -> liability_reporter::Cloud {
        match self {
            CloudChoice::Aws => liability_reporter::Cloud::Aws,
            CloudChoice::Azure => liability_reporter::Cloud::Azure,
            CloudChoice::Gcp => liability_reporter::Cloud::Gcp,
        }
    }
}

/// One `-o` value: a file (or `-` for standard output) and, if given, its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    /// `None`: the `--format` format.
    pub format: Option<OutputFormat>,
    /// `None`: standard output.
    pub path: Option<PathBuf>,
}

/// `FORMAT=FILE` when the text before the first `=` is a format name, else a plain `FILE`
/// (write `./json=x` for a file really named `json=x`).
pub fn parse_output(s: &str) -> Result<OutputTarget, String> {
    let (format, file) = match s.split_once('=') {
        Some((name, file)) => match OutputFormat::from_str(name, true) {
            Ok(format) => (Some(format), file),
            Err(_) => (None, s),
        },
        None => (None, s),
    };
    if file.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok(OutputTarget {
        format,
        path: (file != "-").then(|| PathBuf::from(file)),
    })
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    s.parse()
}
