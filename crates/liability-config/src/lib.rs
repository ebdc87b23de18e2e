//! `liability.toml`: the configuration schema (`Options`), where the file is found, and how it
//! is validated.
//!
//! Every field is optional: an absent key means "the default, unless the command line says
//! otherwise" (precedence: defaults < file < command line; the command line applies it). Unknown
//! keys, wrong types, bad globs, unknown levels or categories are errors that name the file,
//! the line and the key.
//!
//! Discovery reads only inside the repository: from the scanned path upwards, it looks for
//! `liability.toml`, `.liability.toml`, or a `[tool.liability]` table in `pyproject.toml`, and
//! stops at the directory holding `.git` (the work tree's root) — never above it.

use liability_model::Category;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod resolve;
mod template;
pub use resolve::{Levels, Settings};
pub use template::TEMPLATE;

/// The file names looked for, in order of preference within one directory.
pub const FILE_NAMES: &[&str] = &["liability.toml", ".liability.toml", "pyproject.toml"];

/// A rule's or category's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported.
    Warn,
    /// Reported, and `scan` exits 1.
    Deny,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    pub scan: Option<ScanOptions>,
    pub report: Option<ReportOptions>,
    /// Level per category id or rule id.
    pub levels: Option<BTreeMap<String, Level>>,
    pub cost: Option<CostOptions>,
    pub gate: Option<GateOptions>,
    #[serde(default)]
    pub ignore: Vec<IgnoreOptions>,
    #[serde(default)]
    pub concern: Vec<ConcernOptions>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanOptions {
    /// Only paths matching one of these globs are analysed (all when absent).
    pub include: Option<Vec<String>>,
    /// Paths matching these globs are not analysed (gitignore syntax).
    pub exclude: Option<Vec<String>>,
    pub max_file_size: Option<u64>,
    pub follow_links: Option<bool>,
    pub threads: Option<usize>,
    /// Lowest confidence reported: low, medium, high.
    pub min_confidence: Option<String>,
    /// Language on/off by id (`rust = false`).
    pub languages: Option<BTreeMap<String, bool>>,
    /// Read git history for churn and ownership.
    pub history: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportOptions {
    pub format: Option<String>,
    /// Byte budget of the Markdown report (GitHub's job summary takes 1 MiB).
    pub markdown_budget: Option<usize>,
    /// Reports to write, as `-o` takes them: `FORMAT=FILE`, `FILE`, or `-` for stdout.
    pub outputs: Option<Vec<String>>,
    pub cloud: Option<String>,
    pub color: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostOptions {
    pub average_wage: Option<f64>,
    pub overhead: Option<f64>,
    pub currency: Option<String>,
    pub working_hours_per_year: Option<f64>,
    pub window_days: Option<u32>,
    pub maintenance_fraction: Option<f64>,
    /// `organic`, `semi-detached` or `embedded`.
    pub cocomo: Option<String>,
    pub eaf: Option<f64>,
    pub migration_hours_per_line: Option<f64>,
    /// Per-category overrides.
    pub category: Option<BTreeMap<String, CategoryCostOptions>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryCostOptions {
    pub ops_hours_per_year: Option<f64>,
    pub retirable_share: Option<f64>,
    pub migration_base_hours: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateOptions {
    pub baseline: Option<String>,
    pub fail_on_new: Option<bool>,
    pub grow_lines: Option<u32>,
    pub grow_ratio: Option<f64>,
    pub tolerance: Option<f64>,
    pub tolerance_ratio: Option<f64>,
    /// Ceiling on a category's yearly liability.
    pub limits: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreOptions {
    pub path: String,
    pub rule: Option<String>,
    pub category: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcernOptions {
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub imports: Vec<String>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// toml's message already carries the line, column, a snippet and the key.
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: {key}: {message}")]
    Invalid {
        path: String,
        key: String,
        message: String,
    },
}

/// A loaded configuration and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub path: PathBuf,
    pub options: Options,
}

/// Finds the configuration for `start` (a file or folder): the nearest `liability.toml`,
/// `.liability.toml` or `pyproject.toml` with `[tool.liability]`, from `start` up to the
/// enclosing git work tree's root.
pub fn discover(start: &Path) -> Result<Option<Loaded>, ConfigError> {
    let start = if start.is_file() {
        start.parent().unwrap_or(start)
    } else {
        start
    };
    let mut dir = Some(start.to_path_buf());
    let in_repo = start.ancestors().any(|d| d.join(".git").exists());
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file()
                && let Some(options) = load(&candidate)?
            {
                return Ok(Some(Loaded {
                    path: candidate,
                    options,
                }));
            }
        }
        // Outside a repository only the scanned folder itself counts; inside one, stop at
        // the work tree's root.
        if !in_repo || d.join(".git").exists() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Ok(None)
}

/// Loads one file. `pyproject.toml` without `[tool.liability]` gives `None`.
pub fn load(path: &Path) -> Result<Option<Options>, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: shown.clone(),
        source,
    })?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    if is_pyproject {
        #[derive(Deserialize)]
        struct Pyproject {
            tool: Option<Tool>,
        }
        #[derive(Deserialize)]
        struct Tool {
            liability: Option<toml::Value>,
        }
        let py: Pyproject = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let Some(table) = py.tool.and_then(|t| t.liability) else {
            return Ok(None);
        };
        // Re-serialise the table so errors name keys relative to `[tool.liability]`.
        let inner = toml::to_string(&table).map_err(|e| ConfigError::Parse {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        return parse(&inner, &format!("{shown} [tool.liability]")).map(Some);
    }
    parse(&text, &shown).map(Some)
}

/// Parses and validates configuration text; `shown` names it in errors.
pub fn parse(text: &str, shown: &str) -> Result<Options, ConfigError> {
    let options: Options = toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: shown.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })?;
    validate(&options, text, shown)?;
    Ok(options)
}

/// The 1-based line of the first occurrence of `needle` in `text`, for messages.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

fn validate(o: &Options, text: &str, shown: &str) -> Result<(), ConfigError> {
    let invalid = |key: &str, needle: &str, message: String| {
        let line = line_of(text, needle);
        let key = if line > 0 {
            format!("line {line}: {key}")
        } else {
            key.to_owned()
        };
        ConfigError::Invalid {
            path: shown.to_owned(),
            key,
            message,
        }
    };
    let glob = |key: &str, g: &str| {
        globset::Glob::new(g)
            .map(|_| ())
            .map_err(|e| invalid(key, g, format!("bad glob `{g}`: {}", e.kind())))
    };
    if let Some(scan) = &o.scan {
        for g in scan.include.iter().flatten() {
            glob("scan.include", g)?;
        }
        for g in scan.exclude.iter().flatten() {
            glob("scan.exclude", g.trim_start_matches('!'))?;
        }
        if let Some(c) = &scan.min_confidence
            && !matches!(c.as_str(), "low" | "medium" | "high")
        {
            return Err(invalid(
                "scan.min_confidence",
                c,
                format!("`{c}` is not low, medium or high"),
            ));
        }
        for lang in scan.languages.iter().flat_map(BTreeMap::keys) {
            if !KNOWN_LANGUAGES.contains(&lang.as_str()) {
                return Err(invalid(
                    "scan.languages",
                    lang,
                    format!(
                        "unknown language `{lang}` (known: {})",
                        KNOWN_LANGUAGES.join(", ")
                    ),
                ));
            }
        }
    }
    if let Some(report) = &o.report {
        if let Some(f) = &report.format
            && !matches!(f.as_str(), "text" | "json" | "sarif" | "markdown" | "html")
        {
            return Err(invalid("report.format", f, format!("unknown format `{f}`")));
        }
        if let Some(c) = &report.cloud
            && !matches!(c.as_str(), "aws" | "azure" | "gcp")
        {
            return Err(invalid(
                "report.cloud",
                c,
                format!("unknown cloud `{c}` (aws, azure or gcp)"),
            ));
        }
        if let Some(c) = &report.color
            && !matches!(c.as_str(), "auto" | "always" | "never")
        {
            return Err(invalid(
                "report.color",
                c,
                format!("`{c}` is not auto, always or never"),
            ));
        }
    }
    for key in o.levels.iter().flat_map(BTreeMap::keys) {
        if key.parse::<Category>().is_err() && liability_scanner::rules::by_id(key).is_none() {
            return Err(invalid(
                "levels",
                key,
                format!("`{key}` is neither a category nor a rule id"),
            ));
        }
    }
    if let Some(cost) = &o.cost {
        if let Some(m) = &cost.cocomo
            && !matches!(m.as_str(), "organic" | "semi-detached" | "embedded")
        {
            return Err(invalid(
                "cost.cocomo",
                m,
                format!("`{m}` is not organic, semi-detached or embedded"),
            ));
        }
        let positive = [
            ("cost.average_wage", cost.average_wage),
            ("cost.overhead", cost.overhead),
            ("cost.working_hours_per_year", cost.working_hours_per_year),
            ("cost.eaf", cost.eaf),
        ];
        for (key, value) in positive {
            if let Some(v) = value
                && !(v.is_finite() && v > 0.0)
            {
                let field = key.rsplit('.').next().unwrap_or(key);
                return Err(invalid(
                    key,
                    field,
                    format!("must be a positive number, not {v}"),
                ));
            }
        }
        for (name, c) in cost.category.iter().flatten() {
            if name.parse::<Category>().is_err() {
                return Err(invalid(
                    "cost.category",
                    name,
                    format!("unknown category `{name}`"),
                ));
            }
            if let Some(s) = c.retirable_share
                && !(0.0..=1.0).contains(&s)
            {
                return Err(invalid(
                    "retirable_share",
                    "retirable_share",
                    format!("must be between 0 and 1, not {s}"),
                ));
            }
        }
    }
    if let Some(gate) = &o.gate {
        for name in gate.limits.iter().flat_map(BTreeMap::keys) {
            if name.parse::<Category>().is_err() {
                return Err(invalid(
                    "gate.limits",
                    name,
                    format!("unknown category `{name}`"),
                ));
            }
        }
    }
    for (i, ig) in o.ignore.iter().enumerate() {
        let key = format!("ignore[{i}]");
        glob(&key, &ig.path)?;
        if ig.reason.trim().is_empty() {
            return Err(invalid(
                &key,
                &ig.path,
                "a suppression needs a reason".into(),
            ));
        }
        if let Some(c) = &ig.category
            && c.parse::<Category>().is_err()
        {
            return Err(invalid(&key, c, format!("unknown category `{c}`")));
        }
        if let Some(r) = &ig.rule
            && liability_scanner::rules::by_id(r).is_none()
        {
            return Err(invalid(
                &key,
                r,
                format!("unknown rule `{r}` (`liability rules` lists them)"),
            ));
        }
        if ig.rule.is_some() && ig.category.is_some() {
            return Err(invalid(
                &key,
                &ig.path,
                "give `rule` or `category`, not both".into(),
            ));
        }
    }
    for (i, c) in o.concern.iter().enumerate() {
        let key = format!("concern[{i}]");
        if c.category.parse::<Category>().is_err() {
            return Err(invalid(
                &key,
                &c.category,
                format!("unknown category `{}`", c.category),
            ));
        }
        for g in &c.paths {
            glob(&key, g)?;
        }
        if c.paths.is_empty() && c.modules.is_empty() && c.imports.is_empty() {
            return Err(invalid(
                &key,
                &c.name,
                "a concern needs paths, modules or imports".into(),
            ));
        }
    }
    Ok(())
}

/// Language ids the scanner knows or will know; a file may switch them off.
pub const KNOWN_LANGUAGES: &[&str] = &["go", "javascript", "python", "rust", "typescript"];

#[cfg(test)]
mod tests;
