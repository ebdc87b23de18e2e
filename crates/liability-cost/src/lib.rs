//! The liability model: what a finding would cost to build again, what it costs to own every
//! year, how much of that its replacement retires, and what the migration takes.
//!
//! Every formula is in `docs/liability-model.md` with a worked example; every constant is a
//! field of `Params` with its source or rationale. The functions here are pure: same inputs,
//! same figures, no I/O.

mod cocomo;
mod params;

pub use cocomo::{Cocomo, RepoBuild};
pub use params::{CategoryParams, Params};

use liability_model::{
    Category, Complexity, Factors, HistoryFigures, Liability, Range, RepoLiability,
};

/// What the model needs to price one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub category: Category,
    /// The concrete server or protocol found, if the rule named one (prices self-managed
    /// servers by their kind).
    pub subject: Option<String>,
    pub code_lines: u32,
    pub complexity: Complexity,
    /// Code lines of the files the history figures describe (churn is relative to them).
    pub history_code_lines: u32,
    pub history: Result<HistoryFigures, String>,
}

/// Prices one finding, given the repository's total code lines.
pub fn price(inputs: &Inputs, repo_code_lines: u64, params: &Params) -> Liability {
    let derivation = derive(inputs, repo_code_lines, params);
    derivation.liability
}

/// A priced finding with the steps that produced it, for `--explain-cost`.
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    pub liability: Liability,
    /// One line per step: the formula with the numbers put in.
    pub steps: Vec<String>,
}

/// Prices one finding and records each step.
pub fn derive(inputs: &Inputs, repo_code_lines: u64, params: &Params) -> Derivation {
    let mut steps = Vec::new();
    let repo = params.cocomo.build(repo_code_lines, params);
    let share = if repo_code_lines == 0 {
        0.0
    } else {
        f64::from(inputs.code_lines) / repo_code_lines as f64
    };
    let build_cost = repo.cost * share;
    let rate = params.hourly_rate();
    let build_hours = build_cost / rate;
    steps.push(format!(
        "repository build cost = {a} × ({kloc:.3} KLOC)^{b} × EAF {eaf} = {pm:.2} person-months × {wage}/12 × overhead {oh} = {cost:.0}",
        a = params.cocomo.a,
        b = params.cocomo.b,
        kloc = repo_code_lines as f64 / 1000.0,
        eaf = params.cocomo.eaf,
        pm = repo.effort_months,
        wage = params.average_wage,
        oh = params.overhead,
        cost = repo.cost,
    ));
    steps.push(format!(
        "build cost = {cost:.0} × {lines}/{total} lines = {build_cost:.0} ({build_hours:.1} h at {rate:.2}/h)",
        cost = repo.cost,
        lines = inputs.code_lines,
        total = repo_code_lines,
    ));
    let base = params.maintenance_fraction * build_hours;
    steps.push(format!(
        "base upkeep = {} × {build_hours:.1} h = {base:.1} h/year",
        params.maintenance_fraction
    ));

    let complexity = complexity_factor(inputs, params);
    steps.push(format!(
        "complexity factor = clamp(({} cyclomatic / {} lines) / {}, {}, {}) = {complexity:.3}",
        inputs.complexity.cyclomatic_sum,
        inputs.code_lines,
        params.reference_decision_density,
        params.complexity_min,
        params.complexity_max,
    ));
    let (churn, concentration) = match &inputs.history {
        Ok(h) => {
            let changed = h.lines_added + h.lines_removed;
            let ratio = if inputs.history_code_lines == 0 {
                0.0
            } else {
                changed as f64 / f64::from(inputs.history_code_lines)
            };
            let churn = 1.0 + params.churn_weight * ratio.min(params.churn_cap);
            steps.push(format!(
                "churn factor = 1 + {} × min({changed} changed / {} lines, {}) = {churn:.3}",
                params.churn_weight, inputs.history_code_lines, params.churn_cap
            ));
            let excess = ((h.top_author_share - 0.5) / 0.5).clamp(0.0, 1.0);
            let inactive = if h.top_author_active {
                0.0
            } else {
                params.inactive_author_penalty
            };
            let concentration = 1.0 + params.concentration_weight * excess + inactive;
            steps.push(format!(
                "concentration factor = 1 + {} × {excess:.3} (top author {:.0}% of commits){} = {concentration:.3}",
                params.concentration_weight,
                h.top_author_share * 100.0,
                if h.top_author_active { String::new() } else { format!(" + {} (top author inactive)", params.inactive_author_penalty) }
            ));
            (churn, concentration)
        }
        Err(reason) => {
            steps.push(format!(
                "churn and concentration factors = 1 (history unavailable: {reason})"
            ));
            (1.0, 1.0)
        }
    };
    let coupling = coupling_factor(inputs, params);
    let dependents = inputs.complexity.dependent_code_lines;
    if dependents > 0 {
        steps.push(format!(
            "coupling factor = 1 + {} × min({dependents} dependent lines / {} lines, {}) = {coupling:.3}",
            params.coupling_weight, inputs.code_lines, params.coupling_cap
        ));
    }
    let cat = params.category(inputs.category);
    let ops = params.ops_hours(inputs.category, inputs.subject.as_deref());
    let central_hours = base * churn * complexity * concentration * coupling + ops;
    let load_of = match inputs
        .subject
        .as_deref()
        .and_then(liability_model::ServerClass::of_subject)
    {
        Some(class) if inputs.category == Category::SelfManagedInfra => {
            format!(
                "{} server, {}",
                class.id(),
                inputs.subject.as_deref().unwrap_or_default()
            )
        }
        _ => inputs.category.id().to_owned(),
    };
    steps.push(format!(
        "yearly hours = {base:.1} × {churn:.3} × {complexity:.3} × {concentration:.3}{} + {ops} h operations/security load ({load_of}) = {central_hours:.1} h",
        if dependents > 0 { format!(" × {coupling:.3}") } else { String::new() },
    ));
    let (low_k, high_k) = if inputs.history.is_ok() {
        params.range_with_history
    } else {
        params.range_without_history
    };
    let yearly_hours = Range {
        low: central_hours * low_k,
        central: central_hours,
        high: central_hours * high_k,
    };
    let yearly_cost = yearly_hours.scale(rate);
    steps.push(format!(
        "yearly cost = {:.0} (range {:.0}–{:.0}, ×{low_k}/×{high_k})",
        yearly_cost.central, yearly_cost.low, yearly_cost.high
    ));
    let retirable = cat.retirable_share * yearly_cost.central;
    steps.push(format!(
        "retirable = {} × {:.0} = {retirable:.0} a year",
        cat.retirable_share, yearly_cost.central
    ));
    let migration_hours = cat.migration_base_hours
        + params.migration_hours_per_line * f64::from(inputs.code_lines)
        + params.migration_hours_per_dependent_line * f64::from(dependents);
    let points = story_points(migration_hours);
    steps.push(format!(
        "migration = {} h + {} h × {} lines + {} h × {dependents} dependent lines = {migration_hours:.1} h ({points} points)",
        cat.migration_base_hours,
        params.migration_hours_per_line,
        inputs.code_lines,
        params.migration_hours_per_dependent_line
    ));
    Derivation {
        liability: Liability {
            complexity: inputs.complexity,
            history: inputs.history.clone(),
            build_cost,
            build_hours,
            factors: Factors {
                churn,
                complexity,
                concentration,
            },
            ops_hours: ops,
            yearly_hours,
            yearly_cost,
            retirable_share: cat.retirable_share,
            retirable_yearly_cost: retirable,
            migration_hours,
            migration_points: points,
        },
        steps,
    }
}

