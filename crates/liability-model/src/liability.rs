//! The price of a finding: its size, complexity and history, and what owning it costs.
//!
//! Plain data; the formulas live in the `liability-cost` crate and `docs/liability-model.md`.

/// A low–central–high range (hours or money).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    pub low: f64,
    pub central: f64,
    pub high: f64,
}

impl Range {
    /// Adds two ranges bound by bound.
    #[must_use]
    pub fn plus(self, other: Range) -> Range {
        Range {
            low: self.low + other.low,
            central: self.central + other.central,
            high: self.high + other.high,
        }
    }

    /// Multiplies every bound by `k`.
    #[must_use]
    pub fn scale(self, k: f64) -> Range {
        Range {
            low: self.low * k,
            central: self.central * k,
            high: self.high * k,
        }
    }
}

/// Size and complexity of the code a finding spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Complexity {
    pub functions: u32,
    pub cyclomatic_sum: u32,
    pub cyclomatic_max: u32,
    pub cognitive_sum: u32,
    pub cognitive_max: u32,
    /// For a framework: how many modules or crates depend on it (fan-in), 0 otherwise.
    pub dependents: u32,
    /// For a framework: code lines of the files that depend on it, 0 otherwise.
    pub dependent_code_lines: u32,
}

/// What git history says about the files of a finding, within the history window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryFigures {
    pub window_days: u32,
    pub commits: u32,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub authors: u32,
    /// Share of the window's commits made by the most active author (0–1).
    pub top_author_share: f64,
    /// Whether the most active author committed anywhere in the repository in the last
    /// `active_days` (see the parameters).
    pub top_author_active: bool,
    /// Unix seconds of the oldest and newest change to the files, over all history.
    pub first_change: i64,
    pub last_change: i64,
}

/// The multipliers the model applied, kept so that a reader can reproduce the figures.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Factors {
    pub churn: f64,
    pub complexity: f64,
    pub concentration: f64,
}

/// The price of one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Liability {
    pub complexity: Complexity,
    /// `Err(reason)` when history is unavailable (not a git repository, shallow, ...).
    pub history: Result<HistoryFigures, String>,
    /// What it would take to write it again (COCOMO share), in money and hours.
    pub build_cost: f64,
    pub build_hours: f64,
    pub factors: Factors,
    /// The per-category operations and security load, hours a year.
    pub ops_hours: f64,
    /// What owning it costs every year.
    pub yearly_hours: Range,
    pub yearly_cost: Range,
    /// The share of the yearly cost the suggested replacement removes, and that amount.
    pub retirable_share: f64,
    pub retirable_yearly_cost: f64,
    /// The effort to migrate to the replacement.
    pub migration_hours: f64,
    /// Konveyor-style story points: 1, 3, 5, 7 or 13.
    pub migration_points: u8,
}

/// The repository as a whole.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RepoLiability {
    pub code_lines: u64,
    /// COCOMO basic effort for every code line of the repository, person-months.
    pub build_effort_months: f64,
    pub build_cost: f64,
    /// Sum over reported findings.
    pub yearly_hours: Range,
    pub yearly_cost: Range,
    pub retirable_yearly_cost: f64,
    pub currency: String,
    pub hourly_rate: f64,
    /// Why history figures are missing or partial, if they are.
    pub history_note: Option<String>,
}
