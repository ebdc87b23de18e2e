//! `liability baseline` and `liability check`: the CI gate on top of the scanner.
//!
//! Policy: fail closed. Any error — a scan that cannot run, a file whose analysis panicked, an
//! unusable baseline — ends with exit code 2, never 0. Both sides are priced with the
//! structural model (no git history), so the verdict depends on the code alone.
//!
//! `check --base REF` compares with a git revision instead of a baseline file: REF's files are
//! read straight from the object store (no checkout; the work tree and index are untouched;
//! no filters or hooks run), scanned in memory with the same rules, and turned into a baseline
//! in memory. A REF that is not in the clone is an error with the command that fetches it.

use crate::ExitStatus;
use anyhow::{Context, Result, bail};
use clap::Args;
use liability_gate::{Baseline, Thresholds};
use liability_model::{Category, Confidence, Finding, Report, SkipReason};
use liability_scanner::{FileContent, ScanOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where `baseline` writes and `check` reads by default, relative to the scanned path.
pub const DEFAULT_BASELINE: &str = ".liability/baseline.json";

/// What to scan, shared by `baseline` and `check`.
#[derive(Debug, Args)]
pub struct GateScan {
    /// The repository (or folder) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Lowest confidence the gate counts.
    #[arg(long, default_value = "medium", value_parser = parse_confidence, value_name = "low|medium|high")]
    pub min_confidence: Confidence,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Exclude paths matching GLOB (gitignore syntax); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped and listed.
    #[arg(long, default_value_t = liability_scanner::DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    pub max_file_size: u64,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub scan: GateScan,
    /// Where to write the baseline (default: PATH/.liability/baseline.json).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scan: GateScan,
    /// The baseline to compare with (default: PATH/.liability/baseline.json).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Compare with the scan of a git revision (`origin/main`, `HEAD~1`, a tag or sha) instead
    /// of a baseline file; read from the object store, without a checkout.
    #[arg(long, value_name = "REF", conflicts_with = "baseline")]
    pub base: Option<String>,
    /// Do not fail on new findings (only on growth, tolerance and limits).
    #[arg(long)]
    pub allow_new: bool,
    /// Code lines a known finding may grow by before the gate fails (it must also exceed
    /// --grow-ratio).
    #[arg(long, value_name = "LINES")]
    pub grow_lines: Option<u32>,
    /// Share of its size a known finding may grow by before the gate fails.
    #[arg(long, value_name = "RATIO")]
    pub grow_ratio: Option<f64>,
    /// Absolute rise of the total yearly liability tolerated (money).
    #[arg(long, value_name = "AMOUNT")]
    pub tolerance: Option<f64>,
    /// Relative rise of the total yearly liability tolerated (0.05 = 5%).
    #[arg(long, value_name = "RATIO")]
    pub tolerance_ratio: Option<f64>,
    /// A ceiling on one category's yearly liability, e.g. `--limit auth=5000`; repeatable.
    #[arg(long, value_name = "CATEGORY=AMOUNT", value_parser = parse_limit)]
    pub limit: Vec<(Category, f64)>,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    s.parse()
}

fn parse_limit(s: &str) -> Result<(Category, f64), String> {
    let (category, amount) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not CATEGORY=AMOUNT"))?;
    let category: Category = category
        .parse()
        .map_err(|e: liability_model::UnknownCategory| e.to_string())?;
    let amount: f64 = amount
        .parse()
        .map_err(|_| format!("`{amount}` is not an amount"))?;
    if !amount.is_finite() || amount < 0.0 {
        return Err(format!("`{amount}` is not a non-negative amount"));
    }
    Ok((category, amount))
}

/// The gate's scan options and settings: the configuration's, with the command line's
/// overrides. The configuration's ignores, levels and concerns apply to the gate too.
fn gate_settings(scan: &GateScan) -> Result<(ScanOptions, liability_config::Settings)> {
    let mut settings = crate::settings::load(&scan.path, None)?.settings;
    settings.threads = scan.threads;
    settings.max_file_size = scan.max_file_size;
    settings.exclude.extend(scan.exclude.iter().cloned());
    settings.min_confidence = Some(scan.min_confidence);
    let options = crate::settings::scan_options(&settings)?;
    Ok((options, settings))
}

/// Scans and prices structurally; errors and panicked files are fatal.
fn structural_scan(scan: &GateScan) -> Result<Vec<Finding>> {
    let (options, settings) = gate_settings(scan)?;
    let report: Report = liability_scanner::scan(&scan.path, &options)
        .with_context(|| format!("scanning {}", scan.path.display()))?;
    structural_findings(report, &settings)
}

/// Scans the files of git revision `rev` under the scanned path, in memory, with the same
/// rules as the working tree, and prices them structurally.
fn structural_scan_at(scan: &GateScan, rev: &str) -> Result<Vec<Finding>> {
    let (options, settings) = gate_settings(scan)?;
    // Ignore files are needed to select files as the walk does; other names are never read.
    let wanted = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        matches!(name, ".liabilityignore" | ".ignore" | ".gitignore")
            || liability_scanner::frontend::kind_of(Path::new(path)).is_some()
    };
    let tree = liability_history::read_tree_filtered(&scan.path, rev, scan.max_file_size, wanted)
        .map_err(|err| match err {
        liability_history::TreeError::RevisionNotFound { .. } => anyhow::anyhow!("{err}"),
        other => anyhow::anyhow!("reading `{rev}` in {}: {other}", scan.path.display()),
    })?;
    let files = tree
        .into_iter()
        .map(|file| {
            let content = match file.content {
                liability_history::TreeContent::Bytes(bytes) => FileContent::Bytes(bytes),
                liability_history::TreeContent::TooLarge { size } => FileContent::TooLarge(size),
                liability_history::TreeContent::Symlink { target } => FileContent::Symlink(target),
            };
            (file.path, content)
        })
        .collect();
    let report = liability_scanner::scan_files(files, &options)
        .with_context(|| format!("scanning `{rev}`"))?;
    structural_findings(report, &settings)
}