/// More decisions per line than the reference raise upkeep; fewer lower it, within bounds.
fn complexity_factor(inputs: &Inputs, params: &Params) -> f64 {
    if inputs.code_lines == 0 || inputs.complexity.functions == 0 {
        return 1.0;
    }
    let density = f64::from(inputs.complexity.cyclomatic_sum) / f64::from(inputs.code_lines);
    (density / params.reference_decision_density)
        .clamp(params.complexity_min, params.complexity_max)
}

/// Code that depends on a framework raises its upkeep; 1 for every other finding.
fn coupling_factor(inputs: &Inputs, params: &Params) -> f64 {
    let dependents = f64::from(inputs.complexity.dependent_code_lines);
    if dependents == 0.0 {
        return 1.0;
    }
    let ratio = dependents / f64::from(inputs.code_lines.max(1));
    1.0 + params.coupling_weight * ratio.min(params.coupling_cap)
}

/// Konveyor's effort scale: 1, 3, 5, 7, 13 story points.
pub fn story_points(hours: f64) -> u8 {
    match hours {
        h if h <= 4.0 => 1,
        h if h <= 16.0 => 3,
        h if h <= 40.0 => 5,
        h if h <= 80.0 => 7,
        _ => 13,
    }
}

/// Where the model gets a file's history figures from.
pub trait HistorySource {
    /// The figures of the file at `path` (relative to the scanned root), or why there are none.
    fn file(&self, path: &str) -> Result<HistoryFigures, String>;
}

/// No history at all, with the reason (not a git repository, history disabled, ...).
#[derive(Debug, Clone)]
pub struct NoHistory(pub String);

impl HistorySource for NoHistory {
    fn file(&self, _path: &str) -> Result<HistoryFigures, String> {
        Err(self.0.clone())
    }
}

/// The model's inputs for a finding.
pub fn inputs_of(finding: &liability_model::Finding, history: &dyn HistorySource) -> Inputs {
    Inputs {
        category: finding.category,
        subject: finding.subject.clone(),
        code_lines: finding.code_lines,
        complexity: finding.complexity,
        history_code_lines: finding.file_code_lines,
        history: history.file(&finding.path),
    }
}

/// Prices every finding of `report` and sets the repository totals.
pub fn apply(
    report: &mut liability_model::Report,
    history: &dyn HistorySource,
    params: &Params,
    history_note: Option<String>,
) {
    let repo_lines = report.code_lines();
    for finding in &mut report.findings {
        finding.liability = Some(price(&inputs_of(finding, history), repo_lines, params));
    }
    let totals = repo_totals(
        repo_lines,
        report.findings.iter().filter_map(|f| f.liability.as_ref()),
        params,
        history_note,
    );
    report.liability = Some(totals);
}

/// The repository's totals over the given priced findings.
pub fn repo_totals<'a>(
    repo_code_lines: u64,
    priced: impl IntoIterator<Item = &'a Liability>,
    params: &Params,
    history_note: Option<String>,
) -> RepoLiability {
    let repo = params.cocomo.build(repo_code_lines, params);
    let mut totals = RepoLiability {
        code_lines: repo_code_lines,
        build_effort_months: repo.effort_months,
        build_cost: repo.cost,
        currency: params.currency.clone(),
        hourly_rate: params.hourly_rate(),
        history_note,
        ..RepoLiability::default()
    };
    for l in priced {
        totals.yearly_hours = totals.yearly_hours.plus(l.yearly_hours);
        totals.yearly_cost = totals.yearly_cost.plus(l.yearly_cost);
        totals.retirable_yearly_cost += l.retirable_yearly_cost;
    }
    totals
}

#[cfg(test)]
mod tests;