/// Refuses a report with a failed analysis, then prices it with the structural model.
fn structural_findings(
    mut report: Report,
    settings: &liability_config::Settings,
) -> Result<Vec<Finding>> {
    if let Some(bad) = report
        .skipped
        .iter()
        .find(|s| s.reason == SkipReason::InternalError)
    {
        bail!(
            "the analysis of {} failed ({}); the gate cannot vouch for this scan",
            bad.path,
            bad.detail
        );
    }
    if let Some(p) = report.problems.first() {
        bail!(
            "{}:{}: {} ({} configuration problem(s))",
            p.path,
            p.line,
            p.message,
            report.problems.len()
        );
    }
    report
        .findings
        .retain(|f| settings.levels.of(f) != liability_config::Level::Allow);
    let history = liability_cost::NoHistory("the gate prices structure only".to_owned());
    liability_cost::apply(
        &mut report,
        &history,
        &liability_cost::Params::default(),
        None,
    );
    Ok(report.findings)
}

/// The baseline file: `gate.baseline` of the configuration (default `DEFAULT_BASELINE`),
/// relative to the scanned path.
fn default_baseline(path: &Path) -> PathBuf {
    let configured = crate::settings::load(path, None)
        .map(|l| l.settings.baseline)
        .unwrap_or_else(|_| DEFAULT_BASELINE.to_owned());
    path.join(configured)
}

pub fn baseline(args: &BaselineArgs) -> Result<ExitStatus> {
    let findings = structural_scan(&args.scan)?;
    let baseline = Baseline::from_findings(&findings, env!("CARGO_PKG_VERSION"));
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| default_baseline(&args.scan.path));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, baseline.to_json())
        .with_context(|| format!("writing {}", out.display()))?;
    let mut stderr = anstream::stderr();
    let _ = writeln!(
        stderr,
        "wrote {} ({} findings, {:.0} {}/yr)",
        out.display(),
        baseline.totals.findings,
        baseline.totals.yearly_cost,
        liability_cost::Params::default().currency
    );
    Ok(ExitStatus::Success)
}

pub fn check(args: &CheckArgs) -> Result<ExitStatus> {
    let baseline = match &args.base {
        Some(rev) => {
            let base = structural_scan_at(&args.scan, rev)?;
            Baseline::from_findings(&base, env!("CARGO_PKG_VERSION"))
        }
        None => {
            let path = args
                .baseline
                .clone()
                .unwrap_or_else(|| default_baseline(&args.scan.path));
            Baseline::read(&path)?
        }
    };
    let findings = structural_scan(&args.scan)?;
    // `[gate]` of the configuration, then the command line.
    let mut thresholds: Thresholds = crate::settings::load(&args.scan.path, None)?.settings.gate;
    thresholds.fail_on_new &= !args.allow_new;
    thresholds.grow_lines = args.grow_lines.unwrap_or(thresholds.grow_lines);
    thresholds.grow_ratio = args.grow_ratio.unwrap_or(thresholds.grow_ratio);
    thresholds.tolerance_abs = args.tolerance.unwrap_or(thresholds.tolerance_abs);
    thresholds.tolerance_ratio = args.tolerance_ratio.unwrap_or(thresholds.tolerance_ratio);
    thresholds
        .category_limits
        .extend(args.limit.iter().copied());
    let comparison = liability_gate::compare(&baseline, &findings, &thresholds);
    let currency = liability_cost::Params::default().currency;
    let suggest = |f: &Finding| suggestion(f);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(liability_gate::render::text(&comparison, &currency, &suggest).as_bytes())?;
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        stdout.write_all(
            liability_gate::render::github_annotations(&comparison, &suggest).as_bytes(),
        )?;
        if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&summary)
                .with_context(|| {
                    format!(
                        "opening $GITHUB_STEP_SUMMARY ({})",
                        Path::new(&summary).display()
                    )
                })?;
            file.write_all(
                liability_gate::render::markdown(&comparison, &currency, &suggest).as_bytes(),
            )
            .context("writing $GITHUB_STEP_SUMMARY")?;
        }
    }
    stdout.flush()?;
    Ok(if comparison.failed() {
        ExitStatus::GateFailed
    } else {
        ExitStatus::Success
    })
}

/// The replacement advice for a finding: the catalogue's serverless-first service on AWS.
fn suggestion(f: &Finding) -> String {
    liability_reporter::Catalogue::embedded()
        .suggest(f, liability_reporter::Cloud::Aws)
        .one_line()
}
